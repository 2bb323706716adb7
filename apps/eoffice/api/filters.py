"""Frappe's query language (field names and filters) turned into Django queries.

Nothing a client sends is ever put into SQL text: field names are looked up among the
DocType's fields (an unknown one is an error, a hidden one is refused), operators come from a
fixed table, and values travel as query parameters, so a value that looks like SQL is matched
literally.

Filters come in Frappe's forms:

- list: ``[["Organization Unit", "kind", "=", "Xã"], ["kind", "in", ["Xã", "Thị trấn"]]]``
  (the DocType is optional; naming a child table's DocType filters on its rows);
- dict: ``{"kind": "Xã"}`` or ``{"kind": ["in", ["Xã", "Thị trấn"]]}``.

Operators: ``=``, ``!=``, ``>``, ``<``, ``>=``, ``<=``, ``like``, ``not like``, ``in``,
``not in``, ``is`` (``set`` / ``not set``), ``between``, and for trees (units)
``descendants of``, ``not descendants of``, ``ancestors of``, ``not ancestors of``.
A link filters by the target's ``name``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core import exceptions as django_exceptions
from django.db import models
from django.db.models import Lookup, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.api.errors import DataError
from eoffice.api.params import bool_param
from eoffice.api.serialize import INTERNAL_FIELDS, child_doctype_name


@models.Field.register_lookup
class FrappeLike(Lookup):
    """SQL ``LIKE`` with the client's pattern as given (``%`` and ``_`` are wildcards).

    Django's own ``contains`` escapes the wildcards; Frappe passes them through. The pattern is
    still a query parameter, never SQL text. Under MariaDB's accent-folding collation
    ``like "%dong du%"`` finds "Đông Dư".
    """

    lookup_name = "frappe_like"
    prepare_rhs = False

    def process_rhs(self, compiler, connection):
        return "%s", [str(self.rhs)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


OPERATORS = {
    "=",
    "!=",
    ">",
    "<",
    ">=",
    "<=",
    "like",
    "not like",
    "in",
    "not in",
    "is",
    "between",
    "descendants of",
    "not descendants of",
    "ancestors of",
    "not ancestors of",
}
OPERATOR_ALIASES = {"<>": "!=", "==": "=", "not_in": "not in", "not_like": "not like"}


def doctype_label(meta) -> str:
    """The name a person reads for a DocType: the model's verbose name."""
    return str(meta.model._meta.verbose_name)


@dataclass(frozen=True)
class FieldRef:
    """A field a client named, resolved: where it lives and how to query and send it."""

    name: str  # the wire name
    field: models.Field
    model: type
    prefix: str = ""  # "<table field>__" when the field is on a child table's rows

    @property
    def is_link(self) -> bool:
        return isinstance(self.field, models.ForeignKey)

    @property
    def path(self) -> str:
        """The ORM path of the value the wire carries (a link's target ``name``)."""
        base = self.prefix + self.field.name
        if self.is_link:
            target = self.field.related_model
            return base + ("__name" if _has_field(target, "name") else "__pk")
        return base

    @property
    def label(self) -> str:
        return str(self.field.verbose_name)


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except django_exceptions.FieldDoesNotExist:
        return False
    return True


QUALIFIED = re.compile(r"`?tab([^`.]+)`?\s*\.\s*`?([A-Za-z_][A-Za-z0-9_]*)`?")
PLAIN = re.compile(r"`?([A-Za-z_][A-Za-z0-9_]*)`?")


def _unknown(meta, raw: str) -> DataError:
    return DataError(
        _("Trường '{field}' không có trong {label} ({doctype}).").format(
            field=str(raw)[:100], label=doctype_label(meta), doctype=meta.name
        )
    )


