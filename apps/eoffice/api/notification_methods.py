"""Whitelisted methods of notifications and deadlines: ``/api/method/eoffice.notifications.*``,
``eoffice.deadlines.*``, ``eoffice.routing.*``, ``eoffice.calendar.working_days_between``.

Thin: each reads its parameters and calls the function of :mod:`eoffice.doctype.notification`,
:mod:`eoffice.doctype.routing_rule`, :mod:`eoffice.deadlines.rates` or :mod:`eoffice.calendar`,
where the rules are.
"""

from __future__ import annotations

from eoffice.api.methods import whitelist
from eoffice.api.workflow_methods import current_user, parse_json
from eoffice.exceptions import DoesNotExistError, PermissionError, ValidationError

_TRUE = {"1", "true", "yes", "on", "có"}
_FALSE = {"0", "false", "no", "off", "không", ""}


def _bool(value, field: str, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(f"«{value}» không phải giá trị có/không hợp lệ (1 hoặc 0).", field=field)


def _int(value, field: str, default: int, low: int = 0, high: int = 10_000) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"«{value}» không phải số hợp lệ.", field=field) from None
    if not low <= number <= high:
        raise ValidationError(f"«{field}» phải từ {low} đến {high}.", field=field)
    return number


def _date(value, field: str):
    from eoffice.calendar import to_date

    if value in (None, ""):
        return None
    try:
        return to_date(value)
    except ValueError as exc:
        raise ValidationError(str(exc), field=field) from None


# ---------------------------------------------------------------------------------------
# The bell


@whitelist("eoffice.notifications.unread_count", methods=("GET", "POST"))
def unread_count(request, **_i):
    """How many of the caller's notifications are unread."""
    from eoffice.doctype.notification import unread_count as count

    return count(current_user(request))


@whitelist("eoffice.notifications.recent", methods=("GET", "POST"))
def recent(request, limit=None, start=None, unread_only=None, **_i):
    """The caller's latest notifications, newest first (``limit`` ≤ 100)."""
    from eoffice.doctype.notification import recent as latest

    user = current_user(request)
    return latest(
        user,
        limit=_int(limit, "limit", 20, 0, 100),
        start=_int(start, "start", 0, 0, 1_000_000),
        unread_only=_bool(unread_only, "unread_only", False),
    )


@whitelist("eoffice.notifications.mark_read", methods=("POST",))
def mark_read(request, name=None, names=None, all=None, **_i):  # noqa: A002  (the wire name)
    """Mark notifications read: ``name``, a list ``names``, or ``all=1``. Returns the count."""
    from eoffice.doctype.notification import mark_read as mark

    user = current_user(request)
    if _bool(all, "all", False):
        return mark(user)
    chosen = parse_json(names, "names") if names not in (None, "") else None
    if chosen is None and name not in (None, ""):
        chosen = [name]
    if not chosen or not isinstance(chosen, list):
        raise ValidationError(
            "Cần chọn thông báo («name» hoặc «names»), hoặc «all=1» để đánh dấu tất cả.",
            field="name",
        )
    return mark(user, [str(n) for n in chosen])


@whitelist("eoffice.notifications.get_preferences", methods=("GET", "POST"))
def get_preferences(request, **_i):
    """The caller's choices: for each kind, whether it shows in the desk and comes by e-mail."""
    from eoffice.doctype.notification import preference_table

    return preference_table(current_user(request))


@whitelist("eoffice.notifications.set_preference", methods=("POST",))
def set_preference(request, kind=None, channel=None, enabled=None, **_i):
    """Choose whether the caller gets ``kind`` on ``channel`` ("Trên phần mềm" / "Email")."""
    from eoffice.doctype.notification import preference_table
    from eoffice.doctype.notification import set_preference as choose

    user = current_user(request)
    if enabled in (None, ""):
        raise ValidationError(
            "Thiếu lựa chọn nhận hay không («enabled»: 1 hoặc 0).", field="enabled"
        )
    choose(user, str(kind or ""), str(channel or ""), _bool(enabled, "enabled", True))
    return preference_table(user)


# ---------------------------------------------------------------------------------------
# Deadlines


@whitelist("eoffice.calendar.working_days_between", methods=("GET", "POST"))
def working_days_between(request, start=None, end=None, **_i):
    """Working days after ``start`` up to and including ``end`` (dates YYYY-MM-DD or dd/mm/yyyy)."""
    from eoffice import calendar

    current_user(request)
    first, last = _date(start, "start"), _date(end, "end")
    if first is None or last is None:
        raise ValidationError("Cần nhập ngày bắt đầu («start») và ngày kết thúc («end»).")
    try:
        return calendar.working_days_between(first, last)
    except ValueError as exc:
        raise ValidationError(str(exc), field="end") from None


