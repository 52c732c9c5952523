"""Relations of a document to what it cites, read from each citation's wording.

`implements` · `responds` · `guides` · `amends` · `replaces` · `repeals` · `basis` · `mentions`
(cascade/models.py says what each means). The phrases are data: cascade/data/relations.json.

Each occurrence of a citation gets a relation from where it stands:
- in the document's subject or title (`V/v triển khai thực hiện Công văn số …`): the act nearest
  before it (`thay thế` → replaces, `phúc đáp` → responds, …), implements when there is none; an
  act of a draft the subject names (`V/v dự thảo Thông tư thay thế …`) only mentions;
- inside another citation (its quoted title): mentions;
- in a clause where the document names itself and acts (`Quyết định này … thay thế Quyết định số …`);
- in a legal-basis section of a Tờ trình (`1. Sự cần thiết và căn cứ pháp lý`): basis;
- in the opening (the body before the first numbered item): the trigger nearest before it in its
  clause (`Thực hiện` → implements, `Theo đề nghị … tại` → responds, `Căn cứ` → basis,
  `nhận được` → implements from above, responds otherwise), unless the document's own action has
  begun in that clause (`…, UBND tỉnh yêu cầu các sở thực hiện …`);
- elsewhere: basis after `căn cứ`, else mentions.
A citation's relation is the strongest of its occurrences' (models.strongest).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from importlib import resources

from cascade.models import BASIS, IMPLEMENTS, MENTIONS, RESPONDS, Citation, strongest
from cascade.text import UPPER, fold

Span = tuple[int, int]

_DATA = json.loads(resources.files("cascade.data").joinpath("relations.json").read_text(encoding="utf-8"))
RECEIPT = "receipt"          # a trigger whose relation depends on where the cited document comes from


def _phrases_re(words) -> re.Pattern:
    words = sorted(set(words), key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    # a class of the phrases' first letters rejects most positions (spaces, digits, masked
    # citations) before the alternation is tried branch by branch
    first = "".join(sorted({c for w in words for c in (w[:1].lower(), w[:1].upper())}))
    return re.compile(r"(?<!\w)(?=[%s])(?:%s)(?!\w)" % (re.escape(first), alt), re.IGNORECASE)


def _triggers(table: dict) -> list[tuple[re.Pattern, str]]:
    return [(_phrases_re(words), rel) for rel, words in table.items()]


OPENING = _triggers(_DATA["opening_triggers"])
BODY = _triggers(_DATA["body_triggers"])
OWN_ACTS = _triggers(_DATA["own_acts"])
SUBJECT = _triggers(_DATA["subject_triggers"]) + OWN_ACTS
OWN_ACT_RELATIONS = frozenset(_DATA["own_acts"])
SUPERSEDED = "superseded"    # `… (Nghị định 126/2024) thay thế Nghị định số 45/2010`: another document's act
SUPERSEDES = [(_phrases_re(_DATA["own_acts"][r]), SUPERSEDED) for r in _DATA["superseding_acts"]]
STOPPERS = _phrases_re(_DATA["clause_stoppers"])
STOP_EXCEPTIONS = re.compile(r"(?:%s)\s*$" % "|".join(re.escape(w) for w in _DATA["stopper_exceptions"]),
                             re.IGNORECASE)
SELF_REF = re.compile(r"(?<!\w)(?:%s)\s+này(?!\w)" % "|".join(
    re.escape(w) for w in sorted(_DATA["self_reference"], key=len, reverse=True)), re.IGNORECASE)
DRAFT_PHRASES = tuple(_DATA["draft_words"])   # `dự thảo`: a draft's own act is not the document's
DRAFT = _phrases_re(DRAFT_PHRASES)
REQUEST_TYPES = frozenset(fold(t) for t in _DATA["request_types"])
BASIS_SECTION = _phrases_re(_DATA["basis_sections"])
NOT_TRIGGERS = _phrases_re(_DATA["not_triggers"])
# where a clause ends: ';', a sentence end before a capital, a line end
# a clause of at most this many words besides the citation continues a list (`và`, a type name
# misspelt so that the grammar left it out: `; Hướng dân số 37/HD-BCA-C04`)
LIST_GLUE_WORDS = 3
_WORD = re.compile(r"\w+")
# a citation after another one in the same clause is a further item of its list when the text
# between them opens with a conjunction (`…, Quyết định số …`, `… và Sở Tư pháp tại Tờ trình …`)
_NEXT_ITEM = re.compile(r"\s*(?:[,;]|(?:và|hoặc|đồng thời)(?!\w))\s*", re.IGNORECASE)
_CLAUSE_END = re.compile(r";|\.\s+(?=[%s])|\n" % UPPER)


@dataclass
class Zones:
    """Where in Record.text the wording of a citation is read (offsets into the text)."""
    subject: list[Span] = field(default_factory=list)       # V/v line(s), the title
    opening: list[Span] = field(default_factory=list)       # paragraphs before the first numbered item
    basis: list[Span] = field(default_factory=list)         # legal-basis sections of a submission
    paragraphs: list[Span] = field(default_factory=list)    # header lines, body paragraphs, closing lines
    articles: int = -1                                      # where its first article (Điều 1) starts; -1: none


# how far back from a citation its clause is read: a clause, a list of legal bases, is far
# shorter; without a bound each of k citations in one long paragraph re-read it (quadratic)
REACH = 3000


def _inside(spans: list[Span], pos: int) -> Span | None:
    """The first span holding `pos`; `spans` sorted (a bisect finds the usual one, a scan is
    left for spans that overlap)."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1] and (i == 0 or spans[i - 1][1] <= spans[i][0]):
        return spans[i]
    for a, b in spans[:i + 1]:
        if a <= pos < b:
            return a, b
    return None


