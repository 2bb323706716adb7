"""Vietnamese typed with combining marks (NFD, as macOS and some IMEs send it) and with
precomposed letters (NFC) is the same text: every request's text input is turned into NFC
here, once, before any view, form or query sees it.

Covered: query strings (API filters, desk searches) and bodies in JSON or
``application/x-www-form-urlencoded`` (API writes, desk forms). Multipart bodies (uploads) are
left alone: their files are content, and their few text fields are normalised by the model's
``clean()`` (e.g. ``IncomingDocument.clean``).
"""

from __future__ import annotations

import json
import unicodedata

from django.conf import settings
from django.http import QueryDict

TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded", "text/plain")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfc_value(value):
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_nfc_value(v) for v in value]
    if isinstance(value, dict):
        return {_nfc_value(k): _nfc_value(v) for k, v in value.items()}
    return value


def nfc_text(text: str) -> str:
    """``text`` in NFC; when it is JSON, also the strings its ``\\uXXXX`` escapes spell
    (clients that escape non-ASCII would otherwise slip NFD past a plain normalisation)."""
    if "\\u" in text and text.lstrip()[:1] in ("[", "{", '"'):
        try:
            parsed = json.loads(text)
        except ValueError:
            return nfc(text)
        normalized = _nfc_value(parsed)
        if normalized != parsed:
            return json.dumps(normalized, ensure_ascii=False)
        return text
    return nfc(text)


def _normalized_query(query: QueryDict) -> QueryDict | None:
    changed = False
    out = QueryDict(mutable=True)
    for key, values in query.lists():
        new_values = [nfc_text(v) for v in values]
        changed |= nfc(key) != key or new_values != values
        out.setlist(nfc(key), new_values)
    out._mutable = False
    return out if changed else None


class NfcInputMiddleware:
    """Normalise the query string and text bodies of every request to NFC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_string = request.META.get("QUERY_STRING", "")
        if "%" in query_string or "\\u" in query_string:
            query = _normalized_query(request.GET)
            if query is not None:
                request.GET = query
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        if content_type in TEXT_BODIES and 0 < length <= limit:
            body = request.body
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                text = None  # the view answers the bad encoding with its own message
            if text is not None and (not text.isascii() or "\\u" in text):
                normalized = nfc_text(text)
                if normalized != text:
                    request._body = normalized.encode("utf-8")
                    if hasattr(request, "_post"):
                        del request._post
                        del request._files
        return self.get_response(request)
