"""Fixtures of the REST API tests: a live server and real HTTP clients logged in as demo users."""

from __future__ import annotations

import json

import pytest
import requests

DEMO_PASSWORD = "Demo@2017"


class Client(requests.Session):
    """A ``requests`` session bound to the live server: ``client.get("/api/…")``."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return super().request(method, self.base_url + url, *args, **kwargs)

    def resource(self, doctype: str, **params) -> requests.Response:
        """``GET /api/resource/<doctype>`` with structured parameters sent as JSON text."""
        query = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
            for key, value in params.items()
        }
        return self.get(f"/api/resource/{doctype}", params=query)

    def rows(self, doctype: str, **params) -> list:
        response = self.resource(doctype, **params)
        assert response.status_code == 200, response.text
        return response.json()["data"]


@pytest.fixture
def server(live_server, demo):
    """The live server's URL, with the Gia Lâm demo organisation loaded."""
    return live_server.url


@pytest.fixture
def anonymous(server):
    return Client(server)


@pytest.fixture
def login(server):
    """A client logged in (session cookie) as a demo user: ``login("vanthu@gialam.demo")``."""

    def make(email: str, password: str = DEMO_PASSWORD) -> Client:
        client = Client(server)
        response = client.post("/api/method/login", json={"usr": email, "pwd": password})
        assert response.status_code == 200, response.text
        return client

    return make


@pytest.fixture
def admin(login):
    return login("admin@gialam.demo")


def server_messages(response) -> list[str]:
    """The messages of a Frappe error response (``_server_messages``), decoded."""
    body = response.json()
    return [json.loads(item)["message"] for item in json.loads(body["_server_messages"])]


def assert_error(response, status: int, exc_type: str) -> list[str]:
    """The response is a Frappe error of that status and type; return its messages."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["exc_type"] == exc_type, body
    assert body["exception"].startswith(f"frappe.exceptions.{exc_type}"), body
    assert "Traceback" not in response.text
    messages = server_messages(response)
    assert messages and all(messages), body
    return messages
