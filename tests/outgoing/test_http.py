"""The outgoing path over real HTTP, as a Frappe client drives it (requests + live server).

A directive drafted in Phòng TNMT is approved, checked, signed by the chairman, numbered,
issued to the 22 communes and towns and to another agency; cb.dongdu finds it in Đông Dư's
inbox with the report deadline, reads it, handles it, and the sender sees who has.
"""

from __future__ import annotations

import pytest

from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.outgoing_document import OutgoingDocument
from tests.doctype.factories import (
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
)
from tests.outgoing.factories import COMMUNES_AND_TOWNS, in_days, pdf_bytes
from tests.workflows.test_http import PASSWORD, Session, messages

pytestmark = pytest.mark.django_db(transaction=True)
OUTGOING = "/api/resource/Outgoing Document"


@pytest.fixture
def login(live_server, gialam):
    def make(email: str) -> Session:
        s = Session(live_server.url)
        response = s.post("/api/method/login", json={"usr": email, "pwd": PASSWORD})
        assert response.status_code == 200, response.text
        return s

    return make


def new_directive(officer: Session, gialam, **fields) -> dict:
    body = {
        "document_type": "Chỉ thị",
        "summary": "Về việc tăng cường quản lý đất công trên địa bàn huyện Gia Lâm",
        "drafting_unit": gialam["TNMT"].name,
        "urgency": "Khẩn",
        "requires_report": 1,
        "report_deadline": in_days(7).isoformat(),
        "page_count": 3,
        **fields,
    }
    response = officer.post(OUTGOING, json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def upload_version(session: Session, name: str, text: str) -> dict:
    response = session.post(
        "/api/method/eoffice.outgoing.add_draft_version",
        data={"name": name, "note": text},
        files={"file": ("du-thao.pdf", pdf_bytes(text), "application/pdf")},
    )
    assert response.status_code == 200, response.text
    return response.json()["message"]


def test_a_directive_goes_from_tnmt_to_the_22_communes_and_back(login, gialam):
    officer, head, clerk, chairman = (
        login(TNMT_OFFICER),
        login(TNMT_HEAD),
        login(CLERK),
        login(CHAIRMAN),
    )
    commune_head, commune_staff = login(DONGDU_HEAD), login(DONGDU_STAFF)

    doc = new_directive(officer, gialam)
    assert doc["workflow_state"] == "Dự thảo" and doc["issuing_agency"] == gialam["UBND"].name
    assert upload_version(officer, doc["name"], "Dự thảo chỉ thị lần 1")["version"] == 1
    assert upload_version(officer, doc["name"], "Dự thảo chỉ thị lần 2")["version"] == 2
    doc = officer.act(doc, "Trình duyệt")
    assert doc["workflow_state"] == "Chờ duyệt"

    # Wrong people: 403 with a Vietnamese message, and nothing changes.
    refused = commune_staff.post(
        "/api/method/frappe.model.workflow.apply_workflow", json={"doc": doc, "action": "Duyệt"}
    )
    assert refused.status_code == 403
    refused = officer.post(
        "/api/method/frappe.model.workflow.apply_workflow", json={"doc": doc, "action": "Duyệt"}
    )
    assert refused.status_code == 403
    assert "«Duyệt» chỉ dành cho vai trò" in messages(refused)[0]
    refused = chairman.post(
        "/api/method/frappe.model.workflow.apply_workflow", json={"doc": doc, "action": "Duyệt"}
    )
    assert refused.status_code == 403
    assert messages(refused)[0] == "Chỉ lãnh đạo đơn vị soạn thảo được thực hiện «Duyệt»."

    doc = head.act(doc, "Duyệt")
    doc = clerk.act(doc, "Đạt", signer=CHAIRMAN)
    assert doc["workflow_state"] == "Chờ ký" and doc["signer"] == CHAIRMAN
    queue = chairman.message("eoffice.outgoing.work_queue")
    assert [d["name"] for d in queue["Chờ ký"]] == [doc["name"]]

    # Bad input: 417 naming the field; nothing stored.
    bad = chairman.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": doc, "action": "Ký", "signing_authority": "THAY."},
    )
    assert bad.status_code == 417
    assert "Thẩm quyền ký" in messages(bad)[0]
    assert OutgoingDocument.objects.get(name=doc["name"]).workflow_state == "Chờ ký"

    doc = chairman.act(doc, "Ký", signing_authority="TM.")
    assert (doc["workflow_state"], doc["signing_authority"], doc["signed_version"]) == (
        "Đã ký",
        "TM.",
        2,
    )
    preview = clerk.message("eoffice.outgoing.preview_symbol", name=doc["name"])
    assert preview == "01/CT-UBND"
    doc = clerk.act(doc, "Cấp số")
    assert (doc["number"], doc["symbol"]) == (1, "01/CT-UBND")
    doc = clerk.act(
        doc,
        "Phát hành",
        recipients=[{"agency_code": "000.00.00.H26", "agency_name": "UBND thành phố Hà Nội"}],
        recipient_groups=[COMMUNES_AND_TOWNS],
    )
    assert doc["workflow_state"] == "Đã phát hành" and len(doc["recipients"]) == 23

    # Đông Dư: the directive is in the commune's inbox with the report deadline.
    home = commune_staff.message("eoffice.outgoing.received_directives")
    assert [(d["document_number"], d["deadline"]) for d in home] == [
        ("01/CT-UBND", in_days(7).isoformat())
    ]
    unit_inbox = commune_staff.message(
        "eoffice.assignment.unit_assignments", unit=gialam["Đông Dư"].name
    )
    assert [(a["handling_role"], a["deadline"]) for a in unit_inbox] == [
        ("Chủ trì", in_days(7).isoformat())
    ]
    copy_name = home[0]["name"]
    listed = commune_staff.get(
        "/api/resource/Incoming Document", params={"fields": '["name","document_number"]'}
    ).json()["data"]
    assert [d["name"] for d in listed] == [copy_name]
    assert commune_staff.message("eoffice.outgoing.mark_read", incoming_document=copy_name) == {
        "updated": 1
    }

    copy = {"doctype": "Incoming Document", "name": copy_name}
    commune_head.act(copy, "Giao xử lý", assign_to=DONGDU_STAFF)
    mine = commune_staff.message("eoffice.assignment.my_assignments")
    assert [a["reference_name"] for a in mine] == [copy_name]
    done = commune_staff.act(copy, "Hoàn thành", result="Đã rà soát, báo cáo kèm theo.")
    assert done["workflow_state"] == "Hoàn thành"

    track = clerk.message("eoffice.outgoing.distribution", name=doc["name"])
    assert (track["total"], track["delivered"], track["read"], track["handled"]) == (23, 22, 1, 1)
    by_unit = {r["unit"]: r for r in track["recipients"] if r["unit"]}
    dongdu = by_unit[gialam["Đông Dư"].name]
    assert dongdu["delivery_status"] == "Hoàn thành" and dongdu["read_by"] == DONGDU_STAFF
    assert dongdu["read_by_name"] == "Hoàng Thị Hoa" and dongdu["handled_by"] == DONGDU_STAFF
    assert by_unit[gialam["Cổ Bi"].name]["delivery_status"] == "Đã phân công"
    external = next(r for r in track["recipients"] if r["kind"] == "edxml")
    assert external["delivery_status"] == "Chờ gửi"
    # The officer who drafted it follows it too; another commune's staff does not.
    assert officer.message("eoffice.outgoing.distribution", name=doc["name"])["handled"] == 1
    hidden = login("cb.batrang@gialam.demo").get(
        "/api/method/eoffice.outgoing.distribution", params={"name": doc["name"]}
    )
    assert hidden.status_code == 403


