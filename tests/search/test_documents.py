"""Search over the site's real documents: the permission layer's answer, jobs, CLI and API."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.conf import settings

from eoffice import search
from eoffice.constants import HandlingRole, Role, Secrecy
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.permissions import filter_queryset
from eoffice.workflows.engine import apply_workflow
from tests.conftest import EOFFICE, ROOT, subprocess_env
from tests.doctype.factories import (
    BATRANG_STAFF,
    CHAIRMAN,
    CLERK,
    DONGDU_HEAD,
    DONGDU_STAFF,
    TNMT_HEAD,
    TNMT_OFFICER,
    directed,
    incoming,
    registered,
    rows,
    user,
    waiting_for_direction,
)
from tests.ocr import documents
from tests.ocr.conftest import run_worker_burst

META = IncomingDocument._doctype
READERS = [CLERK, CHAIRMAN, TNMT_HEAD, TNMT_OFFICER, DONGDU_HEAD, DONGDU_STAFF, BATRANG_STAFF]
READERS += ["vanthu.dongdu@gialam.demo", "admin@gialam.demo"]


def found(email, text="", **kwargs) -> set[str]:
    results = search.search(search.scope_for(user(email)), text, limit=200, **kwargs)
    return {hit.name for hit in results.hits}


def readable(email) -> set[str]:
    qs = filter_queryset(user(email), META, IncomingDocument.objects.all())
    return set(qs.values_list("name", flat=True))


@pytest.fixture
def site_index():
    """The site's own index folder (what worker and CLI processes use), emptied around the test."""
    from eoffice.search import index
    from eoffice.search.jobs import _connection, _keys

    def clean():
        shutil.rmtree(index.root(), ignore_errors=True)
        index.forget_readers()
        _connection().delete(*_keys())

    clean()
    yield index.root()
    clean()


@pytest.fixture
def indexing_signals():
    from eoffice.search import signals

    signals.connect()
    yield
    signals.disconnect()


def test_search_finds_exactly_what_the_permission_layer_lets_each_person_read(
    demo, make_user, search_index
):
    registered(demo)  # the district's register only
    directed(demo)  # TNMT leads, Đông Dư co-operates
    incoming(demo, receiving_unit=demo["Bát Tràng"], owner="vanthu.dongdu@gialam.demo")
    secret = waiting_for_direction(demo, secrecy=Secrecy.TOP_SECRET)
    apply_workflow(
        secret,
        "Phân công",
        user(CHAIRMAN),
        direction="Giao TNMT",
        assignees=rows((demo["TNMT"].name, HandlingRole.LEAD)),
    )
    apply_workflow(secret, "Giao xử lý", user(TNMT_HEAD), assign_to=TNMT_OFFICER)
    make_user("cv2.tnmt@gialam.demo", demo["TNMT"], Role.OFFICER)

    assert search.rebuild() >= 4
    for email in [*READERS, "cv2.tnmt@gialam.demo"]:
        expected = readable(email)
        assert found(email) == expected, email
        assert found(email, "ho so dat dai") == expected, email  # every factory summary says it
    assert secret.name in found(TNMT_OFFICER) and secret.name not in found("cv2.tnmt@gialam.demo")


@pytest.mark.django_db(transaction=True)
def test_the_done_when_scenario_upload_a_scan_the_form_fills_and_the_commune_finds_it(
    demo, clean_queues, upload, site_index, tmp_path
):
    doc = directed(demo)  # assigned to TNMT and to the commune of Đông Dư
    scan = documents.save_scan(documents.cong_van_dat_dai(), tmp_path / "cong-van.jpg")
    stored = upload(scan, attached_to_doctype="Incoming Document", attached_to_name=doc.name)

    run_worker_burst()  # OCR, the searchable PDF, and the index job on the short queue

    stored.refresh_from_db()
    assert stored.ocr_fields["fields"]["document_number"] == "45/UBND-VP"
    assert stored.ocr_fields["fields"]["issuer"].replace(" ", "") == "ỦYBANNHÂNDÂNHUYỆNGIALÂM"
    assert found(DONGDU_STAFF, "giay chung nhan") == {doc.name}  # words only the scan has
    assert found(DONGDU_STAFF, "cap giay chung nhan quyen su dung dat") == {doc.name}
    assert found(BATRANG_STAFF, "giay chung nhan") == set()
    hit = search.search(search.scope_for(user(DONGDU_STAFF)), "giay chung nhan").hits[0]
    assert "giấy chứng nhận" in hit.content


