"""Uploads and downloads: sniffed, opened, stored once by SHA-256, served only to readers."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.api import samples
from tests.api.conftest import assert_error

REG = "Document Register"


@pytest.fixture
def dongdu_register(demo):
    from eoffice.doctype.document_register import DocumentRegister

    return DocumentRegister.objects.filter(unit__name="GL-XA-DONGDU").first().name


def upload(client, name, content, **form):
    return client.post("/api/method/upload_file", files={"file": (name, content)}, data=form)


def blobs() -> list[Path]:
    store = Path(settings.FILE_STORE)
    return sorted(
        p for p in store.rglob("*") if p.is_file() and p.relative_to(store).parts[0] != "tmp"
    )


@pytest.mark.parametrize(
    ("file_name", "content", "mime"),
    [
        ("Công văn 45.pdf", samples.pdf(), "application/pdf"),
        ("scan.png", samples.image("PNG"), "image/png"),
        ("scan.jpg", samples.image("JPEG"), "image/jpeg"),
        ("scan.tiff", samples.image("TIFF"), "image/tiff"),
        (
            "du-thao.docx",
            samples.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "so.xlsx",
            samples.xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("bao-cao.odt", samples.odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_each_accepted_kind_is_stored_and_described_as_frappe_does(
    login, dongdu_register, file_name, content, mime
):
    clerk = login("vanthu.dongdu@gialam.demo")
    response = upload(clerk, file_name, content, doctype=REG, docname=dongdu_register, is_private=1)
    assert response.status_code == 200, response.text
    stored = response.json()["message"]
    assert stored["doctype"] == "File"
    assert stored["file_name"] == file_name and stored["mime_type"] == mime
    assert stored["content_hash"] == hashlib.sha256(content).hexdigest()
    assert stored["file_size"] == len(content) and stored["is_private"] == 1
    assert (stored["attached_to_doctype"], stored["attached_to_name"]) == (REG, dongdu_register)
    assert stored["owner"] == "vanthu.dongdu@gialam.demo"
    assert stored["ocr_status"] == "Chờ xử lý"  # OCR takes it from here (a later issue)
    download = clerk.get(stored["file_url"])
    assert download.status_code == 200 and download.content == content
    assert download.headers["Content-Type"] == mime


def test_the_same_content_is_stored_once_and_nothing_is_left_half_written(login, dongdu_register):
    clerk = login("vanthu.dongdu@gialam.demo")
    content = samples.pdf("Giay moi hop")
    first = upload(clerk, "a.pdf", content, doctype=REG, docname=dongdu_register).json()["message"]
    second = upload(clerk, "b.pdf", content, doctype=REG, docname=dongdu_register).json()["message"]
    assert first["name"] != second["name"]
    assert first["content_hash"] == second["content_hash"]
    matching = [p for p in blobs() if p.name == first["content_hash"]]
    assert len(matching) == 1 and matching[0].read_bytes() == content
    assert matching[0].parent.parent.name == first["content_hash"][:2]
    tmp = Path(settings.FILE_STORE) / "tmp"
    assert not tmp.exists() or not os.listdir(tmp)


@pytest.mark.parametrize(
    ("file_name", "content", "words"),
    [
        ("cong-van.pdf", b"MZ\x90\x00" + b"\x00" * 500, "không được chấp nhận"),
        ("cong-van.pdf", b"<html><script>alert(1)</script></html>", "không được chấp nhận"),
        ("cong-van.pdf", samples.image("PNG"), "ngụy trang"),
        ("anh.exe", samples.pdf(), "ngụy trang"),
        ("hong.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\ngarbage", "hỏng"),
        ("hong.png", samples.image("PNG")[:60], "hỏng"),
        ("hong.docx", samples.docx()[:120], "không được chấp nhận"),
        ("rong.pdf", b"", "rỗng"),
        # The cases issue 5 names: an ELF binary renamed .pdf, HTML behind a PDF header,
        # a zip bomb dressed as DOCX, a PDF without a page.
        ("cong-van.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "không được chấp nhận"),
        ("cong-van.pdf", b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>", "hỏng"),
        ("bao-cao.docx", samples.zip_bomb_docx(), "bom nén"),
        ("trang.pdf", samples.zero_page_pdf(), "không có trang"),
    ],
)
def test_disguised_malformed_and_empty_files_are_refused_and_nothing_is_stored(
    login, dongdu_register, file_name, content, words
):
    clerk = login("vanthu.dongdu@gialam.demo")
    before = blobs()
    response = upload(clerk, file_name, content, doctype=REG, docname=dongdu_register)
    messages = assert_error(response, 417, "FileTypeError")
    assert words in messages[0], messages
    assert blobs() == before
    assert clerk.rows("File", limit=0) == []


def test_a_file_over_the_sites_limit_is_refused(login, dongdu_register):
    clerk = login("vanthu.dongdu@gialam.demo")
    limit = settings.MAX_FILE_SIZE_MB * 1024 * 1024
    response = upload(
        clerk, "lon.pdf", b"%PDF-1.4\n" + b"0" * limit, doctype=REG, docname=dongdu_register
    )
    messages = assert_error(response, 417, "MaxFileSizeReachedError")
    assert f"{settings.MAX_FILE_SIZE_MB} MB" in messages[0]
    assert clerk.rows("File", limit=0) == []


def test_staging_stops_as_soon_as_the_limit_is_passed(settings, tmp_path):
    from eoffice.doctype.file import MaxFileSizeReachedError, stage

    settings.FILE_STORE = tmp_path

    def endless():
        while True:
            yield b"x" * 1024

    with pytest.raises(MaxFileSizeReachedError):
        stage(endless(), limit=10 * 1024)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_only_a_reader_of_the_document_may_attach_to_it_and_download(login, dongdu_register):
    clerk = login("vanthu.dongdu@gialam.demo")
    stored = upload(clerk, "qd.pdf", samples.pdf(), doctype=REG, docname=dongdu_register)
    stored = stored.json()["message"]
    district_clerk = login("vanthu@gialam.demo")  # sees only the district's registers
    response = upload(district_clerk, "x.pdf", samples.pdf(), doctype=REG, docname=dongdu_register)
    assert_error(response, 404, "DoesNotExistError")
    for client in (district_clerk, login("cb.batrang@gialam.demo")):
        assert_error(client.get(stored["file_url"]), 404, "DoesNotExistError")
        response = client.get("/api/method/eoffice.files.download", params={"name": stored["name"]})
        assert_error(response, 404, "DoesNotExistError")
        assert client.rows("File", limit=0) == []
    leader = login("chutich@gialam.demo")
    assert leader.get(stored["file_url"]).content == samples.pdf()
    response = leader.get(
        "/api/method/eoffice.files.download", params={"name": stored["name"], "as_attachment": 1}
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert [r["name"] for r in leader.rows("File")] == [stored["name"]]


def test_anonymous_cannot_upload_or_download(anonymous, login, dongdu_register):
    stored = upload(
        login("vanthu.dongdu@gialam.demo"),
        "a.pdf",
        samples.pdf(),
        doctype=REG,
        docname=dongdu_register,
    ).json()["message"]
    assert_error(anonymous.get(stored["file_url"]), 403, "PermissionError")
    response = upload(anonymous, "a.pdf", samples.pdf())
    assert_error(response, 403, "PermissionError")


def test_an_unattached_upload_is_seen_by_its_owner_only(login):
    officer = login("cv.tnmt@gialam.demo")
    stored = upload(officer, "ghi-chu.pdf", samples.pdf()).json()["message"]
    assert stored["attached_to_doctype"] == ""
    assert officer.get(stored["file_url"]).status_code == 200
    assert_error(login("tp.tnmt@gialam.demo").get(stored["file_url"]), 404, "DoesNotExistError")


def test_bad_upload_requests_get_clear_messages(login, dongdu_register):
    clerk = login("vanthu.dongdu@gialam.demo")
    response = clerk.post("/api/method/upload_file", data={"doctype": REG})
    assert "file" in assert_error(response, 417, "ValidationError")[0]
    response = upload(clerk, "a.pdf", samples.pdf(), doctype="Không Có", docname="x")
    assert_error(response, 404, "DoesNotExistError")
    response = upload(clerk, "a.pdf", samples.pdf(), doctype=REG)
    assert "docname" in assert_error(response, 417, "ValidationError")[0]
    response = upload(clerk, "../../etc/passwd.pdf", samples.pdf())
    assert response.json()["message"]["file_name"] == "passwd.pdf"
