"""What a document page shows: its files, its assignments as a tree, its timeline, its buttons.

Shared by the incoming document's page and the task's page (both are handled through
Assignments). Everything is read with a fixed number of queries whatever the size of the tree
or the timeline: the assignments in one query, their extension requests in one, the timeline
through :func:`eoffice.doctype.comment.get_timeline`, the people it names in one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.constants import HandlingRole
from eoffice.desk import actions as desk_actions
from eoffice.desk import pickers
from eoffice.desk.access import DOCUMENT_PAGES
from eoffice.desk.badges import Badge, deadline_badge
from eoffice.desk.labels import choice_label

#: Tones of an assignment's status (colour AND the status in words).
STATUS_TONES = {
    "Chờ xử lý": "info",
    "Đang xử lý": "info",
    "Hoàn thành": "ok",
    "Đã thu hồi": "muted",
    "Đã kết thúc": "muted",
}
ROLE_TONES = {
    HandlingRole.LEAD.value: "lead",
    HandlingRole.COOPERATE.value: "cooperate",
    HandlingRole.INFORM.value: "inform",
}
#: Tones of a workflow state, from the workflow file's ``style`` (Frappe's indicator names).
STYLE_TONES = {
    "Warning": "due-soon",
    "Danger": "overdue",
    "Info": "info",
    "Primary": "info",
    "Success": "ok",
    "Inverse": "muted",
}


def state_badge(doc) -> Badge:
    """The document's workflow state as a badge with its label from the workflow file."""
    from eoffice.workflows.engine import current_state, get_workflow

    wf = get_workflow(doc._doctype.name)
    state = getattr(doc, "workflow_state", "")
    if wf is None:
        return Badge("info", state)
    state = current_state(wf, doc)
    style = wf.states[state].style if state in wf.states else ""
    return Badge(STYLE_TONES.get(style, "info"), choice_label(wf.label_of(state)))


def doc_base_url(doc) -> str:
    return f"/app/{DOCUMENT_PAGES[doc._doctype.name]}/{doc.name}"


# ---------------------------------------------------------------------------------------
# Assignments


@dataclass
class AssignmentNode:
    """One assignment on the page, with its children, extensions and the person's buttons."""

    a: object
    children: list[AssignmentNode] = field(default_factory=list)
    extensions: list = field(default_factory=list)
    pending: object = None
    actions: list = field(default_factory=list)

    @property
    def role_tone(self) -> str:
        return ROLE_TONES.get(self.a.handling_role, "")

    @property
    def role_label(self) -> str:
        return choice_label(self.a.handling_role)

    @property
    def status_badge(self) -> Badge:
        return Badge(STATUS_TONES.get(self.a.status, "info"), choice_label(self.a.status))

    @property
    def deadline_badge(self) -> Badge | None:
        return deadline_badge(self.a.deadline, done=not self.a.is_open)

    @property
    def outcome_badge(self) -> Badge | None:
        if not self.a.outcome:
            return None
        tone = "overdue" if self.a.outcome == "Hoàn thành quá hạn" else "ok"
        return Badge(tone, choice_label(self.a.outcome))

    @property
    def extended(self) -> bool:
        return self.a.deadline != self.a.original_deadline


def _officers_cache():
    cache: dict = {}

    def officers(unit, user):
        if unit is None:
            return []
        if unit.pk not in cache:
            cache[unit.pk] = pickers.officers_of(unit, exclude=user)
        return cache[unit.pk]

    return officers


def assignment_tree(doc, user, with_actions: bool = True) -> list[AssignmentNode]:
    """The assignments of ``doc`` as a tree (hand-downs under their parent), oldest first,
    each with the buttons ``user`` gets on it."""
    from eoffice.doctype.assignment import ExtensionRequest, ExtensionStatus, assignments_of

    rows = list(
        assignments_of(doc)
        .select_related("unit", "assigned_to", "assigned_by", "recalled_by")
        .order_by("id")
    )
    nodes = {a.pk: AssignmentNode(a) for a in rows}
    for x in (
        ExtensionRequest.objects.filter(assignment__in=[a.pk for a in rows])
        .select_related("requested_by", "decided_by")
        .order_by("id")
    ):
        node = nodes[x.assignment_id]
        node.extensions.append(x)
        if x.status == ExtensionStatus.PENDING:
            node.pending = x
    officers = _officers_cache()
    roots = []
    for a in rows:
        node = nodes[a.pk]
        if with_actions:
            node.actions = desk_actions.assignment_actions(
                a,
                user,
                lambda op, a=a: f"/app/assignment/{a.name}/{op}",
                officers=officers,
                pending=node.pending,
            )
        if a.parent_assignment_id and a.parent_assignment_id in nodes:
            nodes[a.parent_assignment_id].children.append(node)
        else:
            roots.append(node)
    order = {HandlingRole.LEAD: 0, HandlingRole.COOPERATE: 1, HandlingRole.INFORM: 2}
    roots.sort(key=lambda n: (order.get(n.a.handling_role, 3), n.a.pk))
    return roots


def flatten(nodes) -> list[AssignmentNode]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.children))
    return out


# ---------------------------------------------------------------------------------------
# Timeline


