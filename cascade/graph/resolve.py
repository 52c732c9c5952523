"""Resolve citations to documents: which stored document is the one a citation names?

1. Exact key. A national key (`73/2023/NĐ-CP`, `57-NQ/TW`) names one document in the country;
   a local key (`03/CT-UBND`) only together with its issuer's province and year, so a local
   match needs the year to agree and the province not to conflict (confidence 1.0 when both
   are known and agree, 0.8 when one is unknown).
2. Fuzzy identification of documents whose own header lacks a number (seed 001 is Chỉ thị
   03/CT-UBND of Hưng Yên but says neither). Each distinct title of a keyed citation not matched
   by key is blocked on its rarest words (inverted index over the number-less documents'
   titles) and ranked with `rapidfuzz.process.extract`; the shortlist is scored on title similarity, type match, level match, date/province
   compatibility and, when both have tasks, task overlap with the citing document (a child
   usually copies its parent's tasks). The evidence is kept with the result.
3. User decisions win: `cascade identify DOC KEY` (store `overrides`) pins or rejects an
   identification; `cascade alias FROM TO` rewrites a cited key (a typo) before matching.

Inputs are plain rows from the store (`Store.docs()`, `Store.citations()`), so resolution
never loads JSON except the tasks of the few shortlisted pairs.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

from cascade.parse.citations import is_national, make_key, symbol_type
from cascade.registry import canonical_unit, current_province, parse_issuer_phrase, symbol_issuer
from cascade.text import fold

# weights of the fuzzy evidence (renormalised over the evidence present)
WEIGHTS = {"title": 0.55, "type": 0.15, "level": 0.10, "tasks": 0.20}
TITLE_MIN = 75          # token_set_ratio below this: not the same document
CONTAINED_MIN = 0.85    # IDF-weighted share of the cited title's words the document's title must have
ACCEPT = 0.70           # overall confidence to accept an identification
SHORTLIST = 5           # candidates per citation kept from the vectorised pass
_TITLE_LEAD = re.compile(r"^(?:ve viec|v/v|ve)\s+")


@lru_cache(maxsize=65536)
def norm_key(key: Optional[str]) -> str:
    """Comparable form of a key or number as written: the citation grammar's key, folded
    ('03/CT-UBND' -> '3/ct-ubnd', '73/2023/NĐ-CP' -> '73/2023/nd-cp')."""
    if not key:
        return ""
    key = make_key(key) or key
    return fold(key).replace(" ", "")


def year_of(date: Optional[str]) -> Optional[int]:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def dates_compatible(a: Optional[str], b: Optional[str]) -> Optional[bool]:
    """True when one ISO (possibly partial) date is a prefix of the other; None if either is missing."""
    if not a or not b:
        return None
    n = min(len(a), len(b))
    return a[:n] == b[:n]


@lru_cache(maxsize=65536)
def issuer_parts(text: Optional[str]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(level, current province, locality) of an issuer phrase as a citation writes it, via the
    registry: 'UBND tỉnh Quảng ninh' -> province, Quảng Ninh, Quảng Ninh; 'UBND xã' -> commune,
    None, None (a relative issuer: the citing document's own)."""
    if not text:
        return None, None, None
    iss = parse_issuer_phrase(text)
    if iss is None:
        return None, None, None
    return (getattr(iss, "level", None), canonical_province(getattr(iss, "province", None)),
            getattr(iss, "locality", None))


