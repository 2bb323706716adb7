"""Errors that business rules raise, named as Frappe names them.

The API turns each into Frappe's error shape and HTTP status (``exc_type`` and
``_server_messages``); the desk shows the message. Messages are for the person who acted, in
Vietnamese through the translation machinery, and name the field where there is one.
"""

from __future__ import annotations


class EofficeError(Exception):
    """Base: ``message`` for people, ``http_status`` for the API, ``field`` when one is at fault."""

    http_status = 417
    exc_type = "ValidationError"

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class ValidationError(EofficeError):
    """Bad input; nothing was stored (HTTP 417, as Frappe)."""


class MandatoryError(ValidationError):
    exc_type = "MandatoryError"


class PermissionError(EofficeError):  # noqa: A001  (Frappe's name)
    """Not allowed (HTTP 403). Never says whether a hidden document exists."""

    http_status = 403
    exc_type = "PermissionError"


class DoesNotExistError(EofficeError):
    """Not found, or not visible to this user (HTTP 404)."""

    http_status = 404
    exc_type = "DoesNotExistError"


class DuplicateEntryError(EofficeError):
    http_status = 409
    exc_type = "DuplicateEntryError"


class TimestampMismatchError(EofficeError):
    """Someone else saved the document since it was loaded (HTTP 409)."""

    http_status = 409
    exc_type = "TimestampMismatchError"


class WorkflowTransitionError(EofficeError):
    """The action is not allowed in the document's state, or not for this person."""

    http_status = 417
    exc_type = "WorkflowTransitionError"


class AuthenticationError(EofficeError):
    http_status = 401
    exc_type = "AuthenticationError"
