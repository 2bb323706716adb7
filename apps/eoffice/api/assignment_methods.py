"""Whitelisted methods for what is done to an assignment outside the document's workflow.

``/api/method/eoffice.assignment.<name>``; each calls the function of the same idea in
:mod:`eoffice.doctype.assignment`, where the rules are.
"""

from __future__ import annotations

from eoffice.api.methods import whitelist
from eoffice.api.workflow_methods import current_user, get_doc
from eoffice.exceptions import ValidationError


def _required(value, field: str, what: str):
    if value in (None, ""):
        raise ValidationError(f"Thiếu {what} («{field}»).", field=field)
    return value


def _int(value, field: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        raise ValidationError(f"«{value}» không phải số hợp lệ.", field=field) from None


@whitelist("eoffice.assignment.hand_down", methods=("POST",))
def hand_down(request, assignment=None, assign_to=None, deadline=None, note="", **_i):
    """The unit head hands the unit's assignment to an officer; returns the new assignment."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    child = service.hand_down(
        _required(assignment, "assignment", "việc được giao"), user, assign_to, deadline, note
    )
    return service.assignment_dict(child)


@whitelist("eoffice.assignment.report_progress", methods=("POST",))
def report_progress(request, assignment=None, content=None, **_i):
    """A progress report on an assignment (a Comment on it)."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    comment = service.report_progress(
        _required(assignment, "assignment", "việc được giao"), user, content or ""
    )
    return comment.as_dict()


@whitelist("eoffice.assignment.request_extension", methods=("POST",))
def request_extension(request, assignment=None, new_deadline=None, reason=None, **_i):
    """ "Xin gia hạn": ask the person who assigned for a later deadline."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    x = service.request_extension(
        _required(assignment, "assignment", "việc được giao"), user, new_deadline, reason or ""
    )
    return x.as_dict()


@whitelist("eoffice.assignment.approve_extension", methods=("POST",))
def approve_extension(request, request_name=None, new_deadline=None, note="", **params):
    """The person who assigned approves an extension request (``request_name``)."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    name = request_name or params.get("extension_request")
    x = service.decide_extension(
        _required(name, "request_name", "đề nghị gia hạn"), user, True, note, new_deadline
    )
    return x.as_dict()


@whitelist("eoffice.assignment.refuse_extension", methods=("POST",))
def refuse_extension(request, request_name=None, note="", **params):
    """The person who assigned refuses an extension request (``request_name``)."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    name = request_name or params.get("extension_request")
    x = service.decide_extension(
        _required(name, "request_name", "đề nghị gia hạn"), user, False, note
    )
    return x.as_dict()


@whitelist("eoffice.assignment.recall", methods=("POST",))
def recall(request, assignment=None, reason="", **_i):
    """ "Thu hồi": the person who assigned takes an assignment back."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    a = service.recall(_required(assignment, "assignment", "việc được giao"), user, reason)
    return service.assignment_dict(a)


@whitelist("eoffice.assignment.mark_read", methods=("POST",))
def mark_read(request, assignment=None, reference_doctype=None, reference_name=None, **_i):
    """Mark "Nhận để biết" read: one assignment, or all of a document naming the caller."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    if assignment:
        return [service.assignment_dict(service.mark_read(assignment, user))]
    doc = get_doc(reference_doctype, reference_name, user)
    return [service.assignment_dict(a) for a in service.mark_read_for(doc, user)]


@whitelist("eoffice.assignment.complete", methods=("POST",))
def complete(request, assignment=None, result="", reply_document="", **_i):
    """Report an assignment done (the lead's completes the document)."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    a = service.complete_assignment(
        _required(assignment, "assignment", "việc được giao"), user, result, reply_document
    )
    return service.assignment_dict(a)


@whitelist("eoffice.assignment.my_assignments")
def my_assignments(request, start=0, limit=20, **_i):
    """ "Việc của tôi": the caller's open assignments, earliest deadline first."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    rows = service.my_assignments(user, _int(start, "start", 0), min(_int(limit, "limit", 20), 500))
    return [service.assignment_dict(a) for a in rows]


@whitelist("eoffice.assignment.unit_assignments")
def unit_assignments(request, unit=None, start=0, limit=20, **_i):
    """ "Việc của đơn vị": a unit's open assignments, earliest deadline first."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    unit_row = get_doc("Organization Unit", _required(unit, "unit", "đơn vị"), user)
    from eoffice.exceptions import PermissionError
    from eoffice.permissions import is_admin, units_in_scope

    if unit_row.pk not in units_in_scope(user) and not is_admin(user):
        raise PermissionError("Bạn không xem được việc của đơn vị này.")
    rows = service.unit_assignments(
        unit_row, _int(start, "start", 0), min(_int(limit, "limit", 20), 500)
    )
    return [service.assignment_dict(a) for a in rows]


@whitelist("eoffice.assignment.get_tree")
def get_tree(request, reference_doctype=None, reference_name=None, **_i):
    """The assignments of a document as a tree (each with its ``children``)."""
    from eoffice.doctype import assignment as service

    user = current_user(request)
    return service.assignment_tree(get_doc(reference_doctype, reference_name, user))
