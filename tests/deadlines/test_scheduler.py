"""The sweep on a real RQ scheduler and real workers: one reminder per person across runs, a
restart and two workers at once; the e-mails arrive at a real SMTP server."""

from __future__ import annotations

import signal
import subprocess
import time

import django_rq
import pytest
from django.utils import timezone

from eoffice import calendar, jobs
from eoffice.constants import HandlingRole
from eoffice.doctype.assignment import Assignment
from eoffice.doctype.deadline_reminder import DeadlineReminder
from eoffice.doctype.notification import EmailStatus, NotificationKind, NotificationLog
from tests.conftest import EOFFICE, ROOT, subprocess_env
from tests.doctype.factories import CHAIRMAN, DONGDU_HEAD, TNMT_HEAD, directed


def empty_queues():
    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()


def run_scheduler(seconds: float):
    """`eoffice scheduler` for a while, with the sweep every second."""
    env = subprocess_env(EOFFICE_TEST_PERIODIC="eoffice.jobs.deadlines.sweep:default:1:")
    proc = subprocess.Popen(
        [EOFFICE, "scheduler"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(seconds)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def start_worker(smtp_port: int):
    env = subprocess_env(
        DJANGO_SETTINGS_MODULE="tests.notifications.smtp_settings",
        EOFFICE_TEST_SMTP_PORT=str(smtp_port),
    )
    return subprocess.Popen(
        [EOFFICE, "worker", "--burst"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def set_deadline(a, deadline):
    Assignment.objects.filter(pk=a.pk).update(deadline=deadline, deadline_state="Trong hạn")


def top(doc, role):
    return Assignment.objects.get(
        reference_name=doc.name, handling_role=role, parent_assignment=None
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_scheduler_and_two_workers_send_each_reminder_once_across_runs_and_a_restart(
    demo, smtp_server
):
    today = timezone.localdate()
    far = calendar.add_working_days(today, 30)
    due_soon, overdue, long_overdue = directed(demo), directed(demo), directed(demo)
    for doc in (due_soon, overdue, long_overdue):
        set_deadline(top(doc, HandlingRole.LEAD), far)
        set_deadline(top(doc, HandlingRole.COOPERATE), far)
    set_deadline(top(due_soon, HandlingRole.LEAD), calendar.add_working_days(today, 1))
    set_deadline(top(overdue, HandlingRole.COOPERATE), today - timezone.timedelta(days=1))
    set_deadline(top(long_overdue, HandlingRole.LEAD), calendar.add_working_days(today, -5))
    NotificationLog.objects.all().delete()  # "Được giao việc" of the set-up: not this test's
    empty_queues()
    try:
        run_scheduler(4)
        queue = jobs.get_queue("default")
        assert queue.count >= 2, "the scheduler did not enqueue the sweep"
        run_scheduler(3)  # a restart enqueues it again at once
        workers = [start_worker(smtp_server.port) for _ in range(2)]  # two at once
        for w in workers:
            out, _ = w.communicate(timeout=240)
            assert w.returncode == 0, out
        final = start_worker(smtp_server.port)  # whatever the first two queued last
        out, _ = final.communicate(timeout=240)
        assert final.returncode == 0, out
    finally:
        empty_queues()

    def people(kind, doc):
        return sorted(
            NotificationLog.objects.filter(kind=kind, document_name=doc.name).values_list(
                "for_user__email", flat=True
            )
        )

    assert people(NotificationKind.DUE_SOON, due_soon) == [TNMT_HEAD]
    assert people(NotificationKind.OVERDUE, overdue) == sorted([DONGDU_HEAD, CHAIRMAN])
    assert people(NotificationKind.OVERDUE, long_overdue) == sorted([TNMT_HEAD, CHAIRMAN])
    assert people(NotificationKind.ESCALATION, long_overdue) == [CHAIRMAN]
    assert DeadlineReminder.objects.exclude(assignment=None).count() == 4
    # Every notification went out by e-mail exactly once, in Vietnamese.
    logs = list(NotificationLog.objects.exclude(kind=NotificationKind.DIGEST))
    assert {n.email_status for n in logs} == {EmailStatus.SENT}
    sent = [m["X-eOffice-Notification"] for m in smtp_server.messages]
    assert sorted(sent) == sorted(n.name for n in logs)
    [to_head] = [
        m
        for m in smtp_server.to(TNMT_HEAD)
        if m["X-eOffice-Notification"]
        in {n.name for n in logs if n.kind == NotificationKind.DUE_SOON}
    ]
    assert to_head["Subject"].strip().startswith("[eOffice] Sắp đến hạn")
    assert "sắp đến hạn" in to_head.get_body(("plain",)).get_content()
