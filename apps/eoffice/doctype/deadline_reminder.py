"""Deadline Reminder: the record that a reminder was sent, so that it is sent only once.

Before the sweep notifies anyone about an assignment it inserts a row (assignment, kind,
window) — the window is the deadline the reminder is about, so an extension (a new deadline)
earns a new reminder and nothing else does. The digest and the clerk's reminder are per person
and day: (recipient, kind, window). Unique constraints decide who sends: two sweeps at once,
a second run, or a restart find the row there and send nothing (:func:`claim`).

The rows are inserted with the notifications in one transaction: either both are stored, or
neither, and the next sweep tries again.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "Sắp đến hạn"
    OVERDUE = "Quá hạn"
    ESCALATION = "Quá hạn kéo dài"
    DIGEST = "Tổng hợp hằng ngày"
    CLERK = "Văn bản chờ văn thư"


class DeadlineReminder(models.Model):
    """One reminder sent: about an assignment, or to a person (digest, clerk)."""

    kind = models.CharField(_("Loại nhắc việc"), max_length=30, choices=ReminderKind.choices)
    window = models.DateField(_("Kỳ nhắc"))
    assignment = models.ForeignKey(
        "eoffice.Assignment",
        verbose_name=_("Giao xử lý"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    run = models.CharField(max_length=32, editable=False)  # the sweep that inserted it
    created = models.DateTimeField(_("Ngày gửi"), auto_now_add=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Nhắc việc đã gửi")
        verbose_name_plural = _("Nhắc việc đã gửi")
        constraints = [
            # NULLs never clash in a unique index: each constraint binds only its own rows.
            models.UniqueConstraint(
                fields=["assignment", "kind", "window"], name="reminder_once_per_assignment"
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "window"], name="reminder_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.window:%d/%m/%Y} ({self.assignment_id or self.recipient_id})"


def new_run() -> str:
    """A token naming one sweep's inserts."""
    return secrets.token_hex(8)


def claim(kind: str, items: list[tuple[int, object]], *, by: str = "assignment") -> set[int]:
    """Insert the reminders ``(target id, window)`` of ``kind``; return the ids this call won.

    ``by`` is ``"assignment"`` or ``"recipient"``. Rows already there (sent before, or being
    sent by a concurrent sweep, which this waits for) are skipped by the unique constraint;
    the ones this call inserted are read back by its run token. Call inside the transaction
    that also stores the notifications.
    """
    if not items:
        return set()
    run = new_run()
    field = f"{by}_id"
    rows = [
        DeadlineReminder(kind=kind, window=window, run=run, **{field: target})
        for target, window in sorted(items, key=lambda t: (t[0], t[1]))
    ]
    DeadlineReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    won = DeadlineReminder.objects.filter(
        kind=kind, run=run, **{f"{field}__in": [t for t, _w in items]}
    ).values_list(field, flat=True)
    return set(won)
