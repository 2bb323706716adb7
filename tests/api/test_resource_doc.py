"""One document over ``/api/resource/<DocType>/<name>``: read, create, update, delete, and
every way bad input is refused without changing anything."""

from __future__ import annotations

from tests.api.conftest import assert_error

UNIT = "Organization Unit"


def _new_unit(**extra) -> dict:
    return {
        "unit_name": "Ban Quản lý dự án huyện",
        "short_name": "BQLDA",
        "kind": "Đơn vị hiệp quản",
        "parent": "GL-UBND",
        **extra,
    }


def test_get_one_document_with_links_by_name(login):
    response = login("cb.dongdu@gialam.demo").get(f"/api/resource/{UNIT}/GL-XA-DONGDU")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["doctype"] == UNIT and data["name"] == "GL-XA-DONGDU"
    assert data["parent"] == "GL-UBND" and data["kind"] == "Xã"
    assert "id" not in data


def test_create_with_json_sets_owner_and_name_and_answers_the_stored_document(admin):
    response = admin.post(f"/api/resource/{UNIT}", json=_new_unit(name="ignored", creation="x"))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["name"].startswith("DV-")  # named by the DocType's series, as Frappe does
    assert data["owner"] == data["modified_by"] == "admin@gialam.demo"
    assert data["parent"] == "GL-UBND" and data["depth"] == 1
    assert admin.get(f"/api/resource/{UNIT}/{data['name']}").json()["data"] == data


