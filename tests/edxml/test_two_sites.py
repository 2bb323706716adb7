"""A round trip between two real sites of one install (both on MariaDB).

Site A is the test site (UBND huyện Gia Lâm, the demo). Site B is made here with
``eoffice new-site`` (UBND huyện Đông Anh, agency code 000.00.20.H26) and driven as its users
would: over HTTP on its own gunicorn, or with ``eoffice --site B …`` commands. A issues a
document to B's code; the package crosses (HTTP or the folders); B's clerk registers it and its
chairman assigns it; statuses 01, 03 and 04 come back and show on A's recipient row.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings

from eoffice import sites
from eoffice.doctype.outgoing_document import DeliveryStatus
from eoffice.doctype.outgoing_document.distribution import distribution
from eoffice.edxml import jobs
from eoffice.workflows.engine import apply_workflow
from tests.conftest import EOFFICE, ROOT
from tests.doctype.factories import CLERK, user
from tests.outgoing.factories import in_days, issued
from tests.workflows.test_http import PASSWORD, Session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

B_CODE = "000.00.20.H26"
B_NAME = "UBND huyện Đông Anh"
A_CODE = "000.00.19.H26"
TOKEN_AB = "token-from-gialam-to-donganh"
TOKEN_BA = "token-from-donganh-to-gialam"

SETUP_B = """
from eoffice.constants import Role, UnitKind
from eoffice.doctype.organization import OrganizationUnit, UnitMember
from eoffice.doctype.user import User
root = OrganizationUnit.objects.create(
    name="DA-UBND", unit_name="UBND huyện Đông Anh", short_name="UBND",
    agency_code="000.00.20.H26", kind=UnitKind.AGENCY, keeps_own_registers=True)
tnmt = OrganizationUnit.objects.create(
    name="DA-TNMT", unit_name="Phòng Tài nguyên và Môi trường", short_name="TNMT",
    kind=UnitKind.DEPARTMENT, parent=root)
for email, name, unit, role, title in [
    ("vanthu@donganh.demo", "Đinh Thị Hạnh", root, Role.CLERK, "Văn thư"),
    ("chutich@donganh.demo", "Phan Văn Tâm", root, Role.LEADER, "Chủ tịch UBND huyện"),
    ("tp.tnmt@donganh.demo", "Lý Văn Bình", tnmt, Role.UNIT_LEADER, "Trưởng phòng"),
]:
    person = User.objects.create_user(email, "Demo@2017", full_name=name, position=title)
    UnitMember.objects.create(user=person, unit=unit, role=role, title=title)
print("ok")
"""


B_STATE = """
import json
from eoffice.doctype.file import File
from eoffice.doctype.incoming_document import IncomingDocument
from eoffice.edxml.models import EdxmlMessage
rows = []
for d in IncomingDocument.objects.order_by("id"):
    sent = EdxmlMessage.objects.filter(incoming_document=d, kind="Trạng thái").order_by("id")
    rows.append({
        "name": d.name, "number": d.document_number, "state": d.workflow_state,
        "files": File.objects.filter(attached_to_name=d.name).count(),
        "statuses": [list(s) for s in sent.values_list("status_code", "state")],
    })
