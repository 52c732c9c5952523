"""Rich renderers for `cascade docs` (a table) and `cascade show` (one document).

Input: the rows of `queries.doc_rows` and the dict of `queries.show_info`.
"""
from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from cascade.i18n import _, level_name, ngettext
from cascade.report import fit, labels
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
    """One line a document. Every column but the title gets the width it needs (the id that
    `cascade show ID` takes never shrinks); long numbers are shortened in the middle; the title gets
    what is left; the issuer is shown only on wide screens (it is in `show`)."""
    rows = scrub(rows)        # data cells are Text below (never markup), without control sequences
    wide, narrow = console.width >= 130, console.width < 100
    numbers = [r["number"] or r["identified_number"] for r in rows]
    num_w = fit.width_of(_("number"), [(n or "") + "*" for n in numbers], cap=12 if narrow else 18)
    body = []
    for r, number in zip(rows, numbers):
        num = _inferred(fit.middle(number, num_w - 1) if number else number, r["identified"] and not r["number"])
        what = Text(r["title"] or Path(r["path"]).name, style="" if r["title"] else "dim")
        if r["status"] != "ok" and r["error"]:
            what = Text(f"{Path(r['path']).name}: {r['error']}", style="red")
        if narrow and r["doc_type"]:               # no room for a type column: the type leads the title
            what = Text.assemble((r["doc_type"], "cyan"), " · ", what)
        status = Text(labels.status(r["status"]), style="green" if r["status"] == "ok" else "red")
        if r["anomalies"]:
            status.append(f" ⚠{len(r['anomalies'])}", style="bold yellow")
        cells = [Text(str(r["id"]))] + ([] if narrow else [Text(r["doc_type"] or "—")]) + [
            num, Text(r["date"] or "—"),
            _inferred(level_name(r["level"]), r["level_inferred"], LEVEL_STYLE.get(r["level"] or "", "")),
            _inferred(r["province"], r["province_inferred"])]
        if wide:
            cells.append(Text(r["issuer"] or "—"))
        body.append((cells, what, status))
    heads = ([_("id")] + ([] if narrow else [_("type")]) + [_("number"), _("date"), _("level"), _("province")]
             + ([_("issuer")] if wide else []))
    caps = [None] + ([] if narrow else [14]) + [num_w, 10, None, 12 if narrow else 14] + ([28] if wide else [])
    widths = [fit.width_of(h, [b[0][i].plain for b in body], cap=c) for i, (h, c) in enumerate(zip(heads, caps))]
    status_w = fit.width_of(_("status"), [b[2].plain for b in body])
    table = Table(title=ngettext("{n} document", "{n} documents", len(rows)).format(n=len(rows)),
                  header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), show_edge=False)
    for i, (h, w) in enumerate(zip(heads, widths)):
        table.add_column(h, width=w, no_wrap=True, overflow="ellipsis", justify="right" if i == 0 else "left")
    table.add_column(_("title / file") if not narrow else _("type · title / file"),
                     width=fit.rest(console, widths + [status_w]), no_wrap=True, overflow="ellipsis")
    table.add_column(_("status"), width=status_w, no_wrap=True)
    for cells, what, status in body:
        table.add_row(*cells, what, status)
    console.print(table)
    if any(r["province_inferred"] or r["identified"] or r["level_inferred"] for r in rows):
        console.print(Text(_("* worked out by cascade, not written in the document (`cascade show ID` says from what)"),
                           style="dim yellow"))
    if any(r["anomalies"] for r in rows):
        console.print(Text(_("⚠N: N problems found in the document; `cascade show ID` lists them"),
                           style="dim yellow"))


