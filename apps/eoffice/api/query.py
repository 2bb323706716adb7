"""Frappe's ``get_list``: one permission-filtered SELECT for a page of a DocType.

``fields`` (``["*"]`` for all, ``"field as alias"``, aggregates ``count(name) as n``,
``sum(field)``, ``avg``, ``min``, ``max``), ``filters`` / ``or_filters`` (see
:mod:`eoffice.api.filters`), ``order_by`` (``"field asc, field2 desc"``), ``group_by``,
``limit_start``, ``limit_page_length`` (0 means all, as in Frappe) and ``as_dict``.

Every list goes through :func:`eoffice.permissions.filter_queryset`, so a user never sees a
row outside their scope, in a list, a count or a single value. Links come from a join on the
target's ``name`` (one query per page, no N+1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min, Sum
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.api.errors import DataError
from eoffice.api.filters import FieldRef, build_filters, doctype_label, resolve_field
from eoffice.api.serialize import wire_fields, wire_value

DEFAULT_PAGE_LENGTH = 20
AGGREGATES = {"count": Count, "sum": Sum, "avg": Avg, "min": Min, "max": Max}
AGGREGATE_RE = re.compile(
    r"(?P<func>count|sum|avg|min|max)\s*\(\s*(?P<distinct>distinct\s+)?(?P<arg>[^()]*?)\s*\)"
    r"(?:\s+as\s+(?P<alias>[A-Za-z_][A-Za-z0-9_]*|`[^`]+`))?",
    re.IGNORECASE,
)
ALIAS_RE = re.compile(r"(?P<field>.+?)\s+as\s+(?P<alias>[A-Za-z_][A-Za-z0-9_]*|`[^`]+`)", re.I)


@dataclass
class Column:
    """One requested column: a field (``ref``) or an aggregate (``func`` over ``ref``)."""

    alias: str
    ref: FieldRef | None = None
    func: str | None = None
    distinct: bool = False
    internal: str = ""  # the annotation name used in the query for an aggregate

    @property
    def is_aggregate(self) -> bool:
        return self.func is not None

    def expression(self):
        arg = self.ref.path if self.ref else "pk"
        return AGGREGATES[self.func](arg, distinct=self.distinct)


def require_read(user, meta, ptype: str = "read") -> None:
    """Anonymous requests are refused (Frappe's 403); so is ``ptype`` the roles do not give.

    Reading is not refused here for a logged-in user: the permission layer narrows what they
    read to what their roles and units allow, possibly nothing, so a list is then empty and
    a single document "not found" (its existence is never revealed).
    """
    if not getattr(user, "is_authenticated", False):
        raise exc.PermissionError(_("Bạn cần đăng nhập để truy cập dữ liệu này."))
    if ptype != "read" and not permissions.role_allows(user, meta, ptype):
        raise exc.PermissionError(
            _("Bạn không có quyền {ptype} {label}.").format(
                ptype=PTYPE_WORDS.get(ptype, ptype), label=doctype_label(meta)
            )
        )


PTYPE_WORDS = {"read": "xem", "write": "sửa", "create": "tạo", "delete": "xóa"}


def _strip_alias(alias: str) -> str:
    return alias.strip("`")


def parse_fields(meta, fields) -> list[Column]:
    """The requested columns; default ``name``; ``*`` expands to every field that travels."""
    if fields in (None, "", []):
        fields = ["name"]
    if isinstance(fields, str):
        fields = [part for part in fields.split(",") if part.strip()]
    if not isinstance(fields, list | tuple):
        raise DataError(_("Tham số 'fields' phải là một danh sách tên trường."))
    columns: list[Column] = []
    for raw in fields:
        if not isinstance(raw, str):
            raise DataError(_("Tên trường phải là chuỗi, không phải '{v}'.").format(v=str(raw)))
        text = raw.strip()
        if text in ("*", "`*`") or re.fullmatch(r"`?tab[^`.]+`?\.\*", text):
            columns += [
                Column(alias=f.name, ref=resolve_field(meta, f.name))
                for f in wire_fields(meta.model, meta)
            ]
            continue
        agg = AGGREGATE_RE.fullmatch(text)
        if agg:
            arg = agg.group("arg")
            ref = None if arg in ("*", "", "1") else resolve_field(meta, arg)
            func = agg.group("func").lower()
            if func != "count" and ref is None:
                raise DataError(_("Hàm {func} cần một tên trường.").format(func=func))
            alias = _strip_alias(agg.group("alias") or func)
            columns.append(
                Column(alias=alias, ref=ref, func=func, distinct=bool(agg.group("distinct")))
            )
            continue
        aliased = ALIAS_RE.fullmatch(text)
        if aliased:
            ref = resolve_field(meta, aliased.group("field"))
            columns.append(Column(alias=_strip_alias(aliased.group("alias")), ref=ref))
            continue
        ref = resolve_field(meta, text)
        if ref.prefix:
            raise DataError(
                _("Không lấy được trường của bảng con trong danh sách: {f}").format(f=text)
            )
        columns.append(Column(alias=ref.name, ref=ref))
    for i, column in enumerate(columns):
        column.internal = f"_agg{i}"
    return columns


def parse_order_by(meta, order_by, columns: list[Column], grouped: bool) -> list[str]:
    """``"field asc, field2 desc"`` as ORM ordering; every field is checked, nothing is SQL."""
    if order_by in (None, "") or str(order_by).strip() in ("", "KEEP_DEFAULT_ORDERING"):
        return []
    if not isinstance(order_by, str):
        raise DataError(_("Tham số 'order_by' phải là chuỗi, ví dụ \"modified desc\"."))
    by_alias = {c.alias: c for c in columns}
    ordering = []
    for part in order_by.split(","):
        text = part.strip()
        if not text:
            continue
        direction = "asc"
        match = re.fullmatch(r"(?P<field>.+?)\s+(?P<dir>asc|desc)", text, re.IGNORECASE)
        if match:
            text, direction = match.group("field").strip(), match.group("dir").lower()
        sign = "-" if direction == "desc" else ""
        alias = _strip_alias(text)
        if grouped and alias in by_alias and by_alias[alias].is_aggregate:
            ordering.append(sign + by_alias[alias].internal)
            continue
        ref = resolve_field(meta, text)
        if ref.prefix:
            raise DataError(_("Không sắp xếp được theo trường của bảng con: {f}").format(f=text))
        ordering.append(sign + ref.path)
    return ordering


def default_ordering(model) -> list[str]:
    """The DocType's own order (its model's ``Meta.ordering``), else newest change first."""
    ordering = list(model._meta.ordering or [])
    if not ordering:
        ordering = ["-modified"] if any(f.name == "modified" for f in model._meta.fields) else []
    return ordering


def get_list(
    user,
    meta,
    *,
    fields=None,
    filters=None,
    or_filters=None,
    order_by=None,
    group_by=None,
    limit_start: int = 0,
    limit_page_length: int | None = DEFAULT_PAGE_LENGTH,
    as_dict: bool = True,
) -> list:
    """Rows of ``meta`` that ``user`` may read, as Frappe's ``frappe.get_list`` returns them."""
    require_read(user, meta)
    columns = parse_fields(meta, fields)
    condition, joins_child = build_filters(meta, filters, or_filters)
    group_refs = _parse_group_by(meta, group_by)
    grouped = bool(group_refs)
    ordering = parse_order_by(meta, order_by, columns, grouped)

    qs = permissions.filter_queryset(user, meta, meta.model.objects.all(), "read")
    qs = qs.filter(condition)
    if joins_child:
        qs = qs.distinct()
    aggregates = [c for c in columns if c.is_aggregate]
    plain = [c for c in columns if not c.is_aggregate]

    if aggregates and not grouped:
        if plain:
            raise DataError(
                _(
                    "Khi dùng hàm tổng hợp ({funcs}) mà không có group_by, không được lấy thêm "
                    "trường thường ({fields})."
                ).format(
                    funcs=", ".join(c.func for c in aggregates),
                    fields=", ".join(c.alias for c in plain),
                )
            )
        values = qs.aggregate(**{c.internal: c.expression() for c in aggregates})
        row = [_aggregate_value(values[c.internal]) for c in aggregates]
        return [dict(zip([c.alias for c in aggregates], row, strict=True)) if as_dict else row]

    if grouped:
        group_paths = [ref.path for ref in group_refs]
        outside = [c.alias for c in plain if c.ref.path not in group_paths]
        if outside:
            raise DataError(
                _("Trường {fields} phải nằm trong group_by hoặc dùng hàm tổng hợp.").format(
                    fields=", ".join(outside)
                )
            )
        qs = qs.values(*group_paths).annotate(**{c.internal: c.expression() for c in aggregates})
        qs = qs.order_by(*(ordering or group_paths))
        paths = [c.internal if c.is_aggregate else c.ref.path for c in columns]
    else:
        ordering = ordering or default_ordering(meta.model)
        if "pk" not in ordering and "-pk" not in ordering:
            ordering = [*ordering, "pk"]  # a stable order, so pages never overlap
        qs = qs.order_by(*ordering)
        paths = [c.ref.path for c in columns]

    if limit_page_length:
        qs = qs.values_list(*paths)[limit_start : limit_start + limit_page_length]
    else:
        qs = qs.values_list(*paths)[limit_start:]
    rows = []
    for raw in qs:
        row = [
            _aggregate_value(v) if c.is_aggregate else _column_value(c, v)
            for c, v in zip(columns, raw, strict=True)
        ]
        rows.append(dict(zip([c.alias for c in columns], row, strict=True)) if as_dict else row)
    return rows


