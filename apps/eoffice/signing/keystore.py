"""Software keys (PKCS#12) kept encrypted in the site's database.

A key is stored as AES-256-GCM ciphertext of its PKCS#12 bytes. The AES key is derived with
scrypt from the site's ``encryption_key`` (site_config.json, never in the database) and the
key holder's PIN, with a random salt per key. So the database alone reveals nothing, the site
secret alone does not open a PIN-protected key, and a wrong PIN fails the GCM tag check —
which is how a wrong PIN is recognised, without storing anything derived from the PIN.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.utils.translation import gettext as _

from eoffice import exceptions as exc

FORMAT = b"EOK1"  # version tag of the stored blob: FORMAT | salt(16) | nonce(12) | ciphertext
SALT_BYTES = 16
NONCE_BYTES = 12
# scrypt cost: ~50 ms per signature on the project's machines; a stolen database plus the site
# secret still costs an attacker that much per PIN guessed.
SCRYPT_N = 2**15


class WrongPinError(exc.ValidationError):
    """The PIN does not open the key (HTTP 417); nothing was signed."""

    exc_type = "WrongPinError"


def site_secret() -> bytes:
    """The site's ``encryption_key``; refusing to work without one."""
    secret = settings.SITE_CONFIG.get("encryption_key") if settings.SITE_CONFIG else None
    secret = secret or getattr(settings, "SIGNING_ENCRYPTION_KEY", None)
    if not secret:
        raise exc.ValidationError(
            _("Trang (site) chưa có khóa mã hóa (encryption_key): không lưu được khóa ký số.")
        )
    return secret.encode() if isinstance(secret, str) else secret


def _derive(salt: bytes, pin: str) -> bytes:
    material = site_secret() + b"\x00" + (pin or "").encode("utf-8")
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(material)


def seal(data: bytes, pin: str = "") -> bytes:
    """Encrypt ``data`` (PKCS#12 bytes) for this site and this PIN."""
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    box = AESGCM(_derive(salt, pin)).encrypt(nonce, data, FORMAT)
    return FORMAT + salt + nonce + box


def unseal(blob: bytes, pin: str = "") -> bytes:
    """The PKCS#12 bytes; :class:`WrongPinError` when the PIN (or the site secret) is wrong."""
    blob = bytes(blob or b"")
    if not blob.startswith(FORMAT):
        raise exc.ValidationError(_("Khóa ký số lưu trữ bị hỏng hoặc không đúng định dạng."))
    head = len(FORMAT)
    salt = blob[head : head + SALT_BYTES]
    nonce = blob[head + SALT_BYTES : head + SALT_BYTES + NONCE_BYTES]
    try:
        return AESGCM(_derive(salt, pin)).decrypt(
            nonce, blob[head + SALT_BYTES + NONCE_BYTES :], FORMAT
        )
    except InvalidTag:
        raise WrongPinError(_("Mã PIN không đúng: chưa ký văn bản.")) from None
