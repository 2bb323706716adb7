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
