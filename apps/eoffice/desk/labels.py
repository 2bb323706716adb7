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

#: States, actions and statuses the workflow files and the assignment module store, in the
#: catalog so that the desk can show them translated (a label an administrator writes into a
#: workflow file and that is not here is shown as written).
WORKFLOW_VALUES = [
    # Incoming Document
    gettext_noop("Chờ tiếp nhận"),
    gettext_noop("Bị trả lại"),
    gettext_noop("Đã vào sổ"),
    gettext_noop("Chờ chỉ đạo"),
    gettext_noop("Đã phân công"),
    gettext_noop("Đang xử lý"),
    gettext_noop("Hoàn thành"),
    gettext_noop("Đã lưu"),
    gettext_noop("Trả lại"),
    gettext_noop("Trả lại nơi gửi"),
    gettext_noop("Vào sổ"),
    gettext_noop("Trình lãnh đạo"),
    gettext_noop("Chuyển xử lý"),
    gettext_noop("Phân công"),
    gettext_noop("Giao xử lý"),
    gettext_noop("Giao cán bộ xử lý"),
    gettext_noop("Thu hồi"),
    gettext_noop("Thu hồi phân công"),
    gettext_noop("Lưu hồ sơ"),
    # Task
    gettext_noop("Nháp"),
    gettext_noop("Đã giao"),
    gettext_noop("Đã hủy"),
    gettext_noop("Giao việc"),
    gettext_noop("Hủy"),
    gettext_noop("Hủy việc"),
    # Assignment, Extension Request, File
    gettext_noop("Chờ xử lý"),
    gettext_noop("Đã thu hồi"),
    gettext_noop("Đã kết thúc"),
    gettext_noop("Chờ duyệt"),
    gettext_noop("Đã duyệt"),
    gettext_noop("Từ chối"),
    gettext_noop("Hoàn tất"),
    gettext_noop("Lỗi"),
    gettext_noop("Không cần"),
]


def choice_label(value) -> str:
    """A stored choice value as the reader reads it: the value, translated ("Văn thư" → "Clerk"
    in English); empty stays empty."""
    return gettext(value) if value else value


def choices_for(field) -> list[tuple[str, str]]:
    """A model field's choices with translated labels (for admin forms and filters)."""
    return [(value, choice_label(value or str(label))) for value, label in field.flatchoices]
