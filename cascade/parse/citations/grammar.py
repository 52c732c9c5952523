"""The citation grammar: the patterns of a reference to another document, and the readers of its parts.

Numbers and symbols (`R_NUMBER`, `make_key`, `symbol_type`, `is_national`), type words, and what
follows a number — date, issuer, title, pinpoints (`read_tail`, `read_issuer`, `pinpoints`).
`find.py` scans text with these; `merge.py` and `relations.py` work on the citations found.

What counts as a citation:
1. a number with a document-number shape — `NUMBER/[YEAR/]SYMBOL` (`73/2023/NĐ-CP`,
   `2630/UBND-TH`, `223 /STP-BTTP`) or Party style `NUMBER-CODE/ISSUER` (`57-NQ/TW`) —
   with or without a type word before it (`Nghị định số`, `QĐ`, `văn bản`); the type comes
   from the word, else from the symbol's type code, else it is a `công văn`. The document's
   own `Số: …` header line and form numbers (`Mẫu số 01/…`) are not citations.
2. a short form: a capitalised type word and a bare number (`Nghị định 73`, `Nghị quyết số 57`),
   number kept as written, key None; `merge_citations` links it to the full form.
3. an un-numbered citation: a capitalised type word that the type table allows without a
   number (`Luật`, `Bộ luật`, `Pháp lệnh`, `Hiến pháp năm …`, `Nghị quyết Đại hội …`)
   followed by a capitalised title word: `Luật Cán bộ, công chức năm 2025`. Lower-case
   common nouns ("xây dựng chương trình, kế hoạch") are never citations.

After the number the grammar reads, in order, the date (`ngày 25/4/2025`, `ngày 25 tháng 4
năm 2025`, `01-10-1997`, partial `ngày tháng 5 năm 2026` → `2026-05`), the issuer (`của …`)
and the title (`về …`, `về việc …`, `V/v …`, `quy định về …`, or a verb such as `hướng dẫn`,
`ban hành`, `thực hiện` after the issuer). The phrase (start/end/text) covers all of these,
so a citation named inside another one's title lies inside that one's span — which is how
`assign_relations` tells a top-level item of a `Thực hiện …` list from a nested mention.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

from cascade import doctypes, registry
from cascade.parse.lexicon import first_letters
from cascade.text import starts_paragraph


class LazyPattern:
    """`re.compile(pattern, flags)` made on the first call of one of its methods: the largest
    patterns of this grammar take ~40 ms to compile, which every command paid at start-up although
    only parsing runs them (`tree`, `show` and the other store commands need `make_key` alone).
    After the first call the methods are plain attributes (no lookup through __getattr__)."""
    __slots__ = ("_args", "match", "search", "finditer", "findall", "fullmatch", "sub", "split")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)

    def __getattr__(self, name: str):
        p = re.compile(*self._args)
        for m in LazyPattern.__slots__[1:]:
            setattr(self, m, getattr(p, m))
        return getattr(p, name)

# --- character classes -------------------------------------------------------------
_LATIN = [chr(c) for c in range(0x41, 0x1EFA)
          if chr(c).isalpha() and unicodedata.name(chr(c), "").startswith("LATIN")]
UPPER = "".join(c for c in _LATIN if c.isupper())
LOWER = "".join(c for c in _LATIN if c.islower())
_U = f"[{UPPER}]"

# --- building blocks -----------------------------------------------------------------
# one group of a symbol: NĐ, UBND, C04, QH15, TTr, CAT(PC04), STP.ĐKT, KH&CN
_GROUP = (rf"(?:{_U}|\d)[{UPPER}{LOWER}0-9&]*(?:\.{_U}[{UPPER}{LOWER}0-9&]*)*"
          rf"(?:\((?:{_U}|\d)[{UPPER}0-9&]*\))?")
_GROUP_L = (rf"{_U}[{UPPER}{LOWER}0-9&]*(?:\.{_U}[{UPPER}{LOWER}0-9&]*)*"
            rf"(?:\((?:{_U}|\d)[{UPPER}0-9&]*\))?")
# hyphen, en dash, Unicode hyphens, minus, and U+FFFE that one PDF text layer has for "-"
_DASH_CHARS = "-–\u2010\u2011\u2212\ufffe"
_DASH = f"[{_DASH_CHARS}]"
# a group after a line break must look like a code (upper case, short): "NĐ-\nCP", "KH-\nUBND"
_GROUP_WRAPPED = rf"[{UPPER}0-9]{{1,10}}(?![{UPPER}{LOWER}0-9])"
_SYMBOL = rf"{_GROUP_L}(?:{_DASH}[ ]?{_GROUP}|{_DASH}\n{_GROUP_WRAPPED})*"   # "1925 /STC- HTDN" occurs
# last syllables of type words, and "số": these may be glued to the number in real text
# ("Công văn số1911/BNV-TCPCP", "Nghị định126/2024/NĐ-CP")
_GLUE_WORDS = sorted({w for t in doctypes.all_types() for f in (t.name, t.name.upper())
                      for w in (f.split()[-1],)} | {"số", "Số", "SỐ"})
_GLUED = "|".join(f"(?<={re.escape(w)}\\d)" for w in _GLUE_WORDS)
_PARTY_CODES = sorted({c for t in doctypes.all_types() for c in t.party_codes}, key=len, reverse=True)
# words that follow a slash after a number but are no symbol ("102/Ngày 15-3-2025")
_NOT_SYMBOL = r"(?:Ngày|NGÀY|Tháng|THÁNG|Năm|NĂM)(?![\w])"
# NUMBER/[YEAR/]SYMBOL  or  NUMBER-CODE/ISSUER[-UNIT]
_NUMBER = (
    # the boundary is checked after the first digit so that re can skip to digits fast (7x)
    rf"(?P<num>\d(?:(?<![\w/.\-–]\d)|(?<=[^\W\d_]\d)(?:{_GLUED}))\d{{0,4}}"
    # a dotted running number stands only before a year: "45.3/2025/NQ-CP"
    rf"(?:\.\d{{1,3}}(?=[ ]?/[ ]?\d{{4}}[ ]?/))?"
    rf"(?:[ ]?/[ ]?(?P<year>\d{{4,5}})[ ]?/[ ]?(?P<nsym>{_SYMBOL})"    # "45/25010/NĐ-CP": typo kept
    # never a date word: a Gazette page banner "CÔNG BÁO/Số 101 + 102/Ngày 15-3-2025" is no citation
    rf"|[ ]?/\s?(?!{_NOT_SYMBOL})(?P<asym>{_SYMBOL})"
    rf"|(?:[ ]?{_DASH}\s?|[ ])(?P<pcode>{_U}[{UPPER}{LOWER}]*)/(?P<pissuer>{_SYMBOL})"
    # Party number typed with a hyphen for the slash: "08-ĐA-TU" (issuer ends in U/W: TU, TW, HU, ĐU)
    rf"|{_DASH}(?P<pcode2>{'|'.join(map(re.escape, _PARTY_CODES))})-(?P<pissuer2>{_U}*[UW]))"
    rf")(?![\w/])"
)
R_NUMBER = LazyPattern(_NUMBER)      # 25,000 characters: ~26 ms to compile


def _capitalisations(name: str) -> list[str]:
    words = name.split()
    forms = {
        name,                                             # nghị định
        name[:1].upper() + name[1:],                      # Nghị định
        " ".join(w[:1].upper() + w[1:] for w in words),  # Nghị Định
        name.upper(),                                     # NGHỊ ĐỊNH
    }
    return sorted(forms, key=lambda s: (-len(s), s))


def _trie_regex(words: list[str]) -> str:
    """An alternation of literals as a prefix trie: fast in Python's re."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


