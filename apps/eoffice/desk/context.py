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


def desk_context(request, active: str = "") -> dict:
    """The context every desk page's frame needs."""
    return {
        "posts": posts_of(request.user),
        "organisation": organisation_name(),
        "today": timezone.localdate(),
        "active": active,
    }


def render_desk(request, template: str, context: dict | None = None, active: str = "", **kwargs):
    """Render a desk page: its frame, the CSRF token for forms and scripts, Frappe's CSRF flag."""
    mark_csrf_handed(request)
    full = desk_context(request, active)
    full.update(context or {})
    response = render(request, template, full, **kwargs)
    response.headers.setdefault("Cache-Control", "private, no-cache")
    return response
