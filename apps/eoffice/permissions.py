"""The one permission layer: role + unit scope, used by the API, the desk, search and exports.

A user's roles come from their "Unit Member" rows plus the delegations they hold today.
Reading is narrowed by the DocType's ``scope`` (see ``DocTypeMeta``) to the units the user
works in; a leader ("Lãnh đạo", "Lãnh đạo đơn vị") also sees every unit below the ones they
lead. "Quản trị" and superusers see every unit's documents, with one exception: the content
of a secret document ("Mật" and above) and everything derived from it (files, comments,
workflow log, assignments, versions) only where they are named on it, like anyone else
(:func:`admin_filter`; docs/security.md says why).

The secrecy rule of a DocType is the function ``secret_readers_filter(user, queryset)`` in the
module of its model, for models that have a ``secrecy`` field (:func:`secret_rule`).
"""

from __future__ import annotations

import sys

from django.db import models
from django.db.models import Q
from django.utils import timezone

from eoffice.constants import Role
from eoffice.doctype.base import ALL_ROLES, DocTypeMeta

LEADING_ROLES = {Role.LEADER.value, Role.UNIT_LEADER.value}
#: DocTypes nobody creates, changes or deletes through the API or the desk (system logs).
APPEND_ONLY_DOCTYPES = {"Audit Log", "Workflow Log"}


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
    if meta.name in APPEND_ONLY_DOCTYPES and ptype != "read":
        return False  # logs are written by the system only, for administrators too
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
    if is_admin(user):
        return admin_filter(user, meta, queryset)
    if meta.scope is None:
        return queryset
    return meta.scope(user, queryset)


def has_permission(user, meta: DocTypeMeta, ptype: str, doc=None) -> bool:
    """Whether the user may ``ptype`` this DocType, and this row when ``doc`` is given."""
    if not role_allows(user, meta, ptype):
        return False
    if doc is None or doc.pk is None:
        return True
    if is_admin(user):
        if not _secret_links(meta.model):
            return True
    elif meta.scope is None:
        return True
    return filter_queryset(user, meta, meta.model.objects.filter(pk=doc.pk), "read").exists()


# ---------------------------------------------------------------------------------------
# Secret documents ("Mật", "Tối mật", "Tuyệt mật")

NORMAL_SECRECY = "Thường"
#: Pairs of fields by which a row refers to a document of any DocType.
REFERENCE_FIELDS = (
    ("reference_doctype", "reference_name"),
    ("attached_to_doctype", "attached_to_name"),
    ("document_type", "document_name"),
)


def secret_rule(model):
    """``secret_readers_filter(user, queryset)`` of a model with a ``secrecy`` field, or None.

    The rule lives beside the model (e.g. :func:`eoffice.doctype.incoming_document.
    secret_readers_filter`); this only finds it, so that it is written once.
    """
    if not any(f.name == "secrecy" for f in model._meta.concrete_fields):
        return None
    return getattr(sys.modules.get(model.__module__), "secret_readers_filter", None)


def secret_doctypes() -> dict[str, DocTypeMeta]:
    """The registered DocTypes that have secret rows (a ``secrecy`` field and its rule)."""
    from eoffice.doctype.base import REGISTRY

    return {name: meta for name, meta in REGISTRY.items() if secret_rule(meta.model)}


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _secret_links(model) -> list[tuple[str, object]]:
    """How rows of ``model`` can carry secret content: ("self", rule), ("fk", field) and
    ("ref", (doctype field, name field)) entries."""
    links = []
    if secret_rule(model):
        links.append(("self", None))
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and secret_rule(f.related_model):
            links.append(("fk", f))
    names = _field_names(model)
    for pair in REFERENCE_FIELDS:
        if set(pair) <= names:
            links.append(("ref", pair))
    return links


def hidden_secret_rows(user, model):
    """Secret rows of ``model`` whose rule does not name ``user`` (a queryset of them)."""
    rule = secret_rule(model)
    secret = model.objects.exclude(secrecy=NORMAL_SECRECY)
    return secret.exclude(pk__in=rule(user, secret).values("pk"))


def admin_filter(user, meta: DocTypeMeta, queryset):
    """What an administrator reads of ``queryset``: every row except the secret documents they
    are not named on, and the rows derived from those (by a link or a reference)."""
    for kind, link in _secret_links(meta.model):
        if kind == "self":
            queryset = queryset.exclude(pk__in=hidden_secret_rows(user, meta.model).values("pk"))
        elif kind == "fk":
            hidden = hidden_secret_rows(user, link.related_model).values("pk")
            queryset = queryset.exclude(**{f"{link.name}__in": hidden})
        else:
            doctype_field, name_field = link
            for name, secret_meta in secret_doctypes().items():
                hidden = hidden_secret_rows(user, secret_meta.model).values("name")
                queryset = queryset.exclude(
                    Q(**{doctype_field: name}) & Q(**{f"{name_field}__in": hidden})
                )
    return queryset
