"""The organisation of DOMAIN.md: a tree of agencies and units, who works where, delegation.

DocTypes: "Organization Unit", "Unit Member" (a person's role in a unit), "Delegation"
(ủy quyền: a role lent to someone else for a period).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.constants import Role, UnitKind
from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

ADMIN_ONLY = ["Quản trị"]


@doctype(
    "Organization Unit",
    permissions={
        "read": ALL_ROLES,
        "create": ADMIN_ONLY,
        "write": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    title_field="unit_name",
    search_fields=("unit_name", "short_name", "agency_code"),
    read_only_fields=("path", "depth"),
)
class OrganizationUnit(DocModel):
    """An agency or a unit of one: UBND huyện, a department, a commune, a coordinating unit.

    ``path`` is a materialised path (``000001/000007/``) so that "this unit and all below it"
    is one indexed prefix query, however deep the tree.
    """

    autoname = "DV-.#####"

    unit_name = models.CharField(_("Tên đơn vị"), max_length=255)
    short_name = models.CharField(
        _("Tên viết tắt"),
        max_length=30,
        help_text=_("Dùng trong số ký hiệu văn bản, ví dụ UBND, VP, TNMT."),
    )
    agency_code = models.CharField(
        _("Mã định danh"),
        max_length=40,
        blank=True,
        null=True,
        unique=True,
        help_text=_("Mã định danh điện tử của cơ quan, dùng khi trao đổi văn bản (edXML)."),
    )
    kind = models.CharField(_("Loại đơn vị"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    keeps_own_registers = models.BooleanField(
        _("Có văn thư, sổ và con dấu riêng"),
        default=False,
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    sort_order = models.IntegerField(_("Thứ tự"), default=0)
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Đơn vị")
        verbose_name_plural = _("Đơn vị")
        ordering = ["path", "sort_order"]

    def __str__(self):
        return self.unit_name

    def clean(self):
        if self.parent_id and self.pk:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {
                            "parent": [
                                _(
                                    "Đơn vị cấp trên không được là chính nó hoặc đơn vị cấp dưới của nó."
                                )
                            ]
                        }
                    )
                node = node.parent

    def save(self, *args, **kwargs):
        self.agency_code = (self.agency_code or "").strip() or None  # empty codes never clash
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = (self.parent.path if self.parent_id else "") + f"{self.pk:06d}/"
            if new_path != self.path:
                old_path = self.path
                OrganizationUnit.objects.filter(pk=self.pk).update(
                    path=new_path, depth=new_path.count("/") - 1
                )
                self.path, self.depth = new_path, new_path.count("/") - 1
                if old_path:  # moved: carry the subtree along
                    for child in OrganizationUnit.objects.filter(path__startswith=old_path).exclude(
                        pk=self.pk
                    ):
                        child.path = new_path + child.path[len(old_path) :]
                        child.depth = child.path.count("/") - 1
                        OrganizationUnit.objects.filter(pk=child.pk).update(
                            path=child.path, depth=child.depth
                        )

    def descendants(self, include_self=True):
        """This unit and every unit below it (one indexed prefix query)."""
        qs = OrganizationUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def agency(self) -> OrganizationUnit:
        """The nearest unit up the tree (itself included) that is an agency with its own registers."""
        node = self
        while node is not None:
            if node.kind == UnitKind.AGENCY or node.keeps_own_registers:
                return node
            node = node.parent
        return self


@doctype(
    "Unit Member",
    permissions={
        "read": ALL_ROLES,
        "create": ADMIN_ONLY,
        "write": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
)
class UnitMember(DocModel):
    """A person's role in a unit. A person may hold roles in several units."""

    autoname = "hash"

    user = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        OrganizationUnit, verbose_name=_("Đơn vị"), on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("Vai trò"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("Chức danh"),
        max_length=140,
        blank=True,
        help_text=_("Ví dụ: Chủ tịch, Phó Chủ tịch, Trưởng phòng."),
    )
    is_primary = models.BooleanField(_("Đơn vị chính"), default=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Thành viên đơn vị")
        verbose_name_plural = _("Thành viên đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_member_role"),
        ]

    def __str__(self):
        return f"{self.user} – {self.role} – {self.unit}"


@doctype(
    "Delegation",
    permissions={
        "read": ALL_ROLES,
        "create": ["Quản trị", "Lãnh đạo", "Lãnh đạo đơn vị"],
        "write": ["Quản trị", "Lãnh đạo", "Lãnh đạo đơn vị"],
        "delete": ADMIN_ONLY,
    },
)
class Delegation(DocModel):
    """Ủy quyền: ``delegator`` lends a role they hold in ``unit`` to ``delegate`` for a period."""

    autoname = "UQ-.YYYY.-.####"

    delegator = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        "eoffice.User",
        verbose_name=_("Người được ủy quyền"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    unit = models.ForeignKey(OrganizationUnit, verbose_name=_("Đơn vị"), on_delete=models.PROTECT)
    role = models.CharField(_("Vai trò"), max_length=30, choices=Role.choices)
    from_date = models.DateField(_("Từ ngày"))
    to_date = models.DateField(_("Đến ngày"))
    reason = models.CharField(_("Lý do"), max_length=255, blank=True)
    revoked = models.BooleanField(_("Đã thu hồi"), default=False)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Ủy quyền")
        verbose_name_plural = _("Ủy quyền")
        indexes = [models.Index(fields=["delegate", "to_date"])]

    def clean(self):
        errors = {}
        if self.from_date and self.to_date and self.to_date < self.from_date:
            errors["to_date"] = [_("Ngày kết thúc ủy quyền phải sau hoặc bằng ngày bắt đầu.")]
        if self.delegator_id and self.delegate_id and self.delegator_id == self.delegate_id:
            errors["delegate"] = [_("Không thể ủy quyền cho chính mình.")]
        if (
            self.delegator_id
            and self.unit_id
            and self.role
            and not UnitMember.objects.filter(
                user_id=self.delegator_id, unit_id=self.unit_id, role=self.role
            ).exists()
        ):
            errors["role"] = [_("Người ủy quyền không giữ vai trò này tại đơn vị này.")]
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return not self.revoked and self.from_date <= day <= self.to_date
