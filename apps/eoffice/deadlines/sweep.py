"""The deadline sweep and the morning digest (periodic jobs, see :mod:`eoffice.jobs.deadlines`).

The sweep, every few minutes:

1. **marks** open assignments "Sắp đến hạn" (deadline N working days away or less) and "Quá
   hạn" (deadline passed), and puts back "Trong hạn" what an extension or a new day off moved;
2. **reminds** the holder of each item that became "Sắp đến hạn";
3. tells the holder, the unit heads and who assigned of each item that became "Quá hạn";
4. **escalates** each item overdue by more than M working days to the next leader up;
5. reminds clerks of documents they have not registered or handed on in time.

It reads only what is due. Every query is a range over the index ``asg_deadline_sweep``
(status, deadline_state, deadline): the state changes touch only rows whose state must change,
the reminders only rows in a window of deadlines (today … N working days ahead; the last
``overdue_lookback_days`` days behind). So its cost grows with the items due, not with all
assignments. Each reminder is claimed with a unique Deadline Reminder row inserted before the
notifications, in the same transaction: a restart, a second run or two schedulers never send
the same reminder twice.

"Nhận để biết" rows get no reminders (they are done when read); an assignment handed down to
an officer is reminded through its open child, not twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict

from django.db import OperationalError, transaction
from django.utils import timezone

from eoffice import calendar
from eoffice.constants import DeadlineState, HandlingRole
from eoffice.deadlines import reminders as messages
from eoffice.doctype.deadline_reminder import DeadlineReminder, ReminderKind, claim
from eoffice.doctype.deadline_rule import get_settings
from eoffice.doctype.notification import Message, NotificationKind, notify_many

log = logging.getLogger(__name__)

#: Assignments handled per transaction.
BATCH = 500
_FIELDS = (
    "id",
    "name",
    "reference_doctype",
    "reference_name",
    "unit_id",
    "assigned_to_id",
    "assigned_by_id",
    "handling_role",
    "deadline",
    "note",
)


def _open():
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment

    return Assignment.objects.filter(status__in=OPEN_STATUSES)


def mark_states(today: dt.date, due_soon_until: dt.date) -> dict:
    """Bring ``deadline_state`` of open assignments in step with ``today``; counts changed.

    Each UPDATE ranges over ``asg_deadline_sweep`` and touches only rows whose state changes.
    """
    overdue = _open().filter(
        deadline_state__in=[DeadlineState.ON_TRACK, DeadlineState.DUE_SOON], deadline__lt=today
    )
    due_soon = _open().filter(
        deadline_state=DeadlineState.ON_TRACK, deadline__gte=today, deadline__lte=due_soon_until
    )
    # An extension, a lower threshold or a new day off can move items back.
    back_from_due_soon = _open().filter(
        deadline_state=DeadlineState.DUE_SOON, deadline__gt=due_soon_until
    )
    back_from_overdue = _open().filter(deadline_state=DeadlineState.OVERDUE, deadline__gte=today)
    return {
        "overdue": overdue.update(deadline_state=DeadlineState.OVERDUE),
        "due_soon": due_soon.update(deadline_state=DeadlineState.DUE_SOON),
        "on_track": back_from_due_soon.update(deadline_state=DeadlineState.ON_TRACK)
        + back_from_overdue.filter(deadline__gt=due_soon_until).update(
            deadline_state=DeadlineState.ON_TRACK
        ),
        "due_soon_again": back_from_overdue.filter(deadline__lte=due_soon_until).update(
            deadline_state=DeadlineState.DUE_SOON
        ),
    }


def window(state: str, first: dt.date, last: dt.date):
    """Open, reminder-worthy assignments in ``state`` due in [first, last]: one range over
    ``asg_deadline_sweep``."""
    return (
        _open()
        .filter(deadline_state=state, deadline__gte=first, deadline__lte=last)
        .exclude(handling_role=HandlingRole.INFORM)
    )


def handed_down(ids) -> set[int]:
    """Of ``ids``, the assignments with an open child (the child carries the reminders).

    A lookup by the ``parent_assignment`` index for these ids only — never a subquery that the
    optimiser could turn into a scan of every handed-down assignment.
    """
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment

    out: set[int] = set()
    for chunk in _chunks(list(ids), 1000):
        out.update(
            Assignment.objects.filter(parent_assignment_id__in=chunk, status__in=OPEN_STATUSES)
            .values_list("parent_assignment_id", flat=True)
            .distinct()
        )
    return out


def to_remind(kind: str, state: str, first: dt.date, last: dt.date) -> list[int]:
    """Ids of the assignments in the window not handed down and not yet reminded of ``kind``
    for their current deadline. Bounded by the items due: the window, then two indexed
    lookups by id (children; the reminders' unique index)."""
    rows = list(window(state, first, last).values_list("id", "deadline"))
    if not rows:
        return []
    ids = [i for i, _d in rows]
    sent: set[tuple] = set()
    for chunk in _chunks(ids, 1000):
        sent.update(
            DeadlineReminder.objects.filter(assignment_id__in=chunk, kind=kind).values_list(
                "assignment_id", "window"
            )
        )
    handed = handed_down(i for i, d in rows if (i, d) not in sent)
    return sorted(i for i, d in rows if (i, d) not in sent and i not in handed)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _retrying(func, *args):
    """Run ``func`` in a transaction, again if the database chose it as a deadlock victim."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                return func(*args)
        except OperationalError as exc:  # 1213 deadlock, 1205 lock wait timeout
            if attempt == 4 or getattr(exc, "args", [None])[0] not in (1213, 1205):
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def _remind(kind: str, build, ids: list[int], today: dt.date) -> int:
    """Claim and send reminders of ``kind`` for the assignments ``ids``, a batch per
    transaction."""
    from eoffice.doctype.assignment import Assignment

    sent = 0
    for chunk in _chunks(ids, BATCH):
        batch = list(
            Assignment.objects.filter(id__in=chunk)
            .select_related("unit", "assigned_to")
            .only(*_FIELDS, "unit__unit_name", "assigned_to__full_name")
            .order_by("id")
        )

        def send(batch=batch):
            won = claim(kind, [(a.id, a.deadline) for a in batch])
            mine = [a for a in batch if a.id in won]
            if mine:
                notify_many(build(mine, today))
            return len(mine)

        sent += _retrying(send) or 0
    return sent


def remind_due_soon(today: dt.date, until: dt.date) -> int:
    """ "Sắp đến hạn" to the holder of each item due in [today, until] not yet reminded."""
    ids = to_remind(ReminderKind.DUE_SOON, DeadlineState.DUE_SOON, today, until)
    return _remind(ReminderKind.DUE_SOON, messages.due_soon_messages, ids, today)


def remind_overdue(today: dt.date, lookback: int) -> int:
    """ "Quá hạn" to the holder, unit heads and who assigned, once per deadline."""
    first = today - dt.timedelta(days=lookback)
    last = today - dt.timedelta(days=1)
    ids = to_remind(ReminderKind.OVERDUE, DeadlineState.OVERDUE, first, last)
    return _remind(ReminderKind.OVERDUE, messages.overdue_messages, ids, today)


def escalate(today: dt.date, after: int, lookback: int) -> int:
    """Items overdue by more than ``after`` working days, to the next leader up, once."""
    cutoff = calendar.first_day_within(today, after)
    first = today - dt.timedelta(days=lookback)
    last = cutoff - dt.timedelta(days=1)
    if last < first:
        return 0
    ids = to_remind(ReminderKind.ESCALATION, DeadlineState.OVERDUE, first, last)
    return _remind(ReminderKind.ESCALATION, messages.escalation_messages, ids, today)


# ---------------------------------------------------------------------------------------
# The clerk's own time


def late_registrations(today: dt.date, lookback: int) -> dict[int, list]:
    """clerk id → incoming documents they have not registered or handed on in time.

    DOMAIN.md: registered, submitted and handed on the day a document arrives, at the latest
    the next working day (the site's ``clerk_working_days``); urgent ones at once.
    """
    from eoffice.constants import Role
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.doctype.organization import OrganizationUnit, UnitMember

    clerks: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in UnitMember.objects.filter(
        role=Role.CLERK, user__is_active=True
    ).values_list("unit_id", "user_id"):
        clerks[unit_id].add(user_id)
    if not clerks:
        return {}
    # A unit without a clerk of its own is served by its agency's.
    units = {u.pk: u for u in OrganizationUnit.objects.all().only("pk", "parent_id", "kind")}
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=lookback), dt.time()))
    end = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    waiting = IncomingDocument.objects.filter(
        receiving_unit_id__in=list(units),
        workflow_state__in=["Chờ tiếp nhận", "Đã vào sổ"],
        arrival_date__gte=start,
        arrival_date__lt=end,
    ).only("name", "arrival_date", "urgency", "receiving_unit_id", "summary", "document_number")
    late: dict[int, list] = defaultdict(list)
    for doc in waiting:
        if calendar.clerk_deadline(doc.arrival_date, doc.urgency) >= today:
            continue
        unit_id, who = doc.receiving_unit_id, set()
        while unit_id and not who:
            who = clerks.get(unit_id, set())
            unit_id = units[unit_id].parent_id if unit_id in units else None
        for clerk_id in who:
            late[clerk_id].append(doc)
    return late


def remind_clerks(today: dt.date, lookback: int) -> int:
    """Once a day, each clerk with documents waiting past their time gets one reminder."""
    late = late_registrations(today, lookback)
    if not late:
        return 0

    def send():
        won = claim(ReminderKind.CLERK, [(c, today) for c in late], by="recipient")
        notify_many(
            Message({c}, NotificationKind.CLERK, {"documents": late[c], "today": today})
            for c in won
        )
        return len(won)

    return _retrying(send) or 0


# ---------------------------------------------------------------------------------------


def sweep(today: dt.date | None = None) -> dict:
    """One pass: states, reminders, escalation, clerks. Returns what it did (counts)."""
    started = time.monotonic()
    today = today or timezone.localdate()
    settings = get_settings()
    until = calendar.last_day_within(today, settings.due_soon_working_days)
    result = {"today": today.isoformat(), "due_soon_until": until.isoformat()}
    result["marked"] = _retrying(mark_states, today, until)
    result["due_soon"] = remind_due_soon(today, until)
    result["overdue"] = remind_overdue(today, settings.overdue_lookback_days)
    result["escalated"] = escalate(
        today, settings.escalate_after_working_days, settings.overdue_lookback_days
    )
    if calendar.is_working_day(today):
        result["clerks"] = remind_clerks(today, settings.overdue_lookback_days)
    result["seconds"] = round(time.monotonic() - started, 3)
    log.info("deadline sweep: %s", result)
    return result


def digest(today: dt.date | None = None) -> int:
    """The morning digest: each person's items "Sắp đến hạn" and "Quá hạn", once a day.

    A person gets what they hold, and, as the head of a unit, what of their unit is overdue.
    Nothing on days off, nothing when the site turned digests off. Returns digests sent.
    """
    today = today or timezone.localdate()
    settings = get_settings()
    if not settings.send_digest or not calendar.is_working_day(today):
        return 0
    first = today - dt.timedelta(days=settings.overdue_lookback_days)
    rows = list(
        _open()
        .filter(
            deadline_state__in=[DeadlineState.DUE_SOON, DeadlineState.OVERDUE],
            deadline__gte=first,
        )
        .exclude(handling_role=HandlingRole.INFORM)
        .select_related("unit", "assigned_to")
        .only(*_FIELDS, "deadline_state", "unit__unit_name", "assigned_to__full_name")
    )
    handed = handed_down(a.id for a in rows)
    rows = sorted((a for a in rows if a.id not in handed), key=lambda a: (a.deadline, a.id))
    if not rows:
        return 0
    heads = messages.unit_heads({a.unit_id for a in rows}, today)
    docs = messages.references(rows)
    mine: dict[int, list] = defaultdict(list)
    units: dict[int, list] = defaultdict(list)
    for a in rows:
        item = {
            "a": a,
            "doc": messages.describe(docs.get((a.reference_doctype, a.reference_name))),
            "overdue": a.deadline_state == DeadlineState.OVERDUE,
        }
        holders = messages.holder_ids(a, heads)
        for user_id in holders:
            mine[user_id].append(item)
        if item["overdue"]:
            for user_id in heads.get(a.unit_id, ()):
                if user_id not in holders:
                    units[user_id].append(item)
    people = set(mine) | set(units)

    def send():
        won = claim(ReminderKind.DIGEST, [(p, today) for p in people], by="recipient")
        notify_many(
            Message(
                {p},
                NotificationKind.DIGEST,
                {
                    "today": today,
                    "mine": mine.get(p, []),
                    "mine_overdue": sum(1 for i in mine.get(p, []) if i["overdue"]),
                    "mine_due_soon": sum(1 for i in mine.get(p, []) if not i["overdue"]),
                    "unit_overdue": units.get(p, []),
                },
            )
            for p in won
        )
        return len(won)

    return _retrying(send) or 0
