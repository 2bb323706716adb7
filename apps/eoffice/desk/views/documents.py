"""The page of one document or task, and what its buttons post.

- ``GET /app/<doctype>/<name>``: metadata, files (previewed inline), direction, the assignments
  tree, the timeline, and the buttons THIS person gets (workflow transitions and actions on
  assignments). Opening it marks the person's "Nhận để biết" rows read
  (:func:`eoffice.doctype.assignment.mark_read_for`).
- ``POST …/action``: one workflow action through :func:`eoffice.workflows.engine.apply_workflow`.
- ``GET|POST …/assign``: the direction screen ("Phân công", "Chuyển xử lý", "Giao việc").
- ``POST …/comment``, ``POST …/files``: a comment; more files.

Refusals come from the engine and the doctype functions, in Vietnamese: the page is shown
again with the message (403 for a wrong actor, 400 for bad input, 409 when the document moved
on meanwhile) and nothing stored changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice import exceptions as exc
from eoffice.desk import assignee_rows
from eoffice.desk import document_page as dp
from eoffice.desk.access import DOCUMENT_PAGES, visible_doc
from eoffice.desk.actions import Action, posted_data, transition_action, transition_actions
from eoffice.desk.badges import row_badges
from eoffice.desk.context import render_desk
from eoffice.desk.fields import format_date
from eoffice.desk.labels import choice_label

DOCTYPE_OF_SLUG = {slug: doctype for doctype, slug in DOCUMENT_PAGES.items()}
TEMPLATES = {
    "Incoming Document": "desk/incoming/document.html",
    "Task": "desk/tasks/task.html",
}
RELATED = {
    "Incoming Document": ("receiving_unit", "document_type", "register", "leader", "directed_by"),
    "Task": ("assigning_unit", "directed_by"),
}


def doctype_of(slug: str) -> str:
    doctype = DOCTYPE_OF_SLUG.get(slug)
    if doctype is None:
        raise Http404(_("Không có loại tài liệu này."))
    return doctype


def load(user, slug: str, name: str):
    doctype = doctype_of(slug)
    return visible_doc(user, doctype, name, *RELATED.get(doctype, ()))


def status_of(error: exc.EofficeError) -> int:
    """The HTTP status the desk answers an error with (a page, not the API's 417)."""
    if isinstance(error, exc.PermissionError | exc.DoesNotExistError):
        return 403
    if isinstance(error, exc.WorkflowTransitionError):
        return 409
    return 400


def render_document(request, doc, *, status: int = 200, failed: Action | None = None, **extra):
    """The document page; ``failed`` is an action's form shown open again with its error."""
    from eoffice.workflows.engine import can_edit

    user = request.user
    base = dp.doc_base_url(doc)
    actions = transition_actions(doc, user, f"{base}/action", f"{base}/assign")
    tree = dp.assignment_tree(doc, user)
    if failed is not None:
        key = (failed.key, failed.hidden.get("assignment"))
        actions = [failed if (a.key, a.hidden.get("assignment")) == key else a for a in actions]
        for node in dp.flatten(tree):
            node.actions = [
                failed if (a.key, a.hidden.get("assignment")) == key else a for a in node.actions
            ]
    doctype = doc._doctype.name
    context = {
        "doc": doc,
        "doctype": doctype,
        "base_url": base,
        "title": getattr(doc, "summary", None) or str(doc),
        "state": dp.state_badge(doc),
        "badges": row_badges(doc),
        "actions": actions,
        "row_actions": any(n.actions for n in dp.flatten(tree)),
        "tree": tree,
        "timeline": dp.timeline(doc, [n.a for n in dp.flatten(tree)]),
        "files": dp.files_of(doc),
        # Tasks have no form of their own after creation: a draft is edited on "Giao việc".
        "can_edit": doctype == "Incoming Document"
        and can_edit(doc, user)
        and _may_write(user, doc),
        "deadline": format_date(getattr(doc, "deadline", None)),
    }
    context.update(extra)
    return render_desk(request, TEMPLATES[doctype], context, status=status)


def _may_write(user, doc) -> bool:
    from eoffice.permissions import has_permission

    return has_permission(user, doc._doctype, "write", doc)


@login_required
def document(request, slug: str, name: str):
    """``/app/<doctype>/<name>``: the page of one document or task."""
    from eoffice import audit
    from eoffice.doctype.assignment import mark_read_for

    doc = load(request.user, slug, name)
    audit.record_view(request.user, doc._doctype, doc)  # a secret document's reads are logged
    read = mark_read_for(doc, request.user)
    if read:
        messages.info(request, _("Đã ghi nhận anh/chị đã đọc văn bản (nhận để biết)."))
    return render_document(request, doc)


def _transition_label(doc, action: str) -> str:
    from eoffice.workflows.engine import current_state, get_workflow

    wf = get_workflow(doc._doctype.name)
    if wf is not None:
        for t in wf.transitions_from(current_state(wf, doc)):
            if t.action == action:
                return choice_label(t.label or t.action)
    return action


@login_required
@require_POST
def workflow_action(request, slug: str, name: str):
    """``POST …/action``: take one workflow action (``action``, ``comment`` and its data)."""
    from eoffice.workflows.engine import apply_workflow, get_transitions

    user = request.user
    doc = load(user, slug, name)
    action = (request.POST.get("action") or "").strip()
    label = _transition_label(doc, action)
    comment = (request.POST.get("comment") or "").strip()
    data = posted_data(doc, action, request.POST)
    had_number = getattr(doc, "arrival_number", None)
    try:
        updated = apply_workflow(doc, action, user, comment=comment or None, **data)
    except exc.EofficeError as error:
        doc = load(user, slug, name)
        offered = next((t for t in get_transitions(doc, user) if t.action == action), None)
        failed = None
        if offered is not None:
            base = dp.doc_base_url(doc)
            failed = transition_action(doc, offered, user, f"{base}/action", f"{base}/assign")
            if failed is not None:
                failed.fill(request.POST, error.field, error.message)
        return render_document(
            request,
            doc,
            status=status_of(error),
            failed=failed,
            page_error=None if failed is not None else error.message,
        )
    number = getattr(updated, "arrival_number", None)
    if number and not had_number:
        messages.success(
            request,
            _("Đã vào sổ văn bản đến: số đến %(number)s, ngày %(day)s.")
            % {"number": number, "day": format_date(updated.registered_on)[:10]},
        )
    else:
        messages.success(
            request,
            _("Đã thực hiện «%(action)s»: văn bản chuyển sang «%(state)s».")
            % {"action": label, "state": choice_label(updated.workflow_state)},
        )
    return redirect(dp.doc_base_url(updated))


@login_required
@require_POST
def add_comment(request, slug: str, name: str):
    """``POST …/comment``: a comment on the timeline of a document the person may read."""
    from eoffice.doctype.comment import add_comment as add

    doc = load(request.user, slug, name)
    text = (request.POST.get("content") or "").strip()
    if not text:
        return render_document(
            request, doc, status=400, comment_error=_("Vui lòng nhập nội dung ý kiến.")
        )
    add(doc._doctype.name, doc.name, request.user, text)
    messages.success(request, _("Đã thêm ý kiến."))
    return redirect(dp.doc_base_url(doc) + "#timeline")


def store_uploads(uploads, doc, user) -> list:
    """Store uploaded files and attach them to ``doc`` (through the File module's intake)."""
    from eoffice.doctype.file import create_file

    return [
        create_file(
            up.chunks(),
            file_name=up.name,
            owner=user.email,
            attached_to_doctype=doc._doctype.name,
            attached_to_name=doc.name,
        )
        for up in uploads
    ]


def attach_uploaded(names, doc, user) -> list:
    """Attach files the person uploaded beforehand (from the form's scripts) to ``doc``.

    Only their own files not attached to anything yet; others are ignored.
    """
    from eoffice.doctype.file import File

    attached = []
    for f in File.objects.filter(
        name__in=[n for n in names if n][:50], owner=user.email, attached_to_doctype=""
    ):
        f.attached_to_doctype = doc._doctype.name
        f.attached_to_name = doc.name
        f.modified_by = user.email
        f.save(update_fields=["attached_to_doctype", "attached_to_name", "modified", "modified_by"])
        attached.append(f)
    return attached


@login_required
@require_POST
def attach_files(request, slug: str, name: str):
    """``POST …/files``: attach more files to a document the person may read."""
    doc = load(request.user, slug, name)
    uploads = request.FILES.getlist("files")
    if not uploads:
        return render_document(
            request, doc, status=400, file_error=_("Chọn ít nhất một tệp để đính kèm.")
        )
    try:
        with transaction.atomic():
            stored = store_uploads(uploads, doc, request.user)
    except exc.EofficeError as error:
        return render_document(request, doc, status=400, file_error=error.message)
    messages.success(
        request,
        _("Đã đính kèm: %(names)s.") % {"names": ", ".join(f.file_name for f in stored)},
    )
    return redirect(dp.doc_base_url(doc) + "#files")


# ---------------------------------------------------------------------------------------
# The direction screen


def _direction_transition(doc, user):
    from eoffice.workflows.engine import get_transitions

    return next((t for t in get_transitions(doc, user) if "assignees" in t.fields), None)


#: The action a direction screen posts when the person is offered none (the engine refuses).
DEFAULT_DIRECTION_ACTION = {"Incoming Document": "Phân công", "Task": "Giao việc"}


def _render_assign(request, doc, t, rows, values, *, status=200, errors=None, error=""):
    from eoffice.desk import pickers

    choices = pickers.direction_choices(doc.responsible_unit())
    default = format_date(doc.default_deadline())
    fields = set(t.fields) if t is not None else {"direction", "deadline"}
    return render_desk(
        request,
        "desk/assign.html",
        {
            "doc": doc,
            "doctype": doc._doctype.name,
            "base_url": dp.doc_base_url(doc),
            "title": (choice_label(t.label or t.action) if t else _("Phân công")),
            "transition": t,
            "action": t.action if t else DEFAULT_DIRECTION_ACTION[doc._doctype.name],
            "with_direction": "direction" in fields,
            "with_deadline": "deadline" in fields,
            "rows": assignee_rows.with_spares(rows, default, 1 if rows else 3),
            "role_choices": assignee_rows.role_choices(),
            "choices": choices,
            "values": values,
            "errors": errors or {},
            "error": error,
            "default_deadline": default,
            "files": dp.files_of(doc),
            "badges": row_badges(doc),
            "state": dp.state_badge(doc),
        },
        status=status,
    )


@login_required
def assign(request, slug: str, name: str):
    """``/app/<doctype>/<name>/assign``: direction text, units and people with their roles and
    deadlines, in one screen; "Phân công" runs the workflow action with all of it at once."""
    from eoffice.desk import pickers
    from eoffice.workflows.engine import apply_workflow

    user = request.user
    doc = load(user, slug, name)
    t = _direction_transition(doc, user)
    if request.method != "POST":
        if t is None:
            return render_desk(
                request,
                "desk/forbidden.html",
                {
                    "title": _("Không thể phân công"),
                    "message": _(
                        "Văn bản đang ở trạng thái «%(state)s»: anh/chị không có thao tác "
                        "phân công nào với văn bản này lúc này."
                    )
                    % {"state": dp.state_badge(doc).label},
                    "back_url": dp.doc_base_url(doc),
                },
                status=403,
            )
        rows = assignee_rows.from_document(doc)
        if not rows:
            rows = [
                assignee_rows.Row(
                    handling_role="Chủ trì", deadline=format_date(doc.default_deadline())
                )
            ]
        values = {
            "direction": getattr(doc, "direction", ""),
            "deadline": format_date(getattr(doc, "deadline", None)),
        }
        return _render_assign(request, doc, t, rows, values)

    data = request.POST
    values = {k: (data.get(k) or "").strip() for k in ("direction", "deadline", "comment")}
    rows = assignee_rows.filled(assignee_rows.from_post(data))
    default = format_date(doc.default_deadline())
    if "add_group" in data:  # "+ Tất cả xã, thị trấn" without scripts: rows, not saved
        choices = pickers.direction_choices(doc.responsible_unit())
        role = data.get("group_role") or "Phối hợp"
        assignee_rows.add_group(rows, choices.group(data.get("group", "")), role, default)
        return _render_assign(request, doc, t, rows, values)
    if "add_row" in data:
        return _render_assign(request, doc, t, rows + [assignee_rows.Row(deadline=default)], values)

    choices = pickers.direction_choices(doc.responsible_unit())
    emails = {p.email.lower() for p in choices.people}
    errors = {}
    if values["deadline"] and assignee_rows.parse_date(values["deadline"]) is None:
        errors["deadline"] = _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")
    if not assignee_rows.check_typing(rows, choices.unit_names, emails) or errors:
        return _render_assign(
            request,
            doc,
            t,
            rows,
            values,
            status=400,
            errors=errors,
            error=_("Vui lòng sửa các ô được đánh dấu."),
        )
    action = (data.get("action") or "").strip() or (
        t.action if t else DEFAULT_DIRECTION_ACTION[doc._doctype.name]
    )
    payload = {"assignees": assignee_rows.to_wire(rows)}
    fields = set(t.fields) if t is not None else {"direction", "deadline"}
    if "direction" in fields:
        payload["direction"] = values["direction"]
    if "deadline" in fields and values["deadline"]:
        payload["deadline"] = assignee_rows.parse_date(values["deadline"]).isoformat()
    try:
        updated = apply_workflow(doc, action, user, comment=values["comment"] or None, **payload)
    except exc.EofficeError as error:
        doc = load(user, slug, name)
        status = status_of(error)
        if status == 403 and t is None:
            return render_desk(
                request,
                "desk/forbidden.html",
                {
                    "title": _("Không có quyền thực hiện"),
                    "message": error.message,
                    "back_url": dp.doc_base_url(doc),
                },
                status=403,
            )
        field_errors = {}
        message = error.message
        if error.field in ("direction", "deadline"):
            field_errors[error.field] = message
            message = ""
        elif error.field == "assignees" or assignee_rows.mark_error(rows, message):
            assignee_rows.mark_error(rows, message)
            field_errors["assignees"] = message
            message = ""
        return _render_assign(
            request, doc, t, rows, values, status=status, errors=field_errors, error=message
        )
    messages.success(
        request,
        _("Đã %(action)s: %(count)s đơn vị, cá nhân được giao; văn bản chuyển sang «%(state)s».")
        % {
            "action": choice_label(t.label if t and t.label else action).lower(),
            "count": len(rows),
            "state": choice_label(updated.workflow_state),
        },
    )
    return redirect(dp.doc_base_url(updated))
