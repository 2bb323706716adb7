"""Accounts: lock-out and rate limit on sign-in (API and desk), password rules, the TOTP
second factor, session lifetime, CSRF and security headers."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.api.conftest import DEMO_PASSWORD, Client, assert_error
from tests.doctype import factories as f

LOGIN = "/api/method/login"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(anonymous, settings):
    for _ in range(5):
        assert anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": "sai"}).status_code == 401
    locked = anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": DEMO_PASSWORD})
    messages = assert_error(locked, 429, "TooManyRequestsError")
    assert "tạm khóa" in messages[0]
    # Another account from another IP is not affected.
    other = anonymous.post(LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD})
    assert other.status_code == 200


def test_one_ip_spraying_many_accounts_is_stopped(anonymous, settings):
    settings.SITE_CONFIG = {**settings.SITE_CONFIG, "login_max_failures_per_ip": 6}
    for i in range(6):
        anonymous.post(LOGIN, json={"usr": f"nobody{i}@gialam.demo", "pwd": "x"})
    blocked = anonymous.post(LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD})
    assert "từ địa chỉ này" in assert_error(blocked, 429, "TooManyRequestsError")[0]


def test_a_success_resets_the_account_count(anonymous):
    for _ in range(4):
        anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": "sai"})
    assert anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": DEMO_PASSWORD}).status_code == 200
    for _ in range(4):
        anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": "sai"})
    assert anonymous.post(LOGIN, json={"usr": f.CLERK, "pwd": DEMO_PASSWORD}).status_code == 200


def test_the_desk_sign_in_is_locked_too(server):
    desk = Client(server)
    page = desk.get("/login")
    token = desk.cookies.get("csrftoken")
    assert page.status_code == 200 and token
    for _ in range(5):
        desk.post(
            "/login", data={"username": f.CLERK, "password": "sai", "csrfmiddlewaretoken": token}
        )
    locked = desk.post(
        "/login",
        data={"username": f.CLERK, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert locked.status_code == 429 and "tạm khóa" in locked.text


def test_a_desk_form_without_its_csrf_token_is_refused(server):
    desk = Client(server)
    desk.get("/login")
    refused = desk.post("/login", data={"username": f.CLERK, "password": DEMO_PASSWORD})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "ít nhất 10 ký tự"),
        ("12345678901", "chỉ gồm chữ số"),
        ("abcdefghijkl", "3 trong 4 loại"),
        ("Password123!", None),  # common? not in the list: accepted unless similar
        ("password1234", "3 trong 4 loại"),
    ],
)
def test_password_rules_speak_vietnamese(password, message):
    if message is None:
        validate_password(password)
        return
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_a_password_like_the_persons_name_or_a_common_one_is_refused(make_user):
    person = make_user("nguyen.van.hung@gialam.demo", full_name="Nguyễn Văn Hùng")
    with pytest.raises(ValidationError) as error:
        validate_password("Nguyen.Van.Hung@gialam1", person)
    assert any("giống email" in m for m in error.value.messages)
    with pytest.raises(ValidationError) as error:
        validate_password("Password1")
    assert any("phổ biến" in m or "10 ký tự" in m for m in error.value.messages)


def _enrol(user):
    from eoffice.security import totp

    device = totp.start_enrolment(user)
    secret = totp.secret_of(device)
    assert totp.confirm(device, pyotp.TOTP(secret).now())
    return pyotp.TOTP(secret)


def test_api_sign_in_with_a_second_factor_asks_for_otp_then_accepts_a_code_once(
    anonymous, server, demo
):
    code = _enrol(f.user(f.CHAIRMAN))
    missing = anonymous.post(LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD})
    assert "'otp'" in assert_error(missing, 401, "OTPRequiredError")[0]
    wrong = anonymous.post(LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD, "otp": "000000"})
    assert wrong.status_code == 401
    # The enrolment used the current step: the next one is the first code accepted.
    later = code.at(time.time() + 30)
    ok = anonymous.post(LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD, "otp": later})
    assert ok.status_code == 200, ok.text
    replay = Client(server).post(
        LOGIN, json={"usr": f.CHAIRMAN, "pwd": DEMO_PASSWORD, "otp": later}
    )
    assert replay.status_code == 401  # a code is used once


def test_desk_sign_in_with_a_second_factor_opens_the_session_after_the_code(server, demo):
    code = _enrol(f.user(f.CHAIRMAN))
    desk = Client(server)
    desk.get("/login")
    token = desk.cookies.get("csrftoken")
    step = desk.post(
        "/login",
        data={"username": f.CHAIRMAN, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert step.status_code == 302 and step.headers["Location"].endswith("/login/otp")
    assert desk.get("/app", allow_redirects=False).status_code == 302  # not signed in yet
    page = desk.get("/login/otp")
    assert "Xác thực hai lớp" in page.text
    token = desk.cookies.get("csrftoken")
    bad = desk.post("/login/otp", data={"otp": "000000", "csrfmiddlewaretoken": token})
    assert "không đúng" in bad.text
    done = desk.post(
        "/login/otp",
        data={"otp": code.at(time.time() + 30), "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert done.status_code == 302
    assert desk.get("/app", allow_redirects=False).status_code == 200


def test_the_enrolment_page_draws_its_qr_code_locally(login, demo):
    client = login(f.CHAIRMAN)
    page = client.get("/security/totp")
    assert page.status_code == 200
    token = client.cookies.get("csrftoken")
    started = client.post(
        "/security/totp",
        data={"action": "start", "csrfmiddlewaretoken": token},
        headers={"Referer": client.base_url + "/security/totp"},
    )
    assert started.status_code == 200, started.text[:300]
    assert "<svg" in started.text and 'id="totp-secret"' in started.text


def test_sessions_end_after_their_absolute_lifetime(login, settings):
    client = login(f.CLERK)
    assert client.get("/api/method/frappe.auth.get_logged_user").status_code == 200
    settings.SESSION_ABSOLUTE_SECONDS = 0
    time.sleep(1.1)
    assert client.get("/api/method/frappe.auth.get_logged_user").status_code == 403


def test_security_headers_are_on_desk_and_api_responses(anonymous):
    for path in ("/login", "/api/method/frappe.ping"):
        headers = anonymous.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp
        assert (
            "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("script-src")[1]
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
    page = anonymous.get("/login")
    nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">window.csrf_token' in page.text
