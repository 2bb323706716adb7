"""Clerks pressing "Cấp số" and "Phát hành" at once, on real MariaDB connections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.outgoing_document import OutgoingDocument
from eoffice.exceptions import EofficeError
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CLERK, user
from tests.outgoing.factories import signed
from tests.workflows.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_decisions_numbered_at_once_get_consecutive_numbers_and_symbols(gialam):
    good = [signed(gialam, type_name="Quyết định").pk for _ in range(20)]
    # Three whose "Cấp số" fails half-way (a report deadline typed before the rule existed):
    # the numbers they took must be given back, not skipped.
    bad = [
        signed(gialam, type_name="Quyết định", requires_report=True,
               report_deadline=timezone.localdate() + dt.timedelta(days=3)).pk
        for _ in range(3)
    ]  # fmt: skip
    OutgoingDocument.objects.filter(pk__in=bad).update(
        report_deadline=timezone.localdate() - dt.timedelta(days=1)
    )

    def number(pk):
        return lambda: (
            apply_workflow(OutgoingDocument.objects.get(pk=pk), "Cấp số", user(CLERK)).number
        )

    order = good[:10] + bad + good[10:]
    results = run_at_once([number(pk) for pk in order])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 3 and all(isinstance(e, EofficeError) for e in errors), errors
    assert sorted(r for r in results if isinstance(r, int)) == list(range(1, 21))
    symbols = sorted(OutgoingDocument.objects.filter(pk__in=good).values_list("symbol", flat=True))
    assert symbols == [f"{n:02d}/QĐ-UBND" for n in range(1, 21)]
    register = DocumentRegister.objects.get(
        unit=gialam["UBND"], direction="Đi", year=timezone.localdate().year,
        is_secret=False, is_normative=False,
    )  # fmt: skip
    assert register.last_number == 20
    assert not OutgoingDocument.objects.filter(pk__in=bad).exclude(number=None).exists()
    # The next one goes on from 21: nothing skipped, nothing reused.
    assert (
        apply_workflow(signed(gialam, type_name="Quyết định"), "Cấp số", user(CLERK)).number == 21
    )


def test_two_clerks_numbering_the_same_document_give_it_one_number(gialam):
    doc = signed(gialam)
    results = run_at_once(
        [lambda: apply_workflow(OutgoingDocument.objects.get(pk=doc.pk), "Cấp số", user(CLERK))] * 2
    )
    won = [r for r in results if isinstance(r, OutgoingDocument)]
    assert len(won) == 1 and won[0].number == 1
    register = won[0].register
    register.refresh_from_db()
    assert register.last_number == 1


def test_two_directives_issued_at_once_to_the_communes_number_each_register_gap_free(gialam):
    from eoffice.doctype.incoming_document import IncomingDocument
    from tests.outgoing.factories import COMMUNES_AND_TOWNS, add_recipients

    docs = []
    for _ in range(2):
        doc = apply_workflow(signed(gialam), "Cấp số", user(CLERK))
        add_recipients(doc, gialam["Đông Dư"], gialam["Bát Tràng"])
        docs.append(doc)
    results = run_at_once(
        [
            lambda d=d: apply_workflow(
                OutgoingDocument.objects.get(pk=d.pk),
                "Phát hành",
                user(CLERK),
                recipient_groups=[COMMUNES_AND_TOWNS],
            )
            for d in docs
        ]
    )
    assert all(isinstance(r, OutgoingDocument) for r in results), results
    for key in ("Đông Dư", "Bát Tràng", "Cổ Bi"):
        numbers = sorted(
            IncomingDocument.objects.filter(receiving_unit=gialam[key]).values_list(
                "arrival_number", flat=True
            )
        )
        assert numbers == [1, 2]
