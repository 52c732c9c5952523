"""Segment a cleaned document into zones: header, heading + title, recipients, body, closing.

The header is kept line by line (its lines carry separate fields); the body is reflowed
into paragraphs (`normalise.join_lines`); the closing (Nơi nhận, signature) stays line by
line. `Layout.text` is the document as the record stores it, and every span below is an
offset into that text, so later stages (citations, tasks, spaCy) share one coordinate system.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cascade import doctypes
from cascade.parse import furniture, lexicon
from cascade.text import ITEM_NUMBER, UPPER, ends_sentence, join_lines

Span = tuple[int, int]

# "Số: 432/UBND-VHXXH", "Số 57-NQ/TW"; and the one-line form of normative texts,
# "Luật số: 24/2018/QH14", "Nghị quyết số: 12/2023/UBTVQH15" (a colon and nothing after
# the number but a column gap: "Nghị quyết số 202/2025/QH15 ngày …" in a body is a citation)
_TYPE_WORDS = "|".join(sorted({t.name[:1].upper() + t.name[1:] for t in doctypes.all_types()}
                              | {t.name.upper() for t in doctypes.all_types()}, key=len, reverse=True))
NUMBER_LINE = re.compile(r"^(?:S[ốố]\s*(?:[:.]|(?=\s*[\d/]))|(?:%s)\s+(?:số|SỐ)\s*:\s*\S+(?:\s{3,}.*)?$)" % _TYPE_WORDS)
# a line that opens by citing a document: "Luật Thuế thu nhập cá nhân số 04/2007/QH12 ngày …"
_CITING_LINE = re.compile(r"^(?:%s)\b[^\n]{0,80}?\s(?:số|Số)\s*\d" % "|".join(
    sorted({t.name[:1].upper() + t.name[1:] for t in doctypes.all_types()}, key=len, reverse=True)))
_DATE_LINE = re.compile(r"^[^\n,]{0,60}?,?\s*ngày\b.{0,20}?tháng\b.{0,20}?năm\b")
VV_LINE = re.compile(r"^(?:V/v|V/V|v/v|Về việc|Về)\b")
# the addressing line: "Kính gửi:", and a công điện's "THỦ TƯỚNG CHÍNH PHỦ điện:"
KINH_GUI = re.compile(r"^(?:Kính\s+gửi|KÍNH\s+GỬI|Kính\s+trình|[%s][%s ]+\sđiện)\s*[:.]?" % (UPPER, UPPER))
LIST_ITEM = re.compile(r"^[-–—+•●▪*]\s*")
NOI_NHAN = re.compile(r"^(?:Nơi\s+nhận|NƠI\s+NHẬN)\s*:?")
RULE = re.compile(r"^[-–—_=.* ]+$")
# a line that starts a task or body item
_MARKER = re.compile(rf"^(?:[IVXLC]{{1,6}}[.)]\s|{ITEM_NUMBER}(?:\.{ITEM_NUMBER})*[.)]\s?|[a-zđ]\)\s|Điều\s+\d+)")


@dataclass
class Layout:
    text: str = ""
    furniture: furniture.Furniture = field(default_factory=furniture.Furniture)
    # a consolidated text's own number and date lines, printed at its end above the
    # certifying signature ("Số: 1234/VBHN-BTC", "Hà Nội, ngày …"); empty otherwise
    end_header: list[str] = field(default_factory=list)
    # lines read before the header block (a text layer that puts the Căn cứ preamble first)
    moved_preamble: int = 0
    header_lines: list[tuple[str, Span]] = field(default_factory=list)
    heading: tuple[str, Span] | None = None          # "CHỈ THỊ"
    title: tuple[str, Span] | None = None            # the title under the heading
    recipients: list[tuple[str, Span]] = field(default_factory=list)
    body: list[tuple[str, Span]] = field(default_factory=list)        # paragraphs
    closing_lines: list[tuple[str, Span]] = field(default_factory=list)


def is_motto(line: str) -> bool:
    return bool(lexicon.MOTTO_RE.match(line) or lexicon.MOTTO_LOOSE_RE.match(line))


def _is_header_line(line: str) -> bool:
    """A line that belongs to the first-page header block."""
    if is_motto(line) or RULE.match(line) or NUMBER_LINE.match(line) or ("ngày" in line and _DATE_LINE.match(line)):
        return True
    return len(line) < 90 and line.upper() == line and any(c.isalpha() for c in line)


def _closing_start(lines: list[str], start: int) -> int:
    """Index of the first line of the closing block (Nơi nhận / signature)."""
    for i in range(start, len(lines)):
        line = lines[i]
        if NOI_NHAN.match(line):
            return i
        if lexicon.AUTHORITY_RE.match(line) and len(line) < 80:
            return i
    # a bare signer title ("CHỦ TỊCH") near the end
    for i in range(max(start, len(lines) - 12), len(lines)):
        if lines[i].strip(" .:") in lexicon.SIGNER_TITLES:
            return i
    return len(lines)


def segment(text: str, wrapped: bool | None = None) -> Layout:
    """Split cleaned text into zones. `wrapped` says the lines were broken by a
    text converter (PDF, seed 000) rather than being real paragraphs (docx); None
    guesses from the line lengths and endings."""
    raw, furn = furniture.strip(text.split("\n"), header_part)
    raw = _split_motto([ln.rstrip() for ln in raw])
    hs = header_start([ln.strip().strip("|").strip() for ln in raw])
    lines = raw[:hs] + _uncolumn(raw[hs:])
    lines = [ln.strip().strip("|").strip() for ln in lines]
    n = len(lines)
    layout = Layout(furniture=furn, moved_preamble=hs)
    out: list[str] = []
    pos = 0

    def emit(line: str) -> Span:
        nonlocal pos
        span = (pos, pos + len(line))
        out.append(line)
        pos += len(line) + 1
        return span

    def header(line: str) -> None:
        layout.header_lines.append((line, emit(line)))

    i = hs
    # --- header, heading + title, recipients: a small state machine over the top lines
    while i < n:
        ln = lines[i]
        if not ln or RULE.match(ln) or furniture.is_page_number(ln):
            i += 1            # a page number the header columns were laid out around
            continue
        if KINH_GUI.match(ln) and not layout.recipients:
            i = _recipients(lines, i, layout, emit, header)
            continue
        if layout.heading is None and not layout.recipients and heading_type(ln):
            nxt = next((x for x in lines[i + 1:i + 4] if x and not RULE.match(x)), "")
            if NUMBER_LINE.match(nxt) or is_motto(nxt):   # "VĂN BẢN HỢP NHẤT" where the issuer stands
                header(ln)
                i += 1
                continue
            layout.heading = (ln, emit(ln))
            i = _title(lines, i + 1, layout, emit)
            continue
        if VV_LINE.match(ln):
            parts = [ln]
            i += 1
            while i < n and lines[i] and not _is_header_line(lines[i]) and not KINH_GUI.match(lines[i]) \
                    and not lexicon.IMPLEMENT_OPENER_RE.match(lines[i]):
                parts.append(lines[i])
                i += 1
            header(" ".join(parts))
            continue
        if _CITING_LINE.match(ln) and not NUMBER_LINE.match(ln):
            break     # a consolidated text's opening: "Nghị định số 170/2025/NĐ-CP ngày … được sửa đổi …"
        if lexicon.IMPLEMENT_OPENER_RE.match(ln) or _MARKER.match(ln):
            k = _kinh_gui_ahead(lines, i) if not layout.recipients else None
            if k is None:
                break
            # "Căn cứ …" printed above "Kính gửi:": the basis belongs to the body,
            # the recipients still follow
            for para in join_lines(lines[i:k], wrapped=False):
                layout.body.append((para, emit(para)))
            i = k
            continue
        if _is_header_line(ln):
            header(ln)
            i += 1
            continue
        break

    # --- body and closing
    closing_i = _closing_start(lines, i)
    body_lines = lines[:hs] + lines[i:closing_i]
    layout.end_header = end_header(lines, max(i, n - END_REACH))
    if wrapped is None:
        wrapped = looks_wrapped(body_lines)
    if wrapped:     # page numbers of converted pages: "2", "- 3 -", "Trang 4"
        body_lines = [ln for ln in body_lines if not furniture.is_page_number(ln)]
    for para in join_lines(body_lines, wrapped=wrapped):
        layout.body.append((para, emit(para)))
    for ln in _join_closing(lines[closing_i:]):
        layout.closing_lines.append((ln, emit(ln)))
    layout.text = "\n".join(out)
    return layout


_HEADER_PART = re.compile(r"CỘNG\s+H(?:ÒA|OÀ|OA)\s+XÃ\s+HỘI|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\s*[-–—]")
HEADER_SPREAD = 10         # lines between two parts of one header block (a long V/v between Số and motto)
PREAMBLE_REACH = 60        # non-blank lines a misplaced header block may stand below the top


def header_part(line: str) -> bool:
    """A line that belongs to a header block wherever it stands: the Số line, the
    motto (also glued to the issuer column), the place-date line."""
    return bool(NUMBER_LINE.match(line) or ("ngày" in line and _DATE_LINE.match(line)) or _HEADER_PART.search(line))


def header_start(lines: list[str]) -> int:
    """Where the header block starts when it does not open the text: a text layer
    that puts the `Căn cứ …` preamble first, a line nobody recognises, or the end of
    the previous document on a shared Gazette page. The block is found by its parts —
    a Số line or a motto with another part within a few lines — and starts at the
    issuer lines just above them. 0 when the text opens with it."""
    content = [k for k, ln in enumerate(lines) if ln and not RULE.match(ln)]
    if not content:
        return 0
    first = lines[content[0]]
    opens_with_header = bool(_is_header_line(first) or heading_type(first) or KINH_GUI.match(first)
                             or VV_LINE.match(first)) and not lexicon.IMPLEMENT_OPENER_RE.match(first)
    for pos, k in enumerate(content[:PREAMBLE_REACH + 8]):
        ln = lines[k]
        if not (NUMBER_LINE.match(ln) or _HEADER_PART.search(ln)):
            continue
        near = content[max(0, pos - HEADER_SPREAD):pos + HEADER_SPREAD + 1]
        if sum(1 for j in near if header_part(lines[j])) < 2:
            continue
        if pos > PREAMBLE_REACH:
            return 0
        j = pos
        while j > 0 and _is_header_line(lines[content[j - 1]]) and not lexicon.IMPLEMENT_OPENER_RE.match(
                lines[content[j - 1]]):
            j -= 1
        if j == 0 or (opens_with_header and not any(_ends_document(lines[c]) for c in content[:j])):
            return 0
        return content[j]
    return 0


def _ends_document(line: str) -> bool:
    """A line of a closing block: what the end of a previous document leaves above a header."""
    return bool(NOI_NHAN.match(line) or lexicon.AUTHORITY_RE.match(line) or line.rstrip().endswith("./."))


END_REACH = 40             # how far from the end a consolidated text's own number stands
_SPLIT_COLUMNS = re.compile(r"\s{3,}|\t+")


def end_header(lines: list[str], start: int) -> list[str]:
    """A consolidated text's own `Số: …/VBHN-…` and place-date lines, near the
    certifying line (`XÁC THỰC VĂN BẢN HỢP NHẤT`) at its end; side-by-side columns
    are split. Empty when the text has no such block."""
    tail = list(range(start, len(lines)))
    marks = [k for k in tail if lexicon.CONSOLIDATION_RE.search(lines[k])]
    if not marks:
        if not any(NUMBER_LINE.match(p) and "VBHN" in p for k in tail if "VBHN" in lines[k]
                   for p in _SPLIT_COLUMNS.split(lines[k])):
            return []
        near = tail
    else:
        near = [k for k in tail if abs(k - marks[-1]) <= 10]
    found: list[str] = []
    number = date = None
    for k in near:
        for part in _SPLIT_COLUMNS.split(lines[k]):
            part = part.strip()
            if number is None and NUMBER_LINE.match(part):
                number = part
            elif date is None and _PLACE_DATE.match(part):
                date = part
    found = [x for x in (number, date) if x]
    return found if number else []


_MOTTO_PREFIX = re.compile(
    r"^\s*(CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\s*[-–—]+\s*Tự do\s*[-–—]+\s*Hạnh phúc)\s+(\S.*)$")


# the motto after the issuer on one line, one space between (a text layer read row by row):
# "CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "------- Độc lập - Tự do - Hạnh phúc"
_MOTTO_SUFFIX = re.compile(
    r"^\s*(\S.{0,80}?)\s+(CỘNG H(?:ÒA|OÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM"
    r"|Độc lập\s*[-–—]+\s*Tự do\s*[-–—]+\s*Hạnh phúc)\s*$")
# ... and the place-date after a V/v line: "V/v lấy ý kiến … Hà Nội, ngày 18 tháng 9 năm 2025" (only there:
# "Thành phố Hồ Chí Minh, ngày …" alone is one place)
# (the text before the place ends in a lower-case word or a mark, so a place is never cut in two)
_DATE_SUFFIX = re.compile(r"^\s*(\S.*(?:\s[^\W\d%s_]\S*|[^\w\s.]))\s+((?:[%s][\w.]*\s){0,3}[%s][\w.]*,"
                          r"\s*ngày\s+[\d. …]*\s*tháng\s+[\d. …]*\s*năm\s+\d{4})\s*$" % (UPPER, UPPER, UPPER))
HEADER_LINES_GLUED = 25      # how far down a header row may hold both columns
_MOTTO_WORD = "CỘNG"          # in both _MOTTO_SUFFIX mottos but "Độc lập …"


def _split_motto(lines: list[str]) -> list[str]:
    """A motto glued to the next header line by a PDF extractor
    (`Độc lập - Tự do - Hạnh phúc Hà Nội, ngày 15 …`), or to the issuer before it
    (`CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`), becomes two lines."""
    out: list[str] = []
    for i, ln in enumerate(lines):
        s = None
        if i < HEADER_LINES_GLUED:
            # the motto's words looked up first (_MOTTO_SUFFIX tries every cut of a line's first
            # 80 characters), and the column gap only in a line that would be split
            s = (((_MOTTO_WORD in ln or "Độc lập" in ln) and _MOTTO_SUFFIX.match(ln))
                 or (VV_LINE.match(ln.lstrip()) and _DATE_SUFFIX.match(ln)))
            if s and _GAP.search(ln):
                s = None
        if s and not NUMBER_LINE.match(s.group(2)):
            out.append(s.group(1))
            ln = s.group(2)
        m = _MOTTO_PREFIX.match(ln) if i < 40 else None
        for _ in range(_MAX_MOTTOS):      # bounded: a line of the motto repeated was cut
            if not m:                     # one copy at a time, each cut copying the rest (quadratic)
                break
            out.append(m.group(1))
            ln = m.group(2)
            m = _MOTTO_PREFIX.match(ln)
        out.append(ln)
    return out


_MAX_MOTTOS = 4


_GAP = re.compile(r"\S(\s{3,})\S")


def _uncolumn(lines: list[str]) -> list[str]:
    """Undo a two-column header printed side by side on the same lines (antiword,
    plain-text exports): `ỦY BAN NHÂN DÂN     CỘNG HÒA XÃ HỘI …`. Within the top
    block, left-column parts come first, then right-column parts, so that the
    issuer lines stay together and the date line follows the motto."""
    top = 0
    for i, ln in enumerate(lines[:40]):
        s = ln.strip()
        if KINH_GUI.match(s) or lexicon.IMPLEMENT_OPENER_RE.match(s) or doctypes.heading_type(s):
            break
        top = i + 1
    block = lines[:top]
    splits = [_column_gap(ln.strip()) for ln in block]
    if not any(splits):
        return lines
    left: list[str] = []
    right: list[str] = []
    for ln, gap in zip(block, splits):
        s = ln.strip()
        if gap:
            left.append(s[:gap[0]])
            right.append(s[gap[1]:])
        elif len(ln) - len(ln.lstrip()) >= 20:
            right.append(s)
        else:
            left.append(s)
    return left + right + lines[top:]


def heading_type(line: str) -> str | None:
    """The type a heading line names: the whole line (`KẾ HOẠCH`) or, for an upper-case
    heading that runs on (`BÁO CÁO KIỂM ĐIỂM`, `ĐIỀU LỆ HIỆP HỘI …`), its first words."""
    t = doctypes.heading_type(line)
    if t or not line.isupper() or NUMBER_LINE.match(line) or is_motto(line):
        return t
    words = line.split()
    for k in (3, 2, 1):
        if len(words) > k:
            t = doctypes.heading_type(" ".join(words[:k]))
            if t:
                return t
    return None


_PLACE_DATE = re.compile(r"^[^\s/,][^,]{0,40}?,\s*ngày\b")


_MAX_RIGHT_COLUMN = 300
_SPACE_RUN = re.compile(r"\s{3,}")


def _column_gap(s: str) -> tuple[int, int] | None:
    """Where a side-by-side line splits: the gap before a right-column item (motto,
    `Place, ngày …`), not the blank of a draft number or a blank day."""
    for g in _SPACE_RUN.finditer(s):
        if len(s) - g.end() > _MAX_RIGHT_COLUMN:
            continue        # a right-column item is short; slicing the rest at every gap was quadratic
        rest = s[g.end():]
        if g.start() > 0 and (is_motto(rest) or (_PLACE_DATE.match(rest) and not _SPACE_RUN.search(rest.split(",")[0]))):
            return g.start(), g.end()
    return None


def _kinh_gui_ahead(lines: list[str], i: int, reach: int = 8) -> int | None:
    """Index of a `Kính gửi` line within the next few lines, before any list item."""
    seen = 0
    for k in range(i + 1, len(lines)):
        ln = lines[k]
        if not ln:
            continue
        if KINH_GUI.match(ln):
            return k
        seen += 1
        if _MARKER.match(ln) or seen >= reach:
            return None
    return None


def looks_wrapped(lines: list[str]) -> bool:
    """Were these lines broken at a fixed width by a converter (PDF text, seed 000)?
    Most long lines then end mid-sentence; real paragraphs end with punctuation."""
    long = [ln for ln in lines if len(ln) >= 40]
    if len(long) < 4:
        return False
    open_end = sum(1 for ln in long if not ends_sentence(ln))
    return open_end / len(long) >= 0.5


def _title(lines: list[str], i: int, layout: Layout, emit) -> int:
    """Title lines under a type heading, up to a blank line, Kính gửi or the body."""
    n = len(lines)
    parts: list[str] = []
    while i < n:
        ln = lines[i]
        if not ln:
            if parts:
                nxt = next((x for x in lines[i + 1:i + 3] if x), "")
                if not nxt or not nxt[0].islower():
                    break
            i += 1
            continue
        if KINH_GUI.match(ln) or lexicon.IMPLEMENT_OPENER_RE.match(ln) or _MARKER.match(ln) or RULE.match(ln):
            break
        if parts and ln.isupper() and not parts[-1].isupper():
            break          # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" above the Căn cứ lines
        parts.append(ln)
        i += 1
    if parts:
        title = " ".join(parts)
        layout.title = (title, emit(title))
    return i


def _recipients(lines: list[str], i: int, layout: Layout, emit, header) -> int:
    """`Kính gửi:` and its list. Header lines linearised after it (the right column
    of a header table: motto, date) go back to the header."""
    n = len(lines)
    first = lines[i]
    items = [[first]]        # each item's lines, joined at the end (no quadratic "+=")
    rest = KINH_GUI.sub("", first).strip()
    i += 1
    expect_one = not rest          # "Kính gửi:" alone: at least one line follows
    while i < n:
        ln = lines[i]
        if not ln:
            i += 1
            continue
        if _MARKER.match(ln) or lexicon.IMPLEMENT_OPENER_RE.match(ln):
            break
        if _is_header_line(ln) and not LIST_ITEM.match(ln):
            header(ln)
            i += 1
            continue
        wrapped_item = (len(items) > 1 and LIST_ITEM.match(items[-1][0])
                        and not items[-1][-1].rstrip().endswith((";", ".", ":")))
        if LIST_ITEM.match(ln) or ln[0].islower() or wrapped_item or (
                expect_one and not lexicon.IMPLEMENT_OPENER_RE.match(ln) and not _MARKER.match(ln)):
            if (ln[0].islower() or wrapped_item) and not LIST_ITEM.match(ln) and items:
                items[-1].append(ln)
            else:
                items.append([ln])
            expect_one = False
            i += 1
            continue
        break
    for parts in items:
        it = " ".join(parts)
        layout.recipients.append((it, emit(it)))
    return i


def _join_closing(lines: list[str]) -> list[str]:
    """Closing lines stay separate, except a distribution item continued on the next line."""
    out: list[list[str]] = []       # each closing line's parts, joined at the end
    for raw in lines:
        ln = raw.strip()
        if not ln:
            continue
        if out and (ln[0].islower() or (out[-1][0].startswith("-") and not out[-1][-1].endswith((";", ".", ":"))
                                         and not LIST_ITEM.match(ln) and not ln.isupper())):
            out[-1].append(ln)
        else:
            out.append([ln])
    return [" ".join(parts) for parts in out]
