"""OCR tests: generated documents, uploads through the real upload code, real RQ workers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import EOFFICE, ROOT, subprocess_env


def fold(text: str) -> str:
    """Lower case, no accents, đ → d, one space between words: how a person compares."""
    from eoffice.text import ascii_fold, nfc

    return " ".join(ascii_fold(nfc(text)).lower().split())


@pytest.fixture
def clean_queues():
    """Empty queues and job registries of the site before and after the test."""

    def clean():
        import django_rq
        from rq.registry import (
            FailedJobRegistry,
            FinishedJobRegistry,
            ScheduledJobRegistry,
            StartedJobRegistry,
        )

        from eoffice import jobs

        for name in jobs.worker_queue_names():
            queue = django_rq.get_queue(name)
            queue.empty()
            for registry in (
                StartedJobRegistry,
                FailedJobRegistry,
                FinishedJobRegistry,
                ScheduledJobRegistry,
            ):
                reg = registry(queue=queue)
                for job_id in reg.get_job_ids(cleanup=False):
                    reg.remove(job_id, delete_job=True)
                queue.connection.delete(reg.key)
        conn = django_rq.get_queue(jobs.queue_name("short")).connection
        for key in conn.scan_iter(match="rq:job:ocr-*"):
            conn.delete(key)

    clean()
    yield
    clean()


def run_worker_burst(*queues: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """One real worker (``eoffice worker --burst``) until the queues are empty."""
    args = [EOFFICE, "worker", "--burst"]
    for q in queues:
        args += ["--queue", q]
    proc = subprocess.run(
        args, env=subprocess_env(), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


class Worker:
    """A long-running real worker in its own process group, which a test may kill -9."""

    def __init__(self, *queues: str):
        args = [EOFFICE, "worker"]
        for q in queues:
            args += ["--queue", q]
        self.proc = subprocess.Popen(
            args,
            env=subprocess_env(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill_hard(self):
        """SIGKILL the worker, its work horse and its Tesseract: a crash or a power cut."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


@pytest.fixture
def workers():
    """Start workers with ``workers.start()``; all are stopped after the test."""
    started: list[Worker] = []

    class Pool:
        def start(self, *queues):
            w = Worker(*queues)
            started.append(w)
            return w

    yield Pool()
    for w in started:
        w.stop()


def wait_for(predicate, timeout: float = 120, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")


@pytest.fixture
def upload(db):
    """Upload a file through the real upload code: ``upload(path, **attach)`` → File."""
    from eoffice.doctype.file import create_file

    def make(path: Path, owner: str = "vanthu@gialam.demo", **attach):
        path = Path(path)
        with open(path, "rb") as fh:
            return create_file(
                iter(lambda: fh.read(65536), b""), file_name=path.name, owner=owner, **attach
            )

    return make
