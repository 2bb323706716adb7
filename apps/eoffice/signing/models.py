"""DocTypes of digital signatures: "Signing Key", "Trusted Root", "Signature Check".

- **Signing Key**: whose key signs, and where the key is: a software key (PKCS#12, kept
  encrypted by :mod:`eoffice.signing.keystore`) or a key on a USB token / HSM reached through
  PKCS#11 (module path, token label or slot, key label). A key belongs to a person ("Cá nhân",
  the signer's signature at "Ký") or to an agency ("Cơ quan", the seal at "Phát hành"). The
  signature image (the signer's handwriting, or the agency's seal) is kept with the key.
- **Trusted Root**: the root certificates an administrator trusts; a signature is "Hợp lệ"
  only when its certificate chains up to one of them.
- **Signature Check**: the result of verifying the signatures of one stored PDF (one row per
  File), written by the background job of :mod:`eoffice.jobs.verify`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import DocModel, doctype

ADMIN_ONLY = ["Quản trị"]


class KeyOwner(models.TextChoices):
    PERSON = "Cá nhân"
    AGENCY = "Cơ quan"


class KeyKind(models.TextChoices):
    PKCS12 = "PKCS#12"
    PKCS11 = "PKCS#11"


class CheckStatus(models.TextChoices):
    PENDING = "Chờ kiểm tra"
    VALID = "Hợp lệ"
    INVALID = "Không hợp lệ"
    UNSIGNED = "Không có chữ ký số"
    FAILED = "Lỗi kiểm tra"


def _own_keys(user, queryset):
    """A person sees their own keys and their agencies' keys (never the key material)."""
    from django.db.models import Q

    from eoffice.permissions import memberships

    units = {u for u, _r in memberships(user)}
    return queryset.filter(Q(user=user) | Q(unit_id__in=units))


@doctype(
    "Signing Key",
    permissions={"read": "*", "create": ADMIN_ONLY, "write": ADMIN_ONLY, "delete": ADMIN_ONLY},
    scope=_own_keys,
    title_field="title",
    hidden_fields=("encrypted_key", "signature_image"),
    read_only_fields=(
        "encrypted_key",
        "certificate_subject",
        "certificate_serial",
        "not_before",
        "not_after",
        "fingerprint",
    ),
)
class SigningKey(DocModel):
    """A key that signs for a person or an agency, with its certificate and appearance image."""

    autoname = "hash"

    title = models.CharField(_("Tên khóa"), max_length=255)
    owner_kind = models.CharField(
        _("Chủ khóa"), max_length=20, choices=KeyOwner.choices, default=KeyOwner.PERSON
    )
    user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    kind = models.CharField(
        _("Loại khóa"), max_length=10, choices=KeyKind.choices, default=KeyKind.PKCS12
    )
    certificate = models.TextField(_("Chứng thư số (PEM)"))
    certificate_subject = models.CharField(_("Chủ thể chứng thư"), max_length=255, blank=True)
    certificate_serial = models.CharField(_("Số hiệu chứng thư"), max_length=64, blank=True)
    fingerprint = models.CharField(_("Dấu vân tay SHA-256"), max_length=64, blank=True)
    not_before = models.DateTimeField(_("Hiệu lực từ"), null=True, blank=True)
    not_after = models.DateTimeField(_("Hiệu lực đến"), null=True, blank=True)
    chain = models.TextField(_("Chuỗi chứng thư (PEM)"), blank=True)
    # PKCS#12: the sealed blob (keystore.seal); never the raw key.
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    has_pin = models.BooleanField(_("Cần mã PIN"), default=True)
    # PKCS#11: the module (e.g. /usr/lib/softhsm/libsofthsm2.so), the token and the key.
    pkcs11_module = models.CharField(_("Thư viện PKCS#11"), max_length=255, blank=True)
    token_label = models.CharField(_("Nhãn token"), max_length=64, blank=True)
    slot = models.IntegerField(_("Khe (slot)"), null=True, blank=True)
    key_label = models.CharField(_("Nhãn khóa"), max_length=64, blank=True)
    signature_image = models.BinaryField(null=True, blank=True, editable=False)  # PNG
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Khóa ký số")
        verbose_name_plural = _("Khóa ký số")
        indexes = [models.Index(fields=["user", "is_active"])]


@doctype(
    "Trusted Root",
    permissions={"read": "*", "create": ADMIN_ONLY, "write": ADMIN_ONLY, "delete": ADMIN_ONLY},
    title_field="title",
    read_only_fields=("subject", "fingerprint", "not_after"),
)
class TrustedRoot(DocModel):
    """A root certificate the site trusts for verifying signatures."""

    autoname = "hash"

    title = models.CharField(_("Tên"), max_length=255)
    certificate = models.TextField(_("Chứng thư gốc (PEM)"))
    subject = models.CharField(_("Chủ thể"), max_length=255, blank=True)
    fingerprint = models.CharField(_("Dấu vân tay SHA-256"), max_length=64, unique=True)
    not_after = models.DateTimeField(_("Hiệu lực đến"), null=True, blank=True)
    enabled = models.BooleanField(_("Tin cậy"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Chứng thư gốc tin cậy")
        verbose_name_plural = _("Chứng thư gốc tin cậy")


def _file_scope(user, queryset):
    from eoffice.doctype.file import File, attached_scope

    return queryset.filter(file__in=attached_scope(user, File.objects.all()))


@doctype(
    "Signature Check",
    permissions={"read": "*"},
    scope=_file_scope,
    title_field="status",
    read_only_fields=(
        "file",
        "status",
        "reason",
        "modified_after_signing",
        "signatures",
        "checked_on",
        "content_hash",
    ),
)
class SignatureCheck(DocModel):
    """Whether the signatures of one stored PDF are valid, and why not."""

    autoname = "hash"

    file = models.OneToOneField(
        "eoffice.File",
        verbose_name=_("Tệp"),
        on_delete=models.CASCADE,
        related_name="signature_check",
    )
    content_hash = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("Chữ ký số"), max_length=30, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    reason = models.TextField(_("Lý do"), blank=True)
    modified_after_signing = models.BooleanField(_("Bị sửa sau khi ký"), default=False)
    signatures = models.JSONField(_("Các chữ ký"), default=list, blank=True)
    checked_on = models.DateTimeField(_("Kiểm tra lúc"), null=True, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Kết quả kiểm tra chữ ký số")
        verbose_name_plural = _("Kết quả kiểm tra chữ ký số")
