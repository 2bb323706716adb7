"""Distribution ("Phát hành") of an outgoing document, following each copy, and recall.

- Recipients are units of this site (departments, communes, coordinating units; a whole
  group such as "Các xã, thị trấn" in one click, :func:`add_groups`) and other agencies (their
  electronic code and name; a name alone is sent on paper).
- :func:`issue` gives every internal recipient its own "Incoming Document" in the same
  transaction as the issue: registered at once in the recipient's incoming register (its
  ``document_number`` is the outgoing ``symbol``, its issuer the sending agency), and, for a
  directive that asks for a report, assigned "Chủ trì" to the unit with the report deadline.
  Other agencies get an edXML package (:mod:`eoffice.edxml`), sent after commit.
- The sender follows each copy on the recipient row: delivered, read (by whom, when), acted
  on, handled. :func:`follow_copy` is fed by every transition of a copy (a Workflow Log row);
  :func:`mark_copy_read` by the desk when a recipient opens it; edXML status messages by the
  exchange.
- :func:`recall` ("Thu hồi") withdraws the copies nobody has acted on and tells those who have
  (a Comment on their copy and the :data:`recall_notice` signal for notifications); other
  agencies get a recall package (business type 1) and answer 15 or 16.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.constants import HandlingRole, Secrecy
from eoffice.doctype.outgoing_document.models import (
    DELIVERY_FIELDS,
    DeliveryStatus,
    OutgoingRecipient,
    RecipientGroup,
)
from eoffice.doctype.workflow_log import WorkflowLog
from eoffice.exceptions import ValidationError

#: Sent (inside the issuing transaction) once a document is issued: ``document``, ``user``,
#: ``copies`` (the internal recipients' Incoming Documents). For notifications.
issued = Signal()
#: Sent when a recalled document had already been acted on by a recipient: ``document``,
#: ``recipient`` (the row), ``incoming_document`` (their copy), ``reason``, ``user``.
recall_notice = Signal()

INCOMING = "Incoming Document"
#: Where a copy stands, by the state of the recipient's incoming workflow.
COPY_STATUS = {
    "Đã vào sổ": DeliveryStatus.RECEIVED,
    "Chờ chỉ đạo": DeliveryStatus.RECEIVED,
    "Đã phân công": DeliveryStatus.ASSIGNED,
    "Đang xử lý": DeliveryStatus.IN_PROGRESS,
    "Hoàn thành": DeliveryStatus.DONE,
    "Đã lưu": DeliveryStatus.DONE,
    "Bị trả lại": DeliveryStatus.REFUSED,
}
#: States a copy is delivered in; a copy elsewhere has been acted on by its recipient.
DELIVERED_STATES = ("Đã vào sổ", "Đã phân công")


# ---------------------------------------------------------------------------------------
# Recipients


def validate_recipient_rows(doc, rows, issuing: bool = False) -> None:
    """Check the recipient rows; raise ValidationError naming ``recipients`` and the row.

    Each row is a unit of this site or another agency (a name, and its code for edXML), not
    both; no recipient twice; not the issuing agency itself. At issue at least one row.
    """
    if issuing and not rows:
        raise ValidationError(_("Cần chọn ít nhất một nơi nhận."), field="recipients")
    agency_id = doc.agency().pk if doc.drafting_unit_id or doc.issuing_agency_id else None
    units, codes, names = {}, {}, {}
    for i, row in enumerate(rows, start=1):
        code = (row.agency_code or "").strip()
        name = (row.agency_name or "").strip()
        where = _("Dòng {i} của nơi nhận").format(i=i)
        if row.unit_id and (code or name):
            raise ValidationError(
                where + ": " + _("chọn một đơn vị nội bộ hoặc nhập cơ quan ngoài, không cả hai."),
                field="recipients",
            )
        if not row.unit_id and not (code or name):
            raise ValidationError(
                where + ": " + _("cần chọn đơn vị hoặc nhập tên cơ quan nhận."),
                field="recipients",
            )
        if row.unit_id:
            if not row.unit.is_active:
                raise ValidationError(
                    where + ": " + _("đơn vị «{unit}» không còn hoạt động.").format(unit=row.unit),
                    field="recipients",
                )
            if row.unit_id == agency_id:
                raise ValidationError(
                    where + ": " + _("cơ quan ban hành không là nơi nhận văn bản của chính mình."),
                    field="recipients",
                )
            seen = units
            key = row.unit_id
        else:
            if not name:
                raise ValidationError(where + ": " + _("cần tên cơ quan nhận."), field="recipients")
            seen, key = (codes, code) if code else (names, name.casefold())
        if key in seen:
            raise ValidationError(
                where + ": " + _("trùng với dòng {j}.").format(j=seen[key]), field="recipients"
            )
        seen[key] = i


def find_group(value) -> RecipientGroup:
    """The recipient group named ``value`` (its name), or ValidationError."""
    group = RecipientGroup.objects.filter(name=str(value or "").strip(), is_active=True).first()
    if group is None:
        raise ValidationError(
            _("Không tìm thấy nhóm nơi nhận «{group}».").format(group=value),
            field="recipient_groups",
        )
    return group


def expand_group(group, agency=None) -> list:
    """The active units of a group: its kinds below ``agency`` (all of the site without one),
    then the units it names."""
    from eoffice.doctype.organization import OrganizationUnit

    units = []
    if group.unit_kinds:
        qs = OrganizationUnit.objects.filter(kind__in=group.unit_kinds, is_active=True)
        if agency is not None:
            qs = qs.filter(path__startswith=agency.path).exclude(pk=agency.pk)
        units.extend(qs.order_by("path", "sort_order"))
    seen = {u.pk for u in units}
    for member in group.units.select_related("unit"):
        if member.unit.is_active and member.unit_id not in seen:
            units.append(member.unit)
            seen.add(member.unit_id)
    return units


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return list(value)
    raise ValidationError(
        _("«recipient_groups» phải là tên nhóm hoặc danh sách tên nhóm."), field="recipient_groups"
    )


def add_groups(doc, groups) -> int:
    """Append the units of ``groups`` (names or groups) to the recipients; return how many.

    Units already among the recipients are not added twice.
    """
    agency = doc.agency()
    present = set(doc.recipients.exclude(unit=None).values_list("unit_id", flat=True))
    idx = doc.recipients.count()
    added = []
    for value in _as_list(groups):
        group = value if isinstance(value, RecipientGroup) else find_group(value)
        for unit in expand_group(group, agency):
            if unit.pk in present or unit.pk == agency.pk:
                continue
            idx += 1
            present.add(unit.pk)
            added.append(OutgoingRecipient(parent=doc, idx=idx, unit=unit))
    OutgoingRecipient.objects.bulk_create(added)
    return len(added)


def _resolve_local_codes(rows) -> None:
    """An "other agency" whose code belongs to a unit of this site is that unit."""
    from eoffice.doctype.organization import OrganizationUnit

    codes = {r.agency_code.strip() for r in rows if not r.unit_id and r.agency_code.strip()}
    if not codes:
        return
    local = {u.agency_code: u for u in OrganizationUnit.objects.filter(agency_code__in=codes)}
    for row in rows:
        unit = local.get(row.agency_code.strip()) if not row.unit_id else None
        if unit is not None:
            row.unit, row.agency_code, row.agency_name = unit, "", ""


# ---------------------------------------------------------------------------------------
# Issue


def document_id(doc) -> str:
    """The edXML DocumentId of an issued document: ``<agency code>,<YYYY/MM/DD>,<symbol>``."""
    agency = doc.agency()
    return f"{agency.agency_code or agency.name},{doc.issue_date:%Y/%m/%d},{doc.symbol}"


def issued_files(doc) -> list:
    """The files recipients get: the newest version of the draft (the signed, numbered one)."""
    from eoffice.doctype.outgoing_document.drafting import latest_version

    latest = latest_version(doc)
    return [latest.file] if latest is not None else []


def _copy_file(source, copy, user) -> None:
    """The same stored content attached to the recipient's copy (no second blob)."""
    from eoffice.doctype.file import File

    f = File(
        file_name=source.file_name,
        attached_to_doctype=INCOMING,
        attached_to_name=copy.name,
        content_hash=source.content_hash,
        mime_type=source.mime_type,
        file_size=source.file_size,
        extracted_text=source.extracted_text,
        ocr_status=source.ocr_status,
        owner=user.name,
        modified_by=user.name,
    )
    f.set_new_name()
    f.file_url = f.download_url[:255]
    f.save()
    if source.mime_type == "application/pdf":
        from eoffice.jobs.verify import enqueue_for

        enqueue_for(f)  # the recipient sees whether its signatures are valid (after commit)


