"""Vietnamese-aware similarity between the tasks of a parent document and a child.

Text goes through `text.clean` and is lower-cased, then split into words by one
of two segmenters:

- ``"syllable"`` (default, fast): the syllables themselves; similarity features are
  syllables plus adjacent syllable bigrams, which stand in for two-syllable words
  (`cán bộ`, `công chức`) without a model. No import cost. Body abbreviations written in
  capitals read as the words they stand for (`UBND` = `ủy ban nhân dân`, from the registry).
- ``"pyvi"``: spaCy's ``vi`` language, which segments words with pyvi (`cán bộ` is one
  token). Loaded lazily, once (about 1.5–2 s cold). Features are words plus word bigrams.
  benchmarks/eval_alignment.py compares the two (`--segmenter`).

Each task becomes a bag of weighted features: term count × IDF over the two documents'
tasks × a boilerplate multiplier (cascade/data/boilerplate.txt: phrases such as
`cán bộ, công chức, viên chức` that every task shares count less). From these bags,
computed as dense matrices with numpy (no Python double loop):

- ``cos``: weighted cosine;
- ``cont_pc[i, j]``: the share of parent task i's weight whose features occur in child j
  (how much of the parent the child carries: high for a merge target);
- ``cont_cp[i, j]``: the share of child task j's weight found in parent i (high for one
  part of a split);
- ``ratio``: rapidfuzz ``fuzz.ratio`` on the word strings through ``process.cdist``.

``sim = COS_WEIGHT * cos + (1 - COS_WEIGHT) * ratio_above_chance`` is what assignment maximises.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate, compress, filterfalse, repeat
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from cascade import registry
from cascade.text import clean, fold

SEGMENTERS = ("syllable", "pyvi")
DEFAULT_SEGMENTER = "syllable"

COS_WEIGHT = 0.8            # share of the weighted cosine in `sim`; the rest is fuzz.ratio
RATIO_CHANCE = 0.45         # fuzz.ratio of two unrelated tasks on one theme is about this
BOILERPLATE_DEFAULT = 0.25  # weight multiplier for words inside a boilerplate phrase
DENSE_PRODUCTS = 1_000_000  # parent × child × shared features up to which products are dense

_SYLLABLE = re.compile(r"\w+", re.UNICODE)
_SPLIT = re.compile(r"(\w+)", re.UNICODE)   # separators and words, alternating


class Token(NamedTuple):
    """One word (syllable or segmented word) of a cleaned task text (a tuple: cheap to make,
    thousands per document)."""
    text: str        # lower case; a segmented word keeps its inner spaces: "cán bộ"
    start: int       # offsets in the cleaned text (see `cleaned`)
    end: int
    weight: float    # boilerplate multiplier, 1.0 for ordinary words
    joined: bool     # True when only spaces separate it from the previous token


_new_token = tuple.__new__     # Token(...) without NamedTuple's Python-level __new__


# ----------------------------------------------------------------------------- data
@lru_cache(maxsize=1)
def boilerplate() -> dict[tuple[str, ...], float]:
    """Boilerplate phrases as syllable tuples → weight multiplier."""
    out: dict[tuple[str, ...], float] = {}
    text = resources.files("cascade").joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, weight = line.partition("\t")
        key = tuple(_SYLLABLE.findall(clean(phrase).lower()))
        if key:
            out[key] = float(weight) if weight.strip() else BOILERPLATE_DEFAULT
    return out


@lru_cache(maxsize=1)
def _boilerplate_by_first() -> dict[str, list[tuple[tuple[str, ...], float]]]:
    idx: dict[str, list] = {}
    for key, w in boilerplate().items():
        idx.setdefault(key[0], []).append((key, w))
    for lst in idx.values():
        lst.sort(key=lambda kw: -len(kw[0]))     # longest phrase first
    return idx


@lru_cache(maxsize=1)
def _boilerplate_single() -> tuple[dict[str, float], dict[str, list[tuple[tuple[str, ...], float]]]]:
    """The first syllables that start only a one-syllable phrase (`và`, `của`: it always matches), with
    its weight where below 1.0; and those that start a longer phrase, with their phrases."""
    single, longer = {}, {}
    for first, phrases in _boilerplate_by_first().items():
        if len(phrases) == 1 and len(phrases[0][0]) == 1:
            if phrases[0][1] < 1.0:
                single[first] = phrases[0][1]
        else:
            longer[first] = phrases
    return single, longer


def _syllable_weights(sylls: list[str]) -> list[float]:
    """Multiplier per syllable: the smallest weight of any boilerplate phrase covering it, where at
    each position the longest phrase that matches there counts."""
    idx = _boilerplate_by_first()
    if idx.keys().isdisjoint(sylls):        # most texts: no phrase starts anywhere
        return [1.0] * len(sylls)
    single, idx = _boilerplate_single()
    # one-syllable phrases in C; the smallest weight is the same whichever phrase is applied first
    weights = list(map(single.get, sylls, repeat(1.0)))
    for i in compress(range(len(sylls)), map(idx.__contains__, sylls)):
        for key, w in idx[sylls[i]]:
            n = len(key)
            if tuple(sylls[i:i + n]) == key:
                for k in range(i, i + n):
                    if w < weights[k]:
                        weights[k] = w
                break
    return weights


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, ...]]:
    """All-capitals abbreviations of bodies (cascade/data/bodies.tsv via the registry) → words:
    `UBND` → (ủy, ban, nhân, dân). Matched only as written, in capitals."""
    found = registry.bodies()
    out: dict[str, tuple[str, ...]] = {}
    for body in found:
        for alias in body.aliases:
            if alias.isupper() and alias.isalpha() and len(alias) >= 3 and " " not in alias:
                out.setdefault(alias, tuple(_SYLLABLE.findall(clean(body.name).lower())))
    return out


# ----------------------------------------------------------------------- segmenting
_NLP = None


def _nlp():
    """spaCy's blank Vietnamese pipeline (pyvi word segmentation), loaded once."""
    global _NLP
    if _NLP is None:
        import spacy                      # heavy: only here
        _NLP = spacy.blank("vi")
    return _NLP


