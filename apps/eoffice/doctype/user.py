"""DocType "User": a person who signs in with their e-mail, as in Frappe; and their API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import ALL_ROLES, doctype


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Thiếu địa chỉ email")
        email = self.normalize_email(email).lower()
        extra.setdefault("full_name", email.split("@")[0])
        user = self.model(email=email, name=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


@doctype(
    "User",
    permissions={
        "read": ALL_ROLES,
        "create": ["Quản trị"],
        "write": ["Quản trị"],
        "delete": ["Quản trị"],
    },
    title_field="full_name",
    search_fields=("full_name", "email"),
    hidden_fields=("password",),
    read_only_fields=("last_login", "is_superuser"),
)
class User(AbstractBaseUser, PermissionsMixin):
    """A person. ``name`` is the e-mail address, Frappe's user key."""

    name = models.CharField(_("Mã"), max_length=140, unique=True, editable=False)
    email = models.EmailField(_("Email"), max_length=140, unique=True)
    full_name = models.CharField(_("Họ và tên"), max_length=140)
    position = models.CharField(_("Chức vụ"), max_length=140, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=40, blank=True)
    language = models.CharField(_("Ngôn ngữ"), max_length=8, default="vi")
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    is_staff = models.BooleanField(_("Vào trang quản trị"), default=False)
    creation = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    modified = models.DateTimeField(_("Ngày sửa"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Người dùng")
        verbose_name_plural = _("Người dùng")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.name = self.email
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.email


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKey(models.Model):
    """An API key and secret of a user (``Authorization: token KEY:SECRET``).

    Only a hash of the secret is stored; the secret is shown once, when generated. A key is
    revoked by setting ``revoked_at``; it then no longer authenticates.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    api_key = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    label = models.CharField(max_length=140, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Khóa API")
        verbose_name_plural = _("Khóa API")

    def __str__(self):
        return f"{self.api_key} ({self.user_id})"

    @classmethod
    def generate(cls, user, label: str = "") -> tuple[ApiKey, str]:
        """Create a key for ``user``; return it with the secret, which is not stored."""
        secret = secrets.token_hex(16)
        key = cls.objects.create(
            user=user, api_key=secrets.token_hex(8), secret_hash=_hash_secret(secret), label=label
        )
        return key, secret

    @classmethod
    def authenticate(cls, api_key: str, secret: str):
        """The active user owning this key and secret, or None."""
        key = cls.objects.select_related("user").filter(api_key=api_key, revoked_at=None).first()
        if key is None or not hmac.compare_digest(key.secret_hash, _hash_secret(secret)):
            return None
        if not key.user.is_active:
            return None
        cls.objects.filter(pk=key.pk).update(last_used=timezone.now())
        return key.user

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
