"""The desk in a real browser (Debian's chromium through Playwright) against a live server."""

import re

import pytest
from playwright.sync_api import expect

from eoffice.doctype.organization import OrganizationUnit
from tests.desk.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def only_local(page, live_server):
    outside = [url for url in page.requests if not url.startswith(live_server.url)]
    assert not outside, outside


def test_a_clerk_goes_from_the_front_door_to_her_vietnamese_home_page(
    page, live_server, demo, screenshots
):
    from tests.doctype import factories

    factories.incoming(demo, summary="V/v báo cáo tình hình sử dụng đất năm 2017")
    factories.incoming(demo, urgency="Hỏa tốc", summary="V/v phòng chống lụt bão khẩn cấp")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.screenshot(path=str(screenshots / "01-login.png"), full_page=True)

    # A wrong password: a clear message in Vietnamese, announced to screen readers.
    page.get_by_label("Email").fill("vanthu@gialam.demo")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Email hoặc mật khẩu không đúng")
    page.screenshot(path=str(screenshots / "02-login-error.png"), full_page=True)

    sign_in(page, "vanthu@gialam.demo")
    expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Thu")).to_be_visible()
    expect(page.get_by_role("heading", name="Văn thư", level=2)).to_be_visible()
    for title in ["Văn bản chờ vào sổ", "Vào sổ hôm nay", "Chờ cấp số / phát hành"]:
        expect(page.get_by_role("heading", name=title, level=3)).to_be_visible()
    expect(page.locator(".account__posts")).to_contain_text("Văn thư · UBND huyện Gia Lâm")
    assert len(page.evaluate("window.csrf_token")) == 64
    urgent = page.locator('[data-block="clerk.to_register_urgent"]')
    expect(urgent).to_have_class(re.compile("block--urgent"))
    expect(urgent.locator("[data-value]")).to_have_text("1")
    page.screenshot(path=str(screenshots / "03-home-van-thu.png"), full_page=True)

    # The count opens the list of exactly those documents; the urgent one says so in words.
    page.locator('[data-block="clerk.to_register"] a').click()
    expect(page.get_by_role("heading", name="Chờ tiếp nhận", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="phòng chống lụt bão")
    expect(row.locator(".badge--urgent")).to_have_text("Hỏa tốc")
    page.screenshot(path=str(screenshots / "03b-list-cho-tiep-nhan.png"), full_page=True)
    only_local(page, live_server)


def test_the_sign_in_page_works_from_the_keyboard_alone(page, live_server, demo):
    page.goto("/login")
    expect(page.get_by_label("Email")).to_be_focused()  # autofocus
    page.keyboard.type("cb.dongdu@gialam.demo")
    page.keyboard.press("Tab")
    page.keyboard.type("Demo@2017")
    page.keyboard.press("Enter")
    page.wait_for_url("**/app")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    # The first Tab offers to skip the header, straight to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


@pytest.mark.parametrize(
    "email, shot, headings",
    [
        ("chutich@gialam.demo", "04-home-lanh-dao", ["Chờ chỉ đạo", "Chờ ký", "Tỷ lệ đúng hạn"]),
        (
            "tp.tnmt@gialam.demo",
            "05-home-lanh-dao-don-vi",
            ["Việc của đơn vị", "Ai đang giữ việc gì"],
        ),
        ("cb.dongdu@gialam.demo", "06-home-chuyen-vien", ["Việc của tôi", "Nhận để biết chưa đọc"]),
    ],
)
def test_each_role_sees_its_home_page(page, live_server, demo, screenshots, email, shot, headings):
    sign_in(page, email)
    for title in headings:
        expect(page.get_by_role("heading", name=title, level=3)).to_be_visible()
    page.screenshot(path=str(screenshots / f"{shot}.png"), full_page=True)
    only_local(page, live_server)


def test_the_administrator_adds_a_unit_under_dong_du_in_the_admin(
    page, live_server, demo, screenshots
):
    sign_in(page, "admin@gialam.demo")
    expect(page.get_by_role("heading", name="Quản trị hệ thống", level=3)).to_be_visible()
    page.screenshot(path=str(screenshots / "07-home-quan-tri.png"), full_page=True)

    page.locator('[data-block="admin.units"] a').click()
    expect(page).to_have_url(re.compile(r"/admin/eoffice/organizationunit/$"))
    page.goto("/admin/eoffice/organizationunit/add/")
    page.get_by_label("Tên đơn vị").fill("Bộ phận một cửa xã Đông Dư")
    page.get_by_label("Tên viết tắt").fill("BPMC")
    page.get_by_label("Loại đơn vị").select_option(label="Phòng ban")
    # "Đơn vị cấp trên" is an autocomplete: type without accents, pick the commune.
    page.locator("#select2-id_parent-container").click()
    page.locator(".select2-search__field").fill("dong du")
    page.locator(".select2-results__option", has_text="Xã Đông Dư").click()
    page.screenshot(path=str(screenshots / "08-admin-add-unit.png"), full_page=True)
    page.locator('button[name="_save"]').click()

    expect(page).to_have_url(re.compile(r"/admin/eoffice/organizationunit/$"))
    expect(page.get_by_role("link", name="└ Bộ phận một cửa xã Đông Dư")).to_be_visible()
    unit = OrganizationUnit.objects.get(unit_name="Bộ phận một cửa xã Đông Dư")
    assert unit.parent == demo["Đông Dư"] and unit.depth == 2
    page.screenshot(path=str(screenshots / "09-admin-unit-list.png"), full_page=True)
    only_local(page, live_server)


def test_switching_to_english_turns_the_labels_english(page, live_server, demo, screenshots):
    sign_in(page, "admin@gialam.demo")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="System administration", level=3)).to_be_visible()
    expect(page.get_by_role("link", name="API keys", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.screenshot(path=str(screenshots / "10-home-english.png"), full_page=True)

    page.goto("/admin/eoffice/organizationunit/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Department").first).to_be_visible()

    page.goto("/app")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Quản trị hệ thống", level=3)).to_be_visible()


def test_a_person_makes_and_revokes_an_api_key(page, live_server, demo, screenshots):
    from eoffice.doctype.user import ApiKey

    sign_in(page, "cv.tnmt@gialam.demo")
    page.get_by_role("link", name="Khóa API").click()
    page.get_by_label("Ghi chú").fill("Đồng bộ với phần mềm một cửa")
    page.get_by_role("button", name="Tạo khóa").click()
    secret = page.locator("#new-api-secret").inner_text()
    key = page.locator("#new-api-key").inner_text()
    assert ApiKey.authenticate(key, secret) is not None
    page.screenshot(path=str(screenshots / "11-api-keys.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Thu hồi khóa {key}").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Đã thu hồi khóa {key}.")
    assert ApiKey.authenticate(key, secret) is None


def test_every_input_of_the_main_pages_has_a_label(page, live_server, demo):
    def unlabelled():
        return page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.outerHTML)"""
        )

    page.goto("/login")
    assert unlabelled() == []
    sign_in(page, "admin@gialam.demo")
    for path in ["/app", "/app/api-keys", "/app/organization-unit"]:
        page.goto(path)
        assert unlabelled() == [], path


def test_overdue_and_urgent_counts_stand_out_by_colour_and_by_words(
    page, live_server, demo, screenshots
):
    from eoffice.constants import Role
    from eoffice.desk import home

    home.load_sections()
    section = home.register_section(
        home.Section(
            key="test.tones",
            role=Role.OFFICER.value,
            title="Mẫu hiển thị",
            blocks=[
                home.Block(
                    key="t.overdue", label="Quá hạn", doctype="Organization Unit", tone="overdue"
                ),
                home.Block(
                    key="t.urgent", label="Văn bản khẩn", doctype="Organization Unit", tone="urgent"
                ),
                home.Block(
                    key="t.soon", label="Sắp đến hạn", doctype="Organization Unit", tone="due-soon"
                ),
                home.Block(key="t.plain", label="Bình thường", doctype="Organization Unit"),
            ],
        )
    )
    try:
        sign_in(page, "cb.dongdu@gialam.demo")
        card = page.locator('[data-section="test.tones"]')
        colours = {
            key: card.locator(f'[data-block="{key}"] .block__value').evaluate(
                "el => getComputedStyle(el).color"
            )
            for key in ["t.overdue", "t.urgent", "t.soon", "t.plain"]
        }
        assert len(set(colours.values())) == 4, colours
        for key, words in [
            ("t.overdue", "Quá hạn"),
            ("t.urgent", "khẩn"),
            ("t.soon", "Sắp đến hạn"),
        ]:
            expect(card.locator(f'[data-block="{key}"]')).to_contain_text(words)
        card.screenshot(path=str(screenshots / "12-tones.png"))
    finally:
        home.SECTIONS.pop(section.key, None)


def test_the_home_page_fits_a_phones_screen(chromium, live_server, demo, screenshots):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    try:
        phone = context.new_page()
        sign_in(phone, "ct.dongdu@gialam.demo")
        expect(phone.get_by_role("heading", name="Việc của đơn vị")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(screenshots / "13-home-phone.png"), full_page=True)
    finally:
        context.close()
