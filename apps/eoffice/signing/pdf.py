"""Signing PDF bytes with pyHanko: PAdES (B-B; B-T with a time-stamping authority), always as
an incremental update, so earlier signatures stay valid.

The number and date written at "Cấp số" after the signer has signed must not break the
signer's signature. So at "Ký", in the same revision that the signer signs, two empty text
form fields are added where the number and the date go (:func:`add_number_fields`); at
"Cấp số" they are filled (:func:`stamp_number`). Filling a form field is an allowed change
after signing (PDF's form-filling level, which pyHanko, Adobe Reader and Foxit accept), where
drawing new text on the page would show the document as modified after signing.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter

from eoffice import exceptions as exc
from eoffice.signing import appearance
from eoffice.signing.placement import Place
from eoffice.signing.sync import outside_event_loop

NUMBER_FIELD = "eoffice_so_ky_hieu"
DATE_FIELD = "eoffice_ngay_ban_hanh"


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as error:  # noqa: BLE001  (any parse failure: not a PDF we can sign)
        raise exc.ValidationError(
            _("Tệp không phải PDF hợp lệ, không ký được ({error}).").format(error=error)
        ) from None


def signature_field_names(pdf: bytes) -> list[str]:
    """Names of the signature fields already in the document (signed or not)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [name for name, _value, _ref in fields.enumerate_sig_fields(reader)]


def unique_field_name(pdf: bytes, base: str) -> str:
    taken = set(signature_field_names(pdf))
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    return name


def sign_pdf(
    pdf: bytes,
    signer: signers.Signer,
    place: Place,
    style,
    *,
    field_name: str,
    text_params: dict | None = None,
    reason: str = "",
    location: str = "",
    timestamper=None,
    prepare=None,
) -> bytes:
    """Sign ``pdf`` in a new visible signature field at ``place`` and return the new bytes.

    ``prepare(writer)`` may add objects first (they are covered by this signature). With a
    ``timestamper`` (pyHanko ``HTTPTimeStamper``), the signature is PAdES B-T.
    """
    writer = _writer(pdf)
    if prepare is not None:
        prepare(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=place.page,
        box=tuple(int(round(v)) for v in place.box),
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=style, new_field_spec=spec, timestamper=timestamper
    )
    out = io.BytesIO()
    outside_event_loop(
        pdf_signer.sign_pdf, writer, output=out, appearance_text_params=text_params or {}
    )
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# The number and the date ("Cấp số")


def _text_field(writer, page_ref, name: str, box) -> generic.IndirectObject:
    field = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): pdf_string(name),
            pdf_name("/Ff"): generic.NumberObject(1),  # read-only for people; we fill it
            pdf_name("/V"): pdf_string(""),
            pdf_name("/DA"): pdf_string("/Helv 0 Tf 0 g"),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/F"): generic.NumberObject(4),  # printed
            pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(round(v, 2)) for v in box]),
            pdf_name("/P"): page_ref,
        }
    )
    return writer.add_object(field)


def add_number_fields(writer, number: Place, date: Place) -> None:
    """Add the empty "Số" and "ngày" text fields to the writer's next revision."""
    form = writer.root.get("/AcroForm")
    if form is None:
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        writer.root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    else:
        form = form.get_object()
    form_ref = writer.root.raw_get("/AcroForm")
    existing = {str(f.get_object().get("/T")) for f in form.get("/Fields", [])}
    for name, place in ((NUMBER_FIELD, number), (DATE_FIELD, date)):
        if name in existing:
            continue
        page_ref = writer.find_page_for_modification(place.page)[0]
        page = page_ref.get_object()
        ref = _text_field(writer, page_ref, name, place.box)
        annots = page.get("/Annots")
        if annots is None:
            page[pdf_name("/Annots")] = generic.ArrayObject([ref])
        else:
            annots.get_object().append(ref)
            if isinstance(page.raw_get("/Annots"), generic.IndirectObject):
                writer.update_container(annots)
        writer.update_container(page)
        if "/Fields" not in form:
            form[pdf_name("/Fields")] = generic.ArrayObject()
        form["/Fields"].append(ref)
    if isinstance(form_ref, generic.IndirectObject):
        writer.update_container(form)


def has_number_fields(pdf: bytes) -> bool:
    """Whether the document was prepared at "Ký" for the number and the date."""
    writer = _writer(pdf)
    form = writer.root.get("/AcroForm")
    names = (
        {str(f.get_object().get("/T")) for f in form.get_object().get("/Fields", [])}
        if form
        else set()
    )
    return NUMBER_FIELD in names and DATE_FIELD in names


def stamp_number(pdf: bytes, number_text: str, date_text: str) -> bytes:
    """Write "Số: 15/QĐ-UBND" and "Gia Lâm, ngày 15 tháng 3 năm 2017" (as given) into the
    document as an incremental update.

    A document signed at "Ký" has the two fields to fill (an allowed change after signing).
    An unsigned document gets them now. A signed document without them is refused: writing on
    its page would show its signature as broken.
    """
    writer = _writer(pdf)
    form = writer.root.get("/AcroForm")
    found = {}
    if form is not None:
        for ref in form.get_object().get("/Fields", []):
            field = ref.get_object()
            if str(field.get("/T")) in (NUMBER_FIELD, DATE_FIELD):
                found[str(field.get("/T"))] = (ref, field)
    if len(found) < 2:
        if signature_field_names(pdf):
            raise exc.ValidationError(
                _(
                    "Văn bản đã ký nhưng không có ô số và ngày (không ký trong hệ thống): "
                    "không ghi số lên tệp được mà không làm hỏng chữ ký."
                )
            )
        from eoffice.signing.placement import number_places

        add_number_fields(writer, *number_places(pdf))
        out = io.BytesIO()
        writer.write(out)
        return stamp_number(out.getvalue(), number_text, date_text)
    style = appearance.number_style()
    white = PdfImage(Image.new("RGB", (4, 4), "white"))
    for name, text in ((NUMBER_FIELD, number_text), (DATE_FIELD, date_text)):
        ref, field = found[name]
        x1, y1, x2, y2 = [float(v) for v in field["/Rect"]]
        covered = type(style)(
            **{
                **{k: getattr(style, k) for k in style.__dataclass_fields__},
                "background": white,
                "background_opacity": 1.0,
                "background_layout": layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MID,
                    y_align=layout.AxisAlignment.ALIGN_MID,
                    inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
                ),
            }
        )
        stamp = covered.create_stamp(
            writer, layout.BoxConstraints(width=x2 - x1, height=y2 - y1), {"text": text}
        )
        field[pdf_name("/V")] = pdf_string(text)
        stamp.apply_appearance(field)
        writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Preview


def preview_png(pdf: bytes, place: Place, style, text_params: dict, scale: float = 2.0) -> bytes:
    """The page with the appearance drawn where the signature will go, as a PNG.

    Nothing is signed and nothing stored: the stamp is drawn into a throw-away copy.
    """
    import datetime

    import pypdfium2

    writer = _writer(pdf)
    x1, y1, x2, y2 = place.box
    params = {"ts": datetime.datetime.now(datetime.UTC), **text_params}
    stamp = style.create_stamp(writer, layout.BoxConstraints(width=x2 - x1, height=y2 - y1), params)
    stamp.apply(place.page, x1, y1)
    buffer = io.BytesIO()
    writer.write(buffer)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        image = document[place.page].render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
