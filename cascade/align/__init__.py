"""Align the tasks of a parent document with those of a child that implements it.

    from cascade.align import align
    al = align(parent_record.tasks, child_record.tasks)
    for p in al.pairs:
        print(p.parent, p.child, p.kind, p.lost, p.added, p.weakened)

Stages: similarity.py (Vietnamese-aware scores between every parent and child task) →
assign.py (optimal one-to-one assignment, then splits and merges; what is left is
dropped or added) → kinds.py (kind of change, word diff, weakening signals).

Only the parent's duties are compared: items whose `kind` is `task` (cascade.parse.task_kinds);
its objectives, principles, basis, boilerplate, information and decisions stay in the record and
are counted in `Alignment.not_compared`. Given the child's issuer (`child_issuer`, else only its
level `child_level`), a parent duty addressed to someone else is not the child's to carry: a duty
is the child's when it names no one, or names the child's issuer (or the body it works under), its
kind (`các sở, ngành`) or its level (`UBND các tỉnh, thành phố`, `UBND cấp xã`) —
cascade.registry.addressees, data in cascade/data/addressees.tsv. The others are counted as
"not addressed to this document", never dropped. Given the child's type and title
(`child_type`, `child_title`; the parent's title `parent_title`), a duty asking for the very
document the child is (`Xây dựng báo cáo …` and the child is that report) is "carried by the
document itself" (cascade.align.delivered). Given the child's whole
text (`child_text`), a parent duty no child item carries but that text restates nearly word for
word (a decision whose attached Quy chế repeats the duties) is `restated in text`, not dropped. On the child's side every item but boilerplate may carry
a duty down (a decision's attached rules, a plan's section), so all of those are candidates. A parent without duties has nothing to carry down: its coverage is
None ("n/a"), not 100 %.

Which tasks are compared (`level`):
- ``"leaf"`` (default): every task with words of its own, except a heading that only
  introduces sub-items (a task with sub-items whose own text is short or ends with ':').
  A province's item 1.b may thus align with a commune's item 3.
- ``"top"``: each top-level item with the text of all its sub-items joined.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

from cascade.align import kinds as K
from cascade.align.assign import groups
from cascade.align.delivered import delivers
from cascade.align.similarity import DEFAULT_SEGMENTER, scores, tokens
from cascade.graph.saved import around
from cascade.models import TASK_BOILERPLATE, TASK_DUTY, Issuer, Task
from cascade.parse.task_kinds import addressed_to

__all__ = ["AlignedPair", "Alignment", "align", "align_records", "align_below", "units", "percent",
           "NOT_APPLICABLE"]

HEADING_WORDS = 15     # a task with sub-items and fewer words than this is a heading


@dataclass
class AlignedPair:
    parent: Optional[str]          # parent task path; None for an added child task
    child: Optional[str]           # child task path; None for a dropped parent task
    kind: str                      # one of kinds.KINDS
    score: float                   # similarity of the link (for dropped/added: best candidate)
    lost: list[str] = field(default_factory=list)      # parent words/phrases not in the child
    added: list[str] = field(default_factory=list)     # child words/phrases not in the parent
    weakened: list[str] = field(default_factory=list)  # "obligation: phải", "deadline: …"
    indirect: bool = False         # child compared with an ancestor, the intermediate missing

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Alignment:
    parent_doc: Optional[str]
    child_doc: Optional[str]
    pairs: list[AlignedPair]
    coverage: Optional[float]      # share of the parent's compared tasks that reach the child;
                                   # None when the parent has no task to compare ("n/a")
    indirect: bool = False
    parent_node: Optional[str] = None   # graph node ids ("doc:2") when aligned from the store
    child_node: Optional[str] = None
    compared: int = 0              # parent tasks compared
    not_compared: dict[str, int] = field(default_factory=dict)   # parent items by kind, not duties

    @property
    def dropped(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.kind == K.DROPPED]

    @property
    def added(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.kind == K.ADDED]

    @property
    def weakened(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.weakened]

    def to_dict(self) -> dict:
        return {"parent_doc": self.parent_doc, "child_doc": self.child_doc,
                "parent_node": self.parent_node, "child_node": self.child_node,
                "coverage": self.coverage, "indirect": self.indirect,
                "compared": self.compared, "not_compared": dict(self.not_compared),
                "pairs": [p.to_dict() for p in self.pairs]}


NOT_APPLICABLE = "n/a"


def percent(coverage: Optional[float]) -> str:
    """`80%`, or `n/a` where the parent has no duties to carry down."""
    return NOT_APPLICABLE if coverage is None else f"{round(100 * coverage)}%"


def compared_note(al: "Alignment") -> str:
    """What was compared: `12 duties of the parent compared (not compared: objective 3, principle 6)`."""
    rest = ", ".join(f"{k} {n}" for k, n in sorted(al.not_compared.items()))
    return (f"{al.compared} dut{'y' if al.compared == 1 else 'ies'} of the parent compared"
            + (f" (not compared: {rest})" if rest else ""))


# ---------------------------------------------------------------------------- units
def _under(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor + ".")


def is_duty(task: Task) -> bool:
    return getattr(task, "kind", TASK_DUTY) == TASK_DUTY


def _candidate(task: Task, child: bool) -> bool:
    return getattr(task, "kind", TASK_DUTY) != TASK_BOILERPLATE if child else is_duty(task)


def not_compared(tasks: list[Task]) -> dict[str, int]:
    """Items that are not duties, counted by kind (what `units` leaves out besides headings)."""
    out: dict[str, int] = {}
    for t in tasks:
        if not is_duty(t):
            out[t.kind] = out.get(t.kind, 0) + 1
    return out


ELSEWHERE = "not addressed to this document"


def elsewhere(tasks: list[Task], child_level: Optional[str] = None,
              child_issuer: Optional[Issuer] = None) -> set[int]:
    """Indices of the duties given to someone other than the child's issuer (known by its
    header, else by its level only)."""
    issuer = child_issuer if child_issuer is not None else (Issuer(level=child_level) if child_level else None)
    if issuer is None:
        return set()
    by_path = {t.path: t for t in tasks}
    return {i for i, t in enumerate(tasks) if is_duty(t) and addressed_to(t, by_path, issuer) is False}


def units(tasks: list[Task], level: str = "leaf", child: bool = False) -> list[Task]:
    """The items to compare (see module doc): a parent's duties, a child's items but boilerplate.
    `top` returns new Task objects."""
    if level not in ("leaf", "top"):
        raise ValueError(f"unknown level {level!r}; choose leaf or top")
    all_tasks = tasks
    tasks = [t for t in tasks if _candidate(t, child)]
    has_words = [t for t in tasks if t.text and tokens(t.text)]
    if level == "top":
        out = []
        for t in tasks:
            if "." in t.path:
                continue
            below = [u for u in tasks if _under(u.path, t.path)]
            text = " ".join(x.text for x in [t] + below if x.text)
            if not tokens(text):
                continue
            deadline = t.deadline or next((u.deadline for u in below if u.deadline), None)
            out.append(Task(path=t.path, text=text, marker=t.marker, assignee=t.assignee,
                            deadline=deadline, start=t.start, end=below[-1].end if below else t.end))
        return out
    ancestors = {t.path.rsplit(".", 1)[0] for t in all_tasks if "." in t.path}
    ancestors |= {a.rsplit(".", k)[0] for a in list(ancestors) for k in range(1, a.count(".") + 1)}
    out = []
    for t in has_words:
        heading = t.path in ancestors
        if heading and (len(tokens(t.text)) < HEADING_WORDS or t.text.rstrip().endswith(":")):
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------------------- align
def align(parent_tasks: list[Task], child_tasks: list[Task], indirect: bool = False, *,
          segmenter: str = DEFAULT_SEGMENTER, level: str = "leaf",
          parent_doc: Optional[str] = None, child_doc: Optional[str] = None,
          child_level: Optional[str] = None, child_text: Optional[str] = None,
          child_issuer: Optional[Issuer] = None, child_type: Optional[str] = None,
          child_title: Optional[str] = None, parent_title: Optional[str] = None) -> Alignment:
    """Align two task lists: one AlignedPair per link, dropped parent task or added child task.

    Pairs come in the parent's order; an added child task follows the pair of the child
    task before it.
    """
    skip = elsewhere(parent_tasks, child_level, child_issuer)
    others = [t for i, t in enumerate(parent_tasks) if i in skip]
    away = {t.path for t in others}
    P = [t for t in units(parent_tasks, level) if t.path not in away]
    C = units(child_tasks, level, child=True)
    sc = scores([t.text for t in P], [t.text for t in C], segmenter)
    placed: list[tuple[tuple, AlignedPair]] = []
    cache: list[set] = []

    def text_pairs() -> set:
        if not cache:
            cache.append(K.syllable_pairs(child_text))
        return cache[0]

    for g in groups(sc):
        shape = g.shape
        if shape == "dropped":
            i = g.parents[0]
            best = float(sc.sim[i].max()) if len(C) else 0.0
            if child_text and K.restated(P[i].text, text_pairs()):
                kind = K.IN_TEXT
            elif (child_type or child_title) and delivers(_with_headings(P[i], parent_tasks), child_type,
                                                          child_title, parent_title):
                kind = K.DELIVERED
            else:
                kind = K.DROPPED
            placed.append(((i, -1), AlignedPair(P[i].path, None, kind, round(best, 3), indirect=indirect)))
            continue
        if shape == "added":
            j = g.children[0]
            best = float(sc.sim[:, j].max()) if len(P) else 0.0
            placed.append((None, AlignedPair(None, C[j].path, K.ADDED, round(best, 3),
                                             indirect=indirect), j))
            continue
        ptexts = [P[i].text for i in g.parents]
        ctexts = [C[j].text for j in g.children]
        d = K.word_diff(ptexts, ctexts, segmenter)
        weakened = K.weakening([P[i] for i in g.parents], [C[j] for j in g.children])
        if shape == "pair":
            kind = K.classify(d, ptexts[0], ctexts[0])
        else:
            kind = K.SPLIT if shape == "split" else K.MERGED
        first = True
        for i, j, s in sorted(g.links, key=lambda x: (x[0], x[1])):
            pi, cj = g.parents.index(i), g.children.index(j)
            lost = [ph for ph, k in d.lost if k == pi] if shape != "pair" else [ph for ph, _ in d.lost]
            added = [ph for ph, k in d.added if k == cj] if shape != "pair" else [ph for ph, _ in d.added]
            if shape == "split":      # one parent: its lost words once, on the first part
                lost = [ph for ph, _ in d.lost] if first else []
            if shape == "merged":     # one child: its added words once, on the first part
                added = [ph for ph, _ in d.added] if first else []
            placed.append(((i, j), AlignedPair(P[i].path, C[j].path, kind, round(s, 3), lost, added,
                                               weakened if first else [], indirect)))
            first = False
    pairs = [p for key, p in sorted((x for x in placed if x[0] is not None), key=lambda x: x[0])]
    for _, p, j in sorted((x for x in placed if x[0] is None), key=lambda x: x[2]):
        pos = 0
        for k, q in enumerate(pairs):
            if q.child is not None and _child_index(C, q.child) < j:
                pos = k + 1
        pairs.insert(pos, p)
    dropped = sum(1 for p in pairs if p.kind == K.DROPPED)
    coverage = round(1.0 - dropped / len(P), 4) if P else None
    nc = not_compared(parent_tasks)
    if others:
        nc[ELSEWHERE] = len(others)
    return Alignment(parent_doc, child_doc, pairs, coverage, indirect, compared=len(P), not_compared=nc)


def _with_headings(task: Task, tasks: list[Task]) -> str:
    """A task's text after its ancestors' (`1. Xây dựng báo cáo …:` above `- Giai đoạn năm 2024: …`):
    the items under a heading asking for a document describe that document."""
    parts = task.path.split(".")
    above = {".".join(parts[:n]) for n in range(1, len(parts))}
    return "\n".join([t.text for t in tasks if t.path in above] + [task.text])


def _child_index(C: list[Task], path: str) -> int:
    for k, t in enumerate(C):
        if t.path == path:
            return k
    return -1


def align_records(parent, child, indirect: bool = False, **kw) -> Alignment:
    """`align` for two parsed Records; documents named by their number, else their source."""
    kw.setdefault("child_level", child.issuer.level)
    kw.setdefault("child_issuer", child.issuer)
    kw.setdefault("child_type", child.doc_type)
    kw.setdefault("child_title", child.title)
    kw.setdefault("parent_title", parent.title)
    kw.setdefault("child_text", child.text)
    return align(parent.tasks, child.tasks, indirect,
                 parent_doc=parent.number or parent.source, child_doc=child.number or child.source, **kw)


def align_below(store, ref, relations=("implements",), **kw) -> list[Alignment]:
    """Align every stored document below `ref` in the cascade with its nearest stored ancestor.

    Walks `Cascade.tree` (cascade.graph.cascade): a stored child is compared with its stored
    parent; where the parent is not in the store (a province plan cited but never ingested),
    the child is compared with the nearest stored ancestor above it and every pair is marked
    `indirect`. Documents above the first stored one have nothing to compare with.
    """
    cas, root = around(store, ref, tuple(relations))
    tree = cas.tree(root, relations=tuple(relations))
    records: dict[int, object] = {}

    def record(doc_id: int):
        if doc_id not in records:
            records[doc_id] = store.record(doc_id)
        return records[doc_id]

    out: list[Alignment] = []

    def walk(node: dict, ancestor: Optional[dict], direct: bool) -> None:
        for ch in node["children"]:
            if ch.get("repeat"):
                continue
            if ch["in_corpus"] and ch["doc_id"] >= 0:
                rec = record(ch["doc_id"])
                if ancestor is not None and rec is not None:
                    prec = record(ancestor["doc_id"])
                    al = align(prec.tasks, rec.tasks, indirect=not direct, parent_doc=ancestor["label"],
                               child_doc=ch["label"], child_level=ch.get("level") or None,
                               child_text=rec.text, child_issuer=rec.issuer, child_type=rec.doc_type,
                               child_title=rec.title, parent_title=prec.title, **kw)
                    al.parent_node, al.child_node = ancestor["node"], ch["node"]
                    out.append(al)
                walk(ch, ch, True)
            else:
                walk(ch, ancestor, False)

    start = tree if tree["in_corpus"] and tree["doc_id"] >= 0 else None
    walk(tree, start, True)
    return out
