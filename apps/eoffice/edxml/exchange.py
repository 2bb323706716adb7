"""The exchange with other agencies: what this site sends and what it does with what arrives.

Sending (sender side):

- :func:`queue_document` — at "Phát hành" (business type 0) and "Thu hồi" (1) each other
  agency's recipient row gets a waiting message, in the issuing transaction; the send job
  (:func:`eoffice.edxml.jobs.send_pending`) builds the package (:func:`document_package`)
  and hands it to the transport after commit;
- :func:`apply_status` — a status package from a recipient (01 … 06, 15, 16) updates that
  recipient's row: delivered, read (03, with the clerk's name), handled (06), recall answers.

Receiving (recipient side):

- :func:`import_document` — a new document (0) or a replacement (3) becomes an Incoming
  Document waiting in "Chờ tiếp nhận" for the clerk's "Vào sổ", files attached; status 01 goes
  back at once. A package delivered twice is recognised by its package id and not imported
  again. An update (2) changes a document nobody has registered yet (else it is noted on its
  timeline); a recall (1) withdraws a document nobody has acted on (15) or is refused (16).
- :func:`on_incoming_transition` — our state changes of an imported document send statuses
  back: "Trả lại" 02, "Vào sổ" 03, "Phân công"/"Chuyển xử lý" 04, "Giao xử lý" 05,
  "Hoàn thành" 06.

:func:`receive` is the one entry of a package (HTTP endpoint, inbox folder, a clerk's upload).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from eoffice.constants import Secrecy, Urgency
from eoffice.edxml import package as pk
from eoffice.edxml.models import (
    BusinessType,
    EdxmlMessage,
    MessageDirection,
    MessageKind,
    MessageState,
)
from eoffice.exceptions import PermissionError, ValidationError

log = logging.getLogger(__name__)

INCOMING = "Incoming Document"
#: Urgency ↔ OtherInfo/Priority (0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc; 4 is "hỏa tốc
#: hẹn giờ", received as hỏa tốc).
PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
URGENCY_BY_PRIORITY = {v: k for k, v in PRIORITY.items()} | {4: Urgency.FLASH}
#: Our incoming states → the status code sent back to the sender.
STATUS_BY_STATE = {
    "Bị trả lại": "02",
    "Đã vào sổ": "03",
    "Đã phân công": "04",
    "Đang xử lý": "05",
    "Hoàn thành": "06",
}
#: States of an imported document in which nobody here has acted on it yet.
NOT_ACTED_STATES = ("Chờ tiếp nhận", "Đã vào sổ", "Chờ chỉ đạo")


def _max_sizes() -> tuple[int, int]:
    from eoffice.doctype.file import max_file_size
    from eoffice.edxml.transport import max_package_bytes

    return max_package_bytes(), max_file_size()


def parse(data: bytes):
    """A package parsed with this site's limits (see :func:`eoffice.edxml.package.parse`)."""
    max_bytes, max_attachment = _max_sizes()
    return pk.parse(data, max_bytes=max_bytes, max_attachment_bytes=max_attachment)


def _organ(unit) -> pk.Organ:
    parent = unit.parent.unit_name if unit.parent_id else unit.unit_name
    return pk.Organ(code=unit.agency_code or "", name=unit.unit_name, in_charge=parent)


# ---------------------------------------------------------------------------------------
# Sending documents


