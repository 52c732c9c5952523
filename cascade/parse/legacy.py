"""Vietnamese text typed in legacy 8-bit fonts (TCVN3/ABC `.VnTime`, VNI `VNI-Times`).

Before Unicode, offices typed Vietnamese with fonts that draw Vietnamese letters in
the slots of Latin-1 characters. Read as Unicode, such text is mojibake:
`Céng hoµ x· héi chñ nghÜa ViÖt Nam` (TCVN3), `Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam` (VNI).

- `detect(text) -> "unicode" | "tcvn3" | "vni"` — by character statistics, confirmed by
  converting: the result must be far more valid Vietnamese (cascade.parse.quality) than
  the input. A font name is a hint, never proof: several real .docx name `.VnTime` over
  proper Unicode text, and those are left alone.
- `to_unicode(text, encoding) -> str` — the mapping tables are data
  (cascade/data/legacy_tcvn3.tsv, legacy_vni.tsv).
- `fix(text, font_hint=None) -> (text, encoding)` — what the pipeline calls, on loaded
  text before `normalise.clean()`; `font_hint` is a font name or the docx loader's
  `extras["fonts"]` list (most used first; only the first counts).

TCVN3 has no upper-case toned letters: headings are typed with the lower-case codes in
an upper-case font (`.VnTimeH`). With such a font hint the converted text is upper-cased;
without one, words/lines whose plain letters are all upper case are upper-cased.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from cascade.parse import quality

_DATA = Path(__file__).resolve().parents[1] / "data"

UNICODE, TCVN3, VNI = "unicode", "tcvn3", "vni"

MIN_SIGNS = 3            # fewer legacy signature characters: unicode, without trying
MIN_GAIN = 0.25          # converted text must gain this much valid-syllable share
MIN_RESULT = 0.6         # and reach this share


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, str]]:
    tcvn: dict[str, str] = {}
    for line in (_DATA / "legacy_tcvn3.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, _shown, uni = line.split("\t")
        tcvn[chr(int(code[2:], 16))] = uni
    vni: dict[str, str] = {}
    for line in (_DATA / "legacy_vni.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        seq, uni = line.split("\t")
        vni[seq] = uni
    return {TCVN3: tcvn, VNI: vni}


@lru_cache(maxsize=1)
def _patterns():
    t = _tables()
    tcvn_re = re.compile("[" + re.escape("".join(t[TCVN3])) + "]")
    seqs = sorted(t[VNI], key=len, reverse=True)
    vni_re = re.compile("|".join(re.escape(s) for s in seqs))
    # signature characters: legacy slots that Vietnamese Unicode never uses
    uni_letters = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
    tcvn_sig = "".join(sorted(c for c in t[TCVN3] if c not in uni_letters))
    vni_chars = {c for s in t[VNI] for c in s if ord(c) > 0x7F}
    vni_sig = "".join(sorted(c for c in vni_chars if c not in uni_letters))
    return tcvn_re, vni_re, re.compile("[" + re.escape(tcvn_sig) + "]"), re.compile("[" + re.escape(vni_sig) + "]")


def to_unicode(text: str, encoding: str) -> str:
    """Convert legacy-font text to Unicode (NFC). `encoding` is "tcvn3" or "vni"."""
    tables = _tables()
    tcvn_re, vni_re, _, _ = _patterns()
    if encoding == TCVN3:
        table = tables[TCVN3]
        return tcvn_re.sub(lambda m: table[m.group(0)], text)
    if encoding == VNI:
        table = tables[VNI]
        return vni_re.sub(lambda m: table[m.group(0)], text)
    if encoding == UNICODE:
        return text
    raise ValueError(f"unknown legacy encoding {encoding!r} (expected tcvn3 or vni)")


_ASCII_UPPER = re.compile(r"[A-Z]")
_ASCII_LOWER = re.compile(r"[a-z]")
_WORD = re.compile(r"[^\W\d_]+")


def _caps_word(word: str) -> bool:
    """A heading word typed in an upper-case font: no lower-case ASCII letter, a converted
    letter in lower case (TCVN3 has no other), and an upper-case ASCII letter that is not
    only the initial: `CộNG`, `HOà`, `ñY` → `ỦY`; but `Hà` stays `Hà`."""
    if _ASCII_LOWER.search(word) or not any(ord(ch) > 0x7F and ch.islower() for ch in word):
        return False
    return bool(_ASCII_UPPER.search(word[1:]))


def _all_caps(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and not _ASCII_LOWER.search(token) and (
        all(ch.isupper() for ch in letters) or _caps_word(token))


def _heading_line(line: str) -> bool:
    """A line of capitals (issuer, type heading): no lower-case ASCII, >= 2 all-caps words,
    >= 3 upper-case ASCII letters. Symbols and dates (tokens with digits or '/') don't count,
    so `Sè: 15/Q§-UBND` is no heading."""
    tokens = [t for t in line.split() if not any(ch.isdigit() or ch == "/" for ch in t)]
    if not tokens or any(_ASCII_LOWER.search(t) for t in tokens):
        return False
    if sum(_all_caps(t) for t in tokens) < 2:
        return False
    return sum(len(_ASCII_UPPER.findall(t)) for t in tokens) >= 3 and all(
        _all_caps(t) or len([c for c in t if c.isalpha()]) <= 3 for t in tokens)


def _restore_caps(text: str, upper: bool) -> str:
    """TCVN3 headings: lower-case legacy codes shown by an upper-case font."""
    if upper:
        return text.upper()
    out = []
    for line in text.split("\n"):
        if _heading_line(line):
            out.append(line.upper())      # `CộNG HOà X· HộI`, `PHƯỜNG UÔNG Bí` → all capitals
        else:
            out.append(_WORD.sub(lambda m: m.group(0).upper() if _caps_word(m.group(0)) else m.group(0), line))
    return "\n".join(out)


def _main_font(font_hint) -> str | None:
    """A font hint as given: a name, or the loader's `extras["fonts"]` (most used first)."""
    if isinstance(font_hint, (list, tuple)):
        return font_hint[0] if font_hint else None
    return font_hint


