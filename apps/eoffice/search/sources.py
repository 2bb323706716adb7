"""Where index documents come from: one registered source per searchable DocType.

A source turns rows of the database into *index dicts*::

    {"doctype", "name", "title", "summary", "document_number", "issuer", "text",
     "document_type", "date", "workflow_state", "secrecy",
     "units": [unit ids], "users": [user ids], "readers": [user ids], "lead_units": [unit ids]}

The last four carry the permission rule of the DocType into the index, so that a search
filters as it ranks (see :func:`eoffice.search.query.permission_query`):

- ``units``: units whose members (and whose leaders' superiors) read the document;
- ``users``: people it is assigned to (they read it even outside their units);
- ``readers``: for a secret document, the people named on it (the only ones who read it);
- ``lead_units``: for a secret document, units whose *leaders* read it (an assignment to a
  unit with no named person).

A DocType plugs in with :func:`register`: ``load(name) -> dict | None`` (None: not indexed,
e.g. deleted) and ``iter_all() -> iterable of dicts`` (for a rebuild, in batches).
"Incoming Document" and "File" register here; "Outgoing Document" registers the same way
once it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

BATCH = 500


@dataclass
class Source:
    doctype: str
    load: Callable[[str], dict | None]
    iter_all: Callable[[], Iterable[dict]]


SOURCES: dict[str, Source] = {}


def register(
    doctype: str, load: Callable[[str], dict | None], iter_all: Callable[[], Iterable[dict]]
):
    """Make ``doctype`` searchable (once; registering again replaces the functions)."""
    SOURCES[doctype] = Source(doctype, load, iter_all)


def load(doctype: str, name: str) -> dict | None:
    """The index dict of one document, or None if it is not (or no longer) to be indexed."""
    _ensure_registered()
    source = SOURCES.get(doctype)
    return source.load(name) if source else None


def iter_all() -> Iterator[dict]:
    """Every index dict of every source (what a rebuild writes)."""
    _ensure_registered()
    for source in list(SOURCES.values()):
        yield from source.iter_all()


def doctypes() -> list[str]:
    """The DocTypes that are searchable."""
    _ensure_registered()
    return list(SOURCES)


def is_indexed(doctype: str) -> bool:
    _ensure_registered()
    return doctype in SOURCES


# ---------------------------------------------------------------------------------------
# The sources of this app


_registered = False


def _ensure_registered() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    register("File", load_file, iter_files)
    try:
        from eoffice.doctype import incoming_document  # noqa: F401
    except ImportError:  # pragma: no cover  (older trees without incoming documents)
        return
    register("Incoming Document", load_incoming, iter_incoming)


def _user_ids_by_email(emails: Iterable[str]) -> dict[str, int]:
    from eoffice.doctype.user import User

    emails = {e for e in emails if e}
    if not emails:
        return {}
    return dict(User.objects.filter(email__in=emails).values_list("email", "pk"))


# "File": only files on their own (an attachment is searched as part of its document).


def _file_dicts(rows) -> list[dict]:
    owners = _user_ids_by_email(r.owner for r in rows)
    out = []
    for f in rows:
        owner = owners.get(f.owner)
        out.append(
            {
                "doctype": "File",
                "name": f.name,
                "title": f.file_name,
                "summary": f.file_name,
                "text": f.extracted_text,
                "date": f.creation.date() if f.creation else None,
                "secrecy": "Thường",
                "units": [],
                # An unattached file is read by whoever uploaded it (eoffice.doctype.file).
                "users": [owner] if owner else [],
            }
        )
    return out


def _standalone_files():
    from eoffice.doctype.file import File

    return File.objects.filter(attached_to_doctype="")


def load_file(name: str) -> dict | None:
    rows = list(_standalone_files().filter(name=name))
    return _file_dicts(rows)[0] if rows else None


def iter_files() -> Iterator[dict]:
    qs = _standalone_files().order_by("pk")
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last)[:BATCH])
        if not rows:
            return
        yield from _file_dicts(rows)
        last = rows[-1].pk


# "Incoming Document": the reading rule of eoffice.doctype.incoming_document.incoming_scope.


def _incoming_dicts(docs) -> list[dict]:
    from eoffice.constants import Secrecy
    from eoffice.doctype.assignment import Assignment, AssignmentStatus
    from eoffice.doctype.file import File
    from eoffice.doctype.incoming_document import DOCTYPE

    names = [d.name for d in docs]
    assignments: dict[str, list[tuple[int, int | None]]] = {n: [] for n in names}
    rows = (
        Assignment.objects.filter(reference_doctype=DOCTYPE, reference_name__in=names)
        .exclude(status=AssignmentStatus.RECALLED)
        .values_list("reference_name", "unit_id", "assigned_to_id")
    )
    for ref, unit, user in rows:
        assignments[ref].append((unit, user))
    texts: dict[str, list[str]] = {n: [] for n in names}
    files = (
        File.objects.filter(attached_to_doctype=DOCTYPE, attached_to_name__in=names)
        .exclude(extracted_text="")
        .order_by("pk")
        .values_list("attached_to_name", "extracted_text")
    )
    for ref, text in files:
        texts[ref].append(text)
    owners = _user_ids_by_email(d.owner for d in docs)
    out = []
    for d in docs:
        assigned = assignments[d.name]
        secret = d.secrecy != Secrecy.NORMAL
        users = sorted({u for _unit, u in assigned if u})
        readers: set[int] = set()
        lead_units: set[int] = set()
        if secret:
            readers = set(users) | {
                x
                for x in (owners.get(d.owner), d.registered_by_id, d.leader_id, d.directed_by_id)
                if x
            }
            lead_units = {unit for unit, user in assigned if user is None}
        out.append(
            {
                "doctype": DOCTYPE,
                "name": d.name,
                "title": d.summary,
                "summary": d.summary,
                "document_number": d.document_number,
                "issuer": d.issuer,
                "text": "\n\n".join(texts[d.name] + ([d.direction] if d.direction else [])),
                "document_type": d.document_type_id and d.document_type.name,
                "date": d.document_date,
                "workflow_state": d.workflow_state,
                "secrecy": d.secrecy,
                "units": sorted({d.receiving_unit_id} | {unit for unit, _u in assigned}),
                "users": users,
                "readers": sorted(readers),
                "lead_units": sorted(lead_units),
            }
        )
    return out


def _incoming():
    from eoffice.doctype.incoming_document import IncomingDocument

    return IncomingDocument.objects.select_related("document_type")


def load_incoming(name: str) -> dict | None:
    rows = list(_incoming().filter(name=name))
    return _incoming_dicts(rows)[0] if rows else None


def iter_incoming() -> Iterator[dict]:
    qs = _incoming().order_by("pk")
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last)[:BATCH])
        if not rows:
            return
        yield from _incoming_dicts(rows)
        last = rows[-1].pk
