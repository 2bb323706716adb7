"""``POST /app/assignment/<name>/<operation>``: what is done to one assignment.

Each operation calls the function of the same idea in :mod:`eoffice.doctype.assignment`,
where the rules are (who may, in which status, which dates):

| operation | function |
| --- | --- |
| ``hand-down`` | ``hand_down`` (the lead's first hand-down is the workflow action "Giao xử lý") |
| ``progress`` | ``report_progress`` |
| ``extend`` | ``request_extension`` |
| ``approve-extension`` / ``refuse-extension`` | ``decide_extension`` |
| ``recall`` | ``recall`` |
| ``complete`` | ``complete_assignment`` |
| ``read`` | ``mark_read`` |

On success the person goes back where they came from (``next``: the document page or an
inbox); a refusal shows the document page again with the form open and the message next to
its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eoffice import exceptions as exc
from eoffice.desk import document_page as dp
from eoffice.desk.access import visible
from eoffice.desk.actions import OPERATION_DONE
from eoffice.desk.context import render_desk
from eoffice.desk.fields import parse_date
from eoffice.desk.views.documents import render_document, status_of

#: Operation in the URL → the key of its button (eoffice.desk.actions).
ACTION_KEYS = {
    "hand-down": "hand_down",
    "progress": "progress",
    "extend": "extend",
    "approve-extension": "approve",
    "refuse-extension": "refuse",
    "recall": "recall",
    "complete": "complete",
    "read": "read",
}


def _date(data, key: str):
    """A typed date as the doctype functions take it (ISO), or the text itself to be refused."""
    text = (data.get(key) or "").strip()
    if not text:
        return None
    day = parse_date(text)
    return day.isoformat() if day else text


def run(operation: str, a, user, data):
    """Do ``operation`` on the assignment ``a`` as ``user`` with the posted ``data``."""
    from eoffice.doctype import assignment as service

    if operation == "hand-down":
        return service.hand_down(
            a, user, data.get("assign_to") or None, _date(data, "deadline"), data.get("note", "")
        )
    if operation == "progress":
        return service.report_progress(a, user, data.get("content", ""))
    if operation == "extend":
        return service.request_extension(
            a, user, _date(data, "new_deadline"), data.get("reason", "")
        )
    if operation in ("approve-extension", "refuse-extension"):
        pending = a.extension_requests.filter(name=data.get("request_name", "")).first()
        if pending is None:
            raise exc.ValidationError(_("Không tìm thấy đề nghị gia hạn của việc này."))
        approve = operation == "approve-extension"
        return service.decide_extension(
            pending,
            user,
            approve,
            data.get("note", ""),
            _date(data, "new_deadline") if approve else None,
        )
    if operation == "recall":
        return service.recall(a, user, data.get("reason", ""))
    if operation == "complete":
        return service.complete_assignment(
            a, user, data.get("result", ""), data.get("reply_document", "")
        )
    if operation == "read":
        return service.mark_read(a, user)
    raise Http404(_("Không có thao tác này."))


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def assignment_operation(request, name: str, operation: str):
    """Do one operation on an assignment the person may read; 404 for one they may not."""
    if operation not in ACTION_KEYS:
        raise Http404(_("Không có thao tác này."))
    user = request.user
    a = visible(user, "Assignment").filter(name=name).select_related("unit").first()
    if a is None:
        raise Http404(_("Không tìm thấy việc được giao, hoặc anh/chị không có quyền xem."))
    doc = visible(user, a.reference_doctype).filter(name=a.reference_name).first()
    page = dp.doc_base_url(doc) if doc is not None else "/app"
    data = {k: (v or "").strip() for k, v in request.POST.items()}
    try:
        result = run(operation, a, user, data)
    except exc.EofficeError as error:
        if doc is None:
            return render_desk(
                request,
                "desk/forbidden.html",
                {"title": _("Không thực hiện được"), "message": error.message},
                status=status_of(error),
            )
        a.refresh_from_db()
        node = next((n for n in dp.flatten(dp.assignment_tree(doc, user)) if n.a.pk == a.pk), None)
        failed = None
        if node is not None:
            failed = next((x for x in node.actions if x.key == ACTION_KEYS[operation]), None)
        if failed is not None:
            failed.fill(request.POST, error.field, error.message)
            failed.hidden["next"] = request.POST.get("next", "")
        return render_document(
            request,
            doc,
            status=status_of(error),
            failed=failed,
            page_error=None if failed is not None else error.message,
        )
    who = getattr(getattr(result, "assigned_to", None), "full_name", "")
    messages.success(request, str(OPERATION_DONE[operation]) % {"who": who})
    return redirect(_next_url(request, page))