def queue_document(doc, row, user, business_type: int = BusinessType.NEW, reason: str = ""):
    """A waiting message for one other agency's row (built and sent after commit)."""
    agency = doc.agency()
    if not agency.agency_code:
        raise ValidationError(
            _(
                "Cơ quan ban hành «{agency}» chưa có mã định danh điện tử: không gửi edXML được."
            ).format(agency=agency.unit_name),
            field="recipients",
        )
    if doc.secrecy != Secrecy.NORMAL:
        raise ValidationError(
            _("Văn bản mật không được gửi qua trục liên thông (edXML)."), field="recipients"
        )
    return EdxmlMessage.objects.create(
        direction=MessageDirection.OUT,
        kind=MessageKind.DOCUMENT,
        business_type=business_type,
        package_id=uuid.uuid4().hex,
        document_id=doc.edxml_document_id,
        from_code=agency.agency_code,
        from_name=agency.unit_name,
        to_code=row.agency_code.strip(),
        to_name=row.agency_name,
        description=reason,
        state=MessageState.PENDING,
        outgoing_document=doc,
        recipient=row,
        owner=user.name,
        modified_by=user.name,
    )


def recall_external(doc, row, user, reason: str) -> bool:
    """ "Thu hồi" for another agency: a recall package (True), or, when the document never
    left, its waiting package cancelled (False)."""
    from eoffice.doctype.outgoing_document.models import DeliveryStatus

    waiting = EdxmlMessage.objects.filter(
        recipient=row,
        direction=MessageDirection.OUT,
        kind=MessageKind.DOCUMENT,
        business_type=BusinessType.NEW,
        state__in=[MessageState.PENDING, MessageState.OUTBOX],
    )
    if waiting.filter(state=MessageState.PENDING).update(state=MessageState.CANCELLED):
        return False
    queue_document(doc, row, user, BusinessType.RECALL, reason)
    row.delivery_status = DeliveryStatus.RECALL_REQUESTED
    row.status_code = "13"
    row.status_note = reason
    return True


def competence(doc) -> str:
    """SignerInfo/Competence: the signing authority and the agency ("TM. UBND huyện Gia Lâm")."""
    if not doc.signing_authority:
        return ""
    return f"{doc.signing_authority} {doc.agency().unit_name}"


def _response_for(doc) -> list[pk.ResponseFor]:
    """When the document answers one that came by edXML, the package says which."""
    if not doc.in_reply_to_id:
        return []
    source = (
        EdxmlMessage.objects.filter(
            direction=MessageDirection.IN,
            kind=MessageKind.DOCUMENT,
            incoming_document_id=doc.in_reply_to_id,
        )
        .order_by("id")
        .first()
    )
    if source is None:
        return []
    incoming = doc.in_reply_to
    return [
        pk.ResponseFor(
            organ_id=source.from_code,
            code=incoming.document_number,
            promulgation_date=incoming.document_date,
            document_id=source.document_id,
        )
    ]


def document_package(doc, receivers, business_type=BusinessType.NEW, reason="", staff_user=None):
    """The :class:`~eoffice.edxml.package.DocumentPackage` of an issued document."""
    from eoffice.doctype.outgoing_document.distribution import issued_files

    agency = doc.agency()
    number, notation = pk.split_symbol(doc.symbol)
    attachments = []
    if business_type != BusinessType.RECALL:
        for f in issued_files(doc):
            with f.open() as fh:
                attachments.append(
                    pk.Attachment(
                        name=f.file_name,
                        content_type=f.mime_type,
                        data=fh.read(),
                        description=_("Văn bản {symbol}").format(symbol=doc.symbol),
                    )
                )
    staff_user = staff_user or doc.issued_by
    replaces = []
    if business_type == BusinessType.REPLACE and doc.replaces_id:
        replaces = [doc.replaces.edxml_document_id]
    return pk.DocumentPackage(
        sender=_organ(agency),
        receivers=list(receivers),
        document_id=doc.edxml_document_id,
        code_number=number,
        code_notation=notation,
        promulgation_date=doc.issue_date,
        place=doc.place or agency.unit_name,
        type="1" if doc.is_normative else "2",
        type_detail=str(doc.document_type.sort_order or ""),
        type_name=doc.document_type.type_name,
        subject=doc.summary,
        content=doc.summary,
        signer_competence=competence(doc),
        signer_position=doc.signer_title,
        signer_full_name=doc.signer.full_name if doc.signer_id else "",
        due_date=doc.report_deadline if doc.requires_report else None,
        to_places=[r.label() for r in doc.recipients.select_related("unit")],
        priority=PRIORITY.get(doc.urgency, 0),
        promulgation_amount=doc.copies,
        page_amount=doc.page_count,
        steering_type=1 if doc.requires_report else 0,
        response_for=_response_for(doc),
        business_type=int(business_type),
        business_reason=reason,
        staff=pk.StaffInfo(
            department=agency.unit_name,
            staff=staff_user.full_name if staff_user else "",
            email=staff_user.email if staff_user else "",
        ),
        replaces=replaces,
        attachments=attachments,
        timestamp=timezone.localtime().replace(tzinfo=None, microsecond=0),
    )


