"""Who is told about an assignment, and what: the messages of the deadline events.

- **holder**: who has the work now — the person it is assigned to, or for a unit's assignment
  the heads of that unit ("Lãnh đạo đơn vị" / "Lãnh đạo", delegations of today included);
- **unit heads**: the heads of the assignment's unit;
- **who assigned**: ``assigned_by``;
- **next leader up**: the heads of the nearest unit above the assignment's unit that has any.

Events: a new assignment tells its holder ("Được giao việc"); "Sắp đến hạn" tells the holder;
"Quá hạn" tells the holder, the unit heads and who assigned; an item overdue by more than M
working days is escalated to the next leader up. Each person appears once per message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from eoffice import calendar
from eoffice.constants import Role
from eoffice.doctype.notification import Message, NotificationKind

LEADING = (Role.LEADER.value, Role.UNIT_LEADER.value)


def unit_heads(unit_ids, day: dt.date | None = None) -> dict[int, set[int]]:
    """unit id → ids of the people who lead it on ``day`` (members and delegates)."""
    from eoffice.doctype.organization import Delegation, UnitMember

    unit_ids = {u for u in unit_ids if u}
    heads: dict[int, set[int]] = defaultdict(set)
    if not unit_ids:
        return heads
    day = day or timezone.localdate()
    for unit_id, user_id in UnitMember.objects.filter(
        unit_id__in=unit_ids, role__in=LEADING, user__is_active=True
    ).values_list("unit_id", "user_id"):
        heads[unit_id].add(user_id)
    for unit_id, user_id in Delegation.objects.filter(
        unit_id__in=unit_ids,
        role__in=LEADING,
        revoked=False,
        from_date__lte=day,
        to_date__gte=day,
        delegate__is_active=True,
    ).values_list("unit_id", "delegate_id"):
        heads[unit_id].add(user_id)
    return heads


def next_leaders(unit_ids, day: dt.date | None = None) -> dict[int, set[int]]:
    """unit id → the heads of the nearest unit above it that has heads (empty at the top)."""
    from eoffice.doctype.organization import OrganizationUnit

    paths = dict(OrganizationUnit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    ancestors = {
        unit_id: [int(p) for p in path.strip("/").split("/")[:-1]][::-1]
        for unit_id, path in paths.items()
    }
    heads = unit_heads({a for chain in ancestors.values() for a in chain}, day)
    out: dict[int, set[int]] = {}
    for unit_id, chain in ancestors.items():
        out[unit_id] = next((heads[a] for a in chain if heads.get(a)), set())
    return out


def holder_ids(a, heads: dict[int, set[int]]) -> set[int]:
    """Who has the assignment now: its person, or the heads of its unit."""
    if a.assigned_to_id:
        return {a.assigned_to_id}
    return set(heads.get(a.unit_id, ()))


def leaders_to_tell(doc) -> set[int]:
    """The leader a document was submitted to, or the "Lãnh đạo" of its receiving unit."""
    if doc.leader_id:
        return {doc.leader_id}
    from eoffice.doctype.organization import UnitMember

    unit = doc.register_unit() if hasattr(doc, "register_unit") else doc.receiving_unit
    return set(
        UnitMember.objects.filter(unit=unit, role=Role.LEADER, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def references(assignments) -> dict[tuple[str, str], object]:
    """(doctype, name) → the document or task of each assignment, a query per DocType."""
    from eoffice.doctype.base import get_meta

    by_type: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        by_type[a.reference_doctype].add(a.reference_name)
    out = {}
    for doctype_name, names in by_type.items():
        meta = get_meta(doctype_name)
        if meta is None:
            continue
        for doc in meta.model.objects.filter(name__in=names):
            out[(doctype_name, doc.name)] = doc
    return out


def describe(doc) -> dict:
    """What a message says about a document or task."""
    if doc is None:
        return {"title": "", "number": ""}
    title = getattr(doc, "summary", None) or getattr(doc, "title", "") or doc.name
    number = getattr(doc, "document_number", "") or ""
    arrival = getattr(doc, "arrival_number", None)
    return {"title": title, "number": number, "arrival_number": arrival, "name": doc.name}


def _message(kind, a, recipients, docs, today, **extra) -> Message:
    doc = docs.get((a.reference_doctype, a.reference_name))
    context = {
        "a": a,
        "doc": describe(doc),
        "deadline": a.deadline,
        "handler": a.handler_label() if (a.assigned_to_id or a.unit_id) else "",
        "today": today,
        **extra,
    }
    return Message(recipients, kind, context, a.reference_doctype, a.reference_name)


def assigned_messages(assignments, by) -> list[Message]:
    """ "Được giao việc": each new assignment's holder (not the person who gave it)."""
    assignments = list(assignments)
    if not assignments:
        return []
    today = timezone.localdate()
    heads = unit_heads({a.unit_id for a in assignments if not a.assigned_to_id}, today)
    docs = references(assignments)
    out = []
    for a in assignments:
        recipients = holder_ids(a, heads) - {getattr(by, "pk", by)}
        if recipients:
            out.append(
                _message(NotificationKind.ASSIGNED, a, recipients, docs, today, by=by, note=a.note)
            )
    return out


def notify_assigned(assignments, by) -> None:
    """Tell the holders of new assignments (inside the transaction that created them)."""
    from eoffice.doctype.notification import notify_many

    notify_many(assigned_messages(assignments, by))


def due_soon_messages(assignments, today: dt.date) -> list[Message]:
    """ "Sắp đến hạn": the holder."""
    heads = unit_heads({a.unit_id for a in assignments if not a.assigned_to_id}, today)
    docs = references(assignments)
    return [
        _message(
            NotificationKind.DUE_SOON,
            a,
            holder_ids(a, heads),
            docs,
            today,
            days_left=calendar.working_days_between(today, a.deadline),
        )
        for a in assignments
    ]


def overdue_messages(assignments, today: dt.date) -> list[Message]:
    """ "Quá hạn": the holder, the unit's heads and who assigned."""
    heads = unit_heads({a.unit_id for a in assignments}, today)
    docs = references(assignments)
    out = []
    for a in assignments:
        recipients = holder_ids(a, heads) | heads.get(a.unit_id, set())
        if a.assigned_by_id:
            recipients.add(a.assigned_by_id)
        out.append(
            _message(
                NotificationKind.OVERDUE,
                a,
                recipients,
                docs,
                today,
                days_late=calendar.working_days_between(a.deadline, today),
            )
        )
    return out


def escalation_messages(assignments, today: dt.date) -> list[Message]:
    """ "Quá hạn kéo dài": the next leader up the tree from the assignment's unit."""
    above = next_leaders({a.unit_id for a in assignments if a.unit_id}, today)
    docs = references(assignments)
    out = []
    for a in assignments:
        recipients = above.get(a.unit_id, set())
        if recipients:
            out.append(
                _message(
                    NotificationKind.ESCALATION,
                    a,
                    recipients,
                    docs,
                    today,
                    days_late=calendar.working_days_between(a.deadline, today),
                )
            )
    return out
