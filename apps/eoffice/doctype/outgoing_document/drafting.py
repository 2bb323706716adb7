"""Drafting an outgoing document: its file versions, a reply started from an incoming
document, the signature, and each person's queue of documents waiting for them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from eoffice.constants import HandlingRole, Role, Secrecy
from eoffice.exceptions import DoesNotExistError, PermissionError, ValidationError


def full_clean(doc) -> None:
    """``doc.full_clean()``, its first error as ours naming the field (the label people read)."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        doc.full_clean()
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise ValidationError(exc.messages[0]) from None
        name, errors = next(iter(exc.error_dict.items()))
        message = errors[0].messages[0]
        try:
            label = str(type(doc)._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001  (__all__ and the like)
            label = ""
        text = f"{label}: {message}" if label and label.lower() not in message.lower() else message
        raise ValidationError(text, field=None if name == "__all__" else name) from None


def _models():
    from eoffice.doctype.outgoing_document import models

    return models


# ---------------------------------------------------------------------------------------
# Versions of the draft's file


def add_draft_version(doc, user, *, file=None, chunks=None, file_name=None, note: str = ""):
    """Add the next version of the draft's file; earlier versions stay as they were.

    Give either ``file`` (a File, or its name, uploaded to this document or by this user) or
    ``chunks`` and ``file_name`` (an upload). Allowed to whoever may edit the document in its
    state (the drafter in "Dự thảo", the head in "Chờ duyệt", the clerk when checking or
    numbering, the leader before signing), never after it is issued.
    """
    from eoffice.doctype.file import File, create_file
    from eoffice.permissions import has_permission
    from eoffice.text import nfc
    from eoffice.workflows import engine

    m = _models()
    meta = m.OutgoingDocument._doctype
    if not has_permission(user, meta, "read", doc):
        raise PermissionError(_("Bạn không có quyền với văn bản đi này."))
    note = nfc(str(note or "").strip())[:255]
    with transaction.atomic():
        locked = m.OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
        if locked.workflow_state not in m.BEFORE_ISSUE:
            raise ValidationError(
                _("Văn bản đã «{state}»: không thêm phiên bản dự thảo được.").format(
                    state=locked.workflow_state
                ),
                field="file",
            )
        if not engine.can_edit(locked, user):
            raise PermissionError(
                _("Văn bản đang ở trạng thái «{state}»: bạn không thêm phiên bản được.").format(
                    state=locked.workflow_state
                )
            )
        if chunks is not None:
            stored = create_file(
                chunks,
                file_name=file_name or "",
                owner=user.email,
                attached_to_doctype=m.DOCTYPE,
                attached_to_name=locked.name,
                attached_to_field="draft",
            )
        else:
            if file in (None, ""):
                raise ValidationError(_("Cần chọn tệp dự thảo."), field="file")
            stored = file if isinstance(file, File) else File.objects.filter(name=file).first()
            mine = stored is not None and (
                (stored.attached_to_doctype == m.DOCTYPE and stored.attached_to_name == locked.name)
                or (not stored.attached_to_doctype and stored.owner == user.email)
            )
            if not mine:
                raise ValidationError(
                    _("Không tìm thấy tệp «{file}» của văn bản này.").format(file=file),
                    field="file",
                )
            if m.DraftVersion.objects.filter(outgoing_document=locked, file=stored).exists():
                raise ValidationError(_("Tệp này đã là một phiên bản của dự thảo."), field="file")
            if not stored.attached_to_doctype:
                File.objects.filter(pk=stored.pk).update(
                    attached_to_doctype=m.DOCTYPE,
                    attached_to_name=locked.name,
                    attached_to_field="draft",
                )
        last = locked.versions.aggregate(n=Max("version"))["n"] or 0
        version = m.DraftVersion(
            outgoing_document=locked,
            version=last + 1,
            file=stored,
            note=note,
            owner=user.email,
            modified_by=user.email,
        )
        version.save()
        return version


def latest_version(doc):
    """The newest version of the draft's file, or None."""
    return doc.versions.select_related("file").order_by("-version").first()


def version_dict(v) -> dict:
    """A version as the document page lists it."""
    return {
        "name": v.name,
        "version": v.version,
        "file": v.file.name,
        "file_name": v.file.file_name,
        "file_url": v.file.file_url,
        "content_hash": v.file.content_hash,
        "note": v.note,
        "owner": v.owner,
        "creation": v.creation.isoformat(sep=" "),
    }


# ---------------------------------------------------------------------------------------
# Hooks


def submit_draft(doc, ctx) -> None:
    """ "Trình duyệt": a draft goes up only with its file; the last return reason is cleared."""
    if not doc.versions.exists():
        raise ValidationError(
            _("Cần đính kèm tệp dự thảo (ít nhất một phiên bản) trước khi trình duyệt."),
            field="file",
        )
    doc.return_reason = ""


def sign(doc, ctx) -> None:
    """ "Ký": the signer is who signs, with their title; the newest version is the signed one
    (with the signer's digital signature when they have a key and the draft is a PDF)."""
    from eoffice.doctype.organization import UnitMember

    latest = latest_version(doc)
    if latest is None:
        raise ValidationError(_("Văn bản chưa có tệp dự thảo để ký."), field="file")
    from eoffice.doctype.outgoing_document.signatures import sign_draft

    # A PDF draft of a signer with a key is signed digitally (a wrong PIN stops here).
    latest = sign_draft(doc, latest, ctx) or latest
    doc.signer = ctx.user
    doc.signed_on = ctx.now
    doc.signed_version = latest.version
    if not doc.signer_title:
        member = (
            UnitMember.objects.filter(user=ctx.user, unit=doc.agency()).exclude(title="").first()
            or UnitMember.objects.filter(user=ctx.user).exclude(title="").first()
        )
        doc.signer_title = member.title if member else (ctx.user.position or "")
    ctx.result["signed_version"] = latest.version


# ---------------------------------------------------------------------------------------
# A reply drafted from an incoming document


def _reply_unit(incoming, user):
    """The unit the person answers for: the one holding their assignment, else their own."""
    from eoffice.doctype.assignment import OPEN_STATUSES, Assignment, primary_unit_id
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import memberships

    units = {u for u, _r in memberships(user)}
    assignment = (
        Assignment.objects.filter(
            reference_doctype="Incoming Document",
            reference_name=incoming.name,
            status__in=OPEN_STATUSES,
        )
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True, unit_id__in=units))
        .exclude(handling_role=HandlingRole.INFORM)
        .order_by("handling_role", "id")
        .first()
    )
    unit_id = assignment.unit_id if assignment and assignment.unit_id else primary_unit_id(user)
    if unit_id is None:
        raise ValidationError(_("Bạn chưa thuộc đơn vị nào để soạn văn bản."))
    return OrganizationUnit.objects.get(pk=unit_id)


