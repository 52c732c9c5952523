"""Updating the saved graph in place after an ingest that added documents, instead of rebuilding it.

`update(store)` returns True when it brought the saved graph up to date by touching only the new
documents and what they cite, False when the change is not one it can apply exactly: the caller
(`cascade.graph.saved.refresh`) then rebuilds the whole graph. It must give the graph a full
rebuild gives (tests/test_incremental.py checks that on random sequences of ingests and
deletions), so it declines whenever a new document could reach past its own rows:

- documents removed, re-parsed, moved or failed since the save; more than MAX_NEW new ones;
- any override or alias (they reach every resolution), any parsed document without a key (fuzzy
  identification compares titles over the whole store);
- a new document's key already named by a saved citation, carried by a saved node, or the first
  key in an external document's title (something would now resolve to it or point at it); two new
  documents citing each other's keys;
- one running number's keys spelled or unified otherwise with the new rows (unify_keys over the
  saved rows of that number before and after must agree), or a new key moving a symbol's count
  past another symbol's (rule 3 of unify_keys ranks typos by it);
- an external node it cites whose values, level or province would change (not only its counts),
  whose province comes from the documents citing it, a citation that would join another external
  node than before, a citation without a key naming an external document by its title;
- a new document whose province would come from one of several parents whose own province was
  inferred (full inference runs in rounds: which parent it sees first depends on them).

Otherwise the new documents are leaves: their nodes, edges and anomalies are computed with the
same functions build_graph uses (doc_node, external_targets, merge_external, infer), the external
nodes they cite get their counts and votes, the documents they cite their in-degree.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

import networkx as nx

from cascade.graph.anomalies import date_before, dates_before_parents, keys_in, title_conflicts
from cascade.graph.build import (doc_node, external_targets, impossible_anomalies, impossible_citations,
                                 merge_external, running_number, _s)
from cascade.graph.infer import LEVEL_RANK, _set, infer, place_province, symbol_level, title_province
from cascade.graph.resolve import Link, _pick_by_key, _same_symbol, key_parts, norm_key, symbol_counts, unify_keys, year_of
from cascade.models import (EDGE_DEFAULTS, IMPLEMENTS, MENTIONS, NODE_DEFAULTS, NodeId,
                            strongest)
from cascade.store import CITATION_COLUMNS, INDEX_COLUMNS
from cascade.store import graph as saved
from cascade.text import fold

MAX_NEW = 200           # more new documents than this: a rebuild is as quick
CIT = tuple(c for c in CITATION_COLUMNS)
# sources of a province set before inference runs its rounds (header, identification, citations)
_FIXED = ("header", "identified", "user", "citation:")


class Decline(Exception):
    """The change is not one this module applies exactly (the message says why)."""


def update(store) -> bool:
    """Apply the documents added since the graph was saved; False if a rebuild is needed."""
    try:
        with store.transaction():
            _update(store)
        return True
    except Decline as e:
        store.incremental_declined = str(e)
        return False


def _update(store) -> None:
    if not saved.has_stamps(store) or store.graph_version() == 0:
        raise Decline("no saved graph, or one without document stamps")
    added, removed, changed = saved.changed_docs(store)
    if removed or changed:
        raise Decline("documents removed or changed")
    if len(added) > MAX_NEW:
        raise Decline(f"{len(added)} new documents")
    if saved.user_decisions(store):
        raise Decline("overrides or aliases")
    if not added:
        saved.mark_current(store)
        return
    if saved.keyless_docs(store):
        raise Decline("a document without a key (fuzzy identification)")
    rows = saved.doc_rows(store, added, INDEX_COLUMNS)
    new_docs = sorted(rows.values(), key=lambda d: d["sha256"])
    rank = {d["id"]: (d["sha256"], 0) for d in new_docs}
    new_cits = sorted(saved.citations_of_docs(store, added, CIT), key=lambda c: (rank[c["doc_id"]], c["idx"]))
    own = {norm_key(d["key"]): d["id"] for d in new_docs}
    if len(own) != len(new_docs):
        raise Decline("two new documents with one key")
    _check_new_keys(store, own, new_cits)
    eff = _unify(store, new_docs, new_cits)
    _apply(store, new_docs, new_cits, eff, own)


def _check_new_keys(store, own: dict[str, int], new_cits: list[dict]) -> None:
    if saved.nodes_with_key(store, own):
        raise Decline("a new document's key is a saved node's")
    if saved.citation_ids_where(store, "key_norm", own) or saved.citation_ids_where(store, "eff_norm", own):
        raise Decline("a new document's key is cited")
    for c in new_cits:
        nk = norm_key(c["key"])
        if nk in own and own[nk] != c["doc_id"]:
            raise Decline("new documents cite each other")
    for nk in own:
        num = key_parts(nk)[0] if key_parts(nk) else nk
        for _n, title in saved.external_titles_like(store, num):
            if nk in list(keys_in(title))[:1]:
                raise Decline("an external title names a new document")


def _unify(store, new_docs: list[dict], new_cits: list[dict]) -> dict[int, Optional[str]]:
    """Effective keys of the new citations; declines when any saved citation of the same running
    numbers would be unified otherwise, or a symbol count moves past another's."""
    nums = {key_parts(norm_key(d["key"]))[0] for d in new_docs if key_parts(norm_key(d["key"]))}
    nums |= {n for n in map(running_number, new_cits) if n}
    fam_doc_ids: set[int] = set()
    for num in nums:
        fam_doc_ids |= {i for i, _k in saved.doc_nodes_with_number(store, num)}
    fam_docs = list(saved.doc_rows(store, fam_doc_ids, ("key", "date", "sha256", "province")).values())
    fam_cits = saved.citation_rows(store, saved.citation_ids_where(store, "num", nums), CIT)
    # symbol counts before and after the new keys
    before = Counter(saved.symbol_counts(store))
    new_keys = {norm_key(d["key"]) for d in new_docs} | {norm_key(c["key"]) for c in new_cits if c["key"]}
    known = saved.key_counts(store, new_keys)
    after = before + symbol_counts(k for k in new_keys if k not in known)
    for s in after:
        # a symbol no saved key carries reaches only the new keys' running numbers, checked below
        if after[s] != before[s] and before[s]:
            lo, hi = before[s], after[s]
            # only two spellings of one symbol (a typo, a cut-off suffix) are compared by count
            near = [t for t, n in before.items() if t != s and lo <= n <= hi and _same_symbol(s, t)]
            if near and saved.symbols_share_a_number(store, s, near):
                raise Decline(f"symbol {s} now counts as many keys as another")
    keys_old = {c["id"]: c["key"] for c in fam_cits}
    old = unify_keys(fam_docs, fam_cits, keys_old, before)
    keys_new = {**keys_old, **{c["id"]: c["key"] for c in new_cits}}
    new = unify_keys(fam_docs + new_docs, fam_cits + new_cits, keys_new, after)
    for c in fam_cits:
        e_old, e_new = old.get(c["id"]) or c["key"], new.get(c["id"]) or c["key"]
        if (norm_key(e_old) or None) != c["g_eff"]:
            raise Decline("the saved effective keys are not this code's")
        if e_old != e_new:
            raise Decline("a saved citation is unified otherwise")
    out = {c["id"]: c["key"] for c in fam_cits}
    out.update({c["id"]: old.get(c["id"]) or c["key"] for c in fam_cits})
    out.update({c["id"]: new.get(c["id"]) or c["key"] for c in new_cits})
    return out


