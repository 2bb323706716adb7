"""The demo organisation: Gia Lâm district (Hà Nội) as it was organised in 2017.

Loaded only by ``eoffice new-site NAME --demo`` (or ``eoffice load_demo``), never otherwise.
Agency codes follow the shape of the national code list (``000.DE.FG.H26``) but are made up.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from eoffice.constants import Direction, Role, UnitKind

DEMO_PASSWORD = "Demo@2017"
PROVINCE = "H26"
DISTRICT = "19"

DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("NV", "Phòng Nội vụ"),
    ("TP", "Phòng Tư pháp"),
    ("TCKH", "Phòng Tài chính - Kế hoạch"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("LĐTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("VHTT", "Phòng Văn hóa và Thông tin"),
    ("GDĐT", "Phòng Giáo dục và Đào tạo"),
    ("YT", "Phòng Y tế"),
    ("KT", "Phòng Kinh tế"),
    ("QLĐT", "Phòng Quản lý đô thị"),
    ("TTr", "Thanh tra huyện"),
]
TOWNS = ["Trâu Quỳ", "Yên Viên"]
COMMUNES = [
    "Bát Tràng",
    "Cổ Bi",
    "Dương Hà",
    "Dương Quang",
    "Dương Xá",
    "Đa Tốn",
    "Đặng Xá",
    "Đình Xuyên",
    "Đông Dư",
    "Kiêu Kỵ",
    "Kim Lan",
    "Kim Sơn",
    "Lệ Chi",
    "Ninh Hiệp",
    "Phù Đổng",
    "Phú Thị",
    "Trung Mầu",
    "Văn Đức",
    "Yên Thường",
    "Yên Viên",
]
COORDINATING = [
    ("CA", "Công an huyện"),
    ("BCHQS", "Ban Chỉ huy Quân sự huyện"),
    ("CCT", "Chi cục Thuế"),
    ("KBNN", "Kho bạc Nhà nước"),
    ("BHXH", "Bảo hiểm xã hội huyện"),
]

# (email, full name, unit key, role, title)
USERS = [
    ("vanthu@gialam.demo", "Nguyễn Thị Thu", "UBND", Role.CLERK, "Văn thư"),
    ("chutich@gialam.demo", "Lê Văn Hùng", "UBND", Role.LEADER, "Chủ tịch UBND huyện"),
    ("tp.tnmt@gialam.demo", "Trần Văn Minh", "TNMT", Role.UNIT_LEADER, "Trưởng phòng"),
    ("cv.tnmt@gialam.demo", "Phạm Thị Lan", "TNMT", Role.OFFICER, "Chuyên viên"),
    ("ct.dongdu@gialam.demo", "Đỗ Văn Dũng", "Đông Dư", Role.UNIT_LEADER, "Chủ tịch UBND xã"),
    ("cb.dongdu@gialam.demo", "Hoàng Thị Hoa", "Đông Dư", Role.OFFICER, "Công chức xã"),
    ("cb.batrang@gialam.demo", "Vũ Văn Nam", "Bát Tràng", Role.OFFICER, "Công chức xã"),
    ("vanthu.dongdu@gialam.demo", "Ngô Thị Mai", "Đông Dư", Role.CLERK, "Văn thư xã"),
    ("admin@gialam.demo", "Quản trị hệ thống", "UBND", Role.ADMIN, "Quản trị hệ thống"),
]


def _code(level3: int) -> str:
    return f"000.{level3:02d}.{DISTRICT}.{PROVINCE}"


def _slug(text: str) -> str:
    from eoffice.text import ascii_fold

    return ascii_fold(text).upper().replace(" ", "")


@transaction.atomic
def load(stdout=None) -> dict:
    """Create the demo organisation, its registers and users; return the units by key."""
    from eoffice.doctype.document_register import DocumentRegister
    from eoffice.doctype.document_type import ensure_standard_document_types
    from eoffice.doctype.organization import OrganizationUnit, UnitMember
    from eoffice.doctype.user import User

    def say(msg):
        if stdout:
            stdout.write(msg)

    ensure_standard_document_types()

    units: dict[str, OrganizationUnit] = {}
    root = OrganizationUnit.objects.create(
        name="GL-UBND",
        unit_name="UBND huyện Gia Lâm",
        short_name="UBND",
        agency_code=_code(0),
        kind=UnitKind.AGENCY,
        keeps_own_registers=True,
    )
    units["UBND"] = root
    for i, (short, title) in enumerate(DEPARTMENTS, start=1):
        units[short] = OrganizationUnit.objects.create(
            name=f"GL-{_slug(short)}",
            unit_name=title,
            short_name=short,
            agency_code=_code(i),
            kind=UnitKind.DEPARTMENT,
            parent=root,
            sort_order=i,
        )
    places = [(t, UnitKind.TOWN, "Thị trấn") for t in TOWNS] + [
        (c, UnitKind.COMMUNE, "Xã") for c in COMMUNES
    ]
    for i, (place, kind, prefix) in enumerate(places, start=40):
        key = place if kind == UnitKind.COMMUNE else f"TT {place}"
        units[key] = OrganizationUnit.objects.create(
            name=f"GL-{'TT' if kind == UnitKind.TOWN else 'XA'}-{_slug(place)}",
            unit_name=f"{prefix} {place}",
            short_name="UBND",
            agency_code=_code(i),
            kind=kind,
            parent=root,
            keeps_own_registers=True,
            sort_order=i,
        )
    for i, (short, title) in enumerate(COORDINATING, start=30):
        units[short] = OrganizationUnit.objects.create(
            name=f"GL-{_slug(short)}",
            unit_name=title,
            short_name=short,
            agency_code=_code(i),
            kind=UnitKind.COORDINATING,
            parent=root,
            keeps_own_registers=True,
            sort_order=i,
        )
    say(f"{len(units)} units created.\n")

    year = timezone.localdate().year
    for unit in [u for u in units.values() if u.keeps_own_registers]:
        for direction, label in ((Direction.INCOMING, "đến"), (Direction.OUTGOING, "đi")):
            DocumentRegister.objects.create(
                register_name=f"Sổ văn bản {label} {year} – {unit.unit_name}",
                unit=unit,
                direction=direction,
                year=year,
            )
            DocumentRegister.objects.create(
                register_name=f"Sổ văn bản mật {label} {year} – {unit.unit_name}",
                unit=unit,
                direction=direction,
                year=year,
                is_secret=True,
            )
        DocumentRegister.objects.create(
            register_name=f"Sổ văn bản quy phạm pháp luật {year} – {unit.unit_name}",
            unit=unit,
            direction=Direction.OUTGOING,
            year=year,
            is_normative=True,
        )

    for email, full_name, unit_key, role, title in USERS:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=full_name,
            position=title,
            is_staff=(role == Role.ADMIN),
            is_superuser=(role == Role.ADMIN),
        )
        UnitMember.objects.create(user=user, unit=units[unit_key], role=role, title=title)
    say(f"{len(USERS)} demo users created (password {DEMO_PASSWORD}).\n")
    return units
