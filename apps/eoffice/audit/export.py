"""The audit log as CSV or Excel, for administrators (and for an inspector they hand it to)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.utils import timezone

COLUMNS = [
    ("creation", "Thời điểm"),
    ("event", "Sự kiện"),
    ("user_name", "Người dùng"),
    ("ip_address", "Địa chỉ IP"),
    ("reference_doctype", "Loại tài liệu"),
    ("reference_name", "Tài liệu"),
    ("changes", "Thay đổi"),
    ("detail", "Chi tiết"),
]
MAX_ROWS = 100_000  # one export; narrow by dates for more


def filtered(params: dict):
    """Audit rows narrowed by ``event``, ``user``, ``doctype``, ``name``, ``from``, ``to``
    (dates YYYY-MM-DD, inclusive); raises ``ValueError`` with a Vietnamese message."""
    from eoffice.audit.models import AuditLog

    qs = AuditLog.objects.all()
    for key, lookup in (
        ("event", "event"),
        ("user", "user_name__iexact"),
        ("doctype", "reference_doctype"),
        ("name", "reference_name"),
    ):
        value = params.get(key)
        if value:
            qs = qs.filter(**{lookup: str(value)[:140]})
    for key, lookup, shift in (("from", "creation__gte", 0), ("to", "creation__lt", 1)):
        value = params.get(key)
        if not value:
            continue
        try:
            day = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ValueError(f"Ngày '{str(value)[:20]}' không hợp lệ (dạng YYYY-MM-DD).") from None
        start = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=shift), dt.time()))
        qs = qs.filter(**{lookup: start})
    return qs.order_by("creation", "id")


def _cell(row, key):
    value = getattr(row, key)
    if key == "creation":
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M:%S")
    if key == "changes":
        return json.dumps(value, ensure_ascii=False) if value else ""
    text = "" if value is None else str(value)
    # A cell that a spreadsheet would run as a formula is kept as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows(qs):
    for row in qs[:MAX_ROWS].iterator(chunk_size=2000):
        yield [_cell(row, key) for key, _label in COLUMNS]


def as_csv(qs) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    writer.writerows(rows(qs))
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens the UTF-8 as UTF-8


def as_xlsx(qs) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhật ký")
    sheet.append([label for _key, label in COLUMNS])
    for values in rows(qs):
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
