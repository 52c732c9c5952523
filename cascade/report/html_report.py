"""The cascade report: ONE self-contained HTML file (`cascade report ROOT -o FILE.html`).

It works offline and can be mailed: no external script, style, font or image. Sections: the
cascade as a picture (levels as bands, each document coloured by how much of its parent's tasks
it carries, lines coloured by relation; click a document for its record and its task comparison
with the parent), coverage heatmaps (parent tasks × levels, × provinces; × communes built on
demand), the inspector's findings with their evidence, response lags by level and province (the
slowest, and documents nobody answered), a list of documents, and each document's annotated view
(html_view.fragment, kept as JSON strings and drawn on request).

Why SVG drawn here and not a vendored JS graph library (Cytoscape.js, vis-network, d3): the
picture we need is a layered drawing with a fixed meaning for the vertical axis (the level), which
a tiny layout in Python gives directly (bands by level, rows by depth within the level, order by
the parents' positions, long rows wrapped); the result is plain SVG that is drawn before any
script runs, prints, stays readable when scripts are blocked (mail clients, locked-down office
browsers), is tested from Python without a browser, and adds no 300–500 KiB of vendored
JavaScript to every mailed file nor a library to keep up to date. The ~100 lines of vanilla JS
only add pan/zoom, selection and the side panel.

Everything from the data is escaped: text with html.escape, the data for the script as JSON in
which "</" and "<!" are escaped (see _json). Labels come from html_labels (one dict per language).
"""
from __future__ import annotations

import json
import math
from html import escape
from typing import Optional

from cascade.report.html_labels import labels, level_label
from cascade.report.html_view import CSS as VIEW_CSS
from cascade.report.html_view import legend as view_legend
from cascade.report.report_model import LEVEL_ORDER, Heatmap, ReportModel, lag_groups, slowest

W, H, GAP_X, ROW_H, BAND_GAP, LEFT, TOP = 156, 36, 14, 64, 26, 118, 16
MANY_EDGES = 300                 # above this, lines are faint until a document is selected
MIN_WIDTH = 1000                 # a small cascade is not blown up to the window's width
RELATION_COLOURS = {"implements": "#e65100", "responds": "#00897b", "guides": "#5e35b1", "amends": "#5e35b1",
                    "replaces": "#5e35b1", "repeals": "#5e35b1", "basis": "#8d6e63", "mentions": "#9e9e9e"}
CARRIED_KINDS = {"verbatim", "near-verbatim"}


def esc(s) -> str:
    return escape("" if s is None else str(s), quote=True)


