"""One document over the API: read, create, update (with child tables), delete, rename.

What the wire sends is turned into model fields here; what is allowed is decided by the
permission layer (:mod:`eoffice.permissions`) and what is valid by the model itself
(``full_clean()``, so the rules in a model's ``clean()`` apply to every client alike).
Every write runs in one transaction: the parent and its child rows are saved together or not
at all, and bad input leaves nothing changed.

Visibility: a document outside the user's scope is "not found" (404) on every request, so its
existence is never revealed; one the user may read but not change gives 403.

Child tables (``DocTypeMeta.child_tables``) follow Frappe's semantics on create and update: a
given list replaces the rows; a row whose ``name`` is known is updated, a row without one (or
with an unknown one) is inserted, rows left out are deleted. A parent model may define
``clean_tables(self)``: it runs after the rows are saved, in the same transaction, for rules
across rows ("exactly one Chủ trì"); a ``ValidationError`` there undoes everything.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core import exceptions as django_exceptions
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice import exceptions as exc
from eoffice import permissions
from eoffice.api.errors import DataError, from_django_validation
from eoffice.api.filters import doctype_label
from eoffice.api.params import bool_param
from eoffice.api.query import PTYPE_WORDS, require_read
from eoffice.api.serialize import (
    INTERNAL_FIELDS,
    doc_to_dict,
    field_value,
    parent_link,
    wire_fields,
    wire_value,
)

#: Keys of Frappe's wire format that are not written by a client (silently ignored, as Frappe
#: does, so that a document read with GET can be sent back with PUT as it is).
STANDARD_KEYS = frozenset(
    {"name", "doctype", "owner", "creation", "modified", "modified_by", "docstatus", "idx"}
)
#: Keys Frappe adds to child rows; ignored unless the model has a field of that name
#: ("Organization Unit" has a real ``parent``).
CHILD_ROW_KEYS = frozenset({"parent", "parentfield", "parenttype"})


# ---------------------------------------------------------------------------------------
# Reading


def _select_related(model, meta) -> list[str]:
    return [f.name for f in wire_fields(model, meta) if isinstance(f, models.ForeignKey)]


def loaded(meta, queryset):
    """``queryset`` with links and child rows fetched up front (no query per link or row)."""
    queryset = queryset.select_related(*_select_related(meta.model, meta))
    prefetches = []
    for table_field, child_model in meta.child_tables.items():
        child_meta = getattr(child_model, "_doctype", None)
        related = [
            name
            for name in _select_related(child_model, child_meta)
            if name != parent_link(meta.model, table_field).name
        ]
        prefetches.append(Prefetch(table_field, child_model.objects.select_related(*related)))
    return queryset.prefetch_related(*prefetches)


def not_found(meta, name) -> exc.DoesNotExistError:
    return exc.DoesNotExistError(
        _("Không tìm thấy {label} '{name}'.").format(label=doctype_label(meta), name=name)
    )


def get_doc(user, meta, name, ptype: str = "read", for_update: bool = False):
    """The document ``name`` if the user may read it, checked for ``ptype``.

    Not visible → 404 (the same answer as for a document that does not exist); visible but
    not allowed for ``ptype`` → 403. ``for_update`` locks the row until the transaction ends.
    """
    require_read(user, meta)
    if name in (None, ""):
        raise not_found(meta, "")
    visible = permissions.filter_queryset(user, meta, meta.model.objects.all(), "read")
    pk = visible.filter(name=str(name)).values_list("pk", flat=True).first()
    if pk is None:
        raise not_found(meta, name)
    queryset = meta.model.objects.filter(pk=pk)
    doc = (queryset.select_for_update() if for_update else loaded(meta, queryset)).get()
    if ptype != "read" and not permissions.has_permission(user, meta, ptype, doc):
        raise exc.PermissionError(
            _("Bạn không có quyền {ptype} {label} '{name}'.").format(
                ptype=PTYPE_WORDS.get(ptype, ptype), label=doctype_label(meta), name=name
            )
        )
    return doc


def as_dict(meta, doc) -> dict:
    """The document as the wire carries it, read back from the database (links, child rows)."""
    fresh = loaded(meta, meta.model.objects.filter(pk=doc.pk)).get()
    return doc_to_dict(fresh, meta)


# ---------------------------------------------------------------------------------------
# Writing values


def _same(current, given) -> bool:
    """Whether a value sent back unchanged equals the stored one (wire forms compared)."""
    if current == given:
        return True
    if current is None or given is None:
        return current in (None, "") and given in (None, "")
    return str(current) == str(given)


def _set_field(doc, field, value):
    """Put one wire value into ``doc``; a message for the person when it cannot be used."""
    if isinstance(field, models.ForeignKey):
        if value in (None, ""):
            setattr(doc, field.name, None)
            return
        if isinstance(value, dict | list):
            raise django_exceptions.ValidationError(_("Giá trị liên kết phải là tên (name)."))
        target = field.related_model
        key = "name" if any(f.name == "name" for f in target._meta.fields) else "pk"
        obj = target._default_manager.filter(**{key: str(value)}).first()
        if obj is None:
            raise django_exceptions.ValidationError(
                _("không tìm thấy {target} '{value}'.").format(
                    target=target._meta.verbose_name, value=str(value)[:140]
                ),
                code="invalid_link",
            )
        setattr(doc, field.name, obj)
        return
    if isinstance(value, dict | list) and not isinstance(field, models.JSONField):
        raise django_exceptions.ValidationError(_("Giá trị không hợp lệ."), code="invalid")
    if isinstance(field, models.BooleanField):
        if value in (None, "") and field.null:
            setattr(doc, field.attname, None)
            return
        try:
            setattr(doc, field.attname, bool_param(value, field.name))
        except DataError:
            raise django_exceptions.ValidationError(
                _("Giá trị '{value}' không phải 0/1.").format(value=str(value)[:50]),
                code="invalid",
            ) from None
        return
    if value == "" and not isinstance(field, models.CharField | models.TextField):
        value = None
    if value is None and isinstance(field, models.CharField | models.TextField) and not field.null:
        value = ""
    try:
        converted = field.to_python(value)
    except (TypeError, ValueError, OverflowError):
        raise django_exceptions.ValidationError(
            _("Giá trị '{value}' không hợp lệ.").format(value=str(value)[:50]), code="invalid"
        ) from None
    if isinstance(converted, datetime.datetime) and timezone.is_naive(converted):
        converted = timezone.make_aware(converted)  # the wire carries the site's local time
    setattr(doc, field.attname, converted)


def _apply(doc, model, meta, data: dict, is_new: bool, skip=()) -> dict:
    """Write ``data`` into ``doc``; return the child tables it names, untouched.

    Standard keys and ``_private`` keys are ignored; an unknown field is an error, a hidden
    one is refused, and a read-only one may only be sent back unchanged.
    """
    if not isinstance(data, dict):
        raise DataError(_("Dữ liệu của tài liệu phải là một đối tượng JSON {…}."))
    hidden = set(meta.hidden_fields) if meta else set()
    read_only = set(meta.read_only_fields) if meta else set()
    tables = meta.child_tables if meta else {}
    children, errors = {}, {}
    own_fields = {f.name for f in model._meta.concrete_fields}
    for key, value in data.items():
        ignored = key in STANDARD_KEYS or (key in CHILD_ROW_KEYS and key not in own_fields)
        if ignored or key in skip or (isinstance(key, str) and key.startswith("_")):
            if key == "name" and is_new and getattr(model, "autoname", "") == "prompt":
                doc.name = str(value or "")
            continue
        if key in tables:
            children[key] = value
            continue
        if key in hidden:
            raise exc.PermissionError(
                _("Không được ghi trường '{field}' qua API.").format(field=key)
            )
        try:
            field = model._meta.get_field(key)
        except django_exceptions.FieldDoesNotExist:
            field = None
        if field is None or key in INTERNAL_FIELDS or not getattr(field, "concrete", False):
            raise DataError(
                _("Trường '{field}' không có trong {label}.").format(
                    field=str(key)[:100], label=model._meta.verbose_name
                )
            )
        if key in read_only or not field.editable:
            current = None if is_new else field_value(doc, field)
            if _same(current, value) or (is_new and value in (None, "", 0)):
                continue
            errors[key] = [
                django_exceptions.ValidationError(
                    _("trường chỉ đọc, không sửa được qua API."), code="read_only"
                )
            ]
            continue
        try:
            _set_field(doc, field, value)
        except django_exceptions.ValidationError as error:
            errors[key] = error.error_list
    if errors:
        raise django_exceptions.ValidationError(errors)
    return children


def _apply_checked(doc, meta, data: dict, is_new: bool) -> dict:
    """:func:`_apply` on a document, its field errors named by the labels people read."""
    try:
        return _apply(doc, meta.model, meta, data, is_new)
    except django_exceptions.ValidationError as error:
        raise from_django_validation(error, meta.model) from None


def _stamp(doc, user, is_new: bool) -> None:
    """Frappe's ``owner`` and ``modified_by``: the user's e-mail."""
    email = getattr(user, "email", "") or ""
    if is_new and hasattr(doc, "owner"):
        doc.owner = email
    if hasattr(doc, "modified_by"):
        doc.modified_by = email


def _clean(doc, model, prefix: str = "") -> None:
    try:
        doc.full_clean()
    except django_exceptions.ValidationError as error:
        raise from_django_validation(error, model, prefix) from None


def _sync_table(user, meta, doc, table_field: str, rows) -> None:
    """Replace the rows of one child table with ``rows`` (Frappe's semantics, see module)."""
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        raise DataError(
            _("Bảng con '{table}' phải là một danh sách các dòng.").format(table=table_field)
        )
    child_model = meta.child_tables[table_field]
    child_meta = getattr(child_model, "_doctype", None)
    fk = parent_link(meta.model, table_field)
    has_name = any(f.name == "name" for f in child_model._meta.fields)
    existing = {
        (row.name if has_name else str(row.pk)): row
        for row in child_model.objects.filter(**{fk.name: doc})
    }
    given = {str(r.get("name")) for r in rows if isinstance(r, dict) and r.get("name")}
    # Rows left out go first, so that a row re-sent as new does not clash with its old self.
    gone = [row.pk for key, row in existing.items() if key not in given]
    if gone:
        child_model.objects.filter(pk__in=gone).delete()
    label = child_model._meta.verbose_name
    for idx, data in enumerate(rows, start=1):
        prefix = _("Hàng #{idx} của {table}: ").format(idx=idx, table=label)
        if not isinstance(data, dict):
            raise DataError(prefix + _("mỗi dòng phải là một đối tượng JSON {…}."))
        row = existing.get(str(data.get("name"))) if data.get("name") else None
        is_new = row is None
        if is_new:
            row = child_model()
            setattr(row, fk.name, doc)
        try:
            _apply(row, child_model, child_meta, data, is_new, skip={fk.name})
        except django_exceptions.ValidationError as error:
            raise from_django_validation(error, child_model, prefix) from None
        if hasattr(row, "idx"):
            row.idx = idx
        _clean(row, child_model, prefix)
        _stamp(row, user, is_new)
        row.save()


def _save(user, meta, doc, children: dict, is_new: bool) -> None:
    """Validate and save the document and its child tables; must run in a transaction."""
    _clean(doc, meta.model)
    _stamp(doc, user, is_new)
    doc.save()
    for table_field, rows in children.items():
        _sync_table(user, meta, doc, table_field, rows)
    if children and hasattr(doc, "clean_tables"):
        try:
            doc.clean_tables()
        except django_exceptions.ValidationError as error:
            raise from_django_validation(error, meta.model) from None
    # A document may not be created, or moved, outside the user's own scope.
    if (
        meta.scope is not None
        and not permissions.filter_queryset(
            user, meta, meta.model.objects.filter(pk=doc.pk), "read"
        ).exists()
    ):
        raise exc.PermissionError(
            _("Bạn không được lưu {label} ngoài phạm vi đơn vị của mình.").format(
                label=doctype_label(meta)
            )
        )


def insert_doc(user, meta, data: dict):
    """Create a document of ``meta`` from wire data (Frappe's ``insert``); return it."""
    require_read(user, meta, "create")
    doc = meta.model()
    children = _apply_checked(doc, meta, data, is_new=True)
    if isinstance(doc, AbstractBaseUser) and not doc.password:
        doc.set_unusable_password()  # a person made over the API sets a password later
    with transaction.atomic():
        _save(user, meta, doc, children, is_new=True)
    return doc


def check_timestamp(meta, doc, data: dict) -> None:
    """Frappe's optimistic lock: a ``modified`` sent back must be the stored one (else 409)."""
    sent = data.get("modified")
    if not sent or not hasattr(doc, "modified"):
        return
    stored = wire_value(None, doc.modified)
    if str(sent) == stored:
        return
    field = meta.model._meta.get_field("modified")
    try:
        parsed = field.to_python(str(sent))
    except django_exceptions.ValidationError:
        parsed = None
    if parsed is not None and wire_value(None, parsed) == stored:
        return
    raise exc.TimestampMismatchError(
        _(
            "{label} '{name}' đã được sửa sau khi bạn mở nó. Hãy tải lại tài liệu rồi sửa lại."
        ).format(label=doctype_label(meta), name=doc.name)
    )


def check_workflow_allows_edit(user, meta, doc) -> None:
    """Frappe's ``allow_edit``: in a workflow state, only its editing roles may save."""
    from eoffice.workflows import engine

    if not engine.can_edit(doc, user):
        workflow = engine.get_workflow(meta.name)
        state = engine.current_state(workflow, doc) if workflow else ""
        raise exc.PermissionError(
            _("{label} '{name}' đang ở trạng thái «{state}»: bạn không được sửa.").format(
                label=doctype_label(meta), name=doc.name, state=state
            )
        )


def update_doc(user, meta, name, data: dict):
    """Change a document with wire data (Frappe's ``save``): only the fields given."""
    with transaction.atomic():
        doc = get_doc(user, meta, name, "write", for_update=True)
        check_timestamp(meta, doc, data)
        check_workflow_allows_edit(user, meta, doc)
        children = _apply_checked(doc, meta, data, is_new=False)
        _save(user, meta, doc, children, is_new=False)
    return doc


def delete_doc(user, meta, name) -> None:
    """Delete a document and the files attached to it, in one transaction."""
    from eoffice.doctype.file import File

    with transaction.atomic():
        doc = get_doc(user, meta, name, "delete", for_update=True)
        for attached in File.objects.filter(attached_to_doctype=meta.name, attached_to_name=name):
            attached.delete()
        doc.delete()


def rename_doc(user, meta, old_name, new_name, merge=False) -> str:
    """Give a document a new ``name`` (Frappe's ``rename_doc``); return the new name."""
    from eoffice.doctype.file import File

    if bool_param(merge, "merge"):
        raise DataError(_("Không hỗ trợ gộp tài liệu khi đổi tên (merge)."))
    autoname = getattr(meta.model, "autoname", None)
    if isinstance(doc_autoname := autoname, str) and doc_autoname.startswith("field:"):
        raise DataError(
            _("Mã của {label} lấy theo trường '{field}': hãy sửa trường đó.").format(
                label=doctype_label(meta), field=doc_autoname[6:]
            )
        )
    if autoname is None:  # e.g. a User, whose name is their e-mail
        raise DataError(_("Không đổi được mã của {label}.").format(label=doctype_label(meta)))
    new_name = str(new_name or "").strip()
    if not new_name or len(new_name) > 140:
        raise DataError(_("Tên mới phải có từ 1 đến 140 ký tự."))
    with transaction.atomic():
        doc = get_doc(user, meta, old_name, "write", for_update=True)
        if new_name == doc.name:
            return new_name
        if meta.model.objects.filter(name=new_name).exists():
            raise exc.DuplicateEntryError(
                _("Đã có {label} '{name}'.").format(label=doctype_label(meta), name=new_name)
            )
        meta.model.objects.filter(pk=doc.pk).update(
            name=new_name, modified=timezone.now(), modified_by=getattr(user, "email", "")
        )
        File.objects.filter(attached_to_doctype=meta.name, attached_to_name=doc.name).update(
            attached_to_name=new_name
        )
    return new_name
