"""Badges: how urgency, deadlines and secrecy stand out, by colour AND by a text label.

Colour alone does not reach everyone (colour-blind readers, grey-scale printers), so each
badge carries its label ("Quá hạn", "Hỏa tốc"); desk.css gives each tone its colour. Templates
render a badge with ``{% include "desk/includes/badge.html" with badge=b %}``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from eoffice.constants import DeadlineState, Secrecy, Urgency
from eoffice.desk.labels import choice_label


@dataclass(frozen=True)
class Badge:
    tone: str  # one of eoffice.desk.home.TONES
    label: str


DEADLINE_TONES = {
    DeadlineState.ON_TRACK.value: "ok",
    DeadlineState.DUE_SOON.value: "due-soon",
    DeadlineState.OVERDUE.value: "overdue",
}


def urgency_badge(urgency: str | None) -> Badge | None:
    """ "Khẩn", "Thượng khẩn", "Hỏa tốc" stand out; "Thường" does not."""
    if not urgency or urgency == Urgency.NORMAL.value:
        return None
    return Badge("urgent", choice_label(urgency))


def secrecy_badge(secrecy: str | None) -> Badge | None:
    if not secrecy or secrecy == Secrecy.NORMAL.value:
        return None
    return Badge("secret", choice_label(secrecy))


def deadline_state(deadline, done: bool = False, day: datetime.date | None = None) -> str | None:
    """DOMAIN.md's deadline state of an open item: "Trong hạn", "Sắp đến hạn", "Quá hạn"."""
    if deadline is None or done:
        return None
    from eoffice.desk.sections import due_soon_until

    if isinstance(deadline, datetime.datetime):
        deadline = timezone.localtime(deadline).date()
    day = day or timezone.localdate()
    if deadline < day:
        return DeadlineState.OVERDUE.value
    if deadline <= due_soon_until(day):
        return DeadlineState.DUE_SOON.value
    return DeadlineState.ON_TRACK.value


def deadline_badge(deadline, done: bool = False) -> Badge | None:
    state = deadline_state(deadline, done)
    if state is None:
        return None
    return Badge(DEADLINE_TONES[state], choice_label(state))


def row_badges(obj) -> list[Badge]:
    """The badges of any document-like row, from the fields it has (urgency, secrecy,
    deadline with completed_on)."""
    badges = [
        urgency_badge(getattr(obj, "urgency", None)),
        secrecy_badge(getattr(obj, "secrecy", None)),
    ]
    if hasattr(obj, "deadline"):
        done = getattr(obj, "completed_on", None) is not None
        badges.append(deadline_badge(obj.deadline, done))
    return [b for b in badges if b is not None]