def reply_recipient(incoming) -> dict:
    """Who a reply goes to: the sending unit of this site, or the other agency by its code,
    or on paper by its name."""
    from eoffice.doctype.organization import OrganizationUnit

    source = incoming.source_recipients.select_related("parent").first()
    if source is not None:
        return {"unit": source.parent.agency()}
    code = (incoming.issuer_code or "").strip()
    if code:
        local = OrganizationUnit.objects.filter(agency_code=code, is_active=True).first()
        if local is not None:
            return {"unit": local}
        return {"agency_code": code, "agency_name": incoming.issuer}
    return {"agency_name": incoming.issuer}


def draft_reply(incoming, user, **fields):
    """A new draft answering ``incoming`` (the officer's reply to what they handle).

    ``in_reply_to`` is the incoming document, the recipient is its issuer, the summary,
    urgency and secrecy are prefilled; ``fields`` override them (``summary``,
    ``document_type``, ``urgency`` …).
    """
    from eoffice.doctype.document_type import DocumentType
    from eoffice.permissions import filter_queryset, has_permission, role_allows

    m = _models()
    meta = m.OutgoingDocument._doctype
    if not has_permission(user, incoming._doctype, "read", incoming):
        raise PermissionError(_("Bạn không có quyền với văn bản đến này."))
    if not role_allows(user, meta, "create"):
        raise PermissionError(_("Bạn không được soạn văn bản đi."))
    unknown = set(fields) - {
        "summary",
        "document_type",
        "urgency",
        "secrecy",
        "requires_report",
        "report_deadline",
        "notes",
    }
    if unknown:
        key = sorted(unknown)[0]
        raise ValidationError(_("Không nhận trường «{field}».").format(field=key), field=key)
    type_name = fields.pop("document_type", None) or "Công văn"
    document_type = DocumentType.objects.filter(name=type_name).first()
    if document_type is None:
        raise ValidationError(
            _("Loại văn bản: không tìm thấy «{type}».").format(type=type_name),
            field="document_type",
        )
    date = incoming.document_date
    summary = (
        f"V/v trả lời văn bản số {incoming.document_number} ngày {date:%d/%m/%Y} "
        f"của {incoming.issuer}"
    )
    with transaction.atomic():
        doc = m.OutgoingDocument(
            document_type=document_type,
            summary=fields.pop("summary", None) or summary,
            drafting_unit=_reply_unit(incoming, user),
            urgency=fields.pop("urgency", None) or incoming.urgency,
            secrecy=fields.pop("secrecy", None) or incoming.secrecy or Secrecy.NORMAL,
            in_reply_to=incoming,
            owner=user.email,
            modified_by=user.email,
            **fields,
        )
        full_clean(doc)
        doc.save()
        m.OutgoingRecipient.objects.create(parent=doc, idx=1, **reply_recipient(incoming))
        if not filter_queryset(user, meta, m.OutgoingDocument.objects.filter(pk=doc.pk)).exists():
            raise PermissionError(_("Bạn không được soạn văn bản ngoài đơn vị của mình."))
    return doc


