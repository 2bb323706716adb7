"""Errors as Frappe sends them, so that Frappe clients show them unchanged.

A failed call answers with the HTTP status of the error and a JSON body::

    {"exc_type": "ValidationError",
     "exception": "frappe.exceptions.ValidationError: Tên đơn vị: Trường này ...",
     "_server_messages": "[\"{\\\"message\\\": \\\"Tên đơn vị: ...\\\", ...}\"]"}

``_server_messages`` is, as in Frappe, a JSON string holding a list of JSON strings, each a
message ``{"message", "title", "indicator", "raise_exception"}``. ``exception`` keeps Frappe's
``frappe.exceptions.<Type>`` prefix because clients match on it; it is one line, never a
traceback. Messages are in the user's language (Vietnamese first) and name the field by the
label the user reads (``verbose_name``).

Every API view is wrapped by :func:`api_view`, which turns the errors of
:mod:`eoffice.exceptions`, Django's ``ValidationError`` and the database's integrity errors
into this shape. Anything else is a bug: it is logged with its traceback and answered with a
plain 500 in the same shape, without the traceback.
"""

from __future__ import annotations

import functools
import json
import logging

from django.core import exceptions as django_exceptions
from django.db import DataError as DatabaseDataError
from django.db import IntegrityError, models
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from eoffice import exceptions as exc

log = logging.getLogger("eoffice.api")

JSON_DUMPS = {"ensure_ascii": False}


class DataError(exc.ValidationError):
    """A malformed query: unknown field, bad operator, value of the wrong type (HTTP 417)."""

    exc_type = "DataError"


class LinkValidationError(exc.ValidationError):
    """A link names a document that does not exist (HTTP 417)."""

    exc_type = "LinkValidationError"


class LinkExistsError(exc.ValidationError):
    """A document cannot be deleted while others link to it (HTTP 417)."""

    exc_type = "LinkExistsError"


class UniqueValidationError(exc.ValidationError):
    exc_type = "UniqueValidationError"


class CSRFTokenError(exc.EofficeError):
    """A session that was handed a CSRF token sent none, or a wrong one (HTTP 400, as Frappe)."""

    http_status = 400
    exc_type = "CSRFTokenError"


class MethodNotAllowed(exc.EofficeError):
    http_status = 405
    exc_type = "MethodNotAllowed"


class RequestTooLarge(exc.EofficeError):
    http_status = 413
    exc_type = "RequestEntityTooLarge"


class ServerError(exc.EofficeError):
    http_status = 500
    exc_type = "ServerError"


class ValidationFailed(exc.ValidationError):
    """Several messages at once (Django's field errors); ``messages`` are shown one by one."""

    def __init__(self, messages: list[str], exc_type: str = "ValidationError", status=417):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.exc_type = exc_type
        self.http_status = status


TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    409: "Xung đột dữ liệu",
    413: "Dữ liệu quá lớn",
}


def error_response(
    exc_type: str, messages: list[str], status: int, extra: dict | None = None
) -> JsonResponse:
    """Frappe's error body with ``status``; ``extra`` adds keys (``message`` for a failed login)."""
    title = _(TITLES.get(status, "Lỗi"))
    server_messages = [
        json.dumps(
            {"message": str(m), "title": title, "indicator": "red", "raise_exception": 1},
            **JSON_DUMPS,
        )
        for m in messages
    ]
    body = {
        "exc_type": exc_type,
        "exception": f"frappe.exceptions.{exc_type}: {' '.join(str(m) for m in messages)}",
        "_server_messages": json.dumps(server_messages, **JSON_DUMPS),
    }
    body.update(extra or {})
    return JsonResponse(body, status=status, json_dumps_params=JSON_DUMPS)


def field_label(model, name: str) -> str:
    """The label a person reads for a field: its ``verbose_name``, else its name."""
    if model is None or name in (None, django_exceptions.NON_FIELD_ERRORS):
        return ""
    try:
        return str(model._meta.get_field(name).verbose_name)
    except django_exceptions.FieldDoesNotExist:
        return name


MANDATORY_CODES = {"required", "blank", "null"}
UNIQUE_CODES = {"unique", "unique_together", "unique_for_date", "constraint_violation"}


