"""Decree 30 shaped PDFs for the signing tests: a decision with a header, "Số:", the date
line and the signature block, and a one-page attachment (generated with fpdf2)."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def decision_pdf(signer_name: str = "Lê Văn Hùng", pages: int = 1) -> bytes:
    """A "Quyết định" of UBND huyện Gia Lâm, number and date blank, signed by ``signer_name``."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("Serif", fname=str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("Serif", style="B", fname=str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.set_auto_page_break(False)
    for page in range(pages):
        pdf.add_page()
        if page == 0:
            pdf.set_font("Serif", size=11)
            pdf.set_xy(56, 56)
            pdf.cell(200, 14, "ỦY BAN NHÂN DÂN", align="C")
            pdf.set_xy(56, 70)
            pdf.set_font("Serif", "B", 11)
            pdf.cell(200, 14, "HUYỆN GIA LÂM", align="C")
            pdf.set_xy(290, 56)
            pdf.cell(260, 14, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
            pdf.set_xy(290, 70)
            pdf.cell(260, 14, "Độc lập - Tự do - Hạnh phúc", align="C")
            pdf.set_font("Serif", size=11)
            pdf.set_xy(80, 100)
            pdf.cell(160, 14, "Số:        /QĐ-UBND")
            pdf.set_xy(310, 100)
            pdf.cell(240, 14, "Gia Lâm, ngày      tháng      năm 2017")
            pdf.set_font("Serif", "B", 13)
            pdf.set_xy(56, 150)
            pdf.cell(483, 16, "QUYẾT ĐỊNH", align="C")
            pdf.set_font("Serif", size=11)
            pdf.set_xy(70, 180)
            pdf.multi_cell(
                455,
                15,
                "Về việc tăng cường quản lý đất đai trên địa bàn huyện Gia Lâm.\n"
                "Điều 1. Giao Phòng Tài nguyên và Môi trường chủ trì kiểm tra.\n"
                "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            )
        if page == pages - 1:
            pdf.set_font("Serif", "B", 11)
            pdf.set_xy(320, 560)
            pdf.cell(220, 14, "TM. ỦY BAN NHÂN DÂN", align="C")
            pdf.set_xy(320, 574)
            pdf.cell(220, 14, "CHỦ TỊCH", align="C")
            pdf.set_xy(320, 660)
            pdf.cell(220, 14, signer_name, align="C")
    return bytes(pdf.output())


def attachment_pdf(text: str = "Phụ lục: danh sách các thửa đất kiểm tra") -> bytes:
    """A plain one-page attachment."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("Serif", fname=str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_page()
    pdf.set_font("Serif", size=12)
    pdf.set_xy(70, 120)
    pdf.multi_cell(455, 16, text)
    return bytes(pdf.output())
