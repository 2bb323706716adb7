"""Password rules, with messages in Vietnamese (``AUTH_PASSWORD_VALIDATORS``).

A password has at least 10 characters, three of the four kinds (lower case, upper case,
digits, other signs), is not one of the 20,000 most common passwords, not only digits, and not
close to the person's e-mail or name. The same rules apply in every form and command that sets
a password through Django's ``validate_password``.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 10


def _kinds(password: str) -> int:
    lower = any(c.islower() for c in password)
    upper = any(c.isupper() for c in password)
    digit = any(c.isdigit() for c in password)
    other = any(not c.isalnum() for c in password)
    return lower + upper + digit + other


class StrongPasswordValidator:
    """Length, kinds of characters, not only digits."""

    def __init__(self, min_length: int = MIN_LENGTH):
        self.min_length = min_length

    def validate(self, password, user=None):
        password = unicodedata.normalize("NFC", password or "")
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("Mật khẩu phải có ít nhất {n} ký tự.").format(n=self.min_length),
                    code="password_too_short",
                )
            )
        if password.isdigit():
            errors.append(
                ValidationError(_("Mật khẩu không được chỉ gồm chữ số."), code="password_numeric")
            )
        elif _kinds(password) < 3:
            errors.append(
                ValidationError(
                    _(
                        "Mật khẩu phải có ít nhất 3 trong 4 loại ký tự: chữ thường, chữ hoa, "
                        "chữ số, ký hiệu."
                    ),
                    code="password_weak",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "Ít nhất {n} ký tự, gồm ít nhất 3 trong 4 loại: chữ thường, chữ hoa, chữ số, ký hiệu."
        ).format(n=self.min_length)


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."),
                code="password_too_common",
            ) from None

    def get_help_text(self):
        return _("Không dùng mật khẩu phổ biến.")


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("email", "full_name")

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Mật khẩu quá giống email hoặc họ tên của người dùng."),
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return _("Không đặt mật khẩu giống email hoặc họ tên.")