def from_django_validation(error: django_exceptions.ValidationError, model=None, prefix=""):
    """A :class:`ValidationFailed` naming each field by its label, with Frappe's ``exc_type``."""
    messages, codes, fields = [], set(), set()
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            label = field_label(model, name)
            for err in errors:
                codes.add(err.code)
                fields.add(name)
                for text in err.messages:
                    messages.append(f"{prefix}{label}: {text}" if label else f"{prefix}{text}")
    else:
        for err in error.error_list:
            codes.add(err.code)
            messages.extend(f"{prefix}{text}" for text in err.messages)
    if codes == {"invalid_link"}:
        return ValidationFailed(messages, "LinkValidationError")
    if codes & MANDATORY_CODES:
        return ValidationFailed(messages, "MandatoryError")
    if codes and codes <= UNIQUE_CODES:
        if fields == {"name"}:
            return ValidationFailed(messages, "DuplicateEntryError", 409)
        return ValidationFailed(messages, "UniqueValidationError")
    return ValidationFailed(messages)


def response_for(error: BaseException, request=None, model=None) -> JsonResponse:
    """The Frappe-shaped response for any error raised while serving an API request."""
    if isinstance(error, django_exceptions.ValidationError):
        error = from_django_validation(error, model)
    elif isinstance(error, django_exceptions.PermissionDenied):
        error = exc.PermissionError(str(error) or _("Bạn không có quyền thực hiện thao tác này."))
    elif isinstance(error, Http404 | django_exceptions.ObjectDoesNotExist):
        error = exc.DoesNotExistError(_("Không tìm thấy tài liệu yêu cầu."))
    elif isinstance(error, models.ProtectedError | models.RestrictedError):
        linked = getattr(error, "protected_objects", None) or getattr(
            error, "restricted_objects", ()
        )
        kinds = sorted({str(obj._meta.verbose_name) for obj in linked})
        error = LinkExistsError(
            _("Không thể xóa vì tài liệu này đang được liên kết tới từ: {kinds}.").format(
                kinds=", ".join(kinds) or "?"
            )
        )
    elif isinstance(error, IntegrityError):
        log.info("integrity error on %s: %s", getattr(request, "path", "?"), error)
        error = exc.DuplicateEntryError(
            _("Dữ liệu trùng với một bản ghi đã có hoặc vi phạm ràng buộc dữ liệu.")
        )
    elif isinstance(error, DatabaseDataError):
        # The database refused a value (too long, out of range) that validation let through.
        log.warning("database refused a value on %s: %s", getattr(request, "path", "?"), error)
        error = exc.ValidationError(
            _("Một giá trị gửi lên quá dài hoặc nằm ngoài khoảng cho phép.")
        )
    elif isinstance(error, django_exceptions.RequestDataTooBig):
        error = RequestTooLarge(_("Dữ liệu gửi lên quá lớn."))
    elif not isinstance(error, exc.EofficeError):
        log.exception("unexpected error on %s", getattr(request, "path", "?"), exc_info=error)
        error = ServerError(_("Lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị viên."))
    if error.http_status in (401, 403, 404) and request is not None:
        # Denied requests are logged (DESIGN.md invariants), without the body.
        user = getattr(request, "user", None)
        log.info(
            "denied %s %s %s for %s: %s",
            error.http_status,
            request.method,
            request.path,
            getattr(user, "email", None) or "Guest",
            error.message,
        )
    messages = getattr(error, "messages", None) or [error.message]
    extra = {"message": error.message} if isinstance(error, exc.AuthenticationError) else None
    return error_response(error.exc_type, messages, error.http_status, extra)


def api_view(view):
    """Wrap an API view: every error leaves as Frappe's error shape, never as a traceback."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Exception as error:  # noqa: BLE001  (each kind is mapped in response_for)
            return response_for(error, request)

    return wrapper


def csrf_failure(request, reason=""):
    """Frappe's ``CSRFTokenError`` for a refused API request (see :mod:`eoffice.api.csrf`)."""
    log.info("CSRF failure on %s: %s", request.path, reason)
    return response_for(
        CSRFTokenError(
            _(
                "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-Frappe-CSRF-Token). "
                "Hãy tải lại trang rồi thử lại."
            )
        ),
        request,
    )
