"""DocType "File": a file attached to a document, stored once by its SHA-256.

Files live in the site's private file store (``sites/<site>/private/files/ab/cd/<sha256>``)
and are served only to users who may read the document they are attached to; there are no
public URLs. Text extraction and OCR fill ``extracted_text`` in the background.

Intake (:func:`create_file`) is a chain of small steps, each testable alone:

1. :func:`stage` copies the upload into the store's ``tmp/`` folder while hashing it, and
   stops as soon as it passes the site's size limit (``MAX_FILE_SIZE_MB``);
2. :func:`inspect_content` sniffs the content with libmagic (the name and the client's
   content type are not trusted), checks it against :data:`ALLOWED_TYPES`, refuses a name
   whose extension says another type, and opens the file (PDFs with pdfplumber, images with
   Pillow, OOXML/ODF archives with zipfile) so that a malformed one is refused now;
3. :func:`commit_blob` moves it into place by rename after an fsync: a blob is whole or
   absent, never half-written; content already stored is kept once;
4. the ``File`` row is created last, so a row always has its content. A crash between 3 and
   4 leaves only an unreferenced blob, which is harmless.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eoffice import exceptions as exc
from eoffice.doctype.base import ALL_ROLES, DocModel, doctype

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

#: The kinds of file accepted, by the type libmagic finds, with the extensions they may bear.
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/tiff": (".tif", ".tiff"),
    DOCX: (".docx",),
    "application/msword": (".doc",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
}
#: What a person reads for each accepted kind.
TYPE_LABELS = "PDF, PNG, JPEG, TIFF, DOCX, DOC, XLSX, ODT"
#: How much of a file libmagic reads (OOXML is recognised by the names inside the zip).
SNIFF_BYTES = 256 * 1024


class FileTypeError(exc.ValidationError):
    """The content is not an accepted kind, is disguised, or cannot be opened (HTTP 417)."""

    exc_type = "FileTypeError"


class MaxFileSizeReachedError(exc.ValidationError):
    """The file is larger than the site allows (HTTP 417)."""

    exc_type = "MaxFileSizeReachedError"


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
    scope=lambda user, queryset: attached_scope(user, queryset),
    read_only_fields=(
        "attached_to_doctype",
        "attached_to_name",
        "attached_to_field",
        "content_hash",
        "mime_type",
        "file_size",
        "file_url",
        "extracted_text",
        "ocr_status",
        "ocr_error",
        "page_count",
        "ocr_fields",
        "searchable_hash",
        "ocr_attempts",
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
    # Written by the intake chain (eoffice.ocr): pages read, the fields read from the first
    # page for the clerk's form ({"fields": …, "from_ocr": […]}), the searchable PDF/A kept
    # beside a scan (by SHA-256, in the same store), and how many times reading was started.
    page_count = models.PositiveIntegerField(_("Số trang"), null=True, blank=True)
    ocr_fields = models.JSONField(_("Trường đọc được từ tệp"), default=dict, blank=True)
    searchable_hash = models.CharField(_("Mã băm bản PDF tìm kiếm được"), max_length=64, blank=True)
    ocr_attempts = models.PositiveSmallIntegerField(_("Số lần đọc tệp"), default=0)

    class Meta:
        app_label = "eoffice"
        verbose_name = _("Tệp đính kèm")
        verbose_name_plural = _("Tệp đính kèm")
        indexes = [models.Index(fields=["attached_to_doctype", "attached_to_name"])]

    def __str__(self):
        return self.file_name

    @property
    def path(self) -> Path:
        """Where the content is stored (shared by every File of the same hash)."""
        return blob_path(self.content_hash)

    def open(self):
        """The stored content, opened for reading in binary."""
        return open(self.path, "rb")

    @property
    def download_url(self) -> str:
        """The URL that serves the content to those who may read it."""
        return f"/private/files/{self.name}/{quote(self.file_name)}"


# ---------------------------------------------------------------------------------------
# Who may read a file: whoever may read the document it is attached to


def attached_scope(user, queryset):
    """Files attached to documents the user may read, and unattached files they uploaded.

    The one permission layer decides for the documents; this only follows the attachment.
    """
    from eoffice.doctype.base import get_meta
    from eoffice.permissions import filter_queryset

    visible = Q(attached_to_doctype="", owner=getattr(user, "email", None) or "")
    doctypes = File.objects.exclude(attached_to_doctype="").values_list(
        "attached_to_doctype", flat=True
    )
    for name in doctypes.distinct().order_by():
        meta = get_meta(name)
        if meta is None or meta.model is File:
            continue
        names = filter_queryset(user, meta, meta.model.objects.all(), "read").values("name")
        visible |= Q(attached_to_doctype=name, attached_to_name__in=names)
    return queryset.filter(visible)


# ---------------------------------------------------------------------------------------
# Storing content


def file_store() -> Path:
    """The site's private file store (``settings.FILE_STORE``)."""
    if not settings.FILE_STORE:
        raise exc.ValidationError(gettext("Trang (site) này chưa có kho lưu tệp."))
    return Path(settings.FILE_STORE)


