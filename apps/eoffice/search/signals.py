"""Model signals that bring the index in step after every change that touches a document.

A searchable document changes when its own row changes, when an Assignment of it is given,
handed on or recalled (its readers change), and when a File attached to it is read or
removed. Each handler only notes the document (:func:`eoffice.search.request_index`, after
commit); the index job reads the database afterwards, so handlers stay cheap.

Connected by :func:`connect` (idempotent), called when ``eoffice.signals`` is loaded at start.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

_connections: list[tuple] = []  # (signal, receiver, sender) as connected


def _document_changed(sender, instance, **kwargs):
    from eoffice.search import request_index, sources

    doctype = getattr(getattr(sender, "_doctype", None), "name", None)
    if doctype and sources.is_indexed(doctype) and instance.name:
        request_index(doctype, instance.name)


def _assignment_changed(sender, instance, **kwargs):
    from eoffice.search import request_index, sources

    if instance.reference_doctype and sources.is_indexed(instance.reference_doctype):
        request_index(instance.reference_doctype, instance.reference_name)


def _file_changed(sender, instance, **kwargs):
    from eoffice.search import request_index_for_file

    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"extracted_text", "attached_to_name"} & set(
        update_fields
    ):
        return
    request_index_for_file(instance)


def disconnect() -> None:
    """Undo :func:`connect` (tests that want the index left alone)."""
    while _connections:
        signal, receiver, sender = _connections.pop()
        signal.disconnect(receiver, sender=sender)


def _connect(receiver, sender) -> None:
    for signal in (post_save, post_delete):
        signal.connect(receiver, sender=sender, weak=False)
        _connections.append((signal, receiver, sender))


def connect() -> None:
    """Connect the handlers to the searchable DocTypes, Assignment and File (once)."""
    if _connections:
        return
    from eoffice.doctype.base import get_meta
    from eoffice.doctype.file import File
    from eoffice.search import sources

    for doctype in sources.doctypes():
        meta = get_meta(doctype)
        if doctype != "File" and meta is not None:
            _connect(_document_changed, meta.model)
    try:
        from eoffice.doctype.assignment import Assignment
    except ImportError:  # pragma: no cover  (a tree without assignments)
        Assignment = None
    if Assignment is not None:
        _connect(_assignment_changed, Assignment)
    _connect(_file_changed, File)
