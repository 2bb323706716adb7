"""An absolute lifetime for sessions, on top of the idle timeout.

``SESSION_COOKIE_AGE`` with ``SESSION_SAVE_EVERY_REQUEST`` ends a session after that long
without a request; this ends it ``SESSION_ABSOLUTE_SECONDS`` (site_config
``session_absolute_seconds``, default 24 h) after sign-in however busy it is, so that a stolen
cookie does not live for ever.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

SIGNED_IN_AT = "eoffice_signed_in_at"


def stamp(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


user_logged_in.connect(stamp, dispatch_uid="eoffice.security.sessions.stamp")


class AbsoluteSessionLifetimeMiddleware:
    """Logs out a session older than ``SESSION_ABSOLUTE_SECONDS`` (after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and getattr(user, "is_authenticated", False):
            if not getattr(request, "token_auth", False):
                started = session.get(SIGNED_IN_AT)
                limit = getattr(settings, "SESSION_ABSOLUTE_SECONDS", 24 * 3600)
                if started is None:
                    session[SIGNED_IN_AT] = time.time()
                elif time.time() - started > limit:
                    logout(request)
        return self.get_response(request)
