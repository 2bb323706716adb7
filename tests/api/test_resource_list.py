"""``GET /api/resource/<DocType>``: fields, filters in both forms, every operator, or_filters,
ordering, pagination, grouping; on the demo's 40 organisation units."""

from __future__ import annotations

import datetime

import pytest

from tests.api.conftest import assert_error

UNIT = "Organization Unit"
ALL = {"limit_page_length": 0}


def names(client, **params) -> set[str]:
    return {row["name"] for row in client.rows(UNIT, **{**ALL, **params})}


def test_default_page_is_twenty_names_and_limit_page_length_zero_means_all(admin):
    rows = admin.rows(UNIT)
    assert len(rows) == 20 and set(rows[0]) == {"name"}
    assert len(admin.rows(UNIT, limit_page_length=0)) == 40
    assert len(admin.rows(UNIT, limit=5)) == 5
    assert len(admin.rows(UNIT, limit_page_length=7, limit=3)) == 7  # Frappe: the former wins


def test_pages_follow_each_other_without_overlap(admin):
    pages = [
        admin.rows(UNIT, order_by="sort_order asc", limit_start=start, limit_page_length=15)
        for start in (0, 15, 30, 45)
    ]
    assert [len(p) for p in pages] == [15, 15, 10, 0]
    seen = [row["name"] for page in pages for row in page]
    assert len(seen) == len(set(seen)) == 40


def test_fields_star_gives_every_readable_field_with_links_by_name_and_checks_as_0_1(admin):
    [row] = admin.rows(UNIT, fields=["*"], filters=[["name", "=", "GL-XA-DONGDU"]])
    assert row["unit_name"] == "Xã Đông Dư"
    assert row["parent"] == "GL-UBND"  # a link travels as the target's name
    assert row["keeps_own_registers"] == 1 and row["is_active"] == 1
    assert "id" not in row
    datetime.datetime.fromisoformat(row["creation"])  # "YYYY-MM-DD HH:MM:SS.ffffff", local
    [row] = admin.rows(
        UNIT,
        fields=["name", "unit_name as title", "`tabOrganization Unit`.`kind`"],
        filters={"name": "GL-XA-DONGDU"},
    )
    assert row == {"name": "GL-XA-DONGDU", "title": "Xã Đông Dư", "kind": "Xã"}


def test_as_dict_0_gives_lists_in_the_order_of_fields(admin):
    rows = admin.rows(
        UNIT,
        fields=["name", "sort_order"],
        filters={"kind": "Thị trấn"},
        as_dict=0,
        order_by="sort_order asc",
    )
    assert rows == [["GL-TT-TRAUQUY", 40], ["GL-TT-YENVIEN", 41]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([["kind", "=", "Xã"]], 20),
        ([["kind", "!=", "Xã"]], 20),
        ([["sort_order", ">", 40]], 21),
        ([["sort_order", "<", 13]], 13),
        ([["sort_order", ">=", "40"]], 22),
        ([["sort_order", "<=", 12]], 13),
        ([["unit_name", "like", "Xã Kim%"]], 2),
        ([["unit_name", "not like", "Xã %"]], 20),
        ([["kind", "in", ["Xã", "Thị trấn"]]], 22),
        ([["kind", "in", "Xã, Thị trấn"]], 22),
        ([["kind", "not in", ["Xã", "Thị trấn"]]], 18),
        ([["agency_code", "is", "set"]], 40),
        ([["agency_code", "is", "not set"]], 0),
        ([["parent", "is", "not set"]], 1),
        ([["sort_order", "between", [1, 12]]], 12),
        ([["parent", "=", "GL-UBND"]], 39),  # a link filters by the target's name
        ([["parent", "like", "GL-U%"]], 39),
        ([["name", "descendants of", "GL-UBND"]], 39),
        ([["name", "ancestors of", "GL-XA-DONGDU"]], 1),
        ([["keeps_own_registers", "=", 0]], 12),
        ([["is_active", "=", "true"]], 40),
        ([[UNIT, "kind", "=", "Xã"]], 20),  # with the DocType first
        (["kind", "=", "Xã"], 20),  # a single filter, flat
        ({"kind": "Xã"}, 20),  # dict forms
        ({"kind": ["in", ["Xã", "Thị trấn"]]}, 22),
        ({"sort_order": [">", 40], "kind": "Xã"}, 20),
        ({"agency_code": ["is", "set"]}, 40),
        ({"parent": None}, 1),
    ],
)
def test_every_filter_operator_in_both_forms(admin, filters, expected):
    assert len(names(admin, filters=filters)) == expected


def test_between_on_a_datetime_takes_whole_days(admin):
    today = datetime.date.today().isoformat()
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    assert len(names(admin, filters=[["creation", "between", [yesterday, today]]])) == 40
    assert len(names(admin, filters=[["creation", "<", yesterday]])) == 0


def test_or_filters_need_one_to_hold_and_combine_with_filters(admin):
    either = [["kind", "=", "Xã"], ["kind", "=", "Thị trấn"]]
    assert len(names(admin, or_filters=either)) == 22
    assert len(names(admin, or_filters=either, filters=[["sort_order", "<", 45]])) == 5


