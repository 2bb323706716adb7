"""Whitelisted methods, Frappe's ``@frappe.whitelist()``: ``/api/method/<path>``.

A module registers a function under a dotted path; the API dispatcher calls it with the
request and the request's parameters (query string, form or JSON body) as keyword arguments,
and sends back ``{"message": <return value>}``. Raise the errors of :mod:`eoffice.exceptions`.

    @whitelist("frappe.model.workflow.apply_workflow", methods=("POST",))
    def apply_workflow(request, doc, action): ...

Modules that register methods are imported by :data:`METHOD_MODULES` when the API loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module


@dataclass
class Method:
    path: str
    func: Callable
    http_methods: tuple[str, ...]
    allow_guest: bool
    summary: str


METHODS: dict[str, Method] = {}
_loaded = False

#: Modules whose import registers methods (the API imports them once at start-up).
METHOD_MODULES = [
    "eoffice.api.frappe_methods",
    "eoffice.api.workflow_methods",
    "eoffice.api.assignment_methods",
    "eoffice.search.api",
    "eoffice.api.notification_methods",
    "eoffice.api.outgoing_methods",
    "eoffice.api.edxml_methods",
    "eoffice.api.signing_methods",
]


def whitelist(path: str | None = None, methods=("GET", "POST"), allow_guest: bool = False):
    """Register ``func`` as ``/api/method/<path>`` (default: its dotted module path)."""

    def wrap(func):
        key = path or f"{func.__module__}.{func.__name__}"
        if key in METHODS and METHODS[key].func is not func:
            raise RuntimeError(f"method {key!r} is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()
        METHODS[key] = Method(key, func, tuple(methods), allow_guest, doc[0] if doc else key)
        return func

    return wrap


def load_method_modules() -> None:
    global _loaded
    for module in METHOD_MODULES:
        import_module(module)
    _loaded = True


def get_method(path: str) -> Method | None:
    if not _loaded:
        load_method_modules()
    return METHODS.get(path)
