"""Vietnamese is the source language; the English catalog covers the desk; both .mo are built."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import models
from django.utils import translation

from eoffice import constants
from eoffice.desk.labels import ENUMERATION_VALUES, choice_label

LOCALE = Path(__file__).resolve().parents[2] / "apps" / "eoffice" / "locale"


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po written with --no-wrap: msgid, msgid_plural, msgstr(s), fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        entry = {"fuzzy": any(line.startswith("#,") and "fuzzy" in line for line in lines)}
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                entry[match.group(1)] = match.group(2).replace('\\"', '"').replace("\\\\", "\\")
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_catalog_entry_is_translated_and_none_is_fuzzy(lang):
    entries = po_entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    assert entries
    for entry in entries:
        assert not entry["fuzzy"], entry["msgid"]
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert strings and all(strings), entry["msgid"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_committed_mo_matches_its_po(lang):
    """The .mo is committed so that the runtime needs no gettext; it must not lag the .po."""
    folder = LOCALE / lang / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for entry in po_entries(folder / "django.po"):
        if not entry.get("msgstr", entry.get("msgstr[0]")):
            continue  # untranslated: the test above reports it
        if "msgid_plural" in entry:
            assert catalog.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
        else:
            assert catalog.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_catalogs_compile_cleanly(lang, tmp_path):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "x.mo"), str(po)], check=True)


def test_every_stored_enumeration_value_has_a_label_in_the_catalog():
    values = set()
    for item in vars(constants).values():
        if (
            isinstance(item, type)
            and issubclass(item, models.Choices)
            and item is not models.Choices
        ):
            values |= {v for v in item.values if v}
    assert values <= set(ENUMERATION_VALUES)
    with translation.override("en"):
        assert choice_label("Lãnh đạo đơn vị") == "Unit leader"
        assert choice_label("Hỏa tốc") == "Flash"
    with translation.override("vi"):
        assert choice_label("Lãnh đạo đơn vị") == "Lãnh đạo đơn vị"


def test_the_english_home_page_speaks_english(client, demo_user):
    client.force_login(demo_user("vanthu@gialam.demo"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    html = client.get("/app").content.decode()
    for text in [
        "Documents waiting to be registered",
        "Registered today",
        "Waiting for a number / for issue",
        "Clerk · UBND huyện Gia Lâm",
        "Sign out",
        "API keys",
    ]:
        assert text in html, text
    assert "Văn bản chờ vào sổ" not in html


def test_the_admin_speaks_vietnamese_including_the_themes_own_words(client, demo_user):
    client.force_login(demo_user("admin@gialam.demo"))
    html = client.get("/admin/eoffice/organizationunit/").content.decode()
    assert "Bộ lọc" in html  # unfold's "Filters"
    assert "Phòng ban" in html and "Department" not in html
    assert "Xã" in html and "Commune" not in html


def test_the_admin_in_english_shows_english_labels_of_stored_values(client, demo_user):
    client.force_login(demo_user("admin@gialam.demo"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = client.get("/admin/eoffice/organizationunit/").content.decode()
    assert "Department" in html and "Unit name" in html
    form = client.get("/admin/eoffice/user/add/").content.decode()
    assert ">Unit leader<" in form


def test_the_incoming_document_pages_speak_english(client, demo):
    from tests.doctype import factories as f

    doc = f.directed(demo)
    client.force_login(f.user(f.CHAIRMAN))
    client.post("/i18n/setlang/", {"language": "en", "next": "/app"})
    register = client.get("/app/incoming-document").content.decode()
    for text in [
        "Incoming register",
        "Arrival no.",
        "Type and summary",
        "Recipient unit or person",
    ]:
        assert text in register, text
    page = client.get(f"/app/incoming-document/{doc.name}").content.decode()
    for text in ["Document details", "Assignments", "History", "Lead", "Recall the assignment"]:
        assert text in page, text
    assert "Phân công xử lý" not in page
    inbox = client.get("/app/inbox/direction").content.decode()
    assert "Waiting for direction" in inbox
