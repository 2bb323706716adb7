"""The steps of signing as the workflow and the desk call them, over PDF bytes and keys.

Each function takes the PDF as it is now and returns the new bytes (an incremental update);
storing the result as a new File and moving the document on is the caller's (the outgoing
document's hooks). Nothing is changed when a step refuses (wrong PIN, no key, not a PDF).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from eoffice.signing import appearance, keys, pdf, placement
from eoffice.signing.models import SigningKey

PERSONAL_FIELD = "ChuKy_CaNhan"
AGENCY_FIELD = "ChuKy_CoQuan"


@dataclass
class Signed:
    """A signed PDF and what was signed where."""

    content: bytes
    field_name: str
    place: placement.Place
    key: SigningKey
    details: dict = field(default_factory=dict)


def _signature_image(key: SigningKey, fallback_name: str) -> bytes:
    return (
        bytes(key.signature_image)
        if key.signature_image
        else appearance.handwriting_image(fallback_name)
    )


def _seal(key: SigningKey, agency_name: str) -> bytes:
    return bytes(key.signature_image) if key.signature_image else appearance.seal_image(agency_name)


def signature_rects(content: bytes) -> dict[str, placement.Place]:
    """The visible signature fields of a PDF: field name → page and box."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    pages = {
        reader.find_page_for_modification(i)[0].idnum: i
        for i in range(reader.root["/Pages"]["/Count"])
    }
    out = {}
    for name, _value, ref in fields.enumerate_sig_fields(reader):
        widget = ref.get_object()
        rect = widget.get("/Rect")
        page_ref = widget.raw_get("/P") if "/P" in widget else None
        if rect is None:
            continue
        page = pages.get(getattr(page_ref, "idnum", None), 0)
        out[name] = placement.Place(page, tuple(float(v) for v in rect), True)
    return out


def person_place(content: bytes, signer_name: str) -> placement.Place:
    """Where the signer's signature goes (see :func:`placement.signature_place`)."""
    return placement.signature_place(content, signer_name)


def sign_as_person(
    content: bytes, user, pin: str | None = None, *, place=None, reason: str = ""
) -> Signed:
    """ "Ký": the person's signature with the signature image, name and time, at the signature
    block found above their printed name; the empty number and date fields are added in the
    same revision, for "Cấp số" to fill."""
    key = keys.key_for_user(user)
    name = getattr(user, "full_name", "") or key.certificate_subject
    place = place or person_place(content, name)
    field_name = pdf.unique_field_name(content, PERSONAL_FIELD)
    image = _signature_image(key, name)

    def prepare(writer):
        if not pdf.signature_field_names(content):
            pdf.add_number_fields(writer, *placement.number_places(content))

    with keys.open_signer(key, pin) as signer:
        signed = pdf.sign_pdf(
            content,
            signer,
            place,
            appearance.signer_style(image),
            field_name=field_name,
            text_params={"signer": name},
            reason=reason or _("Ký ban hành văn bản"),
            prepare=prepare,
        )
    return Signed(signed, field_name, place, key)


def stamp_number(content: bytes, symbol: str, issue_date) -> bytes:
    """ "Cấp số": "Số: 15/QĐ-UBND" and "ngày 15 tháng 03 năm 2017" written into the fields
    prepared at "Ký" (an allowed change: the signer's signature stays valid)."""
    date_text = _("ngày {d:%d} tháng {d:%m} năm {d:%Y}").format(d=issue_date)
    return pdf.stamp_number(content, _("Số: {symbol}").format(symbol=symbol), date_text)


def sign_as_agency(
    content: bytes, unit, pin: str | None = None, *, signer_name: str = "", reason: str = ""
) -> Signed:
    """ "Phát hành": the agency's signature with its red seal over the left third of the
    signer's signature (found from the signer's signature field, else from the name)."""
    key = keys.key_for_agency(unit)
    agency = key.unit.unit_name if key.unit_id else key.certificate_subject
    rects = signature_rects(content)
    person = next((p for n, p in rects.items() if n.startswith(PERSONAL_FIELD)), None)
    if person is None:
        person = placement.signature_place(content, signer_name)
    place = placement.seal_place(person)
    field_name = pdf.unique_field_name(content, AGENCY_FIELD)
    with keys.open_signer(key, pin) as signer:
        signed = pdf.sign_pdf(
            content,
            signer,
            place,
            appearance.agency_style(_seal(key, agency)),
            field_name=field_name,
            text_params={"agency": agency, "signer": agency},
            reason=reason or _("Phát hành văn bản"),
        )
    return Signed(signed, field_name, place, key)


def sign_attachment(content: bytes, unit, symbol: str, pin: str | None = None) -> Signed:
    """An attachment in its own file: the agency's signature, text only, top right of page 1."""
    key = keys.key_for_agency(unit)
    agency = key.unit.unit_name if key.unit_id else key.certificate_subject
    place = placement.attachment_place(content)
    field_name = pdf.unique_field_name(content, AGENCY_FIELD)
    with keys.open_signer(key, pin) as signer:
        signed = pdf.sign_pdf(
            content,
            signer,
            place,
            appearance.attachment_style(),
            field_name=field_name,
            text_params={"agency": agency, "symbol": symbol},
            reason=_("Phát hành văn bản (tệp kèm theo)"),
        )
    return Signed(signed, field_name, place, key)


def preview(
    content: bytes, *, user=None, unit=None, kind: str = "person", symbol: str = ""
) -> bytes:
    """A PNG of the page where the signature will go, with its appearance drawn (no key is
    opened, nothing is signed). ``kind``: "person", "agency" or "attachment"."""
    if kind == "person":
        key = keys.key_for_user(user)
        name = getattr(user, "full_name", "") or key.certificate_subject
        return pdf.preview_png(
            content,
            person_place(content, name),
            appearance.signer_style(_signature_image(key, name)),
            {"signer": name},
        )
    key = keys.key_for_agency(unit)
    agency = key.unit.unit_name if key.unit_id else key.certificate_subject
    if kind == "attachment":
        return pdf.preview_png(
            content,
            placement.attachment_place(content),
            appearance.attachment_style(),
            {"agency": agency, "symbol": symbol or "…"},
        )
    rects = signature_rects(content)
    person = next((p for n, p in rects.items() if n.startswith(PERSONAL_FIELD)), None)
    person = person or placement.signature_place(content, "")
    return pdf.preview_png(
        content,
        placement.seal_place(person),
        appearance.agency_style(_seal(key, agency)),
        {"agency": agency},
    )
