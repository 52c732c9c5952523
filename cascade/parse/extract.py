"""Extract the header and closing fields of a segmented document.

number and symbol, date (partial dates kept partial), place, issuer (via the registry),
document type, subject (V/v) or title, recipients (Kính gửi), distribution (Nơi nhận),
signer and authority lines.
"""
from __future__ import annotations

import re

from cascade import doctypes, registry
from cascade.models import Issuer, Signer
from cascade.parse import lexicon
from cascade.text import UPPER
from cascade.parse.segment import KINH_GUI, Layout, heading_type, is_motto, NUMBER_LINE, VV_LINE, NOI_NHAN, LIST_ITEM, RULE

# "Số: 432/UBND-VHXXH", "Số:      /UBND-NC", "Số: 223 /STP-BTTP", "Số 57-NQ/TW"
_NUMBER = re.compile(r"^S[ốố]\s*[:.]?\s*(?P<num>[0-9]{0,6}[a-z]?)\s*(?P<sep>[/-])?\s*(?P<sym>[^\s,;]*)")
# the place may end in spaces (stripped below): no "\s*" of its own before the comma, and no
# two optional whitespace runs side by side — on a header line of spaces each split of the run
# between them was tried (quadratic)
_DATE = re.compile(
    r"(?:(?P<place>[^\n,]{1,60}?),\s*)?ngày\s*(?:(?P<d>\d{1,2})\s*)?(?:tháng|/)\s*(?:(?P<m>\d{1,2})\s*)?(?:năm|/)\s*(?P<y>\d{4})?")
_DATE_NUMERIC = re.compile(r"(?:(?P<place>[^\n,]{1,60}?),\s*)?ngày\s*(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})")
# each name word whole ((?!\w)): "[A-Z]\w*" could split a long capital word at every capital
# letter, 2–6 ways (exponential on "AAAA…!")
_NAME = re.compile(r"^(?:[%s]\w*(?!\w)\.?\s?){2,6}$" % UPPER)
_TRAIL = " ;,.:"


def iso_date(d, m, y) -> str | None:
    """ISO date from day/month/year strings; partial when the day or month is blank."""
    if not y:
        return None
    y = int(y)
    if not (1900 <= y <= 2100):
        return None
    if not m:
        return f"{y:04d}"
    m = int(m)
    if not 1 <= m <= 12:
        return f"{y:04d}"
    if not d:
        return f"{y:04d}-{m:02d}"
    d = int(d)
    if not 1 <= d <= 31:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


_NUMBER_PREFIX = re.compile(r"^(?:[^\W\d_][\w ]{0,30}?\s+)?[Ss][ốốỐ]\s*[:.]?\s*")
# running number: digits, a dotted sub-number (45.3/2025/NQ-CP) or a letter (12a/2024/…)
_NUMBER_BODY = re.compile(r"^(?P<num>\d{1,6}(?:\.\d{1,3})?[a-zđA-Z]?)?(?P<sep>[/-])?(?P<sym>[^\s,;]*)")
_SYMBOL_GO_ON = re.compile(r"^[%s0-9][%s0-9&]*(?:-[%s0-9&]+)*$" % (UPPER, UPPER, UPPER))
_COLUMN_GAP = re.compile(r"\s{3,}|\t")


# (?<!\s): from the first space of a run only (tried from every space, a long run of spaces
# without a separator was quadratic)
_SPACED_SEPARATOR = re.compile(r"(?<!\s)\s*([/-])\s*")


def number_and_symbol(header_lines: list[str]) -> tuple[str | None, str | None]:
    """`Số: 432/UBND-VHXXH` → (432/UBND-VHXXH, UBND-VHXXH); a blank draft number
    `Số:      /UBND-NC` → (None, UBND-NC); stray spaces (`223 /STP-BTTP`,
    `/TTr- CAT-PC04`) are closed up. Also `Nghị quyết số: 12/2023/UBTVQH15`, a dotted
    `45.3/2025/NQ-CP`, and a joint symbol wrapped after a hyphen onto the next line
    (`02/2021/TTLT-BCA-BQP-` / `BTC-BYT`)."""
    for k, ln in enumerate(header_lines):
        if not NUMBER_LINE.match(ln):
            continue
        ln = _COLUMN_GAP.split(ln.strip())[0] if not re.match(r"^S[ốố]\s*:?\s{3,}/", ln) else ln
        rest = _NUMBER_PREFIX.sub("", ln, count=1)
        rest = _SPACED_SEPARATOR.sub(r"\1", rest.strip())
        nxt = header_lines[k + 1].strip() if k + 1 < len(header_lines) else ""
        if rest.endswith("-") and _SYMBOL_GO_ON.match(nxt):
            rest += nxt
        m = _NUMBER_BODY.match(rest)
        num, sep, sym = m.group("num"), m.group("sep"), m.group("sym").strip(_TRAIL)
        if not num:
            return None, (sym or None) if sep else None
        if not sep:
            return num, None
        number = f"{num}{sep}{sym}"
        # the symbol is what follows the slash: 432/UBND-VHXXH → UBND-VHXXH,
        # 133-12/PT-NC → PT-NC, 57-NQ/TW → TW
        symbol = number.split("/", 1)[1] if "/" in number else sym
        return number, symbol or None
    return None, None


