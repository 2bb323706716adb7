"""The OpenAPI 3 description of the API, generated from the DocType registry and METHODS.

``/api/openapi.json`` describes, for every registered DocType, its fields (a schema read from
the model: types, labels, choices, what is read-only, what is required) and its
``/api/resource`` paths; and every whitelisted method with the parameters its function
takes. ``/api/docs`` is Swagger UI over it, served from the ``drf_spectacular_sidecar``
package's own files (no CDN).
"""

from __future__ import annotations

import functools
import inspect
import json
import re

from django.db import models
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.translation import gettext as _

from eoffice.api.csrf import mark_csrf_handed
from eoffice.api.errors import JSON_DUMPS
from eoffice.api.methods import METHODS, load_method_modules
from eoffice.api.serialize import child_doctype_name, parent_link, wire_fields
from eoffice.doctype.base import REGISTRY

ERROR_STATUSES = {
    "401": "Chưa đăng nhập hoặc khóa API sai",
    "403": "Không có quyền",
    "404": "Không tìm thấy (hoặc không được xem)",
    "409": "Xung đột: trùng mã hoặc tài liệu đã bị người khác sửa",
    "417": "Dữ liệu không hợp lệ",
}

LIST_PARAMETERS = {
    "fields": ('Danh sách trường, JSON: ["name", "kind"]; ["*"] là mọi trường.', "string"),
    "filters": (
        'Bộ lọc, JSON: [["kind", "in", ["Xã", "Thị trấn"]]] hoặc {"kind": "Xã"}.',
        "string",
    ),
    "or_filters": ("Bộ lọc 'hoặc', cùng dạng với filters.", "string"),
    "order_by": ('Sắp xếp: "modified desc, name asc".', "string"),
    "group_by": ("Nhóm theo trường (dùng với count(name) as n trong fields).", "string"),
    "limit_start": ("Bắt đầu từ dòng thứ (0 là đầu tiên).", "integer"),
    "limit_page_length": ("Số dòng mỗi trang (mặc định 20; 0 là tất cả).", "integer"),
    "limit": ("Như limit_page_length.", "integer"),
    "as_dict": ("1: mỗi dòng là một đối tượng; 0: một mảng giá trị.", "integer"),
}


