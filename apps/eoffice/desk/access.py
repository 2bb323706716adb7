"""Finding what a person may open in the desk, and where it lives.

Every desk page that shows one document asks :func:`visible_doc`: the row of that DocType if
the one permission layer (:func:`eoffice.permissions.filter_queryset`) lets the person read it,
else 404 — the same answer as for a row that does not exist, so a hidden document is never
revealed. :func:`doc_url` is the desk page of a row ("/app/incoming-document/VBD-2017-000001").
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from eoffice.doctype.base import get_meta
from eoffice.permissions import filter_queryset

#: DocTypes that have a page of their own in the desk (Frappe's route: /app/<slug>/<name>).
DOCUMENT_PAGES = {
    "Incoming Document": "incoming-document",
    "Task": "task",
}


def doc_url(doctype: str, name: str) -> str | None:
    """The desk page of a row, or None when its DocType has no page here."""
    slug = DOCUMENT_PAGES.get(doctype)
    return f"/app/{slug}/{name}" if slug else None


def visible(user, doctype: str):
    """The rows of ``doctype`` the person may read (an empty queryset when none)."""
    meta = get_meta(doctype)
    if meta is None:
        raise Http404(_("Không có loại tài liệu này."))
    return filter_queryset(user, meta, meta.model.objects.all(), "read")


def visible_doc(user, doctype: str, name: str, *related: str):
    """The row ``name`` of ``doctype`` if the person may read it; 404 otherwise."""
    qs = visible(user, doctype).filter(name=name)
    if related:
        qs = qs.select_related(*related)
    doc = qs.first()
    if doc is None:
        raise Http404(_("Không tìm thấy tài liệu, hoặc anh/chị không có quyền xem."))
    return doc


def references(user, assignments) -> dict[tuple[str, str], object]:
    """The documents and tasks a list of assignments refers to, one query per DocType.

    Keyed by (doctype, name); rows the person may not read (a secret document they are not
    named on) are absent, so a list never shows what its page would refuse.
    """
    wanted: dict[str, set[str]] = {}
    for a in assignments:
        wanted.setdefault(a.reference_doctype, set()).add(a.reference_name)
    found = {}
    for doctype, names in wanted.items():
        if get_meta(doctype) is None:
            continue
        for row in visible(user, doctype).filter(name__in=names):
            found[(doctype, row.name)] = row
    return found
