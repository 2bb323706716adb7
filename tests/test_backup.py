"""`eoffice backup` and `eoffice restore`: a round trip gives identical data, numbers and files."""

import json
import subprocess
import uuid
from pathlib import Path

import MySQLdb
import pytest
from django.conf import settings

from eoffice.doctype.document_register import DocumentRegister
from tests.conftest import EOFFICE, ROOT, subprocess_env


def eoffice(*args, check=True):
    proc = subprocess.run(
        [EOFFICE, *args],
        env=subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def table_rows(database, table, columns):
    conn = MySQLdb.connect(
        host="127.0.0.1", user="root", password="", database=database, charset="utf8mb4"
    )
    try:
        cur = conn.cursor()
        cur.execute(f"SELECT {columns} FROM {table} ORDER BY id")
        return cur.fetchall()
    finally:
        conn.close()


@pytest.fixture
def restored_db():
    name = f"eoffice_restore_{uuid.uuid4().hex[:8]}"
    yield name
    conn = MySQLdb.connect(host="127.0.0.1", user="root", password="")
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_a_new_site_give_identical_data_numbers_and_files(
    demo, tmp_path, restored_db
):
    register = DocumentRegister.objects.filter(
        unit=demo["UBND"], is_secret=False, direction="Đến"
    ).get()
    DocumentRegister.objects.filter(pk=register.pk).update(last_number=41972)
    stored = Path(settings.FILE_STORE) / "ab" / "cd" / "abcd-sample"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes("Công văn số 45/UBND-VP".encode() * 100)

    folder = Path(eoffice("backup", "--dir", str(tmp_path)).stdout.strip().splitlines()[-1])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == "mariadb"
    assert set(manifest["artefacts"]) == {"database.sql.gz", "files.tar.gz", "site_config.json"}

    site = f"restored-{uuid.uuid4().hex[:6]}"
    eoffice(
        "restore",
        str(folder),
        "--new-site",
        site,
        "--db-url",
        f"mysql://root@127.0.0.1:3306/{restored_db}",
    )
    original_db = settings.DATABASES["default"]["NAME"]
    for table, cols in [
        ("eoffice_organizationunit", "name, unit_name, path, agency_code"),
        ("eoffice_documentregister", "name, register_name, last_number"),
        ("eoffice_user", "email, full_name, password"),
    ]:
        assert table_rows(restored_db, table, cols) == table_rows(original_db, table, cols)
    restored_file = (
        Path(settings.FILE_STORE).parents[2]
        / site
        / "private"
        / "files"
        / "ab"
        / "cd"
        / "abcd-sample"
    )
    assert restored_file.read_bytes() == stored.read_bytes()
    new_conf = json.loads(
        (Path(settings.FILE_STORE).parents[2] / site / "site_config.json").read_text()
    )
    assert new_conf["encryption_key"] == settings.SITE_CONFIG["encryption_key"]
    assert new_conf["secret_key"] != settings.SITE_CONFIG["secret_key"]


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_unfinished_backup_is_refused_and_nothing_is_created(demo, tmp_path):
    folder = Path(eoffice("backup", "--dir", str(tmp_path)).stdout.strip().splitlines()[-1])
    with open(folder / "files.tar.gz", "ab") as fh:
        fh.write(b"tampered")
    proc = eoffice("restore", str(folder), "--new-site", "never", check=False)
    assert proc.returncode == 1 and "does not match its checksum" in proc.stderr
    assert not (Path(settings.FILE_STORE).parents[2] / "never").exists()
    (folder / "manifest.json").unlink()
    proc = eoffice("restore", str(folder), "--new-site", "never", check=False)
    assert proc.returncode == 1 and "not a finished backup" in proc.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_never_overwrites_an_existing_site(demo, tmp_path):
    folder = Path(eoffice("backup", "--dir", str(tmp_path)).stdout.strip().splitlines()[-1])
    proc = eoffice("restore", str(folder), "--new-site", settings.SITE_NAME, check=False)
    assert proc.returncode == 1 and "exists already" in proc.stderr
