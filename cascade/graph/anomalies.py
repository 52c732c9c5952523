"""Anomalies of the graph: what an inspector should see about a document's header and its links.

Each is a dict {node, label, path, kind, detail}; `kind` is one of the cascade.models.KIND_* constants.
"""
from __future__ import annotations

import re
from datetime import date as Date
from typing import Optional

from cascade.graph.resolve import norm_key
from cascade.models import (IMPLEMENTS, KIND_DATED_BEFORE_PARENT, KIND_DAY_BLANK, KIND_NO_HEADER,
                            KIND_NUMBER_BLANK, KIND_TITLE_CONFLICT, NodeId)

_KEYISH = re.compile(r"\d+[-/][0-9A-Za-zĐđ/.\-]*[A-Za-zĐđ][0-9A-Za-zĐđ/.\-]*")


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


def record_flags(d: dict) -> list[str]:
    """What an inspector should see about a document's own header."""
    flags = []
    if not d["number"] and not d["date"] and (not d["issuer"] or d.get("issuer_inferred")):
        flags.append(KIND_NO_HEADER)
    else:
        if not d["number"] and d["symbol"]:
            flags.append(KIND_NUMBER_BLANK)
        if d["date"] and len(d["date"]) == 7:
            flags.append(KIND_DAY_BLANK)
    return flags


def keys_in(text: str) -> dict[str, str]:
    """Key-like tokens of a text: comparable form -> as written."""
    out = {}
    for m in _KEYISH.finditer(text or ""):
        k = m.group(0).rstrip(".-/")
        out.setdefault(norm_key(k), k)
    return out


def dates_before_parents(G) -> list[dict]:
    """Set each edge's response lag (days, when both dates are full) and mark an implementing
    child dated before its parent; returns those anomalies."""
    out = []
    for child, parent, e in G.edges(data=True):
        cd, pd = G.nodes[child]["date"], G.nodes[parent]["date"]
        dc, dp = parse_iso(cd), parse_iso(pd)
        if dc and dp:
            e["lag_days"], e["has_lag"] = (dc - dp).days, True
        if date_before(cd, pd) and e["relation"] == IMPLEMENTS:
            e["anomaly"] = KIND_DATED_BEFORE_PARENT
            out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                        "kind": KIND_DATED_BEFORE_PARENT,
                        "detail": f"{cd} < {G.nodes[parent]['label']} {pd}"})
    return out


def title_conflicts(G, cits: list[dict], links: dict) -> list[dict]:
    """A citation whose quoted title carries another number than the title of the document it
    resolved to (seed 000 quotes 03/CT-UBND's title with 52-NQ/TW where 001 says 57-NQ/TW)."""
    out = []
    for c in cits:
        link = links.get(c["id"])
        if link is None or link.doc_id is None or not c["title"]:
            continue
        target = G.nodes.get(NodeId.doc(link.doc_id))
        if target is None or not target["title"]:
            continue
        quoted, actual = keys_in(c["title"]), keys_in(target["title"])
        for q in sorted(quoted.keys() - actual.keys()):
            tail = q.split("-", 1)[-1] if "-" in q and "/" in q.split("-", 1)[-1] else q.split("/", 1)[-1]
            same_family = [actual[x] for x in actual.keys() - quoted.keys() if x.endswith(tail)]
            if same_family:
                child = NodeId.doc(c["doc_id"])
                out.append({"node": child, "label": G.nodes[child]["label"], "path": G.nodes[child]["path"],
                            "kind": KIND_TITLE_CONFLICT,
                            "detail": f"{quoted[q]} is quoted in the title of {target['label']}, "
                                      f"whose own title has {', '.join(same_family)}"})
    return out
