"""End to end with frappe-js-sdk 1.14 (npm), a real Frappe client no one here wrote.

The node script tests/js/frappe_sdk_check.mjs runs against the live server and prints what
it saw; ``scripts/install.sh --dev`` (run by ``make test``) installs the npm package.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parents[1] / "js"


def run_sdk_check(url: str) -> dict:
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "frappe-js-sdk").is_dir():
        pytest.fail("node or frappe-js-sdk is missing: run scripts/install.sh --dev")
    done = subprocess.run(
        [node, str(JS_DIR / "frappe_sdk_check.mjs"), url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=JS_DIR,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_frappe_js_sdk_logs_in_and_lists_the_22_communes_and_towns(server):
    seen = run_sdk_check(server)
    assert seen["login"]["message"] == "Logged In"
    assert seen["badLogin"]["httpStatus"] == 401
    assert seen["badLogin"]["exc_type"] == "AuthenticationError"
    assert seen["user"] == "cb.dongdu@gialam.demo"
    assert len(seen["communes"]) == 22 == seen["count"]
    assert seen["kinds"] == ["Thị trấn", "Xã"]
    assert "GL-XA-DONGDU" in seen["communes"] and seen["total"] == 40
    assert seen["doc"] == {"name": "GL-XA-DONGDU", "unit_name": "Xã Đông Dư", "parent": "GL-UBND"}
    assert seen["value"] == {"unit_name": "Xã Đông Dư"}
    assert seen["missing"]["httpStatus"] == 404
    assert seen["missing"]["exc_type"] == "DoesNotExistError"
    assert seen["forbidden"]["httpStatus"] == 403
    assert seen["ping"] == "pong"
    assert seen["forgot"] is None  # auth.forgetPassword succeeded
    assert seen["uploaded"]["status"] == 200
    assert seen["uploaded"]["mime_type"] == "image/png"
    assert seen["tokenUser"] == "cb.dongdu@gialam.demo" and seen["tokenCount"] == 20
    assert seen["afterLogout"]["httpStatus"] == 403
