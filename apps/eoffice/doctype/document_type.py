"""DocType "Document Type": the kinds of official document (tên loại) and their abbreviations.

Data an administrator edits; the 29 of Decree 30 (DOMAIN.md) are created by a data migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

# (name, abbreviation, is normative) — Decree 30/2020, Appendix III. Case and Đ/D matter.
STANDARD_DOCUMENT_TYPES = [
    ("Nghị quyết", "NQ", True),
    ("Quyết định", "QĐ", True),
    ("Chỉ thị", "CT", True),
    ("Quy chế", "QC", False),
    ("Quy định", "QyĐ", False),
    ("Thông cáo", "TC", False),
    ("Thông báo", "TB", False),
    ("Hướng dẫn", "HD", False),
    ("Chương trình", "CTr", False),
    ("Kế hoạch", "KH", False),
    ("Phương án", "PA", False),
    ("Đề án", "ĐA", False),
    ("Dự án", "DA", False),
    ("Báo cáo", "BC", False),
    ("Biên bản", "BB", False),
    ("Tờ trình", "TTr", False),
    ("Hợp đồng", "HĐ", False),
    ("Công điện", "CĐ", False),
    ("Bản ghi nhớ", "BGN", False),
    ("Bản thỏa thuận", "BTT", False),
    ("Giấy ủy quyền", "GUQ", False),
    ("Giấy mời", "GM", False),
    ("Giấy giới thiệu", "GGT", False),
    ("Giấy nghỉ phép", "GNP", False),
    ("Phiếu gửi", "PG", False),
    ("Phiếu chuyển", "PC", False),
    ("Phiếu báo", "PB", False),
    ("Công văn", "", False),
    ("Thư công", "", False),
]
# Copies (bản sao) are a form, not a type, but registers record them.
COPY_FORMS = [("Sao y", "SY"), ("Trích sao", "TrS"), ("Sao lục", "SL")]


@doctype(
    "Document Type",
    permissions={
        "read": ALL_ROLES,
        "create": ["Quản trị"],
        "write": ["Quản trị"],
        "delete": ["Quản trị"],
    },
    title_field="type_name",
    search_fields=("type_name", "abbreviation"),
)
class DocumentType(DocModel):
    """A kind of document; ``name`` is its Vietnamese name, as Frappe names masters."""

    autoname = "field:type_name"

    type_name = models.CharField(_("Tên loại văn bản"), max_length=140, unique=True)
    # Compare abbreviations in Python, not with the database's accent-folding collation:
    # QĐ is not QyĐ, HĐ is not HD, ĐA is not DA.
    abbreviation = models.CharField(_("Viết tắt"), max_length=10, blank=True)
    is_normative = models.BooleanField(
        _("Văn bản quy phạm pháp luật"),
        default=False,
        help_text=_("Số ký hiệu có năm ban hành và dãy số riêng, ví dụ 12/2017/QĐ-UBND."),
    )
    default_handling_days = models.PositiveSmallIntegerField(
        _("Thời hạn xử lý mặc định (ngày làm việc)"),
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    sort_order = models.IntegerField(_("Thứ tự"), default=0)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Loại văn bản")
        verbose_name_plural = _("Loại văn bản")
        ordering = ["sort_order", "type_name"]

    def __str__(self):
        return self.type_name

    def save(self, *args, **kwargs):
        self.name = self.type_name
        super().save(*args, **kwargs)


def ensure_standard_document_types(model=None) -> int:
    """Create the standard types that are missing (never changes an edited one); count created."""
    model = model or DocumentType
    created = 0
    for order, (type_name, abbreviation, normative) in enumerate(STANDARD_DOCUMENT_TYPES, 1):
        _obj, made = model.objects.get_or_create(
            type_name=type_name,
            defaults={
                "name": type_name,
                "abbreviation": abbreviation,
                "is_normative": normative,
                "sort_order": order,
            },
        )
        created += made
    return created