_NUMBER_TOKEN = re.compile(r"^.*?[Ss][ốố]\s*[:.]?\s*[^\s,;]*(?:\s*/\s*[^\s,;]+)?\s*")
_PLACE_DATE_START = re.compile(r"^[^\s/,\d][^,]{0,40}?,\s*ngày\b")


def date_and_place(header_lines: list[str]) -> tuple[str | None, str | None]:
    for ln in header_lines:
        if "ngày" not in ln or VV_LINE.match(ln):
            continue
        if NUMBER_LINE.match(ln):      # "Số: 45/2025/NĐ-CP Hà Nội, ngày 10 …" read row by row
            ln = _NUMBER_TOKEN.sub("", ln, count=1)
            if not _PLACE_DATE_START.match(ln):
                continue
        m = _DATE_NUMERIC.search(ln) or _DATE.search(ln)
        if not m:
            continue
        date = iso_date(m.group("d"), m.group("m"), m.group("y"))
        place = (m.group("place") or "").strip(_TRAIL) or None
        if place and (is_motto(place) or len(place.split()) > 6):
            place = None
        if date or place:
            return date, place
    return None, None


def subject(header_lines: list[str]) -> str | None:
    for ln in header_lines:
        if VV_LINE.match(ln):
            s = re.sub(r"^(?:V/v|V/V|v/v|Về việc|Về)\s*[:.]?\s*", "", ln).strip()
            return s.rstrip(_TRAIL) or None
    return None


# real issuer blocks have 1–4 lines; the registry re-reads the lines above each new one, so an
# unbounded run of capital lines (thousands of "A") cost quadratic time
MAX_ISSUER_LINES = 8


def issuer_lines(header_lines: list[str]) -> list[str]:
    """The issuing body's lines: upper-case lines at the top, before Số / motto / date.
    A Gazette group heading above them is not one: `CHÍNH PHỦ` over `CHÍNH PHỦ`,
    `CHỦ TỊCH NƯỚC - QUỐC HỘI` over `CHỦ TỊCH NƯỚC`."""
    out = _issuer_run(header_lines)
    while len(out) > 1 and _group_heading(out[0], out[1:]):
        out = out[1:]
    return out


def _group_heading(first: str, rest: list[str]) -> bool:
    """Is `first` the Gazette's heading of the issuers' group above the issuer lines
    `rest`: the same name (on one line or over several), or a `A - B` group naming it?"""
    squash = lambda s: " ".join(s.split())
    joined = [squash(" ".join(rest[:k])) for k in range(1, len(rest) + 1)]
    if squash(first) in joined:
        return True
    parts = [p.strip() for p in re.split(r"\s[-–]\s", first)]
    return len(parts) > 1 and any(p in joined for p in parts)


def _issuer_run(header_lines: list[str]) -> list[str]:
    out = []
    for ln in header_lines:
        if NUMBER_LINE.match(ln) or VV_LINE.match(ln) or "ngày" in ln:
            break
        if is_motto(ln) or RULE.match(ln):
            continue
        letters = [c for c in ln if c.isalpha()]
        if letters and ln.upper() == ln:
            out.append(ln.strip(_TRAIL + "-–—_"))
            if len(out) >= MAX_ISSUER_LINES:
                break
        elif out:
            break
    return [x for x in out if x]


def issuer(layout: Layout) -> Issuer:
    lines = issuer_lines([ln for ln, _ in layout.header_lines])
    if lines:
        found = registry.parse_issuer(lines)
        if found and (found.level or found.unit):
            return found
    # no header: read the issuer from the body ("UBND thị xã yêu cầu …")
    paras = [p for p, _ in layout.body] + [p for p, _ in layout.closing_lines]
    for p in paras:
        m = lexicon.NO_HEADER_ISSUER_RE.search(p)
        if m:
            found = registry.parse_issuer_phrase(m.group(0))
            if found and (found.level or found.unit):
                found.inferred = True
                return found
    return Issuer(name=" ".join(lines) or None)


