"""Page furniture: what is printed on the pages but is not the document.

Official Gazette page banners (`CÔNG BÁO/Số 101 + 102/Ngày 15-3-2025`, with the page
number before or after it), the continuation notes between issues, page numbers next
to a page break, e-signature stamps (`Ký bởi: … Email: … Cơ quan: … Thời gian ký: …`,
one line or several, at the top of a forwarded copy or on any page) and the Gazette's
section headings above a header block (`VĂN BẢN QUY PHẠM PHÁP LUẬT`).

`strip(lines)` removes them and says what it found: the stamps with the signing body
and time, and the Gazette issue and date. The patterns are data
(`cascade/data/page_furniture.json`); the PDF loader checks its widget text with the
same stamp patterns.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from cascade.models import Stamp


@lru_cache(maxsize=1)
def _rules() -> dict:
    raw = json.loads(resources.files("cascade.data").joinpath("page_furniture.json").read_text(encoding="utf-8"))

    def any_of(key):
        return re.compile("|".join(f"(?:{p})" for p in raw[key]))

    return {
        "banner": any_of("banners"), "continuation": any_of("continuations"),
        "page_number": any_of("page_numbers"), "stamp_opener": any_of("stamp_openers"),
        "stamp_line": any_of("stamp_lines"), "section": any_of("section_headings"),
        "signer": any_of("stamp_signers"),
        # any line of a text opening a stamp (a line's leading blanks allowed, as strip() does)
        "stamp_anywhere": re.compile("|".join(f"(?:^[^\\S\\n]*{p.removeprefix('^')})" for p in raw["stamp_openers"]),
                                     re.M),
        # a line none of these match is no banner, continuation, stamp opener or section heading:
        # one call instead of four for nearly every line (strip)
        "any_line": re.compile("|".join(f"(?:{p})" for key in ("banners", "continuations", "stamp_openers",
                                                                 "section_headings") for p in raw[key])),
        "issue": re.compile(raw["gazette_issue"]), "body": re.compile(raw["stamp_body"]),
        "time": re.compile(raw["stamp_time"]),
    }


def is_stamp(line: str) -> bool:
    """A line that opens (or is) an e-signature stamp."""
    return bool(_rules()["stamp_opener"].match(line.strip()))


def has_stamp(text: str) -> bool:
    """Whether any line of `text` opens a stamp (one regex pass over a whole page; most
    pages have none, so `take_stamps` need not look at them line by line)."""
    return _rules()["stamp_anywhere"].search(text) is not None


def is_banner(line: str) -> bool:
    return bool(_rules()["banner"].match(line.strip()))


def is_page_number(line: str) -> bool:
    return bool(_rules()["page_number"].match(line.strip()))


def is_furniture(line: str) -> bool:
    """A line that is page furniture wherever it stands: banner, page number, stamp
    line, continuation note, Gazette part heading."""
    s = line.strip()
    r = _rules()
    return bool(s) and any(r[k].match(s) for k in ("banner", "page_number", "stamp_opener", "stamp_line",
                                                   "continuation", "section"))


def stamp_block(lines: list[str], i: int) -> list[int]:
    """Indices of the e-signature stamp opening at line i: the opener (`Ký bởi: …`) and
    the stamp lines under it (`Email: …`, `Cơ quan: …`, `Thời gian ký: …`), blank lines
    between them skipped; [] when line i opens no stamp."""
    r = _rules()
    if not r["stamp_opener"].match(lines[i].strip()):
        return []
    block = [i]
    j = i + 1
    while j < len(lines):
        t = lines[j].strip()
        if t and not (r["stamp_line"].match(t) and not r["signer"].match(t)):
            break
        if t:
            block.append(j)
        j += 1
    return block


def take_stamps(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines without their e-signature stamps, and each stamp on one line."""
    kept: list[str] = []
    stamps: list[str] = []
    i = 0
    while i < len(lines):
        block = stamp_block(lines, i)
        if not block:
            kept.append(lines[i])
            i += 1
            continue
        stamps.append(" ".join(lines[k].strip() for k in block))
        i = block[-1] + 1
    return kept, stamps


@dataclass
class Furniture:
    stamps: list[Stamp] = field(default_factory=list)
    banners: list[str] = field(default_factory=list)
    gazette_issue: str | None = None        # "101 + 102"
    gazette_date: str | None = None         # ISO date of the issue
    dropped: int = 0                        # lines removed


