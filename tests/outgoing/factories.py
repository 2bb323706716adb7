"""Factories for outgoing documents and the steps of their path (shared by tests)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from django.utils import timezone

from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.outgoing_document import OutgoingDocument, OutgoingRecipient
from eoffice.doctype.outgoing_document.drafting import add_draft_version
from eoffice.doctype.outgoing_document.models import ensure_standard_recipient_groups
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CHAIRMAN, CLERK, TNMT_HEAD, TNMT_OFFICER, user

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COMMUNES_AND_TOWNS = "Các xã, thị trấn"
_serial = itertools.count(1)


def pdf_bytes(text: str) -> bytes:
    """A small text PDF (with Vietnamese) of the kind a drafter uploads."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def groups() -> None:
    """The standard recipient groups (a transactional test's flush removes the migration's)."""
    ensure_standard_recipient_groups()


def draft(demo, drafter: str = TNMT_OFFICER, unit: str = "TNMT", type_name="Công văn", **fields):
    """A draft with one version of its file, by ``drafter`` of ``unit``."""
    n = next(_serial)
    values = {
        "document_type": DocumentType.objects.get(name=type_name),
        "summary": f"V/v tăng cường quản lý đất đai trên địa bàn huyện (đợt {n})",
        "drafting_unit": demo[unit],
        "owner": drafter,
        "modified_by": drafter,
        "page_count": 2,
    }
    values.update(fields)
    doc = OutgoingDocument(**values)
    doc.full_clean()
    doc.save()
    add_draft_version(
        doc, user(drafter), chunks=[pdf_bytes(f"Dự thảo {doc.summary}")], file_name="du-thao.pdf"
    )
    return doc


def add_recipients(doc, *entries) -> None:
    """Recipient rows: a unit (OrganizationUnit) or ``(agency_code, agency_name)``."""
    start = doc.recipients.count()
    for i, entry in enumerate(entries, start=start + 1):
        if isinstance(entry, tuple):
            OutgoingRecipient.objects.create(
                parent=doc, idx=i, agency_code=entry[0], agency_name=entry[1]
            )
        else:
            OutgoingRecipient.objects.create(parent=doc, idx=i, unit=entry)


def signed(demo, authority: str = "KT.", **fields):
    """A draft approved by the head of TNMT, checked by the clerk, signed by the chairman."""
    doc = draft(demo, **fields)
    apply_workflow(doc, "Trình duyệt", user(TNMT_OFFICER))
    apply_workflow(doc, "Duyệt", user(TNMT_HEAD))
    apply_workflow(doc, "Đạt", user(CLERK), signer=CHAIRMAN)
    return apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority=authority)


def numbered(demo, **fields):
    """A signed document with its number ("Đã cấp số")."""
    return apply_workflow(signed(demo, **fields), "Cấp số", user(CLERK))


def issued(demo, recipients=None, groups_=None, **fields):
    """A numbered document issued to ``recipients`` (units or (code, name)) and groups."""
    doc = numbered(demo, **fields)
    add_recipients(doc, *(recipients or []))
    params = {"recipient_groups": groups_} if groups_ else {}
    return apply_workflow(doc, "Phát hành", user(CLERK), **params)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