def blob_path(content_hash: str) -> Path:
    """``<store>/ab/cd/<sha256>`` for a content hash (checked, so never outside the store)."""
    if not re.fullmatch(r"[0-9a-f]{64}", content_hash or ""):
        raise exc.DoesNotExistError(gettext("Tệp không có nội dung hợp lệ."))
    return file_store() / content_hash[:2] / content_hash[2:4] / content_hash


def max_file_size() -> int:
    """The site's size limit in bytes."""
    return int(settings.MAX_FILE_SIZE_MB) * 1024 * 1024


def too_large_error() -> MaxFileSizeReachedError:
    return MaxFileSizeReachedError(
        gettext("Tệp vượt quá dung lượng cho phép ({limit} MB).").format(
            limit=settings.MAX_FILE_SIZE_MB
        )
    )


@dataclass
class StagedBlob:
    """Content copied into the store's ``tmp/`` folder, hashed, not yet in place."""

    path: Path
    content_hash: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def stage(chunks, limit: int | None = None) -> StagedBlob:
    """Copy ``chunks`` (bytes) into a temporary file of the store, hashing as it goes.

    Stops with :class:`MaxFileSizeReachedError` as soon as ``limit`` bytes are passed; the
    temporary file is removed on any failure.
    """
    limit = max_file_size() if limit is None else limit
    tmp_dir = file_store() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    path = tmp_dir / f"{secrets.token_hex(16)}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise too_large_error()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedBlob(path=path, content_hash=digest.hexdigest(), size=size)


