"""Workflow conditions: small Python expressions, checked when loaded, evaluated safely.

A transition's ``condition`` is what Frappe writes there, e.g. ``doc.urgency == "Hỏa tốc"``
or ``frappe.session.user == doc.owner``. It is evaluated by ``simpleeval`` (never ``eval``)
over plain data only: ``doc`` is a read-only copy of the document in the API's wire format
(links by name, dates as ISO text, child tables as lists of rows), never the model object,
so a condition cannot call a method that changes anything.

Names a condition may use:

- ``doc`` — the document; ``doc.field``, ``doc.assignees[0].unit``; a missing field is None.
- ``user`` — the e-mail of the person acting (``frappe.session.user`` says the same);
  ``roles`` — the list of their roles.
- ``today`` — today as ``YYYY-MM-DD``; ``now`` — the local time as ``YYYY-MM-DD HH:MM:SS``.
- functions: ``getdate``, ``nowdate``, ``add_days``, ``date_diff``, ``add_working_days``,
  ``working_days_between``, ``len``, ``str``, ``int``; and under ``frappe.utils`` the Frappe
  names ``nowdate``, ``today``, ``getdate``, ``add_days``, ``date_diff``, ``now``.

Anything else (``__import__``, ``doc.__class__``, ``open``, lambdas, comprehensions) is
refused when the file is loaded, and the evaluator refuses it again at run time.
"""

from __future__ import annotations

import ast
import datetime as dt
import logging

from simpleeval import EvalWithCompoundTypes

log = logging.getLogger(__name__)


class ConditionError(ValueError):
    """A condition that is not a safe expression over the names above."""


class Record:
    """Read-only attribute access to a dict: ``doc.field``; a missing field is None.

    Deliberately has no public methods other than ``get``, so that ``doc.update`` or
    ``doc.items`` mean the fields of that name, as in Frappe's ``_dict``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._data.get(name)

    def __getitem__(self, key):
        return self._data[key]

    def __setattr__(self, name, value):
        raise AttributeError("read-only")

    def __contains__(self, key):
        return key in self._data

    def get(self, key, default=None):
        return self._data.get(key, default)

    def __repr__(self):
        return f"Record({self._data!r})"


def to_record(value):
    """Plain data (dicts, lists, scalars) as Records for attribute access, recursively."""
    if isinstance(value, dict):
        return Record({k: to_record(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return [to_record(v) for v in value]
    return value


def _getdate(value=None):
    from eoffice.calendar import to_date

    if value in (None, ""):
        from django.utils import timezone

        return timezone.localdate()
    return to_date(value)


def _nowdate():
    return _getdate().isoformat()


def _now():
    from django.utils import timezone

    return timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")


def _add_days(value, days):
    return (_getdate(value) + dt.timedelta(days=int(days))).isoformat()


def _date_diff(a, b):
    return (_getdate(a) - _getdate(b)).days


def _add_working_days(value, days):
    from eoffice.calendar import add_working_days

    return add_working_days(_getdate(value), days).isoformat()


def _working_days_between(a, b):
    from eoffice.calendar import working_days_between

    return working_days_between(_getdate(a), _getdate(b))


FUNCTIONS = {
    "getdate": _getdate,
    "nowdate": _nowdate,
    "add_days": _add_days,
    "date_diff": _date_diff,
    "add_working_days": _add_working_days,
    "working_days_between": _working_days_between,
    "len": len,
    "str": str,
    "int": int,
}
FRAPPE_UTILS = {
    "nowdate": _nowdate,
    "today": _nowdate,
    "getdate": _getdate,
    "add_days": _add_days,
    "date_diff": _date_diff,
    "now": _now,
}
NAMES = ("doc", "user", "roles", "today", "now", "frappe", "True", "False", "None")
#: Methods a condition may call on a value (strings and rows): read-only ones.
SAFE_METHODS = {"get", "startswith", "endswith", "lower", "upper", "strip", "isoformat"}

_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Mod,
    ast.FloorDiv,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.IfExp,
    ast.Call,
    ast.keyword,
    ast.Attribute,
    ast.Subscript,
    ast.Slice,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
)


def _chain(node) -> list[str] | None:
    """``frappe.utils.nowdate`` → ["frappe", "utils", "nowdate"]; None if not a plain chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def check_condition(expr: str, doc_fields: set[str] | None = None) -> None:
    """Raise :class:`ConditionError` unless ``expr`` is a safe condition.

    ``doc_fields``, when given, are the field names ``doc.<name>`` may use.
    """
    if not isinstance(expr, str):
        raise ConditionError("điều kiện phải là một chuỗi biểu thức")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"lỗi cú pháp: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ConditionError(f"không được dùng {type(node).__name__} trong điều kiện")
        if isinstance(node, ast.Name):
            if node.id not in NAMES and node.id not in FUNCTIONS:
                raise ConditionError(f"tên «{node.id}» không được phép trong điều kiện")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_") or node.attr.startswith("func_"):
                raise ConditionError(f"không được truy cập thuộc tính «{node.attr}»")
            chain = _chain(node)
            if chain and chain[0] == "doc" and len(chain) == 2 and doc_fields is not None:
                if chain[1] not in doc_fields:
                    raise ConditionError(f"văn bản không có trường «{chain[1]}»")
            if chain and chain[0] == "frappe":
                allowed = (chain[1:2] == ["session"] and chain[2:] in ([], ["user"])) or (
                    chain[1:2] == ["utils"] and (len(chain) == 2 or chain[2] in FRAPPE_UTILS)
                )
                if not allowed:
                    raise ConditionError(f"«{'.'.join(chain)}» không được phép trong điều kiện")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                if func.id not in FUNCTIONS:
                    raise ConditionError(f"hàm «{func.id}» không được phép trong điều kiện")
            elif isinstance(func, ast.Attribute):
                chain = _chain(func)
                is_util = chain and chain[:2] == ["frappe", "utils"] and len(chain) == 3
                if not is_util and func.attr not in SAFE_METHODS:
                    raise ConditionError(f"không được gọi «{func.attr}» trong điều kiện")
            else:
                raise ConditionError("chỉ được gọi các hàm có tên trong điều kiện")


def evaluate(expr: str, doc: dict, user_name: str, roles=()) -> bool:
    """The truth of ``expr`` for the document (wire-format dict) and the person acting.

    An expression that fails at run time (e.g. comparing a missing date) counts as False:
    the transition is then simply not offered.
    """
    from django.utils import timezone

    names = {
        "doc": to_record(doc),
        "user": user_name,
        "roles": sorted(roles),
        "today": timezone.localdate().isoformat(),
        "now": _now(),
        "frappe": Record(
            {"session": Record({"user": user_name}), "utils": Record(dict(FRAPPE_UTILS))}
        ),
        "True": True,
        "False": False,
        "None": None,
    }
    evaluator = EvalWithCompoundTypes(names=names, functions=dict(FUNCTIONS))
    try:
        return bool(evaluator.eval(expr.strip()))
    except Exception as exc:  # a condition must never break the page that lists actions
        log.warning("workflow condition %r failed: %s", expr, exc)
        return False
