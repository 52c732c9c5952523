"""Building the cascade graph: store rows in (documents, citations, overrides, aliases), a Cascade out.

Documents are nodes, citations edges child → parent.

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

from collections import Counter
from datetime import date as Date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import networkx as nx

from cascade.graph.anomalies import date_before, dates_before_parents, keys_in, record_flags, title_conflicts
from cascade.graph.cascade import Cascade
from cascade.graph.infer import infer
from cascade.graph.resolve import (canonical_province, issuer_info, issuer_parts, key_parts, norm_key, resolve,
                                   year_of)
from cascade.models import (EDGE_DEFAULTS, IMPLEMENTS, KIND_CITED_DATES_DIFFER, KIND_CITED_ISSUER_DIFFERS,
                            KIND_IMPOSSIBLE_CITED_DATE, MENTIONS, NODE_DEFAULTS, NodeId, strongest)
from cascade.parse.citations import is_national
from cascade.registry import parse_issuer_phrase
from cascade.text import fold


def _s(v) -> str:
    return "" if v is None else str(v)


# -------------------------------------------------------------------- building
def build(store) -> Cascade:
    """Read the store (index columns and citation rows only) and build the cascade graph.

    Documents are taken in content order (sha256), citations in their document's content order
    then their own: every "first" and every tie below is decided by content, never by ids or the
    order files were parsed in, so the same folder gives the same graph however it was ingested."""
    docs = sorted(store.docs(ok_only=True), key=lambda d: d["sha256"])
    rank = {d["id"]: i for i, d in enumerate(docs)}
    cits = sorted((c for c in store.citations() if c["doc_id"] in rank), key=lambda c: (rank[c["doc_id"]], c["idx"]))
    task_cache: dict[int, list[str]] = {}

    def tasks_of(doc_id: int) -> list[str]:
        if doc_id not in task_cache:
            rec = store.record(doc_id)
            task_cache[doc_id] = [t.text for t in rec.tasks if t.text] if rec else []
        return task_cache[doc_id]

    return build_graph(docs, cits, store.overrides(), store.aliases(), tasks_of)


def build_graph(docs: list[dict], cits: list[dict], overrides: dict, aliases: list[dict],
                tasks_of: Callable[[int], list[str]]) -> Cascade:
    """The cascade graph from store rows: documents (index columns of the parsed ones), their
    citations, the user's overrides and aliases, and the tasks of a document when asked."""
    res = resolve(docs, cits, overrides, aliases, tasks_of)
    G = nx.DiGraph()
    anomalies: list[dict] = []

    # ---- stored documents
    for d in docs:
        n = NodeId.doc(d["id"])
        a, flags = doc_node(d, res.identified.get(d["id"]))
        for f in flags:
            anomalies.append({"node": n, "label": a["label"], "path": a["path"], "kind": f, "detail": ""})
        G.add_node(n, **a)

    # ---- external documents, merged over every citing document
    relative: dict[str, list[str]] = {}
    header_prov = {d["id"]: G.nodes[NodeId.doc(d["id"])]["province"] for d in docs}
    header_loc = {d["id"]: d["locality"] for d in docs}
    own_key = {d["id"]: (norm_key(d["key"]), year_of(d["date"])) for d in docs if d["key"]}

    def add_ext(n: str, key: Optional[str], number) -> None:
        if n not in G:
            a = dict(NODE_DEFAULTS)
            a.update(kind="external", key=_s(key), number=_s(number))
            G.add_node(n, **a)

    target_of, by_node_cits = external_targets(cits, res.links, own_key, header_prov, header_loc, add_ext)
    impossible = impossible_citations(cits, {d["id"]: d["date"] or "" for d in docs})
    anomalies.extend(impossible_anomalies(G, cits, impossible))
    for n, cs in by_node_cits.items():
        anomalies.extend(merge_external(G, n, cs, impossible, relative))

    # ---- edges child -> parent
    for c in cits:
        parent = target_of.get(c["id"])
        child = NodeId.doc(c["doc_id"])
        if parent is None or parent == child:
            continue
        link = res.links[c["id"]]
        if G.has_edge(child, parent):
            e = G.edges[child, parent]
            e["n_citations"] += 1
            e["relation"] = strongest([e["relation"], c["relation"]])
            continue
        e = dict(EDGE_DEFAULTS)
        e.update(relation=c["relation"] or MENTIONS, text=_s(c["text"])[:500], n_citations=1,
                 method=link.method, confidence=float(link.confidence))
        G.add_edge(child, parent, **e)
    for n in G:
        if G.nodes[n]["kind"] == "doc":
            G.nodes[n]["n_citing"] = G.in_degree(n)

    # ---- an external document's cited title naming another known document
    _title_edges(G)

    # ---- provinces and levels
    infer(G, relative, {NodeId.doc(d["id"]): {"place": d["place"], "title": d["title"] or d["subject"]} for d in docs})

    # ---- lags and date anomalies
    anomalies.extend(dates_before_parents(G))

    # ---- a cited title quoting a different number than the document it names
    anomalies.extend(title_conflicts(G, cits, res.links))
    for an in anomalies:
        a = G.nodes[an["node"]]
        if an["kind"] not in a["anomalies"]:
            a["anomalies"] = "; ".join(x for x in (a["anomalies"], an["kind"]) if x)
    index = [(c["id"], c["doc_id"], target_of.get(c["id"]), norm_key(c["key"]) or None,
              norm_key(res.effective_key.get(c["id"])) or None, running_number(c)) for c in cits]
    return Cascade(graph=G, identified=res.identified, anomalies=anomalies, citation_nodes=target_of,
                   citation_index=index)


