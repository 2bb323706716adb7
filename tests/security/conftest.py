"""Fixtures of the security tests: documents of Đông Dư, a secret document of the district,
and everything hanging off them (files, comments, assignments, workflow log)."""

from __future__ import annotations

import pytest

from tests.api.conftest import admin, anonymous, login, server  # noqa: F401  (fixtures)
from tests.doctype import factories as f

MARK = "dấu-vết-bảo-mật"  # a word found only in the protected documents


@pytest.fixture
def dongdu_doc(demo):
    """An incoming document of Đông Dư, registered by its clerk, with a file and a comment."""
    from eoffice.doctype.comment import Comment
    from eoffice.doctype.file import create_file
    from eoffice.workflows.engine import apply_workflow

    doc = f.incoming(
        demo,
        receiving_unit=demo["Đông Dư"],
        summary=f"V/v đất đai xã Đông Dư {MARK}",
        owner="vanthu.dongdu@gialam.demo",
    )
    doc = apply_workflow(doc, "Vào sổ", f.user("vanthu.dongdu@gialam.demo"))
    stored = create_file(
        [pdf_bytes()],
        file_name="dongdu.pdf",
        owner="vanthu.dongdu@gialam.demo",
        attached_to_doctype="Incoming Document",
        attached_to_name=doc.name,
    )
    Comment.objects.create(
        reference_doctype="Incoming Document",
        reference_name=doc.name,
        content=f"Ghi chú {MARK}",
        owner="vanthu.dongdu@gialam.demo",
    )
    doc.test_file = stored
    return doc


@pytest.fixture
def secret_doc(demo):
    """A "Mật" document of the district, submitted to the chairman, with a file."""
    from eoffice.doctype.file import create_file
    from eoffice.workflows.engine import apply_workflow

    doc = f.incoming(demo, secrecy="Mật", summary=f"Văn bản mật {MARK}")
    doc = apply_workflow(doc, "Vào sổ", f.user(f.CLERK))
    doc = apply_workflow(doc, "Trình lãnh đạo", f.user(f.CLERK), leader=f.CHAIRMAN)
    doc.test_file = create_file(
        [pdf_bytes()],
        file_name="mat.pdf",
        owner=f.CLERK,
        attached_to_doctype="Incoming Document",
        attached_to_name=doc.name,
    )
    return doc


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF with a text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="eOffice test")
    return bytes(pdf.output())