def resolve_field(meta, raw, child_doctype: str | None = None) -> FieldRef:
    """The field ``raw`` of the DocType (or of its child table ``child_doctype``).

    ``raw`` may be Frappe's qualified form `` `tabDocType`.`field` ``. An unknown field is a
    :class:`DataError`; a hidden one (``password``) a ``PermissionError``.
    """
    if not isinstance(raw, str):
        raise _unknown(meta, repr(raw))
    text = raw.strip()
    match = QUALIFIED.fullmatch(text)
    if match:
        child_doctype, name = match.group(1), match.group(2)
    else:
        match = PLAIN.fullmatch(text)
        if not match:
            raise _unknown(meta, text)
        name = match.group(1)
    model, prefix, hidden = meta.model, "", set(meta.hidden_fields)
    if child_doctype and child_doctype != meta.name:
        for table_field, child_model in meta.child_tables.items():
            if child_doctype in (child_doctype_name(child_model), table_field):
                child_meta = getattr(child_model, "_doctype", None)
                model, prefix = child_model, table_field + "__"
                hidden = set(child_meta.hidden_fields) if child_meta else set()
                break
        else:
            raise DataError(
                _("'{child}' không phải là bảng con của {doctype}.").format(
                    child=str(child_doctype)[:100], doctype=meta.name
                )
            )
    if name in hidden:
        raise exc.PermissionError(
            _("Không được truy vấn trường '{field}' của {label}.").format(
                field=name, label=doctype_label(meta)
            )
        )
    if name in INTERNAL_FIELDS:
        raise _unknown(meta, name)
    try:
        field = model._meta.get_field(name)
    except django_exceptions.FieldDoesNotExist:
        raise _unknown(meta, name) from None
    if not getattr(field, "concrete", False):
        raise _unknown(meta, name)
    return FieldRef(name=name, field=field, model=model, prefix=prefix)


# ---------------------------------------------------------------------------------------
# Values


def _bad_value(ref: FieldRef, value) -> DataError:
    return DataError(
        _("Giá trị '{value}' không hợp lệ cho trường '{label}' ({field}).").format(
            value=str(value)[:100], label=ref.label, field=ref.name
        )
    )


def coerce_value(ref: FieldRef, value, end_of_day: bool = False):
    """A filter value as the field's Python type (links compare by ``name``, as text)."""
    if value is None:
        return None
    if isinstance(value, dict | list | tuple):
        raise _bad_value(ref, value)
    field = ref.field
    if ref.is_link or isinstance(field, models.CharField | models.TextField):
        return str(value)
    if isinstance(field, models.BooleanField):
        try:
            return bool_param(value, ref.name)
        except DataError:
            raise _bad_value(ref, value) from None
    try:
        if isinstance(field, models.DateTimeField):
            text = str(value).strip()
            parsed = field.to_python(text)
            if end_of_day and len(text) <= 10:  # a date alone: up to the end of that day
                parsed = datetime.datetime.combine(parsed.date(), datetime.time.max)
            if parsed is not None and timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed
        return field.to_python(value)
    except (django_exceptions.ValidationError, TypeError, ValueError, OverflowError):
        raise _bad_value(ref, value) from None


def _is_textual(ref: FieldRef) -> bool:
    return not ref.is_link and isinstance(ref.field, models.CharField | models.TextField)


def _set_q(ref: FieldRef) -> Q:
    """``is set``: not null, and for text not empty (Frappe's ``ifnull(field, '') != ''``)."""
    if ref.is_link:
        return Q(**{ref.prefix + ref.field.name + "__isnull": False})
    q = Q(**{ref.path + "__isnull": False})
    if _is_textual(ref):
        q &= ~Q(**{ref.path: ""})
    return q


def _list_values(ref: FieldRef, value) -> list:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    elif not isinstance(value, list | tuple):
        value = [value]
    return [coerce_value(ref, v) for v in value]


def _tree_q(ref: FieldRef, op: str, value) -> Q:
    """Descendants / ancestors in a tree of rows that keep a materialised ``path``."""
    if ref.is_link:
        target_model, base = ref.field.related_model, ref.prefix + ref.field.name + "__"
    elif ref.name == "name":
        target_model, base = ref.model, ref.prefix
    else:
        target_model, base = None, ""
    if target_model is None or not _has_field(target_model, "path"):
        raise DataError(
            _("Toán tử '{op}' chỉ dùng được với liên kết tới một cây (ví dụ đơn vị).").format(op=op)
        )
    node = target_model.objects.filter(name=str(value)).values("pk", "path").first()
    negate = op.startswith("not ")
    if node is None:
        q = Q(pk__in=[])
    elif op.endswith("descendants of"):
        q = Q(**{base + "path__startswith": node["path"]}) & ~Q(**{base + "pk": node["pk"]})
    else:
        parts = node["path"].split("/")[:-1]
        prefixes = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
        q = Q(**{base + "path__in": prefixes}) if prefixes else Q(pk__in=[])
    return ~q if negate else q


