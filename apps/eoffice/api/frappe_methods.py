"""Frappe's ``frappe.client.*`` methods, which Frappe clients (frappe-js-sdk, frappe-ui,
the Python ``frappe-client``) call: lists, counts, single values, insert, save, delete, rename.

Each one goes through the same permission layer and the same document code as
``/api/resource``; see :mod:`eoffice.api.documents` and :mod:`eoffice.api.query`.
Importing this module also registers the auth methods (:mod:`eoffice.api.session`) and the
file methods (:mod:`eoffice.api.files`).
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.api import documents, files, query, session  # noqa: F401  (they register methods)
from eoffice.api.errors import DataError
from eoffice.api.methods import whitelist
from eoffice.api.params import bool_param, json_param
from eoffice.api.views import doctype_meta

#: Frappe's ``default_fields``: set by the system, never by ``set_value``.
STANDARD_FIELDS = ("doctype", "name", "owner", "creation", "modified", "modified_by", "docstatus")


@whitelist("frappe.ping", methods=("GET", "POST"), allow_guest=True)
def ping(request):
    """Answers "pong": the server is up."""
    return "pong"


@whitelist("frappe.client.get_list")
def get_list(request, doctype, **params):
    """A page of documents of ``doctype`` (the same parameters as ``/api/resource``)."""
    meta = doctype_meta(doctype)
    return query.get_list(request.user, meta, **query.list_args(params))


@whitelist("frappe.client.get_count")
def get_count(request, doctype, filters=None, or_filters=None, debug=False, cache=False):
    """How many documents of ``doctype`` match ``filters`` among those the user may read."""
    meta = doctype_meta(doctype)
    return query.count(
        request.user,
        meta,
        json_param(filters, "filters"),
        json_param(or_filters, "or_filters"),
    )


def _safe_filters(filters):
    """Frappe's ``get_safe_filters``: JSON filters, or a bare ``name``."""
    if isinstance(filters, str):
        text = filters.strip()
        if text[:1] in ("[", "{"):
            return json_param(text, "filters")
        return {"name": text} if text else None
    if isinstance(filters, int | float):
        return {"name": str(filters)}
    return filters or None


@whitelist("frappe.client.get")
def get(request, doctype, name=None, filters=None, parent=None):
    """One whole document, by ``name`` or by the first match of ``filters``."""
    meta = doctype_meta(doctype)
    if not name and filters:
        rows = query.get_list(
            request.user, meta, fields=["name"], filters=_safe_filters(filters), limit_page_length=1
        )
        if not rows:
            raise exc.DoesNotExistError(_("Không có tài liệu nào khớp với bộ lọc."))
        name = rows[0]["name"]
    doc = documents.get_doc(request.user, meta, name)
    from eoffice import audit

    audit.record_view(request.user, meta, doc)  # a secret document's reads are logged
    return documents.doc_to_dict(doc, meta)


@whitelist("frappe.client.get_value")
def get_value(
    request, doctype, fieldname=None, filters=None, as_dict=True, debug=False, parent=None
):
    """Values of ``fieldname`` (a field or a JSON list; default ``name``) of the first match."""
    meta = doctype_meta(doctype)
    if isinstance(fieldname, str) and fieldname.strip().startswith("["):
        fields = json_param(fieldname, "fieldname")
    elif isinstance(fieldname, list):
        fields = fieldname
    else:
        fields = [fieldname] if fieldname else []
    fields = fields or ["name"]
    as_dict = bool_param(as_dict, "as_dict", default=True)
    rows = query.get_list(
        request.user,
        meta,
        fields=fields,
        filters=_safe_filters(filters),
        limit_page_length=1,
        as_dict=as_dict,
    )
    if as_dict:
        return rows[0] if rows else {}
    if not rows:
        return None
    return rows[0] if len(fields) > 1 else rows[0][0]


@whitelist("frappe.client.get_single_value")
def get_single_value(request, doctype, field):
    """Frappe's single DocTypes (settings) do not exist here: a clear 404."""
    doctype_meta(doctype)
    raise exc.DoesNotExistError(
        _("'{doctype}' không phải loại tài liệu đơn (Single).").format(doctype=doctype)
    )


@whitelist("frappe.client.set_value", methods=("POST", "PUT"))
def set_value(request, doctype, name, fieldname, value=None):
    """Set one field (``fieldname``, ``value``) or several (``fieldname`` as a JSON object)."""
    meta = doctype_meta(doctype)
    if isinstance(fieldname, dict):
        values = fieldname
    elif value is None or value == "":
        try:
            values = json.loads(fieldname)
        except (TypeError, ValueError):
            values = {fieldname: value if value is not None else ""}
        if not isinstance(values, dict):
            values = {str(fieldname): value}
    else:
        values = {fieldname: value}
    touched = [key for key in values if key in STANDARD_FIELDS]
    if touched:
        raise DataError(
            _("Không sửa được trường chuẩn: {fields}.").format(fields=", ".join(touched))
        )
    doc = documents.update_doc(request.user, meta, name, values)
    return documents.as_dict(meta, doc)