def test_order_by_one_or_several_fields_in_either_direction(admin):
    rows = admin.rows(UNIT, fields=["name", "sort_order"], order_by="sort_order desc", limit=3)
    assert [r["sort_order"] for r in rows] == [61, 60, 59]
    rows = admin.rows(
        UNIT, fields=["kind", "unit_name"], order_by="kind asc, unit_name desc", **ALL
    )
    kinds = [r["kind"] for r in rows]
    # The database's Vietnamese collation orders them (Đ with D); each kind comes in one run.
    runs = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert len(runs) == len(set(kinds)) == 5 and runs[0] == "Cơ quan"
    towns = [r["unit_name"] for r in rows if r["kind"] == "Thị trấn"]
    assert towns == ["Thị trấn Yên Viên", "Thị trấn Trâu Quỳ"]
    rows = admin.rows(UNIT, order_by="`tabOrganization Unit`.`sort_order` asc", limit=1)
    assert rows == [{"name": "GL-UBND"}]


def test_group_by_with_count_and_aggregates_without_grouping(admin):
    rows = admin.rows(UNIT, fields=["kind", "count(name) as n"], group_by="kind", order_by="n desc")
    assert rows[0] == {"kind": "Xã", "n": 20}
    assert {r["kind"]: r["n"] for r in rows} == {
        "Xã": 20,
        "Phòng ban": 12,
        "Đơn vị hiệp quản": 5,
        "Thị trấn": 2,
        "Cơ quan": 1,
    }
    assert admin.rows(UNIT, fields=["count(*) as total", "max(sort_order) as top"]) == [
        {"total": 40, "top": 61}
    ]


@pytest.mark.parametrize(
    ("params", "status", "exc_type", "words"),
    [
        ({"fields": ["name", "no_such_field"]}, 417, "DataError", "no_such_field"),
        ({"filters": [["no_such_field", "=", 1]]}, 417, "DataError", "no_such_field"),
        ({"order_by": "no_such_field desc"}, 417, "DataError", "no_such_field"),
        ({"order_by": "sort_order; DROP TABLE tab_series"}, 417, "DataError", "không có"),
        ({"order_by": "sort_order sideways"}, 417, "DataError", "không có"),
        ({"fields": ["name; DROP TABLE tab_series"]}, 417, "DataError", "không có"),
        ({"filters": [["kind", "~=", "Xã"]]}, 417, "DataError", "Toán tử"),
        ({"filters": [["sort_order", ">", "nhiều"]]}, 417, "DataError", "Thứ tự"),
        ({"filters": [["kind", "is", "maybe"]]}, 417, "DataError", "set"),
        ({"filters": [["sort_order", "between", [1]]]}, 417, "DataError", "between"),
        ({"filters": '[["kind"'}, 417, "DataError", "JSON"),
        ({"filters": {"kind": ["Xã", "Thị trấn"]}}, 417, "DataError", "toán tử"),
        ({"limit_start": "-1"}, 417, "DataError", "limit_start"),
        ({"limit_page_length": "hai mươi"}, 417, "DataError", "limit_page_length"),
        ({"fields": ["kind", "count(name) as n"]}, 417, "DataError", "group_by"),
        ({"group_by": "kind", "fields": ["kind", "unit_name"]}, 417, "DataError", "group_by"),
    ],
)
def test_bad_queries_get_a_clear_vietnamese_message_never_a_500(
    admin, params, status, exc_type, words
):
    messages = assert_error(admin.resource(UNIT, **params), status, exc_type)
    assert words.lower() in messages[0].lower(), messages


def test_an_unknown_doctype_is_404_in_frappes_shape(admin):
    messages = assert_error(admin.resource("Không Có"), 404, "DoesNotExistError")
    assert "Không Có" in messages[0]
    assert_error(admin.get("/api/resource/Không Có/x"), 404, "DoesNotExistError")
    assert_error(admin.get("/api/khong-co-gi"), 404, "DoesNotExistError")


def test_hidden_fields_are_never_sent_nor_filterable(admin):
    rows = admin.rows("User", fields=["*"], filters={"name": "vanthu@gialam.demo"})
    assert rows and "password" not in rows[0]
    for params in (
        {"filters": [["password", "like", "md5%"]]},
        {"fields": ["name", "password"]},
        {"order_by": "password asc"},
    ):
        messages = assert_error(admin.resource("User", **params), 403, "PermissionError")
        assert "password" in messages[0]


def test_sql_looking_values_are_matched_literally(admin):
    for value in ("x' OR '1'='1", "%' OR 1=1 -- ", "1); DROP TABLE tab_series; --"):
        assert names(admin, filters=[["unit_name", "=", value]]) == set()
        assert names(admin, filters=[["unit_name", "like", value]]) == set()
        assert names(admin, filters=[["kind", "in", [value, "Xã"]]]) and True
    assert len(names(admin)) == 40  # nothing was dropped


def test_accent_folding_like_finds_vietnamese_names_typed_without_marks(admin):
    # MariaDB's utf8mb4_uca1400_ai_ci collation: "dong du" finds "Đông Dư".
    assert "GL-XA-DONGDU" in names(admin, filters=[["unit_name", "like", "%dong du%"]])
