"""Assignments: hand-down, reports, extensions, recall, read receipts, inboxes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from eoffice import calendar
from eoffice.constants import HandlingRole, Outcome
from eoffice.doctype import assignment as service
from eoffice.doctype.assignment import (
    Assignment,
    AssignmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    classify,
)
from eoffice.doctype.comment import Comment
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.exceptions import PermissionError, ValidationError
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
    directed,
    rows,
    user,
)


def get(doc, role, person=None) -> Assignment:
    qs = Assignment.objects.filter(reference_name=doc.name, handling_role=role)
    if person:
        return qs.get(assigned_to__email=person)
    return qs.get(parent_assignment=None)


def test_the_co_operating_head_hands_down_and_the_officer_reports_to_the_lead(demo):
    doc = directed(demo)
    coop = get(doc, HandlingRole.COOPERATE)
    child = service.hand_down(coop, user(DONGDU_HEAD), DONGDU_STAFF, note="Rà soát thửa đất")
    assert (child.parent_assignment, child.assigned_to) == (coop, user(DONGDU_STAFF))
    coop.refresh_from_db()
    assert coop.status == AssignmentStatus.IN_PROGRESS
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã phân công"  # only the lead's hand-down moves the document

    comment = service.report_progress(child, user(DONGDU_STAFF), "Đã rà soát 20 thửa.")
    assert (comment.reference_doctype, comment.reference_name) == ("Assignment", child.name)
    child.refresh_from_db()
    assert child.status == AssignmentStatus.IN_PROGRESS
    with pytest.raises(PermissionError):
        service.report_progress(child, user(BATRANG_STAFF), "Không phải việc của tôi")


def test_handing_down_the_lead_through_the_assignment_moves_the_document(demo):
    doc = directed(demo)
    child = service.hand_down(get(doc, HandlingRole.LEAD), user(TNMT_HEAD), TNMT_OFFICER)
    doc.refresh_from_db()
    assert doc.workflow_state == "Đang xử lý"
    assert child.assigned_to == user(TNMT_OFFICER)


def test_only_the_head_of_the_unit_hands_down(demo):
    doc = directed(demo)
    with pytest.raises(PermissionError):
        service.hand_down(get(doc, HandlingRole.COOPERATE), user(DONGDU_STAFF), DONGDU_STAFF)
    with pytest.raises(PermissionError):
        service.hand_down(get(doc, HandlingRole.COOPERATE), user(TNMT_HEAD), TNMT_OFFICER)


def test_an_extension_asked_of_who_assigned_keeps_the_original_deadline_and_every_request(demo):
    doc = directed(demo)
    lead = get(doc, HandlingRole.LEAD)
    first_deadline = lead.deadline
    early = calendar.add_working_days(timezone.localdate(), 3)
    child = service.hand_down(lead, user(TNMT_HEAD), TNMT_OFFICER, deadline=early)

    # The officer asks the head (who handed it down) for two more days: approved.
    wanted = calendar.add_working_days(early, 2)
    x = service.request_extension(child, user(TNMT_OFFICER), wanted, "Chờ số liệu của xã")
    assert x.status == ExtensionStatus.PENDING and x.old_deadline == early
    with pytest.raises(ValidationError):  # one pending request at a time
        service.request_extension(child, user(TNMT_OFFICER), wanted, "Lần nữa")
    with pytest.raises(PermissionError):  # not the chairman's to decide: he did not assign it
        service.decide_extension(x, user(CHAIRMAN), True)
    service.decide_extension(x, user(TNMT_HEAD), True, "Đồng ý")
    child.refresh_from_db()
    assert (child.deadline, child.original_deadline) == (wanted, early)

    # Beyond the unit's own deadline the head cannot grant it: the head must ask upward.
    x2 = service.request_extension(
        child, user(TNMT_OFFICER), first_deadline + dt.timedelta(days=7), "Thêm thời gian"
    )
    with pytest.raises(ValidationError) as info:
        service.decide_extension(x2, user(TNMT_HEAD), True)
    assert info.value.field == "new_deadline"
    service.decide_extension(x2, user(TNMT_HEAD), False, "Không đồng ý")

    # The head asks the chairman to extend the unit's lead; the document's deadline follows.
    later = calendar.add_working_days(first_deadline, 5)
    x3 = service.request_extension(lead, user(TNMT_HEAD), later, "Khối lượng lớn")
    service.decide_extension(x3, user(CHAIRMAN), True)
    lead.refresh_from_db()
    doc.refresh_from_db()
    assert (lead.deadline, lead.original_deadline, doc.deadline) == (later, first_deadline, later)

    history = list(
        ExtensionRequest.objects.order_by("id").values_list(
            "assignment__name", "status", "old_deadline", "requested_deadline"
        )
    )
    assert history == [
        (child.name, ExtensionStatus.APPROVED, early, wanted),
        (child.name, ExtensionStatus.REFUSED, wanted, first_deadline + dt.timedelta(days=7)),
        (lead.name, ExtensionStatus.APPROVED, first_deadline, later),
    ]
    assert Comment.objects.filter(comment_type="Extension").count() == 6


def test_an_extension_needs_a_later_date_and_a_reason(demo):
    doc = directed(demo)
    lead = get(doc, HandlingRole.LEAD)
    with pytest.raises(ValidationError) as info:
        service.request_extension(lead, user(TNMT_HEAD), lead.deadline, "Lý do")
    assert info.value.field == "new_deadline"
    with pytest.raises(ValidationError) as info:
        service.request_extension(lead, user(TNMT_HEAD), lead.deadline + dt.timedelta(days=3), " ")
    assert info.value.field == "reason"
    with pytest.raises(ValidationError) as info:
        service.request_extension(lead, user(TNMT_HEAD), "31/02/2026", "Lý do")
    assert info.value.field == "new_deadline"
    with pytest.raises(PermissionError):
        service.request_extension(
            lead, user(TNMT_OFFICER), lead.deadline + dt.timedelta(days=3), "x"
        )
    assert not ExtensionRequest.objects.exists()


def test_who_assigned_recalls_an_assignment_and_the_history_stays(demo):
    doc = directed(demo)
    coop = get(doc, HandlingRole.COOPERATE)
    child = service.hand_down(coop, user(DONGDU_HEAD), DONGDU_STAFF)
    with pytest.raises(PermissionError):
        service.recall(coop, user(TNMT_HEAD), "Không phải người giao")

    # The commune head takes it back from his officer: the unit's row is open again.
    service.recall(child, user(DONGDU_HEAD), "Giao người khác")
    child.refresh_from_db()
    coop.refresh_from_db()
    assert (child.status, child.recall_reason) == (AssignmentStatus.RECALLED, "Giao người khác")
    assert coop.status == AssignmentStatus.OPEN

    # The chairman takes back Đông Dư's co-operation: the commune no longer sees the document.
    service.recall(coop, user(CHAIRMAN), "Không cần xã phối hợp")
    coop.refresh_from_db()
    assert (coop.status, coop.recalled_by) == (AssignmentStatus.RECALLED, user(CHAIRMAN))
    qs = IncomingDocument.objects.filter(pk=doc.pk)
    assert not filter_queryset(user(DONGDU_STAFF), IncomingDocument._doctype, qs).exists()
    with pytest.raises(ValidationError):
        service.recall(coop, user(CHAIRMAN))
    assert Assignment.objects.filter(reference_name=doc.name).count() == 3


def test_recalling_the_lead_returns_the_document_to_its_leader(demo):
    doc = directed(demo)
    service.recall(get(doc, HandlingRole.LEAD), user(CHAIRMAN), "Giao lại")
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ chỉ đạo"
    assert not Assignment.objects.filter(
        reference_name=doc.name, status__in=service.OPEN_STATUSES
    ).exists()


def test_an_information_copy_completes_when_read(demo):
    doc = directed(
        demo,
        assignees=rows(
            (demo["TNMT"].name, HandlingRole.LEAD),
            (BATRANG_STAFF, HandlingRole.INFORM),
            (demo["Đông Dư"].name, HandlingRole.INFORM),
        ),
    )
    personal = get(doc, HandlingRole.INFORM, BATRANG_STAFF)
    unit_copy = Assignment.objects.get(
        reference_name=doc.name, handling_role=HandlingRole.INFORM, unit=demo["Đông Dư"]
    )
    with pytest.raises(PermissionError):
        service.mark_read(personal, user(DONGDU_STAFF))
    service.mark_read(personal, user(BATRANG_STAFF))
    personal.refresh_from_db()
    assert personal.status == AssignmentStatus.DONE and personal.read_on is not None
    assert personal.outcome == Outcome.EARLY
    # Opening the document marks the unit's copy read for any member of the unit.
    done = service.mark_read_for(doc, user(DONGDU_STAFF))
    assert [a.pk for a in done] == [unit_copy.pk]
    with pytest.raises(ValidationError):
        service.mark_read(get(doc, HandlingRole.LEAD), user(TNMT_HEAD))


def test_a_co_operating_unit_reports_its_part_done_with_a_result(demo):
    doc = directed(demo)
    coop = get(doc, HandlingRole.COOPERATE)
    with pytest.raises(ValidationError) as info:
        service.complete_assignment(coop, user(DONGDU_HEAD))
    assert info.value.field == "result"
    with pytest.raises(PermissionError):
        service.complete_assignment(coop, user(DONGDU_STAFF), result="x")
    service.complete_assignment(coop, user(DONGDU_HEAD), result="Đã gửi số liệu")
    coop.refresh_from_db()
    assert (coop.status, coop.result) == (AssignmentStatus.DONE, "Đã gửi số liệu")


def test_completing_the_lead_assignment_completes_the_document(demo):
    doc = directed(demo)
    service.complete_assignment(get(doc, HandlingRole.LEAD), user(TNMT_HEAD), result="Xong")
    doc.refresh_from_db()
    assert doc.workflow_state == "Hoàn thành"
    # The co-operation still open when the lead finished is closed, not counted as done.
    assert get(doc, HandlingRole.COOPERATE).status == AssignmentStatus.CLOSED


def test_work_done_before_on_or_after_the_deadline_is_classified():
    deadline = dt.date(2026, 3, 10)
    assert classify(dt.date(2026, 3, 9), deadline) == Outcome.EARLY
    assert classify(deadline, deadline) == Outcome.ON_TIME
    assert classify(dt.date(2026, 3, 11), deadline) == Outcome.LATE


def test_a_late_completion_is_classified_late(demo):
    doc = directed(demo)
    lead = get(doc, HandlingRole.LEAD)
    Assignment.objects.filter(pk=lead.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    apply_workflow(doc, "Hoàn thành", user(TNMT_HEAD), result="Muộn")
    lead.refresh_from_db()
    assert lead.outcome == Outcome.LATE and doc.outcome == Outcome.LATE


# ---------------------------------------------------------------------------------------
# Inboxes


def test_my_inbox_lists_open_assignments_earliest_deadline_first(demo):
    docs = [directed(demo) for _ in range(3)]
    today = timezone.localdate()
    for i, doc in enumerate(docs):
        deadline = calendar.add_working_days(today, 9 - 3 * i)
        service.hand_down(
            get(doc, HandlingRole.LEAD), user(TNMT_HEAD), TNMT_OFFICER, deadline=deadline
        )
    apply_workflow(docs[2], "Hoàn thành", user(TNMT_OFFICER), result="Xong")
    mine = list(service.my_assignments(user(TNMT_OFFICER)))
    assert [a.reference_name for a in mine] == [docs[1].name, docs[0].name]
    unit = list(service.unit_assignments(demo["TNMT"]))
    assert {a.reference_name for a in unit} == {docs[0].name, docs[1].name}
    assert all(a.assigned_to_id is None for a in unit)
    assert [a.reference_name for a in service.unit_assignments(demo["Đông Dư"])] == [
        d.name
        for d in sorted(
            docs[:2],
            key=lambda d: (
                get(d, HandlingRole.COOPERATE).deadline,
                get(d, HandlingRole.COOPERATE).pk,
            ),
        )
    ]


def explain(queryset) -> dict:
    """MariaDB's plan for the assignment table of the query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        names = [c[0] for c in cursor.description]
        plan = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return next(row for row in plan if row["table"] == "eoffice_assignment")


