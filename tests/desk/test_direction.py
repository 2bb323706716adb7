"""The leader's "Chờ chỉ đạo" and the direction screen: one screen, one "Phân công"."""

import re

import pytest

from eoffice import calendar
from eoffice.doctype.assignment import Assignment
from tests.doctype import factories as f


@pytest.fixture
def chairman(client, demo):
    client.force_login(f.user(f.CHAIRMAN))
    return client


def rows(*entries) -> dict:
    """The direction form's rows: (role, unit name | e-mail, deadline dd/mm/yyyy or "")."""
    data = {"rows": str(len(entries))}
    for i, (role, who, deadline) in enumerate(entries):
        data[f"row-{i}-handling_role"] = role
        data[f"row-{i}-{'user' if '@' in who else 'unit'}"] = who
        data[f"row-{i}-deadline"] = deadline
    return data


def assign_url(doc) -> str:
    return f"/app/incoming-document/{doc.name}/assign"


def test_cho_chi_dao_lists_the_documents_submitted_urgent_ones_first(chairman, demo):
    f.waiting_for_direction(demo, summary="V/v thường")
    urgent = f.waiting_for_direction(demo, urgency="Thượng khẩn", summary="V/v thượng khẩn")
    html = chairman.get("/app/inbox/direction").content.decode()
    assert "<h1>Chờ chỉ đạo</h1>" in html
    assert html.index("V/v thượng khẩn") < html.index("V/v thường")
    assert f'href="/app/incoming-document/{urgent.name}/assign"' in html
    assert '<span class="badge badge--urgent">Thượng khẩn</span>' in html
    assert re.search(r'data-tab="leader.to_direct_urgent">[^<]*<span class="tab__count">1<', html)


def test_the_screen_offers_one_lead_row_with_the_deadline_the_rules_give(chairman, demo):
    doc = f.waiting_for_direction(demo)
    html = chairman.get(assign_url(doc)).content.decode()
    default = calendar.default_deadline(doc.start_date(), doc.urgency, doc.document_type)
    assert "<h1>Phân công</h1>" in html
    assert '<option value="Chủ trì" selected>' in html
    assert f'name="row-0-deadline" value="{default:%d/%m/%Y}"' in html
    assert 'id="direction"' in html and "autofocus" in html
    # Units grouped by kind, people suggested, groups of units.
    for label in ['<optgroup label="Phòng ban">', '<optgroup label="Xã, thị trấn">']:
        assert label in html
    assert '<option value="cb.batrang@gialam.demo">' in html
    assert "Tất cả xã, thị trấn (22)" in html


def test_phan_cong_creates_the_assignments_as_written(chairman, demo):
    doc = f.waiting_for_direction(demo)
    data = {
        "action": "Phân công",
        "direction": "TNMT chủ trì, Đông Dư phối hợp, Bát Tràng để biết.",
        **rows(
            ("Chủ trì", demo["TNMT"].name, ""),
            ("Phối hợp", demo["Đông Dư"].name, ""),
            ("Nhận để biết", f.BATRANG_STAFF, ""),
        ),
    }
    default = calendar.default_deadline(doc.start_date(), doc.urgency, doc.document_type)
    later = calendar.add_working_days(default, 3)
    data["row-1-deadline"] = f"{later:%d/%m/%Y}"
    response = chairman.post(assign_url(doc), data)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã phân công" and doc.directed_by.email == f.CHAIRMAN
    made = {
        (a.handling_role, a.unit.unit_name, a.assigned_to_id is not None, a.deadline)
        for a in Assignment.objects.filter(reference_name=doc.name)
    }
    assert made == {
        ("Chủ trì", "Phòng Tài nguyên và Môi trường", False, default),
        ("Phối hợp", "Xã Đông Dư", False, later),
        ("Nhận để biết", "Xã Bát Tràng", True, default),
    }
    page = chairman.get(response["Location"]).content.decode()
    assert "Đã phân công: 3 đơn vị, cá nhân được giao" in page


def _nothing_stored(doc):
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ chỉ đạo"
    assert not doc.assignees.exists() and not doc.direction
    assert not Assignment.objects.filter(reference_name=doc.name).exists()


