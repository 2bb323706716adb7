"""The working-day calendar: the one place that turns "N working days" into a date.

A day is a working day when the site says so (:mod:`eoffice.doctype.calendar_exception`: its
make-up working days and its own days off, entered by an administrator each year), and
otherwise when it is Monday to Friday and not one of Vietnam's public holidays, or a weekend
day the government moved work to. The national part comes from the ``holidays`` package
(``VN``), which knows:

- Tết Dương lịch (1/1), Tết Nguyên Đán (the eve and the first four days, plus the day before
  the eve or the fifth day when one of them falls on a weekend), Giỗ Tổ Hùng Vương (10/3
  lunar), 30/4, 1/5, Quốc khánh (2/9 and, since 2021, the day before or after), Ngày Văn hóa
  Việt Nam (24/11, since 2026); a holiday on a weekend is taken the next working day;
- the day swaps the government announced before the package's release (e.g. 2024: 29/4 off,
  Saturday 4/5 worked; 2025: 2/5 off, Saturday 26/4 worked; 2026: 31/8 off, Saturday 22/8
  worked), whose worked Saturdays it lists in ``weekend_workdays``.

It cannot know the swaps and extra days decided after its release (the Prime Minister's yearly
decision on Tết for civil servants often adds a bridge day and a make-up Saturday), nor local
decisions: those are the site's Calendar Exceptions. docs/deadlines.md lists what to enter.

How to count: ``add_working_days(d, n)`` is the ``n``-th working day after ``d`` (``d`` itself
is not counted; ``n = 0`` gives ``d``); ``working_days_between(a, b)`` counts the working days
after ``a`` up to and including ``b``, so that ``add_working_days(a, working_days_between(a, b))``
is the last working day on or before ``b`` when ``a <= b``. Deadlines of documents, assignments
and clerks are computed by :func:`default_deadline` and :func:`clerk_deadline`, which read the
site's rules (:mod:`eoffice.doctype.deadline_rule`), and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from eoffice.constants import Urgency
from eoffice.exceptions import ValidationError


class CalendarError(ValidationError, ValueError):
    """A date or a count the calendar cannot use; the message is Vietnamese.

    A ValueError for callers that parse input, and the API's ValidationError (HTTP 417).
    """


#: Working days to handle a document by urgency when no site rule or document type names one
#: (DOMAIN.md: urgent ones at once, i.e. the same day). Site rules: ``Deadline Rule``.
DEFAULT_HANDLING_DAYS = {
    Urgency.NORMAL: 10,
    Urgency.URGENT: 0,
    Urgency.VERY_URGENT: 0,
    Urgency.FLASH: 0,
}
#: The years a deadline may fall in; beyond them a date is refused as input.
MIN_YEAR, MAX_YEAR = 1995, 2200
#: At most this many working days are counted at once (about ten years).
MAX_WORKING_DAYS = 2600


@lru_cache(maxsize=256)
def _national(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays, weekend days worked) of ``year`` from the ``holidays`` package."""
    calendar = holidays.country_holidays("VN", years=year)
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return frozenset(calendar.keys()), worked


def national_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays of ``year`` with their Vietnamese names (for docs and admin)."""
    return dict(sorted(holidays.country_holidays("VN", years=year, language="vi").items()))


def to_date(value) -> dt.date:
    """A date from a date, a datetime (its local date) or ISO / dd/mm/yyyy text.

    Raises :class:`CalendarError` (a ValueError, with a Vietnamese message) for anything else.
    """
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value if value is not None else "").strip()
    if len(text) == 10 or (len(text) > 10 and text[10] in "T "):  # a time may follow
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text[:10], fmt).date()
            except ValueError:
                continue
    raise CalendarError(f"«{value}» không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).")


def is_national_working_day(day) -> bool:
    """Whether ``day`` is worked by Vietnam's national calendar alone (no site exceptions)."""
    day = to_date(day)
    public, worked = _national(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in public


def _site():
    from eoffice.doctype.calendar_exception import site_exceptions

    return site_exceptions()


def _checker(site=None):
    working, off = site if site is not None else _site()

    def is_working(day: dt.date) -> bool:
        if day in working:
            return True
        if day in off:
            return False
        return is_national_working_day(day)

    return is_working


def is_working_day(day) -> bool:
    """Whether ``day`` is a working day of this site."""
    return _checker()(to_date(day))


def _check_range(day: dt.date) -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CalendarError(f"Ngày {day:%d/%m/%Y} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")


def add_working_days(day, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (before it when negative; ``day`` if 0).

    Raises :class:`CalendarError` (Vietnamese message) for a bad date or count.
    """
    day = to_date(day)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise CalendarError(f"«{days}» không phải số ngày hợp lệ.", field="days") from None
    if abs(days) > MAX_WORKING_DAYS:
        raise CalendarError(f"Số ngày làm việc quá lớn (tối đa {MAX_WORKING_DAYS}).", field="days")
    _check_range(day)
    is_working = _checker()
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working(day):
            remaining -= 1
    return day


def working_days_between(start, end) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    start, end = to_date(start), to_date(end)
    if end < start:
        return -working_days_between(end, start)
    _check_range(start)
    _check_range(end)
    is_working = _checker()
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working(day)
    return count


def last_day_within(start, days: int) -> dt.date:
    """The last date ``d`` with ``working_days_between(start, d) <= days`` (``days`` >= 0).

    "Sắp đến hạn" seen from ``start`` covers deadlines up to this date.
    """
    return add_working_days(start, days + 1) - dt.timedelta(days=1)


def first_day_within(end, days: int) -> dt.date:
    """The first date ``d`` with ``working_days_between(d, end) <= days`` (``days`` >= 0).

    An item is overdue by more than ``days`` working days on ``end`` when its deadline is
    before this date.
    """
    end = to_date(end)
    _check_range(end)
    is_working = _checker()
    count, day = 0, end  # count = working_days_between(day, end)
    for _ in range(MAX_WORKING_DAYS * 2):
        if count + is_working(day) > days:
            return day
        count += is_working(day)
        day -= dt.timedelta(days=1)
    return day


def default_deadline(start, urgency: str = Urgency.NORMAL, document_type=None) -> dt.date:
    """The handling deadline of a document (or task) that arrived on ``start``.

    The site's rules decide (:func:`eoffice.doctype.deadline_rule.handling_days`): a rule for
    the document type and urgency, else the type's own default, else the rule for the urgency;
    urgent ones ("Khẩn" and above) are due the same day, others after 10 working days, unless
    an administrator set otherwise.
    """
    from eoffice.doctype.deadline_rule import handling_days

    return add_working_days(start, handling_days(urgency or Urgency.NORMAL, document_type))


def clerk_deadline(arrival, urgency: str = Urgency.NORMAL) -> dt.date:
    """The day by which the clerk registers and hands on a document that arrived on ``arrival``.

    DOMAIN.md: the same day, at the latest the next working day (the site's
    ``clerk_working_days``); urgent ones at once.
    """
    from eoffice.doctype.deadline_rule import get_settings

    if urgency and urgency != Urgency.NORMAL:
        return to_date(arrival)
    return add_working_days(arrival, get_settings().clerk_working_days)
