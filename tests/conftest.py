"""Fixtures shared by the whole suite: the demo organisation, users, live servers.

Tests run on a real MariaDB (see tests/settings.py) and, where they need one, a real Redis,
real RQ workers, a real HTTP server and a real browser.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def demo(db):
    """The Gia Lâm demo organisation: units by key ("UBND", "TNMT", "Đông Dư", …)."""
    from eoffice.demo import gialam

    return gialam.load()


@pytest.fixture
def demo_user(demo):
    """Look up a demo user by e-mail: ``demo_user("vanthu@gialam.demo")``."""
    from eoffice.doctype.user import User

    return lambda email: User.objects.get(email=email)


@pytest.fixture
def make_user(db):
    """Create a user, optionally with a role in a unit: ``make_user("a@x.vn", unit, role)``."""
    from eoffice.doctype.organization import UnitMember
    from eoffice.doctype.user import User

    def make(email, unit=None, role=None, password="Demo@2017", **extra):
        user = User.objects.create_user(email, password, **extra)
        if unit is not None and role is not None:
            UnitMember.objects.create(user=user, unit=unit, role=role)
        return user

    return make


def subprocess_env(**extra) -> dict:
    """The environment for a process a test starts (server, worker, CLI): same site and DB."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "apps"), env.get("PYTHONPATH", "")])
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    env.update(extra)
    return env


EOFFICE = str(Path(sys.executable).parent / "eoffice")


# ---------------------------------------------------------------------------------------
# Deadlines and notifications


@pytest.fixture
def fresh_site_rules():
    """Forget the cached calendar days and deadline rules before and after the test (a rolled-
    back test leaves no signal behind)."""
    from eoffice.doctype.calendar_exception import clear_cache as clear_days
    from eoffice.doctype.deadline_rule import clear_cache as clear_rules

    clear_days()
    clear_rules()
    yield
    clear_days()
    clear_rules()


class SmtpSink:
    """Messages received by a local SMTP server (aiosmtpd), parsed as ``email.message``."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        """The messages sent to ``address``."""
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django's SMTP backend points at it.

    ``smtp_server.messages`` are the e-mails received; ``smtp_server.port`` the port (for
    processes the test starts: ``EOFFICE_TEST_SMTP_PORT``).
    """
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    sink.port = port
    try:
        yield sink
    finally:
        controller.stop()
