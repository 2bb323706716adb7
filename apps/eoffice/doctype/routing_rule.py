"""DocTypes "Routing Rule" (phân luồng văn bản đến) and "Routing Log".

An administrator writes rules such as "documents from «Sở Tài nguyên và Môi trường» go to Phòng
TNMT" or "«đất đai» in the summary: propose Phòng TNMT to the chairman". Right after a clerk
registers a document ("Vào sổ"), the first active rule that matches it (by priority) either

- **routes** it: the clerk's own "Chuyển xử lý" to the rule's unit as "Chủ trì", done in the
  clerk's name with the rule named in the workflow log; or
- **proposes** the assignment: the document's ``assignees`` are prefilled with the rule's unit
  as "Chủ trì" and it is submitted to the leader ("Trình lãnh đạo"); the leader accepts by
  "Phân công" (the prefilled rows stand unless the leader sends others).

Matching is plain: phrases (one per line) compared on words, ignoring case, accents and đ/d
(:func:`eoffice.text.ascii_fold`), in the issuer, the summary and, when the rule says so, the
text read from the document's files (``File.extracted_text``). No regular expressions: an
administrator's rule cannot make matching slow. Secret documents are never routed.

A rule is tested against past documents (:func:`dry_run`) before it may be switched on; an edit
of its conditions needs a new test. Each routing leaves a Routing Log row (one per document).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import HandlingRole, Secrecy
from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

log = logging.getLogger(__name__)

ADMIN_ONLY = ["Quản trị"]
#: Limits that keep a rule cheap to evaluate.
MAX_PHRASES, MAX_PHRASE_LENGTH = 100, 200
#: Characters of a document's extracted text that rules read.
MAX_TEXT = 1_000_000
#: How many times routing waits for OCR to finish (one minute apart).
OCR_WAITS = 30
_WORD = re.compile(r"[a-z0-9]+")


class RoutingAction(models.TextChoices):
    ROUTE = "Chuyển xử lý"
    PROPOSE = "Đề xuất phân công"


class RoutingStatus(models.TextChoices):
    ROUTED = "Đã chuyển xử lý"
    PROPOSED = "Đã đề xuất"
    FAILED = "Không thực hiện được"


def words(text: str) -> str:
    """Text as matching sees it: lower-case words without accents, space-delimited.

    "Sở Tài nguyên & Môi trường" → " so tai nguyen moi truong ".
    """
    from eoffice.text import ascii_fold, nfc

    folded = ascii_fold(nfc(text or "")).lower()
    return " " + " ".join(_WORD.findall(folded)) + " "


def phrases(text: str) -> list[str]:
    """The phrases of a rule field (one per line, or separated by ";" or ","), as :func:`words`."""
    out = []
    for part in re.split(r"[\n;,]", text or ""):
        w = words(part)
        if w.strip() and w not in out:
            out.append(w)
    return out


def _find(phrase_list: list[str], haystack: str) -> str | None:
    for p in phrase_list:
        if p in haystack:
            return p.strip()
    return None


@doctype(
    "Routing Rule",
    permissions={
        "read": ADMIN_ONLY,
        "create": ADMIN_ONLY,
        "write": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    title_field="rule_name",
    search_fields=("rule_name", "issuers", "keywords"),
    read_only_fields=("tested_on", "tested_fingerprint", "tested_result"),
)
class RoutingRule(DocModel):
    """A rule that routes or proposes a newly registered incoming document."""

    autoname = "PL-.####"

    rule_name = models.CharField(_("Tên quy tắc"), max_length=140)
    is_active = models.BooleanField(
        _("Đang áp dụng"),
        default=False,
        help_text=_("Chỉ bật được sau khi đã chạy thử trên văn bản cũ."),
    )
    priority = models.PositiveSmallIntegerField(
        _("Thứ tự ưu tiên"), default=10, help_text=_("Số nhỏ được xét trước.")
    )
    receiving_unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Áp dụng cho văn bản đến của"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Để trống: văn bản đến của mọi đơn vị."),
    )
    issuers = models.TextField(
        _("Cơ quan ban hành"),
        blank=True,
        help_text=_("Mỗi dòng một tên (hoặc một phần tên); khớp một dòng là đủ."),
    )
    document_type = models.ForeignKey(
        "eoffice.DocumentType",
        verbose_name=_("Loại văn bản"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    keywords = models.TextField(
        _("Từ khóa"),
        blank=True,
        help_text=_("Mỗi dòng một từ hoặc cụm từ; khớp một dòng là đủ. Không phân biệt dấu."),
    )
    search_extracted_text = models.BooleanField(
        _("Tìm từ khóa cả trong nội dung tệp (OCR)"), default=False
    )
    action = models.CharField(
        _("Xử lý"), max_length=30, choices=RoutingAction.choices, default=RoutingAction.PROPOSE
    )
    target_unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Lãnh đạo được trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Với «Đề xuất phân công»: lãnh đạo nhận đề xuất (để trống: lãnh đạo đơn vị)."),
    )
    tested_on = models.DateTimeField(_("Chạy thử lúc"), null=True, blank=True)
    tested_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    tested_result = models.CharField(_("Kết quả chạy thử"), max_length=255, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Quy tắc phân luồng văn bản đến")
        verbose_name_plural = _("Quy tắc phân luồng văn bản đến")
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["is_active", "priority"], name="routing_active")]

    def __str__(self):
        return self.rule_name

    # Conditions -------------------------------------------------------------------------

    def fingerprint(self) -> str:
        """A digest of what the rule matches and does; a test holds for this digest only."""
        data = [
            self.receiving_unit_id,
            phrases(self.issuers),
            self.document_type_id,
            phrases(self.keywords),
            bool(self.search_extracted_text),
            self.action,
            self.target_unit_id,
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()

    @property
    def needs_text(self) -> bool:
        return bool(self.search_extracted_text and phrases(self.keywords))

    def match(self, doc, extracted_text: str | None = None, *, folded: dict | None = None):
        """Why ``doc`` matches this rule (Vietnamese text), or None when it does not.

        ``folded`` may hold the document's fields already passed through :func:`words`.
        """
        folded = folded if folded is not None else {}
        reasons = []
        if self.receiving_unit_id and doc.receiving_unit_id != self.receiving_unit_id:
            return None
        if self.document_type_id:
            if doc.document_type_id != self.document_type_id:
                return None
            reasons.append(f"loại văn bản «{self.document_type}»")
        issuers = phrases(self.issuers)
        if issuers:
            if "issuer" not in folded:
                folded["issuer"] = words(doc.issuer)
            found = _find(issuers, folded["issuer"])
            if found is None:
                return None
            reasons.append(f"cơ quan ban hành «{doc.issuer}»")
        keywords = phrases(self.keywords)
        if keywords:
            if "summary" not in folded:
                folded["summary"] = words(doc.summary)
            found = _find(keywords, folded["summary"])
            where = "trích yếu"
            if found is None and self.search_extracted_text and extracted_text:
                if "text" not in folded:
                    folded["text"] = words(extracted_text[:MAX_TEXT])
                found = _find(keywords, folded["text"])
                where = "nội dung tệp"
            if found is None:
                return None
            reasons.append(f"từ khóa «{found}» trong {where}")
        return "; ".join(reasons) or None

    def clean(self):
        from eoffice.constants import Role

        self.rule_name = (self.rule_name or "").strip()
        errors = {}
        for field in ("issuers", "keywords"):
            parts = [p for p in re.split(r"[\n;,]", getattr(self, field) or "") if p.strip()]
            if len(parts) > MAX_PHRASES:
                errors[field] = [_("Tối đa %(n)d dòng.") % {"n": MAX_PHRASES}]
            elif any(len(p.strip()) > MAX_PHRASE_LENGTH for p in parts):
                errors[field] = [_("Mỗi dòng tối đa %(n)d ký tự.") % {"n": MAX_PHRASE_LENGTH}]
            elif parts and not phrases(getattr(self, field)):
                errors[field] = [_("Cần có chữ hoặc số, không chỉ dấu câu.")]
        if not (phrases(self.issuers) or self.document_type_id or phrases(self.keywords)):
            errors["__all__"] = [
                _("Quy tắc cần ít nhất một điều kiện: cơ quan ban hành, loại văn bản hoặc từ khóa.")
            ]
        if self.target_unit_id and not self.target_unit.is_active:
            errors["target_unit"] = [_("Đơn vị chủ trì không còn hoạt động.")]
        if self.leader_id:
            from eoffice.doctype.organization import UnitMember

            if not UnitMember.objects.filter(
                user_id=self.leader_id, role__in=[Role.LEADER, Role.UNIT_LEADER]
            ).exists():
                errors["leader"] = [_("Người được trình phải là lãnh đạo.")]
        if self.is_active and not errors and self.tested_fingerprint != self.fingerprint():
            errors["is_active"] = [
                _("Cần chạy thử quy tắc trên các văn bản đã có (sau lần sửa cuối) rồi mới bật.")
            ]
        if errors:
            raise DjangoValidationError(errors)


def routing_log_scope(user, queryset):
    """Routing of the documents the user may read."""
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.permissions import filter_queryset

    visible = filter_queryset(user, IncomingDocument._doctype, IncomingDocument.objects.all())
    return queryset.filter(document__in=visible.values("pk"))


@doctype(
    "Routing Log",
    permissions={"read": ALL_ROLES},
    scope=routing_log_scope,
    title_field="rule_name",
)
class RoutingLog(DocModel):
    """What routing did to one document (at most one row per document)."""

    autoname = "hash"

    document = models.OneToOneField(
        "eoffice.IncomingDocument",
        verbose_name=_("Văn bản đến"),
        on_delete=models.CASCADE,
        related_name="routing_log",
    )
    rule = models.ForeignKey(
        RoutingRule,
        verbose_name=_("Quy tắc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="logs",
    )
    rule_name = models.CharField(_("Tên quy tắc"), max_length=140)
    action = models.CharField(_("Xử lý"), max_length=30, choices=RoutingAction.choices)
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Lãnh đạo được trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("Lý do khớp"), max_length=500, blank=True)
    status = models.CharField(_("Kết quả"), max_length=30, choices=RoutingStatus.choices)
    error = models.CharField(_("Lỗi"), max_length=500, blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Nhật ký phân luồng")
        verbose_name_plural = _("Nhật ký phân luồng")
        ordering = ["-creation", "-id"]

    def proposal_state(self) -> str:
        """For a proposal: whether the leader followed it ("Chờ lãnh đạo", …)."""
        if self.action != RoutingAction.PROPOSE or self.status != RoutingStatus.PROPOSED:
            return ""
        from eoffice.doctype.assignment import OPEN_STATUSES, Assignment, AssignmentStatus

        lead = (
            Assignment.objects.filter(
                reference_doctype="Incoming Document",
                reference_name=self.document.name,
                handling_role=HandlingRole.LEAD,
                parent_assignment=None,
                status__in=(*OPEN_STATUSES, AssignmentStatus.DONE),
            )
            .values_list("unit_id", flat=True)
            .first()
        )
        if lead is None:
            return "Chờ lãnh đạo"
        return "Lãnh đạo đồng ý" if lead == self.unit_id else "Lãnh đạo phân công khác"


# ---------------------------------------------------------------------------------------
# Applying the rules to a newly registered document


def extracted_text(doc) -> str:
    """The text read from a document's files (OCR or text layer), at most :data:`MAX_TEXT`."""
    from eoffice.doctype.file import File

    texts = File.objects.filter(
        attached_to_doctype="Incoming Document", attached_to_name=doc.name
    ).values_list("extracted_text", flat=True)
    return "\n".join(t for t in texts if t)[:MAX_TEXT]


