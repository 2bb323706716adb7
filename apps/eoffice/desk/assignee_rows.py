"""The rows of a direction on one screen: who (a unit or a person), which role, by when.

The direction form ("Phân công", "Chuyển xử lý") and the task form ("Giao việc") share these
rows. They post as ``row-<i>-handling_role``, ``row-<i>-unit`` (the unit's name, its key),
``row-<i>-user`` (an e-mail), ``row-<i>-deadline`` (dd/mm/yyyy) and ``row-<i>-note``, with
``rows`` the number of rows. The desk only reads what was typed; the rules across rows
(exactly one "Chủ trì", no one twice, deadlines not before the document arrived, a person
belongs to the unit named) are the assignment module's, checked when the action runs. Its
message names the row ("Dòng 2 của danh sách xử lý: …"), which the page marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from eoffice.constants import HandlingRole
from eoffice.desk.fields import format_date, parse_date
from eoffice.desk.labels import choice_label

ROW_FIELDS = ("handling_role", "unit", "user", "deadline", "note")
#: Blank rows a form offers beyond the filled ones (pages without scripts add rows by these).
SPARE_ROWS = 2
MAX_ROWS = 200
ROW_IN_MESSAGE = re.compile(r"^Dòng (\d+)(?: của danh sách xử lý)?")


@dataclass
class Row:
    handling_role: str = HandlingRole.COOPERATE.value
    unit: str = ""
    user: str = ""
    deadline: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    error: str = ""  # a message about the whole row (from the assignment rules)

    @property
    def blank(self) -> bool:
        return not self.unit.strip() and not self.user.strip()


def role_choices() -> list[tuple[str, str]]:
    return [(v, choice_label(v)) for v in HandlingRole.values]


def from_post(data) -> list[Row]:
    """The rows as posted (blank ones included, in order)."""
    try:
        count = min(int(data.get("rows", 0)), MAX_ROWS)
    except (TypeError, ValueError):
        count = 0
    rows = []
    for i in range(count):
        values = {f: (data.get(f"row-{i}-{f}") or "").strip() for f in ROW_FIELDS}
        rows.append(Row(**values))
    return rows


def filled(rows: list[Row]) -> list[Row]:
    return [r for r in rows if not r.blank]


def with_spares(rows: list[Row], deadline: str, spare: int = SPARE_ROWS) -> list[Row]:
    """``rows`` and some blank ones after them (each with the default deadline)."""
    return rows + [Row(deadline=deadline) for _ in range(spare)]


def check_typing(rows: list[Row], unit_names: dict[str, str], emails: set[str]) -> bool:
    """Mark what cannot be read (a date, an unknown unit or person); True when all can."""
    ok = True
    for row in rows:
        if row.handling_role not in HandlingRole.values:
            row.errors["handling_role"] = _("Chọn vai trò: Chủ trì, Phối hợp hoặc Nhận để biết.")
        if row.unit and row.unit not in unit_names:
            row.errors["unit"] = _("Không có đơn vị này trong danh sách.")
        if row.user and row.user.lower() not in emails:
            row.errors["user"] = _(
                "Không tìm thấy người «%(who)s»; chọn trong danh sách gợi ý."
            ) % {"who": row.user}
        if row.deadline and parse_date(row.deadline) is None:
            row.errors["deadline"] = _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")
        ok = ok and not row.errors
    return ok


def to_wire(rows: list[Row]) -> list[dict]:
    """The rows as the workflow action takes them (the wire format of ``assignees``)."""
    out = []
    for row in rows:
        item = {"handling_role": row.handling_role}
        if row.unit:
            item["unit"] = row.unit
        if row.user:
            item["user"] = row.user.lower()
        day = parse_date(row.deadline)
        if day:
            item["deadline"] = day.isoformat()
        if row.note:
            item["note"] = row.note
        out.append(item)
    return out


def from_document(doc) -> list[Row]:
    """The rows a document already holds (a PUT by an API client, or a saved draft)."""
    rows = []
    for r in doc.assignees.select_related("unit", "user").all():
        rows.append(
            Row(
                handling_role=r.handling_role,
                unit=r.unit.name if r.unit_id else "",
                user=r.user.email if r.user_id else "",
                deadline=format_date(r.deadline),
                note=r.note,
            )
        )
    return rows


def mark_error(rows: list[Row], message: str) -> bool:
    """Put the assignment rules' message on the row it names ("Dòng 2 …"); True if one did."""
    m = ROW_IN_MESSAGE.match(message or "")
    if not m:
        return False
    i = int(m.group(1)) - 1
    if 0 <= i < len(rows):
        rows[i].error = message
        return True
    return False


def add_group(rows: list[Row], names: list[str], role: str, deadline: str) -> int:
    """Append a row for each unit of ``names`` not named yet; how many were added."""
    present = {r.unit for r in rows}
    added = 0
    for name in names:
        if name not in present:
            rows.append(Row(handling_role=role, unit=name, deadline=deadline))
            added += 1
    return added
