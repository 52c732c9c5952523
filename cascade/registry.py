"""Registry of issuing bodies, administrative units, levels of government and provinces.

The facts live in data files (cascade/data/units.tsv, bodies.tsv, provinces.json); the
post-2025 communes come from the `vietnam-provinces` package (GSO lists, 3,321 communes).
Everything is loaded once, lazily, and looked up by `text.fold` keys, so case and
tone placement do not matter: `Quảng ninh`, `QUẢNG NINH`, `Quảng Ninh` and `QN` are one.

    province(name) -> Province | None          provinces(current=True) -> list[Province]
    current_province(name) -> Province | None  (follows the 2025 merger: Bình Thuận → Lâm Đồng)
    communes(province=None) -> list[Commune]   find_communes(name, unit=None) -> list[Commune]
    unit_level(unit, locality=None) -> str | None
    level_named(text) -> str | None           (`tỉnh`, `tinh`, `TW`, `province` → a LEVELS code)
    parse_issuer(lines) -> Issuer              (the issuer lines at the top left of a header)
    parse_issuer_phrase(text) -> Issuer        (an issuer named in running text)
    find_body(text) -> Body | None             symbol_issuer(symbol) -> Body | None
    is_national_symbol(symbol) -> bool
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

from cascade import doctypes
from cascade.models import Issuer
from cascade.text import fold, nfc, short_memo, squash

DATA = Path(__file__).resolve().parent / "data"

LEVELS = ("central", "province", "district", "commune")


@lru_cache(maxsize=1)
def level_forms() -> dict[str, tuple[str, ...]]:
    """Each level and the words people type for it, from data/levels.tsv."""
    out: dict[str, tuple[str, ...]] = {}
    with open(DATA / "levels.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            level, forms = line.rstrip("\n").split("\t")
            if level not in LEVELS:
                raise ValueError(f"levels.tsv: unknown level {level!r}")
            out[level] = tuple(f.strip() for f in forms.split(",") if f.strip())
    return out


def level_named(text: Optional[str]) -> Optional[str]:
    """The level (a LEVELS code) a user's word names, in either language and with or without
    diacritics: `tỉnh`, `tinh`, `Province` → province; `TW`, `trung ương` → central; None if none."""
    key = fold(text or "")
    for level, forms in level_forms().items():
        if key == level or key in (fold(f) for f in forms):
            return level
    return None


# --- data classes -------------------------------------------------------------------
@dataclass(frozen=True)
class Province:
    name: str                       # "Lâm Đồng", "Hồ Chí Minh" (without tỉnh / thành phố)
    code: int                       # GSO code
    kind: str                       # "tỉnh" or "thành phố" (centrally-run city)
    is_current: bool                # one of the 34 provinces since the 2025 merger
    successor: Optional[str] = None  # for a former province: the current province it is part of
    old_names: tuple[str, ...] = ()  # for a current province: the pre-merger provinces it was formed from
    aliases: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{'Thành phố' if self.kind == 'thành phố' else 'Tỉnh'} {self.name}"


@dataclass(frozen=True)
class Commune:
    name: str                       # "Uông Bí"
    unit: str                       # xã / phường / đặc khu
    province: str                   # current province: "Quảng Ninh"
    code: int                       # GSO code


@dataclass(frozen=True)
class Body:
    name: str                       # canonical name: "Bộ Công an"
    unit: str                       # Issuer.unit, or "*" = the administrative unit named after it
    level: str                      # central/province/district/commune, "*" (from the unit) or "inherit"
    aliases: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    implies: Optional[str] = None   # administrative unit implied by the name (Tỉnh ủy → tỉnh)
    party: bool = False


# --- keys and tokens ----------------------------------------------------------------
_PUNCT = re.compile(r"[^\w]+")
_TOKEN = re.compile(r"\w+")


def key(text: str) -> str:
    """Lookup key: folded, punctuation dropped ('Bà Rịa-Vũng Tàu' → 'ba ria vung tau')."""
    return " ".join(_PUNCT.sub(" ", fold(text)).split())


def _is_abbrev(alias: str) -> bool:
    """An all-capitals single word (UBND, HĐND, BCA): matched only when written exactly so."""
    return " " not in alias and alias.upper() == alias and any(c.isalpha() for c in alias)


def _abbrev_form(word: str) -> str:
    return nfc(word).replace("Đ", "D")


@dataclass
class _Tok:
    text: str       # as written
    fold: str       # folded
    start: int
    end: int

    @property
    def low(self) -> str:     # lower case with tones: "tờ" and "tổ" stay apart
        return nfc(self.text).lower()


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), fold(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- loading ------------------------------------------------------------------------
def _read_tsv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        rows = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(cell: Optional[str]) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split(",") if x.strip())


class _Trie:
    """Longest match of token sequences. A pattern is a tuple of folded words; an abbreviation
    pattern is a single ('=', exact form) entry matched against the word as written."""

    def __init__(self, toned: bool = False) -> None:
        self.root: dict = {}
        self.toned = toned        # match words with their tones (lower case) instead of folded

    def add(self, words: tuple[str, ...], value) -> None:
        node = self.root
        for w in words:
            node = node.setdefault(w, {})
        node.setdefault(None, value)      # the first registered wins

    def match(self, toks: list[_Tok], i: int):
        """(value, end index) of the longest pattern starting at toks[i], or (None, i)."""
        node, best, end, j = self.root, None, i, i
        while j < len(toks):
            t = toks[j]
            nxt = node.get(t.low if self.toned else t.fold)
            if nxt is None:
                nxt = node.get(("=", _abbrev_form(t.text)))
            if nxt is None:
                break
            node = nxt
            j += 1
            if None in node:
                best, end = node[None], j
        return best, end


def _pattern(alias: str) -> tuple:
    if _is_abbrev(alias):
        return (("=", _abbrev_form(alias)),)
    return tuple(key(alias).split())


class _Registry:
    def __init__(self) -> None:
        # units
        self.unit_levels: dict[str, str] = {}
        self.units = _Trie()
        for n, row in enumerate(_read_tsv(DATA / "units.tsv"), 1):
            if row.get("level") not in LEVELS[1:] + ("*",):
                raise ValueError(f"cascade/data/units.tsv: bad row {n}: {row}")
            unit = nfc(row["unit"])
            self.unit_levels[unit] = row["level"]
            for alias in (unit,) + _split(row.get("aliases")):
                self.units.add(_pattern(alias), unit)
                self.units.add(tuple(key(alias).split()), unit)
        # bodies
        self.bodies: list[Body] = []
        self.body_trie = _Trie()          # bodies that may appear anywhere
        self.child_trie = _Trie(toned=True)  # generic units, only at the start of a header line
        self.code_exact: dict[str, Body] = {}
        self.code_re: list[tuple[re.Pattern, Body]] = []
        for n, row in enumerate(_read_tsv(DATA / "bodies.tsv"), 1):
            if row.get("level") not in LEVELS + ("*", "inherit") or not row.get("name") or not row.get("unit"):
                raise ValueError(f"cascade/data/bodies.tsv: bad row {n}: {row}")
            body = Body(name=nfc(row["name"]), unit=nfc(row["unit"]), level=row["level"],
                        aliases=tuple(nfc(a) for a in _split(row.get("aliases"))),
                        codes=_split(row.get("codes")), implies=nfc(row["implies"]) or None,
                        party=row.get("party") == "y")
            self.bodies.append(body)
            for alias in (body.name,) + body.aliases:
                if body.level == "inherit":
                    self.child_trie.add(tuple(nfc(alias).lower().split()), body)
                else:
                    self.body_trie.add(_pattern(alias), body)
            for code in body.codes:
                if code.startswith("re:"):
                    self.code_re.append((re.compile(code[3:] + r"\Z"), body))
                else:
                    self.code_exact.setdefault(_code_key(code), body)
        # provinces
        data = json.loads((DATA / "provinces.json").read_text(encoding="utf-8"))
        self.current: list[Province] = []
        self.former: list[Province] = []
        self.province_by_key: dict[str, Province] = {}
        for p in data["current"]:
            prov = Province(name=p["name"], code=p["code"], kind=p["kind"], is_current=True,
                            old_names=tuple(p["merged_from"]), aliases=tuple(p.get("aliases", ())))
            self.current.append(prov)
        for p in data["former"]:
            prov = Province(name=p["name"], code=p["code"], kind=p["kind"], is_current=False,
                            successor=p["successor"], aliases=tuple(p.get("aliases", ())))
            self.former.append(prov)
        # current names first: "Lâm Đồng" is the current province, "Bình Thuận" a former one
        self.province_trie = _Trie()
        for prov in self.current + self.former:
            for alias in (prov.name,) + prov.aliases:
                self.province_by_key.setdefault(key(alias), prov)
                if _is_abbrev(alias):
                    self.province_by_key.setdefault(_abbrev_form(alias).upper(), prov)
                self.province_trie.add(_pattern(alias), prov)
        self._communes: Optional[list[Commune]] = None
        self._commune_index: Optional[dict[str, list[Commune]]] = None
        self._commune_trie: Optional[_Trie] = None

    # communes are loaded on first use only (3,321 rows from the vietnam-provinces package)
    def communes(self) -> list[Commune]:
        if self._communes is None:
            self._communes = _load_communes(self)
            self._commune_index = {}
            self._commune_trie = _Trie()
            for c in self._communes:
                self._commune_index.setdefault(key(c.name), []).append(c)
                self._commune_trie.add(tuple(key(c.name).split()), key(c.name))
        return self._communes


def _code_key(code: str) -> str:
    return _abbrev_form(code).upper()


def _load_communes(reg: _Registry) -> list[Commune]:
    try:
        from vietnam_provinces import FLAT_DIVISIONS_JSON_PATH
    except ImportError:      # optional at run time: without it, communes are unknown
        return []
    by_code = {p.code: p for p in reg.current}
    out = []
    for row in json.loads(Path(FLAT_DIVISIONS_JSON_PATH).read_text(encoding="utf-8")):
        name = nfc(row["name"])
        unit = None
        for u in ("Đặc khu", "Phường", "Xã", "Thị trấn"):
            if name.startswith(u + " "):
                unit, name = u.lower(), name[len(u) + 1:]
                break
        prov = (by_code.get(int(row.get("province_code") or 0))
                or province(row.get("province_name") or "")
                or province((row.get("province_codename") or "").replace("_", " ")))
        if unit is None or prov is None:
            continue
        out.append(Commune(name=name, unit=unit, province=prov.name, code=int(row["code"])))
    return out


_REG: Optional[_Registry] = None


def _reg() -> _Registry:
    global _REG
    if _REG is None:
        _REG = _Registry()
    return _REG


# --- provinces ----------------------------------------------------------------------
_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp)\s+")


@lru_cache(maxsize=4096)
def province(name: str) -> Optional[Province]:
    """The province named (any case/tones, with or without `tỉnh`/`thành phố`/`TP.`, or an
    abbreviation such as QN, HCM, TP.HCM); a current province before a former one of the same name."""
    if not name or not name.strip():
        return None
    reg = _reg()
    raw = name.strip()
    hit = reg.province_by_key.get(_abbrev_form(raw).upper()) if _is_abbrev(raw) else None
    if hit:
        return hit
    k = key(raw)
    hit = reg.province_by_key.get(k)
    if hit is None:
        stripped = _PROVINCE_PREFIX.sub("", k)
        hit = reg.province_by_key.get(stripped) or reg.province_by_key.get(stripped.replace(" ", ""))
    return hit


def current_province(name: str) -> Optional[Province]:
    """The current (post-2025) province a name refers to: a former province maps to its successor."""
    p = province(name)
    if p is None or p.is_current:
        return p
    return province(p.successor) if p.successor else None


def provinces(current: Optional[bool] = True) -> list[Province]:
    """The 34 current provinces (current=True), the 63 of before the 2025 merger (False), or both (None)."""
    reg = _reg()
    if current is True:
        return list(reg.current)
    before = []
    by_name = {p.name: p for p in reg.current}
    for p in reg.former:
        before.append(p)
    if current is False:
        return before
    return list(reg.current) + [p for p in reg.former if p.name not in by_name]


def communes(province: Optional[str] = None) -> list[Commune]:
    """Post-2025 communes (xã, phường, đặc khu), optionally of one current province
    (a former province's name selects its successor's communes)."""
    allc = _reg().communes()
    if province is None:
        return list(allc)
    p = current_province(province)
    if p is None:
        return []
    return [c for c in allc if c.province == p.name]


def find_communes(name: str, unit: Optional[str] = None, province: Optional[str] = None) -> list[Commune]:
    """Communes with this name (without `xã`/`phường`), optionally of a unit kind and province."""
    reg = _reg()
    reg.communes()
    hits = list(reg._commune_index.get(key(name), ()))
    if unit:
        u = nfc(unit).lower()
        hits = [c for c in hits if c.unit == u]
    if province:
        p = current_province(province)
        hits = [c for c in hits if p and c.province == p.name]
    return hits


# --- units and levels ---------------------------------------------------------------

def canonical_unit(unit: str) -> Optional[str]:
    toks = _tokens(unit)
    if not toks:
        return None
    found, end = _reg().units.match(toks, 0)
    return found if found and end == len(toks) else None


def unit_level(unit: Optional[str], locality: Optional[str] = None) -> Optional[str]:
    """Level of government of an administrative unit kind: `thị xã` → district, `phường` → commune.
    `thành phố` is a province for the six centrally-run cities, a district otherwise; without a
    locality it is undecided (None)."""
    if not unit:
        return None
    u = canonical_unit(unit)
    if u is None:
        return None
    level = _reg().unit_levels[u]
    if level != "*":
        return level
    if not locality:
        return None
    p = province(locality)
    if p is not None and p.kind == "thành phố":
        return "province"
    return "district"


# --- bodies -------------------------------------------------------------------------
def bodies() -> list[Body]:
    return list(_reg().bodies)


def find_body(text: str) -> Optional[Body]:
    """The body a name designates exactly ("Sở Nội vụ", "BCA", "ỦY BAN NHÂN DÂN")."""
    toks = _tokens(nfc(text))
    if not toks:
        return None
    reg = _reg()
    for trie in (reg.body_trie, reg.child_trie):
        found, end = trie.match(toks, 0)
        if found and end == len(toks):
            return found
    return None


_SYMBOL_SPLIT = re.compile(r"[-/()\s.,]+")
_NUMBERISH = re.compile(r"^\d+$")


@lru_cache(maxsize=8192)
def symbol_issuer(symbol: Optional[str]) -> Optional[Body]:
    """The body behind the issuer code of a symbol: `BCA-C04` → Bộ Công an, `NĐ-CP` → Chính phủ,
    `QĐ-TTg` → Thủ tướng Chính phủ, `NQ/TW` → Ban Chấp hành Trung ương, `UBND-VHXH` → Ủy ban nhân
    dân (level unknown). Accepts the whole number too (`73/2023/NĐ-CP`)."""
    if not symbol:
        return None
    reg = _reg()
    for part in _SYMBOL_SPLIT.split(nfc(symbol).strip()):
        if not part or _NUMBERISH.match(part):
            continue
        body = reg.code_exact.get(_code_key(part))
        if body is not None:
            return body
        for rx, body in reg.code_re:
            if rx.match(part):
                return body
    return None


def is_national_symbol(symbol: Optional[str]) -> bool:
    """True when a symbol's number is unique nationally: its issuer is a central body (Party
    Central Committee and boards, Quốc hội, Chính phủ, Thủ tướng, ministries …). A local normative
    document (`12/2025/QĐ-UBND`) is not: every province numbers its own."""
    body = symbol_issuer(symbol)
    return body is not None and body.level == "central"


# --- issuer parsing -----------------------------------------------------------------
@dataclass
class _Found:
    text: str                           # the text as written (one header element or the phrase)
    body: Optional[Body] = None
    unit: Optional[str] = None          # administrative unit named or implied
    locality: Optional[str] = None
    place: object = None                # Province or list[Commune] the locality resolved to
    level: Optional[str] = None
    complete: bool = True               # False: a header line waiting for its unit / locality
    foreign_unit: bool = False          # the unit word belongs to a locality phrase, not the issuer


_TP = re.compile(r"(?<!\w)(?:TP|Tp|tp)\s*\.\s*|(?<!\w)(?:TX|Tx)\s*\.\s*")
_TITLE_WORD = re.compile(r"\w+")


def _expand_abbrev_units(text: str) -> str:
    """`TP.HCM` / `Tp. Đà Lạt` → `TP HCM`, `Tp Đà Lạt` (the dot would glue the words)."""
    return _TP.sub(lambda m: m.group(0).split(".")[0].strip() + " ", text)


def _title(text: str) -> str:
    return _TITLE_WORD.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), squash(text))


def _locality(toks: list[_Tok], i: int, text: str, unit: Optional[str], header: bool):
    """Read the locality starting at toks[i]: a known province / commune, else (header) the rest of
    the line or (running text) the run of capitalised words. Returns (name, place, end)."""
    if i >= len(toks):
        return None, None, i
    reg = _reg()
    level = reg.unit_levels.get(unit or "", None)
    if not header and not (toks[i].text[:1].isupper() or toks[i].text.isdigit()):
        return None, None, i    # running text: a locality starts with a capital ("tỉnh yêu cầu")
    # known provinces (tỉnh, thành phố, or an unspecified unit)
    if level in (None, "province", "*"):
        p, end = reg.province_trie.match(toks, i)
        if p is not None and (header is False or end == len(toks)):
            if level == "*" and unit == "thành phố" and p.kind != "thành phố":
                pass            # "thành phố Bắc Ninh": a provincial city, not the province
            else:
                return p.name, p, end
    if level == "commune":
        reg.communes()
        k, end = reg._commune_trie.match(toks, i)
        if k is not None and (header is False or end == len(toks)):
            hits = reg._commune_index.get(k, [])
            if unit:
                hits = [c for c in hits if c.unit == unit] or hits
            return hits[0].name if hits else None, hits, end
    if header:
        end = len(toks)
    elif i > 0 and text[toks[i - 1].end:toks[i].start].strip():
        end = i                 # "UBND TỈNH - NGUYỄN HỒNG HẢI": a name after a dash is no locality
    else:
        end = i
        while end < len(toks) and (toks[end].text[:1].isupper() or toks[end].text.isdigit()):
            if end > i and text[toks[end - 1].end:toks[end].start].strip():
                break           # punctuation ends the name ("UBND TỈNH - ĐINH VĂN TUẤN")
            # stop at a following body or unit word written in capitals ("Hải Phòng Về việc")
            if end > i and toks[end].fold in ("ve", "so", "ngay", "tai", "theo"):
                break
            end += 1
    if end == i:
        return None, None, i
    raw = text[toks[i].start:toks[end - 1].end]
    if not header and raw.upper() == raw and not raw.isdigit():
        return None, None, i    # capitals in running text prove nothing ("CHỦ TỊCH UBND TỈNH HỒ VĂN MƯỜI")
    return _title(raw), None, end


def _resolve(text: str, toks: list[_Tok], body: Optional[Body], j: int, header: bool) -> _Found:
    """Read the administrative unit and locality after a body ending at toks[j]."""
    reg = _reg()
    f = _Found(text=text, body=body)
    if body is not None and body.level == "central":
        f.level = "central"
        return f
    unit, k = reg.units.match(toks, j)
    explicit = unit is not None
    if unit is None and body is not None and body.implies:
        unit, k = body.implies, j
    f.unit = unit
    if unit is not None:
        f.locality, f.place, _ = _locality(toks, k, text, unit, header)
    # level
    if body is None or body.level == "*":
        f.level = unit_level(unit, f.locality) if unit else None
    elif body.level == "inherit":
        f.level = None
    else:
        f.level = body.level
    if header and body is not None and body.level != "inherit":
        needs_unit = body.unit == "*" or body.level == "*"
        f.complete = not ((needs_unit and unit is None) or (explicit and f.locality is None))
    return f


@short_memo(16384, 300)      # `ỦY BAN NHÂN DÂN` opens thousands of headers; callers never change the _Found
def _scan(text: str, header: bool) -> _Found:
    """Find the first body in a text (header line: at its start, or anywhere if none starts it)."""
    text = _expand_abbrev_units(nfc(text))
    toks = _tokens(text)
    reg = _reg()
    if not toks:
        return _Found(text=text)
    if header:
        for trie in (reg.body_trie, reg.child_trie):
            body, end = trie.match(toks, 0)
            if body is not None:
                return _resolve(text, toks, body, end, header)
    for i in range(len(toks)):
        body, end = reg.body_trie.match(toks, i)
        if body is not None:
            return _resolve(text, toks, body, end, header=False if i else header)
    # no body: perhaps just a unit and a locality ("TỈNH LÂM ĐỒNG", "xã Đại Sơn")
    for i in range(len(toks)):
        unit, end = reg.units.match(toks, i)
        if unit is not None and end < len(toks):
            f = _resolve(text, toks, None, i, header)
            if f.place is None:
                break               # only a known province / commune counts here
            f.foreign_unit = i > 0      # "… NĂM 2026 TỈNH LÂM ĐỒNG": the unit is not the issuer's kind
            return f
    return _Found(text=text, complete=True)


def _province_of(f: _Found) -> Optional[str]:
    if isinstance(f.place, Province):
        return f.place.name
    if isinstance(f.place, list) and len(f.place) == 1:
        return f.place[0].province
    return None


def _issuer_unit(f: _Found) -> Optional[str]:
    if f.body is not None and f.body.unit != "*":
        return f.body.unit
    return None if f.foreign_unit else f.unit


def _to_issuer(f: _Found, parent: Optional[_Found] = None, parent_issuer: Optional[Issuer] = None) -> Issuer:
    iss = Issuer(name=squash(f.text) or None, level=f.level, unit=_issuer_unit(f),
                 locality=f.locality, province=_province_of(f))
    if parent is not None and parent_issuer is not None:
        iss.parent = squash(parent.text)
        if iss.level is None:
            iss.level = parent_issuer.level
        if iss.locality is None:
            iss.locality = parent_issuer.locality
        if iss.province is None:
            iss.province = parent_issuer.province
    return iss


_STOP_LINE = re.compile(r"^(?:Số|SỐ|So|V/v|V/V|v/v|Về việc|Kính gửi|KÍNH GỬI)\b|ngày\s+\S*\s*tháng")
# the right-hand column glued to the issuer line by a PDF's text layer: "VĂN PHÒNG CHÍNH PHỦ CỘNG HÒA XÃ HỘI …"
_MOTTO = re.compile(r"CỘNG HÒA|CỘNG HOÀ|Cộng hòa xã hội|[ĐÐ]ộc lập|ĐỘC LẬP|ĐẢNG CỘNG SẢN|Hạnh phúc|HẠNH PHÚC")
_SKIP_LINE = re.compile(r"^[\W_]*$|^(?:DỰ THẢO|Dự thảo|MẬT|KHẨN|HỎA TỐC|THƯỢNG KHẨN)\b")


def parse_issuer(lines: list[str]) -> Issuer:
    """The issuer from the issuer lines of a header (top left, above `Số:`), e.g.
    ["ỦY BAN NHÂN DÂN", "PHƯỜNG UÔNG BÍ"] → commune / phường / Uông Bí;
    ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"] → the Sở, parent "UBND TỈNH LÂM ĐỒNG", province level."""
    # the same few header lines head all of a body's documents (UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ):
    # read once (memoised up to 600 characters); a copy goes out, the caller may change it
    found = _parse_issuer(tuple(lines or ()))
    return replace(found) if found is not None else None