def _apply(store, new_docs: list[dict], new_cits: list[dict], eff: dict, own: dict) -> None:
    G = nx.DiGraph()
    anomalies: list[dict] = []
    by_id = {d["id"]: d for d in new_docs}
    for d in new_docs:
        a, flags = doc_node(d, None)
        G.add_node(NodeId.doc(d["id"]), **a)
        anomalies += [{"node": NodeId.doc(d["id"]), "label": a["label"], "path": a["path"], "kind": f, "detail": ""}
                      for f in flags]
    # ---- links by key (no identification: the store has no key-less document)
    eff_norms = {norm_key(eff.get(c["id"])) for c in new_cits if eff.get(c["id"])}
    cand_nodes = saved.nodes_with_key(store, eff_norms)
    cand_ids = {doc_id for _n, _k, doc_id in cand_nodes if doc_id is not None and doc_id >= 0}
    cand_rows = saved.doc_rows(store, cand_ids, INDEX_COLUMNS)
    cand_rows.update(by_id)
    index: dict[str, list[int]] = {}
    for _n, k, doc_id in cand_nodes:
        if doc_id in cand_rows:
            index.setdefault(k, []).append(doc_id)
    for nk, i in own.items():
        index.setdefault(nk, []).append(i)
    for k in index:
        index[k].sort(key=lambda i: cand_rows[i]["sha256"])
    links: dict[int, Link] = {}
    for c in new_cits:
        key = eff.get(c["id"])
        if not key:
            if fold_title(c):
                raise Decline("a citation without a key names a document by its title")
            links[c["id"]] = Link(c["id"], None, None, "external", 1.0)
            continue
        cands = [i for i in index.get(norm_key(key), []) if i != c["doc_id"]]
        hit, conf = _pick_by_key(c, cands, cand_rows, {})
        links[c["id"]] = Link(c["id"], hit, key, "key", conf) if hit is not None else \
            Link(c["id"], None, key, "external", 1.0)
    # ---- external nodes: every saved citation of the same effective keys, and the new ones
    ext_keys = {norm_key(links[c["id"]].key) for c in new_cits
                if links[c["id"]].doc_id is None and links[c["id"]].key}
    fam = saved.citation_rows(store, saved.citation_ids_where(store, "eff_norm", ext_keys), CIT)
    fam_docs = saved.doc_rows(store, {c["doc_id"] for c in fam},
                              ("key", "date", "sha256", "path", "province", "issuer", "issuer_parent",
                               "locality", "number", "level", "status", "doc_type", "title", "subject",
                               "issuer_inferred", "symbol"))
    fam_docs.update(by_id)
    for c in fam:
        t = c["target"] or ""
        links[c["id"]] = Link(c["id"], NodeId.doc_id(t) if t.startswith("doc:") else None,
                              eff.get(c["id"]) or c["key"], "key", 1.0)
    rank = {i: d["sha256"] for i, d in fam_docs.items()}
    allc = sorted(fam + [c for c in new_cits], key=lambda c: (rank[c["doc_id"]], c["idx"]))
    own_key = {i: (norm_key(d["key"]), year_of(d["date"])) for i, d in fam_docs.items() if d["key"]}
    created: dict[str, tuple] = {}
    target_of, by_node = external_targets(
        allc, links, own_key, _HeaderProvince(fam_docs), {i: d["locality"] for i, d in fam_docs.items()},
        lambda n, key, number: created.setdefault(n, (key, number)))
    for c in fam:
        if target_of.get(c["id"]) != c["target"]:
            raise Decline("a saved citation would point elsewhere")
    for c in new_cits:
        if c["id"] not in target_of and links[c["id"]].doc_id is not None:
            target_of[c["id"]] = NodeId.doc(links[c["id"]].doc_id)
    new_ids = {c["id"] for c in new_cits}
    touched_ext = {n for n, cs in by_node.items() if any(c["id"] in new_ids for c in cs)}
    saved_nodes = dict(saved.nodes(store, touched_ext | {target_of[c["id"]] for c in new_cits
                                                         if c["id"] in target_of}))
    citing = _Nodes(store, G)       # the citing documents' saved nodes, read when asked
    # ---- dates the citations cannot have
    impossible = impossible_citations(allc, {i: d["date"] or "" for i, d in fam_docs.items()})
    anomalies.extend(impossible_anomalies(G, new_cits, impossible))
    # ---- the external nodes the new documents cite: only their counts may change
    ext_updates, new_ext, drop, disagree_nodes = [], [], [], {}
    for n in sorted(touched_ext):
        cs = by_node[n]
        old_cs = [c for c in cs if c["id"] not in new_ids]
        key, number = created[n]
        fresh = _merged(citing, n, cs, impossible, key, number)
        if old_cs:
            if n not in saved_nodes:
                raise Decline("an external node is not saved")
            prev = _merged(citing, n, old_cs, impossible, saved_nodes[n]["key"], saved_nodes[n]["number"])
            if prev[1] or fresh[1]:
                raise Decline("an external node's province comes from the documents citing it")
            a_old, a_new = prev[0], fresh[0]
            for k in a_new:
                if k not in ("n_citing", "votes") and a_new[k] != a_old[k]:
                    raise Decline(f"an external node's {k} changes")
            drop += prev[2]
            ext_updates.append((n, {"n_citing": a_new["n_citing"], "votes": a_new["votes"]}))
            G.add_node(n, **saved_nodes[n])
            G.nodes[n].update(n_citing=a_new["n_citing"], votes=a_new["votes"])
        else:
            if fresh[1]:
                raise Decline("a new external node's province comes from the documents citing it")
            G.add_node(n, **fresh[0])
            new_ext.append(n)
        for an in fresh[2]:
            disagree_nodes.setdefault(an["node"], set()).add(n)
        anomalies += fresh[2]
    if any(len(v) > 1 for k, v in disagree_nodes.items() if NodeId.doc_id(k) in by_id):
        raise Decline("a new document disagrees with several external nodes")
    for n, a in saved_nodes.items():
        if n not in G:
            G.add_node(n, **a)
    # ---- edges child -> parent
    new_edges = []
    for c in new_cits:
        parent = target_of.get(c["id"])
        child = NodeId.doc(c["doc_id"])
        if parent is None or parent == child:
            continue
        link = links[c["id"]]
        if G.has_edge(child, parent):
            e = G.edges[child, parent]
            e["n_citations"] += 1
            e["relation"] = strongest([e["relation"], c["relation"]])
            continue
        e = dict(EDGE_DEFAULTS)
        e.update(relation=c["relation"] or MENTIONS, text=_s(c["text"])[:500], n_citations=1,
                 method=link.method, confidence=float(link.confidence))
        G.add_edge(child, parent, **e)
        new_edges.append((child, parent))
    # a new external node whose cited title names a known document (and none names it)
    fresh_nodes = {NodeId.doc(d["id"]) for d in new_docs} | set(new_ext)
    for n in new_ext:
        a = G.nodes[n]
        nk = norm_key(a["key"])
        if nk:
            num = key_parts(nk)[0] if key_parts(nk) else nk
            if any(nk in list(keys_in(t))[:1] for _x, t in saved.external_titles_like(store, num)) or \
                    any(nk in list(keys_in(G.nodes[x]["title"]))[:1] for x in new_ext):
                raise Decline("an external title names a new external node")
        if not a["title"]:
            continue
        for k in list(keys_in(a["title"]))[:1]:
            hits = {x for x, _k, _i in saved.nodes_with_key(store, [k])}
            hits |= {x for x in fresh_nodes if norm_key(G.nodes[x]["key"]) == k}
            if not hits:
                continue
            if len(hits) > 1 or hits & fresh_nodes:
                raise Decline("a new external node's title names a node that changes")
            p = hits.pop()
            if p not in G:
                for x, attrs in saved.nodes(store, [p]):
                    G.add_node(x, **attrs)
            if date_before(a["date"], G.nodes[p]["date"]):
                continue
            e = dict(EDGE_DEFAULTS)
            e.update(relation=IMPLEMENTS, text=a["title"][:500], n_citations=0, method="title", inferred=True)
            G.add_edge(n, p, **e)
            new_edges.append((n, p))
    _provinces(G, [NodeId.doc(d["id"]) for d in new_docs] + new_ext, new_docs)
    # ---- lags and date anomalies, quoted titles
    sub = G.edge_subgraph(new_edges).copy() if new_edges else nx.DiGraph()
    for n in sub:
        sub.nodes[n].update(G.nodes[n])
    anomalies += dates_before_parents(sub)
    for u, v in new_edges:
        G.edges[u, v].update(sub.edges[u, v])
    anomalies += title_conflicts(G, new_cits, links)
    # the anomaly kinds on each new node, in the order build_graph lists them; a saved node
    # (a document citing an external node the new ones cite too) must have its kinds already
    for an in anomalies:
        a = citing[an["node"]]
        if an["kind"] not in a["anomalies"]:
            if an["node"] not in fresh_nodes:
                raise Decline("an anomaly of a new kind on a saved node")
            a["anomalies"] = "; ".join(x for x in (a["anomalies"], an["kind"]) if x)
    # ---- write
    saved.add_nodes(store, [(n, norm_key(G.nodes[n]["key"]) or None, norm_key(G.nodes[n]["number"]) or None,
                             G.nodes[n]) for n in [NodeId.doc(d["id"]) for d in new_docs] + new_ext])
    saved.update_nodes(store, ext_updates)
    saved.add_edges(store, [(u, v, G.edges[u, v]) for u, v in new_edges])
    saved.drop_anomalies(store, drop)
    saved.add_anomalies(store, anomalies)
    saved.add_citations(store, [(c["id"], c["doc_id"], target_of.get(c["id"]), norm_key(c["key"]) or None,
                                 norm_key(eff.get(c["id"])) or None, running_number(c)) for c in new_cits])
    spelled = Counter(norm_key(c["key"]) for c in new_cits if c["key"])
    spelled.update(list(own))
    saved.add_keys(store, [(k, *((key_parts(k)[2], key_parts(k)[0]) if key_parts(k) else (None, None)), n)
                           for k, n in spelled.items()])
    saved.refresh_n_citing(store, {v for _u, v in new_edges if v.startswith("doc:")})
    saved.stamp_docs(store, list(by_id))
    saved.mark_current(store)