_TYPES = doctypes.all_types()
_TYPE_WORDS = [f for t in _TYPES for f in _capitalisations(t.name)]
ABBREVS = {a: t.name for t in _TYPES for a in t.abbrevs}
_GENERIC = ["văn bản", "Văn bản", "VĂN BẢN"]           # type then comes from the symbol
_MODIFIERS = ["liên tịch", "phối hợp", "hành động", "liên ngành", "LIÊN TỊCH", "PHỐI HỢP", "HÀNH ĐỘNG"]
_SO = r"(?:số|Số|SỐ)"

_PIN_ONE = (
    r"(?:(?:điểm|Điểm)\s+[a-zđ](?:\s*(?:,|và)\s*(?:điểm\s+)?[a-zđ])*\s+)?"
    r"(?:(?:khoản|Khoản)\s+\d{1,3}(?:\[\d+\])?(?:\s*(?:,|và)\s*(?:khoản\s+)?\d{1,3}(?:\[\d+\])?)*\s+)?"
    r"(?:Điều|điều|Mục|mục)\s+(?:\d{1,3}|[IVX]{1,5})[a-zđ]?(?:\s*(?:,|và)\s*(?:Điều\s+)?\d{1,3}[a-zđ]?(?!\s+Điều))*"
)
# one or more pinpoints before a type word: "khoản 3 Điều 15 và khoản 6 Điều 21 Nghị định …"
_PIN = rf"(?P<pin>{_PIN_ONE}(?:\s*(?:,|và)\s*{_PIN_ONE})*)\s+(?:của\s+)?"
# what may stand before a number, read backwards from the number: pinpoint, type word, "số"
_BEFORE_WORDS = _TYPE_WORDS + list(ABBREVS) + _GENERIC
# behind a lookahead on the letters a pinpoint or a type word starts with: searched from every
# position of the 100 characters before each number otherwise (1.7x)
_BEFORE_FIRST = "".join(sorted(first_letters(_PIN_ONE) | {w[0] for w in _BEFORE_WORDS}))
R_BEFORE = LazyPattern(
    rf"(?=[{re.escape(_BEFORE_FIRST)}])(?:{_PIN})?"
    rf"(?<!\w)(?P<tw>{_trie_regex(_BEFORE_WORDS)})"
    rf"(?:\s+(?:{'|'.join(_MODIFIERS)}))?"
    rf"(?:\s+{_SO})?\s*:?(?:\s*\n[ \t]*\d{{1,3}}[ \t]*(?=\n))?\s*$"     # a page number between "số" and the number
)
R_OWN_HEADER = re.compile(r"(?:^|\n)[ \t*_#|]*(?:Số|SỐ|So)\s*:?\s*$")     # "|" : a header laid out as a table
R_FORM_NUMBER = re.compile(r"(?<!\w)(?:[Mm]ẫu|MẪU|[Bb]iểu|[Pp]hụ lục|PHỤ LỤC)(?:\s+\w+)?\s+(?:số|Số)?\s*:?\s*$")
LOOKBACK = 100

