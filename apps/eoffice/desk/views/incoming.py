"""Incoming documents in the desk: the clerk's register form and the register ("Sổ văn bản đến").

- ``/app/incoming-document/new`` ("Tiếp nhận văn bản đến"): the fields of the paper in the
  order the paper shows them, files (several; read by OCR, whose fields prefill the form with
  a "từ OCR" mark), the duplicate warning (same issuer and số ký hiệu this year, from
  :func:`eoffice.doctype.incoming_document.find_duplicates`). Saved, the document waits "Chờ
  tiếp nhận" for "Vào sổ" on its page.
- ``/app/incoming-document/<name>/edit``: the same form while the workflow lets the person edit.
- ``/app/incoming-document``: the register in Decree 30's columns, with filters, paged, one
  query for a page's rows; ``?view=<home block>`` lists what a home page count counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice.constants import HandlingRole, Urgency
from eoffice.desk import document_page as dp
from eoffice.desk.access import visible, visible_doc
from eoffice.desk.badges import row_badges
from eoffice.desk.context import render_desk
from eoffice.desk.fields import parse_date
from eoffice.desk.home import find_block, load_sections
from eoffice.desk.incoming_forms import IncomingDocumentForm, active_document_types, ocr_prefill
from eoffice.desk.labels import choice_label
from eoffice.desk.sections import between_days
from eoffice.desk.views.documents import attach_uploaded, store_uploads
from eoffice.doctype.base import get_meta
from eoffice.doctype.incoming_document import (
    DOCTYPE,
    find_duplicates,
    receiving_units_for,
)
from eoffice.permissions import role_allows

PAGE_SIZE = 30
URGENT = {Urgency.URGENT.value, Urgency.VERY_URGENT.value, Urgency.FLASH.value}


def _forbidden(request, message: str, status: int = 403):
    return render_desk(
        request,
        "desk/forbidden.html",
        {"title": _("Không có quyền truy cập"), "message": message},
        status=status,
    )


def past_issuers(user, limit: int = 300) -> list[str]:
    """Issuers of the documents the person may read, the most recent first (the suggestions
    of the "Cơ quan ban hành" input)."""
    since = timezone.now() - datetime.timedelta(days=400)
    rows = (
        visible(user, DOCTYPE)
        .filter(arrival_date__gte=since)
        .values("issuer")
        .annotate(last=models.Max("arrival_date"))
        .order_by("-last")[:limit]
    )
    return [r["issuer"] for r in rows]


def _files_from_names(user, names):
    from eoffice.doctype.file import File

    names = [n for n in names if n][:50]
    if not names:
        return []
    return list(
        File.objects.filter(name__in=names, owner=user.email, attached_to_doctype="").order_by(
            "creation"
        )
    )


def _form_page(request, form, *, doc=None, uploaded=(), duplicates=(), status=200, **extra):
    initial_ocr = extra.pop("from_ocr", set())
    return render_desk(
        request,
        "desk/incoming/register_form.html",
        {
            "title": _("Sửa văn bản đến") if doc else _("Tiếp nhận văn bản đến"),
            "form": form,
            "doc": doc,
            "document_types": active_document_types(),
            "issuers": past_issuers(request.user),
            "uploaded": uploaded,
            "duplicates": duplicates,
            "from_ocr": initial_ocr,
            "i18n": {
                "duplicate": _("Năm nay đã có %(n)s văn bản của «%(issuer)s» số «%(number)s»."),
                "arrival": _("Số đến"),
                "ocrStatus": _("Nhận dạng"),
                "uploading": _("Đang tải lên…"),
                "uploadFailed": _("Không tải lên được"),
                "remove": _("Bỏ tệp"),
                "prefilled": _("Đã điền %(n)s ô từ tệp (OCR): anh/chị kiểm tra lại."),
            },
            **extra,
        },
        active="register_new",
        status=status,
    )


@login_required
def register_new(request):
    """``/app/incoming-document/new``: the clerk registers a document received."""
    user = request.user
    meta = get_meta(DOCTYPE)
    units = receiving_units_for(user)
    if not role_allows(user, meta, "create") or not units:
        return _forbidden(
            request,
            _("Chỉ văn thư của đơn vị nhận văn bản mới tiếp nhận văn bản đến."),
        )
    if request.method != "POST":
        uploaded = _files_from_names(user, request.GET.getlist("file"))
        initial, marked = ocr_prefill(uploaded)
        form = IncomingDocumentForm(initial=initial, user=user, units=units)
        return _form_page(request, form, uploaded=uploaded, from_ocr=marked)

    form = IncomingDocumentForm(request.POST, user=user, units=units)
    uploaded = _files_from_names(user, request.POST.getlist("file_names"))
    from_ocr = set(request.POST.getlist("from_ocr"))
    if not form.is_valid():
        return _form_page(request, form, uploaded=uploaded, status=400, from_ocr=from_ocr)
    data = form.cleaned_data
    duplicates = find_duplicates(data["issuer"], data["document_number"], user=user)
    if duplicates and not request.POST.get("confirm_duplicate"):
        form.add_error(
            "document_number",
            _(
                "Năm nay đã có văn bản của «%(issuer)s» số «%(number)s». Kiểm tra danh sách "
                "dưới đây; nếu đúng là văn bản khác, đánh dấu «Vẫn lưu» rồi lưu lại."
            )
            % {"issuer": data["issuer"], "number": data["document_number"]},
        )
        return _form_page(
            request,
            form,
            uploaded=uploaded,
            duplicates=duplicates,
            status=400,
            from_ocr=from_ocr,
            ask_confirm=True,
        )
    try:
        with transaction.atomic():
            doc = form.save(commit=False)
            doc.owner = user.name
            doc.modified_by = user.name
            doc.save()
            stored = store_uploads(request.FILES.getlist("files"), doc, user)
            stored += attach_uploaded([f.name for f in uploaded], doc, user)
    except exc.EofficeError as error:
        form.add_error(None, error.message)
        return _form_page(
            request, form, uploaded=uploaded, status=400, from_ocr=from_ocr, file_error=True
        )
    messages.success(
        request,
        _("Đã lưu văn bản đến «%(number)s» (%(files)s tệp). Bấm «Vào sổ» để cấp số đến.")
        % {"number": doc.document_number, "files": len(stored)},
    )
    return redirect(dp.doc_base_url(doc))


@login_required
def register_edit(request, name: str):
    """``/app/incoming-document/<name>/edit``: correct what was typed, while the state allows."""
    from eoffice.permissions import has_permission
    from eoffice.workflows.engine import can_edit

    user = request.user
    doc = visible_doc(user, DOCTYPE, name, "receiving_unit", "document_type")
    if not (can_edit(doc, user) and has_permission(user, doc._doctype, "write", doc)):
        return _forbidden(
            request,
            _("Văn bản đang ở trạng thái «%(state)s»: anh/chị không sửa được.")
            % {"state": choice_label(doc.workflow_state)},
        )
    units = receiving_units_for(user) or [doc.receiving_unit]
    if doc.receiving_unit not in units:
        units = [doc.receiving_unit, *units]
    if request.method != "POST":
        return _form_page(request, IncomingDocumentForm(instance=doc, units=units), doc=doc)
    form = IncomingDocumentForm(request.POST, instance=doc, units=units)
    if not form.is_valid():
        return _form_page(request, form, doc=doc, status=400)
    saved = form.save(commit=False)
    saved.modified_by = user.name
    saved.save()
    messages.success(request, _("Đã lưu thay đổi."))
    return redirect(dp.doc_base_url(saved))


# ---------------------------------------------------------------------------------------
# The register


@dataclass
class Filters:
    """The register's filters, read from the query string (dates typed dd/mm/yyyy)."""

    date_from: str = ""
    date_to: str = ""
    issuer: str = ""
    document_type: str = ""
    state: str = ""
    urgency: str = ""
    unit: str = ""
    q: str = ""

    @classmethod
    def from_request(cls, request, default_year: bool):
        get = request.GET
        f = cls(**{k: (get.get(k) or "").strip() for k in cls.__dataclass_fields__})
        if default_year and "date_from" not in get and "date_to" not in get:
            f.date_from = f"01/01/{timezone.localdate().year}"
        return f

    def apply(self, qs, notices: list):
        first, last = parse_date(self.date_from), parse_date(self.date_to)
        for text, day in ((self.date_from, first), (self.date_to, last)):
            if text and day is None:
                notices.append(
                    _("Ngày «%(value)s» không hợp lệ (dd/mm/yyyy): bỏ qua.") % {"value": text}
                )
        if first or last:
            qs = between_days(
                qs,
                "arrival_date",
                first or datetime.date(1900, 1, 1),
                last or datetime.date(2999, 12, 31),
            )
        if self.issuer:
            qs = qs.filter(issuer__icontains=self.issuer)
        if self.document_type:
            qs = qs.filter(document_type__name=self.document_type)
        if self.state:
            qs = qs.filter(workflow_state=self.state)
        if self.urgency == "urgent":
            qs = qs.filter(urgency__in=URGENT)
        elif self.urgency:
            qs = qs.filter(urgency=self.urgency)
        if self.unit:
            from eoffice.doctype.assignment import Assignment, AssignmentStatus

            handled = (
                Assignment.objects.filter(reference_doctype=DOCTYPE, unit__name=self.unit)
                .exclude(status=AssignmentStatus.RECALLED)
                .values("reference_name")
            )
            qs = qs.filter(models.Q(name__in=handled) | models.Q(receiving_unit__name=self.unit))
        if self.q:
            qs = qs.filter(
                models.Q(summary__icontains=self.q)
                | models.Q(document_number__icontains=self.q)
                | models.Q(issuer__icontains=self.q)
            )
        return qs

    @property
    def active(self) -> bool:
        return any(getattr(self, k) for k in self.__dataclass_fields__)


