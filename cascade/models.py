"""Plain data model shared by every pipeline stage: records, statuses, relation and finding kinds, NodeId.

load → normalise → segment → extract → resolve → graph → align → report

Each stage takes these dataclasses and returns them; nothing here does I/O.
`Record.to_dict()` is the JSON schema documented in docs/schema.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Optional

# Status of one file after parsing. Anything but OK/PARTIAL is a failure for that file.
STATUS_OK = "ok"                  # parsed; fields may still be missing
STATUS_NO_TEXT = "no_text"        # PDF without a usable text layer (needs OCR)
STATUS_ERROR = "error"            # unreadable: the reason is in Record.error
STATUS_UNSUPPORTED = "unsupported"  # unknown extension
STATUS_EMPTY = "empty"            # the file has no content at all

FAILED_STATUSES = frozenset({STATUS_NO_TEXT, STATUS_ERROR, STATUS_UNSUPPORTED, STATUS_EMPTY})

# How a document relates to one it cites (Citation.relation, graph edge `relation`), chosen from the
# citation's wording (cascade/data/relations.json, cascade/parse/citations/relations.py):
IMPLEMENTS = "implements"   # carries out an instruction: `Thực hiện …`, `Triển khai …`, a subject `V/v triển khai …`
RESPONDS = "responds"       # answers or decides on a request that reached its issuer: `Xét đề nghị … tại Tờ trình …`
GUIDES = "guides"           # its own subject guides the cited one: `Thông tư này hướng dẫn …`
AMENDS = "amends"           # … amends it: `sửa đổi, bổ sung`
REPLACES = "replaces"       # … replaces it: `Quyết định này … thay thế Quyết định số …`
REPEALS = "repeals"         # … repeals it: `bãi bỏ`
CONSOLIDATES = "consolidates"  # a văn bản hợp nhất → the document it consolidates (parse.pipeline)
BASIS = "basis"             # its legal ground: `Căn cứ …`, a Tờ trình's legal-basis section
MENTIONS = "mentions"       # anything else
# strongest first: where one document cites another in several places, the strongest wins
RELATIONS = (IMPLEMENTS, RESPONDS, GUIDES, AMENDS, REPLACES, REPEALS, CONSOLIDATES, BASIS, MENTIONS)
_RANK = {IMPLEMENTS: 0, RESPONDS: 1, GUIDES: 2, AMENDS: 2, REPLACES: 2, REPEALS: 2, CONSOLIDATES: 2, BASIS: 3,
         MENTIONS: 4}


def relation_rank(relation: str) -> int:
    """Strength of a relation, lower is stronger: implements > responds > guides/amends/replaces/
    repeals/consolidates > basis > mentions (an unknown value ranks below mentions)."""
    return _RANK.get(relation, len(_RANK))


def strongest(relations) -> str:
    """The strongest of several relations (MENTIONS for none); ties among guides/amends/replaces/
    repeals go to the first in RELATIONS' order, so the result never depends on citation order."""
    rels = [r for r in relations if r]
    return min(rels, key=lambda r: (relation_rank(r), RELATIONS.index(r) if r in RELATIONS else 99),
               default=MENTIONS)

# Task kinds (Task.kind; cascade/data/task_kinds.tsv decides them). Only TASK_DUTY items are
# compared by coverage, diff and flag; the others stay in the record.
TASK_DUTY = "task"                  # a duty, usually with an assignee or a deadline
TASK_OBJECTIVE = "objective"
TASK_PRINCIPLE = "principle"
TASK_BASIS = "basis"
TASK_BOILERPLATE = "boilerplate"    # entry into force, execution clause, Nơi nhận, separators, footnotes
TASK_INFORMATION = "information"    # meeting time, place, participants; a scheme's scope
TASK_DECISION = "decision"          # what a decision's article itself decides (approves, establishes)
TASK_KINDS = (TASK_DUTY, TASK_OBJECTIVE, TASK_PRINCIPLE, TASK_BASIS, TASK_BOILERPLATE,
              TASK_INFORMATION, TASK_DECISION)

