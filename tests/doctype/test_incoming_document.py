"""Incoming documents: the demo path, wrong actors, bad input, who reads what, duplicates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone

from eoffice.constants import HandlingRole, Outcome, Role, Secrecy, Urgency
from eoffice.doctype import assignment as assignments
from eoffice.doctype.assignment import Assignment, AssignmentStatus
from eoffice.doctype.comment import get_timeline
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.incoming_document import IncomingDocument, find_duplicates
from eoffice.exceptions import PermissionError, ValidationError, WorkflowTransitionError
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow, get_transitions
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
    directed,
    incoming,
    registered,
    rows,
    user,
    waiting_for_direction,
)

META = IncomingDocument._doctype


def visible_to(email, doc) -> bool:
    qs = IncomingDocument.objects.filter(pk=doc.pk)
    return filter_queryset(user(email), META, qs).exists()


def lead_of(doc) -> Assignment:
    return Assignment.objects.get(
        reference_name=doc.name, handling_role=HandlingRole.LEAD, parent_assignment=None
    )


# ---------------------------------------------------------------------------------------
# The path


def test_the_demo_path_from_the_clerk_to_the_officer_who_completes_it(demo):
    doc = incoming(demo)
    assert doc.workflow_state == "Chờ tiếp nhận"

    # The clerk registers it and submits it to the chairman.
    apply_workflow(doc, "Vào sổ", user(CLERK))
    assert (doc.workflow_state, doc.arrival_number) == ("Đã vào sổ", 1)
    assert doc.register.unit == demo["UBND"] and doc.registered_by == user(CLERK)
    apply_workflow(doc, "Trình lãnh đạo", user(CLERK), leader=CHAIRMAN)
    assert (doc.workflow_state, doc.leader.email) == ("Chờ chỉ đạo", CHAIRMAN)

    # The chairman directs: TNMT leads, Đông Dư co-operates, Bát Tràng's officer is informed.
    apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao Phòng TNMT chủ trì, xã Đông Dư phối hợp; báo cáo trước hạn.",
        assignees=rows(
            (demo["TNMT"].name, HandlingRole.LEAD),
            (demo["Đông Dư"].name, HandlingRole.COOPERATE),
            (BATRANG_STAFF, HandlingRole.INFORM),
        ),
    )
    assert doc.workflow_state == "Đã phân công"
    assert doc.directed_by == user(CHAIRMAN)
    made = {a.handling_role: a for a in Assignment.objects.filter(reference_name=doc.name)}
    assert made[HandlingRole.LEAD].unit == demo["TNMT"]
    assert made[HandlingRole.COOPERATE].unit == demo["Đông Dư"]
    assert made[HandlingRole.INFORM].assigned_to == user(BATRANG_STAFF)
    assert made[HandlingRole.INFORM].unit == demo["Bát Tràng"]  # the person's unit
    assert all(a.assigned_by == user(CHAIRMAN) for a in made.values())
    assert all(a.deadline == a.original_deadline == doc.deadline for a in made.values())

    # The head of TNMT hands it to his officer: the document is being handled.
    assert "Giao xử lý" in [t.action for t in get_transitions(doc, user(TNMT_HEAD))]
    apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    assert doc.workflow_state == "Đang xử lý"
    child = Assignment.objects.get(parent_assignment=made[HandlingRole.LEAD])
    assert (child.assigned_to, child.unit) == (user(TNMT_OFFICER), demo["TNMT"])

    # Đông Dư reports to the lead and finishes its part; Bát Tràng reads it.
    coop = made[HandlingRole.COOPERATE]
    assignments.report_progress(coop, user(DONGDU_HEAD), "Xã đã rà soát 40/52 thửa.")
    assignments.complete_assignment(coop, user(DONGDU_HEAD), result="Đã gửi số liệu cho TNMT.")
    assignments.mark_read(made[HandlingRole.INFORM], user(BATRANG_STAFF))

    # The officer completes the document with the result.
    apply_workflow(
        doc,
        "Hoàn thành",
        user(TNMT_OFFICER),
        result="Đã rà soát, báo cáo UBND huyện.",
        reply_document="215/TNMT-ĐĐ",
    )
    assert doc.workflow_state == "Hoàn thành"
    assert doc.outcome == Outcome.EARLY and doc.completed_on is not None
    statuses = {
        (a.handling_role, a.parent_assignment_id is None): (a.status, a.outcome)
        for a in Assignment.objects.filter(reference_name=doc.name)
    }
    assert statuses == {
        (HandlingRole.LEAD, True): (AssignmentStatus.DONE, Outcome.EARLY),
        (HandlingRole.LEAD, False): (AssignmentStatus.DONE, Outcome.EARLY),
        (HandlingRole.COOPERATE, True): (AssignmentStatus.DONE, Outcome.EARLY),
        (HandlingRole.INFORM, True): (AssignmentStatus.DONE, Outcome.EARLY),
    }
    apply_workflow(doc, "Lưu hồ sơ", user(TNMT_OFFICER), case_file="HS-2026-ĐĐ-07")
    assert (doc.workflow_state, doc.case_file) == ("Đã lưu", "HS-2026-ĐĐ-07")

    kinds = [(e["kind"], e.get("action") or e.get("event")) for e in get_timeline(doc)]
    assert [a for k, a in kinds if k == "Workflow"] == [
        "Vào sổ",
        "Trình lãnh đạo",
        "Phân công",
        "Giao xử lý",
        "Hoàn thành",
        "Lưu hồ sơ",
    ]
    assert ("Progress", None) in kinds and ("Assignment", "completed") in kinds


def test_the_clerk_sends_it_to_the_handler_directly_when_the_handler_is_evident(demo):
    doc = registered(demo)
    apply_workflow(
        doc,
        "Chuyển xử lý",
        user(CLERK),
        assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)),
    )
    assert doc.workflow_state == "Đã phân công"
    assert lead_of(doc).assigned_by == user(CLERK)


def test_a_commune_registers_and_directs_its_own_documents(demo):
    clerk, head = "vanthu.dongdu@gialam.demo", DONGDU_HEAD
    doc = incoming(demo, receiving_unit=demo["Đông Dư"], owner=clerk)
    apply_workflow(doc, "Vào sổ", user(clerk))
    assert doc.register.unit == demo["Đông Dư"] and doc.arrival_number == 1
    apply_workflow(doc, "Trình lãnh đạo", user(clerk))
    apply_workflow(
        doc,
        "Phân công",
        user(head),
        direction="Giao công chức địa chính xử lý.",
        assignees=rows((DONGDU_STAFF, HandlingRole.LEAD)),
    )
    apply_workflow(doc, "Hoàn thành", user(DONGDU_STAFF), result="Đã xử lý.")
    assert doc.workflow_state == "Hoàn thành"


def test_a_secret_document_is_numbered_in_the_secret_register(demo):
    normal = registered(demo)
    secret = registered(demo, secrecy=Secrecy.SECRET)
    assert secret.register.is_secret and not normal.register.is_secret
    assert (normal.arrival_number, secret.arrival_number) == (1, 1)


def test_an_urgent_document_is_due_the_day_it_arrived(demo):
    doc = directed(demo, urgency=Urgency.FLASH)
    assert doc.deadline == timezone.localdate(doc.arrival_date)
    assert lead_of(doc).deadline == doc.deadline


def test_a_leader_recalls_the_direction_and_directs_again(demo):
    doc = directed(demo)
    apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Thu hồi", user(CHAIRMAN))
    assert info.value.field == "comment"
    apply_workflow(doc, "Thu hồi", user(CHAIRMAN), comment="Chuyển Phòng Kinh tế chủ trì")
    assert doc.workflow_state == "Chờ chỉ đạo"
    assert set(
        Assignment.objects.filter(reference_name=doc.name).values_list("status", flat=True)
    ) == {AssignmentStatus.RECALLED}
    assert not visible_to(TNMT_OFFICER, doc)
    apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao Phòng Kinh tế chủ trì.",
        assignees=rows((demo["KT"].name, HandlingRole.LEAD)),
    )
    assert lead_of_open(doc).unit == demo["KT"]


def lead_of_open(doc) -> Assignment:
    return Assignment.objects.get(
        reference_name=doc.name,
        handling_role=HandlingRole.LEAD,
        parent_assignment=None,
        status=AssignmentStatus.OPEN,
    )


# ---------------------------------------------------------------------------------------
# Wrong actors


def test_commune_staff_pressing_direct_is_refused_with_a_message(demo):
    doc = waiting_for_direction(demo)
    for email in (DONGDU_STAFF, BATRANG_STAFF):
        with pytest.raises(PermissionError) as info:
            apply_workflow(doc, "Phân công", user(email), direction="x")
        assert info.value.http_status == 403 and info.value.message
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ chỉ đạo"


def test_the_clerk_completing_is_refused_with_the_roles_named(demo):
    doc = directed(demo)
    with pytest.raises(PermissionError) as info:
        apply_workflow(doc, "Hoàn thành", user(CLERK), result="Xong")
    assert "Hoàn thành" in info.value.message and "«Chuyên viên»" in info.value.message
    assert doc.workflow_state == "Đã phân công"


def test_the_co_operating_head_cannot_hand_down_the_lead(demo):
    doc = directed(demo)
    with pytest.raises(PermissionError) as info:
        apply_workflow(doc, "Giao xử lý", user(DONGDU_HEAD), assign_to=DONGDU_STAFF)
    assert info.value.message == "Chỉ lãnh đạo đơn vị chủ trì được thực hiện «Giao cán bộ xử lý»."


def test_an_officer_of_the_lead_unit_not_handed_it_cannot_complete(demo, make_user):
    other = make_user("cv2.tnmt@gialam.demo", demo["TNMT"], Role.OFFICER)
    doc = directed(demo)
    apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    with pytest.raises(PermissionError) as info:
        apply_workflow(doc, "Hoàn thành", other, result="Xong")
    assert "chủ trì" in info.value.message


def test_the_head_hands_down_only_to_an_officer_of_the_unit(demo):
    doc = directed(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=DONGDU_STAFF)
    assert info.value.field == "assign_to"
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD))
    assert info.value.field == "assign_to"
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã phân công"


# ---------------------------------------------------------------------------------------
# Bad input: a Vietnamese message naming the field, nothing stored changes


def test_missing_required_fields_are_named(demo):
    doc = IncomingDocument(receiving_unit=demo["UBND"])
    with pytest.raises(DjangoValidationError) as info:
        doc.full_clean()
    missing = set(info.value.message_dict)
    assert {"issuer", "document_number", "document_date", "document_type", "summary"} <= missing


def test_registering_a_document_with_a_missing_field_names_it_and_takes_no_number(demo):
    doc = incoming(demo)
    IncomingDocument.objects.filter(pk=doc.pk).update(summary="")
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Vào sổ", user(CLERK))
    assert info.value.field == "summary"
    assert "Trích yếu" in info.value.message
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.arrival_number) == ("Chờ tiếp nhận", None)
    assert (
        DocumentRegister.objects.get(
            unit=demo["UBND"], direction="Đến", is_secret=False
        ).last_number
        == 0
    )


def test_a_document_date_in_the_future_is_refused(demo):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DjangoValidationError) as info:
        incoming(demo, document_date=tomorrow)
    assert info.value.message_dict["document_date"] == ["Ngày văn bản không được sau ngày hôm nay."]
    assert not IncomingDocument.objects.exists()


def test_a_document_dated_after_it_arrived_is_refused(demo):
    arrived = timezone.now() - dt.timedelta(days=5)
    with pytest.raises(DjangoValidationError) as info:
        incoming(
            demo, arrival_date=arrived, document_date=timezone.localdate() - dt.timedelta(days=1)
        )
    assert "document_date" in info.value.message_dict


def test_a_deadline_before_the_arrival_date_is_refused(demo):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(DjangoValidationError) as info:
        incoming(demo, deadline=yesterday)
    assert info.value.message_dict["deadline"] == ["Hạn giải quyết không được trước ngày đến."]


def test_a_direction_with_a_deadline_before_the_arrival_date_is_refused(demo):
    doc = waiting_for_direction(demo)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao TNMT",
            assignees=rows((demo["TNMT"].name, HandlingRole.LEAD, yesterday)),
        )
    assert info.value.field == "assignees" and "không được trước ngày đến" in info.value.message
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao TNMT",
            deadline=yesterday,
            assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)),
        )
    assert info.value.field == "deadline"
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.deadline, doc.assignees.count()) == ("Chờ chỉ đạo", None, 0)


def test_a_second_lead_is_refused_naming_the_rows(demo):
    doc = waiting_for_direction(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao",
            assignees=rows(
                (demo["TNMT"].name, HandlingRole.LEAD),
                (demo["Đông Dư"].name, HandlingRole.COOPERATE),
                (demo["KT"].name, HandlingRole.LEAD),
            ),
        )
    assert info.value.field == "assignees"
    assert info.value.message == "Chỉ được có một «Chủ trì»; các dòng 1, 3 đều là «Chủ trì»."
    assert not Assignment.objects.exists()


def test_a_direction_without_text_or_without_a_lead_is_refused(demo):
    doc = waiting_for_direction(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc, "Phân công", user(CHAIRMAN), assignees=rows((demo["TNMT"].name, HandlingRole.LEAD))
        )
    assert info.value.field == "direction" and "Ý kiến chỉ đạo" in info.value.message
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao",
            assignees=rows((demo["TNMT"].name, HandlingRole.COOPERATE)),
        )
    assert info.value.message == "Cần đúng một đơn vị hoặc người «Chủ trì»."
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao",
            assignees=[{"unit": "GL-KHONG-CO", "handling_role": "Chủ trì"}],
        )
    assert info.value.field == "assignees" and "«GL-KHONG-CO»" in info.value.message
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ chỉ đạo"


def test_completing_without_a_result_is_refused(demo):
    doc = directed(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Hoàn thành", user(TNMT_HEAD))
    assert info.value.field == "result"
    assert lead_of(doc).status == AssignmentStatus.OPEN


def test_registering_twice_is_an_action_not_allowed_in_the_state(demo):
    doc = registered(demo)
    with pytest.raises(WorkflowTransitionError):
        apply_workflow(doc, "Vào sổ", user(CLERK))


# ---------------------------------------------------------------------------------------
# Who reads what


def test_a_document_is_read_by_its_register_units_and_by_those_it_is_assigned_to(demo):
    doc = registered(demo)
    assert visible_to(CLERK, doc) and visible_to(CHAIRMAN, doc)
    for email in (TNMT_HEAD, TNMT_OFFICER, DONGDU_STAFF, BATRANG_STAFF):
        assert not visible_to(email, doc)
    doc = directed(demo)
    for email in (TNMT_HEAD, TNMT_OFFICER, DONGDU_HEAD, DONGDU_STAFF):
        assert visible_to(email, doc)
    assert not visible_to(BATRANG_STAFF, doc)
    assert not visible_to("vanthu.dongdu@gialam.demo", registered(demo))


def test_a_secret_document_is_read_only_by_those_it_names(demo, make_user):
    other_officer = make_user("cv2.tnmt@gialam.demo", demo["TNMT"], Role.OFFICER)
    other_clerk = make_user("vanthu2@gialam.demo", demo["UBND"], Role.CLERK)
    doc = waiting_for_direction(demo, secrecy=Secrecy.TOP_SECRET)
    assert visible_to(CLERK, doc) and visible_to(CHAIRMAN, doc)
    assert not visible_to(other_clerk.email, doc)
    apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao TNMT",
        assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)),
    )
    assert visible_to(TNMT_HEAD, doc)  # the head of the unit it is assigned to
    assert not visible_to(TNMT_OFFICER, doc)
    apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    assert visible_to(TNMT_OFFICER, doc)
    assert not visible_to(other_officer.email, doc)
    assert not visible_to(DONGDU_HEAD, doc)


# ---------------------------------------------------------------------------------------
# Duplicates


def test_the_same_issuer_and_number_this_year_is_reported_as_a_duplicate(demo):
    first = registered(demo, issuer="Sở Tài nguyên và Môi trường", document_number="125/STNMT-QLĐĐ")
    found = find_duplicates(" sở tài nguyên và môi trường ", "125/stnmt-qlđđ", user=user(CLERK))
    assert [d["name"] for d in found] == [first.name]
    assert found[0]["arrival_number"] == first.arrival_number
    # Đ is not D: a different số ký hiệu.
    assert find_duplicates("Sở Tài nguyên và Môi trường", "125/STNMT-QLDD") == []
    assert find_duplicates("Sở Xây dựng", "125/STNMT-QLĐĐ") == []
    assert find_duplicates("Sở Tài nguyên và Môi trường", "125/STNMT-QLĐĐ", exclude=first) == []
    # Someone who cannot read the first one is not told about it.
    assert (
        find_duplicates("Sở Tài nguyên và Môi trường", "125/STNMT-QLĐĐ", user=user(BATRANG_STAFF))
        == []
    )
    last_year = timezone.localdate().year - 1
    assert find_duplicates("Sở Tài nguyên và Môi trường", "125/STNMT-QLĐĐ", year=last_year) == []


def test_a_registered_document_cannot_be_moved_to_another_register(demo):
    doc = registered(demo)
    doc.secrecy = Secrecy.SECRET
    with pytest.raises(DjangoValidationError) as info:
        doc.full_clean()
    assert "secrecy" in info.value.message_dict
    doc = registered(demo)
    doc.receiving_unit = demo["Đông Dư"]
    with pytest.raises(DjangoValidationError) as info:
        doc.full_clean()
    assert "receiving_unit" in info.value.message_dict


def test_a_clerk_registers_for_the_units_where_she_is_the_clerk(demo):
    from eoffice.doctype.incoming_document import receiving_units_for

    assert receiving_units_for(user(CLERK)) == [demo["UBND"]]
    assert receiving_units_for(user("vanthu.dongdu@gialam.demo")) == [demo["Đông Dư"]]
    assert receiving_units_for(user(TNMT_OFFICER)) == []
