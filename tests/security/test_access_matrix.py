"""One access rule on every path: another commune's people, and administrators for secret
documents, are refused everywhere without a trace of what they may not read.

For every registered DocType and every read path of the API (list, get, count, get_value,
frappe.client.get, group_by, filters, file download, search), a Bát Tràng officer is refused
Đông Dư's document and everything hanging off it. A "Mật" document is read only by those named
on it and the leader it was submitted to; "Quản trị" is not named, so reads nothing of it.
"""

from __future__ import annotations

import json

import pytest

from eoffice.doctype.base import REGISTRY
from tests.api.conftest import assert_error
from tests.security.conftest import MARK

OUTSIDER = "cb.batrang@gialam.demo"
ADMIN = "admin@gialam.demo"
DOC = "Incoming Document"


def protected_rows(doc) -> dict[str, set[str]]:
    """(DocType → names) of the rows that exist only because of ``doc``."""
    from eoffice.doctype.assignment import Assignment
    from eoffice.doctype.comment import Comment
    from eoffice.doctype.file import File
    from eoffice.doctype.workflow_log import WorkflowLog

    ref = {"reference_doctype": DOC, "reference_name": doc.name}
    att = {"attached_to_doctype": DOC, "attached_to_name": doc.name}
    return {
        DOC: {doc.name},
        "File": set(File.objects.filter(**att).values_list("name", flat=True)),
        "Comment": set(Comment.objects.filter(**ref).values_list("name", flat=True)),
        "Workflow Log": set(WorkflowLog.objects.filter(**ref).values_list("name", flat=True)),
        "Assignment": set(Assignment.objects.filter(**ref).values_list("name", flat=True)),
    }


def assert_refused_everywhere(client, doc):
    """Every read path refuses ``doc`` and its rows, and no count or list gives them away."""
    rows = protected_rows(doc)
    checked = 0
    for doctype in sorted(REGISTRY):
        names = rows.get(doctype, set())
        listed = client.resource(doctype, fields=json.dumps(["name"]), limit_page_length=0)
        if listed.status_code == 200:
            seen = {r["name"] for r in listed.json()["data"]}
            assert not (seen & names), (doctype, seen & names)
            assert MARK not in listed.text, doctype
        else:  # the role gives no read at all: refused, never a 5xx
            assert listed.status_code in (403, 404), (doctype, listed.text)
        for name in names:
            checked += 1
            url = f"/api/resource/{doctype}/{name}"
            assert_error(client.get(url), 404, "DoesNotExistError")
            assert client.put(url, json={"summary": "x"}).status_code in (403, 404)
            assert client.delete(url).status_code in (403, 404)
            got = client.get(
                "/api/method/frappe.client.get", params={"doctype": doctype, "name": name}
            )
            assert got.status_code in (403, 404) and MARK not in got.text
            count = client.get(
                "/api/method/frappe.client.get_count",
                params={"doctype": doctype, "filters": json.dumps({"name": name})},
            )
            assert count.status_code != 200 or count.json()["message"] == 0, (doctype, count.text)
            value = client.get(
                "/api/method/frappe.client.get_value",
                params={
                    "doctype": doctype,
                    "filters": json.dumps({"name": name}),
                    "fieldname": "name",
                },
            )
            assert MARK not in value.text and name not in value.text.replace(f"'{name}'", "")
    # Filters on the protected fields find nothing; counts by group say nothing either.
    for filters in ({"summary": ["like", f"%{MARK}%"]}, {"name": doc.name}):
        count = client.get(
            "/api/method/frappe.client.get_count",
            params={"doctype": DOC, "filters": json.dumps(filters)},
        )
        assert count.json()["message"] == 0
    grouped = client.resource(
        DOC, fields=json.dumps(["receiving_unit", "count(name) as n"]), group_by="receiving_unit"
    )
    assert grouped.status_code == 200
    assert doc.receiving_unit.name not in {r["receiving_unit"] for r in grouped.json()["data"]} or (
        doc.secrecy != "Thường"
    )
    # The file, by both of its URLs.
    stored = doc.test_file
    assert client.get(stored.file_url).status_code == 404
    assert (
        client.get("/api/method/eoffice.files.download", params={"name": stored.name}).status_code
        == 404
    )
    # Search.
    found = client.get("/api/method/frappe.utils.global_search.search", params={"text": MARK})
    assert found.status_code == 200 and doc.name not in found.text
    return checked


def test_another_communes_officer_is_refused_every_doctype_and_every_path(login, dongdu_doc):
    checked = assert_refused_everywhere(login(OUTSIDER), dongdu_doc)
    assert checked >= 4  # the document, its file, comment and workflow log at least


def test_the_communes_own_officer_reads_the_same_rows(login, dongdu_doc):
    client = login("cb.dongdu@gialam.demo")
    assert client.get(f"/api/resource/{DOC}/{dongdu_doc.name}").status_code == 200
    assert client.get(dongdu_doc.test_file.file_url).status_code == 200


def test_the_administrator_is_not_named_on_a_secret_document_and_reads_nothing_of_it(
    login, secret_doc
):
    checked = assert_refused_everywhere(login(ADMIN), secret_doc)
    assert checked >= 3


def test_a_secret_document_is_read_by_its_clerk_and_the_leader_it_was_submitted_to_only(
    login, secret_doc
):
    for email in ("vanthu@gialam.demo", "chutich@gialam.demo"):
        client = login(email)
        assert client.get(f"/api/resource/{DOC}/{secret_doc.name}").status_code == 200, email
        assert client.get(secret_doc.test_file.file_url).status_code == 200, email
    for email in ("tp.tnmt@gialam.demo", "cv.tnmt@gialam.demo", "cb.dongdu@gialam.demo"):
        assert_error(
            login(email).get(f"/api/resource/{DOC}/{secret_doc.name}"), 404, "DoesNotExistError"
        )


def test_the_administrator_still_reads_normal_documents_of_every_unit(login, dongdu_doc):
    admin = login(ADMIN)
    assert admin.get(f"/api/resource/{DOC}/{dongdu_doc.name}").status_code == 200


@pytest.mark.parametrize("field", ["password"])
def test_hidden_fields_cannot_be_filtered_or_read(login, field):
    client = login(OUTSIDER)
    response = client.resource("User", filters=json.dumps({field: ["like", "md5%"]}))
    assert_error(response, 403, "PermissionError")
    assert field not in client.rows("User", fields=json.dumps(["*"]))[0]


def test_the_permission_layer_in_process_agrees_for_every_doctype(demo, dongdu_doc, secret_doc):
    """The desk, exports and dashboards call filter_queryset: same answer as the API."""
    from eoffice import permissions
    from tests.doctype.factories import user

    for doc, who in ((dongdu_doc, OUTSIDER), (secret_doc, ADMIN)):
        person = user(who)
        for doctype, names in protected_rows(doc).items():
            meta = REGISTRY[doctype]
            visible = permissions.filter_queryset(person, meta, meta.model.objects.all())
            assert not visible.filter(name__in=names).exists(), (who, doctype)
            for row in meta.model.objects.filter(name__in=names):
                assert not permissions.has_permission(person, meta, "read", row), (who, doctype)
