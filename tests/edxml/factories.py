"""Packages from other agencies, built as their software would send them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from eoffice.edxml import package as pk
from tests.outgoing.factories import pdf_bytes

SO_TNMT = pk.Organ(code="000.00.31.H26", name="Sở Tài nguyên và Môi trường Hà Nội")
DONG_ANH = pk.Organ(code="000.00.20.H26", name="UBND huyện Đông Anh")


def gialam_organ(demo) -> pk.Organ:
    return pk.Organ(code=demo["UBND"].agency_code, name=demo["UBND"].unit_name)


def document(demo, sender=SO_TNMT, number="2207", notation="STNMT-QLĐĐ", **fields):
    """A công văn from ``sender`` to UBND huyện Gia Lâm, with one PDF."""
    today = timezone.localdate()
    values = {
        "sender": sender,
        "receivers": [gialam_organ(demo)],
        "document_id": f"{sender.code},{today:%Y/%m/%d},{number}/{notation}",
        "code_number": number,
        "code_notation": notation,
        "promulgation_date": today - dt.timedelta(days=1),
        "type_name": "Công văn",
        "subject": "V/v kiểm tra việc quản lý, sử dụng đất công",
        "place": "Hà Nội",
        "signer_full_name": "Nguyễn Văn A",
        "signer_position": "Giám đốc",
        "priority": 1,
        "page_amount": 2,
        "due_date": today + dt.timedelta(days=10),
        "steering_type": 1,
        "attachments": [
            pk.Attachment(
                name="2207-STNMT.pdf",
                content_type="application/pdf",
                data=pdf_bytes("Kiểm tra việc quản lý đất công"),
            )
        ],
        "timestamp": dt.datetime.now().replace(microsecond=0),
    }
    values.update(fields)
    return pk.DocumentPackage(**values)


def status(demo, document_id: str, code: str, sender=SO_TNMT, minutes=0, staff="Trần Thị B"):
    """A status from ``sender`` about a document UBND huyện Gia Lâm sent it."""
    return pk.StatusPackage(
        response_for=pk.ResponseFor(
            organ_id=demo["UBND"].agency_code,
            code="",
            promulgation_date=timezone.localdate(),
            document_id=document_id,
        ),
        sender=sender,
        status_code=code,
        description=pk.STATUS_CODES[code],
        timestamp=(dt.datetime.now() + dt.timedelta(minutes=minutes)).replace(microsecond=0),
        staff=pk.StaffInfo(department="Văn thư", staff=staff),
    )
