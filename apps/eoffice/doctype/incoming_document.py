"""DocType "Incoming Document" (văn bản đến): the register's fields, its rules, who reads it.

The path of DOMAIN.md's incoming table is the workflow ``workflows/incoming_document.json``;
this module holds what that file names: the hook ``take_arrival_number`` ("Vào sổ" gives the
next "số đến" of the receiving unit's register for the year and secrecy level, in the
transition's transaction), and, through :class:`AssignableDocument`, the hooks of direction
and assignment. It also holds the duplicate check (:func:`find_duplicates`) and the reading
rule (:func:`incoming_scope`, with the secrecy rule in :func:`secret_readers_filter`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Direction, Secrecy, Urgency
from eoffice.doctype.assignment import (
    AssignableDocument,
    AssigneeRow,
    Assignment,
    AssignmentStatus,
)
from eoffice.doctype.base import ALL_ROLES, doctype
from eoffice.doctype.file import OcrStatus
from eoffice.workflows.rules import workflow_hook

DOCTYPE = "Incoming Document"
INITIAL_STATE = "Chờ tiếp nhận"
#: How far in the future a typed arrival time may be (clocks of scanners and PCs drift).
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


# ---------------------------------------------------------------------------------------
# Who may read


def secret_readers_filter(user, queryset):
    """Of ``queryset``, the secret documents ("Mật" and above) the user is named on.

    Named: whoever created or registered it, the leader it was submitted to, the leader who
    directed it, a person it is assigned to, and the head of a unit it is assigned to. The
    one place of this rule; the security issue extends it (audit of every view).
    """
    from eoffice.permissions import LEADING_ROLES, memberships

    led = [u for u, r in memberships(user) if r in LEADING_ROLES]
    assigned = Assignment.objects.filter(
        reference_doctype=DOCTYPE, reference_name=OuterRef("name")
    ).exclude(status=AssignmentStatus.RECALLED)
    assigned = assigned.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True, unit_id__in=led))
    return queryset.filter(
        Q(owner=user.name)
        | Q(registered_by=user)
        | Q(leader=user)
        | Q(directed_by=user)
        | Exists(assigned)
    )


def incoming_scope(user, queryset):
    """Documents of the registers of the user's units, or assigned to the user or their units;
    secret ones only where :func:`secret_readers_filter` names the user."""
    from eoffice.permissions import units_in_scope

    units = units_in_scope(user)
    assigned = (
        Assignment.objects.filter(reference_doctype=DOCTYPE)
        .exclude(status=AssignmentStatus.RECALLED)
        .filter(Q(assigned_to=user) | Q(unit_id__in=units))
        .values("reference_name")
    )
    visible = queryset.filter(Q(receiving_unit_id__in=units) | Q(name__in=assigned))
    # Only the (few) secret rows are looked at here, through the index on secrecy.
    secret_rows = queryset.model.objects.exclude(secrecy=Secrecy.NORMAL)
    secret_ok = secret_readers_filter(user, secret_rows).values("pk")
    return visible.filter(Q(secrecy=Secrecy.NORMAL) | Q(pk__in=secret_ok))


# ---------------------------------------------------------------------------------------


class IncomingDocumentAssignee(AssigneeRow):
    """A row of the direction of an incoming document (child table ``assignees``)."""

    parent = models.ForeignKey(
        "eoffice.IncomingDocument", on_delete=models.CASCADE, related_name="assignees"
    )

    class Meta(AssigneeRow.Meta):
        app_label = "eoffice"
        verbose_name = _("Đơn vị, người xử lý văn bản đến")
        verbose_name_plural = _("Đơn vị, người xử lý văn bản đến")


@doctype(
    DOCTYPE,
    permissions={
        "read": ALL_ROLES,
        "create": ["Văn thư"],
        "write": ["Văn thư", "Lãnh đạo", "Lãnh đạo đơn vị"],
        "delete": ["Quản trị"],
    },
    scope=incoming_scope,
    child_tables={"assignees": IncomingDocumentAssignee},
    title_field="summary",
    search_fields=("summary", "document_number", "issuer"),
    read_only_fields=(
        "arrival_number",
        "register",
        "workflow_state",
        "ocr_status",
        "registered_by",
        "registered_on",
        "directed_by",
        "directed_on",
        "completed_on",
        "outcome",
        "withdrawn_on",
        "withdrawn_reason",
    ),
)
class IncomingDocument(AssignableDocument):
    """Văn bản đến: one document received, registered, directed and handled."""

    autoname = "VBD-.YYYY.-.######"

    arrival_number = models.PositiveIntegerField(_("Số đến"), null=True, blank=True)
    arrival_date = models.DateTimeField(
        _("Ngày đến"),
        default=timezone.now,
        help_text=_("Ngày, và giờ với văn bản khẩn."),
    )
    register = models.ForeignKey(
        "eoffice.DocumentRegister",
        verbose_name=_("Sổ văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    receiving_unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị nhận"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    issuer = models.CharField(_("Cơ quan ban hành"), max_length=255)
    issuer_code = models.CharField(_("Mã định danh cơ quan ban hành"), max_length=40, blank=True)
    document_number = models.CharField(_("Số, ký hiệu"), max_length=100)
    document_date = models.DateField(_("Ngày văn bản"))
    document_type = models.ForeignKey(
        "eoffice.DocumentType",
        verbose_name=_("Loại văn bản"),
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    summary = models.TextField(_("Trích yếu"))
    signer = models.CharField(_("Người ký"), max_length=140, blank=True)
    page_count = models.PositiveIntegerField(_("Số trang"), null=True, blank=True)
    urgency = models.CharField(
        _("Độ khẩn"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.CharField(
        _("Độ mật"), max_length=20, choices=Secrecy.choices, default=Secrecy.NORMAL
    )
    deadline = models.DateField(_("Hạn giải quyết"), null=True, blank=True)
    workflow_state = models.CharField(_("Trạng thái"), max_length=40, default=INITIAL_STATE)
    ocr_status = models.CharField(
        _("Trạng thái nhận dạng"),
        max_length=20,
        choices=OcrStatus.choices,
        default=OcrStatus.NOT_NEEDED,
    )
    leader = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Lãnh đạo xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Lãnh đạo được trình văn bản."),
    )
    registered_by = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người vào sổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_on = models.DateTimeField(_("Ngày vào sổ"), null=True, blank=True)
    case_file = models.CharField(_("Hồ sơ"), max_length=255, blank=True)
    notes = models.TextField(_("Ghi chú"), blank=True)
    # Set when the sender recalls the document before anyone here acted on it (see
    # eoffice.doctype.outgoing_document.distribution.withdraw_copy and eoffice.edxml): the
    # register keeps the entry, but the document takes no further step.
    withdrawn_on = models.DateTimeField(_("Ngày bị thu hồi"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("Lý do thu hồi"), blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Văn bản đến")
        verbose_name_plural = _("Văn bản đến")
        ordering = ["-arrival_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "arrival_number"], name="unique_arrival_number"
            ),
        ]
        indexes = [
            models.Index(
                fields=["receiving_unit", "workflow_state", "arrival_date"], name="vbd_unit_state"
            ),
            models.Index(fields=["receiving_unit", "arrival_date"], name="vbd_unit_date"),
            models.Index(fields=["document_number"], name="vbd_document_number"),
            models.Index(fields=["secrecy"], name="vbd_secrecy"),
        ]

    def __str__(self):
        if self.arrival_number:
            return f"{self.arrival_number} – {self.document_number}"
        return self.document_number or self.name

    # AssignableDocument ---------------------------------------------------------------

    def start_date(self) -> dt.date:
        return timezone.localdate(self.arrival_date) if self.arrival_date else timezone.localdate()

    def start_label(self) -> str:
        return "đến"

    def responsible_unit(self):
        return self.receiving_unit if self.receiving_unit_id else None

    # Rules --------------------------------------------------------------------------------

    def clean(self):
        from eoffice.text import nfc

        for name in ("issuer", "issuer_code", "document_number", "summary", "signer", "notes"):
            setattr(self, name, nfc((getattr(self, name) or "").strip()))
        errors = {}
        today = timezone.localdate()
        now = timezone.now()
        if self.arrival_date and self.arrival_date > now + CLOCK_TOLERANCE:
            errors["arrival_date"] = [_("Ngày đến không được sau thời điểm hiện tại.")]
        if self.document_date:
            if self.document_date > today:
                errors["document_date"] = [_("Ngày văn bản không được sau ngày hôm nay.")]
            elif self.arrival_date and self.document_date > self.start_date():
                errors["document_date"] = [_("Ngày văn bản không được sau ngày đến.")]
        if self.deadline and self.arrival_date and self.deadline < self.start_date():
            errors["deadline"] = [_("Hạn giải quyết không được trước ngày đến.")]
        if self.page_count is not None and self.page_count == 0:
            errors["page_count"] = [_("Số trang phải lớn hơn 0.")]
        if self.register_id and self.arrival_number is None:
            errors["register"] = [_("Văn bản chỉ được gắn sổ khi vào sổ.")]
        elif self.register_id and self.receiving_unit_id and self.arrival_date:
            # Once numbered, nothing may move the document into another register's series.
            register = self.register
            if register.unit_id != self.register_unit().pk:
                errors["receiving_unit"] = [_("Văn bản đã vào sổ: không đổi được đơn vị nhận.")]
            if register.is_secret != (self.secrecy != Secrecy.NORMAL):
                errors["secrecy"] = [_("Văn bản đã vào sổ: không đổi được độ mật sang sổ khác.")]
            if register.year != self.start_date().year:
                errors["arrival_date"] = [
                    _("Văn bản đã vào sổ: không đổi được ngày đến sang năm khác.")
                ]
        if self.withdrawn_on and self.pk:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("workflow_state", flat=True)
                .first()
            )
            if stored is not None and stored != self.workflow_state:
                errors["workflow_state"] = [
                    _("Văn bản đã bị nơi gửi thu hồi: không xử lý tiếp được.")
                ]
        if errors:
            raise DjangoValidationError(errors)

    def register_unit(self):
        """The unit whose registers number this document: the receiving unit, or the agency
        above it when it keeps no registers of its own."""
        unit = self.receiving_unit
        from eoffice.constants import UnitKind

        if unit.kind == UnitKind.AGENCY or unit.keeps_own_registers:
            return unit
        return unit.agency()

    # Workflow hooks ---------------------------------------------------------------------

    @workflow_hook
    def take_arrival_number(self, ctx):
        """ "Vào sổ": the next "số đến" of the register for (unit, "Đến", year, secrecy).

        Runs inside the transition's transaction: the register row stays locked until the
        document is saved, so concurrent registrations get consecutive numbers and a
        failure gives its number back.
        """
        if self.arrival_number:
            from eoffice.exceptions import ValidationError

            raise ValidationError("Văn bản đã vào sổ.", field="arrival_number")
        register = incoming_register(
            self.register_unit(), self.start_date().year, self.secrecy != Secrecy.NORMAL
        )
        self.register = register
        self.arrival_number = register.take_next()
        self.registered_by = ctx.user
        self.registered_on = ctx.now
        ctx.result["arrival_number"] = self.arrival_number
        from eoffice.doctype.routing_rule import on_registered

        on_registered(self, ctx)  # routing rules, after the registration commits


def receiving_units_for(user):
    """The units whose incoming documents ``user`` registers (where they are "Văn thư").

    The register form offers these as ``receiving_unit``; the first is the default.
    """
    from eoffice.constants import Role
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import memberships

    ids = [u for u, r in memberships(user) if r == Role.CLERK]
    units = {u.pk: u for u in OrganizationUnit.objects.filter(pk__in=ids, is_active=True)}
    return [units[i] for i in dict.fromkeys(ids) if i in units]


def incoming_register(unit, year: int, secret: bool):
    """The incoming register of ``unit`` for ``year`` and secrecy level, created on demand."""
    from eoffice.doctype.document_register import DocumentRegister

    lookup = {
        "unit": unit,
        "direction": Direction.INCOMING,
        "year": year,
        "is_secret": secret,
        "is_normative": False,
    }
    register = DocumentRegister.objects.filter(**lookup).first()
    if register is not None:
        return register
    label = "Sổ văn bản mật đến" if secret else "Sổ văn bản đến"
    try:
        with transaction.atomic():
            return DocumentRegister.objects.create(
                register_name=f"{label} {year} – {unit.unit_name}", **lookup
            )
    except IntegrityError:  # created by a concurrent registration meanwhile
        return DocumentRegister.objects.get(**lookup)


# ---------------------------------------------------------------------------------------


def _normal_number(text: str) -> str:
    """Số ký hiệu compared as clerks mean it: case and spaces aside, Đ/D and marks kept."""
    from eoffice.text import nfc

    return "".join(nfc(text or "").split()).casefold()


def find_duplicates(issuer: str, document_number: str, user=None, year=None, exclude=None):
    """Documents of this year (or ``year``) with the same issuer and số ký hiệu.

    The clerk's warning before registering the same document twice. The database narrows
    by an index on ``document_number`` (its collation folds accents, which is a superset);
    the exact comparison keeps "QĐ" apart from "QD". With ``user``, only documents they may
    read. Returns a list of dicts (name, arrival_number, arrival_date, issuer,
    document_number, summary, workflow_state, receiving_unit).
    """
    from eoffice.permissions import filter_queryset
    from eoffice.text import nfc

    issuer = nfc((issuer or "").strip())
    number = _normal_number(document_number)
    if not issuer or not number:
        return []
    year = int(year or timezone.localdate().year)
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    qs = IncomingDocument.objects.filter(
        document_number__iexact=(document_number or "").strip(),
        arrival_date__gte=start,
        arrival_date__lt=end,
    )
    if exclude:
        qs = qs.exclude(name=getattr(exclude, "name", exclude))
    if user is not None:
        qs = filter_queryset(user, IncomingDocument._doctype, qs)
    issuer_key = " ".join(issuer.split()).casefold()
    matches = []
    for doc in qs.select_related("receiving_unit")[:50]:
        if _normal_number(doc.document_number) != number:
            continue
        if " ".join(doc.issuer.split()).casefold() != issuer_key:
            continue
        matches.append(
            {
                "name": doc.name,
                "arrival_number": doc.arrival_number,
                "arrival_date": doc.arrival_date.isoformat(sep=" "),
                "issuer": doc.issuer,
                "document_number": doc.document_number,
                "summary": doc.summary,
                "workflow_state": doc.workflow_state,
                "receiving_unit": doc.receiving_unit.name,
            }
        )
    return matches
