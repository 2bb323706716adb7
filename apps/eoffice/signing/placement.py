"""Where signatures and the number go on a page, found in the document's own text.

Decree 30 lays out a document so that the places are findable: the signer's name is printed
under the signature block (the signature goes between the title and the name), "Số: …/QĐ-UBND"
is at the top left of the first page under the agency's name, and "…, ngày … tháng … năm …"
at the top right. Boxes are PDF user-space rectangles ``(x1, y1, x2, y2)``, origin at the
bottom left, in points. When the text is not found, the site's configured box is used
(``signing.signature_box`` in site_config.json: ``[x1, y1, x2, y2]`` on the last page).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from eoffice.signing.appearance import SEAL_SIZE, SEAL_TEXT_HEIGHT

SIGNATURE_WIDTH = 170.0
SIGNATURE_HEIGHT = 72.0
DEFAULT_SIGNATURE_BOX = (330.0, 110.0, 500.0, 182.0)
ATTACHMENT_BOX_SIZE = (190.0, 34.0)


@dataclass(frozen=True)
class Place:
    """A page (0-based) and a box on it."""

    page: int
    box: tuple[float, float, float, float]
    found: bool = False  # found in the text, rather than the configured default

    def as_dict(self) -> dict:
        return {"page": self.page, "box": [round(v, 1) for v in self.box], "found": self.found}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").casefold()


def _open(pdf: bytes):
    import pdfplumber

    return pdfplumber.open(io.BytesIO(pdf))


def _lines(page) -> list[list[dict]]:
    """Words of a page grouped into lines (same baseline within 2 pt), top to bottom."""
    words = sorted(page.extract_words(keep_blank_chars=False), key=lambda w: (w["top"], w["x0"]))
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _configured_box():
    conf = (settings.SITE_CONFIG or {}).get("signing", {})
    box = conf.get("signature_box")
    if isinstance(box, list) and len(box) == 4:
        return tuple(float(v) for v in box)
    return DEFAULT_SIGNATURE_BOX


def signature_place(pdf: bytes, signer_name: str = "") -> Place:
    """Where the signer signs: above the last line that prints ``signer_name``.

    Searched from the last page backwards; the box is centred on the name and sits between
    the name and the title above it. Default: the configured box on the last page.
    """
    target = _fold(signer_name).split()
    with _open(pdf) as doc:
        last = len(doc.pages) - 1
        if target:
            for index in range(last, -1, -1):
                page = doc.pages[index]
                for line in reversed(_lines(page)):
                    texts = [_fold(w["text"]) for w in line]
                    for start in range(len(texts) - len(target) + 1):
                        if texts[start : start + len(target)] == target:
                            words = line[start : start + len(target)]
                            mid = (words[0]["x0"] + words[-1]["x1"]) / 2
                            top = page.height - min(w["top"] for w in words)
                            x1 = max(10.0, mid - SIGNATURE_WIDTH / 2)
                            x1 = min(x1, page.width - SIGNATURE_WIDTH - 10)
                            y1 = top + 2
                            return Place(
                                index, (x1, y1, x1 + SIGNATURE_WIDTH, y1 + SIGNATURE_HEIGHT), True
                            )
        return Place(last, _configured_box(), False)


def seal_place(signer: Place) -> Place:
    """The agency's seal: its real size, over about a third of the signer's signature on the
    left, centred on it vertically (Decree 30, Appendix I); the agency's name and the time
    in a band under the seal."""
    x1, y1, x2, y2 = signer.box
    third = (x2 - x1) / 3
    right = x1 + third
    mid = (y1 + y2) / 2
    top = mid + SEAL_SIZE / 2
    return Place(
        signer.page,
        (right - SEAL_SIZE, top - SEAL_SIZE - SEAL_TEXT_HEIGHT, right, top),
        signer.found,
    )


def attachment_place(pdf: bytes) -> Place:
    """The top right corner of the first page (inside a 20 mm margin)."""
    with _open(pdf) as doc:
        page = doc.pages[0]
        w, h = ATTACHMENT_BOX_SIZE
        x2, y2 = float(page.width) - 28, float(page.height) - 14
        return Place(0, (x2 - w, y2 - h, x2, y2), True)


def number_places(pdf: bytes) -> tuple[Place, Place]:
    """Where "Số: …" and "…ngày … tháng … năm …" are on the first page.

    The number's box covers the line from "Số:" to the end of its word run; the date's box
    from "ngày" to the end of its line (the place name before it stays). Defaults: the top
    left and top right under the header when the text is not there.
    """
    with _open(pdf) as doc:
        page = doc.pages[0]
        height, width = float(page.height), float(page.width)
        number = date = None
        for line in _lines(page):
            texts = [_fold(w["text"]) for w in line]
            if number is None:
                for i, text in enumerate(texts):
                    if text in ("số:", "số") or text.startswith("số:"):
                        words = _run(line, i)
                        number = _box(words, height, pad_right=60)
                        break
            if date is None and "ngày" in texts and any(t.startswith("tháng") for t in texts):
                i = texts.index("ngày")
                date = _box(line[i:], height, pad_right=30)
        number = number or (60.0, height - 150, 260.0, height - 132)
        date = date or (width - 290, height - 150, width - 60, height - 132)
        return Place(0, number, True), Place(0, date, True)


def _run(line: list[dict], start: int) -> list[dict]:
    """The words from ``start`` up to a gap wider than 40 pt (one column of the header)."""
    run = [line[start]]
    for word in line[start + 1 :]:
        if word["x0"] - run[-1]["x1"] > 40:
            break
        run.append(word)
    return run


def _box(words, page_height, pad_right=0.0):
    x1 = min(w["x0"] for w in words) - 1
    x2 = max(w["x1"] for w in words) + pad_right
    top = min(w["top"] for w in words) - 8
    bottom = max(w["bottom"] for w in words) + 4
    return (x1, page_height - bottom, x2, page_height - top)
