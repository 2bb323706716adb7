"""Periodic jobs, scheduled by RQ's own CronScheduler (``eoffice scheduler``).

Later parts of the product add their periodic work to :data:`PERIODIC_JOBS` as
``(dotted function path, queue, {"interval": seconds} or {"cron": "m h dom mon dow"})``.
"""

from __future__ import annotations

from importlib import import_module

PERIODIC_JOBS: list[tuple[str, str, dict]] = [
    # OCR: reclaim jobs of killed workers, queue again Files left waiting (eoffice.jobs.ocr).
    ("eoffice.jobs.ocr.sweep", "short", {"interval": 60}),
    # Search: apply index changes still pending (a safety net; each change queues a flush).
    ("eoffice.search.jobs.flush", "short", {"interval": 60}),
]


def _resolve(path: str):
    module, _, attr = path.rpartition(".")
    return getattr(import_module(module), attr)


def _extra_jobs_from_environment() -> list[tuple[str, str, dict]]:
    """``EOFFICE_TEST_PERIODIC="dotted.func:queue:seconds"``: lets tests register a job."""
    import os

    spec = os.environ.get("EOFFICE_TEST_PERIODIC")
    if not spec:
        return []
    path, queue, seconds = spec.split(":")
    return [(path, queue, {"interval": int(seconds), "args": ("CRON-",)})]


def build_scheduler(connection, name: str = ""):
    """A CronScheduler with every periodic job of this site registered on its queues."""
    from rq.cron import CronScheduler

    from eoffice.jobs import queue_name

    scheduler = CronScheduler(connection=connection, name=name)
    for path, queue, when in PERIODIC_JOBS + _extra_jobs_from_environment():
        scheduler.register(_resolve(path), queue_name=queue_name(queue), **when)
    return scheduler
