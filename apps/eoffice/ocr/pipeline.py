"""The intake chain run for one "File": preflight, pages, combine, searchable PDF.

Every step can run again, in any worker, after any crash, and gives the same result:

- a page's result is kept by the content's hash (:mod:`eoffice.ocr.store`) and skipped once
  kept, so a retried or duplicated page job does no work twice;
- :func:`combine` joins the pages in order under a row lock and writes the File only if its
  content is still the one that was read; it runs whenever a page finishes and finds all
  pages there (two finishing at once both write the same thing);
- a File already "Hoàn tất" for its content is left alone unless ``force`` is given.

Status: "Chờ xử lý" (queued) → "Đang xử lý" (a job started) → "Hoàn tất", or "Lỗi" with the
reason in ``ocr_error`` (the job retries with back-off; a later success moves it on to
"Hoàn tất"). A file with nothing to read (a .doc) ends "Không cần".
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import F

from eoffice.doctype.file import File, OcrStatus
from eoffice.ocr import store
from eoffice.ocr.fields import extract_fields
from eoffice.ocr.parse import read_page
from eoffice.ocr.preflight import Plan, preflight

log = logging.getLogger(__name__)

PAGE_SEPARATOR = "\f"  # a form feed between pages, as pdftotext and Tesseract write them


def load_file(name: str) -> File | None:
    return File.objects.filter(name=name).first()


def mark_running(name: str) -> None:
    """ "Đang xử lý", one more attempt counted; a finished file is not moved back."""
    File.objects.filter(name=name).exclude(
        ocr_status__in=[OcrStatus.DONE, OcrStatus.NOT_NEEDED]
    ).update(ocr_status=OcrStatus.RUNNING, ocr_attempts=F("ocr_attempts") + 1)


def mark_failed(name: str, reason: str, content_hash: str | None = None) -> None:
    """ "Lỗi" with the reason the clerk reads; never overwrites a finished result."""
    rows = File.objects.filter(name=name).exclude(ocr_status=OcrStatus.DONE)
    if content_hash:
        rows = rows.filter(content_hash=content_hash)
    rows.update(ocr_status=OcrStatus.FAILED, ocr_error=reason[:2000])


def is_done(file: File) -> bool:
    """Read already, for the content it has now."""
    return (
        file.ocr_status in (OcrStatus.DONE, OcrStatus.NOT_NEEDED)
        and file.ocr_fields.get("sha256") == file.content_hash
    )


def process(
    name: str,
    force: bool = False,
    fan_out: Callable[[str, Plan, list[int]], None] | None = None,
) -> str | None:
    """Read the File ``name``; its status afterwards (None if it no longer exists).

    ``fan_out(name, plan, pages)`` hands pages to other workers; this call reads the first
    missing page itself (the one the clerk's form needs) and, without ``fan_out``, all of them.
    """
    file = load_file(name)
    if file is None:
        return None
    if is_done(file) and not force:
        return file.ocr_status
    if force:
        store.discard_pages(file.content_hash)
    mark_running(name)
    plan = preflight(file.path, file.content_hash)
    if plan.kind == "none":
        return _finish_without_text(name, plan)
    todo = [i for i in range(plan.page_count) if store.load_page(plan.sha256, i) is None]
    if todo and fan_out and len(todo) > 1:
        fan_out(name, plan, todo[1:])
        todo = todo[:1]
    for index in todo:
        read_and_keep(plan, index)
        if index == 0:
            _prefill(name, plan)
    return combine(name, plan)


def read_and_keep(plan: Plan, index: int) -> None:
    """Read one page unless its result is kept already, and keep it."""
    if store.load_page(plan.sha256, index) is not None:
        return
    result = read_page(plan, index)
    store.save_page(plan.sha256, index, result.text, result.layer)
    log.info(
        "page %s of %s read by %s in %.2fs",
        index + 1,
        plan.sha256[:12],
        result.method,
        result.seconds,
    )


def process_page(name: str, plan: Plan, index: int) -> str | None:
    """A page job: read page ``index`` of the File's content, then combine if all are there."""
    file = load_file(name)
    if file is None or file.content_hash != plan.sha256:
        return None  # deleted, or its content replaced: a newer job reads the new content
    if is_done(file):
        return file.ocr_status
    mark_running(name)
    read_and_keep(plan, index)
    if index == 0:
        _prefill(name, plan)
    return combine(name, plan)


def _prefill(name: str, plan: Plan) -> None:
    """The first page's fields, saved as soon as it is read: the form need not wait for all."""
    text = store.load_page(plan.sha256, 0) or ""
    fields = dict(extract_fields(text), sha256=None)
    File.objects.filter(name=name, content_hash=plan.sha256).exclude(
        ocr_status=OcrStatus.DONE
    ).update(ocr_fields=fields, page_count=plan.page_count)


def combine(name: str, plan: Plan) -> str | None:
    """Join the pages into the File's text, fields and status, once every page is kept.

    Returns the status written, or None while pages are missing.
    """
    texts = [store.load_page(plan.sha256, i) for i in range(plan.page_count)]
    if any(text is None for text in texts):
        return None
    text = PAGE_SEPARATOR.join(texts)
    fields = dict(extract_fields(texts[0]), sha256=plan.sha256)
    with transaction.atomic():
        file = File.objects.select_for_update().filter(name=name).first()
        if file is None or file.content_hash != plan.sha256:
            return None
        if is_done(file) and file.extracted_text == text:
            # Combined already (by the other page that finished, or an earlier run).
            if file.searchable_hash or not plan.ocr_pages:
                transaction.on_commit(lambda: store.discard_pages(plan.sha256))
            return file.ocr_status
        file.extracted_text = text
        file.ocr_fields = fields
        file.page_count = plan.page_count
        file.ocr_status = OcrStatus.DONE
        file.ocr_error = ""
        file.save(
            update_fields=["extracted_text", "ocr_fields", "page_count", "ocr_status", "ocr_error"]
        )
        _after_commit(file, plan)
    return OcrStatus.DONE


def _after_commit(file: File, plan: Plan) -> None:
    """Queue what follows a finished reading: the search index, and the searchable PDF."""
    from eoffice import search
    from eoffice.jobs import ocr as ocr_jobs

    search.request_index_for_file(file)
    if plan.ocr_pages:
        ocr_jobs.enqueue_searchable(file.name, plan)
    else:
        transaction.on_commit(lambda: store.discard_pages(plan.sha256))


def _finish_without_text(name: str, plan: Plan) -> str:
    File.objects.filter(name=name).update(
        ocr_status=OcrStatus.NOT_NEEDED,
        ocr_error="",
        page_count=None,
        ocr_fields={"fields": {}, "from_ocr": [], "sha256": plan.sha256},
    )
    return OcrStatus.NOT_NEEDED


def make_searchable(name: str, plan: Plan) -> str | None:
    """Build and store the searchable PDF/A of a scan; its SHA-256 (idempotent).

    A File whose content already has one (this File or another of the same content) reuses
    it. Page layers are discarded once the PDF is stored.
    """
    from eoffice.doctype.file import blob_path
    from eoffice.ocr.searchable import build

    file = load_file(name)
    if file is None or file.content_hash != plan.sha256:
        return None
    existing = (
        File.objects.filter(content_hash=plan.sha256)
        .exclude(searchable_hash="")
        .values_list("searchable_hash", flat=True)
        .first()
    )
    if existing and blob_path(existing).exists():
        sha = existing
    else:
        layers = {i: store.page_layer_path(plan.sha256, i) for i in plan.ocr_pages}
        missing = [i + 1 for i, path in layers.items() if not path.exists()]
        if missing:
            # The layers are gone (cleaned up, or another site copy): read those pages again.
            for index in plan.ocr_pages:
                store.page_text_path(plan.sha256, index).unlink(missing_ok=True)
                read_and_keep(plan, index)
        with tempfile.TemporaryDirectory(prefix="eoffice-searchable-") as tmp:
            target = Path(tmp) / "searchable.pdf"
            is_pdfa = build(plan, layers, target)
            sha = store.store_blob(target)
        log.info("searchable PDF%s of %s stored as %s", "/A" if is_pdfa else "", name, sha[:12])
    File.objects.filter(name=name, content_hash=plan.sha256).update(searchable_hash=sha)
    store.discard_pages(plan.sha256)
    return sha
