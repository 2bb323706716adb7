"""``eoffice edxml send|process|export NAME [--to CODE]``: the exchange by hand."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "edXML: 'send' the waiting packages, 'process' the inbox folder, or 'export' an "
        "issued outgoing document as a package (to stdout or --output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send", "process", "export"])
        parser.add_argument("name", nargs="?", help="the outgoing document (export)")
        parser.add_argument("--to", default="", help="agency code of the receiver (export)")
        parser.add_argument("--to-name", default="", help="agency name of the receiver")
        parser.add_argument("--output", help="file to write the package to (export)")

    def handle(self, action, name=None, **options):
        from eoffice.edxml import jobs
        from eoffice.exceptions import EofficeError

        if action == "send":
            self.stdout.write(str(jobs.send_pending()))
            return
        if action == "process":
            self.stdout.write(str(jobs.process_inbox()))
            return
        from eoffice.doctype.outgoing_document import OutgoingDocument
        from eoffice.edxml.exchange import export_package

        doc = OutgoingDocument.objects.filter(name=name or "").first()
        if doc is None:
            raise CommandError(f"no outgoing document '{name}'")
        try:
            data = export_package(doc, options["to"], options["to_name"])
        except EofficeError as exc:
            raise CommandError(exc.message) from None
        if options.get("output"):
            with open(options["output"], "wb") as fh:
                fh.write(data)
        else:
            self.stdout.write(data.decode("utf-8"))
