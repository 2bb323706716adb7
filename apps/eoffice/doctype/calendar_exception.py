"""DocType "Calendar Exception": a site's own make-up working days and extra days off.

Vietnam's public holidays come from the ``holidays`` package (see :mod:`eoffice.calendar`).
What it cannot know, an administrator enters here each year: a Saturday worked to make up for a
bridge day off (ngày làm bù), a day off the government or the province decides late, a local
holiday. One row per date; a row overrides the national calendar for that date.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

ADMIN_ONLY = ["Quản trị"]


class CalendarExceptionKind(models.TextChoices):
    WORKING_DAY = "Ngày làm bù"  # a weekend day (or holiday) that is worked
    DAY_OFF = "Ngày nghỉ"  # a weekday that is not worked


@doctype(
    "Calendar Exception",
    permissions={
        "read": ALL_ROLES,
        "create": ADMIN_ONLY,
        "write": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    title_field="description",
    search_fields=("description",),
)
class CalendarException(DocModel):
    """A date the site works or rests against the national calendar."""

    autoname = "field:day"

    day = models.DateField(_("Ngày"), unique=True)
    kind = models.CharField(_("Loại ngày"), max_length=20, choices=CalendarExceptionKind.choices)
    description = models.CharField(
        _("Lý do"),
        max_length=255,
        help_text=_("Ví dụ: Làm bù cho ngày nghỉ 02/05/2025 (Thông báo số …)."),
    )

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Ngày làm bù, ngày nghỉ riêng")
        verbose_name_plural = _("Ngày làm bù, ngày nghỉ riêng")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.kind}"

    def clean(self):
        from eoffice.calendar import is_national_working_day

        self.description = (self.description or "").strip()
        if not self.day or not self.kind:
            return
        national = is_national_working_day(self.day)
        if self.kind == CalendarExceptionKind.WORKING_DAY and national:
            raise ValidationError(
                {"day": [_("Ngày %(day)s vốn là ngày làm việc.") % {"day": f"{self.day:%d/%m/%Y}"}]}
            )
        if self.kind == CalendarExceptionKind.DAY_OFF and not national:
            raise ValidationError(
                {"day": [_("Ngày %(day)s vốn là ngày nghỉ.") % {"day": f"{self.day:%d/%m/%Y}"}]}
            )

    def save(self, *args, **kwargs):
        self.name = self.day.isoformat()
        super().save(*args, **kwargs)


def _load() -> tuple[frozenset, frozenset]:
    working, off = set(), set()
    for day, kind in CalendarException.objects.values_list("day", "kind"):
        (working if kind == CalendarExceptionKind.WORKING_DAY else off).add(day)
    return frozenset(working), frozenset(off)


_cache = None


def site_exceptions() -> tuple[frozenset, frozenset]:
    """(make-up working days, extra days off) of this site, cached per process."""
    global _cache
    if _cache is None:
        from eoffice.deadlines.cache import TableCache

        _cache = TableCache(_load, (CalendarException,))
    return _cache.get()


def clear_cache() -> None:
    """Forget the cached days (tests; an edit in this process does it by itself)."""
    if _cache is not None:
        _cache.clear()
