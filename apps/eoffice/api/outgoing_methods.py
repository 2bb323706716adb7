"""Whitelisted methods of outgoing documents: ``/api/method/eoffice.outgoing.<name>``.

Thin: each reads its parameters, finds what the caller may read, and calls the function of
the same idea in :mod:`eoffice.doctype.outgoing_document`, where the rules are. The workflow
itself goes through ``frappe.model.workflow.apply_workflow`` like every DocType's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from eoffice.api.methods import whitelist
from eoffice.api.workflow_methods import current_user, get_doc
from eoffice.exceptions import ValidationError

OUTGOING = "Outgoing Document"


def _required(value, field: str, what: str):
    if value in (None, ""):
        raise ValidationError(_("Thiếu {what} («{field}»).").format(what=what, field=field), field)
    return value


def _int(value, field: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return max(0, min(int(value), 10**6))
    except (TypeError, ValueError):
        raise ValidationError(
            _("«{value}» không phải số hợp lệ.").format(value=value), field=field
        ) from None


@whitelist("eoffice.outgoing.add_draft_version", methods=("POST",))
def add_draft_version(request, name=None, file=None, note="", **_i):
    """Add the next version of the draft's file: an upload (multipart ``file``) or the name of
    a File already uploaded to the document. Earlier versions are kept."""
    from eoffice.doctype.outgoing_document.drafting import add_draft_version as add
    from eoffice.doctype.outgoing_document.drafting import version_dict

    user = current_user(request)
    doc = get_doc(OUTGOING, _required(name, "name", _("văn bản đi")), user)
    upload = request.FILES.get("file") if hasattr(request, "FILES") else None
    if upload is not None:
        version = add(doc, user, chunks=upload.chunks(), file_name=upload.name, note=note)
    else:
        version = add(doc, user, file=file, note=note)
    return version_dict(version)


@whitelist("eoffice.outgoing.get_versions")
def get_versions(request, name=None, **_i):
    """The versions of the draft's file, oldest first."""
    from eoffice.doctype.outgoing_document.drafting import version_dict

    user = current_user(request)
    doc = get_doc(OUTGOING, _required(name, "name", _("văn bản đi")), user)
    return [version_dict(v) for v in doc.versions.select_related("file").order_by("version")]


@whitelist("eoffice.outgoing.draft_reply", methods=("POST",))
def draft_reply(request, incoming_document=None, **fields):
    """A new draft answering an incoming document (recipient: its issuer); returns the draft."""
    from eoffice.doctype.outgoing_document.drafting import draft_reply as draft

    user = current_user(request)
    incoming = get_doc(
        "Incoming Document",
        _required(incoming_document, "incoming_document", _("văn bản đến")),
        user,
    )
    fields = {k: v for k, v in fields.items() if k not in ("cmd", "csrf_token", "_")}
    return draft(incoming, user, **fields).as_dict()


@whitelist("eoffice.outgoing.recipient_groups")
def recipient_groups(request, agency=None, **_i):
    """The recipient groups with their units (for the recipients picker)."""
    from eoffice.doctype.outgoing_document.distribution import expand_group
    from eoffice.doctype.outgoing_document.models import RecipientGroup

    user = current_user(request)
    agency_row = get_doc("Organization Unit", agency, user) if agency else None
    out = []
    for group in RecipientGroup.objects.filter(is_active=True):
        units = expand_group(group, agency_row)
        out.append(
            {
                "name": group.name,
                "group_name": group.group_name,
                "unit_kinds": group.unit_kinds,
                "units": [{"name": u.name, "unit_name": u.unit_name} for u in units],
                "count": len(units),
            }
        )
    return out


@whitelist("eoffice.outgoing.add_recipient_group", methods=("POST",))
def add_recipient_group(request, name=None, group=None, **_i):
    """Add the units of a recipient group to a draft's recipients (one click); the document."""
    from eoffice.doctype.outgoing_document.distribution import add_recipient_group as add

    user = current_user(request)
    doc = get_doc(OUTGOING, _required(name, "name", _("văn bản đi")), user)
    added = add(doc, user, _required(group, "group", _("nhóm nơi nhận")))
    doc.refresh_from_db()
    return {"added": added, "doc": doc.as_dict()}


@whitelist("eoffice.outgoing.distribution")
def distribution(request, name=None, **_i):
    """Per recipient: delivered, read (by whom, when), handled — the sender's tracking view."""
    from eoffice.doctype.outgoing_document.distribution import distribution as track

    user = current_user(request)
    return track(get_doc(OUTGOING, _required(name, "name", _("văn bản đi")), user))


@whitelist("eoffice.outgoing.mark_read", methods=("POST",))
def mark_read(request, incoming_document=None, **_i):
    """A recipient opened the copy of a document issued to their unit (the desk calls this)."""
    from eoffice.doctype.outgoing_document.distribution import mark_copy_read

    user = current_user(request)
    copy = get_doc(
        "Incoming Document",
        _required(incoming_document, "incoming_document", _("văn bản đến")),
        user,
    )
    return {"updated": mark_copy_read(copy, user)}


@whitelist("eoffice.outgoing.received_directives")
def received_directives(request, start=0, limit=20, **_i):
    """Documents issued to the caller's units and still open, earliest deadline first."""
    from eoffice.doctype.outgoing_document.distribution import received_directives as received

    user = current_user(request)
    return received(user, _int(start, "start", 0), min(_int(limit, "limit", 20), 500))


@whitelist("eoffice.outgoing.work_queue")
def work_queue(request, limit=50, **_i):
    """What waits for the caller: to approve, sign, check, number, issue; returned drafts."""
    from eoffice.doctype.outgoing_document.drafting import work_queue as queue

    user = current_user(request)
    return queue(user, min(_int(limit, "limit", 50), 500))


@whitelist("eoffice.outgoing.register_entries")
def register_entries(request, register=None, **_i):
    """An outgoing register in number order, cancelled numbers included."""
    from eoffice.doctype.outgoing_document.numbering import register_entries as entries

    user = current_user(request)
    row = get_doc("Document Register", _required(register, "register", _("sổ văn bản")), user)
    if row.direction != "Đi":
        raise ValidationError(_("«{name}» không phải sổ văn bản đi.").format(name=row), "register")
    return entries(row)


@whitelist("eoffice.outgoing.preview_symbol")
def preview_symbol(request, name=None, **_i):
    """The symbol "Cấp số" would give now (the number is not taken)."""
    from django.utils import timezone

    from eoffice.constants import Direction
    from eoffice.doctype.document_register import DocumentRegister
    from eoffice.doctype.outgoing_document.numbering import build_symbol

    user = current_user(request)
    doc = get_doc(OUTGOING, _required(name, "name", _("văn bản đi")), user)
    if doc.symbol:
        return doc.symbol
    today = timezone.localdate()
    agency = doc.agency()
    register = DocumentRegister.objects.filter(
        unit=agency,
        direction=Direction.OUTGOING,
        year=today.year,
        is_secret=doc.is_secret,
        is_normative=doc.is_normative,
    ).first()
    return build_symbol(
        (register.last_number if register else 0) + 1,
        doc.document_type,
        agency,
        doc.drafting_unit,
        today.year,
        doc.is_normative,
    )
