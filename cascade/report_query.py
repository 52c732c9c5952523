"""report_model(store, root): everything the cascade report shows, read from a store."""
from __future__ import annotations

from datetime import date as Date
from typing import Optional

from cascade.report.report_model import (LEVEL_ORDER, DiffRow, NodeDiff, ReportEdge, ReportFinding, ReportModel,
                                         ReportNode, rollup)

RELATIONS = ("implements",)


def _cascade_nodes(G, root: Optional[str]) -> set[str]:
    """The root and every node that implements it, directly or down the chain (edges run child → parent)."""
    if root is None:      # every stored document, and the cited ones something implements
        return {n for n in G.nodes if G.nodes[n]["in_corpus"]} | {
            v for u, v, a in G.edges(data=True) if a["relation"] in RELATIONS}
    import networkx as nx
    sub = nx.subgraph_view(G, filter_edge=lambda u, v: G.edges[u, v]["relation"] in RELATIONS)
    return {root} | nx.ancestors(sub, root)


def _alignments(store, cas, G, nodes: set[str], root: Optional[str]):
    """Every stored document of the cascade aligned with its nearest stored ancestor (cascade.align)."""
    from cascade.align import align_below
    tops = [root] if root is not None else [
        n for n in nodes
        if not any(G.edges[n, p]["relation"] in RELATIONS for p in G.successors(n))
        and any(G.edges[c, n]["relation"] in RELATIONS for c in G.predecessors(n))]
    out, seen = [], set()
    for top in sorted(tops):
        for al in align_below(store, top, RELATIONS):
            if (al.parent_node, al.child_node) not in seen:
                seen.add((al.parent_node, al.child_node))
                out.append(al)
    return out


def report_model(store, ref: Optional[str] = None, with_views: bool = True) -> ReportModel:
    """The cascade report's data for the document `ref` (a key, id, node id or path) and every
    document that implements it down the levels; `ref=None`: the whole store."""
    from cascade.graph.build import around, load
    from cascade.report import html_view
    from cascade.report.findings import from_alignments, from_anomalies

    if ref is None:
        cas, root = load(store), None
    else:
        cas, root = around(store, ref, RELATIONS)
    G = cas.graph
    keep = _cascade_nodes(G, root)
    order = sorted(keep, key=lambda n: (LEVEL_ORDER.index(G.nodes[n]["level"]) if G.nodes[n]["level"] in LEVEL_ORDER
                                        else 9, G.nodes[n]["province"], G.nodes[n]["date"], G.nodes[n]["label"]))
    stored = {G.nodes[n]["doc_id"]: n for n in order if G.nodes[n]["in_corpus"] and G.nodes[n]["doc_id"] >= 0}
    records = {stored[i]: r for i, r in store.records(stored, with_text=with_views).items()}
    alignments = _alignments(store, cas, G, keep, root)
    coverage = {}
    for al in alignments:
        coverage.setdefault(al.child_node, al.coverage)

    nodes = [ReportNode(id=n, label=G.nodes[n]["label"], level=G.nodes[n]["level"], province=G.nodes[n]["province"],
                        key=G.nodes[n]["number"] or G.nodes[n]["key"], doc_type=G.nodes[n]["doc_type"],
                        date=G.nodes[n]["date"], issuer=G.nodes[n]["issuer"], title=G.nodes[n]["title"],
                        path=G.nodes[n]["path"], in_store=bool(G.nodes[n]["in_corpus"]), coverage=coverage.get(n),
                        flags=[f for f in G.nodes[n]["anomalies"].split("; ") if f])
             for n in order]
    edges = [ReportEdge(child=u, parent=v, relation=a["relation"], lag_days=a["lag_days"] if a["has_lag"] else None)
             for u, v, a in G.edges(data=True) if u in keep and v in keep and a["relation"] in RELATIONS]

    def text_of(node, path):
        rec = records.get(node)
        for t in (rec.tasks if rec else ()):
            if t.path == path:
                return t.text
        return ""

    diffs = {}
    pairs_by_child = []
    task_text = {}
    for al in alignments:
        rows = [DiffRow(p.kind, p.parent, text_of(al.parent_node, p.parent) if p.parent else "",
                        p.child, text_of(al.child_node, p.child) if p.child else "", list(p.weakened))
                for p in al.pairs]
        diffs.setdefault(al.child_node, NodeDiff(al.child_node, al.parent_node, al.coverage, al.indirect, rows))
        pairs_by_child.append((al.parent_node, al.child_node,
                               [(p.parent, p.child, p.kind) for p in al.pairs if p.parent is not None]))
        for p in al.pairs:
            if p.parent is not None:
                task_text[(al.parent_node, p.parent)] = text_of(al.parent_node, p.parent)

    def commune(n):
        rec = records.get(n)
        if G.nodes[n]["level"] != "commune" or rec is None:
            return ""
        name = rec.issuer.locality or G.nodes[n]["issuer"]
        return f"{name} ({G.nodes[n]['province']})" if G.nodes[n]["province"] else name

    heatmaps = [
        rollup(pairs_by_child, {n: G.nodes[n]["level"] for n in keep}, task_text, "level",
               [lv for lv in LEVEL_ORDER if lv and any(G.nodes[c]["level"] == lv for _, c, _ in pairs_by_child)]),
        rollup(pairs_by_child, {n: G.nodes[n]["province"] for n in keep}, task_text, "province"),
        rollup(pairs_by_child, {n: commune(n) for n in keep}, task_text, "commune"),
    ]

    findings = [ReportFinding(f.severity, a["node"], f.document, f.kind, f.task, f.evidence)
                for a, f in zip(cas.anomalies, from_anomalies(cas.anomalies)) if a["node"] in keep]
    for al in alignments:
        findings += [ReportFinding(f.severity, al.child_node, f.document, f.kind, f.task, f.evidence)
                     for f in from_alignments([al])]

    import networkx as nx
    sub = nx.subgraph_view(G, filter_edge=lambda u, v: G.edges[u, v]["relation"] in RELATIONS)
    never = [n for n in order if n in records and records[n].tasks and G.nodes[n]["level"] != "commune"
             and not any(m in records for m in nx.ancestors(sub, n))]

    views = {n: html_view.fragment(r) for n, r in records.items() if r.text} if with_views else {}
    return ReportModel(root=root, root_label=G.nodes[root]["label"] if root else "", nodes=nodes, edges=edges,
                       diffs=diffs, heatmaps=heatmaps, findings=findings, never_answered=never, views=views,
                       generated=Date.today().isoformat())