print(json.dumps(rows))
"""


class SiteB:
    """The second site: its name, folder, commands and (when started) its web server."""

    def __init__(self):
        run = os.environ["EOFFICE_TEST_RUN"]
        self.name = f"edxb-{run}"
        server = os.environ.get("EOFFICE_TEST_DB_SERVER", "mysql://root@127.0.0.1:3306")
        self.db_url = f"{server}/eoffice_test_{run}_b"
        self.env = dict(os.environ)
        self.env.pop("DJANGO_SETTINGS_MODULE", None)  # B is not the test site
        self.env["EOFFICE_SITE"] = self.name
        self.env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "apps"), str(ROOT)])
        self.path = sites.site_path(self.name)
        self.server = None
        self.url = None

    def run(self, *args, timeout=600) -> str:
        done = subprocess.run(
            [EOFFICE, "--site", self.name, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{args[:2]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def python(self, code: str) -> str:
        """Run Python in site B (``eoffice --site B shell -c``); its output."""
        return self.run("shell", "-c", code)

    def configure(self, peer_for_a: dict) -> None:
        config_path = self.path / "site_config.json"
        conf = json.loads(config_path.read_text())
        conf["edxml"] = {"peers": {A_CODE: peer_for_a}, "inbound_tokens": {A_CODE: TOKEN_AB}}
        sites.write_json_atomic(config_path, conf)

    def serve(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.server = subprocess.Popen(
            [EOFFICE, "--site", self.name, "serve", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "4"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/method/frappe.ping", timeout=2).ok:
                    return self.url
            except requests.RequestException:
                time.sleep(0.3)
        raise AssertionError("site B's server did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.server = None

    def login(self, email: str) -> Session:
        s = Session(self.url)
        response = s.post("/api/method/login", json={"usr": email, "pwd": PASSWORD})
        assert response.status_code == 200, response.text
        return s


@pytest.fixture(scope="module")
def site_b():
    """Site B on its own MariaDB database, made with ``eoffice new-site``; dropped after."""
    from eoffice.cli import drop_database

    b = SiteB()
    done = subprocess.run(
        [EOFFICE, "new-site", b.name, "--db-url", b.db_url, "--no-default", "--inline-jobs",
         "--force"],
        env=b.env, cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    try:
        assert b.python(SETUP_B).strip().endswith("ok")
        yield b
    finally:
        b.stop()
        drop_database(b.db_url)
        shutil.rmtree(b.path, ignore_errors=True)


def b_state(b: SiteB) -> list[dict]:
    """Site B's incoming documents and the statuses it sent, as JSON."""
    out = b.python(B_STATE)
    return json.loads(out.strip().splitlines()[-1])


def external_row(doc):
    return doc.recipients.exclude(agency_code="").get()


def a_config(settings, peer_for_b: dict) -> None:
    settings.SITE_CONFIG = {
        **settings.SITE_CONFIG,
        "edxml": {"peers": {B_CODE: peer_for_b}, "inbound_tokens": {B_CODE: TOKEN_BA}},
    }


def test_a_document_crosses_to_site_b_over_http_and_its_statuses_come_back(
    site_b, gialam, live_server, settings, exchange_dir
):
    site_b.configure({"url": live_server.url, "token": TOKEN_BA})
    b_url = site_b.serve()
    a_config(settings, {"url": b_url, "token": TOKEN_AB})
    try:
        doc = issued(
            gialam,
            recipients=[gialam["Đông Dư"], (B_CODE, B_NAME)],
            urgency="Khẩn",
            requires_report=True,
            report_deadline=in_days(10),
        )
        assert external_row(doc).delivery_status == DeliveryStatus.QUEUED
        # The package goes to B; B answers "01 Đã đến" to A's endpoint at once.
        assert jobs.send_pending() == {"Đã gửi": 1}
        row = external_row(doc)
        assert (row.delivery_status, row.status_code) == ("Đã đến", "01")

        # B's clerk finds it waiting, with its file, and registers it: 03 comes back.
        clerk_b = site_b.login("vanthu@donganh.demo")
        waiting = clerk_b.get(
            "/api/resource/Incoming Document",
            params={
                "fields": '["name","document_number","workflow_state","issuer_code","urgency"]'
            },
        ).json()["data"]
        assert [(d["document_number"], d["workflow_state"], d["issuer_code"]) for d in waiting] == [
            (doc.symbol, "Chờ tiếp nhận", A_CODE)
        ]
        assert waiting[0]["urgency"] == "Khẩn"
        files = clerk_b.get(
            "/api/resource/File",
            params={"filters": json.dumps([["attached_to_name", "=", waiting[0]["name"]]])},
        ).json()["data"]
        assert len(files) == 1
        copy = {"doctype": "Incoming Document", "name": waiting[0]["name"]}
        clerk_b.act(copy, "Vào sổ")
        row = external_row(doc)
        assert (row.delivery_status, row.status_code) == ("Đã tiếp nhận", "03")
        assert row.read_by == "Đinh Thị Hạnh" and row.read_at

        # B's chairman assigns it: 04 comes back.
        clerk_b.act(copy, "Trình lãnh đạo", leader="chutich@donganh.demo")
        chairman_b = site_b.login("chutich@donganh.demo")
        chairman_b.act(
            copy,
            "Phân công",
            direction="Giao Phòng TNMT chủ trì, báo cáo UBND huyện Gia Lâm.",
            assignees=[{"unit": "DA-TNMT", "handling_role": "Chủ trì"}],
        )
        row = external_row(doc)
        assert (row.delivery_status, row.status_code) == ("Đã phân công", "04")
        track = distribution(doc)
        external = next(r for r in track["recipients"] if r["kind"] == "edxml")
        assert (external["agency_code"], external["status_code"]) == (B_CODE, "04")

        # A recalls; B's document is already being handled, so B refuses (16).
        apply_workflow(doc, "Thu hồi", user(CLERK), comment="Ban hành nhầm nơi nhận")
        assert external_row(doc).status_code == "13"
        assert jobs.send_pending() == {"Đã gửi": 1}
        row = external_row(doc)
        assert (row.delivery_status, row.status_code) == ("Từ chối lấy lại", "16")
        assert doc.recipients.get(unit=gialam["Đông Dư"]).delivery_status == "Đã thu hồi"
        # A wrong token is refused by B, and nothing is stored there.
        refused = requests.post(
            b_url + "/api/method/eoffice.edxml.receive",
            data=b"<edXML/>",
            headers={"Content-Type": "application/xml", "X-Edxml-Token": "wrong"},
            timeout=30,
        )
        assert refused.status_code == 401
    finally:
        site_b.stop()
    assert [d["statuses"] for d in b_state(site_b) if d["number"] == doc.symbol] == [
        [["01", "Đã gửi"], ["03", "Đã gửi"], ["04", "Đã gửi"], ["16", "Đã gửi"]]
    ]


