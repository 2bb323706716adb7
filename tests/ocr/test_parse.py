"""Preflight and reading one page: text layers by pdfplumber, scans by the real Tesseract."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from eoffice.ocr import OcrInputError
from eoffice.ocr.parse import page_image, read_page
from eoffice.ocr.preflight import DOCX, ODT, preflight
from eoffice.ocr.store import sha256_of
from tests.ocr import documents
from tests.ocr.conftest import fold

LAND_PHRASES = [
    "ho so dat dai ton dong",
    "uy ban nhan dan cac xa, thi tran",
    "phong tai nguyen va moi truong",
    "45/ubnd-vp",
]


def test_a_text_pdf_is_read_from_its_text_layer_without_ocr(tmp_path):
    path = documents.save_text_pdf(documents.cong_van_dat_dai(), tmp_path / "cv.pdf")
    plan = preflight(path)
    assert (plan.kind, plan.text_pages, plan.ocr_pages) == ("pdf", [0], [])
    page = read_page(plan, 0)
    assert page.method == "text" and page.layer is None
    assert "Số: 45/UBND-VP" in page.text
    for phrase in LAND_PHRASES:
        assert phrase in fold(page.text)


def test_a_scanned_pdf_page_is_read_by_tesseract_from_the_scanners_own_jpeg(tmp_path):
    path = documents.save_scan(documents.cong_van_dat_dai(), tmp_path / "scan.pdf")
    plan = preflight(path)
    assert (plan.kind, plan.text_pages, plan.ocr_pages) == ("pdf", [], [0])
    image, dpi = page_image(plan, 0, tmp_path)
    assert image.suffix == ".jpg" and dpi == 300  # handed over as stored: no re-rendering
    page = read_page(plan, 0)
    assert page.method == "ocr"
    assert page.layer.startswith(b"%PDF")  # the text-only layer, from the same Tesseract run
    for phrase in LAND_PHRASES:
        assert phrase in fold(page.text), phrase


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tif"])
def test_scanned_images_are_read_in_vietnamese_with_their_diacritics(tmp_path, suffix):
    path = documents.save_scan(documents.giay_moi_hoa_toc(), tmp_path / f"gm{suffix}")
    plan = preflight(path)
    assert plan.kind == "image" and plan.ocr_pages == [0]
    text = read_page(plan, 0).text
    assert "Họp giao ban công tác văn thư" in text  # NFC, with its marks
    assert "Số: 318/GM-SNV" in text
    assert "hoi truong tang 3" in fold(text)


def test_every_frame_of_a_multi_page_tiff_is_a_page(tmp_path):
    pages = [
        documents.render_page(documents.quy_dinh()),
        documents.render_page(documents.bao_cao_xa()),
    ]
    path = tmp_path / "two.tif"
    pages[0].save(
        path, "TIFF", compression="tiff_lzw", save_all=True, append_images=pages[1:], dpi=(300, 300)
    )
    plan = preflight(path)
    assert plan.page_count == 2 and plan.ocr_pages == [0, 1]
    assert "tiep nhan va xu ly van ban den qua mang" in fold(read_page(plan, 0).text)
    assert "ket qua giai quyet thu tuc hanh chinh" in fold(read_page(plan, 1).text)


def test_ocr_of_a_clean_vietnamese_scan_has_under_two_percent_character_errors(tmp_path):
    path = tmp_path / "plain.png"
    documents.render_text_page().save(path, dpi=(300, 300))
    text = read_page(preflight(path), 0).text
    rate = documents.char_error_rate("\n".join(documents.PLAIN_TEXT), text)
    assert rate < 0.02, f"character error rate {rate:.2%}:\n{text}"


def test_office_documents_are_read_without_ocr(tmp_path):
    docx = tmp_path / "bc.docx"
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in documents.PLAIN_TEXT[:3])
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    plan = preflight(docx)
    assert plan.mime == DOCX and plan.kind == "office"
    page = read_page(plan, 0)
    assert page.method == "office" and "Ủy ban nhân dân xã Đông Dư" in page.text

    odt = tmp_path / "bc.odt"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr(
            "content.xml",
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
            "<text:h>BÁO CÁO</text:h><text:p>Kết quả cải cách hành chính</text:p>"
            "</office:text></office:body></office:document-content>",
        )
    plan = preflight(odt)
    assert plan.mime == ODT
    assert read_page(plan, 0).text == "BÁO CÁO\nKết quả cải cách hành chính"


# ---------------------------------------------------------------------------------------
# What cannot be read is refused with the reason, in Vietnamese


def refused(path: Path, sha256: str | None = None) -> str:
    with pytest.raises(OcrInputError) as caught:
        preflight(path, sha256)
    return caught.value.message


def test_a_corrupt_image_is_refused_with_the_reason(tmp_path):
    good = documents.save_scan(documents.quy_dinh(), tmp_path / "ok.png").read_bytes()
    bad = tmp_path / "bad.png"
    bad.write_bytes(good[:200] + b"\x00" * 5000)  # a PNG whose data was lost
    assert "Ảnh bị hỏng" in refused(bad)


def test_an_empty_file_a_pdf_without_pages_and_an_unknown_type_are_refused(tmp_path):
    import pikepdf

    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "rỗng" in refused(empty)
    no_pages = tmp_path / "nopages.pdf"
    pikepdf.new().save(no_pages)
    assert "không có trang nào" in refused(no_pages)
    html = tmp_path / "fake.pdf"
    html.write_bytes(b"%PDF-1.7\n<html><body>not a pdf</body></html>")
    assert "không đúng định dạng PDF" in refused(html)
    elf = tmp_path / "program.pdf"
    elf.write_bytes(Path("/bin/true").read_bytes())
    assert "không được hỗ trợ" in refused(elf)


def test_a_stored_file_that_changed_since_upload_is_reported_as_damaged(tmp_path):
    path = documents.save_text_pdf(documents.quy_dinh(), tmp_path / "qd.pdf")
    sha = sha256_of(path)
    assert preflight(path, sha).sha256 == sha
    path.write_bytes(path.read_bytes() + b"\n% tampered")
    assert "mã băm SHA-256 không khớp" in refused(path, sha)


def test_a_zip_bomb_disguised_as_a_document_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml", b"<w:document>" + b" " * (60 * 1024 * 1024) + b"</w:document>"
        )
    plan = preflight(bomb)
    with pytest.raises(OcrInputError, match="giải nén quá lớn"):
        read_page(plan, 0)
