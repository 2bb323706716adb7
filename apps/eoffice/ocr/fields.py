"""Step 3 of the intake chain: the fields of the clerk's form, read from the first page.

A Vietnamese administrative document puts them where Decree 30 says: the issuing agency top
left (its superior above it), "Số: 45/UBND-VP" under it, the national motto top right with
"Gia Lâm, ngày 15 tháng 8 năm 2017" under it, "V/v …" under the number (a công văn) or the
type's title ("QUYẾT ĐỊNH") centred with the summary under it, and the urgency and secrecy
stamps ("HỎA TỐC", "MẬT") near the number.

OCR reads the two header columns into the same lines ("UBND HUYỆN GIA LÂM CỘNG HÒA XÃ HỘI …"),
drops or changes diacritics and spaces, so matching is done on an accent-folded copy of the
text that keeps every character's position; values are then cut from the original text, so
the number keeps its case and its Đ exactly (QĐ is not QyĐ, HĐ is not HD).

:func:`extract_fields` returns ``{"fields": {name: value}, "from_ocr": [names]}`` with the
names of "Incoming Document": ``issuer``, ``document_number``, ``document_date`` (ISO),
``document_type``, ``summary``, ``urgency``, ``secrecy``; plus ``issuer_parent`` (the superior
agency) and ``place``. A field the page does not show is left out; the clerk confirms all.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

from eoffice.text import nfc

#: The labels the form uses (DOMAIN.md), keyed by the folded stamp text.
URGENCY_STAMPS = [("HOA TOC", "Hỏa tốc"), ("THUONG KHAN", "Thượng khẩn"), ("KHAN", "Khẩn")]
SECRECY_STAMPS = [("TUYET MAT", "Tuyệt mật"), ("TOI MAT", "Tối mật"), ("MAT", "Mật")]

# Words that begin the second line of a wrapped agency name ("ỦY BAN NHÂN DÂN" / "HUYỆN GIA LÂM").
LOCALITY_WORDS = ("HUYEN", "XA", "TINH", "THANH PHO", "QUAN", "PHUONG", "THI TRAN", "THI XA")
BODY_STARTS = re.compile(
    r"^\s*(kinh gui|can cu|thuc hien|xet de nghi|dieu \d|noi nhan)", re.IGNORECASE
)
MOTTO = [
    re.compile(r"C\s*[O0]\s*N\s*G\s*H\s*[O0]\s*A\s*X\s*A\s*H\s*[O0]\s*I\s*C\s*H\s*U\s*N\s*G\s*H"
               r"\s*[I1l]\s*A\s*V\s*[I1l]\s*E\s*T\s*N\s*A\s*M", re.IGNORECASE),
    re.compile(r"[DĐ]\s*[O0]\s*C\s*L\s*A\s*P\W{0,4}T\s*U\s*D\s*[O0]\W{0,4}H\s*A\s*N\s*H\s*P\s*H\s*U\s*C",
               re.IGNORECASE),
]  # fmt: skip
DIGIT = r"[0-9OoIl|]"
DATE = re.compile(
    rf"ngay\s*[.:]?\s*({DIGIT}{{1,2}})\s*(?:thang|/)\s*({DIGIT}{{1,2}})\s*(?:nam|/)\s*"
    rf"({DIGIT}\s?{DIGIT}\s?{DIGIT}\s?{DIGIT})",
    re.IGNORECASE,
)
NUMBER_LABEL = re.compile(r"(?<![A-Za-z])S\s*[o0ô6]\s*[:;.,]?\s*(?=\d)", re.IGNORECASE)
SYMBOL = re.compile(
    r"(\d{1,6})\s*/\s*(?:(\d{4})\s*/\s*)?([^\W\d_][\w.]*(?:\s*[-–—]\s*[\w.]+)*)", re.UNICODE
)
SUMMARY_LABEL = re.compile(r"^\W*V\s*[/lI|1]\s*[vVy]\b\.?", re.UNICODE)


def fold_aligned(text: str) -> str:
    """``text`` without diacritics and with đ → d, one character for one: positions still match."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(ch if unicodedata.category(base) == "Mn" else base)
    return "".join(out)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _digits(text: str) -> int:
    table = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", " ": None})
    return int(text.translate(table))


class _Page:
    """The first page as lines, each with its folded twin."""

    def __init__(self, text: str):
        self.lines = [line.strip() for line in nfc(text or "").replace("\f", "\n").split("\n")]
        self.folded = [fold_aligned(line) for line in self.lines]

    def first(self, pattern: re.Pattern, start: int = 0, stop: int | None = None):
        """(line index, match on the folded line) of the first line matching, or (None, None)."""
        stop = len(self.lines) if stop is None else min(stop, len(self.lines))
        for i in range(start, stop):
            m = pattern.search(self.folded[i])
            if m:
                return i, m
        return None, None


