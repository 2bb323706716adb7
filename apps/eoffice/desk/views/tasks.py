"""Tasks ("Giao việc"): work a leader gives without a document.

``/app/task/new`` writes the task and its rows (units and people, roles, deadlines) in one
screen; "Giao việc" saves it and runs the workflow action of the same name in one transaction
(an error leaves nothing stored), "Lưu nháp" keeps it as a draft to give later from its page.
The task's page is the document page (:mod:`eoffice.desk.views.documents`): files, the
assignments tree with the same buttons as for a document, the timeline.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.desk import assignee_rows, pickers
from eoffice.desk import document_page as dp
from eoffice.desk.context import render_desk
from eoffice.desk.fields import format_date
from eoffice.desk.task_forms import TaskForm
from eoffice.desk.views.documents import attach_uploaded, store_uploads
from eoffice.doctype.base import get_meta
from eoffice.permissions import role_allows

ACTION = "Giao việc"


def _default_deadline() -> str:
    """A task's default deadline from today, by the site's rules (eoffice.calendar)."""
    from django.utils import timezone

    from eoffice import calendar

    return format_date(calendar.default_deadline(timezone.localdate()))


def _page(request, form, rows, *, status=200, error="", errors=None, units=()):
    unit = units[0] if units else None
    if form.is_bound and form.is_valid():
        unit = form.cleaned_data.get("assigning_unit") or unit
    return render_desk(
        request,
        "desk/tasks/new.html",
        {
            "title": _("Giao việc mới"),
            "form": form,
            "rows": assignee_rows.with_spares(rows, _default_deadline(), 1 if rows else 2),
            "role_choices": assignee_rows.role_choices(),
            "choices": pickers.direction_choices(unit),
            "default_deadline": _default_deadline(),
            "error": error,
            "errors": errors or {},
        },
        active="task_new",
        status=status,
    )


@login_required
def task_new(request):
    """``/app/task/new``: write a task and give it to units and people in one screen."""
    from eoffice.workflows.engine import apply_workflow

    user = request.user
    units = pickers.units_led_by(user)
    if not role_allows(user, get_meta("Task"), "create") or not units:
        return render_desk(
            request,
            "desk/forbidden.html",
            {
                "title": _("Không có quyền giao việc"),
                "message": _("Chỉ lãnh đạo (cơ quan hoặc đơn vị) mới giao việc."),
            },
            status=403,
        )
    if request.method != "POST":
        rows = [assignee_rows.Row(handling_role="Chủ trì", deadline=_default_deadline())]
        return _page(request, TaskForm(units=units), rows, units=units)

    form = TaskForm(request.POST, units=units)
    rows = assignee_rows.filled(assignee_rows.from_post(request.POST))
    if "add_group" in request.POST or "add_row" in request.POST:
        unit = units[0]
        if form.is_valid():
            unit = form.cleaned_data["assigning_unit"]
        if "add_group" in request.POST:
            choices = pickers.direction_choices(unit)
            assignee_rows.add_group(
                rows,
                choices.group(request.POST.get("group", "")),
                request.POST.get("group_role") or "Phối hợp",
                _default_deadline(),
            )
        else:
            rows.append(assignee_rows.Row(deadline=_default_deadline()))
        return _page(request, form, rows, units=units)
    if not form.is_valid():
        return _page(request, form, rows, status=400, units=units)
    choices = pickers.direction_choices(form.cleaned_data["assigning_unit"])
    if not assignee_rows.check_typing(
        rows, choices.unit_names, {p.email.lower() for p in choices.people}
    ):
        return _page(
            request, form, rows, status=400, units=units,
            error=_("Vui lòng sửa các ô được đánh dấu."),
        )  # fmt: skip
    draft = "save_draft" in request.POST
    try:
        with transaction.atomic():
            task = form.save(commit=False)
            task.owner = user.name
            task.modified_by = user.name
            task.save()
            store_uploads(request.FILES.getlist("files"), task, user)
            attach_uploaded(request.POST.getlist("file_names"), task, user)
            wire = assignee_rows.to_wire(rows)
            if draft:
                _save_draft_rows(task, user, wire)
            else:
                payload = {"assignees": wire}
                if task.deadline:
                    payload["deadline"] = task.deadline.isoformat()
                apply_workflow(task, ACTION, user, **payload)
    except exc.EofficeError as error:
        field_errors = {}
        message = error.message
        if error.field == "assignees" or assignee_rows.mark_error(rows, message):
            assignee_rows.mark_error(rows, message)
            field_errors["assignees"] = message
            message = ""
        return _page(
            request, form, rows, status=status_for(error), units=units, error=message,
            errors=field_errors,
        )  # fmt: skip
    if draft:
        messages.success(request, _("Đã lưu nháp công việc «%(title)s».") % {"title": task.title})
    else:
        messages.success(
            request,
            _("Đã giao việc «%(title)s» cho %(count)s đơn vị, cá nhân.")
            % {"title": task.title, "count": len(rows)},
        )
    return redirect(dp.doc_base_url(task))


def status_for(error) -> int:
    from eoffice.desk.views.documents import status_of

    return status_of(error)


def _save_draft_rows(task, user, wire: list[dict]) -> None:
    """A draft keeps its rows in the task's ``assignees`` child table, written the way an API
    client's PUT writes them (write permission, the state's ``allow_edit``, the rows' rules)."""
    from eoffice.api.documents import update_doc

    if wire:
        update_doc(user, get_meta("Task"), task.name, {"assignees": wire})
