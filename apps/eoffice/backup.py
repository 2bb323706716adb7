"""Backups of a site and their restore into a new site.

A backup is a folder ``<site>-<YYYYmmdd-HHMMSS>/`` with:

- ``database.sql.gz`` (MariaDB, from ``mariadb-dump --single-transaction``: a consistent
  snapshot taken without locking the desk) or ``database.sqlite3`` (SQLite's online backup API);
- ``files.tar.gz``: the site's private file store;
- ``site_config.json``: the site's secrets that data depends on (``encryption_key``), without
  the database URL;
- ``manifest.json``: site, engine, time, app version, last migrations, and the SHA-256 and size
  of every artefact, checked before anything is restored.

Every artefact is written to a temporary name and renamed when complete, and the manifest is
written last: a backup without a manifest is unfinished and is never restored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from eoffice import sites

CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for people."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _mysql_args(db_url: str) -> tuple[list[str], str]:
    p = urlparse(db_url)
    args = [
        f"--host={p.hostname or '127.0.0.1'}",
        f"--port={p.port or 3306}",
        f"--user={unquote(p.username or 'root')}",
    ]
    if p.password:
        args.append(f"--password={unquote(p.password)}")
    return args, p.path.lstrip("/")


def _client(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise BackupError(f"'{names[0]}' is not installed (Debian package mariadb-client)")


def _finish(tmp: Path, final: Path) -> None:
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def dump_database(db_url: str, out_dir: Path) -> Path:
    """Dump the database into ``out_dir``; return the artefact's path."""
    if db_url.startswith("sqlite"):
        src = urlparse(db_url).path
        target = out_dir / "database.sqlite3"
        tmp = target.with_suffix(".part")
        with sqlite3.connect(src) as source, sqlite3.connect(tmp) as dest:
            source.backup(dest)
        _finish(tmp, target)
        return target
    args, database = _mysql_args(db_url)
    target = out_dir / "database.sql.gz"
    tmp = target.with_suffix(".part")
    cmd = [
        _client("mariadb-dump", "mysqldump"),
        *args,
        "--single-transaction",
        "--quick",
        "--routines",
        "--triggers",
        "--hex-blob",
        "--default-character-set=utf8mb4",
        database,
    ]
    with gzip.open(tmp, "wb", compresslevel=6) as gz:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for block in iter(lambda: proc.stdout.read(CHUNK), b""):
            gz.write(block)
        err = proc.stderr.read().decode(errors="replace")
        if proc.wait() != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"the database dump failed: {err.strip()}")
    _finish(tmp, target)
    return target


def archive_files(file_store: Path, out_dir: Path) -> Path:
    target = out_dir / "files.tar.gz"
    tmp = target.with_suffix(".part")
    with tarfile.open(tmp, "w:gz") as tar:
        if file_store.is_dir():
            tar.add(file_store, arcname="files")
    _finish(tmp, target)
    return target


def _applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def backup_site(site: str, out_root: Path | None = None) -> Path:
    """Back up ``site`` (the one Django is configured for); return the backup folder."""
    from django.conf import settings

    from eoffice import __version__

    conf = sites.load_site_config(site)
    out_root = out_root or sites.site_path(site) / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = out_root / f"{site}-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    artefacts = [
        dump_database(conf["db_url"], folder),
        archive_files(Path(settings.FILE_STORE), folder),
    ]
    secrets_path = folder / "site_config.json"
    sites.write_json_atomic(
        secrets_path, {k: v for k, v in conf.items() if k not in ("db_url", "redis_url")}
    )
    artefacts.append(secrets_path)
    manifest = {
        "site": site,
        "engine": "sqlite" if conf["db_url"].startswith("sqlite") else "mariadb",
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "app_version": __version__,
        "migrations": _applied_migrations(),
        "artefacts": {p.name: {"sha256": _sha256(p), "size": p.stat().st_size} for p in artefacts},
    }
    sites.write_json_atomic(folder / "manifest.json", manifest)
    return folder


def verify(folder: Path) -> dict:
    """The manifest of a complete, intact backup; BackupError otherwise."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} has no manifest.json: it is not a finished backup")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, meta in manifest["artefacts"].items():
        path = folder / name
        if not path.exists():
            raise BackupError(f"{name} is missing from {folder}")
        if path.stat().st_size != meta["size"] or _sha256(path) != meta["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def restore_site(
    folder: Path, new_site: str, db_url: str | None = None, redis_url: str | None = None
) -> None:
    """Restore a backup into a new site (never over an existing one)."""
    manifest = verify(folder)
    sites.validate_site_name(new_site)
    path = sites.site_path(new_site)
    if (path / "site_config.json").exists():
        raise BackupError(f"site '{new_site}' exists already; restore creates a new site")
    conf = sites.new_site_config(new_site, db_url, redis_url)
    engine = "sqlite" if conf["db_url"].startswith("sqlite") else "mariadb"
    if engine != manifest["engine"]:
        raise BackupError(
            f"this backup is of a {manifest['engine']} site; "
            f"give a {manifest['engine']} database for the new site"
        )
    saved = json.loads((folder / "site_config.json").read_text(encoding="utf-8"))
    for key in ("encryption_key", "file_store", "max_file_size_mb"):
        if key in saved:
            conf[key] = saved[key]
    created_db = False
    try:
        path.mkdir(parents=True, exist_ok=False)
        if engine == "sqlite":
            shutil.copyfile(folder / "database.sqlite3", urlparse(conf["db_url"]).path)
        else:
            from eoffice.cli import create_database

            create_database(conf["db_url"])  # refuses an existing database
            created_db = True
            args, database = _mysql_args(conf["db_url"])
            proc = subprocess.Popen(
                [_client("mariadb", "mysql"), *args, "--default-character-set=utf8mb4", database],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            with gzip.open(folder / "database.sql.gz", "rb") as gz:
                for block in iter(lambda: gz.read(CHUNK), b""):
                    proc.stdin.write(block)
            proc.stdin.close()
            err = proc.stderr.read().decode(errors="replace")
            if proc.wait() != 0:
                raise BackupError(f"loading the database failed: {err.strip()}")
        store = path / conf["file_store"]
        store.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / "files.tar.gz", "r:gz") as tar:
            for member in tar.getmembers():
                if not member.name.startswith("files"):
                    continue
                member.name = member.name[len("files") :].lstrip("/")
                if member.name:
                    tar.extract(member, store, filter="data")
        sites.write_json_atomic(path / "site_config.json", conf)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        if created_db:
            from eoffice.cli import drop_database

            try:
                drop_database(conf["db_url"])
            except Exception:
                pass
        raise
