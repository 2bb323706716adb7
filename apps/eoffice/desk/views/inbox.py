"""The inboxes: "Việc của tôi", "Việc của đơn vị", "Nhận để biết", "Chờ chỉ đạo".

An inbox is a home page section seen as a list: its blocks are the tabs (each with its count)
and ``?view=<block key>`` picks one, so the number on the home page, the tab and the list are
the same query (:meth:`eoffice.desk.home.Block.queryset`). ``/app/assignment?view=<key>``
shows any assignment block the same way (e.g. a leader's "Nhiệm vụ quá hạn").

Rows are read with a bounded number of queries: the page of assignments (with unit and
people joined), then the documents and tasks they refer to, one query per DocType.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.constants import HandlingRole, Urgency
from eoffice.desk import actions as desk_actions
from eoffice.desk import pickers
from eoffice.desk.access import doc_url, references
from eoffice.desk.badges import deadline_badge, row_badges
from eoffice.desk.context import render_desk
from eoffice.desk.home import SECTIONS, Block, find_block, format_count, load_sections
from eoffice.desk.labels import choice_label
from eoffice.doctype.assignment import OPEN_STATUSES

PAGE_SIZE = 25


@dataclass(frozen=True)
class Inbox:
    slug: str
    section: str
    title: str
    intro: str
    active: str


INBOXES = {
    "mine": Inbox(
        "mine",
        "officer.mine",
        gettext_lazy("Việc của tôi"),
        gettext_lazy("Việc anh/chị chủ trì hoặc phối hợp, hạn gần nhất trước."),
        "inbox_mine",
    ),
    "unit": Inbox(
        "unit",
        "unit.work",
        gettext_lazy("Việc của đơn vị"),
        gettext_lazy("Việc giao cho đơn vị: giao cho cán bộ, theo dõi ai đang giữ việc gì."),
        "inbox_unit",
    ),
    "inform": Inbox(
        "inform",
        "officer.inform",
        gettext_lazy("Nhận để biết"),
        gettext_lazy("Văn bản gửi để biết; mở văn bản là đã đọc."),
        "inbox_inform",
    ),
    "direction": Inbox(
        "direction",
        "leader.direction",
        gettext_lazy("Chờ chỉ đạo"),
        gettext_lazy("Văn bản văn thư đã trình, chờ ý kiến chỉ đạo và phân công."),
        "inbox_direction",
    ),
}

#: Tabs of an inbox that are not home page counts (the home page shows only what is to do).
EXTRA_TABS = {
    "officer.inform": [
        Block(
            key="inbox.inform_read",
            label=gettext_lazy("Đã đọc"),
            doctype="Assignment",
            query=lambda user, qs: qs.filter(
                assigned_to=user, handling_role=HandlingRole.INFORM, read_on__isnull=False
            ),
            order_by=("-read_on",),
        )
    ],
}


@dataclass
class Tab:
    block: Block
    count: int
    url: str
    current: bool

    @property
    def label(self):
        return self.block.label

    @property
    def value(self) -> str:
        return format_count(self.count)


def _tabs(section_key: str, base: str, current: Block, user) -> list[Tab]:
    blocks = list(SECTIONS[section_key].blocks) + EXTRA_TABS.get(section_key, [])
    if current.key not in {b.key for b in blocks}:
        blocks.append(current)
    return [
        Tab(b, b.queryset(user).count(), f"{base}?view={b.key}", b.key == current.key)
        for b in blocks
    ]


def _find(key: str, section_key: str | None = None) -> Block | None:
    block = find_block(key)
    if block is None and section_key:
        block = next((b for b in EXTRA_TABS.get(section_key, []) if b.key == key), None)
    if block is None:
        for extra in EXTRA_TABS.values():
            block = block or next((b for b in extra if b.key == key), None)
    return block


def _section_of(key: str) -> str | None:
    for section in SECTIONS.values():
        if any(b.key == key for b in section.blocks):
            return section.key
    for section_key, blocks in EXTRA_TABS.items():
        if any(b.key == key for b in blocks):
            return section_key
    return None


@dataclass
class AssignmentRow:
    a: object
    ref: object
    url: str | None
    actions: list

    @property
    def role(self) -> str:
        return choice_label(self.a.handling_role)

    @property
    def role_tone(self) -> str:
        from eoffice.desk.document_page import ROLE_TONES

        return ROLE_TONES.get(self.a.handling_role, "")

    @property
    def badges(self):
        out = []
        if self.ref is not None:
            out += [b for b in row_badges(self.ref) if b.tone in ("urgent", "secret")]
        b = deadline_badge(self.a.deadline, done=not self.a.is_open)
        if b:
            out.append(b)
        return out

    @property
    def urgent(self) -> bool:
        return getattr(self.ref, "urgency", Urgency.NORMAL) != Urgency.NORMAL

    @property
    def reference_label(self) -> str:
        ref = self.ref
        if ref is None:
            return self.a.reference_name
        number = getattr(ref, "document_number", "") or ""
        arrival = getattr(ref, "arrival_number", None)
        head = f"{number}" if number else ""
        if arrival:
            head = _("Số đến %(n)s · %(number)s") % {"n": arrival, "number": number}
        return head

    @property
    def reference_title(self) -> str:
        ref = self.ref
        if ref is None:
            return self.a.reference_name
        return getattr(ref, "summary", None) or getattr(ref, "title", None) or str(ref)

    @property
    def status(self) -> str:
        return _(self.a.status)


def assignment_rows(assignments, user, with_hand_down: bool = False) -> list[AssignmentRow]:
    """Rows of assignments with the document or task each refers to (one query per DocType)."""
    refs = references(user, assignments)
    officers_cache: dict = {}

    def officers(unit, who):
        if unit is None:
            return []
        if unit.pk not in officers_cache:
            officers_cache[unit.pk] = pickers.officers_of(unit, exclude=who)
        return officers_cache[unit.pk]

    rows = []
    for a in assignments:
        ref = refs.get((a.reference_doctype, a.reference_name))
        acts = []
        if with_hand_down:
            acts = [
                x
                for x in desk_actions.assignment_actions(
                    a, user, lambda op, a=a: f"/app/assignment/{a.name}/{op}", officers=officers
                )
                if x.key == "hand_down"
            ]
        rows.append(
            AssignmentRow(
                a,
                ref,
                doc_url(a.reference_doctype, a.reference_name) if ref is not None else None,
                acts,
            )
        )
    return rows


def _assignment_page(request, block: Block, section_key: str | None, base: str, inbox=None):
    user = request.user
    qs = block.queryset(user).select_related("unit", "assigned_to", "assigned_by")
    if not qs.query.order_by:
        qs = qs.order_by("deadline", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    unit_inbox = section_key == "unit.work"
    rows = assignment_rows(list(page.object_list), user, with_hand_down=unit_inbox)
    for row in rows:
        for x in row.actions:
            x.hidden["next"] = request.get_full_path()
    people = None
    if unit_inbox:
        from eoffice.desk.sections import unit_people

        people = unit_people(user)
    return render_desk(
        request,
        "desk/inbox/assignments.html",
        {
            "title": inbox.title if inbox else block.label,
            "intro": inbox.intro if inbox else "",
            "block": block,
            "tabs": _tabs(section_key, base, block, user) if section_key else [],
            "rows": rows,
            "page": page,
            "people": people,
            "unit_inbox": unit_inbox,
            # In one's own inboxes the holder is oneself: no column for it.
            "show_holder": section_key not in ("officer.mine", "officer.inform"),
            "base_url": base,
            "query_without_page": f"view={block.key}",
        },
        active=inbox.active if inbox else "",
    )


def _direction_page(request, block: Block, base: str, inbox: Inbox):
    from eoffice.desk.views.incoming import format_arrival

    user = request.user
    qs = block.queryset(user).select_related("document_type", "leader")
    page = Paginator(qs.order_by("arrival_date", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    # Urgent ones first on the page ("Khẩn" and above: at once), then in order of arrival.
    docs = sorted(page.object_list, key=lambda d: d.urgency == Urgency.NORMAL)
    rows = [
        {
            "doc": d,
            "arrival": format_arrival(d),
            "badges": row_badges(d),
            "urgent": d.urgency != Urgency.NORMAL,
            "url": doc_url("Incoming Document", d.name),
        }
        for d in docs
    ]
    return render_desk(
        request,
        "desk/inbox/direction.html",
        {
            "title": inbox.title,
            "intro": inbox.intro,
            "block": block,
            "tabs": _tabs(inbox.section, base, block, user),
            "rows": rows,
            "page": page,
            "query_without_page": f"view={block.key}",
        },
        active=inbox.active,
    )


@login_required
def inbox(request, slug: str):
    """``/app/inbox/<mine|unit|inform|direction>``."""
    load_sections()
    box = INBOXES.get(slug)
    if box is None or box.section not in SECTIONS:
        raise Http404(_("Không có hộp việc này."))
    section = SECTIONS[box.section]
    view = request.GET.get("view")
    block = _find(view, box.section) if view else None
    if block is None or block.doctype != section.blocks[0].doctype:
        block = section.blocks[0]
    base = f"/app/inbox/{slug}"
    if block.doctype == "Incoming Document":
        return _direction_page(request, block, base, box)
    return _assignment_page(request, block, box.section, base, box)


@login_required
def assignment_list(request):
    """``/app/assignment``: assignments the person may read; ``?view=`` one home block."""
    load_sections()
    view = request.GET.get("view")
    block = _find(view) if view else None
    if block is None or block.doctype != "Assignment":
        block = Block(
            key="",
            label=gettext_lazy("Việc đang giao xử lý"),
            doctype="Assignment",
            query=lambda user, qs: qs.filter(status__in=list(OPEN_STATUSES)),
            order_by=("deadline", "id"),
        )
    return _assignment_page(request, block, _section_of(block.key), "/app/assignment")
