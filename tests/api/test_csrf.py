"""CSRF as Frappe does it: asked only of sessions that were handed a token."""

from __future__ import annotations

from tests.api.conftest import assert_error


def _rename_request(client, headers=None):
    return client.post(
        "/api/method/frappe.client.set_value",
        json={
            "doctype": "Organization Unit",
            "name": "GL-KT",
            "fieldname": "sort_order",
            "value": 7,
        },
        headers=headers or {},
    )


def test_an_api_login_session_that_never_got_a_token_writes_without_one(admin):
    response = _rename_request(admin)
    assert response.status_code == 200, response.text
    assert response.json()["message"]["sort_order"] == 7


def test_a_session_handed_a_token_must_send_it_on_unsafe_requests(admin):
    token = admin.get("/api/method/eoffice.auth.get_csrf_token").json()["message"]
    assert token
    # Reading needs no token.
    assert admin.get("/api/resource/Organization Unit/GL-KT").status_code == 200
    messages = assert_error(_rename_request(admin), 400, "CSRFTokenError")
    assert "X-Frappe-CSRF-Token" in messages[0]
    assert_error(
        _rename_request(admin, {"X-Frappe-CSRF-Token": "not-the-token"}), 400, "CSRFTokenError"
    )
    stored = admin.get("/api/resource/Organization Unit/GL-KT").json()["data"]["sort_order"]
    assert stored != 7  # refused requests changed nothing
    response = _rename_request(admin, {"X-Frappe-CSRF-Token": token})
    assert response.status_code == 200, response.text


def test_a_desk_page_hands_the_token_through_mark_csrf_handed(admin):
    # The API docs page is such a page: it renders the token for "Try it out".
    page = admin.get("/api/docs")
    assert page.status_code == 200
    assert_error(_rename_request(admin), 400, "CSRFTokenError")


def test_token_authenticated_requests_are_never_asked_for_a_csrf_token(admin, server):
    from tests.api.conftest import Client

    keys = admin.post("/api/method/frappe.core.doctype.user.user.generate_keys", json={}).json()
    client = Client(server)
    client.headers["Authorization"] = (
        f"token {keys['message']['api_key']}:{keys['message']['api_secret']}"
    )
    assert _rename_request(client).status_code == 200