def running_number(c: dict) -> Optional[str]:
    """A citation's running number (`126` of 126/2024/NĐ-CP; the number column when no key)."""
    parts = key_parts(c["key"])
    if parts:
        return parts[0]
    num = (c["number"] or "").lstrip("0")
    return num if num.isdigit() else None


def doc_node(d: dict, ident) -> tuple[dict, list[str]]:
    """A stored document's node attributes (from its index columns and its identification, if
    any) and the header anomalies (record_flags) of the document."""
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
    flags = record_flags(d)
    if flags:
        a["anomalies"] = "; ".join(flags)
    return a, flags


def external_targets(cits: list[dict], links: dict, own_key: dict, header_prov: dict, header_loc: dict,
                     add_ext: Callable[[str, Optional[str], Optional[str]], None]) -> tuple[dict, dict]:
    """Where each citation points: (citation id -> node, external node -> its citations in order).

    cits in content order; links: resolve's Link by citation id; own_key: doc id -> (norm key,
    year) of its own key; header_prov / header_loc: doc id -> its header's province / locality;
    add_ext(node, key, number) creates an external node the first time it is named.
    A national key names one document. A local key (12/UBND-VP) names one per province and
    year: its external node is scoped by the issuer's province (else the citing document's)
    and the year; a citation without a year joins the one node of that key if there is one."""
    by_node_cits: dict[str, list[dict]] = {}
    target_of: dict[int, str] = {}
    ext_index: dict[tuple, str] = {}
    pending: list[tuple[dict, str, tuple]] = []
    pending_titles: list[tuple[dict, str, str]] = []
    pending_national: list[tuple[dict, str]] = []

    def add(c: dict, n: str, ident: tuple, key: Optional[str]) -> None:
        ext_index[ident] = n
        add_ext(n, key, c["number"])

    for c in cits:
        link = links[c["id"]]
        if link.doc_id is not None:
            target_of[c["id"]] = NodeId.doc(link.doc_id)
            continue
        key = link.key
        if key and _cites_itself(c, key, own_key.get(c["doc_id"])):
            target_of[c["id"]] = NodeId.doc(c["doc_id"])      # its own number, quoted in an annex
            continue
        if key:
            nk = norm_key(key)
            if c["national"] or is_national(key):
                if _numbered_yearly(key):
                    # a state body numbers per year: 02/NQ-CP of 2025 is not 02/NQ-CP of 2026
                    year = c["year"] or year_of(c["date"])
                    if not year:
                        pending_national.append((c, key))
                        continue
                    ident = (nk, "", str(year))
                    n = ext_index.get(ident) or NodeId.external(f"{key}@{year}")
                else:
                    ident = (nk, "", "")
                    n = ext_index.get(ident) or NodeId.external(key)
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
                n = ext_index.get(ident) or NodeId.external(f"{key}@{prov or '?'}:{year}")
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
            n = NodeId.external(f"~{c['type'] or ''} {title} {when}")
        add(c, n, ident, key)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for c, title, year in pending_titles:
        same = sorted({v for k, v in ext_index.items() if k[0] == "~" and k[1] == (c["type"] or "")
                       and k[2] == title and year and k[3].startswith(year)})
        if len(same) == 1:
            n = same[0]
        else:
            n = NodeId.external(f"~{c['type'] or ''} {title}" + (f" {year}" if year else ""))
            add(c, n, ("~", c["type"] or "", title, year), None)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for c, key in pending_national:
        nk = norm_key(key)
        same = sorted({v for k, v in ext_index.items() if k[0] == nk and k[1] == ""})
        n = same[0] if len(same) == 1 else NodeId.external(key)
        add(c, n, (nk, "", ""), key)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    for c, key, (nk, prov) in pending:
        same = sorted({v for k, v in ext_index.items() if k[0] == nk and len(k) == 3
                       and (not prov or not k[1] or k[1] == prov)})
        n = same[0] if len(same) == 1 else NodeId.external(f"{key}@{prov or '?'}:?")
        add(c, n, (nk, prov, ""), key)
        target_of[c["id"]] = n
        by_node_cits.setdefault(n, []).append(c)
    return target_of, by_node_cits