def condition(ref: FieldRef, op, value) -> Q:
    """One filter as a ``Q``; the operator comes from :data:`OPERATORS`, never from SQL."""
    op = OPERATOR_ALIASES.get(str(op).strip().lower(), " ".join(str(op).lower().split()))
    if op not in OPERATORS:
        raise DataError(
            _("Toán tử lọc '{op}' không được hỗ trợ. Dùng: {ops}.").format(
                op=str(op)[:30], ops=", ".join(sorted(OPERATORS))
            )
        )
    path = ref.path
    if op in ("=", "!="):
        coerced = coerce_value(ref, value)
        if coerced is None or (coerced == "" and not _is_textual(ref)):
            q = ~_set_q(ref)
        else:
            q = Q(**{path: coerced})
        return ~q if op == "!=" else q
    if op in (">", "<", ">=", "<="):
        lookup = {">": "gt", "<": "lt", ">=": "gte", "<=": "lte"}[op]
        coerced = coerce_value(ref, value, end_of_day=op in (">", "<="))
        if coerced is None:
            raise _bad_value(ref, value)
        return Q(**{f"{path}__{lookup}": coerced})
    if op in ("like", "not like"):
        if value is None or isinstance(value, dict | list | tuple):
            raise _bad_value(ref, value)
        q = Q(**{path + "__frappe_like": str(value)})
        return ~q if op == "not like" else q
    if op in ("in", "not in"):
        values = [v for v in _list_values(ref, value) if v is not None]
        q = Q(**{path + "__in": values})
        return ~q if op == "not in" else q
    if op == "is":
        word = " ".join(str(value).lower().split())
        if word == "set":
            return _set_q(ref)
        if word == "not set":
            return ~_set_q(ref)
        raise DataError(
            _("Toán tử 'is' chỉ nhận 'set' hoặc 'not set', không phải '{value}'.").format(
                value=str(value)[:50]
            )
        )
    if op == "between":
        values = value.split(",") if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or len(values) != 2:
            raise DataError(
                _("Toán tử 'between' cần đúng hai giá trị [từ, đến] cho trường '{label}'.").format(
                    label=ref.label
                )
            )
        low = coerce_value(ref, values[0])
        high = coerce_value(ref, values[1], end_of_day=True)
        if low is None or high is None:
            raise _bad_value(ref, value)
        return Q(**{path + "__range": (low, high)})
    return _tree_q(ref, op, value)


# ---------------------------------------------------------------------------------------
# Filter lists


def _filter_items(filters) -> list:
    """Frappe's filter forms as ``(doctype | None, field, op, value)`` tuples."""
    if filters in (None, "", [], {}):
        return []
    if isinstance(filters, dict):
        items = []
        for field, value in filters.items():
            if isinstance(value, list | tuple) and value and isinstance(value[0], str):
                op = value[0]
                if op.strip().lower() not in OPERATORS and op.strip() not in OPERATOR_ALIASES:
                    raise DataError(
                        _(
                            "Bộ lọc của trường '{field}' phải có dạng [toán tử, giá trị]; "
                            "'{op}' không phải toán tử."
                        ).format(field=field, op=op[:30])
                    )
                items.append((None, field, op, value[1] if len(value) > 1 else None))
            else:
                items.append((None, field, "=", value))
        return items
    if isinstance(filters, list | tuple):
        # A single filter given flat: ["kind", "=", "Xã"].
        if filters and isinstance(filters[0], str):
            filters = [filters]
        items = []
        for item in filters:
            if not isinstance(item, list | tuple) or len(item) < 2:
                raise DataError(
                    _("Bộ lọc '{item}' phải có dạng [trường, toán tử, giá trị].").format(
                        item=str(item)[:100]
                    )
                )
            if len(item) == 2:
                items.append((None, item[0], "=", item[1]))
            elif len(item) == 3:
                items.append((None, item[0], item[1], item[2]))
            else:
                items.append((item[0], item[1], item[2], item[3]))
        return items
    raise DataError(
        _(
            "Tham số 'filters' phải là một danh sách hoặc một đối tượng JSON, không phải '{v}'."
        ).format(v=str(filters)[:100])
    )


def build_filters(meta, filters, or_filters=None) -> tuple[Q, bool]:
    """``filters`` (all must hold) and ``or_filters`` (one must hold) as one ``Q``.

    The second value tells whether a child table is joined (the caller then asks for
    distinct rows).
    """
    q, joins_child = Q(), False
    for doctype, field, op, value in _filter_items(filters):
        ref = resolve_field(meta, field, doctype)
        joins_child |= bool(ref.prefix)
        q &= condition(ref, op, value)
    or_items = _filter_items(or_filters)
    if or_items:
        any_q = Q()
        for doctype, field, op, value in or_items:
            ref = resolve_field(meta, field, doctype)
            joins_child |= bool(ref.prefix)
            any_q |= condition(ref, op, value)
        q &= any_q
    return q, joins_child
