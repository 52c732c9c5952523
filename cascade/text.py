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
from functools import lru_cache, wraps

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
# document cost ~30 % of a .txt parse). Bounded and anchored at a word start: with `\w*` on
# both sides every position of a long run of letters re-scanned the run (quadratic: 101 s for
# 100,000 characters after one "HOẠCH"); a "word" of more than 30 letters is no syllable.
_TONED_WORD = re.compile(r"(?<!\w)\w{0,30}" + _TONED_SECOND.pattern + r"\w{0,30}(?!\w)")


_WORD_CHAR = re.compile(r"\w")
_WORD_REST = re.compile(r"\w*")


def _retone_match(m: "re.Match") -> str:
    return _retone_cached(m.group(0))


# _retone_word changes a word only where such a pair ends it ("hoá", not "toàn", "quản")
_TONED_FINAL = re.compile(_TONED_SECOND.pattern + r"(?!\w)")


def nfc(text: str) -> str:
    """NFC with canonical tone placement. Idempotent."""
    text = unicodedata.normalize("NFC", text)
    if not _TONED_FINAL.search(text):
        return text
    # _TONED_WORD only matches a whole word (a run of \w), so it runs on the words that end with
    # a pair, not over the whole text (the whole text: ~0.2 ms of a 4 KiB document)
    out: list[str] = []
    last = 0            # end of the last word handled: the text before it is done
    for m in _TONED_FINAL.finditer(text):
        a = m.start()
        if a < last:    # in the word just handled
            continue
        while a > last and _WORD_CHAR.match(text, a - 1):
            a -= 1
        b = _WORD_REST.match(text, m.end()).end()
        out.append(text[last:a])
        out.append(_TONED_WORD.sub(_retone_match, text[a:b]))
        last = b
    out.append(text[last:])
    return "".join(out)


# --- cleaning ---------------------------------------------------------------------
def _invisible_ranges() -> list[tuple[int, int]]:
    """Every Unicode format character (category Cf: zero-width spaces and joiners, soft
    hyphen, BOM, bidi embeddings/overrides/isolates such as U+202E, tags …) plus the blank
    "letters" and variation selectors that draw nothing, as code-point ranges. Removed from
    text: typed before a number they hide it from every pattern. Built from the Unicode
    database; the planes scanned are the ones that hold Cf characters (the whole range would
    cost 0.2 s)."""
    cps = [cp for block in (range(0x10000), range(0x11000, 0x14000), range(0x1BC00, 0x1D200),
                            range(0xE0000, 0xE0100))
           for cp in block if unicodedata.category(chr(cp)) == "Cf"]
    cps += [0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10)]
    ranges: list[list[int]] = []          # as ranges: 13x faster to match than 184 single characters
    for cp in sorted(set(cps)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return [(a, b) for a, b in ranges]


def _char_class(ranges, extra: str = "") -> str:
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                         for a, b in ranges) + extra + "]"