def _direction_text(doc) -> str:
    return _("Thực hiện theo {type} số {symbol}; báo cáo kết quả trước ngày {deadline}.").format(
        type=doc.document_type.type_name.lower(),
        symbol=doc.symbol,
        deadline=f"{doc.report_deadline:%d/%m/%Y}",
    )


def _deliver_internal(doc, row, register, files, ctx) -> None:
    """The recipient's own Incoming Document: registered now, and assigned when a report is due."""
    from eoffice.doctype.assignment import Assignment, deadline_state_of
    from eoffice.doctype.incoming_document import IncomingDocument, IncomingDocumentAssignee
    from eoffice.doctype.outgoing_document.drafting import full_clean
    from eoffice.workflows.engine import get_workflow

    agency = doc.agency()
    now, user = ctx.now, ctx.user
    copy = IncomingDocument(
        receiving_unit=row.unit,
        issuer=agency.unit_name,
        issuer_code=agency.agency_code or "",
        document_number=doc.symbol,
        document_date=doc.issue_date,
        document_type=doc.document_type,
        summary=doc.summary,
        signer=doc.signer.full_name if doc.signer_id else "",
        page_count=doc.page_count,
        urgency=doc.urgency,
        secrecy=doc.secrecy,
        deadline=doc.report_deadline if doc.requires_report else None,
        arrival_date=now,
        register=register,
        arrival_number=register.take_next(),
        registered_by=user,
        registered_on=now,
        workflow_state="Đã vào sổ",
        owner=user.name,
        modified_by=user.name,
    )
    director = doc.signer or user
    if doc.requires_report:
        copy.direction = _direction_text(doc)
        copy.directed_by = director
        copy.directed_on = now
        copy.workflow_state = "Đã phân công"
    full_clean(copy)
    copy.save()
    for source in files:
        _copy_file(source, copy, user)
    if doc.requires_report:
        deadline = doc.report_deadline
        IncomingDocumentAssignee.objects.create(
            parent=copy, idx=1, unit=row.unit, handling_role=HandlingRole.LEAD, deadline=deadline
        )
        Assignment(
            reference_doctype=INCOMING,
            reference_name=copy.name,
            unit=row.unit,
            handling_role=HandlingRole.LEAD,
            deadline=deadline,
            original_deadline=deadline,
            assigned_by=director,
            note=copy.direction,
            deadline_state=deadline_state_of(deadline, timezone.localdate(now)),
            owner=user.name,
            modified_by=user.name,
        ).save()
    row.incoming_document = copy
    row.delivery_status = (
        DeliveryStatus.ASSIGNED if doc.requires_report else DeliveryStatus.RECEIVED
    )
    row.delivered_at = now
    row.save()
    # The copy's timeline says how it arrived, as if the steps had been taken by hand.
    wf = get_workflow(INCOMING)
    log = {
        "reference_doctype": INCOMING,
        "reference_name": copy.name,
        "workflow_name": wf.name if wf else INCOMING,
    }
    _log(
        log,
        "Chờ tiếp nhận",
        "Vào sổ",
        "Đã vào sổ",
        user,
        _("Nhận tự động khi {agency} phát hành văn bản {symbol}.").format(
            agency=agency.unit_name, symbol=doc.symbol
        ),
    )
    if doc.requires_report:
        _log(log, "Đã vào sổ", "Phân công", "Đã phân công", director, copy.direction)
    return copy


