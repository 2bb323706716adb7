"""Rows to the API's wire format (Frappe's ``as_dict``)."""

from django.db import models


def field_value(doc, field):
    """A field's value as the wire carries it: links by ``name``, dates as ISO text."""
    if isinstance(field, models.ForeignKey):
        target = getattr(doc, field.name)
        return getattr(target, "name", None) if target is not None else None
    value = getattr(doc, field.attname)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return value


def doc_to_dict(doc) -> dict:
    """All concrete, non-hidden fields of a row, with ``doctype`` and child tables."""
    meta = getattr(type(doc), "_doctype", None)
    hidden = set(meta.hidden_fields) if meta else set()
    out = {}
    for field in doc._meta.concrete_fields:
        if field.name in ("id",) or field.name in hidden:
            continue
        out[field.name] = field_value(doc, field)
    if meta:
        out["doctype"] = meta.name
        for table_field, _child_model in meta.child_tables.items():
            out[table_field] = [doc_to_dict(row) for row in getattr(doc, table_field).all()]
    return out