def test_bad_drafts_get_417_naming_the_field_and_store_nothing(login, gialam):
    officer = login(TNMT_OFFICER)
    response = officer.post(
        OUTGOING,
        json={
            "document_type": "Chỉ thị",
            "summary": "Thiếu hạn báo cáo",
            "drafting_unit": gialam["TNMT"].name,
            "requires_report": 1,
        },
    )
    assert response.status_code == 417
    assert "Hạn báo cáo" in messages(response)[0]
    response = officer.post(
        OUTGOING,
        json={
            "document_type": "Công văn",
            "summary": "Nơi nhận vừa là đơn vị vừa là cơ quan ngoài",
            "drafting_unit": gialam["TNMT"].name,
            "recipients": [{"unit": gialam["Đông Dư"].name, "agency_name": "UBND xã Đông Dư"}],
        },
    )
    assert response.status_code == 417
    assert "nơi nhận" in messages(response)[0]
    response = officer.post(
        OUTGOING,
        json={
            "document_type": "Công văn",
            "summary": "Tự đặt ngày ban hành",
            "drafting_unit": gialam["TNMT"].name,
            "issue_date": "2017-01-02",
        },
    )
    assert response.status_code == 417
    assert "Ngày ban hành" in messages(response)[0]
    assert OutgoingDocument.objects.count() == 0
    # A draft that goes up without its file is refused, and stays a draft.
    doc = new_directive(officer, gialam)
    response = officer.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": doc, "action": "Trình duyệt"},
    )
    assert response.status_code == 417
    assert "tệp dự thảo" in messages(response)[0]
    assert OutgoingDocument.objects.get(name=doc["name"]).workflow_state == "Dự thảo"
    # A return without a reason.
    upload_version(officer, doc["name"], "Dự thảo")
    doc = officer.act(doc, "Trình duyệt")
    response = login(TNMT_HEAD).post(
        "/api/method/frappe.model.workflow.apply_workflow", json={"doc": doc, "action": "Trả lại"}
    )
    assert response.status_code == 417
    assert "lý do" in messages(response)[0]
    assert not IncomingDocument.objects.exists()


