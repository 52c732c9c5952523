"""The saved cascade graph: every SQL statement on the graph_* tables (schema: db.m003_graph_cache).

Rows in and out are plain dicts and tuples; `cascade.graph.saved` turns them into a Cascade.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

from cascade.models import EDGE_DEFAULTS, NODE_DEFAULTS, NodeId

NODE_COLUMNS = tuple(NODE_DEFAULTS)
EDGE_COLUMNS = tuple(EDGE_DEFAULTS)
_BOOL_NODE = {k for k, v in NODE_DEFAULTS.items() if isinstance(v, bool)}
_BOOL_EDGE = {k for k, v in EDGE_DEFAULTS.items() if isinstance(v, bool)}
_TABLES = ("graph_nodes", "graph_edges", "graph_identified", "graph_anomalies")


def shadow(store) -> None:
    """Empty TEMP copies of the saved graph's tables (and of `meta`) on this connection only.

    SQLite reads a TEMP table before a main one of the same name, so a store opened read-only
    saves a rebuilt graph into memory and every statement below reads it back from there; the
    file is never written."""
    db = store.db
    if db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'meta'").fetchone():
        return
    db.execute("CREATE TEMP TABLE meta AS SELECT * FROM main.meta")
    for t in _TABLES:
        db.execute(f"CREATE TEMP TABLE {t} AS SELECT * FROM main.{t} WHERE 0")
    for name, table, cols in (("n_node", "graph_nodes", "node"), ("n_key", "graph_nodes", "key_norm"),
                              ("n_number", "graph_nodes", "number_norm"), ("n_doc", "graph_nodes", "doc_id"),
                              ("e_child", "graph_edges", "child, parent"), ("e_parent", "graph_edges", "parent, relation"),
                              ("i_doc", "graph_identified", "doc_id"), ("a_node", "graph_anomalies", "node")):
        db.execute(f"CREATE INDEX temp.shadow_{name} ON {table}({cols})")


def is_current(store) -> bool:
    """True when the saved graph was built from the data as it is now."""
    return store.graph_version() == store.data_version()


def save(store, nodes: Iterable[tuple[str, Optional[str], Optional[str], dict]],
         edges: Iterable[tuple[str, str, dict]], identified: Iterable[dict], anomalies: Iterable[dict]) -> None:
    """Replace the saved graph, in one transaction, and mark it current.

    nodes: (node, key_norm, number_norm, attributes); identified: Identification dicts (with doc_id)."""
    db = store.db
    with store.transaction():
        version = store.data_version()
        for t in _TABLES:
            db.execute(f"DELETE FROM {t}")
        db.executemany(
            f"INSERT INTO graph_nodes (node, key_norm, number_norm, {', '.join(NODE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(NODE_COLUMNS) + 3))})",
            [[n, kn, nn] + [a[c] for c in NODE_COLUMNS] for n, kn, nn, a in nodes])
        db.executemany(
            f"INSERT INTO graph_edges (child, parent, {', '.join(EDGE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * (len(EDGE_COLUMNS) + 2))})",
            [[u, v] + [a[c] for c in EDGE_COLUMNS] for u, v, a in edges])
        db.executemany("INSERT INTO graph_identified (doc_id, data) VALUES (?, ?)",
                       [(x["doc_id"], json.dumps(x, ensure_ascii=False)) for x in identified])
        db.executemany("INSERT INTO graph_anomalies (node, data) VALUES (?, ?)",
                       [(a["node"], json.dumps(a, ensure_ascii=False)) for a in anomalies])
        db.execute("UPDATE meta SET value = ? WHERE key = 'graph_version'", (version,))


def _node_row(r) -> tuple[str, dict]:
    a = {c: r[c] for c in NODE_COLUMNS}
    for c in _BOOL_NODE:
        a[c] = bool(a[c])
    for c, v in NODE_DEFAULTS.items():
        if a[c] is None:
            a[c] = v
    return r["node"], a


def _edge_row(r) -> tuple[str, str, dict]:
    a = {c: r[c] for c in EDGE_COLUMNS}
    for c in _BOOL_EDGE:
        a[c] = bool(a[c])
    return r["child"], r["parent"], a


def _chunks(items: list, n: int = 900):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _marks(part) -> str:
    return ",".join("?" * len(part))


def _select(store, what: str, table: str, column: str, only: Optional[Iterable], order: str) -> list:
    """`SELECT what FROM table` for every row, or for the rows whose `column` is in `only` (in chunks)."""
    db = store.db
    if only is None:
        return db.execute(f"SELECT {what} FROM {table} {order}").fetchall()
    rows = []
    for part in _chunks(sorted(only)):
        rows += db.execute(f"SELECT {what} FROM {table} WHERE {column} IN ({_marks(part)}) {order}", part).fetchall()
    return rows


def nodes(store, only: Optional[Iterable[str]] = None) -> list[tuple[str, dict]]:
    """(node, attributes) of every saved node, or of the given ones, in saved order."""
    return [_node_row(r) for r in _select(store, "*", "graph_nodes", "node", only, "ORDER BY rowid")]


def doc_nodes(store) -> dict[str, dict]:
    """Attributes of every stored document's node."""
    return dict(_node_row(r) for r in store.db.execute("SELECT * FROM graph_nodes WHERE kind = 'doc'"))


