"""The bell in the desk: the unread count in the header, the list, marking read, preferences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eoffice.doctype.notification import (
    NotificationKind,
    NotificationLog,
    notify,
    unread_count,
)
from tests.doctype.factories import TNMT_HEAD, TNMT_OFFICER, user

pytestmark = pytest.mark.django_db

DOC = {"title": "V/v rà soát hồ sơ đất đai", "number": "15/UBND-TNMT", "name": "VBD-1"}


def tell(*emails, kind=NotificationKind.DUE_SOON):
    return notify(
        [user(e) for e in emails],
        kind,
        {"doc": DOC, "deadline": dt.date(2026, 3, 6), "handler": "Phòng TNMT", "days_left": 2},
        document_type="Incoming Document",
        document_name="VBD-1",
    )


def test_the_header_shows_the_unread_count(client, demo):
    tell(TNMT_HEAD)
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    client.force_login(user(TNMT_HEAD))
    html = client.get("/app").content.decode()
    assert 'aria-label="2 thông báo chưa đọc"' in html
    assert '<span class="bell__count" aria-hidden="true">2</span>' in html
    assert 'href="/app/notifications"' in html


def test_the_list_shows_only_ones_own(client, demo):
    tell(TNMT_HEAD)
    tell(TNMT_OFFICER, kind=NotificationKind.OVERDUE)
    client.force_login(user(TNMT_HEAD))
    html = client.get("/app/notifications").content.decode()
    assert "Sắp đến hạn (06/03/2026): V/v rà soát hồ sơ đất đai" in html
    assert "Chưa đọc" in html
    assert "Đánh dấu tất cả đã đọc" in html
    assert "[eOffice] Quá hạn" not in html
    row = NotificationLog.objects.get(for_user=user(TNMT_HEAD))
    assert timezone.localtime(row.creation).strftime("%d/%m/%Y %H:%M") in html


def test_marking_read_lowers_the_count(client, demo):
    tell(TNMT_HEAD)
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    head = user(TNMT_HEAD)
    client.force_login(head)
    first = NotificationLog.objects.filter(for_user=head).order_by("id").first()
    response = client.post(f"/app/notifications/{first.name}/read", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("/app/incoming-document/VBD-1")
    assert unread_count(head) == 1
    assert 'aria-label="1 thông báo chưa đọc"' in client.get("/app").content.decode()
    response = client.post("/app/notifications/read-all", follow=True)
    assert unread_count(head) == 0
    assert "Đã đánh dấu 1 thông báo là đã đọc." in response.content.decode()


def test_anothers_notification_is_not_found(client, demo):
    (theirs,) = tell(TNMT_OFFICER)
    client.force_login(user(TNMT_HEAD))
    assert client.post(f"/app/notifications/{theirs.name}/read").status_code == 404
    assert client.get(f"/app/notifications/{theirs.name}/read").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read is False


def test_marking_read_needs_the_csrf_token(demo):
    from django.test import Client

    (mine,) = tell(TNMT_HEAD)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user(TNMT_HEAD))
    assert client.post(f"/app/notifications/{mine.name}/read").status_code == 403
    mine.refresh_from_db()
    assert mine.read is False


def test_preferences_are_saved_and_respected_by_notify(client, demo):
    head = user(TNMT_HEAD)
    client.force_login(head)
    html = client.get("/app/notifications/preferences").content.decode()
    assert "Trên phần mềm" in html and "Quá hạn" in html
    assert html.count(" checked") == 2 * len(NotificationKind)
    keep = [f"{k.value}|desk" for k in NotificationKind if k != NotificationKind.OVERDUE]
    keep += [f"{k.value}|email" for k in NotificationKind]
    response = client.post("/app/notifications/preferences", {"pref": keep}, follow=True)
    page = response.content.decode()
    assert "Đã lưu lựa chọn nhận thông báo." in page
    assert page.count(" checked") == 2 * len(NotificationKind) - 1
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    tell(TNMT_HEAD, kind=NotificationKind.DUE_SOON)
    assert NotificationLog.objects.filter(for_user=head, in_desk=True).count() == 1
    assert unread_count(head) == 1
    overdue = NotificationLog.objects.get(for_user=head, kind=NotificationKind.OVERDUE)
    assert overdue.in_desk is False


def test_the_pages_need_a_signed_in_person(client, db):
    assert client.get("/app/notifications")["Location"] == "/login?next=/app/notifications"


def test_the_pages_speak_english(client, demo):
    tell(TNMT_HEAD)
    client.force_login(user(TNMT_HEAD))
    client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    home = client.get("/app").content.decode()
    assert 'aria-label="1 unread notification"' in home
    html = client.get("/app/notifications").content.decode()
    assert "Mark all as read" in html and "Unread" in html
    prefs = client.get("/app/notifications/preferences").content.decode()
    assert "In eOffice" in prefs and "Notification preferences" in prefs
