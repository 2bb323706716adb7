"""``/api/method/<path>``: the dispatcher and Frappe's ``frappe.client`` methods."""

from __future__ import annotations

import json

from tests.api.conftest import assert_error

UNIT = "Organization Unit"


def _get(client, method, **params):
    params = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
    return client.get(f"/api/method/{method}", params=params)


def test_get_count_with_and_without_filters(login):
    client = login("cb.dongdu@gialam.demo")
    assert _get(client, "frappe.client.get_count", doctype=UNIT).json() == {"message": 40}
    response = _get(
        client,
        "frappe.client.get_count",
        doctype=UNIT,
        filters=[["kind", "in", ["Xã", "Thị trấn"]]],
    )
    assert response.json() == {"message": 22}
    response = _get(client, "frappe.client.get_count", doctype=UNIT, filters={"kind": "Xã"})
    assert response.json()["message"] == 20


def test_get_value_by_name_filters_fields_and_as_dict(login):
    client = login("cb.dongdu@gialam.demo")
    response = _get(
        client,
        "frappe.client.get_value",
        doctype=UNIT,
        fieldname="unit_name",
        filters="GL-XA-DONGDU",
    )
    assert response.json() == {"message": {"unit_name": "Xã Đông Dư"}}
    response = _get(
        client,
        "frappe.client.get_value",
        doctype=UNIT,
        fieldname=["unit_name", "parent"],
        filters={"short_name": "TNMT"},
    )
    assert response.json()["message"] == {
        "unit_name": "Phòng Tài nguyên và Môi trường",
        "parent": "GL-UBND",
    }
    response = _get(
        client,
        "frappe.client.get_value",
        doctype=UNIT,
        fieldname="kind",
        filters=[["name", "=", "GL-XA-DONGDU"]],
        as_dict=0,
    )
    assert response.json() == {"message": "Xã"}
    # frappe-js-sdk sends fieldname "[]": the name.
    response = _get(
        client,
        "frappe.client.get_value",
        doctype=UNIT,
        fieldname="[]",
        filters=[["short_name", "=", "VP"]],
        as_dict="true",
    )
    assert response.json() == {"message": {"name": "GL-VP"}}
    response = _get(
        client, "frappe.client.get_value", doctype=UNIT, fieldname="name", filters={"kind": "Tỉnh"}
    )
    assert response.json() == {"message": {}}


def test_set_value_one_field_or_several_and_never_standard_fields(admin):
    response = admin.post(
        "/api/method/frappe.client.set_value",
        json={"doctype": UNIT, "name": "GL-YT", "fieldname": "sort_order", "value": 33},
    )
    assert response.status_code == 200, response.text
    assert response.json()["message"]["sort_order"] == 33
    response = admin.post(
        "/api/method/frappe.client.set_value",
        json={"doctype": UNIT, "name": "GL-YT", "fieldname": {"short_name": "Y", "sort_order": 9}},
    )
    assert (response.json()["message"]["short_name"], response.json()["message"]["sort_order"]) == (
        "Y",
        9,
    )
    response = admin.post(
        "/api/method/frappe.client.set_value",
        data={"doctype": UNIT, "name": "GL-YT", "fieldname": json.dumps({"short_name": "YT2"})},
    )
    assert response.json()["message"]["short_name"] == "YT2"
    response = admin.post(
        "/api/method/frappe.client.set_value",
        json={"doctype": UNIT, "name": "GL-YT", "fieldname": "owner", "value": "x@y.z"},
    )
    assert_error(response, 417, "DataError")
    response = admin.post(
        "/api/method/frappe.client.set_value",
        json={"doctype": UNIT, "name": "GL-YT", "fieldname": "sort_order", "value": "nhiều"},
    )
    assert_error(response, 417, "ValidationError")
    assert admin.get(f"/api/resource/{UNIT}/GL-YT").json()["data"]["sort_order"] == 9