# capitalised type words, for short forms and un-numbered citations
CAP_FORMS = {}
for _t in _TYPES:
    for _f in _capitalisations(_t.name):
        if _f[:1].isupper() and not _f.isupper():
            CAP_FORMS[_f] = _t
# no lookbehind in front (it would stop re from skipping ahead): the caller checks the
# character before the match
R_CAP_TYPE = re.compile(rf"(?P<tw>{_trie_regex(sorted(CAP_FORMS))})(?!\w)")
_CAP_TYPE_BODY = rf"{_trie_regex(sorted(CAP_FORMS))}(?!\w)"   # no named group: reusable
R_SHORT = re.compile(rf"(?:\s+(?:liên tịch|phối hợp|hành động))?(?:\s+(?P<so>{_SO}))?\s*(?P<short>\d{{1,4}})(?![\w/\-–%,.]\w|[\w/%])")

# --- after the number: date, issuer, title ------------------------------------------
_DATE = (
    r"(?:(?P<d1>\d{1,2})\s*[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>(?:19|20)\d\d)"
    r"|(?:(?P<d2>\d{1,2})\s+)?(?:tháng|THÁNG)\s+(?P<m2>\d{1,2})\s*(?:,\s*)?(?:năm|NĂM)\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?:[./][ ./]*)?(?P<m3>\d{1,2})\s*/\s*(?P<y3>(?:19|20)\d\d))"
)
# No two whitespace runs side by side ("\s*,?\s*" became "\s*(?:,\s*)?"): after a number
# followed by a long run of spaces each way of sharing the run between them was tried (quadratic
# per citation; a 1 MB run never ended). Same language, linear.
R_DATE = re.compile(rf"\s*(?:,\s*)?(?:\(\s*)?(?:ngày|Ngày|NGÀY)\s*{_DATE}(?:\s*\))?")
R_YEAR_ONLY = re.compile(r"\s+(?:năm|NĂM)\s+(?P<y>(?:19|20)\d\d)(?!\d)")
R_LAW_YEAR = re.compile(r"\s+(?:(?:năm|NĂM)\s+)?(?P<y>(?:19|20)\d\d)(?![\d/\-])")   # "Luật Công chứng 2024"
R_ISSUER_START = re.compile(rf"(?:\s*,)?\s+(?:của|Của|CỦA)\s+(?={_U})(?!Về\s|V/v|V/V|Ngày\s|Số\b)")
# words and punctuation that end an issuer: the title's connector, a verb, a preposition
def _alternation(phrases) -> str:
    """Longest first; the space inside a phrase matches any run of spaces ("quy  định")."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_ISSUER_STOP_WORDS = (
    "về việc", "về", "Về", "V/v", "v/v", "quy định", "hướng dẫn", "ban hành", "phê duyệt", "thực hiện",
    "triển khai", "tại", "trong", "đã", "được", "nhằm", "theo", "đến", "tới", "cho", "với",
    "là", "để", "khi", "thì", "có", "sửa đổi", "bổ sung", "gửi", "yêu cầu", "đề nghị",
    "giao", "chỉ đạo", "thông báo", "kết luận", "trình", "xin", "công bố", "quyết định",
    "nay", "cũng", "đang", "sẽ", "phải", "như", "thuộc", "từ", "do", "hoặc", "gồm", "ủy quyền",
    "Quy định", "Hướng dẫn", "Ban hành", "Phê duyệt", "Sửa đổi",     # a capitalised trích yếu
)
# Lower-case words that occur inside the name of a body after another lower-case word
# ("Ủy ban nhân dân thành phố", "UBND tỉnh", "Đảng bộ tỉnh khóa XI"). Any other lower-case word
# continues a name only as the second syllable of a capitalised word ("Nông nghiệp", "Luật sư").
_ISSUER_LOWER_WORDS = frozenset("""
tỉnh thành phố huyện quận xã phường thị trấn đặc khu nhân dân ban và cấp trung ương khóa bộ
""".split())
_WORD_RE = re.compile(r"\S+")
_ISSUER_STOP = LazyPattern(
    r"(?=[,;:()\[\]\"“”|.\s])(?:"      # the characters a stop starts with, checked first
    r"[,;:()\[\]\"“”|]|\.(?=\s|$)|\n"
    rf"|\s(?:{_alternation(_ISSUER_STOP_WORDS)})(?=\s|$|[,.;:])"
    rf"|\svà\s+(?!{_U})"
    rf"|\svà\s+(?={_CAP_TYPE_BODY})"
    r")"
)
_TITLE_CONNECTORS = ("về việc", "Về việc", "V/v", "v/v", "quy định về", "Quy định về", "về", "Về")
_TITLE_VERBS = ("quy định", "hướng dẫn", "ban hành", "phê duyệt", "sửa đổi", "bổ sung", "thành lập", "công nhận",
                "triển khai", "thực hiện", "tổ chức", "giao", "kiện toàn", "Quy định", "Hướng dẫn", "Ban hành",
                "Phê duyệt")
_TITLE_CONNECTOR = re.compile(
    rf"(?:\s*,)?\s+(?P<conn>(?:{_alternation(_TITLE_CONNECTORS)})(?:\s+về)?)\s+(?![,.;:])"
    rf"|(?:\s*,)?\s+(?P<verb>{_alternation(_TITLE_VERBS)})\s+(?![,.;:])"
)
_TITLE_VERBS_AFTER_ISSUER_ONLY = frozenset({"triển khai", "thực hiện", "tổ chức", "giao", "kiện toàn"})
_TITLE_STOP_PHRASES = ("tới toàn thể", "đến toàn thể", "đến toàn bộ", "tới toàn bộ", "đến các cơ quan",
                       "tới các cơ quan")
# (behind a lookahead on the characters a stop starts with: the alternatives below were tried one
# by one at every position of a title, up to 500 characters after each number)
_TITLE_STOP = LazyPattern(
    r"(?=[;:|.,\s])(?:"
    r"[;:|]|\./\.|\.(?=\s*$|\s+[" + UPPER + r"\d])"
    r"|\s(?:quy\s+định|nêu\s+rõ|nêu|hướng\s+dẫn|như\s+sau)\s*:"        # "… quy định: “…”" opens a quotation
    rf"|,\s+(?={_U})"
    rf"|\s(?:{'|'.join(map(re.escape, _TITLE_STOP_PHRASES))})(?=\s)"
    rf"|\s(?:và|hoặc)\s+(?={_CAP_TYPE_BODY}(?:\s+{_SO})?\s*\d{{1,5}}[ ]?[/\-–][ ]?[\d{UPPER}])"
    r"|,\s+(?:trong|theo)\s+đó"
    r"|(?:\s+và|\s*,)\s*(?:ý\s+kiến|đề\s+nghị)\s+của\s"      # "… và ý kiến của Sở Nội vụ tại Tờ trình …", "…, ý kiến của"
    rf"|\s\((?:đính kèm\s+|kèm theo\s+|gửi kèm\s+)?(?={_CAP_TYPE_BODY})"   # "(Công văn số … kèm theo)"
    r"|\n)"
)
_MAX_TITLE = 500
_MAX_ISSUER = 120

# un-numbered: title words stop at these
_UNNUM_STOP_WORDS = (
    "năm", "ngày", "số", "của", "về", "quy định", "hướng dẫn", "đã", "được", "theo", "tại",
    "trong", "đến", "tới", "cho", "với", "nhằm", "là", "để", "thì", "có", "này", "hiện hành", "sửa đổi",
    "bổ sung", "thực hiện", "triển khai", "như", "nêu", "trên", "đó", "mới", "cũ", "khi", "các", "những",
)
UNNUM_STOP = re.compile(
    r"[;:()\[\]\"“”|]|\.(?=\s|$)|,\s+(?![" + LOWER + r"])|,$|\n"
    rf"|\s(?:{_alternation(_UNNUM_STOP_WORDS)})(?=\s|$|[,.;:])"
    r"|\s(?=(?:19|20)\d\d(?!\d))"
    # "và"/"hoặc" ends the title before a capital, a number or a clause word; "Luật Phí và lệ phí" goes on
    rf"|\s(?:và|hoặc)(?=\s+(?:[{UPPER}\d]|(?:các|những|được|đã|theo|tại|trong|để|quy\s+định|hướng\s+dẫn|"
    r"thực\s+hiện|văn\s+bản|pháp\s+luật|điều\s+lệ)(?!\w)))"
)
TRAILING_CONJ = re.compile(r"[\s,]+(?:và|hoặc)[\s,]*$")
# after "Nghị quyết Đại hội" / "Hội nghị": what makes it a named resolution rather than a generic one
PARTY_TITLE_NEXT = ("đại biểu", "lần thứ", "toàn quốc", "nhiệm kỳ", "khóa", "Trung ương", "Đảng")
# "của Đảng", "của Đảng bộ tỉnh" belong to the title of a Party resolution
PREV_WORD = re.compile(r"(\w+)[ \t]+$")
R_OF_PARTY = re.compile(r"\s+của\s+Đảng(?:\s+bộ(?:\s+[a-zđ]+)?(?:\s+" + _U + r"\w*)*)?(?=\W|$)")
UNNUM_MAX_WORDS = 14


# --- public helpers --------------------------------------------------------------------
_KEY_SPACE = re.compile(r"\s+")
_KEY_LEAD_ZERO = re.compile(r"^0+(?=\d)")
_KEY_DASHES = str.maketrans({ch: "-" for ch in _DASH_CHARS})
_KEY_PARTY_HYPHEN = re.compile(rf"^(\d+-[{UPPER}]+)-([{UPPER}]*[UW])$")
_KEY_PARTY_SPACE = re.compile(rf"^(\d+)\s+(?={_U}[{UPPER}{LOWER}]*/)")
# "36/CT-TW" typed for the Party's "36-CT/TW": a Party type code, then the Party body (TW, TU …)
_KEY_PARTY_SLASH = re.compile(rf"^(\d+)/({'|'.join(map(re.escape, (c.upper() for c in _PARTY_CODES)))})-([{UPPER}]*[UW])$")


@lru_cache(maxsize=65536)
def make_key(number: Optional[str]) -> Optional[str]:
    """The key a number/symbol is resolved on: spaces removed, Đ look-alikes unified,
    en dashes as hyphens, upper case, leading zeros of the running number dropped.
    `"03/CT-UBND"` → `"3/CT-UBND"`, `"223 /STP-BTTP"` → `"223/STP-BTTP"`,
    `"1050/TTr-SNV"` → `"1050/TTR-SNV"`. None for None or a number without a symbol."""
    if not number:
        return None
    k = _KEY_PARTY_SPACE.sub(r"\1-", number.strip())     # "174 KL/TW" → "174-KL/TW"
    k = _KEY_SPACE.sub("", k)
    k = k.replace("\u00d0", "Đ").replace("\u0189", "Đ").translate(_KEY_DASHES).upper()
    if "/" not in k and "-" not in k:
        return None
    k = _KEY_PARTY_HYPHEN.sub(r"\1/\2", k)           # "08-ĐA-TU" typed for "08-ĐA/TU"
    k = _KEY_PARTY_SLASH.sub(r"\1-\2/\3", k)         # "36/CT-TW" typed for "36-CT/TW"
    return _KEY_LEAD_ZERO.sub("", k)


def symbol_type(number: str) -> Optional[str]:
    """The type implied by a number's symbol: `15/QĐ-UBND` → quyết định, `57-NQ/TW` →
    nghị quyết, `32-QĐ/TU` → quy định (Party), `2630/UBND-TH` → công văn (no type code)."""
    m = R_NUMBER.match(number.strip())
    if not m:
        return None
    return type_from_match(m)


def is_national(key: Optional[str]) -> bool:
    """True when a key is unique nationally: Party central (`-NQ/TW`), Quốc hội (`/QH15`),
    Chính phủ / Thủ tướng (`/NĐ-CP`, `/QĐ-TTg`), ministries (`/BCA-C04`, `/BNV-TCBC`, `/VPCP-KSTT`).
    The registry of issuing bodies (cascade/data/bodies.tsv) decides which codes are central."""
    if not key:
        return False
    return registry.is_national_symbol(key)


def type_from_match(m: re.Match) -> Optional[str]:
    if m.group("pcode") or m.group("pcode2"):
        return doctypes.type_from_code(m.group("pcode") or m.group("pcode2"), party=True)
    sym = m.group("nsym") or m.group("asym") or ""
    first = re.split(r"[-–(.]", sym, 1)[0]
    t = doctypes.type_from_code(first)
    if t:
        return t
    if m.group("year"):
        return None          # normative number without type code (193/2025/QH15): needs the word
    return "công văn"


# --- finding ------------------------------------------------------------------------------
def iso(y: Optional[str], m: Optional[str], d: Optional[str]) -> Optional[str]:
    if not y:
        return None
    yi = int(y)
    if m:
        mi = int(m)
        if not 1 <= mi <= 12:
            return str(yi)
        if d:
            di = int(d)
            if 1 <= di <= 31:
                return f"{yi:04d}-{mi:02d}-{di:02d}"
        return f"{yi:04d}-{mi:02d}"
    return str(yi)


def date_from(m: re.Match, prefix: str = "") -> Optional[str]:
    g = m.groupdict()
    for i in "123":
        y = g.get(f"{prefix}y{i}")
        if y:
            return iso(y, g.get(f"{prefix}m{i}"), g.get(f"{prefix}d{i}"))
    return None


def squash(s: str) -> str:
    return " ".join(s.split())


_PIN_PARSE = re.compile(
    r"(?:(?:điểm|Điểm)\s+(?P<pts>[a-zđ](?:\s*(?:,|và)\s*(?:điểm\s+)?[a-zđ])*)\s+)?"
    r"(?:(?:khoản|Khoản)\s+(?P<ks>\d+(?:\[\d+\])?(?:\s*(?:,|và)\s*(?:khoản\s+)?\d+(?:\[\d+\])?)*)\s+)?"
    r"(?P<unit>Điều|điều|Mục|mục)\s+(?P<ds>(?:\d{1,3}|[IVX]{1,5})[a-zđ]?"
    r"(?:\s*(?:,|và)\s*(?:Điều\s+)?\d{1,3}[a-zđ]?(?!\s+Điều))*)")


def pinpoints(pin: Optional[str]) -> list[str]:
    """`khoản 2, khoản 4 Điều 32` → ["khoản 2 Điều 32", "khoản 4 Điều 32"]; `điểm a mục 2` …"""
    if not pin:
        return []
    p = squash(pin)
    out: list[str] = []
    for m in _PIN_PARSE.finditer(p):
        unit = "Điều" if m.group("unit") in ("Điều", "điều") else "mục"
        arts = re.findall(r"\d+[a-zđ]?|[IVX]+", m.group("ds"))
        ks = re.findall(r"\d+", re.sub(r"\[\d+\]", "", m.group("ks") or ""))
        pts = re.findall(r"(?<!\w)[a-zđ](?!\w)", (m.group("pts") or "").replace("điểm", ""))
        for art in arts:
            if ks:
                for k in ks:
                    if pts:
                        out.extend(f"điểm {pt} khoản {k} {unit} {art}" for pt in pts)
                    else:
                        out.append(f"khoản {k} {unit} {art}")
            elif pts:
                out.extend(f"điểm {pt} {unit} {art}" for pt in pts)
            else:
                out.append(f"{unit} {art}")
    return out or [p]


def read_issuer(text: str, pos: int) -> tuple[Optional[str], int]:
    m = R_ISSUER_START.match(text, pos)
    if not m:
        return None, pos
    s = m.end()
    e = run_end(text, s, _ISSUER_STOP, _MAX_ISSUER, upper_continues=True)
    prev_cap = False
    for w in _WORD_RE.finditer(text, s, e):          # prune a verb phrase glued to the name
        word = w.group(0)
        cap = word[0] in UPPER or word[0].isdigit()
        if not cap and not prev_cap and word not in _ISSUER_LOWER_WORDS:
            e = w.start()
            break
        prev_cap = cap
    issuer = squash(text[s:e])
    if not issuer:
        return None, pos
    if _known_body(issuer) is None:
        e = _extend_to_known_body(text, s, e)
        issuer = squash(text[s:e])
    return issuer, s + len(text[s:e].rstrip())


@lru_cache(maxsize=4096)
def _known_body(name: str):
    return registry.find_body(name)


_BODY_RUN = re.compile(r"[^,;:.()\[\]\"“”|\n]{1,100}")


def _extend_to_known_body(text: str, s: int, e: int) -> int:
    """A name the grammar cut short that the registry knows in full, typed in lower case:
    "Sở Nông nghiệp và phát triển nông thôn", "Cục Cảnh sát điều tra tội phạm về ma túy"."""
    run = _BODY_RUN.match(text, s)
    if not run or run.end() <= e:
        return e
    words = list(_WORD_RE.finditer(text, s, run.end()))[:14]
    for w in reversed(words):
        if w.end() <= e:
            break
        if _known_body(squash(text[s:w.end()])) is not None:
            return w.end()
    return e


_PLACE_DATE_LINE = re.compile(r"[^\n,]{1,40},?\s+(?:ngày|Ngày)\b")     # "Đại Sơn, ngày … tháng 5 năm 2026"


def _next_line_continues(text: str, pos: int, limit: int, upper_continues: bool = False) -> bool:
    """At a line break: does the next non-blank line continue the same sentence?
    Yes when it starts in lower case, or with a digit that is not a list mark
    (`52-NQ/TW.` wrapped onto its own line); no for a new paragraph or a capital."""
    nxt = text[pos:limit].lstrip()
    line = nxt.split("\n", 1)[0].strip()
    if not line or starts_paragraph(line):
        return False
    if (upper_continues and line[0] in UPPER and "\n" not in text[pos:pos + len(text[pos:limit]) - len(nxt)]
            and not _PLACE_DATE_LINE.match(line) and not line.isupper() and not R_CAP_TYPE.match(line)):
        return True          # a name wrapped onto the next line ("của Đoàn\nLuật sư tỉnh"), no blank line
    return line[0] in LOWER or line[0].isdigit()


def run_end(text: str, s: int, stop: re.Pattern, limit: int, upper_continues: bool = False) -> int:
    """End of a run (issuer, title) starting at s: the first stop that is not a line break
    inside a wrapped sentence, or the limit."""
    pos = s
    limit = min(len(text), s + limit)
    while True:
        m = stop.search(text, pos, limit)
        if not m:
            return limit
        if m.group(0) == "\n":
            if _next_line_continues(text, m.end(), limit, upper_continues):
                pos = m.end()
                continue
        return m.start()


def _title_end(text: str, s: int) -> int:
    """Where a title starting at s ends: ; : sentence end, ', Capital', a coordinated
    new citation, a stop phrase, or a line break that does not continue the sentence."""
    return run_end(text, s, _TITLE_STOP, _MAX_TITLE)


def _read_title(text: str, pos: int, had_issuer: bool) -> tuple[Optional[str], int]:
    m = _TITLE_CONNECTOR.match(text, pos)
    if not m:
        return None, pos
    if m.group("verb") and m.group("verb") in _TITLE_VERBS_AFTER_ISSUER_ONLY and not had_issuer:
        return None, pos
    s = m.end() if m.group("conn") else m.start("verb")
    e = _title_end(text, s)
    raw = text[s:e]
    title = squash(raw).rstrip(" ,.-–")
    if title.endswith(("”", '"')) and title.count("“") < title.count("”") + (title.count('"') % 2):
        title = title[:-1].rstrip()          # the closing quote of a quoted passage around the citation
    if not title or title == "việc":
        return None, pos
    return title, s + len(raw.rstrip(" \n\t,.-–"))


def read_tail(text: str, pos: int) -> dict:
    """Date, issuer and title after a number: returns the fields and the phrase end."""
    out = {"date": None, "issuer": None, "title": None, "end": pos}
    m = R_DATE.match(text, pos)
    if m:
        out["date"] = date_from(m)
        pos = m.end()
    issuer, p2 = read_issuer(text, pos)
    if issuer:
        out["issuer"], pos = issuer, p2
        if not out["date"]:
            m = R_DATE.match(text, pos)     # "… của Chính phủ ngày 29/9/2023"
            if m:
                out["date"] = date_from(m)
                pos = m.end()
    title, p3 = _read_title(text, pos, had_issuer=bool(issuer))
    if title:
        out["title"], pos = title, p3
    out["end"] = pos
    return out


# issuer codes that never carry digits: trailing digits after them are a footnote mark
_NO_DIGIT_CODES = sorted({"CP", "TTg", "TW", "TU", "UBND", "HĐND", "VPCP", "VPUB", "BNV", "BCA", "BTC", "BTP",
                          "BYT", "BQP", "BCT", "BXD", "NHNN"}, key=len, reverse=True)
R_GLUED_FOOTNOTE = re.compile(rf"[-/](?:{'|'.join(_NO_DIGIT_CODES)})(\d{{1,2}})$")


R_PIN_BEFORE = re.compile(_PIN + r"$")


# cheap prefilter: a citation needs a digit followed by / or -, or a capitalised type word
PREFILTER = re.compile(r"\d[ ]?[/\-–]|" + R_CAP_TYPE.pattern)


# the same language as "\s*(?:,|,?\s*và)\s*$" without two whitespace runs side by side
# (quadratic in the gap between two citations)
R_COORDINATION = re.compile(r"\s*(?:,\s*(?:và\s*)?|và\s*)$")


# The issuer (and date) may stand before the citation: "Ngày 30/8/2024, Sở Nội vụ có Công văn số …",
# "(1) Hội Làm vườn có Văn bản số …", "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …".
_PRE_BOUNDARY = r"(?:^|[,;:.()\n“”\"]|\s[-–]|\d\))[ \t]*"
_PRE_NAME = rf"(?P<iss>{_U}[^,;:.()\n“”\"/]{{1,110}}?)"          # no slash: never across another citation
R_PRE_VERB = re.compile(
    _PRE_BOUNDARY
    + r"(?:(?:Ngày|ngày)\s+(?P<d1>\d{1,2})\s*[/.\-]\s*(?P<m1>\d{1,2})\s*[/.\-]\s*(?P<y1>(?:19|20)\d\d)\s*,\s*)?"
    + r"(?:(?:Sau|Trước)\s+khi\s+|Khi\s+)?"        # "Sau khi Bộ trưởng Bộ Công an ký ban hành Quyết định …"
    + _PRE_NAME + r"\s+(?:đã\s+)?(?:(?:kịp\s+thời|chính\s+thức)\s+)?(?:ký\s+)?(?:có|ban\s+hành|gửi|ký)\s+$")
# "Theo đề nghị của Hội … tại Công văn số …/… và Giám đốc Sở Nội vụ tại Công văn số …": each proposer's own
# paper; a name never runs across another "tại" ("của Hiệp hội … tại Đơn đề nghị ngày … và Sở Nội vụ tại Tờ
# trình số …": the Tờ trình is the Sở's)
R_PRE_AT = re.compile(rf"(?:(?:của|Của)\s+|\svà\s+)(?P<iss>{_U}(?:(?!\stại\s)[^,;:.()\n“”\"/]){{1,110}}?)\s+tại\s+$")
# "Sở Nội vụ đã tham mưu UBND tỉnh ban hành Kế hoạch số …": the body advised (or submitted to) issues it
R_ADVISED = re.compile(rf"\s(?:đã\s+)?(?:tham\s+mưu(?:\s+cho)?|trình)\s+(?={_U})")


def names_a_body(name: str) -> bool:
    """A phrase read before a citation names its issuer only if no word that ends an issuer stands
    inside it: "của Liên đoàn theo quy định tại Điều 19 Nghị định …" names a regulation the
    association follows, not one it issued."""
    return _ISSUER_STOP.search(" " + name) is None


# heads of bodies the registry does not place (associations): still an issuer
ASSOCIATION_HEADS = ("Hội ", "Hiệp hội ", "Liên đoàn ", "Quỹ ", "Câu lạc bộ ", "Đoàn ")
PRE_WINDOW = 200


R_NAMED_NUMBER_GAP = re.compile(rf"\s+{_SO}\s*:?\s*$")

# --- relations ----------------------------------------------------------------------------
