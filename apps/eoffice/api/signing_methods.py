"""Whitelisted methods of digital signatures: ``/api/method/eoffice.signing.<name>``.

Thin: parameters in, the functions of :mod:`eoffice.signing` out. A file is named by its
File ``name`` and must be readable by the caller (the one permission layer decides).
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from eoffice.api.methods import whitelist
from eoffice.api.workflow_methods import current_user, get_doc
from eoffice.exceptions import PermissionError, ValidationError

KINDS = ("person", "agency", "attachment")


def _pdf(request, file_name, user):
    if not file_name:
        raise ValidationError(_("Thiếu tệp («file»)."), "file")
    file = get_doc("File", file_name, user)
    if file.mime_type != "application/pdf":
        raise ValidationError(_("Chỉ ký và kiểm tra chữ ký được trên tệp PDF."), "file")
    with file.open() as fh:
        return file, fh.read()


def _kind(kind) -> str:
    kind = kind or "person"
    if kind not in KINDS:
        raise ValidationError(
            _("Kiểu chữ ký «{kind}» không hợp lệ (person, agency, attachment).").format(kind=kind),
            "kind",
        )
    return kind


def _agency_for(user, unit_name=None):
    """The agency the user signs for (as its clerk or leader)."""
    from eoffice.constants import Role
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import memberships

    allowed = {u for u, r in memberships(user) if r in (Role.CLERK, Role.LEADER)}
    units = OrganizationUnit.objects.filter(pk__in=allowed)
    if unit_name:
        units = units.filter(name=unit_name)
    agencies = {u.agency().pk: u.agency() for u in units}
    if not agencies:
        raise PermissionError(_("Chỉ văn thư hoặc lãnh đạo cơ quan được ký số của cơ quan."))
    return next(iter(agencies.values()))


@whitelist("eoffice.signing.preview", methods=("GET", "POST"))
def preview(request, file=None, kind="person", unit=None, symbol="", **_ignored):
    """A PNG of the page with the signature's appearance where it will go (nothing signed)."""
    from eoffice.signing import service

    user = current_user(request)
    kind = _kind(kind)
    _file, content = _pdf(request, file, user)
    agency = None if kind == "person" else _agency_for(user, unit)
    png = service.preview(content, user=user, unit=agency, kind=kind, symbol=symbol)
    return HttpResponse(png, content_type="image/png")


@whitelist("eoffice.signing.sign", methods=("POST",))
def sign(request, file=None, kind="person", pin=None, unit=None, symbol="", **_ignored):
    """Sign a PDF (the caller's own key, or their agency's) into a new File attached to the
    same document; the original stays. A wrong PIN changes nothing."""
    from eoffice.doctype.file import create_file
    from eoffice.signing import audit, service
    from eoffice.signing.appearance import vn_time

    user = current_user(request)
    kind = _kind(kind)
    original, content = _pdf(request, file, user)
    if kind == "person":
        signed = service.sign_as_person(content, user, pin)
    else:
        agency = _agency_for(user, unit)
        if kind == "agency":
            signed = service.sign_as_agency(content, agency, pin)
        else:
            signed = service.sign_attachment(content, agency, symbol or "", pin)
    stem = original.file_name.rsplit(".", 1)[0]
    with transaction.atomic():
        new = create_file(
            [signed.content],
            f"{stem}.signed.pdf",
            owner=user.email,
            attached_to_doctype=original.attached_to_doctype,
            attached_to_name=original.attached_to_name,
            attached_to_field=original.attached_to_field,
        )
        audit.record(
            audit.SIGNED,
            user,
            original.attached_to_doctype,
            original.attached_to_name,
            f"{original.file_name} → {new.file_name}: {signed.key.certificate_subject} "
            f"({signed.field_name})",
        )
    from django.utils import timezone

    return {
        "file": new.name,
        "file_url": new.file_url,
        "field": signed.field_name,
        "signer": signed.key.certificate_subject,
        "signed_at": vn_time(timezone.now()),
        "place": signed.place.as_dict(),
    }


@whitelist("eoffice.signing.verify_file", methods=("GET", "POST"))
def verify_file(request, file=None, **_ignored):
    """Verify a stored PDF's signatures now and return the signature panel."""
    from eoffice.jobs.verify import run
    from eoffice.signing import panel

    user = current_user(request)
    original, _content = _pdf(request, file, user)
    run(original.name)
    return panel(original)


@whitelist("eoffice.signing.signature_panel", methods=("GET",))
def signature_panel(request, file=None, **_ignored):
    """The stored verification result of a file, for the PDF preview's signature panel."""
    from eoffice.signing import panel

    user = current_user(request)
    if not file:
        raise ValidationError(_("Thiếu tệp («file»)."), "file")
    return panel(get_doc("File", file, user))
