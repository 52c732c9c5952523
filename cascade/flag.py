"""The inspector's list: findings from the graph's anomalies and from task alignment, their severities.

A finding is one thing to act on, with the document (its label and file path), the parent
document and task path where a task is concerned, its kind (cascade.models.KIND_*), a severity
(cascade/data/severity.tsv, one row per kind: tests/test_models.py keeps the two the same) and
the evidence as text. One finding per fact: a document reached from several roots is compared
with its parent once. Dropped and weakened tasks come only from implementing links whose parent
has duties (`Task.kind == "task"`); objectives, principles and the like are never "dropped".
Also the coverage matrix (parent duties × implementing documents).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from typing import Iterable, Optional

from cascade.align import align_below, percent
from cascade.align.kinds import DELIVERED, DROPPED, IN_TEXT, NEAR_VERBATIM, VERBATIM
from cascade.graph.saved import load
from cascade.models import FINDING_KINDS, IMPLEMENTS, KIND_DROPPED_TASK, KIND_WEAKENED_TASK

SEVERITIES = ("low", "medium", "high")


def _table() -> dict[str, str]:
    out = {}
    for line in resources.files("cascade.data").joinpath("severity.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, sev = line.split("\t")[:2]
            if sev.strip() not in SEVERITIES:
                raise ValueError(f"severity.tsv: {kind}: unknown severity {sev!r}")
            out[kind] = sev.strip()
    return out


SEVERITY = _table()
if set(SEVERITY) != set(FINDING_KINDS):      # the table and the constants are one set
    raise ValueError(f"severity.tsv and cascade.models.FINDING_KINDS differ: "
                     f"{sorted(set(SEVERITY) ^ set(FINDING_KINDS))}")


@dataclass(frozen=True)
class Finding:
    document: str                  # the document the finding is about (label: key or file name)
    path: str                      # its file path ("" for a document that is only cited)
    kind: str                      # one of cascade.models.FINDING_KINDS
    severity: str
    task: str = ""                 # task path: the parent's task for a dropped one, "2 → 3" for a weakened one
    evidence: str = ""
    parent: str = ""               # the parent document a task finding compares with

    def to_dict(self) -> dict:
        return asdict(self)


def severity_of(kind: str) -> str:
    """The table's severity for a finding kind (KeyError for a kind the table lacks)."""
    return SEVERITY[kind]


def from_anomalies(anomalies: list[dict]) -> list[Finding]:
    return [Finding(document=a["label"], path=a.get("path", ""), kind=a["kind"],
                    severity=severity_of(a["kind"]), evidence=a.get("detail", ""))
            for a in anomalies]


def from_alignments(alignments, paths: Optional[dict] = None) -> list[Finding]:
    """Dropped and weakened tasks; `paths` maps a child node to its file path."""
    paths = paths or {}
    out = []
    for al in alignments:
        if not al.compared:            # the parent has no duties: nothing can be dropped
            continue
        via = " (indirect: intermediate document missing)" if al.indirect else ""
        path = paths.get(al.child_node, "")
        for p in al.pairs:
            if p.kind == DROPPED:
                out.append(Finding(document=al.child_doc, path=path, kind=KIND_DROPPED_TASK,
                                   severity=severity_of(KIND_DROPPED_TASK), task=p.parent, parent=al.parent_doc,
                                   evidence=f"no task of {al.child_doc} carries {al.parent_doc} task {p.parent}{via}"))
            elif p.weakened:
                out.append(Finding(document=al.child_doc, path=path, kind=KIND_WEAKENED_TASK,
                                   severity=severity_of(KIND_WEAKENED_TASK), task=f"{p.parent} → {p.child}",
                                   parent=al.parent_doc, evidence="; ".join(p.weakened) + via))
    return out


def unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once, in first-seen order."""
    return list(dict.fromkeys(findings))


def at_least(findings: list[Finding], severity: str) -> list[Finding]:
    floor = SEVERITIES.index(severity)
    return [f for f in findings if SEVERITIES.index(f.severity) >= floor]


def roots(G) -> list[str]:
    """Every node that others implement and that implements nothing itself."""
    return [n for n in G.nodes
            if not any(d.get("relation") == IMPLEMENTS for _, _, d in G.out_edges(n, data=True))
            and any(d.get("relation") == IMPLEMENTS for _, _, d in G.in_edges(n, data=True))]


def flag(store, refs: Optional[Iterable[str]] = None) -> list[Finding]:
    """Findings below the given parents (default: every root), most severe first: dropped and
    weakened tasks of each stored document against its nearest stored ancestor, and the graph's
    anomalies. Raises LookupError for a reference that names nothing."""
    cas = load(store)
    alignments, seen = [], set()
    for ref in (list(refs or []) or roots(cas.graph)):
        for al in align_below(store, ref):
            # a document below several roots is compared with the same parent once
            if (al.parent_node, al.child_node) not in seen:
                seen.add((al.parent_node, al.child_node))
                alignments.append(al)
    paths = {n: a.get("path", "") for n, a in cas.graph.nodes(data=True)}
    found = unique(from_alignments(alignments, paths) + from_anomalies(cas.anomalies))
    found.sort(key=lambda f: (-SEVERITIES.index(f.severity), f.document, f.kind, f.parent, f.task))
    return found


# ---------------------------------------------------------------------------- coverage matrix
CARRIED = {VERBATIM, NEAR_VERBATIM, IN_TEXT, DELIVERED}


def coverage_matrix(alignments) -> tuple[list[str], list[list[str]]]:
    """Parent duties × implementing documents: ✓ carried, ~ changed, ✗ dropped; a last row of
    coverage percentages (`n/a` for a parent without duties). Returns (header, rows) for CSV and Excel."""
    children = []
    cells: dict[tuple[str, str], str] = {}
    parents: list[tuple[str, str]] = []
    for al in alignments:
        col = al.child_doc + (" (indirect)" if al.indirect else "")
        children.append(col)
        for p in al.pairs:
            if p.parent is None:
                continue
            key = (al.parent_doc, p.parent)
            if key not in parents:
                parents.append(key)
            mark = "✗" if p.kind == DROPPED else ("✓" if p.kind in CARRIED else "~")
            cells[(key, col)] = mark if (key, col) not in cells else cells[(key, col)]
    header = ["parent", "task"] + children
    rows = [[pd, path] + [cells.get(((pd, path), c), "") for c in children] for pd, path in parents]
    rows.append(["coverage", ""] + [percent(al.coverage) for al in alignments])
    return header, rows
