"""OCR jobs on the site's ``ocr`` queue: the intake chain of :mod:`eoffice.ocr`, run by RQ.

- :func:`enqueue_for` (called by the upload, inside its transaction) queues :func:`run` once
  the File row is committed; the File shows "Chờ xử lý" until a worker starts it.
- :func:`run` checks the file and reads its first page; the other pages of a scan go out as
  one job each (:func:`run_page`), so a batch spreads over every worker serving ``ocr``.
  Whichever page finishes last combines the text; then :func:`run_searchable` makes the
  searchable PDF/A.
- Failures: the File shows "Lỗi" with the reason at once, and RQ retries the job with
  back-off (``ocr_retry_intervals`` in site_config.json, default 10 s, 1 min, 5 min); a later
  success moves it to "Hoàn tất".
- A worker killed mid-job (``kill -9``, a crash, a reboot): :func:`sweep`, run every minute by
  ``eoffice scheduler``, hands the job of a worker that is gone to RQ's own abandoned-job
  handling (``StartedJobRegistry.cleanup``), which retries it; and re-queues any File left
  waiting with no job (e.g. Redis was down when the upload committed). RQ alone would notice
  only after the job's heartbeat expired (~90 s) and its next maintenance pass (10 min).

Every job can run twice, or after a crash, with the same result (see :mod:`eoffice.ocr.pipeline`).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eoffice.jobs import get_queue, queue_name, worker_queue_names
from eoffice.ocr.errors import OcrError
from eoffice.ocr.preflight import Plan

log = logging.getLogger(__name__)

QUEUE = "ocr"
DEFAULT_RETRY_INTERVALS = [10, 60, 300]
#: A File waiting this long with no job alive is queued again by :func:`sweep`.
STALE_AFTER = datetime.timedelta(minutes=2)
ALIVE = ("queued", "started", "scheduled", "deferred")


def retry_intervals() -> list[int]:
    """Seconds between attempts (``OCR_RETRY_INTERVALS`` setting or ``ocr_retry_intervals``)."""
    value = getattr(settings, "OCR_RETRY_INTERVALS", None)
    if value is None:
        value = settings.SITE_CONFIG.get("ocr_retry_intervals", DEFAULT_RETRY_INTERVALS)
    return [int(v) for v in value]


def job_id(name: str, part: str = "") -> str:
    """Stable job ids: the same work is never queued twice while it waits."""
    from eoffice.jobs import site_job_id

    return site_job_id(f"ocr-{name}{'-' + part if part else ''}")


def _send(func, *args, job_id: str, after_commit: bool = True) -> None:
    """Queue ``func(*args)`` on ``ocr`` with retries, unless the same job is alive already."""

    def send():
        if settings.JOBS_MODE == "inline":
            try:
                func(*args)
            except Exception:  # recorded on the File by the job itself
                log.exception("inline OCR job %s failed", job_id)
            return
        from rq import Callback, Retry
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        queue = get_queue(QUEUE)
        try:
            if Job.fetch(job_id, connection=queue.connection).get_status(refresh=True) in ALIVE:
                return
        except NoSuchJobError:
            pass
        intervals = retry_intervals()
        queue.enqueue(
            func,
            *args,
            job_id=job_id,
            retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
            on_failure=Callback(on_job_failure),
            job_timeout=int(settings.SITE_CONFIG.get("ocr_job_timeout_seconds", 1800)),
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )

    if after_commit:
        transaction.on_commit(send)
    else:
        send()


# ---------------------------------------------------------------------------------------
# What the rest of the product calls


def enqueue_for(file) -> None:
    """Read ``file`` in the background once the current transaction commits."""
    _send(run, file.name, job_id=job_id(file.name))


def enqueue_searchable(name: str, plan: Plan) -> None:
    """Queue the searchable PDF/A of a scan (after the text is committed)."""
    _send(run_searchable, name, plan.to_dict(), job_id=job_id(name, "pdf"))


def preload() -> None:
    """Import what OCR jobs use, in a worker's main process before it forks work horses.

    RQ runs each job in a fresh fork of the worker: whatever the parent has not imported,
    every job imports again (pdfium, Pillow, pdfplumber, libmagic, OCRmyPDF: ~0.8 s, as much
    as Tesseract takes on a page). ``eoffice worker`` should call this once at start.
    """
    import img2pdf  # noqa: F401
    import magic  # noqa: F401
    import ocrmypdf  # noqa: F401
    import pdfplumber  # noqa: F401
    import pikepdf  # noqa: F401
    import pypdfium2  # noqa: F401
    import tantivy  # noqa: F401
    from PIL import Image  # noqa: F401

    import eoffice.ocr.pipeline  # noqa: F401
    import eoffice.ocr.searchable  # noqa: F401
    import eoffice.search.jobs  # noqa: F401
    import eoffice.search.writer  # noqa: F401


# ---------------------------------------------------------------------------------------
# The jobs


def run(name: str, force: bool = False):
    """Job: read the File ``name`` (first page here, other pages as their own jobs)."""
    from eoffice.ocr import pipeline

    with _recording_failure(name):
        return pipeline.process(name, force=force, fan_out=_fan_out)


def run_page(name: str, plan: dict, index: int):
    """Job: read one page of a scan, and combine the File's text if it was the last."""
    from eoffice.ocr import pipeline

    with _recording_failure(name, page=index + 1):
        return pipeline.process_page(name, Plan.from_dict(plan), index)