def test_a_document_crosses_through_the_folders_and_a_second_delivery_is_ignored(
    site_b, gialam, settings, exchange_dir
):
    site_b.configure({"site": django_settings.SITE_NAME})
    a_config(settings, {"site": site_b.name})
    # Another type than the first test's: B keeps what it received then.
    doc = issued(gialam, recipients=[(B_CODE, B_NAME)], type_name="Thông báo")
    assert jobs.send_pending() == {"Đã gửi": 1}
    b_inbox = site_b.path / "edxml" / "inbox"
    delivered = list(b_inbox.glob("*.edxml"))
    assert len(delivered) == 1
    kept = exchange_dir / "kept.edxml"
    shutil.copy(delivered[0], kept)

    assert "'received': 1" in site_b.run("edxml", "process")
    assert jobs.process_inbox() == {"received": 1, "rejected": 0}  # B's "01" in A's inbox
    row = external_row(doc)
    assert (row.delivery_status, row.status_code) == ("Đã đến", "01")

    # The same package arrives a second time: B does not import it again.
    shutil.copy(kept, b_inbox / "again.edxml")
    assert "'received': 1" in site_b.run("edxml", "process")
    state = [d for d in b_state(site_b) if d["number"] == doc.symbol]
    assert len(state) == 1 and state[0]["files"] == 1

    site_b.python(
        "from eoffice.doctype.incoming_document import IncomingDocument\n"
        "from eoffice.doctype.user import User\n"
        "from eoffice.workflows.engine import apply_workflow\n"
        f"doc = IncomingDocument.objects.get(document_number='{doc.symbol}')\n"
        "clerk = User.objects.get(email='vanthu@donganh.demo')\n"
        "doc = apply_workflow(doc, 'Vào sổ', clerk)\n"
        "doc = apply_workflow(doc, 'Trình lãnh đạo', clerk, leader='chutich@donganh.demo')\n"
        "apply_workflow(doc, 'Phân công', User.objects.get(email='chutich@donganh.demo'),\n"
        "    direction='Giao Phòng TNMT chủ trì.',\n"
        "    assignees=[{'unit': 'DA-TNMT', 'handling_role': 'Chủ trì'}])\n"
    )
    assert jobs.process_inbox() == {"received": 2, "rejected": 0}
    row = external_row(doc)
    assert (row.delivery_status, row.status_code) == ("Đã phân công", "04")
    assert row.read_by == "Đinh Thị Hạnh"
    state = [d for d in b_state(site_b) if d["number"] == doc.symbol]
    assert [s[0] for s in state[0]["statuses"]] == ["01", "03", "04"]
    assert Path(django_settings.SITE_DIR, "edxml", "received").is_dir()
