"""Bad input of every shape gets a 4xx in Frappe's shape, never a 500 or a traceback."""

from __future__ import annotations

import json

UNIT = "Organization Unit"

QUERIES = [
    {"fields": "123"},
    {"fields": '{"a": 1}'},
    {"fields": "[1, 2]"},
    {"fields": '["count(password)"]'},
    {"fields": '["sum(*)"]'},
    {"fields": '["name as 1x"]'},
    {"filters": "123"},
    {"filters": '"kind"'},
    {"filters": "[[1, 2, 3]]"},
    {"filters": '[["kind", "=", ["Xã"]]]'},
    {"filters": '[["kind", "=", {"a": 1}]]'},
    {"filters": '[["sort_order", "in", [1, "hai"]]]'},
    {"filters": '[["creation", ">", "hôm qua"]]'},
    {"filters": '[["creation", "between", ["2020-01-01", "x"]]]'},
    {"filters": '[["kind", "descendants of", "GL-UBND"]]'},
    {"filters": '[["x", "=", 1, 2, 3, 4]]'},
    {"filters": '[["Khác", "kind", "=", "Xã"]]'},
    {"filters": '{"kind": []}'},
    {"filters": '[["sort_order", ">", 1e400]]'},
    {"or_filters": '"x"'},
    {"order_by": "`tab`.`x`"},
    {"order_by": "(select 1)"},
    {"order_by": "sort_order desc nulls last"},
    {"group_by": "kind; drop"},
    {"limit": "1e3"},
    {"limit_start": "99999999999999999999999999"},
    {"limit_page_length": "-5"},
    {"as_dict": "maybe"},
]


def test_malformed_list_queries_are_4xx(admin):
    # One test over every query: the demo is loaded once (these run against one live server).
    wrong = []
    for params in QUERIES:
        response = admin.get(f"/api/resource/{UNIT}", params=params)
        if not (400 <= response.status_code < 500 and response.json().get("_server_messages")):
            wrong.append((json.dumps(params), response.status_code, response.text[:200]))
    assert wrong == []


def test_odd_but_valid_values_simply_match_nothing(admin):
    for filters in (
        [["parent", "descendants of", 5]],
        [["sort_order", "=", 99999999999999999999999]],
        [["unit_name", "like", "\\"]],
    ):
        assert admin.rows(UNIT, filters=filters) == []


def test_malformed_writes_and_names_are_4xx(admin):
    for url, body in [
        (f"/api/resource/{UNIT}", "[1, 2]"),
        (f"/api/resource/{UNIT}", '"text"'),
        (f"/api/resource/{UNIT}", '{"unit_name": {"nested": 1}}'),
        (f"/api/resource/{UNIT}", '{"sort_order": 1e400}'),
        (f"/api/resource/{UNIT}", '{"parent": ["GL-UBND"]}'),
        (f"/api/resource/{UNIT}", '{"is_active": []}'),
        ("/api/resource/Task", '{"title": "x", "assigning_unit": "GL-UBND", "assignees": [1]}'),
        ("/api/resource/Task", '{"title": "x", "assigning_unit": "GL-UBND", "deadline": "31/12"}'),
    ]:
        response = admin.post(url, data=body, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (body, response.text)
    for name in ("a%2Fb", "x" * 500, "%00", "..%2F..%2Fetc"):
        response = admin.get(f"/api/resource/{UNIT}/{name}")
        assert response.status_code == 404, response.text
    response = admin.post("/api/method/frappe.client.insert", data={"doc": "{not json"})
    assert response.status_code == 417
    response = admin.post("/api/method/frappe.client.insert_many", json={"docs": "x"})
    assert response.status_code == 417
    response = admin.post(
        "/api/method/frappe.client.rename_doc",
        json={"doctype": UNIT, "old_name": "GL-VP", "new_name": "", "merge": 1},
    )
    assert response.status_code == 417
    assert len(admin.rows(UNIT, limit=0)) == 40
