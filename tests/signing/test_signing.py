"""Signing outgoing documents: the signer at "Ký", the number at "Cấp số", the agency's seal
at "Phát hành", attachments; real keys, real pyHanko, checked by pdfsig and on the page."""

from __future__ import annotations

import datetime

import pytest

from eoffice.signing import keystore, placement, service
from eoffice.signing.demo import CHAIRMAN, DEMO_PIN
from eoffice.signing.models import KeyKind, SigningKey, TrustedRoot
from eoffice.signing.verification import verify_pdf
from tests.signing.conftest import box_pixels, inked, pdfsig, reddish, render
from tests.signing.documents import attachment_pdf, decision_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def chairman(demo_user):
    return demo_user(CHAIRMAN)


def test_the_demo_creates_a_trusted_root_and_keys_sealed_with_the_site_secret_and_pin(
    signing_demo, chairman
):
    root = TrustedRoot.objects.get()
    assert "Demo Root CA" in root.subject and root.enabled
    person = SigningKey.objects.get(user=chairman)
    agency = SigningKey.objects.get(unit__short_name="UBND")
    assert person.kind == agency.kind == KeyKind.PKCS12
    assert person.has_pin and not agency.has_pin
    assert person.certificate_subject == "Lê Văn Hùng"
    # Never the raw key: the stored blob is ciphertext, and only the PIN opens it.
    blob = bytes(person.encrypted_key)
    assert blob.startswith(keystore.FORMAT) and b"PRIVATE" not in blob
    assert keystore.unseal(blob, DEMO_PIN)[:1] == b"\x30"  # DER of the PKCS#12
    with pytest.raises(keystore.WrongPinError):
        keystore.unseal(blob, "000000")


def test_the_chairman_signs_with_a_pkcs12_key_and_the_signature_is_intact_and_trusted(
    signing_demo, chairman
):
    signed = service.sign_as_person(decision_pdf(), chairman, DEMO_PIN)
    result = verify_pdf(signed.content)
    assert result["status"] == "Hợp lệ", result
    (sig,) = result["signatures"]
    assert sig["signer"] == "Lê Văn Hùng" and sig["intact"] and sig["trusted"]
    assert sig["signed_at"].endswith("+07:00")
    assert sig["revocation"] == "không kiểm tra được thu hồi"
    report = pdfsig(signed.content)
    assert "Signature is Valid." in report and "ETSI.CAdES.detached" in report  # PAdES


def test_the_signature_appears_above_the_signers_printed_name(signing_demo, chairman, tmp_path):
    content = decision_pdf()
    signed = service.sign_as_person(content, chairman, DEMO_PIN)
    assert signed.place.found and signed.place.page == 0
    x1, y1, x2, y2 = signed.place.box
    assert 300 < x1 < x2 < 560 and 180 <= y1 < y2 <= 262  # between "CHỦ TỊCH" and the name
    before = box_pixels(render(content), signed.place.box)
    after = box_pixels(render(signed.content, keep=str(tmp_path / "signed.png")), signed.place.box)
    assert inked(before) == 0
    blue = sum(1 for r, g, b in after if b > 120 and r < 100)
    assert inked(after) > 300 and blue > 150  # the blue signature image and its text


def test_the_agency_seal_after_number_and_date_keeps_both_signatures_valid(
    signing_demo, chairman, demo, tmp_path
):
    first = service.sign_as_person(decision_pdf(), chairman, DEMO_PIN)
    numbered = service.stamp_number(first.content, "15/QĐ-UBND", datetime.date(2017, 3, 15))
    issued = service.sign_as_agency(numbered, demo["UBND"])
    assert issued.content.startswith(first.content)  # incremental: earlier bytes untouched
    result = verify_pdf(issued.content)
    assert result["status"] == "Hợp lệ", result
    assert [s["signer"] for s in result["signatures"]] == ["Lê Văn Hùng", "UBND huyện Gia Lâm"]
    assert not result["modified_after_signing"]
    report = pdfsig(issued.content)
    assert report.count("Signature is Valid.") == 2
    # The seal: red, over the left third of the signer's signature.
    sx1, _sy1, sx2, _sy2 = first.place.box
    ax1, ay1, ax2, ay2 = issued.place.box
    assert ax1 < sx1 < ax2 <= sx1 + (sx2 - sx1) / 3 + 1
    page = render(issued.content, keep=str(tmp_path / "issued.png"))
    assert reddish(box_pixels(page, issued.place.box)) > 500
    # The number and the date are written where the draft left them blank.
    number_place, date_place = placement.number_places(decision_pdf())
    blank = render(decision_pdf())
    for place in (number_place, date_place):
        assert inked(box_pixels(page, place.box)) > inked(box_pixels(blank, place.box)) + 20


def test_an_attachment_gets_the_agency_signature_at_the_top_right_of_its_first_page(
    signing_demo, demo
):
    signed = service.sign_attachment(attachment_pdf(), demo["UBND"], "15/QĐ-UBND")
    x1, y1, x2, y2 = signed.place.box
    assert signed.place.page == 0 and x1 > 595 / 2 and y1 > 842 * 0.85
    assert inked(box_pixels(render(signed.content), signed.place.box)) > 100
    result = verify_pdf(signed.content)
    assert result["status"] == "Hợp lệ" and result["signatures"][0]["signer"] == (
        "UBND huyện Gia Lâm"
    )


def test_a_wrong_pin_is_refused_in_vietnamese_and_nothing_is_signed(signing_demo, chairman):
    content = decision_pdf()
    with pytest.raises(keystore.WrongPinError) as refused:
        service.sign_as_person(content, chairman, "111111")
    assert "PIN" in refused.value.message and "không đúng" in refused.value.message
    with pytest.raises(keystore.WrongPinError):
        service.sign_as_person(content, chairman, "")


def test_a_person_without_a_key_is_told_to_ask_the_administrator(signing_demo, demo_user):
    with pytest.raises(Exception) as refused:
        service.sign_as_person(decision_pdf(), demo_user("vanthu@gialam.demo"), "1")
    assert "chưa có khóa ký số" in str(refused.value)


def test_the_preview_draws_the_appearance_without_signing(signing_demo, chairman):
    from io import BytesIO

    from PIL import Image

    content = decision_pdf()
    png = service.preview(content, user=chairman, kind="person")
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.size[0] > 595  # rendered at 2x
    place = service.person_place(content, "Lê Văn Hùng")
    x1, y1, x2, y2 = [v * image.size[0] / 595 for v in place.box]
    h = image.size[1]
    crop = image.crop((int(x1), int(h - y2), int(x2), int(h - y1)))
    assert inked(list(crop.get_flattened_data())) > 300


@pytest.mark.django_db(transaction=True)
def test_signing_and_verifying_work_in_a_thread_that_runs_an_event_loop(
    signing_demo, chairman, monkeypatch
):
    """pyHanko's sync API uses asyncio.run; Playwright's sync API in the same process (the desk
    tests) already runs a loop in the thread, and signing must still work there."""
    import asyncio

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as under Playwright

    async def inside_a_loop():
        signed = service.sign_as_person(decision_pdf(), chairman, DEMO_PIN)
        return verify_pdf(signed.content)

    # In a thread of its own: the desk's browser tests may run a loop in this one already.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, inside_a_loop()).result()
    assert result["status"] == "Hợp lệ"
