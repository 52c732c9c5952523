"""The cascade graph: documents as nodes, citations as edges child → parent.

    from cascade.store import Store
    from cascade.graph.build import build
    cas = build(Store("cascade.db"))
    cas.tree("57-NQ/TW")            # nested dict, parent → the children implementing it

Nodes: `doc:<id>` for a stored document, `ext:<key>` for a cited document not in the store
(carrying what the citations say about it, merged over every citing document), `ext:~<type>
<title>` for one cited without a number (`Luật Cán bộ, công chức năm 2025`).
Edges: child → parent with `relation` implements/mentions, the first citation's text, how it
was resolved (`method` key/fuzzy/user/external/title) and, when both dates are full, the
response lag in days. A child dated before its parent is an anomaly on the edge. An external
document whose cited title itself names a known document (`… theo tinh thần Nghị quyết số
57-NQ/TW`) gets an inferred `implements` edge to it (method `title`).

Attribute values are scalars and never None, so the graph exports as is (see export.py):
strings use "" for unknown, `doc_id` is -1 for an external node, `identified_confidence` and
edge `confidence` are -1.0 when not applicable, `lag_days` is meaningful only where `has_lag`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Optional

from cascade.graph.infer import LEVEL_RANK, infer
from cascade.graph.resolve import (Identification, canonical_province, issuer_info, issuer_parts,
                                   norm_key, resolve, year_of)
from cascade.text import fold

NODE_DEFAULTS = {
    "kind": "", "in_corpus": False, "label": "", "key": "", "number": "", "doc_type": "",
    "date": "", "issuer": "", "level": "", "level_source": "", "level_inferred": False,
    "province": "", "province_source": "", "province_inferred": False, "title": "", "path": "",
    "doc_id": -1, "status": "", "identified": False, "identified_confidence": -1.0,
    "identified_method": "", "n_citing": 0, "anomalies": "",
}
EDGE_DEFAULTS = {
    "relation": "mentions", "text": "", "n_citations": 0, "method": "", "confidence": -1.0,
    "lag_days": 0, "has_lag": False, "anomaly": "", "inferred": False,
}
LEVELS = ("central", "province", "district", "commune")
_KEYISH = re.compile(r"\d+[-/][0-9A-Za-zĐđ/.\-]*[A-Za-zĐđ][0-9A-Za-zĐđ/.\-]*")


def _s(v) -> str:
    return "" if v is None else str(v)


def parse_iso(d: Optional[str]) -> Optional[Date]:
    if not d or len(d) != 10:
        return None
    try:
        return Date.fromisoformat(d)
    except ValueError:
        return None


def date_before(child: str, parent: str) -> bool:
    """child strictly earlier than parent at the precision both have."""
    if not child or not parent:
        return False
    n = min(len(child), len(parent))
    return child[:n] < parent[:n]


@dataclass
class Cascade:
    graph: object                                   # networkx.DiGraph
    identified: dict[int, Identification] = field(default_factory=dict)
    anomalies: list[dict] = field(default_factory=list)

    # ---------------------------------------------------------------- finding nodes
    def find(self, ref) -> str:
        """Node id for a key (`57-NQ/TW`), a doc id (`12`), a node id or a file path/name.

        Raises LookupError with a one-line message when nothing or several things match.
        """
        G = self.graph
        ref = str(ref).strip()
        if ref in G:
            return ref
        if ref.isdigit() and f"doc:{ref}" in G:
            return f"doc:{ref}"
        nk = norm_key(ref)
        hits = [n for n, a in G.nodes(data=True)
                if (a["key"] and norm_key(a["key"]) == nk) or (a["number"] and norm_key(a["number"]) == nk)]
        if not hits:
            p = Path(ref)
            rp = str(p.resolve()) if p.exists() else None
            hits = [n for n, a in G.nodes(data=True) if a["path"] and (
                a["path"] == rp or Path(a["path"]).name == p.name or a["path"].endswith(ref))]
        if not hits:
            raise LookupError(f"{ref}: no document with that key, id or path")
        if len(hits) > 1:
            labels = ", ".join(f"{h} ({G.nodes[h]['label']})" for h in hits[:6])
            raise LookupError(f"{ref}: ambiguous, matches {labels}; name it by id")
        return hits[0]

    def node(self, n: str) -> dict:
        return {"node": n, **self.graph.nodes[n]}

    # ---------------------------------------------------------------- tree
    def tree(self, ref, relations=("implements",), max_depth: Optional[int] = None) -> dict:
        """Nested dict from `ref` down through the documents that implement it.

        A child reached through a more local intermediate document is shown under that
        document only (57-NQ/TW → 2630/UBND-TH (province) → 432/UBND-VHXXH (commune), not also
        directly under 57-NQ/TW); a node met a second time is marked `repeat` and not expanded.
        """
        root = self.find(ref)
        G = self.graph
        rel = set(relations)
        import networkx as nx
        sub = nx.subgraph_view(G, filter_edge=lambda u, v: G.edges[u, v]["relation"] in rel)
        seen: set[str] = set()

        def hidden(child: str, parent: str) -> bool:
            rc = LEVEL_RANK.get(G.nodes[child]["level"], 9)
            rp = LEVEL_RANK.get(G.nodes[parent]["level"], -1)
            for q in sub.successors(child):
                if q == parent:
                    continue
                rq = LEVEL_RANK.get(G.nodes[q]["level"], None)
                if rq is None or not (rp < rq < rc):
                    continue
                if nx.has_path(sub, q, parent):
                    return True
            return False

        # expand each node where it is nearest the root (57-NQ/TW → 001 directly, not via 386-KH/TU)
        nearest = {root: 0}
        frontier = [root]
        while frontier:
            nxt = []
            for n in frontier:
                for c in sub.predecessors(n):
                    if c not in nearest and not hidden(c, n):
                        nearest[c] = nearest[n] + 1
                        nxt.append(c)
            frontier = nxt

        def walk(n: str, depth: int, edge: Optional[dict], path: tuple) -> dict:
            out = self.node(n)
            out.pop("anomalies", None)
            out["anomalies"] = [a for a in G.nodes[n]["anomalies"].split("; ") if a]
            if edge is not None:
                out["relation"] = edge["relation"]
                out["lag_days"] = edge["lag_days"] if edge["has_lag"] else None
                out["edge_anomaly"] = edge["anomaly"] or None
                out["method"] = edge["method"]
            out["children"] = []
            if n in seen or depth > nearest.get(n, depth):
                out["repeat"] = True
                return out
            seen.add(n)
            if max_depth is not None and depth >= max_depth:
                return out
            kids = [(c, G.edges[c, n]) for c in sub.predecessors(n) if c not in path and not hidden(c, n)]
            kids.sort(key=lambda ce: (LEVEL_RANK.get(G.nodes[ce[0]]["level"], 9), G.nodes[ce[0]]["date"] or "9999",
                                      G.nodes[ce[0]]["label"]))
            for c, e in kids:
                out["children"].append(walk(c, depth + 1, e, path + (n,)))
            return out

        return walk(root, 0, None, ())

    def chain_exists(self, labels: list[str], relations=("implements",)) -> bool:
        """True when each node of `labels` (refs, parent first) implements the one before."""
        nodes = [self.find(x) for x in labels]
        return all(self.graph.has_edge(c, p) and self.graph.edges[c, p]["relation"] in relations
                   for p, c in zip(nodes, nodes[1:]))


# -------------------------------------------------------------------- building
def build(store) -> Cascade:
    """Read the store (index columns and citation rows only) and build the cascade graph."""
    import networkx as nx

    docs = store.docs(ok_only=True)
    cits = store.citations()
    ok_ids = {d["id"] for d in docs}
    cits = [c for c in cits if c["doc_id"] in ok_ids]
    task_cache: dict[int, list[str]] = {}

    def tasks_of(doc_id: int) -> list[str]:
        if doc_id not in task_cache:
            rec = store.record(doc_id)
            task_cache[doc_id] = [t.text for t in rec.tasks if t.text] if rec else []
        return task_cache[doc_id]

    res = resolve(docs, cits, store.overrides(), store.aliases(), tasks_of)
    G = nx.DiGraph()
    anomalies: list[dict] = []

    # ---- stored documents
    for d in docs:
        n = f"doc:{d['id']}"
        a = dict(NODE_DEFAULTS)
        a.update(kind="doc", in_corpus=True, doc_id=d["id"], path=_s(d["path"]), status=_s(d["status"]),
                 key=_s(d["key"]), number=_s(d["number"]), doc_type=_s(d["doc_type"]), date=_s(d["date"]),
                 issuer=_s(d["issuer"]), title=_s(d["title"] or d["subject"]))
        if d["level"]:
            a["level"], a["level_source"] = d["level"], "header"
        prov = d["province"]
        if not prov and d["issuer"]:
            _lvl, prov = issuer_info(d["issuer"])
            if not prov and d.get("issuer_parent"):
                _lvl, prov = issuer_info(d["issuer_parent"])
        if prov:
            a["province"], a["province_source"] = canonical_province(prov), "header"
        ident = res.identified.get(d["id"])
        if ident is not None:
            src = "identified" if ident.method != "user" else "user"
            a["identified"] = True
            a["identified_confidence"] = float(ident.confidence)
            a["identified_method"] = ident.method
            a["key"] = a["key"] or _s(ident.key)
            a["number"] = a["number"] or _s(ident.number)
            if not a["date"] and ident.date:
                a["date"] = ident.date
            if ident.issuer and (not a["issuer"] or d["issuer_inferred"]):
                a["issuer"] = ident.issuer     # what the citation says beats a guess from the body
            if not a["level"] and ident.level:
                a["level"], a["level_source"], a["level_inferred"] = ident.level, src, True
            if not a["province"] and ident.province:
                a["province"], a["province_source"], a["province_inferred"] = ident.province, src, True
        a["label"] = a["number"] or a["key"] or Path(a["path"]).name
        flags = _record_flags(d)
        if flags:
            a["anomalies"] = "; ".join(flags)
            for f in flags:
                anomalies.append({"node": n, "label": a["label"], "path": a["path"], "kind": f, "detail": ""})
        G.add_node(n, **a)

    # ---- external documents, merged over every citing document
    relative: dict[str, list[str]] = {}
    by_node_cits: dict[str, list[dict]] = {}
    target_of: dict[int, str] = {}
    # A national key names one document. A local key (12/UBND-VP) names one per province and
    # year: its external node is scoped by the issuer's province (else the citing document's)
    # and the year; a citation without a year joins the one node of that key if there is one.
    ext_index: dict[tuple, str] = {}
    header_prov = {d["id"]: G.nodes[f"doc:{d['id']}"]["province"] for d in docs}
    header_loc = {d["id"]: d["locality"] for d in docs}
    pending: list[tuple[dict, str, tuple]] = []
    pending_titles: list[tuple[dict, str, str]] = []

    def add_ext(c: dict, n: str, ident: tuple, key: Optional[str]) -> None:
        ext_index[ident] = n
        if n not in G:
            a = dict(NODE_DEFAULTS)
            a.update(kind="external", key=_s(key), number=_s(c["number"]))
            G.add_node(n, **a)

    for c in cits:
        link = res.links[c["id"]]
        if link.doc_id is not None:
            target_of[c["id"]] = f"doc:{link.doc_id}"
            continue
        key = link.key
        if key:
            nk = norm_key(key)
            if c["national"] or _is_national(key):
                ident = (nk, "", "")
                n = ext_index.get(ident) or f"ext:{key}"
            else:
                lvl, prov, loc = issuer_parts(c["issuer"])
                if not prov and lvl != "central":
                    prov = header_prov.get(c["doc_id"]) or ""
                if lvl in ("district", "commune"):
                    # a district's or commune's number: that unit's (the citing one's if unnamed)
                    loc = loc or header_loc.get(c["doc_id"]) or ""
                    prov = f"{prov}/{fold(loc)}" if loc else prov
                year = c["year"] or year_of(c["date"])
                if not year:
                    pending.append((c, key, (nk, prov or "")))
                    continue
                ident = (nk, prov or "", str(year))
                n = ext_index.get(ident) or f"ext:{key}@{prov or '?'}:{year}"
        else:
            title = fold(c["title"] or c["text"] or "")[:120]
            if not title:
                continue
            # an un-numbered law is one per date: Luật Tổ chức chính quyền địa phương of
            # 19/02/2025 ≠ of 16/06/2025; cited with a year only, it joins the one of that year
            when = c["date"] if c["date"] and len(c["date"]) == 10 else ""
            year = str(c["year"] or year_of(c["date"]) or "")
            if not when:
                pending_titles.append((c, title, year))
                continue
            ident = ("~", c["type"] or "", title, when)
            n = f"ext:~{c['type'] or ''} {title} {when}"
        add_ext(c, n, ident, key)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for c, title, year in pending_titles:
        same = sorted({v for k, v in ext_index.items() if k[0] == "~" and k[1] == (c["type"] or "")
                       and k[2] == title and year and k[3].startswith(year)})
        if len(same) == 1:
            n = same[0]
        else:
            n = f"ext:~{c['type'] or ''} {title}" + (f" {year}" if year else "")
            add_ext(c, n, ("~", c["type"] or "", title, year), None)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for c, key, (nk, prov) in pending:
        same = sorted({v for k, v in ext_index.items() if k[0] == nk and len(k) == 3
                       and (not prov or not k[1] or k[1] == prov)})
        n = same[0] if len(same) == 1 else f"ext:{key}@{prov or '?'}:?"
        add_ext(c, n, (nk, prov, ""), key)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for n, cs in by_node_cits.items():
        a = G.nodes[n]
        # the date most citations give, the most precise first, then the earliest: deterministic
        counts: dict[str, int] = {}
        for c in cs:
            if c["date"]:
                counts[c["date"]] = counts.get(c["date"], 0) + 1
        dates = sorted(counts, key=lambda d: (-len(d), -counts[d], d))
        for c in cs:
            for f_node, f_cit in (("doc_type", "type"), ("issuer", "issuer"), ("title", "title"),
                                  ("number", "number")):
                if not a[f_node] and c[f_cit]:
                    a[f_node] = c[f_cit]
        if dates:
            a["date"] = dates[0]
            full = {d for d in dates if len(d) == 10}
            if len(full) > 1:
                anomalies.append({"node": n, "label": a["number"] or a["key"] or a["title"][:80], "path": "",
                                  "kind": "cited with different dates",
                                  "detail": ", ".join(sorted(full))})
        a["n_citing"] = len({c["doc_id"] for c in cs})
        a["label"] = a["number"] or a["key"] or (f"{a['doc_type']} {a['title']}".strip())[:80]
        for c in cs:
            lvl, prov = issuer_info(c["issuer"])
            if lvl and not a["level"]:
                a["level"], a["level_source"], a["level_inferred"] = lvl, "citation", True
            if prov and not a["province"]:
                citing = G.nodes["doc:%d" % c["doc_id"]]["label"]
                a["province"], a["province_source"], a["province_inferred"] = \
                    canonical_province(prov), f"citation:{citing}", True
            if lvl in ("province", "district", "commune") and not prov:
                relative.setdefault(n, []).append(f"doc:{c['doc_id']}")

    # ---- edges child -> parent
    for c in cits:
        parent = target_of.get(c["id"])
        child = f"doc:{c['doc_id']}"
        if parent is None or parent == child:
            continue
        link = res.links[c["id"]]
        if G.has_edge(child, parent):
            e = G.edges[child, parent]
            e["n_citations"] += 1
            if c["relation"] == "implements":
                e["relation"] = "implements"
            continue
        e = dict(EDGE_DEFAULTS)
        e.update(relation=c["relation"] or "mentions", text=_s(c["text"])[:500], n_citations=1,
                 method=link.method, confidence=float(link.confidence))
        G.add_edge(child, parent, **e)
    for n in G:
        if G.nodes[n]["kind"] == "doc":
            G.nodes[n]["n_citing"] = G.in_degree(n)

    # ---- an external document's cited title naming another known document
    _title_edges(G)

    # ---- provinces and levels
    infer(G, relative, {f"doc:{d['id']}": {"place": d["place"], "title": d["title"] or d["subject"]} for d in docs})

    # ---- lags and date anomalies
    for child, parent, e in G.edges(data=True):
        cd, pd = G.nodes[child]["date"], G.nodes[parent]["date"]
        dc, dp = parse_iso(cd), parse_iso(pd)
        if dc and dp:
            e["lag_days"], e["has_lag"] = (dc - dp).days, True
        if date_before(cd, pd) and e["relation"] == "implements":
            e["anomaly"] = "dated before its parent"
            anomalies.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                              "kind": "dated before its parent",
                              "detail": f"{cd} < {G.nodes[parent]['label']} {pd}"})

    # ---- a cited title quoting a different number than the document it names
    anomalies.extend(_title_conflicts(G, cits, res))
    for an in anomalies:
        a = G.nodes[an["node"]]
        if an["kind"] not in a["anomalies"]:
            a["anomalies"] = "; ".join(x for x in (a["anomalies"], an["kind"]) if x)
    return Cascade(graph=G, identified=res.identified, anomalies=anomalies)


def _is_national(key: Optional[str]) -> bool:
    try:
        from cascade.parse.citations import is_national
    except ImportError:
        return False
    return is_national(key)


def _record_flags(d: dict) -> list[str]:
    """What an inspector should see about a document's own header."""
    flags = []
    if not d["number"] and not d["date"] and (not d["issuer"] or d.get("issuer_inferred")):
        flags.append("no number, no date, no issuer header")
    else:
        if not d["number"] and d["symbol"]:
            flags.append("number left blank")
        if d["date"] and len(d["date"]) == 7:
            flags.append("day left blank")
    return flags


