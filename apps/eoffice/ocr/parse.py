"""Step 2 of the intake chain: the text of one page.

- A page with a text layer is read by pdfplumber.
- A scanned page goes to the real ``tesseract -l vie`` (``OMP_THREAD_LIMIT=1``: one core per
  page, pages spread over workers instead). The image Tesseract reads is the one the scanner
  made whenever possible: an uploaded PNG/JPEG/TIFF is passed as it is, and a scanned PDF page
  that is one full-page JPEG is handed over without decoding. Only other PDF pages are
  rendered, once, at 300 dpi. So a page costs what plain ``tesseract`` costs on it, plus a
  few milliseconds.
- The same Tesseract run writes a text-only PDF layer (``textonly_pdf=1``, a few percent more
  than text alone), which :mod:`eoffice.ocr.searchable` grafts onto the original page.

All text leaves here in NFC (:func:`eoffice.text.nfc`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

from eoffice.ocr.errors import OcrEngineError, OcrInputError
from eoffice.ocr.preflight import DOCX, XLSX, Plan
from eoffice.text import nfc

RENDER_DPI = 300
# The most that reading an Office file may unpack: a larger or much-compressed member is a
# zip bomb or not a document.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass
class PageResult:
    """The text of one page, the text-only PDF layer for a scan, and what it cost."""

    index: int
    text: str
    layer: bytes | None
    seconds: float
    method: str  # "text" (a text layer), "ocr" (Tesseract) or "office"


def tesseract_path() -> str:
    return shutil.which("tesseract") or "/usr/bin/tesseract"


def ocr_language() -> str:
    """Tesseract's language (``ocr_language`` in site_config.json, default ``vie``)."""
    return settings.SITE_CONFIG.get("ocr_language", "vie")


def page_timeout() -> int:
    return int(settings.SITE_CONFIG.get("ocr_page_timeout_seconds", 300))


def tidy(text: str) -> str:
    """NFC, no trailing blanks, no form feeds, at most one blank line in a row."""
    text = nfc(text or "").replace("\f", "\n").replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ---------------------------------------------------------------------------------------
# Text layers


def pdf_text(path: Path, indexes: list[int]) -> dict[int, str]:
    """The text layer of the given pages of a PDF, by pdfplumber."""
    import pdfplumber

    out = {}
    try:
        with pdfplumber.open(path) as pdf:
            for index in indexes:
                out[index] = tidy(pdf.pages[index].extract_text() or "")
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise OcrInputError("Không đọc được lớp chữ của tệp PDF (tệp có thể bị hỏng).") from exc
    return out


def office_text(path: Path, mime: str) -> str:
    """The text of a DOCX, ODT or XLSX file, unpacked with limits (zip bombs are refused)."""
    try:
        if mime == XLSX:
            _check_zip(path, None)
            return tidy(_xlsx_text(path))
        member = "word/document.xml" if mime == DOCX else "content.xml"
        xml = _check_zip(path, member)
    except zipfile.BadZipFile as exc:
        raise OcrInputError("Tệp văn phòng bị hỏng, không mở được.") from exc
    root = ElementTree.fromstring(xml)
    if mime == DOCX:
        ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        paragraphs = root.iter(f"{ns}p")
        text_of = lambda p: "".join(t.text or "" for t in p.iter(f"{ns}t"))  # noqa: E731
    else:
        ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
        paragraphs = (el for el in root.iter() if el.tag in (f"{ns}p", f"{ns}h"))
        text_of = lambda p: "".join(p.itertext())  # noqa: E731
    return tidy("\n".join(text_of(p) for p in paragraphs))


def _check_zip(path: Path, member: str | None) -> bytes | None:
    with zipfile.ZipFile(path) as zf:
        total = 0
        for info in zf.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > MAX_UNPACKED_BYTES or (
                info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO
            ):
                raise OcrInputError(
                    "Tệp nén bất thường (nội dung giải nén quá lớn), không đọc được."
                )
        if member is None:
            return None
        try:
            return zf.read(member)
        except KeyError as exc:
            raise OcrInputError("Tệp văn phòng thiếu phần nội dung chính.") from exc


def _xlsx_text(path: Path) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    lines = []
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v not in (None, "")]
                if cells:
                    lines.append(" ".join(cells))
    finally:
        workbook.close()
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Scans


def page_image(plan: Plan, index: int, workdir: Path) -> tuple[Path, int | None]:
    """The image Tesseract reads for a page, and its resolution when Tesseract needs telling.

    Never re-renders what the scanner already made: see the module docstring.
    """
    if plan.kind == "image":
        return _image_page(Path(plan.path), index, plan.page_count, workdir)
    return _pdf_page_image(Path(plan.path), index, workdir)


