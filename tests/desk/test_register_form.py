"""The clerk's register form ("Tiếp nhận văn bản đến"): typing, files, OCR, duplicates, errors."""

import datetime
import io

import pytest
from django.utils import timezone

from eoffice.doctype.file import File, create_file
from eoffice.doctype.incoming_document import IncomingDocument
from tests.doctype import factories as f

NEW = "/app/incoming-document/new"


@pytest.fixture
def clerk(client, demo):
    client.force_login(f.user(f.CLERK))
    return client


def pdf_bytes(text="Công văn số 45/UBND-VP") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def form(**overrides) -> dict:
    data = {
        "issuer": "UBND thành phố Hà Nội",
        "document_number": "1234/UBND-TNMT",
        "document_date": (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
        "document_type": "Công văn",
        "summary": "V/v rà soát hồ sơ đất đai tồn đọng",
        "signer": "Nguyễn Văn A",
        "page_count": "2",
        "urgency": "Thường",
        "secrecy": "Thường",
        "arrival_date": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "deadline": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_form_opens_on_the_issuer_with_now_and_the_clerks_unit_filled(clerk, demo):
    html = clerk.get(NEW).content.decode()
    assert "<h1>Tiếp nhận văn bản đến</h1>" in html
    assert (
        'name="issuer"' in html
        and "autofocus"
        in html.split('name="issuer"')[0][-300:] + (html.split('name="issuer"')[1][:300])
    )
    assert timezone.localtime().strftime("%d/%m/%Y") in html
    assert f'name="receiving_unit" value="{demo["UBND"].name}"' in html
    # The paper's order is the Tab order: issuer, number, date, type, summary … then arrival.
    order = [html.index(f'name="{n}"') for n in ("issuer", "document_number", "document_date")]
    assert order == sorted(order) and html.index('name="summary"') < html.index(
        'name="arrival_date"'
    )
    assert 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert '<datalist id="document-types">' in html and 'value="Quyết định">QĐ' in html


def test_past_issuers_are_suggested(clerk, demo):
    f.incoming(demo, issuer="Sở Tài nguyên và Môi trường Hà Nội")
    html = clerk.get(NEW).content.decode()
    assert '<option value="Sở Tài nguyên và Môi trường Hà Nội">' in html


def test_saving_creates_a_document_waiting_to_be_registered_with_its_files(clerk, demo):
    upload = io.BytesIO(pdf_bytes())
    upload.name = "cong-van.pdf"
    response = clerk.post(NEW, {**form(), "files": [upload]})
    assert response.status_code == 302
    doc = IncomingDocument.objects.get(document_number="1234/UBND-TNMT")
    assert response["Location"] == f"/app/incoming-document/{doc.name}"
    assert doc.workflow_state == "Chờ tiếp nhận" and doc.arrival_number is None
    assert doc.owner == f.CLERK and doc.receiving_unit == demo["UBND"]
    assert doc.document_type.type_name == "Công văn" and doc.page_count == 2
    attached = File.objects.get(attached_to_doctype="Incoming Document", attached_to_name=doc.name)
    assert attached.file_name == "cong-van.pdf" and attached.mime_type == "application/pdf"
    page = clerk.get(response["Location"]).content.decode()
    assert "Đã lưu văn bản đến «1234/UBND-TNMT» (1 tệp)" in page
    assert f'src="{attached.file_url}#view=FitH"' in page  # the PDF is previewed inline


@pytest.mark.parametrize(
    "typed, expected",
    [("15082017", datetime.date(2017, 8, 15)), ("5/8/2017", datetime.date(2017, 8, 5))],
)
def test_dates_are_typed_the_vietnamese_way(clerk, demo, typed, expected):
    assert clerk.post(NEW, form(document_date=typed)).status_code == 302
    assert IncomingDocument.objects.get().document_date == expected


@pytest.mark.parametrize("typed, name", [("QĐ", "Quyết định"), ("quyết định", "Quyết định")])
def test_the_document_type_is_typed_by_name_or_abbreviation(clerk, demo, typed, name):
    assert clerk.post(NEW, form(document_type=typed)).status_code == 302
    assert IncomingDocument.objects.get().document_type.type_name == name


def test_an_abbreviation_with_the_wrong_letter_is_not_another_type(clerk, demo):
    response = clerk.post(NEW, form(document_type="QD"))  # QĐ with a plain D: no such type
    assert response.status_code == 400
    assert "Không có loại văn bản «QD»" in response.content.decode()


def test_missing_fields_are_named_in_vietnamese_and_nothing_is_stored(clerk, demo):
    response = clerk.post(NEW, form(issuer="", document_number="", summary="", document_date=""))
    html = response.content.decode()
    assert response.status_code == 400
    for message in [
        "Vui lòng nhập cơ quan ban hành.",
        "Vui lòng nhập số, ký hiệu văn bản.",
        "Vui lòng nhập trích yếu nội dung.",
        "Vui lòng nhập ngày văn bản.",
    ]:
        assert message in html, message
    assert 'aria-invalid="true"' in html
    assert not IncomingDocument.objects.exists()


def test_a_bad_date_and_a_future_date_are_refused_by_the_rules(clerk, demo):
    html = clerk.post(NEW, form(document_date="32/13/2017")).content.decode()
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in html
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = clerk.post(NEW, form(document_date=tomorrow))
    assert response.status_code == 400
    assert "Ngày văn bản không được sau ngày hôm nay." in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_a_duplicate_is_held_back_until_the_clerk_confirms_it_is_another_document(clerk, demo):
    first = f.registered(demo, document_number="1234/UBND-TNMT")
    response = clerk.post(NEW, form())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Năm nay đã có văn bản của «UBND thành phố Hà Nội» số «1234/UBND-TNMT»" in html
    assert f'href="/app/incoming-document/{first.name}"' in html
    assert 'name="confirm_duplicate"' in html
    assert IncomingDocument.objects.count() == 1
    assert clerk.post(NEW, {**form(), "confirm_duplicate": "1"}).status_code == 302
    assert IncomingDocument.objects.count() == 2


def test_files_uploaded_beforehand_are_attached_and_their_ocr_fields_prefill_the_form(clerk, demo):
    stored = create_file([pdf_bytes()], "quet.pdf", owner=f.CLERK)
    File.objects.filter(pk=stored.pk).update(
        ocr_status="Hoàn tất",
        ocr_fields={
            "fields": {
                "issuer": "UBND HUYỆN GIA LÂM",
                "document_number": "45/UBND-VP",
                "document_date": "2017-08-15",
                "urgency": "Khẩn",
            },
            "from_ocr": ["document_date", "document_number", "issuer", "urgency"],
        },
    )
    html = clerk.get(f"{NEW}?file={stored.name}").content.decode()
    assert 'value="45/UBND-VP"' in html and 'value="15/08/2017"' in html
    assert '<option value="Khẩn" selected>' in html
    marks = html.count('class="ocr-mark" data-ocr-mark')  # shown (not hidden) marks
    assert marks == 4
    response = clerk.post(NEW, {**form(document_number="45/UBND-VP"), "file_names": stored.name})
    assert response.status_code == 302
    stored.refresh_from_db()
    doc = IncomingDocument.objects.get()
    assert (stored.attached_to_doctype, stored.attached_to_name) == ("Incoming Document", doc.name)


def test_someone_elses_upload_cannot_be_attached_by_naming_it(clerk, demo):
    theirs = create_file([pdf_bytes()], "cua-nguoi-khac.pdf", owner=f.TNMT_OFFICER)
    assert clerk.post(NEW, {**form(), "file_names": theirs.name}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.attached_to_doctype == ""


def test_a_disguised_file_is_refused_with_the_reason_and_nothing_is_stored(clerk, demo):
    fake = io.BytesIO(b"MZ\x90\x00 this is a program, not a PDF" * 20)
    fake.name = "cong-van.pdf"
    response = clerk.post(NEW, {**form(), "files": [fake]})
    assert response.status_code == 400
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert not IncomingDocument.objects.exists()


def test_only_a_clerk_registers_incoming_documents(client, demo):
    client.force_login(f.user(f.TNMT_OFFICER))
    response = client.get(NEW)
    assert response.status_code == 403
    assert "Chỉ văn thư của đơn vị nhận văn bản" in response.content.decode()
    assert client.post(NEW, form()).status_code == 403
    assert not IncomingDocument.objects.exists()


def test_the_clerk_corrects_a_document_until_it_is_submitted_but_not_after(clerk, demo):
    doc = f.registered(demo)
    edit = f"/app/incoming-document/{doc.name}/edit"
    assert clerk.get(edit).status_code == 200
    data = form(document_number=doc.document_number, summary="V/v trích yếu đã sửa")
    assert clerk.post(edit, data).status_code == 302
    doc.refresh_from_db()
    assert doc.summary == "V/v trích yếu đã sửa" and doc.arrival_number == 1
    from eoffice.workflows.engine import apply_workflow

    apply_workflow(doc, "Trình lãnh đạo", f.user(f.CLERK), leader=f.CHAIRMAN)
    response = clerk.get(edit)
    assert response.status_code == 403
    assert "Văn bản đang ở trạng thái «Chờ chỉ đạo»: anh/chị không sửa được." in (
        response.content.decode()
    )
    assert clerk.post(edit, form(summary="khác")).status_code == 403