def impossible_citations(cits: list[dict], citing_date: dict[int, str]) -> dict[int, str]:
    """Citation id → why its date cannot be (after the citing document's, or far in the future)."""
    return {c["id"]: why for c in cits
            for why in [impossible_date(c["date"], citing_date.get(c["doc_id"], ""))] if why}


def impossible_anomalies(G, cits: list[dict], impossible: dict[int, str]) -> list[dict]:
    """The anomaly on the citing document of each of `cits` whose date is impossible."""
    out = []
    for c in cits:
        if c["id"] in impossible:
            child = NodeId.doc(c["doc_id"])
            out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                        "kind": KIND_IMPOSSIBLE_CITED_DATE,
                        "detail": f"{c['number'] or c['key'] or (c['title'] or '')[:60]} cited as dated "
                                  f"{c['date']}: {impossible[c['id']]}"})
    return out


def merge_external(G, n: str, cs: list[dict], impossible: dict, relative: dict) -> list[dict]:
    """Set an external node's attributes from its citations `cs` (content order): what they agree
    on, with the votes behind it, its level and province; the citing documents' nodes must be in G.
    Adds to `relative` (node -> citing doc nodes) and returns the disagreement anomalies."""
    a = G.nodes[n]
    # what the citations agree on: each value with the count behind it; a tie goes by content
    votes = {}
    for f_node, f_cit in (("doc_type", "type"), ("issuer", "issuer"), ("title", "title"), ("number", "number")):
        best, count = _majority([c[f_cit] for c in cs])
        if best:
            a[f_node] = best
            votes[f_node] = count
    best, count = _majority([c["date"] for c in cs if c["id"] not in impossible and c["date"]
                             and len(c["date"]) == 10])
    if not best:
        best, count = _majority([c["date"] for c in cs if c["id"] not in impossible and c["date"]])
    if best:
        a["date"] = best
        votes["date"] = count
    a["votes"] = "; ".join(f"{f} {k}/{len(cs)}" for f, k in votes.items())
    a["n_citing"] = len({c["doc_id"] for c in cs})
    a["label"] = a["number"] or a["key"] or (f"{a['doc_type']} {a['title']}".strip())[:80]
    out = _disagreements(G, n, cs, impossible)
    # level and province from the citations whose issuer agrees with the one most give (a
    # misread issuer must not place a decree of the Government in a province), by majority
    agree = [(c, *issuer_info(c["issuer"])) for c in cs if _agrees(c["issuer"], a["issuer"])]
    lvl, _k = _majority([x[1] for x in agree])
    if lvl and not a["level"]:
        a["level"], a["level_source"], a["level_inferred"] = lvl, "citation", True
    prov, _k = _majority([canonical_province(x[2]) for x in agree if x[2]])
    if prov and not a["province"]:
        citing = min(G.nodes[NodeId.doc(c["doc_id"])]["label"] for c, _l, p in agree
                     if p and canonical_province(p) == prov)
        a["province"], a["province_source"], a["province_inferred"] = prov, f"citation:{citing}", True
    for c, c_lvl, c_prov in agree:
        if c_lvl in ("province", "district", "commune") and not c_prov:
            relative.setdefault(n, []).append(NodeId.doc(c["doc_id"]))
    return out


def _cites_itself(c: dict, key: str, own: Optional[tuple]) -> bool:
    """The citing document's own number (its annex: `Kèm theo Quyết định số 779 /QĐ-UBND …`), the
    year not contradicting its own."""
    if own is None or norm_key(key) != own[0]:
        return False
    year = c["year"] or year_of(c["date"])
    return not (year and own[1] and year != own[1])


