"""The ``eoffice`` command, Frappe's ``bench`` for this product.

    eoffice new-site NAME [--db-url mysql://…] [--demo]
    eoffice [--site NAME] serve | worker | scheduler | <any Django management command>

The site is chosen by ``--site``, then ``EOFFICE_SITE``, then ``default_site`` in
``sites/common_site_config.json``. Errors are printed as one clear line and a non-zero exit,
never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from urllib.parse import unquote, urlparse

from eoffice import sites

# Commands that need no site (they run before Django is set up, or make the site).
SITELESS = {"new-site", "list-sites", "use", "help", "--help", "-h", "version", "--version"}


def fail(message: str, code: int = 1) -> NoReturn:  # noqa: F821
    print(f"eoffice: {message}", file=sys.stderr)
    sys.exit(code)


# ---------------------------------------------------------------------------------------
# Databases


def _mysql_params(url: str) -> dict:
    parsed = urlparse(url)
    return {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 3306,
        "user": unquote(parsed.username or "root"),
        "password": unquote(parsed.password or ""),
        "database": parsed.path.lstrip("/"),
    }


def create_database(db_url: str, force: bool = False) -> None:
    """Create a site's database: MariaDB with utf8mb4 and the accent-folding collation."""
    scheme = urlparse(db_url).scheme
    if scheme.startswith("sqlite"):
        return  # the file is created by the first connection
    if not scheme.startswith("mysql"):
        fail(
            f"unsupported database URL '{db_url}': use mysql://user:password@host/dbname "
            "or leave --db-url out for SQLite"
        )
    import MySQLdb

    p = _mysql_params(db_url)
    if not p["database"] or not p["database"].replace("_", "").isalnum():
        fail(f"the database name in '{db_url}' must be letters, digits and '_'")
    try:
        conn = MySQLdb.connect(
            host=p["host"],
            port=p["port"],
            user=p["user"],
            password=p["password"],
            connect_timeout=5,
        )
    except MySQLdb.OperationalError as exc:
        fail(
            f"cannot connect to the database server at {p['host']}:{p['port']} "
            f"as {p['user']}: {exc.args[-1]}"
        )
    try:
        cur = conn.cursor()
        cur.execute("SHOW DATABASES LIKE %s", (p["database"],))
        if cur.fetchone():
            if not force:
                fail(
                    f"database '{p['database']}' already exists; choose another name "
                    "or pass --force to replace it"
                )
            cur.execute(f"DROP DATABASE `{p['database']}`")
        cur.execute(
            f"CREATE DATABASE `{p['database']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_ai_ci"
        )
    finally:
        conn.close()


def drop_database(db_url: str) -> None:
    if not urlparse(db_url).scheme.startswith("mysql"):
        return
    import MySQLdb

    p = _mysql_params(db_url)
    conn = MySQLdb.connect(host=p["host"], port=p["port"], user=p["user"], password=p["password"])
    try:
        conn.cursor().execute(f"DROP DATABASE IF EXISTS `{p['database']}`")
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------
# Commands that run before Django


def cmd_new_site(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="eoffice new-site", description="Create a site: its database, config and files."
    )
    parser.add_argument("name")
    parser.add_argument(
        "--db-url",
        help="mysql://user:password@host:port/dbname (default: SQLite in the site's folder)",
    )
    parser.add_argument("--redis-url", help=f"default {sites.DEFAULT_REDIS_URL}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo organisation (Gia Lâm 2017) and its users",
    )
    parser.add_argument("--admin-password", help="password of the Administrator account")
    parser.add_argument(
        "--force", action="store_true", help="replace a site or database of the same name"
    )
    parser.add_argument("--no-default", action="store_true", help="do not make it the default site")
    parser.add_argument(
        "--inline-jobs",
        action="store_true",
        help="run background jobs in the web process (no Redis needed)",
    )
    args = parser.parse_args(argv)

    try:
        sites.validate_site_name(args.name)
    except sites.SiteError as exc:
        fail(str(exc))
    path = sites.site_path(args.name)
    if (path / "site_config.json").exists() and not args.force:
        fail(f"site '{args.name}' already exists at {path}; pass --force to replace it")
    if path.exists() and args.force:
        shutil.rmtree(path)

    conf = sites.new_site_config(args.name, args.db_url, args.redis_url)
    if args.inline_jobs:
        conf["background_jobs"] = "inline"
    create_database(conf["db_url"], force=args.force)
    sites.write_json_atomic(path / "site_config.json", conf)
    (path / conf["file_store"]).mkdir(parents=True, exist_ok=True)
    (path / "logs").mkdir(exist_ok=True)
    try:
        os.environ["EOFFICE_SITE"] = args.name
        setup_django()
        from django.core.management import call_command

        print(f"Creating the tables of site '{args.name}' …")
        call_command("migrate", interactive=False, verbosity=0)
        if args.admin_password:
            call_command("set_admin_password", args.admin_password)
        if args.demo:
            call_command("load_demo")
            __import__("eoffice.signing.demo").signing.demo.setup(stdout=sys.stdout)
    except BaseException as exc:
        # Leave nothing half-made: a failed new-site can be run again as it was.
        shutil.rmtree(path, ignore_errors=True)
        try:
            drop_database(conf["db_url"])
        except Exception:
            pass
        if isinstance(exc, SystemExit):
            raise
        fail(f"could not create site '{args.name}': {exc}")
    if not args.no_default or not sites.common_config().get("default_site"):
        sites.set_default_site(args.name)
    print(
        f"Site '{args.name}' is ready ({'MariaDB' if conf['db_url'].startswith('mysql') else 'SQLite'})."
    )
    return 0


