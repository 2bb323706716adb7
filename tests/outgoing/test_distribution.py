"""Distribution ("Phát hành") to units and communes, following each copy, and recall."""

from __future__ import annotations

import pytest
from django.utils import timezone

from eoffice.constants import HandlingRole, Secrecy
from eoffice.doctype.assignment import (
    Assignment,
    AssignmentStatus,
    report_progress,
    unit_assignments,
)
from eoffice.doctype.comment import Comment
from eoffice.doctype.document_register import DocumentRegister
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.outgoing_document import DeliveryStatus, OutgoingRecipient
from eoffice.doctype.outgoing_document.distribution import (
    distribution,
    mark_copy_read,
    received_directives,
)
from eoffice.exceptions import PermissionError, ValidationError, WorkflowTransitionError
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    user,
)
from tests.outgoing.factories import (
    COMMUNES_AND_TOWNS,
    add_recipients,
    in_days,
    issued,
    numbered,
)

COMMUNE_KEYS = [
    "TT Trâu Quỳ", "TT Yên Viên", "Bát Tràng", "Cổ Bi", "Dương Hà", "Dương Quang", "Dương Xá",
    "Đa Tốn", "Đặng Xá", "Đình Xuyên", "Đông Dư", "Kiêu Kỵ", "Kim Lan", "Kim Sơn", "Lệ Chi",
    "Ninh Hiệp", "Phù Đổng", "Phú Thị", "Trung Mầu", "Văn Đức", "Yên Thường", "Yên Viên",
]  # fmt: skip


def directive(gialam, **fields):
    """A directive to all 22 communes and towns asking for a report in 5 days."""
    return issued(
        gialam,
        groups_=[COMMUNES_AND_TOWNS],
        type_name="Chỉ thị",
        summary="Về việc tăng cường quản lý đất công trên địa bàn huyện",
        requires_report=True,
        report_deadline=in_days(5),
        **fields,
    )


def test_a_directive_to_the_22_communes_reaches_each_commune_register_and_inbox(gialam):
    doc = directive(gialam)
    assert doc.workflow_state == "Đã phát hành" and doc.symbol == "01/CT-UBND"
    rows = list(doc.recipients.select_related("unit", "incoming_document"))
    assert sorted(r.unit.name for r in rows) == sorted(gialam[k].name for k in COMMUNE_KEYS)
    year = timezone.localdate().year
    for row in rows:
        copy = row.incoming_document
        assert copy.receiving_unit == row.unit
        assert copy.register == DocumentRegister.objects.get(
            unit=row.unit, direction="Đến", year=year, is_secret=False
        )
        assert copy.arrival_number == 1  # the first of each commune's own register
        assert (copy.document_number, copy.issuer) == ("01/CT-UBND", "UBND huyện Gia Lâm")
        assert copy.issuer_code == gialam["UBND"].agency_code
        assert copy.workflow_state == "Đã phân công" and copy.deadline == in_days(5)
        assert copy.directed_by.email == CHAIRMAN
        assert row.delivery_status == DeliveryStatus.ASSIGNED and row.delivered_at
    # Each commune's unit has a "Chủ trì" with the report deadline, and no one else does.
    leads = Assignment.objects.filter(reference_doctype="Incoming Document")
    assert leads.count() == 22
    assert {a.handling_role for a in leads} == {HandlingRole.LEAD}
    assert {a.deadline for a in leads} == {in_days(5)}
    dongdu = list(unit_assignments(gialam["Đông Dư"]))
    assert len(dongdu) == 1 and dongdu[0].deadline == in_days(5)
    assert not list(unit_assignments(gialam["TNMT"]))