def _keys_in(text: str) -> dict[str, str]:
    """Key-like tokens of a text: comparable form -> as written."""
    out = {}
    for m in _KEYISH.finditer(text or ""):
        k = m.group(0).rstrip(".-/")
        out.setdefault(norm_key(k), k)
    return out


def _title_edges(G) -> None:
    """External node whose cited title names a known document → inferred implements edge."""
    by_key = {norm_key(a["key"]): n for n, a in G.nodes(data=True) if a["key"]}
    for n, a in list(G.nodes(data=True)):
        if a["kind"] != "external" or not a["title"]:
            continue
        # only the first number: "thực hiện Nghị quyết 93/NQ-CP … ban hành Kế hoạch thực hiện
        # Kết luận 132-KL/TW …" is carried out under 93/NQ-CP; 132-KL/TW is 93/NQ-CP's parent
        for k in list(_keys_in(a["title"]))[:1]:
            p = by_key.get(k)
            if p is None or p == n or G.has_edge(n, p):
                continue
            if date_before(a["date"], G.nodes[p]["date"]):
                continue   # a title run on into the next sentence names a later document
            e = dict(EDGE_DEFAULTS)
            e.update(relation="implements", text=a["title"][:500], n_citations=0, method="title",
                     inferred=True)
            G.add_edge(n, p, **e)


