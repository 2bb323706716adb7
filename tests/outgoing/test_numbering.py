"""Numbers and symbols of outgoing documents: series, symbols, cancelled numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone

from eoffice.constants import Secrecy
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.outgoing_document import CancelledNumber, OutgoingDocument
from eoffice.doctype.outgoing_document.numbering import build_symbol, register_entries
from eoffice.exceptions import ValidationError, WorkflowTransitionError
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CLERK, user
from tests.outgoing.factories import numbered, signed


def test_the_first_decision_of_the_year_is_01_qd_ubnd_and_the_next_02(gialam):
    first = numbered(gialam, type_name="Quyết định", summary="Về việc thành lập tổ công tác")
    second = numbered(gialam, type_name="Quyết định", summary="Về việc kiện toàn tổ công tác")
    assert (first.number, first.symbol) == (1, "01/QĐ-UBND")
    assert (second.number, second.symbol) == (2, "02/QĐ-UBND")
    assert first.issue_date == timezone.localdate()
    assert first.register.unit == gialam["UBND"] and first.register.direction == "Đi"
    assert first.numbered_by.email == CLERK


def test_symbols_follow_the_type_abbreviation_case_and_d_included(gialam):
    assert numbered(gialam, type_name="Quy định").symbol == "01/QyĐ-UBND"
    assert numbered(gialam, type_name="Hợp đồng").symbol == "02/HĐ-UBND"
    assert numbered(gialam, type_name="Hướng dẫn").symbol == "03/HD-UBND"
    assert numbered(gialam, type_name="Đề án").symbol == "04/ĐA-UBND"


def test_a_cong_van_carries_the_agency_and_the_drafting_unit(gialam):
    doc = numbered(gialam)  # drafted by Phòng TNMT for UBND huyện
    assert doc.symbol == "01/UBND-TNMT"
    unit, agency = gialam["VP"], gialam["UBND"]
    cong_van = doc.document_type
    assert build_symbol(45, cong_van, agency, unit, 2017, False) == "45/UBND-VP"
    assert build_symbol(7, cong_van, agency, agency, 2017, False) == "07/UBND"


def test_a_normative_decision_has_the_year_and_its_own_series(gialam):
    year = timezone.localdate().year
    ordinary = numbered(gialam, type_name="Quyết định")
    normative = numbered(gialam, type_name="Quyết định", is_normative=True)
    assert ordinary.symbol == "01/QĐ-UBND"
    assert normative.symbol == f"01/{year}/QĐ-UBND"
    assert normative.register.is_normative and not ordinary.register.is_normative
    assert build_symbol(12, normative.document_type, gialam["UBND"], None, 2017, True) == (
        "12/2017/QĐ-UBND"
    )


def test_numbers_beyond_nine_have_no_leading_zero(gialam):
    register = DocumentRegister.objects.get(
        unit=gialam["UBND"],
        direction="Đi",
        year=timezone.localdate().year,
        is_secret=False,
        is_normative=False,
    )
    DocumentRegister.objects.filter(pk=register.pk).update(last_number=14)
    assert numbered(gialam, type_name="Quyết định").symbol == "15/QĐ-UBND"
    DocumentRegister.objects.filter(pk=register.pk).update(last_number=122)
    assert numbered(gialam, type_name="Quyết định").symbol == "123/QĐ-UBND"


def test_secret_documents_are_numbered_in_the_secret_register(gialam):
    ordinary = numbered(gialam)
    secret = numbered(gialam, secrecy=Secrecy.SECRET)
    assert ordinary.number == 1 and secret.number == 1
    assert secret.register.is_secret and not ordinary.register.is_secret


def test_only_types_that_may_be_normative_are_accepted_as_normative(gialam):
    with pytest.raises(DjangoValidationError) as caught:
        numbered(gialam, type_name="Công văn", is_normative=True)
    assert "quy phạm" in str(caught.value)


def test_a_cancelled_number_is_recorded_and_never_given_again(gialam):
    doc = numbered(gialam, type_name="Quyết định")
    assert doc.symbol == "01/QĐ-UBND"
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Hủy số", user(CLERK))
    assert caught.value.field == "comment"
    doc = apply_workflow(doc, "Hủy số", user(CLERK), comment="Sai trích yếu, ký lại")
    assert doc.workflow_state == "Đã ký" and doc.number is None and doc.symbol == ""
    cancelled = CancelledNumber.objects.get()
    assert (cancelled.number, cancelled.symbol, cancelled.reason) == (
        1,
        "01/QĐ-UBND",
        "Sai trích yếu, ký lại",
    )
    again = apply_workflow(doc, "Cấp số", user(CLERK))
    assert again.symbol == "02/QĐ-UBND"
    nxt = numbered(gialam, type_name="Quyết định")
    assert nxt.symbol == "03/QĐ-UBND"
    entries = register_entries(again.register)
    assert [(e["number"], e["cancelled"]) for e in entries] == [(1, True), (2, False), (3, False)]
    assert entries[0]["workflow_state"] == "Đã hủy số"


def test_a_number_is_given_once(gialam):
    doc = numbered(gialam)
    with pytest.raises(WorkflowTransitionError):
        apply_workflow(doc, "Cấp số", user(CLERK))
    doc.refresh_from_db()
    assert doc.number == 1
    assert OutgoingDocument.objects.filter(number__isnull=False).count() == 1


def test_no_number_before_the_signature(gialam):
    doc = signed(gialam)
    apply_workflow(doc, "Cấp số", user(CLERK))
    from tests.outgoing.factories import draft

    unsigned = draft(gialam)
    with pytest.raises(WorkflowTransitionError) as caught:
        apply_workflow(unsigned, "Cấp số", user(CLERK))
    assert "«Dự thảo»" in caught.value.message


def test_a_new_year_starts_again_at_01_in_a_register_made_on_demand(gialam, monkeypatch):
    import datetime as dt

    from eoffice.workflows import engine

    this_year = numbered(gialam, type_name="Quyết định")
    assert this_year.symbol == "01/QĐ-UBND"
    next_year = timezone.localdate().year + 1
    new_year_morning = timezone.make_aware(dt.datetime(next_year, 1, 2, 8, 0))
    monkeypatch.setattr(engine.timezone, "now", lambda: new_year_morning)
    doc = apply_workflow(signed(gialam, type_name="Quyết định"), "Cấp số", user(CLERK))
    assert (doc.symbol, doc.issue_date.year) == ("01/QĐ-UBND", next_year)
    assert doc.register.year == next_year and doc.register != this_year.register
