"""Documents that are archived, never deleted: once registered (numbered), a document is part
of the register that Decree 30 requires to be kept, and so is its audit trail."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eoffice import exceptions as exc

#: DocType → the field that, once set, makes the document part of a register.
REGISTERED_BY = {
    "Incoming Document": "arrival_number",
    "Outgoing Document": "number",
}


def check_deletable(instance) -> None:
    """Raise a Vietnamese ``ValidationError`` when ``instance`` is a registered document."""
    from eoffice.doctype.base import meta_for_model

    meta = meta_for_model(type(instance))
    field = REGISTERED_BY.get(meta.name) if meta is not None else None
    if not field or not hasattr(instance, field):
        return
    if getattr(instance, field) in (None, "", 0):
        return
    raise exc.ValidationError(
        _(
            "Văn bản đã vào sổ (số {number}) không được xóa: văn bản được lưu trữ cùng sổ và "
            "nhật ký của nó. Nếu vào sổ nhầm, hãy ghi chú và chuyển lưu hồ sơ."
        ).format(number=getattr(instance, field))
    )
