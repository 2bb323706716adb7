"""The demo organisation of Gia Lâm 2017 (DOMAIN.md)."""

from eoffice.constants import Role, UnitKind
from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.organization import OrganizationUnit, UnitMember


def test_demo_has_the_district_its_departments_communes_and_coordinating_units(demo):
    root = OrganizationUnit.objects.get(parent=None)
    assert root.unit_name == "UBND huyện Gia Lâm"
    kinds = {k: OrganizationUnit.objects.filter(kind=k).count() for k in UnitKind.values}
    assert kinds == {"Cơ quan": 1, "Phòng ban": 12, "Xã": 20, "Thị trấn": 2, "Đơn vị hiệp quản": 5}
    assert set(root.descendants().values_list("pk", flat=True)) == set(
        OrganizationUnit.objects.values_list("pk", flat=True)
    )


def test_demo_users_hold_the_roles_the_issue_names(demo):
    expected = {
        "vanthu@gialam.demo": ("UBND huyện Gia Lâm", Role.CLERK),
        "chutich@gialam.demo": ("UBND huyện Gia Lâm", Role.LEADER),
        "tp.tnmt@gialam.demo": ("Phòng Tài nguyên và Môi trường", Role.UNIT_LEADER),
        "cv.tnmt@gialam.demo": ("Phòng Tài nguyên và Môi trường", Role.OFFICER),
        "ct.dongdu@gialam.demo": ("Xã Đông Dư", Role.UNIT_LEADER),
        "cb.dongdu@gialam.demo": ("Xã Đông Dư", Role.OFFICER),
        "cb.batrang@gialam.demo": ("Xã Bát Tràng", Role.OFFICER),
        "vanthu.dongdu@gialam.demo": ("Xã Đông Dư", Role.CLERK),
        "admin@gialam.demo": ("UBND huyện Gia Lâm", Role.ADMIN),
    }
    for email, (unit_name, role) in expected.items():
        member = UnitMember.objects.select_related("unit", "user").get(user__email=email)
        assert (member.unit.unit_name, member.role) == (unit_name, role.value)
        assert member.user.check_password("Demo@2017")


def test_all_document_types_of_decree_30_are_there_with_their_exact_abbreviations(demo):
    abbreviations = dict(DocumentType.objects.values_list("type_name", "abbreviation"))
    assert len(abbreviations) == 29
    # Case and Đ/D matter: these pairs must stay apart.
    assert (abbreviations["Quyết định"], abbreviations["Quy định"]) == ("QĐ", "QyĐ")
    assert (abbreviations["Hợp đồng"], abbreviations["Hướng dẫn"]) == ("HĐ", "HD")
    assert (abbreviations["Đề án"], abbreviations["Dự án"]) == ("ĐA", "DA")
    assert abbreviations["Công văn"] == "" and abbreviations["Thư công"] == ""
