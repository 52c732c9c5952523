"""What kind of item each numbered item is, and the field lines of plan items.

Every item `build_tasks` finds stays in the record; `assign_kinds` sets `Task.kind` to one of
cascade.models.TASK_KINDS from cascade/data/task_kinds.tsv:

1. the item's whole text (a line of dashes is a separator) or its opening words (`Quyết định này
   có hiệu lực …`, `Thời gian: …`, an article `Điều 1. Phê duyệt …`) decide for the item itself;
2. else the nearest section heading above it decides (or an article's decision: the members
   listed under `Điều 1. Thành lập Tổ giúp việc …, gồm:` are part of what it decides): a numbered ancestor whose text is a heading
   (`I. MỤC ĐÍCH, YÊU CẦU`, `2. Nguyên tắc`) or an unnumbered heading line before it (until the
   next Roman section or article); a `task` heading (`Nhiệm vụ, giải pháp`) ends an objective section;
3. items after the loaders' footnote separator (a line `---`) are footnotes: boilerplate;
4. else the document type's default (`information` for a report or a submission: its items are
   its account and proposals upward), else `task`.

`field_line(para)` reads a plan item's field line (`Đơn vị chủ trì thực hiện: Sở Nội vụ`,
`Đơn vị phối hợp: …`, `Thời gian hoàn thành: …`): build_tasks stores it on the item above
instead of making it a sub-task. `inline_assignee(text)` finds the same lead-unit phrase inside
an item's text (`… Cơ quan chủ trì theo dõi: Văn phòng UBND tỉnh.`).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import Optional

from cascade.models import TASK_BOILERPLATE, TASK_DECISION, TASK_DUTY, TASK_KINDS, Task

FOOTNOTE_SEPARATOR = "---"        # what the docx/doc/pdf loaders put between body and footnotes
HEADING_MAX_WORDS = 14            # a heading is short
_TRAIL = " :.;,-–"


@dataclass(frozen=True)
class _Rule:
    kind: str
    how: str            # heading, lead, article, whole, field
    pattern: re.Pattern
    source: str         # the pattern as written in the table


def _load() -> list[_Rule]:
    out = []
    text = resources.files("cascade.data").joinpath("task_kinds.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, how, pat = line.split("\t")
        pat = unicodedata.normalize("NFC", pat)
        if how == "field":
            if kind not in ("assignee", "partners", "deadline"):
                raise ValueError(f"task_kinds.tsv: unknown field {kind!r}")
            rx = re.compile(r"^(?:[-–+•]\s*)?(?:%s)\s*:\s*(?P<v>\S.*)$" % pat, re.I | re.S)
        else:
            if kind not in TASK_KINDS:
                raise ValueError(f"task_kinds.tsv: unknown kind {kind!r}")
            rx = {"heading": r"(?:%s)", "whole": r"(?:%s)", "doctype": r"(?:%s)"}.get(how, r"^(?:%s)") % pat
            rx = re.compile(rx, re.I | re.S)
        out.append(_Rule(kind, how, rx, pat))
    return out


RULES = _load()
_HEADINGS = [r for r in RULES if r.how == "heading"]
_LEADS = [r for r in RULES if r.how == "lead"]
_ARTICLE = [r for r in RULES if r.how == "article"]
_WHOLE = [r for r in RULES if r.how == "whole"]
_DOCTYPE = [r for r in RULES if r.how == "doctype"]
_FIELDS = [r for r in RULES if r.how == "field"]
_INLINE_LEAD = [re.compile(r"(?<!\w)(?:%s)\s*:\s*(?P<v>[^.;\n]{3,120})" % r.source, re.I)
                for r in _FIELDS if r.kind == "assignee"]


def heading_kind(text: str) -> Optional[str]:
    """The kind a section heading sets (`MỤC ĐÍCH, YÊU CẦU` → objective), None if `text` is
    not a heading."""
    t = text.strip().rstrip(_TRAIL).strip()
    if not t or len(t.split(maxsplit=HEADING_MAX_WORDS)) > HEADING_MAX_WORDS:    # words counted up to the limit
        return None
    for r in _HEADINGS:
        if r.pattern.fullmatch(t):
            return r.kind
    return None


def own_kind(task: Task) -> Optional[str]:
    """The kind an item's own words decide, None when its section must decide."""
    text = task.text.strip()
    for r in _WHOLE:
        if r.pattern.fullmatch(text):
            return r.kind
    for r in _LEADS:
        if r.pattern.match(text):
            return r.kind
    if task.marker.startswith("Điều"):
        for r in _ARTICLE:
            if r.pattern.match(text):
                return r.kind
    return None