def active_rules() -> list[RoutingRule]:
    return list(
        RoutingRule.objects.filter(is_active=True)
        .select_related("document_type", "target_unit", "leader")
        .order_by("priority", "id")
    )


def first_match(doc, rules, text: str | None = None):
    """(rule, reason) of the first rule matching ``doc``, or (None, None)."""
    folded: dict = {}
    for rule in rules:
        reason = rule.match(doc, text, folded=folded)
        if reason:
            return rule, reason
    return None, None


def on_registered(doc, ctx) -> None:
    """Called by "Vào sổ" inside its transaction: route the document after it commits.

    Cheap when no rule is active (one indexed query). Secret documents are never routed.
    """
    if doc.secrecy != Secrecy.NORMAL:
        return
    if not RoutingRule.objects.filter(is_active=True).exists():
        return
    from django.conf import settings

    from eoffice import jobs

    jobs.enqueue(
        route_document,
        doc.name,
        ctx.user.pk,
        queue="short",
        job_id=f"route-{settings.SITE_NAME}-{doc.name}",
    )


def route_document(doc_name: str, clerk_id: int, attempt: int = 0):
    """Apply the active routing rules to a registered document (a job after "Vào sổ").

    Acts in the name of the clerk who registered it. Does nothing when the clerk already moved
    the document on, or when it was routed before. When a rule reads the files' text and OCR
    is still running, it waits (re-queued a minute later, up to :data:`OCR_WAITS` times).
    Returns the Routing Log row, or None.
    """
    from django.conf import settings

    from eoffice.doctype.file import OcrStatus
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.doctype.user import User

    doc = IncomingDocument.objects.filter(name=doc_name).first()
    if doc is None or doc.workflow_state != "Đã vào sổ" or doc.secrecy != Secrecy.NORMAL:
        return None
    if RoutingLog.objects.filter(document=doc).exists():
        return None
    rules = active_rules()
    if not rules:
        return None
    text = None
    if any(r.needs_text for r in rules):
        waiting = doc.ocr_status in (OcrStatus.PENDING, OcrStatus.RUNNING)
        if waiting and attempt < OCR_WAITS and settings.JOBS_MODE != "inline":
            from eoffice.jobs import get_queue

            get_queue("short").enqueue_in(
                dt.timedelta(seconds=60), route_document, doc_name, clerk_id, attempt + 1
            )
            return None
        text = extracted_text(doc)
    rule, reason = first_match(doc, rules, text)
    if rule is None:
        return None
    clerk = User.objects.get(pk=clerk_id)
    return apply_rule(doc, rule, reason, clerk)


