"""Each role's home page: its named sections, counts that link to lists, placeholders."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from eoffice.constants import Role
from eoffice.desk import home
from eoffice.desk.home import Block, Section, evaluate, format_count, home_for, load_sections
from eoffice.doctype.organization import Delegation, OrganizationUnit, UnitMember


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/app")
    assert response.status_code == 200
    return response.content.decode()


def sections_of(html: str) -> list[str]:
    return re.findall(r'data-section="([^"]+)"', html)


def block_value(html: str, key: str) -> str:
    match = re.search(rf'data-block="{re.escape(key)}".*?data-value>([^<]*)<', html, re.S)
    assert match, f"block {key} not on the page"
    return match.group(1).strip()


@pytest.fixture
def extra_section():
    """Register a section for a test and take it away afterwards."""
    load_sections()
    added = []

    def add(section):
        home.register_section(section)
        added.append(section.key)
        return section

    yield add
    for key in added:
        home.SECTIONS.pop(key, None)


CLERK_SECTIONS = ["Văn bản chờ vào sổ", "Vào sổ hôm nay", "Chờ cấp số / phát hành"]
LEADER_SECTIONS = ["Chờ chỉ đạo", "Chờ ký", "Quá hạn của đơn vị", "Tỷ lệ đúng hạn"]
UNIT_LEADER_SECTIONS = ["Việc của đơn vị", "Chờ duyệt", "Ai đang giữ việc gì"]
OFFICER_SECTIONS = ["Việc của tôi", "Văn bản mới nhận", "Nhận để biết chưa đọc"]


@pytest.mark.parametrize(
    "email, role_heading, expected, not_expected",
    [
        ("vanthu@gialam.demo", "Văn thư", CLERK_SECTIONS, LEADER_SECTIONS),
        ("vanthu.dongdu@gialam.demo", "Văn thư", CLERK_SECTIONS, OFFICER_SECTIONS),
        ("chutich@gialam.demo", "Lãnh đạo", LEADER_SECTIONS, CLERK_SECTIONS),
        ("tp.tnmt@gialam.demo", "Lãnh đạo đơn vị", UNIT_LEADER_SECTIONS, LEADER_SECTIONS),
        ("ct.dongdu@gialam.demo", "Lãnh đạo đơn vị", UNIT_LEADER_SECTIONS, CLERK_SECTIONS),
        ("cv.tnmt@gialam.demo", "Chuyên viên", OFFICER_SECTIONS, UNIT_LEADER_SECTIONS),
        ("cb.dongdu@gialam.demo", "Chuyên viên", OFFICER_SECTIONS, CLERK_SECTIONS),
        ("cb.batrang@gialam.demo", "Chuyên viên", OFFICER_SECTIONS, LEADER_SECTIONS),
        ("admin@gialam.demo", "Quản trị", ["Quản trị hệ thống"], OFFICER_SECTIONS),
    ],
)
def test_each_demo_user_sees_the_sections_of_their_role_in_vietnamese(
    client, demo_user, email, role_heading, expected, not_expected
):
    html = page(client, demo_user(email))
    assert f">{role_heading}</h2>" in html
    for title in expected:
        assert f">{title}</h3>" in html, title
    for title in not_expected:
        assert f">{title}</h3>" not in html, title


def test_the_header_shows_the_persons_name_unit_role_and_today(client, demo_user):
    html = page(client, demo_user("vanthu@gialam.demo"))
    assert "Nguyễn Thị Thu" in html
    assert "Văn thư · UBND huyện Gia Lâm" in html
    assert "Xin chào, Nguyễn Thị Thu" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
    assert 'name="language" value="en"' in html
    assert 'action="/logout"' in html


def test_a_person_with_several_roles_sees_the_sections_of_each_clerk_work_first(
    client, demo, make_user
):
    user = make_user("kiem.nhiem@gialam.demo", full_name="Trịnh Văn Kiêm")
    UnitMember.objects.create(user=user, unit=demo["Bát Tràng"], role=Role.OFFICER)
    UnitMember.objects.create(user=user, unit=demo["Đông Dư"], role=Role.CLERK)
    html = page(client, user)
    keys = sections_of(html)
    assert keys.index("clerk.intake") < keys.index("officer.mine")
    assert "Văn thư · Xã Đông Dư" in html and "Chuyên viên · Xã Bát Tràng" in html


def test_a_delegated_role_brings_its_sections_for_the_period(client, demo, demo_user):
    today = timezone.localdate()
    officer = demo_user("cb.dongdu@gialam.demo")
    Delegation.objects.create(
        delegator=demo_user("ct.dongdu@gialam.demo"),
        delegate=officer,
        unit=demo["Đông Dư"],
        role=Role.UNIT_LEADER,
        from_date=today,
        to_date=today + datetime.timedelta(days=3),
    )
    html = page(client, officer)
    assert "unit.work" in sections_of(html) and "officer.mine" in sections_of(html)
    until = (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"Lãnh đạo đơn vị · Xã Đông Dư (được ủy quyền đến {until})" in html


def test_someone_without_any_role_is_told_whom_to_ask(client, make_user):
    html = page(client, make_user("moi@gialam.demo", full_name="Người Mới"))
    assert "Anh/chị chưa được giao vai trò nào." in html
    assert sections_of(html) == []


def test_the_administrators_counts_link_to_the_admin_pages(client, demo_user):
    html = page(client, demo_user("admin@gialam.demo"))
    assert block_value(html, "admin.units") == "40"
    assert block_value(html, "admin.users") == "9"
    assert block_value(html, "admin.document_types") == "29"
    assert block_value(html, "admin.registers") == "140"  # 28 units keep 5 registers each
    assert block_value(html, "admin.api_keys") == "0"
    for path in [
        "/admin/eoffice/organizationunit/",
        "/admin/eoffice/user/",
        "/admin/eoffice/delegation/",
        "/admin/eoffice/documenttype/",
        "/admin/eoffice/documentregister/",
        "/admin/eoffice/apikey/",
    ]:
        assert f'href="{path}"' in html, path


def test_an_administrator_who_may_not_enter_the_admin_gets_counts_without_dead_links(
    client, demo, make_user
):
    user = make_user("qt2@gialam.demo", demo["UBND"], Role.ADMIN)
    html = page(client, user)
    assert block_value(html, "admin.units") == "40"
    assert 'href="/admin/eoffice/organizationunit/"' not in html


def test_a_unit_head_sees_the_people_of_the_unit(client, demo_user):
    html = page(client, demo_user("tp.tnmt@gialam.demo"))
    people = html.split('data-section="unit.people"')[1].split("</article>")[0]
    assert "Phạm Thị Lan" in people
    assert "Trần Văn Minh" not in people  # not themself
    assert "Hoàng Thị Hoa" not in people  # another unit's officer


def test_a_block_counts_what_the_person_may_read_and_links_to_exactly_those_rows(
    client, demo_user, extra_section
):
    extra_section(
        Section(
            key="test.places",
            role=Role.OFFICER.value,
            title="Xã và thị trấn",
            blocks=[
                Block(
                    key="test.communes",
                    label="Xã",
                    doctype="Organization Unit",
                    query=lambda user, qs: qs.filter(kind="Xã"),
                )
            ],
        )
    )
    html = page(client, demo_user("cb.dongdu@gialam.demo"))
    assert block_value(html, "test.communes") == "20"
    assert 'href="/app/organization-unit?view=test.communes"' in html
    listing = client.get("/app/organization-unit?view=test.communes").content.decode()
    assert "20 dòng" in listing
    assert "Xã Đông Dư" in listing and "Thị trấn Trâu Quỳ" not in listing


def test_a_block_whose_doctype_is_not_there_yet_is_a_placeholder_without_a_link(
    client, demo_user, extra_section
):
    extra_section(
        Section(
            key="test.future",
            role=Role.OFFICER.value,
            title="Tương lai",
            blocks=[Block(key="test.future_block", label="Sắp có", doctype="No Such DocType")],
        )
    )
    html = page(client, demo_user("cb.dongdu@gialam.demo"))
    card = html.split('data-section="test.future"')[1].split("</article>")[0]
    assert block_value(card, "test.future_block") == "—"
    assert "block--pending" in card and "href=" not in card
    assert "chức năng này đang được triển khai" in card


def test_an_alarming_tone_shows_only_when_there_is_something_to_see(demo_user, extra_section):
    user = demo_user("cb.dongdu@gialam.demo")
    some = Block(key="t.some", label="x", doctype="Organization Unit", tone="overdue")
    none = Block(
        key="t.none",
        label="x",
        doctype="Organization Unit",
        tone="overdue",
        query=lambda u, qs: qs.none(),
    )
    assert evaluate(some, user).tone == "overdue"
    assert evaluate(none, user).tone == ""


def test_a_block_written_against_missing_fields_fails_alone_not_the_page(
    client, demo_user, extra_section
):
    extra_section(
        Section(
            key="test.broken",
            role=Role.OFFICER.value,
            title="Hỏng",
            blocks=[
                Block(
                    key="test.broken_block",
                    label="x",
                    doctype="Organization Unit",
                    query=lambda u, qs: qs.filter(no_such_field=1),
                )
            ],
        )
    )
    html = page(client, demo_user("cb.dongdu@gialam.demo"))
    assert block_value(html, "test.broken_block") == "—"


def test_every_declared_block_computes_for_every_demo_user(demo):
    """Guards the declarations of eoffice.desk.sections against the DocTypes as they land."""
    from eoffice.doctype.user import User

    for user in User.objects.all():
        for role_view in home_for(user):
            for section_view in role_view.sections:
                for block_view in section_view.blocks:
                    assert not block_view.failed, (user.email, block_view.block.key)


def test_counts_are_written_as_the_reader_writes_numbers():
    with translation.override("vi"):
        assert format_count(4921) == "4.921"
    with translation.override("en"):
        assert format_count(4921) == "4,921"


def test_every_section_belongs_to_a_role_and_every_block_key_is_unique():
    sections = load_sections()
    roles = {role.value for role in Role}
    keys = [b.key for s in sections.values() for b in s.blocks]
    assert all(s.role in roles for s in sections.values())
    assert len(keys) == len(set(keys))


def test_the_rate_block_is_a_dash_when_nothing_was_done_yet(client, demo_user):
    html = page(client, demo_user("chutich@gialam.demo"))
    assert block_value(html, "leader.on_time_rate") in {"—"}


@pytest.mark.parametrize("unit_key", ["TNMT"])
def test_the_home_page_is_built_with_a_bounded_number_of_queries(
    client, demo, make_user, django_assert_max_num_queries, unit_key
):
    user = make_user("nhieu.vai@gialam.demo", full_name="Nhiều Vai")
    for role in Role:
        UnitMember.objects.create(user=user, unit=demo[unit_key], role=role)
    client.force_login(user)
    with django_assert_max_num_queries(60):
        assert client.get("/app").status_code == 200


def test_units_of_a_role_include_the_units_below(demo, demo_user):
    from eoffice.desk.sections import units_with_role

    chairman = demo_user("chutich@gialam.demo")
    units = units_with_role(chairman, Role.LEADER.value)
    assert units == set(OrganizationUnit.objects.values_list("pk", flat=True))
    head = demo_user("tp.tnmt@gialam.demo")
    assert units_with_role(head, Role.UNIT_LEADER.value) == {demo["TNMT"].pk}
