"""Official Gazette (Công báo) layouts built from real documents, as text and as PDF.

How a Gazette issue prints a document (read on issues published by congbao.chinhphu.vn
and quoted in public parsers of them): every page opens with a banner
`CÔNG BÁO/Số 101 + 102/Ngày 15-3-2025` and the Gazette page number (after the banner on
odd pages, before it on even ones; on a line of its own since 2026); the first page of
an issue carries the e-signature block of the Government Portal (`Ký bởi: …`, `Email: …`,
`Cơ quan: Văn phòng Chính phủ`, `Thời gian ký: 16.03.2015 11:02:35 +07:00`), the part
heading `VĂN BẢN QUY PHẠM PHÁP LUẬT` and the heading of the issuing body's group
(`CHỦ TỊCH NƯỚC - QUỐC HỘI`, `CHÍNH PHỦ`) above the document's own header block. Each
document starts on a new page; documents follow each other back to back.

`gazette_pages(texts)` lays documents out in pages of rows; `gazette_txt` renders them as
`pdftotext -layout` would (columns side by side, pages split by form feeds);
`gazette_pdf` draws them with reportlab (DejaVu Sans, the header columns side by side).
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from tests.fixtures_gen import DEJAVU

STAMP = ["Ký bởi: Cổng Thông tin điện tử Chính phủ", "Email: thongtinchinhphu@chinhphu.vn",
         "Cơ quan: Văn phòng Chính phủ", "Thời gian ký: 16.03.2025 11:02:35 +07:00"]
SECTION = "VĂN BẢN QUY PHẠM PHÁP LUẬT"
_RIGHT = re.compile(r"^(?:CỘNG HÒA|CỘNG HOÀ|Độc lập)|, ngày\b.*\b(?:tháng|năm)\b")
_BODY_START = re.compile(r"^(?:Kính gửi|Căn cứ|Thực hiện|[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{2,}$)")
_CENTRE = re.compile(r"^[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,]*$")


@dataclass
class Page:
    number: int
    top: list[str] = field(default_factory=list)            # stamp, part and group headings
    rows: list[tuple[str, str]] = field(default_factory=list)  # header block: (left, right)
    lines: list[str] = field(default_factory=list)          # body, already wrapped


def split_header(text: str) -> tuple[list[str], list[str], list[str]]:
    """The top block's left column (issuer, Số, V/v), right column (motto, place-date)
    and the rest of the document, from a text whose header lines come one per line:
    the block runs to the place-date line, and on over a `V/v …` subject under it."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    d = next((i for i, ln in enumerate(lines) if re.search(r", ngày\b", ln)),
             next((i for i, ln in enumerate(lines) if re.match(r"^Số\b", ln)), 0))
    end = d + 1
    if end < len(lines) and lines[end].startswith("V/v"):
        while end < len(lines) and not _BODY_START.match(lines[end]):
            end += 1
    left = [ln for ln in lines[:end] if not _RIGHT.search(ln)]
    right = [ln for ln in lines[:end] if _RIGHT.search(ln)]
    return left, right, lines[end:]


def gazette_pages(texts: list[str], groups: list[str], first_page: int = 3, per_page: int = 42,
                  width: int = 90, stamp: bool = True) -> list[Page]:
    pages: list[Page] = []
    n = first_page
    for k, (text, group) in enumerate(zip(texts, groups)):
        left, right, rest = split_header(text)
        page = Page(n)
        if k == 0:
            page.top = (STAMP if stamp else []) + [SECTION]
        if group:
            page.top.append(group)
        page.rows = [(left[j] if j < len(left) else "", right[j] if j < len(right) else "")
                     for j in range(max(len(left), len(right)))]
        used = len(page.top) + len(page.rows)
        for para in rest:
            for line in (textwrap.wrap(para, width) or [""]):
                if used >= per_page:
                    pages.append(page)
                    n += 1
                    page, used = Page(n), 0
                page.lines.append(line)
                used += 1
        pages.append(page)
        n += 1
    return pages


def banner(issue: str, day: str) -> str:
    return f"CÔNG BÁO/Số {issue}/Ngày {day}"


def gazette_txt(pages: list[Page], issue: str = "101 + 102", day: str = "15-3-2025",
                number_own_line: bool = False, row_by_row: bool = False) -> str:
    """`pdftotext -layout` style (columns side by side); `row_by_row`: the two columns of
    a header row joined by one space, as text layers read row by row give them."""
    out = []
    for p in pages:
        b = banner(issue, day)
        lines = []
        if number_own_line:
            lines += [b, str(p.number)]
        elif p.number % 2:
            lines.append(f"{b}{' ' * 40}{p.number}")
        else:
            lines.append(f"{p.number}{' ' * 40}{b}")
        lines += [""] + p.top
        lines += [(f"{lft} {rgt}".strip() if row_by_row else f"{lft:<45}{rgt}".rstrip()) for lft, rgt in p.rows]
        lines += p.lines
        out.append("\n".join(lines))
    return "\n\f".join(out) + "\n"


def gazette_pdf(pages: list[Page], out_path, issue: str | None = "101 + 102", day: str = "15-3-2025") -> Path:
    """Pages drawn with reportlab; `issue=None` draws no banner (a plain signed copy)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    out = Path(out_path)
    c = canvas.Canvas(str(out), pagesize=A4)
    width, height = A4
    size, lead = 10, 14
    for p in pages:
        y = height - 40
        c.setFont("DejaVu", 9)
        b = banner(issue, day) if issue else ""
        if not b:
            pass                     # a plain copy: no Gazette banner
        elif p.number % 2:
            c.drawCentredString(width / 2, y, b)
            c.drawRightString(width - 50, y, str(p.number))
        else:
            c.drawString(50, y, str(p.number))
            c.drawCentredString(width / 2, y, b)
        y -= 2 * lead
        for line in p.top:
            if line.startswith(("Ký bởi", "Email", "Cơ quan", "Thời gian")):
                c.setFont("DejaVu", 7)
                c.drawString(50, y, line)
                y -= 10
            else:
                c.setFont("DejaVu", size)
                c.drawCentredString(width / 2, y, line)
                y -= 1.5 * lead
        c.setFont("DejaVu", size)
        for left, right in p.rows:
            if left:
                c.drawCentredString(150, y, left)
            if right:
                c.drawCentredString(410, y, right)
            y -= lead
        if p.rows:
            y -= lead
        for line in p.lines:
            if _CENTRE.match(line) and len(line) < 40:
                c.drawCentredString(width / 2, y, line)
            else:
                c.drawString(60, y, line)
            y -= lead
        c.showPage()
    c.save()
    return out
