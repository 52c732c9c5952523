"""One library function per CLI command: what each store command computes, as plain data.

The CLI parses options, calls one function here and renders what it returns. User errors raise
QueryError, LookupError, StoreError or ExportError with a one-line message. `cascade parse` calls
`cascade.parse.parse_files` (it needs no store, graph or alignment: importing them costs ~1 s).
"""
from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Optional, Sequence

from cascade.graph.cascade import Cascade
from cascade.graph.export import FORMATS, ExportError, canonical
from cascade.graph.export import export as write_graph
from cascade.graph.resolve import canonical_province
from cascade.graph.saved import around, current, find_saved, identifications, load
from cascade.graph.versions import groups as version_groups
from cascade.models import FAILED_STATUSES, IMPLEMENTS, MENTIONS, RELATIONS, RESPONDS, NodeId, Record
from cascade.i18n import _, level_name
from cascade.registry import LEVELS, level_forms, level_named
from cascade.store import Store
from cascade.store import graph as saved_graph
from cascade.text import fold


def _later(module: str, name: str):
    """module.name, imported on the first call: alignment and flagging (numpy, the similarity
    models: ~0.3 s) load only for the commands that align, not for `tree`, `show` or `docs`."""
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)
    call.__name__ = call.__qualname__ = name
    return call


align_below = _later("cascade.align", "align_below")
align_all = _later("cascade.align", "align_all")
align_records = _later("cascade.align", "align_records")
coverage_matrix = _later("cascade.flag", "coverage_matrix")
one_per_act = _later("cascade.flag", "one_per_act")
find_flags = _later("cascade.flag", "flag")
parse_file = _later("cascade.parse.pipeline", "parse_file")     # the parser: only `show` of a file reads one
reviewed = _later("cascade.flag", "reviewed")