def test_the_picker_versions_register_and_a_reply_over_http(login, gialam):
    from eoffice.constants import HandlingRole
    from tests.doctype.factories import directed, rows

    officer, clerk = login(TNMT_OFFICER), login(CLERK)
    groups = officer.message("eoffice.outgoing.recipient_groups", agency=gialam["UBND"].name)
    communes = next(g for g in groups if g["group_name"] == COMMUNES_AND_TOWNS)
    assert communes["count"] == 22 and {"Xã Đông Dư", "Thị trấn Trâu Quỳ"} <= {
        u["unit_name"] for u in communes["units"]
    }
    doc = new_directive(officer, gialam)
    added = officer.message(
        "eoffice.outgoing.add_recipient_group", name=doc["name"], group=COMMUNES_AND_TOWNS
    )
    assert added["added"] == 22 and len(added["doc"]["recipients"]) == 22
    again = officer.message(
        "eoffice.outgoing.add_recipient_group", name=doc["name"], group=COMMUNES_AND_TOWNS
    )
    assert again["added"] == 0
    missing = officer.call(
        "eoffice.outgoing.add_recipient_group", name=doc["name"], group="Không có nhóm này"
    )
    assert missing.status_code == 417 and "nhóm nơi nhận" in messages(missing)[0]

    upload_version(officer, doc["name"], "Lần 1")
    upload_version(officer, doc["name"], "Lần 2")
    versions = officer.message("eoffice.outgoing.get_versions", name=doc["name"])
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]
    doc = officer.act(doc, "Trình duyệt")
    late = officer.post(
        "/api/method/eoffice.outgoing.add_draft_version",
        data={"name": doc["name"]},
        files={"file": ("lan-3.pdf", pdf_bytes("Lần 3"), "application/pdf")},
    )
    assert late.status_code == 403  # the drafter no longer edits it once it went up

    doc = login(TNMT_HEAD).act(doc, "Duyệt")
    doc = clerk.act(doc, "Đạt", signer=CHAIRMAN)
    doc = login(CHAIRMAN).act(doc, "Ký", signing_authority="KT.")
    doc = clerk.act(doc, "Cấp số")
    doc = clerk.act(doc, "Hủy số", comment="Ghi sai ngày trên bản giấy")
    doc = clerk.act(doc, "Cấp số")
    assert doc["symbol"] == "02/CT-UBND"
    register = OutgoingDocument.objects.get(name=doc["name"]).register.name
    entries = clerk.message("eoffice.outgoing.register_entries", register=register)
    assert [(e["number"], e["symbol"], e["cancelled"]) for e in entries] == [
        (1, "01/CT-UBND", True),
        (2, "02/CT-UBND", False),
    ]

    incoming = directed(
        gialam,
        assignees=rows((TNMT_OFFICER, HandlingRole.LEAD)),
        issuer="Sở Tài nguyên và Môi trường Hà Nội",
        document_number="2207/STNMT-QLĐĐ",
    )
    reply = officer.message(
        "eoffice.outgoing.draft_reply", incoming_document=incoming.name, document_type="Báo cáo"
    )
    assert reply["in_reply_to"] == incoming.name and reply["workflow_state"] == "Dự thảo"
    assert [(r["agency_name"], r["agency_code"]) for r in reply["recipients"]] == [
        ("Sở Tài nguyên và Môi trường Hà Nội", "")
    ]
    bad = officer.call(
        "eoffice.outgoing.draft_reply", incoming_document=incoming.name, issue_date="2017-01-01"
    )
    assert bad.status_code == 417 and "issue_date" in messages(bad)[0]
