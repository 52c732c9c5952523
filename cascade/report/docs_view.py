"""Rich renderers for `cascade docs` (a table) and `cascade show` (one document).

Input: the rows of `queries.doc_rows` and the dict of `queries.show_info`.
"""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cascade.report.safe import scrub, text

LEVEL_STYLE = {"central": "bold magenta", "province": "bold blue", "district": "cyan", "commune": "green"}


def _inferred(value, inferred: bool, style: str = "") -> Text:
    if not value:
        return Text("—", style="dim")
    t = Text(str(value), style=style)
    if inferred:
        t.stylize("italic")
        t.append("*", style="yellow")
    return t


def render_docs(rows: list[dict], console: Console) -> None:
    rows = scrub(rows)        # data cells are Text below (never markup), without control sequences
    table = Table(title=f"{len(rows)} documents", show_lines=False, header_style="bold")
    table.add_column("id", justify="right", no_wrap=True, min_width=3)
    table.add_column("type", no_wrap=True, min_width=9)
    table.add_column("number", no_wrap=True, min_width=12)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("level", no_wrap=True, min_width=8)
    table.add_column("province", no_wrap=True, min_width=10)
    table.add_column("issuer", no_wrap=True, overflow="ellipsis", max_width=20)
    table.add_column("title / file", no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("status", no_wrap=True, min_width=4)
    for r in rows:
        number = r["number"] or r["identified_number"]
        num = _inferred(number, r["identified"] and not r["number"])
        what = Text(r["title"] or Path(r["path"]).name, style="" if r["title"] else "dim")
        if r["status"] != "ok" and r["error"]:
            what = Text(f"{Path(r['path']).name}: {r['error']}", style="red")
        status = Text(r["status"], style="green" if r["status"] == "ok" else "red")
        if r["anomalies"]:
            status.append(" !", style="bold yellow")
        table.add_row(str(r["id"]), text(r["doc_type"] or "—"), num, text(r["date"] or "—"),
                      _inferred(r["level"], r["level_inferred"], LEVEL_STYLE.get(r["level"] or "", "")),
                      _inferred(r["province"], r["province_inferred"]), text(r["issuer"] or "—"), what, status)
    console.print(table)
    if any(r["province_inferred"] or r["identified"] or r["level_inferred"] for r in rows):
        console.print(Text("* inferred (see `cascade show ID` for the source)", style="dim yellow"))


def render_show(info: dict, console: Console) -> None:
    info = scrub(info)
    head = Text()
    head.append(info["label"] or info["node"], style="bold")
    head.append(f"   {info['doc_type'] or ''}", style="cyan")
    head.append("" if info["in_corpus"] else "   (not in corpus: what citations say)", style="dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()

    def add(name, value):
        if value not in (None, "", [], -1, -1.0):
            grid.add_row(name, value if isinstance(value, Text) else text(value))

    add("node", info["node"])
    add("number", info["number"])
    add("date", info["date"])
    add("issuer", info["issuer"])
    add("level", _inferred(info["level"], info["level_inferred"]) if info["level"] else None)
    if info["level_inferred"]:
        add("  from", info["level_source"])
    add("province", _inferred(info["province"], info["province_inferred"]) if info["province"] else None)
    if info["province_inferred"]:
        add("  from", info["province_source"])
    add("title", info["title"])
    add("subject", info.get("subject") if info.get("subject") != info["title"] else None)
    add("signer", info.get("signer"))
    for f in info.get("files", []):
        add("file", f)
    add("status", info["status"])
    add("error", info.get("error"))
    ident = info.get("identification")
    if ident:
        ev = ", ".join(f"{k} {v}" for k, v in ident["evidence"].items())
        add("identified", Text(f"{ident['number'] or ident['key']} ({ident['method']}, confidence {ident['confidence']:.2f}) — {ev}",
                               style="yellow"))
    for an in info["anomaly_details"]:
        add("anomaly", Text(f"{an['kind']}" + (f": {an['detail']}" if an["detail"] else ""), style="bold red"))
    console.print(Panel(grid, title=head, title_align="left"))
    if info["cites"]:
        t = Table(title="cites", header_style="bold", show_lines=False)
        for col in ("relation", "document", "how", "lag", "citation text"):
            t.add_column(col, overflow="fold", max_width=70 if col == "citation text" else None)
        for c in sorted(info["cites"], key=lambda c: c["relation"] != "implements"):
            doc = Text(c["label"], style="bold" if c["in_corpus"] else "")
            if not c["in_corpus"]:
                doc.append(" (external)", style="dim")
            how = c["method"] + (f" {c['confidence']:.2f}" if c["method"] == "fuzzy" else "")
            lag = "" if c["lag_days"] is None else f"{c['lag_days']} d"
            t.add_row(text(c["relation"]), doc, text(how), Text(lag, style="red" if c["anomaly"] else ""),
                      text(c["text"][:200]))
        console.print(t)
    if info["cited_by"]:
        t = Table(title="cited by", header_style="bold")
        for col in ("relation", "document", "date", "level", "province", "lag"):
            t.add_column(col)
        for c in sorted(info["cited_by"], key=lambda c: c["date"] or "9999"):
            lag = "" if c["lag_days"] is None else f"{c['lag_days']} d"
            t.add_row(text(c["relation"]), text(c["label"]), text(c["date"] or "—"), text(c["level"] or "—"),
                      text(c["province"] or "—"),
                      Text(lag, style="red" if c["anomaly"] else ""))
        console.print(t)
    if info.get("tasks"):
        console.print(Text(f"{len(info['tasks'])} tasks: " + ", ".join(t["path"] for t in info["tasks"][:30]),
                           style="dim"))