def issuer_from_symbol(symbol: str | None) -> Issuer | None:
    """The issuing body a symbol names (`VBHN-NĐ-BNV` → Bộ Nội vụ), for a header whose
    top-left line is no issuer (a consolidated text prints `VĂN BẢN HỢP NHẤT` there)."""
    body = registry.symbol_issuer(symbol)
    if body is None or body.level not in ("central", "province", "district", "commune"):
        return None
    return Issuer(name=body.name, level=body.level, unit=None if body.unit == "*" else body.unit)


def doc_type(layout: Layout, symbol: str | None) -> str | None:
    code = re.sub(r"^\d{4}/", "", symbol or "").split("-")[0].split("/")[0]     # 2026/VBHN-NĐ-BNV → VBHN
    code_type = doctypes.type_from_code(code) if code else None
    if code_type in lexicon.TYPES_OVER_HEADING:
        return code_type              # 26/VBHN-NHNN under the heading THÔNG TƯ it consolidates
    if layout.heading:
        t = heading_type(layout.heading[0])
        if t:
            return t
    if symbol:
        code = symbol.split("-")[0].split("/")[0]
        t = doctypes.type_from_code(code)
        if t:
            return t
    header = [ln for ln, _ in layout.header_lines]
    for ln in header:                 # "Nghị quyết số: 12/2023/UBTVQH15"
        m = _TYPED_NUMBER.match(ln)
        if m and NUMBER_LINE.match(ln):
            t = doctypes.type_from_name(m.group(1))
            if t:
                return t
    if layout.recipients or any(VV_LINE.match(ln) for ln in header):
        return "công văn"
    return None


# (?<!\s): the name ends at a non-space, so the run of spaces before "số" is read once (tried
# from every space of a long run it was quadratic)
_TYPED_NUMBER = re.compile(r"^(.+?)(?<!\s)\s+(?:số|SỐ)\s*:")


def recipients(layout: Layout) -> list[str]:
    out = []
    for item, _ in layout.recipients:
        item = KINH_GUI.sub("", item).strip()
        # several items on one line: "- A; - B" (a dash inside an item, "chính trị - xã hội", stays)
        for part in re.split(r"^[-–—+•]\s+|;\s*[-–—+•]\s+", item):
            part = LIST_ITEM.sub("", part.strip()).strip(_TRAIL)
            if part:
                out.append(part)
    return out


def closing(layout: Layout) -> tuple[list[str], Signer]:
    """Distribution list (Nơi nhận) and the signer with the authority lines above the name."""
    distribution: list[str] = []
    dist_more: list[list[str]] = []      # lines continuing each distribution item
    authority: list[str] = []
    name = None
    in_dist = False
    for ln, _ in layout.closing_lines:
        if NOI_NHAN.match(ln):
            in_dist = True
            rest = NOI_NHAN.sub("", ln).strip()
            if rest:
                distribution.append(LIST_ITEM.sub("", rest).strip(_TRAIL))
                dist_more.append([])
            continue
        if lexicon.AUTHORITY_RE.match(ln) or ln.strip(_TRAIL) in lexicon.SIGNER_TITLES:
            in_dist = False
            if name:           # a second signature block: keep the first
                continue
            authority.append(ln.strip(_TRAIL))
            continue
        if in_dist and (LIST_ITEM.match(ln) or not authority):
            if LIST_ITEM.match(ln):
                distribution.append(LIST_ITEM.sub("", ln).strip(_TRAIL))
                dist_more.append([])
            elif distribution:
                dist_more[-1].append(ln.strip(_TRAIL))     # joined below: no quadratic "+="
            continue
        ln = lexicon.RANK_RE.sub("", ln)     # "Thiếu tướng Trương Minh Đương"
        if authority and not name and _NAME.match(ln.strip()) and not ln.isupper():
            name = ln.strip(_TRAIL)
        elif authority and not name and ln.isupper() and len(ln) < 60 and lexicon.TITLE_WORD_RE.search(ln):
            authority.append(ln.strip(_TRAIL))
        elif authority and not name and ln.isupper() and _NAME.match(ln.strip()) and len(ln.split()) <= 5:
            name = ln.strip(_TRAIL).title()     # a name printed in capitals
    distribution = [" ".join([d, *more]) if more else d for d, more in zip(distribution, dist_more)]
    return [d for d in distribution if d], Signer(name=name, authority=authority)
