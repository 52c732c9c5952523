"""Is a text layer real Vietnamese, or the junk left by an OCR that knew no Vietnamese?

Many scanned PDFs carry an invisible text layer made by a scanner's English OCR:
`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM` comes out as `cgNG HoA xA ngr cnu ilcnia vrET NAM`.
Such a layer passes every "has text" test but yields nothing right, so the PDF must be
OCRed as if it had no text at all.

The test is phonotactic: Vietnamese is written in syllables (onset + rhyme + one tone
mark) drawn from a small closed inventory (cascade/data/vi_rhymes.txt). Real text is
> 85 % valid syllables, with diacritics on about half of them; junk layers are below
60 % and nearly free of diacritics.

- `syllable_ok(word)` — one word is a possible Vietnamese syllable.
- `assess(text)` — the counts behind the score (`Quality`).
- `text_quality(text)` — 0..1, the share of valid syllables, scaled down when the text
  has almost no diacritics.
- `is_junk(text)` — the text layer is not worth keeping.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parents[1] / "data" / "vi_rhymes.txt"

# tone marks as combining characters (NFD) → tone name
_TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi", "\u0323": "nang"}
_STOP_TONES = {None, "sac", "nang"}   # tones a syllable closed by c/ch/p/t may carry (None: folded text)

# thresholds measured over the PDFs of realdocs (benchmarks/ocr_eval.py --junk)
JUNK_VALID_SHARE = 0.80      # below: junk
JUNK_DIACRITIC_SHARE = 0.30  # share of syllables with a Vietnamese diacritic; below: junk
MIN_WORDS = 12               # fewer scoring words: no verdict from the text alone


def _load():
    sections: dict[str, list[str]] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, items = line.partition(":")
        sections.setdefault(key.strip(), []).extend(items.split())
    return sections


_S = _load()
ONSETS = tuple(sorted(_S["onsets"], key=len, reverse=True))
RHYMES = frozenset(_S["rhymes"])
STOP_CODAS = tuple(sorted(_S["stop_codas"], key=len, reverse=True))
FRONT_ONLY = frozenset(_S["front_only"])
NOT_FRONT = frozenset(_S["not_front"])
LOANS = frozenset(_S.get("loans", ()))
_FRONT = ("i", "e", "ê", "y")

# a letter run; digits and punctuation split words
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
# letters that only Vietnamese (or its legacy-font mojibake) uses
_VI_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


def _split_tone(word: str) -> tuple[str, str | None, bool]:
    """(toneless lower-case word in NFC, tone, ok) — ok False when two tone marks occur."""
    d = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in d if ch in _TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONE_MARKS))
    if len(tones) > 1:
        return base, None, False
    return base, _TONE_MARKS[tones[0]] if tones else None, True


@lru_cache(maxsize=65536)
def syllable_ok(word: str) -> bool:
    """True if `word` (one token, any case) is a possible Vietnamese syllable."""
    if not word:
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False   # "cgNG", "HoA": case changing inside a word
    base, tone, ok = _split_tone(word)
    if not ok:
        return False
    if base in LOANS:
        return True
    for onset in ONSETS + ("",):
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset):]
        if onset == "gi" and (rhyme == "" or "i" + rhyme in RHYMES):
            pass    # gì, gìn: the i of gi is also the vowel
        elif rhyme not in RHYMES:
            continue
        if onset in FRONT_ONLY and not rhyme.startswith(_FRONT):
            continue
        if onset in NOT_FRONT and rhyme.startswith(_FRONT) and onset != "g":
            continue
        if onset == "g" and rhyme.startswith(("e", "ê")):
            continue
        if onset == "qu" and rhyme.startswith(("u", "o")):
            continue
        if rhyme.endswith(STOP_CODAS) and tone not in _STOP_TONES:
            continue
        return True
    return False


def _neutral(word: str) -> bool:
    """Tokens that say nothing either way: list marks and initials (one letter), and
    abbreviations: a capital first, >= 2 capitals, no lower-case vowel (UBND, TTr, QĐ, ĐBQH)."""
    if len(word) == 1:
        return True
    lower = [ch for ch in word if ch.islower()]
    capitals = len(word) - len(lower)
    return (word[0].isupper() and capitals >= 2
            and not any(unicodedata.normalize("NFD", ch)[0] in "aeiouy" for ch in lower))


@dataclass
class Quality:
    words: int = 0          # scoring words (valid + invalid)
    valid: int = 0
    marked: int = 0         # valid words carrying a Vietnamese diacritic
    neutral: int = 0

    @property
    def valid_share(self) -> float:
        return self.valid / self.words if self.words else 0.0

    @property
    def diacritic_share(self) -> float:
        return self.marked / self.words if self.words else 0.0

    @property
    def score(self) -> float:
        if not self.words:
            return 0.0
        # real Vietnamese marks ~40-60 % of its syllables; text with none is folded or junk
        return self.valid_share * min(1.0, self.diacritic_share / 0.25)


def assess(text: str, limit: int = 20000) -> Quality:
    """Counts over the first `limit` characters."""
    q = Quality()
    # each distinct word judged once (a page repeats most of its words)
    for w, n in Counter(_WORD_RE.findall(unicodedata.normalize("NFC", text[:limit]))).items():
        if syllable_ok(w):
            q.valid += n
            q.words += n
            if _VI_MARKED.search(w.lower()):
                q.marked += n
        elif _neutral(w):
            q.neutral += n
        else:
            q.words += n
    return q


def text_quality(text: str) -> float:
    """0..1: share of words that are Vietnamese syllables, scaled down for text without diacritics."""
    return assess(text).score


def is_junk(text: str) -> bool:
    """True when a text layer is not real Vietnamese (English-OCR junk, glyph soup, mojibake)."""
    q = assess(text)
    if q.words < MIN_WORDS:
        return False
    return q.valid_share < JUNK_VALID_SHARE or q.diacritic_share < JUNK_DIACRITIC_SHARE
