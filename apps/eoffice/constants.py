"""The enumerations of DOMAIN.md. Stored values are the exact Vietnamese labels."""

from django.db import models


class Role(models.TextChoices):
    """The roles a person holds in a unit."""

    CLERK = "Văn thư"
    LEADER = "Lãnh đạo"
    UNIT_LEADER = "Lãnh đạo đơn vị"
    OFFICER = "Chuyên viên"
    ADMIN = "Quản trị"


class UnitKind(models.TextChoices):
    AGENCY = "Cơ quan"
    DEPARTMENT = "Phòng ban"
    COMMUNE = "Xã"
    TOWN = "Thị trấn"
    COORDINATING = "Đơn vị hiệp quản"


class Urgency(models.TextChoices):
    NORMAL = "Thường"
    URGENT = "Khẩn"
    VERY_URGENT = "Thượng khẩn"
    FLASH = "Hỏa tốc"


class Secrecy(models.TextChoices):
    NORMAL = "Thường"
    SECRET = "Mật"
    TOP_SECRET = "Tối mật"
    ABSOLUTE = "Tuyệt mật"


class HandlingRole(models.TextChoices):
    LEAD = "Chủ trì"
    COOPERATE = "Phối hợp"
    INFORM = "Nhận để biết"


class SigningAuthority(models.TextChoices):
    NONE = "", "(không)"
    TM = "TM."
    KT = "KT."
    Q = "Q."
    TL = "TL."
    TUQ = "TUQ."


class DeadlineState(models.TextChoices):
    ON_TRACK = "Trong hạn"
    DUE_SOON = "Sắp đến hạn"
    OVERDUE = "Quá hạn"


class Outcome(models.TextChoices):
    EARLY = "Hoàn thành trước hạn"
    ON_TIME = "Hoàn thành đúng hạn"
    LATE = "Hoàn thành quá hạn"


class Direction(models.TextChoices):
    INCOMING = "Đến"
    OUTGOING = "Đi"