def _title_conflicts(G, cits: list[dict], res) -> list[dict]:
    """A citation whose quoted title carries another number than the title of the document it
    resolved to (seed 000 quotes 03/CT-UBND's title with 52-NQ/TW where 001 says 57-NQ/TW)."""
    out = []
    for c in cits:
        link = res.links.get(c["id"])
        if link is None or link.doc_id is None or not c["title"]:
            continue
        target = G.nodes.get(f"doc:{link.doc_id}")
        if target is None or not target["title"]:
            continue
        quoted, actual = _keys_in(c["title"]), _keys_in(target["title"])
        for q in sorted(quoted.keys() - actual.keys()):
            tail = q.split("-", 1)[-1] if "-" in q and "/" in q.split("-", 1)[-1] else q.split("/", 1)[-1]
            same_family = [actual[x] for x in actual.keys() - quoted.keys() if x.endswith(tail)]
            if same_family:
                child = f"doc:{c['doc_id']}"
                out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                            "kind": "citation number conflicts with cited title",
                            "detail": f"{quoted[q]} is quoted in the title of {target['label']}, "
                                      f"whose own title has {', '.join(same_family)}"})
    return out


# -------------------------------------------------------------------- listings for the CLI
def doc_rows(store, cas: Optional[Cascade] = None, level=None, province=None, doc_type=None, since=None,
             until=None, failed: Optional[bool] = None) -> list[dict]:
    """Stored documents with what the graph adds (identified key, inferred province/level).

    Reads the saved graph's document nodes (refreshed first if stale) unless `cas` is given.
    Filters compare folded text (`--province "quang ninh"` finds Quảng Ninh); since/until compare
    ISO dates at the precision the document has.
    """
    from cascade.models import FAILED_STATUSES
    if cas is not None:
        attrs = {n: a for n, a in cas.graph.nodes(data=True) if a["kind"] == "doc"}
    else:
        current(store)
        attrs = dict(_node_row(r) for r in store.db.execute("SELECT * FROM graph_nodes WHERE kind = 'doc'"))
    out = []
    prov_f = fold(canonical_province(province) or "") if province else None
    for d in store.docs():
        n = f"doc:{d['id']}"
        a = attrs.get(n)
        row = {
            "id": d["id"], "node": n if a else None, "path": d["path"], "format": d["format"],
            "status": d["status"], "error": d["error"],
            "doc_type": d["doc_type"], "number": d["number"],
            "key": (a["key"] if a else d["key"]) or None,
            "identified": bool(a and a["identified"]),
            "identified_number": (a["number"] or None) if a and a["identified"] else None,
            "identified_confidence": a["identified_confidence"] if a and a["identified"] else None,
            "date": (a["date"] if a else d["date"]) or None,
            "level": (a["level"] if a else d["level"]) or None,
            "level_inferred": bool(a and a["level_inferred"]),
            "province": (a["province"] if a else d["province"]) or None,
            "province_inferred": bool(a and a["province_inferred"]),
            "province_source": (a["province_source"] if a else "") or None,
            "issuer": (a["issuer"] if a else d["issuer"]) or None,
            "title": d["title"] or d["subject"],
            "n_citations": d["n_citations"], "n_tasks": d["n_tasks"],
            "anomalies": [x for x in (a["anomalies"] if a else "").split("; ") if x],
        }
        if failed is not None and (d["status"] in FAILED_STATUSES) != failed:
            continue
        if level and row["level"] != level:
            continue
        if prov_f is not None and fold(row["province"] or "") != prov_f:
            continue
        if doc_type and fold(row["doc_type"] or "") != fold(doc_type):
            continue
        if since and (not row["date"] or row["date"] < since[:len(row["date"])]):
            continue
        if until and (not row["date"] or row["date"][:len(until)] > until):
            continue
        out.append(row)
    return out


