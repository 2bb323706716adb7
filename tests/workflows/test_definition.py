"""Workflow files: what loads, and how a mistake is reported (file and entry named)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from eoffice.workflows.definition import (
    WorkflowDefinitionError,
    check_one_active_per_doctype,
    load_workflow_file,
)
from eoffice.workflows.engine import APP_WORKFLOW_DIR

SHIPPED = APP_WORKFLOW_DIR / "incoming_document.json"
FRAPPE_EXPORT = Path(__file__).parent / "data" / "frappe_export_incoming.json"


def shipped() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def write(tmp_path, data, name="quy_trinh.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def load_error(tmp_path, data, name="quy_trinh.json") -> str:
    with pytest.raises(WorkflowDefinitionError) as info:
        load_workflow_file(write(tmp_path, data, name))
    return str(info.value)


def test_the_incoming_workflow_has_the_states_and_actions_of_domain_md():
    (wf,) = load_workflow_file(SHIPPED)
    assert wf.document_type == "Incoming Document"
    assert list(wf.states) == [
        "Chờ tiếp nhận",
        "Bị trả lại",
        "Đã vào sổ",
        "Chờ chỉ đạo",
        "Đã phân công",
        "Đang xử lý",
        "Hoàn thành",
        "Đã lưu",
    ]
    actions = {(t.state, t.action, t.next_state) for t in wf.transitions}
    assert {
        ("Chờ tiếp nhận", "Trả lại", "Bị trả lại"),
        ("Chờ tiếp nhận", "Vào sổ", "Đã vào sổ"),
        ("Đã vào sổ", "Trình lãnh đạo", "Chờ chỉ đạo"),
        ("Đã vào sổ", "Chuyển xử lý", "Đã phân công"),
        ("Chờ chỉ đạo", "Phân công", "Đã phân công"),
        ("Đã phân công", "Giao xử lý", "Đang xử lý"),
        ("Đang xử lý", "Hoàn thành", "Hoàn thành"),
        ("Hoàn thành", "Lưu hồ sơ", "Đã lưu"),
    } <= actions


def test_a_workflow_exported_from_a_frappe_site_loads_as_it_is():
    (wf,) = load_workflow_file(FRAPPE_EXPORT)
    assert wf.name == "Tiếp nhận văn bản đến"
    assert wf.initial_state == "Chờ tiếp nhận"
    assert wf.states["Chuyển gấp"].update_field == "notes"
    assert wf.states["Đã xem"].doc_status == 1
    review = next(t for t in wf.transitions if t.action == "Xem" and t.state == "Đã tiếp nhận")
    assert review.allow_self_approval is False
    assert review.condition == "frappe.session.user != doc.owner"
    assert wf.transitions[0].as_dict()["allowed"] == "Văn thư"


def test_a_transition_to_an_unknown_state_is_refused_naming_the_file_and_entry(tmp_path):
    data = shipped()
    data["transitions"][1]["next_state"] = "Đã vào sổ sách"
    message = load_error(tmp_path, data)
    assert "quy_trinh.json" in message
    assert "transitions[1]" in message
    assert "«Đã vào sổ sách»" in message


def test_a_state_no_transition_reaches_is_refused(tmp_path):
    data = shipped()
    data["states"].append({"state": "Treo", "doc_status": "0", "allow_edit": "Văn thư"})
    message = load_error(tmp_path, data)
    assert "states[8]" in message and "«Treo»" in message
    assert "không thể tới" in message


def test_a_role_that_does_not_exist_is_refused(tmp_path):
    data = shipped()
    data["transitions"][0]["allowed"] = "Thư ký"
    message = load_error(tmp_path, data)
    assert "transitions[0]" in message and "«Thư ký»" in message


def test_an_unknown_role_in_allow_edit_is_refused(tmp_path):
    data = shipped()
    data["states"][2]["allow_edit"] = "System Manager"
    message = load_error(tmp_path, data)
    assert "states[2]" in message and "«System Manager»" in message


@pytest.mark.parametrize(
    ("condition", "why"),
    [
        ("doc.urgency ==", "cú pháp"),
        ("__import__('os').system('id')", "__import__"),
        ("doc.__class__.__mro__", "__class__"),
        ("().__class__.__bases__[0].__subclasses__()", "__class__"),
        ("open('/etc/passwd').read()", "open"),
        ("doc.so_khong_co == 1", "so_khong_co"),
        ("[x for x in doc.assignees]", "ListComp"),
        ("(lambda: 1)()", "gọi"),
        ("doc.summary.format(doc)", "format"),
        ("frappe.db.get_value('User', 'x', 'password')", "frappe.db"),
    ],
)
def test_an_unsafe_or_broken_condition_is_refused_at_load(tmp_path, condition, why):
    data = shipped()
    data["transitions"][2]["condition"] = condition
    message = load_error(tmp_path, data)
    assert "transitions[2]" in message
    assert why in message


def test_a_person_rule_or_hook_not_defined_in_code_is_refused(tmp_path):
    data = shipped()
    data["transitions"][0]["only"] = "chanh_van_phong"
    assert "«chanh_van_phong»" in load_error(tmp_path, data)
    data = shipped()
    data["transitions"][1]["run"] = ["delete"]  # a model method, but not a workflow hook
    message = load_error(tmp_path, data)
    assert "transitions[1]" in message and "«delete»" in message


def test_an_action_may_not_set_a_field_the_system_owns(tmp_path):
    data = shipped()
    data["transitions"][2]["fields"] = ["arrival_number"]
    assert "«arrival_number»" in load_error(tmp_path, data)


def test_a_workflow_for_a_doctype_that_does_not_exist_is_refused(tmp_path):
    data = shipped()
    data["document_type"] = "Văn bản đến"
    assert "DocType «Văn bản đến» không tồn tại" in load_error(tmp_path, data)


def test_two_active_workflows_for_one_doctype_are_refused(tmp_path):
    first = load_workflow_file(write(tmp_path, shipped(), "a.json"))
    other = copy.deepcopy(shipped())
    other["workflow_name"] = "Văn bản đến (bản 2)"
    second = load_workflow_file(write(tmp_path, other, "b.json"))
    with pytest.raises(WorkflowDefinitionError) as info:
        check_one_active_per_doctype(first + second)
    assert "b.json" in str(info.value) and "«Văn bản đến»" in str(info.value)
    other["is_active"] = 0
    inactive = load_workflow_file(write(tmp_path, other, "c.json"))
    assert check_one_active_per_doctype(first + inactive)["Incoming Document"].name == "Văn bản đến"


def test_a_file_that_is_not_json_is_refused_with_its_name(tmp_path):
    path = tmp_path / "hong.json"
    path.write_text("{ states: [", encoding="utf-8")
    with pytest.raises(WorkflowDefinitionError) as info:
        load_workflow_file(path)
    assert "hong.json" in str(info.value)
