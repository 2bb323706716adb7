"""A document's page: what it shows, the buttons each person gets, and what they post."""

import datetime
import re

import pytest
from django.utils import timezone

from eoffice import calendar
from eoffice.doctype.assignment import Assignment, ExtensionRequest
from eoffice.doctype.file import create_file
from eoffice.doctype.user import User
from eoffice.workflows.engine import apply_workflow
from tests.desk.test_register_form import pdf_bytes
from tests.doctype import factories as f


def url(doc) -> str:
    return f"/app/incoming-document/{doc.name}"


def page_as(client, email, doc) -> str:
    client.force_login(f.user(email))
    response = client.get(url(doc))
    assert response.status_code == 200
    return response.content.decode()


def buttons(html: str) -> list[str]:
    """The labels of the action bar's buttons (links, one-click buttons, panels)."""
    bar = html[html.index('id="actions"') : html.index("</section>", html.index('id="actions"'))]
    return re.findall(r'data-action="[^"]+">([^<]+)<', bar)


def handed_down(demo):
    """Directed; TNMT's head handed the lead to the TNMT officer ("Đang xử lý")."""
    from eoffice.doctype.assignment import hand_down

    doc = f.directed(demo)
    lead = Assignment.objects.get(reference_name=doc.name, handling_role="Chủ trì")
    hand_down(lead, f.user(f.TNMT_HEAD), f.TNMT_OFFICER)
    doc.refresh_from_db()
    return doc


@pytest.mark.parametrize(
    "email, expected",
    [
        (f.CLERK, ["Trả lại nơi gửi", "Vào sổ"]),
        (f.CHAIRMAN, []),
    ],
)
def test_each_person_gets_the_buttons_of_the_transitions_open_to_them(
    client, demo, email, expected
):
    doc = f.incoming(demo)
    assert buttons(page_as(client, email, doc)) == expected


def test_the_path_offers_the_next_step_to_the_right_person_only(client, demo):
    doc = f.waiting_for_direction(demo)
    assert buttons(page_as(client, f.CHAIRMAN, doc)) == ["Phân công"]
    assert buttons(page_as(client, f.CLERK, doc)) == []
    doc = handed_down(demo)
    assert buttons(page_as(client, f.TNMT_OFFICER, doc)) == ["Hoàn thành"]
    assert buttons(page_as(client, f.CHAIRMAN, doc)) == ["Thu hồi phân công"]
    assert "Hoàn thành" not in buttons(page_as(client, f.DONGDU_HEAD, doc))


def test_vao_so_says_the_number_given(client, demo):
    doc = f.incoming(demo)
    client.force_login(f.user(f.CLERK))
    response = client.post(f"{url(doc)}/action", {"action": "Vào sổ"}, follow=True)
    html = response.content.decode()
    assert "Đã vào sổ văn bản đến: số đến 1," in html
    assert '<span class="arrival__number" data-arrival-number>1</span>' in html


