"""Realistic Vietnamese administrative documents, rendered for the OCR tests.

A page follows the layout of Decree 30/2020 (Appendix I): the agency header on the left (the
superior agency, then the issuing one in bold, a short rule, "Số: …" and, for a công văn, the
"V/v …" summary), the national motto on the right (bold, a rule, then the italic place and
date), the title of a typed document centred ("QUYẾT ĐỊNH" and "Về việc …" under it), urgency
and secrecy stamps in a box, "Kính gửi", the body and the signature block.

Rendered with Pillow and the DejaVu fonts (Debian's ``fonts-dejavu-core``) at 300 dpi as a
scanner would give it (PNG, JPEG, TIFF or an image-only PDF), or as a text PDF through fpdf2.
Nothing here reads text back: the tests run the real Tesseract on what this draws.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF = FONT_DIR / "DejaVuSerif.ttf"
SERIF_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"
# Italic is in fonts-dejavu-extra; without it the date line is set upright.
SERIF_ITALIC = FONT_DIR / "DejaVuSerif-Italic.ttf"

A4_MM = (210, 297)


@dataclass
class AdminDocument:
    """What one document says; the renderers lay it out."""

    superior: str  # "UBND HUYỆN GIA LÂM"; empty for a top-level agency
    agency: str  # "VĂN PHÒNG HĐND VÀ UBND"; a line break where the name wraps
    number: str  # "45/UBND-VP"
    place: str  # "Gia Lâm"
    date: tuple[int, int, int]  # (year, month, day)
    title: str = ""  # "QUYẾT ĐỊNH"; empty for a công văn
    summary: str = ""  # "V/v …" for a công văn, "Về việc …" under a title
    recipients: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    urgency: str = ""  # "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN"
    secrecy: str = ""  # "MẬT", "TỐI MẬT", "TUYỆT MẬT"
    signer_title: str = "CHỦ TỊCH"
    signer_prefix: str = "TM. ỦY BAN NHÂN DÂN"
    signer: str = "Nguyễn Văn Hùng"

    @property
    def date_line(self) -> str:
        y, m, d = self.date
        # Decree 30: days under 10 and months under 3 take a leading zero.
        month = f"{m:02d}" if m < 3 else str(m)
        return f"{self.place}, ngày {d:02d} tháng {month} năm {y}"

    def lines(self) -> list[str]:
        """The text in reading order, as a text PDF would hold it."""
        out = [self.superior, *self.agency.split("\n"), f"Số: {self.number}"]
        if not self.title and self.summary:
            out.append(self.summary)
        out += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", self.date_line]
        out += [s for s in (self.urgency, self.secrecy) if s]
        if self.title:
            out += [self.title, self.summary]
        if self.recipients:
            out.append("Kính gửi: " + self.recipients[0])
            out += [f"- {r}" for r in self.recipients[1:]]
        out += self.body
        out += [self.signer_prefix, self.signer_title, self.signer]
        return [line for line in out if line]


# ---------------------------------------------------------------------------------------
# A few documents a district office really receives (text invented, shapes real).


def cong_van_dat_dai() -> AdminDocument:
    """A công văn from the district office about land records, urgent."""
    return AdminDocument(
        superior="",
        agency="ỦY BAN NHÂN DÂN\nHUYỆN GIA LÂM",
        number="45/UBND-VP",
        place="Gia Lâm",
        date=(2017, 8, 15),
        summary="V/v rà soát hồ sơ đất đai tồn đọng trên địa bàn huyện",
        urgency="KHẨN",
        recipients=[
            "Ủy ban nhân dân các xã, thị trấn;",
            "Phòng Tài nguyên và Môi trường huyện.",
        ],
        body=[
            "Thực hiện chỉ đạo của Ủy ban nhân dân thành phố Hà Nội về việc đẩy nhanh "
            "tiến độ cấp giấy chứng nhận quyền sử dụng đất, Ủy ban nhân dân huyện Gia Lâm "
            "đề nghị Ủy ban nhân dân các xã, thị trấn khẩn trương rà soát toàn bộ hồ sơ "
            "đất đai tồn đọng, lập danh sách các trường hợp chưa đủ điều kiện và báo cáo "
            "kết quả về Phòng Tài nguyên và Môi trường trước ngày 30 tháng 8 năm 2017.",
            "Đề nghị các đơn vị nghiêm túc thực hiện./.",
        ],
        signer_prefix="TL. CHỦ TỊCH",
        signer_title="CHÁNH VĂN PHÒNG",
        signer="Trần Thị Thu Hà",
    )


def quyet_dinh_cai_cach() -> AdminDocument:
    """A normative Quyết định of the district committee on administrative reform."""
    return AdminDocument(
        superior="",
        agency="ỦY BAN NHÂN DÂN HUYỆN GIA LÂM",
        number="12/2017/QĐ-UBND",
        place="Gia Lâm",
        date=(2017, 3, 6),
        title="QUYẾT ĐỊNH",
        summary="Về việc ban hành Kế hoạch cải cách hành chính năm 2017",
        body=[
            "ỦY BAN NHÂN DÂN HUYỆN GIA LÂM",
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "Xét đề nghị của Trưởng phòng Nội vụ huyện,",
            "QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính",
            "năm 2017 của huyện Gia Lâm.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        ],
    )


def giay_moi_hoa_toc() -> AdminDocument:
    """A Giấy mời from Hà Nội's department, flash urgency and secret."""
    return AdminDocument(
        superior="UBND THÀNH PHỐ HÀ NỘI",
        agency="SỞ NỘI VỤ",
        number="318/GM-SNV",
        place="Hà Nội",
        date=(2017, 11, 2),
        title="GIẤY MỜI",
        summary="Họp giao ban công tác văn thư, lưu trữ quý IV năm 2017",
        urgency="HỎA TỐC",
        secrecy="MẬT",
        body=[
            "Sở Nội vụ thành phố Hà Nội trân trọng kính mời đại diện lãnh đạo",
            "Ủy ban nhân dân huyện Gia Lâm dự họp giao ban công tác văn thư.",
            "Thời gian: 08 giờ 00 phút, ngày 06 tháng 11 năm 2017.",
            "Địa điểm: Hội trường tầng 3, số 18B Lê Thánh Tông, Hà Nội.",
        ],
        signer_prefix="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer="Lê Minh Đức",
    )