def _json(data) -> str:
    """JSON to sit inside <script type="application/json">: a script element's text ends only at
    "</" + "script" and changes state at "<!--", so "</" and "<!" are written with JSON escapes."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("</", "<\\/").replace("<!", "\\u003c!"))


def coverage_colour(c: Optional[float]) -> str:
    """Red (0) → yellow (0.5) → green (1); grey when not compared."""
    if c is None:
        return "#e6e6e6"
    c = max(0.0, min(1.0, c))
    stops = ((0.0, (215, 48, 39)), (0.5, (254, 224, 139)), (1.0, (102, 189, 99)))
    for (a, ca), (b, cb) in zip(stops, stops[1:]):
        if c <= b:
            t = (c - a) / (b - a)
            return "#%02x%02x%02x" % tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))
    return "#66bd63"


def _clip(s: str, n: int) -> str:
    """Cut a sentence at its end."""
    return s if len(s) <= n else s[:n - 1].rstrip() + "…"


def _short(s: str, n: int) -> str:
    """Cut in the middle so both ends of a key stay readable: 11902/BNV…-CCVC."""
    return s if len(s) <= n else s[: n // 2] + "…" + s[-(n - n // 2 - 1):]


# ---------------------------------------------------------------------------- layout
def layout(model: ReportModel, per_row: int = 28) -> tuple[dict[str, tuple[float, float]], list[tuple[str, float, float]], float, float]:
    """Positions (x, y of the box's top-left) per node id, the level bands (level, y0, y1), width, height.

    Bands by level; inside a band, a document implementing another of the same level goes one row
    lower; nodes are ordered by the mean position of their parents; a row holds at most per_row.
    """
    nodes = {n.id: n for n in model.nodes}
    rank = {n.id: LEVEL_ORDER.index(n.level) if n.level in LEVEL_ORDER else len(LEVEL_ORDER) - 1 for n in model.nodes}
    parents: dict[str, list[str]] = {}
    for e in model.edges:
        if e.child in nodes and e.parent in nodes and e.child != e.parent:
            parents.setdefault(e.child, []).append(e.parent)
    sub = {n: 0 for n in nodes}
    for _ in range(4):                      # depth inside the level, for chains of same-level documents
        for n, ps in parents.items():
            same = [sub[p] + 1 for p in ps if rank[p] == rank[n]]
            if same:
                sub[n] = min(3, max(sub[n], max(same)))
    groups: dict[tuple[int, int], list[str]] = {}
    for n in nodes:
        groups.setdefault((rank[n], sub[n]), []).append(n)
    pos_x: dict[str, float] = {}
    rows: list[tuple[int, list[str]]] = []
    for g in sorted(groups):
        members = groups[g]

        def bary(n: str) -> float:
            xs = [pos_x[p] for p in parents.get(n, ()) if p in pos_x]
            return sum(xs) / len(xs) if xs else math.inf

        members.sort(key=lambda n: (bary(n), nodes[n].province, nodes[n].date, nodes[n].label))
        for i in range(0, len(members), per_row):
            chunk = members[i:i + per_row]
            rows.append((g[0], chunk))
            for j, n in enumerate(chunk):
                pos_x[n] = float(j + i)         # order key for the next group's barycentres
    width = max(MIN_WIDTH, LEFT + max(len(c) for _, c in rows) * (W + GAP_X) if rows else LEFT + W)
    pos: dict[str, tuple[float, float]] = {}
    bands: list[tuple[str, float, float]] = []
    y = TOP
    current = None
    for r, chunk in rows:
        if r != current:
            if current is not None:
                bands[-1] = (bands[-1][0], bands[-1][1], y - ROW_H + H + 10)
                y += BAND_GAP
            bands.append((LEVEL_ORDER[r], y - 10, 0.0))
            current = r
        row_w = len(chunk) * (W + GAP_X) - GAP_X
        x0 = LEFT + (width - LEFT - row_w) / 2
        for j, n in enumerate(chunk):
            pos[n] = (x0 + j * (W + GAP_X), y)
        y += ROW_H
    if bands:
        bands[-1] = (bands[-1][0], bands[-1][1], y - ROW_H + H + 10)
    return pos, bands, width, y - ROW_H + H + 20


def svg(model: ReportModel, L: dict, lang: str) -> tuple[str, float]:
    """The picture as SVG markup, and its height in its own units."""
    pos, bands, width, height = layout(model)
    index = {n.id: i for i, n in enumerate(model.nodes)}
    out = [f'<svg id="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'preserveAspectRatio="xMidYMin meet" role="img" aria-label="{esc(L["tab.graph"])}">']
    for k, (level, y0, y1) in enumerate(bands):
        out.append(f'<rect class="band" x="0" y="{y0:.0f}" width="{width:.0f}" height="{y1 - y0:.0f}" '
                   f'fill="{"#f6f8fb" if k % 2 == 0 else "#eef2f7"}"/>'
                   f'<text class="bandlabel" x="8" y="{y0 + 22:.0f}">{esc(level_label(level, lang))}</text>')
    out.append('<g id="edges">')
    for e in model.edges:
        if e.child not in pos or e.parent not in pos:
            continue
        (cx, cy), (px, py) = pos[e.child], pos[e.parent]
        x1, y1, x2, y2 = cx + W / 2, cy, px + W / 2, py + H
        if y2 > y1:                                  # parent drawn lower (unknown level): join the sides
            y1, y2 = cy + H / 2, py + H / 2
        d = max(20.0, abs(y1 - y2) / 2)
        colour = RELATION_COLOURS.get(e.relation, "#9e9e9e")
        dash = ' stroke-dasharray="4 3"' if e.relation != "implements" else ""
        out.append(f'<path class="e" data-c="{index[e.child]}" data-p="{index[e.parent]}" '
                   f'd="M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - d:.0f} {x2:.0f},{y2 + d:.0f} {x2:.0f},{y2:.0f}" '
                   f'stroke="{colour}"{dash}/>')
    out.append('</g><g id="nodes">')
    for i, n in enumerate(model.nodes):
        x, y = pos[n.id]
        fill = coverage_colour(n.coverage) if n.in_store else "#ffffff"
        cls = "n" + ("" if n.in_store else " ext")
        second = " · ".join(x for x in (n.date, n.province) if x)
        tip = " — ".join(x for x in (n.label, n.doc_type, n.date, n.issuer, n.title[:200]) if x)
        out.append(f'<g class="{cls}" data-i="{i}" transform="translate({x:.0f},{y:.0f})" tabindex="0">'
                   f'<title>{esc(tip)}</title><rect width="{W}" height="{H}" rx="5" fill="{fill}"/>'
                   f'<text x="6" y="14">{esc(_short(n.label, 21))}</text>'
                   f'<text class="sub" x="6" y="29">{esc(_short(second, 27))}</text></g>')
    out.append("</g></svg>")
    return "".join(out), height


# ---------------------------------------------------------------------------- tables
def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """rows hold HTML already escaped by the caller."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def heatmap_html(hm: Heatmap, model: ReportModel, L: dict, lang: str) -> str:
    nodes = {n.id: n for n in model.nodes}
    index = {n.id: i for i, n in enumerate(model.nodes)}
    cols = [level_label(c, lang) if hm.by == "level" else c for c in hm.columns]
    head = "".join(f'<th class="col">{esc(c)}</th>' for c in cols)
    body = []
    for (parent, path, text), cells in zip(hm.rows, hm.cells):
        plabel = nodes[parent].label if parent in nodes else parent
        tds = []
        for c in cells:
            if c is None:
                tds.append('<td class="hc empty"></td>')
                continue
            share = c.carried / c.total if c.total else 0.0
            docs = ", ".join(nodes[d].label if d in nodes else d for d in c.documents)
            tip = L["heat.cell"].format(carried=c.carried, total=c.total) + (f": {docs}" if docs else "")
            tds.append(f'<td class="hc" style="background:{coverage_colour(share)}" title="{esc(tip)}" '
                       f'data-carried="{c.carried}" data-total="{c.total}">{c.carried}/{c.total}</td>')
        body.append(f'<tr data-parent="{index.get(parent, -1)}" data-task="{esc(path)}">'
                    f'<th class="task" title="{esc(text)}"><span class="pl">{esc(_short(plabel, 22))}</span> '
                    f'<b>{esc(path)}</b> {esc(_clip(text, 90))}</th>{"".join(tds)}</tr>')
    return (f'<table class="heat" data-by="{esc(hm.by)}"><thead><tr><th>{esc(L["heat.task"])}</th>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table>')


def _heat_json(hm: Heatmap) -> dict:
    """A sparse form of a heatmap for the script, which draws it when asked (communes)."""
    return {"columns": hm.columns, "rows": [list(r) for r in hm.rows],
            "cells": [[[j, c.carried, c.total] for j, c in enumerate(row) if c is not None] for row in hm.cells]}


def _node_link(node_id: str, model_index: dict, label: str) -> str:
    i = model_index.get(node_id)
    return f'<a href="#doc={i}">{esc(label)}</a>' if i is not None else esc(label)


# ---------------------------------------------------------------------------- page
def render(model: ReportModel, lang: str = "vi") -> str:
    L = labels(lang)
    index = {n.id: i for i, n in enumerate(model.nodes)}
    by_id = {n.id: n for n in model.nodes}
    title = L["report.title"].format(root=model.root_label or L["report.all"])
    stored = sum(1 for n in model.nodes if n.in_store)

    # heatmaps: level and province drawn here, communes by the script on demand
    heat_parts = []
    commune = None
    for hm in model.heatmaps:
        if hm.by == "commune":
            commune = hm
            continue
        heat_parts.append(f'<h3>{esc(L[f"heat.by_{hm.by}"])}</h3>' + heatmap_html(hm, model, L, lang))
    if commune is not None and commune.columns:
        heat_parts.append(f'<h3>{esc(L["heat.by_commune"])}</h3><button id="communes" type="button">'
                          f'{esc(L["heat.show_communes"])} ({len(commune.columns)})</button><div id="communeheat"></div>')
    heat = (f'<p class="hint">{esc(L["heat.legend"])}</p>' + "".join(heat_parts)
            if any(hm.rows for hm in model.heatmaps) else f'<p>{esc(L["heat.none"])}</p>')

    sev_rank = {"high": 0, "medium": 1, "low": 2}
    finds = sorted(model.findings, key=lambda f: (sev_rank.get(f.severity, 3), f.document))
    findings = (_table([L["find.severity"], L["find.document"], L["find.kind"], L["find.task"], L["find.evidence"]],
                       [[f'<span class="sev {esc(f.severity)}">{esc(L.get("sev." + f.severity, f.severity))}</span>',
                         _node_link(f.node, index, f.document), esc(L.get("finding." + f.kind, f.kind)), esc(f.task),
                         esc(f.evidence)]
                        for f in finds], "findings")
                if finds else f'<p>{esc(L["find.none"])}</p>')

    lag_tables = []
    for by in ("level", "province"):
        groups = lag_groups(model, by)
        if groups:
            lag_tables.append(f'<h3>{esc(L[f"lag.by_{by}"])}</h3>' + _table(
                [L["lag.group"], L["lag.count"], L["lag.median"], L["lag.max"]],
                [[esc(level_label(g.group, lang) if by == "level" else (g.group or "—")), str(g.count),
                  f"{g.median:g}", str(g.slowest)] for g in groups], "lags"))
    slow = slowest(model)
    if slow:
        lag_tables.append(f'<h3>{esc(L["lag.slowest"])}</h3>' + _table(
            [L["find.document"], L["node.parent"], L["node.lag"]],
            [[_node_link(e.child, index, by_id[e.child].label), _node_link(e.parent, index, by_id[e.parent].label)
              if e.parent in by_id else esc(e.parent), esc(L["lag.days"].format(n=e.lag_days))] for e in slow], "slow"))
    if not lag_tables:
        lag_tables.append(f'<p>{esc(L["lag.none"])}</p>')
    lag_tables.append(f'<h3>{esc(L["lag.never"])}</h3><p class="hint">{esc(L["lag.never_hint"])}</p>')
    lag_tables.append('<ul class="never">' + "".join(
        f'<li>{_node_link(n, index, by_id[n].label if n in by_id else n)}'
        f'{" — " + esc(level_label(by_id[n].level, lang)) if n in by_id else ""}'
        f'{" · " + esc(by_id[n].province) if n in by_id and by_id[n].province else ""}</li>'
        for n in model.never_answered) + "</ul>")

    doc_rows = []
    for i, n in enumerate(model.nodes):
        view = (f'<a href="#view={i}">{esc(L["node.view"])}</a>' if n.id in model.views else
                esc(L["graph.external"]) if not n.in_store else "")
        doc_rows.append([esc(level_label(n.level, lang)), esc(n.province), f'<a href="#doc={i}">{esc(n.label)}</a>',
                         esc(n.doc_type), esc(n.date), esc(_clip(n.title, 140)), view])
    documents = _table([L["node.level"], L["node.province"], L["node.key"], L["node.type"], L["node.date"],
                        L["node.title"], ""], doc_rows, "docs")

    # the annotated views as JSON strings: the HTML parser only skims them (templates of ~10 MB of
    # markup cost a second at load on the realdocs report); one is parsed when it is opened
    views = {str(index[nid]): frag for nid, frag in model.views.items() if nid in index}
    data = {
        "nodes": [[n.id, n.label, n.level, n.province, n.key, n.doc_type, n.date, n.issuer, n.title,
                   n.path.rsplit("/", 1)[-1], n.in_store, n.coverage, [L.get("finding." + f, f) for f in n.flags],
                   n.id in model.views]
                  for n in model.nodes],
        "edges": [[index[e.child], index[e.parent], e.relation, e.lag_days] for e in model.edges
                  if e.child in index and e.parent in index],
        "diffs": {str(index[k]): [index.get(d.parent, -1), d.coverage, d.indirect,
                                  [[r.kind, r.parent_path, r.parent_text, r.child_path, r.child_text, r.weakened]
                                   for r in d.rows]]
                  for k, d in model.diffs.items() if k in index},
        "levels": {lv: level_label(lv, lang) for lv in LEVEL_ORDER},
        "box": [W, H],
        "L": {k: v for k, v in L.items() if k.startswith(("node.", "diff.", "kind.", "graph.", "heat.", "doc.", "lag."))},
        "communes": _heat_json(commune) if commune is not None else None,
    }
    dashed = ' stroke-dasharray="4 3"'
    rel_legend = "".join(f'<span><svg width="26" height="8"><line x1="0" y1="4" x2="26" y2="4" stroke="{c}" '
                         f'stroke-width="2"{"" if r == "implements" else dashed}/></svg> '
                         f'{esc(L.get("rel." + r, r))}</span>'
                         for r, c in RELATION_COLOURS.items()
                         if any(e.relation == r for e in model.edges))
    cov_legend = "".join(f'<span class="sw" style="background:{coverage_colour(v)}"></span>{round(v * 100)}% '
                         for v in (0.0, 0.5, 1.0))
    cov_legend += (f'<span class="sw" style="background:{coverage_colour(None)}"></span>{esc(L["graph.nocoverage"])} '
                   f'<span class="sw ext"></span>{esc(L["graph.external"])}')
    graph, graph_h = svg(model, L, lang)
    canvas_h = max(380, round(graph_h))
    summary = L["report.summary"].format(nodes=len(model.nodes), stored=stored, edges=len(model.edges))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(title)}</title><style>{STYLE}{VIEW_CSS}</style></head><body>