# ---------------------------------------------------------------------------------------
# Queues: what waits for whom


def work_queue(user, limit: int = 50) -> dict[str, list]:
    """The outgoing documents waiting for ``user``, by state.

    Leaders: "Chờ duyệt" of the units they lead and "Chờ ký" of the agencies they lead (only
    those presented to them, or to nobody in particular). Clerks: "Chờ kiểm tra thể thức",
    "Đã ký" (waiting for a number) and "Đã cấp số" (waiting to be issued) of their agencies.
    Everyone: their own drafts that were returned.
    """
    from eoffice.permissions import LEADING_ROLES, memberships

    m = _models()
    pairs = memberships(user)
    led = [u for u, r in pairs if r in LEADING_ROLES]
    clerk_of = [u for u, r in pairs if r == Role.CLERK]
    doc = m.OutgoingDocument.objects.select_related("document_type", "drafting_unit")
    queues = {
        "Chờ duyệt": doc.filter(workflow_state="Chờ duyệt", drafting_unit_id__in=led),
        "Chờ ký": doc.filter(workflow_state="Chờ ký", issuing_agency_id__in=led).filter(
            Q(signer__isnull=True) | Q(signer=user)
        ),
        "Chờ kiểm tra thể thức": doc.filter(
            workflow_state="Chờ kiểm tra thể thức", issuing_agency_id__in=clerk_of
        ),
        "Chờ cấp số": doc.filter(workflow_state="Đã ký", issuing_agency_id__in=clerk_of),
        "Chờ phát hành": doc.filter(workflow_state="Đã cấp số", issuing_agency_id__in=clerk_of),
        "Bị trả lại": doc.filter(workflow_state="Dự thảo", owner=user.email).exclude(
            return_reason=""
        ),
    }
    out = {}
    for label, qs in queues.items():
        out[label] = [
            {
                "name": d.name,
                "summary": d.summary,
                "document_type": d.document_type.type_name,
                "drafting_unit": d.drafting_unit.unit_name,
                "urgency": d.urgency,
                "symbol": d.symbol,
                "workflow_state": d.workflow_state,
                "modified": d.modified.isoformat(sep=" "),
            }
            for d in qs.order_by("modified", "id")[:limit]
        ]
    return out


def get_outgoing(name, user):
    """The outgoing document ``name`` if the user may read it (same answer when it is hidden)."""
    from eoffice.permissions import has_permission

    m = _models()
    doc = m.OutgoingDocument.objects.filter(name=name).first()
    if doc is None or not has_permission(user, m.OutgoingDocument._doctype, "read", doc):
        raise DoesNotExistError(
            _("Không tìm thấy văn bản đi «{name}», hoặc bạn không có quyền xem.").format(name=name)
        )
    return doc
