"""Conditions are evaluated over plain data by simpleeval; escapes fail even past the loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from eoffice.workflows.conditions import evaluate

DOC = {
    "name": "VBD-2026-000001",
    "owner": "vanthu@gialam.demo",
    "urgency": "Hỏa tốc",
    "document_date": "2026-01-05",
    "page_count": 3,
    "assignees": [{"unit": "GL-TNMT", "handling_role": "Chủ trì"}],
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ('doc.urgency == "Hỏa tốc"', True),
        ('doc.urgency in ("Khẩn", "Thượng khẩn", "Hỏa tốc")', True),
        ("frappe.session.user == doc.owner", True),
        ("user != doc.owner", False),
        ('doc.assignees[0].handling_role == "Chủ trì"', True),
        ("len(doc.assignees) == 1 and doc.page_count > 2", True),
        ("doc.deadline is None", True),  # a missing field reads as None, as in Frappe
        ("getdate(doc.document_date) <= getdate(today)", True),
        ("frappe.utils.date_diff(doc.document_date, '2026-01-01') == 4", True),
        ('"Văn thư" in roles', True),
    ],
)
def test_a_condition_reads_the_document_the_user_and_the_date(condition, expected):
    assert evaluate(condition, DOC, "vanthu@gialam.demo", {"Văn thư"}) is expected


@pytest.mark.parametrize(
    "condition",
    [
        "__import__('os').system('touch /tmp/eoffice-pwned')",
        "doc.__class__",
        "doc._data",
        "doc.get.__self__",
        "getdate.__globals__",
        "().__class__.__bases__[0].__subclasses__()",
        "open('/etc/passwd').read()",
        "doc.summary.format(doc)",
    ],
)
def test_an_escape_attempt_evaluates_to_false_and_does_nothing(condition):
    assert evaluate(condition, DOC, "vanthu@gialam.demo") is False
    assert not Path("/tmp/eoffice-pwned").exists()


def test_the_document_given_to_a_condition_is_read_only():
    assert evaluate("doc.update({'owner': 'x'}) or doc.owner == 'x'", DOC, "a@b.vn") is False
    assert DOC["owner"] == "vanthu@gialam.demo"