def fold_title(c: dict) -> str:
    return fold(c["title"] or c["text"] or "")[:120]


class _HeaderProvince(dict):
    """doc id -> the province its header gives (what external_targets scopes a local key by),
    computed when asked: a national key never asks."""

    def __init__(self, rows: dict):
        super().__init__()
        self.rows = rows

    def get(self, i, default=None):
        if i not in self and i in self.rows:
            self[i] = doc_node(self.rows[i], None)[0]["province"]
        return super().get(i, default)


class _Nodes:
    """What merge_external reads of a graph (`.nodes[n]`): the new nodes, else the saved ones,
    read from the store when first asked."""

    def __init__(self, store, G):
        self.store, self.G, self.cache = store, G, {}
        self.nodes = self

    def __getitem__(self, n: str) -> dict:
        if n in self.G:
            return self.G.nodes[n]
        if n not in self.cache:
            self.cache.update(saved.nodes(self.store, [n]))
        return self.cache[n]


def _merged(citing: _Nodes, n: str, cs: list[dict], impossible: dict, key, number) -> tuple[dict, list, list]:
    """An external node's attributes from these citations: (attributes, relative citers, anomalies)."""
    H = nx.DiGraph()
    a = dict(NODE_DEFAULTS)
    a.update(kind="external", key=_s(key), number=_s(number))
    H.add_node(n, **a)

    class _View:
        nodes = _Both(H, citing)
    relative: dict = {}
    out = merge_external(_View, n, cs, impossible, relative)
    infer(H, {})            # its level from its symbol (its province is not inferred: relative declined)
    return dict(H.nodes[n]), relative.get(n, []), out


