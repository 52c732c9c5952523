"""What happened to a task on its way down: kind of change, word diff, weakening.

- `word_diff(parents, children)`: difflib (cydifflib: its algorithm compiled) over the segmented words (punctuation and case
  ignored) of the parent text(s) against the child text(s); the runs that went are `lost`,
  the runs that came are `added`, each quoted from the cleaned text with its punctuation.
  A single word left equal between two changes is folded into the change, so a rewritten
  clause reads as one phrase rather than as fragments around a shared `và`.
- `classify(diff)`: verbatim / near-verbatim / narrowed / broadened / reworded, from the
  share of words lost and added (thresholds below; benchmarks/eval_alignment.py measures them).
- `weakening(parent_tasks, child_tasks)`: the signals that make a task binding, urgent or
  time-bound (cascade/data/signal_words.tsv, plus Task.deadline / Task.assignee / Task.partners,
  a plan item's lead unit, cooperating units and deadline) present in
  the parent and gone in the child, and hedges the child adds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import compress
from typing import NamedTuple

try:                   # difflib's own algorithm compiled (MIT): the same opcodes, ~3.5× faster on task texts
    import cydifflib as difflib
except ImportError:    # pragma: no cover - a tree installed without it
    import difflib

from cascade.align.similarity import DEFAULT_SEGMENTER, cleaned, words
from cascade.models import Task
from cascade.text import clean, fold

VERBATIM = "verbatim"
NEAR_VERBATIM = "near-verbatim"
REWORDED = "reworded"
NARROWED = "narrowed"
BROADENED = "broadened"
MERGED = "merged"
SPLIT = "split"
DROPPED = "dropped"
ADDED = "added"
IN_TEXT = "restated in text"   # no child item carries it, but the child's text restates it (an attached Quy chế)
DELIVERED = "carried by the document itself"   # the duty asks for the document the child is (cascade.align.delivered)
PAIR_KINDS = (VERBATIM, NEAR_VERBATIM, REWORDED, NARROWED, BROADENED, MERGED, SPLIT)
KINDS = PAIR_KINDS + (DROPPED, ADDED, IN_TEXT, DELIVERED)

IN_TEXT_SHARE = 0.85   # share of a parent task's syllable pairs found in the child's text


def syllable_pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent syllable pairs of a whole document's text (read once: not kept in `cleaned`'s cache;
    squashing its whitespace, as `cleaned` does, changes no run of word characters)."""
    s = _SYLLABLE.findall(clean(text).lower())
    return set(zip(s, s[1:]))


def restated(task_text: str, text_pairs: set[tuple[str, str]]) -> bool:
    """Nearly every syllable pair of the task stands in the other text."""
    s = _syllables(task_text)
    pairs = list(zip(s, s[1:]))
    return len(pairs) >= 4 and sum(p in text_pairs for p in pairs) >= IN_TEXT_SHARE * len(pairs)

NEAR = 0.12    # at most this share of words lost and of words added: near-verbatim
SMALL = 0.05   # at most this share added (lost): the child only narrows (broadens)

_SYLLABLE = re.compile(r"\w+", re.UNICODE)
_TRAILING = re.compile(r"[\s.;:,/]+$")


# ------------------------------------------------------------------------ word diff
@dataclass
class Diff:
    lost: list[tuple[str, int]] = field(default_factory=list)    # (phrase, parent text index)
    added: list[tuple[str, int]] = field(default_factory=list)   # (phrase, child text index)
    parent_words: int = 0
    child_words: int = 0
    lost_words: int = 0
    added_words: int = 0
    # per text: list of (start, end, status) over cleaned(text), status "equal"/"lost"/"added"
    parent_marks: list[list[tuple[int, int, str]]] = field(default_factory=list)
    child_marks: list[list[tuple[int, int, str]]] = field(default_factory=list)

    @property
    def lost_frac(self) -> float:
        return self.lost_words / self.parent_words if self.parent_words else 0.0

    @property
    def added_frac(self) -> float:
        return self.added_words / self.child_words if self.child_words else 0.0


class _Seq(NamedTuple):
    """The words of several texts one after the other, as columns: lower-case word, offsets in its
    cleaned text, and which text it comes from."""
    text: list[str]
    start: list[int]
    end: list[int]
    origin: list[int]


