"""Security headers on every response, and a clear answer when the database is unreachable.

Content-Security-Policy: the desk loads scripts only from its own origin; the one inline script
of the desk frame (the CSRF token for ``fetch``) carries a per-response nonce. Django admin's
theme and the Swagger page need inline scripts and get a policy without the script rule, but
keep the rest (no framing by other sites, no plugins, forms only to this site).
"""

from __future__ import annotations

import secrets

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

BASE = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'; frame-src 'self' blob:"
)
RELAXED_PREFIXES = ("/admin/", "/api/docs")
INLINE_MARK = b"<script>window.csrf_token"


def policy(path: str, nonce: str) -> str:
    if path.startswith(RELAXED_PREFIXES):
        return BASE + "; script-src 'self' 'unsafe-inline' 'unsafe-eval'"
    return BASE + f"; script-src 'self' 'nonce-{nonce}'"


def _add_nonce(response, nonce: str) -> None:
    """Give the desk frame's own inline script (in ``<head>``) the nonce, and only it."""
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content
    head_end = body.find(b"</head>")
    at = body.find(INLINE_MARK)
    if at == -1 or (head_end != -1 and at > head_end):
        return
    tag = f'<script nonce="{nonce}">'.encode()
    response.content = body[:at] + tag + body[at + len(b"<script>") :]


class SecurityHeadersMiddleware:
    """CSP, Permissions-Policy and no-store for signed-in pages (after Django's own headers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        _add_nonce(response, nonce)
        response.headers.setdefault("Content-Security-Policy", policy(request.path, nonce))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection (server restarted, connection killed) answers 503 with a
    message, not a 500; Django drops the broken connection at the end of the request
    (``CONN_HEALTH_CHECKS``), so the next request reconnects without restarting the app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        from django.db import connections

        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()
        message = _("Mất kết nối tới cơ sở dữ liệu. Vui lòng thử lại sau ít giây.")
        if request.path.startswith("/api/"):
            return JsonResponse({"exc_type": "DatabaseUnavailable", "message": message}, status=503)
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = "5"
        return response