def field_line(para: str) -> Optional[tuple[str, str]]:
    """(field, value) for a plan item's field line, else None."""
    if len(para) > 400:
        return None
    for r in _FIELDS:
        m = r.pattern.match(para.strip())
        if m:
            return r.kind, m.group("v").strip(_TRAIL)
    return None


def inline_assignee(text: str) -> Optional[str]:
    """`… Cơ quan chủ trì theo dõi: Văn phòng UBND tỉnh.` → `Văn phòng UBND tỉnh`."""
    if ":" not in text:         # every _INLINE_LEAD needs one; their re.I search is slow
        return None
    for rx in _INLINE_LEAD:
        m = rx.search(text)
        if m:
            return m.group("v").strip(_TRAIL)
    return None


def addressed_to(task: Task, by_path: dict[str, Task], issuer) -> Optional[bool]:
    """Whether a duty is given to the issuer (cascade.models.Issuer) of a document: read from its
    assignee or its opening (`Bộ Y tế: Mời …`), else from the nearest ancestor's (`Bộ Công an:` above
    its dashes, `Các bộ, các tỉnh:`), by cascade.registry.addressees / addresses. None when no item on
    the way names anyone (an unaddressed duty: everyone's) or the issuer is unknown."""
    from cascade.registry import addressees, addresses

    parts = task.path.split(".")
    for n in range(len(parts), 0, -1):
        t = task if n == len(parts) else by_path.get(".".join(parts[:n]))
        if t is None:
            continue
        members = addressees(t.assignee) or addressees(t.text)
        if members:
            return addresses(members, issuer)
    return None


def default_kind(doc_type: Optional[str]) -> str:
    """The kind of an item no heading or opening decides: `task`, or what the document type says."""
    for r in _DOCTYPE:
        if doc_type and r.pattern.fullmatch(doc_type.strip()):
            return r.kind
    return TASK_DUTY


def assign_kinds(tasks: list[Task], body: list[tuple[str, tuple[int, int]]],
                 doc_type: Optional[str] = None) -> None:
    """Set `kind` on every task (see the module doc)."""
    marked_starts = sorted(t.start for t in tasks)
    unnumbered: list[tuple[int, str]] = []      # (offset, kind) of unnumbered heading lines
    footnotes_from = None
    for para, (start, end) in body:
        if para.strip() == FOOTNOTE_SEPARATOR:
            footnotes_from = start
            continue
        if bisect_left(marked_starts, start) < bisect_left(marked_starts, end):
            continue        # a numbered item's paragraph
        k = heading_kind(para)
        if k is not None:
            unnumbered.append((start, k))
    sections = sorted(t.start for t in tasks if t.marker.startswith("Điều") or re.match(r"[IVXLC]+[.)]", t.marker))
    by_path: dict[str, Task] = {}
    heads: dict[str, str] = {}                  # path → kind its heading sets
    own = [own_kind(t) for t in tasks]
    default = default_kind(doc_type)
    for t, o in zip(tasks, own):
        by_path[t.path] = t
        k = heading_kind(t.text)
        if k is not None:
            heads[t.path] = k
        elif o == TASK_DECISION:
            heads[t.path] = TASK_DECISION
    for t, o in zip(tasks, own):
        if footnotes_from is not None and t.start > footnotes_from:
            t.kind = TASK_BOILERPLATE
            continue
        if o is not None:
            t.kind = o
            continue
        # nearest enclosing heading: the item itself, a numbered ancestor, or an unnumbered line
        best_pos, best = -1, None
        parts = t.path.split(".")
        for n in range(len(parts), 0, -1):
            p = ".".join(parts[:n])
            if p in heads and p in by_path:
                best_pos, best = by_path[p].start, heads[p]
                break
        # the last unnumbered heading before the item, unless a Roman section or article intervenes
        i = bisect_left(unnumbered, (t.start,)) - 1
        if i >= 0:
            pos, k = unnumbered[i]
            if best_pos < pos and bisect_right(sections, pos) == bisect_right(sections, t.start):
                best_pos, best = pos, k
        t.kind = best or default

