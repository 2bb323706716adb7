"""Run the security tests and print the table of SECURITY.md from their results.

    .venv/bin/python scripts/security_table.py            # runs tests/security (about 1 min)
    .venv/bin/python scripts/security_table.py --with-related   # also the upload, OCR-kill and
                                                                # concurrency tests it cites

Each row is an attack or fault, the tests that try it, how many attempts one run makes (as
the tests are written), and the result: "nothing leaked/lost" only when every test of the row
passed in this run. Exit status 1 when any row failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (attack or fault, test ids (file::name prefix), attempts per run)
ROWS = [
    (
        "Another commune's officer reads Đông Dư's document, file, comment, workflow log "
        "(every DocType × list, get, PUT, DELETE, frappe.client.get, get_count, get_value, "
        "filters, group_by, download, search)",
        ["tests/security/test_access_matrix.py::test_another_communes_officer"],
        "every registered DocType listed (29 today) + 8 paths × 4 rows",
    ),
    (
        'Administrator (not named) reads a "Mật" document by the same paths',
        ["tests/security/test_access_matrix.py::test_the_administrator_is_not_named"],
        "every registered DocType listed (29 today) + 8 paths × 3 rows",
    ),
    (
        "Unnamed officers and unit heads read a secret document",
        ["tests/security/test_access_matrix.py::test_a_secret_document_is_read"],
        "3 users",
    ),
    (
        "Same rule in process (desk, exports, dashboards call filter_queryset/has_permission)",
        ["tests/security/test_access_matrix.py::test_the_permission_layer_in_process"],
        "2 users × 5 DocTypes",
    ),
    (
        "Filter or read a hidden field (password)",
        ["tests/security/test_access_matrix.py::test_hidden_fields"],
        "2 requests",
    ),
    (
        "Change or delete an audit row (model, queryset, raw SQL UPDATE, API PUT/DELETE/POST)",
        [
            "tests/security/test_audit.py::test_audit_rows_cannot",
            "tests/security/test_audit.py::test_only_administrators",
        ],
        "5 in process + 6 over HTTP",
    ),
    (
        "Delete a registered incoming document",
        ["tests/security/test_audit.py::test_a_registered_document"],
        "1",
    ),
    (
        "Audit trail of a full incoming flow, API changes, downloads, secret views, sign-ins",
        [
            "tests/security/test_audit.py::test_a_full_incoming_flow",
            "tests/security/test_audit.py::test_a_change_over_the_api",
            "tests/security/test_audit.py::test_a_secret_documents_values",
            "tests/security/test_audit.py::test_downloads_secret_views",
        ],
        "1 flow + 6 events",
    ),
    (
        "Password guessing on one account (API and desk)",
        [
            "tests/security/test_accounts.py::test_five_wrong_passwords",
            "tests/security/test_accounts.py::test_the_desk_sign_in_is_locked",
            "tests/security/test_accounts.py::test_a_success_resets",
        ],
        "5 + 5 + 8 wrong passwords",
    ),
    (
        "Password spraying from one IP",
        ["tests/security/test_accounts.py::test_one_ip_spraying"],
        "6 accounts",
    ),
    (
        "Weak passwords",
        [
            "tests/security/test_accounts.py::test_password_rules",
            "tests/security/test_accounts.py::test_a_password_like",
        ],
        "7 passwords",
    ),
    (
        "Sign-in without, with a wrong, or with a replayed TOTP code (API and desk)",
        [
            "tests/security/test_accounts.py::test_api_sign_in_with_a_second_factor",
            "tests/security/test_accounts.py::test_desk_sign_in_with_a_second_factor",
            "tests/security/test_accounts.py::test_the_enrolment_page",
        ],
        "5 attempts",
    ),
    (
        "Old session, forged form (no CSRF token), framing, inline script",
        [
            "tests/security/test_accounts.py::test_sessions_end",
            "tests/security/test_accounts.py::test_a_desk_form_without",
            "tests/security/test_accounts.py::test_security_headers",
        ],
        "1 + 1 + 2 pages",
    ),
    (
        "NFD vs NFC Vietnamese; SQL-like and script-like text (API and desk)",
        ["tests/security/test_hostile_input.py::"],
        "4 writes, 8 queries, 2 pages",
    ),
    (
        "Database connections killed under the running app",
        ["tests/security/test_faults.py::"],
        "3 kills",
    ),
]
RELATED = [
    (
        "Malformed, oversized, disguised and empty uploads",
        ["tests/api/test_files.py::"],
        "see the tests",
    ),
    (
        "Kill -9 of an RQ worker during OCR",
        ["tests/ocr/test_jobs.py::"],
        "see the tests",
    ),
    (
        "Concurrent registration: numbers unique and gap-free",
        ["tests/workflows/test_concurrency.py::"],
        "see the tests",
    ),
]


def run(paths: list[str], junit: Path) -> int:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
    return subprocess.call(cmd + paths, cwd=ROOT)


def results(junit: Path) -> dict[str, str]:
    """test id (file::name) → "passed" | "failed" | "skipped"."""
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        name = case.get("name", "")
        if case.find("failure") is not None or case.find("error") is not None:
            state = "failed"
        elif case.find("skipped") is not None:
            state = "skipped"
        else:
            state = "passed"
        out[f"{path}::{name}"] = state
    return out


def table(rows, outcome: dict[str, str]) -> tuple[str, bool]:
    lines = [
        "| attack or fault | tests | attempts per run | result |",
        "| --- | --- | --- | --- |",
    ]
    all_ok = True
    for what, prefixes, attempts in rows:
        states = [s for test, s in outcome.items() if any(test.startswith(p) for p in prefixes)]
        if not states:
            result, ok = "not run", False
        elif "failed" in states:
            result, ok = f"FAILED ({states.count('failed')} of {len(states)})", False
        elif all(s == "skipped" for s in states):
            result, ok = "skipped", True
        else:
            result, ok = "nothing leaked or lost", True
        all_ok &= ok
        lines.append(f"| {what} | {len(states)} | {attempts} | {result} |")
    return "\n".join(lines), all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-related", action="store_true")
    args = parser.parse_args()
    rows = ROWS + (RELATED if args.with_related else [])
    paths = ["tests/security"]
    if args.with_related:
        paths += [
            "tests/api/test_files.py",
            "tests/ocr/test_jobs.py",
            "tests/workflows/test_concurrency.py",
        ]
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        run(paths, junit)
        text, ok = table(rows, results(junit))
    print()
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
