"""Whitelisted methods of the workflow engine, the incoming register and the timeline.

Thin: each reads its parameters, finds the document the caller may read, and calls the
business function in ``eoffice.workflows`` or ``eoffice.doctype``. Paths are Frappe's where
Frappe has one (``frappe.model.workflow.apply_workflow``), ``eoffice.*`` otherwise.
"""

from __future__ import annotations

import json

from eoffice.api.methods import whitelist
from eoffice.exceptions import DoesNotExistError, PermissionError, ValidationError

#: Parameters a dispatcher or a client may add that are not action data.
_NOT_DATA = {"cmd", "doctype", "name", "docname", "_", "csrf_token"}


def current_user(request):
    """The signed-in user of the request, or PermissionError."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionError("Bạn cần đăng nhập.")
    return user


def parse_json(value, field: str):
    """A JSON parameter that may arrive as text (form posts) or already decoded (JSON body)."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            raise ValidationError(f"«{field}» không phải JSON hợp lệ.", field=field) from None
    return value


def get_doc(doctype: str | None, name: str | None, user, ptype: str = "read"):
    """The row ``name`` of ``doctype`` if ``user`` may ``ptype`` it.

    A row the user may not see and a row that does not exist get the same answer, a
    PermissionError (403) with the same words, so that an action refused never tells whether
    a hidden document exists.
    """
    from eoffice.doctype.base import get_meta
    from eoffice.permissions import has_permission

    meta = get_meta(doctype or "")
    if meta is None:
        raise DoesNotExistError(f"Không có loại tài liệu «{doctype}».")
    if not name:
        raise ValidationError("Thiếu mã tài liệu («name»).", field="name")
    doc = meta.model.objects.filter(name=name).first()
    if doc is None or not has_permission(user, meta, ptype, doc):
        label = str(meta.model._meta.verbose_name).lower()
        raise PermissionError(
            f"Bạn không có quyền với {label} «{name}», hoặc {label} này không tồn tại."
        )
    return doc


def doc_from_param(doc, doctype=None, name=None, user=None):
    """``doc`` as Frappe clients send it: a dict (or its JSON) with doctype and name, or a name."""
    doc = parse_json(doc, "doc")
    if not doc and not name:
        raise ValidationError("Thiếu tài liệu («doc»).", field="doc")
    if isinstance(doc, dict):
        doctype = doc.get("doctype") or doctype
        name = doc.get("name") or name
    elif doc:
        name = str(doc)
    return get_doc(doctype, name, user)


@whitelist("frappe.model.workflow.apply_workflow", methods=("POST",))
def apply_workflow(request, doc=None, action=None, comment=None, doctype=None, **data):
    """Take a workflow action on a document; returns the updated document.

    Parameters: ``doc`` (the document as JSON, or its name with ``doctype``), ``action``;
    optionally ``comment`` and the data the action takes (e.g. ``direction`` and
    ``assignees`` for "Phân công", ``assign_to`` for "Giao xử lý", ``result`` for "Hoàn
    thành"). The document's fields in ``doc`` are not read: what is stored is (as Frappe).
    """
    from eoffice.workflows.engine import apply_workflow as apply

    user = current_user(request)
    if not action:
        raise ValidationError("Thiếu thao tác («action»).", field="action")
    row = doc_from_param(doc, doctype, data.pop("name", None), user)
    data = {k: parse_json(v, k) for k, v in data.items() if k not in _NOT_DATA}
    updated = apply(row, action, user, comment=comment, **data)
    return updated.as_dict()


@whitelist("frappe.model.workflow.get_transitions")
def get_transitions(request, doc=None, doctype=None, **_ignored):
    """The workflow actions the caller may take on the document now."""
    from eoffice.workflows.engine import get_transitions as transitions

    user = current_user(request)
    row = doc_from_param(doc, doctype, _ignored.get("name"), user)
    return [t.as_dict() for t in transitions(row, user)]


@whitelist("eoffice.workflow.get_workflow")
def get_workflow(request, doctype=None, **_ignored):
    """The active workflow of a DocType: states and transitions with their labels."""
    from eoffice.workflows.engine import get_workflow as workflow_of

    current_user(request)
    wf = workflow_of(doctype or "")
    if wf is None:
        raise DoesNotExistError(f"«{doctype}» không có quy trình đang dùng.")
    return {
        "workflow_name": wf.name,
        "document_type": wf.document_type,
        "workflow_state_field": wf.workflow_state_field,
        "states": [s.as_dict() for s in wf.states.values()],
        "transitions": [t.as_dict() for t in wf.transitions],
    }


@whitelist("eoffice.calendar.add_working_days")
def add_working_days(request, date=None, days=None, **_ignored):
    """The date ``days`` working days after ``date`` (YYYY-MM-DD or dd/mm/yyyy) → "YYYY-MM-DD"."""
    from eoffice import calendar

    current_user(request)
    if date in (None, ""):
        raise ValidationError("Thiếu ngày («date»).", field="date")
    try:
        start = calendar.to_date(date)
    except ValueError:
        raise ValidationError(f"«{date}» không phải ngày hợp lệ.", field="date") from None
    try:
        count = int(str(days).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"«{days}» không phải số ngày hợp lệ.", field="days") from None
    if abs(count) > 3660:
        raise ValidationError("Số ngày làm việc quá lớn.", field="days")
    return calendar.add_working_days(start, count).isoformat()


@whitelist("eoffice.incoming_document.find_duplicates")
def find_duplicates(request, issuer=None, document_number=None, year=None, exclude=None, **_i):
    """Documents of this year with the same issuer and số ký hiệu (the clerk's warning)."""
    from eoffice.doctype.incoming_document import find_duplicates as duplicates

    user = current_user(request)
    return duplicates(issuer or "", document_number or "", user=user, year=year, exclude=exclude)


@whitelist("eoffice.timeline.get_timeline")
def get_timeline(request, doctype=None, name=None, **_ignored):
    """A document's timeline: comments, transitions, assignment events, oldest first."""
    from eoffice.doctype.comment import get_timeline as timeline

    user = current_user(request)
    return timeline(get_doc(doctype, name, user), user)


@whitelist("frappe.desk.form.utils.add_comment", methods=("POST",))
def add_comment(request, reference_doctype=None, reference_name=None, content=None, **_ignored):
    """Add a comment to a document the caller may read (Frappe's path and parameters)."""
    from eoffice.doctype.comment import add_comment as add

    user = current_user(request)
    doc = get_doc(reference_doctype, reference_name, user)
    text = (content or "").strip()
    if not text:
        raise ValidationError("Cần nhập nội dung ý kiến.", field="content")
    return add(doc._doctype.name, doc.name, user, text).as_dict()
