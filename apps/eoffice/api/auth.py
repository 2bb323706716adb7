"""Authentication for the REST API with API keys, as Frappe does it.

``Authorization: token KEY:SECRET`` (or ``Basic base64(KEY:SECRET)``) authenticates one
request: no session is opened and no CSRF token is asked for. A key that is wrong, unknown,
revoked or belongs to a disabled user answers 401 at once; it never falls through to an
anonymous request. Keys are made with ``eoffice generate_api_key EMAIL`` or, by the user
themself, with ``/api/method/frappe.core.doctype.user.user.generate_keys``.
"""

from __future__ import annotations

import base64
import binascii

from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from eoffice import exceptions as exc

#: Paths where an ``Authorization`` header is read; the desk uses sessions only.
API_PREFIXES = ("/api/", "/private/files/")


def credentials(header: str) -> tuple[str, str, str] | None:
    """``(scheme, key, secret)`` from an Authorization header; None for schemes not ours."""
    scheme, _sep, rest = header.strip().partition(" ")
    scheme, rest = scheme.lower(), rest.strip()
    if scheme == "token":
        key, _sep, secret = rest.partition(":")
        return scheme, key.strip(), secret.strip()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(rest, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return scheme, "", ""
        key, _sep, secret = decoded.partition(":")
        return scheme, key, secret
    if scheme == "bearer":
        return scheme, "", ""
    return None


class TokenAuthenticationMiddleware(MiddlewareMixin):
    """Sets ``request.user`` from an API key; such requests carry no session and no CSRF."""

    def process_request(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        legacy = request.path == "/" and request.method == "POST"  # Frappe's old POST / cmd=…
        if not header or not (request.path.startswith(API_PREFIXES) or legacy):
            return None
        parsed = credentials(header)
        if parsed is None:
            return None
        scheme, key, secret = parsed
        from eoffice.doctype.user import ApiKey

        user = ApiKey.authenticate(key, secret) if key and secret else None
        request.token_auth_failed = user is None
        if user is None:
            from eoffice.api.errors import response_for

            if scheme == "bearer":
                message = _(
                    "Chưa hỗ trợ xác thực Bearer (OAuth). Dùng 'Authorization: token KEY:SECRET'."
                )
            else:
                message = _("Khóa API không hợp lệ, đã bị thu hồi hoặc người dùng đã bị khóa.")
            return response_for(exc.AuthenticationError(message), request)
        request.user = user
        request.token_auth = True
        request._dont_enforce_csrf_checks = True
        return None
