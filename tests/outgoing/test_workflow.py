"""The outgoing path: who does what, returns with a reason, versions of the draft, replies."""

from __future__ import annotations

import pytest

from eoffice.constants import HandlingRole, Secrecy
from eoffice.doctype.outgoing_document import DraftVersion, OutgoingDocument
from eoffice.doctype.outgoing_document.drafting import add_draft_version, draft_reply, work_queue
from eoffice.exceptions import PermissionError, ValidationError
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow, get_transitions
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
    directed,
    rows,
    user,
)
from tests.outgoing.factories import draft, issued, pdf_bytes, signed


def test_the_draft_goes_up_to_the_head_the_clerk_and_the_chairman(gialam):
    doc = draft(gialam)
    assert doc.workflow_state == "Dự thảo" and doc.issuing_agency == gialam["UBND"]
    assert [t.action for t in get_transitions(doc, user(TNMT_OFFICER))] == ["Trình duyệt"]
    doc = apply_workflow(doc, "Trình duyệt", user(TNMT_OFFICER))
    assert [t.action for t in get_transitions(doc, user(TNMT_HEAD))] == ["Duyệt", "Trả lại"]
    doc = apply_workflow(doc, "Duyệt", user(TNMT_HEAD))
    assert doc.workflow_state == "Chờ kiểm tra thể thức" and doc.approved_by.email == TNMT_HEAD
    doc = apply_workflow(doc, "Đạt", user(CLERK), signer=CHAIRMAN)
    assert doc.workflow_state == "Chờ ký" and doc.format_checked_by.email == CLERK
    assert work_queue(user(CHAIRMAN))["Chờ ký"][0]["name"] == doc.name
    doc = apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority="TM.")
    assert doc.workflow_state == "Đã ký" and doc.signer.email == CHAIRMAN
    assert doc.signing_authority == "TM." and doc.signer_title == "Chủ tịch UBND huyện"
    assert doc.signed_version == 1
    assert work_queue(user(CLERK))["Chờ cấp số"][0]["name"] == doc.name


@pytest.mark.parametrize(
    "state_steps, action, actor, expected",
    [
        # Someone of another unit does not even see the draft.
        ([], "Trình duyệt", BATRANG_STAFF, "không có quyền thực hiện thao tác"),
        ([], "Trình duyệt", CLERK, "«Trình duyệt» chỉ dành cho vai trò"),
        (["Trình duyệt"], "Duyệt", TNMT_OFFICER, "«Duyệt» chỉ dành cho vai trò"),
        (["Trình duyệt"], "Duyệt", CHAIRMAN, "Chỉ lãnh đạo đơn vị soạn thảo được thực hiện"),
        (["Trình duyệt", "Duyệt"], "Đạt", TNMT_HEAD, "chỉ dành cho vai trò «Văn thư»"),
        (["Trình duyệt", "Duyệt"], "Đạt", "vanthu.dongdu@gialam.demo", "không có quyền"),
        (["Trình duyệt", "Duyệt", "Đạt"], "Ký", TNMT_HEAD, "Chỉ lãnh đạo cơ quan ban hành"),
        (["Trình duyệt", "Duyệt", "Đạt", "Ký"], "Cấp số", CHAIRMAN, "vai trò «Văn thư»"),
    ],
)
def test_wrong_actors_are_refused_in_vietnamese(gialam, state_steps, action, actor, expected):
    doc = draft(gialam)
    actors = {"Trình duyệt": TNMT_OFFICER, "Duyệt": TNMT_HEAD, "Đạt": CLERK, "Ký": CHAIRMAN}
    for step in state_steps:
        doc = apply_workflow(doc, step, user(actors[step]))
    before = doc.workflow_state
    with pytest.raises(PermissionError) as caught:
        apply_workflow(doc, action, user(actor))
    assert expected in caught.value.message
    doc.refresh_from_db()
    assert doc.workflow_state == before


def test_only_the_leader_it_was_presented_to_signs(gialam, make_user):
    from eoffice.constants import Role

    deputy = make_user("pct@gialam.demo", gialam["UBND"], Role.LEADER, full_name="Phó Chủ tịch")
    doc = draft(gialam)
    for step, actor in (("Trình duyệt", TNMT_OFFICER), ("Duyệt", TNMT_HEAD)):
        doc = apply_workflow(doc, step, user(actor))
    doc = apply_workflow(doc, "Đạt", user(CLERK), signer=deputy.email)
    with pytest.raises(PermissionError):
        apply_workflow(doc, "Ký", user(CHAIRMAN))
    doc = apply_workflow(doc, "Ký", user(deputy.email), signing_authority="KT.")
    assert doc.signer == deputy and doc.signing_authority == "KT."


def test_a_return_needs_a_reason_which_the_drafter_reads(gialam):
    doc = apply_workflow(draft(gialam), "Trình duyệt", user(TNMT_OFFICER))
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Trả lại", user(TNMT_HEAD))
    assert caught.value.field == "comment" and "lý do" in caught.value.message
    doc = apply_workflow(doc, "Trả lại", user(TNMT_HEAD), comment="Bổ sung số liệu năm 2016")
    assert doc.workflow_state == "Dự thảo" and doc.return_reason == "Bổ sung số liệu năm 2016"
    assert work_queue(user(TNMT_OFFICER))["Bị trả lại"][0]["name"] == doc.name
    add_draft_version(
        doc, user(TNMT_OFFICER), chunks=[pdf_bytes("Dự thảo lần 2")], file_name="du-thao-2.pdf"
    )
    doc = apply_workflow(doc, "Trình duyệt", user(TNMT_OFFICER))
    assert doc.return_reason == ""