def __getattr__(name: str):
    """`queries.Finding` and `queries.Alignment` (the types these functions return), imported when asked for."""
    if name in ("Finding", "Alignment"):
        return getattr(importlib.import_module("cascade.flag" if name == "Finding" else "cascade.align"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["QueryError", "open_store", "check_store", "doc_rows", "show_info", "tree", "export", "identify",
           "identification_rows", "alias", "diff", "coverage", "coverage_rollup", "flag", "dismiss", "report_model", "align",
           "ExportError", "FORMATS", "Finding"]


class QueryError(Exception):
    """A request the data cannot answer; the message is one line for the user."""

    def __init__(self, message: str, usage: bool = False):
        super().__init__(message)
        self.usage = usage          # the command was asked wrongly (exit 2), not a data problem


def open_store(db) -> Store:
    """An existing store (StoreError if there is none); close it, or use it in a `with`."""
    return Store(db, create=False)


def check_store(db) -> list[str]:
    """`cascade check`: the store's integrity_check problems ([] when it is whole)."""
    with Store(db, create=False, check=False) as store:
        try:
            return store.integrity()
        except sqlite3.DatabaseError as e:
            return [f"integrity_check stopped: {e}"]


def relations(mentions: bool) -> tuple[str, ...]:
    return (IMPLEMENTS, MENTIONS) if mentions else (IMPLEMENTS,)


# ---------------------------------------------------------------------------- options people type
def level_arg(value: Optional[str]) -> Optional[str]:
    """The level a user's word names (`tỉnh`, `tinh`, `province`, `TW`, `xã`, `phường` …, from
    data/levels.tsv); QueryError (usage) listing the accepted words for anything else."""
    if value is None:
        return None
    level = level_named(value)
    if level is None:
        allowed = "; ".join(f"{level_name(lv)}: {', '.join(level_forms()[lv])}" for lv in LEVELS)
        raise QueryError(_("unknown level {value!r}; accepted: {allowed}").format(value=value, allowed=allowed),
                         usage=True)
    return level


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_VN_DATE = re.compile(r"(?:(\d{1,2})[/.])?(\d{1,2})[/.](\d{4})")


def date_arg(value: Optional[str], option: str) -> Optional[str]:
    """A date as people type it → ISO at the precision given: 2025, 2025-03, 2025-03-18,
    18/3/2025 (day/month/year, the Vietnamese order), 3/2025. QueryError (usage) otherwise."""
    if value is None:
        return None
    v = value.strip()
    m = _ISO_DATE.fullmatch(v)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None and (m := _VN_DATE.fullmatch(v)):
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is not None:
        y, mo, d = parts
        try:
            Date(int(y), int(mo or 1), int(d or 1))
        except ValueError:
            parts = None
    if parts is None:
        raise QueryError(_("{option} {value!r} is not a date; write for example 2025, 2025-03, 2025-03-18 "
                           "or 18/3/2025").format(option=option, value=value), usage=True)
    y, mo, d = parts
    return y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")


# ---------------------------------------------------------------------------- docs, show, tree
def doc_rows(store, cas: Optional[Cascade] = None, level=None, province=None, doc_type=None, since=None,
             until=None, failed: Optional[bool] = None) -> list[dict]:
    """Stored documents with what the graph adds (identified key, inferred province/level).

    Reads the saved graph's document nodes (refreshed first if stale) unless `cas` is given.
    Filters compare folded text (`--province "quang ninh"` finds Quảng Ninh); since/until compare
    ISO dates at the precision the document has. A level or date the user typed is read by
    level_arg / date_arg (QueryError, usage, when it names nothing).
    """
    level = level_arg(level)
    since, until = date_arg(since, "--since"), date_arg(until, "--until")
    if cas is not None:
        attrs = {n: a for n, a in cas.graph.nodes(data=True) if a["kind"] == "doc"}
    else:
        current(store)
        attrs = saved_graph.doc_nodes(store)
    out = []
    prov_f = fold(canonical_province(province) or "") if province else None
    for d in store.docs():
        n = NodeId.doc(d["id"])
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


def show_info(store, ref) -> dict:
    """Everything `cascade show` prints about the node `ref` names."""
    cas, node = around(store, ref, below=False)
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


def tree(store, ref, mentions: bool = False, depth: Optional[int] = None,
         follow: Sequence[str] = (), cited_by: bool = False) -> dict:
    """The cascade below `ref` as a nested dict (see Cascade.tree): through `implements` edges, or
    through the relations in `follow` (`basis`, `guides` … on purpose; `responds` is never
    followed), with the citers in other relations counted (listed with `cited_by`)."""
    rel = _followed(follow, mentions)
    cas, node = around(store, ref, rel, context=True, light=True)
    return fold_versions(cas.tree(node, relations=rel, max_depth=depth, cited_by=cited_by), cas.graph)


def _followed(follow: Sequence[str], mentions: bool) -> tuple[str, ...]:
    """The relations a tree (or a subtree's export) follows down: `follow`, else implements (and
    mentions); QueryError for one it never follows (`responds` points up, to the request)."""
    rel = tuple(follow) or relations(mentions)
    bad = [r for r in rel if r not in RELATIONS or r == RESPONDS]
    if bad:
        raise QueryError(f"--relation {bad[0]}: not a relation a tree follows "
                         f"(one of {', '.join(r for r in RELATIONS if r != RESPONDS)})", usage=True)
    return rel


def fold_versions(tree: dict, G) -> dict:
    """Siblings that are versions of one act (cascade.graph.versions: the draft beside the copy sent)
    become one child, its most final version, with the others' labels under `versions` and their
    own children added to its own: one node per document."""
    kids = tree.get("children") or []
    if len(kids) > 1:
        rep = version_groups((k["node"], G.nodes[k["node"]]) for k in kids if k["node"] in G)
        by_node = {k["node"]: k for k in kids}
        kept = []
        for k in kids:
            r = rep.get(k["node"], k["node"])
            if r == k["node"] or r not in by_node:
                kept.append(k)
                continue
            head = by_node[r]
            head.setdefault("versions", []).append(k["label"] or k["node"])
            head["children"] = head.get("children", []) + [c for c in k.get("children", [])
                                                           if c["node"] not in {x["node"] for x in head["children"]}]
        tree["children"] = kept
    for k in tree.get("children") or []:
        fold_versions(k, G)
    return tree


# ---------------------------------------------------------------------------- export
def export(store, fmt: str, out, force: bool = False, root=None, follow: Sequence[str] = (),
           mentions: bool = False) -> tuple[list[Path], int, int]:
    """Write the whole graph — or, given `root`, the cascade below it (the documents `tree` shows,
    through the same relations, and the edges among them) — documents named by content
    (`canonical`); returns (files written, nodes, edges). A subtree reads only its own rows: what a
    national store (millions of documents, a whole graph of gigabytes) can still export."""
    if fmt not in FORMATS:
        raise QueryError(_("unknown format {value!r}; choose one of {allowed}").format(value=fmt, allowed=", ".join(FORMATS)), usage=True)
    if root is None:
        G = load(store).graph
        shas = {d["id"]: d["sha256"] for d in store.docs()}
    else:
        G = around(store, root, _followed(follow, mentions))[0].graph
        ids = [a["doc_id"] for _n, a in G.nodes(data=True) if a.get("doc_id", -1) >= 0]
        shas = {i: r["sha256"] for i, r in saved_graph.doc_rows(store, ids, ("sha256",)).items()}
    G = canonical(G, shas)
    return write_graph(G, fmt, out, force=force), G.number_of_nodes(), G.number_of_edges()


# ---------------------------------------------------------------------------- identify, alias
def stored_doc_id(store, ref) -> int:
    """The id of the stored document `ref` names (QueryError when it is only cited)."""
    node = find_saved(store, ref)
    doc_id = NodeId.doc_id(node)
    if doc_id is None:
        raise QueryError(_("{ref}: not a stored document (it is only cited)").format(ref=ref))
    return doc_id


def identification_rows(store) -> list[dict]:
    """Every identification, automatic and confirmed, with the document's path."""
    return [i.to_dict() | {"path": store.doc(i.doc_id)["path"]} for i in identifications(store).values()]


@dataclass
class Decision:
    doc_id: int
    action: str                      # "cleared", "rejected" or "set"
    key: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    cleared: int = 0


def identify(store, ref, key: Optional[str] = None, date: Optional[str] = None, issuer: Optional[str] = None,
             province: Optional[str] = None, reject: bool = False, clear: bool = False) -> Decision:
    """Confirm (no key: what was identified automatically), set, reject or clear what a stored
    document is; kept in the store's overrides across re-ingests."""
    identified = identifications(store)
    doc_id = stored_doc_id(store, ref)
    if clear:
        return Decision(doc_id, "cleared", cleared=store.clear_override(doc_id))
    if reject:
        store.set_override(doc_id, None, rejected=True, note="rejected with cascade identify --reject")
        return Decision(doc_id, "rejected")
    if not key:
        ident = identified.get(doc_id)
        if ident is None:
            raise QueryError(_("{ref}: give the number it is (nothing was identified automatically)").format(ref=ref), usage=True)
        key = ident.key
        date = date or ident.date
        issuer = issuer or ident.issuer
        province = province or ident.province
    store.set_override(doc_id, key, date=date, issuer=issuer, province=province,
                       note="confirmed with cascade identify")
    return Decision(doc_id, "set", key=key, date=date, issuer=issuer)


def alias(store, from_key: str, to_key: str, doc: Optional[str] = None) -> Optional[int]:
    """Citations of `from_key` mean `to_key` (everywhere, or in the document `doc` names);
    returns that document's id."""
    doc_id = None
    if doc is not None:
        doc_id = stored_doc_id(store, doc)
    store.set_alias(from_key, to_key, doc_id)
    return doc_id


# ---------------------------------------------------------------------------- diff, coverage, flag
def record_of(ref: str, db) -> tuple[Record, str]:
    """A document's Record and label from a file path (parsed now) or a store reference."""
    p = Path(ref)
    if p.is_file():
        rec = parse_file(p)
        if not rec.ok:
            raise QueryError(f"{p}: {rec.error or rec.status}")
        return rec, rec.number or p.name
    if not Path(db).exists():
        raise QueryError(_("{ref}: no such file, and no store at {db} to look it up in").format(ref=ref, db=db))
    with open_store(db) as store:
        cas, node = around(store, ref, below=False)
        doc_id = cas.graph.nodes[node]["doc_id"]
        if doc_id < 0:
            raise QueryError(_("{ref}: cited but not in the store; ingest it first").format(ref=ref))
        rec = store.record(doc_id)
    if rec is None or not rec.ok:
        raise QueryError(_("{ref}: stored document {doc} has no text that could be read").format(ref=ref, doc=doc_id))
    return rec, cas.graph.nodes[node]["label"]


@dataclass
class Diff:
    alignment: Alignment
    parent: Record
    child: Record


def diff(parent: str, child: str, db, indirect: bool = False, level: str = "leaf") -> Diff:
    """Align the duties of two documents (files or store references); only the parent's items of
    kind `task` are compared (coverage None when it has none)."""
    if level not in ("leaf", "top"):
        raise QueryError(_("unknown --level {value!r}; choose leaf or top").format(value=level), usage=True)
    prec, plabel = record_of(parent, db)
    crec, clabel = record_of(child, db)
    # a parent without duties is not an error: its coverage is n/a, as `cascade coverage` says
    al = align_records(prec, crec, indirect, level=level)     # what the child's record says, as flag
    al.parent_doc, al.child_doc = plabel, clabel
    return Diff(al, prec, crec)


@dataclass
class Coverage:
    alignments: list[Alignment]
    details: list[Diff]                        # with_details only: each alignment with its records
    task_texts: dict = None                    # with_texts only: (parent label, task path) → task text

    def matrix(self) -> tuple[list[str], list[list[str]]]:
        return coverage_matrix(self.alignments)


def coverage(store, parent: str, mentions: bool = False, with_details: bool = False,
             with_texts: bool = False) -> Coverage:
    """How much of `parent`'s tasks reach each stored document below it; `with_texts`: the text
    of every parent task in the matrix too (for a spreadsheet a person reads)."""
    alignments = one_act_each(store, align_below(store, parent, relations(mentions)))
    details = []
    if with_details:
        for al in alignments:
            prec = store.record(NodeId.doc_id(al.parent_node))
            crec = store.record(NodeId.doc_id(al.child_node))
            details.append(Diff(al, prec, crec))
    texts = {}
    if with_texts:
        for node, label in {al.parent_node: al.parent_doc for al in alignments}.items():
            rec = store.record(NodeId.doc_id(node)) if NodeId.doc_id(node) is not None else None
            for t in (rec.tasks if rec else []):
                texts[(label, t.path)] = t.text
    return Coverage(alignments, details, texts)


def align(store, refs: Sequence[str] = (), mentions: bool = False, workers: Optional[int] = None,
          cluster: Optional[str] = None, on_event=None):
    """Align and save every pair below `refs` (default: the top of every cascade) ahead of the
    queries (cascade.align.align_all), on `workers` local processes or on the Dask cluster at
    `cluster` (cascade.cluster: raises ClusterError when it cannot be used). Returns an AlignRun."""
    if cluster is None:
        return align_all(store, list(refs), relations(mentions), workers=workers, on_event=on_event)
    from cascade.cluster import DaskPool
    with DaskPool(cluster) as pool:
        return align_all(store, list(refs), relations(mentions), pool=pool, on_event=on_event)


def one_act_each(store, alignments: list) -> list:
    """`alignments` with each act counted once: a superseded version (a draft beside the copy sent,
    cascade.graph.versions) is left out where its act's most final version is aligned with the same
    parent (coverage and its roll-ups count documents, not files)."""
    children = {al.child_node for al in alignments if al.child_node}
    if len(children) < 2:
        return alignments
    return one_per_act(dict(saved_graph.nodes(store, children)), alignments)[0]


def flag(store, refs=None) -> tuple[list[Finding], list[Finding]]:
    """The inspector's findings below `refs` (default: every root), most severe first: (those
    still open, those an inspector dismissed with `cascade dismiss`)."""
    return reviewed(find_flags(store, refs), store.dismissed())


@dataclass
class Dismissal:
    action: str                  # "dismissed" | "restored"
    findings: list[dict]         # what was dismissed (to_dict), or the dismissals forgotten


def dismiss(store, ids: Sequence[str], note: str = "", undo: bool = False) -> Dismissal:
    """Dismiss findings of `cascade flag` by id (or an unambiguous start of one, at least 4
    characters), or with `undo` forget their dismissal. Raises QueryError naming an id that
    matches no finding (or no dismissal), or more than one."""
    if undo:
        known = store.dismissed()
        picked = [_one_id(i, list(known), _("dismissed findings")) for i in ids]
        store.undismiss(picked)
        return Dismissal("restored", [{"id": i, **{k: known[i][k] for k in ("kind", "document", "parent", "task")}}
                                      for i in picked])
    found = {f.id: f for f in find_flags(store, None)}
    picked = [found[_one_id(i, list(found), _("findings"))].to_dict() for i in ids]
    store.dismiss(picked, note)
    return Dismissal("dismissed", picked)


def _one_id(given: str, ids: list[str], what: str) -> str:
    given = given.strip().lower()
    hits = [i for i in ids if i == given] or ([i for i in ids if i.startswith(given)] if len(given) >= 4 else [])
    if len(hits) != 1:
        raise QueryError((_("no {what} with id {id!r} (see cascade flag)") if not hits
                          else _("{id!r} is the start of {n} ids; give more of it")).format(
            what=what, id=given, n=len(hits)))
    return hits[0]


# ---------------------------------------------------------------------------- coverage roll-up, report
ROLLUP_BY = ("level", "province")


def _pairs_and_texts(store, alignments) -> tuple[list, dict]:
    """What cascade.report.report_model.rollup reads: each alignment's (parent task, child task, kind)
    triples, and the text of every parent task."""
    pairs, texts, tasks = [], {}, {}
    for al in alignments:
        pairs.append((al.parent_node, al.child_node,
                      [(p.parent, p.child, p.kind) for p in al.pairs if p.parent is not None]))
        if al.parent_node not in tasks:
            rec = store.record(NodeId.doc_id(al.parent_node))
            tasks[al.parent_node] = {t.path: t.text for t in (rec.tasks if rec else ())}
        for p in al.pairs:
            if p.parent is not None:
                texts[(al.parent_node, p.parent)] = tasks[al.parent_node].get(p.parent, "")
    return pairs, texts


def _level_columns(G, pairs) -> list[str]:
    from cascade.report.report_model import LEVEL_ORDER
    return [lv for lv in LEVEL_ORDER if lv and any(G.nodes[c]["level"] == lv for _, c, _ in pairs)]


def coverage_rollup(store, parent: str, by: str = "level", mentions: bool = False):
    """`parent`'s tasks (and those of every stored document below it that others answer) × the
    levels or provinces of the documents that answer them: how many carry each task (a Heatmap)."""
    from cascade.report.report_model import rollup
    if by not in ROLLUP_BY:
        raise QueryError(_("unknown --by {value!r}; choose {allowed}").format(value=by, allowed=" or ".join(ROLLUP_BY)), usage=True)
    alignments = one_act_each(store, align_below(store, parent, relations(mentions)))
    G = load(store).graph
    pairs, texts = _pairs_and_texts(store, alignments)
    column = {c: G.nodes[c][by] for _, c, _ in pairs}
    hm = rollup(pairs, column, texts, by, _level_columns(G, pairs) if by == "level" else None)
    hm.labels = {p: G.nodes[p]["label"] for p, _, _ in hm.rows}
    return hm


def _cascade_nodes(G, root: Optional[str]) -> set[str]:
    """The root and every node that implements it, down the chain (edges run child → parent);
    root None: every stored document and every cited one that something implements."""
    if root is None:
        return {n for n in G.nodes if G.nodes[n]["in_corpus"]} | {
            v for _, v, a in G.edges(data=True) if a["relation"] == IMPLEMENTS}
    import networkx as nx
    sub = nx.subgraph_view(G, filter_edge=lambda u, v: G.edges[u, v]["relation"] == IMPLEMENTS)
    return {root} | nx.ancestors(sub, root)


def report_model(store, ref: Optional[str] = None, with_views: bool = True):
    """Everything `cascade report` shows (a cascade.report.report_model.ReportModel) for the
    document `ref` and every document implementing it down the levels; `ref=None`: the whole store.

    Each stored document is aligned with its nearest stored ancestor (align_below); the roll-ups
    count, per parent task, the documents of each level, province and commune that carry it;
    findings are the graph's anomalies and the dropped/weakened tasks; `never_answered` are stored
    documents above commune level with tasks that no stored document below implements.
    """
    import networkx as nx

    from cascade.flag import from_alignments, from_anomalies, roots
    from cascade.report import html_view
    from cascade.report.report_model import (LEVEL_ORDER, DiffRow, NodeDiff, ReportEdge, ReportFinding,
                                             ReportModel, ReportNode, rollup)

    cas, root = (load(store), None) if ref is None else around(store, ref, (IMPLEMENTS,))
    G = cas.graph
    keep = _cascade_nodes(G, root)
    A = G.nodes
    order = sorted(keep, key=lambda n: (LEVEL_ORDER.index(A[n]["level"]) if A[n]["level"] in LEVEL_ORDER else 9,
                                        A[n]["province"], A[n]["date"], A[n]["label"]))
    stored = {A[n]["doc_id"]: n for n in order if A[n]["in_corpus"] and A[n]["doc_id"] >= 0}
    records = {stored[i]: r for i, r in store.records(stored, with_text=with_views).items()}

    alignments, seen = [], set()
    for top in ([root] if root is not None else sorted(roots(G))):
        for al in align_below(store, top, (IMPLEMENTS,)):
            if (al.parent_node, al.child_node) not in seen:
                seen.add((al.parent_node, al.child_node))
                alignments.append(al)
    coverage: dict[str, float] = {}
    for al in alignments:
        coverage.setdefault(al.child_node, al.coverage)

    nodes = [ReportNode(id=n, label=A[n]["label"], level=A[n]["level"], province=A[n]["province"],
                        key=A[n]["number"] or A[n]["key"], doc_type=A[n]["doc_type"], date=A[n]["date"],
                        issuer=A[n]["issuer"], title=A[n]["title"], path=A[n]["path"],
                        in_store=bool(A[n]["in_corpus"]), coverage=coverage.get(n),
                        flags=[f for f in A[n]["anomalies"].split("; ") if f])
             for n in order]
    edges = [ReportEdge(child=u, parent=v, relation=a["relation"], lag_days=a["lag_days"] if a["has_lag"] else None)
             for u, v, a in G.edges(data=True) if u in keep and v in keep and a["relation"] == IMPLEMENTS]

    def task_text(node, path):
        rec = records.get(node)
        return next((t.text for t in (rec.tasks if rec else ()) if t.path == path), "")

    diffs = {}
    for al in alignments:
        rows = [DiffRow(p.kind, p.parent, task_text(al.parent_node, p.parent) if p.parent else "",
                        p.child, task_text(al.child_node, p.child) if p.child else "", list(p.weakened))
                for p in al.pairs]
        diffs.setdefault(al.child_node, NodeDiff(al.child_node, al.parent_node, al.coverage, al.indirect, rows))
    flagged, anomalies = one_per_act(dict(G.nodes(data=True)), alignments, cas.anomalies)  # as `flag` lists them
    pairs, texts = _pairs_and_texts(store, flagged)          # the heatmaps count an act once, not its drafts

    def commune(n):
        rec = records.get(n)
        if A[n]["level"] != "commune" or rec is None:
            return ""
        name = rec.issuer.locality or A[n]["issuer"]
        return f"{name} ({A[n]['province']})" if A[n]["province"] else name

    heatmaps = [rollup(pairs, {n: A[n]["level"] for n in keep}, texts, "level", _level_columns(G, pairs)),
                rollup(pairs, {n: A[n]["province"] for n in keep}, texts, "province"),
                rollup(pairs, {n: commune(n) for n in keep}, texts, "commune")]

    gone = set(store.dismissed())                            # an inspector's dismissals hold here too
    findings = [ReportFinding(f.severity, a["node"], f.document, f.kind, f.task, f.evidence)
                for a, f in zip(anomalies, from_anomalies(anomalies)) if a["node"] in keep and f.id not in gone]
    for al in flagged:
        findings += [ReportFinding(f.severity, al.child_node, f.document, f.kind, f.task, f.evidence)
                     for f in from_alignments([al], {al.child_node: A[al.child_node]}) if f.id not in gone]

    sub = nx.subgraph_view(G, filter_edge=lambda u, v: G.edges[u, v]["relation"] == IMPLEMENTS)
    never = [n for n in order if n in records and records[n].tasks and A[n]["level"] != "commune"
             and not any(m in records for m in nx.ancestors(sub, n))]
    views = {n: html_view.fragment(r) for n, r in records.items() if r.text} if with_views else {}
    from datetime import date
    return ReportModel(root=root, root_label=A[root]["label"] if root else "", nodes=nodes, edges=edges,
                       diffs=diffs, heatmaps=heatmaps, findings=findings, never_answered=never, views=views,
                       generated=date.today().isoformat())
