"""Who is acting and from where, for code that has no request in hand (model signals).

:class:`AuditContextMiddleware` puts the request into a context variable for the time it is
served; :func:`current_user` and :func:`current_ip` read it. Outside a request (jobs, the
command line) there is no user and no IP, and the log says "system".
"""

from __future__ import annotations

import contextvars

_request: contextvars.ContextVar = contextvars.ContextVar("eoffice_audit_request", default=None)


def client_ip(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` is trusted only when the site says it runs
    behind a proxy (``behind_proxy`` in site_config.json), since a client can forge it."""
    from django.conf import settings

    if settings.SITE_CONFIG.get("behind_proxy"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45] or None
    return (request.META.get("REMOTE_ADDR") or "")[:45] or None


def current_request():
    return _request.get()


def current_user():
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def current_ip() -> str | None:
    request = _request.get()
    return client_ip(request) if request is not None else None


class AuditContextMiddleware:
    """Makes the request being served known to :func:`current_user` / :func:`current_ip`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
