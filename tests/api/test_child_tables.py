"""Child tables on create and update, with Frappe's semantics, on "Task" and its assignees."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


@pytest.fixture
def leader(login):
    return login("chutich@gialam.demo")


def _create(leader, assignees):
    response = leader.post(
        "/api/resource/Task",
        json={
            "title": "Rà soát hồ sơ đất đai",
            "assigning_unit": "GL-UBND",
            "assignees": assignees,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_rows_are_created_with_the_parent_and_read_back_as_frappe_sends_them(leader):
    task = _create(
        leader,
        [
            {"unit": "GL-TNMT", "handling_role": "Chủ trì"},
            {"unit": "GL-VP", "handling_role": "Phối hợp", "note": "phối hợp kiểm tra"},
        ],
    )
    rows = task["assignees"]
    assert [(r["unit"], r["handling_role"], r["idx"]) for r in rows] == [
        ("GL-TNMT", "Chủ trì", 1),
        ("GL-VP", "Phối hợp", 2),
    ]
    assert {r["parent"] for r in rows} == {task["name"]}
    assert {(r["parentfield"], r["parenttype"]) for r in rows} == {("assignees", "Task")}
    assert all(r["name"] for r in rows)
    assert leader.get(f"/api/resource/Task/{task['name']}").json()["data"]["assignees"] == rows


def test_a_given_list_replaces_the_rows_known_updated_new_inserted_missing_deleted(leader):
    task = _create(
        leader,
        [
            {"unit": "GL-TNMT", "handling_role": "Chủ trì"},
            {"unit": "GL-VP", "handling_role": "Phối hợp"},
        ],
    )
    lead = task["assignees"][0]
    response = leader.put(
        f"/api/resource/Task/{task['name']}",
        json={
            "assignees": [
                {
                    "name": lead["name"],
                    "unit": "GL-TNMT",
                    "handling_role": "Chủ trì",
                    "note": "gấp",
                },
                {"unit": "GL-KT", "handling_role": "Nhận để biết"},
            ]
        },
    )
    assert response.status_code == 200, response.text
    rows = response.json()["data"]["assignees"]
    assert rows[0]["name"] == lead["name"] and rows[0]["note"] == "gấp"
    assert [r["unit"] for r in rows] == ["GL-TNMT", "GL-KT"]
    # A PUT without the table leaves its rows alone.
    response = leader.put(f"/api/resource/Task/{task['name']}", json={"title": "Đổi tên"})
    assert response.json()["data"]["assignees"] == rows


def test_a_bad_row_or_a_rule_across_rows_undoes_the_whole_save(leader):
    task = _create(leader, [{"unit": "GL-TNMT", "handling_role": "Chủ trì"}])
    url = f"/api/resource/Task/{task['name']}"
    response = leader.put(
        url,
        json={
            "title": "Không được lưu",
            "assignees": [
                {"unit": "GL-TNMT", "handling_role": "Chủ trì"},
                {"unit": "GL-KHONG-CO", "handling_role": "Phối hợp"},
            ],
        },
    )
    messages = assert_error(response, 417, "LinkValidationError")
    assert messages[0].startswith("Hàng #2") and "GL-KHONG-CO" in messages[0]
    # The model's rule across rows (clean_tables): exactly one "Chủ trì".
    response = leader.put(
        url,
        json={
            "title": "Không được lưu",
            "assignees": [
                {"unit": "GL-TNMT", "handling_role": "Chủ trì"},
                {"unit": "GL-VP", "handling_role": "Chủ trì"},
            ],
        },
    )
    assert response.status_code == 417, response.text
    after = leader.get(url).json()["data"]
    assert after["title"] == task["title"]
    assert after["assignees"] == task["assignees"]
    assert_error(leader.put(url, json={"assignees": "GL-VP"}), 417, "DataError")


def test_parents_filter_by_their_rows(leader):
    first = _create(leader, [{"unit": "GL-TNMT", "handling_role": "Chủ trì"}])
    _create(leader, [{"unit": "GL-VP", "handling_role": "Chủ trì"}])
    rows = leader.rows("Task", filters=[["Task Assignee", "unit", "=", "GL-TNMT"]])
    assert rows == [{"name": first["name"]}]
    rows = leader.rows("Task", filters=[["assignees", "handling_role", "=", "Chủ trì"]])
    assert len(rows) == 2