def apply_rule(doc, rule: RoutingRule, reason: str, clerk):
    """Route or propose ``doc`` by ``rule`` as ``clerk``; the Routing Log row (also on failure)."""
    from eoffice.exceptions import EofficeError
    from eoffice.workflows.engine import apply_workflow

    leader = rule.leader
    row = RoutingLog(
        document=doc,
        rule=rule,
        rule_name=rule.rule_name,
        action=rule.action,
        unit=rule.target_unit,
        leader=leader,
        reason=reason[:500],
        owner=clerk.name,
        modified_by=clerk.name,
    )
    comment = f"Theo quy tắc phân luồng «{rule.rule_name}» ({reason})."
    try:
        with transaction.atomic():
            row.status = (
                RoutingStatus.ROUTED
                if rule.action == RoutingAction.ROUTE
                else RoutingStatus.PROPOSED
            )
            row.save()
            if rule.action == RoutingAction.ROUTE:
                apply_workflow(
                    doc,
                    "Chuyển xử lý",
                    clerk,
                    comment=comment,
                    assignees=[{"unit": rule.target_unit.name, "handling_role": HandlingRole.LEAD}],
                )
            else:
                _propose(doc, rule, clerk, comment)
    except IntegrityError:  # routed by a concurrent job meanwhile
        return RoutingLog.objects.filter(document=doc).first()
    except (EofficeError, DjangoValidationError) as exc:
        message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
        log.warning("routing %s by %s failed: %s", doc.name, rule.rule_name, message)
        row.pk = None
        row.status, row.error = RoutingStatus.FAILED, str(message)[:500]
        try:
            row.save()
        except IntegrityError:
            pass
    return row


