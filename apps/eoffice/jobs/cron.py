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
    # Deadlines: states, reminders, escalation, clerks' reminders (eoffice.deadlines.sweep).
    ("eoffice.jobs.deadlines.sweep", "default", {"interval": 600}),
    # The morning digest at 07:00 in Việt Nam. RQ's cron reads UTC; Việt Nam is UTC+7 all year.
    ("eoffice.jobs.deadlines.digest", "default", {"cron": "0 0 * * *"}),
    # E-mails still waiting (each notification queues its own send; this is the safety net).
    ("eoffice.jobs.deadlines.send_emails", "short", {"interval": 300}),
    # edXML: packages waiting to go out, and packages dropped in the site's inbox folder.
    ("eoffice.edxml.jobs.send_pending", "short", {"interval": 60}),
    ("eoffice.edxml.jobs.process_inbox", "short", {"interval": 60}),
]


def _resolve(path: str):
    module, _, attr = path.rpartition(".")
    return getattr(import_module(module), attr)


def _extra_jobs_from_environment() -> list[tuple[str, str, dict]]:
    """``EOFFICE_TEST_PERIODIC="dotted.func:queue:seconds"``: lets tests register a job.

    Several jobs are separated by ``;``. Three parts pass the argument ``"CRON-"`` (the
    scheduler's own test); a fourth part, even empty, gives the comma-separated arguments.
    """
    import os

    spec = os.environ.get("EOFFICE_TEST_PERIODIC")
    if not spec:
        return []
    jobs = []
    for entry in filter(None, spec.split(";")):
        path, queue, seconds, *rest = entry.split(":")
        args = tuple(a for a in rest[0].split(",") if a) if rest else ("CRON-",)
        jobs.append((path, queue, {"interval": int(seconds), "args": args}))
    return jobs


def build_scheduler(connection, name: str = ""):
    """A CronScheduler with every periodic job of this site registered on its queues."""
    from rq.cron import CronScheduler

    from eoffice.jobs import queue_name

    scheduler = CronScheduler(connection=connection, name=name)
    for path, queue, when in PERIODIC_JOBS + _extra_jobs_from_environment():
        scheduler.register(_resolve(path), queue_name=queue_name(queue), **when)
    return scheduler
