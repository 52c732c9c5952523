"""Write the cascade graph as GraphML, GEXF, JSON (node-link) or CSV.

Every node and edge attribute is a scalar (str, int, float, bool) and never None — the graph
is built that way (see build.py): unknown strings are "", `doc_id` is -1 for an external node,
`identified_confidence` / edge `confidence` are -1.0 when not applicable, and `lag_days` is
meaningful only where `has_lag` is true. So GraphML reads back with `networkx.read_graphml`
with every attribute and its type intact.

CSV is an edge list: one row per edge, child first, with both ends' main attributes; a second
file `<name>.nodes.csv` beside it lists every node with all its attributes.

`canonical(G, shas)` is what `cascade export` writes: stored documents named by their content
(`doc:<first 16 hex of sha256>`, attribute `sha256` instead of the store's `doc_id`), nodes and
edges sorted by name — the same folder exports the same bytes however it was ingested (file
order, workers, an interrupted run resumed).

Files are written through `cascade.files.output_file` (beside the target, then renamed): a
failure (a full disk, a bad value) leaves no partial or empty file, and a link at the target is
replaced, never followed (an existing path, a dangling link included, needs `force`). XML exports replace the characters
XML 1.0 forbids (U+FFFF, C0 controls such as `\x01` in a file name, lone surrogates) by U+FFFD.
"""
from __future__ import annotations

import csv
import inspect
import json
import re
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from cascade.files import OutputExists, check_output, output_file
from cascade.text import one_line

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "json", "csv")
# outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, U+FFFE, U+FFFF
XML_FORBIDDEN = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SURROGATES = re.compile("[\ud800-\udfff]")      # lone ones (undecodable file names): not encodable at all


class ExportError(Exception):
    pass


def _check(G) -> None:
    for n, a in G.nodes(data=True):
        for k, v in a.items():
            if v is None or not isinstance(v, (str, int, float, bool)):
                raise ExportError(f"node {n}: attribute {k} is {type(v).__name__}, not a scalar")
    for u, v, a in G.edges(data=True):
        for k, x in a.items():
            if x is None or not isinstance(x, (str, int, float, bool)):
                raise ExportError(f"edge {u}->{v}: attribute {k} is {type(x).__name__}, not a scalar")


def canonical(G, shas: dict) -> nx.DiGraph:
    """G with stored documents named by content and everything sorted (see the module doc).

    shas: doc id → sha256 of every stored document in G."""
    import networkx as nx        # in the functions: every command imports ExportError (networkx: ~0.15 s)
    names: dict[str, str] = {}
    taken: set[str] = set()
    for n, a in G.nodes(data=True):
        sha = shas.get(a.get("doc_id", -1), "") if a.get("doc_id", -1) >= 0 else ""
        names[n] = _unique(f"doc:{sha[:16]}" if sha else n, taken)
    H = nx.DiGraph()
    for n in sorted(G, key=names.__getitem__):
        a = G.nodes[n]
        sha = shas.get(a.get("doc_id", -1), "") if a.get("doc_id", -1) >= 0 else ""
        H.add_node(names[n], **{("sha256" if k == "doc_id" else k): (sha if k == "doc_id" else v) for k, v in a.items()})
    for u, v in sorted(G.edges, key=lambda e: (names[e[0]], names[e[1]])):
        H.add_edge(names[u], names[v], **G.edges[u, v])
    return H


def _unique(name: str, taken: set) -> str:
    out, i = name, 1
    while out in taken:
        i += 1
        out = f"{name}~{i}"
    taken.add(out)
    return out


def clean_text(G, pattern: re.Pattern) -> nx.DiGraph:
    """A copy of G whose node names and string values have `pattern`'s characters replaced by U+FFFD
    (G itself when there are none)."""
    def fix(v):
        return pattern.sub("\ufffd", v) if isinstance(v, str) else v

    dirty = any(pattern.search(n) for n in G) or any(
        isinstance(v, str) and pattern.search(v) for _, a in G.nodes(data=True) for v in a.values()) or any(
        isinstance(v, str) and pattern.search(v) for _, _, a in G.edges(data=True) for v in a.values())
    if not dirty:
        return G
    import networkx as nx
    taken: set[str] = set()
    names = {n: _unique(fix(n), taken) for n in G}
    H = nx.DiGraph()
    for n, a in G.nodes(data=True):
        H.add_node(names[n], **{k: fix(v) for k, v in a.items()})
    for u, v, a in G.edges(data=True):
        H.add_edge(names[u], names[v], **{k: fix(x) for k, x in a.items()})
    return H


def export(G, fmt: str, out, force: bool = False) -> list[Path]:
    """Write G to `out` in `fmt`. Never overwrites without force. Returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    targets = [out] + ([out.with_suffix(".nodes.csv")] if fmt == "csv" else [])
    try:
        for t in targets:                      # any existing path (a symlink too) needs force
            check_output(t, force)
    except (OutputExists, FileNotFoundError) as e:
        raise ExportError(str(e)) from None
    _check(G)
    G = clean_text(G, XML_FORBIDDEN if fmt in ("graphml", "gexf") else SURROGATES)
    try:
        with ExitStack() as stack:             # written atomically: temporaries renamed at the end
            temps = [stack.enter_context(output_file(t, force)) for t in targets]
            _write(G, fmt, temps[0], temps)
    except OSError as e:
        raise ExportError(f"{out}: cannot write ({e.strerror or e}); nothing written") from None
    except Exception as e:       # a writer's own failure: nothing is left behind either
        raise ExportError(f"{out}: cannot write {fmt} ({type(e).__name__}: {one_line(e, 200)}); "
                          "nothing written") from None
    return targets


def _write(G, fmt: str, out: Path, targets: list[Path]) -> None:
    import networkx as nx
    if fmt == "graphml":
        nx.write_graphml(G, out, encoding="utf-8", prettyprint=True, named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(G, out, encoding="utf-8", prettyprint=True)
    elif fmt == "json":
        data = nx.node_link_data(G, edges="edges") if _has_edges_kw() else nx.node_link_data(G)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        _write_csv(G, out, targets[1])


def _has_edges_kw() -> bool:
    import networkx as nx
    return "edges" in inspect.signature(nx.node_link_data).parameters


EDGE_CSV_NODE_FIELDS = ("label", "doc_type", "date", "level", "province", "in_corpus")


def _write_csv(G, out: Path, nodes_out: Path) -> None:
    edge_fields = sorted({k for _, _, a in G.edges(data=True) for k in a})
    cols = (["child", "parent"] + [f"child_{f}" for f in EDGE_CSV_NODE_FIELDS]
            + [f"parent_{f}" for f in EDGE_CSV_NODE_FIELDS] + edge_fields)
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for u, v, a in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
            cu, pv = G.nodes[u], G.nodes[v]
            w.writerow([u, v] + [cu[x] for x in EDGE_CSV_NODE_FIELDS] + [pv[x] for x in EDGE_CSV_NODE_FIELDS]
                       + [a.get(k, "") for k in edge_fields])
    node_fields = sorted({k for _, a in G.nodes(data=True) for k in a})
    with open(nodes_out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["node"] + node_fields)
        for n, a in sorted(G.nodes(data=True)):
            w.writerow([n] + [a.get(k, "") for k in node_fields])
