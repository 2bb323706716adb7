"""Signing and verification in the audit trail: a Comment on the document's timeline, and a
row of the security engineer's Audit Log when :mod:`eoffice.audit` is installed."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

SIGNED = "Ký số"
VERIFIED = "Kiểm tra chữ ký số"


def record(event: str, user, doctype: str, name: str, detail: str) -> None:
    """Write ``detail`` on the document's timeline and in the audit log."""
    from eoffice.doctype.comment import CommentType, add_comment

    if doctype and name:
        add_comment(doctype, name, user, f"{event}: {detail}", CommentType.INFO)
    try:
        from eoffice.audit import record as audit_record
    except ImportError:  # the audit log is not installed in this build
        return
    try:
        audit_record(event, user=user, doctype=doctype or "", name=name or "", detail=detail[:1000])
    except Exception:  # noqa: BLE001  (the audit trail must not undo a signature)
        log.exception("audit record of %s failed", event)