def render_show(info: dict, console: Console) -> None:
    info = scrub(info)
    head = Text()
    head.append(info["label"] or info["node"], style="bold")
    head.append(f"   {info['doc_type'] or ''}", style="cyan")
    head.append("" if info["in_corpus"] else "   " + _("(not in the folders read: what citations say about it)"),
                style="dim")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def add(name, value):
        if value not in (None, "", [], -1, -1.0):
            grid.add_row(name, value if isinstance(value, Text) else text(value))

    add(_("node"), info["node"])
    add(_("number"), info["number"])
    add(_("date"), info["date"])
    add(_("issuer"), info["issuer"])
    add(_("level"), _inferred(level_name(info["level"]), info["level_inferred"]) if info["level"] else None)
    if info["level_inferred"]:
        add("  " + _("from"), info["level_source"])
    add(_("province"), _inferred(info["province"], info["province_inferred"]) if info["province"] else None)
    if info["province_inferred"]:
        add("  " + _("from"), info["province_source"])
    add(_("title"), info["title"])
    add(_("subject"), info.get("subject") if info.get("subject") != info["title"] else None)
    add(_("signer"), info.get("signer"))
    for f in info.get("files", []):
        add(_("file"), f)
    add(_("status"), labels.status(info["status"]) if info.get("status") else None)
    add(_("error"), info.get("error"))
    ident = info.get("identification")
    if ident:
        ev = ", ".join(f"{k} {v}" for k, v in ident["evidence"].items())
        add(_("identified"), Text(_("{key} ({method}, confidence {confidence:.2f})").format(
            key=ident["number"] or ident["key"], method=ident["method"], confidence=ident["confidence"])
            + (f" — {ev}" if ev else ""), style="yellow"))
    for an in info["anomaly_details"]:
        add(_("problem"), Text(labels.finding_kind(an["kind"]) + (f": {an['detail']}" if an["detail"] else ""),
                               style="bold red"))
    console.print(Panel(grid, title=head, title_align="left"))
    if info["cites"]:
        t = Table(title=_("cites"), header_style="bold", show_lines=False)
        t.add_column(_("relation"), no_wrap=True)
        t.add_column(_("document"), no_wrap=True, max_width=max(16, console.width // 4))
        t.add_column(_("how"), no_wrap=True)
        t.add_column(_("lag"), no_wrap=True, justify="right")
        t.add_column(_("citation text"), ratio=1, min_width=20)
        for c in sorted(info["cites"], key=lambda c: c["relation"] != "implements"):
            doc = Text(fit.middle(c["label"], max(16, console.width // 4)), style="bold" if c["in_corpus"] else "")
            if not c["in_corpus"]:
                doc.append(" " + _("(external)"), style="dim")
            how = c["method"] + (f" {c['confidence']:.2f}" if c["method"] == "fuzzy" else "")
            lag = "" if c["lag_days"] is None else _("{n} d").format(n=c["lag_days"])
            t.add_row(text(labels.relation(c["relation"])), doc, text(how),
                      Text(lag, style="red" if c["anomaly"] else ""), text(c["text"][:200]))
        console.print(t)
    if info["cited_by"]:
        t = Table(title=_("cited by"), header_style="bold")
        t.add_column(_("relation"), no_wrap=True)
        t.add_column(_("document"), no_wrap=True, max_width=max(16, console.width // 4))
        t.add_column(_("date"), no_wrap=True)
        t.add_column(_("level"), no_wrap=True)
        t.add_column(_("province"))
        t.add_column(_("lag"), no_wrap=True, justify="right")
        for c in sorted(info["cited_by"], key=lambda c: c["date"] or "9999"):
            lag = "" if c["lag_days"] is None else _("{n} d").format(n=c["lag_days"])
            t.add_row(text(labels.relation(c["relation"])), text(fit.middle(c["label"], max(16, console.width // 4))),
                      text(c["date"] or "—"), text(level_name(c["level"]) or "—"), text(c["province"] or "—"),
                      Text(lag, style="red" if c["anomaly"] else ""))
        console.print(t)
    if info.get("tasks"):
        console.print(Text(ngettext("{n} task: ", "{n} tasks: ", len(info["tasks"])).format(n=len(info["tasks"]))
                           + ", ".join(t["path"] for t in info["tasks"][:30]), style="dim"))
