"""The inspector's list: findings from the graph's anomalies and from task alignment, their severities.

A finding is one thing to act on, with the document (its label and file path), the parent
document and task path where a task is concerned, its kind (cascade.models.KIND_*), a severity
(cascade/data/severity.tsv, one row per kind: tests/test_models.py keeps the two the same) and
the evidence as text. One finding per fact: a document reached from several roots is compared
with its parent once. Dropped and weakened tasks come only from implementing links whose parent
has duties (`Task.kind == "task"`); objectives, principles and the like are never "dropped".

What a duty left out means depends on the child (cascade/data/doc_types.tsv, column `duties`): a
plan, decision or letter that passes duties down and leaves one out has **dropped** it; a report (or
a Tờ trình submitting one) that does not speak of it has **not reported** it (a lesser finding: the
duty may be done and unreported); a submission, invitation or slip neither restates nor reports
duties, so it is never said to drop one (its alignment stays in `coverage` and `diff`).
Versions of one act (cascade.graph.versions: the draft .docx and the signed PDF) are one act: the
findings of its most final version stand for it, a superseded version adds none of its own.
Also the coverage matrix (parent duties × implementing documents).
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Iterable, Optional

from cascade.align import align_below, percent
from cascade.align.delivered import child_types
from cascade.align.kinds import DELIVERED, DROPPED, IN_TEXT, NEAR_VERBATIM, VERBATIM
from cascade.doctypes import NEITHER, REPORTS, duty_role
from cascade.graph.saved import around, load
from cascade.graph.versions import groups as version_groups
from cascade.models import (FINDING_KINDS, IMPLEMENTS, KIND_DROPPED_TASK, KIND_NOT_REPORTED_TASK,
                            KIND_WEAKENED_TASK)

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

    @property
    def id(self) -> str:
        """A short name that stays the same while the fact does (re-ingest, another run): kind,
        document (its file path; its label for a document only cited), parent and task; the evidence
        only for findings without a task (two date conflicts of one document differ by it). What
        `cascade dismiss` is given. The path, not the label: a label (a number, or a file name where
        there is none) is shared by documents of many communes or folders (`346/UBND-TH`, `BÁO CÁO
        CỦA UBND TỈNH.doc`); a moved folder's findings therefore get new ids."""
        fact = (self.kind, self.path or self.document, self.parent, self.task, "" if self.task else self.evidence)
        return hashlib.sha1("\x1f".join(str(x or "") for x in fact).encode("utf-8")).hexdigest()[:ID_LENGTH]

    def to_dict(self) -> dict:
        return {"id": self.id, **asdict(self)}


# hex digits (48 bits): among 158,192 findings (100,000 generated documents) 8 digits gave 4 pairs of
# equal ids; 12 give one pair by odds of 1 in 20,000 there, ~1 in 6 among 10 million
ID_LENGTH = 12
COLUMNS = ("id",) + tuple(Finding.__dataclass_fields__)   # to_dict's keys: CSV columns


def rank(f: Finding) -> tuple:
    """The order of the inspector's list: most severe first, then document, kind, parent, task."""
    return -SEVERITIES.index(f.severity), f.document, f.kind, f.parent, f.task


def reviewed(findings: list[Finding], dismissed: Iterable[str]) -> tuple[list[Finding], list[Finding]]:
    """(findings still open, findings an inspector dismissed) — `dismissed` holds finding ids."""
    gone = set(dismissed)
    if not gone:                    # nothing dismissed: no id to compute (a digest per finding)
        return list(findings), []
    kept: list[Finding] = []
    shut: list[Finding] = []
    for f in findings:
        (shut if f.id in gone else kept).append(f)
    return kept, shut


def severity_of(kind: str) -> str:
    """The table's severity for a finding kind (KeyError for a kind the table lacks)."""
    return SEVERITY[kind]


def from_anomalies(anomalies: list[dict]) -> list[Finding]:
    return [Finding(document=a["label"], path=a.get("path", ""), kind=a["kind"],
                    severity=severity_of(a["kind"]), evidence=a.get("detail", ""))
            for a in anomalies]