def _numbered_yearly(key: str) -> bool:
    """A state document's number written without its year (`126/NĐ-CP`): numbers restart each
    year. Party numbers (`57-NQ/TW`) run over a term and are unique without one."""
    parts = key_parts(key)
    return bool(parts) and parts[1] is None and norm_key(key)[len(parts[0])] == "/"


FUTURE_YEARS = 1        # a cited date more than this many years after today is a typo (`năm 2055`)


def impossible_date(cited: Optional[str], citing: str, today: Optional[str] = None) -> str:
    """Why a cited date cannot be the cited document's, or "": after the citing document's own
    date (at the precision both have), or far in the future."""
    if not cited:
        return ""
    today = today or Date.today().isoformat()
    if int(cited[:4]) > int(today[:4]) + FUTURE_YEARS:
        return "in the future"
    if citing and date_before(citing, cited):
        return f"after the citing document ({citing})"
    return ""


def _majority(values: list) -> tuple[Optional[str], int]:
    """The value most citations give and how many give it; spellings that fold alike count
    together (the most common spelling shown); a tie goes to the longer, then the first in sort
    order, so the result never depends on the order documents were read in."""
    groups: dict[str, Counter] = {}
    for v in values:
        if v:
            groups.setdefault(fold(str(v)), Counter())[v] += 1
    if not groups:
        return None, 0
    best = min(groups, key=lambda k: (-sum(groups[k].values()), -len(k), k))
    spelling = min(groups[best], key=lambda v: (-groups[best][v], v))
    return spelling, sum(groups[best].values())


_issuer_phrase = lru_cache(maxsize=65536)(parse_issuer_phrase)   # the same few issuers, cited again and again


def _agrees(issuer: Optional[str], majority: str) -> bool:
    """A citation's issuer agrees with the majority's when either is unknown, one contains the
    other (`Chính phủ` / `Thủ tướng Chính phủ`), or the registry reads both as the same kind of
    body without naming two places (`UBND tỉnh` / `Ủy ban nhân dân tỉnh Lâm Đồng`)."""
    mine, theirs = fold(issuer or ""), fold(majority or "")
    if not mine or not theirs or mine in theirs or theirs in mine:
        return True
    a, b = _issuer_phrase(issuer), _issuer_phrase(majority)
    if a is None or b is None or not a.unit or a.unit != b.unit:
        return False
    return all(x is None or y is None or fold(x) == fold(y)
               for x, y in ((a.province, b.province), (a.locality, b.locality)))


def _disagreements(G, n: str, cs: list[dict], impossible: dict) -> list[dict]:
    """Citations of an external document whose date or issuer is not what most citations say
    (an issuer that contains the other, `Chính phủ` / `Thủ tướng Chính phủ`, agrees); each is an
    anomaly on the citing document."""
    a = G.nodes[n]
    out = []
    for c in cs:
        child = NodeId.doc(c["doc_id"])
        label = a["label"] or a["number"] or a["key"] or a["title"][:60]
        if c["date"] and len(c["date"]) == 10 and len(a["date"]) == 10 and c["date"] != a["date"] \
                and c["id"] not in impossible:
            out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                        "kind": KIND_CITED_DATES_DIFFER,
                        "detail": f"{label} cited as dated {c['date']}; the citations agree on {a['date']} "
                                  f"({a['votes']})"})
        if not _agrees(c["issuer"], a["issuer"]):
            out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                        "kind": KIND_CITED_ISSUER_DIFFERS,
                        "detail": f"{label} cited as issued by {c['issuer']}; the citations agree on "
                                  f"{a['issuer']} ({a['votes']})"})
    return out


def _title_edges(G) -> None:
    """External node whose cited title names a known document → inferred implements edge."""
    by_key = {norm_key(a["key"]): n for n, a in G.nodes(data=True) if a["key"]}
    for n, a in list(G.nodes(data=True)):
        if a["kind"] != "external" or not a["title"]:
            continue
        # only the first number: "thực hiện Nghị quyết 93/NQ-CP … ban hành Kế hoạch thực hiện
        # Kết luận 132-KL/TW …" is carried out under 93/NQ-CP; 132-KL/TW is 93/NQ-CP's parent
        for k in list(keys_in(a["title"]))[:1]:
            p = by_key.get(k)
            if p is None or p == n or G.has_edge(n, p):
                continue
            if date_before(a["date"], G.nodes[p]["date"]):
                continue   # a title run on into the next sentence names a later document
            e = dict(EDGE_DEFAULTS)
            e.update(relation=IMPLEMENTS, text=a["title"][:500], n_citations=0, method="title",
                     inferred=True)
            G.add_edge(n, p, **e)


