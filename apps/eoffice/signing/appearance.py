"""What a signature looks like on the page (Decree 30/2020, Appendix I), and its images.

- The **signer's** signature ("Ký"): the signer's handwritten signature image (blue, PNG with a
  transparent background), with the signer's name and the signing time (ISO 8601, Vietnam's
  time zone ``+07:00``) in small blue text under it.
- The **agency's** signature ("Phát hành"): the red round seal image at its real size
  (~36 mm), over about a third of the signer's signature on the left, with the agency's name
  and the signing time.
- An **attachment** in its own file: no image; the document's number and symbol, the signing
  time and the agency's name, in black, at the top right of the first page.

The styles are pyHanko stamp styles, so the appearance is drawn into the signature field's
own appearance stream (part of what is signed). :func:`seal_image` and
:func:`handwriting_image` draw the demo images with Pillow.
"""

from __future__ import annotations

import datetime
import io
import math
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

VN_TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: pyHanko formats the signing time with this; :class:`VietnamStampStyle` re-renders it.
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
BLUE = (0.0, 0.2, 0.7)
RED = (0.8, 0.05, 0.05)
BLACK = (0.0, 0.0, 0.0)
MM = 72 / 25.4  # PDF points per millimetre
SEAL_SIZE = 36 * MM
SEAL_TEXT_HEIGHT = 14  # the agency's name and the time, under the seal


def font_path(bold: bool = False) -> str:
    """The serif font with Vietnamese glyphs (``signing.font`` in site_config.json, else DejaVu
    Serif from Debian's fonts-dejavu-core; Times New Roman is what Decree 30 names)."""
    conf = (settings.SITE_CONFIG or {}).get("signing", {}) if settings.configured else {}
    custom = conf.get("font_bold" if bold else "font")
    if custom:
        return custom
    return str(FONT_DIR / ("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"))


def vn_time(moment: datetime.datetime) -> str:
    """``2017-03-15T10:20:30+07:00``: ISO 8601 in Vietnam's time zone, as Decree 30 asks."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


@lru_cache(maxsize=8)
def pdf_font(path: str) -> str:
    """``path``, or a copy of it scaled to 1000 units per em.

    pyHanko writes a font's glyph widths as they are in the font file, where PDF reads them
    in thousandths of an em: a font of 2048 units per em (DejaVu, Times New Roman) would come
    out with letters twice as far apart. The scaled copy is made once and cached on disk.
    """
    import hashlib
    import os
    import tempfile

    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    if font["head"].unitsPerEm == 1000:
        return path
    stat = os.stat(path)
    key = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / "eoffice-fonts"
    target = cache / f"{Path(path).stem}-{key}-1000.ttf"
    if not target.exists():
        from fontTools.ttLib.scaleUpem import scale_upem

        cache.mkdir(parents=True, exist_ok=True)
        font = TTFont(path)
        scale_upem(font, 1000)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, target)
    return str(target)


@lru_cache(maxsize=8)
def _glyphs(path: str, size: int):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    return GlyphAccumulatorFactory(pdf_font(path), font_size=size)


def _text_style(size: int, color) -> TextBoxStyle:
    return TextBoxStyle(font=_glyphs(font_path(), size), font_size=size, text_color=color)


@dataclass(frozen=True)
class VietnamStampStyle(TextStampStyle):
    """A text stamp whose ``%(ts)s`` is the signing time in ISO 8601 at +07:00."""

    timestamp_format: str = _TS_FORMAT

    def create_stamp(self, writer, box, text_params):
        params = dict(text_params or {})
        ts = params.get("ts")
        if isinstance(ts, datetime.datetime):
            params["ts"] = vn_time(ts)
        elif ts:
            try:
                params["ts"] = vn_time(datetime.datetime.strptime(ts, _TS_FORMAT))
            except ValueError:
                pass
        return super().create_stamp(writer, box, params)


def _png(image_bytes: bytes | Image.Image) -> Image.Image:
    if isinstance(image_bytes, Image.Image):
        return image_bytes
    return Image.open(io.BytesIO(bytes(image_bytes))).convert("RGBA")


def signer_style(signature_png: bytes | Image.Image | None) -> VietnamStampStyle:
    """The signer's appearance: signature image on top, name and time under it (blue)."""
    return VietnamStampStyle(
        stamp_text="%(signer)s\n%(ts)s",
        text_box_style=_text_style(6, BLUE),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background=PdfImage(_png(signature_png)) if signature_png else None,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=16),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background_opacity=1.0,
        border_width=0,
    )


