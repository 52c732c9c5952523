"""Finding citations: every reference to another document in normalised text, one per occurrence.

Numbered (`73/2023/NĐ-CP`), short (`Nghị định 73`) and un-numbered (`Luật Đất đai`) forms, read
with the patterns of `grammar.py`; issuers written before a citation or shared by coordinated ones.
"""
from __future__ import annotations

import re
from typing import Optional

from cascade import doctypes, registry
from cascade.models import Citation
from cascade.parse.citations.grammar import (
    ABBREVS, ASSOCIATION_HEADS, CAP_FORMS, LOOKBACK, PARTY_TITLE_NEXT, PREFILTER, PREV_WORD, PRE_WINDOW,
    R_BEFORE, R_CAP_TYPE, R_COORDINATION, R_DATE, R_FORM_NUMBER, R_GLUED_FOOTNOTE, R_LAW_YEAR,
    R_ADVISED, R_NAMED_NUMBER_GAP, R_NUMBER, R_OF_PARTY, R_OWN_HEADER, R_PIN_BEFORE, R_PRE_AT, R_PRE_VERB, R_SHORT,
    R_YEAR_ONLY, TRAILING_CONJ, UNNUM_MAX_WORDS, UNNUM_STOP, UPPER, date_from, is_national, iso, make_key,
    names_a_body, pinpoints, read_issuer, read_tail, run_end, squash, type_from_match,
)
from cascade.text import fold


def _numbered(text: str) -> list[Citation]:
    out = []
    for m in R_NUMBER.finditer(text):
        s, e = m.span()
        window_start = max(0, s - LOOKBACK)
        before = text[window_start:s]
        b = R_BEFORE.search(before)
        type_name = None
        start = s
        pins: list[str] = []
        if b:
            tw = b.group("tw")
            start = window_start + (b.start("pin") if b.group("pin") else b.start("tw"))
            pins = pinpoints(b.group("pin"))
            type_name = ABBREVS.get(tw) or doctypes.type_from_name(tw)
        else:
            if R_OWN_HEADER.search(before):
                continue             # the document's own "Số: 432/UBND-VHXXH"
            if R_FORM_NUMBER.search(before):
                continue             # "Mẫu số 01/…", "Phụ lục số 02/…"
        if type_name is None:
            type_name = type_from_match(m)
        # wrapped after the hyphen or slash; U+FFFE is a PDF text layer's hyphen, not writing
        number = m.group("num").replace("\n", "").replace("\ufffe", "-")
        glued = R_GLUED_FOOTNOTE.search(number)
        if glued:                             # "126/2024/NĐ-CP1": footnote mark 1
            e -= len(glued.group(1))
            number = number[: glued.start(1)]
        key = make_key(number)
        year = int(m.group("year")) if m.group("year") and 1900 <= int(m.group("year")) <= 2099 else None
        tail = read_tail(text, m.end())
        if year is None and tail["date"]:
            year = int(tail["date"][:4])
        end = max(e, tail["end"])
        out.append(Citation(
            type=type_name, number=number, key=key, text=text[start:end], start=start, end=end,
            year=year, date=tail["date"], issuer=tail["issuer"], title=tail["title"],
            pinpoints=pins, national=is_national(key),
        ))
    return out


def inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _word_based(text: str, taken: list[tuple[int, int]]) -> list[Citation]:
    """Short forms (`Nghị định 73`) and un-numbered citations (`Luật Đất đai`)."""
    out = []
    taken = sorted(taken)
    ti = 0
    for m in R_CAP_TYPE.finditer(text):
        s, e = m.span()
        if s and (text[s - 1].isalnum() or text[s - 1] in "/_"):
            continue
        while ti < len(taken) and taken[ti][1] <= s:
            ti += 1
        if ti < len(taken) and taken[ti][0] <= s:
            continue                          # the type word of a numbered citation
        dtype = CAP_FORMS[" ".join(m.group("tw").split())]     # "Chương\ntrình" in wrapped text
        sm = R_SHORT.match(text, e)
        if sm:
            short = sm.group("short")
            if not sm.group("so") and (1900 <= int(short) <= 2100 or not dtype.short_form):
                continue                      # "Kế hoạch 2026": a year; "Dự án 1": part of a programme
            tail = read_tail(text, sm.end())
            pins, start = _pin_before(text, s)
            end = max(sm.end(), tail["end"])
            out.append(Citation(
                type=dtype.name, number=short, key=None, text=text[start:end], start=start, end=end,
                year=int(tail["date"][:4]) if tail["date"] else None, date=tail["date"],
                issuer=tail["issuer"], title=tail["title"], pinpoints=pins,
            ))
            continue
        if not dtype.citable_without_number:
            continue
        c = _unnumbered(text, m, dtype)
        if c:
            pins, start = _pin_before(text, s)
            if pins:
                c.pinpoints, c.start, c.text = pins, start, text[start:c.end]
            out.append(c)
    return out


def _pin_before(text: str, s: int) -> tuple[list[str], int]:
    ws = max(0, s - 80)
    b = R_PIN_BEFORE.search(text, ws, s)
    if not b:
        return [], s
    return pinpoints(b.group("pin")), b.start("pin")


