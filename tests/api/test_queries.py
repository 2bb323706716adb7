"""A page of a list is one SELECT of the rows, links included (no query per row or link)."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _row_selects(queries, table: str) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT") and f"FROM `{table}`" in q["sql"]
    ]


def test_a_list_page_with_links_is_one_select_of_the_rows(demo, demo_user):
    client = Client()
    client.force_login(demo_user("chutich@gialam.demo"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            "/api/resource/Document Register",
            {"fields": json.dumps(["name", "unit", "register_name"]), "limit_page_length": 50},
        )
    assert response.status_code == 200
    rows = response.json()["data"]
    assert len(rows) == 50 and all(r["unit"] for r in rows)
    assert len(_row_selects(captured.captured_queries, "eoffice_documentregister")) == 1
    # Whatever the page size, the number of queries stays the same.
    with CaptureQueriesContext(connection) as bigger:
        client.get("/api/resource/Document Register", {"fields": '["*"]', "limit": 0})
    assert len(bigger.captured_queries) <= len(captured.captured_queries)


def test_one_document_with_its_links_and_child_rows_is_a_fixed_number_of_queries(demo, demo_user):
    client = Client()
    client.force_login(demo_user("chutich@gialam.demo"))
    created = client.post(
        "/api/resource/Task",
        data={
            "title": "Kiểm tra",
            "assigning_unit": "GL-UBND",
            "assignees": [
                {"unit": "GL-TNMT", "handling_role": "Chủ trì"},
                {"unit": "GL-VP", "handling_role": "Phối hợp"},
                {"unit": "GL-KT", "handling_role": "Nhận để biết"},
            ],
        },
        content_type="application/json",
    ).json()["data"]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/resource/Task/{created['name']}")
    assert len(response.json()["data"]["assignees"]) == 3
    child = [q for q in captured.captured_queries if "taskassignee" in q["sql"].lower()]
    assert len(child) == 1  # the rows and their units in one query