def _font_says(font_hint) -> str | None:
    font_hint = _main_font(font_hint)
    if not font_hint:
        return None
    f = font_hint.strip().lower()
    if f.startswith(".vn") or f.startswith("vn") and not f.startswith("vni"):
        return TCVN3
    if f.startswith("vni"):
        return VNI
    return None


def _upper_font(font_hint) -> bool:
    """`.VnTimeH`, `.VnArialH`: the TCVN3 upper-case fonts end in H."""
    font_hint = _main_font(font_hint)
    return bool(font_hint) and font_hint.strip().startswith(".Vn") and font_hint.strip().endswith("H")


def signs(text: str) -> tuple[int, int]:
    """(TCVN3 signature characters, VNI signature characters) in the text."""
    _, _, tsig, vsig = _patterns()
    if not _any_sign().search(text):        # one scan for the usual Unicode text, not two
        return 0, 0
    return len(tsig.findall(text)), len(vsig.findall(text))


@lru_cache(maxsize=1)
def _any_sign():
    _, _, tsig, vsig = _patterns()
    return re.compile(tsig.pattern[:-1] + vsig.pattern[1:])


@lru_cache(maxsize=1)
def _evidence_patterns():
    t = _tables()
    vni_chars = {c for seq in t[VNI] for c in seq if ord(c) > 0x7F}
    tcvn_only = "".join(sorted(c for c in t[TCVN3] if c not in vni_chars))
    # VNI writes a toned vowel as the plain vowel + a modifier byte: "oä", "aø", "Vieät"
    modifiers = "".join(sorted({seq[1] for seq in t[VNI] if len(seq) == 2}))
    return (re.compile("[" + re.escape(tcvn_only) + "]"),
            re.compile("[aeiouyAEIOUY][" + re.escape(modifiers) + "]"))


def _evidence(text: str) -> tuple[int, int]:
    """(characters only TCVN3 uses, vowel + modifier pairs only VNI makes): which to try first."""
    t_re, v_re = _evidence_patterns()
    return len(t_re.findall(text)), len(v_re.findall(text))


