"""Search tests: a fresh Tantivy index per test, and index-dict factories."""

from __future__ import annotations

import itertools

import pytest

from tests.ocr.conftest import clean_queues, upload  # noqa: F401  (shared fixtures)

_names = itertools.count(1)


@pytest.fixture
def search_index(settings, tmp_path):
    """An empty index of the test's own (``search_index_path`` pointed at a temp folder)."""
    from eoffice.search import index

    settings.SITE_CONFIG = {**settings.SITE_CONFIG, "search_index_path": str(tmp_path / "index")}
    index.forget_readers()
    yield tmp_path / "index"
    index.forget_readers()


def doc(summary="", text="", **extra) -> dict:
    """An index dict of an incoming document received by unit 1, readable by its units."""
    values = {
        "doctype": "Incoming Document",
        "name": f"VBD-2017-{next(_names):06d}",
        "summary": summary,
        "text": text,
        "document_number": "",
        "issuer": "UBND thành phố Hà Nội",
        "document_type": "Công văn",
        "date": "2017-08-15",
        "workflow_state": "Đã vào sổ",
        "secrecy": "Thường",
        "units": [1],
        "users": [],
        "readers": [],
        "lead_units": [],
    }
    values.update(extra)
    return values
