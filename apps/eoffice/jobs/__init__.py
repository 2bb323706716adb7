"""Background jobs: one way to enqueue, after the transaction commits, on the site's queues.

Queues by latency: ``short`` (notifications), ``default``, ``long`` (exports, rebuilds) and
``ocr``. Queue names carry the site name (``<site>.default``), so sites sharing one Redis never
run each other's jobs. With ``"background_jobs": "inline"`` in site_config.json (the embedded
default without Redis) the same job functions run in the web process after commit.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def queue_name(queue: str = "default") -> str:
    """The RQ queue name of this site for a latency class."""
    if queue not in settings.JOB_QUEUES:
        raise ValueError(f"unknown queue {queue!r}; queues are {settings.JOB_QUEUES}")
    return f"{settings.SITE_NAME or 'nosite'}.{queue}"


def site_job_id(key: str) -> str:
    """A job id that is unique to this site: RQ's job ids are global to the Redis server, so
    two sites (or two test runs) sharing one Redis must never take each other's ids."""
    # RQ allows only letters, digits, "_" and "-" in a job id.
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", settings.SITE_NAME or "nosite") + "--"
    return key if key.startswith(prefix) else prefix + key


def get_queue(queue: str = "default"):
    import django_rq

    return django_rq.get_queue(queue_name(queue))


def enqueue(func, *args, queue: str = "default", job_id: str | None = None, **kwargs):
    """Run ``func(*args, **kwargs)`` in a worker once the current transaction commits.

    A job id makes the enqueue idempotent: a job with the same id is not queued twice while
    it waits. Returns nothing; the job runs whether or not the caller is still there.
    """

    if job_id:
        job_id = site_job_id(job_id)

    def _send():
        if settings.JOBS_MODE == "inline":
            try:
                func(*args, **kwargs)
            except Exception:  # the request that caused it has committed already
                log.exception("inline job %s failed", getattr(func, "__name__", func))
            return
        q = get_queue(queue)
        if job_id:
            from rq.exceptions import NoSuchJobError
            from rq.job import Job

            try:
                existing = Job.fetch(job_id, connection=q.connection)
                if existing.get_status(refresh=True) in ("queued", "deferred", "scheduled"):
                    return
            except NoSuchJobError:
                pass
        q.enqueue(func, *args, job_id=job_id, **kwargs)

    transaction.on_commit(_send)


def worker_queue_names() -> list[str]:
    """All of this site's queues, most urgent first (the order a worker serves them)."""
    return [queue_name(q) for q in settings.JOB_QUEUES]
