"""Vietnamese text normalisation: the one place where text is made comparable.

- `nfc(text)`: Unicode NFC plus one canonical tone-mark placement (`hoá` → `hóa`,
  `Uỷ` → `Ủy`, `thuỷ` → `thủy`), as the gold data and most current documents write it.
- `clean(text)`: what every loaded document goes through: NFC + tones, newlines, odd
  spaces, zero-width characters, markdown debris.
- `fold(text)`: lower case without diacritics, `đ` → `d`: for matching keys and names.
- `join_lines(lines)`: rebuild paragraphs from text broken by PDF-to-text conversion.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- tone marks -------------------------------------------------------------------
# Tone marks as combining characters (NFD); the base vowels that can carry them.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")



def _retone_word(word: str) -> str:
    d = unicodedata.normalize("NFD", word)
    if not any(ch in _TONES for ch in d):
        return word
    low = d.lower()
    # only two-letter vowel clusters oa/oe/uy closing the syllable
    for pair in ("oa", "oe", "uy"):
        i = low.rfind(pair)
        if i < 0:
            continue
        j = i + 2
        if j >= len(d) or d[j] not in _TONES:
            continue
        rest = d[j + 1:]
        if rest:  # a consonant (or another vowel) follows: not an open syllable
            continue
        if i > 0 and low[i - 1] == "q":   # qu + y: tone stays on y
            continue
        if i > 0 and low[i - 1] in "aăâeêioôơuưy":  # part of a longer vowel cluster
            continue
        tone = d[j]
        d = d[:i + 1] + tone + d[i + 1:j]
        break
    return unicodedata.normalize("NFC", d)


@lru_cache(maxsize=65536)
def _retone_cached(word: str) -> str:
    return _retone_word(word)


_TONED_SECOND = re.compile(
    "[oOuU][áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸýỳỷỹỵÝỲỶỸỴ]")


# only the words that hold such a pair are looked at (profiling: retoning every word of a
# document cost ~30 % of a .txt parse)
_TONED_WORD = re.compile(r"\w*" + _TONED_SECOND.pattern + r"\w*")


def nfc(text: str) -> str:
    """NFC with canonical tone placement. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    if not _TONED_SECOND.search(text):
        return text
    return _TONED_WORD.sub(lambda m: _retone_cached(m.group(0)), text)


