"""``eoffice load_demo``: load the Gia Lâm 2017 demo organisation into an empty site."""

from django.core.management.base import BaseCommand, CommandError

from eoffice.demo import gialam


class Command(BaseCommand):
    help = "Load the demo organisation (Gia Lâm 2017) and its users into an empty site."

    def handle(self, *args, **options):
        from eoffice.doctype.organization import OrganizationUnit

        if OrganizationUnit.objects.exists():
            raise CommandError(
                "this site already has an organisation; the demo loads only into an empty site"
            )
        gialam.load(stdout=self.stdout)
        self.stdout.write(f"Demo logins (password {gialam.DEMO_PASSWORD}):")
        for email, full_name, _unit, role, _title in gialam.USERS:
            self.stdout.write(f"  {email:<28} {role.value:<16} {full_name}")
