"""Attachments over the API: Frappe's ``upload_file`` and a download that checks permission.

- ``POST /api/method/upload_file`` (multipart: ``file``, ``doctype``, ``docname``,
  ``fieldname``, ``is_private``, ``file_name``) stores the file (see
  :func:`eoffice.doctype.file.create_file`) and answers ``{"message": <File>}``; only a user
  who may read the document may attach to it.
- ``GET /private/files/<name>/<file name>`` (the File's ``file_url``) and
  ``/api/method/eoffice.files.download?name=…`` send the content to whoever may read the File,
  which is whoever may read the document it is attached to; anyone else gets 404.
"""

from __future__ import annotations

from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext as _

from eoffice import audit, permissions
from eoffice import exceptions as exc
from eoffice.api import documents
from eoffice.api.errors import api_view
from eoffice.api.methods import whitelist
from eoffice.doctype.base import get_meta
from eoffice.doctype.file import File, create_file


def _attach_target(user, doctype, docname, fieldname):
    """Check the document a file is to be attached to: it must exist and be readable."""
    if not doctype and not docname:
        return None, None
    if not doctype or not docname:
        raise exc.ValidationError(_("Cần cả 'doctype' và 'docname' để gắn tệp vào tài liệu."))
    meta = get_meta(doctype)
    if meta is None:
        raise exc.DoesNotExistError(
            _("Không có loại tài liệu (DocType) '{name}'.").format(name=str(doctype)[:140])
        )
    doc = documents.get_doc(user, meta, docname)  # 404 when not visible
    if fieldname:
        field = next((f for f in meta.model._meta.concrete_fields if f.name == fieldname), None)
        if not isinstance(field, models.CharField | models.TextField):
            raise exc.ValidationError(
                _("Trường '{field}' của {doctype} không nhận đường dẫn tệp.").format(
                    field=fieldname, doctype=meta.name
                )
            )
    return meta, doc


@whitelist("upload_file", methods=("POST",))
def upload_file(
    request, doctype=None, docname=None, fieldname=None, is_private=None, file_name=None, **_rest
):
    """Upload a file (multipart ``file``), attached to ``doctype``/``docname`` if given."""
    # An oversized body was refused before it was read (see params.body_params).
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise exc.ValidationError(_("Không có tệp nào được gửi lên (trường 'file')."))
    meta, doc = _attach_target(request.user, doctype, docname, fieldname)
    name = uploaded.name or file_name
    stored = create_file(
        uploaded.chunks(),
        file_name=name,
        owner=request.user.email,
        attached_to_doctype=meta.name if meta else "",
        attached_to_name=doc.name if doc else "",
        attached_to_field=fieldname or "",
    )
    if fieldname and doc is not None:
        # Frappe puts the file's URL into the document's field (an "Attach" field).
        documents.update_doc(request.user, meta, doc.name, {fieldname: stored.file_url})
    return documents.doc_to_dict(stored)


def _readable_file(user, name) -> File:
    meta = get_meta("File")
    if not getattr(user, "is_authenticated", False):
        raise exc.PermissionError(_("Bạn cần đăng nhập để tải tệp."))
    visible = permissions.filter_queryset(user, meta, File.objects.all(), "read")
    found = visible.filter(name=str(name)).first()
    if found is None:
        raise exc.DoesNotExistError(_("Không tìm thấy tệp '{name}'.").format(name=name))
    return found


def file_response(stored: File, as_attachment: bool = False) -> FileResponse:
    """The content with its stored type and name (never a type guessed from the name)."""
    try:
        handle = stored.open()
    except FileNotFoundError:
        raise exc.DoesNotExistError(
            _("Nội dung của tệp '{name}' không còn trong kho lưu.").format(name=stored.file_name)
        ) from None
    response = FileResponse(
        handle,
        content_type=stored.mime_type,
        as_attachment=as_attachment,
        filename=stored.file_name,
    )
    response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@whitelist("eoffice.files.download", methods=("GET",))
def download(request, name, as_attachment=None):
    """The content of the File ``name``, if the user may read the document it is attached to."""
    from eoffice.api.params import bool_param

    stored = _readable_file(request.user, name)
    audit.record_download(request.user, stored)
    return file_response(stored, bool_param(as_attachment))


@api_view
def private_file(request, name, filename=None):
    """``/private/files/<name>/<file name>``: the File's ``file_url``."""
    if request.method not in ("GET", "HEAD"):
        raise exc.PermissionError(_("Chỉ tải tệp bằng GET."))
    stored = _readable_file(request.user, name)
    audit.record_download(request.user, stored)
    return file_response(stored)
