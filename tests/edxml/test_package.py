"""edXML packages: an export parses back to the same fields; hostile packages store nothing."""

from __future__ import annotations

import base64

import pytest

from eoffice.doctype.file import File
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.edxml import package as pk
from eoffice.edxml.exchange import export_package, parse, receive
from eoffice.edxml.models import EdxmlMessage
from eoffice.exceptions import ValidationError
from tests.edxml.factories import SO_TNMT, document
from tests.outgoing.factories import in_days, issued

NS = pk.NS


def test_an_exported_document_parses_back_to_the_same_fields(gialam):
    doc = issued(
        gialam,
        recipients=[gialam["Đông Dư"], ("000.00.31.H26", "Sở Tài nguyên và Môi trường Hà Nội")],
        type_name="Chỉ thị",
        summary="Về việc tăng cường quản lý đất công",
        urgency="Khẩn",
        requires_report=True,
        report_deadline=in_days(7),
        copies=30,
        place="Gia Lâm",
        authority="TM.",
    )
    data = export_package(doc, "000.00.31.H26", "Sở Tài nguyên và Môi trường Hà Nội")
    back = parse(data)
    assert isinstance(back, pk.DocumentPackage)
    assert (back.sender.code, back.sender.name) == ("000.00.19.H26", "UBND huyện Gia Lâm")
    assert [(r.code, r.name) for r in back.receivers] == [
        ("000.00.31.H26", "Sở Tài nguyên và Môi trường Hà Nội")
    ]
    assert (back.code_number, back.code_notation, back.symbol) == ("01", "CT-UBND", "01/CT-UBND")
    assert back.document_id == doc.edxml_document_id
    assert back.document_id == f"000.00.19.H26,{doc.issue_date:%Y/%m/%d},01/CT-UBND"
    assert (back.promulgation_date, back.place) == (doc.issue_date, "Gia Lâm")
    assert (back.type, back.type_name) == ("2", "Chỉ thị")
    assert back.subject == back.content == "Về việc tăng cường quản lý đất công"
    assert (back.signer_full_name, back.signer_position) == ("Lê Văn Hùng", "Chủ tịch UBND huyện")
    assert back.signer_competence == "TM. UBND huyện Gia Lâm"
    assert (back.priority, back.steering_type, back.due_date) == (1, 1, in_days(7))
    assert (back.page_amount, back.promulgation_amount) == (2, 30)
    assert back.to_places == ["Xã Đông Dư", "Sở Tài nguyên và Môi trường Hà Nội"]
    assert back.business_type == 0 and back.replaces == []
    signed_file = doc.versions.get(version=doc.signed_version).file
    assert len(back.attachments) == 1
    attachment = back.attachments[0]
    assert (attachment.name, attachment.content_type) == ("du-thao.pdf", "application/pdf")
    with signed_file.open() as fh:
        assert attachment.data == fh.read()


def test_a_status_package_parses_back(gialam):
    original = pk.StatusPackage(
        response_for=pk.ResponseFor("000.00.19.H26", "01/CT-UBND", None, "X,2017/05/02,01/CT-UBND"),
        sender=SO_TNMT,
        status_code="03",
        description="Đã tiếp nhận",
        staff=pk.StaffInfo(department="Văn phòng Sở", staff="Trần Thị B", email="b@stnmt.vn"),
    )
    back = parse(pk.build_status(original))
    assert isinstance(back, pk.StatusPackage)
    assert back.response_for.document_id == "X,2017/05/02,01/CT-UBND"
    assert (back.status_code, back.sender.code, back.staff.staff) == (
        "03",
        "000.00.31.H26",
        "Trần Thị B",
    )


def test_the_standard_spelling_and_other_senders_layouts_are_read(gialam):
    """Elements without a prefix, "Business" spelled as many senders do, cid: prefixes."""
    pdf = document(gialam).attachments[0].data
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NS}">
 <edXMLEnvelope><edXMLHeader>
  <MessageHeader>
   <From><OrganId>000.00.31.H26</OrganId><OrganName>Sở TNMT</OrganName></From>
   <To><OrganId>000.00.19.H26</OrganId><OrganName>UBND huyện Gia Lâm</OrganName></To>
   <Code><CodeNumber>12</CodeNumber><CodeNotation>2017/QĐ-UBND</CodeNotation></Code>
   <PromulgationInfo><Place>Hà Nội</Place><PromulgationDate>02/05/2017</PromulgationDate>
   </PromulgationInfo>
   <DocumentType><Type>1</Type><TypeName>Quyết định</TypeName></DocumentType>
   <Subject>Ban hành quy định</Subject>
  </MessageHeader>
  <TraceHeaderList><Business><BusinessDocType>0</BusinessDocType></Business></TraceHeaderList>
 </edXMLHeader>
 <edXMLBody><edXMLManifest><Reference><ContentId>cid:abc</ContentId>
  <AttachmentName>qd.pdf</AttachmentName></Reference></edXMLManifest></edXMLBody>
 </edXMLEnvelope>
 <AttachmentEncoded><Attachment><ContentId>abc</ContentId>
  <ContentTransferEncoded>{base64.b64encode(pdf).decode()}</ContentTransferEncoded>
 </Attachment></AttachmentEncoded>
