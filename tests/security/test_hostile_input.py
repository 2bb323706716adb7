"""Hostile and odd input: NFD vs NFC Vietnamese, SQL-like and script-like text, stored and
shown as text. (Uploads of malformed, oversized and disguised files: tests/api/test_files.py.)"""

from __future__ import annotations

import json
import unicodedata

from tests.doctype import factories as f

DOC = "Incoming Document"
SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE tab_audit_log; -- \" OR 1=1 #"


def new_doc(client, demo, summary):
    from eoffice.doctype.document_type import DocumentType

    body = {
        "receiving_unit": demo["UBND"].name,
        "issuer": "UBND thành phố Hà Nội",
        "document_number": "12/UBND-VP",
        "document_date": "2017-05-02",
        "arrival_date": "2017-05-03 08:00:00",
        "document_type": DocumentType.objects.get(type_name="Công văn").name,
        "summary": summary,
    }
    response = client.post(f"/api/resource/{DOC}", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_nfd_and_nfc_vietnamese_are_the_same_text_on_write_and_in_queries(login, demo):
    clerk = login(f.CLERK)
    nfc_text = "Kế hoạch phòng chống lụt bão Đông Dư"
    nfd_text = unicodedata.normalize("NFD", nfc_text)
    assert nfd_text != nfc_text
    created = new_doc(clerk, demo, nfd_text)
    assert created["summary"] == nfc_text  # stored precomposed
    for query in (nfc_text, nfd_text):
        rows = clerk.rows(DOC, filters=json.dumps({"summary": query}), fields='["name"]')
        assert [r["name"] for r in rows] == [created["name"]], query
    form = clerk.get(
        "/api/method/frappe.client.get_count",
        params={
            "doctype": DOC,
            "filters": json.dumps(
                {"summary": ["like", "%" + unicodedata.normalize("NFD", "lụt bão") + "%"]}
            ),
        },
    )
    assert form.json()["message"] == 1


def test_sql_like_and_script_like_text_is_stored_and_returned_as_it_was_typed(login, demo):
    clerk = login(f.CLERK)
    for text in (SQL, SCRIPT):
        created = new_doc(clerk, demo, text)
        got = clerk.get(f"/api/resource/{DOC}/{created['name']}").json()["data"]
        assert got["summary"] == text
        rows = clerk.rows(DOC, filters=json.dumps({"summary": text}), fields='["name"]')
        assert [r["name"] for r in rows] == [created["name"]]
    from eoffice.audit.models import AuditLog

    assert AuditLog.objects.exists()  # the table the "injection" names is still there


def test_a_script_in_a_summary_is_shown_as_text_in_the_desk(login, demo):
    clerk = login(f.CLERK)
    created = new_doc(clerk, demo, SCRIPT)
    pages = [
        "/app/incoming-document",
        f"/app/incoming-document/{created['name']}",
    ]
    shown = 0
    for page in pages:
        response = clerk.get(page)
        assert response.status_code == 200, page
        html = response.text
        assert '<script>alert("xss")' not in html and "<img src=x" not in html, page
        shown += "&lt;script&gt;alert(" in html
        # And if escaping ever failed, the policy would still refuse to run it.
        assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]
    assert shown, "the summary is shown, as text, on at least one page"
