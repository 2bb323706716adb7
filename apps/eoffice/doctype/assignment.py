"""DocType "Assignment" (giao xử lý) and everything done to one: the direction's machinery.

A leader's direction ("Phân công") turns the document's ``assignees`` rows into Assignments:
exactly one "Chủ trì", any "Phối hợp" and "Nhận để biết", each to a unit or a person, each
with a deadline. Then:

- the head of a unit hands the unit's assignment down to an officer (:func:`hand_down`: a
  child Assignment; for the lead this is the document's workflow action "Giao xử lý");
- whoever handles it reports progress (:func:`report_progress`, a Comment on the assignment);
- they ask the person who assigned for more time (:func:`request_extension`), who approves or
  refuses (:func:`decide_extension`); ``original_deadline`` never changes and every request
  stays as an :class:`ExtensionRequest`;
- "Nhận để biết" rows are done when read (:func:`mark_read`);
- the person who assigned can take it back (:func:`recall`);
- it is completed (:func:`complete_assignment`; for the lead, the document's "Hoàn thành"),
  and classified "Hoàn thành trước hạn" / "… đúng hạn" / "… quá hạn".

The same Assignments serve documents ("Incoming Document") and work that comes from no
document ("Task"): both are :class:`AssignableDocument` models. The inboxes ("Việc của tôi",
"Việc của đơn vị") are :func:`my_assignments` and :func:`unit_assignments`, served by the
indexes declared on the model.
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice import calendar
from eoffice.constants import DeadlineState, HandlingRole, Outcome, Role
from eoffice.doctype.base import ALL_ROLES, ChildModel, DocModel, doctype
from eoffice.exceptions import DoesNotExistError, PermissionError, ValidationError
from eoffice.workflows.rules import person_rule, workflow_hook


class AssignmentStatus(models.TextChoices):
    OPEN = "Chờ xử lý"
    IN_PROGRESS = "Đang xử lý"
    DONE = "Hoàn thành"
    RECALLED = "Đã thu hồi"
    CLOSED = "Đã kết thúc"  # the document was finished by the lead before this was done


OPEN_STATUSES = (AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS)


class ExtensionStatus(models.TextChoices):
    PENDING = "Chờ duyệt"
    APPROVED = "Đã duyệt"
    REFUSED = "Từ chối"


# ---------------------------------------------------------------------------------------
# Who is who


def _memberships(user):
    from eoffice.permissions import memberships

    return memberships(user)


def leads(user, unit_id) -> bool:
    """Whether ``user`` heads ``unit_id`` today ("Lãnh đạo" or "Lãnh đạo đơn vị", delegations too)."""
    from eoffice.permissions import LEADING_ROLES

    return any(u == unit_id and r in LEADING_ROLES for u, r in _memberships(user))


def member_of(user, unit_id) -> bool:
    """Whether ``user`` holds any role in ``unit_id`` today."""
    return any(u == unit_id for u, _r in _memberships(user))


def holds(user, unit_id, role: str) -> bool:
    return any(u == unit_id and r == role for u, r in _memberships(user))


def primary_unit_id(user) -> int | None:
    """The unit a person belongs to first (their primary membership)."""
    from eoffice.doctype.organization import UnitMember

    row = (
        UnitMember.objects.filter(user=user)
        .order_by("-is_primary", "id")
        .values_list("unit_id", flat=True)
        .first()
    )
    return row


# ---------------------------------------------------------------------------------------
# Models


def assignment_scope(user, queryset):
    """Assignments to the user, by the user, or to units in their scope."""
    from eoffice.permissions import units_in_scope

    return queryset.filter(
        Q(assigned_to=user) | Q(assigned_by=user) | Q(unit_id__in=units_in_scope(user))
    )


@doctype(
    "Assignment",
    permissions={"read": ALL_ROLES},
    scope=assignment_scope,
    title_field="reference_name",
    read_only_fields=(
        "reference_doctype",
        "reference_name",
        "unit",
        "assigned_to",
        "assigned_by",
        "handling_role",
        "deadline",
        "original_deadline",
        "status",
        "parent_assignment",
        "completed_on",
        "outcome",
        "result",
        "reply_document",
        "deadline_state",
        "read_on",
        "recalled_on",
        "recalled_by",
        "recall_reason",
        "note",
    ),
)
class Assignment(DocModel):
    """One unit's or person's share of the handling of a document or a task."""

    autoname = "hash"

    reference_doctype = models.CharField(_("Loại tài liệu"), max_length=140)
    reference_name = models.CharField(_("Tài liệu"), max_length=140)
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_to = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    handling_role = models.CharField(
        _("Vai trò xử lý"), max_length=20, choices=HandlingRole.choices
    )
    deadline = models.DateField(_("Hạn xử lý"))
    original_deadline = models.DateField(_("Hạn ban đầu"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.OPEN,
    )
    parent_assignment = models.ForeignKey(
        "self",
        verbose_name=_("Giao từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    completed_on = models.DateTimeField(_("Ngày hoàn thành"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments_given",
    )
    note = models.TextField(_("Ý kiến giao việc"), blank=True)
    outcome = models.CharField(
        _("Kết quả đánh giá"), max_length=30, choices=Outcome.choices, blank=True
    )
    result = models.TextField(_("Kết quả xử lý"), blank=True)
    reply_document = models.CharField(_("Văn bản trả lời"), max_length=140, blank=True)
    deadline_state = models.CharField(
        _("Tình trạng hạn"),
        max_length=20,
        choices=DeadlineState.choices,
        default=DeadlineState.ON_TRACK,
    )
    read_on = models.DateTimeField(_("Ngày đọc"), null=True, blank=True)
    recalled_on = models.DateTimeField(_("Ngày thu hồi"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recall_reason = models.TextField(_("Lý do thu hồi"), blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Giao xử lý")
        verbose_name_plural = _("Giao xử lý")
        indexes = [
            # "Việc của tôi": assigned_to = ? AND status IN (open) ORDER BY deadline
            models.Index(fields=["assigned_to", "status", "deadline"], name="asg_inbox_user"),
            # "Việc của đơn vị": unit = ? AND status IN (open) AND assigned_to IS NULL
            # ORDER BY deadline
            models.Index(
                fields=["unit", "status", "assigned_to", "deadline"], name="asg_inbox_unit"
            ),
            models.Index(fields=["reference_doctype", "reference_name"], name="asg_reference"),
            models.Index(fields=["assigned_by", "status"], name="asg_given"),
            # The deadline sweep: status IN (open) AND deadline_state = ? AND deadline in a
            # window — only the rows due, never all (eoffice.deadlines.sweep).
            models.Index(
                fields=["status", "deadline_state", "deadline"], name="asg_deadline_sweep"
            ),
        ]

    def __str__(self):
        who = self.assigned_to or self.unit
        return f"{self.handling_role}: {who} ({self.reference_name})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def reference(self):
        """The document or task this assignment belongs to (a model instance)."""
        from eoffice.doctype.base import get_meta

        meta = get_meta(self.reference_doctype)
        return meta.model.objects.get(name=self.reference_name)

    def handler_label(self) -> str:
        if self.assigned_to_id:
            return self.assigned_to.full_name
        return self.unit.unit_name if self.unit_id else ""


def extension_scope(user, queryset):
    """Extension requests of the assignments the user may read."""
    return queryset.filter(
        assignment__in=assignment_scope(user, Assignment.objects.all()).values("pk")
    )


@doctype(
    "Extension Request",
    permissions={"read": ALL_ROLES},
    scope=extension_scope,
    read_only_fields=(
        "assignment",
        "requested_by",
        "old_deadline",
        "requested_deadline",
        "reason",
        "status",
        "decided_by",
        "decided_on",
        "decision_note",
        "approved_deadline",
    ),
)
class ExtensionRequest(DocModel):
    """ "Xin gia hạn": one request for more time on an assignment, and its answer."""

    autoname = "hash"

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("Giao xử lý"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        "eoffice.User", verbose_name=_("Người xin"), on_delete=models.PROTECT, related_name="+"
    )
    old_deadline = models.DateField(_("Hạn trước khi xin"))
    requested_deadline = models.DateField(_("Hạn xin gia hạn"))
    reason = models.TextField(_("Lý do"))
    status = models.CharField(
        _("Trạng thái"),
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateTimeField(_("Ngày quyết định"), null=True, blank=True)
    decision_note = models.TextField(_("Ý kiến"), blank=True)
    approved_deadline = models.DateField(_("Hạn được duyệt"), null=True, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Xin gia hạn")
        verbose_name_plural = _("Xin gia hạn")
        indexes = [models.Index(fields=["assignment", "status"], name="ext_assignment")]


class AssigneeRow(ChildModel):
    """A row of a direction: who (a unit or a person), in which role, by when.

    Concrete child tables (one per parent DocType) declare
    ``parent = ForeignKey(<Parent>, related_name="assignees")``.
    """

    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_role = models.CharField(
        _("Vai trò xử lý"), max_length=20, choices=HandlingRole.choices
    )
    deadline = models.DateField(_("Hạn xử lý"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    class Meta(ChildModel.Meta):
        abstract = True


# ---------------------------------------------------------------------------------------
# Helpers


def classify(completed: dt.date, deadline: dt.date) -> str:
    """ "Hoàn thành trước hạn" / "… đúng hạn" / "… quá hạn" of work done on ``completed``."""
    if completed < deadline:
        return Outcome.EARLY
    if completed == deadline:
        return Outcome.ON_TIME
    return Outcome.LATE


def deadline_state_of(deadline: dt.date, today: dt.date | None = None) -> str:
    """ "Trong hạn" / "Sắp đến hạn" / "Quá hạn" of an open item due on ``deadline``."""
    from eoffice.doctype.deadline_rule import get_settings

    today = today or timezone.localdate()
    if deadline < today:
        return DeadlineState.OVERDUE
    if deadline <= calendar.last_day_within(today, get_settings().due_soon_working_days):
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return calendar.to_date(value)
    except ValueError:
        raise ValidationError(
            f"«{value}» không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).", field=field
        ) from None


def _user(value, field: str):
    from eoffice.doctype.user import User

    if value in (None, ""):
        return None
    if isinstance(value, User):
        return value
    user = User.objects.filter(email__iexact=str(value).strip(), is_active=True).first()
    if user is None:
        raise ValidationError(f"Không tìm thấy người dùng «{value}».", field=field)
    return user


def _text(value) -> str:
    from eoffice.text import nfc

    return nfc(str(value or "").strip())


def get_assignment(name, user, for_update: bool = False) -> Assignment:
    """The assignment ``name`` if the user may read it; locked when ``for_update``."""
    from eoffice.permissions import has_permission

    qs = Assignment.objects.select_for_update() if for_update else Assignment.objects
    a = qs.filter(name=name).first() if not isinstance(name, Assignment) else name
    if a is None:
        raise DoesNotExistError(f"Không tìm thấy việc được giao «{name}».")
    if not has_permission(user, Assignment._doctype, "read", a):
        raise PermissionError("Bạn không có quyền với việc được giao này.")
    return a


def _lock(a: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().get(pk=a.pk)


def _comment(a: Assignment, user, content: str, comment_type: str):
    from eoffice.doctype.comment import add_comment

    return add_comment("Assignment", a.name, user, content, comment_type)


def assignments_of(doc, *, statuses=None, roles=None, top_level=None):
    """The assignments of a document or task, optionally narrowed."""
    qs = Assignment.objects.filter(reference_doctype=doc._doctype.name, reference_name=doc.name)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if roles is not None:
        qs = qs.filter(handling_role__in=roles)
    if top_level is not None:
        qs = qs.filter(parent_assignment__isnull=top_level)
    return qs


# ---------------------------------------------------------------------------------------
# Direction: assignees rows → Assignments


def validate_assignee_rows(doc, rows) -> None:
    """Check a direction's rows; raise ValidationError naming ``assignees`` (and the row).

    Exactly one "Chủ trì"; each row a unit or a person (a person with a unit must belong to
    it); no one twice; no deadline before the document's start date.
    """
    from eoffice.doctype.organization import UnitMember

    if not rows:
        raise ValidationError(
            "Cần chọn đơn vị hoặc người xử lý (ít nhất một dòng «Chủ trì»).", field="assignees"
        )
    start = doc.start_date()
    leads_at = []
    seen = {}
    for i, row in enumerate(rows, start=1):
        if not row.unit_id and not row.user_id:
            raise ValidationError(
                f"Dòng {i} của danh sách xử lý: cần chọn đơn vị hoặc người.", field="assignees"
            )
        if row.handling_role not in HandlingRole.values:
            raise ValidationError(
                f"Dòng {i} của danh sách xử lý: vai trò «{row.handling_role}» không hợp lệ; "
                f"chọn «Chủ trì», «Phối hợp» hoặc «Nhận để biết».",
                field="assignees",
            )
        if row.handling_role == HandlingRole.LEAD:
            leads_at.append(i)
        if row.unit_id and not row.unit.is_active:
            raise ValidationError(
                f"Dòng {i} của danh sách xử lý: đơn vị «{row.unit}» không còn hoạt động.",
                field="assignees",
            )
        if row.user_id:
            if not row.user.is_active:
                raise ValidationError(
                    f"Dòng {i} của danh sách xử lý: người dùng «{row.user}» đã bị khóa.",
                    field="assignees",
                )
            units = set(
                UnitMember.objects.filter(user_id=row.user_id).values_list("unit_id", flat=True)
            )
            if not units:
                raise ValidationError(
                    f"Dòng {i} của danh sách xử lý: «{row.user}» không thuộc đơn vị nào.",
                    field="assignees",
                )
            if row.unit_id and row.unit_id not in units:
                raise ValidationError(
                    f"Dòng {i} của danh sách xử lý: «{row.user}» không thuộc «{row.unit}».",
                    field="assignees",
                )
        key = (row.unit_id, row.user_id)
        if key in seen:
            raise ValidationError(
                f"Dòng {i} của danh sách xử lý trùng với dòng {seen[key]}.", field="assignees"
            )
        seen[key] = i
        if row.deadline and row.deadline < start:
            raise ValidationError(
                f"Dòng {i} của danh sách xử lý: hạn xử lý {row.deadline:%d/%m/%Y} không được "
                f"trước ngày {doc.start_label()} {start:%d/%m/%Y}.",
                field="assignees",
            )
    if not leads_at:
        raise ValidationError("Cần đúng một đơn vị hoặc người «Chủ trì».", field="assignees")
    if len(leads_at) > 1:
        raise ValidationError(
            "Chỉ được có một «Chủ trì»; các dòng "
            + ", ".join(str(i) for i in leads_at)
            + " đều là «Chủ trì».",
            field="assignees",
        )


def create_assignments(doc, user, rows, note: str = "") -> list[Assignment]:
    """Turn validated direction rows into Assignments by ``user`` (inside the caller's transaction)."""
    validate_assignee_rows(doc, rows)
    doctype_name = doc._doctype.name
    if assignments_of(doc, statuses=OPEN_STATUSES, top_level=True).exists():
        raise ValidationError(
            "Văn bản đã được phân công; thu hồi phân công cũ trước khi phân công lại.",
            field="assignees",
        )
    default = doc.default_deadline()
    today = timezone.localdate()
    created = []
    for row in rows:
        deadline = row.deadline or default
        a = Assignment(
            reference_doctype=doctype_name,
            reference_name=doc.name,
            unit_id=row.unit_id or primary_unit_id(row.user),
            assigned_to_id=row.user_id,
            handling_role=row.handling_role,
            deadline=deadline,
            original_deadline=deadline,
            assigned_by=user,
            note=_text(row.note) or _text(note),
            deadline_state=deadline_state_of(deadline, today),
            owner=user.name,
            modified_by=user.name,
        )
        a.save()
        created.append(a)
    _notify_assigned(created, user)
    return created


def _notify_assigned(assignments, by) -> None:
    """Tell the holders of new assignments ("Được giao việc"), in this transaction."""
    from eoffice.deadlines.reminders import notify_assigned

    notify_assigned(assignments, by)


# ---------------------------------------------------------------------------------------
# The document side: what Incoming Document and Task share


class AssignableDocument(DocModel):
    """Abstract base of a DocType that is directed and handled through Assignments.

    Subclasses define ``assignees`` (a child table of :class:`AssigneeRow`), ``deadline``,
    ``urgency``, and :meth:`start_date` / :meth:`responsible_unit`.
    """

    direction = models.TextField(_("Ý kiến chỉ đạo"), blank=True)
    directed_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    directed_on = models.DateTimeField(_("Ngày chỉ đạo"), null=True, blank=True)
    result = models.TextField(_("Kết quả xử lý"), blank=True)
    reply_document = models.CharField(
        _("Văn bản trả lời"),
        max_length=140,
        blank=True,
        help_text=_("Số ký hiệu hoặc mã văn bản đi trả lời."),
    )
    completed_on = models.DateTimeField(_("Ngày hoàn thành"), null=True, blank=True)
    outcome = models.CharField(
        _("Kết quả đánh giá"), max_length=30, choices=Outcome.choices, blank=True
    )

    class Meta:
        abstract = True

    # What subclasses say about themselves -----------------------------------------

    def start_date(self) -> dt.date:
        """The date deadlines count from."""
        return timezone.localdate(self.creation) if self.creation else timezone.localdate()

    def start_label(self) -> str:
        return "giao"

    def responsible_unit(self):
        """The unit whose leader directs this document."""
        raise NotImplementedError

    def clean_tables(self):
        """Rules across the ``assignees`` rows once written (the REST layer calls this after a
        PUT or POST that sets them): exactly one "Chủ trì", no one twice, sane deadlines."""
        rows = list(self.assignees.select_related("unit", "user"))
        if rows:
            validate_assignee_rows(self, rows)

    def default_deadline(self) -> dt.date:
        """The deadline of an assignee row that names none."""
        if self.deadline:
            return self.deadline
        return calendar.default_deadline(
            self.start_date(), self.urgency, getattr(self, "document_type", None)
        )

    # Workflow hooks (named in the workflow files' "run") ----------------------------

    @workflow_hook
    def assign(self, ctx):
        """ "Phân công" / "Chuyển xử lý" / "Giao việc": the assignees rows become Assignments."""
        rows = list(self.assignees.select_related("unit", "user").all())
        created = create_assignments(self, ctx.user, rows, note=self.direction)
        self.directed_by = ctx.user
        self.directed_on = ctx.now
        lead = next(a for a in created if a.handling_role == HandlingRole.LEAD)
        if not self.deadline:
            self.deadline = lead.deadline
        ctx.result["assignments"] = [a.name for a in created]

    @workflow_hook
    def hand_down_lead(self, ctx):
        """The head of the lead unit hands the lead assignment to an officer (``assign_to``)."""
        name = ctx.params.get("assignment")
        leads_open = assignments_of(
            self, statuses=OPEN_STATUSES, roles=[HandlingRole.LEAD], top_level=True
        )
        if name:
            parent = leads_open.filter(name=name).first()
        else:
            parent = next((a for a in leads_open if _may_hand_down(ctx.user, a)), None)
        if parent is None or not _may_hand_down(ctx.user, parent):
            raise PermissionError("Chỉ lãnh đạo đơn vị chủ trì được giao xử lý văn bản này.")
        child = create_child(
            _lock(parent),
            ctx.user,
            _user(ctx.params.get("assign_to"), "assign_to"),
            _date(ctx.params.get("deadline"), "deadline"),
            _text(ctx.params.get("note")) or _text(ctx.comment),
        )
        ctx.result["assignment"] = child.name

    @workflow_hook
    def complete(self, ctx):
        """ "Hoàn thành" by the lead: the lead's assignments are done, the rest closed."""
        if not (self.result or "").strip() and not (self.reply_document or "").strip():
            raise ValidationError(
                "Cần nhập kết quả xử lý hoặc văn bản trả lời khi hoàn thành.", field="result"
            )
        now = ctx.now
        today = timezone.localdate(now)
        top_outcome = None
        for a in assignments_of(self, statuses=OPEN_STATUSES).select_for_update():
            if a.handling_role == HandlingRole.LEAD:
                a.status = AssignmentStatus.DONE
                a.outcome = classify(today, a.deadline)
                a.result = self.result
                a.reply_document = self.reply_document
                if a.parent_assignment_id is None:
                    top_outcome = a.outcome
            else:
                a.status = AssignmentStatus.CLOSED
            a.completed_on = now
            a.modified_by = ctx.user.name
            a.save()
        self.completed_on = now
        deadline = self.deadline or today
        self.outcome = top_outcome or classify(today, deadline)

    @workflow_hook
    def recall_all(self, ctx):
        """ "Thu hồi" of a direction: every open assignment is taken back."""
        for a in assignments_of(self, statuses=OPEN_STATUSES).select_for_update():
            _mark_recalled(a, ctx.user, ctx.comment, ctx.now)


# ---------------------------------------------------------------------------------------
# Person rules the workflow files name in "only"


def _lead_rows(doc, statuses):
    return assignments_of(doc, statuses=statuses, roles=[HandlingRole.LEAD])


@person_rule("assigner", "người đã phân công")
def _rule_assigner(doc, user) -> bool:
    return getattr(doc, "directed_by_id", None) == user.pk


@person_rule("owner", "người tạo")
def _rule_owner(doc, user) -> bool:
    return bool(doc.owner) and doc.owner == user.name


@person_rule("unit_leader", "lãnh đạo của đơn vị nhận văn bản hoặc giao việc")
def _rule_unit_leader(doc, user) -> bool:
    unit = doc.responsible_unit()
    return unit is not None and leads(user, unit.pk)


@person_rule("unit_clerk", "văn thư của đơn vị nhận văn bản")
def _rule_unit_clerk(doc, user) -> bool:
    unit = doc.responsible_unit()
    if unit is None:
        return False
    return holds(user, unit.pk, Role.CLERK) or holds(user, unit.agency().pk, Role.CLERK)


@person_rule("lead_unit_head", "lãnh đạo đơn vị chủ trì")
def _rule_lead_unit_head(doc, user) -> bool:
    rows = _lead_rows(doc, OPEN_STATUSES).filter(parent_assignment__isnull=True)
    return any(_may_hand_down(user, a) for a in rows)


@person_rule("lead_assignee", "đơn vị hoặc người chủ trì")
def _rule_lead_assignee(doc, user) -> bool:
    rows = _lead_rows(doc, OPEN_STATUSES + (AssignmentStatus.DONE,))
    for a in rows:
        if a.assigned_to_id == user.pk:
            return True
        if a.assigned_to_id is None and a.unit_id and leads(user, a.unit_id):
            return True
    return False


# ---------------------------------------------------------------------------------------
# Actions on one assignment


def _may_hand_down(user, a: Assignment) -> bool:
    if not a.is_open or not a.unit_id:
        return False
    if a.assigned_to_id not in (None, user.pk):
        return False
    return leads(user, a.unit_id)


def _may_handle(user, a: Assignment) -> bool:
    """The person it is assigned to, or for a unit's assignment the unit's head."""
    if a.assigned_to_id:
        return a.assigned_to_id == user.pk
    return bool(a.unit_id) and leads(user, a.unit_id)


def _may_report(user, a: Assignment) -> bool:
    if a.assigned_to_id:
        return a.assigned_to_id == user.pk
    return bool(a.unit_id) and member_of(user, a.unit_id)


def create_child(parent: Assignment, by, to_user, deadline=None, note: str = "") -> Assignment:
    """Hand ``parent`` (locked, open) down to ``to_user`` of its unit: a child Assignment."""
    from eoffice.doctype.organization import OrganizationUnit, UnitMember

    if not parent.is_open:
        raise ValidationError(f"Việc này đang ở trạng thái «{parent.status}», không thể giao tiếp.")
    if to_user is None:
        raise ValidationError("Cần chọn người được giao xử lý.", field="assign_to")
    if to_user.pk == by.pk:
        raise ValidationError("Không thể tự giao việc cho chính mình.", field="assign_to")
    subtree = OrganizationUnit.objects.filter(path__startswith=parent.unit.path).values("pk")
    if not UnitMember.objects.filter(user=to_user, unit_id__in=subtree).exists():
        raise ValidationError(
            f"«{to_user}» không thuộc «{parent.unit}»; chỉ giao cho cán bộ của đơn vị.",
            field="assign_to",
        )
    if parent.children.filter(assigned_to=to_user, status__in=OPEN_STATUSES).exists():
        raise ValidationError(f"«{to_user}» đang xử lý việc này rồi.", field="assign_to")
    deadline = deadline or parent.deadline
    if deadline > parent.deadline:
        raise ValidationError(
            f"Hạn xử lý {deadline:%d/%m/%Y} không được sau hạn của đơn vị "
            f"{parent.deadline:%d/%m/%Y}.",
            field="deadline",
        )
    if deadline < timezone.localdate(parent.creation):
        raise ValidationError(
            f"Hạn xử lý {deadline:%d/%m/%Y} không được trước ngày giao việc.", field="deadline"
        )
    child = Assignment(
        reference_doctype=parent.reference_doctype,
        reference_name=parent.reference_name,
        unit_id=parent.unit_id,
        assigned_to=to_user,
        handling_role=parent.handling_role,
        deadline=deadline,
        original_deadline=deadline,
        parent_assignment=parent,
        assigned_by=by,
        note=note,
        deadline_state=deadline_state_of(deadline),
        owner=by.name,
        modified_by=by.name,
    )
    child.save()
    _notify_assigned([child], by)
    parent.status = AssignmentStatus.IN_PROGRESS
    parent.modified_by = by.name
    parent.save(update_fields=["status", "modified", "modified_by"])
    return child


def _workflow_action(doc, hook: str) -> str | None:
    """The action of ``doc``'s workflow, from its current state, that runs ``hook``."""
    from eoffice.workflows import engine

    wf = engine.get_workflow(doc._doctype.name)
    if wf is None:
        return None
    state = engine.current_state(wf, doc)
    for t in wf.transitions_from(state):
        if hook in t.run:
            return t.action
    return None


def hand_down(assignment, user, assign_to, deadline=None, note: str = "") -> Assignment:
    """The head of a unit hands the unit's assignment to one of its officers.

    For the lead ("Chủ trì") of a document still "Đã phân công" this is the document's
    workflow action (which also moves it to "Đang xử lý"); otherwise a child Assignment.
    Returns the child.
    """
    a = get_assignment(assignment, user)
    if a.handling_role == HandlingRole.LEAD and a.parent_assignment_id is None and a.is_open:
        doc = a.reference()
        action = _workflow_action(doc, "hand_down_lead")
        if action:
            from eoffice.workflows.engine import transition

            ctx = transition(
                doc,
                action,
                user,
                comment=note,
                assignment=a.name,
                assign_to=assign_to,
                deadline=deadline,
            )
            return Assignment.objects.get(name=ctx.result["assignment"])
    with transaction.atomic():
        a = _lock(a)
        if not _may_hand_down(user, a):
            raise PermissionError("Chỉ lãnh đạo của đơn vị được giao mới được giao tiếp việc này.")
        return create_child(
            a,
            user,
            _user(assign_to, "assign_to"),
            _date(deadline, "deadline"),
            _text(note),
        )


def report_progress(assignment, user, content: str) -> object:
    """A progress report (Comment) on an assignment by whoever handles it."""
    from eoffice.doctype.comment import CommentType

    content = _text(content)
    if not content:
        raise ValidationError("Cần nhập nội dung báo cáo.", field="content")
    with transaction.atomic():
        a = _lock(get_assignment(assignment, user))
        if not _may_report(user, a):
            raise PermissionError("Chỉ người hoặc đơn vị được giao mới báo cáo tiến độ việc này.")
        if not a.is_open:
            raise ValidationError(f"Việc này đã «{a.status}», không báo cáo thêm được.")
        if a.status == AssignmentStatus.OPEN:
            a.status = AssignmentStatus.IN_PROGRESS
            a.modified_by = user.name
            a.save(update_fields=["status", "modified", "modified_by"])
        return _comment(a, user, content, CommentType.PROGRESS)


def request_extension(assignment, user, new_deadline, reason: str) -> ExtensionRequest:
    """ "Xin gia hạn": ask the person who assigned for a later deadline."""
    from eoffice.doctype.comment import CommentType

    new_deadline = _date(new_deadline, "new_deadline")
    reason = _text(reason)
    if new_deadline is None:
        raise ValidationError("Cần nhập hạn mới xin gia hạn.", field="new_deadline")
    if not reason:
        raise ValidationError("Cần nêu lý do xin gia hạn.", field="reason")
    with transaction.atomic():
        a = _lock(get_assignment(assignment, user))
        if not _may_handle(user, a):
            raise PermissionError(
                "Chỉ người hoặc lãnh đạo đơn vị được giao mới xin gia hạn việc này."
            )
        if not a.is_open:
            raise ValidationError(f"Việc này đã «{a.status}», không xin gia hạn được.")
        if new_deadline <= a.deadline:
            raise ValidationError(
                f"Hạn mới phải sau hạn hiện tại {a.deadline:%d/%m/%Y}.", field="new_deadline"
            )
        if a.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationError("Việc này đang có một đề nghị gia hạn chờ duyệt.")
        if a.assigned_by_id is None:
            raise ValidationError("Việc này không có người giao để duyệt gia hạn.")
        x = ExtensionRequest.objects.create(
            assignment=a,
            requested_by=user,
            old_deadline=a.deadline,
            requested_deadline=new_deadline,
            reason=reason,
            owner=user.name,
            modified_by=user.name,
        )
        _comment(
            a,
            user,
            f"Xin gia hạn đến {new_deadline:%d/%m/%Y}: {reason}",
            CommentType.EXTENSION,
        )
        return x


def decide_extension(
    request, user, approve: bool, note: str = "", new_deadline=None
) -> ExtensionRequest:
    """The person who assigned approves (optionally with another date) or refuses a request."""
    from eoffice.doctype.comment import CommentType

    note = _text(note)
    new_deadline = _date(new_deadline, "new_deadline")
    with transaction.atomic():
        x = (
            ExtensionRequest.objects.select_for_update()
            .filter(name=getattr(request, "name", request))
            .first()
        )
        if x is None:
            raise DoesNotExistError(f"Không tìm thấy đề nghị gia hạn «{request}».")
        a = _lock(x.assignment)
        if a.assigned_by_id != user.pk:
            raise PermissionError("Chỉ người đã giao việc mới duyệt hoặc từ chối gia hạn.")
        if x.status != ExtensionStatus.PENDING:
            raise ValidationError(f"Đề nghị gia hạn này đã «{x.status}».")
        if not a.is_open:
            raise ValidationError(f"Việc này đã «{a.status}», không gia hạn được.")
        now = timezone.now()
        x.decided_by, x.decided_on, x.decision_note = user, now, note
        if approve:
            deadline = new_deadline or x.requested_deadline
            if deadline <= a.deadline:
                raise ValidationError(
                    f"Hạn được duyệt phải sau hạn hiện tại {a.deadline:%d/%m/%Y}.",
                    field="new_deadline",
                )
            parent = a.parent_assignment
            if parent is not None and deadline > parent.deadline:
                raise ValidationError(
                    f"Hạn được duyệt không được sau hạn của việc cấp trên "
                    f"{parent.deadline:%d/%m/%Y}.",
                    field="new_deadline",
                )
            x.status, x.approved_deadline = ExtensionStatus.APPROVED, deadline
            a.deadline = deadline
            a.deadline_state = deadline_state_of(deadline)
            a.modified_by = user.name
            a.save(update_fields=["deadline", "deadline_state", "modified", "modified_by"])
            if parent is None and a.handling_role == HandlingRole.LEAD:
                # The lead's deadline is the document's handling deadline.
                doc = a.reference()
                type(doc).objects.filter(pk=doc.pk).update(deadline=deadline)
            text = f"Đồng ý gia hạn đến {deadline:%d/%m/%Y}"
        else:
            x.status = ExtensionStatus.REFUSED
            text = "Không đồng ý gia hạn"
        x.modified_by = user.name
        x.save()
        _comment(a, user, text + (f": {note}" if note else "."), CommentType.EXTENSION)
        return x


def _mark_recalled(a: Assignment, user, reason: str, now) -> None:
    for child in a.children.filter(status__in=OPEN_STATUSES).select_for_update():
        _mark_recalled(child, user, reason, now)
    a.status = AssignmentStatus.RECALLED
    a.recalled_on, a.recalled_by, a.recall_reason = now, user, _text(reason)
    a.modified_by = user.name
    a.save()
    ExtensionRequest.objects.filter(assignment=a, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REFUSED,
        decided_by=user,
        decided_on=now,
        decision_note="Việc đã bị thu hồi.",
    )


def recall(assignment, user, reason: str = "") -> Assignment:
    """ "Thu hồi": the person who assigned takes an open assignment back (with its children).

    Recalling the lead of a document is the document's workflow action "Thu hồi", which
    takes back the whole direction and returns the document to its leader.
    """
    from eoffice.doctype.comment import CommentType

    a = get_assignment(assignment, user)
    if a.handling_role == HandlingRole.LEAD and a.parent_assignment_id is None and a.is_open:
        doc = a.reference()
        action = _workflow_action(doc, "recall_all")
        if action:
            from eoffice.workflows.engine import apply_workflow

            apply_workflow(doc, action, user, comment=reason)
            return Assignment.objects.get(pk=a.pk)
    with transaction.atomic():
        a = _lock(a)
        if a.assigned_by_id != user.pk:
            raise PermissionError("Chỉ người đã giao việc mới được thu hồi.")
        if not a.is_open:
            raise ValidationError(f"Việc này đã «{a.status}», không thu hồi được.")
        _mark_recalled(a, user, reason, timezone.now())
        parent = a.parent_assignment
        if parent is not None and parent.is_open:
            parent = _lock(parent)
            if not parent.children.filter(status__in=OPEN_STATUSES).exists():
                parent.status = AssignmentStatus.OPEN
                parent.save(update_fields=["status", "modified"])
        _comment(a, user, "Thu hồi" + (f": {_text(reason)}" if reason else "."), CommentType.RECALL)
        return a


def _finish(a: Assignment, user, result: str = "", reply_document: str = "", read=False):
    now = timezone.now()
    a.status = AssignmentStatus.DONE
    a.completed_on = now
    a.outcome = classify(timezone.localdate(now), a.deadline)
    if read:
        a.read_on = now
    a.result = _text(result) or a.result
    a.reply_document = _text(reply_document) or a.reply_document
    a.modified_by = user.name
    a.save()


def mark_read(assignment, user) -> Assignment:
    """A "Nhận để biết" assignment is done when the person (or a member of the unit) reads it."""
    with transaction.atomic():
        a = _lock(get_assignment(assignment, user))
        if a.handling_role != HandlingRole.INFORM:
            raise ValidationError("Chỉ việc «Nhận để biết» mới hoàn thành khi đọc.")
        if not _may_report(user, a):
            raise PermissionError("Việc này không giao cho bạn hoặc đơn vị của bạn.")
        if a.is_open:
            _finish(a, user, read=True)
        return a


def mark_read_for(doc, user) -> list[Assignment]:
    """Complete every open "Nhận để biết" of ``doc`` that names the user or their unit.

    The desk calls it when someone opens the document.
    """
    unit_ids = {u for u, _r in _memberships(user)}
    done = []
    with transaction.atomic():
        rows = assignments_of(doc, statuses=OPEN_STATUSES, roles=[HandlingRole.INFORM]).filter(
            Q(assigned_to=user) | Q(assigned_to__isnull=True, unit_id__in=unit_ids)
        )
        for a in rows.select_for_update():
            _finish(a, user, read=True)
            done.append(a)
    return done


def complete_assignment(assignment, user, result: str = "", reply_document: str = "") -> Assignment:
    """Report an assignment done.

    The lead of a document completes the document itself (its workflow action "Hoàn
    thành"); a co-operating unit or person reports its part done with a result; a
    "Nhận để biết" is done as when read.
    """
    a = get_assignment(assignment, user)
    if a.handling_role == HandlingRole.LEAD and a.is_open:
        doc = a.reference()
        action = _workflow_action(doc, "complete")
        if action:
            from eoffice.workflows.engine import apply_workflow

            apply_workflow(doc, action, user, result=result, reply_document=reply_document)
            return Assignment.objects.get(pk=a.pk)
    if a.handling_role == HandlingRole.INFORM:
        return mark_read(a, user)
    result = _text(result)
    with transaction.atomic():
        a = _lock(a)
        if not _may_handle(user, a):
            raise PermissionError(
                "Chỉ người hoặc lãnh đạo đơn vị được giao mới báo cáo hoàn thành."
            )
        if not a.is_open:
            raise ValidationError(f"Việc này đã «{a.status}».")
        if not result and not reply_document:
            raise ValidationError("Cần nhập kết quả xử lý khi báo cáo hoàn thành.", field="result")
        if a.children.filter(status__in=OPEN_STATUSES).exists() and not leads(user, a.unit_id):
            raise ValidationError("Việc này còn cán bộ đang xử lý.")
        for child in a.children.filter(status__in=OPEN_STATUSES).select_for_update():
            _finish(child, user, result, reply_document)
        _finish(a, user, result, reply_document)
        return a


# ---------------------------------------------------------------------------------------
# Inboxes


def my_assignments(user, start: int = 0, limit: int = 20):
    """ "Việc của tôi": the user's open assignments, earliest deadline first.

    Served by the index ``asg_inbox_user`` (assigned_to, status, deadline).
    """
    return (
        Assignment.objects.filter(assigned_to=user, status__in=OPEN_STATUSES)
        .order_by("deadline", "id")
        .select_related("unit", "assigned_by")[start : start + limit]
    )


def unit_assignments(unit, start: int = 0, limit: int = 20):
    """ "Việc của đơn vị": a unit's own open assignments (not yet a person's), earliest first.

    Served by the index ``asg_inbox_unit`` (unit, status, assigned_to, deadline).
    """
    unit_id = getattr(unit, "pk", unit)
    return (
        Assignment.objects.filter(unit_id=unit_id, status__in=OPEN_STATUSES, assigned_to=None)
        .order_by("deadline", "id")
        .select_related("unit", "assigned_by")[start : start + limit]
    )


def assignment_dict(a: Assignment) -> dict:
    """An assignment as the inbox and the tree send it."""
    out = a.as_dict()
    out["unit_name"] = a.unit.unit_name if a.unit_id else None
    out["assigned_to_name"] = a.assigned_to.full_name if a.assigned_to_id else None
    return out


def assignment_tree(doc) -> list[dict]:
    """The assignments of a document as a tree: top-level rows with their ``children``."""
    rows = list(
        assignments_of(doc).select_related("unit", "assigned_to", "assigned_by").order_by("id")
    )
    nodes = {a.pk: {**assignment_dict(a), "children": []} for a in rows}
    roots = []
    for a in rows:
        if a.parent_assignment_id and a.parent_assignment_id in nodes:
            nodes[a.parent_assignment_id]["children"].append(nodes[a.pk])
        else:
            roots.append(nodes[a.pk])
    return roots