def test_get_list_get_insert_save_rename_delete(admin):
    rows = admin.get(
        "/api/method/frappe.client.get_list",
        params={
            "doctype": UNIT,
            "filters": json.dumps({"kind": "Thị trấn"}),
            "fields": '["name"]',
            "order_by": "name asc",
        },
    ).json()["message"]
    assert rows == [{"name": "GL-TT-TRAUQUY"}, {"name": "GL-TT-YENVIEN"}]
    doc = admin.get("/api/method/frappe.client.get", params={"doctype": UNIT, "name": "GL-VP"})
    assert doc.json()["message"]["short_name"] == "VP"
    doc = admin.get(
        "/api/method/frappe.client.get",
        params={"doctype": UNIT, "filters": json.dumps({"short_name": "TP"})},
    )
    assert doc.json()["message"]["name"] == "GL-TP"
    created = admin.post(
        "/api/method/frappe.client.insert",
        json={
            "doc": {
                "doctype": UNIT,
                "unit_name": "Tổ công tác",
                "short_name": "TCT",
                "kind": "Phòng ban",
                "parent": "GL-UBND",
            }
        },
    )
    assert created.status_code == 200, created.text
    created = created.json()["message"]
    created["unit_name"] = "Tổ công tác đặc biệt"
    saved = admin.post("/api/method/frappe.client.save", json={"doc": json.dumps(created)})
    assert saved.json()["message"]["unit_name"] == "Tổ công tác đặc biệt"
    renamed = admin.post(
        "/api/method/frappe.client.rename_doc",
        json={"doctype": UNIT, "old_name": created["name"], "new_name": "GL-TCT"},
    )
    assert renamed.json() == {"message": "GL-TCT"}
    response = admin.post(
        "/api/method/frappe.client.rename_doc",
        json={"doctype": UNIT, "old_name": "GL-TCT", "new_name": "GL-VP"},
    )
    assert_error(response, 409, "DuplicateEntryError")
    names = admin.post(
        "/api/method/frappe.client.insert_many",
        json={
            "docs": [
                {"doctype": "Document Type", "type_name": "Phiếu trình"},
                {"doctype": "Document Type", "type_name": "Phiếu báo cáo nhanh"},
            ]
        },
    )
    assert names.json() == {"message": ["Phiếu trình", "Phiếu báo cáo nhanh"]}
    deleted = admin.post(
        "/api/method/frappe.client.delete", json={"doctype": UNIT, "name": "GL-TCT"}
    )
    assert deleted.status_code == 200 and deleted.json() == {}
    assert_error(admin.get(f"/api/resource/{UNIT}/GL-TCT"), 404, "DoesNotExistError")


def test_insert_many_is_all_or_nothing(admin):
    response = admin.post(
        "/api/method/frappe.client.insert_many",
        json={
            "docs": [
                {"doctype": "Document Type", "type_name": "Phiếu mới"},
                {"doctype": "Document Type", "type_name": ""},
            ]
        },
    )
    assert_error(response, 417, "MandatoryError")
    assert admin.rows("Document Type", filters={"type_name": "Phiếu mới"}) == []


def test_has_permission_answers_for_a_document(login):
    clerk = login("vanthu.dongdu@gialam.demo")
    response = _get(
        clerk, "frappe.client.has_permission", doctype=UNIT, docname="GL-VP", perm_type="write"
    )
    assert response.json() == {"message": {"has_permission": False}}
    response = _get(clerk, "frappe.client.has_permission", doctype=UNIT, docname="GL-VP")
    assert response.json() == {"message": {"has_permission": True}}


def test_the_dispatcher_refuses_unknown_methods_wrong_verbs_and_missing_parameters(admin):
    messages = assert_error(admin.get("/api/method/frappe.khong.co"), 404, "DoesNotExistError")
    assert "frappe.khong.co" in messages[0]
    assert_error(admin.get("/api/method/frappe.client.set_value"), 403, "PermissionError")
    messages = assert_error(admin.get("/api/method/frappe.client.get_count"), 417, "DataError")
    assert "doctype" in messages[0]
    messages = assert_error(
        _get(admin, "frappe.client.get_count", doctype="Không Có"), 404, "DoesNotExistError"
    )
    assert "Không Có" in messages[0]
    response = admin.post("/api/method/frappe.client.submit", json={"doc": {"doctype": UNIT}})
    assert_error(response, 417, "ValidationError")
    # Extra parameters a client adds are ignored, as in Frappe.
    assert _get(admin, "frappe.ping", _="123", debug=1).json() == {"message": "pong"}
