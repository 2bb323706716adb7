"""Request parameters as Frappe reads them (its ``form_dict``), and their conversion.

Frappe clients send parameters in the query string, as a form, or as a JSON body, and send
structured ones (``fields``, ``filters``) as JSON text inside a form or query string. These
helpers accept all of these and turn a malformed value into a clear Vietnamese message.
"""

from __future__ import annotations

import json

from django.http import QueryDict
from django.utils.translation import gettext as _

from eoffice.api.errors import DataError

JSON_TYPES = ("application/json", "text/json")


def _is_json(request) -> bool:
    return (request.content_type or "").lower() in JSON_TYPES


def body_params(request) -> dict:
    """The parameters in the body: a JSON object, or form fields (urlencoded or multipart)."""
    cached = getattr(request, "_eoffice_body", None)
    if cached is not None:
        return cached
    if _is_json(request):
        raw = request.body
        if not raw.strip():
            data = {}
        else:
            try:
                data = json.loads(raw)
            except (UnicodeDecodeError, ValueError):
                raise DataError(_("Nội dung yêu cầu không phải JSON hợp lệ.")) from None
            if not isinstance(data, dict):
                raise DataError(_("Nội dung JSON của yêu cầu phải là một đối tượng {…}."))
    elif request.method == "POST":
        _refuse_oversized(request)
        data = {key: request.POST.get(key) for key in request.POST}
    elif request.content_type == "application/x-www-form-urlencoded" and request.body:
        form = QueryDict(request.body, encoding=request.encoding)
        data = {key: form.get(key) for key in form}
    else:
        data = {}
    request._eoffice_body = data
    return data


#: Room for the multipart envelope and the other form fields around an uploaded file.
MULTIPART_OVERHEAD = 64 * 1024


def _refuse_oversized(request) -> None:
    """Refuse a multipart body larger than the site's file limit before reading any of it."""
    if not (request.content_type or "").startswith("multipart/"):
        return
    from eoffice.doctype.file import max_file_size, too_large_error

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_file_size() + MULTIPART_OVERHEAD:
        raise too_large_error()


def form_dict(request) -> dict:
    """Frappe's ``form_dict``: the query string's parameters overlaid by the body's."""
    params = {
        key: request.GET.get(key)
        for key in request.GET
        # axios writes an array as ``key[]=…``; only its JSON-text form is meant for us.
        if not key.endswith("[]")
    }
    params.update(body_params(request))
    params.pop("cmd", None)
    return params


def json_param(value, name: str):
    """A structured parameter: JSON text is parsed, a value from a JSON body is kept."""
    if value is None or not isinstance(value, str | bytes):
        return value
    text = value.strip() if isinstance(value, str) else value.decode()
    if text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise DataError(
            _("Tham số '{name}' không phải JSON hợp lệ: {value}").format(
                name=name, value=text[:200]
            )
        ) from None


#: The largest offset or page length accepted (the database's signed 64-bit integers).
MAX_INT = 2**63 - 1


def int_param(value, name: str, default: int | None = None, minimum: int = 0) -> int | None:
    """A whole number from ``minimum`` to :data:`MAX_INT`; empty means ``default``."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise DataError(
            _("Tham số '{name}' phải là một số nguyên, không phải '{value}'.").format(
                name=name, value=str(value)[:100]
            )
        ) from None
    if not minimum <= number <= MAX_INT:
        raise DataError(
            _("Tham số '{name}' phải từ {minimum} đến {maximum}.").format(
                name=name, minimum=minimum, maximum=MAX_INT
            )
        )
    return number


TRUE_WORDS = {"1", "true", "yes", "on", "t", "y"}
FALSE_WORDS = {"0", "false", "no", "off", "f", "n", "", "none", "null"}


def bool_param(value, name: str = "", default: bool = False) -> bool:
    """Frappe's ``sbool``: 1/0, true/false, yes/no, in any case."""
    if value is None:
        return default
    if isinstance(value, bool | int):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise DataError(
        _("Tham số '{name}' phải là 0/1 hoặc true/false, không phải '{value}'.").format(
            name=name, value=str(value)[:100]
        )
    )


def document_data(request) -> dict:
    """The document in a create or update request (Frappe's ``get_request_form_data``).

    A ``data`` parameter (JSON text, as Frappe's form posts send it) wins; else the body's
    JSON object or form fields.
    """
    params = body_params(request)
    if "data" in params and params["data"] is not None:
        data = json_param(params["data"], "data")
        if not isinstance(data, dict):
            raise DataError(_("Tham số 'data' phải là một đối tượng JSON {…}."))
        return data
    return dict(params)
