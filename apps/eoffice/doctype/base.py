"""What every DocType shares: Frappe's standard fields, naming, and the DocType registry.

A DocType is a Django model registered once under its Frappe-style name ("Organization
Unit") with :func:`doctype`. The REST API, the desk, the permission layer and the OpenAPI
description all read the registry, so a new document type is written in one place.

Every DocType row has Frappe's standard fields: ``name`` (the key the API uses), ``owner``,
``creation``, ``modified``, ``modified_by``. Internally rows keep an integer primary key so
that foreign keys stay small at a million documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class NamingSeries(models.Model):
    """The current value of each naming series (Frappe's ``tabSeries``).

    One row per prefix; :func:`next_in_series` increments it inside the caller's transaction,
    so a rolled-back save gives its number back and the series has no gaps.
    """

    prefix = models.CharField(max_length=140, unique=True)
    current = models.BigIntegerField(default=0)

    class Meta:
        app_label = "eoffice"
        db_table = "tab_series"

    def __str__(self):
        return f"{self.prefix}{self.current}"


def next_in_series(prefix: str) -> int:
    """The next number of a series, taken under a row lock in the current transaction."""
    with transaction.atomic():
        row = NamingSeries.objects.select_for_update().filter(prefix=prefix).first()
        if row is None:
            # Two first-takers may race to create the row: the loser retries on the row.
            try:
                with transaction.atomic():
                    NamingSeries.objects.create(prefix=prefix, current=0)
            except Exception:  # IntegrityError: created by the other one meanwhile
                pass
            row = NamingSeries.objects.select_for_update().get(prefix=prefix)
        row.current += 1
        row.save(update_fields=["current"])
        return row.current


def make_autoname(pattern: str, doc=None) -> str:
    """Expand a Frappe naming pattern such as ``"VBD-.YYYY.-.#####"``.

    Parts between dots: ``YYYY``/``YY``/``MM`` are today's date, ``#####`` the next number of
    the series named by everything before it, zero-padded to its width; other parts are literal.
    """
    from django.utils import timezone

    today = timezone.localdate()
    out = ""
    for part in pattern.split("."):
        if part and set(part) == {"#"}:
            out += str(next_in_series(out)).zfill(len(part))
        elif part == "YYYY":
            out += f"{today:%Y}"
        elif part == "YY":
            out += f"{today:%y}"
        elif part == "MM":
            out += f"{today:%m}"
        else:
            out += part
    return out


class DocModel(models.Model):
    """Abstract base of every DocType: Frappe's standard fields and autonaming."""

    name = models.CharField(_("Mã"), max_length=140, unique=True, blank=True)
    owner = models.CharField(_("Người tạo"), max_length=140, blank=True, editable=False)
    creation = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    modified = models.DateTimeField(_("Ngày sửa"), auto_now=True)
    modified_by = models.CharField(_("Người sửa"), max_length=140, blank=True, editable=False)

    #: Frappe naming pattern used when ``name`` is empty; see :func:`make_autoname`.
    autoname = "hash"

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def set_new_name(self):
        if self.autoname == "hash":
            import secrets

            self.name = secrets.token_hex(5)
        elif self.autoname.startswith("field:"):
            self.name = str(getattr(self, self.autoname[6:]))
        else:
            self.name = make_autoname(self.autoname, self)

    def save(self, *args, **kwargs):
        if not self.name:
            with transaction.atomic():
                self.set_new_name()
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def as_dict(self) -> dict:
        """The row in the API's wire format (see :mod:`eoffice.api.serialize`)."""
        from eoffice.api.serialize import doc_to_dict

        return doc_to_dict(self)


class ChildModel(models.Model):
    """Abstract base of a child table row (Frappe's ``istable``): ordered rows of one parent.

    A concrete child table declares ``parent = ForeignKey(<ParentModel>, related_name=<field>)``.
    """

    idx = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["idx"]


# ---------------------------------------------------------------------------------------
# The registry


ALL_ROLES = "*"  # any logged-in user


@dataclass
class DocTypeMeta:
    """How one DocType is exposed: its name, its model, and who may do what.

    ``permissions`` maps a permission type (``read``, ``create``, ``write``, ``delete``) to the
    roles that have it (``ALL_ROLES`` for every logged-in user). ``scope`` narrows what a user
    reads to their units: a callable ``(user, queryset) -> queryset``, or None for no narrowing.
    ``child_tables`` maps a field name of the wire format to the child model.
    """

    name: str
    model: type
    permissions: dict[str, object] = field(default_factory=dict)
    scope: Callable | None = None
    child_tables: dict[str, type] = field(default_factory=dict)
    title_field: str | None = None
    search_fields: tuple[str, ...] = ()
    is_submittable: bool = False
    hidden_fields: tuple[str, ...] = ()  # never sent over the API, never filterable
    read_only_fields: tuple[str, ...] = ()  # set by the system or a workflow, not by a PUT

    @property
    def table_fields(self):
        return self.child_tables


REGISTRY: dict[str, DocTypeMeta] = {}


def doctype(name: str, **options):
    """Class decorator: register a model as the DocType ``name`` (once, and only once)."""

    def wrap(model):
        if name in REGISTRY and REGISTRY[name].model is not model:
            raise RuntimeError(f"DocType {name!r} is registered twice")
        meta = DocTypeMeta(name=name, model=model, **options)
        REGISTRY[name] = meta
        model._doctype = meta
        return model

    return wrap


def get_meta(name: str) -> DocTypeMeta | None:
    """The registered DocType of that name, or None."""
    return REGISTRY.get(name)


def meta_for_model(model) -> DocTypeMeta | None:
    return getattr(model, "_doctype", None)


def validation_error(field_name: str | None, message) -> ValidationError:
    """A ValidationError that names the field, in the words the user reads."""
    if field_name:
        return ValidationError({field_name: [message]})
    return ValidationError(message)