@short_memo(8192, 600, size=lambda lines: sum(map(len, lines)))
def _parse_issuer(lines: tuple[str, ...]) -> Issuer:
    clean = []
    for ln in lines:
        ln = squash(nfc(ln))
        m = _MOTTO.search(ln)
        if m:
            ln = ln[:m.start()]
        ln = ln.strip(" ,;:*_-–—")
        if not ln:
            continue
        if _STOP_LINE.search(ln):
            if clean:
                break
            continue
        if _SKIP_LINE.match(ln):
            continue
        if clean and _is_type_heading(ln):
            break
        clean.append(ln)
    if not clean:
        return Issuer()
    elements: list[_Found] = []
    for ln in clean:
        f = _scan(ln, header=True)
        if elements:
            last = elements[-1]
            is_body = f.body is not None and _starts_with_body(ln)
            if not last.complete and not is_body:
                elements[-1] = _scan(last.text + " " + ln, header=True)
                continue
            if not is_body and last.body is not None and last.locality is not None and last.place is None:
                # a locality broken over two lines ("ỦY BAN NHÂN DÂN TỈNH LÂM" / "ĐỒNG")
                merged = _scan(last.text + " " + ln, header=True)
                if merged.place is not None:
                    elements[-1] = merged
                    continue
            if not is_body and last.locality is None:
                # a continuation of the line above ("BAN CHỈ ĐẠO" / "VỀ PHÁT TRIỂN KHCN …")
                merged = last.text + " " + ln
                if last.body is not None and _starts_with_body(last.text):
                    elements[-1] = replace(last, text=merged)
                else:
                    elements[-1] = _scan(merged, header=True)
                continue
            if not is_body:
                break       # below a complete issuer, a line naming no body is a title ("CHƯƠNG I …")
        elements.append(f)
    issuer = None
    parent = None
    for f in elements:
        issuer = _to_issuer(f, parent, issuer)
        parent = f
    return issuer


