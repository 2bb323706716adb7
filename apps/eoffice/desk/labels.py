"""Labels of stored choice values, as the reader reads them.

The stored values of DOMAIN.md's enumerations are the Vietnamese labels themselves ("Văn thư",
"Hỏa tốc"), and the desk shows a value translated: :func:`choice_label`. (The TextChoices of
eoffice.constants declare no labels, so Django derives English ones from the member names,
"Clerk", "Unit Leader": the desk and the admin never show those.) The list below only puts the
values in the translation catalog; tests/desk/test_i18n.py checks it covers every value.
"""

from django.utils.translation import gettext, gettext_noop

ENUMERATION_VALUES = [
    # Role
    gettext_noop("Văn thư"),
    gettext_noop("Lãnh đạo"),
    gettext_noop("Lãnh đạo đơn vị"),
    gettext_noop("Chuyên viên"),
    gettext_noop("Quản trị"),
    # UnitKind
    gettext_noop("Cơ quan"),
    gettext_noop("Phòng ban"),
    gettext_noop("Xã"),
    gettext_noop("Thị trấn"),
    gettext_noop("Đơn vị hiệp quản"),
    # Urgency, Secrecy
    gettext_noop("Thường"),
    gettext_noop("Khẩn"),
    gettext_noop("Thượng khẩn"),
    gettext_noop("Hỏa tốc"),
    gettext_noop("Mật"),
    gettext_noop("Tối mật"),
    gettext_noop("Tuyệt mật"),
    # HandlingRole
    gettext_noop("Chủ trì"),
    gettext_noop("Phối hợp"),
    gettext_noop("Nhận để biết"),
    # SigningAuthority
    gettext_noop("TM."),
    gettext_noop("KT."),
    gettext_noop("Q."),
    gettext_noop("TL."),
    gettext_noop("TUQ."),
    gettext_noop("(không)"),
    # DeadlineState, Outcome
    gettext_noop("Trong hạn"),
    gettext_noop("Sắp đến hạn"),
    gettext_noop("Quá hạn"),
    gettext_noop("Hoàn thành trước hạn"),
    gettext_noop("Hoàn thành đúng hạn"),
    gettext_noop("Hoàn thành quá hạn"),
    # Direction
    gettext_noop("Đến"),
    gettext_noop("Đi"),
]


def choice_label(value) -> str:
    """A stored choice value as the reader reads it: the value, translated ("Văn thư" → "Clerk"
    in English); empty stays empty."""
    return gettext(value) if value else value


def choices_for(field) -> list[tuple[str, str]]:
    """A model field's choices with translated labels (for admin forms and filters)."""
    return [(value, choice_label(value or str(label))) for value, label in field.flatchoices]