def run_searchable(name: str, plan: dict):
    """Job: build and store the searchable PDF/A of a scan."""
    from eoffice.ocr import pipeline

    return pipeline.make_searchable(name, Plan.from_dict(plan))


def _fan_out(name: str, plan: Plan, pages: list[int]) -> None:
    for index in pages:
        _send(
            run_page,
            name,
            plan.to_dict(),
            index,
            job_id=job_id(name, f"p{index + 1:04d}"),
            after_commit=False,
        )


class _recording_failure:
    """Write "Lỗi" and the reason on the File when a job fails, then let RQ retry it."""

    def __init__(self, name: str, page: int | None = None):
        self.name, self.page = name, page

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, Exception):
            return False
        from eoffice.ocr import pipeline

        if isinstance(exc, OcrError):
            reason = exc.message
        else:
            reason = f"Lỗi hệ thống khi đọc tệp ({type(exc).__name__}: {exc})."
        if self.page:
            reason = f"Trang {self.page}: {reason}"
        pipeline.mark_failed(self.name, reason + _retry_note())
        return False  # re-raise: RQ's Retry decides whether to run it again


def _retry_note() -> str:
    from rq import get_current_job

    job = get_current_job()
    left = getattr(job, "retries_left", None) if job else None
    if left:
        return f" Hệ thống sẽ tự thử lại (còn {left} lần)."
    return ""


def on_job_failure(job, connection, exc_type, exc_value, traceback):
    """RQ's failure callback: a job whose worker vanished and has no retries left is "Lỗi".

    Failures raised inside a job were already recorded by the job itself.
    """
    from rq.exceptions import AbandonedJobError

    if exc_type is not AbandonedJobError or job.retries_left:
        return
    name = job.args[0] if job.args else None
    if name:
        from eoffice.ocr import pipeline

        pipeline.mark_failed(
            name, "Tiến trình đọc tệp bị dừng đột ngột nhiều lần; hãy thử lại sau."
        )


# ---------------------------------------------------------------------------------------
# Recovery


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_is_gone(worker_name: str | None, connection) -> bool:
    """Whether the worker that took a job is dead: unregistered, or a dead process here."""
    from rq import Worker

    if not worker_name:
        return True
    worker = Worker.find_by_key(f"{Worker.redis_worker_namespace_prefix}{worker_name}", connection)
    if worker is None:
        return True
    if worker.hostname == socket.gethostname() and worker.pid and not _pid_alive(worker.pid):
        return True
    return False


def reclaim_abandoned(queues: list[str] | None = None) -> list[str]:
    """Hand the started jobs of dead workers to RQ's abandoned-job handling, now.

    RQ retries them (their ``Retry``) or fails them, and runs their failure callbacks, exactly
    as it does when their heartbeat expires: this only makes "expires" happen at once for a
    worker known to be dead. Returns the ids of the jobs handed over.
    """
    import django_rq
    from rq.job import Job
    from rq.registry import StartedJobRegistry

    reclaimed = []
    for name in queues or worker_queue_names():
        queue = django_rq.get_queue(name)
        registry = StartedJobRegistry(queue=queue)
        connection = queue.connection
        found = []
        for member in connection.zrange(registry.key, 0, -1):
            job_id_ = member.decode().partition(":")[0]
            try:
                job = Job.fetch(job_id_, connection=connection)
            except Exception:  # noqa: BLE001  (gone meanwhile: RQ's cleanup skips it too)
                continue
            if worker_is_gone(job.worker_name, connection):
                connection.zadd(registry.key, {member: 0}, xx=True)
                found.append(job_id_)
        if found:
            registry.cleanup()
            reclaimed += found
    if reclaimed:
        log.warning("reclaimed jobs of dead workers: %s", ", ".join(reclaimed))
    return reclaimed


def sweep() -> dict:
    """Periodic: reclaim dead workers' jobs; queue again Files left waiting with no job.

    Registered in :data:`eoffice.jobs.cron.PERIODIC_JOBS` (every minute).
    """
    from eoffice.doctype.file import File, OcrStatus

    reclaimed = reclaim_abandoned([queue_name(QUEUE)])
    requeued = []
    if settings.JOBS_MODE != "inline":
        cutoff = timezone.now() - STALE_AFTER
        waiting = File.objects.filter(
            ocr_status__in=[OcrStatus.PENDING, OcrStatus.RUNNING], modified__lt=cutoff
        ).values_list("name", "page_count")
        for name, page_count in waiting[:500]:
            if not jobs_alive(name, page_count or 0):
                _send(run, name, job_id=job_id(name), after_commit=False)
                requeued.append(name)
    return {"reclaimed": reclaimed, "requeued": requeued}


def jobs_alive(name: str, page_count: int = 0) -> bool:
    """Whether any job reading the File ``name`` is waiting or running."""
    from rq.job import Job

    ids = [job_id(name), job_id(name, "pdf")]
    ids += [job_id(name, f"p{index:04d}") for index in range(2, page_count + 1)]
    connection = get_queue(QUEUE).connection
    for job in Job.fetch_many(ids, connection=connection):
        if job is not None and job.get_status(refresh=False) in ALIVE:
            return True
    return False