@dataclass
class TimelineEntry:
    time: datetime.datetime
    kind: str  # what happened, as the reader reads it
    tone: str  # created, workflow, assignment, progress, extension, comment, recall, done
    who: str = ""
    text: str = ""
    detail: str = ""
    lines: list[str] = field(default_factory=list)  # what one transition did (assignments)


#: Comments the doctype writes beside an event that the timeline already shows in full.
_ECHO_COMMENT_TYPES = {"Extension", "Recall"}
#: Assignment events this close before a transition were made by it (same transaction).
_SAME_STEP = datetime.timedelta(seconds=5)


def _assignment_event(e, when, who, assignments) -> TimelineEntry:
    a = assignments.get(e.get("assignment"))
    content = e.get("content") or ""
    event = e.get("event")
    if event == "recalled":
        return TimelineEntry(when, _("Thu hồi"), "recall", who, content)
    if event == "completed":
        if a is None:
            return TimelineEntry(when, _("Hoàn thành phần việc"), "done", "", content)
        holder = a.handler_label()
        if a.handling_role == HandlingRole.INFORM:
            return TimelineEntry(when, _("Đã đọc"), "done", holder, _("Nhận để biết"))
        if a.status == "Đã kết thúc":
            return TimelineEntry(when, _("Kết thúc phần việc"), "done", holder, _("Đã kết thúc"))
        return TimelineEntry(
            when, _("Hoàn thành phần việc"), "done", holder, choice_label(a.outcome or a.status)
        )
    return TimelineEntry(when, _("Giao việc"), "assignment", who, content)


def timeline(doc, assignments=()) -> list[TimelineEntry]:
    """The document's history, oldest first: its creation, transitions (with the assignments
    each made or closed), progress reports, extension requests and answers, comments.

    ``assignments`` (the document's Assignment rows, already read for the tree) name who an
    event was about.
    """
    from eoffice.doctype.comment import get_timeline
    from eoffice.doctype.user import User

    raw = get_timeline(doc)
    by_name = {a.name: a for a in assignments}
    emails = {e.get("by") for e in raw if e.get("by") and not e.get("by_name")}
    if doc.owner:
        emails.add(doc.owner)
    names = dict(User.objects.filter(email__in=emails).values_list("email", "full_name"))
    created = _("Tiếp nhận văn bản") if hasattr(doc, "arrival_date") else _("Tạo công việc")
    entries = [
        TimelineEntry(doc.creation, created, "created", names.get(doc.owner, doc.owner or ""))
    ]
    pending: list[TimelineEntry] = []
    for e in raw:
        kind = e.get("kind")
        if kind in _ECHO_COMMENT_TYPES and e.get("event") is None:
            continue
        when = datetime.datetime.fromisoformat(e["time"])
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        who = e.get("by_name") or names.get(e.get("by"), e.get("by") or "")
        content = e.get("content") or ""
        if kind == "Assignment":
            pending.append(_assignment_event(e, when, who, by_name))
            continue
        if kind == "Workflow":
            entry = TimelineEntry(
                when,
                choice_label(e.get("action") or ""),
                "workflow",
                who,
                _("%(from)s → %(to)s")
                % {
                    "from": choice_label(e.get("from_state")),
                    "to": choice_label(e.get("to_state")),
                },
                content,
            )
            mine = [p for p in pending if when - p.time <= _SAME_STEP]
            entries.extend(p for p in pending if p not in mine)
            entry.lines = [f"{p.who}: {p.text}" if p.tone == "done" else p.text for p in mine]
            pending = []
            entries.append(entry)
            continue
        entries.extend(pending)
        pending = []
        part = by_name.get(e.get("assignment"))
        # Which part of the work a report or request is about ("Phối hợp · Xã Đông Dư").
        about = f"{choice_label(part.handling_role)} · {part.handler_label()}" if part else ""
        if kind == "Extension":
            label = _("Xin gia hạn") if e.get("event") == "requested" else _("Trả lời gia hạn")
            entries.append(TimelineEntry(when, label, "extension", who, about, content))
        elif kind == "Progress":
            entries.append(
                TimelineEntry(when, _("Báo cáo tiến độ"), "progress", who, about, content)
            )
        else:
            entries.append(TimelineEntry(when, _("Ý kiến"), "comment", who, content))
    entries.extend(pending)
    return entries


# ---------------------------------------------------------------------------------------
# Files


PREVIEWABLE = ("application/pdf", "image/png", "image/jpeg")


@dataclass
class FileView:
    file: object

    @property
    def is_pdf(self) -> bool:
        return self.file.mime_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return self.file.mime_type in ("image/png", "image/jpeg")

    @property
    def previewable(self) -> bool:
        return self.file.mime_type in PREVIEWABLE

    @property
    def ocr_badge(self) -> Badge | None:
        status = self.file.ocr_status
        if not status or status == "Không cần":
            return None
        tone = {"Hoàn tất": "ok", "Lỗi": "overdue"}.get(status, "info")
        return Badge(tone, _("Nhận dạng: %(status)s") % {"status": choice_label(status)})


def files_of(doc) -> list[FileView]:
    """The files attached to ``doc`` (whoever may read it may read them), oldest first."""
    from eoffice.doctype.file import File

    return [
        FileView(f)
        for f in File.objects.filter(
            attached_to_doctype=doc._doctype.name, attached_to_name=doc.name
        ).order_by("creation", "id")
    ]
