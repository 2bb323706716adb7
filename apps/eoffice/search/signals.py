"""Model signals that bring the index in step after every change that touches a document.

A searchable document changes when its own row changes, when an Assignment of it is given,
handed on or recalled (its readers change), and when a File attached to it is read or
removed. Each handler only notes the document (:func:`eoffice.search.request_index`, after
commit); the index job reads the database afterwards, so handlers stay cheap.

Connected by :func:`connect` (idempotent), called when ``eoffice.signals`` is loaded at start.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

_connected = False


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


def connect() -> None:
    """Connect the handlers to the searchable DocTypes, Assignment and File (once)."""
    global _connected
    if _connected:
        return
    _connected = True
    from eoffice.doctype.file import File
    from eoffice.search import sources

    sources._ensure_registered()
    for doctype in sources.SOURCES:
        if doctype == "File":
            continue
        from eoffice.doctype.base import get_meta

        meta = get_meta(doctype)
        if meta is None:
            continue
        for signal in (post_save, post_delete):
            signal.connect(
                _document_changed, sender=meta.model, dispatch_uid=f"search-{doctype}-{signal}"
            )
    try:
        from eoffice.doctype.assignment import Assignment
    except ImportError:  # pragma: no cover
        Assignment = None
    if Assignment is not None:
        for signal in (post_save, post_delete):
            signal.connect(
                _assignment_changed, sender=Assignment, dispatch_uid=f"search-assignment-{signal}"
            )
    for signal in (post_save, post_delete):
        signal.connect(_file_changed, sender=File, dispatch_uid=f"search-file-{signal}")
