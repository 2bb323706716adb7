"""The models of outgoing documents: the document, its recipients, draft versions, cancelled
numbers and recipient groups; and who may read them.

The rules that act on them live beside this module: numbering (:mod:`.numbering`),
distribution and recall (:mod:`.distribution`), drafting (:mod:`.drafting`); the workflow file
``workflows/outgoing_document.json`` names the hooks defined on :class:`OutgoingDocument`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Role, Secrecy, SigningAuthority, UnitKind, Urgency
from eoffice.doctype.base import ALL_ROLES, ChildModel, DocModel, doctype
from eoffice.workflows.rules import workflow_hook

DOCTYPE = "Outgoing Document"
INITIAL_STATE = "Dự thảo"
ISSUED_STATE = "Đã phát hành"
RECALLED_STATE = "Đã thu hồi"
#: States in which the document has not left the agency yet (its draft may still change).
BEFORE_ISSUE = ("Dự thảo", "Chờ duyệt", "Chờ kiểm tra thể thức", "Chờ ký", "Đã ký", "Đã cấp số")


class DeliveryStatus(models.TextChoices):
    """Where a recipient's copy is: one vocabulary for units of this site and other agencies.

    Other agencies report with the status codes of edXML (DOMAIN.md): 01 … 06, 13/15/16.
    """

    QUEUED = "Chờ gửi"
    SENT = "Đã gửi"
    SEND_FAILED = "Lỗi gửi"
    PAPER = "Gửi bản giấy"
    ARRIVED = "Đã đến"  # 01
    REFUSED = "Từ chối tiếp nhận"  # 02
    RECEIVED = "Đã tiếp nhận"  # 03
    ASSIGNED = "Đã phân công"  # 04
    IN_PROGRESS = "Đang xử lý"  # 05
    DONE = "Hoàn thành"  # 06
    RECALL_REQUESTED = "Lấy lại"  # 13
    RECALL_AGREED = "Đồng ý lấy lại"  # 15
    RECALL_REFUSED = "Từ chối lấy lại"  # 16
    WITHDRAWN = "Đã thu hồi"
    RECALL_NOTIFIED = "Đã báo thu hồi"


#: edXML status code → delivery status (DOMAIN.md's list).
STATUS_BY_CODE = {
    "01": DeliveryStatus.ARRIVED,
    "02": DeliveryStatus.REFUSED,
    "03": DeliveryStatus.RECEIVED,
    "04": DeliveryStatus.ASSIGNED,
    "05": DeliveryStatus.IN_PROGRESS,
    "06": DeliveryStatus.DONE,
    "13": DeliveryStatus.RECALL_REQUESTED,
    "15": DeliveryStatus.RECALL_AGREED,
    "16": DeliveryStatus.RECALL_REFUSED,
}


# ---------------------------------------------------------------------------------------
# Who may read


def secret_readers_filter(user, queryset):
    """Of ``queryset``, the secret outgoing documents ("Mật" and above) naming the user.

    Named: the drafter, the signer, whoever approved, checked, numbered or issued it, the
    leaders of the drafting unit (they approve it) and the clerks and leaders of the issuing
    agency (they keep the secret register and sign).
    """
    from eoffice.permissions import LEADING_ROLES, memberships

    pairs = memberships(user)
    led = [u for u, r in pairs if r in LEADING_ROLES]
    clerk_of = [u for u, r in pairs if r == Role.CLERK]
    return queryset.filter(
        Q(owner=user.name)
        | Q(signer=user)
        | Q(approved_by=user)
        | Q(format_checked_by=user)
        | Q(numbered_by=user)
        | Q(issued_by=user)
        | Q(drafting_unit_id__in=led)
        | Q(issuing_agency_id__in=led + clerk_of)
    )


def outgoing_scope(user, queryset):
    """Drafts and documents of the units in the user's scope, of the agencies where they are a
    clerk or leader, or that they drafted or sign; secret ones only where named."""
    from eoffice.permissions import LEADING_ROLES, memberships, units_in_scope

    units = units_in_scope(user)
    agencies = [u for u, r in memberships(user) if r == Role.CLERK or r in LEADING_ROLES]
    visible = queryset.filter(
        Q(drafting_unit_id__in=units)
        | Q(issuing_agency_id__in=agencies)
        | Q(owner=user.name)
        | Q(signer=user)
    )
    secret_rows = queryset.model.objects.exclude(secrecy=Secrecy.NORMAL)
    secret_ok = secret_readers_filter(user, secret_rows).values("pk")
    return visible.filter(Q(secrecy=Secrecy.NORMAL) | Q(pk__in=secret_ok))


def via_document_scope(user, queryset):
    """Rows that belong to an outgoing document the user may read."""
    from eoffice.permissions import filter_queryset

    docs = filter_queryset(user, OutgoingDocument._doctype, OutgoingDocument.objects.all())
    return queryset.filter(outgoing_document__in=docs.values("pk"))


def register_scope(user, queryset):
    """Rows of the registers of the units in the user's scope."""
    from eoffice.permissions import units_in_scope

    return queryset.filter(register__unit_id__in=units_in_scope(user))