def with_recipient(qs):
    """Annotate the register's "Đơn vị hoặc người nhận": the lead (Chủ trì) unit or person of
    the direction, else the leader it was submitted to — in the same query as the rows."""
    from eoffice.doctype.assignment import Assignment, AssignmentStatus

    lead = Assignment.objects.filter(
        reference_doctype=DOCTYPE,
        reference_name=OuterRef("name"),
        handling_role=HandlingRole.LEAD,
        parent_assignment__isnull=True,
    ).exclude(status=AssignmentStatus.RECALLED)
    return qs.annotate(
        recipient=Coalesce(
            Subquery(lead.order_by("-id").values("assigned_to__full_name")[:1]),
            Subquery(lead.order_by("-id").values("unit__unit_name")[:1]),
            F("leader__full_name"),
        ),
    )


def states() -> list[tuple[str, str]]:
    from eoffice.workflows.engine import get_workflow

    wf = get_workflow(DOCTYPE)
    if wf is None:
        return []
    return [(s, choice_label(wf.label_of(s))) for s in wf.states]


@login_required
def register(request):
    """``/app/incoming-document``: "Sổ văn bản đến" in Decree 30's columns."""
    from eoffice.doctype.organization import OrganizationUnit
    from eoffice.permissions import is_admin, units_in_scope

    user = request.user
    meta = get_meta(DOCTYPE)
    if not role_allows(user, meta, "read"):
        return _forbidden(request, _("Vai trò của anh/chị không được xem danh sách này."))
    load_sections()
    notices: list[str] = []
    view = request.GET.get("view")
    block = find_block(view) if view else None
    if view and (block is None or block.doctype != DOCTYPE):
        notices.append(
            _("Không tìm thấy bộ lọc “%(view)s”; đang hiện toàn bộ danh sách.") % {"view": view}
        )
        block = None
    qs = block.queryset(user) if block else visible(user, DOCTYPE)
    filters = Filters.from_request(request, default_year=block is None)
    qs = filters.apply(qs, notices)
    qs = with_recipient(qs).select_related("document_type", "receiving_unit")
    order = request.GET.get("order") == "asc"
    number = (
        F("arrival_number").asc(nulls_last=True)
        if order
        else F("arrival_number").desc(nulls_first=True)
    )
    qs = qs.order_by(number, "-arrival_date" if not order else "arrival_date", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "doc": doc,
            "arrival": format_arrival(doc),
            "badges": row_badges(doc),
            "urgent": doc.urgency in URGENT,
            "state": choice_label(doc.workflow_state),
        }
        for doc in page.object_list
    ]
    keep = request.GET.copy()
    keep.pop("page", None)
    units = OrganizationUnit.objects.filter(is_active=True)
    if not is_admin(user):
        units = units.filter(pk__in=units_in_scope(user))
    return render_desk(
        request,
        "desk/incoming/register.html",
        {
            "title": block.label if block else _("Sổ văn bản đến"),
            "block": block,
            "rows": rows,
            "page": page,
            "filters": filters,
            "notices": notices,
            "states": states(),
            "urgencies": [(u, choice_label(u)) for u in Urgency.values],
            "document_types": active_document_types(),
            "units": units.order_by("path").only("name", "unit_name", "depth"),
            "query_without_page": keep.urlencode(),
            "can_register": bool(receiving_units_for(user)) and role_allows(user, meta, "create"),
            "order_asc": order,
        },
        active="register",
    )


def format_arrival(doc) -> str:
    """ "Ngày đến" as the register writes it: the date, and the time for urgent documents."""
    when = timezone.localtime(doc.arrival_date)
    return f"{when:%d/%m/%Y %H:%M}" if doc.urgency in URGENT else f"{when:%d/%m/%Y}"
