"""Signing in and out of the desk, the front door, CSRF as Frappe does it, the language."""

import pytest

from eoffice.api.csrf import SESSION_FLAG

PASSWORD = "Demo@2017"


def test_a_visitor_at_the_front_door_is_sent_to_the_sign_in_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login"


def test_a_signed_in_person_at_the_front_door_is_sent_home(client, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/app"


def test_the_home_page_asks_a_visitor_to_sign_in_first(client, db):
    response = client.get("/app")
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/app"


def test_the_sign_in_page_is_in_vietnamese_with_labelled_email_and_password(client, db):
    response = client.get("/login", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert '<label for="id_username">Email</label>' in html
    assert '<label for="id_password">Mật khẩu</label>' in html
    assert 'type="email"' in html and 'type="password"' in html


def test_a_wrong_password_gets_a_clear_vietnamese_message_and_no_session(client, demo):
    response = client.post("/login", {"username": "vanthu@gialam.demo", "password": "sai-mat-khau"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Email hoặc mật khẩu không đúng" in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_an_empty_form_says_what_is_missing(client, db):
    response = client.post("/login", {"username": "", "password": ""})
    html = response.content.decode()
    assert "Vui lòng nhập địa chỉ email." in html
    assert "Vui lòng nhập mật khẩu." in html


def test_signing_in_with_email_in_any_case_leads_home(client, demo):
    response = client.post("/login", {"username": "VanThu@GiaLam.demo", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/app"
    assert client.get("/app").status_code == 200


def test_signing_in_returns_to_the_page_asked_for(client, demo):
    response = client.post(
        "/login?next=/app/api-keys",
        {"username": "vanthu@gialam.demo", "password": PASSWORD, "next": "/app/api-keys"},
    )
    assert response["Location"] == "/app/api-keys"


def test_signing_in_never_redirects_to_another_site(client, demo):
    response = client.post(
        "/login",
        {"username": "vanthu@gialam.demo", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/app"


def test_an_inactive_account_cannot_sign_in(client, make_user):
    make_user("nghi.viec@gialam.demo", is_active=False)
    response = client.post("/login", {"username": "nghi.viec@gialam.demo", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signing_out_is_a_post_and_leads_back_to_the_sign_in_page(client, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    assert client.get("/logout").status_code == 405  # a link cannot sign anyone out
    response = client.post("/logout")
    assert response.status_code == 302
    assert response["Location"] == "/login"
    assert client.get("/app").status_code == 302


def test_a_desk_page_hands_the_session_a_csrf_token_and_exposes_it_to_scripts(client, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    assert not client.session.get(SESSION_FLAG)
    html = client.get("/app").content.decode()
    assert client.session.get(SESSION_FLAG) is True
    assert 'window.csrf_token = "' in html
    token = html.split('window.csrf_token = "')[1].split('"')[0]
    assert len(token) == 64


def test_an_admin_page_also_hands_the_session_a_csrf_token(client, demo_user):
    client.force_login(demo_user("admin@gialam.demo"))
    assert client.get("/admin/").status_code == 200
    assert client.session.get(SESSION_FLAG) is True


def test_a_session_that_loaded_a_desk_page_must_send_the_token_on_unsafe_desk_posts(demo_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo_user("vanthu@gialam.demo"))
    browser.get("/app")
    assert browser.post("/app/api-keys", {"label": "x"}).status_code == 403


def test_a_form_posted_with_an_expired_token_explains_itself_in_vietnamese(db):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/login", {"username": "a@b.vn", "password": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "vi-VN", ""])
def test_the_desk_is_vietnamese_whatever_the_browser_prefers(client, demo_user, accept):
    client.force_login(demo_user("vanthu@gialam.demo"))
    html = client.get("/app", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert '<html lang="vi">' in html
    assert "Trang chủ" in html


def test_the_language_switch_turns_the_desk_english_and_remembers_it_on_the_user(client, demo_user):
    user = demo_user("vanthu@gialam.demo")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    assert response.status_code == 302 and response["Location"] == "/app"
    html = client.get("/app").content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "Sign out" in html
    user.refresh_from_db()
    assert user.language == "en"


def test_a_saved_language_follows_the_person_to_a_new_browser(client, demo_user):
    user = demo_user("vanthu@gialam.demo")
    user.language = "en"
    user.save()
    response = client.post("/login", {"username": user.email, "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/app").content.decode()


def test_dates_are_written_dd_mm_yyyy_in_both_languages(client, demo_user):
    from django.utils import timezone

    today = timezone.localdate().strftime("%d/%m/%Y")
    client.force_login(demo_user("vanthu@gialam.demo"))
    assert today in client.get("/app").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    assert today in client.get("/app").content.decode()