def export_package(doc, agency_code: str = "", agency_name: str = "") -> bytes:
    """An issued document as an edXML package for one agency (a clerk's download)."""
    from eoffice.doctype.outgoing_document.models import BEFORE_ISSUE

    if doc.workflow_state in BEFORE_ISSUE or not doc.symbol:
        raise ValidationError(_("Chỉ xuất edXML văn bản đã phát hành."))
    if doc.secrecy != Secrecy.NORMAL:
        raise ValidationError(_("Văn bản mật không được gửi qua trục liên thông (edXML)."))
    receivers = (
        [pk.Organ(code=agency_code, name=agency_name)]
        if agency_code
        else [
            pk.Organ(code=r.agency_code, name=r.agency_name)
            for r in doc.recipients.exclude(agency_code="")
        ]
    )
    if not receivers:
        raise ValidationError(_("Cần mã định danh cơ quan nhận."), field="agency_code")
    return pk.build_document(document_package(doc, receivers))


def build_message(msg) -> bytes:
    """The package of a waiting outgoing message, from the database as it is now."""
    if msg.kind == MessageKind.STATUS:
        return pk.build_status(status_package(msg))
    doc = msg.outgoing_document
    receivers = [pk.Organ(code=msg.to_code, name=msg.to_name)]
    return pk.build_document(document_package(doc, receivers, msg.business_type, msg.description))


# ---------------------------------------------------------------------------------------
# Sending statuses


STATUS_TEXT = {
    "01": gettext_noop("Đã đến: văn bản đã đến hệ thống, văn thư chưa xử lý."),
    "02": gettext_noop("Từ chối tiếp nhận."),
    "03": gettext_noop("Đã tiếp nhận: văn bản đã được vào sổ văn bản đến."),
    "04": gettext_noop("Phân công: văn bản đã được giao xử lý."),
    "05": gettext_noop("Đang xử lý."),
    "06": gettext_noop("Hoàn thành."),
    "15": gettext_noop("Đồng ý lấy lại: văn bản đã được thu hồi."),
    "16": gettext_noop("Từ chối lấy lại: văn bản đã được xử lý."),
}


def queue_status(source, code: str, user=None, note: str = ""):
    """A waiting status message about the document ``source`` (an inbound message) brought."""
    from eoffice.edxml.jobs import schedule_send

    description = _(STATUS_TEXT.get(code, pk.STATUS_CODES.get(code, "")))
    if note:
        description = f"{description} {note}".strip()
    msg = EdxmlMessage.objects.create(
        direction=MessageDirection.OUT,
        kind=MessageKind.STATUS,
        business_type=source.business_type,
        package_id=uuid.uuid4().hex,
        document_id=source.document_id,
        from_code=source.to_code,
        from_name=source.to_name,
        to_code=source.from_code,
        to_name=source.from_name,
        status_code=code,
        description=description[:2000],
        state=MessageState.PENDING,
        incoming_document=source.incoming_document,
        owner=getattr(user, "name", "") or "",
        modified_by=getattr(user, "name", "") or "",
    )
    schedule_send()
    return msg


