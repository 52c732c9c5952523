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
from cascade.parse.normalise import UPPER
from cascade.parse.segment import _KINH_GUI, Layout, heading_type, is_motto, _NUMBER_LINE, _VV_LINE, _NOI_NHAN, _LIST_ITEM, _RULE

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


_NUMBER_PREFIX = re.compile(r"^S[ốố]\s*[:.]?\s*")
_NUMBER_BODY = re.compile(r"^(?P<num>\d{1,6}[a-zđ]?)?(?P<sep>[/-])?(?P<sym>[^\s,;]*)")


# (?<!\s): from the first space of a run only (tried from every space, a long run of spaces
# without a separator was quadratic)
_SPACED_SEPARATOR = re.compile(r"(?<!\s)\s*([/-])\s*")


def number_and_symbol(header_lines: list[str]) -> tuple[str | None, str | None]:
    """`Số: 432/UBND-VHXXH` → (432/UBND-VHXXH, UBND-VHXXH); a blank draft number
    `Số:      /UBND-NC` → (None, UBND-NC); stray spaces (`223 /STP-BTTP`,
    `/TTr- CAT-PC04`) are closed up."""
    for ln in header_lines:
        if not _NUMBER_LINE.match(ln):
            continue
        rest = _NUMBER_PREFIX.sub("", ln, count=1)
        rest = _SPACED_SEPARATOR.sub(r"\1", rest.strip())
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


def date_and_place(header_lines: list[str]) -> tuple[str | None, str | None]:
    for ln in header_lines:
        if "ngày" not in ln or _NUMBER_LINE.match(ln) or _VV_LINE.match(ln):
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
        if _VV_LINE.match(ln):
            s = re.sub(r"^(?:V/v|V/V|v/v|Về việc|Về)\s*[:.]?\s*", "", ln).strip()
            return s.rstrip(_TRAIL) or None
    return None


# real issuer blocks have 1–4 lines; the registry re-reads the lines above each new one, so an
# unbounded run of capital lines (thousands of "A") cost quadratic time
MAX_ISSUER_LINES = 8


def issuer_lines(header_lines: list[str]) -> list[str]:
    """The issuing body's lines: upper-case lines at the top, before Số / motto / date."""
    out = []
    for ln in header_lines:
        if _NUMBER_LINE.match(ln) or _VV_LINE.match(ln) or "ngày" in ln:
            break
        if is_motto(ln) or _RULE.match(ln):
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


def doc_type(layout: Layout, symbol: str | None) -> str | None:
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
    if layout.recipients or any(_VV_LINE.match(ln) for ln in header):
        return "công văn"
    return None


def recipients(layout: Layout) -> list[str]:
    out = []
    for item, _ in layout.recipients:
        item = _KINH_GUI.sub("", item).strip()
        # several items on one line: "- A; - B" (a dash inside an item, "chính trị - xã hội", stays)
        for part in re.split(r"^[-–—+•]\s+|;\s*[-–—+•]\s+", item):
            part = _LIST_ITEM.sub("", part.strip()).strip(_TRAIL)
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
        if _NOI_NHAN.match(ln):
            in_dist = True
            rest = _NOI_NHAN.sub("", ln).strip()
            if rest:
                distribution.append(_LIST_ITEM.sub("", rest).strip(_TRAIL))
                dist_more.append([])
            continue
        if lexicon.AUTHORITY_RE.match(ln) or ln.strip(_TRAIL) in lexicon.SIGNER_TITLES:
            in_dist = False
            if name:           # a second signature block: keep the first
                continue
            authority.append(ln.strip(_TRAIL))
            continue
        if in_dist and (_LIST_ITEM.match(ln) or not authority):
            if _LIST_ITEM.match(ln):
                distribution.append(_LIST_ITEM.sub("", ln).strip(_TRAIL))
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
