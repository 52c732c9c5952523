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
from cascade.parse import lexicon
from cascade.parse.normalise import join_lines

Span = tuple[int, int]

_NUMBER_LINE = re.compile(r"^S[ốố]\s*[:.]")
_DATE_LINE = re.compile(r"^[^\n,]{0,60}?,?\s*ngày\b.{0,20}?tháng\b.{0,20}?năm\b")
_VV_LINE = re.compile(r"^(?:V/v|V/V|v/v|Về việc)\b")
_KINH_GUI = re.compile(r"^(?:Kính gửi|KÍNH GỬI|Kính trình)\s*[:.]?")
_LIST_ITEM = re.compile(r"^[-–—+•●▪*]\s*")
_NOI_NHAN = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?")
_RULE = re.compile(r"^[-–—_=.* ]{2,}$")
# a line that starts a task or body item
_MARKER = re.compile(r"^(?:[IVXLC]{1,6}[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s?|[a-zđ]\)\s|Điều\s+\d+)")


@dataclass
class Layout:
    text: str = ""
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
    if is_motto(line) or _RULE.match(line) or _NUMBER_LINE.match(line) or _DATE_LINE.match(line):
        return True
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and line.upper() == line and len(line) < 90


def _closing_start(lines: list[str], start: int) -> int:
    """Index of the first line of the closing block (Nơi nhận / signature)."""
    for i in range(start, len(lines)):
        line = lines[i]
        if _NOI_NHAN.match(line):
            return i
        if lexicon.AUTHORITY_RE.match(line) and len(line) < 80:
            return i
    # a bare signer title ("CHỦ TỊCH") near the end
    for i in range(max(start, len(lines) - 12), len(lines)):
        if lines[i].strip(" .:") in lexicon.SIGNER_TITLES:
            return i
    return len(lines)


def segment(text: str) -> Layout:
    lines = [ln.strip() for ln in text.split("\n")]
    n = len(lines)
    nonblank = [i for i, ln in enumerate(lines) if ln]

    # --- find the landmarks in the top part of the document
    heading_i = kinh_gui_i = first_body_i = None
    for i in nonblank:
        ln = lines[i]
        if kinh_gui_i is None and _KINH_GUI.match(ln):
            kinh_gui_i = i
            continue
        if heading_i is None and kinh_gui_i is None and doctypes.heading_type(ln):
            heading_i = i
            continue
        if lexicon.IMPLEMENT_OPENER_RE.match(ln) or _MARKER.match(ln):
            if kinh_gui_i is not None and i > kinh_gui_i and _LIST_ITEM.match(ln):
                continue
            first_body_i = i
            break
    if first_body_i is None:
        # no opener and no list: body starts after header/heading/recipients
        first_body_i = n

    layout = Layout()
    out: list[str] = []
    pos = 0

    def emit(line: str) -> Span:
        nonlocal pos
        span = (pos, pos + len(line))
        out.append(line)
        pos += len(line) + 1
        return span

    # --- header: lines before the heading / Kính gửi / body, left as lines
    header_end = min(x for x in (heading_i, kinh_gui_i, first_body_i) if x is not None)
    i = 0
    while i < header_end:
        ln = lines[i]
        if ln and _VV_LINE.match(ln):
            # a V/v subject continues over the next non-blank lines that are not header fields
            parts = [ln]
            j = i + 1
            while j < header_end and lines[j] and not _is_header_line(lines[j]) and not _KINH_GUI.match(lines[j]):
                parts.append(lines[j])
                j += 1
            joined = " ".join(parts)
            layout.header_lines.append((joined, emit(joined)))
            i = j
            continue
        if ln:
            layout.header_lines.append((ln, emit(ln)))
        i += 1
    if not layout.header_lines and header_end > 0:
        pass

    # --- heading and title
    cursor = header_end
    if heading_i is not None and heading_i == cursor:
        layout.heading = (lines[heading_i], emit(lines[heading_i]))
        cursor = heading_i + 1
        title_parts = []
        stop = min(x for x in (kinh_gui_i, first_body_i, n) if x is not None and x >= cursor)
        while cursor < stop:
            ln = lines[cursor]
            if not ln:
                if title_parts:
                    # a blank line ends the title unless the next line continues it in lower case
                    nxt = lines[cursor + 1] if cursor + 1 < n else ""
                    if not nxt or not nxt[0].islower():
                        cursor += 1
                        break
                cursor += 1
                continue
            if _RULE.match(ln):
                cursor += 1
                continue
            title_parts.append(ln)
            cursor += 1
        # lines after a blank that are still above the body: an authority line over a
        # Quyết định ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"), kept as header lines
        if title_parts:
            title = " ".join(title_parts)
            layout.title = (title, emit(title))
        while cursor < stop:
            if lines[cursor]:
                layout.header_lines.append((lines[cursor], emit(lines[cursor])))
            cursor += 1

    # --- recipients
    if kinh_gui_i is not None and kinh_gui_i >= cursor and kinh_gui_i < first_body_i:
        for k in range(cursor, kinh_gui_i):
            if lines[k]:
                layout.header_lines.append((lines[k], emit(lines[k])))
        items = join_lines([lines[k] for k in range(kinh_gui_i, first_body_i)])
        for it in items:
            layout.recipients.append((it, emit(it)))
        cursor = first_body_i
    elif cursor < first_body_i:
        for k in range(cursor, first_body_i):
            if lines[k]:
                layout.header_lines.append((lines[k], emit(lines[k])))
        cursor = first_body_i

    # --- body and closing
    closing_i = _closing_start(lines, cursor)
    for para in join_lines(lines[cursor:closing_i]):
        layout.body.append((para, emit(para)))
    for ln in _join_closing(lines[closing_i:]):
        layout.closing_lines.append((ln, emit(ln)))

    layout.text = "\n".join(out)
    return layout


def _join_closing(lines: list[str]) -> list[str]:
    """Closing lines stay separate, except a distribution item continued on the next line."""
    out: list[str] = []
    for raw in lines:
        ln = raw.strip()
        if not ln:
            continue
        if out and (ln[0].islower() or (out[-1].startswith("-") and not out[-1].endswith((";", ".", ":"))
                                         and not _LIST_ITEM.match(ln) and not ln.isupper())):
            out[-1] += " " + ln
        else:
            out.append(ln)
    return out