def schema_name(doctype: str) -> str:
    """A component name for a DocType ("Organization Unit" → "Organization_Unit")."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", doctype)


def field_schema(field, meta) -> dict:
    """The JSON schema of one model field as the wire carries it."""
    if isinstance(field, models.ForeignKey):
        target = getattr(field.related_model, "_doctype", None)
        out = {
            "type": "string",
            "description": _("Liên kết: name của {target}").format(
                target=target.name if target else field.related_model._meta.verbose_name
            ),
        }
    elif isinstance(field, models.BooleanField):
        out = {"type": "integer", "enum": [0, 1]}
    elif isinstance(field, models.IntegerField):
        out = {"type": "integer"}
        if isinstance(
            field,
            models.PositiveIntegerField
            | models.PositiveSmallIntegerField
            | models.PositiveBigIntegerField,
        ):
            out["minimum"] = 0
    elif isinstance(field, models.DecimalField | models.FloatField):
        out = {"type": "number"}
    elif isinstance(field, models.DateTimeField):
        out = {"type": "string", "example": "2026-01-31 08:30:00"}
    elif isinstance(field, models.DateField):
        out = {"type": "string", "format": "date"}
    elif isinstance(field, models.TimeField):
        out = {"type": "string", "example": "08:30:00"}
    elif isinstance(field, models.JSONField):
        out = {}
    else:
        out = {"type": "string"}
        if getattr(field, "max_length", None):
            out["maxLength"] = field.max_length
    if field.choices and not isinstance(field, models.BooleanField):
        out["enum"] = [value for value, _label in field.flatchoices]
    label = str(field.verbose_name)
    if field.help_text:
        label += f" — {field.help_text}"
    out["description"] = label + (f". {out['description']}" if "description" in out else "")
    if field.null:
        out["nullable"] = True
    read_only = meta is not None and field.name in meta.read_only_fields
    if read_only or not field.editable or field.name in ("name", "owner", "modified_by"):
        out["readOnly"] = True
    return out


def _is_required(field, meta) -> bool:
    if field.blank or field.has_default() or not field.editable:
        return False
    if meta is not None and field.name in meta.read_only_fields:
        return False
    return not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)


def model_schema(model, meta, skip=()) -> dict:
    """The object schema of a DocType's rows (or of a child table's rows)."""
    properties, required = {}, []
    for field in wire_fields(model, meta):
        if field.name in skip:
            continue
        properties[field.name] = field_schema(field, meta)
        if _is_required(field, meta):
            required.append(field.name)
    schema = {"type": "object", "properties": properties}
    if meta is not None:
        schema["description"] = f"{meta.name} — {model._meta.verbose_name}"
        properties["doctype"] = {"type": "string", "enum": [meta.name], "readOnly": True}
    if required:
        schema["required"] = required
    return schema


def _error_responses() -> dict:
    return {
        status: {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for status, text in ERROR_STATUSES.items()
    }


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _resource_paths(meta) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema_name(meta.name)}"}
    label = str(meta.model._meta.verbose_name)
    list_params = [{"$ref": f"#/components/parameters/{name}"} for name in LIST_PARAMETERS]
    body = {
        "required": True,
        "content": {"application/json": {"schema": ref}},
    }
    name_param = {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": _("Mã (name) của tài liệu"),
    }
    tag = [meta.name]
    return {
        f"/api/resource/{meta.name}": {
            "get": {
                "tags": tag,
                "summary": _("Danh sách {label}").format(label=label),
                "operationId": f"list_{schema_name(meta.name)}",
                "parameters": list_params,
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": ref}},
                        }
                    ),
                    **_error_responses(),
                },
            },
            "post": {
                "tags": tag,
                "summary": _("Tạo {label}").format(label=label),
                "operationId": f"insert_{schema_name(meta.name)}",
                "requestBody": body,
                "responses": {
                    "200": _json({"type": "object", "properties": {"data": ref}}),
                    **_error_responses(),
                },
            },
        },
        f"/api/resource/{meta.name}/{{name}}": {
            "parameters": [name_param],
            "get": {
                "tags": tag,
                "summary": _("Xem một {label}").format(label=label),
                "operationId": f"get_{schema_name(meta.name)}",
                "responses": {
                    "200": _json({"type": "object", "properties": {"data": ref}}),
                    **_error_responses(),
                },
            },
            "put": {
                "tags": tag,
                "summary": _("Sửa {label} (chỉ các trường gửi lên)").format(label=label),
                "operationId": f"update_{schema_name(meta.name)}",
                "requestBody": body,
                "responses": {
                    "200": _json({"type": "object", "properties": {"data": ref}}),
                    **_error_responses(),
                },
            },
            "delete": {
                "tags": tag,
                "summary": _("Xóa {label}").format(label=label),
                "operationId": f"delete_{schema_name(meta.name)}",
                "responses": {
                    "202": _json({"type": "object", "properties": {"data": {"type": "string"}}}),
                    **_error_responses(),
                },
            },
        },
    }


def _method_params(func) -> tuple[list[str], list[str]]:
    params = list(inspect.signature(func).parameters.values())[1:]
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return [p.name for p in named], [p.name for p in named if p.default is p.empty]


def _method_paths() -> dict:
    paths = {}
    for key in sorted(METHODS):
        method = METHODS[key]
        names, required = _method_params(method.func)
        doc = inspect.getdoc(method.func) or ""
        operations = {}
        for verb in method.http_methods:
            op = {
                "tags": [key.rsplit(".", 1)[0] if "." in key else "auth"],
                "summary": method.summary,
                "description": doc,
                "operationId": f"{verb.lower()}_{re.sub(r'[^A-Za-z0-9_]', '_', key)}",
                "responses": {"200": _json({"type": "object", "properties": {"message": {}}})},
            }
            op["responses"].update(_error_responses())
            if not method.allow_guest:
                op["security"] = [{"sid": []}, {"token": []}]
            else:
                op["security"] = [{}]
            if verb in ("GET", "DELETE"):
                op["parameters"] = [
                    {"name": n, "in": "query", "required": n in required, "schema": {}}
                    for n in names
                ]
            else:
                properties = {n: {} for n in names}
                content = {"application/json": {"schema": {"type": "object"}}}
                if names:
                    content["application/json"]["schema"]["properties"] = properties
                    if required:
                        content["application/json"]["schema"]["required"] = required
                if key == "upload_file":
                    content = {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    **{n: {"type": "string"} for n in names},
                                },
                                "required": ["file"],
                            }
                        }
                    }
                op["requestBody"] = {"content": content}
            operations[verb.lower()] = op
        paths[f"/api/method/{key}"] = operations
    return paths


@functools.lru_cache(maxsize=1)
def openapi_schema() -> dict:
    """The whole OpenAPI document (built once per process: the registries do not change)."""
    load_method_modules()
    schemas = {
        "Error": {
            "type": "object",
            "description": _("Lỗi theo dạng của Frappe"),
            "properties": {
                "exc_type": {"type": "string", "example": "ValidationError"},
                "exception": {"type": "string"},
                "_server_messages": {
                    "type": "string",
                    "description": _(
                        "Chuỗi JSON của một danh sách các chuỗi JSON {message, title, indicator}"
                    ),
                },
            },
            "required": ["exc_type", "_server_messages"],
        }
    }
    paths = {}
    for name in sorted(REGISTRY):
        meta = REGISTRY[name]
        schema = model_schema(meta.model, meta)
        for table_field, child_model in meta.child_tables.items():
            child_name = schema_name(child_doctype_name(child_model))
            fk = parent_link(meta.model, table_field)
            schemas[child_name] = model_schema(
                child_model, getattr(child_model, "_doctype", None), skip={fk.name}
            )
            schema["properties"][table_field] = {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/{child_name}"},
                "description": str(child_model._meta.verbose_name_plural),
            }
        schemas[schema_name(name)] = schema
        paths.update(_resource_paths(meta))
    paths.update(_method_paths())
    parameters = {
        name: {
            "name": name,
            "in": "query",
            "required": False,
            "description": text,
            "schema": {"type": kind},
        }
        for name, (text, kind) in LIST_PARAMETERS.items()
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "eOffice REST API",
            "version": "1",
            "description": _(
                "API theo chuẩn REST của Frappe (/api/resource, /api/method): các ứng dụng "
                "viết cho Frappe, như frappe-js-sdk, dùng được nguyên vẹn. Đăng nhập bằng "
                "POST /api/method/login (usr, pwd) hoặc gửi 'Authorization: token KEY:SECRET'."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"sid": []}, {"token": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": parameters,
            "securitySchemes": {
                "sid": {"type": "apiKey", "in": "cookie", "name": "sid"},
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "token KEY:SECRET",
                },
            },
        },
    }


def schema_view(request):
    """``/api/openapi.json``."""
    return JsonResponse(openapi_schema(), json_dumps_params=JSON_DUMPS)


DOCS_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{css}">
</head><body><div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script>
window.csrf_token = {token};
SwaggerUIBundle({{
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "BaseLayout",
  deepLinking: true,
  requestInterceptor: function (req) {{
    if (window.csrf_token) {{ req.headers["X-Frappe-CSRF-Token"] = window.csrf_token; }}
    return req;
  }}
}});
</script></body></html>
"""


def docs_view(request):
    """``/api/docs``: Swagger UI, offline. A logged-in visitor is handed a CSRF token, as on
    any desk page, so that "Try it out" works with their session."""
    token = None
    if request.user.is_authenticated and not getattr(request, "token_auth", False):
        token = get_token(request)
        mark_csrf_handed(request)
    base = "drf_spectacular_sidecar/swagger-ui-dist/"
    html = DOCS_PAGE.format(
        title=escape(_("eOffice — Tài liệu API")),
        css=static(base + "swagger-ui.css"),
        bundle=static(base + "swagger-ui-bundle.js"),
        preset=static(base + "swagger-ui-standalone-preset.js"),
        token=json.dumps(token),
    )
    return HttpResponse(html, content_type="text/html; charset=utf-8")