def agency_style(seal_png: bytes | Image.Image) -> VietnamStampStyle:
    """The agency's appearance: the red seal, the agency's name and the time under it."""
    return VietnamStampStyle(
        stamp_text="%(agency)s\n%(ts)s",
        text_box_style=_text_style(5, BLUE),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background=PdfImage(_png(seal_png)),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=SEAL_TEXT_HEIGHT),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        background_opacity=1.0,
        border_width=0,
    )


def attachment_style() -> VietnamStampStyle:
    """An attachment's appearance: number and symbol, time, agency; black text, no image."""
    return VietnamStampStyle(
        stamp_text="Số: %(symbol)s\nThời gian ký: %(ts)s\n%(agency)s",
        text_box_style=_text_style(7, BLACK),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MAX,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        border_width=0,
    )


def number_style() -> VietnamStampStyle:
    """The number and date written at "Cấp số" (black, the document's own type size)."""
    return VietnamStampStyle(
        stamp_text="%(text)s",
        text_box_style=_text_style(11, BLACK),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(bottom=1),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        border_width=0,
    )


# ---------------------------------------------------------------------------------------
# Images drawn with Pillow (the demo's seal and handwriting; real ones are uploaded PNGs)


def _pil_font(size: int, bold: bool = False):
    return ImageFont.truetype(font_path(bold), size)


def seal_image(agency_name: str, upper_line: str = "", size: int = 600) -> bytes:
    """A red round seal as a transparent PNG: the agency's name around, a star in the middle.

    ``upper_line`` (e.g. "HÀ NỘI" or the province) goes along the bottom arc, as on real
    seals. ``size`` is in pixels (600 px is about 420 dpi at 36 mm).
    """
    red = (210, 20, 20, 255)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size / 2 - 4
    draw.ellipse((c - r, c - r, c + r, c + r), outline=red, width=int(size * 0.025))
    r2 = r * 0.68
    draw.ellipse((c - r2, c - r2, c + r2, c + r2), outline=red, width=int(size * 0.012))
    # The star: five outer and five inner points.
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = r2 * (0.62 if i % 2 == 0 else 0.25)
        points.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    _text_on_arc(img, agency_name.upper(), c, (r + r2) / 2, red, top=True)
    if upper_line:
        _text_on_arc(img, upper_line.upper(), c, (r + r2) / 2, red, top=False)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _text_on_arc(img, text: str, c: float, radius: float, color, top: bool) -> None:
    """Write ``text`` along a circle (the upper arc clockwise, the lower one anticlockwise)."""
    font = _pil_font(int(img.width * 0.065), bold=True)
    span = math.radians(250 if top else 100)
    widths = [font.getlength(ch) for ch in text]
    total = sum(widths) or 1
    start = (-math.pi / 2 - span / 2) if top else (math.pi / 2 + span / 2)
    angle = start
    for ch, w in zip(text, widths, strict=True):
        step = span * w / total
        mid = angle + (step / 2 if top else -step / 2)
        angle += step if top else -step
        if ch == " ":
            continue
        glyph = Image.new("RGBA", (int(font.size * 1.6), int(font.size * 1.6)), (0, 0, 0, 0))
        gd = ImageDraw.Draw(glyph)
        gd.text((glyph.width / 2, glyph.height / 2), ch, font=font, fill=color, anchor="mm")
        rotation = -math.degrees(mid) - 90 if top else -math.degrees(mid) + 90
        glyph = glyph.rotate(rotation, resample=Image.BICUBIC, expand=True)
        x = c + radius * math.cos(mid) - glyph.width / 2
        y = c + radius * math.sin(mid) - glyph.height / 2
        img.alpha_composite(glyph, (int(x), int(y)))


def handwriting_image(full_name: str, width: int = 600, height: int = 240) -> bytes:
    """A demo handwritten signature (blue strokes and the given name), transparent PNG."""
    blue = (20, 40, 170, 255)
    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    given = full_name.split()[-1] if full_name.split() else full_name
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Italic.ttf"), int(height * 0.36))
    draw.text((width * 0.12, height * 0.18), given, font=font, fill=blue)
    # A flourish under the name: a sine stroke, as people underline their signature.
    pts = [
        (
            width * (0.06 + 0.86 * t / 100),
            height * (0.74 + 0.08 * math.sin(t / 100 * 3 * math.pi)),
        )
        for t in range(101)
    ]
    draw.line(pts, fill=blue, width=max(3, height // 40), joint="curve")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