def show_info(store, cas: Cascade, node: str) -> dict:
    """Everything `cascade show` prints about one node."""
    G = cas.graph
    a = dict(G.nodes[node])
    info = {"node": node, **a, "anomalies": [x for x in a["anomalies"].split("; ") if x]}
    info["anomaly_details"] = [x for x in cas.anomalies if x["node"] == node]
    if a["kind"] == "doc":
        doc_id = a["doc_id"]
        d = store.doc(doc_id)
        info["files"] = store.files_of(doc_id)
        info["subject"] = d["subject"]
        info["error"] = d["error"]
        ident = cas.identified.get(doc_id)
        info["identification"] = ident.to_dict() if ident else None
        rec = store.record(doc_id)
        info["tasks"] = [{"path": t.path, "text": t.text[:200]} for t in rec.tasks] if rec else []
        info["signer"] = rec.signer.name if rec else None
    info["cites"] = [{"node": p, "label": G.nodes[p]["label"], "in_corpus": G.nodes[p]["in_corpus"],
                      **{k: e[k] for k in ("relation", "method", "confidence", "text", "anomaly")},
                      "lag_days": e["lag_days"] if e["has_lag"] else None}
                     for _, p, e in G.out_edges(node, data=True)]
    info["cited_by"] = [{"node": c, "label": G.nodes[c]["label"], "date": G.nodes[c]["date"],
                         "level": G.nodes[c]["level"], "province": G.nodes[c]["province"],
                         **{k: e[k] for k in ("relation", "method", "text", "anomaly")},
                         "lag_days": e["lag_days"] if e["has_lag"] else None}
                        for c, _, e in G.in_edges(node, data=True)]
    return info