def _column_value(column: Column, value):
    if column.ref.is_link:
        return value
    return wire_value(column.ref.field, value)


def _aggregate_value(value):
    return wire_value(None, value)


def _parse_group_by(meta, group_by) -> list[FieldRef]:
    if group_by in (None, ""):
        return []
    if not isinstance(group_by, str):
        raise DataError(_("Tham số 'group_by' phải là chuỗi tên trường."))
    refs = []
    for part in group_by.split(","):
        if part.strip():
            ref = resolve_field(meta, part)
            if ref.prefix:
                raise DataError(_("Không nhóm được theo trường của bảng con: {f}").format(f=part))
            refs.append(ref)
    return refs


def count(user, meta, filters=None, or_filters=None) -> int:
    """How many rows of ``meta`` match, among those ``user`` may read."""
    require_read(user, meta)
    condition, joins_child = build_filters(meta, filters, or_filters)
    qs = permissions.filter_queryset(user, meta, meta.model.objects.all(), "read")
    qs = qs.filter(condition)
    if joins_child:
        qs = qs.distinct()
    return qs.count()


def list_args(params: dict) -> dict:
    """The keyword arguments of :func:`get_list` from request parameters (Frappe's names).

    ``limit_page_length`` wins over ``limit`` (Frappe's v1 API); both default to 20, and 0
    means every row.
    """
    from eoffice.api.params import bool_param, int_param, json_param

    if params.get("limit_page_length") not in (None, ""):
        page = int_param(params["limit_page_length"], "limit_page_length")
    elif params.get("limit") not in (None, ""):
        page = int_param(params["limit"], "limit")
    elif params.get("page_length") not in (None, ""):
        page = int_param(params["page_length"], "page_length")
    else:
        page = DEFAULT_PAGE_LENGTH
    start = params.get("limit_start")
    if start in (None, ""):
        start = params.get("start")
    return {
        "fields": json_param(params.get("fields"), "fields")
        if isinstance(params.get("fields"), str) and params["fields"].strip().startswith("[")
        else params.get("fields"),
        "filters": json_param(params.get("filters"), "filters"),
        "or_filters": json_param(params.get("or_filters"), "or_filters"),
        "order_by": params.get("order_by"),
        "group_by": params.get("group_by"),
        "limit_start": int_param(start, "limit_start", 0),
        "limit_page_length": page,
        "as_dict": bool_param(params.get("as_dict"), "as_dict", default=True),
    }