def status_package(msg) -> pk.StatusPackage:
    """The status package of a waiting status message."""
    from eoffice.doctype.user import User

    incoming = msg.incoming_document
    staff = User.objects.filter(email=msg.owner).first() if msg.owner else None
    return pk.StatusPackage(
        response_for=pk.ResponseFor(
            organ_id=msg.to_code,
            code=incoming.document_number if incoming else "",
            promulgation_date=incoming.document_date if incoming else None,
            document_id=msg.document_id,
        ),
        sender=pk.Organ(code=msg.from_code, name=msg.from_name),
        status_code=msg.status_code,
        description=msg.description,
        timestamp=timezone.localtime(msg.creation).replace(tzinfo=None, microsecond=0),
        staff=pk.StaffInfo(
            department=incoming.receiving_unit.unit_name if incoming else msg.from_name,
            staff=staff.full_name if staff else "",
            email=staff.email if staff else "",
        ),
    )


def _source_message(incoming_name: str):
    return (
        EdxmlMessage.objects.filter(
            direction=MessageDirection.IN,
            kind=MessageKind.DOCUMENT,
            incoming_document__name=incoming_name,
        )
        .exclude(business_type__in=[BusinessType.RECALL, BusinessType.UPDATE])
        .order_by("id")
        .first()
    )


def on_incoming_transition(log_row) -> None:
    """A transition of an Incoming Document: if it came by edXML, tell its sender."""
    code = STATUS_BY_STATE.get(log_row.to_state)
    if code is None:
        return
    source = _source_message(log_row.reference_name)
    if source is None:
        return
    note = ""
    if code == "02" and log_row.comment:
        note = _("Lý do: {reason}").format(reason=log_row.comment)
    queue_status(source, code, user=log_row.user, note=note)


# ---------------------------------------------------------------------------------------
# Receiving


def receive(data: bytes, *, sender_code: str | None = None, archive: bool = True) -> dict:
    """Take one package (see the module): import it or apply it, in one transaction.

    ``sender_code`` is the agency a token authenticated: a package from anyone else is
    refused. Returns what was done (``kind``, ``duplicate``, ``incoming_documents`` …).
    """
    parsed = parse(data)
    sender = parsed.sender.code
    if sender_code is not None and sender != sender_code:
        raise PermissionError(
            _("Mã xác thực không thuộc cơ quan gửi «{code}».").format(code=sender)
        )
    with transaction.atomic():
        if isinstance(parsed, pk.StatusPackage):
            result = apply_status(parsed)
        else:
            result = import_document(parsed)
        if archive and result.get("messages"):
            _archive(data, result["messages"])
    return result


def _archive(data: bytes, names: list[str]) -> None:
    from eoffice.edxml.transport import folder, write_atomic

    file_name = f"{names[0]}.edxml"
    write_atomic(folder("received"), file_name, data)
    EdxmlMessage.objects.filter(name__in=names).update(package_file=f"received/{file_name}")


def _inbound(pkg_id: str):
    return EdxmlMessage.objects.filter(direction=MessageDirection.IN, package_id=pkg_id).first()


def _match_type(type_name: str):
    """Our document type for the package's TypeName (exact, then without accents)."""
    from eoffice.doctype.document_type import DocumentType
    from eoffice.text import ascii_fold

    name = (type_name or "").strip()
    found = DocumentType.objects.filter(name=name).first() if name else None
    if found is None and name:
        key = ascii_fold(name).casefold()
        found = next(
            (t for t in DocumentType.objects.all() if ascii_fold(t.type_name).casefold() == key),
            None,
        )
    return found or DocumentType.objects.filter(name="Công văn").first()


def _signer_line(pkg) -> str:
    return ", ".join(p for p in (pkg.signer_full_name, pkg.signer_position) if p)[:140]


