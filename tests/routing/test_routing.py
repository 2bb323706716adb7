"""Routing rules: a newly registered document goes straight to a unit, or is proposed to the
leader; rules are tried on past documents before they are switched on."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from eoffice.constants import HandlingRole, Secrecy
from eoffice.doctype.assignment import Assignment
from eoffice.doctype.document_type import DocumentType
from eoffice.doctype.file import File
from eoffice.doctype.notification import NotificationKind, NotificationLog
from eoffice.doctype.routing_rule import (
    RoutingAction,
    RoutingLog,
    RoutingRule,
    RoutingStatus,
    dry_run,
    phrases,
    words,
)
from eoffice.doctype.workflow_log import WorkflowLog
from eoffice.workflows.engine import apply_workflow
from tests.deadlines.helpers import messages
from tests.doctype.factories import CHAIRMAN, CLERK, TNMT_HEAD, directed, incoming, rows, user

pytestmark = pytest.mark.django_db

SO_TNMT = "Sở Tài nguyên và Môi trường thành phố Hà Nội"


@pytest.fixture
def inline_jobs(settings):
    settings.JOBS_MODE = "inline"


def rule(demo, **fields) -> RoutingRule:
    values = {
        "rule_name": "Văn bản của Sở TNMT về Phòng TNMT",
        "issuers": "Sở Tài nguyên và Môi trường",
        "action": RoutingAction.ROUTE,
        "target_unit": demo["TNMT"],
    }
    values.update(fields)
    r = RoutingRule(**values)
    r.full_clean()
    r.save()
    return r


def switch_on(r: RoutingRule) -> RoutingRule:
    dry_run(r)
    r.refresh_from_db()
    r.is_active = True
    r.full_clean()
    r.save()
    return r


def register(demo, django_capture_on_commit_callbacks, **fields):
    """The clerk registers a new document; routing runs after the commit (inline jobs)."""
    doc = incoming(demo, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        apply_workflow(doc, "Vào sổ", user(CLERK))
    doc.refresh_from_db()
    return doc


def lead_unit(doc):
    a = Assignment.objects.filter(
        reference_name=doc.name, handling_role=HandlingRole.LEAD, parent_assignment=None
    ).first()
    return a.unit if a else None


def test_matching_ignores_case_accents_and_d_but_keeps_whole_words():
    assert words("Sở Tài nguyên & Môi trường") == " so tai nguyen moi truong "
    assert phrases("đất đai; Xây dựng\nTHUẾ,,") == [" dat dai ", " xay dung ", " thue "]
    haystack = words("V/v rà soát HỒ SƠ ĐẤT ĐAI năm 2026")
    assert " dat dai " in haystack and " dat da " not in haystack


def test_a_rule_is_switched_on_only_after_a_dry_run_on_past_documents(demo):
    r = rule(demo)
    r.is_active = True
    with pytest.raises(DjangoValidationError) as info:
        r.full_clean()
    assert "Cần chạy thử quy tắc" in info.value.message_dict["is_active"][0]
    switch_on(r)
    # Editing a condition asks for a new test.
    r.keywords = "đất đai"
    with pytest.raises(DjangoValidationError):
        r.full_clean()


def test_a_rule_needs_a_condition_and_sane_phrases(demo):
    with pytest.raises(DjangoValidationError) as info:
        rule(demo, issuers="")
    assert info.value.message_dict["__all__"] == [
        "Quy tắc cần ít nhất một điều kiện: cơ quan ban hành, loại văn bản hoặc từ khóa."
    ]
    with pytest.raises(DjangoValidationError) as info:
        rule(demo, keywords="; ... ;")
    assert info.value.message_dict["keywords"] == ["Cần có chữ hoặc số, không chỉ dấu câu."]
    with pytest.raises(DjangoValidationError):
        rule(demo, keywords="\n".join(f"từ {i}" for i in range(101)))


def test_a_document_from_the_department_of_natural_resources_goes_to_phong_tnmt(
    demo, inline_jobs, django_capture_on_commit_callbacks
):
    switch_on(rule(demo))
    doc = register(demo, django_capture_on_commit_callbacks, issuer=SO_TNMT)
    assert doc.workflow_state == "Đã phân công"
    assert lead_unit(doc) == demo["TNMT"]
    step = WorkflowLog.objects.get(reference_name=doc.name, action="Chuyển xử lý")
    assert step.user.email == CLERK
    assert "Theo quy tắc phân luồng «Văn bản của Sở TNMT về Phòng TNMT»" in step.comment
    log = RoutingLog.objects.get(document=doc)
    assert (log.status, log.unit) == (RoutingStatus.ROUTED, demo["TNMT"])
    # The head of TNMT is told of the new work.
    assert NotificationLog.objects.filter(
        kind=NotificationKind.ASSIGNED, for_user__email=TNMT_HEAD, document_name=doc.name
    ).exists()
    # A document from someone else is left to the clerk.
    other = register(demo, django_capture_on_commit_callbacks, issuer="UBND thành phố Hà Nội")
    assert other.workflow_state == "Đã vào sổ" and not RoutingLog.objects.filter(document=other)


def test_routing_runs_once_per_document(demo, inline_jobs, django_capture_on_commit_callbacks):
    from eoffice.doctype.routing_rule import route_document

    switch_on(rule(demo))
    doc = register(demo, django_capture_on_commit_callbacks, issuer=SO_TNMT)
    assert route_document(doc.name, user(CLERK).pk) is None
    assert WorkflowLog.objects.filter(reference_name=doc.name, action="Chuyển xử lý").count() == 1


def test_a_proposal_goes_to_the_leader_who_accepts_it_in_phan_cong(
    demo, inline_jobs, django_capture_on_commit_callbacks
):
    switch_on(
        rule(
            demo,
            rule_name="Đất đai: đề xuất Phòng TNMT",
            issuers="",
            keywords="đất đai\nquy hoạch sử dụng đất",
            action=RoutingAction.PROPOSE,
            leader=user(CHAIRMAN),
        )
    )
    doc = register(
        demo,
        django_capture_on_commit_callbacks,
        summary="V/v kiểm tra HỒ SƠ ĐẤT ĐAI tại xã Đông Dư",
    )
    assert doc.workflow_state == "Chờ chỉ đạo" and doc.leader == user(CHAIRMAN)
    [row] = doc.assignees.all()
    assert (row.unit, row.handling_role) == (demo["TNMT"], HandlingRole.LEAD)
    [told] = NotificationLog.objects.filter(kind=NotificationKind.ROUTING)
    assert told.for_user.email == CHAIRMAN
    assert "đề xuất giao Phòng Tài nguyên và Môi trường chủ trì" in told.email_content
    log = RoutingLog.objects.get(document=doc)
    assert log.proposal_state() == "Chờ lãnh đạo"
    # The leader accepts by directing with the prefilled rows.
    apply_workflow(doc, "Phân công", user(CHAIRMAN), direction="Đồng ý, giao Phòng TNMT.")
    assert lead_unit(doc) == demo["TNMT"]
    assert log.proposal_state() == "Lãnh đạo đồng ý"


def test_keywords_in_the_text_read_from_the_files_when_the_rule_says_so(
    demo, inline_jobs, django_capture_on_commit_callbacks
):
    switch_on(rule(demo, issuers="", keywords="giải phóng mặt bằng", search_extracted_text=True))
    doc = incoming(demo, summary="V/v triển khai kế hoạch năm 2026")
    File.objects.create(
        file_name="scan.pdf",
        attached_to_doctype="Incoming Document",
        attached_to_name=doc.name,
        content_hash="0" * 64,
        mime_type="application/pdf",
        extracted_text="… đẩy nhanh tiến độ GIAI PHONG MAT BANG dự án đường vành đai …",
        ocr_status="Hoàn tất",
    )
    with django_capture_on_commit_callbacks(execute=True):
        apply_workflow(doc, "Vào sổ", user(CLERK))
    doc.refresh_from_db()
    assert doc.workflow_state == "Đã phân công"
    assert "trong nội dung tệp" in RoutingLog.objects.get(document=doc).reason


def test_secret_documents_are_never_routed(demo, inline_jobs, django_capture_on_commit_callbacks):
    switch_on(rule(demo))
    doc = register(demo, django_capture_on_commit_callbacks, issuer=SO_TNMT, secrecy=Secrecy.SECRET)
    assert doc.workflow_state == "Đã vào sổ"


def test_a_keyword_that_looks_like_a_regex_is_plain_text_and_fast(demo):
    r = rule(demo, issuers="", keywords="(a+)+$\n.*.*.*=.*")
    doc = incoming(demo, summary="a" * 5000 + "!")
    started = time.monotonic()
    assert r.match(doc, "a" * 200_000 + "!") is None
    assert time.monotonic() - started < 0.5


def test_the_dry_run_lists_what_the_rule_would_have_matched(demo):
    past = [directed(demo, issuer=SO_TNMT) for _ in range(2)]  # the chairman chose TNMT + Đông Dư
    other = directed(
        demo,
        issuer="Sở Xây dựng Hà Nội",
        assignees=rows((demo["Đông Dư"].name, HandlingRole.LEAD)),
    )
    directed(
        demo,
        issuer=SO_TNMT,
        assignees=rows((demo["Đông Dư"].name, HandlingRole.LEAD)),
        document_type=DocumentType.objects.get(type_name="Giấy mời"),
    )
    r = rule(demo)
    result = dry_run(r)
    assert (result["checked"], result["matched"], result["decided"], result["agreed"]) == (
        4,
        3,
        3,
        2,
    )
    names = [d["name"] for d in result["documents"]]
    assert set(d.name for d in past) < set(names) and other.name not in names
    disagree = [d for d in result["documents"] if d["agrees"] is False]
    assert disagree[0]["actual_unit"] == "Xã Đông Dư"
    assert (
        "cơ quan ban hành «Sở Tài nguyên và Môi trường thành phố Hà Nội»"
        in (result["documents"][0]["reason"])
    )
    r.refresh_from_db()
    assert r.tested_on and "khớp 3/4 văn bản" in r.tested_result


def test_the_dry_run_over_the_api_is_for_administrators(client, demo):
    r = rule(demo)
    client.force_login(user(CLERK))
    url = "/api/method/eoffice.routing.dry_run"
    assert client.post(url, {"rule": r.name}).status_code == 403
    client.force_login(user("admin@gialam.demo"))
    ok = client.post(url, {"rule": r.name, "days": "30"})
    assert ok.status_code == 200 and ok.json()["message"]["rule"] == r.name
    unsaved = client.post(
        url, {"keywords": "đất đai", "target_unit": demo["TNMT"].name, "action": "Chuyển xử lý"}
    )
    assert unsaved.status_code == 200 and unsaved.json()["message"]["rule"] is None
    bad = client.post(url, {"target_unit": demo["TNMT"].name})
    assert bad.status_code == 417 and "ít nhất một điều kiện" in messages(bad)[0]
    bad = client.post(url, {"rule": "PL-9999"})
    assert bad.status_code == 404
    bad = client.post(url, {"rule": r.name, "days": "-1"})
    assert bad.status_code == 417