def test_create_with_a_form_and_the_data_field_as_frappe_form_posts_do(admin):
    import json

    response = admin.post(
        f"/api/resource/{UNIT}", data={"data": json.dumps(_new_unit(short_name="FORM"))}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["short_name"] == "FORM"
    response = admin.post(f"/api/resource/{UNIT}", data=_new_unit(short_name="PLAIN"))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["short_name"] == "PLAIN"


def test_update_changes_only_the_fields_given_and_a_get_put_round_trip_works(admin):
    url = f"/api/resource/{UNIT}/GL-KT"
    response = admin.put(url, json={"short_name": "KTE", "sort_order": "15"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["short_name"], data["sort_order"], data["unit_name"]) == (
        "KTE",
        15,
        "Phòng Kinh tế",
    )
    assert data["modified_by"] == "admin@gialam.demo"
    # The whole document sent back (read-only and standard fields unchanged) is accepted.
    data["unit_name"] = "Phòng Kinh tế (mới)"
    response = admin.put(url, json=data)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["unit_name"] == "Phòng Kinh tế (mới)"


def test_validation_errors_name_the_field_in_vietnamese_and_store_nothing(admin):
    response = admin.post(f"/api/resource/{UNIT}", json=_new_unit(unit_name="", kind="Tỉnh"))
    messages = assert_error(response, 417, "MandatoryError")
    assert any(m.startswith("Tên đơn vị:") for m in messages), messages
    assert any(m.startswith("Loại đơn vị:") and "Tỉnh" in m for m in messages), messages
    assert len(admin.rows(UNIT, limit=0)) == 40
    # A rule of the model's clean(): a unit cannot sit under itself.
    response = admin.put(f"/api/resource/{UNIT}/GL-UBND", json={"parent": "GL-XA-DONGDU"})
    messages = assert_error(response, 417, "ValidationError")
    assert messages[0].startswith("Đơn vị cấp trên:")
    parent = admin.get(f"/api/resource/{UNIT}/GL-UBND").json()["data"]["parent"]
    assert parent is None


def test_wrong_values_links_and_fields_are_refused_with_clear_messages(admin):
    url = f"/api/resource/{UNIT}/GL-KT"
    cases = [
        ({"sort_order": "mười"}, 417, "ValidationError", "Thứ tự:"),
        ({"is_active": "có lẽ"}, 417, "ValidationError", "Đang hoạt động:"),
        ({"parent": "GL-KHONG-CO"}, 417, "LinkValidationError", "GL-KHONG-CO"),
        ({"no_such_field": 1}, 417, "DataError", "no_such_field"),
        ({"path": "999999/"}, 417, "ValidationError", "chỉ đọc"),
        ({"depth": 0}, 417, "ValidationError", "chỉ đọc"),
        ({"short_name": "X" * 31}, 417, "ValidationError", "Tên viết tắt:"),
    ]
    for body, status, exc_type, words in cases:
        messages = assert_error(admin.put(url, json=body), status, exc_type)
        assert words in " ".join(messages), (body, messages)
    assert_error(
        admin.put(url, data="{not json", headers={"Content-Type": "application/json"}),
        417,
        "DataError",
    )
    data = admin.get(url).json()["data"]
    assert (data["sort_order"], data["short_name"], data["is_active"]) == (10, "KT", 1)


def test_hidden_fields_cannot_be_written(admin):
    response = admin.put(
        "/api/resource/User/cv.tnmt@gialam.demo", json={"password": "md5$x$y", "position": "A"}
    )
    assert "password" in assert_error(response, 403, "PermissionError")[0]


def test_sql_looking_values_are_stored_and_read_back_literally(admin):
    name = "Robert'); DROP TABLE tab_series; -- \" ` \\ %_"
    response = admin.post(f"/api/resource/{UNIT}", json=_new_unit(unit_name=name))
    assert response.status_code == 200, response.text
    created = response.json()["data"]["name"]
    assert admin.get(f"/api/resource/{UNIT}/{created}").json()["data"]["unit_name"] == name
    assert [r["name"] for r in admin.rows(UNIT, filters={"unit_name": name})] == [created]
    assert len(admin.rows(UNIT, limit=0)) == 41


def test_a_stale_modified_is_a_409_timestamp_mismatch(admin):
    url = f"/api/resource/{UNIT}/GL-YT"
    loaded = admin.get(url).json()["data"]
    assert admin.put(url, json={"sort_order": 20, "modified": loaded["modified"]}).ok
    response = admin.put(url, json={"sort_order": 21, "modified": loaded["modified"]})
    assert "sửa" in assert_error(response, 409, "TimestampMismatchError")[0]
    assert admin.get(url).json()["data"]["sort_order"] == 20


def test_a_duplicate_unique_value_is_refused(admin):
    response = admin.post(f"/api/resource/{UNIT}", json=_new_unit(agency_code="000.00.19.H26"))
    messages = assert_error(response, 417, "UniqueValidationError")
    assert messages[0].startswith("Mã định danh:")
    response = admin.post("/api/resource/Document Type", json={"type_name": "Quyết định"})
    assert_error(response, 417, "UniqueValidationError")


def test_delete_answers_202_and_a_linked_document_cannot_be_deleted(admin):
    created = admin.post(f"/api/resource/{UNIT}", json=_new_unit()).json()["data"]["name"]
    response = admin.delete(f"/api/resource/{UNIT}/{created}")
    assert response.status_code == 202 and response.json()["data"] == "ok"
    assert_error(admin.get(f"/api/resource/{UNIT}/{created}"), 404, "DoesNotExistError")
    # Đông Dư has registers and members: deleting it is refused, nothing changes.
    messages = assert_error(
        admin.delete(f"/api/resource/{UNIT}/GL-XA-DONGDU"), 417, "LinkExistsError"
    )
    assert "Sổ văn bản" in messages[0] or "Thành viên" in messages[0]
    assert admin.get(f"/api/resource/{UNIT}/GL-XA-DONGDU").status_code == 200


def test_roles_decide_who_may_create_change_and_delete(login):
    officer = login("cv.tnmt@gialam.demo")
    assert_error(officer.post(f"/api/resource/{UNIT}", json=_new_unit()), 403, "PermissionError")
    assert_error(
        officer.put(f"/api/resource/{UNIT}/GL-KT", json={"sort_order": 1}), 403, "PermissionError"
    )
    assert_error(officer.delete(f"/api/resource/{UNIT}/GL-KT"), 403, "PermissionError")
    assert officer.get(f"/api/resource/{UNIT}/GL-KT").json()["data"]["sort_order"] == 10


def test_unknown_document_is_404(admin):
    messages = assert_error(admin.get(f"/api/resource/{UNIT}/KHONG-CO"), 404, "DoesNotExistError")
    assert "KHONG-CO" in messages[0]
    assert_error(admin.put(f"/api/resource/{UNIT}/KHONG-CO", json={}), 404, "DoesNotExistError")
    assert_error(admin.delete(f"/api/resource/{UNIT}/KHONG-CO"), 404, "DoesNotExistError")
    assert_error(admin.patch(f"/api/resource/{UNIT}/GL-KT", json={}), 405, "MethodNotAllowed")