def _is_type_heading(line: str) -> bool:
    return doctypes.heading_type(line) is not None


def _starts_with_body(line: str) -> bool:
    toks = _tokens(_expand_abbrev_units(nfc(line)))
    reg = _reg()
    return any(trie.match(toks, 0)[0] is not None for trie in (reg.body_trie, reg.child_trie))


def parse_issuer_phrase(text: str) -> Issuer:
    """The issuer named in running text: `Chủ tịch UBND tỉnh Hưng Yên` → province / tỉnh / Hưng Yên;
    `Ủy ban nhân dân thành phố Hải Phòng` → province (a centrally-run city); `Bộ Chính trị` → central;
    `UBND thị xã` → district / thị xã, no locality."""
    if not text or not text.strip():
        return Issuer()
    f = _scan(text, header=False)
    iss = _to_issuer(f)
    iss.name = squash(nfc(text)).strip(" ,;:.") or None
    return iss


# --- addressees ---------------------------------------------------------------------
# Whom a duty is given to (cascade/data/addressees.tsv): the bodies and classes of bodies its text
# opens with, and whether a document's issuer is among them.

@dataclass(frozen=True)
class Addressee:
    """One member of a duty's addressee list.
    kind: `body` (a named body, `Sở Tư pháp`, `Đoàn Luật sư tỉnh Lâm Đồng`), `unit` (a kind of body:
    `các bộ`, `các sở`), `level` (the local government or bodies of some levels: `các tỉnh`,
    `UBND cấp xã`, `địa phương`), `any` (`các cơ quan, đơn vị`)."""
    kind: str
    text: str                               # as written
    body: Optional[Body] = None
    unit: Optional[str] = None
    levels: tuple[str, ...] = ()
    locality: Optional[str] = None


