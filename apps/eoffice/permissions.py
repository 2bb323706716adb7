"""The one permission layer: role + unit scope, used by the API, the desk, search and exports.

A user's roles come from their "Unit Member" rows plus the delegations they hold today.
Reading is narrowed by the DocType's ``scope`` (see ``DocTypeMeta``) to the units the user
works in; a leader ("Lãnh đạo", "Lãnh đạo đơn vị") also sees every unit below the ones they
lead. "Quản trị" and superusers see everything.
"""

from __future__ import annotations

from django.utils import timezone

from eoffice.constants import Role
from eoffice.doctype.base import ALL_ROLES, DocTypeMeta

LEADING_ROLES = {Role.LEADER.value, Role.UNIT_LEADER.value}


def memberships(user) -> list[tuple[int, str]]:
    """(unit id, role) pairs the user holds today, delegations included; cached per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_eoffice_memberships", None)
    if cached is not None:
        return cached
    from eoffice.doctype.organization import Delegation, UnitMember

    pairs = list(UnitMember.objects.filter(user=user).values_list("unit_id", "role"))
    today = timezone.localdate()
    pairs += list(
        Delegation.objects.filter(
            delegate=user, revoked=False, from_date__lte=today, to_date__gte=today
        ).values_list("unit_id", "role")
    )
    user._eoffice_memberships = pairs
    return pairs


def roles_of(user) -> set[str]:
    """The role names the user holds in any unit today."""
    roles = {role for _unit, role in memberships(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN.value)
    return roles


def is_admin(user) -> bool:
    return getattr(user, "is_superuser", False) or Role.ADMIN.value in roles_of(user)


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def units_in_scope(user) -> set[int]:
    """Ids of the units whose documents the user may read (cached per request)."""
    cached = getattr(user, "_eoffice_scope", None)
    if cached is not None:
        return cached
    from eoffice.doctype.organization import OrganizationUnit

    pairs = memberships(user)
    units = {unit for unit, _role in pairs}
    led = {unit for unit, role in pairs if role in LEADING_ROLES}
    if led:
        paths = OrganizationUnit.objects.filter(pk__in=led).values_list("path", flat=True)
        for path in paths:
            units.update(
                OrganizationUnit.objects.filter(path__startswith=path).values_list("pk", flat=True)
            )
    user._eoffice_scope = units
    return units


def role_allows(user, meta: DocTypeMeta, ptype: str) -> bool:
    """Whether the user's roles give ``ptype`` (read, create, write, delete) on the DocType."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_admin(user):
        return True
    allowed = meta.permissions.get(ptype)
    if allowed is None and ptype == "write":
        allowed = meta.permissions.get("create")
    if allowed == ALL_ROLES:
        return True
    return bool(roles_of(user) & set(allowed or ()))


def filter_queryset(user, meta: DocTypeMeta, queryset, ptype: str = "read"):
    """The rows of ``queryset`` that the user may ``ptype``: nothing when the role forbids it."""
    if not role_allows(user, meta, ptype):
        return queryset.none()
    if meta.scope is None or is_admin(user):
        return queryset
    return meta.scope(user, queryset)


def has_permission(user, meta: DocTypeMeta, ptype: str, doc=None) -> bool:
    """Whether the user may ``ptype`` this DocType, and this row when ``doc`` is given."""
    if not role_allows(user, meta, ptype):
        return False
    if doc is None or doc.pk is None or meta.scope is None or is_admin(user):
        return True
    return filter_queryset(user, meta, meta.model.objects.filter(pk=doc.pk), "read").exists()
