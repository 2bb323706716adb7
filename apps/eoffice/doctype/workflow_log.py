"""DocType "Workflow Log": the append-only record of every workflow transition.

One row per transition, written by the engine in the transaction that changes the state:
who, when, from which state, which action, to which state, and their comment. Rows are never
changed or deleted: ``save`` of an existing row, ``delete``, and queryset ``update`` /
``delete`` all refuse.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import DocModel, doctype
from eoffice.doctype.comment import reference_scope


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Nhật ký chuyển trạng thái không được sửa.")

    def delete(self):
        raise AppendOnlyError("Nhật ký chuyển trạng thái không được xóa.")


@doctype(
    "Workflow Log",
    permissions={"read": "*"},
    scope=reference_scope,
    read_only_fields=(
        "reference_doctype",
        "reference_name",
        "workflow_name",
        "from_state",
        "action",
        "to_state",
        "user",
        "user_name",
        "user_full_name",
        "comment",
    ),
)
class WorkflowLog(DocModel):
    """One transition of one document."""

    autoname = "hash"

    reference_doctype = models.CharField(_("Loại tài liệu"), max_length=140)
    reference_name = models.CharField(_("Tài liệu"), max_length=140)
    workflow_name = models.CharField(_("Quy trình"), max_length=140)
    from_state = models.CharField(_("Từ trạng thái"), max_length=140)
    action = models.CharField(_("Thao tác"), max_length=140)
    to_state = models.CharField(_("Sang trạng thái"), max_length=140)
    user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user_name = models.CharField(_("Email người thực hiện"), max_length=140)
    user_full_name = models.CharField(_("Người thực hiện"), max_length=140, blank=True)
    comment = models.TextField(_("Ý kiến"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Nhật ký chuyển trạng thái")
        verbose_name_plural = _("Nhật ký chuyển trạng thái")
        indexes = [models.Index(fields=["reference_doctype", "reference_name", "creation"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký chuyển trạng thái không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký chuyển trạng thái không được xóa.")
