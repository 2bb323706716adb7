"""Every write to a site's index: replace/delete documents, and rebuild. One writer at a time.

A document is replaced by deleting its ``key`` term and adding it again, in one commit, so a
search sees the old version or the new one, never neither.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from eoffice.search import index as idx
from eoffice.search.schema import key_of, to_document

log = logging.getLogger(__name__)


def write(
    upserts: Iterable[dict] = (),
    deletes: Iterable[tuple[str, str]] = (),
    lock_timeout: float = 30.0,
) -> int:
    """Apply changes in one commit under the writer lock; how many documents were touched."""
    upserts, deletes = list(upserts), list(deletes)
    if not upserts and not deletes:
        return 0
    with idx.writer_lock(timeout=lock_timeout):
        index = idx.writable_index()
        writer = index.writer(heap_size=idx.WRITER_HEAP, num_threads=1)
        try:
            for doctype, name in deletes:
                writer.delete_documents_by_term("key", key_of(doctype, name))
            for doc in upserts:
                writer.delete_documents_by_term("key", key_of(doc["doctype"], doc["name"]))
                writer.add_document(to_document(doc))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
    return len(upserts) + len(deletes)


def rebuild(docs: Iterable[dict] | None = None, lock_timeout: float = 600.0) -> int:
    """Write every document into a new generation and switch to it; the number written.

    Holds the writer lock throughout, so index jobs wait (their changes stay queued, see
    :mod:`eoffice.search.jobs`) and are applied to the new generation afterwards: a change
    made while the rebuild ran is never lost.
    """
    from eoffice.search import sources

    started = time.monotonic()
    with idx.writer_lock(timeout=lock_timeout):
        generation, index = idx.new_generation()
        writer = index.writer(heap_size=idx.REBUILD_HEAP, num_threads=1)
        count = 0
        try:
            for doc in docs if docs is not None else sources.iter_all():
                writer.add_document(to_document(doc))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        idx.switch_to(generation)
    log.info("search index rebuilt: %s documents in %.1fs", count, time.monotonic() - started)
    return count