def _near(cites: list[Span], a: int, b: int) -> list[Span]:
    """The other citations (`cites` sorted) that can fall in a clause window ending at `a`."""
    lo, hi = bisect_left(cites, (a - 2 * REACH,)), bisect_right(cites, (a, float("inf")))
    return [s for s in cites[lo:hi] if s != (a, b)]


def _masked(text: str, start: int, end: int, cites: list[Span]) -> str:
    """text[start:end] with other citations (their numbers and quoted titles) blanked out."""
    parts, at = [], start
    lo, hi = bisect_left(cites, (start - REACH,)), bisect_left(cites, (end,))
    for a, b in cites[lo:hi]:           # sorted (see `_near`); none is longer than REACH
        if b <= at or a >= end:
            continue
        a = max(a, at)
        b = min(b, end)
        parts.append(text[at:a])
        parts.append(" " * (b - a))
        at = b
    parts.append(text[at:end])
    return "".join(parts)


def _nearest(window: str, triggers: list[tuple[re.Pattern, str]]) -> tuple[str | None, int]:
    """The relation of the trigger nearest the window's end (the latest start; the longer on a tie)."""
    best, at, _end = _nearest_span(window, triggers)
    return best, at


def _nearest_span(window: str, triggers: list[tuple[re.Pattern, str]]) -> tuple[str | None, int, int]:
    best, at, length = None, -1, 0
    blocked = None
    for pat, rel in triggers:
        for m in pat.finditer(window):
            if blocked is None:
                blocked = [b.span() for b in NOT_TRIGGERS.finditer(window)]
            if any(s <= m.start() < e and m.span() != (s, e) for s, e in blocked):
                continue          # `xem xét` is not `xét`, `kèm theo` not `theo`
            if m.start() > at or (m.start() == at and len(m.group()) > length):
                best, at, length = rel, m.start(), len(m.group())
    return best, at, at + length


_PURPOSE = re.compile(r"\s*(?:để|nhằm)(?!\w)", re.IGNORECASE)
_MAIN_CLAUSE = re.compile(r",\s*\w")     # other citations are blanked: a list's commas lead to blanks


def _in_received(window: str, at: int, start: int, others: list[Span]) -> bool:
    """A receipt (`nhận được`) earlier in the clause, and a document named between it and the trigger
    at `at`: the trigger words describe the document received."""
    for pat, rel in OPENING:
        if rel != RECEIPT:
            continue
        for m in pat.finditer(window, 0, at):
            if any(start + m.end() <= s and e <= start + at for s, e in others):
                return True
    return False


def _stopped(window: str) -> bool:
    """The document's own action has begun in this clause window (`…, UBND tỉnh yêu cầu …`)."""
    for m in STOPPERS.finditer(window):
        before = window[:m.start()]
        if not before.strip():
            continue       # `Để triển khai thực hiện Nghị quyết …, UBND tỉnh …`: a purpose opening the sentence
        if not STOP_EXCEPTIONS.search(before):
            return True
    return False


MAX_CITES_BEHIND = 40     # other citations a clause window reaches back over


