"""The edXML methods over HTTP: the token-authenticated endpoint, a clerk's import and export."""

from __future__ import annotations

import pytest
import requests

from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.edxml import package as pk
from eoffice.edxml.models import EdxmlMessage
from tests.doctype.factories import CLERK, DONGDU_STAFF
from tests.edxml.factories import DONG_ANH, document, status
from tests.outgoing.factories import issued
from tests.workflows.test_http import PASSWORD, Session, messages

pytestmark = pytest.mark.django_db(transaction=True)
RECEIVE = "/api/method/eoffice.edxml.receive"
TOKEN = "secret-of-dong-anh"


@pytest.fixture
def login(live_server, gialam):
    def make(email: str) -> Session:
        s = Session(live_server.url)
        response = s.post("/api/method/login", json={"usr": email, "pwd": PASSWORD})
        assert response.status_code == 200, response.text
        return s

    return make


@pytest.fixture
def tokens(settings):
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"inbound_tokens": {DONG_ANH.code: TOKEN}},
    }


def post(live_server, data: bytes, token: str | None = TOKEN, content_type="application/xml"):
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["X-Edxml-Token"] = token
    return requests.post(live_server.url + RECEIVE, data=data, headers=headers, timeout=60)


def test_the_endpoint_takes_packages_only_with_the_senders_token(
    live_server, gialam, tokens, exchange_dir
):
    data = pk.build_document(document(gialam, sender=DONG_ANH))
    assert post(live_server, data, token=None).status_code == 401
    assert post(live_server, data, token="wrong").status_code == 401
    other = pk.build_document(document(gialam))  # from Sở TNMT, not Đông Anh
    refused = post(live_server, other)
    assert refused.status_code == 403 and "không thuộc cơ quan gửi" in messages(refused)[0]
    wrong_type = post(live_server, data, content_type="text/plain")
    assert wrong_type.status_code == 417
    assert not IncomingDocument.objects.exists()
    taken = post(live_server, data)
    assert taken.status_code == 200, taken.text
    result = taken.json()["message"]
    assert result["kind"] == "document" and len(result["incoming_documents"]) == 1
    again = post(live_server, data).json()["message"]
    assert again["duplicate"] is True and IncomingDocument.objects.count() == 1
    hostile = post(live_server, b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert hostile.status_code == 417 and "DOCTYPE" in messages(hostile)[0]


def test_a_clerk_imports_a_package_file_and_exports_an_issued_document(login, gialam, exchange_dir):
    clerk = login(CLERK)
    data = pk.build_document(document(gialam))
    response = clerk.post(
        "/api/method/eoffice.edxml.import_package",
        files={"file": ("2207.edxml", data, "application/xml")},
    )
    assert response.status_code == 200, response.text
    name = response.json()["message"]["incoming_documents"][0]
    assert IncomingDocument.objects.get(name=name).workflow_state == "Chờ tiếp nhận"
    log = clerk.message("eoffice.edxml.messages", doctype="Incoming Document", name=name)
    assert [(m["direction"], m["kind"], m["status_code"]) for m in log] == [
        ("Nhận", "Văn bản", ""),
        ("Gửi", "Trạng thái", "01"),
    ]
    # Someone who is not a clerk of the addressed agency may not import for it.
    refused = login(DONGDU_STAFF).post(
        "/api/method/eoffice.edxml.import_package",
        files={"file": ("again.edxml", pk.build_document(document(gialam, number="9")),
                        "application/xml")},
    )  # fmt: skip
    assert refused.status_code == 403

    doc = issued(gialam, recipients=[(DONG_ANH.code, DONG_ANH.name)])
    exported = clerk.get(
        "/api/method/eoffice.edxml.export",
        params={"name": doc.name, "agency_code": "000.00.31.H26", "agency_name": "Sở TNMT"},
    )
    assert exported.status_code == 200
    assert exported.headers["Content-Type"].startswith("application/xml")
    back = pk.parse(exported.content, max_bytes=10**8, max_attachment_bytes=10**8)
    assert back.symbol == doc.symbol and back.receivers[0].code == "000.00.31.H26"
    # A status from Đông Anh imported by hand shows on the row.
    clerk.post(
        "/api/method/eoffice.edxml.import_package",
        files={"file": ("st.edxml", pk.build_status(
            status(gialam, doc.edxml_document_id, "03", sender=DONG_ANH)), "application/xml")},
    )  # fmt: skip
    track = clerk.message("eoffice.outgoing.distribution", name=doc.name)
    assert track["recipients"][0]["status_code"] == "03"
    sent = clerk.message("eoffice.edxml.messages", doctype="Outgoing Document", name=doc.name)
    assert [m["kind"] for m in sent] == ["Văn bản", "Trạng thái"]
    assert EdxmlMessage.objects.count() == 4
