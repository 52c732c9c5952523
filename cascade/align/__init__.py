"""Align the tasks of a parent document with those of a child that implements it.

    from cascade.align import align
    al = align(parent_record.tasks, child_record.tasks)
    for p in al.pairs:
        print(p.parent, p.child, p.kind, p.lost, p.added, p.weakened)

Stages: similarity.py (Vietnamese-aware scores between every parent and child task) →
assign.py (optimal one-to-one assignment, then splits and merges; what is left is
dropped or added) → kinds.py (kind of change, word diff, weakening signals).

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
from cascade.align.similarity import DEFAULT_SEGMENTER, scores, tokens
from cascade.graph.saved import around
from cascade.models import Task

__all__ = ["AlignedPair", "Alignment", "align", "align_records", "align_below", "units"]

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
    coverage: float                # share of the parent's compared tasks that reach the child
    indirect: bool = False
    parent_node: Optional[str] = None   # graph node ids ("doc:2") when aligned from the store
    child_node: Optional[str] = None

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
                "pairs": [p.to_dict() for p in self.pairs]}


# ---------------------------------------------------------------------------- units
def _under(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor + ".")


def units(tasks: list[Task], level: str = "leaf") -> list[Task]:
    """The tasks to compare (see module doc). `top` returns new Task objects."""
    if level not in ("leaf", "top"):
        raise ValueError(f"unknown level {level!r}; choose leaf or top")
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
    ancestors = {t.path.rsplit(".", 1)[0] for t in tasks if "." in t.path}
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
          parent_doc: Optional[str] = None, child_doc: Optional[str] = None) -> Alignment:
    """Align two task lists: one AlignedPair per link, dropped parent task or added child task.

    Pairs come in the parent's order; an added child task follows the pair of the child
    task before it.
    """
    P, C = units(parent_tasks, level), units(child_tasks, level)
    sc = scores([t.text for t in P], [t.text for t in C], segmenter)
    placed: list[tuple[tuple, AlignedPair]] = []
    for g in groups(sc):
        shape = g.shape
        if shape == "dropped":
            i = g.parents[0]
            best = float(sc.sim[i].max()) if len(C) else 0.0
            placed.append(((i, -1), AlignedPair(P[i].path, None, K.DROPPED, round(best, 3),
                                                indirect=indirect)))
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
    coverage = 1.0 - dropped / len(P) if P else 1.0
    return Alignment(parent_doc, child_doc, pairs, round(coverage, 4), indirect)


def _child_index(C: list[Task], path: str) -> int:
    for k, t in enumerate(C):
        if t.path == path:
            return k
    return -1


def align_records(parent, child, indirect: bool = False, **kw) -> Alignment:
    """`align` for two parsed Records; documents named by their number, else their source."""
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
                    al = align(prec.tasks, rec.tasks, indirect=not direct,
                               parent_doc=ancestor["label"], child_doc=ch["label"], **kw)
                    al.parent_node, al.child_node = ancestor["node"], ch["node"]
                    out.append(al)
                walk(ch, ch, True)
            else:
                walk(ch, ancestor, False)

    start = tree if tree["in_corpus"] and tree["doc_id"] >= 0 else None
    walk(tree, start, True)
    return out
