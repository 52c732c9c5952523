"""The document-type table: cascade/data/doc_types.tsv, loaded once.

Every stage that needs to know about document types (the header's type heading, the
citation grammar, the type implied by a symbol code) asks this module; the types
themselves are data, never if-chains in code.

- `type_from_code("QĐ")` → "quyết định"; `type_from_code("QĐ", party=True)` → "quy định"
- `type_from_name("NGHỊ ĐỊNH")` → "nghị định" (any case, old or new tone placement)
- `heading_type("KẾ HOẠCH")` → "kế hoạch" for a line that is a type heading
- `all_names()` → every type name, longest first, for building patterns
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from cascade.text import fold, nfc, short_memo

DATA_FILE = Path(__file__).resolve().parent / "data" / "doc_types.tsv"


PASSES, REPORTS, NEITHER = "passes", "reports", "-"
DUTY_ROLES = (PASSES, REPORTS, NEITHER)     # the table's `duties` column


@dataclass(frozen=True)
class DocType:
    name: str                       # "nghị quyết"
    codes: tuple[str, ...]          # ("NQ", "NQLT")
    party_codes: tuple[str, ...]    # codes meaning this type in a Party symbol
    abbrevs: tuple[str, ...]        # abbreviations used as a type word: "NQ", "QĐ"
    kinds: tuple[str, ...]          # ("normative", "administrative", "party")
    headings: tuple[str, ...]       # ("NGHỊ QUYẾT", "NGHỊ QUYẾT LIÊN TỊCH")
    unnumbered: str                 # "-", "title", "year" or "Đại hội|Hội nghị"
    short_form: bool = False        # "Nghị định 73" without "số" is a citation
    duties: str = PASSES            # what it does with the duties of what it implements: DUTY_ROLES

    @property
    def unnumbered_starts(self) -> tuple[str, ...]:
        """Words an un-numbered citation's title must start with; () = any title."""
        if self.unnumbered in ("-", "title", "year"):
            return ()
        return tuple(w.strip() for w in self.unnumbered.split("|") if w.strip())

    @property
    def citable_without_number(self) -> bool:
        return self.unnumbered != "-"


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split(",") if x.strip())


def _unify_code(code: str) -> str:
    # Icelandic Eth (U+00D0) and U+0189 look like Đ in many fonts and occur in real files.
    return code.replace("\u00d0", "Đ").replace("\u0189", "Đ").replace("đ", "Đ").strip()


def _duties(cell: str, lineno: int) -> str:
    role = cell.strip() or NEITHER
    if role not in DUTY_ROLES:
        raise ValueError(f"{DATA_FILE}:{lineno}: duties must be one of {', '.join(DUTY_ROLES)}, not {role!r}")
    return role