class _Both:
    def __init__(self, H, citing):
        self.H, self.citing = H, citing

    def __getitem__(self, n):
        return self.H.nodes[n] if n in self.H else self.citing[n]


def _provinces(G, nodes: list[str], new_docs: list[dict]) -> None:
    """Level and province of the new nodes, as infer gives them in the whole graph (declines
    when the order of inference's rounds could matter)."""
    hints = {NodeId.doc(d["id"]): {"place": d["place"], "title": d["title"] or d["subject"]} for d in new_docs}
    for n in nodes:
        a = G.nodes[n]
        if not a["level"] and a["key"]:
            lvl, _name = symbol_level(a["key"])
            _set(a, "level", lvl, "symbol")
    for n in nodes:
        a = G.nodes[n]
        if a["province"] or a["level"] == "central":
            _hint(G, n, hints)
            continue
        cands = []
        for _, p, e in G.out_edges(n, data=True):
            if e["relation"] != IMPLEMENTS:
                continue
            pa = G.nodes[p]
            if pa["province"] and pa["level"] in ("province", "district") and \
                    LEVEL_RANK.get(a["level"] or "", 9) >= LEVEL_RANK[pa["level"]]:
                cands.append(p)
        if not cands:
            _hint(G, n, hints)
            continue
        stage = [_stage(G.nodes[p]["province_source"]) for p in cands]
        if len(cands) > 1 and any(x != 0 for x in stage):
            raise Decline("several parents give a province")
        p = cands[0]
        if stage[0] != 0:
            # the parent's own province came from inference: its round, or the hints, decide
            _hint(G, n, hints)
            if a["province"]:
                if stage[0] == 1:
                    raise Decline("a parent's inferred province against the document's own hints")
                continue
        _set(a, "province", G.nodes[p]["province"], f"parent:{G.nodes[p]['label'] or p}")


def _stage(source: str) -> int:
    if source.startswith(_FIXED):
        return 0
    if source.startswith(("place:", "title")):
        return 2
    return 1


def _hint(G, n: str, hints: dict) -> None:
    a = G.nodes[n]
    if n not in hints or a["province"] or a["level"] not in ("province", "district", "commune"):
        return
    h = hints[n]
    p = place_province(h.get("place"))
    if p:
        _set(a, "province", p, f"place:{h['place']}")
        return
    p = title_province(h.get("title"))
    if p:
        _set(a, "province", p, "title")