# Finding kinds: what the graph and the alignment report. Each has a row in cascade/data/severity.tsv
# (tests/test_models.py checks that the two lists are the same).
KIND_DROPPED_TASK = "dropped task"
KIND_WEAKENED_TASK = "weakened task"
KIND_NOT_REPORTED_TASK = "task not reported"     # a report implementing the parent does not speak of the duty
KIND_TITLE_CONFLICT = "citation number conflicts with cited title"
KIND_DATED_BEFORE_PARENT = "dated before its parent"
KIND_CITED_DATES_DIFFER = "cited with different dates"
KIND_CITED_ISSUER_DIFFERS = "cited with another issuer"
KIND_IMPOSSIBLE_CITED_DATE = "impossible cited date"
KIND_NUMBER_BLANK = "number left blank"
KIND_DAY_BLANK = "day left blank"
KIND_NO_HEADER = "no number, no date, no issuer header"
FINDING_KINDS = (KIND_DROPPED_TASK, KIND_WEAKENED_TASK, KIND_NOT_REPORTED_TASK, KIND_TITLE_CONFLICT,
                 KIND_DATED_BEFORE_PARENT, KIND_CITED_DATES_DIFFER, KIND_CITED_ISSUER_DIFFERS, KIND_IMPOSSIBLE_CITED_DATE,
                 KIND_NUMBER_BLANK, KIND_DAY_BLANK, KIND_NO_HEADER)


class NodeId:
    """Graph node ids, built and read here only: `doc:<id>` for a stored document,
    `ext:<key…>` for a document that is only cited."""
    DOC = "doc:"
    EXTERNAL = "ext:"

    @staticmethod
    def doc(doc_id: int) -> str:
        return f"doc:{doc_id}"

    @staticmethod
    def external(name: str) -> str:
        return f"ext:{name}"

    @staticmethod
    def doc_id(node: str) -> Optional[int]:
        """The stored document's id for `doc:<id>`, else None."""
        if node.startswith("doc:") and node[4:].isascii() and node[4:].isdigit():
            return int(node[4:])
        return None

    @staticmethod
    def is_doc(node: str) -> bool:
        return node.startswith("doc:")


# Graph attributes (networkx node/edge data, and the columns of the saved graph in the store):
# scalars, never None, so the graph exports as is. "" unknown, -1 / -1.0 not applicable.
NODE_DEFAULTS = {
    "kind": "", "in_corpus": False, "label": "", "key": "", "number": "", "doc_type": "",
    "date": "", "issuer": "", "level": "", "level_source": "", "level_inferred": False,
    "province": "", "province_source": "", "province_inferred": False, "title": "", "path": "",
    "doc_id": -1, "status": "", "identified": False, "identified_confidence": -1.0,
    "identified_method": "", "n_citing": 0, "anomalies": "",
    # an external node's values and how many of its citations give each: "issuer 25/26; date 26/26"
    "votes": "",
}
EDGE_DEFAULTS = {
    "relation": MENTIONS, "text": "", "n_citations": 0, "method": "", "confidence": -1.0,
    "lag_days": 0, "has_lag": False, "anomaly": "", "inferred": False,
}


@dataclass
class LoadedText:
    """What a loader returns: the document as plain text, linearised in reading order.

    Loaders put a two-column header block left column first, then right column, one
    line per visual line; Word automatic numbering is rendered into the text ("1. ",
    "a) ", "- "); footnotes are appended after the body. Text is not yet normalised.
    """
    path: str
    format: str                    # txt, md, docx, doc, pdf
    text: str = ""
    status: str = STATUS_OK
    error: Optional[str] = None    # one line, for a failed load
    text_source: str = "text"      # text, docx, antiword, pdf-text, ocr
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    # values a loader found outside the flowing text (e.g. PDF form fields: number, day)
    extras: dict = field(default_factory=dict)


@dataclass
class Issuer:
    name: Optional[str] = None          # as written, e.g. "ỦY BAN NHÂN DÂN PHƯỜNG UÔNG BÍ"
    level: Optional[str] = None         # central / province / district / commune
    unit: Optional[str] = None          # tỉnh, thị xã, phường, xã … or body: bộ, sở, chính phủ …
    locality: Optional[str] = None      # proper name of the locality, e.g. "Uông Bí"
    parent: Optional[str] = None        # the body above a two-line issuer, e.g. "UBND TỈNH LÂM ĐỒNG"
    province: Optional[str] = None      # the province this issuer belongs to, when known
    inferred: bool = False              # level/unit read from the body text, not a header


@dataclass
class Signer:
    name: Optional[str] = None
    authority: list[str] = field(default_factory=list)


@dataclass
class Stamp:
    """An e-signature stamp printed on the document (the signing or forwarding office)."""
    text: str                           # the stamp on one line, as printed
    body: Optional[str] = None          # the signing office: "Văn phòng Chính phủ"
    time: Optional[str] = None          # ISO date[-time] of signing: "2015-03-16T11:02:35"