def read_stamp(text: str) -> Stamp:
    """The signing body and time a stamp names: `Ký bởi: Cổng Thông tin điện tử Chính phủ
    Email: … Cơ quan: Văn phòng Chính phủ Thời gian ký: 16.03.2015 11:02:35 +07:00` →
    body `Văn phòng Chính phủ` (the office, `Cơ quan`, over the signing account), time
    `2015-03-16T11:02:35`."""
    r = _rules()
    bodies = {}
    for m in r["body"].finditer(text):
        label = m.group(0).split(":")[0].split(";")[0].strip()
        bodies.setdefault(label, m.group("body").strip(" ,.;"))
    body = bodies.get("Cơ quan") or bodies.get("Tổ chức") or next(iter(bodies.values()), None)
    when = None
    m = r["time"].search(text)
    if m:
        if m.group("y"):
            y, mo, d, t = m.group("y"), m.group("m"), m.group("d"), m.group("t")
        else:
            y, mo, d, t = m.group("y2"), m.group("m2"), m.group("d2"), m.group("t2")
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            when = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}" + (f"T{t}" if t else "")
    return Stamp(text=" ".join(text.split()), body=body or None, time=when)


def strip(lines: list[str], header_parts) -> tuple[list[str], Furniture]:
    """Lines without page furniture, and what was removed. `header_parts(line)` says
    whether a line is part of a header block (Số line, motto, place-date): a Gazette
    section heading is dropped only when a header block follows it."""
    r = _rules()
    out: list[str] = []
    info = Furniture()
    n = len(lines)
    breaks: list[int] = []          # indices (into lines) of banners and form feeds
    drop = [False] * n
    stripped = [ln.strip() for ln in lines]       # once: each loop below reads them
    i = 0
    while i < n:
        s = stripped[i]
        if not s:
            i += 1
            continue
        if "\f" in lines[i] and not s.replace("\f", "").strip():
            breaks.append(i)
            i += 1
            continue
        if not r["any_line"].match(s):
            i += 1
            continue
        if r["banner"].match(s):
            drop[i] = True
            breaks.append(i)
            info.banners.append(s)
            if info.gazette_issue is None:
                m = r["issue"].search(s)
                if m:
                    info.gazette_issue = " ".join(m.group("issue").split())
                    info.gazette_date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
            i += 1
            continue
        if r["continuation"].match(s):
            drop[i] = True
            i += 1
            continue
        block = stamp_block(lines, i)
        if block:
            for k in block:
                drop[k] = True
            info.stamps.append(read_stamp(" ".join(lines[k].strip() for k in block)))
            breaks.append(i)
            i = block[-1] + 1
            continue
        if r["section"].match(s) and _header_follows(lines, i + 1, header_parts):
            drop[i] = True
        i += 1
    # page numbers: next to a banner, a stamp or a form feed, or before the first text
    first_text = next((k for k in range(n) if stripped[k] and not drop[k]), n)
    # non-blank lines up to each line, counted once: the distance from a break to a line is then a
    # difference of two counts, and the breaks within two non-blank lines are found by bisection
    # (walking the lines between every page number and every break was cubic on a long Gazette)
    cum, seen = [], 0
    for s in stripped:
        seen += bool(s)
        cum.append(seen)
    at_break = sorted(cum[b] for b in breaks)
    for k in range(n):
        s = stripped[k]
        if drop[k] or not s or not r["page_number"].match(s):
            continue
        if k < first_text + 1 and _only_numbers_before(lines, k, drop, r):
            drop[k] = True
        elif bisect_right(at_break, cum[k] + 2) > bisect_left(at_break, cum[k] - 2):
            drop[k] = True
    for k in range(n):
        if drop[k]:
            info.dropped += 1
        else:
            out.append(lines[k].replace("\f", ""))
    return out, info


def _only_numbers_before(lines, k, drop, r) -> bool:
    return all(drop[j] or not lines[j].strip() or r["page_number"].match(lines[j].strip()) for j in range(k))


def _header_follows(lines, i: int, header_parts, reach: int = 8) -> bool:
    seen = 0
    for j in range(i, len(lines)):
        s = lines[j].strip()
        if not s:
            continue
        if header_parts(s):
            return True
        seen += 1
        if seen >= reach:
            return False
    return False