_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\x0b\x0c]")
# C0 and C1 control characters (NUL included); NEL (U+0085) is a line break, below
_CTRL = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Unicode line and paragraph separators and NEL end a line like "\n" (a U+2028 file
# otherwise came out as one line and lost all structure)
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
# markdown debris: emphasis marks, headings, <sup>…</sup> footnote initials, html tags
_MD_SUP = re.compile(r"<sup>.{0,200}?</sup>", re.S | re.I)   # bounded: an unclosed <sup> scanned to the end
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
_LOOKALIKE_CHARS = re.compile("[" + "".join(map(chr, _LOOKALIKES)) + "]")


@lru_cache(maxsize=1)
def _removed() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """What clean() removes (invisible and control characters), in two classes — a class holding
    ranges above U+FFFF is matched range by range (5x slower over a document), so that one runs
    only on a text holding such characters — and any character clean()'s four steps change:
    (odd characters, removed in the BMP, removed above it). Built at the first clean(), not at
    import: reading the Unicode database took ~10 ms of every command, `tree` and `show` included."""
    invisible = _invisible_ranges()
    bmp = re.compile(_char_class([(a, min(b, 0xFFFF)) for a, b in invisible if a < 0x10000], _CTRL))
    astral = re.compile(_char_class([(max(a, 0x10000), b) for a, b in invisible if b >= 0x10000]))
    odd = re.compile(bmp.pattern[:-1] + _ODD_SPACE.pattern[1:-1] + _LOOKALIKE_CHARS.pattern[1:-1]
                     + _ASTRAL.pattern[1:])
    return odd, bmp, astral


# from the first space of a run only: "[ ]+\n" retried at every space of a long run
# without a line break (quadratic)
_TRAILING_SPACES = re.compile(r"(?<![ ])[ ]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str, markdown: bool = True) -> str:
    """Normalise a loaded document's text (line structure kept)."""
    # each step runs only when what it needs is there (checked by `in` or a one-class search,
    # both in C): over a 4 KiB document the steps ran ~0.5 ms finding nothing
    if "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        text = _LINE_BREAKS.sub("\n", text)
    odd, removed_bmp, removed_astral = _removed()
    if odd.search(text):               # one scan; most documents have none of these
        if _LOOKALIKE_CHARS.search(text):
            text = text.translate(_LOOKALIKES)      # str.translate: ~60 ns a character
        text = removed_bmp.sub("", text)
        if _ASTRAL.search(text):
            text = removed_astral.sub("", text)
        text = _ODD_SPACE.sub(" ", text)
    text = nfc(text)
    if markdown:
        text = strip_markdown(text)
    # trailing spaces; at most one blank line in a row
    if " \n" in text:
        text = _TRAILING_SPACES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n ")


# --- memoising ---------------------------------------------------------------------
def short_memo(maxsize: int, longest: int, size=len):
    """lru_cache for a pure function, used only where its first argument measures (`size`) at most
    `longest`: the same short header lines, headings and list marks recur in every document, while a
    hostile file's megabyte line must not be held by a cache after its parse. The result is
    shared between calls: callers must not change it (or must copy it)."""
    def wrap(fn):
        memo = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(first, *rest, **kw):
            return (fn if size(first) > longest else memo)(first, *rest, **kw)
        call.cache_clear = memo.cache_clear
        return call
    return wrap


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
# One number of a decimal list mark ("7." "12)" "1.2." "150."): 1–99 as before, 100–999999
# only when "." or ")" closes it. Items 100 and above used to be read as running text and
# glued to item 99. At the start of a line (ITEM_NUMBER) a year is no mark: "năm\n2025. Các
# sở …" is a sentence wrapped by a converter; the task reader (tasks.py) takes a large number,
# year or not, only as the successor of the item before it.
ITEM_NUMBER_ANY = r"(?:[1-9]\d{2,5}(?=[.)])|\d{1,2})"
ITEM_NUMBER = r"(?:(?!(?:19|20)\d\d[.)])" + ITEM_NUMBER_ANY[3:]



# A line starting like this begins a new paragraph (list marks, headings, header lines).
def _new_para_pattern() -> "re.Pattern":
    up = UPPER
    return re.compile(
        r"^(?:"
        rf"[-–—+•●▪◦∙·*](?:\s|(?=[{up}]))"              # bullets, also "-Đối với"
        rf"|{ITEM_NUMBER}(?:\.{ITEM_NUMBER})*[.)]\s?"    # 1.  1.1.  2)  150.
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
    # the paragraph being built, joined once when it closes ("out[-1] + line" copied the
    # whole paragraph per line: quadratic on a long one), and its case so far (the
    # joined text's isupper(), without rejoining it)
    parts: list[str] = []
    has_upper = has_lower = False
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if parts and _continues(parts[-1], has_upper and not has_lower, line, wrapped):
            parts.append(line)
        else:
            if parts:
                out.append(" ".join(parts))
            parts = [line]
            has_upper = has_lower = False
        has_upper = has_upper or line != line.lower()
        has_lower = has_lower or line != line.upper()
    if parts:
        out.append(" ".join(parts))
    return out


def _continues(prev: str, prev_upper: bool, line: str, wrapped: bool = True) -> bool:
    """Does `line` continue the paragraph whose last line is `prev` (`prev_upper`: the
    paragraph so far is in capitals)?"""
    if wrapped and _MID_SENTENCE_START().match(line) and not ends_sentence(prev):
        # a converter wrapped "kinh tế - xã hội" or "tại Điều 8 Nghị định …" onto a new
        # line: a dash before a lower-case word, or an article number with no '.'/':', goes on
        return True
    if starts_paragraph(line):
        return False
    first = line[0]
    if first.islower() or first in ",;)":
        return True
    return wrapped and not ends_sentence(prev) and not prev_upper and not line.isupper()


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
