"""DocType "Document Register": a register (sổ văn bản) that gives numbers.

One register per (unit, direction, year, secrecy level): the incoming register's "số đến"
and the outgoing series are taken from it, atomically, by :meth:`DocumentRegister.take_next`.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Direction
from eoffice.doctype.base import DocModel, doctype


def unit_scope(user, queryset):
    """Registers of the units the user works in (and the units below those they lead)."""
    from eoffice.permissions import units_in_scope

    return queryset.filter(unit_id__in=units_in_scope(user))


@doctype(
    "Document Register",
    permissions={
        "read": ["Văn thư", "Lãnh đạo", "Lãnh đạo đơn vị", "Quản trị"],
        "create": ["Quản trị", "Văn thư"],
        "write": ["Quản trị", "Văn thư"],
        "delete": ["Quản trị"],
    },
    scope=unit_scope,
    title_field="register_name",
    read_only_fields=("last_number",),
)
class DocumentRegister(DocModel):
    """Sổ văn bản đến/đi of a unit for a year; ``last_number`` is the last number given."""

    autoname = "SO-.YYYY.-.####"

    register_name = models.CharField(_("Tên sổ"), max_length=140)
    unit = models.ForeignKey(
        "eoffice.OrganizationUnit",
        verbose_name=_("Đơn vị"),
        on_delete=models.PROTECT,
        related_name="registers",
    )
    direction = models.CharField(_("Loại sổ"), max_length=10, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("Năm"))
    is_secret = models.BooleanField(_("Sổ văn bản mật"), default=False)
    is_normative = models.BooleanField(_("Sổ văn bản quy phạm pháp luật"), default=False)
    last_number = models.PositiveIntegerField(_("Số cuối đã cấp"), default=0)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Sổ văn bản")
        verbose_name_plural = _("Sổ văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "direction", "year", "is_secret", "is_normative"],
                name="unique_register_per_unit_year",
            ),
        ]

    def __str__(self):
        return self.register_name

    def take_next(self) -> int:
        """The next number of this register, under a row lock in the caller's transaction.

        Call it inside the transaction that saves the numbered document: if that transaction
        rolls back, the number is given back, so numbers stay consecutive with no gaps.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("take_next must run inside the transaction that uses the number")
        row = DocumentRegister.objects.select_for_update().get(pk=self.pk)
        row.last_number += 1
        DocumentRegister.objects.filter(pk=self.pk).update(last_number=row.last_number)
        self.last_number = row.last_number
        return row.last_number