def _unnumbered(text: str, m: re.Match, dtype) -> Optional[Citation]:
    s, e = m.span()
    if not (e < len(text) and text[e] == " "):
        return None
    ts = e + 1
    starts = dtype.unnumbered_starts
    if dtype.unnumbered == "year":
        ym = R_YEAR_ONLY.match(text, e)
        if not ym:
            return None
        y = int(ym.group("y"))
        return Citation(type=dtype.name, number=None, key=None, text=text[s:ym.end()], start=s,
                        end=ym.end(), year=y, national=True)
    if starts:
        if not any(text.startswith(w, ts) and (ts + len(w) >= len(text) or not text[ts + len(w)].isalnum())
                   for w in starts):
            return None
    elif not (ts < len(text) and text[ts] in UPPER):
        return None
    # a capitalised word right before "Luật" makes it part of a person's name ("Trần Văn Luật Hà Nội")
    pw = PREV_WORD.search(text, max(0, s - 30), s)
    if pw and dtype.unnumbered == "title" and (pw.group(1)[0] in UPPER or pw.group(1) == "ty"):
        return None          # … or a firm: "Công ty Luật Đại Nghĩa"
    if starts:
        w = next(w for w in starts if text.startswith(w, ts))
        after = text[ts + len(w):ts + len(w) + 40].lstrip(" ")
        if not after.startswith(PARTY_TITLE_NEXT) and not (after[:1] in UPPER and after[:1]):
            return None      # "Nghị quyết Đại hội đề ra": the body's own congress resolution
    # title: words up to a stop, at most UNNUM_MAX_WORDS
    te = run_end(text, ts, UNNUM_STOP, 200)
    while True:
        pm = R_OF_PARTY.match(text, te)      # "… của Đảng" is part of the name
        if not pm:
            break
        te = run_end(text, pm.end(), UNNUM_STOP, 200)
        if te == pm.end():
            break
    tail = TRAILING_CONJ.search(text, ts, te)
    if tail:
        te = tail.start()                    # "Luật Ban hành VBQPPL và\n…"
    words = text[ts:te].split()
    if len(words) > UNNUM_MAX_WORDS:
        return None
    if starts and len(words) <= max(len(w.split()) for w in starts if text.startswith(w, ts)):
        return None          # "Nghị quyết Đại hội" alone: the body's own congress resolution
    title = squash(text[ts:te]).rstrip(" ,.-–")
    if not title or not title[0].isupper():
        return None
    end = ts + len(text[ts:te].rstrip(" ,.-–\n"))
    year = date = issuer = None
    ym = R_LAW_YEAR.match(text, end)
    dm = R_DATE.match(text, end)
    if dm:
        date = date_from(dm)
        end = dm.end()
    elif ym:
        year = int(ym.group("y"))
        end = ym.end()
    if date:
        year = int(date[:4])
    issuer, p2 = read_issuer(text, end)
    if issuer:
        end = p2
    national = dtype.unnumbered in ("title", "year") or any(
        w in fold(title) for w in ("toan quoc", "trung uong"))
    return Citation(type=dtype.name, number=None, key=None, text=text[s:end], start=s, end=end,
                    year=year, date=date, issuer=issuer, title=title, national=national)


def find_citations(text: str) -> list[Citation]:
    """Every reference to another document in normalised text, one Citation per occurrence,
    in order of position. Offsets refer to `text`; `text[c.start:c.end] == c.text`."""
    if not text or not PREFILTER.search(text):
        return []
    numbered = _numbered(text)
    # a type word that belongs to a numbered citation is not read again
    taken = []
    for c in numbered:
        num_at = text.find(c.number, c.start)
        taken.append((c.start, num_at if num_at >= 0 else c.start + 1))
    words = _word_based(text, taken)
    out = _join_named_numbers(text, sorted(numbered + words, key=lambda c: (c.start, -c.end)))
    for c in out:
        if c.issuer is None and c.number:
            _issuer_before(text, c)
    _share_issuers(text, out)
    return out


def _share_issuers(text: str, cits: list[Citation]) -> None:
    """`Kế hoạch số 996/… và Kế hoạch số 997/… của Bộ Công an`: coordinated citations of one
    type share the issuer written after the last of them."""
    for i in range(len(cits) - 2, -1, -1):
        a, b = cits[i], cits[i + 1]
        if (a.issuer is None and b.issuer and a.type == b.type and a.end <= b.start
                and R_COORDINATION.match(text[a.end:b.start])):
            a.issuer = b.issuer


def _issuer_before(text: str, c: Citation) -> None:
    """Fill a citation's missing issuer (and date) from a clause just before it."""
    window = text[max(0, c.start - PRE_WINDOW):c.start]
    m = R_PRE_VERB.search(window) or R_PRE_AT.search(window)
    if not m:
        return
    name = squash(m.group("iss")).rsplit(" của ", 1)[-1]      # "… và ý kiến của Sở Nội vụ tại …"
    name = R_ADVISED.split(name)[-1]
    if not name[:1].isupper() or not names_a_body(name):
        return
    if not name.startswith(ASSOCIATION_HEADS):
        found = registry.parse_issuer_phrase(name)
        if not (found.level or found.unit):
            return
    c.issuer = name
    if c.date is None and m.re is R_PRE_VERB and m.group("y1"):
        c.date = iso(m.group("y1"), m.group("m1"), m.group("d1"))
        c.year = c.year or int(m.group("y1"))


def _join_named_numbers(text: str, cits: list[Citation]) -> list[Citation]:
    """`Luật Tổ chức chính quyền địa phương số 65/2025/QH15`: the un-numbered reading and the
    number are one citation — the law's type and title, the number's key and year."""
    out: list[Citation] = []
    for c in cits:
        prev = out[-1] if out else None
        if (prev is not None and prev.number is None and c.number and c.key
                and prev.end <= c.start and R_NAMED_NUMBER_GAP.match(text[prev.end:c.start])):
            c.type, c.title = prev.type, prev.title
            c.start, c.text = prev.start, text[prev.start:c.end]
            c.pinpoints = prev.pinpoints + [p for p in c.pinpoints if p not in prev.pinpoints]
            c.year = c.year or prev.year
            out[-1] = c
            continue
        out.append(c)
    return out