@dataclass
class Citation:
    type: Optional[str]                 # lower-case Vietnamese type name: "nghị quyết"
    number: Optional[str]               # as written: "52-NQ/TW"; None for un-numbered citations
    key: Optional[str]                  # normalised key used to resolve: "57-NQ/TW", "73/2023/NĐ-CP"
    text: str                           # the citation text as it stands in the document
    start: int                          # character offsets in Record.text
    end: int
    year: Optional[int] = None
    date: Optional[str] = None          # ISO, possibly partial
    issuer: Optional[str] = None        # as written: "Chủ tịch UBND tỉnh Hưng Yên"
    title: Optional[str] = None         # the quoted subject ("về …")
    pinpoints: list[str] = field(default_factory=list)  # "Điều 8", "Khoản 2 Điều 3"
    relation: str = "mentions"          # one of RELATIONS (implements … mentions)
    national: bool = False              # key is unique nationally (Party TW, normative, ministry)
    occurrences: list[tuple[int, int]] = field(default_factory=list)  # later short-form repeats


@dataclass
class Task:
    path: str                           # "1", "1.b.2", "II.1"
    text: str                           # full joined text, list mark removed
    marker: str = ""                    # the list mark as written: "1.", "a)", "-", "Điều 1."
    assignee: Optional[str] = None      # the body it is given to; a plan item's lead unit
    deadline: Optional[str] = None
    citations: list[int] = field(default_factory=list)  # indices into Record.citations
    start: int = 0                      # offsets in Record.text
    end: int = 0
    kind: str = TASK_DUTY               # one of TASK_KINDS
    partners: Optional[str] = None      # a plan item's cooperating units ("Đơn vị phối hợp: …")


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value, skip: tuple[str, ...] = ()):
    """What `dataclasses.asdict` makes of a record (dataclasses as dicts in field order, new lists,
    tuples and dicts, the same strings and numbers) without its deep copy of every value: `asdict`
    was a tenth of a worker's time at ingest. `skip`: fields of the top object left out."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    if t is tuple:
        return tuple(v if type(v) in _SCALARS else _plain(v) for v in value)
    if t is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    names = _FIELD_NAMES.get(t)
    if names is None:
        if not hasattr(t, "__dataclass_fields__"):
            import copy
            return copy.deepcopy(value)      # as asdict does with any other object
        names = _FIELD_NAMES[t] = tuple(f.name for f in fields(t))
    return {n: _plain(getattr(value, n)) for n in names if n not in skip}


@dataclass
class Record:
    """One parsed document."""
    source: str
    format: str
    sha256: str = ""
    status: str = STATUS_OK
    error: Optional[str] = None
    text_source: str = "text"
    doc_type: Optional[str] = None
    number: Optional[str] = None        # "432/UBND-VHXXH" or None when blank
    symbol: Optional[str] = None        # "UBND-VHXXH"
    key: Optional[str] = None           # normalised number for linking
    date: Optional[str] = None          # ISO, possibly partial: "2026-05"
    place: Optional[str] = None
    issuer: Issuer = field(default_factory=Issuer)
    subject: Optional[str] = None       # V/v … of a công văn
    title: Optional[str] = None         # title under the type heading
    recipients: list[str] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)   # Nơi nhận
    signer: Signer = field(default_factory=Signer)
    citations: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stamps: list[Stamp] = field(default_factory=list)       # e-signature stamps, out of the text
    gazette: Optional[str] = None       # the Official Gazette issue the text was taken from: "101 + 102/2025-03-15"
    text: str = ""                      # normalised full text; offsets refer to it

    @property
    def ok(self) -> bool:
        return self.status not in FAILED_STATUSES

    def to_dict(self, with_text: bool = False) -> dict:
        d = _plain(self, () if with_text else ("text",))
        for c in d["citations"]:
            c["occurrences"] = [list(o) for o in c["occurrences"]]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Record":
        d = dict(d)
        d["issuer"] = Issuer(**d.get("issuer") or {})
        d["signer"] = Signer(**d.get("signer") or {})
        d["citations"] = [Citation(**{**c, "occurrences": [tuple(o) for o in c.get("occurrences", [])]})
                          for c in d.get("citations", [])]
        d["tasks"] = [Task(**t) for t in d.get("tasks", [])]
        d["stamps"] = [Stamp(**s) for s in d.get("stamps", [])]
        d.setdefault("text", "")
        return cls(**d)