def test_tra_lai_needs_a_reason_next_to_its_field_and_nothing_changes(client, demo):
    doc = f.incoming(demo)
    client.force_login(f.user(f.CLERK))
    response = client.post(f"{url(doc)}/action", {"action": "Trả lại", "comment": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Cần nhập lý do hoặc ý kiến khi «Trả lại nơi gửi»." in html
    assert re.search(r'<details class="action" id="action-tra-lai"[^>]* open>', html)
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ tiếp nhận"
    client.post(f"{url(doc)}/action", {"action": "Trả lại", "comment": "Gửi nhầm đơn vị."})
    doc.refresh_from_db()
    assert doc.workflow_state == "Bị trả lại"


def test_a_forged_post_by_a_wrong_actor_is_refused_in_vietnamese(client, demo):
    doc = handed_down(demo)
    client.force_login(f.user(f.DONGDU_STAFF))
    response = client.post(f"{url(doc)}/action", {"action": "Hoàn thành", "result": "Xong."})
    assert response.status_code == 403
    assert "Chỉ đơn vị hoặc người chủ trì được thực hiện «Hoàn thành»." in (
        response.content.decode()
    )
    doc.refresh_from_db()
    assert doc.workflow_state == "Đang xử lý"


def test_a_document_someone_may_not_read_is_not_found(client, demo):
    doc = f.registered(demo)
    client.force_login(f.user(f.BATRANG_STAFF))
    assert client.get(url(doc)).status_code == 404
    assert client.post(f"{url(doc)}/action", {"action": "Trình lãnh đạo"}).status_code == 404


def test_opening_the_document_marks_nhan_de_biet_read(client, demo):
    doc = f.directed(
        demo,
        assignees=f.rows((demo["TNMT"].name, "Chủ trì"), (f.BATRANG_STAFF, "Nhận để biết")),
    )
    inform = Assignment.objects.get(reference_name=doc.name, handling_role="Nhận để biết")
    html = page_as(client, f.BATRANG_STAFF, doc)
    assert "Đã ghi nhận anh/chị đã đọc văn bản (nhận để biết)." in html
    inform.refresh_from_db()
    assert inform.read_on is not None and inform.status == "Hoàn thành"


def test_the_page_shows_files_direction_tree_and_timeline(client, demo):
    doc = handed_down(demo)
    stored = create_file(
        [pdf_bytes()], "cv.pdf", f.CLERK, attached_to_doctype="Incoming Document",
        attached_to_name=doc.name,
    )  # fmt: skip
    html = page_as(client, f.CHAIRMAN, doc)
    assert f'href="{stored.file_url}"' in html and 'class="preview__frame"' in html
    assert "Giao Phòng TNMT chủ trì, xã Đông Dư phối hợp rà soát." in html
    tree = html[html.index('id="assignments"') : html.index('id="timeline"')]
    assert tree.index("Phòng Tài nguyên và Môi trường") < tree.index("Phạm Thị Lan")
    assert tree.index("Phạm Thị Lan") < tree.index("Xã Đông Dư")  # the hand-down sits under
    timeline = html[html.index('id="timeline"') :]
    kinds = re.findall(r'class="timeline__kind">([^<]+)<', timeline)
    assert kinds == ["Tiếp nhận văn bản", "Vào sổ", "Trình lãnh đạo", "Phân công", "Giao xử lý"]
    assert "Chủ trì: Phòng Tài nguyên và Môi trường" in timeline  # what "Phân công" made
    # A file downloads for whoever reads the document, and for no one else.
    assert client.get(stored.file_url).status_code == 200
    client.force_login(f.user(f.BATRANG_STAFF))
    assert client.get(stored.file_url).status_code == 404


def test_a_comment_joins_the_timeline_and_an_empty_one_is_refused(client, demo):
    doc = f.registered(demo)
    client.force_login(f.user(f.CLERK))
    response = client.post(f"{url(doc)}/comment", {"content": ""})
    assert response.status_code == 400
    assert "Vui lòng nhập nội dung ý kiến." in response.content.decode()
    client.post(f"{url(doc)}/comment", {"content": "Bản giấy đã chuyển phòng TNMT."})
    assert "Bản giấy đã chuyển phòng TNMT." in client.get(url(doc)).content.decode()


def test_more_files_are_attached_from_the_page(client, demo):
    import io

    doc = f.registered(demo)
    client.force_login(f.user(f.CLERK))
    upload = io.BytesIO(pdf_bytes())
    upload.name = "phu-luc.pdf"
    response = client.post(f"{url(doc)}/files", {"files": [upload]}, follow=True)
    assert "Đã đính kèm: phu-luc.pdf." in response.content.decode()
    empty = client.post(f"{url(doc)}/files", {})
    assert empty.status_code == 400 and "Chọn ít nhất một tệp" in empty.content.decode()


# ---------------------------------------------------------------------------------------
# Actions on one assignment


def op_url(a, op) -> str:
    return f"/app/assignment/{a.name}/{op}"


def cooperating(doc) -> Assignment:
    return Assignment.objects.get(reference_name=doc.name, handling_role="Phối hợp")


def test_the_cooperating_unit_reports_progress_from_its_row(client, demo):
    doc = f.directed(demo)
    html = page_as(client, f.DONGDU_HEAD, doc)
    part = cooperating(doc)
    row = html[html.index(f'data-assignment="{part.name}"') :]
    assert f'action="{op_url(part, "progress")}"' in row
    response = client.post(op_url(part, "progress"), {"content": "Đã rà soát 80%."}, follow=True)
    assert "Đã gửi báo cáo tiến độ." in response.content.decode()
    assert "Đã rà soát 80%." in response.content.decode()


def test_an_empty_report_comes_back_next_to_its_field(client, demo):
    doc = f.directed(demo)
    client.force_login(f.user(f.DONGDU_HEAD))
    response = client.post(op_url(cooperating(doc), "progress"), {"content": " "})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert">Cần nhập nội dung báo cáo.</p>' in html


def test_an_extension_is_asked_then_approved_by_who_assigned_keeping_the_original(client, demo):
    doc = f.directed(demo)
    part = cooperating(doc)
    later = calendar.add_working_days(part.deadline, 5)
    client.force_login(f.user(f.DONGDU_HEAD))
    response = client.post(
        op_url(part, "extend"),
        {"new_deadline": f"{later:%d/%m/%Y}", "reason": "Chờ số liệu của thôn."},
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get(assignment=part)
    # Only who assigned sees the answer buttons.
    assert "Đồng ý gia hạn" not in page_as(client, f.DONGDU_HEAD, doc)
    html = page_as(client, f.CHAIRMAN, doc)
    assert f'action="{op_url(part, "approve-extension")}"' in html
    client.post(
        op_url(part, "approve-extension"),
        {"request_name": request.name, "new_deadline": f"{later:%d/%m/%Y}", "note": "Đồng ý."},
    )
    part.refresh_from_db()
    assert part.deadline == later and part.original_deadline != later
    html = page_as(client, f.CHAIRMAN, doc)
    assert "hạn ban đầu" in html and "Xin gia hạn" in html


def test_an_extension_asked_by_someone_who_does_not_handle_it_is_refused(client, demo):
    doc = f.directed(demo)
    part = cooperating(doc)
    client.force_login(f.user(f.DONGDU_STAFF))
    later = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        op_url(part, "extend"), {"new_deadline": f"{later:%d/%m/%Y}", "reason": "x"}
    )
    assert response.status_code == 403
    assert "Chỉ người hoặc lãnh đạo đơn vị được giao mới xin gia hạn việc này." in (
        response.content.decode()
    )
    assert not ExtensionRequest.objects.exists()


def test_a_refusal_needs_no_date_and_keeps_the_deadline(client, demo):
    from eoffice.doctype.assignment import request_extension

    doc = f.directed(demo)
    part = cooperating(doc)
    old = part.deadline
    x = request_extension(
        part, f.user(f.DONGDU_HEAD), calendar.add_working_days(old, 2), "Thiếu người."
    )
    client.force_login(f.user(f.CHAIRMAN))
    client.post(op_url(part, "refuse-extension"), {"request_name": x.name, "note": "Cần đúng hạn."})
    part.refresh_from_db()
    x.refresh_from_db()
    assert part.deadline == old and x.status == "Từ chối"


def test_the_head_recalls_a_hand_down_and_no_one_else_can(client, demo):
    doc = handed_down(demo)
    child = Assignment.objects.get(reference_name=doc.name, assigned_to__email=f.TNMT_OFFICER)
    client.force_login(f.user(f.TNMT_OFFICER))
    response = client.post(op_url(child, "recall"), {"reason": "x"})
    assert response.status_code == 403
    assert "Chỉ người đã giao việc mới được thu hồi." in response.content.decode()
    client.force_login(f.user(f.TNMT_HEAD))
    client.post(op_url(child, "recall"), {"reason": "Giao lại người khác."})
    child.refresh_from_db()
    assert child.status == "Đã thu hồi" and child.recall_reason == "Giao lại người khác."


def test_the_cooperating_unit_reports_its_part_done_with_a_result(client, demo):
    doc = f.directed(demo)
    part = cooperating(doc)
    client.force_login(f.user(f.DONGDU_HEAD))
    response = client.post(op_url(part, "complete"), {"result": ""})
    assert response.status_code == 400
    assert "Cần nhập kết quả xử lý khi báo cáo hoàn thành." in response.content.decode()
    client.post(op_url(part, "complete"), {"result": "Xã đã rà soát xong 150 hồ sơ."})
    part.refresh_from_db()
    assert part.status == "Hoàn thành" and part.result == "Xã đã rà soát xong 150 hồ sơ."


def test_the_unit_head_hands_down_and_returns_to_the_inbox(client, demo):
    doc = f.directed(demo)
    lead = Assignment.objects.get(reference_name=doc.name, handling_role="Chủ trì")
    client.force_login(f.user(f.TNMT_HEAD))
    response = client.post(
        op_url(lead, "hand-down"),
        {"assign_to": f.TNMT_OFFICER, "deadline": "", "next": "/app/inbox/unit"},
    )
    assert response.status_code == 302 and response["Location"] == "/app/inbox/unit"
    doc.refresh_from_db()
    assert doc.workflow_state == "Đang xử lý"
    officer = User.objects.get(email=f.TNMT_OFFICER)
    assert Assignment.objects.filter(parent_assignment=lead, assigned_to=officer).exists()


def test_an_assignment_someone_may_not_read_is_not_found(client, demo):
    doc = f.directed(demo)
    client.force_login(f.user(f.BATRANG_STAFF))
    assert client.post(op_url(cooperating(doc), "progress"), {"content": "x"}).status_code == 404


def test_wrong_workflow_state_is_a_conflict_with_the_reason(client, demo):
    doc = f.registered(demo)
    client.force_login(f.user(f.CLERK))
    response = client.post(f"{url(doc)}/action", {"action": "Vào sổ"})
    assert response.status_code == 409
    assert "Không thể thực hiện «Vào sổ» khi văn bản đến đang ở trạng thái «Đã vào sổ»" in (
        response.content.decode()
    )


def test_apply_workflow_is_what_the_buttons_call(client, demo):
    """The desk adds no rule of its own: the engine's result is what the page shows."""
    doc = f.incoming(demo)
    apply_workflow(doc, "Vào sổ", f.user(f.CLERK))
    assert buttons(page_as(client, f.CLERK, doc)) == ["Trình lãnh đạo", "Chuyển xử lý"]


def test_opening_a_secret_document_is_written_to_the_audit_log(client, demo):
    from eoffice.audit.models import AuditEvent, AuditLog

    secret = f.registered(demo, secrecy="Mật")
    normal = f.registered(demo)
    page_as(client, f.CLERK, secret)
    page_as(client, f.CLERK, normal)
    views = AuditLog.objects.filter(event=AuditEvent.VIEW_SECRET)
    assert list(views.values_list("reference_name", "user_name")) == [(secret.name, f.CLERK)]
