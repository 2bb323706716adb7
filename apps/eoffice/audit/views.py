"""The audit log page of the desk, for administrators: ``/audit-log``, filters and export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.desk.context import render_desk


def _forbidden(request):
    return render_desk(
        request,
        "desk/forbidden.html",
        {
            "title": _("Không có quyền truy cập"),
            "message": _("Nhật ký hệ thống chỉ dành cho người có vai trò Quản trị."),
        },
        status=403,
    )


def audit_log(request):
    """The newest rows first, 50 a page; ``?format=csv|xlsx`` downloads the filtered rows."""
    from django.contrib.auth.views import redirect_to_login

    from eoffice.audit import export
    from eoffice.audit.api import export_response
    from eoffice.audit.models import AuditEvent

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.is_admin(request.user):
        return _forbidden(request)
    params = {k: v for k, v in request.GET.items() if v}
    if params.get("format"):
        try:
            return export_response(request, params)
        except exc.EofficeError as error:
            return HttpResponse(error.message, status=error.http_status, content_type="text/plain")
    try:
        qs = export.filtered(params).order_by("-creation", "-id")
    except ValueError as error:
        qs, problem = export.filtered({}).order_by("-creation", "-id"), str(error)
    else:
        problem = ""
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in params.items() if k != "page")
    return render_desk(
        request,
        "audit/log.html",
        {
            "title": _("Nhật ký hệ thống"),
            "page": page,
            "params": params,
            "query": query,
            "events": AuditEvent.choices,
            "problem": problem,
        },
    )