def document_types_default() -> list[tuple[str, str]]:
    """(name, abbreviation) of the 29 types of Decree 30."""
    from eoffice.doctype.document_type import STANDARD_DOCUMENT_TYPES

    return [(name, abbr) for name, abbr, _normative in STANDARD_DOCUMENT_TYPES]


def extract_fields(text: str, document_types: Iterable[tuple[str, str]] | None = None) -> dict:
    """Read the form's fields from the first page's text (OCR or text layer).

    ``document_types`` are (name, abbreviation) pairs, by default Decree 30's 29 types.
    Returns ``{"fields": {...}, "from_ocr": [...]}``; never raises on odd text.
    """
    types = list(document_types or document_types_default())
    page = _Page(text)
    fields: dict[str, str] = {}

    number_line, number = _number(page)
    if number:
        fields["document_number"] = _fix_type_part(number, types)
    date_line, date, place = _date(page)
    if date:
        fields["document_date"] = date.isoformat()
    if place:
        fields["place"] = place

    head_end = number_line if number_line is not None else date_line
    issuer_parent, issuer = _issuer(page, head_end, place)
    if issuer:
        fields["issuer"] = issuer
    if issuer_parent:
        fields["issuer_parent"] = issuer_parent

    header = [x for x in (number_line, date_line) if x is not None]
    title_line, doc_type = _title(page, types, start=max(header) + 1 if header else 0)
    body_start = _body_start(page, title_line)
    if not doc_type and fields.get("document_number"):
        doc_type = _type_from_symbol(fields["document_number"], types)
    if doc_type:
        fields["document_type"] = doc_type

    summary = _summary(page, number_line, title_line, body_start)
    if summary:
        fields["summary"] = summary

    zone_end = body_start if body_start is not None else min(len(page.lines), 25)
    urgency = _stamp(page, URGENCY_STAMPS, zone_end)
    if urgency:
        fields["urgency"] = urgency
    secrecy = _stamp(page, SECRECY_STAMPS, zone_end, exclude_after=r"\s*TRAN")
    if secrecy:
        fields["secrecy"] = secrecy
    return {"fields": fields, "from_ocr": sorted(fields)}


# ---------------------------------------------------------------------------------------
# One function per field


def _number(page: _Page):
    index, m = page.first(NUMBER_LABEL, stop=30)
    if index is None:
        # No label read: the first symbol-shaped token in the header.
        for i, line in enumerate(page.lines[:15]):
            sm = re.search(r"\b\d{1,6}/(?:\d{4}/)?[A-ZĐ][\wĐ.]*-[\wĐ.-]+", line)
            if sm:
                return i, _clean_symbol(sm.group(0))
        return None, None
    rest = page.lines[index][m.end() :]
    sm = SYMBOL.match(rest)
    if not sm:
        return index, None
    return index, _clean_symbol(sm.group(0))


def _clean_symbol(raw: str) -> str:
    symbol = re.sub(r"\s+", "", raw).replace("–", "-").replace("—", "-")
    symbol = symbol.replace("Ð", "Đ").replace("ð", "đ")  # Eth read for Đ
    return symbol.rstrip(".-")


def _fix_type_part(symbol: str, types) -> str:
    """Put back a Đ that OCR read as D in the type part, only where that is unambiguous."""
    parts = symbol.split("/")
    head, _, rest = parts[-1].partition("-")
    abbreviations = {abbr for _name, abbr in types if abbr}
    if head in abbreviations or not rest:
        return symbol
    candidates = {a for a in abbreviations if fold_aligned(a).upper() == fold_aligned(head).upper()}
    if len(candidates) == 1:
        parts[-1] = f"{candidates.pop()}-{rest}"
    return "/".join(parts)


def _type_from_symbol(symbol: str, types) -> str | None:
    """The type named by the symbol's abbreviation; "Công văn" when the symbol names none."""
    last = symbol.split("/")[-1]
    head = last.split("-")[0]
    for name, abbr in types:
        if abbr and abbr == head:  # exact: case and Đ matter
            return name
    return "Công văn" if any(name == "Công văn" for name, _abbr in types) else None


def _date(page: _Page):
    best = None
    for i, folded in enumerate(page.folded[:40]):
        for m in DATE.finditer(folded):
            before = folded[: m.start()].rstrip()
            with_place = before.endswith(",")
            try:
                value = datetime.date(_digits(m.group(3)), _digits(m.group(2)), _digits(m.group(1)))
            except ValueError:
                continue
            candidate = (0 if with_place else 1, i, value, m.start())
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best and best[0] == 0:
            break
    if best is None:
        return None, None, None
    _rank, i, value, start = best
    return i, value, _place(page.lines[i][:start])


