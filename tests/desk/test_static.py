"""Every asset the desk and the admin load is the project's own: no CDN, no web font service.

Government intranets are often closed: a page that pulls a script or a font from the internet
breaks or hangs there. The browser tests also check that no request leaves the server.
"""

import re
from pathlib import Path

import pytest
import unfold
from django.contrib.staticfiles import finders

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_EXTERNAL = re.compile(r"""(?:@import|url\()\s*["']?\s*(?:https?:)?//""", re.I)
ASSET = re.compile(r"""(?:src|href)="(/assets/[^"?#]+)""")


def assets_of(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.fixture
def pages(client, demo_user):
    def fetch(email, paths):
        client.force_login(demo_user(email))
        return {path: client.get(path).content.decode() for path in paths}

    return fetch


DESK_PAGES = ["/app", "/app/api-keys", "/app/organization-unit"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/eoffice/organizationunit/",
    "/admin/eoffice/organizationunit/add/",
    "/admin/eoffice/user/add/",
]


def test_no_page_of_the_desk_or_the_admin_loads_anything_from_elsewhere(client, pages, db):
    rendered = {"/login": client.get("/login").content.decode()}
    rendered.update(pages("admin@gialam.demo", DESK_PAGES + ADMIN_PAGES))
    for path, html in rendered.items():
        tags = re.findall(r"<(?:script|link|img|iframe|source|form)\b[^>]*>", html, re.I)
        offenders = [tag for tag in tags if EXTERNAL.search(tag)]
        assert not offenders, (path, offenders)


def test_every_asset_a_page_names_is_served_from_the_projects_static_files(client, pages, db):
    rendered = {"/login": client.get("/login").content.decode()}
    rendered.update(pages("admin@gialam.demo", DESK_PAGES + ADMIN_PAGES))
    names = {a for html in rendered.values() for a in assets_of(html)}
    assert "/assets/eoffice/css/desk.css" in names
    for name in names:
        assert finders.find(name.removeprefix("/assets/")), name


def test_the_admin_themes_templates_and_styles_pull_nothing_from_a_cdn():
    root = Path(unfold.__file__).parent
    for path in list(root.rglob("*.html")) + list(root.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text, re.I):
            assert not EXTERNAL.search(tag), (path, tag)
        assert not CSS_EXTERNAL.search(text), path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_the_desks_own_stylesheet_and_script_pull_nothing_from_elsewhere():
    for name in ["eoffice/css/desk.css", "eoffice/js/desk.js"]:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert not CSS_EXTERNAL.search(text), name
        assert "http://" not in text and "https://" not in text, name


def test_the_incoming_document_pages_load_only_the_projects_own_assets(client, demo):
    from tests.doctype import factories as f

    doc = f.directed(demo)
    waiting = f.waiting_for_direction(demo)
    rendered = {}
    for email, paths in [
        (f.CLERK, ["/app/incoming-document/new", "/app/incoming-document"]),
        (
            f.CHAIRMAN,
            [
                f"/app/incoming-document/{doc.name}",
                f"/app/incoming-document/{waiting.name}/assign",
                "/app/inbox/direction",
                "/app/task/new",
            ],
        ),
        (f.TNMT_HEAD, ["/app/inbox/unit", "/app/inbox/mine", "/app/inbox/inform"]),
    ]:
        client.force_login(f.user(email))
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            rendered[path] = response.content.decode()
    names = set()
    for path, html in rendered.items():
        tags = re.findall(r"<(?:script|link|img|iframe|source|form)\b[^>]*>", html, re.I)
        assert not [t for t in tags if EXTERNAL.search(t)], path
        names |= set(assets_of(html))
    assert {"/assets/eoffice/js/register.js", "/assets/eoffice/js/assign.js"} <= names
    for name in names:
        assert finders.find(name.removeprefix("/assets/")), name
    for name in ["eoffice/js/register.js", "eoffice/js/assign.js"]:
        text = Path(finders.find(name)).read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, name