# ANALYZE TABLE commits, so this test runs outside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_inboxes_are_served_by_their_indexes_not_a_scan(demo):
    # Enough closed rows that a scan would be the optimiser's worst choice.
    doc = directed(demo)
    lead = get(doc, HandlingRole.LEAD)
    closed = [
        Assignment(
            name=f"x{i:05d}",
            reference_doctype="Incoming Document",
            reference_name=doc.name,
            unit=demo["TNMT"] if i % 2 else demo["KT"],
            assigned_to=user(TNMT_OFFICER) if i % 3 else None,
            handling_role=HandlingRole.COOPERATE,
            deadline=lead.deadline,
            original_deadline=lead.deadline,
            status=AssignmentStatus.DONE,
        )
        for i in range(400)
    ]
    Assignment.objects.bulk_create(closed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE TABLE eoffice_assignment")
        cursor.fetchall()
    mine = explain(service.my_assignments(user(TNMT_OFFICER)))
    assert (mine["key"], mine["type"]) == ("asg_inbox_user", "range"), mine
    unit = explain(service.unit_assignments(demo["TNMT"]))
    assert (unit["key"], unit["type"]) == ("asg_inbox_unit", "range"), unit


def test_the_assignment_tree_nests_handed_down_rows(demo):
    doc = directed(demo)
    service.hand_down(get(doc, HandlingRole.LEAD), user(TNMT_HEAD), TNMT_OFFICER)
    tree = service.assignment_tree(doc)
    assert [(n["handling_role"], n["unit_name"]) for n in tree] == [
        ("Chủ trì", "Phòng Tài nguyên và Môi trường"),
        ("Phối hợp", "Xã Đông Dư"),
    ]
    assert [c["assigned_to"] for c in tree[0]["children"]] == [TNMT_OFFICER]
    assert tree[0]["status"] == AssignmentStatus.IN_PROGRESS


def test_assignments_are_read_by_their_people_and_units_only(demo):
    directed(demo)
    meta = Assignment._doctype
    seen = {
        email: set(
            filter_queryset(user(email), meta, Assignment.objects.all()).values_list(
                "handling_role", flat=True
            )
        )
        for email in (CHAIRMAN, TNMT_OFFICER, DONGDU_STAFF, BATRANG_STAFF, CLERK)
    }
    assert seen[CHAIRMAN] == {"Chủ trì", "Phối hợp"}
    assert seen[TNMT_OFFICER] == {"Chủ trì"}
    assert seen[DONGDU_STAFF] == {"Phối hợp"}
    assert seen[BATRANG_STAFF] == set() and seen[CLERK] == set()
