"""Duties a child carries out by being the document they ask for (cascade/data/deliverables.tsv).

    delivers(duty_text, child_type, child_title, parent_title) -> bool

A parent duty `Xây dựng báo cáo tóm tắt tình hình thực hiện các chỉ số …` is carried by a child that
is that report, though no item of the report says "xây dựng báo cáo": the duty names a document type
after a production verb (within WINDOW words) or opens with it (a requirement on that document), the child is of that type (its doc_type, or its
subject line starts with the type's words: a Tờ trình `Về việc Báo cáo tổng hợp …`), and the child's
title shares at least MIN_SHARED word pairs with the duty or the parent's title (the same subject,
not any report). `align` gives such a duty the kind "carried by the document itself".
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Optional

from cascade.text import fold

WINDOW = 8          # words between the production verb and the type's words
MIN_SHARED = 2      # word pairs the child's title shares with the duty or the parent's title
_WORD = re.compile(r"\w+")
_SUBJECT_LEAD = re.compile(r"^\s*(?:v/v|về việc|về)\s*[:.]?\s*", re.I)


def _words(text: Optional[str]) -> list[str]:
    return _WORD.findall(fold(text or ""))


@lru_cache(maxsize=1)
def _table() -> tuple[list[tuple[str, ...]], list[tuple[tuple[str, ...], str]]]:
    verbs, types = [], []
    text = resources.files("cascade.data").joinpath("deliverables.tsv").read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if cells[0] == "verb" and len(cells) == 2:
            verbs.append(tuple(_words(cells[1])))
        elif cells[0] == "type" and len(cells) == 3:
            types.append((tuple(_words(cells[1])), cells[2].strip()))
        else:
            raise ValueError(f"cascade/data/deliverables.tsv: bad row {n}: {line!r}")
    return verbs, types


def _at(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(words[i:i + len(phrase)]) == phrase


@lru_cache(maxsize=1)
def _by_first() -> tuple[dict[str, list[tuple[str, ...]]], dict[str, list[tuple[tuple[str, ...], str]]]]:
    """Verbs and types indexed by their first word: only the positions holding one are tried."""
    verbs, types = _table()
    v: dict[str, list] = {}
    t: dict[str, list] = {}
    for phrase in verbs:
        v.setdefault(phrase[0], []).append(phrase)
    for phrase, doc_type in types:
        t.setdefault(phrase[0], []).append((phrase, doc_type))
    return v, t


@lru_cache(maxsize=4096)
def asked_types(duty_text: str) -> frozenset[str]:
    """The document types a duty asks to produce (`Hoàn thành dự thảo báo cáo …` → {báo cáo}) or
    prescribes, opening with the type's words (`Báo cáo kết quả tự đánh giá … phải do lãnh đạo bộ,
    tỉnh phê duyệt, gồm: …` → {báo cáo})."""
    verbs, types = _by_first()
    out = set()
    for line in duty_text.splitlines():             # each line: an item and the headings above it
        lw = _words(line)
        if lw:
            out.update(doc_type for phrase, doc_type in types.get(lw[0], ()) if _at(lw, 0, phrase))
    w = _words(duty_text)
    for i, word in enumerate(w):
        for v in verbs.get(word, ()):
            if not _at(w, i, v):
                continue
            for k in range(i + len(v), min(len(w), i + len(v) + WINDOW + 1)):
                for phrase, doc_type in types.get(w[k], ()):
                    if _at(w, k, phrase):
                        out.add(doc_type)
    return frozenset(out)


def child_types(doc_type: Optional[str], title: Optional[str]) -> set[str]:
    """The types a child document is: its own, and the one its subject line starts with."""
    out = {fold(doc_type)} if doc_type else set()
    w = _words(_SUBJECT_LEAD.sub("", title or ""))
    for phrase, t in _table()[1]:
        if _at(w, 0, phrase):
            out.add(fold(t))
    return out


def _pairs(text: Optional[str]) -> set[tuple[str, str]]:
    w = _words(text)
    return set(zip(w, w[1:]))


def delivers(duty_text: str, child_type: Optional[str], child_title: Optional[str],
             parent_title: Optional[str] = None) -> bool:
    asked = {fold(t) for t in asked_types(duty_text)}
    if not asked or not asked & child_types(child_type, child_title):
        return False
    own = _pairs(child_title)
    for phrase, _ in _table()[1]:
        own -= set(zip(phrase, phrase[1:]))      # the type's own words prove no subject
    return len(own & (_pairs(duty_text) | _pairs(parent_title))) >= MIN_SHARED
