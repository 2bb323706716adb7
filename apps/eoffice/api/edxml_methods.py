"""Whitelisted methods of the edXML exchange: ``/api/method/eoffice.edxml.<name>``.

- ``receive`` (POST, the package as the body, ``Content-Type: application/xml``): another
  site delivers a package. Authenticated by the header ``X-Edxml-Token`` against the site's
  ``edxml.inbound_tokens`` (docs/edxml.md); a package from an agency other than the token's is
  refused. No user session is involved.
- ``import_package`` (POST multipart ``file``): a clerk imports a package file by hand.
- ``export`` (GET ``name``, ``agency_code``, ``agency_name``): an issued document as a package.
- ``messages`` (GET ``doctype``, ``name``): the exchange log of a document.

The rules are in :mod:`eoffice.edxml.exchange`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from eoffice.api.methods import whitelist
from eoffice.api.workflow_methods import current_user, get_doc
from eoffice.exceptions import AuthenticationError, PermissionError, ValidationError

XML_TYPES = ("application/xml", "text/xml", "application/octet-stream", "application/edxml+xml")


@whitelist("eoffice.edxml.receive", methods=("POST",), allow_guest=True)
def receive(request, **_ignored):
    """Receive one edXML package from another site (token in ``X-Edxml-Token``)."""
    from eoffice.edxml import transport
    from eoffice.edxml.exchange import receive as take

    token = request.META.get("HTTP_X_EDXML_TOKEN", "")
    sender = transport.token_owner(token)
    if sender is None:
        raise AuthenticationError(_("Thiếu hoặc sai mã xác thực trao đổi văn bản (X-Edxml-Token)."))
    content_type = (request.content_type or "").lower()
    if content_type not in XML_TYPES:
        raise ValidationError(
            _("Gói tin phải gửi với Content-Type: application/xml (nhận được «{type}»).").format(
                type=content_type or "-"
            )
        )
    data = transport.read_limited(request, transport.max_package_bytes())
    return take(data, sender_code=sender)


def _clerk_units(user) -> set[int]:
    from eoffice.constants import Role
    from eoffice.permissions import memberships

    return {u for u, r in memberships(user) if r == Role.CLERK}


@whitelist("eoffice.edxml.import_package", methods=("POST",))
def import_package(request, **_ignored):
    """A clerk imports a package file (multipart ``file``) addressed to their agency."""
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.edxml import transport
    from eoffice.edxml.exchange import parse
    from eoffice.edxml.exchange import receive as take
    from eoffice.edxml.package import DocumentPackage
    from eoffice.permissions import is_admin

    user = current_user(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("Không có tệp gói tin nào được gửi lên (trường 'file')."), "file")
    limit = transport.max_package_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("Gói tin vượt quá dung lượng cho phép ({limit} MB).").format(
                limit=round(limit / 1024 / 1024)
            ),
            "file",
        )
    data = upload.read()
    parsed = parse(data)
    if isinstance(parsed, DocumentPackage) and not is_admin(user):
        mine = _clerk_units(user)
        codes = [r.code for r in parsed.receivers]
        local = OrganizationUnit.objects.filter(agency_code__in=codes).values_list("pk", flat=True)
        if not set(local) & mine:
            raise PermissionError(_("Gói tin không gửi cho cơ quan mà bạn là văn thư."))
    elif not is_admin(user) and not _clerk_units(user):
        raise PermissionError(_("Chỉ văn thư được nhập gói tin trạng thái."))
    return take(data)


@whitelist("eoffice.edxml.export", methods=("GET",))
def export(request, name=None, agency_code="", agency_name="", **_ignored):
    """An issued outgoing document as an edXML package (a file download)."""
    from eoffice.edxml.exchange import export_package

    user = current_user(request)
    if not name:
        raise ValidationError(_("Thiếu văn bản đi («name»)."), "name")
    doc = get_doc("Outgoing Document", name, user)
    data = export_package(doc, (agency_code or "").strip(), (agency_name or "").strip())
    response = HttpResponse(data, content_type="application/xml; charset=utf-8")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in doc.symbol or doc.name)
    response["Content-Disposition"] = f'attachment; filename="{safe}.edxml"'
    return response


@whitelist("eoffice.edxml.messages")
def messages(request, doctype=None, name=None, **_ignored):
    """The edXML packages sent and received for a document, oldest first."""
    from eoffice.edxml.exchange import messages_of

    user = current_user(request)
    if doctype not in ("Outgoing Document", "Incoming Document"):
        raise ValidationError(
            _("«doctype» phải là «Outgoing Document» hoặc «Incoming Document»."), "doctype"
        )
    return messages_of(get_doc(doctype, name, user))
