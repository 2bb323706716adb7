"""Two people pressing buttons at once, on real MariaDB connections (one per thread)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from eoffice.constants import HandlingRole, Role
from eoffice.doctype.assignment import Assignment
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.workflow_log import WorkflowLog
from eoffice.exceptions import EofficeError, WorkflowTransitionError
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CHAIRMAN, CLERK, incoming, rows, user, waiting_for_direction

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(jobs):
    """Run each callable in its own thread and DB connection, all released together.

    Returns what each returned or raised, in order.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def work(i, job):
        try:
            barrier.wait(timeout=60)
            results[i] = job()
        except BaseException as exc:  # noqa: BLE001  (reported to the test)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a registration hung"
    return results


def test_fifty_clerks_registering_at_once_get_fifty_consecutive_numbers(demo):
    register = DocumentRegister.objects.get(
        unit=demo["UBND"], direction="Đến", year=timezone.localdate().year, is_secret=False
    )
    good = [incoming(demo).pk for _ in range(50)]
    # Five documents whose registration fails half-way (a document date in the future, typed
    # before the rule existed): the numbers they took must be given back, not lost.
    bad = [incoming(demo).pk for _ in range(5)]
    IncomingDocument.objects.filter(pk__in=bad).update(
        document_date=timezone.localdate() + dt.timedelta(days=3)
    )

    def register_one(pk):
        return lambda: (
            apply_workflow(
                IncomingDocument.objects.get(pk=pk), "Vào sổ", user(CLERK)
            ).arrival_number
        )

    order = good[:25] + bad + good[25:]
    results = run_at_once([register_one(pk) for pk in order])

    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 5 and all(isinstance(e, EofficeError) for e in errors), errors
    numbers = sorted(r for r in results if isinstance(r, int))
    assert numbers == list(range(1, 51))
    stored = list(
        IncomingDocument.objects.filter(register=register).values_list("arrival_number", flat=True)
    )
    assert sorted(stored) == list(range(1, 51))
    register.refresh_from_db()
    assert register.last_number == 50
    assert not IncomingDocument.objects.filter(pk__in=bad).exclude(arrival_number=None).exists()
    # The next one goes on from 51: nothing was skipped and nothing is reused.
    assert apply_workflow(incoming(demo), "Vào sổ", user(CLERK)).arrival_number == 51


def test_a_clerk_registering_two_documents_at_once_gets_numbers_1_and_2(demo):
    a, b = incoming(demo), incoming(demo)
    results = run_at_once(
        [lambda d=d: apply_workflow(d, "Vào sổ", user(CLERK)).arrival_number for d in (a, b)]
    )
    assert sorted(results) == [1, 2]


def test_two_leaders_directing_the_same_document_at_once_leave_one_direction(demo, make_user):
    deputy = make_user(
        "phochutich@gialam.demo", demo["UBND"], Role.LEADER, full_name="Phó Chủ tịch"
    )
    doc = waiting_for_direction(demo)

    def direct(email, unit_key):
        return lambda: apply_workflow(
            IncomingDocument.objects.get(pk=doc.pk),
            "Phân công",
            user(email),
            direction=f"Giao {unit_key} chủ trì",
            assignees=rows((demo[unit_key].name, HandlingRole.LEAD)),
        )

    results = run_at_once([direct(CHAIRMAN, "TNMT"), direct(deputy.email, "KT")])
    won = [r for r in results if isinstance(r, IncomingDocument)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], WorkflowTransitionError)
    assert "«Đã phân công»" in lost[0].message
    doc.refresh_from_db()
    assignments = Assignment.objects.filter(reference_name=doc.name)
    assert assignments.count() == 1
    assert doc.direction == f"Giao {assignments.get().unit.short_name} chủ trì"
    assert doc.assignees.count() == 1
    assert WorkflowLog.objects.filter(reference_name=doc.name, action="Phân công").count() == 1


def test_a_new_year_starts_at_one_in_a_register_created_on_demand(demo):
    last_year = timezone.localdate().year - 1
    arrived = timezone.make_aware(dt.datetime(last_year, 12, 30, 9, 0))
    old = incoming(demo, arrival_date=arrived, document_date=dt.date(last_year, 12, 29))
    this_year = [incoming(demo) for _ in range(2)]
    assert not DocumentRegister.objects.filter(year=last_year).exists()
    results = run_at_once(
        [lambda d=d: apply_workflow(d, "Vào sổ", user(CLERK)) for d in [old, *this_year]]
    )
    old_doc = results[0]
    assert old_doc.arrival_number == 1
    assert old_doc.register.year == last_year and old_doc.register.unit == demo["UBND"]
    assert sorted(d.arrival_number for d in results[1:]) == [1, 2]
    assert {d.register.year for d in results[1:]} == {timezone.localdate().year}
