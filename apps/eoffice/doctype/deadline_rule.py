"""DocTypes "Deadline Settings" and "Deadline Rule": the site's deadline rules, as data.

An administrator sets, per site:

- **Deadline Settings** (one row, Frappe's "Single"): the handling time when no rule names one
  (10 working days), the clerk's time to register and hand on a document (DOMAIN.md: the same
  day, at the latest the next working day: 1), "Sắp đến hạn" when the deadline is N working days
  away or less (2), escalation to the next leader up when an item is overdue by more than M
  working days (2), and how far back the sweep looks for overdue items to remind.
- **Deadline Rule** rows: the handling time of a document type at an urgency, or of every type
  at an urgency. Without rows the defaults of DOMAIN.md hold: "Khẩn" and above the same day.

:func:`handling_days` is the one reading of these rules; :func:`eoffice.calendar.default_deadline`
turns it into a date.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Urgency
from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

ADMIN_ONLY = ["Quản trị"]
SETTINGS_NAME = "Deadline Settings"


@doctype(
    "Deadline Settings",
    permissions={"read": ALL_ROLES, "create": ADMIN_ONLY, "write": ADMIN_ONLY},
)
class DeadlineSettings(DocModel):
    """The site's deadline thresholds (a single row named "Deadline Settings")."""

    default_handling_days = models.PositiveSmallIntegerField(
        _("Thời hạn xử lý mặc định (ngày làm việc)"),
        default=10,
        validators=[MaxValueValidator(365)],
        help_text=_("Khi không có quy tắc nào cho loại văn bản và độ khẩn."),
    )
    clerk_working_days = models.PositiveSmallIntegerField(
        _("Văn thư vào sổ và chuyển văn bản trong (ngày làm việc)"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_("0: trong ngày; 1: chậm nhất ngày làm việc tiếp theo. Văn bản khẩn: ngay."),
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("Báo «Sắp đến hạn» trước (ngày làm việc)"),
        default=2,
        validators=[MaxValueValidator(30)],
    )
    escalate_after_working_days = models.PositiveSmallIntegerField(
        _("Báo lãnh đạo cấp trên khi quá hạn hơn (ngày làm việc)"),
        default=2,
        validators=[MaxValueValidator(60)],
    )
    overdue_lookback_days = models.PositiveSmallIntegerField(
        _("Nhắc việc quá hạn trong vòng (ngày)"),
        default=60,
        validators=[MaxValueValidator(366)],
        help_text=_("Việc quá hạn lâu hơn không được nhắc lại (đã nhắc khi mới quá hạn)."),
    )
    send_digest = models.BooleanField(_("Gửi bản tổng hợp buổi sáng"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Thiết lập thời hạn")
        verbose_name_plural = _("Thiết lập thời hạn")

    def save(self, *args, **kwargs):
        self.name = SETTINGS_NAME  # one row: a second save replaces nothing, it updates it
        if self.pk is None:
            existing = (
                DeadlineSettings.objects.filter(name=SETTINGS_NAME).values("pk", "creation").first()
            )
            if existing:
                self.pk, self.creation = existing["pk"], existing["creation"]
                kwargs.pop("force_insert", None)
        super().save(*args, **kwargs)


@doctype(
    "Deadline Rule",
    permissions={
        "read": ALL_ROLES,
        "create": ADMIN_ONLY,
        "write": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
)
class DeadlineRule(DocModel):
    """The handling time of a document type (or of every type) at an urgency."""

    autoname = "hash"

    document_type = models.ForeignKey(
        "eoffice.DocumentType",
        verbose_name=_("Loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: áp dụng cho mọi loại văn bản."),
    )
    urgency = models.CharField(_("Độ khẩn"), max_length=20, choices=Urgency.choices)
    handling_days = models.PositiveSmallIntegerField(
        _("Thời hạn xử lý (ngày làm việc)"),
        validators=[MaxValueValidator(365)],
        help_text=_("0: trong ngày."),
    )
    note = models.CharField(_("Căn cứ, ghi chú"), max_length=255, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Quy tắc thời hạn xử lý")
        verbose_name_plural = _("Quy tắc thời hạn xử lý")
        ordering = ["document_type__sort_order", "urgency"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "urgency"], name="unique_deadline_rule"
            ),
        ]

    def __str__(self):
        what = self.document_type.type_name if self.document_type_id else _("Mọi loại văn bản")
        return f"{what} – {self.urgency}: {self.handling_days}"

    def clean(self):
        if self.urgency and self.urgency not in Urgency.values:
            raise ValidationError({"urgency": [_("Độ khẩn không hợp lệ.")]})
        same = DeadlineRule.objects.filter(
            document_type_id=self.document_type_id, urgency=self.urgency
        ).exclude(pk=self.pk)
        if self.urgency and same.exists():  # NULL types do not clash in a unique index
            raise ValidationError(
                {"urgency": [_("Đã có quy tắc cho loại văn bản và độ khẩn này.")]}
            )


# ---------------------------------------------------------------------------------------
# Reading the rules


def _load() -> dict:
    settings_row = DeadlineSettings.objects.filter(name=SETTINGS_NAME).first()
    rules = {
        (type_id, urgency): days
        for type_id, urgency, days in DeadlineRule.objects.values_list(
            "document_type_id", "urgency", "handling_days"
        )
    }
    return {"settings": settings_row or DeadlineSettings(name=SETTINGS_NAME), "rules": rules}


_cache = None


def _data() -> dict:
    global _cache
    if _cache is None:
        from eoffice.deadlines.cache import TableCache

        _cache = TableCache(_load, (DeadlineSettings, DeadlineRule))
    return _cache.get()


def clear_cache() -> None:
    """Forget the cached rules (tests; an edit in this process does it by itself)."""
    if _cache is not None:
        _cache.clear()


def get_settings() -> DeadlineSettings:
    """The site's thresholds (defaults when the administrator saved none). Do not modify."""
    return _data()["settings"]


def handling_days(urgency: str = Urgency.NORMAL, document_type=None) -> int:
    """Working days to handle a document of ``document_type`` at ``urgency``.

    In order: the site's rule for that type and urgency; for "Thường", the type's own
    ``default_handling_days``; the site's rule for the urgency (any type); DOMAIN.md's default —
    the same day for "Khẩn" and above, the site's default handling time otherwise.
    """
    from eoffice.calendar import DEFAULT_HANDLING_DAYS

    urgency = urgency or Urgency.NORMAL
    data = _data()
    rules = data["rules"]
    type_id = getattr(document_type, "pk", document_type)
    if type_id is not None and (type_id, urgency) in rules:
        return rules[(type_id, urgency)]
    if urgency == Urgency.NORMAL:
        own = getattr(document_type, "default_handling_days", None)
        if own is not None:
            return own
    if (None, urgency) in rules:
        return rules[(None, urgency)]
    if urgency == Urgency.NORMAL:
        return data["settings"].default_handling_days
    return DEFAULT_HANDLING_DAYS.get(urgency, 0)
