"""Background jobs run by real RQ workers on the site's own queues, and RQ's cron scheduler."""

import signal
import subprocess
import time

import django_rq
import pytest
from django.db import transaction

from eoffice import jobs
from eoffice.doctype.base import NamingSeries
from eoffice.jobs import system
from tests.conftest import EOFFICE, ROOT, subprocess_env


@pytest.fixture
def clean_queues():
    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()
    yield
    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()


def run_worker_burst():
    proc = subprocess.run(
        [EOFFICE, "worker", "--burst"],
        env=subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_queue_names_carry_the_site_so_two_sites_never_share_jobs(settings):
    assert jobs.queue_name("default") == f"{settings.SITE_NAME}.default"
    with pytest.raises(ValueError):
        jobs.queue_name("nosuch")


@pytest.mark.django_db(transaction=True)
def test_a_job_is_queued_only_when_its_transaction_commits(clean_queues):
    queue = jobs.get_queue("default")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            jobs.enqueue(system.bump_series, "ROLLED-BACK-")
            raise RuntimeError("the request failed")
    assert queue.count == 0
    with transaction.atomic():
        jobs.enqueue(system.bump_series, "COMMITTED-")
        assert queue.count == 0  # not before the commit
    assert queue.count == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_queued_jobs_against_the_site_database(clean_queues):
    for _ in range(3):
        jobs.enqueue(system.bump_series, "WORKER-")
    run_worker_burst()
    assert NamingSeries.objects.get(prefix="WORKER-").current == 3
    assert jobs.get_queue("default").count == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_job_id_is_not_queued_twice_while_it_waits(clean_queues):
    jobs.enqueue(system.bump_series, "ONCE-", job_id="bump-once")
    jobs.enqueue(system.bump_series, "ONCE-", job_id="bump-once")
    assert jobs.get_queue("default").count == 1
    run_worker_burst()
    assert NamingSeries.objects.get(prefix="ONCE-").current == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_periodic_jobs_through_rq_cron(clean_queues, settings):
    """`eoffice scheduler` is RQ's CronScheduler: a registered job lands on the site's queue."""
    env = subprocess_env(EOFFICE_TEST_PERIODIC="eoffice.jobs.system.bump_series:short:1")
    proc = subprocess.Popen(
        [EOFFICE, "scheduler"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        queue = jobs.get_queue("short")
        deadline = time.monotonic() + 30
        while queue.count < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert queue.count >= 2, "the scheduler did not enqueue the periodic job"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
