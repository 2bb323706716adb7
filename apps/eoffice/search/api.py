"""Frappe's global search over HTTP: ``/api/method/frappe.utils.global_search.search``.

Parameters as Frappe names them (``text``, ``doctype``, ``start``, ``limit``), answer as
Frappe sends it: ``{"message": [{"doctype", "name", "content", "title", …}]}``, so a Frappe
client searches unchanged. Extra optional filters: ``document_type``, ``workflow_state``,
``unit`` (ids, comma-separated), ``from_date`` and ``to_date`` (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.api.methods import whitelist


def _int(value, default, name):
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exc.ValidationError(
            _("'{name}' phải là một số nguyên.").format(name=name), field=name
        ) from None
    if number < 0:
        raise exc.ValidationError(_("'{name}' không được âm.").format(name=name), field=name)
    return number


def _date(value, name):
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise exc.ValidationError(
            _("'{name}' phải là ngày dạng YYYY-MM-DD.").format(name=name), field=name
        ) from None


def _list(value):
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v.strip() for v in str(value).split(",") if v.strip()]


@whitelist("frappe.utils.global_search.search", methods=("GET", "POST"))
def global_search(
    request,
    text="",
    doctype=None,
    start=0,
    limit=20,
    document_type=None,
    workflow_state=None,
    unit=None,
    from_date=None,
    to_date=None,
    **_rest,
):
    """Search the documents the user may read (Frappe's global search)."""
    from eoffice import search

    if not getattr(request.user, "is_authenticated", False):
        raise exc.PermissionError(_("Bạn cần đăng nhập để tìm kiếm."))
    text = str(text or "")
    if len(text) > 500:
        raise exc.ValidationError(_("Nội dung tìm kiếm quá dài (tối đa 500 ký tự)."), field="text")
    try:
        units = [int(u) for u in _list(unit)]
    except ValueError:
        raise exc.ValidationError(_("'unit' phải là mã số đơn vị."), field="unit") from None
    filters = search.Filters(
        document_type=_list(document_type),
        workflow_state=_list(workflow_state),
        units=units,
        date_from=_date(from_date, "from_date"),
        date_to=_date(to_date, "to_date"),
    )
    results = search.search(
        search.scope_for(request.user),
        text,
        doctype=str(doctype) if doctype else None,
        filters=filters,
        start=_int(start, 0, "start"),
        limit=min(_int(limit, 20, "limit") or 20, 200),
    )
    return [hit.as_dict() for hit in results.hits]
