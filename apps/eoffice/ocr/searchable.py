"""Step 4 of the intake chain: a searchable PDF/A of a scan, kept beside the original.

Tesseract already wrote, for each scanned page, a text-only PDF layer in the same run that
read the text (:mod:`eoffice.ocr.parse`), so nothing is recognised twice: the layers are
grafted onto the original pages with pikepdf (an image upload becomes a PDF first, with
img2pdf, which embeds JPEGs as they are), and OCRmyPDF turns the result into PDF/A with its
own pikepdf-based conversion (``pdfa_backend="internal"``: no Ghostscript, and no OCR, since
every page now has text). If OCRmyPDF cannot certify PDF/A for a file, the grafted PDF is kept:
it is searchable all the same.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from eoffice.ocr.errors import OcrEngineError
from eoffice.ocr.preflight import Plan

log = logging.getLogger(__name__)


def base_pdf(plan: Plan, target: Path) -> Path:
    """The original as a PDF: the PDF itself, or the image's pages wrapped losslessly."""
    if plan.kind == "pdf":
        return Path(plan.path)
    import img2pdf
    from PIL import Image

    from eoffice.ocr.parse import RENDER_DPI

    with Image.open(plan.path) as img:
        dpi = img.info.get("dpi")
    fixed = not dpi or float(dpi[0] or 0) < 70
    layout = img2pdf.get_fixed_dpi_layout_fun((RENDER_DPI, RENDER_DPI)) if fixed else None
    try:
        target.write_bytes(
            img2pdf.convert(plan.path, layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
        )
    except Exception:  # img2pdf refuses e.g. alpha channels: let Pillow flatten the pages
        frames = []
        with Image.open(plan.path) as img:
            for index in range(getattr(img, "n_frames", 1)):
                img.seek(index)
                frames.append(img.convert("RGB"))
        frames[0].save(
            target, "PDF", resolution=RENDER_DPI, save_all=True, append_images=frames[1:]
        )
    return target


def build(plan: Plan, layers: dict[int, Path], target: Path) -> bool:
    """Write the searchable PDF of ``plan``'s file to ``target``; True if it is PDF/A.

    ``layers`` maps page indexes (from 0) to Tesseract's text-only PDF of that page.
    """
    import pikepdf

    with tempfile.TemporaryDirectory(prefix="eoffice-pdfa-") as tmp:
        tmp = Path(tmp)
        grafted = tmp / "grafted.pdf"
        try:
            with pikepdf.open(base_pdf(plan, tmp / "base.pdf")) as pdf:
                opened = []
                try:
                    for index, layer in sorted(layers.items()):
                        text_pdf = pikepdf.open(layer)
                        opened.append(text_pdf)
                        pdf.pages[index].add_overlay(text_pdf.pages[0])
                    pdf.save(grafted)
                finally:
                    for text_pdf in opened:
                        text_pdf.close()
        except Exception as exc:
            raise OcrEngineError("Không ghép được lớp chữ vào bản PDF.") from exc
        if _to_pdfa(grafted, target):
            return True
        target.write_bytes(grafted.read_bytes())
        return False


def _to_pdfa(source: Path, target: Path) -> bool:
    import ocrmypdf

    try:
        ocrmypdf.ocr(
            source,
            target,
            ocr_engine="none",  # the text is there already
            skip_text=True,
            output_type="pdfa",
            pdfa_backend="internal",
            optimize=0,
            jobs=1,
            progress_bar=False,
        )
    except Exception as exc:  # noqa: BLE001  (any refusal means: keep the plain PDF)
        log.warning("OCRmyPDF could not make PDF/A of %s: %s", source, exc)
        return False
    return target.exists()
