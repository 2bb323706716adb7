"""Sites, as Frappe has them: one folder per agency install under ``sites/``.

A site is ``sites/<name>/site_config.json`` (database URL, Redis URL, secrets) plus the
site's private file store. ``sites/common_site_config.json`` names the ``default_site``.
The site in use is, in order: the ``EOFFICE_SITE`` environment variable (the ``eoffice``
command sets it from ``--site``), then ``default_site``.

This module is imported by the settings, so it must not import Django.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

SITE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class SiteError(Exception):
    """A site cannot be used: missing, malformed, or badly named. The message is for people."""


def bench_dir() -> Path:
    """The folder that holds ``apps/`` and ``sites/`` (Frappe calls it the bench)."""
    env = os.environ.get("EOFFICE_BENCH_DIR")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def sites_dir() -> Path:
    """The folder that holds the sites; ``EOFFICE_SITES_DIR`` overrides it."""
    env = os.environ.get("EOFFICE_SITES_DIR")
    return Path(env).resolve() if env else bench_dir() / "sites"


def site_path(name: str) -> Path:
    return sites_dir() / name


def _read_json(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError(f"{path} does not exist") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SiteError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise SiteError(f"{path} must hold a JSON object")
    return data


def common_config() -> dict:
    """``sites/common_site_config.json``, or an empty dict when there is none."""
    path = sites_dir() / "common_site_config.json"
    if not path.exists():
        return {}
    return _read_json(path)


def list_sites() -> list[str]:
    base = sites_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "site_config.json").is_file())


def current_site_name() -> str | None:
    """The site chosen by ``EOFFICE_SITE`` or ``default_site``; None when neither is set."""
    name = os.environ.get("EOFFICE_SITE") or common_config().get("default_site")
    return name or None


def validate_site_name(name: str) -> None:
    if not SITE_NAME_RE.match(name or ""):
        raise SiteError(
            f"'{name}' is not a valid site name: use letters, digits, '.', '-' or '_' "
            "(at most 63 characters, starting with a letter or digit)"
        )


def load_site_config(name: str) -> dict:
    """Read and check one site's configuration; raise SiteError with a clear message."""
    validate_site_name(name)
    path = site_path(name) / "site_config.json"
    if not path.exists():
        known = ", ".join(list_sites()) or "none"
        raise SiteError(f"site '{name}' does not exist ({path} not found; sites here: {known})")
    conf = _read_json(path)
    for key in ("db_url", "secret_key"):
        if not isinstance(conf.get(key), str) or not conf[key]:
            raise SiteError(f"{path}: '{key}' is missing or not a string")
    return conf


def write_json_atomic(path: Path, data: dict) -> None:
    """Write JSON so that a crash never leaves half a file (write, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def new_site_config(name: str, db_url: str | None, redis_url: str | None) -> dict:
    """The configuration of a new site, with secrets generated now (never committed)."""
    validate_site_name(name)
    return {
        "db_url": db_url or f"sqlite:///{(site_path(name) / 'db.sqlite3').as_posix()}",
        "redis_url": redis_url or DEFAULT_REDIS_URL,
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": secrets.token_urlsafe(32),
        "file_store": "private/files",
        "max_file_size_mb": 50,
    }


def set_default_site(name: str) -> None:
    conf = common_config()
    conf["default_site"] = name
    write_json_atomic(sites_dir() / "common_site_config.json", conf)
