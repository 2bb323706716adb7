"""The one sign-in check shared by the API (``/api/method/login``) and the desk.

Order: lock-out and rate limit (:mod:`.throttle`), then the password (Django's
``authenticate``, whose failure signal writes the audit row that the throttle counts), then
the second factor when the person has one (:mod:`.totp`). Opening the session is left to
the caller (a desk sign-in with a second factor opens it only after the code).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.audit.context import client_ip
from eoffice.security import throttle, totp


class OtpRequired(exc.AuthenticationError):
    """Password right, but the account has a second factor and no code was sent (HTTP 401)."""

    exc_type = "OTPRequiredError"


def record_failure(request, account: str, detail: str) -> None:
    from eoffice import audit
    from eoffice.audit.models import AuditEvent

    audit.record(
        AuditEvent.LOGIN_FAILED,
        user_name=(account or "").strip().lower(),
        ip=client_ip(request),
        detail=detail,
    )


def check_password(request, account: str, password: str):
    """The active user with this e-mail and password, after the throttle; else an error."""
    account = (account or "").strip().lower()
    throttle.check(account, client_ip(request))
    user = authenticate(request, username=account, password=password)
    if user is None:
        # The same answer for an unknown e-mail, a wrong password and a disabled account.
        raise exc.AuthenticationError(_("Email hoặc mật khẩu không đúng."))
    return user


def check_otp(request, user, otp) -> None:
    """Nothing when the user has no second factor or ``otp`` is right; else an error."""
    device = totp.device_of(user)
    if device is None or not device.confirmed:
        return
    if not otp:
        raise OtpRequired(
            _(
                "Tài khoản này bật xác thực hai lớp: gửi thêm mã 6 chữ số từ ứng dụng xác thực "
                "trong tham số 'otp'."
            )
        )
    if not totp.verify(device, otp):
        record_failure(request, user.email, "Mã xác thực hai lớp không đúng")
        raise exc.AuthenticationError(_("Mã xác thực hai lớp không đúng hoặc đã được dùng."))


def sign_in(request, account: str, password: str, otp=None):
    """Throttle, password, second factor: the user to log in, or an error."""
    user = check_password(request, account, password)
    check_otp(request, user, otp)
    return user
