"""The inboxes: "Việc của tôi", "Việc của đơn vị", "Nhận để biết", and the home page's links."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eoffice.doctype.assignment import Assignment, hand_down
from tests.doctype import factories as f


def get(client, email, path) -> str:
    client.force_login(f.user(email))
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def tab_count(html: str, key: str) -> str:
    match = re.search(rf'data-tab="{re.escape(key)}">[^<]*<span class="tab__count">([^<]+)<', html)
    assert match, key
    return match.group(1)


def hand_to_officer(doc):
    lead = Assignment.objects.get(reference_name=doc.name, handling_role="Chủ trì")
    return hand_down(lead, f.user(f.TNMT_HEAD), f.TNMT_OFFICER)


def test_my_work_is_sorted_by_deadline_with_deadline_badges(client, demo):
    first = f.directed(demo, summary="V/v hạn xa")
    second = f.directed(demo, summary="V/v hạn gần")
    a1, a2 = hand_to_officer(first), hand_to_officer(second)
    today = timezone.localdate()
    Assignment.objects.filter(pk=a1.pk).update(deadline=today + datetime.timedelta(days=20))
    Assignment.objects.filter(pk=a2.pk).update(deadline=today - datetime.timedelta(days=1))
    html = get(client, f.TNMT_OFFICER, "/app/inbox/mine")
    assert "<h1>Việc của tôi</h1>" in html
    assert html.index("V/v hạn gần") < html.index("V/v hạn xa")
    assert '<span class="badge badge--overdue">Quá hạn</span>' in html
    assert '<span class="badge badge--ok">Trong hạn</span>' in html
    assert tab_count(html, "officer.open") == "2" and tab_count(html, "officer.overdue") == "1"
    overdue = get(client, f.TNMT_OFFICER, "/app/inbox/mine?view=officer.overdue")
    assert "V/v hạn gần" in overdue and "V/v hạn xa" not in overdue
    assert f'href="/app/incoming-document/{second.name}"' in overdue


def test_the_units_inbox_offers_hand_down_then_shows_who_holds_it(client, demo):
    doc = f.directed(demo)
    html = get(client, f.TNMT_HEAD, "/app/inbox/unit")
    assert "<h1>Việc của đơn vị</h1>" in html and doc.summary in html
    assert "Giao cán bộ xử lý" in html and '<option value="cv.tnmt@gialam.demo">' in html
    assert tab_count(html, "unit.to_hand_on") == "1"
    hand_to_officer(doc)
    html = get(client, f.TNMT_HEAD, "/app/inbox/unit")
    assert tab_count(html, "unit.to_hand_on") == "0" and tab_count(html, "unit.in_progress") == "1"
    holding = get(client, f.TNMT_HEAD, "/app/inbox/unit?view=unit.in_progress")
    assert "Phạm Thị Lan" in holding and "Ai đang giữ việc gì" in holding


def test_nhan_de_biet_lists_unread_until_opened_then_read(client, demo):
    doc = f.directed(
        demo,
        assignees=f.rows((demo["TNMT"].name, "Chủ trì"), (f.BATRANG_STAFF, "Nhận để biết")),
    )
    html = get(client, f.BATRANG_STAFF, "/app/inbox/inform")
    assert doc.summary in html and tab_count(html, "officer.inform_unread") == "1"
    client.get(f"/app/incoming-document/{doc.name}")
    html = get(client, f.BATRANG_STAFF, "/app/inbox/inform")
    assert tab_count(html, "officer.inform_unread") == "0"
    assert tab_count(html, "inbox.inform_read") == "1"
    read = get(client, f.BATRANG_STAFF, "/app/inbox/inform?view=inbox.inform_read")
    assert doc.summary in read and "đọc " in read


@pytest.mark.parametrize(
    "email, block, link",
    [
        (f.CHAIRMAN, "leader.to_direct", "/app/inbox/direction?view=leader.to_direct"),
        (f.TNMT_HEAD, "unit.to_hand_on", "/app/inbox/unit?view=unit.to_hand_on"),
        (f.TNMT_OFFICER, "officer.open", "/app/inbox/mine?view=officer.open"),
        (f.BATRANG_STAFF, "officer.inform_unread", "/app/inbox/inform?view=officer.inform_unread"),
        (f.CLERK, "clerk.to_register", "/app/incoming-document?view=clerk.to_register"),
        (f.CHAIRMAN, "leader.overdue", "/app/assignment?view=leader.overdue"),
    ],
)
def test_home_counts_link_to_the_list_of_exactly_what_they_count(client, demo, email, block, link):
    html = get(client, email, "/app")
    assert re.search(
        rf'data-block="{re.escape(block)}">\s*<a class="block__link" href="{re.escape(link)}"', html
    )
    assert client.get(link).status_code == 200


def test_the_count_and_the_list_agree(client, demo):
    f.directed(demo)
    f.directed(demo)
    home = get(client, f.TNMT_HEAD, "/app")
    value = re.search(r'data-block="unit.to_hand_on".*?data-value>([^<]*)<', home, re.S).group(1)
    inbox = get(client, f.TNMT_HEAD, "/app/inbox/unit?view=unit.to_hand_on")
    assert value.strip() == "2" and inbox.count('data-assignment="') == 2


def test_an_inbox_page_costs_the_same_queries_whatever_its_rows(client, demo):
    doc = f.directed(demo)
    hand_to_officer(doc)
    client.force_login(f.user(f.TNMT_OFFICER))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/app/inbox/mine").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(5):
        hand_to_officer(f.directed(demo))
    assert queries() == few


def test_a_leaders_overdue_list_shows_the_units_late_work(client, demo):
    doc = f.directed(demo)
    Assignment.objects.filter(reference_name=doc.name).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    html = get(client, f.CHAIRMAN, "/app/assignment?view=leader.overdue")
    assert "<h1>Nhiệm vụ quá hạn</h1>" in html
    assert '<span class="badge badge--overdue">Quá hạn</span>' in html
    assert "Phòng Tài nguyên và Môi trường" in html


def test_an_unknown_inbox_is_not_found(client, demo):
    client.force_login(f.user(f.TNMT_OFFICER))
    assert client.get("/app/inbox/nope").status_code == 404