def _reach(start: int, a: int, cites: list[Span]) -> int:
    """Where a window ending at `a` may start: `start`, or just after the MAX_CITES_BEHIND-th
    citation before `a` when more stand between (no clause names forty documents before the one it
    is about; text that is nothing but numbers would otherwise cost REACH characters a citation)."""
    hi = bisect_left(cites, (a,))
    if hi - bisect_left(cites, (start,)) <= MAX_CITES_BEHIND:
        return start
    return max(start, cites[hi - MAX_CITES_BEHIND][1])


def _clause_start(text: str, start: int, pos: int, ends: re.Pattern) -> int:
    last = start
    for m in ends.finditer(text, start, pos):
        last = m.end()
    return last


_ITEM_MARK = re.compile(r"\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s*|\s*[-–+•]\s*")


def _mark_len(text: str, para: Span) -> int:
    """Length of the list mark (`1. `, `a) `, `- `) opening a paragraph, 0 without one."""
    m = _ITEM_MARK.match(text, para[0], para[1])
    return m.end() - para[0] if m else 0


def _receipt(c: Citation) -> str:
    """`nhận được …`: from above and not a request → implements; else the request answered."""
    if c.national and fold(c.type or "") not in REQUEST_TYPES:
        return IMPLEMENTS
    return RESPONDS


_ARTICLES = re.compile(r"(?m)^\s*Điều\s+1\s*[.:]")
OWN_ACT_OBJECT_WORDS = 8     # `Bãi bỏ` … `khoản 2 Điều 12 của` … the citation


def _first_article(text: str) -> int:
    if "Điều" not in text:      # the (?m)^ search tries every position
        return -1
    m = _ARTICLES.search(text)
    return m.start() if m else -1


_ARTICLE_LEAD = re.compile(r"\s*(?:Điều\s+\d+[a-zđ]?\s*[.:]?\s*)?(?:\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*)?")


def _own_act(text: str, a: int, span: Span, cites: list[Span], articles: int = -1) -> str | None:
    """`<Quyết định> này … thay thế Quyết định số …` in the citation's clause; in the articles of a
    document written in articles (from `articles`, the offset of Điều 1: not its Căn cứ preamble),
    also a clause that opens with the act itself (`Điều 2. Bãi bỏ Điều 12 Nghị định số …`, `… kể từ
    ngày ký. Bãi bỏ Quyết định số …`): the document's own provision, with no subject."""
    s = _clause_start(text, _reach(max(span[0], a - REACH), a, cites), a, _CLAUSE_END)
    window = _masked(text, s, a, cites)
    me = SELF_REF.search(window)
    if me:
        rel, at = _nearest(window[me.end():], OWN_ACTS)
        return rel
    if 0 <= articles <= s:
        clause = text[s:a]         # unmasked: a clause opening with another citation is not the act's
        lead = _ARTICLE_LEAD.match(clause).end()
        for pat, rel in OWN_ACTS:
            m = pat.match(clause, lead)
            gap = clause[m.end():] if m else ""
            # the act's object is this citation (`Bãi bỏ Điều 12 Nghị định số …`), not one named in
            # the new wording it introduces (`Sửa đổi khoản 2 Điều 8 như sau: … Nghị định số …`)
            if m and ":" not in gap and len(_WORD.findall(gap)) <= OWN_ACT_OBJECT_WORDS:
                return rel
    return None