def bao_cao_xa() -> AdminDocument:
    """A commune's Báo cáo to the district, secrecy "TỐI MẬT", upper agency on two words."""
    return AdminDocument(
        superior="UBND HUYỆN GIA LÂM",
        agency="UBND XÃ ĐÔNG DƯ",
        number="27/BC-UBND",
        place="Đông Dư",
        date=(2017, 12, 20),
        title="BÁO CÁO",
        summary="Kết quả giải quyết thủ tục hành chính năm 2017",
        urgency="THƯỢNG KHẨN",
        secrecy="TỐI MẬT",
        body=[
            "Thực hiện Kế hoạch số 35/KH-UBND của Ủy ban nhân dân huyện Gia Lâm,",
            "Ủy ban nhân dân xã Đông Dư báo cáo kết quả giải quyết thủ tục hành chính",
            "năm 2017 như sau: tổng số hồ sơ tiếp nhận 1.245, đã giải quyết 1.198.",
        ],
    )


def quy_dinh() -> AdminDocument:
    """A Quy định (QyĐ, not QĐ) of the district office."""
    return AdminDocument(
        superior="UBND HUYỆN GIA LÂM",
        agency="VĂN PHÒNG HĐND VÀ UBND",
        number="03/QyĐ-VP",
        place="Gia Lâm",
        date=(2017, 1, 9),
        title="QUY ĐỊNH",
        summary="Về việc tiếp nhận và xử lý văn bản đến qua mạng",
        body=[
            "Quy định này áp dụng đối với cán bộ, công chức Văn phòng HĐND và UBND",
            "huyện trong việc tiếp nhận, đăng ký và trình văn bản đến.",
        ],
    )


ALL_DOCUMENTS = [cong_van_dat_dai, quyet_dinh_cai_cach, giay_moi_hoa_toc, bao_cao_xa, quy_dinh]


# ---------------------------------------------------------------------------------------
# Rendering


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if not path.exists():
        path = SERIF_BOLD if "Bold" in path.name else SERIF
    return ImageFont.truetype(str(path), size)