@lru_cache(maxsize=1024)
def cleaned(text: str) -> str:
    """The text that token offsets refer to: `text.clean` with whitespace squashed."""
    return " ".join(clean(text).split())


# ------------------------------------------------------------------- acronyms
ACRONYM = re.compile(r"(?<![-/\w])[A-ZĐ]{2,6}(?![-/\w])")   # not a symbol's code: 57-NQ/TW, 15/QĐ-UBND
ACRONYM_MIN_BARE = 3      # letters an acronym needs to be expanded without a definition "(XHH)"

Acronyms = frozenset      # of (acronym, words): hashable, so token caches can key on it


@lru_cache(maxsize=4096)
def _acronyms_in(text: str) -> tuple[str, ...]:
    return tuple(sorted(set(ACRONYM.findall(text))))


@lru_cache(maxsize=4096)
def _word_initials(text: str) -> tuple[tuple[tuple[str, int, bool], ...], str]:
    """(word lower-cased, end offset, written in capitals) per word, and the words' initials folded."""
    words = tuple((m.group(0).lower(), m.end(), m.group(0).isupper() and len(m.group(0)) > 1)
                  for m in _SYLLABLE.finditer(text))
    return words, fold("".join(w[0][:1] for w in words))


def acronyms(texts: list[str]) -> Acronyms:
    """Acronyms the documents coin, with the words they stand for: `XHH` → (xã, hội, học) where the
    texts write `điều tra xã hội học (XHH)` or use both `xã hội học` and `XHH`; `CCHC` → (cải, cách,
    hành, chính). An acronym of capitals (not a body's: those are `abbreviations()`; not a type or
    issuer code inside a number: `NQ/TW`) is expanded when a run of as many words with its letters as
    initials stands right before `(ACRONYM` in some text, or, for ACRONYM_MIN_BARE letters or more,
    anywhere in the texts (the most frequent run; a tie between different runs expands nothing). A
    parent that writes `điều tra xã hội học` and a child that writes `điều tra XHH` then share their
    words."""
    known = abbreviations()
    wanted = {a for t in texts for a in _acronyms_in(t) if a not in known}
    if not wanted:
        return frozenset()
    # two letters are expanded only where a text defines them: skip them unless "(XX" is written
    wanted = {a for a in wanted if len(a) >= ACRONYM_MIN_BARE or any("(" + a in t for t in texts)}
    by_key: dict[str, list[str]] = {}
    for a in wanted:
        by_key.setdefault(fold(a), []).append(a)
    defined: dict[str, dict[tuple[str, ...], int]] = {}
    seen: dict[str, dict[tuple[str, ...], int]] = {}
    for t in dict.fromkeys(texts):
        if not by_key:
            break
        words, inits = _word_initials(t)
        for key in by_key:
            k = len(key)
            start = inits.find(key)
            while start != -1:
                run = words[start:start + k]
                if not any(caps for _, _, caps in run):
                    r = tuple(w for w, _, _ in run)
                    seen.setdefault(key, {})
                    seen[key][r] = seen[key].get(r, 0) + 1
                    end = run[-1][1]
                    after = t[end:end + 3 + k].lstrip()
                    if after.startswith("(") and fold(after[1:1 + k]) == key:
                        defined.setdefault(key, {})
                        defined[key][r] = defined[key].get(r, 0) + 1
                start = inits.find(key, start + 1)
    out = set()
    for key, names in by_key.items():
        runs = defined.get(key) or (seen.get(key) if len(key) >= ACRONYM_MIN_BARE else None)
        if not runs:
            continue
        ranked = sorted(runs.items(), key=lambda x: -x[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue
        out.update((name, ranked[0][0]) for name in names)
    return frozenset(out)


def tokens(text: str, segmenter: str = DEFAULT_SEGMENTER, coined: Acronyms = frozenset()) -> tuple[Token, ...]:
    """Words of a task text (punctuation dropped), with offsets into `cleaned(text)`; `coined`
    acronyms (`acronyms()`) read as their words, like a body's abbreviation."""
    return tuple(map(_new_token, repeat(Token), zip(*words(text, segmenter, coined))))


class Words(NamedTuple):
    """`tokens` as columns, one sequence per field (what the aligner reads: no tuple per word, a
    hundred words a task and tens of thousands of tasks below a national root). Shared from a
    cache: never changed."""
    text: list[str]
    start: list[int]
    end: list[int]
    weight: list[float]
    joined: list[bool]


def words(text: str, segmenter: str = DEFAULT_SEGMENTER, coined: Acronyms = frozenset()) -> Words:
    """The words of `tokens(text, segmenter, coined)`, as columns."""
    return _words(text, segmenter, coined)      # one cache key however the arguments are passed


@lru_cache(maxsize=2048)
def _words(text: str, segmenter: str, coined: Acronyms = frozenset()) -> Words:
    if segmenter not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")
    t = cleaned(text)
    low = t.lower()
    abbrev = abbreviations() if segmenter == "syllable" else {}
    if coined and segmenter == "syllable":
        abbrev = {**abbrev, **dict(coined)}
    if segmenter == "syllable":
        fast = _syllable_words(t, low, abbrev)
        if fast is not None:
            return fast
    syl = []
    for m in _SYLLABLE.finditer(t):
        a, b = m.span()
        full = abbrev.get(m.group(0)) if abbrev else None
        if full:       # "UBND" reads as "ủy ban nhân dân": one span, several words
            syl.extend((w, a, b) for w in full)
        else:
            syl.append((low[a:b], a, b))
    sw = _syllable_weights([s for s, _, _ in syl])
    if segmenter == "syllable":
        spans = [(s, a, b, w) for (s, a, b), w in zip(syl, sw)]
    else:
        starts = [a for _, a, _ in syl]
        spans = []
        for tok in _nlp()(t):
            a, b = tok.idx, tok.idx + len(tok.text)
            if not _SYLLABLE.search(tok.text):
                continue
            k = bisect_left(starts, a)
            ws = []
            while k < len(syl) and syl[k][2] <= b:
                ws.append(sw[k])
                k += 1
            spans.append((" ".join(low[a:b].split()), a, b, min(ws, default=1.0)))
    out = Words([], [], [], [], [])
    prev_end = None
    for s, a, b, w in spans:
        # cleaned text has single spaces: words with nothing but a space between are joined
        joined = prev_end is not None and (prev_end > a or a - prev_end <= 1 and t[prev_end:a].isspace())
        for column, value in zip(out, (s, a, b, w, joined)):
            column.append(value)
        prev_end = b
    return out


def _syllable_words(t: str, low: str, abbrev: dict) -> Words | None:
    """`_words` of the syllable segmenter without a Python step per word: one regex split of the
    cleaned text into separators and words, offsets by accumulated lengths. None (the caller takes
    the word-by-word path) where lower-casing moves a word boundary or an abbreviation is written."""
    parts = _SPLIT.split(t)
    words = parts[1::2]
    if not words:
        return Words([], [], [], [], [])
    lens = list(map(len, parts))
    if low == t:
        lows = words
    elif len(low) == len(t) and "Σ" not in t:
        # every character lowers to one character on its own (the only rule that reads the context
        # is a capital sigma's): each word lowered alone is its slice of `low`
        lows = "\n".join(words).lower().split("\n")
    else:
        lparts = _SPLIT.split(low)
        if list(map(len, lparts)) != lens:
            return None
        lows = lparts[1::2]
    ends = list(accumulate(lens))
    starts, stops = ends[0:-1:2], ends[1::2]
    # cleaned text has single spaces: words with nothing but one space between are joined
    joined = list(map(" ".__eq__, parts[2:-1:2]))
    joined.insert(0, False)
    if abbrev and not abbrev.keys().isdisjoint(words):
        # "UBND" reads as "ủy ban nhân dân": one span, several words, joined to one another
        L: list[str] = []
        S: list[int] = []
        E: list[int] = []
        J: list[bool] = []
        for w, lw, a, b, j in zip(words, lows, starts, stops, joined):
            full = abbrev.get(w)
            if full:
                k = len(full)
                L.extend(full)
                S.extend([a] * k)
                E.extend([b] * k)
                J.append(j)
                J.extend([True] * (k - 1))
            else:
                L.append(lw)
                S.append(a)
                E.append(b)
                J.append(j)
        lows, starts, stops, joined = L, S, E, J
    return Words(lows, starts, stops, _syllable_weights(lows), joined)


def features(toks: "tuple[Token, ...] | Words") -> dict[str, float]:
    """Bag of weighted features: words and bigrams of adjacent words (not across punctuation)."""
    if not isinstance(toks, Words):
        toks = Words(*map(list, zip(*toks))) if toks else Words([], [], [], [], [])
    # features in the order they first occur (a word, then the bigram it ends), each weight added
    # left to right from 0.0 (one pass with dict.get: 25 % faster than two lists then a dict on 3.11)
    bag: dict[str, float] = {}
    get = bag.get
    pt = pw = None
    for t, w, joined in zip(toks.text, toks.weight, toks.joined):
        bag[t] = get(t, 0.0) + w
        if joined and pt is not None:
            k = pt + "_" + t
            bag[k] = get(k, 0.0) + (w if w < pw else pw)      # min(previous, this): the first when equal
        pt, pw = t, w
    return bag


# -------------------------------------------------------------------------- scoring
@dataclass
class Scores:
    """Similarity matrices, parent tasks in rows, child tasks in columns."""
    sim: np.ndarray
    cos: np.ndarray
    ratio: np.ndarray
    cont_pc: np.ndarray     # share of the parent's weight present in the child
    cont_cp: np.ndarray     # share of the child's weight present in the parent
    weights: object = None  # dense (parents + children) × features array of tf × idf weights

    def row(self, k: int) -> dict[int, float]:
        """Feature → weight of row k (parents first, then children), its features only."""
        r = self.weights[k]
        nz = np.flatnonzero(r)
        return dict(zip(nz.tolist(), r[nz].tolist()))


def _sum_rows(present: np.ndarray, *arrays: np.ndarray) -> list[np.ndarray]:
    """Row sums (a column each) of each array over each row's features, rounded as scipy.sparse's CSR
    row sum (`np.add.reduceat` over the stored values) rounds them: scores stay the same to the last
    bit as they were with scipy.sparse, and tied assignments are decided by those bits."""
    mask = present > 0
    counts = mask.sum(axis=1)
    some = counts > 0
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[some]
    out = []
    for a in arrays:
        o = np.zeros(a.shape[0])
        if len(starts):
            o[some] = np.add.reduceat(a[mask], starts)
        out.append(o[:, None])
    return out


def _sum_products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b.T with each entry's products added left to right, in feature order, as scipy.sparse's
    CSR product adds them (see `_sum_rows`)."""
    n, m, k = a.shape[0], b.shape[0], a.shape[1]
    if k == 0:
        return np.zeros((n, m))
    if n * m < 2:     # a single entry: its products lie along the fast axis, where numpy sums pairwise
        return np.add.accumulate(a[:, None, :] * b[None, :, :], axis=2)[:, :, -1]
    # features × entries, C order: a reduction over the first (slow) axis adds one feature's products
    # to every entry at a time, in feature order, as accumulate does (numpy sums pairwise only along
    # the fast axis) — 4× faster than accumulating along the features
    cube = np.ascontiguousarray(a.T)[:, :, None] * np.ascontiguousarray(b.T)[:, None, :]
    return np.add.reduce(cube.reshape(k, n * m), axis=0).reshape(n, m)


_FEATURE_IDS: dict[str, int] = {}     # feature → a number of this process (`_bag`'s arrays use it)
FEATURE_IDS_MAX = 200_000              # past this many, the numbers (and the bags holding them) start anew


@lru_cache(maxsize=512)        # a parent's texts, met again with each child; a child's, within its pair
def _bag(text: str, segmenter: str, coined: Acronyms = frozenset()) -> tuple[dict[str, float], str,
                                                                            np.ndarray, np.ndarray]:
    """A task text's feature bag, its words joined by spaces (what fuzz.ratio compares), and the bag
    as arrays (feature numbers from _FEATURE_IDS, weights) in the bag's order: computed once per text
    and run, however many documents a province task is compared with."""
    toks = words(text, segmenter, coined)
    bag = features(toks)
    for f in filterfalse(_FEATURE_IDS.__contains__, bag):     # new features, numbered in the bag's order
        _FEATURE_IDS[f] = len(_FEATURE_IDS)
    ids = np.fromiter(map(_FEATURE_IDS.__getitem__, bag), dtype=np.intp, count=len(bag))
    return bag, " ".join(toks.text), ids, np.fromiter(bag.values(), dtype=np.float64, count=len(bag))


def _columns(ids: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """Each row's features as column numbers, the columns in the order the features first occur over
    the rows (parents first: the sums of `scores` run in this order), and the number of columns."""
    flat = np.concatenate(ids)
    uniq, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    rank = np.empty(len(uniq), dtype=np.intp)
    rank[np.argsort(first, kind="stable")] = np.arange(len(uniq))
    return rank[inverse], len(uniq)


def scores(parent_texts: list[str], child_texts: list[str],
           segmenter: str = DEFAULT_SEGMENTER, coined: Acronyms = frozenset()) -> Scores:
    """All pairwise similarity matrices between two lists of task texts.

    Dense numpy over the two documents' vocabulary (a few hundred features): at a dozen tasks a
    side, scipy.sparse cost more in bookkeeping than the arithmetic it saved."""
    from rapidfuzz import fuzz, process

    n, m = len(parent_texts), len(child_texts)
    if n == 0 or m == 0:
        z = np.zeros((n, m))
        return Scores(z, z.copy(), z.copy(), z.copy(), z.copy())
    if len(_FEATURE_IDS) > FEATURE_IDS_MAX:     # bounded memory over a long run: number features anew
        _FEATURE_IDS.clear()
        _bag.cache_clear()
    bags = [_bag(t, segmenter, coined) for t in parent_texts + child_texts]
    # columns: features in the order they first occur, parents first (sums run in this order)
    cols, width = _columns([b[2] for b in bags])
    tf = np.zeros((n + m, max(width, 1)))
    present = np.zeros_like(tf)
    rows = np.repeat(np.arange(n + m), [len(b[2]) for b in bags])
    tf[rows, cols] = np.concatenate([b[3] for b in bags])
    present[rows, cols] = 1.0
    df = present.sum(axis=0)
    idf = np.log1p((n + m) / np.maximum(df, 1))
    w = tf * idf                                     # tf × idf
    p, c = w[:n], w[n:]
    # each row summed alone, in its features' order: parents and children in one pass
    squares, sums = _sum_rows(present, w * w, w)
    norms = np.sqrt(squares)
    pn, cn = norms[:n], norms[n:]
    psum, csum = sums[:n], sums[n:]
    # products only over features both sides have (the others add exact zeros)
    shared = present[:n].any(axis=0) & present[n:].any(axis=0)
    ps, cs = p[:, shared], c[:, shared]
    pbs, cbs = present[:n, shared], present[n:, shared]
    if n * m * ps.shape[1] <= DENSE_PRODUCTS:
        # the three products at once: [weights; presence] of the parents by those of the children
        both = _sum_products(np.vstack((ps, pbs)), np.vstack((cs, cbs)))
        dot, pc, cp = both[:n, :m], both[:n, m:], both[n:, :m]
    else:               # two long documents: scipy.sparse itself, the same arithmetic without the cube
        from scipy import sparse
        ps, cs, pbs, cbs = (sparse.csr_matrix(x) for x in (ps, cs, pbs, cbs))
        dot, pc, cp = (ps @ cs.T).toarray(), (ps @ cbs.T).toarray(), (pbs @ cs.T).toarray()
    cos = dot / np.where(pn == 0, 1, pn) / np.where(cn == 0, 1, cn).T
    cont_pc = pc / np.where(psum == 0, 1, psum)
    cont_cp = cp / np.where(csum == 0, 1, csum).T
    strings = [b[1] for b in bags]
    ratio = process.cdist(strings[:n], strings[n:], scorer=fuzz.ratio,
                          dtype=np.float64, workers=1) / 100.0
    above = np.clip((ratio - RATIO_CHANCE) / (1 - RATIO_CHANCE), 0, 1)
    sim = COS_WEIGHT * cos + (1 - COS_WEIGHT) * above
    return Scores(sim, cos, ratio, cont_pc, cont_cp, w)