def _place(before: str) -> str | None:
    """The place name written just before ", ngày": up to four capitalised words."""
    words = before.rstrip().rstrip(",").split()
    taken = []
    for word in reversed(words):
        if not re.fullmatch(r"[^\W\d_][\w.]*", word) or not word[0].isupper() or len(taken) == 4:
            break
        taken.insert(0, word)
    return " ".join(taken) or None


def _strip_right_column(line: str, folded: str) -> str:
    """Remove the motto and the place/date line that OCR put on the same line as the agency."""
    cut = len(line)
    for pattern in MOTTO:
        m = pattern.search(folded)
        if m:
            cut = min(cut, m.start())
    m = DATE.search(folded)
    if m:
        cut = min(cut, m.start())
        words = line[:cut].rstrip().rstrip(",")
        place = _place(line[:cut]) or ""
        cut = len(words) - len(place) if words.endswith(place) else cut
    return line[:cut].strip(" -_|")


def _issuer(page: _Page, head_end: int | None, place: str | None):
    stop = head_end if head_end is not None else min(len(page.lines), 6)
    lines = []
    for i in range(0, stop + 1 if head_end is not None else stop):
        line = _strip_right_column(page.lines[i], page.folded[i])
        sm = NUMBER_LABEL.search(fold_aligned(line))
        if sm:
            line = line[: sm.start()]
        line = _squash(line.strip(" -_|*—"))
        if line and _mostly_upper(line) and not re.fullmatch(r"[\W_]+", line):
            lines.append(line)
    # A wrapped agency name: "ỦY BAN NHÂN DÂN" / "HUYỆN GIA LÂM" is one name.
    merged: list[str] = []
    for line in lines:
        folded = fold_aligned(line).upper()
        if merged and folded.startswith(LOCALITY_WORDS) and not _has_locality(merged[-1]):
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    if not merged:
        return None, None
    if len(merged) == 1:
        return None, merged[0]
    return merged[0], " ".join(merged[1:])


def _has_locality(line: str) -> bool:
    folded = fold_aligned(line).upper()
    return any(re.search(rf"\b{w}\b", folded) for w in LOCALITY_WORDS)


def _type_key(text: str) -> str:
    return re.sub(r"[^A-Z]", "", fold_aligned(text).upper())


def _title(page: _Page, types, start: int = 0):
    keys = sorted(((_type_key(name), name) for name, _abbr in types), key=lambda kv: -len(kv[0]))
    for i in range(start, min(len(page.lines), 40)):
        line = page.lines[i]
        if not line or not _mostly_upper(line) or BODY_STARTS.search(page.folded[i]):
            continue
        key = _type_key(line)
        for type_key, name in keys:
            if key == type_key:
                return i, name
    return None, None


def _body_start(page: _Page, title_line: int | None) -> int | None:
    index, _m = page.first(BODY_STARTS, start=(title_line or 0) + 1, stop=40)
    return index


def _summary(page: _Page, number_line, title_line, body_start) -> str | None:
    if title_line is not None:
        start = title_line + 1
        while start < len(page.lines) and not page.lines[start]:
            start += 1
    else:
        index, m = page.first(SUMMARY_LABEL, start=number_line or 0, stop=30)
        if index is None:
            return None
        start = index
    parts = []
    for i in range(start, min(len(page.lines), start + 4)):
        line = page.lines[i]
        if not line or (body_start is not None and i >= body_start):
            break
        if _stamp_line(line):
            break
        # A wrapped summary goes on mid-sentence, in lower case; the body starts a sentence.
        if i > start and not line[0].islower():
            break
        line = _strip_right_column(line, page.folded[i])
        if line:
            parts.append(line)
    summary = _squash(" ".join(parts))
    summary = re.sub(r"^\W*V\s*[/lI|1]\s*[vVy]\b\.?", "V/v", summary)
    return summary or None


def _stamp_line(line: str) -> bool:
    folded = fold_aligned(line).upper().strip(" |[]()")
    return any(folded == key for key, _label in URGENCY_STAMPS + SECRECY_STAMPS)


def _stamp(page: _Page, stamps, zone_end: int, exclude_after: str | None = None) -> str | None:
    for i in range(0, zone_end):
        folded = page.folded[i]
        for key, label in stamps:
            pattern = r"(?<![A-Z])" + key.replace(" ", r"\s*") + r"(?![A-Za-z])"
            for m in re.finditer(pattern, folded):
                original = page.lines[i][m.start() : m.end()]
                if not _mostly_upper(original) and len(original) > 2:
                    continue
                if exclude_after and re.match(exclude_after, folded[m.end() :]):
                    continue
                if key == "MAT" and "Ặ" in original:
                    continue  # MẶT (face, front), not MẬT (secret)
                return label
    return None
