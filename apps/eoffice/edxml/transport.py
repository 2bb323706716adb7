"""How packages move: a folder per site, and HTTP between sites.

Each site has ``sites/<site>/edxml/`` with ``outbox/`` (built packages waiting), ``sent/``,
``inbox/`` (packages delivered here, read by :func:`eoffice.edxml.jobs.process_inbox`),
``received/`` (accepted, kept) and ``rejected/`` (refused, with a ``.error.txt`` beside each).

Where a package for an agency code goes is the site's configuration (site_config.json)::

    "edxml": {
      "peers": {
        "000.00.20.H26": {"site": "donganh"},                   # another site of this install
        "000.00.21.H26": {"folder": "/srv/exchange/in"},          # any folder
        "000.00.22.H26": {"url": "https://vp.example.vn", "token": "…"}   # HTTP, see below
      },
      "inbound_tokens": {"000.00.22.H26": "…"},   # who may POST to our endpoint
      "max_package_mb": 160
    }

A code with no peer is left in ``outbox/`` (state "Chờ chuyển") for a connector to the national
axis (a later step) or a person to carry. Over HTTP a package is POSTed to the peer's
``/api/method/eoffice.edxml.receive`` with the header ``X-Edxml-Token`` (not
``Authorization``, which the API reserves for users' keys).
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.utils.translation import gettext as _

from eoffice import sites
from eoffice.exceptions import EofficeError

FOLDERS = ("inbox", "outbox", "sent", "received", "rejected")
TOKEN_HEADER = "X-Edxml-Token"
RECEIVE_PATH = "/api/method/eoffice.edxml.receive"


class DeliveryError(EofficeError):
    """A package could not be handed to the peer (it stays waiting and is tried again)."""

    http_status = 502
    exc_type = "DeliveryError"


def config() -> dict:
    """The site's ``edxml`` configuration (empty when it has none)."""
    conf = getattr(settings, "SITE_CONFIG", {}) or {}
    value = conf.get("edxml") or {}
    return value if isinstance(value, dict) else {}


def edxml_dir(site_dir=None) -> Path:
    """The site's exchange folder."""
    base = Path(site_dir or settings.SITE_DIR or ".")
    return base / "edxml"


def folder(name: str, site_dir=None) -> Path:
    """One of :data:`FOLDERS` of a site (made when missing)."""
    if name not in FOLDERS:
        raise ValueError(name)
    path = edxml_dir(site_dir) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(directory: Path, file_name: str, data: bytes) -> Path:
    """Write ``data`` so that a reader of ``directory`` never sees half a file.

    Written as a dot-file, synced, then renamed: the inbox reader skips dot-files.
    """
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / f".{file_name}.{secrets.token_hex(4)}.part"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    final = directory / file_name
    os.replace(tmp, final)
    return final


def route(agency_code: str) -> dict | None:
    """How to reach ``agency_code``: the peer's entry in the configuration, or None."""
    peers = config().get("peers") or {}
    entry = peers.get(agency_code)
    return entry if isinstance(entry, dict) else None


def _peer_inbox(entry: dict) -> Path:
    if entry.get("site"):
        name = str(entry["site"])
        try:
            sites.validate_site_name(name)
        except sites.SiteError as exc:
            raise DeliveryError(str(exc)) from None
        site_dir = sites.site_path(name)
        if not (site_dir / "site_config.json").exists():
            raise DeliveryError(
                _("Không có trang (site) «{site}» để chuyển gói tin.").format(site=name)
            )
        return folder("inbox", site_dir)
    return Path(entry["folder"])


def deliver(agency_code: str, file_name: str, data: bytes) -> bool:
    """Hand a package to the peer of ``agency_code``; False when there is no route.

    Raises :class:`DeliveryError` when the peer cannot take it now.
    """
    entry = route(agency_code)
    if entry is None:
        return False
    if entry.get("site") or entry.get("folder"):
        try:
            write_atomic(_peer_inbox(entry), file_name, data)
        except OSError as exc:
            raise DeliveryError(
                _("Không ghi được gói tin vào thư mục nhận: {error}").format(error=exc)
            ) from None
        return True
    if entry.get("url"):
        post(entry["url"], data, entry.get("token", ""))
        return True
    raise DeliveryError(
        _("Cấu hình nơi nhận «{code}» thiếu «site», «folder» hoặc «url».").format(code=agency_code)
    )


def post(base_url: str, data: bytes, token: str, timeout: int = 60) -> dict:
    """POST a package to a peer site's receive endpoint; its answer, or DeliveryError."""
    url = base_url.rstrip("/") + RECEIVE_PATH
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/xml; charset=utf-8", TOKEN_HEADER: token},
    )
    host = urlparse(url).hostname or ""
    handlers = []
    if host in ("127.0.0.1", "localhost", "::1"):
        handlers.append(urllib.request.ProxyHandler({}))  # never through a proxy to ourselves
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(
            _("Nơi nhận từ chối gói tin (HTTP {status}): {message}").format(
                status=exc.code, message=_server_message(exc.read())
            )
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(
            _("Không kết nối được nơi nhận {url}: {error}").format(url=base_url, error=exc)
        ) from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        return {}


def _server_message(body: bytes) -> str:
    """The first message of a Frappe-shaped error body, or the start of the body."""
    try:
        data = json.loads(body)
        messages = json.loads(data.get("_server_messages") or "[]")
        return json.loads(messages[0]).get("message", "") if messages else str(data)[:300]
    except (ValueError, TypeError, AttributeError, IndexError):
        return body[:300].decode("utf-8", "replace")


def token_owner(token: str) -> str | None:
    """The agency code whose inbound token this is, or None (constant-time comparison)."""
    import hmac

    owner = None
    for code, expected in (config().get("inbound_tokens") or {}).items():
        if expected and token and hmac.compare_digest(str(expected), str(token)):
            owner = code
    return owner


def max_package_bytes() -> int:
    """The largest package accepted: the site's ``max_package_mb``, else room for a few files
    of the site's size limit in base64."""
    configured = config().get("max_package_mb")
    if configured:
        return int(configured) * 1024 * 1024
    return (int(settings.MAX_FILE_SIZE_MB) * 3 + 1) * 1024 * 1024


def read_limited(stream, limit: int) -> bytes:
    """Read a request body up to ``limit`` bytes; refuse a longer one without reading it all."""
    from eoffice.edxml.package import PackageError

    chunks, size = [], 0
    while True:
        chunk = stream.read(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise PackageError(
                _("Gói tin vượt quá dung lượng cho phép ({limit} MB).").format(
                    limit=round(limit / 1024 / 1024)
                )
            )
        chunks.append(chunk)
    return b"".join(chunks)
