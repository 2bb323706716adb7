"""The audit log: who did what, when, from where, kept for good.

Every create and change of a DocType row (field by field), workflow action, file download,
export, sign-in (success and failure) and view of a secret document is one row of
"Audit Log" (:class:`eoffice.audit.models.AuditLog`). Rows are only ever added: the model, its
queryset and (on MariaDB) a trigger refuse to change them. They name documents by DocType and
``name`` rather than by a foreign key, so that a row outlives whatever it is about.

:func:`record` is the one way to write a row; the request in hand (user and IP) comes from
:class:`eoffice.audit.context.AuditContextMiddleware`, so that model signals, which do not
see the request, still know who acted.
"""

from __future__ import annotations

from eoffice.audit.context import current_ip, current_user
from eoffice.audit.models import AuditEvent, AuditLog

__all__ = ["AuditEvent", "AuditLog", "record"]


def record(
    event: str,
    *,
    user=None,
    user_name: str | None = None,
    ip: str | None = None,
    doctype: str = "",
    name: str = "",
    changes: dict | None = None,
    detail: str = "",
) -> AuditLog:
    """Add one row to the audit log; ``user`` and ``ip`` default to the current request's."""
    if user is None:
        user = current_user()
    if user_name is None:
        user_name = getattr(user, "email", "") if getattr(user, "is_authenticated", False) else ""
    return AuditLog.objects.create(
        event=event,
        user_name=(user_name or "")[:140],
        ip_address=(ip if ip is not None else current_ip()) or None,
        reference_doctype=doctype[:140],
        reference_name=str(name or "")[:140],
        changes=changes or {},
        detail=(detail or "")[:1000],
    )


def record_view(user, meta, doc) -> None:
    """Log a read of ``doc`` when it is a secret document (reads of others are not logged)."""
    from eoffice.permissions import NORMAL_SECRECY, secret_rule

    if secret_rule(meta.model) and getattr(doc, "secrecy", NORMAL_SECRECY) != NORMAL_SECRECY:
        record(AuditEvent.VIEW_SECRET, user=user, doctype=meta.name, name=doc.name)


def record_download(user, stored) -> None:
    """Log a download of the File ``stored`` (which document it belongs to included)."""
    record(
        AuditEvent.DOWNLOAD,
        user=user,
        doctype="File",
        name=stored.name,
        detail=f"{stored.attached_to_doctype} {stored.attached_to_name}".strip(),
    )