def _log(base: dict, from_state, action, to_state, user, comment) -> None:
    WorkflowLog.objects.create(
        **base,
        from_state=from_state,
        action=action,
        to_state=to_state,
        user=user,
        user_name=user.name,
        user_full_name=getattr(user, "full_name", "") or "",
        comment=comment,
        owner=user.name,
        modified_by=user.name,
    )


def issue(doc, ctx) -> None:
    """The hook of "Phát hành" (see the module): runs in the transition's transaction."""
    from eoffice.doctype.incoming_document import IncomingDocument, incoming_register

    add_groups(doc, ctx.params.get("recipient_groups"))
    rows = list(doc.recipients.select_related("unit"))
    _resolve_local_codes(rows)
    validate_recipient_rows(doc, rows, issuing=True)
    if not doc.number:
        raise ValidationError(_("Văn bản chưa được cấp số."), field="number")
    if doc.is_secret and any(not r.unit_id and r.agency_code.strip() for r in rows):
        raise ValidationError(
            _(
                "Văn bản mật không được gửi qua trục liên thông (edXML): gửi bản giấy cho "
                "cơ quan ngoài (bỏ mã định danh)."
            ),
            field="recipients",
        )
    today = timezone.localdate(ctx.now)
    if doc.requires_report and doc.report_deadline < today:
        raise ValidationError(
            _("Hạn báo cáo {deadline} đã qua.").format(deadline=f"{doc.report_deadline:%d/%m/%Y}"),
            field="report_deadline",
        )
    replaced = _lock_replaced(doc)
    doc.issued_by, doc.issued_on = ctx.user, ctx.now
    doc.edxml_document_id = document_id(doc)
    from eoffice.doctype.outgoing_document.signatures import seal_issue

    sealed = seal_issue(doc, ctx)  # the agency's signature, when it has a key
    if sealed is not None:
        ctx.result["sealed_version"] = sealed.version
    for row in rows:
        for name in DELIVERY_FIELDS:
            field = OutgoingRecipient._meta.get_field(name)
            setattr(row, field.attname, None if field.null else "")
    files = issued_files(doc)
    secret = doc.secrecy != Secrecy.NORMAL
    internal = []
    for row in rows:
        if row.unit_id:
            unit = IncomingDocument(receiving_unit=row.unit).register_unit()
            internal.append((incoming_register(unit, today.year, secret), row))
    # Registers are locked in one order, so two issues to the same communes cannot deadlock.
    internal.sort(key=lambda pair: (pair[0].pk, pair[1].idx))
    copies = [_deliver_internal(doc, row, register, files, ctx) for register, row in internal]
    queued = 0
    # Agencies that have the replaced document get the new one as its replacement (3).
    replacing = _sent_codes(replaced) if replaced is not None else set()
    new_codes = set()
    for row in rows:
        if row.unit_id:
            continue
        code = row.agency_code.strip()
        if code:
            from eoffice.edxml.exchange import queue_document
            from eoffice.edxml.models import BusinessType

            business = BusinessType.REPLACE if code in replacing else BusinessType.NEW
            queue_document(doc, row, ctx.user, business)
            row.delivery_status = DeliveryStatus.QUEUED
            new_codes.add(code)
            queued += 1
        else:
            row.delivery_status = DeliveryStatus.PAPER
        row.save()
    if replaced is not None:
        ctx.result["replaced"] = _retire_replaced(replaced, doc, ctx, replacing & new_codes)
    if queued:
        from eoffice.edxml.jobs import schedule_send

        schedule_send()
    _note_reply(doc, ctx)
    ctx.result["copies"] = [c.name for c in copies]
    ctx.result["queued"] = queued
    issued.send(sender=type(doc), document=doc, user=ctx.user, copies=copies)


