"""Per-page wall time of the OCR step against plain ``tesseract -l vie`` on the same page.

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m tests.ocr.measure [runs]

For each generated page, as a PNG upload and as a page of an image-only PDF, it times, in
alternation (so that load from other processes hits both alike):

- plain: ``tesseract <the page image> out -l vie`` (text only, ``OMP_THREAD_LIMIT=1``);
- ours: :func:`eoffice.ocr.parse.read_page` — finding the page image (the PDF's own JPEG),
  one Tesseract run writing the text and the text-only PDF layer, reading and tidying both.

and prints the median of each and their ratio. Not a test: a timing on a shared machine is
a measurement, not a pass/fail (DESIGN.md, Targets). ``bench/`` will grow from here.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(runs: int = 5) -> None:
    import django

    django.setup()
    from eoffice.ocr.parse import page_image, read_page
    from eoffice.ocr.preflight import preflight
    from tests.ocr import documents

    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for make in documents.ALL_DOCUMENTS:
            for suffix in (".png", ".pdf"):
                path = documents.save_scan(make(), tmp / f"{make.__name__}{suffix}")
                plan = preflight(path)
                image, dpi = page_image(plan, 0, tmp)  # the image plain Tesseract gets too
                plain_cmd = ["tesseract", str(image), str(tmp / "plain"), "-l", "vie"]
                if dpi:
                    plain_cmd += ["--dpi", str(dpi)]
                plain, ours = [], []
                for _ in range(runs):
                    started = time.perf_counter()
                    subprocess.run(plain_cmd, env=env, capture_output=True, check=True)
                    plain.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    read_page(plan, 0)
                    ours.append(time.perf_counter() - started)
                p, o = statistics.median(plain), statistics.median(ours)
                rows.append((f"{make.__name__}{suffix}", p, o, o / p))
                print(
                    f"{rows[-1][0]:32} plain {p:6.3f}s  ours {o:6.3f}s  ratio {o / p:5.3f}",
                    flush=True,
                )
    ratios = [r[3] for r in rows]
    print(
        f"median ratio {statistics.median(ratios):.3f} (min {min(ratios):.3f}, max {max(ratios):.3f})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