def render_page(doc: AdminDocument, dpi: int = 300, scan_noise: bool = True) -> Image.Image:
    """The first page as a grayscale scan at ``dpi``: Decree 30's layout, 12-13 pt type."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    pt = lambda points: round(points / 72 * dpi)  # noqa: E731
    width, height = px(A4_MM[0]), px(A4_MM[1])
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    regular, bold = _font(SERIF, pt(12)), _font(SERIF_BOLD, pt(12))
    left, right, top = px(25), width - px(15), px(20)
    line_h = round(pt(12) * 1.5)
    # Two header columns: the agency (left, 70 mm) and the national motto (right, 100 mm).
    lcx, lwidth = left + px(35), px(68)
    rcx, rwidth = right - px(52), px(102)

    def fitted(path, points, text, max_width):
        font = _font(path, pt(points))
        while draw.textlength(text, font=font) > max_width and points > 8:
            points -= 0.5
            font = _font(path, pt(points))
        return font

    def centred(text, font, cx, y):
        w = draw.textlength(text, font=font)
        draw.text((cx - w / 2, y), text, font=font, fill=0)
        return w

    y = top
    if doc.superior:
        centred(doc.superior, fitted(SERIF, 12, doc.superior, lwidth), lcx, y)
        y += line_h
    for part in doc.agency.split("\n"):
        w = centred(part, fitted(SERIF_BOLD, 12, part, lwidth), lcx, y)
        y += line_h
    draw.line((lcx - w / 4, y, lcx + w / 4, y), fill=0, width=3)
    y += pt(8)
    centred(f"Số: {doc.number}", regular, lcx, y)
    y += line_h
    if not doc.title and doc.summary:
        small = _font(SERIF, pt(11))
        for part in _wrap(draw, doc.summary, small, lwidth):
            centred(part, small, lcx, y)
            y += round(line_h * 0.9)
    left_bottom = y

    y = top
    motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    centred(motto, fitted(SERIF_BOLD, 12, motto, rwidth), rcx, y)
    y += line_h
    w = centred("Độc lập - Tự do - Hạnh phúc", bold, rcx, y)
    y += line_h
    draw.line((rcx - w / 2, y, rcx + w / 2, y), fill=0, width=3)
    y += pt(10)
    centred(doc.date_line, fitted(SERIF_ITALIC, 12, doc.date_line, rwidth), rcx, y)
    y = max(y + line_h * 1.5, left_bottom + line_h * 0.5)

    # Stamps: urgency and secrecy in a box under the number, as the clerk stamps them.
    for stamp in (doc.urgency, doc.secrecy):
        if stamp:
            w = draw.textlength(stamp, font=bold)
            x0 = left + px(8)
            draw.rectangle((x0, y, x0 + w + pt(16), y + pt(22)), outline=0, width=4)
            draw.text((x0 + pt(8), y + pt(3)), stamp, font=bold, fill=0)
            y += pt(28)
    y += line_h * 0.5

    # Title of a typed document, and the summary line under it.
    mid = (left + right) / 2
    if doc.title:
        centred(doc.title, _font(SERIF_BOLD, pt(13)), mid, y)
        y += round(line_h * 1.1)
        for part in _wrap(draw, doc.summary, bold, right - left - px(20)):
            centred(part, bold, mid, y)
            y += line_h
        y += line_h * 0.6

    if doc.recipients:
        lead = "Kính gửi: "
        x = mid - px(45)
        draw.text((x, y), lead + doc.recipients[0], font=regular, fill=0)
        y += line_h
        for r in doc.recipients[1:]:
            draw.text((x + draw.textlength(lead, font=regular), y), r, font=regular, fill=0)
            y += line_h
        y += line_h * 0.5

    for para in doc.body:
        indent = px(10)
        for part in _wrap(draw, para, regular, right - left - indent):
            draw.text((left + indent, y), part, font=regular, fill=0)
            y += line_h
            indent = 0

    # Signature block on the right.
    y += line_h
    for text, font in (
        (doc.signer_prefix, bold),
        (doc.signer_title, bold),
        ("", regular),
        ("", regular),
        (doc.signer, bold),
    ):
        if text:
            centred(text, font, rcx, y)
        y += line_h

    if scan_noise:
        img = _as_scanned(img, seed=sum(map(ord, doc.number)))
    img.info["dpi"] = (dpi, dpi)
    return img


def _wrap(draw, text, font, max_width) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) > max_width and current:
            lines.append(current)
            current = word
        else:
            current = trial
    return lines + ([current] if current else [])


def _as_scanned(img: Image.Image, seed: int) -> Image.Image:
    """A light scanner's touch: slight blur, speckles, a fraction of a degree of skew."""
    rng = random.Random(seed)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    px = img.load()
    w, h = img.size
    for _ in range(w * h // 4000):
        x, y = rng.randrange(w), rng.randrange(h)
        px[x, y] = rng.randrange(120, 220)
    return img.rotate(rng.uniform(-0.4, 0.4), fillcolor=255, resample=Image.BICUBIC)


def save_scan(doc: AdminDocument, path: Path, dpi: int = 300) -> Path:
    """The page saved as a scan; the suffix picks the format (.png, .jpg, .tif, .pdf)."""
    img = render_page(doc, dpi=dpi)
    path = Path(path)
    kind = path.suffix.lower()
    if kind == ".pdf":
        img.save(path, "PDF", resolution=dpi)
    elif kind in (".jpg", ".jpeg"):
        img.save(path, "JPEG", quality=85, dpi=(dpi, dpi))
    elif kind in (".tif", ".tiff"):
        img.save(path, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
    else:
        img.save(path, "PNG", dpi=(dpi, dpi))
    return path


def save_scanned_pdf(docs: list[AdminDocument], path: Path, dpi: int = 300) -> Path:
    """A multi-page image-only PDF (no text layer), one scanned page per document."""
    pages = [render_page(d, dpi=dpi) for d in docs]
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return Path(path)


def save_text_pdf(doc: AdminDocument, path: Path) -> Path:
    """A born-digital PDF with a real text layer (fpdf2 with the DejaVu TTF, Unicode)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(30, 20, 15)
    pdf.add_page()
    pdf.add_font("DejaVuSerif", "", str(SERIF))
    pdf.add_font("DejaVuSerif", "B", str(SERIF_BOLD))
    pdf.set_font("DejaVuSerif", size=12)
    for line in doc.lines():
        pdf.set_font("DejaVuSerif", "B" if line.isupper() else "", 12)
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return Path(path)


TYPE_BY_TITLE = {
    "QUYẾT ĐỊNH": "Quyết định",
    "GIẤY MỜI": "Giấy mời",
    "BÁO CÁO": "Báo cáo",
    "QUY ĐỊNH": "Quy định",
    "KẾ HOẠCH": "Kế hoạch",
    "THÔNG BÁO": "Thông báo",
    "TỜ TRÌNH": "Tờ trình",
}
STAMP_LABELS = {
    "HỎA TỐC": "Hỏa tốc",
    "THƯỢNG KHẨN": "Thượng khẩn",
    "KHẨN": "Khẩn",
    "MẬT": "Mật",
    "TỐI MẬT": "Tối mật",
    "TUYỆT MẬT": "Tuyệt mật",
}


def expected_fields(doc: AdminDocument) -> dict:
    """What field extraction should find on the document's first page."""
    y, m, d = doc.date
    out = {
        "issuer": doc.agency.replace("\n", " "),
        "document_number": doc.number,
        "document_date": f"{y:04d}-{m:02d}-{d:02d}",
        "place": doc.place,
        "document_type": TYPE_BY_TITLE[doc.title] if doc.title else "Công văn",
        "summary": doc.summary,
    }
    if doc.superior:
        out["issuer_parent"] = doc.superior
    if doc.urgency:
        out["urgency"] = STAMP_LABELS[doc.urgency]
    if doc.secrecy:
        out["secrecy"] = STAMP_LABELS[doc.secrecy]
    return out


PLAIN_TEXT = [
    "Thực hiện Kế hoạch số 35/KH-UBND ngày 10 tháng 02 năm 2017 của Ủy ban nhân dân huyện",
    "Gia Lâm về cải cách hành chính, Ủy ban nhân dân xã Đông Dư báo cáo kết quả như sau:",
    "1. Công tác chỉ đạo, điều hành: Ủy ban nhân dân xã đã ban hành kế hoạch, phân công",
    "cán bộ, công chức phụ trách từng lĩnh vực; niêm yết công khai thủ tục hành chính tại",
    "bộ phận tiếp nhận và trả kết quả; tiếp nhận 1.245 hồ sơ, giải quyết đúng hạn 1.198.",
    "2. Khó khăn, vướng mắc: một số hồ sơ đất đai tồn đọng từ nhiều năm trước, người dân",
    "chưa nộp đủ giấy tờ; trang thiết bị của bộ phận một cửa còn thiếu, đường truyền yếu.",
    "3. Đề xuất: đề nghị Ủy ban nhân dân huyện bố trí kinh phí mua sắm máy quét, máy tính",
    "và tổ chức tập huấn sử dụng phần mềm quản lý văn bản cho cán bộ cấp xã trong quý IV.",
]


def render_text_page(lines: list[str] = PLAIN_TEXT, dpi: int = 300) -> Image.Image:
    """A clean scanned page of running text, one given line per printed line (12 pt)."""
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    img = Image.new("L", (px(A4_MM[0]), px(A4_MM[1])), 255)
    draw = ImageDraw.Draw(img)
    font = _font(SERIF, round(12 / 72 * dpi))
    y = px(25)
    for line in lines:
        draw.text((px(20), y), line, font=font, fill=0)
        y += round(12 / 72 * dpi * 1.5)
    img = _as_scanned(img, seed=7)
    img.info["dpi"] = (dpi, dpi)
    return img


def char_error_rate(expected: str, got: str) -> float:
    """Levenshtein distance over the expected length, on whitespace-squashed NFC text."""
    import unicodedata

    a = " ".join(unicodedata.normalize("NFC", expected).split())
    b = " ".join(unicodedata.normalize("NFC", got).split())
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / max(len(a), 1)
