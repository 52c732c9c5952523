"""The inspector's list: findings from the graph's anomalies and from task alignment, their severities.

A finding is one thing to act on, with the document, the task where there is one, its kind
(cascade.models.KIND_*), a severity (cascade/data/severity.tsv) and the evidence as text.
Also the coverage matrix (parent tasks × implementing documents).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from typing import Iterable, Optional

from cascade.align import align_below
from cascade.graph.saved import load
from cascade.models import IMPLEMENTS, KIND_DROPPED_TASK, KIND_WEAKENED_TASK

SEVERITIES = ("low", "medium", "high")


def _table() -> dict[str, str]:
    out = {}
    for line in resources.files("cascade.data").joinpath("severity.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, sev = line.split("\t")[:2]
            out[kind] = sev.strip()
    return out


SEVERITY = _table()


@dataclass
class Finding:
    document: str
    path: str
    kind: str
    severity: str
    task: str = ""
    evidence: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def severity_of(kind: str) -> str:
    for k, sev in SEVERITY.items():
        if kind.startswith(k):
            return sev
    return "low"


def from_anomalies(anomalies: list[dict]) -> list[Finding]:
    return [Finding(document=a["label"], path=a.get("path", ""), kind=a["kind"],
                    severity=severity_of(a["kind"]), evidence=a.get("detail", ""))
            for a in anomalies]


def from_alignments(alignments) -> list[Finding]:
    out = []
    for al in alignments:
        via = " (indirect: intermediate document missing)" if al.indirect else ""
        for p in al.pairs:
            if p.child is None and p.parent is not None:
                out.append(Finding(document=al.child_doc, path="", kind=KIND_DROPPED_TASK, severity=SEVERITY[KIND_DROPPED_TASK],
                                   task=f"{al.parent_doc} {p.parent}",
                                   evidence=f"no task of {al.child_doc} carries {al.parent_doc} task {p.parent}{via}"))
            elif p.weakened:
                out.append(Finding(document=al.child_doc, path="", kind=KIND_WEAKENED_TASK,
                                   severity=SEVERITY[KIND_WEAKENED_TASK], task=f"{p.parent} → {p.child}",
                                   evidence="; ".join(p.weakened) + via))
    return out


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
    alignments = []
    for ref in (list(refs or []) or roots(cas.graph)):
        alignments += align_below(store, ref)
    found = from_alignments(alignments) + from_anomalies(cas.anomalies)
    found.sort(key=lambda f: (-SEVERITIES.index(f.severity), f.document, f.kind))
    return found


# ---------------------------------------------------------------------------- coverage matrix
CARRIED = {"verbatim", "near-verbatim"}


def coverage_matrix(alignments) -> tuple[list[str], list[list[str]]]:
    """Parent tasks × implementing documents: ✓ carried, ~ changed, ✗ dropped; a last row of
    coverage percentages. Returns (header, rows) for CSV and Excel."""
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
            mark = "✗" if p.child is None else ("✓" if p.kind in CARRIED else "~")
            cells[(key, col)] = mark if (key, col) not in cells else cells[(key, col)]
    header = ["parent", "task"] + children
    rows = [[pd, path] + [cells.get(((pd, path), c), "") for c in children] for pd, path in parents]
    rows.append(["coverage", ""] + [f"{round(100 * al.coverage)}%" for al in alignments])
    return header, rows
