"""The incoming path over real HTTP, as a Frappe client drives it (requests + live server)."""

from __future__ import annotations

import json

import pytest
import requests
from django.utils import timezone

from eoffice.constants import HandlingRole
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
)

PASSWORD = "Demo@2017"
APPLY = "/api/method/frappe.model.workflow.apply_workflow"
TRANSITIONS = "/api/method/frappe.model.workflow.get_transitions"


class Session(requests.Session):
    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base + url, *args, **kwargs)

    def call(self, path: str, **params):
        """POST a whitelisted method with a JSON body; the response."""
        return self.post(f"/api/method/{path}", json=params)

    def message(self, path: str, **params):
        response = self.call(path, **params)
        assert response.status_code == 200, response.text
        return response.json()["message"]

    def act(self, doc: dict, action: str, **data) -> dict:
        response = self.post(APPLY, json={"doc": doc, "action": action, **data})
        assert response.status_code == 200, response.text
        return response.json()["message"]


def messages(response) -> list[str]:
    body = response.json()
    return [json.loads(item)["message"] for item in json.loads(body["_server_messages"])]


@pytest.fixture
def login(live_server, demo):
    def make(email: str) -> Session:
        s = Session(live_server.url)
        response = s.post("/api/method/login", json={"usr": email, "pwd": PASSWORD})
        assert response.status_code == 200, response.text
        return s

    return make


