"""DocType "edXML Message": every package this site sent or received, and where it is.

A sent message is created in the transaction that issues (or recalls, or changes the state
of) a document, waiting; the send job builds the package and hands it to the transport. A
received message is created with the documents or statuses it brought, and its ``package_id``
makes a second delivery of the same package a no-op. A package refused as malformed or
hostile stores nothing (its file goes to the folder ``rejected/`` when it came by folder).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import DocModel, doctype


class MessageDirection(models.TextChoices):
    OUT = "Gửi"
    IN = "Nhận"


class MessageKind(models.TextChoices):
    DOCUMENT = "Văn bản"
    STATUS = "Trạng thái"


class MessageState(models.TextChoices):
    PENDING = "Chờ gửi"
    SENDING = "Đang gửi"
    SENT = "Đã gửi"
    OUTBOX = "Chờ chuyển"  # no route to the agency: the package waits in the outbox folder
    FAILED = "Lỗi gửi"
    CANCELLED = "Đã hủy"
    RECEIVED = "Đã nhận"


class BusinessType(models.IntegerChoices):
    """QCVN 102's ``BussinessDocType`` (DOMAIN.md)."""

    NEW = 0, _("Văn bản mới")
    RECALL = 1, _("Thu hồi")
    UPDATE = 2, _("Cập nhật")
    REPLACE = 3, _("Thay thế")


def message_scope(user, queryset):
    """Messages of the outgoing or incoming documents the user may read."""
    from eoffice.doctype.base import get_meta
    from eoffice.permissions import filter_queryset

    out_meta, in_meta = get_meta("Outgoing Document"), get_meta("Incoming Document")
    outgoing = filter_queryset(user, out_meta, out_meta.model.objects.all()).values("pk")
    incoming = filter_queryset(user, in_meta, in_meta.model.objects.all()).values("pk")
    return queryset.filter(Q(outgoing_document__in=outgoing) | Q(incoming_document__in=incoming))


@doctype(
    "edXML Message",
    permissions={"read": ["Văn thư", "Lãnh đạo", "Lãnh đạo đơn vị", "Quản trị"]},
    scope=message_scope,
    title_field="document_id",
    hidden_fields=("package_file",),
    read_only_fields=(
        "direction",
        "kind",
        "business_type",
        "package_id",
        "document_id",
        "from_code",
        "from_name",
        "to_code",
        "to_name",
        "status_code",
        "description",
        "state",
        "error",
        "attempts",
        "sent_on",
        "outgoing_document",
        "recipient",
        "incoming_document",
    ),
)
class EdxmlMessage(DocModel):
    """One edXML package, sent or received."""

    autoname = "EDX-.YYYY.-.########"

    direction = models.CharField(_("Chiều"), max_length=10, choices=MessageDirection.choices)
    kind = models.CharField(_("Loại gói tin"), max_length=20, choices=MessageKind.choices)
    business_type = models.PositiveSmallIntegerField(
        _("Nghiệp vụ"), choices=BusinessType.choices, default=BusinessType.NEW
    )
    package_id = models.CharField(_("Mã gói tin"), max_length=255)
    document_id = models.CharField(_("Mã văn bản (DocumentId)"), max_length=255, blank=True)
    from_code = models.CharField(_("Mã định danh nơi gửi"), max_length=40, blank=True)
    from_name = models.CharField(_("Nơi gửi"), max_length=255, blank=True)
    to_code = models.CharField(_("Mã định danh nơi nhận"), max_length=40, blank=True)
    to_name = models.CharField(_("Nơi nhận"), max_length=255, blank=True)
    status_code = models.CharField(_("Mã trạng thái"), max_length=2, blank=True)
    description = models.TextField(_("Mô tả"), blank=True)
    state = models.CharField(_("Tình trạng"), max_length=20, choices=MessageState.choices)
    error = models.TextField(_("Lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("Số lần gửi"), default=0)
    sent_on = models.DateTimeField(_("Thời điểm gửi"), null=True, blank=True)
    package_file = models.CharField(max_length=255, blank=True)
    outgoing_document = models.ForeignKey(
        "eoffice.OutgoingDocument",
        verbose_name=_("Văn bản đi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="edxml_messages",
    )
    recipient = models.ForeignKey(
        "eoffice.OutgoingRecipient",
        verbose_name=_("Nơi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edxml_messages",
    )
    incoming_document = models.ForeignKey(
        "eoffice.IncomingDocument",
        verbose_name=_("Văn bản đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="edxml_messages",
    )

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Gói tin edXML")
        verbose_name_plural = _("Gói tin edXML")
        ordering = ["-creation", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "package_id"], name="unique_edxml_package"
            ),
        ]
        indexes = [
            models.Index(fields=["direction", "state"], name="edx_queue"),
            models.Index(fields=["document_id", "from_code"], name="edx_document"),
        ]

    def __str__(self):
        return f"{self.direction} {self.kind} {self.document_id}"
