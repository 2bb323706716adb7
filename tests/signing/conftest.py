"""Fixtures of the signing tests: the demo's keys, and helpers that read signed PDFs the way
an outside reader does (pdfsig from poppler-utils, pdftoppm renders)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def signing_demo(demo):
    """The demo CA, its trusted root, the chairman's key (PIN 123456) and the agency's key."""
    from eoffice.signing import demo as signing_demo

    return signing_demo.setup()


def pdfsig(content: bytes) -> str:
    """What poppler's ``pdfsig`` says about the signatures (an independent verifier)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(content)
        fh.flush()
        proc = subprocess.run(["pdfsig", fh.name], capture_output=True, text=True, timeout=60)
    return proc.stdout


def render(content: bytes, page: int = 0, dpi: int = 72, keep: str | None = None):
    """Page ``page`` rendered by pdftoppm, as a Pillow RGB image (1 px = 1 pt at 72 dpi)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(content)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page + 1),
                "-l",
                str(page + 1),
                "-singlefile",
                str(src),
                str(Path(tmp) / "page"),
            ],
            check=True,
            timeout=60,
        )
        image = Image.open(Path(tmp) / "page.png").convert("RGB")
        image.load()
    if keep:
        image.save(keep)
    return image


def box_pixels(image, box, page_height: float = 842.0):
    """The pixels of a PDF box (points, origin bottom left) in a 72 dpi render."""
    x1, y1, x2, y2 = box
    crop = image.crop((int(x1), int(page_height - y2), int(x2), int(page_height - y1)))
    return list(crop.get_flattened_data())


def inked(pixels, threshold: int = 200) -> int:
    """How many pixels are not (near) white."""
    return sum(1 for p in pixels if min(p) < threshold)


def reddish(pixels) -> int:
    return sum(1 for r, g, b in pixels if r > 150 and g < 100 and b < 100)