def new_document(clerk: Session, demo, **fields) -> dict:
    today = timezone.localdate()
    body = {
        "receiving_unit": demo["UBND"].name,
        "issuer": "Sở Tài nguyên và Môi trường Hà Nội",
        "document_number": "2207/STNMT-QLĐĐ",
        "document_date": today.isoformat(),
        "document_type": "Công văn",
        "summary": "V/v kiểm tra việc quản lý, sử dụng đất công",
        "urgency": "Thường",
        **fields,
    }
    response = clerk.post("/api/resource/Incoming Document", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_the_demo_path_runs_end_to_end_over_the_frappe_api(login, demo):
    clerk, chairman = login(CLERK), login(CHAIRMAN)
    head, officer = login(TNMT_HEAD), login(TNMT_OFFICER)
    commune_head, informed = login(DONGDU_HEAD), login(BATRANG_STAFF)

    doc = new_document(clerk, demo)
    assert doc["workflow_state"] == "Chờ tiếp nhận" and doc["owner"] == CLERK
    offered = clerk.message("frappe.model.workflow.get_transitions", doc=doc)
    assert [t["action"] for t in offered] == ["Trả lại", "Vào sổ"]
    assert offered[1]["next_state"] == "Đã vào sổ" and offered[1]["allowed"] == "Văn thư"

    duplicates = clerk.message(
        "eoffice.incoming_document.find_duplicates",
        issuer=doc["issuer"],
        document_number=doc["document_number"],
    )
    assert [d["name"] for d in duplicates] == [doc["name"]]

    doc = clerk.act(doc, "Vào sổ")
    assert (doc["workflow_state"], doc["arrival_number"]) == ("Đã vào sổ", 1)
    doc = clerk.act({"doctype": "Incoming Document", "name": doc["name"]}, "Trình lãnh đạo")
    assert doc["workflow_state"] == "Chờ chỉ đạo"

    # The chairman fills the direction with a PUT (as a Frappe form saves), then acts.
    put = chairman.put(
        f"/api/resource/Incoming Document/{doc['name']}",
        json={
            "direction": "Giao Phòng TNMT chủ trì; xã Đông Dư phối hợp.",
            "assignees": [
                {"unit": demo["TNMT"].name, "handling_role": HandlingRole.LEAD},
                {"unit": demo["Đông Dư"].name, "handling_role": HandlingRole.COOPERATE},
                {"user": BATRANG_STAFF, "handling_role": HandlingRole.INFORM},
            ],
        },
    )
    assert put.status_code == 200, put.text
    doc = chairman.act(put.json()["data"], "Phân công")
    assert doc["workflow_state"] == "Đã phân công" and doc["directed_by"] == CHAIRMAN

    tree = head.message(
        "eoffice.assignment.get_tree",
        reference_doctype="Incoming Document",
        reference_name=doc["name"],
    )
    lead, coop, inform = tree
    assert (lead["handling_role"], lead["unit"]) == ("Chủ trì", demo["TNMT"].name)

    assert "Giao xử lý" in [
        t["action"] for t in head.message("frappe.model.workflow.get_transitions", doc=doc)
    ]
    doc = head.act(doc, "Giao xử lý", assign_to=TNMT_OFFICER)
    assert doc["workflow_state"] == "Đang xử lý"

    commune_head.message(
        "eoffice.assignment.report_progress", assignment=coop["name"], content="Đã rà soát."
    )
    commune_head.message(
        "eoffice.assignment.complete", assignment=coop["name"], result="Đã gửi số liệu."
    )
    read = informed.message(
        "eoffice.assignment.mark_read",
        reference_doctype="Incoming Document",
        reference_name=doc["name"],
    )
    assert [r["status"] for r in read] == ["Hoàn thành"]

    mine = officer.message("eoffice.assignment.my_assignments")
    assert [a["reference_name"] for a in mine] == [doc["name"]]
    doc = officer.act(doc, "Hoàn thành", result="Đã kiểm tra, báo cáo UBND huyện.")
    assert (doc["workflow_state"], doc["outcome"]) == ("Hoàn thành", "Hoàn thành trước hạn")

    timeline = officer.message(
        "eoffice.timeline.get_timeline", doctype="Incoming Document", name=doc["name"]
    )
    assert [e["action"] for e in timeline if e["kind"] == "Workflow"] == [
        "Vào sổ",
        "Trình lãnh đạo",
        "Phân công",
        "Giao xử lý",
        "Hoàn thành",
    ]


def test_wrong_actors_get_403_with_a_vietnamese_message(login, demo):
    clerk, chairman = login(CLERK), login(CHAIRMAN)
    doc = new_document(clerk, demo)
    doc = clerk.act(doc, "Vào sổ")
    doc = clerk.act(doc, "Trình lãnh đạo")

    staff = login(DONGDU_STAFF)
    response = staff.post(APPLY, json={"doc": doc, "action": "Phân công", "direction": "x"})
    assert response.status_code == 403, response.text
    assert response.json()["exc_type"] == "PermissionError"
    assert messages(response)[0].startswith("Bạn không có quyền")

    doc = chairman.act(
        doc,
        "Phân công",
        direction="Giao TNMT",
        assignees=[{"unit": demo["TNMT"].name, "handling_role": "Chủ trì"}],
    )
    response = clerk.post(APPLY, json={"doc": doc, "action": "Hoàn thành", "result": "Xong"})
    assert response.status_code == 403, response.text
    assert "chỉ dành cho vai trò" in messages(response)[0]


def test_bad_input_gets_417_naming_the_field_and_changes_nothing(login, demo):
    clerk, chairman = login(CLERK), login(CHAIRMAN)
    doc = clerk.act(clerk.act(new_document(clerk, demo), "Vào sổ"), "Trình lãnh đạo")

    response = chairman.post(
        APPLY,
        json={
            "doc": doc,
            "action": "Phân công",
            "direction": "Giao",
            "assignees": [
                {"unit": demo["TNMT"].name, "handling_role": "Chủ trì"},
                {"unit": demo["KT"].name, "handling_role": "Chủ trì"},
            ],
        },
    )
    assert response.status_code == 417, response.text
    assert response.json()["exc_type"] == "ValidationError"
    assert "«Chủ trì»" in messages(response)[0]

    response = chairman.post(APPLY, json={"doc": doc, "action": "Vào sổ"})
    assert response.status_code == 417 and response.json()["exc_type"] == "WorkflowTransitionError"
    assert "«Chờ chỉ đạo»" in messages(response)[0]

    again = chairman.get(f"/api/resource/Incoming Document/{doc['name']}").json()["data"]
    assert (again["workflow_state"], again["assignees"], again["direction"]) == (
        "Chờ chỉ đạo",
        [],
        "",
    )

    response = clerk.post(
        "/api/resource/Incoming Document",
        json={"receiving_unit": demo["UBND"].name, "summary": "Thiếu số ký hiệu và ngày"},
    )
    assert response.status_code == 417, response.text
    assert "Cơ quan ban hành" in messages(response)[0]

    response = clerk.post(
        APPLY, json={"doc": {"doctype": "Incoming Document", "name": "VBD-0"}, "action": "Vào sổ"}
    )
    assert response.status_code == 403 and "không tồn tại" in messages(response)[0]


def test_working_days_are_counted_over_the_api(login):
    s = login(CLERK)
    response = s.get(
        "/api/method/eoffice.calendar.add_working_days", params={"date": "2026-02-13", "days": 1}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"message": "2026-02-23"}
    bad = s.get(
        "/api/method/eoffice.calendar.add_working_days", params={"date": "13/13/2026", "days": 1}
    )
    assert bad.status_code == 417 and "không phải ngày hợp lệ" in messages(bad)[0]


def test_a_leader_gives_work_with_a_file_and_the_officer_finds_both(login, demo):
    import io

    from PIL import Image

    head, officer = login(TNMT_HEAD), login(TNMT_OFFICER)
    response = head.post(
        "/api/resource/Task",
        json={
            "title": "Kiểm tra hiện trạng bãi tập kết vật liệu",
            "description": "Kiểm tra, lập biên bản, đề xuất xử lý.",
            "assigning_unit": demo["TNMT"].name,
            "assignees": [{"user": TNMT_OFFICER, "handling_role": "Chủ trì"}],
        },
    )
    assert response.status_code == 200, response.text
    task = response.json()["data"]
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(image, format="PNG")
    upload = head.post(
        "/api/method/upload_file",
        data={"doctype": "Task", "docname": task["name"]},
        files={"file": ("so-do-hien-trang.png", image.getvalue(), "image/png")},
    )
    assert upload.status_code == 200, upload.text
    task = head.act(task, "Giao việc")
    assert task["workflow_state"] == "Đã giao"

    mine = officer.message("eoffice.assignment.my_assignments")
    assert [(a["reference_doctype"], a["reference_name"]) for a in mine] == [("Task", task["name"])]
    files = officer.get(
        "/api/resource/File",
        params={
            "filters": json.dumps([["attached_to_name", "=", task["name"]]]),
            "fields": '["file_name"]',
        },
    )
    assert files.status_code == 200, files.text
    assert [f["file_name"] for f in files.json()["data"]] == ["so-do-hien-trang.png"]
    task = officer.act(task, "Hoàn thành", result="Đã lập biên bản.")
    assert task["workflow_state"] == "Hoàn thành"


def test_a_put_follows_the_states_allow_edit_so_the_clerk_cannot_change_a_directed_document(
    login, demo
):
    clerk, chairman = login(CLERK), login(CHAIRMAN)
    doc = new_document(clerk, demo)
    url = f"/api/resource/Incoming Document/{doc['name']}"
    # "Chờ tiếp nhận" is the clerk's to edit.
    assert clerk.put(url, json={"page_count": 3}).status_code == 200
    doc = clerk.act(doc, "Vào sổ")
    doc = clerk.act(doc, "Trình lãnh đạo")
    put = chairman.put(
        url,
        json={
            "direction": "Giao Phòng TNMT chủ trì.",
            "assignees": [{"unit": demo["TNMT"].name, "handling_role": HandlingRole.LEAD}],
        },
    )
    assert put.status_code == 200, put.text
    chairman.act({"doctype": "Incoming Document", "name": doc["name"]}, "Phân công")

    before = clerk.get(url).json()["data"]
    refused = clerk.put(url, json={"summary": "Sửa sau khi đã phân công"})
    assert refused.status_code == 403
    assert "Đã phân công" in messages(refused)[0]
    assert clerk.get(url).json()["data"]["summary"] == before["summary"]
