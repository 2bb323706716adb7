"""DocType "File": a file attached to a document, stored once by its SHA-256.

Files live in the site's private file store (``sites/<site>/private/files/ab/cd/<sha256>``)
and are served only to users who may read the document they are attached to; there are no
public URLs. Text extraction and OCR fill ``extracted_text`` in the background.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eoffice.doctype.base import ALL_ROLES, DocModel, doctype


class OcrStatus(models.TextChoices):
    PENDING = "Chờ xử lý"
    RUNNING = "Đang xử lý"
    DONE = "Hoàn tất"
    FAILED = "Lỗi"
    NOT_NEEDED = "Không cần"


@doctype(
    "File",
    permissions={
        "read": ALL_ROLES,
        "create": ALL_ROLES,
        "write": ALL_ROLES,
        "delete": ["Quản trị"],
    },
    title_field="file_name",
    read_only_fields=(
        "content_hash",
        "mime_type",
        "file_size",
        "file_url",
        "extracted_text",
        "ocr_status",
        "ocr_error",
    ),
)
class File(DocModel):
    """One attachment. Its content is shared with every other File of the same hash."""

    autoname = "hash"

    file_name = models.CharField(_("Tên tệp"), max_length=255)
    file_url = models.CharField(_("Đường dẫn"), max_length=255, blank=True)
    attached_to_doctype = models.CharField(_("Gắn với loại"), max_length=140, blank=True)
    attached_to_name = models.CharField(_("Gắn với"), max_length=140, blank=True)
    attached_to_field = models.CharField(max_length=140, blank=True)
    content_hash = models.CharField(_("Mã băm SHA-256"), max_length=64, db_index=True)
    mime_type = models.CharField(_("Kiểu tệp"), max_length=100)
    file_size = models.BigIntegerField(_("Kích thước (byte)"), default=0)
    is_private = models.BooleanField(default=True, editable=False)
    extracted_text = models.TextField(_("Nội dung trích xuất"), blank=True)
    ocr_status = models.CharField(
        _("Trạng thái nhận dạng"),
        max_length=20,
        choices=OcrStatus.choices,
        default=OcrStatus.PENDING,
    )
    ocr_error = models.TextField(_("Lỗi nhận dạng"), blank=True)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Tệp đính kèm")
        verbose_name_plural = _("Tệp đính kèm")
        indexes = [models.Index(fields=["attached_to_doctype", "attached_to_name"])]

    def __str__(self):
        return self.file_name
