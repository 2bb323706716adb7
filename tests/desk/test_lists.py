"""``/app/<doctype>``: the rows a person may read, as the home page's counts link to them."""

import pytest

from eoffice.constants import Role


@pytest.fixture
def as_user(client, demo_user):
    def login(email):
        client.force_login(demo_user(email))
        return client

    return login


def test_an_officer_lists_the_units_of_the_organisation(as_user):
    html = as_user("cb.dongdu@gialam.demo").get("/app/organization-unit").content.decode()
    assert "<h1>Đơn vị</h1>" in html
    assert "40 dòng" in html
    assert "Trang 1/2" in html


def test_searching_a_list_ignores_accents(as_user):
    html = as_user("cb.dongdu@gialam.demo").get("/app/organization-unit?q=dong+du").content
    html = html.decode()
    assert "1 dòng" in html and "Xã Đông Dư" in html


def test_a_list_filters_on_a_plain_field(as_user):
    html = as_user("cb.dongdu@gialam.demo").get("/app/organization-unit?kind=Xã").content
    assert "20 dòng" in html.decode()


def test_a_filter_on_an_unknown_field_is_explained_not_an_error(as_user):
    response = as_user("cb.dongdu@gialam.demo").get("/app/organization-unit?mat_khau=1")
    assert response.status_code == 200
    assert "Không lọc được theo “mat_khau”." in response.content.decode()


def test_a_list_the_role_may_not_read_is_refused(as_user):
    response = as_user("cb.dongdu@gialam.demo").get("/app/document-register")
    assert response.status_code == 403
    assert "Vai trò của anh/chị không được xem danh sách này." in response.content.decode()


def test_a_clerk_lists_only_the_registers_of_their_unit(as_user):
    html = as_user("vanthu.dongdu@gialam.demo").get("/app/document-register").content.decode()
    assert "5 dòng" in html
    assert "Xã Đông Dư" in html and "Xã Bát Tràng" not in html


def test_the_administrator_gets_links_to_the_admin_pages_of_rows(as_user, demo):
    html = as_user("admin@gialam.demo").get("/app/organization-unit?kind=Xã").content.decode()
    assert f'href="/admin/eoffice/organizationunit/{demo["Đông Dư"].pk}/change/"' in html


def test_an_unknown_list_is_not_found(as_user):
    assert as_user("cb.dongdu@gialam.demo").get("/app/no-such-thing").status_code == 404


def test_an_unknown_view_falls_back_to_the_whole_list_and_says_so(as_user):
    html = as_user("cb.dongdu@gialam.demo").get("/app/organization-unit?view=nope").content
    assert "Không tìm thấy bộ lọc “nope”" in html.decode()


def test_role_names_in_lists_are_shown_as_labels(as_user, demo):
    html = as_user("admin@gialam.demo").get("/app/unit-member").content.decode()
    assert Role.CLERK.value in html
