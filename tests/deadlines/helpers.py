"""Small helpers shared by the deadline, routing and notification tests."""

from __future__ import annotations

import json


def messages(response) -> list[str]:
    """The Vietnamese messages of a Frappe-style error response."""
    body = response.json()
    return [json.loads(item)["message"] for item in json.loads(body["_server_messages"])]
