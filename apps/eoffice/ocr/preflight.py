"""Step 1 of the intake chain: is the stored file readable, what is it, which pages need OCR.

Nothing is read twice later on: the plan says, page by page, whether pdfplumber reads a text
layer or Tesseract reads a scan. The type comes from the content (libmagic), never from the
name. A file that cannot be read raises :class:`OcrInputError` with the reason in Vietnamese.
"""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings

from eoffice.ocr.errors import OcrInputError
from eoffice.ocr.store import sha256_of

PDF = "application/pdf"
IMAGE_TYPES = {"image/png", "image/jpeg", "image/tiff"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
DOC = "application/msword"
OFFICE_TYPES = {DOCX, XLSX, ODT}
# A page with fewer visible characters than this has no usable text layer (a scanner's
# "Scanned by …" line does not make a page readable).
MIN_TEXT_CHARS = 20
MAX_IMAGE_PIXELS = 120_000_000  # ~ an A3 page at 600 dpi; beyond that, a bomb or a mistake


def max_pages() -> int:
    """The most pages the site reads from one file (``ocr_max_pages`` in site_config.json)."""
    return int(settings.SITE_CONFIG.get("ocr_max_pages", 500))


@dataclass
class Plan:
    """What the chain will do with one stored file.

    ``kind`` is ``pdf``, ``image``, ``office`` or ``none`` (nothing to read, e.g. a .doc);
    ``text_pages`` have a text layer, ``ocr_pages`` go to Tesseract (indexes from 0).
    """

    path: str
    sha256: str
    mime: str
    kind: str
    page_count: int
    text_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        return cls(**data)

    @property
    def needs_ocr(self) -> bool:
        return bool(self.ocr_pages)


def sniff(path: Path) -> str:
    """The MIME type of the content (libmagic), with Office files told apart from plain zips."""
    import magic

    mime = magic.from_file(str(path), mime=True)
    if mime in ("application/zip", "application/octet-stream") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "content.xml" in names and "mimetype" in names:
            return ODT
    return mime


def preflight(path: Path, sha256: str | None = None) -> Plan:
    """Check the stored file and plan its reading; raise :class:`OcrInputError` if unreadable.

    With ``sha256`` the content is checked against it, so a damaged store is reported
    instead of being read into wrong text.
    """
    path = Path(path)
    if not path.is_file():
        raise OcrInputError("Không tìm thấy tệp gốc trong kho lưu trữ.")
    if path.stat().st_size == 0:
        raise OcrInputError("Tệp rỗng (0 byte), không có nội dung để đọc.")
    actual = sha256_of(path)
    if sha256 and actual != sha256:
        raise OcrInputError("Tệp trong kho bị hỏng: mã băm SHA-256 không khớp với lúc tải lên.")
    mime = sniff(path)
    if mime == PDF:
        return _plan_pdf(path, actual)
    if mime in IMAGE_TYPES:
        return _plan_image(path, actual, mime)
    if mime in OFFICE_TYPES:
        return Plan(str(path), actual, mime, "office", 1, text_pages=[0])
    if mime == DOC:
        return Plan(str(path), actual, mime, "none", 0)
    raise OcrInputError(f"Loại tệp {mime} không được hỗ trợ để đọc nội dung.")


def _plan_pdf(path: Path, sha: str) -> Plan:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise OcrInputError("Tệp PDF có mật khẩu, không đọc được nội dung.") from exc
        if _page_count_by_qpdf(path) == 0:  # pdfium refuses a PDF without pages outright
            raise OcrInputError("Tệp PDF không có trang nào.") from exc
        raise OcrInputError("Tệp PDF bị hỏng hoặc không đúng định dạng PDF.") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise OcrInputError("Tệp PDF không có trang nào.")
        if count > max_pages():
            raise OcrInputError(
                f"Tệp PDF có {count} trang, quá giới hạn {max_pages()} trang được đọc tự động."
            )
        text_pages, ocr_pages = [], []
        for index in range(count):
            page = pdf[index]
            textpage = page.get_textpage()
            visible = len("".join(textpage.get_text_range().split()))
            textpage.close()
            page.close()
            (text_pages if visible >= MIN_TEXT_CHARS else ocr_pages).append(index)
    finally:
        pdf.close()
    return Plan(str(path), sha, PDF, "pdf", count, text_pages, ocr_pages)


def _page_count_by_qpdf(path: Path) -> int | None:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001  (not a PDF qpdf can read either)
        return None


def _plan_image(path: Path, sha: str, mime: str) -> Plan:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise OcrInputError(
                    f"Ảnh quá lớn ({width}×{height} điểm ảnh), không đọc tự động được."
                )
            frames = getattr(img, "n_frames", 1)
            img.verify()
    except OcrInputError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise OcrInputError("Ảnh bị hỏng hoặc không đúng định dạng, không đọc được.") from exc
    except Image.DecompressionBombError as exc:
        raise OcrInputError("Ảnh quá lớn, không đọc tự động được.") from exc
    if frames > max_pages():
        raise OcrInputError(f"Ảnh TIFF có {frames} trang, quá giới hạn {max_pages()} trang.")
    return Plan(str(path), sha, mime, "image", frames, ocr_pages=list(range(frames)))