def _doc_param(doc) -> dict:
    doc = json_param(doc, "doc")
    if not isinstance(doc, dict):
        raise DataError(_("Tham số 'doc' phải là một tài liệu JSON {…} có 'doctype'."))
    if not doc.get("doctype"):
        raise DataError(_("Tài liệu thiếu 'doctype'."))
    return doc


def _insert(user, doc: dict) -> dict:
    if doc.get("parenttype") and doc.get("parent"):
        # A child row: appended to its parent's table, the parent saved as a whole.
        meta = doctype_meta(doc["parenttype"])
        table = doc.get("parentfield")
        if table not in meta.child_tables:
            raise DataError(
                _("'{table}' không phải bảng con của {doctype}.").format(
                    table=table, doctype=meta.name
                )
            )
        current = documents.doc_to_dict(documents.get_doc(user, meta, doc["parent"]), meta)
        rows = current.get(table, []) + [{k: v for k, v in doc.items() if k != "name"}]
        parent = documents.update_doc(user, meta, doc["parent"], {table: rows})
        return documents.as_dict(meta, parent)
    meta = doctype_meta(doc["doctype"])
    created = documents.insert_doc(user, meta, {k: v for k, v in doc.items() if k != "doctype"})
    return documents.as_dict(meta, created)


@whitelist("frappe.client.insert", methods=("POST", "PUT"))
def insert(request, doc):
    """Create a document from ``doc`` (JSON with ``doctype``); a child row joins its parent."""
    return _insert(request.user, _doc_param(doc))


@whitelist("frappe.client.insert_many", methods=("POST", "PUT"))
def insert_many(request, docs):
    """Create up to 200 documents at once, all or none; return their names."""
    docs = json_param(docs, "docs")
    if not isinstance(docs, list):
        raise DataError(_("Tham số 'docs' phải là một danh sách tài liệu."))
    if len(docs) > 200:
        raise DataError(_("Chỉ được tạo tối đa 200 tài liệu trong một yêu cầu."))
    return [_insert(request.user, _doc_param(doc))["name"] for doc in docs]


@whitelist("frappe.client.save", methods=("POST", "PUT"))
def save(request, doc):
    """Save an existing document sent whole (``doctype`` and ``name`` inside)."""
    doc = _doc_param(doc)
    meta = doctype_meta(doc["doctype"])
    if not doc.get("name"):
        raise DataError(_("Tài liệu thiếu 'name'."))
    saved = documents.update_doc(request.user, meta, doc["name"], doc)
    return documents.as_dict(meta, saved)


@whitelist("frappe.client.delete", methods=("POST", "DELETE"))
def delete(request, doctype, name):
    """Delete a document."""
    documents.delete_doc(request.user, doctype_meta(doctype), name)


@whitelist("frappe.client.rename_doc", methods=("POST", "PUT"))
def rename_doc(request, doctype, old_name, new_name, merge=False):
    """Give a document a new ``name``; its attachments follow it."""
    return documents.rename_doc(request.user, doctype_meta(doctype), old_name, new_name, merge)


@whitelist("frappe.client.submit", methods=("POST", "PUT"))
def submit(request, doc):
    """Frappe's submit: documents here move through workflows instead (apply_workflow)."""
    doc = _doc_param(doc)
    doctype_meta(doc["doctype"])
    raise exc.ValidationError(
        _(
            "{doctype} không dùng bước Submit; hãy dùng thao tác của quy trình "
            "(frappe.model.workflow.apply_workflow)."
        ).format(doctype=doc["doctype"])
    )


@whitelist("frappe.client.cancel", methods=("POST", "PUT"))
def cancel(request, doctype, name):
    """Frappe's cancel: see :func:`submit`."""
    doctype_meta(doctype)
    raise exc.ValidationError(
        _(
            "{doctype} không dùng bước Cancel; hãy dùng thao tác của quy trình "
            "(frappe.model.workflow.apply_workflow)."
        ).format(doctype=doctype)
    )


@whitelist("frappe.client.has_permission")
def has_permission(request, doctype, docname, perm_type="read"):
    """``{"has_permission": bool}``: may the user ``perm_type`` this document."""
    meta = doctype_meta(doctype)
    try:
        doc = documents.get_doc(request.user, meta, docname)
    except (exc.DoesNotExistError, exc.PermissionError):
        return {"has_permission": False}
    allowed = permissions.has_permission(request.user, meta, str(perm_type).lower(), doc)
    return {"has_permission": allowed}
