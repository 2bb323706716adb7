"""On-time figures (DOMAIN.md "Deadlines and on-time rates"), per unit, per person, per period.

- on-time rate ("tỷ lệ đúng hạn") = items done before or on their deadline ÷ items done × 100%;
- late rate = (items done late + items still open and overdue) ÷ (items done + items open and
  overdue) × 100%.

An item is an Assignment in the role "Chủ trì" or "Phối hợp" ("Nhận để biết" is done when
read, and is not work measured), classified once at completion (``outcome``). A unit's figures
count the unit's own assignments (not yet a person's), a person's those assigned to them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from eoffice.constants import HandlingRole, Outcome


def _range(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 2) if whole else None


def on_time_figures(*, unit=None, user=None, start=None, end=None) -> dict:
    """The figures of a unit (its own assignments) or a person, for work done in [start, end].

    ``start`` defaults to 1 January of ``end``'s year, ``end`` to today. Open overdue items are
    those still open today whose deadline is before ``end`` (or today, if earlier).
    """
    from eoffice.calendar import to_date
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment, AssignmentStatus

    end = to_date(end) if end else timezone.localdate()
    start = to_date(start) if start else dt.date(end.year, 1, 1)
    qs = Assignment.objects.filter(handling_role__in=[HandlingRole.LEAD, HandlingRole.COOPERATE])
    if user is not None:
        qs = qs.filter(assigned_to=user)
    if unit is not None:
        qs = qs.filter(unit_id=getattr(unit, "pk", unit), assigned_to=None)
    begin, finish = _range(start, end)
    done = qs.filter(
        status=AssignmentStatus.DONE, completed_on__gte=begin, completed_on__lt=finish
    ).aggregate(
        done=Count("pk"),
        early=Count("pk", filter=Q(outcome=Outcome.EARLY)),
        on_time=Count("pk", filter=Q(outcome=Outcome.ON_TIME)),
        late=Count("pk", filter=Q(outcome=Outcome.LATE)),
    )
    until = min(end, timezone.localdate())
    open_overdue = qs.filter(status__in=OPEN_STATUSES, deadline__lt=until).count()
    in_time = done["early"] + done["on_time"]
    return {
        "from_date": start.isoformat(),
        "to_date": end.isoformat(),
        "done": done["done"],
        "done_early": done["early"],
        "done_on_time": done["on_time"],
        "done_late": done["late"],
        "open_overdue": open_overdue,
        "on_time_rate": _rate(in_time, done["done"]),
        "late_rate": _rate(done["late"] + open_overdue, done["done"] + open_overdue),
    }
