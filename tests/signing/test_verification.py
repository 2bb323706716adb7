"""Verifying incoming PDFs: valid, unsigned, changed after signing, untrusted, expired; and
the check runs in a real RQ worker after an upload, never blocking it."""

from __future__ import annotations

import datetime

import pytest
from cryptography.hazmat.primitives import serialization

from eoffice.signing import ca, keys, service
from eoffice.signing.demo import CHAIRMAN, DEMO_PIN
from eoffice.signing.verification import verify_pdf
from tests.signing.documents import attachment_pdf, decision_pdf


@pytest.fixture
def signed_decision(signing_demo, demo_user):
    return service.sign_as_person(decision_pdf(), demo_user(CHAIRMAN), DEMO_PIN).content


@pytest.mark.django_db
def test_an_unsigned_pdf_has_no_digital_signature(signing_demo):
    result = verify_pdf(attachment_pdf())
    assert result["status"] == "Không có chữ ký số" and result["signatures"] == []


@pytest.mark.django_db
def test_a_byte_changed_inside_the_signed_content_is_detected(signed_decision):
    at = signed_decision.index(b"595.28")  # the page size, inside the signed bytes
    tampered = signed_decision[:at] + b"595.27" + signed_decision[at + 6 :]
    result = verify_pdf(tampered)
    assert result["status"] == "Không hợp lệ"
    assert result["modified_after_signing"]
    assert "thay đổi sau khi ký" in result["reason"]


@pytest.mark.django_db
def test_text_drawn_on_the_page_after_signing_is_flagged_as_modified(signed_decision):
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_decision))
    TextStampStyle(stamp_text="ĐÃ SỬA").create_stamp(writer, None, {}).apply(0, 100, 400)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert result["status"] == "Không hợp lệ" and result["modified_after_signing"]
    assert "sửa đổi sau khi ký" in result["reason"]
    assert result["signatures"][0]["intact"]  # the signed bytes themselves are untouched


@pytest.mark.django_db
def test_a_signature_from_an_untrusted_root_is_invalid_with_the_reason(signing_demo, demo_user):
    from eoffice.signing.models import TrustedRoot

    signed = service.sign_as_person(decision_pdf(), demo_user(CHAIRMAN), DEMO_PIN).content
    TrustedRoot.objects.update(enabled=False)  # the administrator stops trusting the demo root
    result = verify_pdf(signed)
    assert result["status"] == "Không hợp lệ"
    assert "Lê Văn Hùng" in result["reason"]
    assert "không thuộc chuỗi của chứng thư gốc tin cậy" in result["reason"]


@pytest.mark.django_db
def test_a_signature_with_an_expired_certificate_is_reported(signing_demo, demo_user):
    now = datetime.datetime.now(datetime.UTC)
    old = ca.issue(
        signing_demo["ca"],
        "Nguyễn Văn Cũ",
        not_before=now - datetime.timedelta(days=400),
        not_after=now - datetime.timedelta(days=30),
    )
    # Sign directly (the key store refuses an expired certificate, as it should).
    from asn1crypto import keys as ak
    from asn1crypto import x509 as ax
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from eoffice.signing import appearance, pdf, placement

    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=ax.Certificate.load(old.cert.public_bytes(der)),
        signing_key=ak.PrivateKeyInfo.load(
            old.key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(
            [ax.Certificate.load(c.public_bytes(der)) for c in old.chain]
        ),
    )
    content = decision_pdf("Nguyễn Văn Cũ")
    signed = pdf.sign_pdf(
        content,
        signer,
        placement.signature_place(content, "Nguyễn Văn Cũ"),
        appearance.signer_style(None),
        field_name="ChuKy_CaNhan",
    )
    result = verify_pdf(signed)
    assert result["status"] == "Không hợp lệ"
    assert "hết hạn" in result["reason"]
    # And the key store never signs with it.
    stored = keys.add_pkcs12_key(old.pkcs12(), title="Khóa cũ", user=demo_user(CHAIRMAN))
    with pytest.raises(Exception, match="hết hạn"):
        with keys.open_signer(stored, ""):
            pass


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_pdf_is_verified_by_a_real_worker_after_the_upload_commits(
    demo, clean_signing_queues
):
    from eoffice.doctype.file import create_file
    from eoffice.doctype.user import User
    from eoffice.signing import demo as signing_demo
    from eoffice.signing import panel
    from eoffice.signing.models import SignatureCheck
    from tests.test_jobs import run_worker_burst

    signing_demo.setup()
    chairman = User.objects.get(email=CHAIRMAN)
    issued = service.sign_as_person(decision_pdf(), chairman, DEMO_PIN).content
    file = create_file([issued], "quyet-dinh.pdf", owner="vanthu.dongdu@gialam.demo")
    plain = create_file([attachment_pdf()], "phu-luc.pdf", owner="vanthu.dongdu@gialam.demo")
    # Registration did not wait: the check is pending until a worker runs it.
    assert SignatureCheck.objects.get(file=file).status == "Chờ kiểm tra"
    run_worker_burst()
    assert SignatureCheck.objects.get(file=file).status == "Hợp lệ"
    assert SignatureCheck.objects.get(file=plain).status == "Không có chữ ký số"
    shown = panel(file)
    assert shown["signatures"][0]["signer"] == "Lê Văn Hùng"
    assert shown["signatures"][0]["status"] == "Hợp lệ"
    assert shown["signatures"][0]["signed_at"].endswith("+07:00")


@pytest.fixture
def clean_signing_queues():
    import django_rq

    from eoffice import jobs

    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()
    yield
    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()