# -------------------------------------------------------------------- the saved graph
# build() reads the whole store; at a national scale that is seconds, so its result is saved
# (store tables graph_*) whenever the data changed, and the commands read from there: `tree`
# reads the root's descendants through the parent index, `show` one node and its edges.
_NODE_COLS = tuple(NODE_DEFAULTS)
_EDGE_COLS = tuple(EDGE_DEFAULTS)
_BOOL_NODE = {k for k, v in NODE_DEFAULTS.items() if isinstance(v, bool)}
_BOOL_EDGE = {k for k, v in EDGE_DEFAULTS.items() if isinstance(v, bool)}


def save(store, cas: Cascade) -> None:
    """Replace the saved graph with `cas`, in one transaction, and mark it current."""
    import json as _json
    G = cas.graph
    db = store.db
    with store.transaction():
        version = store.data_version()
        for t in ("graph_nodes", "graph_edges", "graph_identified", "graph_anomalies"):
            db.execute(f"DELETE FROM {t}")
        db.executemany(
            f"INSERT INTO graph_nodes (node, key_norm, number_norm, {', '.join(_NODE_COLS)}) "
            f"VALUES ({', '.join('?' * (len(_NODE_COLS) + 3))})",
            [[n, norm_key(a["key"]) or None, norm_key(a["number"]) or None] + [a[c] for c in _NODE_COLS]
             for n, a in G.nodes(data=True)])
        db.executemany(
            f"INSERT INTO graph_edges (child, parent, {', '.join(_EDGE_COLS)}) "
            f"VALUES ({', '.join('?' * (len(_EDGE_COLS) + 2))})",
            [[u, v] + [a[c] for c in _EDGE_COLS] for u, v, a in G.edges(data=True)])
        db.executemany("INSERT INTO graph_identified (doc_id, data) VALUES (?, ?)",
                       [(i, _json.dumps(x.to_dict(), ensure_ascii=False)) for i, x in cas.identified.items()])
        db.executemany("INSERT INTO graph_anomalies (node, data) VALUES (?, ?)",
                       [(a["node"], _json.dumps(a, ensure_ascii=False)) for a in cas.anomalies])
        db.execute("UPDATE meta SET value = ? WHERE key = 'graph_version'", (version,))


