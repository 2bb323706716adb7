"""DocType "Task" (giao việc): work a leader or unit head assigns that comes from no document.

A task has a title, a description, files (File rows attached to it), and the same direction
as a document: ``assignees`` rows that the action "Giao việc" turns into Assignments, with
hand-down, progress reports, extensions, recall and completion as for documents (see
:mod:`eoffice.doctype.assignment`). Its path is ``workflows/task.json``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Urgency
from eoffice.doctype.assignment import AssignableDocument, AssigneeRow, Assignment, AssignmentStatus
from eoffice.doctype.base import doctype

DOCTYPE = "Task"


def task_scope(user, queryset):
    """Tasks the user created or directed, of units in their scope, or assigned to them."""
    from eoffice.permissions import units_in_scope

    units = units_in_scope(user)
    assigned = (
        Assignment.objects.filter(reference_doctype=DOCTYPE)
        .exclude(status=AssignmentStatus.RECALLED)
        .filter(Q(assigned_to=user) | Q(unit_id__in=units))
        .values("reference_name")
    )
    return queryset.filter(
        Q(owner=user.name)
        | Q(directed_by=user)
        | Q(assigning_unit_id__in=units)
        | Q(name__in=assigned)
    )


class TaskAssignee(AssigneeRow):
    """A row of the direction of a task (child table ``assignees``)."""

    parent = models.ForeignKey("eoffice.Task", on_delete=models.CASCADE, related_name="assignees")

    class Meta(AssigneeRow.Meta):
        app_label = "eoffice"
        verbose_name = _("Đơn vị, người được giao việc")
        verbose_name_plural = _("Đơn vị, người được giao việc")


@doctype(
    DOCTYPE,
    permissions={
        "read": "*",
        "create": ["Lãnh đạo", "Lãnh đạo đơn vị"],
        "write": ["Lãnh đạo", "Lãnh đạo đơn vị"],
        "delete": ["Quản trị"],
    },
    scope=task_scope,
    child_tables={"assignees": TaskAssignee},
    title_field="title",
    search_fields=("title", "description"),
    read_only_fields=(
        "workflow_state",
        "directed_by",
        "directed_on",
        "completed_on",
        "outcome",
    ),
)
class Task(AssignableDocument):
    """Giao việc: a piece of work given to units or persons without an incoming document."""

    autoname = "GV-.YYYY.-.######"

    title = models.CharField(_("Tên công việc"), max_length=255)
    description = models.TextField(_("Nội dung"), blank=True)
    assigning_unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị giao việc"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    urgency = models.CharField(
        _("Độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    deadline = models.DateField(_("Hạn hoàn thành"), null=True, blank=True)
    workflow_state = models.CharField(_("Trạng thái"), max_length=40, default="Nháp")

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Giao việc")
        verbose_name_plural = _("Giao việc")
        ordering = ["-creation", "-id"]
        indexes = [
            models.Index(fields=["assigning_unit", "workflow_state"], name="task_unit_state")
        ]

    def __str__(self):
        return self.title

    def start_date(self) -> dt.date:
        return timezone.localdate(self.creation) if self.creation else timezone.localdate()

    def responsible_unit(self):
        return self.assigning_unit if self.assigning_unit_id else None

    def clean(self):
        from eoffice.text import nfc

        self.title = nfc((self.title or "").strip())
        self.description = nfc((self.description or "").strip())
        if self.deadline and self.deadline < self.start_date():
            raise DjangoValidationError(
                {"deadline": [_("Hạn hoàn thành không được trước ngày giao việc.")]}
            )