def from_alignments(alignments, nodes: Optional[dict] = None) -> list[Finding]:
    """Dropped (or, for a report, not reported) and weakened tasks. `nodes` maps a child node to its
    graph attributes (path, doc_type, title); a child not in it is read as one that passes duties down."""
    nodes = nodes or {}
    out = []
    for al in alignments:
        if not al.compared:            # the parent has no duties: nothing can be dropped
            continue
        via = " (indirect: intermediate document missing)" if al.indirect else ""
        attrs = nodes.get(al.child_node) or {}
        path = attrs.get("path", "")
        role = duty_role(child_types(attrs.get("doc_type"), attrs.get("title")))
        covered = _covered_by_a_dropped_heading(al.pairs)
        for p in al.pairs:
            if p.parent in covered:
                continue
            if p.kind == DROPPED and role == REPORTS:
                out.append(Finding(document=al.child_doc, path=path, kind=KIND_NOT_REPORTED_TASK,
                                   severity=severity_of(KIND_NOT_REPORTED_TASK), task=p.parent,
                                   parent=al.parent_doc,
                                   evidence=f"{al.child_doc} does not report on {al.parent_doc} task {p.parent}{via}"))
            elif p.kind == DROPPED and role != NEITHER:
                out.append(Finding(document=al.child_doc, path=path, kind=KIND_DROPPED_TASK,
                                   severity=severity_of(KIND_DROPPED_TASK), task=p.parent, parent=al.parent_doc,
                                   evidence=f"no task of {al.child_doc} carries {al.parent_doc} task {p.parent}{via}"))
            elif p.weakened and role != NEITHER:
                out.append(Finding(document=al.child_doc, path=path, kind=KIND_WEAKENED_TASK,
                                   severity=severity_of(KIND_WEAKENED_TASK), task=f"{p.parent} → {p.child}",
                                   parent=al.parent_doc, evidence="; ".join(p.weakened) + via))
    return out


def _covered_by_a_dropped_heading(pairs) -> set[str]:
    """Dropped parent tasks whose dropped ancestor stands for them: an item (`III.1`) that is
    compared and dropped with every compared item below it (`III.1.1`, `III.1.2`) is one fact, said
    once, on the item itself."""
    compared = [p.parent for p in pairs if p.parent is not None]
    dropped = {p.parent for p in pairs if p.parent is not None and p.kind == DROPPED}
    out: set[str] = set()
    for head in dropped:
        below = [c for c in compared if c.startswith(head + ".")]
        if below and all(c in dropped for c in below):
            out.update(below)
    return out


def one_per_act(nodes: dict, alignments: list, anomalies: list[dict] = ()) -> tuple[list, list[dict]]:
    """Alignments and anomalies without those of superseded versions of an act (a draft beside its
    signed copy), among `nodes` (graph node → attributes): a version's alignment with a parent is
    dropped when the act's representative is aligned with that parent too; its anomalies are
    dropped when the representative is numbered."""
    rep = version_groups(nodes.items())
    anomalies = list(anomalies)
    if not rep:
        return alignments, anomalies
    have = {(al.parent_node, al.child_node) for al in alignments}
    kept = [al for al in alignments
            if rep.get(al.child_node, al.child_node) == al.child_node
            or (al.parent_node, rep[al.child_node]) not in have]
    numbered = {n for n in set(rep.values()) if nodes[n].get("number")}
    return kept, [a for a in anomalies
                  if rep.get(a.get("node"), a.get("node")) == a.get("node") or rep[a["node"]] not in numbered]


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
    anomalies — with `refs`, those of the documents in their cascades only (the parent and all below
    it), read from the saved graph without loading the whole of it. Raises LookupError for a
    reference that names nothing."""
    refs = list(refs or [])
    if refs:
        nodes: dict = {}
        anomalies: list[dict] = []
        for ref in refs:
            part, _root = around(store, ref, (IMPLEMENTS,), light=True)
            nodes.update(part.graph.nodes(data=True))
            anomalies += part.anomalies
    else:
        cas = load(store)
        nodes, anomalies, refs = dict(cas.graph.nodes(data=True)), cas.anomalies, roots(cas.graph)
    alignments, seen = [], set()
    for ref in refs:
        for al in align_below(store, ref):
            # a document below several roots is compared with the same parent once
            if (al.parent_node, al.child_node) not in seen:
                seen.add((al.parent_node, al.child_node))
                alignments.append(al)
    alignments, anomalies = one_per_act(nodes, alignments, anomalies)
    found = unique(from_alignments(alignments, nodes) + from_anomalies(anomalies))
    found.sort(key=rank)
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
