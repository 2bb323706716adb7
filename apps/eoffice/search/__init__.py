"""Vietnamese full-text search over the site's documents, with Tantivy. See docs/search.md.

The public calls:

- :func:`search` — ranked, permission-filtered hits with snippets;
- :func:`scope_for` — the :class:`SearchScope` of a user (the one permission layer's facts);
- :func:`request_index` / :func:`request_index_for_file` — after a change commits, bring
  the index in step (a job on the ``short`` queue; within seconds);
- :func:`index_document`, :func:`delete_document`, :func:`rebuild` — direct writes, under
  the single-writer lock (jobs and ``eoffice search rebuild`` use them).

The index is derived data: MariaDB holds the truth and ``eoffice search rebuild`` recreates
the index from it. Documents come from the sources registered in
:mod:`eoffice.search.sources`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from eoffice.search.query import Filters, SearchScope, build_query

log = logging.getLogger(__name__)

__all__ = [
    "Filters",
    "Hit",
    "SearchScope",
    "delete_document",
    "index_document",
    "rebuild",
    "request_index",
    "request_index_for_file",
    "scope_for",
    "search",
]

SNIPPET_CHARS = 240


@dataclass
class Hit:
    """One search result: what it is, a snippet around the match, and its score."""

    doctype: str
    name: str
    title: str
    content: str  # plain-text snippet
    highlighted: str  # the snippet as HTML, matches in <b>, everything else escaped
    score: float
    document_type: str = ""
    workflow_state: str = ""
    date: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Results:
    hits: list[Hit]
    total: int


def scope_for(user) -> SearchScope:
    """What ``user`` may read, in the index's terms (from :mod:`eoffice.permissions`)."""
    from eoffice import permissions
    from eoffice.doctype.base import get_meta
    from eoffice.search import sources

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SearchScope(user_id=None)
    led = {
        unit for unit, role in permissions.memberships(user) if role in permissions.LEADING_ROLES
    }
    if permissions.is_admin(user):
        return SearchScope(user_id=user.pk, is_admin=True, led_units=frozenset(led))
    doctypes = set()
    for name in sources.doctypes():
        meta = get_meta(name)
        if meta is not None and permissions.role_allows(user, meta, "read"):
            doctypes.add(name)
    return SearchScope(
        user_id=user.pk,
        units=frozenset(permissions.units_in_scope(user)),
        led_units=frozenset(led),
        doctypes=frozenset(doctypes),
    )


def search(
    user_scope: SearchScope,
    text: str,
    doctype: str | None = None,
    filters: Filters | None = None,
    start: int = 0,
    limit: int = 20,
) -> Results:
    """Ranked hits for ``text`` that ``user_scope`` may read, ``start`` … ``start + limit``."""
    import tantivy

    from eoffice.search import index as idx
    from eoffice.search.schema import SCHEMA

    filters = filters or Filters()
    if doctype:
        filters.doctype = doctype
    start, limit = max(int(start or 0), 0), min(max(int(limit or 20), 1), 200)
    index = idx.reader_index()
    if index is None:
        return Results([], 0)
    query = build_query(text or "", user_scope, filters)
    searcher = index.searcher()
    found = searcher.search(query, limit=limit, offset=start, count=True)
    snippets = tantivy.SnippetGenerator.create(searcher, query, SCHEMA, "text_f")
    snippets.set_max_num_chars(SNIPPET_CHARS)
    hits = []
    for score, address in found.hits:
        doc = searcher.doc(address)
        snippet = snippets.snippet_from_doc(doc)
        fragment = snippet.fragment()
        if not fragment:
            body = (doc.get_first("text_f") or "").strip()
            fragment = body[:SNIPPET_CHARS]
        date = doc.get_first("date")
        hits.append(
            Hit(
                doctype=doc.get_first("doctype"),
                name=doc.get_first("name"),
                title=doc.get_first("title") or "",
                content=" ".join(fragment.split()),
                highlighted=snippet.to_html() or _escape(fragment),
                score=float(score),
                document_type=doc.get_first("document_type") or "",
                workflow_state=doc.get_first("workflow_state") or "",
                date=date.date().isoformat() if isinstance(date, datetime.datetime) else None,
            )
        )
    return Results(hits, found.count or 0)


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


# ---------------------------------------------------------------------------------------
# Writing


def index_document(doc: dict) -> None:
    """Add or replace one document now (takes the writer lock; prefer :func:`request_index`)."""
    from eoffice.search.writer import write

    write(upserts=[doc])


def delete_document(doctype: str, name: str) -> None:
    """Remove one document from the index now."""
    from eoffice.search.writer import write

    write(deletes=[(doctype, name)])


def rebuild(iter_docs: Iterable[dict] | None = None) -> int:
    """Recreate the index from ``iter_docs`` (default: every registered source); the count."""
    from eoffice.search.writer import rebuild as _rebuild

    return _rebuild(iter_docs)


def request_index(doctype: str, name: str) -> None:
    """Bring one document's index entry in step once the current transaction commits."""
    from eoffice.search.jobs import request

    request(doctype, name)


def request_index_for_file(file) -> None:
    """A File's text changed: reindex the document it is attached to, or the File itself."""
    from eoffice.search import sources

    if file.attached_to_doctype and sources.is_indexed(file.attached_to_doctype):
        request_index(file.attached_to_doctype, file.attached_to_name)
    elif not file.attached_to_doctype:
        request_index("File", file.name)
