"""CSRF as Frappe does it.

A session that has been handed a CSRF token (a desk page rendered one) must send it back as
``X-Frappe-CSRF-Token`` on unsafe requests. A session opened by ``/api/method/login`` from a
client that never loaded a desk page, and token-authenticated requests, are not asked for one.
A refused API request gets Frappe's ``CSRFTokenError`` (HTTP 400) in Frappe's error shape;
elsewhere Django's own page.
"""

from django.middleware.csrf import CsrfViewMiddleware

SESSION_FLAG = "csrf_handed"


def is_api_request(request) -> bool:
    """Under ``/api/``, or Frappe's old ``POST /`` with ``cmd`` (see :mod:`eoffice.api.legacy`)."""
    if request.path.startswith("/api/"):
        return True
    from eoffice.api.legacy import legacy_command

    return legacy_command(request) is not None


class FrappeCsrfMiddleware(CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("token "):
            return None
        session = getattr(request, "session", None)
        if is_api_request(request) and not (session and session.get(SESSION_FLAG)):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _reject(self, request, reason):
        if is_api_request(request):
            from eoffice.api.errors import csrf_failure

            return csrf_failure(request, reason)
        return super()._reject(request, reason)


def mark_csrf_handed(request):
    """Record that this session has been given a CSRF token (call where a page renders one)."""
    if hasattr(request, "session") and not request.session.get(SESSION_FLAG):
        request.session[SESSION_FLAG] = True
