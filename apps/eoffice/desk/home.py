"""The home page of each role: named sections of counts that link to the lists they count.

A :class:`Section` ("Văn bản chờ vào sổ") belongs to one role and holds :class:`Block` s. A
block counts the rows of one DocType that the user may read (through the one permission layer,
:func:`eoffice.permissions.filter_queryset`), narrowed by the block's ``query``, and links to
the list of exactly those rows (``/app/<doctype>?view=<block key>``), so the number on the home
page and the length of the list can never disagree.

A block whose DocType is not registered yet is shown as a placeholder: a feature comes to life
on the home pages when its DocType lands, without touching the desk. The sections themselves
are declared in :mod:`eoffice.desk.sections`; see docs/desk.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldError
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.text import slugify

from eoffice.constants import Role
from eoffice.desk.labels import choice_label
from eoffice.doctype.base import get_meta
from eoffice.permissions import filter_queryset, roles_of

log = logging.getLogger(__name__)

#: Tones a block or a list row can take. Each has a colour AND a text label (see desk.css).
TONES = ("", "info", "ok", "due-soon", "urgent", "overdue", "secret")

#: The order in which a person with several roles sees their parts of the home page:
#: daily document work first, administration last.
ROLE_ORDER = [Role.CLERK, Role.LEADER, Role.UNIT_LEADER, Role.OFFICER, Role.ADMIN]


def role_label(role: str) -> str:
    """The translated name of a role ("Văn thư" → "Clerk" in English)."""
    return choice_label(role)


@dataclass(frozen=True)
class Block:
    """One number on a home page, and the list it links to.

    ``query(user, queryset)`` narrows the rows of ``doctype`` that the user may read (the
    permission layer has already filtered ``queryset``). ``metric(user, queryset)`` turns the
    narrowed rows into what is shown; the default is their count. ``link`` is the desk page that
    lists them (an inbox, the register; default ``/app/<doctype>``), opened with
    ``?view=<key>``. ``admin_url`` links to a Django admin page instead (the administrator's).
    """

    key: str
    label: str
    doctype: str
    query: Callable[[object, QuerySet], QuerySet] | None = None
    tone: str = ""
    help: str = ""
    metric: Callable[[object, QuerySet], str] | None = None
    order_by: tuple[str, ...] = ()
    admin_url: str | None = None
    link: str | None = None

    def queryset(self, user) -> QuerySet:
        """The rows this block counts for ``user``: permitted, then narrowed by ``query``."""
        meta = get_meta(self.doctype)
        if meta is None:
            raise LookupError(f"DocType {self.doctype!r} is not registered")
        qs = filter_queryset(user, meta, meta.model.objects.all(), "read")
        if self.query is not None:
            qs = self.query(user, qs)
        if self.order_by:
            qs = qs.order_by(*self.order_by)
        return qs


@dataclass
class Section:
    """A named part of a role's home page ("Chờ chỉ đạo"), holding blocks.

    ``template`` renders it (the default shows the blocks as counts); a section with a custom
    template gets ``extra(user)`` in its context, e.g. the people of a unit and what they hold.
    """

    key: str
    role: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    description: str = ""
    template: str = "desk/home/section.html"
    extra: Callable[[object], dict] | None = None


#: Every section, in display order within each role. Filled by eoffice.desk.sections.
SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> Section:
    """Add (or replace, by key) a section of the home pages."""
    SECTIONS[section.key] = section
    return section


def add_block(section_key: str, block: Block) -> Block:
    """Add a block to a section, replacing a block of the same key."""
    section = SECTIONS[section_key]
    section.blocks = [b for b in section.blocks if b.key != block.key] + [block]
    return block


def load_sections() -> dict[str, Section]:
    """The registered sections, after importing the desk's own declarations."""
    import eoffice.desk.sections  # noqa: F401  (registers the sections of issue 7)

    return SECTIONS


def find_block(key: str) -> Block | None:
    """The block of that key in any section, or None."""
    load_sections()
    for section in SECTIONS.values():
        for block in section.blocks:
            if block.key == key:
                return block
    return None


def doctype_slug(doctype: str) -> str:
    """Frappe's route for a DocType: "Incoming Document" → "incoming-document"."""
    return slugify(doctype)


# ---------------------------------------------------------------------------------------
# What the templates show


@dataclass
class BlockView:
    """A block evaluated for one user: its value as displayed, its link, or why it has none."""

    block: Block
    available: bool
    value: str = "—"
    count: int | None = None
    url: str | None = None
    failed: bool = False

    @property
    def tone(self) -> str:
        """The block's tone, only when there is something to see (a zero is not alarming)."""
        return self.block.tone if self.count else ""


@dataclass
class SectionView:
    section: Section
    blocks: list[BlockView]
    extra: dict = field(default_factory=dict)

    @property
    def pending(self) -> bool:
        """True when none of the section's blocks can be computed yet (placeholders)."""
        return bool(self.blocks) and not any(b.available for b in self.blocks)


@dataclass
class RoleView:
    role: str
    sections: list[SectionView]

    @property
    def label(self) -> str:
        return role_label(self.role)


def format_count(value: int) -> str:
    """A count as the reader writes it: "4.921" in Vietnamese, "4,921" in English."""
    return number_format(value, force_grouping=True)


def evaluate(block: Block, user) -> BlockView:
    """Compute one block for ``user``; a placeholder when its DocType is not there yet."""
    if get_meta(block.doctype) is None:
        return BlockView(block=block, available=False)
    try:
        qs = block.queryset(user)
        if block.metric is not None:
            value = block.metric(user, qs)
            return BlockView(block=block, available=True, value=value, url=_url(block, user))
        count = qs.count()
    except (FieldError, LookupError, TypeError, ValueError):
        # A block written against fields its DocType does not have (yet): the home page must
        # still open. The desk test suite evaluates every block, so this shows up there.
        log.exception("Home block %s could not be computed", block.key)
        return BlockView(block=block, available=False, failed=True)
    return BlockView(
        block=block, available=True, value=format_count(count), count=count, url=_url(block, user)
    )


def _url(block: Block, user) -> str | None:
    if block.admin_url:
        if not user.is_staff:  # Django admin lets in staff only; no link that bounces
            return None
        try:
            return reverse(block.admin_url)
        except NoReverseMatch:
            return None
    return f"{block.link or '/app/' + doctype_slug(block.doctype)}?view={block.key}"


def home_for(user) -> list[RoleView]:
    """The parts of the home page ``user`` sees: one per role they hold today, in ROLE_ORDER."""
    load_sections()
    roles = roles_of(user)
    views = []
    for role in ROLE_ORDER:
        if role.value not in roles:
            continue
        sections = []
        for section in SECTIONS.values():
            if section.role != role.value:
                continue
            sections.append(
                SectionView(
                    section=section,
                    blocks=[evaluate(b, user) for b in section.blocks],
                    extra=section.extra(user) if section.extra else {},
                )
            )
        views.append(RoleView(role=role.value, sections=sections))
    return views
