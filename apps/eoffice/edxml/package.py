"""edXML packages (QCVN 102:2016/BTTTT, as amended in 2022): build and parse, nothing else.

Pure functions between bytes and dataclasses; no database. The element names are the
standard's as far as they could be established (docs/edxml.md has the mapping and what is
uncertain). Two kinds of package:

- a document (:class:`DocumentPackage`)::

    edXML/edXMLEnvelope/edXMLHeader/MessageHeader   From, To…, DocumentId, Code, PromulgationInfo,
                                                    DocumentType, Subject, Content, SignerInfo,
                                                    DueDate, ToPlaces, OtherInfo, SteeringType,
                                                    ResponseFor…
    edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList TraceHeader…, Bussiness (BussinessDocType 0
                                                    new, 1 recall, 2 update, 3 replace; reason,
                                                    StaffInfo, ReplacementInfoList)
    edXML/edXMLEnvelope/edXMLBody/edXMLManifest     Reference… (ContentId, AttachmentName, …)
    edXML/AttachmentEncoded/Attachment…             ContentId, ContentTransferEncoded (base64)

- a status (:class:`StatusPackage`): ``edXML/edXMLEnvelope/edXMLHeader/Status`` with
  ResponseFor (the document it is about), From, StatusCode (01 … 16), Description,
  Timestamp, StaffInfo.

Parsing refuses, with a Vietnamese message and before anything is stored: a package larger
than the limit, any DOCTYPE or ENTITY declaration (entity expansion, external entities), XML
that is not well formed, a root or header that is not edXML's, missing required elements,
bad dates or codes, too many attachments, an attachment larger than the site's file limit,
base64 that does not decode.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

from eoffice.exceptions import ValidationError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
#: Status codes of DOMAIN.md that a status package may carry.
STATUS_CODES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Lấy lại",
    "15": "Đồng ý lấy lại",
    "16": "Từ chối lấy lại",
}
BUSINESS_TYPES = (0, 1, 2, 3)
MAX_ATTACHMENTS = 50
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"


class PackageError(ValidationError):
    """A package that cannot be accepted (HTTP 417); nothing of it is stored."""

    exc_type = "PackageError"


@dataclass
class Organ:
    """An agency as edXML names it: its electronic code (OrganId) and name."""

    code: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class ResponseFor:
    """The document a package answers or reports on."""

    organ_id: str
    code: str
    promulgation_date: dt.date | None
    document_id: str


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""


@dataclass
class DocumentPackage:
    """A document package: the header of an issued document, its business and its files."""

    sender: Organ
    receivers: list[Organ]
    document_id: str
    code_number: str
    code_notation: str
    promulgation_date: dt.date
    type_name: str
    subject: str
    place: str = ""
    type: str = "2"  # 1: văn bản quy phạm pháp luật, 2: văn bản hành chính
    type_detail: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_full_name: str = ""
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)
    steering_type: int = 0
    response_for: list[ResponseFor] = field(default_factory=list)
    business_type: int = 0
    business_reason: str = ""
    paper: int = 0
    staff: StaffInfo = field(default_factory=StaffInfo)
    replaces: list[str] = field(default_factory=list)  # DocumentIds a replacement replaces
    attachments: list[Attachment] = field(default_factory=list)
    timestamp: dt.datetime | None = None

    @property
    def symbol(self) -> str:
        """ "Số, ký hiệu" as one text: ``15/QĐ-UBND``."""
        if self.code_number and self.code_notation:
            return f"{self.code_number}/{self.code_notation}"
        return self.code_number or self.code_notation


@dataclass
class StatusPackage:
    """A status message about a document sent earlier (DOMAIN.md's codes)."""

    response_for: ResponseFor
    sender: Organ
    status_code: str
    description: str = ""
    timestamp: dt.datetime | None = None
    staff: StaffInfo = field(default_factory=StaffInfo)


def split_symbol(symbol: str) -> tuple[str, str]:
    """``"15/QĐ-UBND"`` → ``("15", "QĐ-UBND")``; ``"12/2017/QĐ-UBND"`` → ``("12", "2017/QĐ-UBND")``."""
    number, sep, notation = (symbol or "").partition("/")
    if sep and number.strip().isdigit():
        return number.strip(), notation.strip()
    return "", (symbol or "").strip()


# ---------------------------------------------------------------------------------------
# Building


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text=None):
    el = etree.SubElement(parent, _q(tag))
    if text is not None:
        el.text = _text(text)
    return el


def _date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def _timestamp(value: dt.datetime | None) -> str:
    return value.strftime(TIMESTAMP_FORMAT) if value else ""