@lru_cache(maxsize=1)
def _addressee_words() -> dict:
    rows: dict[str, list] = {"opener": [], "request": [], "title": [], "joiner": [], "class": [], "clause": []}
    with open(DATA / "addressees.tsv", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.rstrip("\n").split("\t")
            if cells[0] not in rows or (cells[0] == "class") != (len(cells) == 3):
                raise ValueError(f"cascade/data/addressees.tsv: bad row {n}: {line!r}")
            rows[cells[0]].append(cells[1:])
    # matched with their tones: `bộ` is not `Bố trí`, `tỉnh` not `tính`
    tries = {k: _Trie(toned=True) for k in rows}
    for role, items in rows.items():
        for cells in items:
            tries[role].add(_toned(cells[0]), cells[1] if role == "class" else cells[0])
    kinds = _Trie(toned=True)                # kinds of body: the `unit` column of bodies.tsv
    for b in _reg().bodies:
        if b.unit != "*":
            kinds.add(_toned(b.unit), b.unit)
    levels = _Trie(toned=True)               # `cấp tỉnh`, `cấp xã` …
    for level, forms in level_forms().items():
        for f in forms:
            if fold(f).startswith("cap "):
                levels.add(_toned(f), level)
    units = _Trie(toned=True)                # administrative units: `các tỉnh`, `thành phố`
    for row in _read_tsv(DATA / "units.tsv"):
        for alias in (row["unit"],) + _split(row.get("aliases")):
            units.add(_toned(alias), nfc(row["unit"]))
    generic = _Trie(toned=True)              # generic units of two words or more (`Đoàn Luật sư`,
    for b in _reg().bodies:                  # `Tổ giúp việc`); one word (`Tổ`, `Báo`, `Ban`) is
        for alias in (b.name,) + b.aliases:  # running text (`Tổ chức`, `Báo cáo`, `Ban hành`)
            if b.level == "inherit" and len(alias.split()) > 1:
                generic.add(_toned(alias), b)
    tries["kind"], tries["level"], tries["unit"], tries["generic"] = kinds, levels, units, generic
    return tries


def _toned(text: str) -> tuple[str, ...]:
    return tuple(t.low for t in _tokens(nfc(text)))


_LOCAL = LEVELS[1:]


@lru_cache(maxsize=1)
def _kind_levels() -> dict[str, tuple[str, ...]]:
    """The levels a kind of body stands at (bộ → central, sở → province); every level where a
    body of that kind takes its level from its place."""
    out: dict[str, set] = {}
    for b in _reg().bodies:
        out.setdefault(b.unit, set()).update((b.level,) if b.level in LEVELS else LEVELS)
    return {k: tuple(v) for k, v in out.items()}


def _unit_levels(unit: str) -> tuple[str, ...]:
    level = _reg().unit_levels.get(unit)
    return _LOCAL[:2] if level == "*" else ((level,) if level else ())


def _read_list(text: str, toks: list[_Tok], i: int) -> tuple[list[Addressee], int]:
    """The addressee list starting at toks[i]: (members, index after the list)."""
    reg, words = _reg(), _addressee_words()
    out: list[Addressee] = []
    plural = False
    while i < len(toks):
        gap = text[toks[i - 1].end:toks[i].start] if i else ""
        if out and (":" in gap or "." in gap):
            break
        if "(" in gap:                      # `(cũ)`, `(gọi tắt là bộ)`: skipped
            j = i
            while j < len(toks) and ")" not in text[toks[j].end:toks[j + 1].start if j + 1 < len(toks) else len(text)]:
                j += 1
            i = j + 1
            continue
        for role in ("joiner", "title"):
            w, j = words[role].match(toks, i)
            if w is not None:
                plural |= role == "joiner" and fold(w) in ("cac", "nhung")
                i = j
                break
        else:
            start = toks[i].start
            body, j = reg.body_trie.match(toks, i)
            if body is None:
                body, j = words["generic"].match(toks, i)
            if body is not None:
                if j < len(toks) and toks[j].fold == "cac":          # `UBND các tỉnh, thành phố`
                    levels: list[str] = []
                    k = j + 1
                    while k < len(toks):
                        unit, e = words["unit"].match(toks, k)
                        if unit is None:
                            break
                        levels += _unit_levels(unit)
                        k = e
                    out.append(Addressee("level", text[start:toks[k - 1].end], body=body,
                                         levels=tuple(dict.fromkeys(levels))))
                    i = k
                    continue
                level, e = words["level"].match(toks, j)             # `UBND cấp xã`
                if level is not None:
                    out.append(Addressee("level", text[start:toks[e - 1].end], body=body, levels=(level,)))
                    i = e
                    continue
                unit, k = reg.units.match(toks, j)
                locality, end = None, j
                if unit is None and body.implies:
                    unit, k = body.implies, j
                if unit is not None:
                    locality, _, end = _locality(toks, k, text, unit, False)
                    end = max(end, k)
                level = body.level if body.level in LEVELS else (unit_level(unit, locality) if unit else None)
                if body.unit == "*" and unit is not None and locality is None:
                    # `Ủy ban nhân dân tỉnh`: the local government of that level, wherever it is
                    out.append(Addressee("level", text[start:toks[end - 1].end], body=body,
                                         levels=_unit_levels(unit)))
                else:
                    out.append(Addressee("body", text[start:toks[end - 1].end], body=body,
                                         levels=(level,) if level else (), locality=locality))
                i = end
                continue
            level, j = words["level"].match(toks, i)
            if level is not None:
                out.append(Addressee("level", text[start:toks[j - 1].end], levels=(level,)))
                i = j
                continue
            # kinds of body and administrative units name a class only in a plural list (`các sở`,
            # `Các bộ, tỉnh`): alone the word is running text (`Tổ chức`, `Ban hành`, `phòng chuyên môn`)
            unit, j = words["kind"].match(toks, i) if plural else (None, i)
            if unit is not None:
                out.append(Addressee("unit", text[start:toks[j - 1].end], unit=unit))
                i = j
                continue
            unit, j = words["unit"].match(toks, i) if plural else (None, i)
            if unit is not None:
                out.append(Addressee("level", text[start:toks[j - 1].end], levels=_unit_levels(unit)))
                i = j
                continue
            meaning, j = words["class"].match(toks, i)
            if meaning is not None and (plural or meaning == "local"):
                out.append(Addressee("any" if meaning == "any" else "level", text[start:toks[j - 1].end],
                                     levels=_LOCAL if meaning == "local" else ()))
                i = j
                continue
            break
    return out, i


def addressees(text: Optional[str]) -> list[Addressee]:
    """`read_addressees`, remembered per text: a province's duties are read once however many
    communes' documents they are compared with."""
    return list(_addressees(text)) if text else []


@lru_cache(maxsize=8192)
def _addressees(text: str) -> tuple[Addressee, ...]:
    return tuple(read_addressees(text))


def read_addressees(text: Optional[str]) -> list[Addressee]:
    """Whom a duty's text gives it to, read at its opening (empty when it names no one):
    `Bộ Công an: Chuẩn bị …` → [Bộ Công an]; `Các bộ, các tỉnh:` → [bộ, province];
    `Giao Sở Nội vụ chuẩn bị …` → [Sở Nội vụ]; `Văn phòng Chính phủ trân trọng đề nghị:` → [] (the
    sender); `Phân công chuẩn bị: Giao Sở Nội vụ …` → [Sở Nội vụ] (a short label before ':');
    `Các sở, ngành: Văn phòng UBND tỉnh, Sở Tư pháp … chuẩn bị` → the named ones."""
    if not text:
        return []
    text = _expand_abbrev_units(nfc(text[:400]))
    toks = _tokens(text)
    words = _addressee_words()

    def after(i: int) -> tuple[list[Addressee], int]:
        w, j = words["clause"].match(toks, i)
        if w is not None:                   # `Căn cứ …, Bộ Nội vụ sẽ …`: the subject follows the comma
            comma = text.find(",", toks[i].start)
            j = next((n for n, t in enumerate(toks) if comma >= 0 and t.start > comma), len(toks))
            i = j
        w, j = words["opener"].match(toks, i)
        return _read_list(text, toks, j if w is not None else i)

    first, i = after(0)
    if first and i < len(toks):
        w, j = words["request"].match(toks, i)
        if w is not None:                   # the list was the sender; the addressees follow
            return _read_list(text, toks, j)[0]
    colon = text.find(":")
    if 0 <= colon < 120:
        k = next((n for n, t in enumerate(toks) if t.start > colon), None)
        if k is not None:
            label = not first and len(text[:colon].split()) <= 6
            if label or (first and all(a.kind != "body" for a in first) and i == k):
                named, _ = after(k)
                if label or any(a.kind == "body" for a in named):
                    return named
    return first


def addresses(members: list[Addressee], issuer: Optional[Issuer]) -> Optional[bool]:
    """Whether a duty given to `members` is given to the issuer of a document (None: cannot tell —
    no member or an unknown issuer). True when a member names the issuer's body (or the body it
    works under: a Sở for its `UBND tỉnh`), its kind (`các sở`), its level (`UBND các tỉnh`) or anyone."""
    if not members or issuer is None or not (issuer.name or issuer.level):
        return None
    own = _scan(issuer.name, header=True).body if issuer.name else None
    above = _scan(issuer.parent, header=True).body if issuer.parent else None
    for a in members:
        if a.kind == "any":
            return True
        if a.kind == "level" and issuer.level in a.levels:
            return True
        if a.kind == "unit":
            if a.unit in (issuer.unit, own.unit if own else None):
                return True
            if own is None and not issuer.unit and issuer.level in _kind_levels().get(a.unit, LEVELS):
                return True                 # an issuer known by its level only: cannot rule it out
        if a.kind == "body":
            if own is None:
                if not a.levels or not issuer.level or issuer.level in a.levels:
                    return True             # an issuer known by its level only: cannot rule it out
                continue
            if a.body.level == "inherit":   # a generic unit (Văn phòng, Tổ, Đoàn Luật sư): by its name
                mine, theirs = key(issuer.name), key(a.text)
                if mine.startswith(theirs) or theirs.startswith(mine):
                    return True
                continue
            if a.body in (own, above) and (not a.locality or not issuer.locality
                                           or key(a.locality) == key(issuer.locality)):
                return True
    return False
