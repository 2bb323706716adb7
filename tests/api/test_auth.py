"""Logging in and out, sessions, API keys: Frappe's auth over real HTTP."""

from __future__ import annotations

import base64

from tests.api.conftest import DEMO_PASSWORD, Client, assert_error


def test_login_with_json_opens_an_httponly_lax_sid_session_and_answers_as_frappe(anonymous):
    response = anonymous.post(
        "/api/method/login", json={"usr": "vanthu@gialam.demo", "pwd": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json() == {
        "message": "Logged In",
        "home_page": "/app",
        "full_name": "Nguyễn Thị Thu",
    }
    cookie = next(c for c in anonymous.cookies if c.name == "sid")
    assert cookie.has_nonstandard_attr("HttpOnly")
    set_cookie = response.headers["Set-Cookie"]
    assert "sid=" in set_cookie and "SameSite=Lax" in set_cookie
    assert anonymous.cookies.get("user_id") == "vanthu%40gialam.demo"
    assert anonymous.get("/api/method/frappe.auth.get_logged_user").json() == {
        "message": "vanthu@gialam.demo"
    }


def test_login_with_a_form_body_and_any_case_of_the_email(anonymous):
    response = anonymous.post(
        "/api/method/login", data={"usr": "ChuTich@GiaLam.demo", "pwd": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    me = anonymous.get("/api/method/frappe.auth.get_logged_user").json()["message"]
    assert me == "chutich@gialam.demo"


def test_wrong_password_unknown_user_and_missing_fields_get_401_in_vietnamese(anonymous):
    for body in (
        {"usr": "vanthu@gialam.demo", "pwd": "sai-mat-khau"},
        {"usr": "khong-co@gialam.demo", "pwd": DEMO_PASSWORD},
    ):
        response = anonymous.post("/api/method/login", json=body)
        messages = assert_error(response, 401, "AuthenticationError")
        assert messages == ["Email hoặc mật khẩu không đúng."]
        assert response.json()["message"] == "Email hoặc mật khẩu không đúng."
        assert "sid" not in anonymous.cookies
    response = anonymous.post("/api/method/login", json={"usr": "vanthu@gialam.demo"})
    assert "mật khẩu" in assert_error(response, 401, "AuthenticationError")[0]


def test_a_disabled_user_cannot_log_in(anonymous, demo_user):
    user = demo_user("cb.batrang@gialam.demo")
    user.is_active = False
    user.save()
    response = anonymous.post(
        "/api/method/login", json={"usr": "cb.batrang@gialam.demo", "pwd": DEMO_PASSWORD}
    )
    assert_error(response, 401, "AuthenticationError")


def test_logout_ends_the_session_and_then_resources_are_forbidden(login):
    client = login("cv.tnmt@gialam.demo")
    assert client.rows("Organization Unit", limit=1)
    response = client.post("/api/method/logout", json={})
    assert response.status_code == 200 and response.json() == {}
    assert_error(client.resource("Organization Unit"), 403, "PermissionError")
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 403, "PermissionError")


def test_anonymous_requests_to_resources_and_methods_are_forbidden(anonymous):
    assert_error(anonymous.resource("Organization Unit"), 403, "PermissionError")
    assert_error(anonymous.get("/api/resource/Organization Unit/GL-UBND"), 403, "PermissionError")
    response = anonymous.get("/api/method/frappe.client.get_count?doctype=Organization Unit")
    assert_error(response, 403, "PermissionError")
    assert anonymous.get("/api/method/frappe.ping").json() == {"message": "pong"}


def _generate_keys(client, **body):
    response = client.post("/api/method/frappe.core.doctype.user.user.generate_keys", json=body)
    assert response.status_code == 200, response.text
    return response.json()["message"]


def test_a_user_generates_their_own_api_key_and_uses_it_without_a_session(login, server):
    keys = _generate_keys(login("cv.tnmt@gialam.demo"))
    token = Client(server)
    token.headers["Authorization"] = f"token {keys['api_key']}:{keys['api_secret']}"
    me = token.get("/api/method/frappe.auth.get_logged_user")
    assert me.json() == {"message": "cv.tnmt@gialam.demo"}
    assert "sid" not in me.cookies
    assert len(token.rows("Organization Unit", limit=5)) == 5
    # Writes need no CSRF token either.
    response = token.post("/api/method/frappe.core.doctype.user.user.generate_keys", json={})
    assert response.status_code == 200
    # Basic auth with the same key and secret, as Frappe accepts.
    basic = Client(server)
    pair = base64.b64encode(f"{keys['api_key']}:{keys['api_secret']}".encode()).decode()
    basic.headers["Authorization"] = f"Basic {pair}"
    assert basic.get("/api/method/frappe.auth.get_logged_user").status_code == 200


def test_a_bad_or_revoked_token_gets_401_and_never_falls_through_to_anonymous(login, server):
    owner = login("cv.tnmt@gialam.demo")
    keys = _generate_keys(owner)
    client = Client(server)
    for header in (
        f"token {keys['api_key']}:wrong-secret",
        "token nokey:nosecret",
        "token garbage",
        "Basic !!!not-base64",
        "Bearer some-oauth-token",
    ):
        client.headers["Authorization"] = header
        for response in (
            client.get("/api/method/frappe.ping"),
            client.resource("Organization Unit"),
        ):
            messages = assert_error(response, 401, "AuthenticationError")
            assert messages[0]
    revoke = owner.post(
        "/api/method/eoffice.auth.revoke_api_key", json={"api_key": keys["api_key"]}
    )
    assert revoke.status_code == 200, revoke.text
    client.headers["Authorization"] = f"token {keys['api_key']}:{keys['api_secret']}"
    assert_error(client.resource("Organization Unit"), 401, "AuthenticationError")


def test_only_an_administrator_makes_keys_for_someone_else(login, admin, server):
    officer = login("cv.tnmt@gialam.demo")
    response = officer.post(
        "/api/method/frappe.core.doctype.user.user.generate_keys",
        json={"user": "chutich@gialam.demo"},
    )
    assert_error(response, 403, "PermissionError")
    keys = _generate_keys(admin, user="chutich@gialam.demo")
    client = Client(server)
    client.headers["Authorization"] = f"token {keys['api_key']}:{keys['api_secret']}"
    assert client.get("/api/method/frappe.auth.get_logged_user").json()["message"] == (
        "chutich@gialam.demo"
    )


def test_a_key_made_on_the_command_line_authenticates(server, demo_user):
    from eoffice.doctype.user import ApiKey

    key, secret = ApiKey.generate(demo_user("tp.tnmt@gialam.demo"))
    client = Client(server)
    client.headers["Authorization"] = f"token {key.api_key}:{secret}"
    assert client.get("/api/method/frappe.auth.get_logged_user").json()["message"] == (
        "tp.tnmt@gialam.demo"
    )


def test_frappe_js_sdk_forget_password_posts_cmd_to_the_root_and_learns_nothing(anonymous):
    # frappe-js-sdk's auth.forgetPassword: POST / {"cmd": "...reset_password", "user": …}.
    answers = []
    for email in ("vanthu@gialam.demo", "khong-co@gialam.demo"):
        response = anonymous.post(
            "/", json={"cmd": "frappe.core.doctype.user.user.reset_password", "user": email}
        )
        assert response.status_code == 200, response.text
        answers.append(response.json())
    assert answers[0] == answers[1] and "email" in answers[0]["message"]
    # Any method answers the same way through the old convention; the desk keeps GET /.
    response = anonymous.post("/", data={"cmd": "frappe.ping"})
    assert response.json() == {"message": "pong"}
    assert anonymous.get("/", allow_redirects=False).status_code in (200, 302)
