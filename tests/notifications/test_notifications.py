"""Notifications in the desk (the bell) and by e-mail to a real SMTP server, as each person chose."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from eoffice.constants import HandlingRole
from eoffice.doctype import notification as notifications
from eoffice.doctype.notification import (
    Channel,
    EmailStatus,
    NotificationKind,
    NotificationLog,
    notify,
    send_pending_emails,
    set_preference,
)
from eoffice.exceptions import ValidationError
from tests.deadlines.helpers import messages
from tests.doctype.factories import CHAIRMAN, TNMT_HEAD, TNMT_OFFICER, directed, rows, user

pytestmark = pytest.mark.django_db

DOC = {"title": "V/v rà soát hồ sơ đất đai", "number": "15/UBND-TNMT", "name": "VBD-1"}


def tell(*emails, kind=NotificationKind.DUE_SOON):
    import datetime as dt

    return notify(
        [user(e) for e in emails],
        kind,
        {"doc": DOC, "deadline": dt.date(2026, 3, 6), "handler": "Phòng TNMT", "days_left": 2},
        document_type="Incoming Document",
        document_name="VBD-1",
    )


def test_the_bell_counts_lists_and_marks_read_only_ones_own(demo):
    tell(TNMT_HEAD, TNMT_OFFICER)
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    head = user(TNMT_HEAD)
    assert notifications.unread_count(head) == 2
    latest = notifications.recent(head)
    assert [n["kind"] for n in latest] == ["Quá hạn", "Sắp đến hạn"]
    assert latest[0]["link"] == "/app/incoming-document/VBD-1"
    assert latest[1]["subject"] == ("[eOffice] Sắp đến hạn (06/03/2026): V/v rà soát hồ sơ đất đai")
    officers = NotificationLog.objects.get(for_user__email=TNMT_OFFICER)
    assert notifications.mark_read(head, [officers.name]) == 0  # not theirs
    assert notifications.mark_read(head, [latest[0]["name"]]) == 1
    assert notifications.unread_count(head) == 1
    assert notifications.mark_read(head) == 1
    assert notifications.unread_count(head) == 0
    assert notifications.unread_count(user(TNMT_OFFICER)) == 1


def test_each_person_chooses_the_desk_and_e_mail_per_kind(demo, smtp_server):
    head, officer, chairman = user(TNMT_HEAD), user(TNMT_OFFICER), user(CHAIRMAN)
    set_preference(head, NotificationKind.DUE_SOON, Channel.EMAIL, False)
    set_preference(officer, NotificationKind.DUE_SOON, Channel.DESK, False)
    set_preference(chairman, NotificationKind.DUE_SOON, Channel.DESK, False)
    set_preference(chairman, NotificationKind.DUE_SOON, Channel.EMAIL, False)
    tell(TNMT_HEAD, TNMT_OFFICER, CHAIRMAN)
    assert notifications.unread_count(head) == 1
    assert notifications.unread_count(officer) == 0  # e-mail only
    assert not NotificationLog.objects.filter(for_user=chairman).exists()  # neither
    assert send_pending_emails() == 1
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == [TNMT_OFFICER]
    # Other kinds keep their defaults.
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    assert send_pending_emails() == 1
    assert smtp_server.to(TNMT_HEAD)[0]["Subject"].strip().startswith("[eOffice] Quá hạn")


def test_e_mails_arrive_at_the_smtp_server_in_vietnamese(demo, smtp_server, settings):
    settings.SITE_CONFIG = {**settings.SITE_CONFIG, "host_name": "https://eoffice.gialam.gov.vn"}
    [row] = tell(TNMT_OFFICER)
    assert row.email_status == EmailStatus.PENDING
    assert send_pending_emails() == 1
    [message] = smtp_server.messages
    assert message["To"] == TNMT_OFFICER
    assert message["Subject"].strip() == (
        "[eOffice] Sắp đến hạn (06/03/2026): V/v rà soát hồ sơ đất đai"
    )
    text = message.get_body(("plain",)).get_content()
    assert "văn bản số 15/UBND-TNMT" in text
    assert "sắp đến hạn: còn 2 ngày làm việc (hạn xử lý 06/03/2026)" in text
    assert "https://eoffice.gialam.gov.vn/app/incoming-document/VBD-1" in text
    html = message.get_body(("html",)).get_content()
    assert 'href="https://eoffice.gialam.gov.vn/app/incoming-document/VBD-1"' in html
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_sent_at
    assert send_pending_emails() == 0  # never twice


def test_a_server_that_is_down_keeps_the_e_mail_waiting_then_gives_up(demo, settings):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    [row] = tell(TNMT_OFFICER)
    for attempt in range(1, notifications.MAX_EMAIL_ATTEMPTS + 1):
        assert send_pending_emails() == 0
        row.refresh_from_db()
        assert row.email_attempts == attempt
    assert row.email_status == EmailStatus.FAILED and row.email_error


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_e_mail_once(demo, smtp_server):
    for _ in range(30):
        tell(TNMT_HEAD, TNMT_OFFICER)
    barrier = threading.Barrier(2)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(send_pending_emails(limit=7))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 60
    ids = [m["X-eOffice-Notification"] for m in smtp_server.messages]
    assert len(ids) == 60 == len(set(ids))


def test_a_direction_tells_the_unit_head_and_a_hand_down_the_officer(demo):
    from eoffice.doctype import assignment as service
    from eoffice.doctype.assignment import Assignment

    doc = directed(demo, assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)))
    [told] = NotificationLog.objects.filter(kind=NotificationKind.ASSIGNED)
    assert told.for_user.email == TNMT_HEAD and told.document_name == doc.name
    assert "Lê Văn Hùng đã giao Phòng Tài nguyên và Môi trường (chủ trì)" in told.email_content
    lead = Assignment.objects.get(reference_name=doc.name, handling_role=HandlingRole.LEAD)
    service.hand_down(lead, user(TNMT_HEAD), TNMT_OFFICER, note="Xử lý gấp")
    officer = NotificationLog.objects.get(
        kind=NotificationKind.ASSIGNED, for_user__email=TNMT_OFFICER
    )
    assert "Ý kiến chỉ đạo: Xử lý gấp" in officer.email_content


def test_bad_preferences_are_refused_in_vietnamese(demo):
    with pytest.raises(ValidationError) as info:
        set_preference(user(TNMT_HEAD), "Tin vui", Channel.EMAIL, True)
    assert info.value.message.startswith("Loại thông báo «Tin vui» không có")
    with pytest.raises(ValidationError) as info:
        set_preference(user(TNMT_HEAD), NotificationKind.OVERDUE, "SMS", True)
    assert info.value.message == "Kênh «SMS» không có; chọn «Trên phần mềm» hoặc «Email»."


def test_the_bell_and_preferences_over_the_api(client, demo):
    tell(TNMT_HEAD)
    tell(TNMT_HEAD, kind=NotificationKind.OVERDUE)
    client.force_login(user(TNMT_HEAD))
    base = "/api/method/eoffice.notifications."
    assert client.get(base + "unread_count").json() == {"message": 2}
    latest = client.get(base + "recent", {"limit": 1}).json()["message"]
    assert len(latest) == 1 and latest[0]["kind"] == "Quá hạn"
    assert client.post(base + "mark_read", {"name": latest[0]["name"]}).json() == {"message": 1}
    assert client.post(base + "mark_read", {"all": "1"}).json() == {"message": 1}
    assert client.get(base + "unread_count").json() == {"message": 0}
    bad = client.post(base + "mark_read", {})
    assert bad.status_code == 417 and "Cần chọn thông báo" in messages(bad)[0]
    bad = client.get(base + "recent", {"limit": "nhiều"})
    assert bad.status_code == 417 and "«nhiều» không phải số hợp lệ" in messages(bad)[0]

    table = client.get(base + "get_preferences").json()["message"]
    assert {"kind": "Quá hạn", "desk": True, "email": True} in table
    changed = client.post(
        base + "set_preference", {"kind": "Quá hạn", "channel": "Email", "enabled": "0"}
    ).json()["message"]
    assert {"kind": "Quá hạn", "desk": True, "email": False} in changed
    bad = client.post(base + "set_preference", {"kind": "Quá hạn", "channel": "Email"})
    assert bad.status_code == 417 and "«enabled»" in messages(bad)[0]
    bad = client.post(base + "set_preference", {"kind": "X", "channel": "Email", "enabled": "1"})
    assert bad.status_code == 417 and "Loại thông báo «X» không có" in messages(bad)[0]
    # Another person's notifications are not readable as rows either.
    client.force_login(user(TNMT_OFFICER))
    listed = client.get("/api/resource/Notification Log").json()["data"]
    assert listed == []
