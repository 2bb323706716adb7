"""What the desk's pickers offer: leaders to submit to, officers to hand to, units and people
to assign, groups of units ("all communes").

These only gather choices for a form; whether a choice is allowed is decided by the doctype
functions and the workflow engine when the person acts (a unit head handing work to someone
outside the unit is refused there, with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Role, UnitKind
from eoffice.permissions import LEADING_ROLES


@dataclass
class Person:
    email: str
    full_name: str
    unit_name: str = ""
    title: str = ""

    @property
    def label(self) -> str:
        """ "Phạm Thị Lan — Chuyên viên, Phòng Tài nguyên và Môi trường"."""
        where = ", ".join(x for x in (self.title, self.unit_name) if x)
        return f"{self.full_name} — {where}" if where else self.full_name


def _people(members) -> list[Person]:
    seen: dict[str, Person] = {}
    for m in members:
        if m.user.email not in seen:
            seen[m.user.email] = Person(
                m.user.email, m.user.full_name, m.unit.unit_name, m.title or ""
            )
    return list(seen.values())


def leaders_of(unit) -> list[Person]:
    """Who a clerk submits a document of ``unit`` to: its leaders, "Lãnh đạo" first, and those
    a leading role is delegated to today."""
    from eoffice.doctype.organization import Delegation, UnitMember

    members = (
        UnitMember.objects.filter(unit=unit, role__in=LEADING_ROLES, user__is_active=True)
        .select_related("user", "unit")
        .order_by("role", "user__full_name")
    )
    people = _people(members)
    day = timezone.localdate()
    for d in Delegation.objects.filter(
        unit=unit, role__in=LEADING_ROLES, revoked=False, from_date__lte=day, to_date__gte=day
    ).select_related("delegate", "unit"):
        if d.delegate.email not in {p.email for p in people}:
            people.append(
                Person(d.delegate.email, d.delegate.full_name, d.unit.unit_name, str(_("ủy quyền")))
            )
    return people


def officers_of(unit, exclude=None) -> list[Person]:
    """The people of ``unit`` and the units below it, a unit head's choices to hand work to."""
    from eoffice.doctype.organization import UnitMember

    members = (
        UnitMember.objects.filter(unit__path__startswith=unit.path, user__is_active=True)
        .exclude(role=Role.ADMIN)
        .select_related("user", "unit")
        .order_by("unit__path", "user__full_name")
    )
    if exclude is not None:
        members = members.exclude(user=exclude)
    return _people(members)


#: Groups of units a leader adds in one go, by the kinds of unit they hold.
GROUPS = [
    ("communes", _("Tất cả xã, thị trấn"), (UnitKind.COMMUNE, UnitKind.TOWN)),
    ("departments", _("Tất cả phòng ban"), (UnitKind.DEPARTMENT,)),
    ("coordinating", _("Tất cả đơn vị hiệp quản"), (UnitKind.COORDINATING,)),
]
UNIT_KIND_GROUP_LABELS = {
    UnitKind.DEPARTMENT: _("Phòng ban"),
    UnitKind.COMMUNE: _("Xã, thị trấn"),
    UnitKind.TOWN: _("Xã, thị trấn"),
    UnitKind.COORDINATING: _("Đơn vị hiệp quản"),
    UnitKind.AGENCY: _("Cơ quan"),
}


@dataclass
class UnitChoices:
    """The units and people a direction may name, for one responsible unit."""

    optgroups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    groups: list[tuple[str, str, list[str]]] = field(default_factory=list)  # key, label, names
    people: list[Person] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)

    def group(self, key: str) -> list[str]:
        return next((names for k, _label, names in self.groups if k == key), [])


def direction_choices(responsible_unit) -> UnitChoices:
    """Units below the agency that directs (grouped by kind) and the people of them all."""
    from eoffice.doctype.organization import OrganizationUnit, UnitMember

    choices = UnitChoices()
    if responsible_unit is None:
        return choices
    agency = responsible_unit.agency()
    units = list(
        OrganizationUnit.objects.filter(path__startswith=agency.path, is_active=True)
        .exclude(pk=agency.pk)
        .order_by("sort_order", "unit_name")
    )
    by_label: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        label = str(UNIT_KIND_GROUP_LABELS.get(unit.kind, _("Khác")))
        by_label.setdefault(label, []).append((unit.name, unit.unit_name))
        choices.unit_names[unit.name] = unit.unit_name
    order = [str(x) for x in dict.fromkeys(UNIT_KIND_GROUP_LABELS.values())]
    choices.optgroups = sorted(
        by_label.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
    )
    for key, label, kinds in GROUPS:
        names = [u.name for u in units if u.kind in kinds]
        if names:
            choices.groups.append((key, str(label), names))
    members = (
        UnitMember.objects.filter(
            Q(unit__path__startswith=agency.path), user__is_active=True, unit__is_active=True
        )
        .exclude(role=Role.ADMIN)
        .select_related("user", "unit")
        .order_by("unit__path", "user__full_name")
    )
    choices.people = _people(members)
    return choices


def units_led_by(user) -> list:
    """The units where ``user`` is a leader today, the units a task is given in the name of."""
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import memberships

    ids = [u for u, r in memberships(user) if r in LEADING_ROLES]
    units = {u.pk: u for u in OrganizationUnit.objects.filter(pk__in=ids, is_active=True)}
    return [units[i] for i in dict.fromkeys(ids) if i in units]
