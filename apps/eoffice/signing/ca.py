"""Certificates made with ``cryptography``: the demo certificate authority and its keys.

The demo CA has the shape of the real Vietnamese PKI (a root, an issuing CA under it, end
entities under that): ``Root CA`` → ``Issuing CA`` → the chairman's personal certificate and
the agency's ("UBND huyện Gia Lâm") certificate. It exists so that the demo path signs real
signatures that the site's own verifier, pyHanko's CLI and ``pdfsig`` accept once the demo root
is trusted. It is never meant for real documents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_SIZE = 2048


@dataclass
class KeyPair:
    """A private key and its certificate (and the chain above it, issuing CA first)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def pkcs12(self, friendly_name: str = "eoffice") -> bytes:
        """The key, certificate and chain as PKCS#12 bytes (no password: encrypt it yourself)."""
        return pkcs12.serialize_key_and_certificates(
            friendly_name.encode(),
            self.key,
            self.cert,
            list(self.chain) or None,
            serialization.NoEncryption(),
        )

    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class DemoCA:
    """The demo root and issuing CA (keys kept only in memory, for issuing)."""

    root: KeyPair
    issuing: KeyPair


def _name(common_name: str, organization: str = "", email: str = "", locality: str = ""):
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Hà Nội"))
    if locality:
        attrs.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _ca_cert(subject, key, issuer, issuer_key, not_before, not_after, path_length):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def create_demo_ca(name: str = "eOffice Demo", years: int = 20) -> DemoCA:
    """A fresh root CA and an issuing CA under it (valid from yesterday for ``years``)."""
    start = _now() - datetime.timedelta(days=1)
    root_key = _new_key()
    root_name = _name(f"{name} Root CA", organization=name)
    root_cert = _ca_cert(
        root_name,
        root_key,
        root_name,
        root_key,
        start,
        start + datetime.timedelta(days=365 * years),
        1,
    )
    issuing_key = _new_key()
    issuing_cert = _ca_cert(
        _name(f"{name} Issuing CA", organization=name),
        issuing_key,
        root_name,
        root_key,
        start,
        start + datetime.timedelta(days=365 * (years - 1)),
        0,
    )
    return DemoCA(
        root=KeyPair(root_key, root_cert),
        issuing=KeyPair(issuing_key, issuing_cert, (root_cert,)),
    )


def issue(
    ca: DemoCA,
    common_name: str,
    *,
    organization: str = "",
    email: str = "",
    locality: str = "",
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    key: rsa.RSAPrivateKey | None = None,
) -> KeyPair:
    """An end-entity signing certificate issued by the demo issuing CA (3 years by default).

    ``not_before``/``not_after`` let tests make expired or not-yet-valid certificates.
    """
    key = key or _new_key()
    start = not_before or (_now() - datetime.timedelta(days=1))
    end = not_after or (start + datetime.timedelta(days=365 * 3))
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization, email, locality))
        .issuer_name(ca.issuing.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: a signature of will
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.issuing.key.public_key()),
            critical=False,
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    cert = builder.sign(ca.issuing.key, hashes.SHA256())
    return KeyPair(key, cert, (ca.issuing.cert, ca.root.cert))


def load_pem_certificate(pem: str | bytes) -> x509.Certificate:
    """A certificate from PEM text (or DER bytes); ValueError when it is neither."""
    data = pem.encode() if isinstance(pem, str) else pem
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def common_name(cert: x509.Certificate) -> str:
    """The certificate subject's common name (or the whole subject when it has none)."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint as lowercase hex."""
    return cert.fingerprint(hashes.SHA256()).hex()
