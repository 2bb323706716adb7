"""Rows to the API's wire format (Frappe's ``as_dict``) and wire values back to Python.

Frappe's wire format, which Frappe clients rely on:

- a link (ForeignKey) travels as the target's ``name``, never as an integer id;
- a check (BooleanField) travels as ``0`` / ``1``;
- a date as ``YYYY-MM-DD``, a datetime as ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in the site's time
  zone without an offset (Frappe stores naive local times), a decimal as a number;
- the row carries ``doctype``; child tables are lists of rows that also carry ``parent``,
  ``parentfield``, ``parenttype`` and ``idx``.
"""

from __future__ import annotations

import datetime
import decimal
import re

from django.db import models
from django.utils import timezone

#: Fields of a model that never travel: the integer key is internal (``name`` is the key).
INTERNAL_FIELDS = frozenset({"id"})


def wire_value(field, value):
    """One stored value as the wire carries it (``field`` decides booleans)."""
    if value is None:
        return None
    if isinstance(field, models.BooleanField):
        return 1 if value else 0
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def link_name(target):
    """The wire key of a linked row: its ``name``, or its primary key when it has none."""
    if target is None:
        return None
    name = getattr(target, "name", None)
    return name if name is not None else target.pk


def field_value(doc, field):
    """A field's value as the wire carries it: links by ``name``, dates as ISO text."""
    if isinstance(field, models.ForeignKey):
        return link_name(getattr(doc, field.name))
    return wire_value(field, getattr(doc, field.attname))


def wire_fields(model, meta=None) -> list:
    """The concrete fields of ``model`` that travel (not the integer key, not hidden ones)."""
    hidden = set(meta.hidden_fields) if meta else set()
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in INTERNAL_FIELDS and f.name not in hidden
    ]


def doc_to_dict(doc, meta=None) -> dict:
    """All concrete, non-hidden fields of a row, with ``doctype`` and child tables.

    ``meta`` is the DocType the row is read as (by default the one its model is registered
    under); child tables come from it.
    """
    meta = meta or getattr(type(doc), "_doctype", None)
    out = {}
    for field in wire_fields(type(doc), meta):
        out[field.name] = field_value(doc, field)
    if meta:
        out["doctype"] = meta.name
        for table_field, child_model in meta.child_tables.items():
            rows = getattr(doc, table_field).all()
            out[table_field] = [
                child_to_dict(row, child_model, doc, meta, table_field) for row in rows
            ]
    return out


def child_doctype_name(child_model) -> str:
    """The DocType name of a child table's rows: its registered name, else the model's class
    name in words ("IncomingDocumentAssignee" → "Incoming Document Assignee")."""
    meta = getattr(child_model, "_doctype", None)
    if meta:
        return meta.name
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", child_model.__name__)


def parent_link(parent_model, table_field: str):
    """The ForeignKey of a child table that points at its parent (found from the reverse name)."""
    return parent_model._meta.get_field(table_field).field


def child_to_dict(row, child_model, parent, parent_meta, table_field: str) -> dict:
    """A child row as Frappe sends it: its fields plus ``name``, ``parent``, ``idx``, …"""
    child_meta = getattr(child_model, "_doctype", None)
    fk = parent_link(type(parent), table_field)
    out = {}
    for field in wire_fields(child_model, child_meta):
        if field.name == fk.name:
            continue
        out[field.name] = field_value(row, field)
    # A child model without a ``name`` field is addressed by its key, as text.
    out.setdefault("name", str(row.pk))
    if out.get("name") in (None, ""):
        out["name"] = str(row.pk)
    out["parent"] = parent.name
    out["parentfield"] = table_field
    out["parenttype"] = parent_meta.name
    out["doctype"] = child_doctype_name(child_model)
    out.setdefault("idx", getattr(row, "idx", 0))
    return out