@whitelist("eoffice.deadlines.default_deadline", methods=("GET", "POST"))
def default_deadline(request, date=None, urgency=None, document_type=None, **_i):
    """The handling deadline the site's rules give a document arriving on ``date`` → YYYY-MM-DD."""
    from eoffice import calendar
    from eoffice.constants import Urgency
    from eoffice.doctype.document_type import DocumentType

    current_user(request)
    day = _date(date, "date")
    if day is None:
        raise ValidationError("Thiếu ngày («date»).", field="date")
    urgency = urgency or Urgency.NORMAL
    if urgency not in Urgency.values:
        raise ValidationError(
            f"Độ khẩn «{urgency}» không hợp lệ; chọn một trong: "
            + ", ".join(f"«{u}»" for u in Urgency.values)
            + ".",
            field="urgency",
        )
    kind = None
    if document_type not in (None, ""):
        kind = DocumentType.objects.filter(name=document_type).first()
        if kind is None:
            raise ValidationError(
                f"Không có loại văn bản «{document_type}».", field="document_type"
            )
    try:
        return calendar.default_deadline(day, urgency, kind).isoformat()
    except ValueError as exc:
        raise ValidationError(str(exc), field="date") from None


@whitelist("eoffice.deadlines.on_time_figures", methods=("GET", "POST"))
def on_time_figures(request, unit=None, user=None, from_date=None, to_date=None, **_i):
    """On-time and late rates of a unit (``unit``) or a person (``user``) for a period."""
    from eoffice.deadlines.rates import on_time_figures as figures
    from eoffice.doctype.organization import OrganizationUnit, UnitMember
    from eoffice.doctype.user import User
    from eoffice.permissions import is_admin, units_in_scope

    caller = current_user(request)
    if bool(unit) == bool(user):
        raise ValidationError("Chọn một đơn vị («unit») hoặc một người («user»).", field="unit")
    start, end = _date(from_date, "from_date"), _date(to_date, "to_date")
    if start and end and start > end:
        raise ValidationError("«from_date» phải trước hoặc bằng «to_date».", field="from_date")
    scope = units_in_scope(caller)
    if unit:
        row = OrganizationUnit.objects.filter(name=unit).first()
        if row is None:
            raise DoesNotExistError(f"Không tìm thấy đơn vị «{unit}».")
        if not is_admin(caller) and row.pk not in scope:
            raise PermissionError("Bạn không xem được số liệu của đơn vị này.")
        return figures(unit=row, start=start, end=end)
    person = User.objects.filter(email__iexact=str(user).strip()).first()
    if person is None:
        raise DoesNotExistError(f"Không tìm thấy người dùng «{user}».")
    units = set(UnitMember.objects.filter(user=person).values_list("unit_id", flat=True))
    if person.pk != caller.pk and not is_admin(caller) and not (units & scope):
        raise PermissionError("Bạn không xem được số liệu của người này.")
    return figures(user=person, start=start, end=end)


# ---------------------------------------------------------------------------------------
# Routing rules


@whitelist("eoffice.routing.dry_run", methods=("POST",))
def dry_run(request, rule=None, days=None, limit=None, **fields):
    """What a routing rule (``rule``, or the rule's fields for an unsaved one) would have
    matched among past documents; records the test on a saved rule."""
    from eoffice.doctype.routing_rule import RoutingRule
    from eoffice.doctype.routing_rule import dry_run as run
    from eoffice.permissions import is_admin

    user = current_user(request)
    if not is_admin(user):
        raise PermissionError("Chỉ quản trị mới chạy thử quy tắc phân luồng.")
    days = _int(days, "days", 180, 1, 3660)
    limit = _int(limit, "limit", 2000, 1, 20000)
    if rule:
        row = RoutingRule.objects.filter(name=rule).first()
        if row is None:
            raise DoesNotExistError(f"Không tìm thấy quy tắc phân luồng «{rule}».")
    else:
        row = _unsaved_rule(fields)
    return run(row, days=days, limit=limit)


def _unsaved_rule(fields: dict):
    from eoffice.doctype.document_type import DocumentType
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.doctype.routing_rule import RoutingAction, RoutingRule

    row = RoutingRule(
        rule_name=str(fields.get("rule_name") or "Chạy thử"),
        issuers=str(fields.get("issuers") or ""),
        keywords=str(fields.get("keywords") or ""),
        search_extracted_text=_bool(
            fields.get("search_extracted_text"), "search_extracted_text", False
        ),
        action=fields.get("action") or RoutingAction.PROPOSE,
    )
    links = (
        ("target_unit", OrganizationUnit, "đơn vị"),
        ("receiving_unit", OrganizationUnit, "đơn vị"),
        ("document_type", DocumentType, "loại văn bản"),
    )
    for field, model, label in links:
        value = fields.get(field)
        if value in (None, ""):
            continue
        obj = model.objects.filter(name=value).first()
        if obj is None:
            raise ValidationError(f"Không tìm thấy {label} «{value}».", field=field)
        setattr(row, field, obj)
    if row.target_unit_id is None:
        raise ValidationError("Cần chọn đơn vị chủ trì («target_unit»).", field="target_unit")
    return row
