"""The graph as the commands read it: rebuilt and saved when the data changed, else read back.

build() reads the whole store; at a national scale that is seconds, so its result is saved (the
store's graph_* tables, cascade.store.graph) and `tree`/`show` read only the nodes they need.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from cascade.graph.cascade import Adjacency, Cascade, find_node
from cascade.graph.resolve import Identification, key_parts, norm_key
from cascade.models import IMPLEMENTS, RESPONDS
from cascade.store import graph as saved_graph


def save(store, cas: Cascade, stamped: bool = False) -> None:
    """Replace the saved graph with `cas`, in one transaction, and mark it current. `stamped`:
    `cas` was built from the whole store as it is (the documents' stamps are saved with it)."""
    G = cas.graph
    spelled = Counter(k for *_i, k, _e, _n in cas.citation_index if k)
    spelled.update(norm_key(a["key"]) for _n, a in G.nodes(data=True) if a["kind"] == "doc" and a["key"])
    saved_graph.save(
        store,
        nodes=[(n, norm_key(a["key"]) or None, norm_key(a["number"]) or None, a) for n, a in G.nodes(data=True)],
        edges=G.edges(data=True),
        identified=[x.to_dict() for x in cas.identified.values()],
        anomalies=cas.anomalies,
        citations=cas.citation_index if stamped else None,
        keys=[(k, *_symbol_number(k), n) for k, n in spelled.items()],
        stamped=stamped)


def _symbol_number(nk: str) -> tuple[Optional[str], Optional[str]]:
    parts = key_parts(nk)
    return (parts[2], parts[0]) if parts else (None, None)


def refresh(store) -> str:
    """Bring the saved graph up to date: "" when it was current, "incremental" when only the
    changed documents were updated (cascade.graph.incremental), "rebuilt" when built whole."""
    return _refresh(store)[0]


def _refresh(store) -> tuple[str, Optional[Cascade]]:
    if saved_graph.is_current(store):
        return "", None
    # imported here: a command reading a current graph (`tree`, `show`) needs neither (~13 ms)
    from cascade.graph import incremental
    from cascade.graph.build import build
    if not getattr(store, "readonly", False) and incremental.update(store):
        return "incremental", None
    cas = build(store)
    if getattr(store, "readonly", False):
        saved_graph.shadow(store)
    save(store, cas, stamped=True)
    return "rebuilt", cas


def current(store) -> Optional[Cascade]:
    """Update and save the graph if the data changed since it was saved; return the rebuilt one
    (None when the saved graph was current or updated in place: read it back). A read-only store
    keeps the rebuilt graph in memory for this connection (`cascade.store.graph.shadow`):
    reading never needs to write."""
    return _refresh(store)[1]


def _cascade(store, nodes: Optional[set] = None, edges_of: Optional[set] = None, light: bool = False) -> Cascade:
    """A Cascade over the saved graph: everything, or the given nodes and the edges among them;
    `light`: in an Adjacency (what `tree` reads of a graph), not a networkx.DiGraph."""
    node_rows = saved_graph.nodes(store, nodes)
    children = None if nodes is None else (edges_of if edges_of is not None else nodes)
    if light:
        G = Adjacency.of(node_rows, saved_graph.edges(store, children))
    else:
        import networkx as nx            # here: `tree` builds no DiGraph (importing networkx: ~0.15 s)
        G = nx.DiGraph()
        for n, a in node_rows:
            G.add_node(n, **a)
        for u, v, a in saved_graph.edges(store, children):
            if v in G:
                G.add_edge(u, v, **a)
    doc_ids = None if nodes is None else [G.nodes[n]["doc_id"] for n in G if G.nodes[n]["doc_id"] >= 0]
    identified = {d["doc_id"]: Identification(**d) for d in saved_graph.identified(store, doc_ids)}
    return Cascade(graph=G, identified=identified, anomalies=saved_graph.anomalies(store, nodes))


def identifications(store) -> dict[int, Identification]:
    """Every identification of the current graph (refreshed first if stale), by doc id."""
    current(store)
    return {d["doc_id"]: Identification(**d) for d in saved_graph.identified(store)}


def load(store) -> Cascade:
    """The whole cascade graph: rebuilt if stale, else read back from the store."""
    return current(store) or _cascade(store)


def find_saved(store, ref) -> str:
    """Node id for a key, doc id, node id or file path/name (`find_node` over the saved graph,
    refreshed first if stale)."""
    current(store)
    return find_node(ref, saved_graph.SavedIndex(store))


def around(store, ref, relations=(IMPLEMENTS,), below: bool = True,
           context: bool = False, light: bool = False) -> tuple[Cascade, str]:
    """A small Cascade holding what `tree`/`show` need, and the node `ref` names.

    below=True: the node, everything below it through `relations`, and the edges among them;
    with context, also every direct neighbour of those and the requests they answer (what a tree
    counts or lists beside its children: citers in other relations, the requests a decision answers).
    below=False: the node and its direct neighbours.
    light: the Cascade's graph is an Adjacency (enough for Cascade.tree), not a networkx.DiGraph.
    The node is always found in the saved graph, so a reference resolves one way only.
    """
    root = find_saved(store, ref)
    if not below:
        nb = saved_graph.neighbours_of(store, [root])
        return _cascade(store, nb, edges_of=nb, light=light), root
    if not context:
        return _cascade(store, saved_graph.below(store, root, relations), light=light), root
    tree = saved_graph.below(store, root, relations)
    nb = saved_graph.neighbours_of(store, tree)
    nb |= saved_graph.parents_by(store, nb, RESPONDS)       # the requests the citers answer
    return _cascade(store, nb, edges_of=nb, light=light), root