# --- cleaning ---------------------------------------------------------------------
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\x0b\x0c]")
_CTRL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# markdown debris: emphasis marks, headings, <sup>…</sup> footnote initials, html tags
_MD_SUP = re.compile(r"<sup>.*?</sup>", re.S | re.I)
_MD_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,40}>")
_MD_EMPH = re.compile(r"(\*\*|__)")
_MD_ITALIC_WORD = re.compile(r"(?<!\w)\*[^\s*]{1,4}\*(?!\w)")   # "*th*" initials of typists
_MD_SINGLE_STAR = re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def strip_markdown(text: str) -> str:
    # each pattern runs only when the character it needs is there: most documents have none
    if "<" in text:
        text = _MD_SUP.sub("", text)
        text = _MD_TAG.sub("", text)
    if "*" in text:
        text = _MD_ITALIC_WORD.sub("", text)
    if "**" in text or "__" in text:
        text = _MD_EMPH.sub("", text)
    if "*" in text:
        text = _MD_SINGLE_STAR.sub("", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


# look-alikes that break matching: Icelandic eth for Đ/đ (seen in ministry PDFs)
# pdfium returns U+FFFE where a hyphen ends a line (`2769/UBND\ufffeNCKSTTHC`)
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\ufffe": "-", "\u2010": "-", "\u2011": "-"})


def clean(text: str, markdown: bool = True) -> str:
    """Normalise a loaded document's text (line structure kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LOOKALIKES)
    text = _ZERO_WIDTH.sub("", text)
    text = _CTRL.sub("", text)
    text = _ODD_SPACE.sub(" ", text)
    text = nfc(text)
    if markdown:
        text = strip_markdown(text)
    # trailing spaces; at most one blank line in a row
    text = re.sub(r"[ ]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n ")


# --- folding ----------------------------------------------------------------------
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, whitespace collapsed: 'Quảng  Ninh' → 'quang ninh'."""
    t = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return " ".join(t.lower().split())


def squash(text: str) -> str:
    """Collapse all whitespace to single spaces."""
    return " ".join(text.split())


# --- line joining -----------------------------------------------------------------
# A line starting like this begins a new paragraph (list marks, headings, header lines).
def _new_para_pattern() -> "re.Pattern":
    up = UPPER
    return re.compile(
        r"^(?:"
        rf"[-–—+•●▪◦∙·*](?:\s|(?=[{up}]))"              # bullets, also "-Đối với"
        r"|\d{1,2}(?:\.\d{1,2})*[.)]\s?"                # 1.  1.1.  2)
        rf"|[a-zđ](?:[).]\s|\)(?=[{up}]))"              # a)  b.  "b)Điểm"
        r"|[IVXLC]{1,6}[.)]\s?"                          # I.  II)
        r"|(?:Điều|Chương|Mục|Phần|Khoản)\s+[\dIVXLC]+"
        r"|(?:Kính gửi|Nơi nhận|Căn cứ|Thực hiện|Số|V/v|TM\.|KT\.|TL\.|TUQ\.|Q\.)"
        r")"
    )


def starts_paragraph(line: str) -> bool:
    """Does this line begin a new paragraph (list item, heading, header field)?"""
    return bool(_new_para().match(line))


@lru_cache(maxsize=1)
def _MID_SENTENCE_START():
    return re.compile(rf"^(?:[-–]\s+[{LOWER}]|(?:Điều|Khoản|điểm)\s+\d+\s+(?![.:]))")


@lru_cache(maxsize=1)
def _new_para():
    return _new_para_pattern()


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", ":", ";", "!", "?", "./.", "/."))


def join_lines(lines: list[str], wrapped: bool = True) -> list[str]:
    """Join continuation lines into paragraphs.

    A line continues the previous one when it starts in lower case (a paragraph cut
    by a page break or by PDF-to-text line wrapping) or when the previous one did
    not end a sentence and this one is not a new list item / heading.
    Blank lines separate nothing by themselves: seed 000 puts one after every line.
    With `wrapped=False` (real paragraphs, as in .docx) only the lower-case rule applies.
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _continues(out[-1], line, wrapped):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


def _continues(prev: str, line: str, wrapped: bool = True) -> bool:
    if wrapped and _MID_SENTENCE_START().match(line) and not ends_sentence(prev):
        # a converter wrapped "kinh tế - xã hội" or "tại Điều 8 Nghị định …" onto a new
        # line: a dash before a lower-case word, or an article number with no '.'/':', goes on
        return True
    if starts_paragraph(line):
        return False
    first = line[0]
    if first.islower() or first in ",;)":
        return True
    return wrapped and not ends_sentence(prev) and not prev.isupper() and not line.isupper()


# Character classes for regexes that must tell case apart without re.IGNORECASE
# (11x slower on Vietnamese): every upper/lower-case letter Vietnamese uses.
_VI_LETTERS = "".join(sorted({
    ch for cp in list(range(0x41, 0x7B)) + list(range(0xC0, 0x250)) + list(range(0x1EA0, 0x1F00))
    for ch in [chr(cp)] if ch.isalpha()}))
UPPER = "".join(c for c in _VI_LETTERS if c.isupper())
LOWER = "".join(c for c in _VI_LETTERS if c.islower())


def one_line(value, limit: int = 300) -> str:
    """A message on one line: whitespace runs squashed, at most `limit` characters ("" for nothing)."""
    return " ".join(str(value).split())[:limit]