def _clean_or_refuse(doc) -> None:
    try:
        doc.full_clean()
    except DjangoValidationError as exc:
        messages = []
        for name, errors in getattr(exc, "error_dict", {"": exc.error_list}).items():
            for err in errors:
                messages.extend(f"{name}: {m}" if name else m for m in err.messages)
        raise pk.PackageError(
            _("Gói tin có dữ liệu không hợp lệ: {errors}").format(errors="; ".join(messages))
        ) from None


def _create_incoming(pkg, unit):
    from eoffice.doctype.comment import CommentType, add_comment
    from eoffice.doctype.file import create_file
    from eoffice.doctype.incoming_document import IncomingDocument

    today = timezone.localdate()
    due = pkg.due_date if pkg.due_date and pkg.due_date >= today else None
    doc = IncomingDocument(
        receiving_unit=unit,
        issuer=(pkg.sender.name or pkg.sender.code)[:255],
        issuer_code=pkg.sender.code[:40],
        document_number=pkg.symbol[:100],
        document_date=pkg.promulgation_date,
        document_type=_match_type(pkg.type_name),
        summary=pkg.subject,
        signer=_signer_line(pkg),
        page_count=pkg.page_amount or None,
        urgency=URGENCY_BY_PRIORITY.get(pkg.priority, Urgency.NORMAL),
        deadline=due,
        notes=_("Nhận qua trục liên thông (edXML), mã văn bản {document_id}.").format(
            document_id=pkg.document_id
        )[:2000],
    )
    _clean_or_refuse(doc)
    doc.save()
    for i, att in enumerate(pkg.attachments, start=1):
        create_file(
            [att.data],
            file_name=att.name or f"tep-dinh-kem-{i}",
            owner="",
            attached_to_doctype=INCOMING,
            attached_to_name=doc.name,
        )
    add_comment(
        INCOMING,
        doc.name,
        None,
        _("Nhận qua trục liên thông (edXML) từ {sender} ({code}).").format(
            sender=pkg.sender.name, code=pkg.sender.code
        ),
        CommentType.INFO,
    )
    return doc


def _find_received(pkg, document_id: str, unit):
    source = (
        EdxmlMessage.objects.filter(
            direction=MessageDirection.IN,
            kind=MessageKind.DOCUMENT,
            document_id=document_id,
            from_code=pkg.sender.code,
            to_code=unit.agency_code,
        )
        .exclude(incoming_document=None)
        .exclude(business_type__in=[BusinessType.RECALL, BusinessType.UPDATE])
        .select_related("incoming_document")
        .order_by("id")
        .first()
    )
    return source


def _acted(doc) -> bool:
    from eoffice.doctype.assignment import Assignment

    if doc.workflow_state not in NOT_ACTED_STATES:
        return True
    return Assignment.objects.filter(reference_doctype=INCOMING, reference_name=doc.name).exists()


def _take_back(source, reason: str, why: str) -> str:
    """Withdraw an imported document nobody acted on ("15"), else tell its handlers ("16")."""
    from eoffice.doctype.comment import CommentType, add_comment
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.doctype.outgoing_document.distribution import withdraw_copy

    doc = IncomingDocument.objects.select_for_update().get(pk=source.incoming_document_id)
    if doc.withdrawn_on:
        return "15"
    if not _acted(doc):
        withdraw_copy(doc, None, why)
        return "15"
    add_comment(
        INCOMING,
        doc.name,
        None,
        _(
            "Nơi gửi đề nghị lấy lại văn bản ({reason}), nhưng văn bản đã được xử lý: "
            "đề nghị xem xét và báo lại nơi gửi."
        ).format(reason=reason),
        CommentType.RECALL,
    )
    return "16"


