"""The audit log over the API: read with ``/api/resource/Audit Log`` (administrators only,
read-only), exported with ``/api/method/eoffice.audit.export?format=csv|xlsx``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.api.methods import whitelist

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(request, params: dict) -> HttpResponse:
    """The export file; refused unless the user is an administrator. Audited itself."""
    from eoffice import audit
    from eoffice.audit import export
    from eoffice.audit.models import AuditEvent

    if not permissions.is_admin(request.user):
        raise exc.PermissionError(_("Chỉ quản trị hệ thống được xem và xuất nhật ký hệ thống."))
    kind = str(params.get("format") or "csv").lower()
    if kind not in CONTENT_TYPES:
        raise exc.ValidationError(_("Định dạng xuất phải là csv hoặc xlsx."))
    try:
        qs = export.filtered(params)
    except ValueError as error:
        raise exc.ValidationError(str(error)) from None
    body = export.as_csv(qs) if kind == "csv" else export.as_xlsx(qs)
    audit.record(
        AuditEvent.EXPORT,
        user=request.user,
        doctype="Audit Log",
        detail=f"{kind}; " + ", ".join(f"{k}={params[k]}" for k in sorted(params) if k != "format"),
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{stamp}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@whitelist("eoffice.audit.export", methods=("GET",))
def export_log(request, **params):
    """The audit log as CSV or Excel (``format``; filters ``event``, ``user``, ``doctype``,
    ``name``, ``from``, ``to``), for administrators."""
    return export_response(request, params)
