"""The whole path of an incoming document in a real browser, as the demo users live it.

The clerk registers a scanned công văn (OCR fills the form), is warned of a duplicate, gives
it its "số đến" and submits it; the chairman directs it to Phòng TNMT (Chủ trì), xã Đông Dư
(Phối hợp) and a Bát Tràng officer (Nhận để biết); the head of TNMT hands it to an officer;
Đông Dư reports progress; the Bát Tràng officer reads it; the TNMT officer completes it; the
page shows the whole story. People who may not act see no buttons, and a POST forged by hand
is refused in Vietnamese. Screenshots go to $EOFFICE_SCREENSHOTS for review.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.desk.conftest import sign_in
from tests.doctype import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def person(chromium, live_server):
    """``person(email)``: a fresh browser (own cookies) signed in as that demo user."""
    contexts = []

    def open_as(email):
        context = chromium.new_context(
            base_url=live_server.url,
            viewport={"width": 1366, "height": 900},
            locale="en-US",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        sign_in(page, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, screenshots, name):
    """A full-page screenshot for review; an inline PDF preview is given time to draw."""
    page.wait_for_load_state("load")
    if page.locator("iframe.preview__frame").count():
        page.wait_for_timeout(2000)
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def only_local(page, live_server):
    """Nothing was fetched from another host (the browser's own PDF viewer is not a host)."""
    outside = [
        url
        for url in page.requests
        if url.startswith(("http:", "https:")) and not url.startswith(live_server.url)
    ]
    assert not outside, outside


def read_uploads(page):
    """Act as the OCR worker for the files the page uploaded (the chain of eoffice.ocr)."""
    from eoffice.ocr.pipeline import process

    names = page.locator("#uploads [data-file]").evaluate_all(
        "items => items.map(li => li.dataset.file)"
    )
    for name in names:
        process(name)
    return names


def forged_post(page, url, data):
    """A form built by hand in the page (the person's own session and CSRF token) and sent;
    the browser shows the answer. Returns the response."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([url, data]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = url;
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
                for (const [name, value] of Object.entries({...data, csrfmiddlewaretoken: token})) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [url, data],
        )
    return navigation.value


def test_the_whole_path_from_the_clerks_scan_to_the_officers_result(
    person, live_server, demo, screenshots, tmp_path
):
    from eoffice.doctype.incoming_document import IncomingDocument
    from tests.ocr.documents import cong_van_dat_dai, save_text_pdf

    scan = save_text_pdf(cong_van_dat_dai(), tmp_path / "cong-van-45-UBND-VP.pdf")

    # --- Văn thư: the register form, filled by OCR, completed from the keyboard -------------
    clerk = person(f.CLERK)
    clerk.get_by_role("link", name="Tiếp nhận văn bản", exact=True).click()
    expect(clerk.get_by_role("heading", name="Tiếp nhận văn bản đến", level=1)).to_be_visible()
    expect(clerk.get_by_label("Cơ quan ban hành")).to_be_focused()  # autofocus
    clerk.get_by_label("Chọn tệp").set_input_files(str(scan))
    expect(clerk.locator("#uploads [data-file]")).to_have_count(1)
    read_uploads(clerk)
    number = clerk.get_by_label("Số, ký hiệu")
    expect(number).to_have_value("45/UBND-VP", timeout=20_000)
    expect(clerk.locator('[data-field="document_number"] [data-ocr-mark]')).to_be_visible()
    expect(clerk.get_by_label("Ngày văn bản")).to_have_value("15/08/2017")
    expect(clerk.get_by_label("Độ khẩn")).to_have_value("Khẩn")
    expect(clerk.locator("#uploads [data-ocr-status]")).to_contain_text("Hoàn tất")
    issuer = clerk.get_by_label("Cơ quan ban hành").input_value()
    assert issuer, "OCR read the issuing agency"
    clerk.get_by_label("Người ký").click()
    clerk.keyboard.type("Trần Thị Thu Hà")
    clerk.keyboard.press("Tab")
    clerk.keyboard.type("2")
    shot(clerk, screenshots, "20-register-form-ocr")
    clerk.keyboard.press("Enter")  # Enter saves

    expect(clerk.get_by_role("status").first).to_contain_text("Đã lưu văn bản đến «45/UBND-VP»")
    doc = IncomingDocument.objects.get(document_number="45/UBND-VP")
    assert doc.workflow_state == "Chờ tiếp nhận" and doc.page_count == 2
    expect(clerk.locator(".doc-head .badge").first).to_have_text("Chờ tiếp nhận")
    expect(clerk.locator(".files .file")).to_have_count(1)
    shot(clerk, screenshots, "21-document-saved")

    clerk.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(clerk.get_by_role("status").first).to_contain_text("số đến 1")
    expect(clerk.locator("[data-arrival-number]")).to_have_text("1")
    shot(clerk, screenshots, "22-registered-so-den-1")
    doc_url = clerk.url

    # The same issuer and số ký hiệu again: a warning while typing, with a link to the first.
    clerk.goto("/app/incoming-document/new")
    clerk.get_by_label("Cơ quan ban hành").fill(issuer)
    clerk.get_by_label("Số, ký hiệu").fill("45/UBND-VP")
    warning = clerk.locator("#duplicates [role=alert]")
    expect(warning).to_contain_text("Có thể trùng văn bản đã tiếp nhận")
    expect(warning.get_by_role("link")).to_contain_text("Số đến 1")
    shot(clerk, screenshots, "23-duplicate-warning")

    clerk.goto(doc_url)
    clerk.locator("summary", has_text="Trình lãnh đạo").click()
    expect(clerk.get_by_label("Lãnh đạo được trình")).to_have_value(f.CHAIRMAN)
    clerk.locator("#actions form").get_by_role("button", name="Trình lãnh đạo").click()
    expect(clerk.get_by_role("status").first).to_contain_text("Chờ chỉ đạo")
    # The clerk has no "Phân công"; forcing it is refused in Vietnamese.
    expect(clerk.get_by_role("link", name="Phân công")).to_have_count(0)
    refused = forged_post(
        clerk, f"{doc_url}/assign", {"action": "Phân công", "direction": "x", "rows": "0"}
    )
    assert refused.status == 403
    expect(clerk.get_by_role("alert")).to_contain_text("chỉ dành cho vai trò «Lãnh đạo»")
    shot(clerk, screenshots, "24-forged-direction-refused")
    only_local(clerk, live_server)

    # --- Chủ tịch: "Chờ chỉ đạo", the direction in one screen --------------------------------
    chairman = person(f.CHAIRMAN)
    block = chairman.locator('[data-block="leader.to_direct"]')
    expect(block.locator("[data-value]")).to_have_text("1")
    block.locator("a").click()
    expect(chairman.get_by_role("heading", name="Chờ chỉ đạo", level=1)).to_be_visible()
    row = chairman.get_by_role("row").filter(has_text="45/UBND-VP")
    expect(row.locator(".badge--urgent")).to_have_text("Khẩn")
    shot(chairman, screenshots, "25-cho-chi-dao")
    row.get_by_role("link", name="Chỉ đạo").click()
    expect(chairman.get_by_role("heading", name="Phân công", level=1)).to_be_visible()
    expect(chairman.get_by_label("Ý kiến chỉ đạo")).to_be_focused()

    # Sent without a direction: the message comes back next to the field, nothing stored.
    chairman.get_by_label("Đơn vị dòng 1").select_option(label="Phòng Tài nguyên và Môi trường")
    chairman.get_by_role("button", name="Phân công", exact=True).click()
    expect(chairman.locator("#direction-error")).to_contain_text("Ý kiến chỉ đạo")
    shot(chairman, screenshots, "26-direction-error")
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ chỉ đạo" and not doc.assignees.exists()

    chairman.get_by_label("Ý kiến chỉ đạo").fill(
        "Giao Phòng TNMT chủ trì rà soát, xã Đông Dư phối hợp; báo cáo trước hạn."
    )
    chairman.get_by_label("Đơn vị dòng 2").select_option(label="Xã Đông Dư")
    chairman.get_by_label("Vai trò dòng 2").select_option(label="Phối hợp")
    chairman.get_by_role("button", name="+ Thêm dòng").click()
    chairman.get_by_label("Vai trò dòng 3").select_option(label="Nhận để biết")
    chairman.get_by_label("hoặc người xử lý dòng 3").fill(f.BATRANG_STAFF)
    lead_deadline = chairman.get_by_label("Hạn xử lý dòng 1").input_value()
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", lead_deadline)
    shot(chairman, screenshots, "27-direction-form")
    chairman.get_by_role("button", name="Phân công", exact=True).click()
    expect(chairman.get_by_role("status").first).to_contain_text("Đã phân công")
    tree = chairman.locator("#assignments")
    expect(tree.locator(".tree__item")).to_have_count(3)
    expect(tree.locator(".tree__item").first).to_contain_text("Phòng Tài nguyên và Môi trường")
    expect(tree.locator(".tree__item").first).to_contain_text(lead_deadline)
    shot(chairman, screenshots, "28-directed")
    only_local(chairman, live_server)

    # --- Trưởng phòng TNMT: the unit's inbox, hand it to an officer --------------------------
    head = person(f.TNMT_HEAD)
    head.get_by_role("link", name="Việc của đơn vị", exact=True).click()
    row = head.get_by_role("row").filter(has_text="rà soát hồ sơ đất đai")
    expect(row.locator(".role-tag")).to_have_text("Chủ trì")
    row.locator("summary", has_text="Giao cán bộ xử lý").click()
    row.get_by_label("Giao cho").select_option(f.TNMT_OFFICER)
    shot(head, screenshots, "29-unit-inbox-hand-down")
    row.get_by_role("button", name="Giao việc").click()
    expect(head.get_by_role("status").first).to_contain_text("Đã giao việc cho Phạm Thị Lan")
    expect(head.get_by_role("row").filter(has_text="rà soát hồ sơ đất đai")).to_have_count(0)
    head.locator('[data-tab="unit.in_progress"]').click()
    expect(head.locator("[data-assignment]").filter(has_text="Phạm Thị Lan")).to_be_visible()
    shot(head, screenshots, "30-unit-inbox-in-progress")

    # --- Chủ tịch xã Đông Dư: progress report on the co-operating part ----------------------
    dongdu = person(f.DONGDU_HEAD)
    dongdu.get_by_role("link", name="Việc của đơn vị", exact=True).click()
    dongdu.get_by_role("link", name=re.compile("rà soát hồ sơ đất đai")).click()
    item = dongdu.locator(".tree__item", has_text="Xã Đông Dư").first
    item.locator("summary", has_text="Báo cáo tiến độ").click()
    item.get_by_label("Nội dung báo cáo").fill("Xã đã rà soát 120/150 hồ sơ, còn 30 hồ sơ thiếu.")
    item.get_by_role("button", name="Gửi báo cáo").click()
    expect(dongdu.get_by_role("status").first).to_contain_text("Đã gửi báo cáo tiến độ")
    expect(dongdu.locator("#timeline")).to_contain_text("Xã đã rà soát 120/150 hồ sơ")
    shot(dongdu, screenshots, "31-progress-report")

    # --- Công chức Bát Tràng: "Nhận để biết", read when opened -------------------------------
    batrang = person(f.BATRANG_STAFF)
    expect(batrang.locator('[data-block="officer.inform_unread"] [data-value]')).to_have_text("1")
    batrang.get_by_role("link", name="Nhận để biết", exact=True).click()
    shot(batrang, screenshots, "32-inform-unread")
    batrang.get_by_role("link", name=re.compile("rà soát hồ sơ đất đai")).click()
    expect(batrang.get_by_role("status").first).to_contain_text("đã đọc")
    expect(batrang.locator(".actions--bar")).to_contain_text("không có thao tác nào")
    batrang.goto("/app")
    expect(batrang.locator('[data-block="officer.inform_unread"] [data-value]')).to_have_text("0")

    # --- Chuyên viên TNMT: "Việc của tôi", complete with a result -----------------------------
    officer = person(f.TNMT_OFFICER)
    officer.get_by_role("link", name="Việc của tôi", exact=True).click()
    row = officer.get_by_role("row").filter(has_text="rà soát hồ sơ đất đai")
    expect(row.locator(".badge--urgent")).to_have_text("Khẩn")
    shot(officer, screenshots, "33-my-work")
    row.get_by_role("link").first.click()
    officer.locator("#actions summary", has_text="Hoàn thành").click()
    officer.get_by_label("Kết quả xử lý").fill(
        "Đã rà soát toàn bộ 150 hồ sơ; lập danh sách 30 trường hợp chưa đủ điều kiện."
    )
    officer.get_by_label("Văn bản trả lời (số ký hiệu)").fill("112/TNMT")
    officer.locator("#actions form").get_by_role("button", name="Hoàn thành").click()
    expect(officer.get_by_role("status").first).to_contain_text("Hoàn thành")
    expect(officer.locator(".doc-head .badge").first).to_have_text("Hoàn thành")

    # The page tells the whole story, oldest first.
    timeline = officer.locator("#timeline .timeline__item")
    kinds = timeline.locator(".timeline__kind").all_inner_texts()
    for step in ["Vào sổ", "Trình lãnh đạo", "Phân công", "Giao xử lý", "Báo cáo tiến độ"]:
        assert step in kinds, (step, kinds)
    assert kinds.index("Vào sổ") < kinds.index("Phân công") < kinds.index("Hoàn thành")
    expect(officer.locator("#timeline")).to_contain_text("Xã đã rà soát 120/150 hồ sơ")
    expect(officer.locator("#assignments")).to_contain_text("Đã rà soát toàn bộ 150 hồ sơ")
    shot(officer, screenshots, "34-completed-timeline")
    only_local(officer, live_server)

    # --- Wrong actors: no buttons, and a forged POST is refused in Vietnamese ---------------
    staff = person(f.DONGDU_STAFF)
    staff.goto(doc_url)
    expect(staff.locator("#actions")).not_to_contain_text("Lưu hồ sơ")
    refused = forged_post(staff, f"{doc_url}/action", {"action": "Lưu hồ sơ", "case_file": "x"})
    assert refused.status == 403
    expect(staff.locator("#page-error")).to_contain_text("được thực hiện «Lưu hồ sơ»")
    shot(staff, screenshots, "36-forged-post-refused")
    doc.refresh_from_db()
    assert doc.workflow_state == "Hoàn thành" and doc.case_file == ""

    # The register lists it with its số đến and who handles it.
    clerk.goto("/app/incoming-document")
    row = clerk.get_by_role("row").filter(has_text="45/UBND-VP")
    expect(row.locator("td").first).to_have_text("1")
    expect(row).to_contain_text("Phòng Tài nguyên và Môi trường")
    shot(clerk, screenshots, "35-register")


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map(el => el.outerHTML)"""


def test_every_input_of_the_new_pages_has_a_label_and_the_form_follows_the_paper(
    person, live_server, demo
):
    doc = f.directed(demo)
    waiting = f.waiting_for_direction(demo)
    clerk = person(f.CLERK)
    for path in [
        "/app/incoming-document/new",
        "/app/incoming-document",
        f"/app/incoming-document/{doc.name}",
    ]:
        clerk.goto(path)
        assert clerk.evaluate(UNLABELLED) == [], path
    # The Tab key walks the register form in the order of the paper.
    clerk.goto("/app/incoming-document/new")
    order = []
    for _ in range(5):
        order.append(clerk.evaluate("document.activeElement.name"))
        clerk.keyboard.press("Tab")
    assert order == ["issuer", "document_number", "document_date", "document_type", "summary"]
    chairman = person(f.CHAIRMAN)
    for path in [
        "/app/inbox/direction",
        f"/app/incoming-document/{waiting.name}/assign",
        f"/app/incoming-document/{doc.name}",
        "/app/task/new",
        "/app/inbox/mine",
    ]:
        chairman.goto(path)
        assert chairman.evaluate(UNLABELLED) == [], path
    head = person(f.TNMT_HEAD)
    head.goto("/app/inbox/unit")
    head.locator("summary", has_text="Giao cán bộ xử lý").first.click()
    assert head.evaluate(UNLABELLED) == []
    only_local(head, live_server)


def test_a_leader_gives_a_task_to_a_commune_and_informs_all_communes(
    person, live_server, demo, screenshots
):
    from eoffice.doctype.task import Task

    chairman = person(f.CHAIRMAN)
    chairman.get_by_role("link", name="Giao việc", exact=True).click()
    expect(chairman.get_by_role("heading", name="Giao việc mới", level=1)).to_be_visible()
    chairman.get_by_label("Tên công việc").fill("Kiểm tra phòng cháy chữa cháy làng nghề Bát Tràng")
    chairman.get_by_label("Nội dung, yêu cầu").fill("Kiểm tra và báo cáo kết quả về UBND huyện.")
    chairman.get_by_label("Đơn vị dòng 1").select_option(label="Xã Bát Tràng")
    chairman.get_by_label("Thêm cả nhóm").select_option(label="Tất cả phòng ban (12)")
    chairman.get_by_label("Vai trò của nhóm").select_option(label="Nhận để biết")
    chairman.get_by_role("button", name="Thêm", exact=True).click()
    expect(chairman.locator("[data-row]")).to_have_count(1 + 12 + 1)
    expect(chairman.get_by_label("Tên công việc")).to_have_value(
        "Kiểm tra phòng cháy chữa cháy làng nghề Bát Tràng"
    )
    shot(chairman, screenshots, "37-task-form")
    chairman.get_by_role("button", name="Giao việc", exact=True).click()
    expect(chairman.get_by_role("status").first).to_contain_text("cho 13 đơn vị, cá nhân")
    task = Task.objects.get()
    assert task.workflow_state == "Đã giao"
    expect(chairman.locator("#assignments .tree__item")).to_have_count(13)
    shot(chairman, screenshots, "38-task-page")
    only_local(chairman, live_server)


def test_the_document_page_and_the_direction_screen_fit_a_phone(
    chromium, live_server, demo, screenshots
):
    doc = f.waiting_for_direction(demo, urgency="Hỏa tốc")
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        phone = context.new_page()
        sign_in(phone, f.CHAIRMAN)
        for path, name in [
            (f"/app/incoming-document/{doc.name}", "39-document-phone"),
            (f"/app/incoming-document/{doc.name}/assign", "40-direction-phone"),
            ("/app/incoming-document", "41-register-phone"),
        ]:
            phone.goto(path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
            shot(phone, screenshots, name)
    finally:
        context.close()