def cmd_list_sites(argv: list[str]) -> int:
    default = sites.common_config().get("default_site")
    for name in sites.list_sites():
        print(f"{name}{'  (default)' if name == default else ''}")
    return 0


def cmd_use(argv: list[str]) -> int:
    if len(argv) != 1:
        fail("usage: eoffice use SITE")
    sites.load_site_config(argv[0])
    sites.set_default_site(argv[0])
    print(f"Default site is now '{argv[0]}'.")
    return 0


# ---------------------------------------------------------------------------------------
# Commands that run with a site


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")
    import django

    django.setup()


def check_site() -> str:
    """The selected site's name, or exit with a clear message why there is none."""
    name = sites.current_site_name()
    if not name:
        fail(
            "no site selected: create one with 'eoffice new-site NAME', "
            "or pass --site NAME / set EOFFICE_SITE"
        )
    try:
        sites.load_site_config(name)
    except sites.SiteError as exc:
        fail(str(exc))
    return name


def check_database() -> None:
    """Connect once, so that an unreachable database is one clear line, not a traceback."""
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        fail(
            f"cannot reach the database of site '{sites.current_site_name()}': "
            f"{exc.args[-1] if exc.args else exc}"
        )


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="eoffice serve", description="Serve the site with gunicorn."
    )
    parser.add_argument("--bind", default=os.environ.get("EOFFICE_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args(argv)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    cmd = [
        gunicorn,
        "eoffice.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        str(args.timeout),
        "--worker-tmp-dir",
        "/dev/shm",
        "--max-requests",
        "5000",
        "--max-requests-jitter",
        "500",
        "--access-logfile",
        "-",
    ]
    os.execv(cmd[0], cmd)


def cmd_worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="eoffice worker", description="Run an RQ worker on this site's queues."
    )
    parser.add_argument(
        "--queue", action="append", help="short, default, long or ocr (repeatable; default: all)"
    )
    parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    args = parser.parse_args(argv)
    setup_django()
    check_database()
    from django.conf import settings
    from django.core.management import call_command

    from eoffice.jobs import queue_name, worker_queue_names

    if settings.JOBS_MODE == "inline":
        print(
            "This site runs its jobs in the web process (background_jobs: inline); "
            "a worker is not needed."
        )
        return 0
    from eoffice.jobs.ocr import preload

    preload()  # import OCR libraries once, not in every forked job
    queues = [queue_name(q) for q in args.queue] if args.queue else worker_queue_names()
    call_command("rqworker", *queues, with_scheduler=True, burst=args.burst)
    return 0


def cmd_scheduler(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="eoffice scheduler", description="Enqueue the periodic jobs (RQ's cron)."
    )
    parser.parse_args(argv)
    setup_django()
    import django_rq

    from eoffice.jobs import queue_name
    from eoffice.jobs.cron import build_scheduler

    connection = django_rq.get_connection(queue_name("default"))
    scheduler = build_scheduler(connection, name=f"eoffice:{sites.current_site_name()}")
    scheduler.start()
    return 0


def cmd_restore(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="eoffice restore", description="Restore a backup folder into a new site."
    )
    parser.add_argument("backup", help="a folder made by 'eoffice backup'")
    parser.add_argument("--new-site", required=True, help="name of the site to create")
    parser.add_argument("--db-url", help="database of the new site (default: SQLite)")
    parser.add_argument("--redis-url")
    args = parser.parse_args(argv)
    from pathlib import Path

    from eoffice.backup import BackupError, restore_site

    try:
        restore_site(Path(args.backup), args.new_site, args.db_url, args.redis_url)
    except (BackupError, sites.SiteError) as exc:
        fail(str(exc))
    print(f"Restored {args.backup} into site '{args.new_site}'.")
    return 0


SITE_COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "scheduler": cmd_scheduler}
PRE_COMMANDS = {
    "new-site": cmd_new_site,
    "list-sites": cmd_list_sites,
    "use": cmd_use,
    "restore": cmd_restore,
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Global option: --site NAME (or --site=NAME) before the command.
    while argv and argv[0].startswith("--site"):
        opt = argv.pop(0)
        if "=" in opt:
            os.environ["EOFFICE_SITE"] = opt.split("=", 1)[1]
        elif argv:
            os.environ["EOFFICE_SITE"] = argv.pop(0)
        else:
            fail("--site needs a site name")
    if not argv or argv[0] in ("help", "-h", "--help"):
        print(__doc__)
        return 0
    if argv[0] in ("version", "--version"):
        from eoffice import __version__

        print(__version__)
        return 0
    command, rest = argv[0], argv[1:]
    if command in PRE_COMMANDS:
        return PRE_COMMANDS[command](rest) or 0
    check_site()
    if command in SITE_COMMANDS:
        return SITE_COMMANDS[command](rest) or 0
    setup_django()
    if command not in ("check", "showmigrations", "shell", "dbshell"):
        check_database()
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(["eoffice", command, *rest])
    except OperationalError as exc:
        fail(f"database error: {exc.args[-1] if exc.args else exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