def import_document(pkg) -> dict:
    """A document package for agencies of this site (see the module); inside a transaction."""
    from eoffice.doctype.organization import OrganizationUnit

    codes = [r.code for r in pkg.receivers]
    units = list(OrganizationUnit.objects.filter(agency_code__in=codes, is_active=True))
    if not units:
        raise pk.PackageError(
            _("Gói tin không gửi cho cơ quan nào của trang này (mã {codes}).").format(
                codes=", ".join(codes)
            )
        )
    result = {
        "kind": "document",
        "business_type": pkg.business_type,
        "duplicate": False,
        "incoming_documents": [],
        "messages": [],
        "answers": [],
    }
    for unit in units:
        pkg_id = f"{pkg.sender.code}|{unit.agency_code}|{pkg.document_id}|{pkg.business_type}"
        existing = _inbound(pkg_id)
        if existing is not None:
            result["duplicate"] = True
            if existing.incoming_document_id:
                result["incoming_documents"].append(existing.incoming_document.name)
            continue
        doc, answer = None, None
        if pkg.business_type == BusinessType.RECALL:
            source = _find_received(pkg, pkg.document_id, unit)
            if source is None:
                raise pk.PackageError(
                    _("Không tìm thấy văn bản «{id}» để thu hồi.").format(id=pkg.document_id)
                )
            doc = source.incoming_document
            reason = pkg.business_reason or _("không nêu lý do")
            answer = (
                source,
                _take_back(source, reason, _("Nơi gửi thu hồi: {reason}").format(reason=reason)),
            )
        elif pkg.business_type == BusinessType.UPDATE:
            source = _find_received(pkg, pkg.document_id, unit)
            if source is None:
                raise pk.PackageError(
                    _("Không tìm thấy văn bản «{id}» để cập nhật.").format(id=pkg.document_id)
                )
            doc = _apply_update(source.incoming_document, pkg)
        else:
            doc = _create_incoming(pkg, unit)
            for old_id in pkg.replaces:
                old = _find_received(pkg, old_id, unit)
                if old is not None:
                    _take_back(
                        old,
                        _("thay thế"),
                        _("Được thay thế bởi văn bản {symbol}.").format(symbol=pkg.symbol),
                    )
        msg = EdxmlMessage.objects.create(
            direction=MessageDirection.IN,
            kind=MessageKind.DOCUMENT,
            business_type=pkg.business_type,
            package_id=pkg_id,
            document_id=pkg.document_id,
            from_code=pkg.sender.code,
            from_name=pkg.sender.name[:255],
            to_code=unit.agency_code,
            to_name=unit.unit_name,
            description=pkg.business_reason[:2000],
            state=MessageState.RECEIVED,
            incoming_document=doc,
        )
        result["messages"].append(msg.name)
        result["incoming_documents"].append(doc.name)
        if pkg.business_type in (BusinessType.NEW, BusinessType.REPLACE):
            queue_status(msg, "01")
        elif answer is not None:
            queue_status(answer[0], answer[1])
            result["answers"].append(answer[1])
    return result


def _apply_update(doc, pkg):
    """Business type 2: new metadata for a document not registered yet; else a note."""
    from eoffice.doctype.comment import CommentType, add_comment
    from eoffice.doctype.incoming_document import IncomingDocument

    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    changes = {
        "document_number": pkg.symbol[:100],
        "document_date": pkg.promulgation_date,
        "summary": pkg.subject,
        "signer": _signer_line(pkg),
        "urgency": URGENCY_BY_PRIORITY.get(pkg.priority, Urgency.NORMAL),
    }
    text = _("Nơi gửi cập nhật thông tin văn bản: {changes}").format(
        changes="; ".join(f"{k}: {v}" for k, v in changes.items() if getattr(doc, k) != v)
        or _("không có thay đổi")
    )
    if doc.workflow_state == "Chờ tiếp nhận" and not doc.withdrawn_on:
        for key, value in changes.items():
            setattr(doc, key, value)
        _clean_or_refuse(doc)
        doc.save()
    add_comment(INCOMING, doc.name, None, text, CommentType.INFO)
    return doc


