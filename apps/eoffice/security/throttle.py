"""Lock-out and rate limiting of sign-in, counted from the audit log.

The audit log already holds every failed sign-in with its account and IP, so it is also the
counter: no second store to keep in step, nothing lost when Redis is down, and the same limits
for every web worker and host. Limits come from ``site_config.json``:

- ``login_max_failures`` (5): failures of one account within ``login_lockout_minutes`` (15)
  since its last successful sign-in lock that account for the rest of that window;
- ``login_max_failures_per_ip`` (20): failures from one IP within the same window block
  that IP (a password-spraying client trying many accounts).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import exceptions as exc


class LoginLocked(exc.AuthenticationError):
    """Too many failed sign-ins (HTTP 429)."""

    http_status = 429
    exc_type = "TooManyRequestsError"


def limits() -> tuple[int, int, dt.timedelta]:
    conf = settings.SITE_CONFIG
    window = dt.timedelta(minutes=int(conf.get("login_lockout_minutes", 15)))
    return (
        int(conf.get("login_max_failures", 5)),
        int(conf.get("login_max_failures_per_ip", 20)),
        window,
    )


def _failures(since, **lookup):
    from eoffice.audit.models import AuditEvent, AuditLog

    return AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED, creation__gte=since, **lookup)


def _minutes_left(oldest, window) -> int:
    left = (oldest + window - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def check(account: str | None, ip: str | None) -> None:
    """Raise :class:`LoginLocked` when this account or this IP may not try now."""
    from eoffice.audit.models import AuditEvent, AuditLog

    per_account, per_ip, window = limits()
    since = timezone.now() - window
    if ip:
        recent = _failures(since, ip_address=ip).order_by("-creation")[:per_ip]
        times = [row.creation for row in recent]
        if len(times) >= per_ip:
            raise LoginLocked(
                _(
                    "Có quá nhiều lần đăng nhập sai từ địa chỉ này. "
                    "Vui lòng thử lại sau {minutes} phút."
                ).format(minutes=_minutes_left(times[-1], window))
            )
    account = (account or "").strip().lower()
    if not account:
        return
    last_ok = (
        AuditLog.objects.filter(event=AuditEvent.LOGIN, user_name=account, creation__gte=since)
        .order_by("-creation")
        .values_list("creation", flat=True)
        .first()
    )
    recent = _failures(max(since, last_ok) if last_ok else since, user_name=account)
    times = list(recent.order_by("-creation").values_list("creation", flat=True)[:per_account])
    if len(times) >= per_account:
        raise LoginLocked(
            _(
                "Tài khoản tạm khóa do đăng nhập sai {count} lần liên tiếp. "
                "Vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị hệ thống."
            ).format(count=per_account, minutes=_minutes_left(times[-1], window))
        )