def test_two_leads_are_refused_next_to_the_rows_and_nothing_is_stored(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {
            "action": "Phân công",
            "direction": "Hai đơn vị cùng chủ trì.",
            **rows(("Chủ trì", demo["TNMT"].name, ""), ("Chủ trì", demo["Đông Dư"].name, "")),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="assignees-error" role="alert">Chỉ được có một «Chủ trì»; các dòng 1, 2' in html
    assert "Hai đơn vị cùng chủ trì." in html  # what was typed is kept
    _nothing_stored(doc)


def test_no_lead_at_all_is_refused(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {"direction": "Chỉ để biết.", **rows(("Phối hợp", demo["TNMT"].name, ""))},
    )
    assert response.status_code == 400
    assert "Cần đúng một đơn vị hoặc người «Chủ trì»." in response.content.decode()
    _nothing_stored(doc)


def test_a_missing_direction_is_named_next_to_its_field(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(assign_url(doc), rows(("Chủ trì", demo["TNMT"].name, "")))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="field__error" id="direction-error" role="alert">' in html
    assert "Cần nhập «Ý kiến chỉ đạo» khi «Phân công»." in html
    _nothing_stored(doc)


def test_a_row_the_rules_refuse_is_marked_with_the_message(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {
            "direction": "Giao việc.",
            **rows(
                ("Chủ trì", demo["TNMT"].name, ""),
                ("Phối hợp", demo["TNMT"].name, ""),
            ),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dòng 2 của danh sách xử lý trùng với dòng 1." in html
    assert html.count("arow arow--invalid") == 1
    _nothing_stored(doc)


def test_typing_mistakes_are_shown_on_their_row_before_anything_runs(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {
            "direction": "Giao việc.",
            **rows(
                ("Chủ trì", demo["TNMT"].name, "31/02/2026"),
                ("Phối hợp", "khong.co@gialam.demo", ""),
            ),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy." in html
    assert "Không tìm thấy người «khong.co@gialam.demo»" in html
    _nothing_stored(doc)


def test_a_deadline_before_arrival_is_refused_by_the_rules(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {"direction": "Giao.", **rows(("Chủ trì", demo["TNMT"].name, "01/01/2020"))},
    )
    assert response.status_code == 400
    assert "không được trước ngày đến" in response.content.decode()
    _nothing_stored(doc)


def test_all_communes_are_added_in_one_go_without_saving(chairman, demo):
    doc = f.waiting_for_direction(demo)
    response = chairman.post(
        assign_url(doc),
        {
            "direction": "Các xã, thị trấn phối hợp.",
            "add_group": "1",
            "group": "communes",
            "group_role": "Phối hợp",
            **rows(("Chủ trì", demo["TNMT"].name, "")),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<li class="arow') == 1 + 22 + 1  # the lead, 22 communes, one blank
    assert "Các xã, thị trấn phối hợp." in html
    _nothing_stored(doc)


def test_commune_staff_posting_phan_cong_is_refused_in_vietnamese(client, demo):
    doc = f.waiting_for_direction(demo)
    client.force_login(f.user(f.DONGDU_STAFF))
    response = client.get(assign_url(doc))
    assert response.status_code in (403, 404)
    f.directed(demo)  # Đông Dư now reads documents assigned to it
    other = f.waiting_for_direction(demo)
    response = client.post(
        assign_url(other), {"direction": "x", **rows(("Chủ trì", demo["TNMT"].name, ""))}
    )
    assert response.status_code == 404  # not even visible to them
    client.force_login(f.user(f.CLERK))
    response = client.post(
        assign_url(other), {"direction": "x", **rows(("Chủ trì", demo["TNMT"].name, ""))}
    )
    assert response.status_code == 403
    assert "Thao tác «Phân công» chỉ dành cho vai trò «Lãnh đạo», «Lãnh đạo đơn vị»." in (
        response.content.decode()
    )
    other.refresh_from_db()
    assert other.workflow_state == "Chờ chỉ đạo"


def test_the_clerk_transfers_a_document_on_the_same_screen_without_a_direction(client, demo):
    doc = f.registered(demo)
    client.force_login(f.user(f.CLERK))
    html = client.get(assign_url(doc)).content.decode()
    assert "<h1>Chuyển xử lý</h1>" in html and 'id="direction"' not in html
    response = client.post(
        assign_url(doc), {"action": "Chuyển xử lý", **rows(("Chủ trì", demo["TNMT"].name, ""))}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã phân công"


def test_the_screen_is_refused_when_there_is_nothing_to_direct(chairman, demo):
    doc = f.directed(demo)
    response = chairman.get(assign_url(doc))
    assert response.status_code == 403
    assert "không có thao tác phân công nào" in response.content.decode()
