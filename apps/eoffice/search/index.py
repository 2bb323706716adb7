"""A site's Tantivy index on disk: where it is, who may write it, how readers follow it.

Layout: ``sites/<site>/search_index/`` holds generations (``g<timestamp>/``, one Tantivy index
each) and ``CURRENT``, the name of the one in use. ``eoffice search rebuild`` writes a new
generation beside the old and switches ``CURRENT`` by an atomic rename, so searches go on
during a rebuild and never see half an index.

One writer at a time. Tantivy allows one ``IndexWriter`` per index; every write here (the
index jobs, a rebuild) first takes an exclusive ``flock`` on ``search_index/.writer.lock``.
The kernel releases it when its process dies, so a killed worker never leaves a stale lock
(a Redis lock would have to expire first, or could expire in the middle of a long commit).
The index is per host by design (DESIGN.md: each search host keeps its own copy), so a
host-local lock is the right scope.

Readers: each process keeps its open index and asks Tantivy to reload before a search
(cheap: it reads ``meta.json``); it reopens when ``CURRENT`` names another generation.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings

from eoffice.search.schema import SCHEMA, SCHEMA_VERSION, register_analyzers

log = logging.getLogger(__name__)

WRITER_HEAP = 64 * 1024 * 1024
REBUILD_HEAP = 256 * 1024 * 1024


class IndexBusy(Exception):
    """Another process holds the writer lock (a rebuild, usually)."""


def root() -> Path:
    """``sites/<site>/search_index`` (``search_index_path`` in site_config.json overrides)."""
    override = settings.SITE_CONFIG.get("search_index_path")
    if override:
        return Path(override)
    if not settings.SITE_DIR:
        raise RuntimeError("no site selected: the search index has no home")
    return Path(settings.SITE_DIR) / "search_index"


def current_generation() -> str | None:
    """The generation in use, or None when the site has no index yet."""
    try:
        name, _, version = (root() / "CURRENT").read_text().strip().partition(" ")
    except FileNotFoundError:
        return None
    if version != f"v{SCHEMA_VERSION}":
        log.warning("search index %s has schema %s, code has v%s", name, version, SCHEMA_VERSION)
        return None
    return name


def _set_current(generation: str) -> None:
    tmp = root() / ".CURRENT.tmp"
    tmp.write_text(f"{generation} v{SCHEMA_VERSION}\n")
    os.replace(tmp, root() / "CURRENT")


def _open(path: Path) -> tantivy.Index:
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    register_analyzers(index)
    return index


def new_generation() -> tuple[str, tantivy.Index]:
    """A new, empty generation (not yet current)."""
    generation = f"g{time.time_ns()}"
    path = root() / generation
    path.mkdir(parents=True)
    return generation, _open(path)


@contextmanager
def writer_lock(timeout: float = 30.0):
    """Hold the site's single-writer lock; :class:`IndexBusy` if not had within ``timeout``."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / ".writer.lock", "a+") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        "the search index is being written by another process"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def writable_index() -> tantivy.Index:
    """The current generation for writing (created empty if the site has none). Hold the lock."""
    generation = current_generation()
    if generation is None or not (root() / generation).is_dir():
        generation, index = new_generation()
        _set_current(generation)
        return index
    return _open(root() / generation)


def switch_to(generation: str) -> None:
    """Make ``generation`` current and remove the others. Hold the lock."""
    _set_current(generation)
    for path in root().iterdir():
        if path.is_dir() and path.name.startswith("g") and path.name != generation:
            shutil.rmtree(path, ignore_errors=True)  # open readers keep their mapped files


_readers: dict[str, tuple[str, tantivy.Index]] = {}
_readers_lock = threading.Lock()


def reader_index() -> tantivy.Index | None:
    """This process's open index, reloaded to the last commit; None if there is none yet."""
    generation = current_generation()
    if generation is None:
        return None
    key = str(root())
    with _readers_lock:
        cached = _readers.get(key)
        if cached is None or cached[0] != generation:
            path = root() / generation
            if not path.is_dir():
                return None
            cached = (generation, _open(path))
            _readers[key] = cached
    index = cached[1]
    index.reload()
    return index


def forget_readers() -> None:
    """Drop the open indexes of this process (tests, and after a site is removed)."""
    with _readers_lock:
        _readers.clear()
