"""The REST endpoints, in Frappe's wire format.

- ``/api/resource/<DocType>``: ``GET`` a list (``{"data": [...]}``), ``POST`` creates one;
- ``/api/resource/<DocType>/<name>``: ``GET``, ``PUT``, ``DELETE`` one (``{"data": {...}}``);
- ``/api/method/<dotted.path>``: a whitelisted method (``{"message": ...}``), see
  :mod:`eoffice.api.methods`.

The views only translate between HTTP and :mod:`eoffice.api.documents` /
:mod:`eoffice.api.query`; errors leave through :func:`eoffice.api.errors.api_view`.
"""

from __future__ import annotations

import functools
import inspect

from django.db import transaction
from django.http import HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

from eoffice import audit
from eoffice import exceptions as exc
from eoffice.api import documents, query
from eoffice.api.errors import JSON_DUMPS, DataError, MethodNotAllowed, api_view
from eoffice.api.methods import get_method
from eoffice.api.params import document_data, form_dict
from eoffice.doctype.base import get_meta

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def ok(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params=JSON_DUMPS)


def doctype_meta(name: str):
    """The registered DocType ``name``; an unknown one is a 404 in Frappe's shape."""
    meta = get_meta(name)
    if meta is None:
        raise exc.DoesNotExistError(
            _("Không có loại tài liệu (DocType) '{name}'.").format(name=str(name)[:140])
        )
    return meta


@api_view
def resource_list(request, doctype: str):
    """``GET`` a page of documents, ``POST`` a new one."""
    meta = doctype_meta(doctype)
    if request.method in ("GET", "HEAD"):
        rows = query.get_list(request.user, meta, **query.list_args(form_dict(request)))
        return ok({"data": rows})
    if request.method == "POST":
        data = document_data(request)
        data.pop("doctype", None)
        doc = documents.insert_doc(request.user, meta, data)
        return ok({"data": documents.as_dict(meta, doc)})
    raise MethodNotAllowed(
        _("/api/resource/{doctype} nhận GET hoặc POST.").format(doctype=meta.name)
    )


@api_view
def resource_doc(request, doctype: str, name: str):
    """``GET``, ``PUT`` or ``DELETE`` the document ``name``."""
    meta = doctype_meta(doctype)
    if request.method in ("GET", "HEAD"):
        doc = documents.get_doc(request.user, meta, name)
        audit.record_view(request.user, meta, doc)  # a secret document's reads are logged
        return ok({"data": documents.doc_to_dict(doc, meta)})
    if request.method == "PUT":
        doc = documents.update_doc(request.user, meta, name, document_data(request))
        return ok({"data": documents.as_dict(meta, doc)})
    if request.method == "DELETE":
        documents.delete_doc(request.user, meta, name)
        # Frappe answers 202 with "ok"; older Frappe put it in ``message``, newer in ``data``.
        return ok({"data": "ok", "message": "ok"}, status=202)
    raise MethodNotAllowed(
        _("/api/resource/{doctype}/<name> nhận GET, PUT hoặc DELETE.").format(doctype=meta.name)
    )


@functools.cache
def _signature(func):
    """The parameters a method takes after ``request``, and whether it takes ``**kwargs``."""
    params = list(inspect.signature(func).parameters.values())[1:]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params)
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    required = [p.name for p in named if p.default is p.empty]
    return {p.name for p in named}, required, takes_any


def call(method, request, params: dict):
    """Call a whitelisted method with the parameters it names (Frappe drops the others)."""
    names, required, takes_any = _signature(method.func)
    kwargs = params if takes_any else {k: v for k, v in params.items() if k in names}
    missing = [name for name in required if kwargs.get(name) in (None, "")]
    if missing:
        raise DataError(
            _("Thiếu tham số {names} của phương thức '{path}'.").format(
                names=", ".join(f"'{n}'" for n in missing), path=method.path
            )
        )
    return method.func(request, **kwargs)


@api_view
def method_view(request, method: str):
    """``/api/method/<path>``: dispatch to a whitelisted method, answer ``{"message": …}``."""
    path = method.split("/")[0]  # Frappe ignores anything after a slash
    found = get_method(path)
    if found is None:
        raise exc.DoesNotExistError(_("Không có phương thức '{path}'.").format(path=path[:200]))
    http_method = "GET" if request.method == "HEAD" else request.method
    if http_method not in found.http_methods:
        # Frappe refuses a method called with the wrong HTTP verb as "not permitted".
        raise exc.PermissionError(
            _("Phương thức '{path}' không nhận yêu cầu {verb}; dùng {allowed}.").format(
                path=path, verb=request.method, allowed=", ".join(found.http_methods)
            )
        )
    if not found.allow_guest and not request.user.is_authenticated:
        raise exc.PermissionError(_("Bạn cần đăng nhập để dùng phương thức này."))
    params = form_dict(request)
    if request.method in SAFE_METHODS:
        result = call(found, request, params)
    else:
        with transaction.atomic():  # a method that fails half-way changes nothing
            result = call(found, request, params)
    if isinstance(result, HttpResponseBase):
        return result
    return ok({} if result is None else {"message": result})


@api_view
def not_found(request, *args, **kwargs):
    """Any other path under /api: Frappe's 404."""
    raise exc.DoesNotExistError(_("Không có địa chỉ API '{path}'.").format(path=request.path[:200]))