@lru_cache(maxsize=1)
def load_types() -> tuple[DocType, ...]:
    """Read the table once. A malformed row raises ValueError naming the line."""
    rows: list[DocType] = []
    header: Optional[list[str]] = None
    for lineno, raw in enumerate(DATA_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise ValueError(f"{DATA_FILE}:{lineno}: expected {len(header)} tab-separated cells, got {len(cells)}")
        row = dict(zip(header, cells))
        rows.append(DocType(
            name=nfc(row["name"].strip()),
            codes=tuple(_unify_code(c) for c in _split(row["codes"])),
            party_codes=tuple(_unify_code(c) for c in _split(row["party_codes"])),
            abbrevs=_split(row["abbrevs"]),
            kinds=_split(row["kind"]),
            headings=tuple(nfc(h) for h in _split(row["headings"])),
            unnumbered=row["unnumbered"].strip() or "-",
            short_form=row.get("short_form", "no").strip() == "yes",
            duties=_duties(row.get("duties", PASSES), lineno),
        ))
    return tuple(rows)


@lru_cache(maxsize=1)
def _indexes():
    by_name: dict[str, DocType] = {}
    by_fold: dict[str, DocType] = {}
    by_code: dict[str, DocType] = {}
    by_party_code: dict[str, DocType] = {}
    by_heading: dict[str, DocType] = {}
    for t in load_types():
        by_name[t.name] = t
        by_fold[fold(t.name)] = t
        for c in t.codes:
            by_code.setdefault(c, t)       # first row wins: table order decides clashes
        for c in t.party_codes:
            by_party_code.setdefault(c, t)
        for h in t.headings:
            by_heading[_heading_key(h)] = t
    return by_name, by_fold, by_code, by_party_code, by_heading


def get(name: str) -> Optional[DocType]:
    """The table row of a canonical type name ("nghị định")."""
    return _indexes()[0].get(name)


def all_types() -> tuple[DocType, ...]:
    return load_types()


def all_names() -> list[str]:
    """Every type name, longest first (so `thông tư liên tịch` is tried before `thông tư`)."""
    return sorted((t.name for t in load_types()), key=lambda n: (-len(n), n))


def type_from_code(code: str, party: bool = False) -> Optional[str]:
    """Type name for a symbol's type code: "KH" → "kế hoạch".

    `party=True` for a code from a Party symbol (`32-QĐ/TU`), where QĐ is a quy định.
    Matching is exact on case ("TTr", "CTr"), after unifying Đ look-alikes; an
    all-upper spelling of a mixed-case code ("TTR") is accepted too.
    """
    if not code:
        return None
    code = _unify_code(code)
    _, _, by_code, by_party, _ = _indexes()
    table = by_party if party else by_code
    t = table.get(code)
    if t is None and party:
        t = by_code.get(code)
    if t is None:
        upper = code.upper()
        for c, row in table.items():
            if c.upper() == upper:
                t = row
                break
    return t.name if t else None


def type_from_name(text: str) -> Optional[str]:
    """Type name for a type word as written: "Nghị định", "NGHỊ ĐỊNH", "nghị định", "Hoá đơn"…

    Compared folded (no case, no diacritics), so old/new tone placement and capitalisation
    do not matter. Returns None for anything that is not exactly a type word.
    """
    if not text:
        return None
    t = _indexes()[1].get(fold(text))
    return t.name if t else None


def _heading_key(line: str) -> str:
    return fold(line).replace(" ", "")


# the lookbehinds start a trailing run at its first character only: "[\s*#_]+$" searched from
# every space of a long run of spaces was quadratic
_HEADING_DEBRIS = re.compile(r"^[\s*#_]+|(?<![\s*#_])[\s*#_]+$")
_TRAILING_PAREN = re.compile(r"(?<!\s)\s*\([^()]*\)\s*$")


@short_memo(16384, 200)      # the same header lines are read ~27 times a document
def heading_type(line: str) -> Optional[str]:
    """Type name when `line` is a type heading (`KẾ HOẠCH`, `Q U Y Ế T  Đ Ị N H`), else None.

    The line must be upper case and be the heading alone (a trailing parenthesis such as
    `ĐIỀU LỆ (SỬA ĐỔI, BỔ SUNG)` is allowed). `QUYẾT ĐỊNH:` — the operative clause of a
    decision, ending with a colon — is not a heading.
    """
    if not line:
        return None
    if "(" not in line and not line.isupper():
        return None         # the debris removed below is uncased: s.isupper() would be False
    s = _HEADING_DEBRIS.sub("", line)
    s = _TRAILING_PAREN.sub("", s)
    if not s or s.endswith(":") or not s.isupper() or len(s) > 60:
        return None
    t = _indexes()[4].get(_heading_key(s))
    return t.name if t else None


def kinds(name: str) -> tuple[str, ...]:
    t = get(name)
    return t.kinds if t else ()


def duty_role(names) -> str:
    """What a document of these types (its own type and, for a submission, the type its subject
    line names: a Tờ trình `Về việc Báo cáo …` submits a report) does with the duties of a document
    it implements: PASSES if any type passes them down, else REPORTS if any reports on them, else
    NEITHER. A document of no known type passes them (the safe reading: its omissions are shown)."""
    by_fold = _indexes()[1]
    roles = {t.duties for t in (get(n) or by_fold.get(fold(n)) for n in names if n) if t is not None}
    if not roles or PASSES in roles:
        return PASSES
    return REPORTS if REPORTS in roles else NEITHER