def test_versions_of_the_draft_are_kept_and_never_overwritten(gialam):
    doc = draft(gialam)
    officer = user(TNMT_OFFICER)
    v2 = add_draft_version(doc, officer, chunks=[pdf_bytes("Lần 2")], file_name="lan-2.pdf")
    assert v2.version == 2
    first = doc.versions.get(version=1)
    assert first.file != v2.file and first.file.content_hash != v2.file.content_hash
    with pytest.raises(RuntimeError):
        first.save()
    with pytest.raises(RuntimeError):
        first.delete()
    with pytest.raises(RuntimeError):
        DraftVersion.objects.filter(pk=first.pk).update(note="x")
    with pytest.raises(ValidationError):  # the same file is not a new version
        add_draft_version(doc, officer, file=v2.file.name)
    apply_workflow(doc, "Trình duyệt", officer)
    with pytest.raises(PermissionError):  # the drafter no longer edits it
        add_draft_version(doc, officer, chunks=[pdf_bytes("Lần 3")], file_name="lan-3.pdf")
    v3 = add_draft_version(doc, user(TNMT_HEAD), chunks=[pdf_bytes("Sửa")], file_name="sua.pdf")
    assert v3.version == 3
    assert list(doc.versions.values_list("version", flat=True)) == [1, 2, 3]


def test_a_draft_goes_up_only_with_its_file(gialam):
    from eoffice.doctype.document_type import DocumentType

    doc = OutgoingDocument.objects.create(
        document_type=DocumentType.objects.get(name="Công văn"),
        summary="V/v không có tệp",
        drafting_unit=gialam["TNMT"],
        issuing_agency=gialam["UBND"],
        owner=TNMT_OFFICER,
    )
    with pytest.raises(ValidationError) as caught:
        apply_workflow(doc, "Trình duyệt", user(TNMT_OFFICER))
    assert "tệp dự thảo" in caught.value.message


def test_an_officer_replies_to_the_document_they_handle(gialam):
    incoming = directed(
        gialam,
        assignees=rows((TNMT_OFFICER, HandlingRole.LEAD)),
        issuer="Sở Tài nguyên và Môi trường Hà Nội",
        issuer_code="000.00.31.H26",
        document_number="2207/STNMT-QLĐĐ",
    )
    reply = draft_reply(incoming, user(TNMT_OFFICER))
    assert reply.in_reply_to == incoming and reply.drafting_unit == gialam["TNMT"]
    assert reply.summary.startswith("V/v trả lời văn bản số 2207/STNMT-QLĐĐ")
    recipient = reply.recipients.get()
    assert (recipient.agency_code, recipient.agency_name) == (
        "000.00.31.H26",
        "Sở Tài nguyên và Môi trường Hà Nội",
    )
    assert reply.owner == TNMT_OFFICER and reply.workflow_state == "Dự thảo"


def test_a_commune_answers_a_directive_to_the_district(gialam):
    from tests.outgoing.factories import COMMUNES_AND_TOWNS, in_days

    doc = issued(
        gialam,
        groups_=[COMMUNES_AND_TOWNS],
        type_name="Chỉ thị",
        requires_report=True,
        report_deadline=in_days(5),
    )
    copy = doc.recipients.get(unit=gialam["Đông Dư"]).incoming_document
    copy = apply_workflow(copy, "Giao xử lý", user(DONGDU_HEAD), assign_to=DONGDU_STAFF)
    report = draft_reply(
        copy,
        user(DONGDU_STAFF),
        document_type="Báo cáo",
        summary="Báo cáo kết quả rà soát đất công",
    )
    assert report.drafting_unit == gialam["Đông Dư"] and report.issuing_agency == gialam["Đông Dư"]
    assert report.recipients.get().unit == gialam["UBND"]
    add_draft_version(report, user(DONGDU_STAFF), chunks=[pdf_bytes("Báo cáo")], file_name="bc.pdf")
    report = apply_workflow(report, "Trình duyệt", user(DONGDU_STAFF))
    report = apply_workflow(report, "Duyệt", user(DONGDU_HEAD))
    report = apply_workflow(report, "Đạt", user("vanthu.dongdu@gialam.demo"))
    report = apply_workflow(report, "Ký", user(DONGDU_HEAD), signing_authority="TM.")
    report = apply_workflow(report, "Cấp số", user("vanthu.dongdu@gialam.demo"))
    assert report.symbol == "01/BC-UBND" and report.register.unit == gialam["Đông Dư"]
    report = apply_workflow(report, "Phát hành", user("vanthu.dongdu@gialam.demo"))
    back = report.recipients.get().incoming_document
    assert back.receiving_unit == gialam["UBND"] and back.issuer == "Xã Đông Dư"
    copy.refresh_from_db()
    assert copy.reply_document == "01/BC-UBND"


def test_secret_drafts_are_read_only_by_those_named(gialam, make_user):
    from eoffice.constants import Role

    colleague = make_user("cv2.tnmt@gialam.demo", gialam["TNMT"], Role.OFFICER)
    secret = draft(gialam, secrecy=Secrecy.SECRET)
    ordinary = draft(gialam)
    meta = OutgoingDocument._doctype
    seen = set(filter_queryset(colleague, meta, OutgoingDocument.objects.all()))
    assert ordinary in seen and secret not in seen
    for email in (TNMT_OFFICER, TNMT_HEAD, CLERK, CHAIRMAN):
        assert secret in set(filter_queryset(user(email), meta, OutgoingDocument.objects.all()))
    assert not filter_queryset(user(DONGDU_STAFF), meta, OutgoingDocument.objects.all()).exists()


def test_the_signed_version_is_what_recipients_get(gialam):
    doc = signed(gialam)
    assert doc.signed_version == 1
