"""What every desk page shows around its content: who is signed in, where, in which role.

Every desk page renders through :func:`render_desk`, which also records that the session has
been handed a CSRF token (Frappe's rule: from then on the session's unsafe API calls must send
``X-Frappe-CSRF-Token``; the page exposes the token to its scripts as ``window.csrf_token``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from eoffice.api.csrf import mark_csrf_handed
from eoffice.desk.home import role_label


@dataclass
class Post:
    """One role a person holds in one unit, as the header lists it."""

    unit: str
    role: str
    title: str = ""
    delegated_until: object = None  # a date when the role is lent by a Delegation


def posts_of(user) -> list[Post]:
    """The person's roles per unit today: their own, then those delegated to them."""
    if not user.is_authenticated:
        return []
    from eoffice.doctype.organization import Delegation, UnitMember

    posts = [
        Post(unit=m.unit.unit_name, role=role_label(m.role), title=m.title)
        for m in UnitMember.objects.filter(user=user)
        .select_related("unit")
        .order_by("-is_primary", "unit__path")
    ]
    day = timezone.localdate()
    posts += [
        Post(unit=d.unit.unit_name, role=role_label(d.role), delegated_until=d.to_date)
        for d in Delegation.objects.filter(
            delegate=user, revoked=False, from_date__lte=day, to_date__gte=day
        ).select_related("unit")
    ]
    return posts


def organisation_name() -> str:
    """The agency this install serves, for the page header: the site's ``agency_name``, else
    the only top-level unit's name, else nothing."""
    name = getattr(settings, "SITE_CONFIG", {}).get("agency_name")
    if name:
        return name
    from eoffice.doctype.organization import OrganizationUnit

    roots = list(
        OrganizationUnit.objects.filter(parent=None).values_list("unit_name", flat=True)[:2]
    )
    return roots[0] if len(roots) == 1 else ""


@dataclass
class NavItem:
    key: str
    label: str
    url: str


def _leads_a_registry(user) -> bool:
    """Whether the person heads a unit that receives documents itself (a commune, say): only
    then is anything submitted to them for direction."""
    from eoffice.constants import Role
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import memberships

    led = {u for u, r in memberships(user) if r == Role.UNIT_LEADER.value}
    return (
        bool(led) and OrganizationUnit.objects.filter(pk__in=led, keeps_own_registers=True).exists()
    )


def nav_items(user) -> list[NavItem]:
    """The main navigation: the pages of the person's roles, daily work first."""
    from django.utils.translation import gettext as _

    from eoffice.constants import Role
    from eoffice.permissions import roles_of

    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    items = [NavItem("home", _("Trang chủ"), "/app")]
    if Role.CLERK.value in roles:
        items.append(NavItem("register_new", _("Tiếp nhận văn bản"), "/app/incoming-document/new"))
    if roles:
        items.append(NavItem("register", _("Sổ văn bản đến"), "/app/incoming-document"))
    if Role.LEADER.value in roles or _leads_a_registry(user):
        items.append(NavItem("inbox_direction", _("Chờ chỉ đạo"), "/app/inbox/direction"))
    if Role.UNIT_LEADER.value in roles:
        items.append(NavItem("inbox_unit", _("Việc của đơn vị"), "/app/inbox/unit"))
    if roles - {Role.ADMIN.value}:
        items.append(NavItem("inbox_mine", _("Việc của tôi"), "/app/inbox/mine"))
        items.append(NavItem("inbox_inform", _("Nhận để biết"), "/app/inbox/inform"))
    if roles & {Role.LEADER.value, Role.UNIT_LEADER.value}:
        items.append(NavItem("task_new", _("Giao việc"), "/app/task/new"))
    items.append(NavItem("api_keys", _("Khóa API"), "/app/api-keys"))
    return items


def _unread(user) -> int:
    """The bell's number: one COUNT (none for a visitor)."""
    if not user.is_authenticated:
        return 0
    from eoffice.doctype.notification import unread_count

    return unread_count(user)


def desk_context(request, active: str = "") -> dict:
    """The context every desk page's frame needs."""
    return {
        "posts": posts_of(request.user),
        "organisation": organisation_name(),
        "today": timezone.localdate(),
        "active": active,
        "nav": nav_items(request.user),
        "unread_notifications": _unread(request.user),
    }


def render_desk(request, template: str, context: dict | None = None, active: str = "", **kwargs):
    """Render a desk page: its frame, the CSRF token for forms and scripts, Frappe's CSRF flag."""
    mark_csrf_handed(request)
    full = desk_context(request, active)
    full.update(context or {})
    response = render(request, template, full, **kwargs)
    response.headers.setdefault("Cache-Control", "private, no-cache")
    return response