def _propose(doc, rule: RoutingRule, clerk, comment: str) -> None:
    """Prefill the direction with the rule's unit and submit the document to the leader."""
    from eoffice.doctype.incoming_document import IncomingDocumentAssignee
    from eoffice.workflows.engine import apply_workflow

    if not doc.assignees.exists():
        IncomingDocumentAssignee.objects.create(
            parent=doc, idx=1, unit=rule.target_unit, handling_role=HandlingRole.LEAD
        )
    data = {"leader": rule.leader.email} if rule.leader_id else {}
    apply_workflow(doc, "Trình lãnh đạo", clerk, comment=comment, **data)
    from eoffice.deadlines.reminders import describe, leaders_to_tell
    from eoffice.doctype.notification import NotificationKind, notify

    doc.refresh_from_db()
    notify(
        leaders_to_tell(doc),
        NotificationKind.ROUTING,
        {"doc": describe(doc), "rule": rule, "unit": rule.target_unit, "reason": comment},
        document_type="Incoming Document",
        document_name=doc.name,
        from_user=clerk,
    )


# ---------------------------------------------------------------------------------------
# Testing a rule on past documents


def dry_run(rule: RoutingRule, *, days: int = 180, limit: int = 2000, show: int = 200) -> dict:
    """What ``rule`` would have matched among the last registered documents.

    Looks at up to ``limit`` documents registered in the last ``days`` days (newest first; not
    secret ones), and tells for each match who actually led it, so the administrator sees how
    often the rule agrees with what leaders decided. Records the test on a saved rule, which
    may then be switched on. Changes nothing else.
    """
    from eoffice.doctype.assignment import Assignment
    from eoffice.doctype.incoming_document import IncomingDocument
    from eoffice.exceptions import ValidationError

    days = max(1, min(int(days), 3660))
    limit = max(1, min(int(limit), 20000))
    try:
        rule.clean_fields(exclude=["name", "rule_name", "owner", "modified_by", "target_unit"])
        saved_active, rule.is_active = rule.is_active, False
        try:
            rule.clean()
        finally:
            rule.is_active = saved_active
    except DjangoValidationError as exc:
        first = next(iter(exc.message_dict.values()))[0] if hasattr(exc, "message_dict") else exc
        raise ValidationError(str(first)) from None
    since = timezone.now() - dt.timedelta(days=days)
    qs = IncomingDocument.objects.filter(
        arrival_number__isnull=False, secrecy=Secrecy.NORMAL, arrival_date__gte=since
    )
    if rule.receiving_unit_id:
        qs = qs.filter(receiving_unit_id=rule.receiving_unit_id)
    if rule.document_type_id:
        qs = qs.filter(document_type_id=rule.document_type_id)
    docs = list(qs.select_related("document_type").order_by("-arrival_date", "-id")[:limit])
    matched: list[tuple] = []
    waiting_for_text = []
    for doc in docs:
        reason = rule.match(doc, None)
        if reason:
            matched.append((doc, reason))
        elif rule.needs_text:
            waiting_for_text.append(doc)
    for i in range(0, len(waiting_for_text), 200):  # the files' text, 200 documents a query
        chunk = {d.name: d for d in waiting_for_text[i : i + 200]}
        texts: dict[str, list[str]] = {}
        from eoffice.doctype.file import File

        for name, text in File.objects.filter(
            attached_to_doctype="Incoming Document", attached_to_name__in=list(chunk)
        ).values_list("attached_to_name", "extracted_text"):
            if text:
                texts.setdefault(name, []).append(text)
        for name, parts in texts.items():
            reason = rule.match(chunk[name], "\n".join(parts)[:MAX_TEXT])
            if reason:
                matched.append((chunk[name], reason))
    matched.sort(key=lambda m: (m[0].arrival_date, m[0].pk), reverse=True)
    leads = dict(
        Assignment.objects.filter(
            reference_doctype="Incoming Document",
            reference_name__in=[d.name for d, _r in matched],
            handling_role=HandlingRole.LEAD,
            parent_assignment=None,
        )
        .exclude(status="Đã thu hồi")
        .values_list("reference_name", "unit_id")
    )
    from eoffice.doctype.organization import OrganizationUnit

    unit_names = dict(
        OrganizationUnit.objects.filter(pk__in=set(leads.values())).values_list("pk", "unit_name")
    )
    agreed = sum(1 for d, _r in matched if leads.get(d.name) == rule.target_unit_id)
    decided = sum(1 for d, _r in matched if d.name in leads)
    result = {
        "rule": rule.name or None,
        "since": timezone.localdate(since).isoformat(),
        "checked": len(docs),
        "matched": len(matched),
        "decided": decided,
        "agreed": agreed,
        "documents": [
            {
                "name": d.name,
                "arrival_number": d.arrival_number,
                "arrival_date": timezone.localtime(d.arrival_date).date().isoformat(),
                "issuer": d.issuer,
                "document_number": d.document_number,
                "document_type": d.document_type.type_name,
                "summary": d.summary,
                "reason": reason,
                "actual_unit": unit_names.get(leads.get(d.name)),
                "agrees": leads.get(d.name) == rule.target_unit_id if d.name in leads else None,
            }
            for d, reason in matched[:show]
        ],
    }
    if rule.pk:
        summary = (
            f"{timezone.localtime():%d/%m/%Y %H:%M}: khớp {len(matched)}/{len(docs)} văn bản"
            f" từ {timezone.localdate(since):%d/%m/%Y}; lãnh đạo đã giao đúng đơn vị này "
            f"{agreed}/{decided}."
        )
        RoutingRule.objects.filter(pk=rule.pk).update(
            tested_on=timezone.now(), tested_fingerprint=rule.fingerprint(), tested_result=summary
        )
        rule.tested_fingerprint, rule.tested_result = rule.fingerprint(), summary
    return result
