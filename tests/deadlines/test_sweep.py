"""The sweep: deadline states, reminders to the right people once, escalation, digest, clerks."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from eoffice import calendar
from eoffice.constants import DeadlineState, HandlingRole, Outcome
from eoffice.deadlines import sweep
from eoffice.deadlines.rates import on_time_figures
from eoffice.doctype import assignment as service
from eoffice.doctype.assignment import Assignment, AssignmentStatus
from eoffice.doctype.deadline_reminder import DeadlineReminder
from eoffice.doctype.deadline_rule import DeadlineSettings
from eoffice.doctype.notification import NotificationKind, NotificationLog
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import (
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    TNMT_HEAD,
    TNMT_OFFICER,
    directed,
    incoming,
    rows,
    user,
)

# Tuesday 03/03/2026: due soon (N = 2) reaches Thursday 05/03.
TODAY = dt.date(2026, 3, 3)


def lead_of(doc) -> Assignment:
    return Assignment.objects.get(
        reference_name=doc.name, handling_role=HandlingRole.LEAD, parent_assignment=None
    )


def coop_of(doc) -> Assignment:
    return Assignment.objects.get(reference_name=doc.name, handling_role=HandlingRole.COOPERATE)


def set_deadline(a: Assignment, deadline: dt.date, state=DeadlineState.ON_TRACK):
    Assignment.objects.filter(pk=a.pk).update(deadline=deadline, deadline_state=state)
    a.refresh_from_db()
    return a


def told(kind, email=None, doc=None) -> list[NotificationLog]:
    qs = NotificationLog.objects.filter(kind=kind)
    if email:
        qs = qs.filter(for_user__email=email)
    if doc:
        qs = qs.filter(document_name=doc.name)
    return list(qs)


def who(kind, doc=None) -> list[str]:
    return sorted(n.for_user.email for n in told(kind, doc=doc))


@pytest.fixture
def two_documents(demo):
    """Document A: TNMT leads, due Thursday (due soon). Document B: Đông Dư co-operates,
    overdue since Monday."""
    a = directed(demo)
    b = directed(demo)
    set_deadline(lead_of(a), dt.date(2026, 3, 5))
    set_deadline(coop_of(a), dt.date(2026, 3, 20))
    set_deadline(lead_of(b), dt.date(2026, 3, 20))
    set_deadline(coop_of(b), dt.date(2026, 3, 2))
    return a, b


def test_the_sweep_marks_due_soon_and_overdue(two_documents):
    a, b = two_documents
    result = sweep.sweep(TODAY)
    assert result["marked"]["due_soon"] == 1 and result["marked"]["overdue"] == 1
    assert lead_of(a).deadline_state == DeadlineState.DUE_SOON
    assert coop_of(b).deadline_state == DeadlineState.OVERDUE
    assert lead_of(b).deadline_state == DeadlineState.ON_TRACK
    # An extension moves an item back.
    set_deadline(coop_of(b), dt.date(2026, 3, 20), DeadlineState.OVERDUE)
    sweep.sweep(TODAY)
    assert coop_of(b).deadline_state == DeadlineState.ON_TRACK


def test_reminders_go_to_the_right_people_exactly_once(two_documents):
    a, b = two_documents
    first = sweep.sweep(TODAY)
    assert (first["due_soon"], first["overdue"], first["escalated"]) == (1, 1, 0)
    # Due soon: the holder of TNMT's assignment, its head (not yet handed to an officer).
    assert who(NotificationKind.DUE_SOON) == [TNMT_HEAD]
    # Overdue: the holder and head of Đông Dư, and the chairman who assigned.
    assert who(NotificationKind.OVERDUE) == sorted([DONGDU_HEAD, CHAIRMAN])
    again = sweep.sweep(TODAY)
    assert (again["due_soon"], again["overdue"]) == (0, 0)
    sweep.sweep(TODAY + dt.timedelta(days=1))
    assert len(told(NotificationKind.DUE_SOON)) == 1
    assert len(told(NotificationKind.OVERDUE)) == 2
    assert DeadlineReminder.objects.count() == 2


def test_a_handed_down_assignment_is_reminded_through_the_officer(demo):
    doc = directed(demo)
    child = service.hand_down(lead_of(doc), user(TNMT_HEAD), TNMT_OFFICER)
    for a in (lead_of(doc), child):
        set_deadline(a, dt.date(2026, 3, 4))
    set_deadline(coop_of(doc), dt.date(2026, 3, 30))
    sweep.sweep(TODAY)
    assert who(NotificationKind.DUE_SOON) == [TNMT_OFFICER]
    # Overdue: the officer, the head of TNMT (who also handed it down), once each.
    sweep.sweep(dt.date(2026, 3, 5))
    assert who(NotificationKind.OVERDUE) == sorted([TNMT_OFFICER, TNMT_HEAD])


def test_an_extension_earns_one_new_reminder_for_the_new_deadline(two_documents):
    a, _b = two_documents
    sweep.sweep(TODAY)
    set_deadline(lead_of(a), dt.date(2026, 3, 6), DeadlineState.DUE_SOON)
    sweep.sweep(dt.date(2026, 3, 4))
    sweep.sweep(dt.date(2026, 3, 4))
    subjects = sorted(n.subject for n in told(NotificationKind.DUE_SOON))
    assert len(subjects) == 2
    assert "05/03/2026" in subjects[0] and "06/03/2026" in subjects[1]


def test_for_information_rows_get_no_reminders(demo):
    doc = directed(
        demo,
        assignees=rows(
            (demo["TNMT"].name, HandlingRole.LEAD), (demo["Đông Dư"].name, HandlingRole.INFORM)
        ),
    )
    set_deadline(lead_of(doc), dt.date(2026, 3, 30))
    inform = Assignment.objects.get(reference_name=doc.name, handling_role=HandlingRole.INFORM)
    set_deadline(inform, dt.date(2026, 3, 2))
    sweep.sweep(TODAY)
    assert Assignment.objects.get(pk=inform.pk).deadline_state == DeadlineState.OVERDUE
    assert told(NotificationKind.OVERDUE) == []


def test_overdue_by_more_than_m_working_days_escalates_to_the_next_leader_up(two_documents):
    _a, b = two_documents
    # Due Monday 02/03, M = 2: Wednesday 04/03 is 2 working days late, Thursday 3.
    assert sweep.sweep(dt.date(2026, 3, 4))["escalated"] == 0
    assert sweep.sweep(dt.date(2026, 3, 5))["escalated"] == 1
    # Đông Dư is under UBND huyện: its leader, the chairman, is told.
    assert who(NotificationKind.ESCALATION) == [CHAIRMAN]
    assert sweep.sweep(dt.date(2026, 3, 6))["escalated"] == 0


def test_the_escalation_threshold_is_a_site_setting(two_documents):
    DeadlineSettings.objects.create(escalate_after_working_days=5)
    assert sweep.sweep(dt.date(2026, 3, 6))["escalated"] == 0
    assert sweep.sweep(dt.date(2026, 3, 10))["escalated"] == 1


def test_the_morning_digest_once_a_working_day(two_documents):
    sweep.sweep(TODAY)
    assert sweep.digest(TODAY) == 2
    assert sweep.digest(TODAY) == 0  # once a day
    digest = told(NotificationKind.DIGEST, DONGDU_HEAD)[0]
    assert "1 việc quá hạn" in digest.subject and "0 việc sắp đến hạn" in digest.subject
    tnmt = told(NotificationKind.DIGEST, TNMT_HEAD)[0]
    assert "1 việc sắp đến hạn" in tnmt.subject
    assert sweep.digest(dt.date(2026, 3, 7)) == 0  # a Saturday


def test_clerks_are_reminded_of_documents_not_registered_in_time(demo):
    old = incoming(
        demo,
        arrival_date=timezone.make_aware(dt.datetime(2026, 3, 2, 9)),
        document_date=dt.date(2026, 3, 1),
    )
    incoming(
        demo,
        arrival_date=timezone.make_aware(dt.datetime(2026, 3, 3, 9)),
        document_date=dt.date(2026, 3, 1),
    )
    sweep.sweep(dt.date(2026, 3, 4))  # Monday's is late on Wednesday; Tuesday's is not
    [reminder] = told(NotificationKind.CLERK, CLERK)
    assert "1 văn bản đến" in reminder.subject and old.document_number in reminder.email_content
    sweep.sweep(dt.date(2026, 3, 4))
    assert len(told(NotificationKind.CLERK)) == 1


def test_done_when_friday_before_tet_reminded_once_overdue_once_and_the_rate_moves(demo):
    """A document registered the Friday before Tết 2026 is due 10 working days later; its
    assignee is reminded once two working days before, its unit head told once when overdue,
    and the unit's on-time rate moves accordingly."""
    friday = timezone.make_aware(dt.datetime(2026, 2, 13, 9, 30))
    doc = incoming(demo, arrival_date=friday, document_date=dt.date(2026, 2, 12))
    apply_workflow(doc, "Vào sổ", user(CLERK))
    apply_workflow(doc, "Trình lãnh đạo", user(CLERK), leader=CHAIRMAN)
    apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao Phòng TNMT chủ trì.",
        assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)),
    )
    lead = lead_of(doc)
    assert lead.deadline == dt.date(2026, 3, 6)
    for day in (2, 3, 4, 4, 5, 6):
        sweep.sweep(dt.date(2026, 3, day))
    # The assignee is Phòng TNMT, held by its head until handed to an officer.
    [reminder] = told(NotificationKind.DUE_SOON)
    assert reminder.for_user.email == TNMT_HEAD
    assert "06/03/2026" in reminder.subject
    assert DeadlineReminder.objects.get(kind="Sắp đến hạn").created.date()
    before = on_time_figures(
        unit=demo["TNMT"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    for day in (9, 9, 10):
        sweep.sweep(dt.date(2026, 3, day))
    assert who(NotificationKind.OVERDUE) == sorted([TNMT_HEAD, CHAIRMAN])
    # Done today (after the deadline): late; the unit's rate counts it.
    apply_workflow(doc, "Hoàn thành", user(TNMT_HEAD), result="Đã xử lý")
    assert lead_of(doc).outcome == Outcome.LATE
    after = on_time_figures(unit=demo["TNMT"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert (before["open_overdue"], before["done"]) == (1, 0)
    assert (after["done"], after["done_late"], after["on_time_rate"]) == (1, 1, 0.0)
    # A second document done in time lifts the rate to 50%.
    other = directed(demo, assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)))
    apply_workflow(other, "Hoàn thành", user(TNMT_HEAD), result="Xong")
    rate = on_time_figures(unit=demo["TNMT"], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert (rate["done"], rate["on_time_rate"], rate["late_rate"]) == (2, 50.0, 50.0)


def test_on_time_figures_over_the_api(client, demo):
    doc = directed(demo, assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)))
    apply_workflow(doc, "Hoàn thành", user(TNMT_HEAD), result="Xong")
    client.force_login(user(CHAIRMAN))
    url = "/api/method/eoffice.deadlines.on_time_figures"
    figures = client.get(url, {"unit": demo["TNMT"].name}).json()["message"]
    assert (figures["done"], figures["on_time_rate"]) == (1, 100.0)
    client.force_login(user(DONGDU_HEAD))
    assert client.get(url, {"unit": demo["TNMT"].name}).status_code == 403
    assert client.get(url, {"user": DONGDU_HEAD}).status_code == 200
    assert client.get(url, {}).status_code == 417


# ---------------------------------------------------------------------------------------
# Two sweeps at once, and the indexes


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_and_a_rerun_send_each_reminder_once(demo):
    docs = [directed(demo) for _ in range(12)]
    for i, doc in enumerate(docs):
        set_deadline(lead_of(doc), dt.date(2026, 3, 5) if i % 2 else dt.date(2026, 2, 23))
        set_deadline(coop_of(doc), dt.date(2026, 3, 4))
    day = dt.date(2026, 3, 4)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            sweep.sweep(day)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sweep.sweep(day)
    due_soon, overdue = told(NotificationKind.DUE_SOON), told(NotificationKind.OVERDUE)
    escalated = told(NotificationKind.ESCALATION)
    # 6 leads + 12 co-operations due soon (one holder each); 6 leads overdue (TNMT head and
    # the chairman), escalated to the chairman.
    assert len(due_soon) == 18
    assert len(overdue) == 12 and len(escalated) == 6
    keys = [(n.for_user_id, n.document_name, n.kind) for n in due_soon + overdue + escalated]
    assert len(keys) == len(set(keys))
    assert DeadlineReminder.objects.count() == 18 + 6 + 6


def explain(sql_or_queryset, params=None) -> list[dict]:
    if params is None:
        sql, params = sql_or_queryset.query.sql_with_params()
    else:
        sql = sql_or_queryset
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def outer(plan) -> dict:
    return next(row for row in plan if row["table"] == "eoffice_assignment")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_reads_only_what_is_due_through_its_index(demo):
    """EXPLAIN on MariaDB: every query of the sweep is a range over asg_deadline_sweep."""
    doc = directed(demo)
    lead = lead_of(doc)
    today = dt.date(2026, 3, 4)
    rows_ = []
    for i in range(3000):  # most rows far from due, or closed: a scan would be the worst plan
        rows_.append(
            Assignment(
                name=f"bulk{i:05d}",
                reference_doctype="Incoming Document",
                reference_name=doc.name,
                unit=demo["TNMT"],
                handling_role=HandlingRole.COOPERATE,
                deadline=today + dt.timedelta(days=30 + i % 300),
                original_deadline=today,
                status=AssignmentStatus.DONE if i % 3 == 0 else AssignmentStatus.OPEN,
                deadline_state=DeadlineState.ON_TRACK,
                assigned_by=lead.assigned_by,
            )
        )
    Assignment.objects.bulk_create(rows_)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE eoffice_assignment")
        cursor.fetchall()
    until = calendar.last_day_within(today, 2)
    queries = [
        sweep.window(DeadlineState.DUE_SOON, today, until),
        sweep.window(DeadlineState.OVERDUE, today - dt.timedelta(days=60), today),
        sweep._open().filter(
            deadline_state__in=[DeadlineState.ON_TRACK, DeadlineState.DUE_SOON],
            deadline__lt=today,
        ),
        sweep._open().filter(
            deadline_state=DeadlineState.ON_TRACK, deadline__gte=today, deadline__lte=until
        ),
    ]
    for qs in queries:
        row = outer(explain(qs))
        assert (row["key"], row["type"]) == ("asg_deadline_sweep", "range"), row
    # What was handed down, and what was reminded: lookups by id through their indexes.
    ids = [rows_[1].pk, rows_[2].pk, lead.pk]
    children = Assignment.objects.filter(parent_assignment_id__in=ids, status__in=["Chờ xử lý"])
    row = outer(explain(children.values("parent_assignment_id")))
    assert row["type"] in ("range", "ref") and "parent_assignment" in row["key"], row
    sent = DeadlineReminder.objects.filter(assignment_id__in=ids, kind="Quá hạn")
    [row] = explain(sent.values_list("assignment_id", "window"))
    assert (row["key"], row["type"]) == ("reminder_once_per_assignment", "range"), row
    # The state changes are UPDATEs over the same range.
    from django.db.models.sql.subqueries import UpdateQuery

    qs = sweep._open().filter(
        deadline_state__in=[DeadlineState.ON_TRACK, DeadlineState.DUE_SOON], deadline__lt=today
    )
    update = qs.query.chain(UpdateQuery)
    update.add_update_values({"deadline_state": DeadlineState.OVERDUE})
    sql, params = update.get_compiler(connection=connection).as_sql()
    row = outer(explain(sql, params))
    assert (row["key"], row["type"]) == ("asg_deadline_sweep", "range"), row
