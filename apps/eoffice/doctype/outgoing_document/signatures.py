"""Digital signatures on the outgoing document's file (issue 10), called by the hooks.

"Ký": the signer's signature on the newest draft PDF, when the signer has a Signing Key.
"Cấp số": the number and date written into the fields prepared at "Ký".
"Phát hành": the agency's signature (with its seal) when the agency has a key.

Each step stores the result as the next version of the draft's file (a new File through
``create_file``, so its signatures are checked in the background like any upload). A step
that refuses (wrong PIN, expired certificate) raises before anything is stored, inside the
transition's transaction. A document without a PDF draft, or whose signer or agency has no
key, goes on exactly as before (signed on paper, scanned later).
"""

from __future__ import annotations

from django.db.models import Max
from django.utils.translation import gettext as _

PDF = "application/pdf"


def _read(file) -> bytes:
    with file.open() as fh:
        return fh.read()


def _is_pdf(version) -> bool:
    return version is not None and version.file.mime_type == PDF


def _person_signed(content: bytes) -> bool:
    from eoffice.signing import pdf, service

    return any(n.startswith(service.PERSONAL_FIELD) for n in pdf.signature_field_names(content))


def has_person_key(user) -> bool:
    from eoffice.signing.models import KeyOwner, SigningKey

    return SigningKey.objects.filter(user=user, is_active=True, owner_kind=KeyOwner.PERSON).exists()


def has_agency_key(unit) -> bool:
    from eoffice.signing.models import KeyOwner, SigningKey

    agency = unit.agency() if hasattr(unit, "agency") else unit
    return SigningKey.objects.filter(
        unit=agency, is_active=True, owner_kind=KeyOwner.AGENCY
    ).exists()


def _file_name(doc, suffix: str) -> str:
    base = (doc.symbol or doc.name).replace("/", "-")
    return f"{base}-{suffix}.pdf"


def store_version(doc, content: bytes, file_name: str, user, note: str):
    """The next version of the draft's file, holding ``content`` (caller's transaction)."""
    from eoffice.doctype.file import create_file
    from eoffice.doctype.outgoing_document.models import DOCTYPE, DraftVersion

    stored = create_file(
        [content],
        file_name=file_name,
        owner=user.email,
        attached_to_doctype=DOCTYPE,
        attached_to_name=doc.name,
        attached_to_field="draft",
    )
    last = doc.versions.aggregate(n=Max("version"))["n"] or 0
    version = DraftVersion(
        outgoing_document=doc,
        version=last + 1,
        file=stored,
        note=note[:255],
        owner=user.email,
        modified_by=user.email,
    )
    version.save()
    return version


def sign_draft(doc, latest, ctx):
    """ "Ký": the signer's signature on ``latest`` (a PDF), stored as the next version.

    Returns the new version, or None when there is nothing to sign digitally."""
    from eoffice.signing import audit, service

    if not _is_pdf(latest) or not has_person_key(ctx.user):
        return None
    signed = service.sign_as_person(_read(latest.file), ctx.user, ctx.params.get("pin") or None)
    version = store_version(
        doc,
        signed.content,
        _file_name(doc, "da-ky"),
        ctx.user,
        _("Ký số: {name}").format(name=ctx.user.full_name or ctx.user.email),
    )
    _audit(audit, doc, ctx, version)
    return version


def stamp_draft(doc, ctx):
    """ "Cấp số": number and date written into the signed PDF, stored as the next version."""
    from eoffice.doctype.outgoing_document.drafting import latest_version
    from eoffice.signing import service

    latest = latest_version(doc)
    if not _is_pdf(latest):
        return None
    content = _read(latest.file)
    if not _person_signed(content):
        return None
    stamped = service.stamp_number(content, doc.symbol, doc.issue_date)
    return store_version(
        doc,
        stamped,
        _file_name(doc, "cap-so"),
        ctx.user,
        _("Cấp số {symbol} ngày {d:%d/%m/%Y}").format(symbol=doc.symbol, d=doc.issue_date),
    )


def seal_issue(doc, ctx):
    """ "Phát hành": the agency's signature over the signed, numbered PDF (next version)."""
    from eoffice.doctype.outgoing_document.drafting import latest_version
    from eoffice.signing import audit, service

    latest = latest_version(doc)
    agency = doc.agency()
    if not _is_pdf(latest) or not has_agency_key(agency):
        return None
    content = _read(latest.file)
    if not _person_signed(content):
        return None
    signed = service.sign_as_agency(
        content,
        agency,
        ctx.params.get("pin") or None,
        signer_name=doc.signer.full_name if doc.signer_id else "",
    )
    version = store_version(
        doc,
        signed.content,
        _file_name(doc, "phat-hanh"),
        ctx.user,
        _("Ký số của cơ quan: {agency}").format(agency=agency.unit_name),
    )
    _audit(audit, doc, ctx, version)
    return version


def _audit(audit, doc, ctx, version) -> None:
    from eoffice.doctype.outgoing_document.models import DOCTYPE

    audit.record(
        audit.SIGNED,
        ctx.user,
        DOCTYPE,
        doc.name,
        _("{note} (phiên bản {version}, tệp {file})").format(
            note=version.note, version=version.version, file=version.file.file_name
        ),
    )