def _image_page(path: Path, index: int, frames: int, workdir: Path) -> tuple[Path, int | None]:
    from PIL import Image

    with Image.open(path) as img:
        declared = _declared_dpi(img)
        if frames == 1:
            # Tesseract reads the file itself; tell it the resolution only when the file does not.
            return path, None if declared else RENDER_DPI
        img.seek(index)
        frame = img.copy()
    # One frame of a multi-page TIFF: an uncompressed PNM is the cheapest thing to hand over.
    if frame.mode not in ("1", "L", "RGB"):
        frame = frame.convert("RGB")
    suffix = {"1": "pbm", "L": "pgm"}.get(frame.mode, "ppm")
    target = workdir / f"frame-{index + 1}.{suffix}"
    frame.save(target)
    return target, declared or RENDER_DPI


def _declared_dpi(img) -> int | None:
    """The resolution the image file declares, if it is usable (scans without one: None)."""
    dpi = img.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if value >= 70 else None


def _pdf_page_image(path: Path, index: int, workdir: Path) -> tuple[Path, int]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        width_pt, height_pt = page.get_size()
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
        if len(images) == 1 and page.get_rotation() == 0:
            extracted = _whole_page_jpeg(images[0], width_pt, height_pt, workdir, index)
            if extracted:
                return extracted
        bitmap = page.render(scale=RENDER_DPI / 72, grayscale=True)
        target = workdir / f"render-{index + 1}.pgm"
        bitmap.to_pil().save(target)
        return target, RENDER_DPI
    finally:
        pdf.close()


def _whole_page_jpeg(image, width_pt, height_pt, workdir, index):
    """A scanner's page: one upright JPEG filling the page, at a sane resolution. Or None."""
    import pypdfium2.raw as pdfium_c

    try:
        left, bottom, right, top = image.get_bounds()
        a, b, c, d, _e, _f = image.get_matrix().get()
        meta = image.get_metadata()
        filters = image.get_filters()
    except Exception:  # an image pdfium cannot describe: render the page instead
        return None
    fills = (
        abs(left) < 2 and abs(bottom) < 2 and abs(right - width_pt) < 2 and abs(top - height_pt) < 2
    )
    upright = abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0
    plain = meta.colorspace in (
        pdfium_c.FPDF_COLORSPACE_DEVICEGRAY,
        pdfium_c.FPDF_COLORSPACE_DEVICERGB,
    )
    if not (fills and upright and plain and filters == ["DCTDecode"]):
        return None
    dpi_x = meta.width / (width_pt / 72)
    dpi_y = meta.height / (height_pt / 72)
    if not (150 <= dpi_x <= 600) or abs(dpi_x - dpi_y) > 2:
        return None
    base = workdir / f"scan-{index + 1}"
    image.extract(str(base))  # the JPEG bytes as stored: no decode, no re-encode
    return Path(f"{base}.jpg"), round(dpi_x)


def tesseract(image: Path, workdir: Path, dpi: int | None = None) -> tuple[str, bytes]:
    """Run ``tesseract -l vie`` once: the page's text and its text-only PDF layer."""
    out = workdir / f"ocr-{image.stem}"
    cmd = [tesseract_path(), str(image), str(out), "-l", ocr_language()]
    if dpi:
        cmd += ["--dpi", str(dpi)]
    cmd += ["-c", "textonly_pdf=1", "txt", "pdf"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, timeout=page_timeout(), check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrEngineError(f"Nhận dạng một trang quá {page_timeout()} giây, đã dừng.") from exc
    except OSError as exc:
        raise OcrEngineError(f"Không chạy được Tesseract: {exc.strerror}.") from exc
    txt, pdf = out.with_suffix(".txt"), out.with_suffix(".pdf")
    if proc.returncode != 0 or not txt.exists():
        reason = _tesseract_reason(proc.stderr)
        raise OcrInputError(f"Tesseract không đọc được ảnh trang: {reason}")
    return tidy(txt.read_text("utf-8", errors="replace")), pdf.read_bytes()


def _tesseract_reason(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line or "error" in line or "Cannot" in line or "Unsupported" in line:
            return line
    return lines[-1] if lines else "lỗi không rõ"


def read_page(plan: Plan, index: int) -> PageResult:
    """The text of page ``index`` (from 0) as the plan says to read it."""
    started = time.perf_counter()
    if plan.kind == "office":
        text = office_text(Path(plan.path), plan.mime)
        return PageResult(index, text, None, time.perf_counter() - started, "office")
    if index in plan.text_pages:
        text = pdf_text(Path(plan.path), [index])[index]
        return PageResult(index, text, None, time.perf_counter() - started, "text")
    with tempfile.TemporaryDirectory(prefix="eoffice-ocr-") as tmp:
        workdir = Path(tmp)
        image, dpi = page_image(plan, index, workdir)
        text, layer = tesseract(image, workdir, dpi)
    return PageResult(index, text, layer, time.perf_counter() - started, "ocr")
