"""Vietnamese text helpers: one normal form (NFC) and accent folding (đ → d)."""

import unicodedata


def nfc(text: str) -> str:
    """Text in NFC, so that combining marks and precomposed letters compare equal."""
    return unicodedata.normalize("NFC", text) if text else text


def ascii_fold(text: str) -> str:
    """Strip diacritics and map đ/Đ to d/D: "Đông Dư" → "Dong Du"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