def test_commune_staff_see_the_directive_and_no_other_communes_copy(gialam):
    doc = directive(gialam)
    staff = user(DONGDU_STAFF)
    meta = IncomingDocument._doctype
    visible = filter_queryset(staff, meta, IncomingDocument.objects.all())
    assert [c.receiving_unit.name for c in visible] == [gialam["Đông Dư"].name]
    home = received_directives(staff)
    assert [(d["document_number"], d["deadline"]) for d in home] == [
        (doc.symbol, in_days(5).isoformat())
    ]
    assert home[0]["assignment"] is not None
    other = filter_queryset(user(BATRANG_STAFF), meta, IncomingDocument.objects.all())
    assert [c.receiving_unit.name for c in other] == [gialam["Bát Tràng"].name]


def test_each_copy_carries_the_issued_file(gialam):
    from eoffice.doctype.file import File

    doc = directive(gialam)
    latest = doc.versions.order_by("-version").first().file
    copies = [r.incoming_document.name for r in doc.recipients.all()]
    attached = File.objects.filter(
        attached_to_doctype="Incoming Document", attached_to_name__in=copies
    )
    assert attached.count() == 22
    assert {f.content_hash for f in attached} == {latest.content_hash}


def test_the_sender_sees_delivered_read_and_handled_per_recipient(gialam):
    doc = directive(gialam)
    copy = doc.recipients.get(unit=gialam["Đông Dư"]).incoming_document
    # Someone above the commune opening it is not the commune reading it.
    assert mark_copy_read(copy, user(CHAIRMAN)) == 0
    assert mark_copy_read(copy, user(DONGDU_STAFF)) == 1
    assert mark_copy_read(copy, user(DONGDU_STAFF)) == 0  # the first reading counts
    head = user(DONGDU_HEAD)
    copy = apply_workflow(copy, "Giao xử lý", head, assign_to=DONGDU_STAFF)
    copy = apply_workflow(
        copy, "Hoàn thành", user(DONGDU_STAFF), result="Đã rà soát 12 thửa đất công, có báo cáo."
    )
    track = distribution(doc)
    assert (track["total"], track["delivered"], track["read"], track["handled"]) == (22, 22, 1, 1)
    row = next(r for r in track["recipients"] if r["unit"] == gialam["Đông Dư"].name)
    assert row["delivery_status"] == "Hoàn thành"
    assert row["read_by"] == DONGDU_STAFF and row["read_by_name"] == "Hoàng Thị Hoa"
    assert row["handled_by"] == DONGDU_STAFF and row["handled_at"] and row["acted_at"]
    assert row["assignment_status"] == AssignmentStatus.DONE
    other = next(r for r in track["recipients"] if r["unit"] == gialam["Bát Tràng"].name)
    assert other["delivery_status"] == "Đã phân công" and other["read_at"] is None


def test_a_document_without_report_is_registered_for_the_commune_clerk(gialam):
    doc = issued(gialam, recipients=[gialam["Đông Dư"], gialam["KT"]])
    row = doc.recipients.get(unit=gialam["Đông Dư"])
    copy = row.incoming_document
    assert copy.workflow_state == "Đã vào sổ" and copy.deadline is None
    assert row.delivery_status == DeliveryStatus.RECEIVED
    assert not Assignment.objects.filter(reference_name=copy.name).exists()
    # The commune's clerk goes on with it as with any registered document.
    copy = apply_workflow(copy, "Trình lãnh đạo", user("vanthu.dongdu@gialam.demo"))
    row.refresh_from_db()
    assert row.read_by == "vanthu.dongdu@gialam.demo" and row.acted_at
    # A department keeps no register: its copy is in the agency's incoming register.
    kt = doc.recipients.get(unit=gialam["KT"]).incoming_document
    assert kt.register.unit == gialam["UBND"] and kt.receiving_unit == gialam["KT"]


def test_issue_needs_recipients_and_changes_nothing_when_refused(gialam):
    doc = numbered(gialam)
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Phát hành", user(CLERK))
    assert caught.value.field == "recipients"
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã cấp số"
    assert not IncomingDocument.objects.exists()


