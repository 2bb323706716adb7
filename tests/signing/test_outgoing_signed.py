"""Issue 10's "Done when": the directive leaves the district signed by the chairman ("Ký")
and the agency ("Phát hành", after "Cấp số" wrote the number into the signed PDF); the
commune's clerk sees "Hợp lệ" with both signers' names once the worker has checked its copy;
``pdfsig`` agrees. A wrong PIN at "Ký" changes nothing."""

from __future__ import annotations

import json

import pytest

from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.doctype.outgoing_document.drafting import add_draft_version, latest_version
from eoffice.exceptions import ValidationError
from eoffice.signing.demo import CHAIRMAN, DEMO_PIN
from eoffice.workflows.engine import apply_workflow
from tests.doctype.factories import CLERK, TNMT_HEAD, TNMT_OFFICER, user
from tests.outgoing.factories import COMMUNES_AND_TOWNS, draft
from tests.signing.conftest import pdfsig
from tests.signing.documents import decision_pdf

CHAIRMAN_NAME = "Lê Văn Hùng"
AGENCY_NAME = "UBND huyện Gia Lâm"
DONGDU_CLERK = "vanthu.dongdu@gialam.demo"


def _read(file) -> bytes:
    with file.open() as fh:
        return fh.read()


def _waiting_for_signature(gialam):
    """cv.tnmt's directive with a real PDF draft (the chairman's name in the signature block),
    approved and checked: "Chờ ký" for the chairman."""
    doc = draft(gialam, summary="V/v tăng cường quản lý đất đai trên địa bàn huyện")
    add_draft_version(
        doc,
        user(TNMT_OFFICER),
        chunks=[decision_pdf(CHAIRMAN_NAME)],
        file_name="chi-thi.pdf",
        note="Bản trình ký",
    )
    apply_workflow(doc, "Trình duyệt", user(TNMT_OFFICER))
    apply_workflow(doc, "Duyệt", user(TNMT_HEAD))
    apply_workflow(doc, "Đạt", user(CLERK), signer=CHAIRMAN)
    assert doc.workflow_state == "Chờ ký"
    return doc


@pytest.fixture
def gialam(demo):
    """The demo organisation with the standard recipient groups."""
    from tests.outgoing.factories import groups

    groups()
    return demo


@pytest.fixture
def clean_queues():
    import django_rq

    from eoffice import jobs

    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()
    yield
    for name in jobs.worker_queue_names():
        django_rq.get_queue(name).empty()


@pytest.mark.django_db(transaction=True)
def test_the_directive_leaves_signed_and_the_commune_sees_it_valid(
    gialam, signing_demo, clean_queues, client
):
    from eoffice.doctype.file import File
    from eoffice.signing import panel
    from eoffice.signing.models import SignatureCheck
    from tests.test_jobs import run_worker_burst

    doc = _waiting_for_signature(gialam)
    drafted = latest_version(doc)

    apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority="TM.", pin=DEMO_PIN)
    signed = latest_version(doc)
    assert doc.workflow_state == "Đã ký"
    assert signed.version == drafted.version + 1 and doc.signed_version == signed.version
    assert "Signature is Valid." in pdfsig(_read(signed.file))

    apply_workflow(doc, "Cấp số", user(CLERK))
    stamped = latest_version(doc)
    assert stamped.version == signed.version + 1 and doc.symbol in stamped.note
    stamped_bytes = _read(stamped.file)
    assert stamped_bytes.startswith(_read(signed.file))  # an incremental update

    apply_workflow(doc, "Phát hành", user(CLERK), recipient_groups=[COMMUNES_AND_TOWNS], pin="")
    assert doc.workflow_state == "Đã phát hành"
    final = latest_version(doc)
    assert final.version == stamped.version + 1
    issued = _read(final.file)
    assert issued.startswith(stamped_bytes)

    # pdfsig, an independent verifier, finds two valid signatures on the issued file.
    said = pdfsig(issued)
    assert said.count("Signature is Valid.") == 2, said
    assert CHAIRMAN_NAME in said and AGENCY_NAME in said

    # Each commune's copy carries that file and waits for the worker's check.
    copy = IncomingDocument.objects.get(
        receiving_unit=gialam["Đông Dư"], document_number=doc.symbol
    )
    copy_file = File.objects.get(
        attached_to_doctype="Incoming Document", attached_to_name=copy.name
    )
    assert copy_file.content_hash == final.file.content_hash
    assert SignatureCheck.objects.get(file=copy_file).status == "Chờ kiểm tra"
    others = IncomingDocument.objects.filter(document_number=doc.symbol).exclude(pk=copy.pk)
    assert others.count() >= 20

    run_worker_burst()

    shown = panel(copy_file)
    assert shown["status"] == "Hợp lệ", shown
    signers = [s["signer"] for s in shown["signatures"]]
    assert CHAIRMAN_NAME in signers[0] and AGENCY_NAME in signers[1], signers
    assert all(s["status"] == "Hợp lệ" for s in shown["signatures"])

    # The commune's clerk reads the same panel through the API.
    response = client.post(
        "/api/method/login",
        data=json.dumps({"usr": DONGDU_CLERK, "pwd": "Demo@2017"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    response = client.get("/api/method/eoffice.signing.signature_panel", {"file": copy_file.name})
    assert response.status_code == 200, response.content
    message = response.json()["message"]
    assert message["status"] == "Hợp lệ"
    assert [s["signer"] for s in message["signatures"]] == signers


@pytest.mark.django_db
def test_a_wrong_pin_at_signing_leaves_the_document_waiting_with_no_new_version(
    gialam, signing_demo
):
    from eoffice.doctype.file import File

    doc = _waiting_for_signature(gialam)
    versions = doc.versions.count()
    files = File.objects.count()
    with pytest.raises(ValidationError, match="Mã PIN không đúng"):
        apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority="TM.", pin="000000")
    doc.refresh_from_db()
    assert doc.workflow_state == "Chờ ký"
    assert doc.signer_id is None or doc.signed_on is None
    assert doc.versions.count() == versions
    assert File.objects.count() == files
    # The right PIN then signs.
    apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority="TM.", pin=DEMO_PIN)
    assert doc.workflow_state == "Đã ký" and doc.versions.count() == versions + 1


@pytest.mark.django_db
def test_without_a_key_signing_is_as_before(gialam):
    doc = _waiting_for_signature(gialam)
    before = latest_version(doc)
    apply_workflow(doc, "Ký", user(CHAIRMAN), signing_authority="TM.")
    assert doc.workflow_state == "Đã ký"
    assert latest_version(doc).version == before.version == doc.signed_version