</edXML>"""
    back = parse(text.encode())
    assert back.symbol == "12/2017/QĐ-UBND" and back.type == "1"
    assert back.promulgation_date.isoformat() == "2017-05-02"
    assert back.document_id == "000.00.31.H26,2017/05/02,12/2017/QĐ-UBND"
    assert [(a.name, a.data == pdf) for a in back.attachments] == [("qd.pdf", True)]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<edXML><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>&lol4;</Subject>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>&secret;</Subject>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""


def _replace(data: bytes, old: str, new: str) -> bytes:
    text = data.decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def hostile_packages(gialam):
    good = pk.build_document(document(gialam))
    hidden_doctype = (
        b'<?xml version="1.0"?>\n<!--'
        + b"x" * 70000
        + b"-->\n"
        + EXTERNAL_ENTITY.split(b"\n", 1)[1]
    )
    huge = document(gialam)
    huge.attachments[0].data = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)
    program = document(gialam)
    program.attachments[0].name = "x.exe"
    program.attachments[0].data = b"MZ\x90\x00\x03" + b"\x00" * 200
    return {
        "not XML": (b"this is not xml <", "không phải XML hợp lệ"),
        "empty": (b"   ", "rỗng"),
        "another root": (b"<html><body/></html>", "không phải edXML"),
        "another namespace": (
            b'<edXML xmlns="urn:other"><edXMLEnvelope/></edXML>',
            "không theo QCVN 102",
        ),
        "no header": (
            f'<edXML xmlns="{NS}"><edXMLEnvelope><edXMLBody/></edXMLEnvelope></edXML>'.encode(),
            "edXMLHeader",
        ),
        "no message header": (
            f'<edXML xmlns="{NS}"><edXMLEnvelope><edXMLHeader/></edXMLEnvelope></edXML>'.encode(),
            "MessageHeader",
        ),
        "no subject": (
            _replace(good, "edXML:Subject>", "edXML:Nothing>").replace(
                b"</edXML:Subject>", b"</edXML:Nothing>"
            ),
            "Subject",
        ),
        "bad date": (
            _replace(
                good,
                f"<edXML:PromulgationDate>{document(gialam).promulgation_date:%Y/%m/%d}",
                "<edXML:PromulgationDate>31/31/2017",
            ),
            "không phải ngày hợp lệ",
        ),
        "bad business type": (
            _replace(good, "<edXML:BussinessDocType>0", "<edXML:BussinessDocType>7"),
            "Loại nghiệp vụ",
        ),
        "entity expansion": (BILLION_LAUGHS, "DOCTYPE/ENTITY"),
        "external entity": (EXTERNAL_ENTITY, "DOCTYPE/ENTITY"),
        "doctype after a long comment": (hidden_doctype, "DOCTYPE/ENTITY"),
        "bad base64": (
            _replace(good, "<edXML:ContentTransferEncoded>", "<edXML:ContentTransferEncoded>!!"),
            "không phải base64",
        ),
        "huge attachment": (pk.build_document(huge), "vượt quá dung lượng"),
        "not addressed here": (
            _replace(good, "<edXML:OrganId>000.00.19.H26", "<edXML:OrganId>000.00.99.H99"),
            "không gửi cho cơ quan nào",
        ),
        "a file type not accepted": (pk.build_document(program), "Loại tệp không được chấp nhận"),
    }


def test_hostile_or_malformed_packages_are_refused_and_store_nothing(gialam):
    files_before = File.objects.count()
    for label, (data, expected) in hostile_packages(gialam).items():
        with pytest.raises(ValidationError) as caught:
            receive(data)
        assert expected in caught.value.message, (label, caught.value.message)
    assert not IncomingDocument.objects.exists()
    assert not EdxmlMessage.objects.exists()
    assert File.objects.count() == files_before


def test_a_package_over_the_size_limit_is_refused_before_it_is_parsed(gialam, settings):
    settings.SITE_CONFIG = {**settings.SITE_CONFIG, "edxml": {"max_package_mb": 1}}
    data = pk.build_document(document(gialam)) + b" " * (1024 * 1024)
    with pytest.raises(pk.PackageError) as caught:
        receive(data)
    assert "vượt quá dung lượng" in caught.value.message
    assert not IncomingDocument.objects.exists()
