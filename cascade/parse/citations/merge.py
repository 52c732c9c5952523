"""Merging citations: one Citation per cited document out of its occurrences.

A short form (`Nghị định 73`) joins the full citation whose running number it is (`73/2023/NĐ-CP`);
a number whose symbol was cut at a hyphen (`3183/SNV TCBC`) joins the one it was cut from.
"""
from __future__ import annotations

import re
from dataclasses import replace

from cascade.models import Citation
from cascade.text import fold


def _identity(c: Citation) -> tuple:
    if c.key:
        return ("key", c.key)
    if c.number:
        return ("short", c.type, c.number.lstrip("0"))
    return ("title", c.type, fold(c.title or ""))


def _short_matches(short: Citation, full: Citation) -> bool:
    if not full.key or full.type != short.type:
        return False
    head = re.split(r"[/\-–]", full.key, 1)[0]
    return head == (short.number or "").lstrip("0")


def _cuts(fulls: list[Citation]) -> dict[str, dict[str, set]]:
    """Each full key cut at each hyphen of its symbol → {full key: the dates it is cited with}."""
    out: dict[str, dict[str, set]] = {}
    for f in fulls:
        head, sep, symbol = f.key.partition("/")
        for i, ch in enumerate(symbol):
            if ch == "-":
                out.setdefault(f"{head}/{symbol[:i]}", {}).setdefault(f.key, set()).add(f.date)
    return out


def _cut_from(c: Citation, cuts: dict[str, dict[str, set]]) -> str | None:
    """The one full key of this document whose number `c`'s is, cut at a hyphen of its symbol
    (`Công văn số 3183/SNV TCBC` read as 3183/SNV beside 3183/SNV-TCBC, both of 26/11/2025): a
    space or a line break where the hyphen was. A date both give must be the same."""
    longer = [k for k, dates in cuts.get(c.key, {}).items()
              if not c.date or c.date in dates or dates == {None}]
    return longer[0] if len(longer) == 1 else None


def merge_citations(occurrences: list[Citation]) -> list[Citation]:
    """One Citation per cited document, in order of first occurrence.

    The first occurrence gives start/end/text; later ones go to `.occurrences`. Missing
    fields (date, issuer, title, year, type) are filled from later occurrences; pinpoints
    are collected from all. A short form (`Nghị định 73`, key None) joins the full citation
    of the same type whose running number it is (`73/2023/NĐ-CP`), before or after it."""
    occs = sorted(occurrences, key=lambda c: (c.start, -c.end))
    fulls = [c for c in occs if c.key]
    cuts = _cuts(fulls)
    groups: dict[tuple, list[Citation]] = {}
    order: list[tuple] = []
    for c in occs:
        ident = _identity(c)
        if ident[0] == "short":
            target = next((f for f in fulls if _short_matches(c, f)), None)
            if target is not None:
                ident = _identity(target)
        elif ident[0] == "key":
            target = _cut_from(c, cuts)
            if target is not None:
                ident = ("key", target)
        if ident not in groups:
            groups[ident] = []
            order.append(ident)
        groups[ident].append(c)
    merged = []
    for ident in order:
        members = groups[ident]
        # the representative: the first occurrence carrying the full number, else the first
        # (of its own key: not a cut-off spelling that came first)
        rep = next((c for c in members if c.key == ident[1]), members[0]) if ident[0] == "key" else members[0]
        first = members[0]
        out = replace(rep, start=first.start, end=first.end, text=first.text,
                      pinpoints=[], occurrences=[])
        # fields come first from the fullest citation (the one giving the date — by the
        # citing rule the first full citation), then from the others in text order
        fullest = next((c for c in members if c.date), None) or next(
            (c for c in members if c.issuer), None) or first
        for f in ("date", "issuer", "title", "year"):
            setattr(out, f, getattr(fullest, f))
        for c in members:
            for f in ("type", "date", "issuer", "title", "year"):
                if getattr(out, f) is None and getattr(c, f) is not None:
                    setattr(out, f, getattr(c, f))
            for p in c.pinpoints:
                if p not in out.pinpoints:
                    out.pinpoints.append(p)
            out.national = out.national or c.national
            if c is not first:
                out.occurrences.append((c.start, c.end))
        merged.append(out)
    return merged