def test_one_bad_recipient_leaves_no_copy_anywhere(gialam):
    doc = numbered(gialam)
    add_recipients(doc, gialam["Đông Dư"], gialam["UBND"])  # the issuing agency itself
    registers = dict(DocumentRegister.objects.values_list("pk", "last_number"))
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Phát hành", user(CLERK))
    assert "Dòng 2 của nơi nhận" in caught.value.message
    assert not IncomingDocument.objects.exists()
    assert dict(DocumentRegister.objects.values_list("pk", "last_number")) == registers


def test_a_secret_document_does_not_go_by_edxml(gialam):
    doc = numbered(gialam, secrecy=Secrecy.SECRET)
    add_recipients(doc, ("000.00.00.H26", "UBND thành phố Hà Nội"))
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Phát hành", user(CLERK))
    assert "mật" in caught.value.message


def test_recall_withdraws_untouched_copies_and_tells_those_who_acted(gialam):
    doc = directive(gialam)
    dongdu = doc.recipients.get(unit=gialam["Đông Dư"]).incoming_document
    apply_workflow(dongdu, "Giao xử lý", user(DONGDU_HEAD), assign_to=DONGDU_STAFF)
    batrang = doc.recipients.get(unit=gialam["Bát Tràng"]).incoming_document
    lead = Assignment.objects.get(reference_name=batrang.name)
    report_progress(lead, user(BATRANG_STAFF), "Đang rà soát hồ sơ.")
    with pytest.raises(ValidationError):
        apply_workflow(doc, "Thu hồi", user(CLERK))  # a reason is required
    doc = apply_workflow(doc, "Thu hồi", user(CLERK), comment="Ban hành nhầm đối tượng")
    assert doc.workflow_state == "Đã thu hồi" and doc.recall_reason == "Ban hành nhầm đối tượng"
    rows = {r.unit.name: r for r in doc.recipients.select_related("unit", "incoming_document")}
    told = {gialam["Đông Dư"].name, gialam["Bát Tràng"].name}
    for unit_name, row in rows.items():
        copy = row.incoming_document
        if unit_name in told:
            assert row.delivery_status == DeliveryStatus.RECALL_NOTIFIED
            assert copy.withdrawn_on is None
            assert Comment.objects.filter(
                reference_name=copy.name, content__contains="đã thu hồi văn bản số"
            ).exists()
        else:
            assert row.delivery_status == DeliveryStatus.WITHDRAWN and row.withdrawn_at
            assert copy.withdrawn_on and copy.withdrawn_reason == "Ban hành nhầm đối tượng"
            assert not Assignment.objects.filter(
                reference_name=copy.name, status__in=["Chờ xử lý", "Đang xử lý"]
            ).exists()
    # A withdrawn copy leaves the commune's inbox and takes no further step.
    assert not list(unit_assignments(gialam["Cổ Bi"]))
    coby = rows[gialam["Cổ Bi"].name].incoming_document
    with pytest.raises((WorkflowTransitionError, PermissionError, ValidationError)):
        apply_workflow(coby, "Thu hồi", user(CHAIRMAN), comment="thử")
    # Its register entry stays: numbers are never taken back.
    assert coby.arrival_number == 1


def test_recall_notifies_through_the_signal(gialam):
    from eoffice.doctype.outgoing_document.distribution import recall_notice

    doc = directive(gialam)
    dongdu = doc.recipients.get(unit=gialam["Đông Dư"]).incoming_document
    apply_workflow(dongdu, "Giao xử lý", user(DONGDU_HEAD), assign_to=DONGDU_STAFF)
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs["incoming_document"].name)

    recall_notice.connect(listener)
    try:
        apply_workflow(doc, "Thu hồi", user(CHAIRMAN), comment="Thay bằng chỉ thị khác")
    finally:
        recall_notice.disconnect(listener)
    assert heard == [dongdu.name]


def test_recipient_rows_are_checked_when_saved(gialam):
    doc = numbered(gialam)
    OutgoingRecipient.objects.create(
        parent=doc, idx=1, unit=gialam["Đông Dư"], agency_name="UBND xã Đông Dư"
    )
    with pytest.raises(ValidationError) as caught:
        doc.clean_tables()
    assert "không cả hai" in caught.value.message
