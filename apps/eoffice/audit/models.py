"""DocType "Audit Log": one row per audited event, append-only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import DocModel, doctype


class AuditEvent(models.TextChoices):
    CREATE = "Tạo mới"
    UPDATE = "Sửa"
    DELETE = "Xóa"
    WORKFLOW = "Chuyển trạng thái"
    DOWNLOAD = "Tải tệp"
    EXPORT = "Xuất dữ liệu"
    LOGIN = "Đăng nhập"
    LOGIN_FAILED = "Đăng nhập thất bại"
    LOGOUT = "Đăng xuất"
    LOCKED_OUT = "Khóa đăng nhập"
    VIEW_SECRET = "Xem văn bản mật"
    TOTP = "Xác thực hai lớp"


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


MESSAGE = "Nhật ký hệ thống chỉ được ghi thêm, không được sửa hay xóa."


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(MESSAGE)

    def delete(self):
        raise AppendOnlyError(MESSAGE)


@doctype(
    "Audit Log",
    permissions={"read": ["Quản trị"]},
    title_field="event",
    read_only_fields=(
        "event",
        "user_name",
        "ip_address",
        "reference_doctype",
        "reference_name",
        "changes",
        "detail",
    ),
)
class AuditLog(DocModel):
    """One audited event: what, who (their e-mail), when (``creation``), from which IP, on
    which document, and for a change the fields' old and new values."""

    autoname = "hash"

    event = models.CharField(_("Sự kiện"), max_length=40, choices=AuditEvent.choices)
    user_name = models.CharField(_("Người dùng"), max_length=140, blank=True)
    ip_address = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    reference_doctype = models.CharField(_("Loại tài liệu"), max_length=140, blank=True)
    reference_name = models.CharField(_("Tài liệu"), max_length=140, blank=True)
    changes = models.JSONField(_("Thay đổi"), default=dict, blank=True)
    detail = models.TextField(_("Chi tiết"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        app_label = "eoffice"
        db_table = "tab_audit_log"
        verbose_name = _("Nhật ký hệ thống")
        verbose_name_plural = _("Nhật ký hệ thống")
        ordering = ["-creation", "-id"]
        indexes = [
            models.Index(fields=["reference_doctype", "reference_name"], name="audit_reference"),
            models.Index(fields=["event", "user_name", "creation"], name="audit_event_user"),
            models.Index(fields=["event", "ip_address", "creation"], name="audit_event_ip"),
            models.Index(fields=["creation"], name="audit_creation"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(MESSAGE)


def _connect_signals():
    from eoffice.audit import signals
    from eoffice.security import sessions  # noqa: F401  (stamps the sign-in time)

    signals.connect()


_connect_signals()