def _concat(texts: list[str], segmenter: str, coined=frozenset()) -> _Seq:
    if len(texts) == 1:
        w = words(texts[0], segmenter, coined)
        return _Seq(w.text, w.start, w.end, [0] * len(w.text))
    seq = _Seq([], [], [], [])
    for k, t in enumerate(texts):
        w = words(t, segmenter, coined)
        seq.text.extend(w.text)
        seq.start.extend(w.start)
        seq.end.extend(w.end)
        seq.origin.extend([k] * len(w.text))
    return seq


def _cleanup(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Fold a one-word 'equal' between two changes into one 'replace'."""
    out: list[list] = []
    k = 0
    while k < len(ops):
        op = list(ops[k])
        if (op[0] == "equal" and op[2] - op[1] <= 1 and out and out[-1][0] != "equal"
                and k + 1 < len(ops) and ops[k + 1][0] != "equal"):
            nxt = ops[k + 1]
            prev = out.pop()
            out.append(["replace", prev[1], nxt[2], prev[3], nxt[4]])
            k += 2
            continue
        if op[0] != "equal" and out and out[-1][0] != "equal":
            prev = out.pop()
            out.append(["replace", prev[1], op[2], prev[3], op[4]])
        else:
            out.append(op)
        k += 1
    return [tuple(o) for o in out]


def _phrases(seq: _Seq, a: int, b: int, texts: list[str]) -> list[tuple[str, int]]:
    """Quote words seq[a:b] from their texts, one phrase per source text."""
    out = []
    origin = seq.origin
    k = a
    while k < b:
        o = origin[k]
        e = k
        while e + 1 < b and origin[e + 1] == o:
            e += 1
        src = cleaned(texts[o])
        out.append((_TRAILING.sub("", src[seq.start[k]:seq.end[e]]), o))
        k = e + 1
    return out


def word_diff(parent_texts: list[str] | str, child_texts: list[str] | str,
              segmenter: str = DEFAULT_SEGMENTER, coined=frozenset(), *, marks: bool = True) -> Diff:
    """`coined`: the documents' own acronyms (similarity.acronyms), read as their words. `marks=False`
    leaves `parent_marks`/`child_marks` empty (align reads only the phrases and counts; the side-by-side
    view reads the marks)."""
    if isinstance(parent_texts, str):
        parent_texts = [parent_texts]
    if isinstance(child_texts, str):
        child_texts = [child_texts]
    a = _concat(parent_texts, segmenter, coined)
    b = _concat(child_texts, segmenter, coined)
    wa, wb = a.text, b.text
    if wa == wb:        # the same words (a verbatim pair): difflib would find one equal run
        ops = [("equal", 0, len(wa), 0, len(wb))] if wa else []
    else:
        ops = _cleanup(difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes())
    d = Diff(parent_words=len(wa), child_words=len(wb))
    d.parent_marks = [[] for _ in parent_texts]
    d.child_marks = [[] for _ in child_texts]
    for tag, i1, i2, j1, j2 in ops:
        if marks:
            status_a = "equal" if tag == "equal" else "lost"
            status_b = "equal" if tag == "equal" else "added"
            for x in range(i1, i2):
                d.parent_marks[a.origin[x]].append((a.start[x], a.end[x], status_a))
            for x in range(j1, j2):
                d.child_marks[b.origin[x]].append((b.start[x], b.end[x], status_b))
        if tag == "equal":
            continue
        if i2 > i1:
            d.lost.extend(_phrases(a, i1, i2, parent_texts))
            d.lost_words += i2 - i1
        if j2 > j1:
            d.added.extend(_phrases(b, j1, j2, child_texts))
            d.added_words += j2 - j1
    return d


@lru_cache(maxsize=256)       # a parent's task texts, met again with each child
def _plain(text: str) -> str:
    return _TRAILING.sub("", cleaned(text)).casefold()


def classify(diff: Diff, parent_text: str | None = None, child_text: str | None = None) -> str:
    """Kind of a one-to-one pair from its word diff."""
    if parent_text is not None and child_text is not None and _plain(parent_text) == _plain(child_text):
        return VERBATIM
    lf, af = diff.lost_frac, diff.added_frac
    if lf <= NEAR and af <= NEAR:
        return NEAR_VERBATIM
    if af <= SMALL:
        return NARROWED
    if lf <= SMALL:
        return BROADENED
    return REWORDED


# ----------------------------------------------------------------------- weakening
@lru_cache(maxsize=1)
def signal_words() -> dict[str, list[tuple[str, ...]]]:
    """kind → phrases as syllable tuples, longest first (cascade/data/signal_words.tsv)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    text = resources.files("cascade").joinpath("data/signal_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, phrase = line.partition("\t")
        key = tuple(_SYLLABLE.findall(clean(phrase).lower()))
        if key:
            out.setdefault(kind.strip(), []).append(key)
    for lst in out.values():
        lst.sort(key=len, reverse=True)
    return out


def _syllables(text: str) -> list[str]:
    return _SYLLABLE.findall(cleaned(text).lower())


@lru_cache(maxsize=64)
def _task_syllables(text: str) -> tuple[str, ...]:
    """`_syllables` of a task text, kept a moment: its signal counts of each kind and its deadline cue
    (cached themselves, per text) read them one after the other; a few KB each, so only the last few."""
    return tuple(_syllables(text))


def _starts(sylls: tuple[str, ...], by_first: dict) -> list[int]:
    """Positions where some phrase of `by_first` may start (its first syllable is there)."""
    if by_first.keys().isdisjoint(sylls):
        return []
    return list(compress(range(len(sylls)), map(by_first.__contains__, sylls)))


@lru_cache(maxsize=None)
def _by_first(kind: str) -> dict[str, list[tuple[str, ...]]]:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for p in signal_words().get(kind, []):           # already longest first
        by_first.setdefault(p[0], []).append(p)
    return by_first


@lru_cache(maxsize=4096)
def signal_counts(text: str, kind: str) -> dict[str, int]:
    """Occurrences of each signal phrase of one kind, longest match first, no overlaps."""
    sylls = _task_syllables(text)
    by_first = _by_first(kind)
    counts: dict[str, int] = {}
    i = 0                     # the next position a match may start at (matches do not overlap)
    for c in _starts(sylls, by_first):
        if c < i:
            continue
        for p in by_first[sylls[c]]:
            if sylls[c:c + len(p)] == p:
                key = " ".join(p)
                counts[key] = counts.get(key, 0) + 1
                i = c + len(p)
                break
    return counts


@lru_cache(maxsize=4096)
def _deadline_cue(text: str) -> str | None:
    """The first deadline cue in a text with the few words after it ('trước ngày 30/6/2025')."""
    sylls = _task_syllables(text)
    by_first = _by_first("deadline")
    for i in _starts(sylls, by_first):
        for p in by_first[sylls[i]]:
            if sylls[i:i + len(p)] == p:
                src = cleaned(text)
                found = list(_SYLLABLE.finditer(src.lower()))
                end = found[min(i + len(p) + 3, len(sylls)) - 1].end()
                return _TRAILING.sub("", src[found[i].start():end])
    return None


def weakening(parent_tasks: list[Task], child_tasks: list[Task]) -> list[str]:
    """Signals present in the parent task(s) and gone in the child task(s)."""
    ptext = " ".join(t.text for t in parent_tasks)
    ctext = " ".join(t.text for t in child_tasks)
    out: list[str] = []
    p_deadline = next((t.deadline for t in parent_tasks if t.deadline), None) or _deadline_cue(ptext)
    c_deadline = any(t.deadline for t in child_tasks) or _deadline_cue(ctext)
    if p_deadline and not c_deadline:
        out.append(f"deadline: {p_deadline}")
    # the lead unit, and a plan item's cooperating units ("Đơn vị phối hợp: …"), gone in the child
    for attr in ("assignee", "partners"):
        p_value = next((getattr(t, attr) for t in parent_tasks if getattr(t, attr)), None)
        if (p_value and not any(getattr(t, attr) for t in child_tasks)
                and fold(p_value) not in fold(ctext)):
            out.append(f"{attr}: {p_value}")
    pc, cc = signal_counts(ptext, "obligation"), signal_counts(ctext, "obligation")
    for phrase, n in pc.items():
        if n > cc.get(phrase, 0):
            out.append(f"obligation: {phrase}")
    ph, ch = signal_counts(ptext, "hedge"), signal_counts(ctext, "hedge")
    for phrase, n in ch.items():
        if n > ph.get(phrase, 0):
            out.append(f"hedge: {phrase}")
    return out