def _note_reply(doc, ctx) -> None:
    """An issued reply is noted on the incoming document it answers."""
    from eoffice.doctype.comment import CommentType, add_comment
    from eoffice.doctype.incoming_document import IncomingDocument

    if not doc.in_reply_to_id:
        return
    incoming = doc.in_reply_to
    add_comment(
        INCOMING,
        incoming.name,
        ctx.user,
        _("Đã phát hành văn bản trả lời số {symbol} ngày {date}.").format(
            symbol=doc.symbol, date=f"{doc.issue_date:%d/%m/%Y}"
        ),
        CommentType.INFO,
    )
    if not incoming.reply_document:
        IncomingDocument.objects.filter(pk=incoming.pk).update(reply_document=doc.symbol)


# ---------------------------------------------------------------------------------------
# Following the copies


def is_recipient(user, copy) -> bool:
    """Whether ``user`` works in the unit that received ``copy``."""
    from eoffice.permissions import memberships

    return any(u == copy.receiving_unit_id for u, _r in memberships(user))


def follow_copy(row, log) -> None:
    """Bring a recipient row up to date after a transition of its copy (a Workflow Log row)."""
    if row.withdrawn_at:
        return
    copy = row.incoming_document
    fields = []
    status = COPY_STATUS.get(log.to_state)
    if status and row.delivery_status != status:
        row.delivery_status = status
        fields.append("delivery_status")
    if is_recipient(log.user, copy):
        if not row.acted_at:
            row.acted_at = log.creation
            fields.append("acted_at")
        if not row.read_at:
            row.read_at, row.read_by = log.creation, log.user_name
            fields += ["read_at", "read_by"]
    if status == DeliveryStatus.DONE and not row.handled_at:
        row.handled_at = log.creation
        row.handled_by = log.user_name
        fields += ["handled_at", "handled_by"]
    if fields:
        row.save(update_fields=fields)


