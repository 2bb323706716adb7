"""The optional second factor: a 6-digit code from an authenticator app (TOTP, RFC 6238).

A person enrols on ``/security/totp``: the page shows a QR code drawn here (SVG by ``segno``,
no outside service) and the secret; the first right code confirms the device. From then on
sign-in asks for a code after the password: the desk on a second page, the API through the
``otp`` parameter of ``/api/method/login``. Recommended for leaders and administrators
(:func:`recommended_for`). A code is accepted once (replays refused) and one step of clock
drift either way is tolerated.
"""

from __future__ import annotations

import base64
import hashlib
import time

import pyotp
from django.conf import settings
from django.db import transaction

from eoffice.constants import Role

ISSUER = "eOffice"
#: Roles for which the desk recommends a second factor.
RECOMMENDED_ROLES = {Role.LEADER.value, Role.UNIT_LEADER.value, Role.ADMIN.value}


def _fernet():
    from cryptography.fernet import Fernet

    key = settings.SITE_CONFIG.get("encryption_key") or settings.SECRET_KEY
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def device_of(user):
    from eoffice.security.models import TotpDevice

    if not getattr(user, "pk", None):
        return None
    return TotpDevice.objects.filter(user_id=user.pk).first()


def is_enabled(user) -> bool:
    device = device_of(user)
    return bool(device and device.confirmed)


def recommended_for(user) -> bool:
    from eoffice.permissions import roles_of

    return bool(roles_of(user) & RECOMMENDED_ROLES)


def start_enrolment(user):
    """A new, unconfirmed device with a fresh secret (replacing an unconfirmed one)."""
    from eoffice.security.models import TotpDevice

    secret = pyotp.random_base32()
    device, _created = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret_encrypted": encrypt(secret), "confirmed": False}
    )
    return device


def secret_of(device) -> str:
    return decrypt(device.secret_encrypted)


def provisioning_uri(device) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(
        name=device.user.email, issuer_name=ISSUER
    )


def qr_svg(device) -> str:
    """The QR code of the provisioning URI as an inline SVG element."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(provisioning_uri(device), error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="eOffice TOTP"
    )
    return out.getvalue().decode()


def verify(device, code, at: float | None = None) -> bool:
    """Whether ``code`` is right now (±1 step) and not used before; marks it used."""
    code = "".join(str(code or "").split())
    if not (code.isdigit() and len(code) == 6) or device is None:
        return False
    totp = pyotp.TOTP(secret_of(device))
    now = time.time() if at is None else at
    step = int(now // totp.interval)
    from eoffice.security.models import TotpDevice

    for candidate in (step, step - 1, step + 1):
        if totp.at(candidate * totp.interval) == code:
            with transaction.atomic():
                # Compare-and-set: a code (step) is used once, even by two requests at once.
                used = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=candidate)
                return used.update(last_used_step=candidate) == 1
    return False


def confirm(device, code) -> bool:
    if not verify(device, code):
        return False
    type(device).objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return True


def disable(user) -> None:
    from eoffice.security.models import TotpDevice

    TotpDevice.objects.filter(user_id=getattr(user, "pk", None)).delete()
