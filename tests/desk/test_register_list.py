"""The incoming register ("Sổ văn bản đến"): Decree 30's columns, filters, order, paging, cost."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eoffice.doctype.document_type import DocumentType
from tests.doctype import factories as f

REGISTER = "/app/incoming-document"


@pytest.fixture
def clerk(client, demo):
    client.force_login(f.user(f.CLERK))
    return client


def numbers(html: str) -> list[str]:
    """The "Số đến" column, top to bottom."""
    return re.findall(r'<td class="num"><strong>([^<]*)</strong></td>', html)


def test_the_register_has_decree_30s_columns(clerk, demo):
    f.registered(demo)
    html = clerk.get(REGISTER).content.decode()
    assert "<h1>Sổ văn bản đến</h1>" in html
    columns = re.findall(r'<th scope="col"[^>]*>(?:<a[^>]*>)?([^<↑↓]+)', html)
    assert [c.strip() for c in columns] == [
        "Số đến",
        "Ngày đến",
        "Tác giả",
        "Số, ký hiệu",
        "Ngày văn bản",
        "Tên loại và trích yếu nội dung",
        "Đơn vị hoặc người nhận",
        "Ký nhận, ghi chú",
    ]


def test_it_is_sorted_by_arrival_number_newest_first_and_can_be_reversed(clerk, demo):
    for _ in range(3):
        f.registered(demo)
    f.incoming(demo)  # not registered yet: on top, it waits for the clerk
    assert numbers(clerk.get(REGISTER).content.decode()) == ["—", "3", "2", "1"]
    assert numbers(clerk.get(f"{REGISTER}?order=asc").content.decode()) == ["1", "2", "3", "—"]


def test_the_recipient_is_the_lead_of_the_direction_else_the_leader_submitted_to(clerk, demo):
    f.directed(demo, summary="V/v đã phân công")
    f.waiting_for_direction(demo, summary="V/v chờ chỉ đạo")
    html = clerk.get(REGISTER).content.decode()
    directed_row = html[html.index("V/v đã phân công") :].split("</tr>")[0]
    waiting_row = html[html.index("V/v chờ chỉ đạo") :].split("</tr>")[0]
    assert "Phòng Tài nguyên và Môi trường" in directed_row
    assert "Lê Văn Hùng" in waiting_row


def test_urgent_documents_stand_out_by_colour_and_words(clerk, demo):
    f.registered(demo, urgency="Hỏa tốc", summary="V/v phòng chống bão")
    html = clerk.get(REGISTER).content.decode()
    row = html[html.rindex("<tr", 0, html.index("V/v phòng chống bão")) :].split("</tr>")[0]
    assert 'class="row--urgent"' in row
    assert '<span class="badge badge--urgent">Hỏa tốc</span>' in row
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", row), "urgent: arrival time shown"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("issuer=Sở+Xây", ["V/v của Sở Xây dựng"]),
        ("document_type=Quyết+định", ["V/v quyết định"]),
        ("state=Chờ+tiếp+nhận", ["V/v chưa vào sổ"]),
        ("urgency=urgent", ["V/v khẩn"]),
        ("urgency=Khẩn", ["V/v khẩn"]),
        ("q=quyết", ["V/v quyết định"]),
    ],
)
def test_each_filter_narrows_the_register(clerk, demo, query, expected):
    f.registered(demo, issuer="Sở Xây dựng Hà Nội", summary="V/v của Sở Xây dựng")
    f.registered(
        demo,
        document_type=DocumentType.objects.get(type_name="Quyết định"),
        summary="V/v quyết định",
    )
    f.registered(demo, urgency="Khẩn", summary="V/v khẩn")
    f.incoming(demo, summary="V/v chưa vào sổ")
    html = clerk.get(f"{REGISTER}?{query}").content.decode()
    shown = re.findall(r"(V/v [^<]+)</a>", html)
    assert shown == expected, (query, shown)


def test_the_date_range_is_typed_dd_mm_yyyy_and_counts_whole_days(clerk, demo):
    today = timezone.localdate()
    old = timezone.now() - datetime.timedelta(days=40)
    f.registered(demo, summary="V/v hôm nay")
    f.incoming(
        demo,
        summary="V/v tháng trước",
        arrival_date=old,
        document_date=timezone.localtime(old).date() - datetime.timedelta(days=1),
    )
    day = today.strftime("%d/%m/%Y")
    html = clerk.get(f"{REGISTER}?date_from={day}&date_to={day}").content.decode()
    assert "V/v hôm nay" in html and "V/v tháng trước" not in html
    html = clerk.get(f"{REGISTER}?date_from=31/02/2017").content.decode()
    assert "Ngày «31/02/2017» không hợp lệ (dd/mm/yyyy): bỏ qua." in html


def test_the_unit_filter_finds_what_a_unit_handles(clerk, demo):
    f.directed(demo, summary="V/v giao TNMT")
    f.registered(demo, summary="V/v chưa giao")
    html = clerk.get(f"{REGISTER}?unit={demo['TNMT'].name}").content.decode()
    assert "V/v giao TNMT" in html and "V/v chưa giao" not in html


def test_a_commune_clerk_sees_only_the_communes_register(client, demo):
    f.registered(demo, summary="V/v của huyện")
    f.incoming(demo, receiving_unit=demo["Đông Dư"], summary="V/v của xã", owner="x")
    client.force_login(f.user("vanthu.dongdu@gialam.demo"))
    html = client.get(REGISTER).content.decode()
    assert "V/v của xã" in html and "V/v của huyện" not in html


def test_pages_of_thirty(clerk, demo):
    for _ in range(31):
        f.incoming(demo)
    first = clerk.get(REGISTER).content.decode()
    assert "31 văn bản" in first and "Trang 1/2" in first and len(numbers(first)) == 30
    assert len(numbers(clerk.get(f"{REGISTER}?page=2").content.decode())) == 1


def test_a_page_costs_the_same_queries_whatever_its_rows(clerk, demo):
    """One query for a page's rows (joined, recipient annotated): no query per row."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert clerk.get(REGISTER).status_code == 200
        return len(ctx.captured_queries)

    f.directed(demo)
    few = queries()
    for _ in range(6):
        f.directed(demo)
        f.waiting_for_direction(demo)
    assert queries() == few


def test_a_home_page_count_opens_exactly_its_documents(clerk, demo):
    f.incoming(demo, summary="V/v chờ tiếp nhận")
    f.registered(demo, summary="V/v đã vào sổ")
    html = clerk.get(f"{REGISTER}?view=clerk.to_register").content.decode()
    assert "<h1>Chờ tiếp nhận</h1>" in html and "1 văn bản" in html
    assert "V/v chờ tiếp nhận" in html and "V/v đã vào sổ" not in html
