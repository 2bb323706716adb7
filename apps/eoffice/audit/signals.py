"""What writes the audit log without the code that acts knowing about it: model signals.

- a DocType row created, changed (old and new value of each field that changed) or deleted;
- a workflow transition (a new "Workflow Log" row, written by the engine in the transition's
  transaction, so the audit row commits or rolls back with it);
- sign-in, failed sign-in and sign-out (Django's auth signals, for the desk and the API alike).

Values of a secret document ("Mật" and above) are not copied into the log, only the names of
the fields that changed, since administrators read the log but not secret content. Hidden
fields (passwords, keys) are never copied either. Bulk ``QuerySet.update`` bypasses model
signals; the code that uses it for documents (rename) is noted in docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.contrib.auth import signals as auth_signals
from django.db.models import signals

#: DocTypes whose rows are logs themselves or system messages, not audited as rows.
NOT_AUDITED = {"Audit Log", "Notification Log"}
#: Fields that change on every save, or say nothing a person did.
IGNORED_FIELDS = {"id", "modified", "modified_by", "creation", "owner", "last_login", "idx"}
MAX_VALUE = 300  # characters of a value kept in the log (extracted text can be long)
UID = "eoffice.audit"


def _meta_of(sender):
    from eoffice.doctype.base import meta_for_model

    meta = meta_for_model(sender)
    if meta is None or meta.name in NOT_AUDITED:
        return None
    return meta


def _value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time | decimal.Decimal):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return value[:MAX_VALUE] + "…"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _fields(model):
    return [
        f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS and not f.primary_key
    ]


def _snapshot(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in _fields(type(instance))}


def _is_secret(instance) -> bool:
    from eoffice.permissions import NORMAL_SECRECY, secret_rule

    return bool(secret_rule(type(instance))) and getattr(instance, "secrecy", "") != NORMAL_SECRECY


def _masked(meta, instance) -> set[str]:
    hidden = set(meta.hidden_fields) | {"password"}
    if _is_secret(instance):
        return {f.attname for f in _fields(type(instance))} - {"secrecy", "workflow_state"}
    return {f.attname for f in _fields(type(instance)) if f.name in hidden}


def _diff(meta, instance, before: dict | None) -> dict:
    after = _snapshot(instance)
    masked = _masked(meta, instance)
    out = {}
    for key, new in after.items():
        old = before.get(key) if before is not None else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", 0, False):
            continue
        if key in masked:
            out[key] = {"old": "***", "new": "***"} if before is not None else "***"
        elif before is None:
            out[key] = _value(new)
        else:
            out[key] = {"old": _value(old), "new": _value(new)}
    return out


def remember_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or _meta_of(sender) is None:
        return
    fields = [f.attname for f in _fields(sender)]
    update_fields = kwargs.get("update_fields")
    row = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    if row is not None and update_fields:
        names = {sender._meta.get_field(n).attname for n in update_fields}
        row = {k: (v if k in names else getattr(instance, k)) for k, v in row.items()}
    instance._audit_before = row


def log_save(sender, instance, created, raw=False, **kwargs):
    from eoffice import audit
    from eoffice.audit.models import AuditEvent

    if raw:
        return
    if sender.__name__ == "WorkflowLog" and created:
        audit.record(
            AuditEvent.WORKFLOW,
            user_name=instance.user_name,
            doctype=instance.reference_doctype,
            name=instance.reference_name,
            changes={
                "from": instance.from_state,
                "action": instance.action,
                "to": instance.to_state,
            },
        )
        return
    meta = _meta_of(sender)
    if meta is None or meta.name == "Workflow Log":
        return
    before = None if created else getattr(instance, "_audit_before", None)
    instance._audit_before = None
    changes = _diff(meta, instance, before)
    if not created and not changes:
        return
    audit.record(
        AuditEvent.CREATE if created else AuditEvent.UPDATE,
        doctype=meta.name,
        name=getattr(instance, "name", "") or str(instance.pk),
        changes=changes,
    )


def log_delete(sender, instance, **kwargs):
    from eoffice import audit
    from eoffice.audit.models import AuditEvent

    meta = _meta_of(sender)
    if meta is None or meta.name == "Workflow Log":
        return
    audit.record(
        AuditEvent.DELETE,
        doctype=meta.name,
        name=getattr(instance, "name", "") or str(instance.pk),
        detail="" if _is_secret(instance) else str(instance)[:300],
    )


def refuse_deleting_registered(sender, instance, **kwargs):
    """A registered (numbered) document is archived, never deleted (Decree 30's registers)."""
    from eoffice.security.retention import check_deletable

    check_deletable(instance)


def log_login(sender, request, user, **kwargs):
    from eoffice import audit
    from eoffice.audit.context import client_ip
    from eoffice.audit.models import AuditEvent

    audit.record(
        AuditEvent.LOGIN,
        user=user,
        ip=client_ip(request) if request is not None else None,
        doctype="User",
        name=user.email,
    )


def log_login_failed(sender, credentials, request=None, **kwargs):
    from eoffice import audit
    from eoffice.audit.context import client_ip
    from eoffice.audit.models import AuditEvent

    account = str(credentials.get("username") or credentials.get("email") or "")
    audit.record(
        AuditEvent.LOGIN_FAILED,
        user_name=account.strip().lower()[:140],
        ip=client_ip(request) if request is not None else None,
        detail="Sai email hoặc mật khẩu",
    )


def log_logout(sender, request, user, **kwargs):
    from eoffice import audit
    from eoffice.audit.context import client_ip
    from eoffice.audit.models import AuditEvent

    if user is None:
        return
    audit.record(
        AuditEvent.LOGOUT,
        user=user,
        ip=client_ip(request) if request is not None else None,
        doctype="User",
        name=user.email,
    )


def connect() -> None:
    """Connect the handlers (idempotent: each has a dispatch uid)."""
    signals.pre_save.connect(remember_before, dispatch_uid=f"{UID}.pre_save")
    signals.post_save.connect(log_save, dispatch_uid=f"{UID}.post_save")
    signals.pre_delete.connect(refuse_deleting_registered, dispatch_uid=f"{UID}.pre_delete")
    signals.post_delete.connect(log_delete, dispatch_uid=f"{UID}.post_delete")
    auth_signals.user_logged_in.connect(log_login, dispatch_uid=f"{UID}.login")
    auth_signals.user_login_failed.connect(log_login_failed, dispatch_uid=f"{UID}.login_failed")
    auth_signals.user_logged_out.connect(log_logout, dispatch_uid=f"{UID}.logout")


def disconnect() -> None:
    signals.pre_save.disconnect(dispatch_uid=f"{UID}.pre_save")
    signals.post_save.disconnect(dispatch_uid=f"{UID}.post_save")
    signals.pre_delete.disconnect(dispatch_uid=f"{UID}.pre_delete")
    signals.post_delete.disconnect(dispatch_uid=f"{UID}.post_delete")
    auth_signals.user_logged_in.disconnect(dispatch_uid=f"{UID}.login")
    auth_signals.user_login_failed.disconnect(dispatch_uid=f"{UID}.login_failed")
    auth_signals.user_logged_out.disconnect(dispatch_uid=f"{UID}.logout")