def _organ(parent, tag: str, organ: Organ):
    el = _sub(parent, tag)
    _sub(el, "OrganId", organ.code)
    _sub(el, "OrganizationInCharge", organ.in_charge or organ.name)
    _sub(el, "OrganName", organ.name)
    _sub(el, "OrganAdd", organ.address)
    _sub(el, "Email", organ.email)
    _sub(el, "Telephone", organ.telephone)
    _sub(el, "Fax", organ.fax)
    _sub(el, "Website", organ.website)
    return el


def _staff(parent, staff: StaffInfo):
    el = _sub(parent, "StaffInfo")
    _sub(el, "Department", staff.department)
    _sub(el, "Staff", staff.staff)
    _sub(el, "Mobile", staff.mobile)
    _sub(el, "Email", staff.email)
    return el


def _response_for(parent, rf: ResponseFor):
    el = _sub(parent, "ResponseFor")
    _sub(el, "OrganId", rf.organ_id)
    _sub(el, "Code", rf.code)
    _sub(el, "PromulgationDate", _date(rf.promulgation_date))
    _sub(el, "DocumentId", rf.document_id)
    return el


def _envelope():
    root = etree.Element(_q("edXML"), nsmap={"edXML": NS})
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    return root, envelope, header


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_document(pkg: DocumentPackage) -> bytes:
    """The bytes of a document package."""
    root, envelope, header = _envelope()
    mh = _sub(header, "MessageHeader")
    _organ(mh, "From", pkg.sender)
    for receiver in pkg.receivers:
        _organ(mh, "To", receiver)
    _sub(mh, "DocumentId", pkg.document_id)
    code = _sub(mh, "Code")
    _sub(code, "CodeNumber", pkg.code_number)
    _sub(code, "CodeNotation", pkg.code_notation)
    promulgation = _sub(mh, "PromulgationInfo")
    _sub(promulgation, "Place", pkg.place)
    _sub(promulgation, "PromulgationDate", _date(pkg.promulgation_date))
    doc_type = _sub(mh, "DocumentType")
    _sub(doc_type, "Type", pkg.type)
    _sub(doc_type, "TypeDetail", pkg.type_detail)
    _sub(doc_type, "TypeName", pkg.type_name)
    _sub(mh, "Subject", pkg.subject)
    _sub(mh, "Content", pkg.content or pkg.subject)
    signer = _sub(mh, "SignerInfo")
    _sub(signer, "Competence", pkg.signer_competence)
    _sub(signer, "Position", pkg.signer_position)
    _sub(signer, "FullName", pkg.signer_full_name)
    _sub(mh, "DueDate", _date(pkg.due_date))
    places = _sub(mh, "ToPlaces")
    for place in pkg.to_places:
        _sub(places, "Place", place)
    other = _sub(mh, "OtherInfo")
    _sub(other, "Priority", pkg.priority)
    _sub(other, "SphereOfPromulgation", pkg.sphere)
    _sub(other, "TyperNotation", pkg.typer_notation)
    _sub(other, "PromulgationAmount", pkg.promulgation_amount or "")
    _sub(other, "PageAmount", pkg.page_amount or "")
    appendixes = _sub(other, "Appendixes")
    for appendix in pkg.appendixes:
        _sub(appendixes, "Appendix", appendix)
    _sub(mh, "SteeringType", pkg.steering_type)
    for rf in pkg.response_for:
        _response_for(mh, rf)

    trace_list = _sub(header, "TraceHeaderList")
    trace = _sub(trace_list, "TraceHeader")
    _sub(trace, "OrganId", pkg.sender.code)
    _sub(trace, "Timestamp", _timestamp(pkg.timestamp))
    business = _sub(trace_list, "Bussiness")  # the standard's spelling
    _sub(business, "BussinessDocType", pkg.business_type)
    _sub(business, "BussinessDocReason", pkg.business_reason)
    _sub(business, "Paper", pkg.paper)
    _staff(business, pkg.staff)
    if pkg.replaces:
        replacements = _sub(business, "ReplacementInfoList")
        for document_id in pkg.replaces:
            info = _sub(replacements, "ReplacementInfo")
            _sub(info, "DocumentId", document_id)
            organs = _sub(info, "OrganIdList")
            for receiver in pkg.receivers:
                _sub(organs, "OrganId", receiver.code)

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = _sub(root, "AttachmentEncoded") if pkg.attachments else None
    for att in pkg.attachments:
        content_id = att.content_id or uuid.uuid4().hex
        ref = _sub(manifest, "Reference")
        ref.set(f"{{{XLINK}}}href", f"cid:{content_id}")
        _sub(ref, "ContentId", f"cid:{content_id}")
        _sub(ref, "ContentType", att.content_type)
        _sub(ref, "Description", att.description)
        _sub(ref, "AttachmentName", att.name)
        el = _sub(encoded, "Attachment")
        _sub(el, "ContentId", content_id)
        _sub(el, "AttachmentName", att.name)
        _sub(el, "Description", att.description)
        _sub(el, "ContentType", att.content_type)
        _sub(el, "ContentTransferEncoded", base64.b64encode(att.data).decode("ascii"))
    return _serialize(root)