def _parse_ts(value) -> dt.datetime:
    if value is None:
        return timezone.now()
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def apply_status(pkg) -> dict:
    """A recipient's status about a document we sent: its row shows it (inside a transaction)."""
    from eoffice.doctype.outgoing_document.models import (
        STATUS_BY_CODE,
        DeliveryStatus,
        OutgoingRecipient,
    )

    rf = pkg.response_for
    sent = (
        EdxmlMessage.objects.filter(
            direction=MessageDirection.OUT,
            kind=MessageKind.DOCUMENT,
            document_id=rf.document_id,
            to_code=pkg.sender.code,
        )
        .exclude(recipient=None)
        .order_by("-id")
        .first()
    )
    if sent is None:
        raise pk.PackageError(
            _("Không tìm thấy văn bản «{id}» đã gửi tới «{code}» để nhận trạng thái.").format(
                id=rf.document_id, code=pkg.sender.code
            )
        )
    when = _parse_ts(pkg.timestamp)
    pkg_id = f"status|{pkg.sender.code}|{rf.document_id}|{pkg.status_code}|{when:%Y%m%d%H%M%S}"
    result = {
        "kind": "status",
        "status_code": pkg.status_code,
        "duplicate": False,
        "messages": [],
        "document": sent.outgoing_document.name,
    }
    if _inbound(pkg_id) is not None:
        result["duplicate"] = True
        return result
    row = OutgoingRecipient.objects.select_for_update().get(pk=sent.recipient_id)
    code = pkg.status_code
    staff = pkg.staff.staff or pkg.staff.email
    note = pkg.description + (f" ({staff})" if staff else "")
    if row.status_at is None or when >= row.status_at:
        row.delivery_status = STATUS_BY_CODE[code]
        row.status_code, row.status_note, row.status_at = code, note[:2000], when
    if code in ("01", "02", "03") and not row.delivered_at:
        row.delivered_at = when
    if code == "03" and not row.read_at:
        row.read_at, row.read_by = when, staff[:140]
    if code in ("04", "05", "06") and not row.acted_at:
        row.acted_at = when
    if code == "06" and not row.handled_at:
        row.handled_at, row.handled_by = when, staff[:140]
    if code == "15" and not row.withdrawn_at:
        row.withdrawn_at = when
        row.delivery_status = DeliveryStatus.RECALL_AGREED
    row.save()
    msg = EdxmlMessage.objects.create(
        direction=MessageDirection.IN,
        kind=MessageKind.STATUS,
        business_type=sent.business_type,
        package_id=pkg_id,
        document_id=rf.document_id,
        from_code=pkg.sender.code,
        from_name=pkg.sender.name[:255],
        to_code=sent.from_code,
        to_name=sent.from_name,
        status_code=code,
        description=note[:2000],
        state=MessageState.RECEIVED,
        outgoing_document=sent.outgoing_document,
        recipient=row,
    )
    result["messages"].append(msg.name)
    return result


def messages_of(doc) -> list[dict]:
    """The exchange log of an outgoing or incoming document, oldest first."""
    field = (
        "outgoing_document" if doc._doctype.name == "Outgoing Document" else ("incoming_document")
    )
    rows = EdxmlMessage.objects.filter(**{field: doc}).order_by("creation", "id")
    return [
        {
            "name": m.name,
            "direction": m.direction,
            "kind": m.kind,
            "business_type": m.business_type,
            "document_id": m.document_id,
            "from_code": m.from_code,
            "to_code": m.to_code,
            "to_name": m.to_name,
            "status_code": m.status_code,
            "description": m.description,
            "state": m.state,
            "error": m.error,
            "attempts": m.attempts,
            "creation": m.creation.isoformat(sep=" "),
        }
        for m in rows
    ]


def pending_filter():
    """Outgoing messages the send job should take: waiting, or stuck sending for long."""
    stale = timezone.now() - dt.timedelta(minutes=10)
    return Q(direction=MessageDirection.OUT) & (
        Q(state=MessageState.PENDING) | Q(state=MessageState.SENDING, modified__lt=stale)
    )
