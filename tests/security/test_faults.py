"""Faults: the database connection killed under a running app. (Kill -9 of an RQ worker during
OCR: tests/ocr/test_jobs.py; concurrent registration numbering: tests/workflows/
test_concurrency.py.)"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.doctype import factories as f


def _app_connections() -> list[int]:
    """Ids of the other connections to the test database (the live server's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> "
            "CONNECTION_ID()"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "mysql", reason="KILL is MariaDB's")
def test_killed_database_connections_fail_with_a_message_then_recover_without_a_restart(
    login, demo
):
    clerk = login(f.CLERK)
    assert clerk.get("/api/method/frappe.auth.get_logged_user").status_code == 200
    outcomes = []
    for _round in range(3):
        killed = _app_connections()
        assert killed, "the live server holds a connection"
        with connection.cursor() as cursor:
            for conn_id in killed:
                cursor.execute(f"KILL {int(conn_id)}")
        first = clerk.get("/app")
        outcomes.append(first.status_code)
        if first.status_code >= 500:
            assert "cơ sở dữ liệu" in first.text or "Lỗi hệ thống" in first.text, first.text[:300]
            assert "Traceback" not in first.text
        # The next request reconnects by itself.
        again = clerk.get("/api/method/frappe.auth.get_logged_user")
        assert again.status_code == 200, again.text
        assert again.json()["message"] == f.CLERK
    assert all(code in (200, 503) for code in outcomes), outcomes