def occurrence_relation(text: str, c: Citation, a: int, b: int, zones: Zones,
                        cites: list[Span], para: Span) -> str:
    """The relation one occurrence (text[a:b]) of citation `c` gives; `para` is its paragraph;
    `cites` every citation span, sorted."""
    others = _near(cites, a, b)
    subj = _inside(zones.subject, a)
    if subj:
        window = _masked(text, subj[0], a, others)
        rel, at = _nearest(window, SUBJECT)
        if rel is None:
            return IMPLEMENTS
        if rel in OWN_ACT_RELATIONS and DRAFT.search(window[:at]):
            return MENTIONS                  # the draft's act, not the document's
        return rel
    if any(s < a and b <= e for s, e in others):
        return MENTIONS                      # named inside another citation's title
    own = _own_act(text, a, para, others, zones.articles)
    if own:
        return own
    start = _clause_start(text, _reach(max(para[0], a - REACH), a, others), a, _CLAUSE_END)
    window = _masked(text, start, a, others)
    # replaced or repealed by a document named before it (the act may stand in that one's title)
    if _nearest(text[start:a], OPENING + SUPERSEDES)[0] == SUPERSEDED:
        return MENTIONS
    if _inside(zones.basis, a):
        return BASIS
    if _inside(zones.opening, a) and not _stopped(window):
        rel, at, end = _nearest_span(window, OPENING)
        if rel is not None and text[start + end:a].lstrip().startswith(","):
            return MENTIONS      # `Thực hiện ý kiến chỉ đạo, chuyên viên đã rà soát … Nghị định 126`:
                                 # the trigger's object is left unsaid, a main clause follows
        if rel == IMPLEMENTS and _in_received(window, at, start, others):
            return MENTIONS      # `… nhận được Công văn số 123/UBND-NC … đề nghị hướng dẫn thực hiện Nghị
                                 # định số 126 …`: the trigger is in the received letter's description
        if rel is not None and _PURPOSE.match(window) and _MAIN_CLAUSE.search(window[end:]):
            return MENTIONS      # `Để tổ chức thực hiện các nhiệm vụ …, Sở Nội vụ … có Công văn số …`:
                                 # the purpose clause ended; the main clause names the citation
        between = [e for s, e in others if start + max(at, 0) <= s and e <= a]
        gap = text[max(between):a] if between else ""
        # (an empty gap: the title before ran up to this citation, glue words and all)
        if rel is not None and between and gap.strip() and not _NEXT_ITEM.match(gap):
            return MENTIONS      # described inside the cited document before it (`… (kèm theo Công văn …`)
        prev = [e for s, e in others if start <= s and e <= a]
        if rel is None and (len(_WORD.findall(window)) <= LIST_GLUE_WORDS
                            or prev and _NEXT_ITEM.fullmatch(text[max(prev):a])):
            # a clause that is only the citation continues the list before it (`Căn cứ Luật A;`
            # ¶ `Nghị định B;`): the nearest trigger earlier in the opening, none of the
            # document's own action in between
            first = _reach(max(zones.opening[0][0], a - REACH), a, others)
            earlier = _masked(text, first, a, others)
            rel, at = _nearest(earlier, OPENING)
            if rel is not None and _stopped(earlier[at:]):
                rel = None
        if rel == RECEIPT:
            return _receipt(c)
        return rel or MENTIONS
    rel, _at = _nearest(window, OPENING + BODY)
    if rel == RECEIPT and start + _at == para[0] + _mark_len(text, para):
        return _receipt(c)          # `1. Văn bản/cơ quan, đơn vị: Tờ trình số …` opening its item
    return BASIS if rel == BASIS else MENTIONS


def assign_relations(citations: list[Citation], text: str, zones: Zones) -> None:
    """Set `relation` on each merged citation, in place: the strongest over its occurrences.
    A clause never crosses one of `zones.paragraphs` (the whole text when none are given)."""
    spans = sorted({s for c in citations for s in [(c.start, c.end), *c.occurrences]})
    paras = sorted(zones.paragraphs) or [(0, len(text))]
    zones = Zones(subject=sorted(zones.subject), opening=sorted(zones.opening), basis=sorted(zones.basis),
                  paragraphs=paras, articles=_first_article(text))
    for c in citations:
        rels = []
        for a, b in [(c.start, c.end), *c.occurrences]:
            para = _inside(paras, a) or (max(0, a - 400), b)
            rels.append(occurrence_relation(text, c, a, b, zones, spans, para))
        c.relation = strongest(rels)


def basis_sections(items: list[tuple[Span, str | None, str]]) -> list[Span]:
    """Legal-basis sections among body paragraphs given as (span, mark kind or None, text after
    the mark): a marked paragraph whose first words name the legal ground opens one; it runs to
    the next paragraph marked at the same or a higher level."""
    order = {"capital": -1, "roman": 0, "article": 1, "dec1": 2, "dec2": 3, "dec3": 4, "dec4": 5, "letter": 6}

    def rank(kind: str) -> int:        # bullets: "bullet-", "bullet*" … one level each, below letters
        return order.get(kind, 7 if kind.startswith("bullet") else 9)

    out = []
    for i, ((s, e), kind, body) in enumerate(items):
        if kind is None or not BASIS_SECTION.search(body[:80]):
            continue
        end = e
        for (s2, e2), k2, _b in items[i + 1:]:
            if k2 is not None and (k2 == kind or rank(k2) < rank(kind)):
                break
            end = e2
        out.append((s, end))
    return out
