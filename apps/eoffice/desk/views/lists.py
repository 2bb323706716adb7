"""``/app/<doctype>``: the list of a DocType's rows that the person may read (Frappe's route).

``?view=<block key>`` narrows it to exactly what a home page block counts; ``?q=`` searches the
DocType's search fields (the database collation folds accents: "dong du" finds "Đông Dư");
``?<field>=<value>`` filters on a plain field. Specialised lists (the incoming register, an
inbox) will replace this generic one for their DocTypes; it keeps every count clickable.
"""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from eoffice.desk.access import DOCUMENT_PAGES, doc_url
from eoffice.desk.badges import row_badges
from eoffice.desk.context import render_desk
from eoffice.desk.home import doctype_slug, find_block
from eoffice.desk.labels import choice_label
from eoffice.doctype.base import REGISTRY
from eoffice.permissions import filter_queryset, role_allows

PAGE_SIZE = 20
MAX_COLUMNS = 6
#: Fields worth a column when a DocType has them, after its title and search fields.
USEFUL_FIELDS = (
    "user",
    "delegate",
    "role",
    "arrival_number",
    "document_number",
    "summary",
    "unit",
    "assigned_to",
    "handling_role",
    "workflow_state",
    "status",
    "deadline",
    "kind",
    "parent",
    "direction",
    "year",
)
RESERVED_PARAMS = {"view", "q", "page"}


def meta_for_slug(slug: str):
    for meta in REGISTRY.values():
        if doctype_slug(meta.name) == slug:
            return meta
    return None


def columns_for(meta) -> list[models.Field]:
    """The list's columns: the title field, the search fields, then useful known fields."""
    title = meta.title_field
    if title is None and getattr(meta.model, "autoname", "") != "hash":
        title = "name"  # a random hash name tells the reader nothing
    names = [n for n in (title, *meta.search_fields, *USEFUL_FIELDS) if n]
    fields: list[models.Field] = []
    for name in names:
        if name in meta.hidden_fields or name in [f.name for f in fields]:
            continue
        try:
            field = meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            fields.append(field)
    return fields[:MAX_COLUMNS]


def display(obj, field: models.Field) -> str:
    """A cell as the reader reads it: choice labels, dd/mm/yyyy, "Có"/"Không", "—" for empty."""
    value = getattr(obj, field.name)
    if field.choices and isinstance(value, str):
        value = choice_label(value)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return localize(timezone.localtime(value))
    if isinstance(value, datetime.date | int | float):
        return localize(value)
    return str(value)


def _admin_link(request, model):
    """A function giving the Django admin page of a row, when the person may open it there."""
    if not request.user.is_staff or not admin.site.is_registered(model):
        return None
    if not admin.site.get_model_admin(model).has_view_or_change_permission(request):
        return None
    info = (model._meta.app_label, model._meta.model_name)

    def link(obj):
        try:
            return reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        except NoReverseMatch:
            return None

    return link


@login_required
def doctype_list(request, slug: str):
    """The rows of one DocType that the person may read, narrowed as the query string asks."""
    meta = meta_for_slug(slug)
    if meta is None:
        raise Http404(_("Không có danh sách này."))
    if not role_allows(request.user, meta, "read"):
        return render_desk(
            request,
            "desk/forbidden.html",
            {
                "title": _("Không có quyền truy cập"),
                "message": _("Vai trò của anh/chị không được xem danh sách này."),
            },
            status=403,
        )

    qs = filter_queryset(request.user, meta, meta.model.objects.all(), "read")
    title = meta.model._meta.verbose_name_plural
    notices = []
    block = None
    view = request.GET.get("view")
    if view:
        block = find_block(view)
        if block is None or block.doctype != meta.name or block.admin_url:
            notices.append(
                _("Không tìm thấy bộ lọc “%(view)s”; đang hiện toàn bộ danh sách.") % {"view": view}
            )
            block = None
        else:
            qs = block.queryset(request.user)
            title = block.label

    for param, value in request.GET.items():
        if param in RESERVED_PARAMS:
            continue
        try:
            field = meta.model._meta.get_field(param)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.concrete or field.is_relation or param in meta.hidden_fields:
            notices.append(_("Không lọc được theo “%(field)s”.") % {"field": param})
            continue
        try:
            qs = qs.filter(**{param: value})
        except (ValueError, ValidationError):
            notices.append(
                _("Giá trị “%(value)s” không hợp lệ cho “%(field)s”.")
                % {"value": value, "field": param}
            )

    q = request.GET.get("q", "").strip()
    if q and meta.search_fields:
        match = models.Q()
        for name in meta.search_fields:
            match |= models.Q(**{f"{name}__icontains": q})
        qs = qs.filter(match)

    if not qs.query.order_by and not meta.model._meta.ordering:
        qs = qs.order_by("-pk")
    columns = columns_for(meta)
    related = [f.name for f in columns if f.is_relation]
    if related:
        qs = qs.select_related(*related)

    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if meta.name in DOCUMENT_PAGES:  # a document or task: its own page in the desk
        link = lambda obj: doc_url(meta.name, obj.name)  # noqa: E731
    else:
        link = _admin_link(request, meta.model)
    rows = [
        {
            "cells": [display(obj, f) for f in columns],
            "badges": row_badges(obj),
            "url": link(obj) if link else None,
        }
        for obj in page.object_list
    ]
    keep = request.GET.copy()
    keep.pop("page", None)
    return render_desk(
        request,
        "desk/list.html",
        {
            "title": title,
            "meta": meta,
            "doctype_label": meta.model._meta.verbose_name_plural,
            "list_url": reverse("desk:list", args=[slug]),
            "block": block,
            "columns": [f.verbose_name for f in columns],
            "rows": rows,
            "page": page,
            "q": q,
            "notices": notices,
            "searchable": bool(meta.search_fields),
            "query_without_page": keep.urlencode(),
        },
    )
