"""Periodic jobs of deadlines and notifications, registered in :data:`eoffice.jobs.cron.PERIODIC_JOBS`.

Each is safe to run twice or at once on two workers: reminders are claimed by unique rows
(:mod:`eoffice.doctype.deadline_reminder`), e-mails by their status.
"""

from __future__ import annotations


def sweep() -> dict:
    """The deadline sweep (:func:`eoffice.deadlines.sweep.sweep`) for today."""
    from eoffice.deadlines.sweep import sweep as run

    return run()


def digest() -> int:
    """The morning digest (:func:`eoffice.deadlines.sweep.digest`) for today."""
    from eoffice.deadlines.sweep import digest as run

    return run()


def send_emails() -> int:
    """Send e-mails still waiting (a safety net: each notification queues its own send), and
    give up on those a dead sender left half-sent."""
    from eoffice.doctype.notification import release_stuck_emails, send_pending_emails

    release_stuck_emails()
    return send_pending_emails()
