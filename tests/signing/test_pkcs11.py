"""Signing through PKCS#11 with a key that never leaves the token: SoftHSM2 from Debian's
packages, a token initialised in a temporary folder, the key and certificate imported."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from eoffice.signing import ca, keys, keystore, service
from eoffice.signing.demo import CHAIRMAN
from eoffice.signing.verification import verify_pdf
from tests.signing.documents import decision_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("softhsm2-util"), reason="softhsm2 is not installed"),
]
USER_PIN, SO_PIN, TOKEN = "2468", "13579", "eoffice-test"


@pytest.fixture
def softhsm_token(tmp_path, monkeypatch, signing_demo, demo_user):
    """A SoftHSM token holding a certificate and key issued by the demo CA to the chairman."""
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN,
         "--pin", USER_PIN, "--so-pin", SO_PIN],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    issued = ca.issue(signing_demo["ca"], "Lê Văn Hùng", email=CHAIRMAN, organization="UBND")
    key_pem = tmp_path / "key.pem"
    key_pem.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        ["softhsm2-util", "--import", str(key_pem), "--token", TOKEN, "--label", "chutich",
         "--id", "01", "--pin", USER_PIN],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    key_pem.unlink()
    # The certificate goes on the token too, as a real token carries it.
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(keys.DEFAULT_PKCS11_MODULE)
    with lib.get_token(token_label=TOKEN).open(rw=True, user_pin=USER_PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "chutich",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: issued.cert.subject.public_bytes(),
                Attribute.VALUE: issued.cert.public_bytes(serialization.Encoding.DER),
            }
        )
    chairman = demo_user(CHAIRMAN)
    chairman.signing_keys.update(is_active=False)  # the token replaces the software key
    return keys.add_pkcs11_key(
        issued.cert_pem(),
        title="USB token của Chủ tịch",
        key_label="chutich",
        token_label=TOKEN,
        user=chairman,
        chain_pem="".join(
            c.public_bytes(serialization.Encoding.PEM).decode() for c in issued.chain
        ),
    )


def test_the_chairman_signs_through_pkcs11_on_a_softhsm_token(softhsm_token, demo_user):
    chairman = demo_user(CHAIRMAN)
    assert keys.key_for_user(chairman) == softhsm_token
    signed = service.sign_as_person(decision_pdf(), chairman, USER_PIN)
    result = verify_pdf(signed.content)
    assert result["status"] == "Hợp lệ", result
    assert result["signatures"][0]["signer"] == "Lê Văn Hùng"


def test_a_wrong_token_pin_is_refused_and_nothing_is_signed(softhsm_token, demo_user):
    with pytest.raises(keystore.WrongPinError) as refused:
        service.sign_as_person(decision_pdf(), demo_user(CHAIRMAN), "0000")
    assert "PIN" in refused.value.message