@receiver(post_save, sender=WorkflowLog, dispatch_uid="eoffice.outgoing.follow_copies")
def _incoming_transition(sender, instance, created, raw=False, **kwargs):
    """Every transition of an Incoming Document: follow internal copies, answer edXML senders."""
    if raw or not created or instance.reference_doctype != INCOMING:
        return
    rows = OutgoingRecipient.objects.filter(
        incoming_document__name=instance.reference_name
    ).select_related("incoming_document")
    for row in rows:
        follow_copy(row, instance)
    from eoffice.edxml.exchange import on_incoming_transition

    on_incoming_transition(instance)


def mark_copy_read(copy, user):
    """A recipient opened their copy: the sender's row says read, by whom and when.

    Only the first reading counts; someone outside the receiving unit (a leader above it)
    is not the recipient reading it. Returns the updated rows' count.
    """
    if not is_recipient(user, copy):
        return 0
    return OutgoingRecipient.objects.filter(incoming_document=copy, read_at=None).update(
        read_at=timezone.now(), read_by=user.email
    )


def _assignment_of(copy):
    from eoffice.doctype.assignment import Assignment

    return (
        Assignment.objects.filter(
            reference_doctype=INCOMING,
            reference_name=copy.name,
            handling_role=HandlingRole.LEAD,
            parent_assignment=None,
        )
        .order_by("-id")
        .first()
    )


def distribution(doc) -> dict:
    """Per recipient: delivered, read (by whom, when), acted on, handled; and the totals.

    What the sender's page shows ("Theo dõi phát hành").
    """
    from eoffice.doctype.user import User

    rows = list(
        doc.recipients.select_related("unit", "incoming_document", "incoming_document__register")
    )
    readers = {
        u.email: u.full_name
        for u in User.objects.filter(
            email__in={r.read_by for r in rows} | {r.handled_by for r in rows}
        )
    }
    out = []
    for r in rows:
        copy = r.incoming_document
        assignment = _assignment_of(copy) if copy else None
        out.append(
            {
                "idx": r.idx,
                "kind": "internal" if r.unit_id else ("edxml" if r.agency_code else "paper"),
                "unit": r.unit.name if r.unit_id else None,
                "recipient": r.label(),
                "agency_code": r.agency_code or (r.unit.agency_code if r.unit_id else ""),
                "delivery_status": r.delivery_status,
                "delivered_at": _iso(r.delivered_at),
                "read_at": _iso(r.read_at),
                "read_by": r.read_by,
                "read_by_name": readers.get(r.read_by, r.read_by),
                "acted_at": _iso(r.acted_at),
                "handled_at": _iso(r.handled_at),
                "handled_by": r.handled_by,
                "handled_by_name": readers.get(r.handled_by, r.handled_by),
                "incoming_document": copy.name if copy else None,
                "arrival_number": copy.arrival_number if copy else None,
                "copy_state": copy.workflow_state if copy else None,
                "deadline": assignment.deadline.isoformat() if assignment else None,
                "assignment_status": assignment.status if assignment else None,
                "outcome": assignment.outcome if assignment else None,
                "status_code": r.status_code,
                "status_note": r.status_note,
                "status_at": _iso(r.status_at),
                "withdrawn_at": _iso(r.withdrawn_at),
            }
        )
    return {
        "name": doc.name,
        "symbol": doc.symbol,
        "workflow_state": doc.workflow_state,
        "recipients": out,
        "total": len(out),
        "delivered": sum(1 for r in rows if r.delivered_at),
        "read": sum(1 for r in rows if r.read_at),
        "handled": sum(1 for r in rows if r.handled_at),
    }


def _iso(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None).isoformat(sep=" ")
    return value.isoformat()


