"""The Cascade (a graph of documents with its identifications and anomalies) and the one node finder.

`find_node(ref, index)` holds the matching rules for a reference a user types (node id, doc id,
key or number, file path or name); the in-memory graph and the saved graph only answer its questions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


from cascade.graph.infer import LEVEL_RANK
from cascade.graph.resolve import Identification, norm_key
from cascade.models import IMPLEMENTS, RELATIONS, RESPONDS, NodeId


CONTENT_NODE = re.compile(r"doc:[0-9a-fA-F]{8,64}")


def find_node(ref, index) -> str:
    """Node id for a node id, a doc id (`12`), a key or number (`57-NQ/TW`), an exported name
    (`doc:<sha256 prefix>`) or a file path/name.

    `index` is a GraphIndex or a cascade.store.graph.SavedIndex. Raises LookupError with a
    one-line message when nothing or several things match, or the document was not parsed."""
    ref = str(ref).strip()
    if index.has(ref):
        return ref
    if ref.isascii() and ref.isdigit() and int(ref) < 2 ** 63:   # not '²', not past SQLite's integers
        n = index.doc_node(int(ref))
        if n is not None:
            return n
        why = index.unparsed(int(ref))
        if why:
            raise LookupError(f"{ref}: {why}")
    hits = index.by_key(norm_key(ref))
    if not hits and CONTENT_NODE.fullmatch(ref):       # `doc:<sha256 prefix>`, as `cascade export` names it
        hits = index.by_content(ref[4:].lower())
    if not hits:
        hits = index.by_path(ref)
        if len(hits) == 1 and not index.has(hits[0]):
            why = index.unparsed(NodeId.doc_id(hits[0]))
            if why:
                raise LookupError(f"{ref}: {why}")
            hits = []
    if not hits:
        raise LookupError(f"{ref}: no document with that key, id or path")
    if len(hits) > 1:
        hits = sorted(hits)
        labels = index.labels(hits[:6])
        listed = ", ".join(f"{h} ({labels.get(h, '')})" for h in hits[:6])
        raise LookupError(f"{ref}: ambiguous, matches {listed}; name it by id")
    return hits[0]


def _first(item: tuple):
    return item[0]


class GraphIndex:
    """What `find_node` asks, answered from an in-memory graph (its nodes' own path)."""

    def __init__(self, graph):
        self.G = graph

    def has(self, node: str) -> bool:
        return node in self.G

    def doc_node(self, doc_id: int) -> Optional[str]:
        n = NodeId.doc(doc_id)
        return n if n in self.G else None

    def unparsed(self, doc_id: int) -> Optional[str]:
        return None          # an in-memory graph knows only the parsed documents

    def by_key(self, norm: str) -> list[str]:
        return [n for n, a in self.G.nodes(data=True)
                if (a["key"] and norm_key(a["key"]) == norm) or (a["number"] and norm_key(a["number"]) == norm)]

    def by_content(self, sha_prefix: str) -> list[str]:
        return []            # an in-memory graph does not carry content hashes

    def by_path(self, ref: str) -> list[str]:
        p = Path(ref)
        exact = {ref, str(p.resolve())} if p.exists() else {ref}
        hits = [n for n, a in self.G.nodes(data=True) if a["path"] and a["path"] in exact]
        return hits or [n for n, a in self.G.nodes(data=True) if a["path"] and a["path"].endswith("/" + ref)]

    def labels(self, nodes: list[str]) -> dict[str, str]:
        return {n: self.G.nodes[n]["label"] for n in nodes if n in self.G}


class Adjacency:
    """A directed graph read back for `tree` (cascade.graph.saved.around(..., light=True)): the part
    of networkx.DiGraph that Cascade.tree, `_summary`, `find_node` and the version folding read —
    `nodes[n]`, `nodes(data=True)`, `_succ[u][v]` and `_pred[v][u]` (one dict per edge, shared),
    `in G`, `out_edges`/`in_edges` — kept in the same dicts in the same order as add_node and
    add_edge fill a DiGraph's, so a tree reads the same from either. Importing networkx took
    ~0.15 s of the command (its algorithms, readers and backends all load with it)."""

    def __init__(self):
        self._node = self.nodes = _Nodes()        # node → attributes
        self._succ: dict[str, dict] = {}
        self._pred: dict[str, dict] = {}

    @classmethod
    def of(cls, nodes, edges) -> "Adjacency":
        """The graph of `nodes` ((node, attributes)) and of the `edges` ((child, parent, attributes))
        whose parent is one of them, as DiGraph.add_node and add_edge would make it (a child not
        among the nodes is added bare). The attribute dicts are kept, not copied: give fresh ones."""
        G = cls()
        node, succ, pred = G._node, G._succ, G._pred
        for n, a in nodes:
            if n in node:
                node[n].update(a)
            else:
                node[n] = a
                succ[n] = {}
                pred[n] = {}
        for u, v, a in edges:
            if v not in node:
                continue
            if u not in node:
                node[u] = {}
                succ[u] = {}
                pred[u] = {}
            out = succ[u]
            if v in out:
                out[v].update(a)
            else:
                out[v] = pred[v][u] = a
        return G

    def __contains__(self, n) -> bool:
        try:
            return n in self._node
        except TypeError:
            return False

    def __iter__(self):
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def number_of_nodes(self) -> int:
        return len(self._node)

    def out_edges(self, n: str, data: bool = False) -> list:
        return [(n, v, e) if data else (n, v) for v, e in self._succ[n].items()]

    def in_edges(self, n: str, data: bool = False) -> list:
        return [(u, n, e) if data else (u, n) for u, e in self._pred[n].items()]


class _Nodes(dict):
    """`G.nodes` of an Adjacency: node → attributes, and `G.nodes(data=True)` as networkx's."""

    def __call__(self, data: bool = False):
        return self.items() if data else self.keys()


def _summary(G, n: str, requests: bool = False) -> dict:
    """What a tree shows of a node it does not expand: a request, a citer (with the labels of
    the requests it answers)."""
    a = G.nodes[n]
    out = {"node": n, **{k: a[k] for k in ("label", "doc_type", "date", "issuer", "level", "in_corpus")}}
    if requests:
        out["requests"] = sorted(G.nodes[p]["label"] for _, p, e in G.out_edges(n, data=True)
                                 if e["relation"] == RESPONDS)
    return out


@dataclass
class Cascade:
    graph: object                                   # networkx.DiGraph (an Adjacency for `tree`)
    identified: dict[int, Identification] = field(default_factory=dict)
    anomalies: list[dict] = field(default_factory=list)
    # citation id -> the node it names (the citing document's own node for a self-citation);
    # only a graph built from the store has it, a saved one read back does not
    citation_nodes: dict[int, str] = field(default_factory=dict)
    # what an incremental update needs of each citation (cascade.graph.incremental): (citation id,
    # doc id, node or None, norm key as written, norm effective key, running number); built only
    citation_index: list[tuple] = field(default_factory=list)

    def find(self, ref) -> str:
        """Node id for a key (`57-NQ/TW`), a doc id (`12`), a node id or a file path/name (`find_node`)."""
        return find_node(ref, GraphIndex(self.graph))

    def node(self, n: str) -> dict:
        return {"node": n, **self.graph.nodes[n]}

    def tree(self, ref, relations=(IMPLEMENTS,), max_depth: Optional[int] = None,
             cited_by: bool = False) -> dict:
        """Nested dict from `ref` down through the documents that implement it (or that stand to
        it in one of `relations`). `responds` is never followed: a decision answering a submission
        is not its child; each node lists instead, as `requests`, the submissions it answers.
        Each node also counts, as `cited_as` {relation: n}, the documents citing it in a relation
        not followed (basis, guides, mentions …); with `cited_by` they are listed too
        (`citers` {relation: [node summaries]}).

        A child reached through a more local intermediate document is shown under that
        document only (57-NQ/TW → 2630/UBND-TH (province) → 432/UBND-VHXXH (commune), not also
        directly under 57-NQ/TW); a node met a second time is marked `repeat` and not expanded.
        """
        root = self.find(ref)
        G = self.graph
        rel = set(relations) - {RESPONDS}
        # the followed edges as plain adjacency lists, in the graph's own order (a filtered
        # networkx view re-filters on every step: at 3,000 children that was most of the time)
        pred, succ, nodes = G._pred, G._succ, G.nodes
        down: dict[str, list[str]] = {}
        up: dict[str, list[str]] = {}

        def children_of(n: str) -> list[str]:
            if n not in down:
                down[n] = [c for c, e in pred[n].items() if e["relation"] in rel]
            return down[n]

        def parents_of(n: str) -> list[str]:
            if n not in up:
                up[n] = [p for p, e in succ[n].items() if e["relation"] in rel]
            return up[n]

        reach: dict[str, set] = {}

        def reaches(q: str) -> set:
            """Every node above q through followed edges, q included."""
            if q not in reach:
                seen_up, todo = {q}, [q]
                while todo:
                    for p in parents_of(todo.pop()):
                        if p not in seen_up:
                            seen_up.add(p)
                            todo.append(p)
                reach[q] = seen_up
            return reach[q]

        rank = {}

        def level_rank(n: str, default):
            if n not in rank:
                rank[n] = LEVEL_RANK.get(nodes[n]["level"])
            r = rank[n]
            return default if r is None else r

        hidden_memo: dict[tuple, bool] = {}

        def hidden(child: str, parent: str) -> bool:
            k = (child, parent)
            if k not in hidden_memo:
                hidden_memo[k] = _hidden(child, parent)
            return hidden_memo[k]

        def _hidden(child: str, parent: str) -> bool:
            rc = level_rank(child, 9)
            rp = level_rank(parent, -1)
            for q in parents_of(child):
                if q == parent:
                    continue
                rq = level_rank(q, None)
                if rq is None or not (rp < rq < rc):
                    continue
                if parent in reaches(q):
                    return True
            return False

        # expand each node where it is nearest the root (57-NQ/TW → 001 directly, not via 386-KH/TU)
        nearest = {root: 0}
        frontier = [root]
        while frontier:
            nxt = []
            for n in frontier:
                for c in children_of(n):
                    if c not in nearest and not hidden(c, n):
                        nearest[c] = nearest[n] + 1
                        nxt.append(c)
            frontier = nxt

        def walk(n: str, depth: int, edge: Optional[dict], path: tuple) -> dict:
            out = self.node(n)
            out.pop("anomalies", None)
            out["anomalies"] = [a for a in nodes[n]["anomalies"].split("; ") if a]
            if edge is not None:
                out["relation"] = edge["relation"]
                out["lag_days"] = edge["lag_days"] if edge["has_lag"] else None
                out["edge_anomaly"] = edge["anomaly"] or None
                out["method"] = edge["method"]
            out["children"] = []
            out["requests"] = [_summary(G, p) for p, e in sorted(succ[n].items(), key=_first)
                               if e["relation"] == RESPONDS]
            others: dict[str, list[str]] = {}
            for c, e in sorted(pred[n].items(), key=_first):
                if e["relation"] not in rel:
                    others.setdefault(e["relation"], []).append(c)
            out["cited_as"] = {r: len(others[r]) for r in RELATIONS if r in others}
            if cited_by:
                out["citers"] = {r: sorted((_summary(G, c, requests=True) for c in others[r]),
                                           key=lambda x: (x["date"] or "9999", x["label"]))
                                 for r in RELATIONS if r in others}
            if n in seen or depth > nearest.get(n, depth):
                out["repeat"] = True
                return out
            seen.add(n)
            if max_depth is not None and depth >= max_depth:
                return out
            kids = [(c, pred[n][c]) for c in children_of(n) if c not in path and not hidden(c, n)]
            kids.sort(key=lambda ce: (level_rank(ce[0], 9), nodes[ce[0]]["date"] or "9999", nodes[ce[0]]["label"]))
            for c, e in kids:
                out["children"].append(walk(c, depth + 1, e, path + (n,)))
            return out

        seen: set[str] = set()
        return walk(root, 0, None, ())
