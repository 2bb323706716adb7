"""Signing keys: storing them (:func:`add_pkcs12_key`, :func:`add_pkcs11_key`), choosing one
(:func:`key_for_user`, :func:`key_for_agency`) and opening one as a pyHanko signer
(:func:`open_signer`), with the PIN where the key has one.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.signing import ca, keystore
from eoffice.signing.models import KeyKind, KeyOwner, SigningKey

DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def _cert_fields(cert) -> dict:
    return {
        "certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "certificate_subject": ca.common_name(cert)[:255],
        "certificate_serial": format(cert.serial_number, "x")[:64],
        "fingerprint": ca.fingerprint(cert),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
    }


def _chain_pem(certs) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def add_pkcs12_key(
    pkcs12_bytes: bytes,
    *,
    title: str,
    user=None,
    unit=None,
    pin: str = "",
    pkcs12_password: str | None = None,
    signature_image: bytes | None = None,
) -> SigningKey:
    """Store a software key for a person (``user``) or an agency (``unit``), sealed with the
    site secret and ``pin`` (empty: no PIN asked when signing)."""
    if (user is None) == (unit is None):
        raise exc.ValidationError(_("Khóa ký số phải thuộc về một người hoặc một cơ quan."))
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(
            pkcs12_bytes, pkcs12_password.encode() if pkcs12_password else None
        )
    except ValueError:
        raise exc.ValidationError(
            _("Không đọc được tệp PKCS#12 (sai mật khẩu tệp hoặc tệp hỏng).")
        ) from None
    if key is None or cert is None:
        raise exc.ValidationError(_("Tệp PKCS#12 không có khóa bí mật và chứng thư số."))
    # Re-serialise without a password: the keystore's encryption protects it.
    clean = pkcs12.serialize_key_and_certificates(
        b"eoffice", key, cert, extra or None, serialization.NoEncryption()
    )
    return SigningKey.objects.create(
        title=title,
        owner_kind=KeyOwner.PERSON if user is not None else KeyOwner.AGENCY,
        user=user,
        unit=unit,
        kind=KeyKind.PKCS12,
        chain=_chain_pem(extra or []),
        encrypted_key=keystore.seal(clean, pin),
        has_pin=bool(pin),
        signature_image=signature_image,
        **_cert_fields(cert),
    )


def add_pkcs11_key(
    certificate_pem: str,
    *,
    title: str,
    key_label: str,
    token_label: str = "",
    slot: int | None = None,
    module: str = DEFAULT_PKCS11_MODULE,
    user=None,
    unit=None,
    chain_pem: str = "",
    signature_image: bytes | None = None,
) -> SigningKey:
    """Register a key that stays on a token or HSM; the PIN is the token's user PIN."""
    if (user is None) == (unit is None):
        raise exc.ValidationError(_("Khóa ký số phải thuộc về một người hoặc một cơ quan."))
    try:
        cert = ca.load_pem_certificate(certificate_pem)
    except ValueError:
        raise exc.ValidationError(_("Chứng thư số không đọc được (cần PEM hoặc DER).")) from None
    return SigningKey.objects.create(
        title=title,
        owner_kind=KeyOwner.PERSON if user is not None else KeyOwner.AGENCY,
        user=user,
        unit=unit,
        kind=KeyKind.PKCS11,
        pkcs11_module=module,
        token_label=token_label,
        slot=slot,
        key_label=key_label,
        chain=chain_pem,
        has_pin=True,
        signature_image=signature_image,
        **_cert_fields(cert),
    )


def key_for_user(user) -> SigningKey:
    """The person's active key (the newest one)."""
    key = (
        SigningKey.objects.filter(user=user, is_active=True, owner_kind=KeyOwner.PERSON)
        .order_by("-creation", "-id")
        .first()
    )
    if key is None:
        raise exc.ValidationError(
            _("{name} chưa có khóa ký số: liên hệ quản trị để đăng ký.").format(
                name=getattr(user, "full_name", "") or user
            )
        )
    return key


def key_for_agency(unit) -> SigningKey:
    """The agency's active key (the seal's key); the agency of ``unit`` is looked up."""
    agency = unit.agency() if hasattr(unit, "agency") else unit
    key = (
        SigningKey.objects.filter(unit=agency, is_active=True, owner_kind=KeyOwner.AGENCY)
        .order_by("-creation", "-id")
        .first()
    )
    if key is None:
        raise exc.ValidationError(
            _("{agency} chưa có khóa ký số của cơ quan: liên hệ quản trị để đăng ký.").format(
                agency=agency.unit_name
            )
        )
    return key


def check_usable(key: SigningKey, when: datetime.datetime | None = None) -> None:
    """Refuse a disabled key or one whose certificate is not valid now."""
    when = when or datetime.datetime.now(datetime.UTC)
    if not key.is_active:
        raise exc.ValidationError(_("Khóa ký số «{title}» đã ngừng dùng.").format(title=key.title))
    if key.not_after and key.not_after < when:
        raise exc.ValidationError(
            _("Chứng thư số của khóa «{title}» đã hết hạn ngày {date:%d/%m/%Y}.").format(
                title=key.title, date=key.not_after
            )
        )
    if key.not_before and key.not_before > when:
        raise exc.ValidationError(
            _("Chứng thư số của khóa «{title}» chưa có hiệu lực.").format(title=key.title)
        )


def _chain_certs(key: SigningKey):
    from asn1crypto import pem, x509

    out = []
    data = key.chain.encode()
    if data.strip():
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            out.append(x509.Certificate.load(der))
    return out


@contextlib.contextmanager
def open_signer(key: SigningKey, pin: str | None = None) -> Iterator:
    """A pyHanko signer for the key, open for the ``with`` block (a PKCS#11 session is closed
    after). A wrong PIN raises :class:`~eoffice.signing.keystore.WrongPinError`."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    check_usable(key)
    if key.has_pin and not pin:
        raise keystore.WrongPinError(_("Cần nhập mã PIN của khóa ký số."))
    if key.kind == KeyKind.PKCS12:
        data = keystore.unseal(key.encrypted_key, pin or "")
        private, cert, extra = pkcs12.load_key_and_certificates(data, None)
        der_key = private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs(
                [
                    asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                    for c in (extra or [])
                ]
            ),
        )
        yield signer
        return
    # PKCS#11: the key never leaves the token.
    from pkcs11.exceptions import PinIncorrect, PinLenRange
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as hanko_pkcs11

    try:
        session = hanko_pkcs11.open_pkcs11_session(
            key.pkcs11_module,
            slot_no=key.slot,
            token_criteria=TokenCriteria(label=key.token_label) if key.token_label else None,
            user_pin=pin,
        )
    except (PinIncorrect, PinLenRange):
        raise keystore.WrongPinError(_("Mã PIN của token không đúng: chưa ký văn bản.")) from None
    except Exception as error:  # noqa: BLE001  (token absent, module missing …)
        raise exc.ValidationError(
            _("Không mở được token ký số «{token}»: {error}").format(
                token=key.token_label or key.slot, error=error
            )
        ) from None
    try:
        cert = asn1_x509.Certificate.load(
            ca.load_pem_certificate(key.certificate).public_bytes(serialization.Encoding.DER)
        )
        yield hanko_pkcs11.PKCS11Signer(
            session,
            key_label=key.key_label,
            signing_cert=cert,
            ca_chain=_chain_certs(key),
        )
    finally:
        session.close()
