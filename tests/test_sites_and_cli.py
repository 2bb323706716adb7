"""The sites and the ``eoffice`` command, as a newcomer and an administrator use them."""

import json
import os
import subprocess
import uuid

import MySQLdb
import pytest

from tests.conftest import EOFFICE, ROOT


def run_cli(*args, sites_dir, site=None, check=False):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("EOFFICE_SITE", "DJANGO_SETTINGS_MODULE", "EOFFICE_SITES_DIR")
    }
    env["EOFFICE_SITES_DIR"] = str(sites_dir)
    if site:
        env["EOFFICE_SITE"] = site
    proc = subprocess.run(
        [EOFFICE, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"eoffice {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def sites_dir(tmp_path):
    return tmp_path / "sites"


def mysql_databases():
    conn = MySQLdb.connect(host="127.0.0.1", user="root", password="")
    try:
        cur = conn.cursor()
        cur.execute("SHOW DATABASES")
        return {row[0] for row in cur.fetchall()}
    finally:
        conn.close()


def test_new_site_on_sqlite_is_the_default_and_has_no_demo_data(sites_dir):
    run_cli("new-site", "plain", sites_dir=sites_dir, check=True)
    conf = json.loads((sites_dir / "plain" / "site_config.json").read_text())
    assert conf["db_url"].startswith("sqlite:///")
    assert len(conf["secret_key"]) >= 50
    assert json.loads((sites_dir / "common_site_config.json").read_text()) == {
        "default_site": "plain"
    }
    out = run_cli(
        "shell",
        "-c",
        "from eoffice.models import OrganizationUnit, User, DocumentType;"
        "print(OrganizationUnit.objects.count(), User.objects.count(),"
        " DocumentType.objects.count())",
        sites_dir=sites_dir,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "0 0 29"


def test_two_sites_get_different_secrets(sites_dir):
    run_cli("new-site", "a", sites_dir=sites_dir, check=True)
    run_cli("new-site", "b", sites_dir=sites_dir, check=True)
    a = json.loads((sites_dir / "a" / "site_config.json").read_text())
    b = json.loads((sites_dir / "b" / "site_config.json").read_text())
    assert a["secret_key"] != b["secret_key"]


def test_new_site_on_mariadb_uses_the_accent_folding_collation_and_loads_the_demo(sites_dir):
    db = f"eoffice_clitest_{uuid.uuid4().hex[:8]}"
    try:
        proc = run_cli(
            "new-site",
            "gl",
            "--db-url",
            f"mysql://root@127.0.0.1:3306/{db}",
            "--demo",
            sites_dir=sites_dir,
            check=True,
        )
        assert "vanthu@gialam.demo" in proc.stdout
        conn = MySQLdb.connect(host="127.0.0.1", user="root", password="", database=db)
        cur = conn.cursor()
        cur.execute(
            "SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=%s",
            (db,),
        )
        assert cur.fetchone()[0] == "utf8mb4_uca1400_ai_ci"
        # Typed without accents, đ as d: the list filters of the desk rely on this.
        cur.execute(
            "SELECT unit_name FROM eoffice_organizationunit WHERE unit_name = %s", ("xa dong du",)
        )
        assert cur.fetchone()[0] == "Xã Đông Dư"
        conn.close()
    finally:
        conn = MySQLdb.connect(host="127.0.0.1", user="root", password="")
        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{db}`")
        conn.close()


def test_a_failed_new_site_leaves_nothing_behind(sites_dir):
    proc = run_cli(
        "new-site", "bad", "--db-url", "mysql://root@127.0.0.1:1/nodb", sites_dir=sites_dir
    )
    assert proc.returncode != 0
    assert "cannot connect to the database server" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (sites_dir / "bad").exists()


def test_new_site_refuses_an_existing_site_and_a_bad_name(sites_dir):
    run_cli("new-site", "x1", sites_dir=sites_dir, check=True)
    again = run_cli("new-site", "x1", sites_dir=sites_dir)
    assert again.returncode != 0 and "already exists" in again.stderr
    bad = run_cli("new-site", "../evil", sites_dir=sites_dir)
    assert bad.returncode != 0 and "not a valid site name" in bad.stderr


def test_a_wrong_site_is_one_clear_line_and_a_non_zero_exit(sites_dir):
    run_cli("new-site", "real", sites_dir=sites_dir, check=True)
    proc = run_cli("--site", "nosuch", "migrate", sites_dir=sites_dir)
    assert proc.returncode == 1
    assert "site 'nosuch' does not exist" in proc.stderr and "real" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_malformed_site_config_is_reported_with_its_line(sites_dir):
    (sites_dir / "broken").mkdir(parents=True)
    (sites_dir / "broken" / "site_config.json").write_text('{"db_url": "sqlite:///x",\n oops}')
    proc = run_cli("--site", "broken", "migrate", sites_dir=sites_dir)
    assert proc.returncode == 1
    assert "not valid JSON (line 2" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unreachable_database_is_reported_without_a_traceback(sites_dir):
    (sites_dir / "gone").mkdir(parents=True)
    (sites_dir / "gone" / "site_config.json").write_text(
        json.dumps({"db_url": "mysql://root@127.0.0.1:1/nodb", "secret_key": "k" * 50})
    )
    proc = run_cli("--site", "gone", "migrate", sites_dir=sites_dir)
    assert proc.returncode == 1
    assert "cannot reach the database of site 'gone'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_site_is_chosen_by_flag_then_environment_then_default(sites_dir):
    run_cli("new-site", "one", sites_dir=sites_dir, check=True)
    run_cli("new-site", "two", "--no-default", sites_dir=sites_dir, check=True)
    code = "from django.conf import settings; print(settings.SITE_NAME)"
    assert run_cli("shell", "-c", code, sites_dir=sites_dir).stdout.split()[-1] == "one"
    assert run_cli("shell", "-c", code, sites_dir=sites_dir, site="two").stdout.split()[-1] == "two"
    assert (
        run_cli(
            "--site", "one", "shell", "-c", code, sites_dir=sites_dir, site="two"
        ).stdout.split()[-1]
        == "one"
    )