def current(store) -> Optional[Cascade]:
    """Rebuild and save the graph if the data changed since it was saved; return the new one
    (None when the saved graph is current)."""
    if store.graph_version() == store.data_version():
        return None
    cas = build(store)
    save(store, cas)
    return cas


def _node_row(r) -> tuple[str, dict]:
    a = {c: r[c] for c in _NODE_COLS}
    for c in _BOOL_NODE:
        a[c] = bool(a[c])
    for c, v in NODE_DEFAULTS.items():
        if a[c] is None:
            a[c] = v
    return r["node"], a


def _edge_row(r) -> tuple[str, str, dict]:
    a = {c: r[c] for c in _EDGE_COLS}
    for c in _BOOL_EDGE:
        a[c] = bool(a[c])
    return r["child"], r["parent"], a


def _chunks(items: list, n: int = 900):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _saved(store, nodes: Optional[set] = None, edges_of: Optional[set] = None) -> Cascade:
    """A Cascade over the saved graph: everything, or the given nodes and the edges among them."""
    import json as _json

    import networkx as nx
    db = store.db
    G = nx.DiGraph()
    if nodes is None:
        for r in db.execute("SELECT * FROM graph_nodes ORDER BY rowid"):
            n, a = _node_row(r)
            G.add_node(n, **a)
        for r in db.execute("SELECT * FROM graph_edges ORDER BY rowid"):
            u, v, a = _edge_row(r)
            G.add_edge(u, v, **a)
        ident_rows = db.execute("SELECT data FROM graph_identified").fetchall()
        anom_rows = db.execute("SELECT data FROM graph_anomalies ORDER BY rowid").fetchall()
    else:
        ids = sorted(nodes)
        for part in _chunks(ids):
            q = ",".join("?" * len(part))
            for r in db.execute(f"SELECT * FROM graph_nodes WHERE node IN ({q}) ORDER BY rowid", part):
                n, a = _node_row(r)
                G.add_node(n, **a)
        for part in _chunks(sorted(edges_of if edges_of is not None else nodes)):
            q = ",".join("?" * len(part))
            for r in db.execute(f"SELECT * FROM graph_edges WHERE child IN ({q}) ORDER BY rowid", part):
                if r["parent"] in G:
                    u, v, a = _edge_row(r)
                    G.add_edge(u, v, **a)
        doc_ids = [G.nodes[n]["doc_id"] for n in G if G.nodes[n]["doc_id"] >= 0]
        ident_rows, anom_rows = [], []
        for part in _chunks(doc_ids):
            ident_rows += db.execute(f"SELECT data FROM graph_identified WHERE doc_id IN ({','.join('?' * len(part))})",
                                     part).fetchall()
        for part in _chunks(ids):
            anom_rows += db.execute(f"SELECT data FROM graph_anomalies WHERE node IN ({','.join('?' * len(part))}) "
                                    "ORDER BY rowid", part).fetchall()
    identified = {}
    for (data,) in ident_rows:
        d = _json.loads(data)
        identified[d["doc_id"]] = Identification(**d)
    return Cascade(graph=G, identified=identified, anomalies=[_json.loads(d) for (d,) in anom_rows])


