"""Where the intake chain keeps what it reads and makes, addressed by content hash.

- Originals and searchable PDFs: the site's private file store, ``<FILE_STORE>/ab/cd/<sha256>``,
  the layout of "File" (one copy per content, however many Files point at it).
- Page results while a file is read: ``sites/<site>/private/ocr/ab/cd/<sha256>/page-0001.txt``
  (and ``.pdf``, the text-only layer of a scanned page). Keyed by the content, not the File,
  so a retried job, a second worker or a second upload of the same scan reuses them. Each is
  written to a temporary name and renamed, so a killed worker never leaves half a page.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

PAGE_WIDTH = 4  # page-0001: sorts in page order up to 9999 pages


def _fan_out(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / sha256


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either nothing or all of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store_blob(source: Path) -> str:
    """Put a file the chain made into the site's file store, once by content; its SHA-256.

    The same staging and atomic rename as an upload (:mod:`eoffice.doctype.file`).
    """
    from eoffice.doctype.file import commit_blob, stage

    with open(source, "rb") as fh:
        staged = stage(iter(lambda: fh.read(1 << 20), b""), limit=1 << 40)
    commit_blob(staged)
    return staged.content_hash


def work_dir(sha256: str) -> Path:
    """The folder of page results for the content with this SHA-256."""
    if not settings.SITE_DIR:
        raise RuntimeError("no site selected")
    return _fan_out(Path(settings.SITE_DIR) / "private" / "ocr", sha256)


def page_stem(index: int) -> str:
    """``page-0001`` for the first page (``index`` counts from 0)."""
    return f"page-{index + 1:0{PAGE_WIDTH}d}"


def page_text_path(sha256: str, index: int) -> Path:
    return work_dir(sha256) / f"{page_stem(index)}.txt"


def page_layer_path(sha256: str, index: int) -> Path:
    return work_dir(sha256) / f"{page_stem(index)}.pdf"


def save_page(sha256: str, index: int, text: str, layer: bytes | None = None) -> None:
    """Keep one page's result; the text is written last, so its presence means "done"."""
    if layer is not None:
        write_atomic(page_layer_path(sha256, index), layer)
    write_atomic(page_text_path(sha256, index), text.encode("utf-8"))


def load_page(sha256: str, index: int) -> str | None:
    """A finished page's text, or None while it is not done."""
    try:
        return page_text_path(sha256, index).read_text("utf-8")
    except FileNotFoundError:
        return None


def pages_done(sha256: str, page_count: int) -> list[int]:
    """Indexes of the pages whose result is kept."""
    return [i for i in range(page_count) if page_text_path(sha256, i).exists()]


def discard_pages(sha256: str) -> None:
    """Forget the page results of a content (after they were combined, or to redo them)."""
    shutil.rmtree(work_dir(sha256), ignore_errors=True)