def clean_file_name(name: str | None) -> str:
    """A file name safe to keep and to send back: no folders, no control characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name


def sniff(path: Path) -> str:
    """The MIME type libmagic finds in the content."""
    import magic

    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return magic.from_buffer(head, mime=True)


def _refuse(message: str) -> FileTypeError:
    return FileTypeError(message)


#: An office file expanding past this, or more than this many times its size, is a zip bomb.
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_EXPANSION_RATIO = 200


def _check_zip_sizes(path: Path) -> None:
    """Refuse an archive that would expand to far more than it weighs, before reading it."""
    with zipfile.ZipFile(path) as archive:
        expanded = sum(member.file_size for member in archive.infolist())
    if expanded > MAX_EXPANDED_BYTES or expanded > MAX_EXPANSION_RATIO * max(
        path.stat().st_size, 1
    ):
        raise _refuse(
            gettext(
                "Tệp nén bất thường: giải nén ra {mb} MB từ một tệp rất nhỏ (nghi là «bom nén»)."
            ).format(mb=expanded // (1024 * 1024))
        )


def _open_check(path: Path, mime: str) -> None:
    """Open the file as its type, so that a malformed or booby-trapped one is refused now."""
    if mime in (DOCX, XLSX, ODT):
        try:
            _check_zip_sizes(path)
        except (zipfile.BadZipFile, OSError):
            pass  # reported as a damaged file below
    if mime == "application/pdf":
        try:
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)
        except Exception:  # noqa: BLE001
            pages = None
        if pages == 0:
            raise _refuse(gettext("Tệp PDF không có trang nào."))
    try:
        if mime == "application/pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                if len(pdf.pages) < 1:
                    raise ValueError("no pages")
        elif mime.startswith("image/"):
            from PIL import Image

            with Image.open(path) as image:
                image.verify()
        elif mime in (DOCX, XLSX, ODT):
            with zipfile.ZipFile(path) as archive:
                if archive.testzip() is not None:
                    raise ValueError("corrupt member")
    except Exception:  # noqa: BLE001  (any failure to open means: not a usable file)
        raise _refuse(
            gettext("Tệp bị hỏng hoặc không mở được (không đọc được như một tệp {kind}).").format(
                kind=ALLOWED_TYPES[mime][0][1:].upper()
            )
        ) from None


def inspect_content(path: Path, file_name: str) -> str:
    """The content's MIME type, once it is known to be an accepted, honest, readable file."""
    mime = sniff(path)
    if mime not in ALLOWED_TYPES:
        raise _refuse(
            gettext("Loại tệp không được chấp nhận ({mime}). Chỉ nhận các tệp: {kinds}.").format(
                mime=mime, kinds=TYPE_LABELS
            )
        )
    ext = os.path.splitext(file_name)[1].lower()
    if ext and ext not in ALLOWED_TYPES[mime]:
        raise _refuse(
            gettext(
                "Tên tệp '{name}' có đuôi {ext} nhưng nội dung là {kind}: tệp bị ngụy trang "
                "hoặc đặt sai tên."
            ).format(name=file_name, ext=ext, kind=ALLOWED_TYPES[mime][0][1:].upper())
        )
    _open_check(path, mime)
    return mime


def commit_blob(staged: StagedBlob) -> Path:
    """Move staged content into place by rename (atomic); content already there is kept."""
    final = blob_path(staged.content_hash)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and final.stat().st_size == staged.size:
        staged.discard()
        return final
    os.replace(staged.path, final)
    dir_fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    finally:
        os.close(dir_fd)
    return final


def create_file(
    chunks,
    file_name: str,
    owner: str,
    attached_to_doctype: str = "",
    attached_to_name: str = "",
    attached_to_field: str = "",
) -> File:
    """Store an upload and create its ``File`` row; refuse what is not an accepted file.

    Permission to attach is the caller's to check (the API asks the permission layer whether
    the user may read the document first).
    """
    file_name = clean_file_name(file_name)
    if not file_name:
        raise exc.ValidationError(gettext("Tệp gửi lên không có tên."))
    staged = stage(chunks)
    try:
        if staged.size == 0:
            raise _refuse(gettext("Tệp rỗng (0 byte)."))
        mime = inspect_content(staged.path, file_name)
    except BaseException:
        staged.discard()
        raise
    if not os.path.splitext(file_name)[1]:
        file_name += ALLOWED_TYPES[mime][0]
    commit_blob(staged)
    doc = File(
        file_name=file_name,
        attached_to_doctype=attached_to_doctype or "",
        attached_to_name=attached_to_name or "",
        attached_to_field=attached_to_field or "",
        content_hash=staged.content_hash,
        mime_type=mime,
        file_size=staged.size,
        owner=owner,
        modified_by=owner,
    )
    with transaction.atomic():
        doc.set_new_name()
        doc.file_url = doc.download_url[:255]
        doc.full_clean()
        doc.save()
        from eoffice.jobs.ocr import enqueue_for

        enqueue_for(doc)  # read in the background once the row is committed
        __import__("eoffice.jobs.verify").jobs.verify.enqueue_for(doc)  # signatures, after commit
    return doc
