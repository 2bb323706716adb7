"""Frappe's older calling convention: ``POST /`` with ``cmd=<dotted.path>``.

frappe-js-sdk still uses it (``auth.forgetPassword`` posts ``cmd=frappe.core.doctype.user.
user.reset_password`` to ``/``). Such a request is answered exactly as
``/api/method/<cmd>``; every other request to ``/`` goes on to the desk.
"""

from __future__ import annotations


def legacy_command(request) -> str | None:
    """The ``cmd`` of a ``POST /`` in Frappe's old convention, else None."""
    if request.path != "/" or request.method != "POST":
        return None
    from eoffice.api.errors import DataError
    from eoffice.api.params import body_params

    try:
        cmd = body_params(request).get("cmd") or request.GET.get("cmd")
    except (DataError, ValueError):
        return None
    return cmd if isinstance(cmd, str) and cmd else None


class FrappeCommandMiddleware:
    """Dispatches ``POST /`` with ``cmd`` to the whitelisted method (after the CSRF check,
    which treats it as an API request: see :mod:`eoffice.api.csrf`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        cmd = legacy_command(request)
        if cmd is None:
            return None
        from eoffice.api.views import method_view

        return method_view(request, cmd)
