"""The engine: who is offered what, one transaction per transition, the log, admin edits."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from eoffice.constants import HandlingRole, Urgency
from eoffice.doctype.assignment import Assignment
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.workflow_log import AppendOnlyError, WorkflowLog
from eoffice.exceptions import PermissionError, ValidationError, WorkflowTransitionError
from eoffice.workflows.engine import (
    APP_WORKFLOW_DIR,
    apply_workflow,
    can_edit,
    get_transitions,
)
from tests.doctype.factories import (
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    TNMT_HEAD,
    incoming,
    registered,
    rows,
    user,
    waiting_for_direction,
)

FRAPPE_EXPORT = Path(__file__).parent / "data" / "frappe_export_incoming.json"


@pytest.fixture
def site_workflows():
    """The site's own workflow folder, emptied afterwards (an administrator's edits)."""
    folder = Path(settings.SITE_DIR) / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    shutil.rmtree(folder)


def actions(doc, email):
    return [t.action for t in get_transitions(doc, user(email))]


def test_a_new_document_offers_the_clerk_register_and_return_and_the_leader_nothing(demo):
    doc = incoming(demo)
    assert actions(doc, CLERK) == ["Trả lại", "Vào sổ"]
    assert actions(doc, CHAIRMAN) == []
    assert actions(doc, TNMT_HEAD) == []  # cannot even read it


def test_each_transition_appends_who_when_from_action_to_and_comment_to_the_log(demo):
    doc = waiting_for_direction(demo)
    log = list(
        WorkflowLog.objects.filter(reference_name=doc.name)
        .order_by("id")
        .values_list("user_name", "from_state", "action", "to_state")
    )
    assert log == [
        (CLERK, "Chờ tiếp nhận", "Vào sổ", "Đã vào sổ"),
        (CLERK, "Đã vào sổ", "Trình lãnh đạo", "Chờ chỉ đạo"),
    ]
    doc2 = incoming(demo)
    apply_workflow(doc2, "Trả lại", user(CLERK), comment="Gửi nhầm đơn vị")
    row = WorkflowLog.objects.get(reference_name=doc2.name)
    assert (row.action, row.comment, row.creation is not None) == (
        "Trả lại",
        "Gửi nhầm đơn vị",
        True,
    )


def test_the_log_can_be_neither_changed_nor_deleted(demo):
    doc = registered(demo)
    row = WorkflowLog.objects.get(reference_name=doc.name)
    row.comment = "sửa lịch sử"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        WorkflowLog.objects.filter(pk=row.pk).update(comment="x")
    with pytest.raises(AppendOnlyError):
        WorkflowLog.objects.filter(pk=row.pk).delete()


def test_an_action_not_allowed_in_the_state_is_refused_with_the_state_named(demo):
    doc = incoming(demo)
    with pytest.raises(WorkflowTransitionError) as info:
        apply_workflow(doc, "Phân công", user(CHAIRMAN))
    assert "«Phân công»" in info.value.message and "«Chờ tiếp nhận»" in info.value.message
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ tiếp nhận"


def test_a_role_the_action_does_not_allow_is_refused_with_the_roles_named(demo):
    doc = waiting_for_direction(demo)
    with pytest.raises(PermissionError) as info:
        apply_workflow(doc, "Phân công", user(CLERK), direction="x")
    assert "«Lãnh đạo»" in info.value.message


def test_the_right_role_in_the_wrong_unit_is_refused_by_the_person_rule(demo):
    doc = waiting_for_direction(demo)
    # The head of Đông Dư is a "Lãnh đạo đơn vị", but not of the unit that received it; he
    # cannot even read it. The head of TNMT cannot either.
    for email in (DONGDU_HEAD, TNMT_HEAD):
        with pytest.raises(PermissionError):
            apply_workflow(doc, "Phân công", user(email), direction="x")
    assert doc.workflow_state == "Chờ chỉ đạo"


def test_a_failing_side_effect_rolls_back_state_rows_log_and_number(demo):
    doc = waiting_for_direction(demo)
    register = DocumentRegister.objects.get(pk=doc.register_id)
    before_log = WorkflowLog.objects.count()
    with pytest.raises(ValidationError) as info:
        apply_workflow(
            doc,
            "Phân công",
            user(CHAIRMAN),
            direction="Giao hai đơn vị chủ trì",
            assignees=rows(
                (demo["TNMT"].name, HandlingRole.LEAD), (demo["KT"].name, HandlingRole.LEAD)
            ),
        )
    assert info.value.field == "assignees"
    assert "«Chủ trì»" in info.value.message
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.direction, doc.assignees.count()) == ("Chờ chỉ đạo", "", 0)
    assert Assignment.objects.count() == 0
    assert WorkflowLog.objects.count() == before_log
    register.refresh_from_db()
    assert register.last_number == doc.arrival_number


def test_data_an_action_does_not_take_is_refused(demo):
    doc = incoming(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Vào sổ", user(CLERK), arrival_number=1)
    assert info.value.field == "arrival_number"
    doc.refresh_from_db()
    assert doc.arrival_number is None


def test_return_needs_a_reason(demo):
    doc = incoming(demo)
    with pytest.raises(ValidationError) as info:
        apply_workflow(doc, "Trả lại", user(CLERK))
    assert info.value.field == "comment"


def test_allow_edit_follows_the_state(demo):
    doc = incoming(demo)
    assert can_edit(doc, user(CLERK)) and not can_edit(doc, user(CHAIRMAN))
    doc = waiting_for_direction(demo)
    assert can_edit(doc, user(CHAIRMAN)) and not can_edit(doc, user(CLERK))


def test_an_administrator_relabels_an_action_and_changes_its_role_without_a_restart(
    demo, site_workflows
):
    doc = incoming(demo)
    data = json.loads((APP_WORKFLOW_DIR / "incoming_document.json").read_text(encoding="utf-8"))
    for t in data["transitions"]:
        if t["action"] == "Vào sổ":
            t["label"] = "Vào sổ văn bản đến"
        if t["action"] == "Trả lại":
            t["allowed"] = "Lãnh đạo"
            t["only"] = "unit_leader"
    (site_workflows / "incoming_document.json").write_text(
        json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    offered = {t.action: t.label for t in get_transitions(doc, user(CLERK))}
    assert offered == {"Vào sổ": "Vào sổ văn bản đến"}
    assert [t.action for t in get_transitions(doc, user(CHAIRMAN))] == ["Trả lại"]
    (site_workflows / "incoming_document.json").unlink()
    assert actions(doc, CLERK) == ["Trả lại", "Vào sổ"]


def test_a_frappe_export_dropped_into_the_site_drives_documents_with_its_conditions(
    demo, site_workflows
):
    shutil.copy(FRAPPE_EXPORT, site_workflows / "tiep_nhan.json")
    normal = incoming(demo)
    urgent = incoming(demo, urgency=Urgency.FLASH)
    assert actions(normal, CLERK) == ["Tiếp nhận"]
    assert actions(urgent, CLERK) == ["Chuyển gấp"]
    apply_workflow(urgent, "Chuyển gấp", user(CLERK))
    assert (urgent.workflow_state, urgent.notes) == ("Chuyển gấp", "Chuyển ngay cho lãnh đạo")
    apply_workflow(normal, "Tiếp nhận", user(CLERK))
    # "Xem" has allow_self_approval 0 and a condition on the owner: the chairman may.
    apply_workflow(normal, "Xem", user(CHAIRMAN))
    assert normal.workflow_state == "Đã xem"


def test_self_approval_is_refused_when_the_transition_forbids_it(demo, site_workflows):
    data = json.loads(FRAPPE_EXPORT.read_text(encoding="utf-8"))
    data[0]["transitions"][2]["condition"] = None  # only allow_self_approval 0 remains
    (site_workflows / "tiep_nhan.json").write_text(json.dumps(data, ensure_ascii=False))
    doc = incoming(demo, owner=CHAIRMAN)
    apply_workflow(doc, "Tiếp nhận", user(CLERK))
    assert actions(doc, CHAIRMAN) == []
    with pytest.raises(PermissionError) as info:
        apply_workflow(doc, "Xem", user(CHAIRMAN))
    assert "tự duyệt" in info.value.message


def test_a_broken_site_workflow_is_reported_by_the_system_check(site_workflows):
    from eoffice.workflows.checks import workflow_files_are_valid

    assert workflow_files_are_valid(None) == []
    data = json.loads((APP_WORKFLOW_DIR / "incoming_document.json").read_text(encoding="utf-8"))
    data["transitions"][0]["allowed"] = "Trưởng phòng"
    (site_workflows / "incoming_document.json").write_text(json.dumps(data, ensure_ascii=False))
    (error,) = workflow_files_are_valid(None)
    assert error.id == "eoffice.E010"
    assert "incoming_document.json" in error.msg and "«Trưởng phòng»" in error.msg


def test_a_mistaken_edit_is_refused_and_the_last_good_version_stays_in_force(demo, site_workflows):
    from eoffice.workflows.engine import load_errors

    doc = incoming(demo)
    path = site_workflows / "incoming_document.json"
    data = json.loads((APP_WORKFLOW_DIR / "incoming_document.json").read_text(encoding="utf-8"))
    data["transitions"][1]["label"] = "Vào sổ đến"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert {t.label for t in get_transitions(doc, user(CLERK))} == {"Trả lại nơi gửi", "Vào sổ đến"}
    data["transitions"][1]["next_state"] = "Không có"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    # Same instant, different content: make the change visible to the mtime check.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert {t.label for t in get_transitions(doc, user(CLERK))} == {"Trả lại nơi gửi", "Vào sổ đến"}
    (error,) = load_errors()
    assert "«Không có»" in error
    apply_workflow(doc, "Vào sổ", user(CLERK))
    assert doc.workflow_state == "Đã vào sổ"
