"""Django admin for "Quản trị": who gets in, and that it asks the one permission layer."""

import re

import pytest

from eoffice.constants import Role
from eoffice.doctype.organization import OrganizationUnit, UnitMember
from eoffice.doctype.user import ApiKey, User


@pytest.fixture
def admin_client(client, demo_user):
    client.force_login(demo_user("admin@gialam.demo"))
    return client


def test_a_visitor_asking_for_the_admin_is_sent_to_the_one_sign_in_page(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/login?next=%2Fadmin%2F"
    assert "Đăng nhập" in response.content.decode()


def test_an_officer_cannot_reach_the_admin_and_is_told_why_in_vietnamese(client, demo_user):
    client.force_login(demo_user("cv.tnmt@gialam.demo"))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Trang quản trị dành cho người được giao vai trò Quản trị" in response.content.decode()
    assert client.get("/admin/eoffice/organizationunit/add/").status_code == 302


def test_the_administrator_enters_the_admin_in_vietnamese(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert '<html lang="vi"' in html
    for label in [
        "Cơ cấu tổ chức",
        "Người dùng và vai trò",
        "Loại văn bản",
        "Sổ văn bản",
        "Khóa API",
    ]:
        assert label in html, label


def test_the_administrator_adds_a_unit_under_a_commune(admin_client, demo):
    dong_du = demo["Đông Dư"]
    response = admin_client.post(
        "/admin/eoffice/organizationunit/add/",
        {
            "unit_name": "Thôn Đông Dư Hạ",
            "short_name": "TDDH",
            "kind": "Phòng ban",
            "parent": dong_du.pk,
            "agency_code": "",
            "is_active": "on",
            "sort_order": "1",
            "name": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrganizationUnit.objects.get(unit_name="Thôn Đông Dư Hạ")
    assert unit.parent == dong_du
    assert unit.path.startswith(dong_du.path) and unit.depth == 2
    assert unit.owner == "admin@gialam.demo"
    assert unit.agency_code is None


def test_a_unit_cannot_be_put_under_its_own_subtree(admin_client, demo):
    root = demo["UBND"]
    response = admin_client.post(
        f"/admin/eoffice/organizationunit/{root.pk}/change/",
        {
            "unit_name": root.unit_name,
            "short_name": root.short_name,
            "kind": root.kind,
            "parent": demo["Đông Dư"].pk,
            "agency_code": root.agency_code,
            "keeps_own_registers": "on",
            "is_active": "on",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200
    assert "Đơn vị cấp trên không được là chính nó" in response.content.decode()


def test_the_unit_list_reads_as_the_tree_and_filters_by_parent(admin_client, demo):
    html = admin_client.get("/admin/eoffice/organizationunit/").content.decode()
    names = re.findall(r"(?:<strong>|└ )([^<]+)<", html)
    assert names[0] == "UBND huyện Gia Lâm"
    assert "Xã Đông Dư" in names
    assert "padding-left:1.5rem" in html
    filtered = admin_client.get(
        f"/admin/eoffice/organizationunit/?parent__id__exact={demo['UBND'].pk}"
    ).content.decode()
    assert "39 " in filtered  # the 39 units right under the district


def test_searching_units_without_accents_finds_them(admin_client, demo):
    html = admin_client.get("/admin/eoffice/organizationunit/?q=dong+du").content.decode()
    assert "Xã Đông Dư" in html
    assert "Xã Bát Tràng" not in html


def test_a_staff_officer_sees_what_their_role_may_read_and_changes_nothing(client, demo, make_user):
    """The admin asks eoffice.permissions: an officer may read units, not add them, and not
    read registers at all, exactly as over the API."""
    officer = make_user("cv.staff@gialam.demo", demo["TNMT"], Role.OFFICER, is_staff=True)
    client.force_login(officer)
    assert client.get("/admin/eoffice/organizationunit/").status_code == 200
    assert client.get("/admin/eoffice/organizationunit/add/").status_code == 403
    unit = demo["TNMT"]
    assert (
        client.post(
            f"/admin/eoffice/organizationunit/{unit.pk}/change/", {"unit_name": "x"}
        ).status_code
        == 403
    )
    assert client.get("/admin/eoffice/documentregister/").status_code == 403
    assert client.get("/admin/eoffice/apikey/").status_code == 403


def test_a_staff_clerk_sees_only_the_registers_of_their_unit(client, demo, make_user):
    clerk = make_user("vt.staff@gialam.demo", demo["Đông Dư"], Role.CLERK, is_staff=True)
    client.force_login(clerk)
    html = client.get("/admin/eoffice/documentregister/").content.decode()
    assert "Xã Đông Dư" in html
    assert "Xã Bát Tràng" not in html


def test_the_administrator_creates_a_user_with_a_role_in_a_unit(admin_client, demo):
    response = admin_client.post(
        "/admin/eoffice/user/add/",
        {
            "email": "Moi.Vao@GiaLam.demo",
            "full_name": "Lý Thị Mới",
            "password1": "Mat-khau-dai-2017",
            "password2": "Mat-khau-dai-2017",
            **inline_rows((demo["Kim Lan"].pk, "Chuyên viên", "Công chức văn hóa")),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="moi.vao@gialam.demo")
    assert user.check_password("Mat-khau-dai-2017")
    member = UnitMember.objects.get(user=user)
    assert (member.unit, member.role, member.title) == (
        demo["Kim Lan"],
        "Chuyên viên",
        "Công chức văn hóa",
    )
    listing = admin_client.get("/admin/eoffice/user/?role=Chuyên+viên").content.decode()
    assert "Lý Thị Mới" in listing and "Chuyên viên · Xã Kim Lan" in listing


def test_a_users_roles_per_unit_are_edited_inline(admin_client, demo, demo_user):
    user = demo_user("cb.batrang@gialam.demo")
    change = admin_client.get(f"/admin/eoffice/user/{user.pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in change and "Công chức xã" in change
    member = user.memberships.get()
    response = admin_client.post(
        f"/admin/eoffice/user/{user.pk}/change/",
        {
            "email": user.email,
            "full_name": user.full_name,
            "position": user.position,
            "language": "vi",
            "is_active": "on",
            **inline_rows(
                (demo["Bát Tràng"].pk, "Chuyên viên", "Công chức xã", member.pk),
                (demo["Bát Tràng"].pk, "Văn thư", "Văn thư xã"),
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(user.memberships.values_list("role", flat=True)) == {"Chuyên viên", "Văn thư"}


def inline_rows(*rows) -> dict:
    """The POST data of the "Unit Member" inline: rows of (unit pk, role, title[, row pk])."""
    initial = sum(1 for row in rows if len(row) > 3)
    data = {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"memberships-{i}-unit"] = row[0]
        data[f"memberships-{i}-role"] = row[1]
        data[f"memberships-{i}-title"] = row[2]
        data[f"memberships-{i}-is_primary"] = "on"
        if len(row) > 3:
            data[f"memberships-{i}-id"] = row[3]
    return data


def test_a_user_with_the_admin_role_but_no_admin_access_is_flagged(admin_client, demo):
    user = User.objects.create_user("qt.moi@gialam.demo", "x", full_name="Quản Trị Mới")
    UnitMember.objects.create(user=user, unit=demo["UBND"], role=Role.ADMIN)
    response = admin_client.post(
        f"/admin/eoffice/user/{user.pk}/change/",
        {
            "email": user.email,
            "full_name": user.full_name,
            "language": "vi",
            "is_active": "on",
            **inline_rows(),
        },
        follow=True,
    )
    assert "chưa được phép vào trang quản trị" in response.content.decode()


def test_generating_an_api_key_in_the_admin_shows_the_secret_once(admin_client, demo_user):
    owner = demo_user("cb.dongdu@gialam.demo")
    response = admin_client.post(
        "/admin/eoffice/apikey/add/", {"user": owner.pk, "label": "Phần mềm một cửa"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get(user=owner)
    secret = re.search(r'id="new-api-secret"[^>]*>([0-9a-f]+)<', html).group(1)
    assert ApiKey.authenticate(key.api_key, secret) == owner
    assert secret not in key.secret_hash
    assert (
        secret not in admin_client.get(f"/admin/eoffice/apikey/{key.pk}/change/").content.decode()
    )


def test_revoking_api_keys_in_the_admin(admin_client, demo_user):
    key, secret = ApiKey.generate(demo_user("cb.dongdu@gialam.demo"))
    response = admin_client.post(
        "/admin/eoffice/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    assert "Đã thu hồi 1 khóa." in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert ApiKey.authenticate(key.api_key, secret) is None


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/eoffice/organizationunit/",
        "/admin/eoffice/organizationunit/add/",
        "/admin/eoffice/user/",
        "/admin/eoffice/user/add/",
        "/admin/eoffice/delegation/",
        "/admin/eoffice/delegation/add/",
        "/admin/eoffice/documenttype/",
        "/admin/eoffice/documenttype/add/",
        "/admin/eoffice/documentregister/",
        "/admin/eoffice/documentregister/add/",
        "/admin/eoffice/apikey/",
        "/admin/eoffice/apikey/add/",
    ],
)
def test_every_admin_page_of_the_administrator_opens(admin_client, demo, path):
    assert admin_client.get(path).status_code == 200


def test_the_autocomplete_of_units_finds_a_commune_without_accents(admin_client, demo):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "dong du",
            "app_label": "eoffice",
            "model_name": "organizationunit",
            "field_name": "parent",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Xã Đông Dư"]


def test_accent_free_search_also_works_where_the_database_does_not_fold_accents(
    admin_client, demo, monkeypatch
):
    """The embedded SQLite has no accent-folding collation: the admin folds in Python there."""
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    html = admin_client.get("/admin/eoffice/organizationunit/?q=xa+dong+du").content.decode()
    assert "Xã Đông Dư" in html and "Xã Bát Tràng" not in html
    users = admin_client.get("/admin/eoffice/user/?q=hoang+hoa").content.decode()
    assert "Hoàng Thị Hoa" in users and "Nguyễn Thị Thu" not in users


def test_the_administrator_records_a_delegation_and_a_wrong_one_is_explained(
    admin_client, demo, demo_user
):
    from django.utils import timezone

    from eoffice.doctype.organization import Delegation

    today = timezone.localdate().strftime("%d/%m/%Y")
    data = {
        "delegator": demo_user("ct.dongdu@gialam.demo").pk,
        "delegate": demo_user("cb.dongdu@gialam.demo").pk,
        "unit": demo["Đông Dư"].pk,
        "role": "Lãnh đạo đơn vị",
        "from_date": today,
        "to_date": today,
        "reason": "Đi công tác",
    }
    response = admin_client.post("/admin/eoffice/delegation/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Delegation.objects.get().delegate.email == "cb.dongdu@gialam.demo"
    listing = admin_client.get("/admin/eoffice/delegation/").content.decode()
    assert "Đang hiệu lực" in listing

    wrong = admin_client.post("/admin/eoffice/delegation/add/", {**data, "role": "Văn thư"})
    assert "Người ủy quyền không giữ vai trò này tại đơn vị này." in wrong.content.decode()


def test_the_administrator_edits_a_document_type(admin_client, demo):
    from eoffice.doctype.document_type import DocumentType

    kind = DocumentType.objects.get(type_name="Giấy mời")
    response = admin_client.post(
        f"/admin/eoffice/documenttype/{kind.pk}/change/",
        {
            "type_name": "Giấy mời",
            "abbreviation": "GM",
            "default_handling_days": "3",
            "is_active": "on",
            "sort_order": kind.sort_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kind.refresh_from_db()
    assert kind.default_handling_days == 3


def test_djangos_groups_are_not_offered_since_roles_per_unit_replace_them(admin_client, demo):
    assert admin_client.get("/admin/auth/group/").status_code == 404
