"""Numbers and symbols of outgoing documents ("cấp số"), and cancelled numbers.

DOMAIN.md: one sequence per (issuing agency, register, year), from 01 on 1 January; numbers
under 10 get a leading zero; normative documents have their own series and the year in the
symbol; secret documents have their own registers. A number is given only at "Cấp số", after
signature; never twice, never skipped, never back-dated; a cancelled number is recorded.

The number is taken with :meth:`DocumentRegister.take_next` inside the transition's
transaction, exactly as "số đến" is (docs/numbering.md): concurrent "Cấp số" queue on the
register row and get consecutive numbers; a failure gives its number back.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.constants import Direction
from eoffice.exceptions import ValidationError


def format_number(number: int) -> str:
    """The number as written in a symbol: two digits at least ("05", "15", "123")."""
    return f"{int(number):02d}"


def build_symbol(number: int, document_type, agency, drafting_unit, year: int, normative: bool):
    """The "số, ký hiệu" of Decree 30 (DOMAIN.md).

    - a typed document: ``15/QĐ-UBND``;
    - a công văn (no abbreviation): ``45/UBND-VP`` (agency, then the drafting unit;
      ``45/UBND`` when the agency drafted it itself);
    - a normative document: ``12/2017/QĐ-UBND``.
    """
    n = format_number(number)
    abbreviation = (document_type.abbreviation or "").strip()
    agency_short = agency.short_name.strip()
    if normative:
        return f"{n}/{year}/{abbreviation}-{agency_short}"
    if abbreviation:
        return f"{n}/{abbreviation}-{agency_short}"
    if drafting_unit is not None and drafting_unit.pk != agency.pk:
        return f"{n}/{agency_short}-{drafting_unit.short_name.strip()}"
    return f"{n}/{agency_short}"


def outgoing_register(agency, year: int, secret: bool, normative: bool):
    """The outgoing register of ``agency`` for a year, secrecy and normativity (made on demand)."""
    from eoffice.doctype.document_register import DocumentRegister

    lookup = {
        "unit": agency,
        "direction": Direction.OUTGOING,
        "year": year,
        "is_secret": secret,
        "is_normative": normative,
    }
    register = DocumentRegister.objects.filter(**lookup).first()
    if register is not None:
        return register
    if normative:
        label = "Sổ văn bản quy phạm pháp luật"
    else:
        label = "Sổ văn bản mật đi" if secret else "Sổ văn bản đi"
    try:
        with transaction.atomic():
            return DocumentRegister.objects.create(
                register_name=f"{label} {year} – {agency.unit_name}", **lookup
            )
    except IntegrityError:  # created by a concurrent "Cấp số" meanwhile
        return DocumentRegister.objects.get(**lookup)


def take_number(doc, ctx) -> None:
    """The hook of "Cấp số": number, symbol, today's date, in the transition's transaction."""
    if doc.number:
        raise ValidationError(_("Văn bản đã được cấp số {symbol}.").format(symbol=doc.symbol))
    today = timezone.localdate(ctx.now)
    agency = doc.agency()
    register = outgoing_register(agency, today.year, doc.is_secret, doc.is_normative)
    doc.register = register
    doc.number = register.take_next()
    doc.issue_date = today  # never back-dated: the day the number is given
    doc.symbol = build_symbol(
        doc.number, doc.document_type, agency, doc.drafting_unit, today.year, doc.is_normative
    )
    doc.numbered_by, doc.numbered_on = ctx.user, ctx.now
    from eoffice.doctype.outgoing_document.signatures import stamp_draft

    stamped = stamp_draft(doc, ctx)  # the number and date into the digitally signed PDF
    if stamped is not None:
        ctx.result["stamped_version"] = stamped.version
    ctx.result["number"] = doc.number
    ctx.result["symbol"] = doc.symbol


def cancel_number(doc, ctx) -> None:
    """The hook of "Hủy số": the number stays in the register as cancelled, never reused."""
    from eoffice.doctype.outgoing_document.models import CancelledNumber

    if not doc.number:
        raise ValidationError(_("Văn bản chưa được cấp số."))
    CancelledNumber.objects.create(
        register=doc.register,
        number=doc.number,
        symbol=doc.symbol,
        issue_date=doc.issue_date,
        outgoing_document=doc,
        reason=ctx.comment,
        cancelled_by=ctx.user,
        cancelled_on=ctx.now,
        owner=ctx.user.name,
        modified_by=ctx.user.name,
    )
    ctx.result["cancelled"] = doc.symbol
    doc.number = None
    doc.symbol = ""
    doc.issue_date = None
    doc.register = None
    doc.numbered_by = None
    doc.numbered_on = None


def register_entries(register) -> list[dict]:
    """The outgoing register ("sổ đăng ký văn bản đi") in number order, cancelled numbers
    included, so that a reader sees every number from 01 to the last one given."""
    from eoffice.doctype.outgoing_document.models import CancelledNumber, OutgoingDocument

    rows = {}
    from django.db.models import Prefetch

    from eoffice.doctype.outgoing_document.models import OutgoingRecipient

    docs = (
        OutgoingDocument.objects.filter(register=register)
        .select_related("document_type", "signer", "drafting_unit")
        .prefetch_related(
            Prefetch("recipients", queryset=OutgoingRecipient.objects.select_related("unit"))
        )
    )
    for doc in docs:
        rows[doc.number] = {
            "number": doc.number,
            "symbol": doc.symbol,
            "issue_date": doc.issue_date.isoformat() if doc.issue_date else None,
            "document_type": doc.document_type.type_name,
            "summary": doc.summary,
            "signer": doc.signer.full_name if doc.signer_id else "",
            "drafting_unit": doc.drafting_unit.unit_name,
            "recipients": ", ".join(r.label() for r in doc.recipients.all()),
            "name": doc.name,
            "workflow_state": doc.workflow_state,
            "cancelled": False,
        }
    for c in CancelledNumber.objects.filter(register=register).select_related("outgoing_document"):
        rows.setdefault(
            c.number,
            {
                "number": c.number,
                "symbol": c.symbol,
                "issue_date": c.issue_date.isoformat(),
                "summary": "",
                "name": c.outgoing_document.name,
                "cancelled": True,
                "reason": c.reason,
                "workflow_state": "Đã hủy số",
            },
        )
    return [rows[n] for n in sorted(rows)]
