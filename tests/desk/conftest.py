"""Fixtures of the desk's browser tests: Debian's chromium driven by Playwright.

The tests drive the system's chromium (``/usr/bin/chromium``); Playwright never downloads a browser.
Screenshots go to ``$EOFFICE_SCREENSHOTS`` (default ``/tmp/eoffice-screens``) for review.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the tests
# to set data up, would otherwise refuse to run beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("EOFFICE_SCREENSHOTS", "/tmp/eoffice-screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def chromium():
    """One chromium for the whole run (starting it is the slow part)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser context (no cookies) on the live server; records every request so that
    a test can check that nothing was loaded from outside the server."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 1366, "height": 900},
        locale="en-US",  # the desk must be Vietnamese whatever the browser prefers
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def sign_in(page, email: str, password: str = "Demo@2017"):
    """Sign in through the sign-in page with the keyboard, as a person would."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/app")
