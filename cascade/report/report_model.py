"""What the cascade report shows, as plain data: the renderer (html_report.py) reads only this.

Built from a store by `cascade.queries.report_model`; a test or another tool can build one by hand.
Node ids are the graph's (`doc:12`, `ext:57-NQ/TW`); every string is plain text, never markup,
except `ReportModel.views`, which holds the annotated views as HTML made by html_view.fragment
(the text escaped there).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

LEVEL_ORDER = ("central", "province", "district", "commune", "")


@dataclass
class ReportNode:
    id: str
    label: str                           # what to call it: its key, else its file name
    level: str = ""                      # central / province / district / commune / "" unknown
    province: str = ""
    key: str = ""
    doc_type: str = ""
    date: str = ""
    issuer: str = ""
    title: str = ""
    path: str = ""
    in_store: bool = False               # False: only cited by stored documents
    coverage: Optional[float] = None     # share of its compared parent's tasks it carries; None: not compared
    flags: list[str] = field(default_factory=list)


@dataclass
class ReportEdge:
    child: str
    parent: str
    relation: str                        # implements / mentions / …
    lag_days: Optional[int] = None       # child's date − parent's date, when both are full dates


@dataclass
class DiffRow:
    kind: str                            # cascade.align.kinds: verbatim … dropped, added
    parent_path: Optional[str]
    parent_text: str
    child_path: Optional[str]
    child_text: str
    weakened: list[str] = field(default_factory=list)


@dataclass
class NodeDiff:
    """A stored document's tasks aligned with those of its nearest stored ancestor."""
    node: str
    parent: str
    coverage: float
    indirect: bool = False
    rows: list[DiffRow] = field(default_factory=list)


@dataclass
class HeatCell:
    carried: int                         # documents in the column that carry the task (any kind but dropped)
    total: int                           # documents in the column compared with the task's document
    unchanged: int = 0                   # … of which verbatim or near-verbatim
    documents: list[str] = field(default_factory=list)   # node ids of the documents compared


@dataclass
class Heatmap:
    by: str                              # level / province / commune
    columns: list[str]
    rows: list[tuple[str, str, str]]     # (parent node id, task path, task text)
    cells: list[list[Optional[HeatCell]]]   # rows × columns; None: no document in that column
    labels: dict[str, str] = field(default_factory=dict)   # node id → what to call it (for tables)


@dataclass
class ReportFinding:
    severity: str                        # high / medium / low
    node: str                            # node id ("" when it is about no one document)
    document: str
    kind: str
    task: str = ""
    evidence: str = ""


@dataclass
class ReportModel:
    root: Optional[str]                  # root node id; None: the whole store
    root_label: str
    nodes: list[ReportNode]
    edges: list[ReportEdge]
    diffs: dict[str, NodeDiff] = field(default_factory=dict)     # by child node id
    heatmaps: list[Heatmap] = field(default_factory=list)
    findings: list[ReportFinding] = field(default_factory=list)
    never_answered: list[str] = field(default_factory=list)      # node ids
    views: dict[str, str] = field(default_factory=dict)          # node id → annotated view (HTML fragment)
    generated: str = ""                  # ISO date

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LagGroup:
    group: str                           # a level or a province
    count: int
    median: float
    slowest: int


def lag_groups(model: ReportModel, by: str) -> list[LagGroup]:
    """Response lags (days between a parent and the child implementing it) grouped by the
    child's level or province, slowest median first."""
    from statistics import median
    nodes = {n.id: n for n in model.nodes}
    groups: dict[str, list[int]] = {}
    for e in model.edges:
        if e.lag_days is None or e.relation != "implements" or e.child not in nodes:
            continue
        groups.setdefault(getattr(nodes[e.child], by) or "", []).append(e.lag_days)
    out = [LagGroup(g, len(v), float(median(v)), max(v)) for g, v in groups.items()]
    if by == "level":
        return sorted(out, key=lambda g: LEVEL_ORDER.index(g.group) if g.group in LEVEL_ORDER else 9)
    return sorted(out, key=lambda g: (-g.median, g.group))


def slowest(model: ReportModel, n: int = 10) -> list[ReportEdge]:
    lagged = [e for e in model.edges if e.lag_days is not None and e.relation == "implements"]
    return sorted(lagged, key=lambda e: -e.lag_days)[:n]


def rollup(pairs_by_child: list[tuple[str, str, list[tuple[str, Optional[str], str]]]],
           column_of: dict[str, str], task_text: dict[tuple[str, str], str], by: str,
           columns: Optional[list[str]] = None) -> Heatmap:
    """Coverage of parent tasks rolled up by a column (a level, a province, a commune).

    pairs_by_child: (parent node, child node, [(parent task path, child task path or None, kind)])
    for every aligned pair of documents; column_of: the column of each child node (children with
    no column are left out); task_text: the text of each (parent node, task path). A cell counts
    the documents of that column compared with the task's document, and of those the ones that
    carry the task (it is not dropped) and the ones that carry it unchanged (verbatim or near).
    """
    cells: dict[tuple[str, str], dict[str, HeatCell]] = {}
    order: list[tuple[str, str]] = []
    seen_cols: list[str] = []
    for parent, child, pairs in pairs_by_child:
        col = column_of.get(child)
        if not col:
            continue
        if col not in seen_cols:
            seen_cols.append(col)
        for ppath, cpath, kind in pairs:
            row = (parent, ppath)
            if row not in cells:
                cells[row] = {}
                order.append(row)
            c = cells[row].setdefault(col, HeatCell(0, 0))
            if child in c.documents:          # a child aligned twice with the same task counts once
                continue
            c.documents.append(child)
            c.total += 1
            c.carried += cpath is not None
            c.unchanged += kind in ("verbatim", "near-verbatim")
    cols = columns if columns is not None else sorted(seen_cols)
    return Heatmap(by=by, columns=cols,
                   rows=[(p, path, task_text.get((p, path), "")) for p, path in order],
                   cells=[[cells[r].get(c) for c in cols] for r in order])


def heatmap_rows(hm: Heatmap) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a roll-up for the JSON/CSV/xlsx writer: a cell is "carried/total"."""
    header = ["parent", "task", "text"] + list(hm.columns)
    rows = [[hm.labels.get(p, p), path, text] + [f"{c.carried}/{c.total}" if c else "" for c in cells]
            for (p, path, text), cells in zip(hm.rows, hm.cells)]
    return header, rows