def identifications(store) -> dict[int, Identification]:
    """Every identification of the current graph (refreshed first if stale), by doc id."""
    import json as _json
    current(store)
    out = {}
    for (data,) in store.db.execute("SELECT data FROM graph_identified ORDER BY doc_id"):
        d = _json.loads(data)
        out[d["doc_id"]] = Identification(**d)
    return out


def load(store) -> Cascade:
    """The whole cascade graph: rebuilt if stale, else read back from the store."""
    return current(store) or _saved(store)


def find_saved(store, ref) -> str:
    """Node id for a key, doc id, node id or file path/name, from the saved graph's indexes."""
    db = store.db
    ref = str(ref).strip()
    if db.execute("SELECT 1 FROM graph_nodes WHERE node = ?", (ref,)).fetchone():
        return ref
    if ref.isdigit():
        r = db.execute("SELECT node FROM graph_nodes WHERE doc_id = ?", (int(ref),)).fetchone()
        if r:
            return r[0]
        d = store.doc(int(ref))
        if d is not None:
            raise LookupError(f"{ref}: document {d['id']} was not parsed ({d['status']}: {d['error']})")
    nk = norm_key(ref)
    hits = [r[0] for r in db.execute("SELECT node FROM graph_nodes WHERE key_norm = ? UNION "
                                     "SELECT node FROM graph_nodes WHERE number_norm = ?", (nk, nk))]
    if not hits:
        p = Path(ref)
        doc_id = store.doc_id_for_path(p) if p.exists() else None
        if doc_id is None:
            like = "%/" + p.name.replace("%", "").replace("_", "\\_")
            rows = db.execute("SELECT DISTINCT doc_id FROM files WHERE path LIKE ? ESCAPE '\\'", (like,)).fetchall()
            if len(rows) == 1:
                doc_id = rows[0][0]
            elif len(rows) > 1:
                hits = [f"doc:{r[0]}" for r in rows]
        if doc_id is not None:
            hits = [f"doc:{doc_id}"]
    if len(hits) == 1 and hits[0].startswith("doc:") and not db.execute(
            "SELECT 1 FROM graph_nodes WHERE node = ?", (hits[0],)).fetchone():
        d = store.doc(int(hits[0][4:]))
        if d is not None:
            raise LookupError(f"{ref}: document {d['id']} was not parsed ({d['status']}: {d['error']})")
        hits = []
    if not hits:
        raise LookupError(f"{ref}: no document with that key, id or path")
    if len(hits) > 1:
        rows = {r[0]: r[1] for r in db.execute(
            f"SELECT node, label FROM graph_nodes WHERE node IN ({','.join('?' * len(hits))})", hits)}
        labels = ", ".join(f"{h} ({rows.get(h, '')})" for h in sorted(hits)[:6])
        raise LookupError(f"{ref}: ambiguous, matches {labels}; name it by id")
    return hits[0]


