"""The audit trail: a full incoming flow leaves one row per step, rows cannot be changed, and
administrators (only they) read and export it; a registered document is never deleted."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection

from eoffice.audit.models import AppendOnlyError, AuditEvent, AuditLog
from tests.api.conftest import assert_error
from tests.doctype import factories as f

DOC = "Incoming Document"


def events_of(name):
    return list(
        AuditLog.objects.filter(reference_name=name)
        .order_by("creation", "id")
        .values_list("event", "user_name")
    )


def test_a_full_incoming_flow_leaves_its_trail(demo):
    doc = f.directed(demo)
    trail = events_of(doc.name)
    assert trail[0] == (AuditEvent.CREATE, "")  # made by a factory, outside a request
    workflow = [row for row in trail if row[0] == AuditEvent.WORKFLOW]
    assert [u for _e, u in workflow] == [f.CLERK, f.CLERK, f.CHAIRMAN]
    actions = list(
        AuditLog.objects.filter(reference_name=doc.name, event=AuditEvent.WORKFLOW)
        .order_by("creation", "id")
        .values_list("changes__action", flat=True)
    )
    assert actions == ["Vào sổ", "Trình lãnh đạo", "Phân công"]
    change = AuditLog.objects.filter(reference_name=doc.name, event=AuditEvent.UPDATE).order_by(
        "id"
    )[0]
    assert change.changes["workflow_state"] == {"old": "Chờ tiếp nhận", "new": "Đã vào sổ"}
    assert AuditLog.objects.filter(reference_doctype="Assignment", event=AuditEvent.CREATE).exists()


def test_a_change_over_the_api_is_logged_field_by_field_with_user_and_ip(login, demo):
    doc = f.registered(demo)
    clerk = login(f.CLERK)
    response = clerk.put(f"/api/resource/{DOC}/{doc.name}", json={"summary": "Trích yếu mới"})
    assert response.status_code == 200, response.text
    row = AuditLog.objects.filter(reference_name=doc.name, event=AuditEvent.UPDATE).first()
    assert row.user_name == f.CLERK and row.ip_address == "127.0.0.1"
    assert row.changes["summary"]["new"] == "Trích yếu mới"
    assert set(row.changes) == {"summary"}


def test_a_secret_documents_values_are_not_copied_into_the_log(demo):
    doc = f.registered(demo, secrecy="Mật", summary="Nội dung mật")
    created = AuditLog.objects.get(reference_name=doc.name, event=AuditEvent.CREATE)
    assert "Nội dung mật" not in str(created.changes) and created.changes["summary"] == "***"


def test_downloads_secret_views_and_sign_ins_are_logged(login, anonymous, secret_doc):
    chairman = login(f.CHAIRMAN)
    assert chairman.get(f"/api/resource/{DOC}/{secret_doc.name}").status_code == 200
    assert chairman.get(secret_doc.test_file.file_url).status_code == 200
    wrong = anonymous.post("/api/method/login", json={"usr": f.CHAIRMAN, "pwd": "sai"})
    assert wrong.status_code == 401
    mine = dict(AuditLog.objects.filter(user_name=f.CHAIRMAN).values_list("event", "ip_address"))
    for event in (
        AuditEvent.LOGIN,
        AuditEvent.LOGIN_FAILED,
        AuditEvent.VIEW_SECRET,
        AuditEvent.DOWNLOAD,
    ):
        assert mine.get(event) == "127.0.0.1", event


def test_audit_rows_cannot_be_changed_or_deleted(demo):
    row = AuditLog.objects.create(event=AuditEvent.EXPORT, user_name="x@y.vn")
    row.detail = "sửa"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(detail="sửa")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).delete()
    if connection.vendor == "mysql":  # the database refuses too, whatever the code does
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE tab_audit_log SET detail='x' WHERE id=%s", [row.pk])


def test_only_administrators_read_and_export_the_log_and_nobody_writes_it(login, demo):
    admin, clerk = login("admin@gialam.demo"), login(f.CLERK)
    rows = admin.rows("Audit Log", fields='["name","event","user_name"]', limit_page_length=0)
    assert any(r["event"] == AuditEvent.LOGIN for r in rows)
    assert clerk.rows("Audit Log") == []
    one = rows[0]["name"]
    for client in (admin, clerk):
        assert client.put(f"/api/resource/Audit Log/{one}", json={"detail": "x"}).status_code in (
            403,
            404,
        )
        assert client.delete(f"/api/resource/Audit Log/{one}").status_code in (403, 404)
        assert client.post("/api/resource/Audit Log", json={"event": "Sửa"}).status_code == 403
    exported = admin.get("/api/method/eoffice.audit.export", params={"format": "csv"})
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["Thời điểm", "Sự kiện", "Người dùng"] and len(table) > 2
    xlsx = admin.get("/api/method/eoffice.audit.export", params={"format": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 2).value == "Sự kiện"
    assert_error(
        clerk.get("/api/method/eoffice.audit.export", params={"format": "csv"}),
        403,
        "PermissionError",
    )
    assert (
        AuditLog.objects.filter(event=AuditEvent.EXPORT, user_name="admin@gialam.demo").count() == 2
    )
    page = admin.get("/audit-log")
    assert page.status_code == 200 and "Nhật ký hệ thống" in page.text
    assert clerk.get("/audit-log").status_code == 403


def test_a_registered_document_is_archived_never_deleted(login, demo):
    doc = f.registered(demo)
    admin = login("admin@gialam.demo")
    messages = assert_error(admin.delete(f"/api/resource/{DOC}/{doc.name}"), 417, "ValidationError")
    assert "không được xóa" in messages[0]
    assert type(doc).objects.filter(pk=doc.pk).exists()
    draft = f.incoming(demo)  # not yet registered: a mistake may still be removed
    assert admin.delete(f"/api/resource/{DOC}/{draft.name}").status_code == 202
    assert AuditLog.objects.filter(reference_name=draft.name, event=AuditEvent.DELETE).exists()
    assert AuditLog.objects.filter(reference_name=draft.name, event=AuditEvent.CREATE).exists()
