"""Versions of one act among the stored documents: the unnumbered .docx draft and the signed PDF of
a Tờ trình, the draft report dated 16.01 and the final report beside it.

An office folder keeps every version of what it sends; each is parsed and stored, and without this
step each is compared with the parent on its own, so one duty the act leaves out is reported once
per version. Two stored documents are versions of one act when they have the same type, the same
issuer and the same title (case, diacritics, spacing and punctuation aside; at least
MIN_TITLE_WORDS words, so that a bare `BÁO CÁO` groups nothing), and their numbers agree: equal, or
left blank in all but one. Two different numbers are two acts (the yearly reports of two years with
one title, numbered apart); then only the copies of each number are grouped.

The act is represented by its most final version: numbered before blank, a full date before a
partial or none, the later date (or month), a file whose name or title does not say `dự thảo` (draft), a PDF (the signed copy),
then the path.

    groups(nodes) -> {node: representative}      (only the nodes of groups of two or more)
"""
from __future__ import annotations

import re
from typing import Iterable

from cascade.parse.citations.relations import DRAFT_PHRASES
from cascade.text import fold

MIN_TITLE_WORDS = 4
DRAFT_WORDS = tuple(fold(w) for w in DRAFT_PHRASES)      # folded: file names are often written without tones
_LEAD = re.compile(r"^(?:ve viec|v/v|ve)\b\s*[:.]?\s*")
_WORDS = re.compile(r"\w+")


def _title_key(title: str) -> str:
    words = _WORDS.findall(_LEAD.sub("", fold(title or "").strip()))
    return " ".join(words) if len(words) >= MIN_TITLE_WORDS else ""


def _is_draft(attrs: dict) -> bool:
    text = fold((attrs.get("path") or "").rsplit("/", 1)[-1] + " " + (attrs.get("title") or ""))
    text = " ".join(_WORDS.findall(text.replace("_", " ")))
    return any(w in text for w in DRAFT_WORDS)


def _rank(node: str, attrs: dict) -> tuple:
    date = attrs.get("date") or ""
    full = re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) is not None
    later = -int((date.replace("-", "") + "0000")[:8]) if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", date) else 0
    return (not attrs.get("number"), not full, later, _is_draft(attrs),
            not (attrs.get("path") or "").lower().endswith(".pdf"), attrs.get("path") or node)


def groups(nodes: Iterable[tuple[str, dict]]) -> dict[str, str]:
    """Stored document nodes (id, attributes as the graph keeps them: doc_type, issuer, title, number,
    date, path, in_corpus) → {node: the node representing its act}, for nodes that have versions."""
    # by type and issuer first: a title is read only where another document shares both (a tree's
    # 3,000 commune answers each have an issuer of their own)
    by_issuer: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for n, a in nodes:
        if not a.get("in_corpus") or a.get("doc_id", -1) < 0:
            continue
        kind, issuer = fold(a.get("doc_type") or ""), fold(a.get("issuer") or "")
        if kind and issuer:
            by_issuer.setdefault((kind, issuer), []).append((n, a))
    by_key: dict[tuple[str, str, str], list[tuple[str, dict]]] = {}
    for (kind, issuer), same in by_issuer.items():
        if len(same) < 2:
            continue
        for n, a in same:
            title = _title_key(a.get("title") or "")
            if title:
                by_key.setdefault((kind, issuer, title), []).append((n, a))
    out: dict[str, str] = {}
    for members in by_key.values():
        if len(members) < 2:
            continue
        numbers = {a.get("number") for _, a in members if a.get("number")}
        acts = ([members] if len(numbers) <= 1 else
                [[(n, a) for n, a in members if a.get("number") == num] for num in numbers])
        for act in acts:
            if len(act) < 2:
                continue
            rep = min(act, key=lambda na: _rank(*na))[0]
            out.update({n: rep for n, _ in act})
    return out
