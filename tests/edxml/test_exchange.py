"""The exchange on one site: imports for the clerk, statuses both ways, recall, update,
replacement, the send job and the inbox folder."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from eoffice.constants import HandlingRole
from eoffice.doctype.comment import Comment
from eoffice.doctype.file import File
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.outgoing_document import DeliveryStatus
from eoffice.edxml import jobs, transport
from eoffice.edxml import package as pk
from eoffice.edxml.exchange import build_message, receive
from eoffice.edxml.models import BusinessType, EdxmlMessage, MessageKind, MessageState
from eoffice.exceptions import ValidationError
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CHAIRMAN, CLERK, TNMT_HEAD, TNMT_OFFICER, rows, user
from tests.edxml.factories import document, status
from tests.outgoing.factories import issued

OTHER = ("000.00.31.H26", "Sở Tài nguyên và Môi trường Hà Nội")


def statuses_sent(doc) -> list[str]:
    return list(
        EdxmlMessage.objects.filter(incoming_document=doc, kind=MessageKind.STATUS)
        .order_by("id")
        .values_list("status_code", flat=True)
    )


def test_a_received_package_waits_for_the_clerk_with_its_files(gialam, exchange_dir):
    result = receive(pk.build_document(document(gialam)))
    assert result["kind"] == "document" and not result["duplicate"]
    doc = IncomingDocument.objects.get(name=result["incoming_documents"][0])
    assert doc.workflow_state == "Chờ tiếp nhận" and doc.arrival_number is None
    assert (doc.receiving_unit, doc.issuer, doc.issuer_code) == (
        gialam["UBND"],
        "Sở Tài nguyên và Môi trường Hà Nội",
        "000.00.31.H26",
    )
    assert doc.document_number == "2207/STNMT-QLĐĐ" and doc.urgency == "Khẩn"
    assert doc.signer == "Nguyễn Văn A, Giám đốc" and doc.page_count == 2
    files = File.objects.filter(attached_to_doctype="Incoming Document", attached_to_name=doc.name)
    assert [(f.file_name, f.mime_type) for f in files] == [("2207-STNMT.pdf", "application/pdf")]
    assert statuses_sent(doc) == ["01"]  # "Đã đến" goes back at once
    assert (exchange_dir / "received").glob("*.edxml")
    # The same package delivered again is recognised and not imported twice.
    again = receive(pk.build_document(document(gialam)))
    assert again["duplicate"] and again["incoming_documents"] == [doc.name]
    assert IncomingDocument.objects.count() == 1 and statuses_sent(doc) == ["01"]


def test_our_steps_on_an_imported_document_go_back_as_statuses(gialam, exchange_dir):
    result = receive(pk.build_document(document(gialam)))
    doc = IncomingDocument.objects.get(name=result["incoming_documents"][0])
    doc = apply_workflow(doc, "Vào sổ", user(CLERK))
    doc = apply_workflow(doc, "Trình lãnh đạo", user(CLERK), leader=CHAIRMAN)
    doc = apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao Phòng TNMT chủ trì.",
        assignees=rows((gialam["TNMT"].name, HandlingRole.LEAD)),
    )
    doc = apply_workflow(doc, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    apply_workflow(doc, "Hoàn thành", user(TNMT_OFFICER), result="Đã kiểm tra, có báo cáo.")
    assert statuses_sent(doc) == ["01", "03", "04", "05", "06"]
    three = EdxmlMessage.objects.get(incoming_document=doc, status_code="03")
    assert (three.from_code, three.to_code) == ("000.00.19.H26", "000.00.31.H26")
    back = pk.parse(build_message(three), max_bytes=10**7, max_attachment_bytes=10**7)
    assert back.status_code == "03" and back.staff.staff == "Nguyễn Thị Thu"
    assert back.response_for.document_id == document(gialam).document_id
    assert back.response_for.code == "2207/STNMT-QLĐĐ"
    # A refusal says why.
    refused = receive(pk.build_document(document(gialam, number="2300")))
    other = IncomingDocument.objects.get(name=refused["incoming_documents"][0])
    apply_workflow(other, "Trả lại", user(CLERK), comment="Gửi nhầm cơ quan")
    two = EdxmlMessage.objects.get(incoming_document=other, status_code="02")
    assert "Gửi nhầm cơ quan" in two.description


def test_statuses_from_the_recipient_show_on_our_row(gialam, exchange_dir):
    doc = issued(gialam, recipients=[OTHER])
    row = doc.recipients.get()
    assert row.delivery_status == DeliveryStatus.QUEUED
    sent = EdxmlMessage.objects.get(outgoing_document=doc, kind=MessageKind.DOCUMENT)
    assert (sent.to_code, sent.state, sent.business_type) == (OTHER[0], MessageState.PENDING, 0)
    doc_id = doc.edxml_document_id
    arrived = pk.build_status(status(gialam, doc_id, "01"))
    receive(arrived)
    row.refresh_from_db()
    assert (row.delivery_status, row.status_code) == ("Đã đến", "01") and row.delivered_at
    receive(pk.build_status(status(gialam, doc_id, "03", minutes=1)))
    receive(pk.build_status(status(gialam, doc_id, "06", minutes=3, staff="Lê Văn C")))
    # An older status arriving late does not take the row back.
    receive(pk.build_status(status(gialam, doc_id, "04", minutes=2)))
    row.refresh_from_db()
    assert (row.delivery_status, row.status_code) == ("Hoàn thành", "06")
    assert (row.read_by, row.handled_by) == ("Trần Thị B", "Lê Văn C")
    assert row.read_at and row.handled_at and row.acted_at
    # The same status delivered twice is taken once.
    assert receive(arrived)["duplicate"] is True
    assert EdxmlMessage.objects.filter(kind=MessageKind.STATUS, status_code="01").count() == 1


def test_a_status_about_a_document_we_never_sent_is_refused(gialam, exchange_dir):
    with pytest.raises(ValidationError) as caught:
        receive(pk.build_status(status(gialam, "X,2017/01/01,99/UBND", "01")))
    assert "Không tìm thấy văn bản" in caught.value.message
    assert not EdxmlMessage.objects.exists()


def test_a_token_of_one_agency_cannot_speak_for_another(gialam, exchange_dir):
    from eoffice.exceptions import PermissionError

    with pytest.raises(PermissionError):
        receive(pk.build_document(document(gialam)), sender_code="000.00.20.H26")
    assert not IncomingDocument.objects.exists()


def test_recall_of_a_package_not_yet_sent_cancels_it(gialam, exchange_dir):
    doc = issued(gialam, recipients=[OTHER])
    doc = apply_workflow(doc, "Thu hồi", user(CLERK), comment="Sai nơi nhận")
    row = doc.recipients.get()
    assert row.delivery_status == DeliveryStatus.WITHDRAWN
    assert EdxmlMessage.objects.get(kind=MessageKind.DOCUMENT).state == MessageState.CANCELLED
    assert jobs.send_pending() == {}


def test_recall_of_a_sent_document_asks_the_recipient_who_answers(gialam, exchange_dir, settings):
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"peers": {OTHER[0]: {"folder": str(exchange_dir / "peer")}}},
    }
    doc = issued(gialam, recipients=[OTHER])
    assert jobs.send_pending() == {"Đã gửi": 1}
    assert len(list((exchange_dir / "peer").glob("*.edxml"))) == 1
    row = doc.recipients.get()
    assert row.delivery_status == DeliveryStatus.SENT
    doc = apply_workflow(doc, "Thu hồi", user(CHAIRMAN), comment="Ban hành nhầm")
    row.refresh_from_db()
    assert (row.delivery_status, row.status_code) == ("Lấy lại", "13")
    recall = EdxmlMessage.objects.get(business_type=BusinessType.RECALL)
    back = pk.parse(build_message(recall), max_bytes=10**7, max_attachment_bytes=10**7)
    assert back.business_type == 1 and back.business_reason == "Ban hành nhầm"
    assert back.attachments == [] and back.document_id == doc.edxml_document_id
    receive(pk.build_status(status(gialam, doc.edxml_document_id, "15", minutes=1)))
    row.refresh_from_db()
    assert row.delivery_status == "Đồng ý lấy lại" and row.withdrawn_at


def test_a_recall_withdraws_what_nobody_acted_on_and_is_refused_otherwise(gialam, exchange_dir):
    first = IncomingDocument.objects.get(
        name=receive(pk.build_document(document(gialam, number="11")))["incoming_documents"][0]
    )
    second = IncomingDocument.objects.get(
        name=receive(pk.build_document(document(gialam, number="12")))["incoming_documents"][0]
    )
    second = apply_workflow(second, "Vào sổ", user(CLERK))
    apply_workflow(second, "Chuyển xử lý", user(CLERK),
                   assignees=rows((gialam["TNMT"].name, HandlingRole.LEAD)))  # fmt: skip
    for doc, number in ((first, "11"), (second, "12")):
        recall = document(gialam, number=number, business_type=1, business_reason="Sai sót",
                          attachments=[])  # fmt: skip
        result = receive(pk.build_document(recall))
        assert result["incoming_documents"] == [doc.name]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.withdrawn_on and not second.withdrawn_on
    assert statuses_sent(first) == ["01", "15"]
    assert statuses_sent(second) == ["01", "03", "04", "16"]
    assert Comment.objects.filter(
        reference_name=second.name, content__contains="đề nghị lấy lại"
    ).exists()
    with pytest.raises(ValidationError):  # a withdrawn document takes no further step
        apply_workflow(first, "Vào sổ", user(CLERK))


def test_an_update_changes_an_unregistered_document_and_a_replacement_takes_its_place(
    gialam, exchange_dir
):
    doc = IncomingDocument.objects.get(
        name=receive(pk.build_document(document(gialam)))["incoming_documents"][0]
    )
    update = document(gialam, business_type=2, subject="V/v kiểm tra đất công (sửa)",
                      attachments=[])  # fmt: skip
    receive(pk.build_document(update))
    doc.refresh_from_db()
    assert doc.summary == "V/v kiểm tra đất công (sửa)" and doc.workflow_state == "Chờ tiếp nhận"
    replacement = document(
        gialam, number="2208", business_type=3, replaces=[document(gialam).document_id]
    )
    result = receive(pk.build_document(replacement))
    new = IncomingDocument.objects.get(name=result["incoming_documents"][0])
    assert new.document_number == "2208/STNMT-QLĐĐ" and new.workflow_state == "Chờ tiếp nhận"
    doc.refresh_from_db()
    assert doc.withdrawn_on and "thay thế" in doc.withdrawn_reason


def test_the_send_job_hands_packages_to_the_peer_or_leaves_them_in_the_outbox(
    gialam, exchange_dir, settings
):
    doc = issued(gialam, recipients=[OTHER, ("000.00.77.H77", "Một cơ quan chưa kết nối")])
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"peers": {OTHER[0]: {"folder": str(exchange_dir / "peer")}}},
    }
    assert jobs.send_pending() == {"Đã gửi": 1, "Chờ chuyển": 1}
    assert len(list((exchange_dir / "sent").glob("*.edxml"))) == 1
    assert len(list((exchange_dir / "outbox").glob("*.edxml"))) == 1
    rows_ = {r.agency_code: r for r in doc.recipients.all()}
    assert rows_[OTHER[0]].delivery_status == DeliveryStatus.SENT
    assert rows_["000.00.77.H77"].delivery_status == DeliveryStatus.QUEUED
    assert jobs.send_pending() == {}  # nothing is sent twice


def test_a_peer_that_cannot_be_reached_is_tried_again_later(gialam, exchange_dir, settings):
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"peers": {OTHER[0]: {"url": "http://127.0.0.1:9", "token": "x"}}},
    }
    issued(gialam, recipients=[OTHER])
    assert jobs.send_pending() == {"Chờ gửi": 1}
    msg = EdxmlMessage.objects.get()
    assert msg.attempts == 1 and "Không kết nối được" in msg.error


def test_the_inbox_folder_is_read_and_bad_packages_are_put_aside(gialam, exchange_dir):
    inbox = transport.folder("inbox")
    transport.write_atomic(inbox, "a.edxml", pk.build_document(document(gialam)))
    transport.write_atomic(inbox, "b.edxml", b"<edXML><broken")
    (inbox / ".c.edxml.part").write_bytes(b"being written")
    assert jobs.process_inbox() == {"received": 1, "rejected": 1}
    assert (exchange_dir / "received" / "a.edxml").exists()
    error = (exchange_dir / "rejected" / "b.edxml.error.txt").read_text(encoding="utf-8")
    assert "không phải XML hợp lệ" in error
    assert (inbox / ".c.edxml.part").exists()  # a file still being written is left alone
    assert IncomingDocument.objects.count() == 1
    msg = EdxmlMessage.objects.get(kind=MessageKind.DOCUMENT)
    assert msg.package_file == "received/a.edxml"


def test_the_site_folders_live_in_the_site(gialam, exchange_dir):
    assert transport.folder("inbox").parent == transport.edxml_dir()
    assert str(transport.edxml_dir()).startswith(str(django_settings.SITE_DIR))


def test_a_replacement_retires_the_old_document_everywhere(gialam, exchange_dir, settings):
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"peers": {OTHER[0]: {"folder": str(exchange_dir / "peer")}}},
    }
    old = issued(gialam, recipients=[gialam["Đông Dư"], OTHER, ("000.00.77.H77", "Cơ quan X")])
    assert jobs.send_pending() == {"Đã gửi": 1, "Chờ chuyển": 1}
    old_copy = old.recipients.get(unit=gialam["Đông Dư"]).incoming_document
    new = issued(gialam, recipients=[gialam["Đông Dư"], OTHER], replaces=old)
    old.refresh_from_db()
    assert old.workflow_state == "Đã thu hồi" and new.symbol in old.recall_reason
    old_copy.refresh_from_db()
    assert old_copy.withdrawn_on  # nobody in Đông Dư had acted on the old one
    assert new.recipients.get(unit=gialam["Đông Dư"]).incoming_document.withdrawn_on is None
    # Sở TNMT receives the new one as the replacement of the old (3); agency X, which does not
    # receive the new one, is asked to give the old one back (1).
    sent = set(
        EdxmlMessage.objects.filter(kind=MessageKind.DOCUMENT).values_list(
            "outgoing_document_id", "to_code", "business_type"
        )
    )
    assert sent == {
        (old.pk, OTHER[0], BusinessType.NEW),
        (old.pk, "000.00.77.H77", BusinessType.NEW),
        (old.pk, "000.00.77.H77", BusinessType.RECALL),
        (new.pk, OTHER[0], BusinessType.REPLACE),
    }
    replacement = EdxmlMessage.objects.get(outgoing_document=new, to_code=OTHER[0])
    back = pk.parse(build_message(replacement), max_bytes=10**8, max_attachment_bytes=10**8)
    assert back.business_type == 3 and back.replaces == [old.edxml_document_id]
    assert len(back.attachments) == 1
    # What the other agency does with it (tests above): the old one is taken back there.
    from django.core.exceptions import ValidationError as DjangoValidationError

    with pytest.raises(DjangoValidationError) as caught:  # the old one is no longer issued
        issued(gialam, recipients=[OTHER], replaces=old)
    assert "Đã phát hành" in str(caught.value)