def build_status(pkg: StatusPackage) -> bytes:
    """The bytes of a status package."""
    root, _envelope_el, header = _envelope()
    status = _sub(header, "Status")
    _response_for(status, pkg.response_for)
    _organ(status, "From", pkg.sender)
    _sub(status, "StatusCode", pkg.status_code)
    _sub(status, "Description", pkg.description)
    _sub(status, "Timestamp", _timestamp(pkg.timestamp))
    _staff(status, pkg.staff)
    return _serialize(root)


# ---------------------------------------------------------------------------------------
# Parsing


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el if _local(c) == name] if el is not None else []


def _child(el, name: str):
    found = _children(el, name)
    return found[0] if found else None


def _get(el, *path: str) -> str:
    for name in path:
        el = _child(el, name)
        if el is None:
            return ""
    return (el.text or "").strip()


def _required(el, what: str, *path: str) -> str:
    value = _get(el, *path)
    if not value:
        raise PackageError(
            _("Gói tin thiếu «{element}» ({what}).").format(element="/".join(path), what=what)
        )
    return value


_DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")
_TIMESTAMP_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
)


def parse_date(text: str, element: str) -> dt.date | None:
    """A date of a package (YYYY/MM/DD, and the other forms senders write); empty is None."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise PackageError(
        _("«{element}» không phải ngày hợp lệ: «{value}».").format(element=element, value=text[:40])
    )


def parse_timestamp(text: str, element: str) -> dt.datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in _TIMESTAMP_FORMATS:
        try:
            return dt.datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
    day = parse_date(text, element)
    return dt.datetime.combine(day, dt.time()) if day else None


def _int(text: str, element: str, default=None):
    text = (text or "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise PackageError(
            _("«{element}» phải là một số: «{value}».").format(element=element, value=text[:40])
        ) from None


def _parse_organ(el, what: str) -> Organ:
    code = _get(el, "OrganId")
    if not code:
        raise PackageError(_("Gói tin thiếu mã định danh (OrganId) của {what}.").format(what=what))
    return Organ(
        code=code,
        name=_get(el, "OrganName"),
        in_charge=_get(el, "OrganizationInCharge") or _get(el, "OrganInCharge"),
        address=_get(el, "OrganAdd"),
        email=_get(el, "Email"),
        telephone=_get(el, "Telephone"),
        fax=_get(el, "Fax"),
        website=_get(el, "Website"),
    )


def _parse_staff(el) -> StaffInfo:
    return StaffInfo(
        department=_get(el, "Department"),
        staff=_get(el, "Staff"),
        mobile=_get(el, "Mobile"),
        email=_get(el, "Email"),
    )


def _parse_response_for(el) -> ResponseFor:
    return ResponseFor(
        organ_id=_get(el, "OrganId"),
        code=_get(el, "Code"),
        promulgation_date=parse_date(_get(el, "PromulgationDate"), "ResponseFor/PromulgationDate"),
        document_id=_get(el, "DocumentId"),
    )


def _root(data: bytes, max_bytes: int):
    if not isinstance(data, bytes | bytearray) or not data.strip():
        raise PackageError(_("Gói tin rỗng."))
    if len(data) > max_bytes:
        raise PackageError(
            _("Gói tin vượt quá dung lượng cho phép ({limit} MB).").format(
                limit=round(max_bytes / 1024 / 1024)
            )
        )
    head = bytes(data[:65536]).upper()  # the prolog; the tree's docinfo is checked again below
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise PackageError(_("Gói tin có khai báo DOCTYPE/ENTITY: không được chấp nhận."))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_pis=True,
        remove_comments=True,
        huge_tree=True,  # big base64 text nodes; size is bounded above, DTDs are refused
    )
    try:
        root = etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as exc:
        raise PackageError(
            _("Gói tin không phải XML hợp lệ: {error}").format(error=str(exc)[:200])
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PackageError(_("Gói tin có khai báo DOCTYPE/ENTITY: không được chấp nhận."))
    namespace = etree.QName(root).namespace
    if namespace not in (None, NS):
        raise PackageError(
            _("Gói tin không theo QCVN 102 (không gian tên «{ns}»).").format(ns=namespace)
        )
    if _local(root) == "edXMLEnvelope":
        return root, root
    if _local(root) != "edXML":
        raise PackageError(
            _("Gói tin không phải edXML (phần tử gốc «{root}»).").format(root=_local(root))
        )
    envelope = _child(root, "edXMLEnvelope")
    if envelope is None:
        raise PackageError(_("Gói tin thiếu «edXMLEnvelope»."))
    return root, envelope


def parse(data: bytes, *, max_bytes: int, max_attachment_bytes: int):
    """A :class:`DocumentPackage` or :class:`StatusPackage` from bytes, or PackageError."""
    root, envelope = _root(data, max_bytes)
    header = _child(envelope, "edXMLHeader")
    if header is None:
        raise PackageError(_("Gói tin thiếu phần đầu «edXMLHeader»."))
    status = _child(header, "Status")
    if status is not None:
        return _parse_status(status)
    message = _child(header, "MessageHeader")
    if message is None:
        raise PackageError(_("Gói tin thiếu «MessageHeader» (hoặc «Status») trong phần đầu."))
    return _parse_document(root, envelope, header, message, max_attachment_bytes)


def _parse_status(el) -> StatusPackage:
    rf_el = _child(el, "ResponseFor")
    if rf_el is None:
        raise PackageError(_("Gói tin trạng thái thiếu «ResponseFor»."))
    rf = _parse_response_for(rf_el)
    if not rf.document_id:
        raise PackageError(_("Gói tin trạng thái thiếu «ResponseFor/DocumentId»."))
    from_el = _child(el, "From")
    if from_el is None:
        raise PackageError(_("Gói tin trạng thái thiếu «From»."))
    code = _required(el, "mã trạng thái", "StatusCode").zfill(2)
    if code not in STATUS_CODES:
        raise PackageError(_("Mã trạng thái «{code}» không có trong QCVN 102.").format(code=code))
    staff = _child(el, "StaffInfo")
    return StatusPackage(
        response_for=rf,
        sender=_parse_organ(from_el, _("nơi gửi trạng thái")),
        status_code=code,
        description=_get(el, "Description"),
        timestamp=parse_timestamp(_get(el, "Timestamp"), "Timestamp"),
        staff=_parse_staff(staff) if staff is not None else StaffInfo(),
    )


def _business(header):
    trace_list = _child(header, "TraceHeaderList")
    # The standard spells it "Bussiness"; some senders write "Business", some put it straight
    # under the header. (Elements are compared with None: an empty element is falsy.)
    for parent in (trace_list, header):
        for name in ("Bussiness", "Business"):
            business = _child(parent, name)
            if business is not None:
                return trace_list, business
    return trace_list, None


def _parse_document(root, envelope, header, mh, max_attachment_bytes) -> DocumentPackage:
    from_el = _child(mh, "From")
    if from_el is None:
        raise PackageError(_("Gói tin thiếu «From» (cơ quan gửi)."))
    receivers = [_parse_organ(el, _("cơ quan nhận")) for el in _children(mh, "To")]
    if not receivers:
        raise PackageError(_("Gói tin thiếu «To» (cơ quan nhận)."))
    sender = _parse_organ(from_el, _("cơ quan gửi"))
    number = _get(mh, "Code", "CodeNumber")
    notation = _get(mh, "Code", "CodeNotation")
    if not number and not notation:
        raise PackageError(_("Gói tin thiếu số, ký hiệu văn bản («Code»)."))
    promulgation_date = parse_date(
        _required(mh, "ngày ban hành", "PromulgationInfo", "PromulgationDate"),
        "PromulgationInfo/PromulgationDate",
    )
    type_name = _get(mh, "DocumentType", "TypeName")
    subject = _required(mh, "trích yếu", "Subject")
    document_id = _get(mh, "DocumentId") or (
        f"{sender.code},{promulgation_date:%Y/%m/%d},{number}/{notation}".rstrip("/")
    )
    other = _child(mh, "OtherInfo")
    trace_list, business = _business(header)
    business_type = _int(
        _get(business, "BussinessDocType") or _get(business, "BusinessDocType"),
        "BussinessDocType",
        0,
    )
    if business_type not in BUSINESS_TYPES:
        raise PackageError(
            _("Loại nghiệp vụ «{value}» không có trong QCVN 102 (0, 1, 2, 3).").format(
                value=business_type
            )
        )
    replaces = []
    if business is not None:
        for info in _children(_child(business, "ReplacementInfoList"), "ReplacementInfo"):
            if _get(info, "DocumentId"):
                replaces.append(_get(info, "DocumentId"))
    trace = _child(trace_list, "TraceHeader")
    staff = _child(business, "StaffInfo") if business is not None else None
    return DocumentPackage(
        sender=sender,
        receivers=receivers,
        document_id=document_id,
        code_number=number,
        code_notation=notation,
        promulgation_date=promulgation_date,
        type_name=type_name,
        subject=subject,
        place=_get(mh, "PromulgationInfo", "Place"),
        type=_get(mh, "DocumentType", "Type"),
        type_detail=_get(mh, "DocumentType", "TypeDetail"),
        content=_get(mh, "Content"),
        signer_competence=_get(mh, "SignerInfo", "Competence"),
        signer_position=_get(mh, "SignerInfo", "Position"),
        signer_full_name=_get(mh, "SignerInfo", "FullName"),
        due_date=parse_date(_get(mh, "DueDate"), "DueDate"),
        to_places=[(p.text or "").strip() for p in _children(_child(mh, "ToPlaces"), "Place")],
        priority=_int(_get(other, "Priority"), "OtherInfo/Priority", 0),
        sphere=_get(other, "SphereOfPromulgation"),
        typer_notation=_get(other, "TyperNotation"),
        promulgation_amount=_int(_get(other, "PromulgationAmount"), "PromulgationAmount"),
        page_amount=_int(_get(other, "PageAmount"), "PageAmount"),
        appendixes=[
            (a.text or "").strip()
            for a in _children(_child(other, "Appendixes"), "Appendix")
            if (a.text or "").strip()
        ],
        steering_type=_int(_get(mh, "SteeringType"), "SteeringType", 0),
        response_for=[_parse_response_for(el) for el in _children(mh, "ResponseFor")],
        business_type=business_type,
        business_reason=_get(business, "BussinessDocReason") or _get(business, "BusinessDocReason"),
        paper=_int(_get(business, "Paper"), "Paper", 0),
        staff=_parse_staff(staff) if staff is not None else StaffInfo(),
        replaces=replaces,
        attachments=_parse_attachments(root, envelope, max_attachment_bytes),
        timestamp=parse_timestamp(_get(trace, "Timestamp"), "TraceHeader/Timestamp"),
    )


def _parse_attachments(root, envelope, max_bytes: int) -> list[Attachment]:
    manifest = _child(_child(envelope, "edXMLBody"), "edXMLManifest")
    described = {}
    for ref in _children(manifest, "Reference"):
        content_id = _get(ref, "ContentId").removeprefix("cid:")
        described[content_id] = ref
    encoded = []
    for block in _children(root, "AttachmentEncoded") + _children(envelope, "AttachmentEncoded"):
        encoded.extend(_children(block, "Attachment"))
    if len(encoded) > MAX_ATTACHMENTS:
        raise PackageError(
            _("Gói tin có quá nhiều tệp đính kèm ({count}; tối đa {limit}).").format(
                count=len(encoded), limit=MAX_ATTACHMENTS
            )
        )
    attachments = []
    for i, el in enumerate(encoded, start=1):
        content_id = _get(el, "ContentId").removeprefix("cid:")
        ref = described.get(content_id)
        name = _get(el, "AttachmentName") or _get(ref, "AttachmentName") or f"tep-dinh-kem-{i}"
        text = "".join((_get(el, "ContentTransferEncoded") or "").split())
        if not text:
            raise PackageError(_("Tệp đính kèm «{name}» không có nội dung.").format(name=name))
        if len(text) * 3 // 4 > max_bytes + 3:
            raise PackageError(
                _("Tệp đính kèm «{name}» vượt quá dung lượng cho phép ({limit} MB).").format(
                    name=name, limit=round(max_bytes / 1024 / 1024)
                )
            )
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise PackageError(
                _("Tệp đính kèm «{name}» không phải base64 hợp lệ.").format(name=name)
            ) from None
        if len(data) > max_bytes:
            raise PackageError(
                _("Tệp đính kèm «{name}» vượt quá dung lượng cho phép ({limit} MB).").format(
                    name=name, limit=round(max_bytes / 1024 / 1024)
                )
            )
        attachments.append(
            Attachment(
                name=name,
                content_type=_get(el, "ContentType") or _get(ref, "ContentType"),
                data=data,
                description=_get(el, "Description") or _get(ref, "Description"),
                content_id=content_id,
            )
        )
    return attachments