# ---------------------------------------------------------------------------------------


class OutgoingRecipient(ChildModel):
    """A recipient ("nơi nhận"): a unit of this site, or another agency (its electronic code
    and name; a name without a code is sent on paper) — and where its copy is now."""

    parent = models.ForeignKey(
        "eoffice.OutgoingDocument", on_delete=models.CASCADE, related_name="recipients"
    )
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency_code = models.CharField(_("Mã định danh cơ quan nhận"), max_length=40, blank=True)
    agency_name = models.CharField(_("Tên cơ quan nhận"), max_length=255, blank=True)
    delivery_status = models.CharField(
        _("Tình trạng gửi"), max_length=30, choices=DeliveryStatus.choices, blank=True
    )
    delivered_at = models.DateTimeField(_("Ngày nhận được"), null=True, blank=True)
    read_at = models.DateTimeField(_("Ngày đọc"), null=True, blank=True)
    read_by = models.CharField(_("Người đọc"), max_length=140, blank=True)
    acted_at = models.DateTimeField(_("Ngày bắt đầu xử lý"), null=True, blank=True)
    handled_at = models.DateTimeField(_("Ngày xử lý xong"), null=True, blank=True)
    handled_by = models.CharField(_("Người xử lý xong"), max_length=140, blank=True)
    incoming_document = models.ForeignKey(
        "eoffice.IncomingDocument",
        verbose_name=_("Văn bản đến của nơi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_recipients",
    )
    status_code = models.CharField(_("Mã trạng thái edXML"), max_length=2, blank=True)
    status_note = models.TextField(_("Ghi chú trạng thái"), blank=True)
    status_at = models.DateTimeField(_("Thời điểm trạng thái"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("Ngày thu hồi"), null=True, blank=True)

    class Meta(ChildModel.Meta):
        app_label = "eoffice"
        verbose_name = _("Nơi nhận")
        verbose_name_plural = _("Nơi nhận")

    def __str__(self):
        return self.label()

    @property
    def is_internal(self) -> bool:
        return bool(self.unit_id)

    def label(self) -> str:
        """The recipient as people read it."""
        if self.unit_id:
            return self.unit.unit_name
        return self.agency_name or self.agency_code


#: Fields of a recipient row that only the system writes (reset when the document is issued).
DELIVERY_FIELDS = (
    "delivery_status",
    "delivered_at",
    "read_at",
    "read_by",
    "acted_at",
    "handled_at",
    "handled_by",
    "incoming_document",
    "status_code",
    "status_note",
    "status_at",
    "withdrawn_at",
)


@doctype(
    DOCTYPE,
    permissions={
        "read": ALL_ROLES,
        "create": ["Chuyên viên", "Lãnh đạo đơn vị", "Lãnh đạo", "Văn thư"],
        "write": ["Chuyên viên", "Lãnh đạo đơn vị", "Lãnh đạo", "Văn thư"],
        "delete": ["Quản trị"],
    },
    scope=outgoing_scope,
    child_tables={"recipients": OutgoingRecipient},
    title_field="summary",
    search_fields=("summary", "symbol"),
    read_only_fields=(
        "number",
        "symbol",
        "issue_date",
        "register",
        "workflow_state",
        "signed_on",
        "signed_version",
        "approved_by",
        "approved_on",
        "format_checked_by",
        "format_checked_on",
        "numbered_by",
        "numbered_on",
        "issued_by",
        "issued_on",
        "recalled_by",
        "recalled_on",
        "recall_reason",
        "return_reason",
        "edxml_document_id",
    ),
)
class OutgoingDocument(DocModel):
    """Văn bản đi: drafted in a unit, approved, checked, signed, numbered, issued — and then
    followed to every recipient."""

    autoname = "VBDI-.YYYY.-.######"

    number = models.PositiveIntegerField(_("Số"), null=True, blank=True)
    symbol = models.CharField(
        _("Số, ký hiệu"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ 15/QĐ-UBND, 45/UBND-VP, 12/2017/QĐ-UBND; cấp khi «Cấp số»."),
    )
    issue_date = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    document_type = models.ForeignKey(
        "eoffice.DocumentType",
        verbose_name=_("Loại văn bản"),
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    is_normative = models.BooleanField(
        _("Văn bản quy phạm pháp luật"),
        default=False,
        help_text=_("Có năm trong số ký hiệu và dãy số riêng, ví dụ 12/2017/QĐ-UBND."),
    )
    summary = models.TextField(_("Trích yếu"))
    drafting_unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị soạn thảo"),
        on_delete=models.PROTECT,
        related_name="outgoing_drafted",
    )
    issuing_agency = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_issued",
        help_text=_("Mặc định: cơ quan có sổ, văn thư của đơn vị soạn thảo."),
    )
    register = models.ForeignKey(
        "eoffice.DocumentRegister",
        verbose_name=_("Sổ văn bản đi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    signer = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Lãnh đạo được trình ký; là người đã ký sau khi «Ký»."),
    )
    signing_authority = models.CharField(
        _("Thẩm quyền ký"), max_length=10, choices=SigningAuthority.choices, blank=True
    )
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=140, blank=True)
    signed_on = models.DateTimeField(_("Ngày ký"), null=True, blank=True)
    signed_version = models.PositiveIntegerField(_("Phiên bản đã ký"), null=True, blank=True)
    urgency = models.CharField(
        _("Độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.CharField(
        _("Độ mật"), max_length=20, choices=Secrecy.choices, default=Secrecy.NORMAL
    )
    in_reply_to = models.ForeignKey(
        "eoffice.IncomingDocument",
        verbose_name=_("Trả lời văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("Thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
        help_text=_("Văn bản đã phát hành mà văn bản này thay thế; nó bị thu hồi khi phát hành."),
    )
    requires_report = models.BooleanField(
        _("Yêu cầu báo cáo"),
        default=False,
        help_text=_("Mỗi đơn vị nhận được giao chủ trì, báo cáo trước hạn báo cáo."),
    )
    report_deadline = models.DateField(_("Hạn báo cáo"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("Số trang"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("Số bản"), null=True, blank=True)
    place = models.CharField(
        _("Địa danh"), max_length=100, blank=True, help_text=_("Nơi ban hành, ví dụ Gia Lâm.")
    )
    notes = models.TextField(_("Ghi chú"), blank=True)
    workflow_state = models.CharField(_("Trạng thái"), max_length=40, default=INITIAL_STATE)
    return_reason = models.TextField(_("Lý do trả lại"), blank=True)
    approved_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người duyệt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_on = models.DateTimeField(_("Ngày duyệt"), null=True, blank=True)
    format_checked_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người kiểm tra thể thức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    format_checked_on = models.DateTimeField(_("Ngày kiểm tra thể thức"), null=True, blank=True)
    numbered_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người cấp số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    numbered_on = models.DateTimeField(_("Thời điểm cấp số"), null=True, blank=True)
    issued_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người phát hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateTimeField(_("Thời điểm phát hành"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người thu hồi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recalled_on = models.DateTimeField(_("Ngày thu hồi"), null=True, blank=True)
    recall_reason = models.TextField(_("Lý do thu hồi"), blank=True)
    edxml_document_id = models.CharField(_("Mã văn bản edXML"), max_length=255, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Văn bản đi")
        verbose_name_plural = _("Văn bản đi")
        ordering = ["-creation", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="unique_outgoing_number"),
        ]
        indexes = [
            models.Index(fields=["drafting_unit", "workflow_state"], name="vbdi_unit_state"),
            models.Index(fields=["issuing_agency", "workflow_state"], name="vbdi_agency_state"),
            models.Index(fields=["symbol"], name="vbdi_symbol"),
            models.Index(fields=["secrecy"], name="vbdi_secrecy"),
        ]

    def __str__(self):
        return self.symbol or self.summary[:80] or self.name

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NORMAL

    # Rules --------------------------------------------------------------------------------

    def clean(self):
        from eoffice.text import nfc

        for name in ("summary", "signer_title", "place", "notes"):
            setattr(self, name, nfc((getattr(self, name) or "").strip()))
        errors = {}
        if self.drafting_unit_id:
            unit = self.drafting_unit
            if not unit.is_active:
                errors["drafting_unit"] = [_("Đơn vị soạn thảo không còn hoạt động.")]
            if not self.issuing_agency_id:
                self.issuing_agency = unit.agency()
            else:
                agency = self.issuing_agency
                keeps = agency.kind == UnitKind.AGENCY or agency.keeps_own_registers
                if not keeps or not unit.path.startswith(agency.path):
                    errors["issuing_agency"] = [
                        _(
                            "Cơ quan ban hành phải là cơ quan có văn thư và sổ riêng, là đơn vị "
                            "soạn thảo hoặc cấp trên của nó."
                        )
                    ]
        if self.is_normative and self.document_type_id and not self.document_type.is_normative:
            errors["is_normative"] = [
                _("Loại «{type}» không ban hành dưới dạng văn bản quy phạm pháp luật.").format(
                    type=self.document_type.type_name
                )
            ]
        if self.is_normative and self.secrecy != Secrecy.NORMAL:
            errors["secrecy"] = [_("Văn bản quy phạm pháp luật không phải văn bản mật.")]
        if self.requires_report and not self.report_deadline:
            errors["report_deadline"] = [_("Cần nhập hạn báo cáo khi yêu cầu báo cáo.")]
        if self.report_deadline and not self.issued_on:
            start = self.issue_date or timezone.localdate()
            if self.report_deadline < start:
                errors["report_deadline"] = [
                    _("Hạn báo cáo {deadline} không được trước ngày {start}.").format(
                        deadline=f"{self.report_deadline:%d/%m/%Y}", start=f"{start:%d/%m/%Y}"
                    )
                ]
        if self.replaces_id and not self.issued_on:
            old = self.replaces
            if old.pk == self.pk or old.workflow_state != ISSUED_STATE:
                errors["replaces"] = [
                    _("Chỉ thay thế được một văn bản khác đang ở trạng thái «Đã phát hành».")
                ]
            elif self.issuing_agency_id and old.issuing_agency_id != self.issuing_agency_id:
                errors["replaces"] = [_("Văn bản bị thay thế phải do cùng cơ quan ban hành.")]
        if self.page_count is not None and self.page_count == 0:
            errors["page_count"] = [_("Số trang phải lớn hơn 0.")]
        if self.copies is not None and self.copies == 0:
            errors["copies"] = [_("Số bản phải lớn hơn 0.")]
        if errors:
            raise DjangoValidationError(errors)

    def clean_tables(self):
        """Rules across the ``recipients`` rows (the REST layer calls this after a PUT/POST)."""
        from eoffice.doctype.outgoing_document.distribution import validate_recipient_rows

        validate_recipient_rows(self, list(self.recipients.select_related("unit")))

    def agency(self):
        """The issuing agency (the drafting unit's agency when none is chosen yet)."""
        if self.issuing_agency_id:
            return self.issuing_agency
        return self.drafting_unit.agency() if self.drafting_unit_id else None

    # Workflow hooks (named in workflows/outgoing_document.json) ---------------------------

    @workflow_hook
    def submit_draft(self, ctx):
        """ "Trình duyệt": a draft goes up with its file; an earlier return reason is cleared."""
        from eoffice.doctype.outgoing_document.drafting import submit_draft

        submit_draft(self, ctx)

    @workflow_hook
    def approve(self, ctx):
        """ "Duyệt" by the head of the drafting unit."""
        self.approved_by, self.approved_on = ctx.user, ctx.now

    @workflow_hook
    def return_draft(self, ctx):
        """ "Trả lại": back to the drafter, with the reason kept on the document."""
        self.return_reason = ctx.comment

    @workflow_hook
    def check_format(self, ctx):
        """ "Đạt": the clerk has checked the form (thể thức) of the draft."""
        self.format_checked_by, self.format_checked_on = ctx.user, ctx.now

    @workflow_hook
    def sign(self, ctx):
        """ "Ký": the leader signs; the latest draft version is the signed one."""
        from eoffice.doctype.outgoing_document.drafting import sign

        sign(self, ctx)

    @workflow_hook
    def take_number(self, ctx):
        """ "Cấp số": the next number of the right series, the symbol and today's date."""
        from eoffice.doctype.outgoing_document.numbering import take_number

        take_number(self, ctx)

    @workflow_hook
    def cancel_number(self, ctx):
        """ "Hủy số": the number is recorded as cancelled (never reused); a new one comes later."""
        from eoffice.doctype.outgoing_document.numbering import cancel_number

        cancel_number(self, ctx)

    @workflow_hook
    def issue(self, ctx):
        """ "Phát hành": every recipient gets its copy, in this transaction."""
        from eoffice.doctype.outgoing_document.distribution import issue

        issue(self, ctx)

    @workflow_hook
    def recall(self, ctx):
        """ "Thu hồi": withdrawn where nobody acted yet; those who acted are told."""
        from eoffice.doctype.outgoing_document.distribution import recall

        recall(self, ctx)


# ---------------------------------------------------------------------------------------


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RuntimeError("Phiên bản dự thảo không được sửa.")

    def delete(self):
        raise RuntimeError("Phiên bản dự thảo không được xóa.")


@doctype(
    "Outgoing Document Version",
    permissions={"read": ALL_ROLES},
    scope=via_document_scope,
    title_field="note",
    read_only_fields=("outgoing_document", "version", "file", "note"),
)
class DraftVersion(DocModel):
    """One version of the draft's file. Versions are only added: an earlier file is never
    replaced, changed or deleted (see :func:`.drafting.add_draft_version`)."""

    autoname = "hash"

    outgoing_document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("Văn bản đi"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("Phiên bản"))
    file = models.ForeignKey(
        "eoffice.File", verbose_name=_("Tệp"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Phiên bản dự thảo")
        verbose_name_plural = _("Phiên bản dự thảo")
        ordering = ["outgoing_document", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["outgoing_document", "version"], name="unique_draft_version"
            ),
        ]

    def __str__(self):
        return f"{self.outgoing_document} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Phiên bản dự thảo không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Phiên bản dự thảo không được xóa.")


@doctype(
    "Cancelled Number",
    permissions={"read": ["Văn thư", "Lãnh đạo", "Lãnh đạo đơn vị", "Quản trị"]},
    scope=register_scope,
    title_field="symbol",
    read_only_fields=(
        "register",
        "number",
        "symbol",
        "issue_date",
        "outgoing_document",
        "reason",
        "cancelled_by",
        "cancelled_on",
    ),
)
class CancelledNumber(DocModel):
    """A number of an outgoing series that was given and then cancelled ("số bị hủy").

    The register keeps it as cancelled: it is never given again, and the series shows no gap.
    """

    autoname = "hash"

    register = models.ForeignKey(
        "eoffice.DocumentRegister",
        verbose_name=_("Sổ văn bản đi"),
        on_delete=models.PROTECT,
        related_name="cancelled_numbers",
    )
    number = models.PositiveIntegerField(_("Số"))
    symbol = models.CharField(_("Số, ký hiệu"), max_length=100)
    issue_date = models.DateField(_("Ngày cấp số"))
    outgoing_document = models.ForeignKey(
        OutgoingDocument,
        verbose_name=_("Văn bản đi"),
        on_delete=models.PROTECT,
        related_name="cancelled_numbers",
    )
    reason = models.TextField(_("Lý do hủy số"))
    cancelled_by = models.ForeignKey(
        "eoffice.User", verbose_name=_("Người hủy số"), on_delete=models.PROTECT, related_name="+"
    )
    cancelled_on = models.DateTimeField(_("Thời điểm hủy số"))

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Số văn bản đi đã hủy")
        verbose_name_plural = _("Số văn bản đi đã hủy")
        ordering = ["register", "number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="unique_cancelled_number"),
        ]

    def __str__(self):
        return f"{self.symbol} (đã hủy)"


class RecipientGroupUnit(ChildModel):
    """A unit named in a recipient group."""

    parent = models.ForeignKey(
        "eoffice.RecipientGroup", on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(ChildModel.Meta):
        app_label = "eoffice"
        verbose_name = _("Đơn vị trong nhóm nơi nhận")
        verbose_name_plural = _("Đơn vị trong nhóm nơi nhận")


@doctype(
    "Recipient Group",
    permissions={
        "read": ALL_ROLES,
        "create": ["Quản trị"],
        "write": ["Quản trị"],
        "delete": ["Quản trị"],
    },
    child_tables={"units": RecipientGroupUnit},
    title_field="group_name",
    search_fields=("group_name",),
)
class RecipientGroup(DocModel):
    """A recipient group ("nhóm nơi nhận") chosen in one click: the units of some kinds below
    the issuing agency (e.g. "Xã" and "Thị trấn": all communes and towns), plus named units."""

    autoname = "field:group_name"

    group_name = models.CharField(_("Tên nhóm"), max_length=140, unique=True)
    unit_kinds = models.JSONField(
        _("Loại đơn vị"),
        default=list,
        blank=True,
        help_text=_('Ví dụ ["Xã", "Thị trấn"]: mọi xã, thị trấn thuộc cơ quan ban hành.'),
    )
    description = models.CharField(_("Mô tả"), max_length=255, blank=True)
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    sort_order = models.IntegerField(_("Thứ tự"), default=0)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Nhóm nơi nhận")
        verbose_name_plural = _("Nhóm nơi nhận")
        ordering = ["sort_order", "group_name"]

    def __str__(self):
        return self.group_name

    def save(self, *args, **kwargs):
        self.name = self.group_name
        super().save(*args, **kwargs)

    def clean(self):
        kinds = self.unit_kinds
        if not isinstance(kinds, list) or any(k not in UnitKind.values for k in kinds):
            raise DjangoValidationError(
                {
                    "unit_kinds": [
                        _("Loại đơn vị phải là danh sách trong: {kinds}.").format(
                            kinds=", ".join(UnitKind.values)
                        )
                    ]
                }
            )


#: The groups every site starts with (a data migration creates them; administrators edit).
STANDARD_RECIPIENT_GROUPS = [
    ("Các xã, thị trấn", [UnitKind.COMMUNE.value, UnitKind.TOWN.value], 1),
    ("Các phòng, ban chuyên môn", [UnitKind.DEPARTMENT.value], 2),
    ("Các đơn vị hiệp quản", [UnitKind.COORDINATING.value], 3),
]


def ensure_standard_recipient_groups(model=None) -> int:
    """Create the standard groups that are missing (an edited one is left alone)."""
    model = model or RecipientGroup
    created = 0
    for group_name, kinds, order in STANDARD_RECIPIENT_GROUPS:
        _obj, made = model.objects.get_or_create(
            group_name=group_name,
            defaults={"name": group_name, "unit_kinds": kinds, "sort_order": order},
        )
        created += made
    return created