def _share(text: str) -> float:
    """Valid syllables among all words (abbreviation-like words count as not valid here:
    mojibake capitals such as `COÄNG` look like abbreviations to the junk test)."""
    q = quality.assess(text)
    total = q.words + q.neutral
    return q.valid / total if total else 0.0


# characters Windows-1258 puts where Latin-1 has the legacy-font bytes: a legacy file
# decoded as cp1258 (the txt loader's fallback) must be mapped back to those bytes first
_CP1258_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u20ab"
                          "\u0300\u0301\u0303\u0309\u0323]")


def _variants(text: str):
    """The text as given, and (when it looks decoded as Windows-1258) as Windows-1252 shows it."""
    yield text
    if _CP1258_ONLY.search(text):
        try:
            yield text.encode("cp1258").decode("cp1252", errors="replace")
        except UnicodeEncodeError:
            pass


def _best(text: str, font_hint: str | None, sample: int = 20000) -> tuple[str, str]:
    """(encoding, the variant of the text to convert)."""
    hinted = _font_says(font_hint)
    best_enc, best_src, best_share = UNICODE, text, None
    before = None
    for variant in _variants(text):
        s = variant[:sample]
        t_signs, v_signs = signs(s)
        if max(t_signs, v_signs) < (1 if hinted else MIN_SIGNS):
            continue
        if before is None:
            before = _share(text[:sample])
            best_share = before
        t_ev, v_ev = _evidence(s)
        if not hinted and t_ev == v_ev == 0:
            continue    # "Tæ" is TCVN3 "Tổ" or VNI "Tỉ": nothing tells them apart, leave it
        candidates = [TCVN3, VNI] if t_ev > v_ev else [VNI, TCVN3]
        if hinted:
            candidates.remove(hinted)
            candidates.insert(0, hinted)
        for enc in candidates:
            share = _share(_convert(s, enc, font_hint))
            if share > best_share:
                best_enc, best_src, best_share = enc, variant, share
    if best_enc != UNICODE and best_share >= MIN_RESULT and best_share - before >= MIN_GAIN:
        return best_enc, best_src
    return UNICODE, text


def detect(text: str, font_hint: str | None = None, sample: int = 20000) -> str:
    """"unicode", "tcvn3" or "vni" — by character statistics, confirmed by conversion."""
    return _best(text, font_hint, sample)[0]


def fix(text: str, font_hint: str | None = None) -> tuple[str, str]:
    """(Unicode text, encoding found). Unicode input comes back unchanged.

    Call it on loaded text before `normalise.clean()` (NFC would merge the combining marks
    of a legacy file that the txt loader decoded as Windows-1258).
    """
    enc, src = _best(text, font_hint)
    if enc == UNICODE:
        return text, UNICODE
    return _convert(src, enc, font_hint), enc


def _convert(text: str, enc: str, font_hint: str | None) -> str:
    out = to_unicode(text, enc)
    if enc == TCVN3:
        out = _restore_caps(out, _upper_font(font_hint))
    return out


# --- the inverse, for tests and for generating legacy samples ---------------------
@lru_cache(maxsize=2)
def _inverse(encoding: str) -> dict[str, str]:
    table = _tables()[encoding]
    inv: dict[str, str] = {}
    for legacy, uni in table.items():
        inv.setdefault(uni, legacy)
    return inv


def from_unicode(text: str, encoding: str) -> str:
    """Unicode (NFC) → legacy-font text. TCVN3 has no upper-case toned letters: they are
    written with the lower-case code (as a .VnTimeH heading would be typed)."""
    import unicodedata
    inv = _inverse(encoding)
    text = unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        # what TCVN3 typists wrote for a capital toned U: the tone on the y ("Uỷ ban")
        text = re.sub(r"Ủy(?=\W|$)", "Uỷ", text)
    out = []
    for ch in text:
        if ch in inv:
            out.append(inv[ch])
        elif encoding == TCVN3 and ch.lower() in inv and ch.isupper():
            out.append(inv[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)