<header><h1>{esc(title)}</h1><p class="meta">{esc(summary)} · {esc(L["report.generated"].format(date=model.generated))}</p>
<nav><a href="#s-graph">{esc(L["tab.graph"])}</a><a href="#s-heat">{esc(L["tab.heatmap"])}</a>
<a href="#s-findings">{esc(L["tab.findings"])} ({len(finds)})</a><a href="#s-lags">{esc(L["tab.lags"])}</a>
<a href="#s-docs">{esc(L["tab.documents"])}</a></nav></header>
<section id="s-graph"><h2>{esc(L["tab.graph"])}</h2><p class="hint">{esc(L["graph.hint"])}
<button id="reset" type="button">{esc(L["graph.reset"])}</button>
<input id="find" type="search" list="keys" placeholder="{esc(L["graph.find"])}" aria-label="{esc(L["graph.find"])}">
<datalist id="keys">{"".join(f'<option value="{esc(n.label)}">' for n in model.nodes)}</datalist></p>
<div class="legend"><b>{esc(L["legend.coverage"])}:</b> {cov_legend}</div>
<div class="legend"><b>{esc(L["legend.edges"])}:</b> {rel_legend}</div>
<div class="split"><div id="canvas" class="{"many" if len(model.edges) > MANY_EDGES else ""}" style="height:min(72vh,{canvas_h}px)">{graph}</div>
<aside id="panel"><p class="hint">{esc(L["node.none"])}</p></aside></div></section>
<section id="s-heat"><h2>{esc(L["tab.heatmap"])}</h2>{heat}</section>
<section id="s-findings"><h2>{esc(L["tab.findings"])}</h2>{findings}</section>
<section id="s-lags"><h2>{esc(L["tab.lags"])}</h2>{"".join(lag_tables)}</section>
<section id="s-docs"><h2>{esc(L["tab.documents"])}</h2>{documents}</section>
<div id="viewer" hidden><div class="vbar"><span id="vtitle"></span><button id="vclose" type="button">×</button></div>
{view_legend(lang)}<div id="vbody"></div></div>
<script type="application/json" id="views">{_json(views)}</script>
<script type="application/json" id="data">{_json(data)}</script>
<script>{SCRIPT}</script></body></html>"""


STYLE = """
*{box-sizing:border-box}body{font:14px/1.45 system-ui,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:12px 20px;background:#1f3b57;color:#fff}header h1{font-size:20px;margin:0 0 2px}
header .meta{margin:0 0 6px;opacity:.85}nav a{color:#fff;margin-right:16px}
section{padding:8px 20px 16px}h2{font-size:17px;margin:10px 0 6px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:14px 0 6px}
.hint{color:#555;margin:4px 0}.legend{font-size:12.5px;margin:2px 0;display:flex;flex-wrap:wrap;gap:4px 12px;align-items:center}
.sw{display:inline-block;width:14px;height:12px;border:1px solid #888;vertical-align:-2px;margin-right:3px}
.sw.ext{background:#fff;border-style:dashed}
.split{display:flex;gap:12px;align-items:stretch}
#canvas{flex:1 1 auto;height:72vh;min-height:380px;border:1px solid #ccc;background:#fff;overflow:hidden;cursor:grab}
#canvas svg{width:100%;height:100%;display:block;user-select:none}
#panel{flex:0 0 420px;max-width:45%;height:72vh;min-height:380px;overflow:auto;border:1px solid #ccc;background:#fff;padding:8px 10px}
.band{stroke:none}.bandlabel{font:700 13px system-ui,sans-serif;fill:#3d5a80}
.e{fill:none;stroke-width:1.3;opacity:.75}.many .e{opacity:.12}.e.hl,.many .e.hl{stroke-width:3;opacity:1}
#find{margin-left:12px;padding:2px 6px;width:16em}
.n rect{stroke:#546e7a;stroke-width:1}.n.ext rect{stroke-dasharray:4 3;stroke:#78909c}
.n text{font:600 11px system-ui,sans-serif;fill:#111;pointer-events:none}.n text.sub{font-weight:400;fill:#333}
.n{cursor:pointer;outline:none}.n:hover rect{stroke:#000;stroke-width:2}.n.sel rect{stroke:#0d47a1;stroke-width:3.5}
table{border-collapse:collapse;margin:4px 0 10px;background:#fff}th,td{border:1px solid #d6d6d6;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#eef2f7;position:sticky;top:0}
table.heat td.hc{text-align:center;min-width:48px;font-variant-numeric:tabular-nums}table.heat td.empty{background:#fafafa}
table.heat th.task{font-weight:400;max-width:560px}table.heat .pl{color:#555;font-size:12px}
.sev{padding:1px 6px;border-radius:8px;font-size:12px;color:#fff}.sev.high{background:#c62828}.sev.medium{background:#ef6c00}.sev.low{background:#78909c}
#panel table{width:100%;font-size:13px}#panel th{width:34%;background:#f4f6f8}
.diff{table-layout:fixed}.diff th:nth-child(3){width:22%}.diff td{font-size:12.5px;overflow-wrap:anywhere}.k-dropped{background:#ffcdd2}.k-added{background:#c8e6c9}.k-reworded,.k-narrowed,.k-broadened,.k-merged,.k-split{background:#fff9c4}
.wk{color:#b71c1c;font-size:12px}
#viewer{position:fixed;inset:4vh 6vw;background:#fafafa;border:1px solid #888;box-shadow:0 6px 30px rgba(0,0,0,.35);overflow:auto;padding:0 16px 16px;z-index:10}
#viewer .vbar{position:sticky;top:0;background:#fafafa;display:flex;justify-content:space-between;align-items:center;padding:8px 0;font-weight:600}
#vclose{font-size:20px;border:0;background:none;cursor:pointer}
ul.never{columns:3 280px;padding-left:18px}
"""

SCRIPT = r"""
(function(){
"use strict";
var D=JSON.parse(document.getElementById("data").textContent),L=D.L;
var svg=document.getElementById("graph"),panel=document.getElementById("panel");
var vb=svg.viewBox.baseVal,full={x:vb.x,y:vb.y,w:vb.width,h:vb.height};
var nodeEls=svg.querySelectorAll("g.n"),edgeEls=svg.querySelectorAll("path.e");
function el(tag,text,cls){var e=document.createElement(tag);if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}
function row(t,k,v){if(v===null||v===undefined||v==="")return;var tr=el("tr");tr.appendChild(el("th",k));var td=el("td");
 if(v instanceof Node)td.appendChild(v);else td.textContent=v;tr.appendChild(td);t.appendChild(tr);}
function kind(k){return L["kind."+k]||k;}
function select(i,scroll){
 nodeEls.forEach(function(g){g.classList.toggle("sel",+g.dataset.i===i);});
 edgeEls.forEach(function(p){p.classList.toggle("hl",+p.dataset.c===i||+p.dataset.p===i);});
 var n=D.nodes[i];panel.textContent="";
 panel.appendChild(el("h3",n[1]));
 var t=el("table");
 row(t,L["node.key"],n[4]);row(t,L["node.type"],n[5]);row(t,L["node.date"],n[6]);row(t,L["node.issuer"],n[7]);
 row(t,L["node.level"],D.levels[n[2]]||n[2]);row(t,L["node.province"],n[3]);row(t,L["node.title"],n[8]);
 row(t,L["doc.file"],n[9]);
 if(!n[10])row(t,"",L["graph.external"]);
 if(n[11]!==null)row(t,L["node.coverage"],Math.round(n[11]*100)+"%");
 if(n[12].length)row(t,L["node.flags"],n[12].join("; "));
 D.edges.forEach(function(e){if(e[0]===i){var a=el("a",D.nodes[e[1]][1]);a.href="#doc="+e[1];
   row(t,L["node.parent"],a);if(e[3]!==null)row(t,L["node.lag"],L["lag.days"].replace("{n}",e[3]));}});
 panel.appendChild(t);
 if(n[13]){var v=el("a",L["node.view"]);v.href="#view="+i;panel.appendChild(v);}
 var d=D.diffs[i];
 if(d){var h=el("h3",L["diff.title"].replace("{parent}",d[0]>=0?D.nodes[d[0]][1]:"?"));panel.appendChild(h);
  if(d[2])panel.appendChild(el("p",L["diff.indirect"],"hint"));
  panel.appendChild(el("p",L["node.coverage"]+": "+Math.round(d[1]*100)+"%"));
  var dt=el("table",null,"diff"),hr=el("tr");[L["diff.parent"],L["diff.child"],L["diff.kind"]].forEach(function(x){hr.appendChild(el("th",x));});
  dt.appendChild(hr);
  d[3].forEach(function(r){var tr=el("tr",null,"k-"+r[0]);
   tr.appendChild(el("td",r[1]===null?"":r[1]+" "+r[2]));tr.appendChild(el("td",r[3]===null?"":r[3]+" "+r[4]));
   var k=el("td",kind(r[0]));if(r[5].length)k.appendChild(el("div",r[5].join("; "),"wk"));tr.appendChild(k);dt.appendChild(tr);});
  panel.appendChild(dt);
 }else if(n[10]){panel.appendChild(el("p",L["diff.none"],"hint"));}
 if(scroll){document.getElementById("s-graph").scrollIntoView();focus(i);}
}
function focus(i){if(full.w<=1200)return;var g=nodeEls[i],m=/translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute("transform"));
 if(!m)return;var r=svg.getBoundingClientRect(),w=Math.min(full.w,1200),h=w*r.height/Math.max(1,r.width);
 setVB(+m[1]+D.box[0]/2-w/2,+m[2]+D.box[1]/2-h/2,w,h);}
nodeEls.forEach(function(g){
 g.addEventListener("click",function(ev){if(moved)return;history.replaceState(null,"","#doc="+g.dataset.i);select(+g.dataset.i,false);});
 g.addEventListener("keydown",function(ev){if(ev.key==="Enter")select(+g.dataset.i,false);});});
// pan and zoom on the viewBox
var drag=null,moved=false;
function setVB(x,y,w,h){vb.x=x;vb.y=y;vb.width=w;vb.height=h;}
function pt(ev){var r=svg.getBoundingClientRect();var s=Math.max(vb.width/r.width,vb.height/r.height);
 return {x:vb.x+(ev.clientX-r.left-(r.width-vb.width/s)/2)*s,y:vb.y+(ev.clientY-r.top)*s,s:s};}
svg.addEventListener("wheel",function(ev){ev.preventDefault();var p=pt(ev),f=ev.deltaY<0?0.8:1.25;
 var w=Math.min(full.w*2,Math.max(120,vb.width*f)),k=w/vb.width,h=vb.height*k;
 setVB(p.x-(p.x-vb.x)*k,p.y-(p.y-vb.y)*k,w,h);},{passive:false});
svg.addEventListener("mousedown",function(ev){drag={x:ev.clientX,y:ev.clientY,vx:vb.x,vy:vb.y,s:pt(ev).s};moved=false;});
window.addEventListener("mousemove",function(ev){if(!drag)return;var dx=ev.clientX-drag.x,dy=ev.clientY-drag.y;
 if(Math.abs(dx)+Math.abs(dy)>3)moved=true;setVB(drag.vx-dx*drag.s,drag.vy-dy*drag.s,vb.width,vb.height);});
window.addEventListener("mouseup",function(){drag=null;setTimeout(function(){moved=false;},0);});
document.getElementById("reset").addEventListener("click",function(){setVB(full.x,full.y,full.w,full.h);});
document.getElementById("find").addEventListener("change",function(ev){var q=ev.target.value.trim().toLowerCase();if(!q)return;
 var i=D.nodes.findIndex(function(n){return n[1].toLowerCase()===q;});
 if(i<0)i=D.nodes.findIndex(function(n){return (n[1]+" "+n[8]).toLowerCase().indexOf(q)>=0;});
 if(i>=0){history.replaceState(null,"","#doc="+i);select(i,true);}});
// annotated views
var viewer=document.getElementById("viewer"),vbody=document.getElementById("vbody");
var V=null;
function openView(i){if(V===null)V=JSON.parse(document.getElementById("views").textContent);
 if(!V[i])return;vbody.innerHTML=V[i];  // made and escaped by cascade.report.html_viewdocument.getElementById("vtitle").textContent=D.nodes[i][1]+(D.nodes[i][8]?" — "+D.nodes[i][8]:"");
 viewer.hidden=false;viewer.scrollTop=0;}
document.getElementById("vclose").addEventListener("click",function(){viewer.hidden=true;history.replaceState(null,""," ");});
document.addEventListener("keydown",function(ev){if(ev.key==="Escape")viewer.hidden=true;});
function route(){var m=/^#(doc|view)=(\d+)$/.exec(location.hash);if(!m)return;var i=+m[2];if(!D.nodes[i])return;
 if(m[1]==="doc")select(i,true);else openView(i);}
window.addEventListener("hashchange",route);route();
// communes heatmap, drawn on demand
var cb=document.getElementById("communes");
if(cb&&D.communes)cb.addEventListener("click",function(){var H=D.communes,box=document.getElementById("communeheat");
 if(box.firstChild){box.textContent="";return;}
 var t=el("table",null,"heat"),hr=el("tr");hr.appendChild(el("th",L["heat.task"]));
 H.columns.forEach(function(c){hr.appendChild(el("th",c,"col"));});var th=el("thead");th.appendChild(hr);t.appendChild(th);
 var tb=el("tbody");H.rows.forEach(function(r,k){var tr=el("tr"),h=el("th",null,"task");h.title=r[2];
  var p=D.nodes.findIndex(function(n){return n[0]===r[0];});h.appendChild(el("span",p>=0?D.nodes[p][1]:r[0],"pl"));
  h.appendChild(document.createTextNode(" "));h.appendChild(el("b",r[1]));h.appendChild(document.createTextNode(" "+r[2].slice(0,70)));tr.appendChild(h);
  var cells={};H.cells[k].forEach(function(c){cells[c[0]]=c;});
  H.columns.forEach(function(_,j){var c=cells[j],td=el("td",c?c[1]+"/"+c[2]:"",c?"hc":"hc empty");
   if(c){var s=c[2]?c[1]/c[2]:0;td.style.background=s>=1?"#66bd63":s>=0.5?"#fee08b":"#d73027";}tr.appendChild(td);});
  tb.appendChild(tr);});
 t.appendChild(tb);box.appendChild(t);});
})();
"""