def received_directives(user, start: int = 0, limit: int = 20) -> list[dict]:
    """Documents issued to the user's units by another unit of this site, newest deadline
    first among the open ones: what commune staff see on their home page."""
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.permissions import memberships

    units = {u for u, _r in memberships(user)}
    copies = (
        IncomingDocument.objects.filter(
            receiving_unit_id__in=units, withdrawn_on=None, source_recipients__isnull=False
        )
        .exclude(workflow_state__in=["Hoàn thành", "Đã lưu", "Bị trả lại"])
        .select_related("document_type", "receiving_unit")
        .distinct()
        .order_by("deadline", "-arrival_date", "id")[start : start + limit]
    )
    copies = list(copies)
    open_rows = {
        a.reference_name: a
        for a in Assignment.objects.filter(
            reference_doctype=INCOMING,
            reference_name__in=[c.name for c in copies],
            status__in=OPEN_STATUSES,
            handling_role=HandlingRole.LEAD,
        ).order_by("id")
    }
    out = []
    for c in copies:
        a = open_rows.get(c.name)
        out.append(
            {
                "name": c.name,
                "document_number": c.document_number,
                "document_type": c.document_type.type_name,
                "summary": c.summary,
                "issuer": c.issuer,
                "receiving_unit": c.receiving_unit.unit_name,
                "arrival_date": _iso(c.arrival_date),
                "deadline": c.deadline.isoformat() if c.deadline else None,
                "workflow_state": c.workflow_state,
                "assignment": a.name if a else None,
                "deadline_state": a.deadline_state if a else None,
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# Recall


def has_acted(row, copy) -> bool:
    """Whether the recipient has done something with its copy (beyond having it delivered)."""
    from eoffice.doctype.assignment import Assignment, AssignmentStatus

    if row.acted_at or copy.workflow_state not in DELIVERED_STATES:
        return True
    return (
        Assignment.objects.filter(reference_doctype=INCOMING, reference_name=copy.name)
        .filter(
            Q(status__in=[AssignmentStatus.IN_PROGRESS, AssignmentStatus.DONE])
            | Q(parent_assignment__isnull=False)
        )
        .exists()
    )


def withdraw_copy(copy, user, reason: str, now=None) -> None:
    """Take a received copy back: its open assignments are recalled, it is marked withdrawn
    (no further step on it), and its timeline says why. The register keeps its entry."""
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment, AssignmentStatus
    from eoffice.doctype.comment import CommentType, add_comment

    now = now or timezone.now()
    for a in Assignment.objects.select_for_update().filter(
        reference_doctype=INCOMING, reference_name=copy.name, status__in=OPEN_STATUSES
    ):
        a.status = AssignmentStatus.RECALLED
        a.recalled_on, a.recalled_by, a.recall_reason = now, user, reason
        a.modified_by = getattr(user, "name", "") or ""
        a.save()
    text = _("Văn bản đã bị nơi gửi thu hồi: {reason}").format(reason=reason)
    copy.withdrawn_on, copy.withdrawn_reason = now, reason
    copy.notes = ((copy.notes + "\n") if copy.notes else "") + text
    copy.modified_by = getattr(user, "name", "") or ""
    # A plain save of these fields (the state does not change), so that the search index
    # and the audit log hear of it.
    copy.save(
        update_fields=["withdrawn_on", "withdrawn_reason", "notes", "modified", "modified_by"]
    )
    add_comment(INCOMING, copy.name, user, text, CommentType.RECALL)


def _notify_recall(doc, row, copy, user, reason) -> None:
    from eoffice.doctype.comment import CommentType, add_comment

    add_comment(
        INCOMING,
        copy.name,
        user,
        _(
            "{agency} đã thu hồi văn bản số {symbol}: {reason}. Đơn vị đã xử lý văn bản này: "
            "đề nghị dừng thực hiện và báo lại nơi gửi."
        ).format(agency=doc.agency().unit_name, symbol=doc.symbol, reason=reason),
        CommentType.RECALL,
    )
    recall_notice.send(
        sender=type(doc),
        document=doc,
        recipient=row,
        incoming_document=copy,
        reason=reason,
        user=user,
    )


def take_back(doc, user, now, reason: str, keep_codes=()) -> dict:
    """Take an issued document back from its recipients (see the module): internal copies
    nobody acted on are withdrawn, those acted on are told; other agencies get a recall
    package, except ``keep_codes`` (they receive the replacement, which says what it replaces).
    Returns counts; sends after commit."""
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.edxml.exchange import recall_external

    counts = {"withdrawn": 0, "notified": 0, "requested": 0, "replaced": 0}
    requested = False
    for row in doc.recipients.select_related("unit").order_by("idx"):
        if row.unit_id and row.incoming_document_id:
            copy = IncomingDocument.objects.select_for_update().get(pk=row.incoming_document_id)
            if has_acted(row, copy):
                _notify_recall(doc, row, copy, user, reason)
                row.delivery_status = DeliveryStatus.RECALL_NOTIFIED
                row.status_note = _("Đã báo thu hồi: đơn vị đã xử lý văn bản.")
                counts["notified"] += 1
            else:
                withdraw_copy(copy, user, reason, now)
                row.delivery_status = DeliveryStatus.WITHDRAWN
                row.withdrawn_at = now
                counts["withdrawn"] += 1
        elif row.agency_code and row.agency_code.strip() in keep_codes:
            row.status_note = reason
            counts["replaced"] += 1
        elif row.agency_code:
            if recall_external(doc, row, user, reason):
                requested = True
                counts["requested"] += 1
            else:  # its package had not left yet: it never will
                row.delivery_status = DeliveryStatus.WITHDRAWN
                row.withdrawn_at = now
                counts["withdrawn"] += 1
        else:
            row.status_note = _("Thu hồi bản giấy theo đường văn thư.")
        row.save()
    if requested:
        from eoffice.edxml.jobs import schedule_send

        schedule_send()
    return counts


def recall(doc, ctx) -> None:
    """The hook of "Thu hồi" (see the module)."""
    doc.recalled_by, doc.recalled_on, doc.recall_reason = ctx.user, ctx.now, ctx.comment
    ctx.result.update(take_back(doc, ctx.user, ctx.now, ctx.comment))


def _lock_replaced(doc):
    """The document ``doc`` replaces, locked, still issued; or None."""
    from eoffice.doctype.outgoing_document.models import ISSUED_STATE, OutgoingDocument

    if not doc.replaces_id:
        return None
    old = OutgoingDocument.objects.select_for_update().get(pk=doc.replaces_id)
    if old.workflow_state != ISSUED_STATE:
        raise ValidationError(
            _("Văn bản bị thay thế «{symbol}» không còn ở trạng thái «Đã phát hành».").format(
                symbol=old.symbol
            ),
            field="replaces",
        )
    return old


def _sent_codes(old) -> set[str]:
    """Agencies whose package of ``old`` has left (they can be told it is replaced)."""
    from eoffice.edxml.models import BusinessType, EdxmlMessage, MessageKind, MessageState

    return set(
        EdxmlMessage.objects.filter(
            outgoing_document=old,
            kind=MessageKind.DOCUMENT,
            business_type=BusinessType.NEW,
            state__in=[MessageState.SENT, MessageState.OUTBOX, MessageState.SENDING],
        ).values_list("to_code", flat=True)
    )


def _retire_replaced(old, doc, ctx, keep_codes) -> dict:
    """The replaced document is taken back and marked "Đã thu hồi", with a log row."""
    from eoffice.workflows.engine import get_workflow

    reason = _("Được thay thế bởi văn bản số {symbol} ngày {date}.").format(
        symbol=doc.symbol, date=f"{doc.issue_date:%d/%m/%Y}"
    )
    counts = take_back(old, ctx.user, ctx.now, reason, keep_codes)
    old.workflow_state = "Đã thu hồi"
    old.recalled_by, old.recalled_on, old.recall_reason = ctx.user, ctx.now, reason
    old.modified_by = ctx.user.name
    old.save()
    wf = get_workflow(old._doctype.name)
    _log(
        {
            "reference_doctype": old._doctype.name,
            "reference_name": old.name,
            "workflow_name": wf.name if wf else old._doctype.name,
        },
        "Đã phát hành",
        "Thu hồi",
        "Đã thu hồi",
        ctx.user,
        reason,
    )
    return counts


@transaction.atomic
def add_recipient_group(doc, user, group) -> int:
    """The recipients picker's one click: add a group's units to a document being drafted."""
    from eoffice.doctype.outgoing_document.models import BEFORE_ISSUE, OutgoingDocument
    from eoffice.exceptions import PermissionError
    from eoffice.workflows import engine

    locked = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    if not engine.can_edit(locked, user) or locked.workflow_state not in BEFORE_ISSUE:
        raise PermissionError(
            _("Văn bản đang ở trạng thái «{state}»: bạn không sửa nơi nhận được.").format(
                state=locked.workflow_state
            )
        )
    added = add_groups(locked, [group])
    locked.modified_by = user.name
    locked.save(update_fields=["modified", "modified_by"])
    return added