def around(store, ref, relations=("implements",), below: bool = True) -> tuple[Cascade, str]:
    """A small Cascade holding what `tree`/`show` need, and the node `ref` names.

    below=True: the node, everything below it through `relations`, and the edges among them
    (a tree never needs more). below=False: the node and its direct neighbours.
    """
    fresh = current(store)
    if fresh is not None:
        return fresh, fresh.find(ref)
    root = find_saved(store, ref)
    db = store.db
    if not below:
        nb = {root}
        nb |= {r[0] for r in db.execute("SELECT parent FROM graph_edges WHERE child = ?", (root,))}
        nb |= {r[0] for r in db.execute("SELECT child FROM graph_edges WHERE parent = ?", (root,))}
        cas = _saved(store, nb, edges_of=nb)
        return cas, root
    rel = list(relations)
    seen = {root}
    frontier = [root]
    while frontier:
        nxt = []
        for part in _chunks(frontier, 500):
            q = ",".join("?" * len(part))
            for (child,) in db.execute(
                    f"SELECT child FROM graph_edges WHERE parent IN ({q}) AND relation IN "
                    f"({','.join('?' * len(rel))})", part + rel):
                if child not in seen:
                    seen.add(child)
                    nxt.append(child)
        frontier = nxt
    return _saved(store, seen), root
