"""DocType "Comment" (the timeline of a document) and the timeline itself.

A comment belongs to a row of any DocType (``reference_doctype``, ``reference_name``), as in
Frappe. Progress reports, extension requests and recalls on an assignment are comments on
the Assignment; :func:`get_timeline` gathers, for a document, its comments, its workflow log,
and the comments and events of its assignments, oldest first.

Who may read a comment or a log row: whoever may read the row it belongs to
(:func:`reference_scope`), through the one permission layer.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import DocModel, doctype

#: DocTypes whose rows are about other rows; never the target of a reference scope.
_REFERENCE_DOCTYPES = {"Comment", "Workflow Log"}


def reference_scope(user, queryset):
    """Rows whose ``reference_doctype``/``reference_name`` the user may read.

    One subquery per DocType through that DocType's own scope, so the rule of who reads a
    document stays in one place.
    """
    from eoffice.doctype.base import REGISTRY
    from eoffice.permissions import filter_queryset, role_allows

    allowed = Q(pk__in=[])
    for name, meta in REGISTRY.items():
        if name in _REFERENCE_DOCTYPES or not role_allows(user, meta, "read"):
            continue
        if meta.scope is None:
            allowed |= Q(reference_doctype=name)
        else:
            visible = filter_queryset(user, meta, meta.model.objects.all()).values("name")
            allowed |= Q(reference_doctype=name, reference_name__in=visible)
    return queryset.filter(allowed)


class CommentType(models.TextChoices):
    """Frappe's comment types (the wire keeps Frappe's values), plus ours."""

    COMMENT = "Comment", _("Ý kiến")
    INFO = "Info", _("Thông tin")
    WORKFLOW = "Workflow", _("Chuyển trạng thái")
    ASSIGNED = "Assigned", _("Giao việc")
    PROGRESS = "Progress", _("Báo cáo tiến độ")
    EXTENSION = "Extension", _("Gia hạn")
    RECALL = "Recall", _("Thu hồi")


@doctype(
    "Comment",
    permissions={"read": "*"},
    scope=reference_scope,
    read_only_fields=("reference_doctype", "reference_name", "comment_type", "comment_email"),
)
class Comment(DocModel):
    """One entry of a document's timeline written by a person (or by the system: Info)."""

    autoname = "hash"

    reference_doctype = models.CharField(_("Loại tài liệu"), max_length=140)
    reference_name = models.CharField(_("Tài liệu"), max_length=140)
    comment_type = models.CharField(
        _("Loại ý kiến"), max_length=20, choices=CommentType.choices, default=CommentType.COMMENT
    )
    content = models.TextField(_("Nội dung"))
    comment_email = models.CharField(_("Email người viết"), max_length=140, blank=True)
    comment_by = models.CharField(_("Người viết"), max_length=140, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Ý kiến")
        verbose_name_plural = _("Ý kiến")
        indexes = [models.Index(fields=["reference_doctype", "reference_name", "creation"])]


def add_comment(
    reference_doctype: str,
    reference_name: str,
    user,
    content: str,
    comment_type: str = CommentType.COMMENT,
) -> Comment:
    """Append a comment by ``user`` (no permission check: callers check first)."""
    from eoffice.text import nfc

    return Comment.objects.create(
        reference_doctype=reference_doctype,
        reference_name=reference_name,
        comment_type=comment_type,
        content=nfc(content),
        comment_email=getattr(user, "email", "") or "",
        comment_by=getattr(user, "full_name", "") or "",
        owner=getattr(user, "name", "") or "",
        modified_by=getattr(user, "name", "") or "",
    )


def get_timeline(doc, user=None) -> list[dict]:
    """The timeline of a document, oldest first: comments, transitions, assignment events.

    Each entry: ``{"time", "kind", "by", "content", ...}`` where ``kind`` is a comment type,
    ``"Workflow"`` (with ``from_state``, ``action``, ``to_state``), ``"Assignment"`` (an
    assignment created, completed or recalled) or ``"Extension"`` (a request and its answer).
    ``user`` is not checked here: the caller has checked that they may read ``doc``.
    """
    from eoffice.doctype.assignment import Assignment, ExtensionRequest
    from eoffice.doctype.workflow_log import WorkflowLog

    doctype_name = doc._doctype.name
    assignments = list(
        Assignment.objects.filter(reference_doctype=doctype_name, reference_name=doc.name)
        .select_related("unit", "assigned_to", "assigned_by")
        .order_by("creation", "id")
    )
    names = [a.name for a in assignments]
    entries: list[dict] = []
    comments = Comment.objects.filter(
        Q(reference_doctype=doctype_name, reference_name=doc.name)
        | Q(reference_doctype="Assignment", reference_name__in=names)
    ).order_by("creation", "id")
    for c in comments:
        entries.append(
            {
                "time": c.creation,
                "kind": c.comment_type,
                "by": c.comment_email,
                "by_name": c.comment_by,
                "content": c.content,
                "assignment": c.reference_name if c.reference_doctype == "Assignment" else None,
            }
        )
    for row in WorkflowLog.objects.filter(
        reference_doctype=doctype_name, reference_name=doc.name
    ).order_by("creation", "id"):
        entries.append(
            {
                "time": row.creation,
                "kind": "Workflow",
                "by": row.user_name,
                "by_name": row.user_full_name,
                "from_state": row.from_state,
                "action": row.action,
                "to_state": row.to_state,
                "content": row.comment,
            }
        )
    for a in assignments:
        who = a.assigned_to.full_name if a.assigned_to_id else (a.unit.unit_name if a.unit else "")
        entries.append(
            {
                "time": a.creation,
                "kind": "Assignment",
                "event": "assigned",
                "by": a.assigned_by.email if a.assigned_by_id else "",
                "assignment": a.name,
                "content": f"{a.handling_role}: {who} — hạn {a.original_deadline:%d/%m/%Y}",
            }
        )
        if a.completed_on:
            entries.append(
                {
                    "time": a.completed_on,
                    "kind": "Assignment",
                    "event": "completed",
                    "assignment": a.name,
                    "content": f"{a.status}: {who}" + (f" — {a.outcome}" if a.outcome else ""),
                }
            )
        if a.recalled_on:
            entries.append(
                {
                    "time": a.recalled_on,
                    "kind": "Assignment",
                    "event": "recalled",
                    "assignment": a.name,
                    "content": f"Thu hồi: {who}"
                    + (f" — {a.recall_reason}" if a.recall_reason else ""),
                }
            )
    for x in ExtensionRequest.objects.filter(assignment__in=assignments).select_related(
        "assignment", "requested_by", "decided_by"
    ):
        entries.append(
            {
                "time": x.creation,
                "kind": "Extension",
                "event": "requested",
                "by": x.requested_by.email,
                "assignment": x.assignment.name,
                "content": (
                    f"Xin gia hạn từ {x.old_deadline:%d/%m/%Y} đến "
                    f"{x.requested_deadline:%d/%m/%Y}: {x.reason}"
                ),
            }
        )
        if x.decided_on:
            entries.append(
                {
                    "time": x.decided_on,
                    "kind": "Extension",
                    "event": "decided",
                    "by": x.decided_by.email if x.decided_by_id else "",
                    "content": f"{x.status}" + (f": {x.decision_note}" if x.decision_note else ""),
                }
            )
    entries.sort(key=lambda e: e["time"])
    for e in entries:
        e["time"] = e["time"].isoformat(sep=" ")
    return entries