def edges(store, children: Optional[Iterable[str]] = None) -> list[tuple[str, str, dict]]:
    """(child, parent, attributes) of every saved edge, or of those from the given children."""
    return [_edge_row(r) for r in _select(store, "*", "graph_edges", "child", children, "ORDER BY rowid")]


def identified(store, doc_ids: Optional[Iterable[int]] = None) -> list[dict]:
    """Saved identifications (as dicts), all by doc id or those of the given documents."""
    return [json.loads(d) for (d,) in _select(store, "data", "graph_identified", "doc_id", doc_ids, "ORDER BY doc_id")]


def anomalies(store, only: Optional[Iterable[str]] = None) -> list[dict]:
    """Saved anomalies, all or those of the given nodes, in saved order."""
    return [json.loads(d) for (d,) in _select(store, "data", "graph_anomalies", "node", only, "ORDER BY rowid")]


def neighbours_of(store, nodes: Iterable[str]) -> set[str]:
    """The nodes, what they cite and what cites them."""
    db = store.db
    out = set(nodes)
    for part in _chunks(sorted(out), 450):
        out |= {r[0] for r in db.execute(f"SELECT parent FROM graph_edges WHERE child IN ({_marks(part)})", part)}
        out |= {r[0] for r in db.execute(f"SELECT child FROM graph_edges WHERE parent IN ({_marks(part)})", part)}
    return out


def parents_by(store, nodes: Iterable[str], relation: str) -> set[str]:
    """What the given nodes cite in one relation (e.g. the requests they answer: `responds`)."""
    out: set[str] = set()
    for part in _chunks(sorted(set(nodes)), 450):
        out |= {r[0] for r in store.db.execute(
            f"SELECT parent FROM graph_edges WHERE child IN ({_marks(part)}) AND relation = ?", part + [relation])}
    return out


def below(store, root: str, relations: Iterable[str]) -> set[str]:
    """The root and every node below it through edges of the given relations (parent index)."""
    db = store.db
    rel = list(relations)
    seen = {root}
    frontier = [root]
    while frontier:
        nxt = []
        for part in _chunks(frontier, 500):
            for (child,) in db.execute(
                    f"SELECT child FROM graph_edges WHERE parent IN ({_marks(part)}) AND relation IN "
                    f"({_marks(rel)})", part + rel):
                if child not in seen:
                    seen.add(child)
                    nxt.append(child)
        frontier = nxt
    return seen


class SavedIndex:
    """What `cascade.graph.cascade.find_node` asks, answered from the saved graph's indexes."""

    def __init__(self, store):
        self.store = store
        self.db = store.db

    def has(self, node: str) -> bool:
        return self.db.execute("SELECT 1 FROM graph_nodes WHERE node = ?", (node,)).fetchone() is not None

    def doc_node(self, doc_id: int) -> Optional[str]:
        r = self.db.execute("SELECT node FROM graph_nodes WHERE doc_id = ?", (doc_id,)).fetchone()
        return r[0] if r else None

    def unparsed(self, doc_id: int) -> Optional[str]:
        """'document N was not parsed (status: error)' for a stored document without a node."""
        d = self.store.doc(doc_id)
        return f"document {d['id']} was not parsed ({d['status']}: {d['error']})" if d is not None else None

    def by_key(self, norm: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT node FROM graph_nodes WHERE key_norm = ? UNION "
                                              "SELECT node FROM graph_nodes WHERE number_norm = ?", (norm, norm))]

    def by_content(self, sha_prefix: str) -> list[str]:
        """Stored documents whose sha256 starts with `sha_prefix` (hex, lower case)."""
        rows = self.db.execute("SELECT id FROM docs WHERE sha256 >= ? AND sha256 < ?",
                               (sha_prefix, sha_prefix + "g")).fetchall()
        return [NodeId.doc(r[0]) for r in rows]

    def by_path(self, ref: str) -> list[str]:
        """Documents with a file at `ref` (as given or resolved), else whose path ends in /`ref`."""
        p = Path(ref)
        exact = {ref, str(p.resolve())} if p.exists() else {ref}
        rows = self.db.execute(f"SELECT DISTINCT doc_id FROM files WHERE path IN ({_marks(exact)})",
                               sorted(exact)).fetchall()
        if not rows:
            like = "%/" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = self.db.execute("SELECT DISTINCT doc_id FROM files WHERE path LIKE ? ESCAPE '\\'",
                                   (like,)).fetchall()
        return [NodeId.doc(r[0]) for r in rows]

    def labels(self, nodes: list[str]) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute(
            f"SELECT node, label FROM graph_nodes WHERE node IN ({_marks(nodes)})", nodes)}
