"""The Tantivy schema of a site's search index, its analyzers, and index documents.

Fields (see docs/search.md for why each is there):

- ``key`` ("<doctype>␟<name>", raw): the one term a document is replaced or deleted by;
  ``doctype``, ``name``, ``title`` stored for the hit list.
- ``text_f``: everything searchable (summary, số ký hiệu, issuer, extracted text), analysed
  by ``vi_fold`` (split on non-letters, lower case, accents folded, đ → d, every syllable kept
  however short) and stored, for matching and for snippets.
- ``text_d``: the same text analysed by ``vi_exact`` (lower case, diacritics kept): a query
  typed with its accents ranks exact matches first.
- ``meta_f``: summary, số ký hiệu and issuer alone (folded), so a match there ranks higher.
- ``pairs``: each pair of consecutive folded syllables ("ho_so", "so_dat"), without
  positions: a phrase must contain all its pairs, a cheap test that narrows the documents a
  phrase query verifies (unaccented syllables alone are unselective).
- filters and permissions: ``doctype_k``, ``document_type``, ``workflow_state``, ``secrecy``
  (raw), ``date``, ``secret`` (0/1), ``units``, ``users``, ``readers``, ``lead_units``.
"""

from __future__ import annotations

import datetime

import tantivy

SCHEMA_VERSION = 1
KEY_SEPARATOR = "\x1f"
FOLD = "vi_fold"
EXACT = "vi_exact"
PAIRS = "vi_pairs"
MAX_TITLE = 500


def fold_analyzer():
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(80))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def exact_analyzer():
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(80))
        .filter(tantivy.Filter.lowercase())
        .build()
    )


def pairs_analyzer():
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


FOLDER = fold_analyzer()
EXACTER = exact_analyzer()


def register_analyzers(index: tantivy.Index) -> None:
    """Analyzers live in the process, not in the index: register them on every open."""
    index.register_tokenizer(FOLD, fold_analyzer())
    index.register_tokenizer(EXACT, exact_analyzer())
    index.register_tokenizer(PAIRS, pairs_analyzer())


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("key", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("doctype", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("name", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("title", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text_f", stored=True, tokenizer_name=FOLD, index_option="position")
    sb.add_text_field("text_d", stored=False, tokenizer_name=EXACT, index_option="position")
    sb.add_text_field("meta_f", stored=False, tokenizer_name=FOLD, index_option="position")
    sb.add_text_field("pairs", stored=False, tokenizer_name=PAIRS, index_option="basic")
    for name in ("document_type", "workflow_state", "secrecy"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("secret", stored=False, indexed=True)
    for name in ("units", "users", "readers", "lead_units"):
        sb.add_unsigned_field(name, stored=False, indexed=True)
    return sb.build()


SCHEMA = build_schema()


def key_of(doctype: str, name: str) -> str:
    return f"{doctype}{KEY_SEPARATOR}{name}"


def folded_tokens(text: str) -> list[str]:
    """The terms ``vi_fold`` makes of ``text`` (the same analyzer as the index)."""
    return FOLDER.analyze(text or "")


def exact_tokens(text: str) -> list[str]:
    return EXACTER.analyze(text or "")


def pairs_of(tokens: list[str]) -> list[str]:
    """Consecutive syllable pairs: ["ho", "so", "dat"] → ["ho_so", "so_dat"]."""
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _as_datetime(value) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return datetime.datetime(value.year, value.month, value.day)


def to_document(doc: dict) -> tantivy.Document:
    """A Tantivy document of an index dict (see :mod:`eoffice.search.sources`)."""
    from eoffice.text import nfc

    meta = "\n".join(
        nfc(str(doc.get(f) or "")) for f in ("summary", "document_number", "issuer")
    ).strip()
    body = nfc(str(doc.get("text") or "")).strip()
    text = f"{meta}\n{body}".strip() if body else meta
    out = tantivy.Document()
    out.add_text("key", key_of(doc["doctype"], doc["name"]))
    out.add_text("doctype", doc["doctype"])
    out.add_text("name", doc["name"])
    out.add_text(
        "title", nfc(str(doc.get("title") or doc.get("summary") or doc["name"]))[:MAX_TITLE]
    )
    out.add_text("text_f", text)
    out.add_text("text_d", text)
    out.add_text("meta_f", meta)
    pairs = pairs_of(folded_tokens(text))
    if pairs:
        out.add_text("pairs", " ".join(sorted(set(pairs))))
    for name in ("document_type", "workflow_state"):
        if doc.get(name):
            out.add_text(name, str(doc[name]))
    secrecy = doc.get("secrecy") or "Thường"
    out.add_text("secrecy", secrecy)
    out.add_unsigned("secret", 0 if secrecy == "Thường" else 1)
    when = _as_datetime(doc.get("date"))
    if when:
        out.add_date("date", when)
    for name in ("units", "users", "readers", "lead_units"):
        for value in sorted(set(doc.get(name) or ())):
            out.add_unsigned(name, int(value))
    return out