def issuer_info(text: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(level, current province) of an issuer phrase, via the registry."""
    lvl, prov, _loc = issuer_parts(text)
    return lvl, prov


def canonical_province(name: Optional[str]) -> Optional[str]:
    """Current (post-2025) province name for any spelling or pre-merger name, via the registry."""
    if not name:
        return None
    p = current_province(name)
    if p is None:
        return name
    return getattr(p, "name", None) or (p if isinstance(p, str) else name)


_KEY_SYMBOL = re.compile(r"^\d+[-/](?:(?:19|20)\d\d/)?(?P<symbol>.+)$")


def key_symbol(key: Optional[str]) -> Optional[str]:
    """The symbol part of a key: '6484/UBND-NC' -> 'UBND-NC', '73/2023/NĐ-CP' -> 'NĐ-CP',
    '57-NQ/TW' -> 'NQ/TW'."""
    m = _KEY_SYMBOL.match(key or "")
    return m.group("symbol") if m else None


def issuer_conflict(key: Optional[str], doc: dict) -> Optional[str]:
    """Why the document cannot be the one `key` names, judging by who issued it; else None.

    Its own symbol (a blank-number header still prints `/UBND-NC`) must be the key's; the body
    the key's symbol names (registry: `MTTQ-BTT` → Mặt trận Tổ quốc, `BCA` → Bộ Công an,
    `UBND` → an administrative unit) must be the kind of body the document's header names.
    """
    ks = key_symbol(key)
    if ks and doc.get("symbol") and norm_key(doc["symbol"]) != norm_key(ks):
        return f"its symbol {doc['symbol']} is not {ks}"
    unit = doc.get("unit")
    if not unit or not key:
        return None
    body = symbol_issuer(key)
    if body is None:
        return None
    admin = canonical_unit(unit) is not None
    if body.unit == "*":
        return None if admin else f"{key} is an administrative unit's, the document is a {unit}'s"
    if admin or fold(body.unit) != fold(unit):
        return f"{key} is issued by {body.name}, the document by a {unit}"
    return None


def _title_text(s: Optional[str]) -> str:
    if not s:
        return ""
    return _TITLE_LEAD.sub("", fold(s).strip(" .;:"))


@dataclass
class Link:
    """Where one citation points."""
    citation_id: int
    doc_id: Optional[int]            # the stored document, or None: an external document
    key: Optional[str]               # the (alias-rewritten) key the citation names
    method: str                      # key / fuzzy / user / external
    confidence: float = 1.0


@dataclass
class Identification:
    """A stored document recognised as the one some citation names."""
    doc_id: int
    key: str
    number: Optional[str] = None
    type: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    level: Optional[str] = None
    province: Optional[str] = None
    confidence: float = 0.0
    method: str = "fuzzy"            # fuzzy / user
    evidence: dict = field(default_factory=dict)
    cited_by: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Resolution:
    links: dict[int, Link] = field(default_factory=dict)                 # citation id -> link
    identified: dict[int, Identification] = field(default_factory=dict)  # doc id -> identification
    effective_key: dict[int, Optional[str]] = field(default_factory=dict)  # citation id -> key
    idf: object = None


def resolve(docs: list[dict], citations: list[dict], overrides: Optional[dict[int, dict]] = None,
            aliases: Optional[list[dict]] = None,
            tasks_of: Optional[Callable[[int], list[str]]] = None) -> Resolution:
    """Link every citation row to a stored document or to an external key.

    docs: `Store.docs()` rows; citations: `Store.citations()` rows; overrides: `Store.overrides()`;
    aliases: `Store.aliases()`; tasks_of(doc_id) -> task texts, used for shortlisted pairs only.
    """
    overrides = overrides or {}
    res = Resolution()
    by_id = {d["id"]: d for d in docs}
    ok = {d["id"] for d in docs if d.get("status") not in ("no_text", "error", "unsupported", "empty")}

    # 0. aliases: doc-specific first, then global; then one key per document (unify_keys)
    glob = {norm_key(a["from_key"]): a["to_key"] for a in aliases or [] if a.get("doc_id") is None}
    local = {(a["doc_id"], norm_key(a["from_key"])): a["to_key"] for a in aliases or [] if a.get("doc_id")}
    for c in citations:
        k = c["key"]
        nk = norm_key(k)
        k = local.get((c["doc_id"], nk)) or glob.get(nk) or k
        res.effective_key[c["id"]] = k
    res.effective_key.update(unify_keys(docs, citations, res.effective_key))

    # 1. user identifications
    for doc_id, o in overrides.items():
        if doc_id in by_id and not o.get("rejected") and o.get("key"):
            lvl, prov = issuer_info(o.get("issuer"))
            res.identified[doc_id] = Identification(
                doc_id=doc_id, key=o["key"], number=o.get("number") or o["key"], date=o.get("date"),
                issuer=o.get("issuer"), level=lvl, province=canonical_province(o.get("province") or prov),
                confidence=1.0, method="user", evidence={"user": o.get("note") or "set with cascade identify"})
    rejected = {doc_id for doc_id, o in overrides.items() if o.get("rejected")}

    # key index: own keys, then user-given keys
    index: dict[str, list[int]] = {}
    for d in docs:
        if d["id"] in ok and d.get("key"):
            index.setdefault(norm_key(d["key"]), []).append(d["id"])
    for doc_id, ident in res.identified.items():
        index.setdefault(norm_key(ident.key), []).append(doc_id)

    # 2. exact keys
    unmatched: list[dict] = []
    for c in citations:
        key = res.effective_key[c["id"]]
        if not key:
            continue
        cands = [i for i in index.get(norm_key(key), []) if i != c["doc_id"]]
        hit, conf = _pick_by_key(c, cands, by_id, res.identified)
        if hit is not None:
            res.links[c["id"]] = Link(c["id"], hit, key, "user" if hit in res.identified else "key", conf)
        else:
            unmatched.append(c)

    # 3. fuzzy identification of number-less documents
    pool = [d for d in docs if d["id"] in ok and not d.get("key") and d["id"] not in res.identified
            and d["id"] not in rejected and _title_text(d.get("title") or d.get("subject"))]
    if pool and unmatched:
        _fuzzy(unmatched, pool, res, tasks_of, by_id)

    # 4. the rest are external
    for c in citations:
        if c["id"] not in res.links:
            res.links[c["id"]] = Link(c["id"], None, res.effective_key[c["id"]], "external", 1.0)
    return res


# ---------------------------------------------------------------- one key per document
# a key's running number, year (None when not written) and symbol, in norm_key form:
# "126/2024/nd-cp" -> ("126", "2024", "nd-cp"); "126/nd-cp" -> ("126", None, "nd-cp");
# a Party key "174-kl/tw" -> ("174", None, "kl/tw")
_KEY_PARTS = re.compile(r"^(?P<num>\d+)[-/](?:(?P<year>(?:19|20)\d\d)/)?(?P<sym>.+)$")
SYMBOL_TYPO = 2          # edit distance between two symbols of one number and one date read as a typo


def key_parts(key: Optional[str]) -> Optional[tuple[str, Optional[str], str]]:
    m = _KEY_PARTS.match(norm_key(key))
    return (m.group("num"), m.group("year"), m.group("sym")) if m else None


def _same_symbol(a: str, b: str) -> bool:
    """Two spellings of one symbol: a prefix at a hyphen (`hd-bca` / `hd-bca-c04`) or a typo of at
    most SYMBOL_TYPO edits that keeps the type code (`nttq-btt` / `mttq-btt`, `snv-tccb` / `snv-tcbc`)."""
    from rapidfuzz.distance import Levenshtein
    if a == b or a.startswith(b + "-") or b.startswith(a + "-"):
        return True
    if min(len(a), len(b)) < 5 or Levenshtein.distance(a, b) > SYMBOL_TYPO:
        return False
    return symbol_type(f"1/{a.upper()}") == symbol_type(f"1/{b.upper()}")


def unify_keys(docs: list[dict], citations: list[dict], keys: dict[int, Optional[str]],
               symbols: Optional[Counter] = None) -> dict[int, str]:
    """Citation id -> the key of the one document several spellings name, where they differ.

    1. A number written without its year (`126/NĐ-CP ngày 08/10/2024`) takes the full key of the
       same number and symbol with the year of its date (`126/2024/NĐ-CP`) when that key exists
       and no date known for it (stored document, or citations) contradicts the citation's.
    2. A short form (type and running number, no symbol) takes the one full key in the collection
       of that number and type, of a central body when its issuer is central and not otherwise.
    3. Keys of one running number and one full date whose symbols differ by a typo or a cut-off
       suffix (`227/NTTQ-BTT` / `227/MTTQ-BTT`, `37/HD-BCA` / `37/HD-BCA-C04`) are one document:
       a stored document's key wins, else one with its year, else the one whose symbol more
       other numbers carry (the body's usual symbol, not a typo), then the key most citations
       write, the longer, the first in sort order — never the order documents were read in.
       Never two stored documents (each has its own header), nor keys whose provinces (a stored
       document's, a citation's issuer's) are known and differ: across a country's 3,000 communes
       the same running number on the same day is common (`346/UBND-VX` of a province and
       `346/UBND-TH` of a commune in another).
    """
    dated: dict[str, set[str]] = {}          # norm key -> full dates known for it
    spelled: dict[str, Counter] = {}         # norm key -> Counter of spellings
    stored: set[str] = set()
    for d in docs:
        if d.get("key"):
            nk = norm_key(d["key"])
            stored.add(nk)
            spelled.setdefault(nk, Counter())[d["key"]] += 1
            if d.get("date") and len(d["date"]) == 10:
                dated.setdefault(nk, set()).add(d["date"])
    for c in citations:
        k = keys.get(c["id"])
        if k:
            nk = norm_key(k)
            spelled.setdefault(nk, Counter())[k] += 1
            if c.get("date") and len(c["date"]) == 10:
                dated.setdefault(nk, set()).add(c["date"])
    with_year: dict[tuple[str, str], dict[str, str]] = {}    # (num, sym) -> year -> norm key
    for nk in spelled:
        parts = key_parts(nk)
        if parts and parts[1]:
            with_year.setdefault((parts[0], parts[2]), {})[parts[1]] = nk

    def spelling(nk: str) -> str:
        return sorted(spelled[nk].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    out: dict[int, str] = {}
    # 1. the year a number was written without
    for c in citations:
        k, date = keys.get(c["id"]), c.get("date") or ""
        parts = key_parts(k)
        if not parts or parts[1] or len(date) < 4:
            continue
        full = with_year.get((parts[0], parts[2]), {}).get(date[:4])
        if full and (len(date) < 10 or not dated.get(full) or date in dated[full]):
            out[c["id"]] = spelling(full)
    # 2. a short form (`Kết luận số 132`, `Chỉ thị số 36 của Bộ Chính trị`) names the one full key of
    #    that running number and type in the collection whose body's level its issuer allows
    by_num: dict[str, list[str]] = {}
    for nk in spelled:
        parts = key_parts(nk)
        if parts:
            by_num.setdefault(parts[0], []).append(nk)
    for c in citations:
        num = (c.get("number") or "").lstrip("0")
        if keys.get(c["id"]) or not num.isdigit() or not c.get("type"):
            continue
        level = issuer_parts(c.get("issuer"))[0] if c.get("issuer") else None
        cands = sorted({nk for nk in by_num.get(num, [])
                        if symbol_type(spelling(nk)) == c["type"]
                        and (level is None or (level == "central") == is_national(spelling(nk)))
                        and not (c.get("year") and key_parts(nk)[1] and key_parts(nk)[1] != str(c["year"]))})
        if len(cands) == 1:
            out[c["id"]] = spelling(cands[0])
    # 3. typos and cut-off symbols among the keys of one number and one date
    groups: dict[tuple[str, str], set[str]] = {}
    provinces: dict[tuple[str, str], set[str]] = {}       # (date, norm key) -> provinces known for it
    for row, k, is_doc in [(d, d.get("key"), True) for d in docs] + \
            [(c, out.get(c["id"]) or keys.get(c["id"]), False) for c in citations]:
        parts, date = key_parts(k), row.get("date")
        if parts and date and len(date) == 10:
            groups.setdefault((parts[0], date), set()).add(norm_key(k))
            prov = canonical_province(row.get("province")) if is_doc else issuer_parts(row.get("issuer"))[1]
            if prov:
                provinces.setdefault((date, norm_key(k)), set()).add(prov)
    renamed: dict[tuple[str, str], str] = {}        # (date, norm key) -> norm key of the document
    # how many different numbers carry each symbol: a typo is rare, the body's own symbol recurs
    if symbols is None:     # given by an incremental update, whose rows are one running number's
        symbols = symbol_counts(spelled)
    for (num, date), members in groups.items():
        if len(members) < 2:
            continue
        ranked = sorted(members, key=lambda x: (x not in stored, key_parts(x)[1] is None,
                                                -symbols[key_parts(x)[2]], -sum(spelled[x].values()),
                                                -len(x), x))
        canon: dict[str, str] = {}

        def apart(x: str, y: str) -> bool:
            """Two documents for certain: both stored, or from provinces known to differ."""
            px, py = provinces.get((date, x)), provinces.get((date, y))
            return (x in stored and y in stored) or bool(px and py and px.isdisjoint(py))

        for x in ranked:            # each key joins the best-ranked head it is a spelling of
            num_x, year_x, sym_x = key_parts(x)
            canon[x] = next((y for y in ranked[:ranked.index(x)] if canon[y] == y and not apart(x, y)
                             and _same_symbol(sym_x, key_parts(y)[2]) and year_x in (None, key_parts(y)[1])), x)
        renamed.update({(date, x): y for x, y in canon.items() if x != y})
    if renamed:
        for c in citations:
            y = renamed.get((c.get("date"), norm_key(out.get(c["id"]) or keys.get(c["id"]))))
            if y:
                out[c["id"]] = spelling(y)
    return out


def symbol_counts(keys) -> Counter:
    """How many different keys (norm_key form) carry each symbol: rule 3 of unify_keys ranks by it."""
    return Counter(parts[2] for parts in map(key_parts, keys) if parts)


def _pick_by_key(c: dict, cands: list[int], by_id: dict, identified: dict) -> tuple[Optional[int], float]:
    if not cands:
        return None, 0.0
    if c.get("national"):
        return cands[0], 1.0
    # a local key: the year must agree and the province must not conflict
    c_year = c.get("year") or year_of(c.get("date"))
    c_lvl, c_prov, c_loc = issuer_parts(c.get("issuer"))
    best, best_conf = None, 0.0
    for i in cands:
        d = by_id[i]
        ident = identified.get(i)
        d_year = year_of(ident.date if ident and ident.date else d.get("date"))
        d_prov = canonical_province((ident.province if ident else None) or d.get("province"))
        if c_year and d_year and c_year != d_year:
            continue
        if c_prov and d_prov and c_prov != d_prov:
            continue
        # below the province, the unit must be the same one: xã A's 12/KH-UBND is not xã B's
        d_lvl = (ident.level if ident and ident.level else None) or d.get("level")
        if c_lvl and d_lvl and c_lvl != d_lvl:
            continue
        if c_loc and d.get("locality") and fold(c_loc) != fold(d["locality"]):
            continue
        known = sum(1 for a, b in ((c_year, d_year), (c_prov, d_prov)) if a and b)
        conf = 1.0 if known == 2 else 0.8 if known == 1 else 0.0
        if ident is not None and ident.method == "user":
            conf = 1.0
        if conf > best_conf:
            best, best_conf = i, conf
    return best, best_conf


_KEY_TOKEN = re.compile(r"\d+[-/][\w/.\-]*\w")
_WORD = re.compile(r"\w+")


def _tokens(folded: str) -> set[str]:
    """Words of a folded title, document numbers left out (52-NQ/TW vs 57-NQ/TW is an anomaly
    to report, not a reason to miss the match)."""
    return set(_WORD.findall(_KEY_TOKEN.sub(" ", folded)))


class _Idf:
    """Inverse document frequency of title words over the titles being compared: formulaic
    words (`về việc cho phép sáp nhập … tỉnh … (trước sắp xếp)`) weigh little, the words that
    tell one title from another (`Bóng bàn`, `Võ thuật cổ truyền`) a lot."""

    def __init__(self, texts: list[str]):
        import math
        df: dict[str, int] = {}
        for t in texts:
            for w in _tokens(t):
                df[w] = df.get(w, 0) + 1
        n = len(texts) + 1
        self.idf = {w: math.log(n / c) + 0.1 for w, c in df.items()}
        self.default = math.log(n) + 0.1

    def containment(self, cited: str, doc: str) -> float:
        """IDF-weighted share of the cited title's words found in the document's title."""
        a, b = _tokens(cited), _tokens(doc)
        if not a:
            return 0.0
        total = sum(self.idf.get(w, self.default) for w in a)
        return sum(self.idf.get(w, self.default) for w in a if w in b) / total


def _shortlists(queries: list[str], titles: list[str], idf: _Idf, process, fuzz) -> dict[str, list[int]]:
    """For each distinct cited title, the few document titles worth scoring.

    Blocking on rare words: only titles sharing one of the query's four rarest words are
    candidates (an inverted index, so the cost grows with the matches, not with citations x
    documents); those are ranked with rapidfuzz `process.extract` (ratio) and the best
    SHORTLIST kept.
    """
    postings: dict[str, list[int]] = {}
    for j, title in enumerate(titles):
        for w in _tokens(title):
            postings.setdefault(w, []).append(j)
    common = max(50, len(titles) // 5)
    out: dict[str, list[int]] = {}
    for qt in queries:
        words = sorted(_tokens(qt), key=lambda w: (-idf.idf.get(w, idf.default), w))[:4]
        cand: set[int] = set()
        for w in words:
            ps = postings.get(w)
            if ps and len(ps) <= common:
                cand.update(ps)
        if not cand and words:       # only common words: the rarest one's titles, capped
            cand.update(postings.get(words[0], [])[:2000])
        if not cand:
            continue
        cand_l = sorted(cand)
        hits = process.extract(qt, [titles[j] for j in cand_l], scorer=fuzz.ratio, limit=SHORTLIST,
                               score_cutoff=40)
        out[qt] = [cand_l[idx] for _choice, _score, idx in hits]
    return out


def _fuzzy(unmatched: list[dict], pool: list[dict], res: Resolution, tasks_of, by_id: dict) -> None:
    from rapidfuzz import fuzz, process

    cits = [c for c in unmatched if _title_text(c.get("title"))]
    if not cits:
        return
    q = [_title_text(c["title"]) for c in cits]
    t = [_title_text(d.get("title") or d.get("subject")) for d in pool]
    distinct = sorted(set(q))
    res.idf = _Idf(distinct + t)
    shortlist = _shortlists(distinct, t, res.idf, process, fuzz)
    proposals: list[tuple[float, dict, dict, dict]] = []
    for i, c in enumerate(cits):
        for j in shortlist.get(q[i], ()):
            d = pool[j]
            if d["id"] == c["doc_id"]:
                continue
            ev = _evidence(c, d, q[i], t[j], tasks_of, fuzz, res, by_id.get(c["doc_id"]))
            if ev is None:
                continue
            proposals.append((ev["confidence"], c, d, ev))
    # best first; one key per document, all citations of that key merged into it
    # best first; one document per key and one key per document (a draft and its final copy
    # in the same folder both match: the better one wins, the other stays unidentified)
    proposals.sort(key=lambda p: (-p[0], -len(p[2].get("date") or ""), p[2].get("sha256") or "", p[2]["id"]))
    taken: dict[str, int] = {}
    for conf, c, d, ev in proposals:
        key = res.effective_key[c["id"]]
        if c["id"] in res.links:
            continue
        if taken.get(norm_key(key), d["id"]) != d["id"]:
            continue
        cur = res.identified.get(d["id"])
        if cur is not None and norm_key(cur.key) != norm_key(key):
            continue
        taken[norm_key(key)] = d["id"]
        if cur is None:
            lvl, prov = issuer_info(c.get("issuer"))
            res.identified[d["id"]] = Identification(
                doc_id=d["id"], key=key, number=c.get("number") or key, type=c.get("type"),
                date=c.get("date"), issuer=c.get("issuer"), level=lvl, province=canonical_province(prov),
                confidence=round(conf, 3), method="fuzzy", evidence=ev, cited_by=[c["doc_id"]])
        elif c["doc_id"] not in cur.cited_by:
            cur.cited_by.append(c["doc_id"])
            for k in ("date", "issuer"):
                if getattr(cur, k) is None and c.get(k):
                    setattr(cur, k, c.get(k))
        res.links[c["id"]] = Link(c["id"], d["id"], key, "fuzzy", round(conf, 3))
    # citations of an identified key that were not in the shortlist (no title) link too
    ident_keys = {norm_key(i.key): i.doc_id for i in res.identified.values()}
    for c in unmatched:
        if c["id"] in res.links:
            continue
        hit = ident_keys.get(norm_key(res.effective_key[c["id"]]))
        if hit is not None and hit != c["doc_id"] and (
                c.get("national") or _pick_by_key(c, [hit], by_id, res.identified)[0] is not None):
            res.links[c["id"]] = Link(c["id"], hit, res.effective_key[c["id"]], "fuzzy",
                                      res.identified[hit].confidence)


def _evidence(c: dict, d: dict, qt: str, dt: str, tasks_of, fuzz, res: Resolution,
              citing: Optional[dict] = None) -> Optional[dict]:
    title = fuzz.token_set_ratio(qt, dt)
    if title < TITLE_MIN:
        return None
    contained = res.idf.containment(qt, dt)
    if contained < CONTAINED_MIN:
        return None
    ev: dict = {"title_similarity": round(title, 1), "title_words_found": round(contained, 3)}
    parts = {"title": (title / 100 + contained) / 2}
    # type
    if c.get("type") and d.get("doc_type"):
        if fold(c["type"]) != fold(d["doc_type"]):
            return None
        ev["type_match"] = True
        parts["type"] = 1.0
    # date and province: absent is neutral, a conflict rules the pair out
    if dates_compatible(c.get("date"), d.get("date")) is False:
        return None
    # a document cannot be cited before it exists
    if citing and citing.get("date") and d.get("date"):
        n = min(len(citing["date"]), len(d["date"]))
        if d["date"][:n] > citing["date"][:n]:
            return None
    c_lvl, c_prov = issuer_info(c.get("issuer"))
    if c_prov and d.get("province") and canonical_province(c_prov) != canonical_province(d["province"]):
        return None
    if issuer_conflict(res.effective_key[c["id"]], d):
        return None
    if c_lvl and d.get("level"):
        if c_lvl != d["level"] and not d.get("issuer_inferred"):
            return None       # the header says another level of government
        ev["level_match"] = c_lvl == d["level"]
        parts["level"] = 1.0 if c_lvl == d["level"] else 0.0
    # task overlap with the citing document
    if tasks_of is not None:
        mine, theirs = tasks_of(d["id"]), tasks_of(c["doc_id"])
        if mine and theirs:
            from rapidfuzz import process
            m = process.cdist([fold(x) for x in mine], [fold(x) for x in theirs], scorer=fuzz.ratio)
            matched = int((m.max(axis=1) >= 60).sum())
            ev["task_overlap"] = f"{matched}/{len(mine)}"
            parts["tasks"] = matched / len(mine)
    w = sum(WEIGHTS[k] for k in parts)
    conf = sum(WEIGHTS[k] * v for k, v in parts.items()) / w
    if conf < ACCEPT:
        return None
    ev["confidence"] = round(conf, 3)
    return ev