@pytest.mark.django_db(transaction=True)
def test_a_change_to_a_document_reaches_the_index_through_the_index_job(
    demo, clean_queues, site_index, indexing_signals
):
    from eoffice.search.jobs import pending_count

    doc = registered(demo, summary="Kế hoạch phòng chống lụt bão năm 2017")
    assert pending_count() == 1
    run_worker_burst("short")
    assert found(CLERK, "lut bao") == {doc.name}

    doc.summary = "Kế hoạch phòng cháy chữa cháy năm 2017"
    doc.save()
    run_worker_burst("short")
    assert found(CLERK, "lut bao") == set()
    assert found(CLERK, "chua chay") == {doc.name}
    assert pending_count() == 0

    # Assigning it lets the commune find it: the assignment reindexes the document.
    assert found(DONGDU_STAFF, "chua chay") == set()
    apply_workflow(doc, "Trình lãnh đạo", user(CLERK), leader=CHAIRMAN)
    apply_workflow(
        doc,
        "Phân công",
        user(CHAIRMAN),
        direction="Xã Đông Dư chủ trì",
        assignees=rows((demo["Đông Dư"].name, HandlingRole.LEAD)),
    )
    run_worker_burst("short")
    assert found(DONGDU_STAFF, "chua chay") == {doc.name}


@pytest.mark.django_db(transaction=True)
def test_eoffice_search_rebuild_recreates_the_index_from_the_database(demo, site_index):
    docs = [registered(demo), directed(demo)]
    proc = subprocess.run(
        [EOFFICE, "search", "rebuild"],
        env=subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rebuilt" in proc.stdout
    assert found(CLERK, "ho so dat dai") == {d.name for d in docs}
    status = subprocess.run(
        [EOFFICE, "search", "status"],
        env=subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"{settings.SITE_DIR}" in status.stdout and "documents: 2" in status.stdout


def test_frappe_global_search_over_http_answers_in_frappes_shape(demo, client, search_index):
    doc = directed(demo)
    incoming(demo, receiving_unit=demo["Bát Tràng"])
    search.rebuild()
    client.force_login(user(DONGDU_STAFF))
    response = client.get(
        "/api/method/frappe.utils.global_search.search", {"text": "ho so dat dai", "limit": 5}
    )
    assert response.status_code == 200, response.content
    message = response.json()["message"]
    assert [(m["doctype"], m["name"]) for m in message] == [("Incoming Document", doc.name)]
    assert "hồ sơ đất đai" in message[0]["content"]

    response = client.get(
        "/api/method/frappe.utils.global_search.search", {"text": "x", "start": "-1"}
    )
    assert response.status_code == 417
    assert "không được âm" in response.content.decode()


def test_searching_over_http_needs_a_signed_in_user(client, search_index, db):
    response = client.get("/api/method/frappe.utils.global_search.search", {"text": "ho so"})
    assert response.status_code in (401, 403)


def test_a_persons_scope_covers_every_searchable_doctype_from_a_fresh_start(demo):
    from eoffice.search import sources

    sources.SOURCES.clear()
    sources._registered = False  # as in a web process that has not searched yet
    scope = search.scope_for(user(DONGDU_STAFF))
    assert scope.doctypes == frozenset({"Incoming Document", "File"})
    assert demo["Đông Dư"].pk in scope.units and scope.led_units == frozenset()
    head = search.scope_for(user(DONGDU_HEAD))
    assert head.led_units == frozenset({demo["Đông Dư"].pk})
    assert search.scope_for(user("admin@gialam.demo")).is_admin


@pytest.mark.django_db(transaction=True)
def test_changes_made_while_a_rebuild_holds_the_index_wait_and_are_applied_after(
    demo, clean_queues, site_index, indexing_signals
):
    from eoffice.search.index import writer_lock
    from eoffice.search.jobs import flush, pending_count

    with writer_lock():  # a rebuild is writing
        doc = registered(demo, summary="Kế hoạch phòng chống lụt bão năm 2017")
        assert flush() == 0  # could not write: the change stays pending
        assert pending_count() == 1
    assert flush() == 1
    assert pending_count() == 0
    assert found(CLERK, "lut bao") == {doc.name}
