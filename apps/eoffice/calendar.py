"""The working-day calendar: the one place that turns "N working days" into a date.

Working days are Monday to Friday, minus Vietnam's public holidays (Tết included, with the
days off the government moves, as the ``holidays`` package knows them). Deadlines of
assignments are counted here, and nowhere else; the deadline issue adds each site's make-up
working days (ngày làm bù) and days off through :data:`EXTRA_WORKING_DAYS` and
:data:`EXTRA_DAYS_OFF`.

How to count: ``add_working_days(d, n)`` is the ``n``-th working day after ``d`` (``d`` itself
is not counted; ``n = 0`` gives ``d``); ``working_days_between(a, b)`` counts the working days
after ``a`` up to and including ``b``, so that ``add_working_days(a, working_days_between(a, b))``
is the last working day on or before ``b`` when ``a <= b``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from eoffice.constants import Urgency

#: Saturdays or Sundays that a site works (ngày làm bù); filled by the deadline issue.
EXTRA_WORKING_DAYS: set[dt.date] = set()
#: Extra days off a site decides (e.g. a local holiday); filled by the deadline issue.
EXTRA_DAYS_OFF: set[dt.date] = set()

#: Working days to handle a document by urgency, when its type names none (DOMAIN.md: urgent
#: ones at once, i.e. the same day).
DEFAULT_HANDLING_DAYS = {
    Urgency.NORMAL: 10,
    Urgency.URGENT: 0,
    Urgency.VERY_URGENT: 0,
    Urgency.FLASH: 0,
}


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def to_date(value) -> dt.date:
    """A date from a date, a datetime (its local date) or ISO / dd/mm/yyyy text."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError(f"không phải ngày hợp lệ: {value!r}")


def is_working_day(day) -> bool:
    """Whether ``day`` is a working day of the site."""
    day = to_date(day)
    if day in EXTRA_WORKING_DAYS:
        return True
    if day in EXTRA_DAYS_OFF or day.weekday() >= 5:
        return False
    return day not in _public_holidays(day.year)


def add_working_days(day, days: int) -> dt.date:
    """The ``days``-th working day after ``day`` (before it when negative; ``day`` if 0)."""
    day = to_date(day)
    days = int(days)
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    start, end = to_date(start), to_date(end)
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def default_deadline(start, urgency: str = Urgency.NORMAL, document_type=None) -> dt.date:
    """The default handling deadline of a document that arrived on ``start``.

    Urgent ones ("Khẩn" and above) are due the same day; others after the document type's
    ``default_handling_days`` working days, or :data:`DEFAULT_HANDLING_DAYS`.
    """
    if urgency and urgency != Urgency.NORMAL:
        return to_date(start)
    days = getattr(document_type, "default_handling_days", None)
    if days is None:
        days = DEFAULT_HANDLING_DAYS.get(urgency or Urgency.NORMAL, 10)
    return add_working_days(start, days)
