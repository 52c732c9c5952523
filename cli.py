"""The `cascade` command line: wires pipeline stages together and renders.

Conventions (in the spirit of sqlite-utils):
- every command has a rich view for people and `--json` (and, where tabular, `--csv`);
- every store command reads the store named by `--db` (default ./cascade.db);
- exit codes: 0 ok; 1 an error, or some input failed; 2 usage error; 3 `--fail-on` reached.
No parsing, matching or storage logic lives here: only calls into `cascade.*` and rendering.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from cascade.report.safe import markup, text

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Follow Vietnamese government instructions down the administration.")
console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FINDINGS = 0, 1, 2, 3

DbOption = typer.Option(Path("cascade.db"), "--db", help="SQLite store to read or write.")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")
CsvOption = typer.Option(False, "--csv", help="Print CSV for scripts.")


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """One-line error to stderr and exit: never a traceback for expected failures."""
    err_console.print(f"[red]error:[/red] {markup(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


# ---------------------------------------------------------------------------- parse
@app.command()
def parse(
    files: List[Path] = typer.Argument(..., help="Files to parse."),
    as_json: bool = JsonOption,
    html: Optional[Path] = typer.Option(None, "--html", help="Write an HTML view with highlighted spans."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --html file."),
    ocr: bool = typer.Option(False, "--ocr", help="OCR scans and junk text layers (Tesseract; slow, cached)."),
):
    """Parse files and show what each document is, who issued it, what it cites and orders."""
    from cascade.parse import parse_file
    from cascade.report import parse_view

    records = []
    failed = 0
    for f in files:
        rec = parse_file(f, ocr=ocr)
        records.append(rec)
        if not rec.ok:
            failed += 1
            err_console.print(f"[red]error:[/red] {markup(f)}: {markup(rec.error or rec.status)}", highlight=False)
    if as_json:
        for rec in records:
            sys.stdout.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    else:
        for rec in records:
            if rec.ok:
                parse_view.render(rec, console)
    if html is not None:
        if html.exists() and not force:
            fail(f"{html}: exists; use --force to overwrite")
        from cascade.report import html_view
        html.write_text(html_view.render_html([r for r in records if r.ok]), encoding="utf-8")
        err_console.print(f"wrote {markup(html)}", highlight=False)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


# ---------------------------------------------------------------------------- store commands
# ingest, docs, show, tree, export, identify, alias: thin layers over cascade.store,
# cascade.ingest and cascade.graph; views in cascade.report.docs_view / tree_view.
def _open_store(db: Path):
    from cascade.store import Store, StoreError
    try:
        return Store(db, create=False)
    except StoreError as e:
        fail(str(e))


def _load(store):
    from cascade.graph.build import load
    return load(store)


def _around(store, ref: str, relations=("implements",), below: bool = True):
    from cascade.graph.build import around
    try:
        return around(store, ref, relations, below)
    except LookupError as e:
        fail(str(e))


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Folders (walked recursively) or files."),
    db: Path = DbOption,
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Parser processes (default: all cores)."),
    reparse: bool = typer.Option(False, "--reparse", help="Parse every file again, changed or not."),
    timeout: float = typer.Option(300.0, "--timeout", help="Seconds one file may take; then it is recorded as failed."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Parse again unchanged files that failed last time."),
    ocr: bool = typer.Option(False, "--ocr", help="OCR scans and junk text layers (Tesseract; slow, cached). "
                             "With --retry-failed, re-reads the scans an earlier run recorded as no_text."),
    as_json: bool = JsonOption,
):
    """Parse every supported file under PATHS into the store; re-runs parse only what changed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from cascade.ingest import ingest as run_ingest
    from cascade.store import StoreError

    for p in paths:
        if not p.exists():
            fail(f"{p}: no such file or folder")
    progress = Progress(TextColumn("[bold]parsing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        TextColumn("{task.fields[last]}", style="dim"), console=err_console, transient=True)
    state = {}

    def on_event(kind, data):
        if kind == "scan":
            err_console.print(f"{data['files']} files, {data['to_parse']} to parse", highlight=False)
            if data["to_parse"]:
                progress.start()
                state["task"] = progress.add_task("parse", total=data["to_parse"], last="")
        elif kind == "parsed":
            if data["status"] not in ("ok", "partial"):
                progress.console.print(f"[red]failed:[/red] {markup(data['path'])}: {markup(data['error'])}",
                                       highlight=False)
            progress.update(state["task"], advance=1, last=Path(data["path"]).name[:40])
        elif kind == "done":
            progress.stop()

    try:
        summary = run_ingest(paths, db, workers=workers, on_event=on_event, reparse=reparse, timeout=timeout,
                             parser="cascade.parse:parse_file_ocr" if ocr else "cascade.parse:parse_file",
                             retry_failed=retry_failed)
    except (StoreError, FileNotFoundError) as e:
        progress.stop()
        fail(str(e))
    d = summary.to_dict()
    if as_json:
        print_json(d)
    else:
        from rich.table import Table
        t = Table(title=text(f"ingest into {db}"), show_header=False)
        for k in ("files", "new", "changed", "unchanged", "moved", "duplicate", "removed", "retried", "parsed", "failed"):
            if d[k] or k in ("files", "parsed", "failed"):
                t.add_row(text(k), text(d[k]))
        for fmt, c in sorted(d["by_format"].items()):
            t.add_row(f"  {fmt}", f"{c['parsed']} parsed, {c['failed']} failed")
        t.add_row("time", f"{d['seconds']:.1f} s" + (f" ({d['files_per_second']} files/s)" if d["parsed"] else ""))
        console.print(t)
    if summary.interrupted:
        fail(f"interrupted: {summary.parsed} files stored; run the same command again to finish")
    raise typer.Exit(EXIT_ERROR if summary.failed else EXIT_OK)


@app.command()
def docs(
    db: Path = DbOption,
    level: Optional[str] = typer.Option(None, "--level", help="central, province, district or commune."),
    province: Optional[str] = typer.Option(None, "--province", help="Province (any spelling, old or new name)."),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Document type, e.g. 'công văn'."),
    since: Optional[str] = typer.Option(None, "--since", help="Dated on or after (ISO, may be partial)."),
    until: Optional[str] = typer.Option(None, "--until", help="Dated on or before (ISO, may be partial)."),
    failed: Optional[bool] = typer.Option(None, "--failed/--ok", help="Only failed / only parsed documents."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
):
    """List stored documents; inferred values (province, identified number) are marked."""
    from cascade.graph.build import doc_rows
    with _open_store(db) as store:
        rows = doc_rows(store, None, level=level, province=province, doc_type=doc_type,
                        since=since, until=until, failed=failed)
    if as_json:
        print_json(rows)
    elif as_csv:
        import csv
        cols = [k for k in rows[0].keys()] if rows else ["id"]
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        for r in rows:
            w.writerow(["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in r.values()])
    else:
        from cascade.report.docs_view import render_docs
        render_docs(rows, console)


@app.command()
def show(
    doc: str = typer.Argument(..., help="Key (57-NQ/TW), id, node id or file path."),
    db: Path = DbOption,
    as_json: bool = JsonOption,
):
    """Show one document: header, identification, province source, what it cites, who cites it."""
    from cascade.graph.build import show_info
    with _open_store(db) as store:
        cas, node = _around(store, doc, below=False)
        info = show_info(store, cas, node)
    if as_json:
        print_json(info)
    else:
        from cascade.report.docs_view import render_show
        render_show(info, console)


@app.command()
def tree(
    root: str = typer.Argument(..., help="Key (57-NQ/TW), id, node id or file path of the top document."),
    db: Path = DbOption,
    mentions: bool = typer.Option(False, "--mentions", help="Follow 'mentions' edges too, not only 'implements'."),
    depth: Optional[int] = typer.Option(None, "--depth", help="Stop this many levels down."),
    as_json: bool = JsonOption,
):
    """The cascade below ROOT: who implements it, level by level, with dates and response lags."""
    with _open_store(db) as store:
        relations = ("implements", "mentions") if mentions else ("implements",)
        cas, node = _around(store, root, relations)
        t = cas.tree(node, relations=relations, max_depth=depth)
    if as_json:
        print_json(t)
    else:
        from cascade.report.tree_view import render_tree
        render_tree(t, console)


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="graphml, gexf, json or csv."),
    out: Path = typer.Option(..., "-o", "--output", help="File to write."),
    db: Path = DbOption,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
):
    """Write the whole cascade graph for Gephi, yEd, networkx or a spreadsheet."""
    from cascade.graph.export import FORMATS, ExportError
    from cascade.graph.export import export as run_export
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", EXIT_USAGE)
    with _open_store(db) as store:
        cas = _load(store)
    try:
        written = run_export(cas.graph, fmt, out, force=force)
    except ExportError as e:
        fail(str(e))
    G = cas.graph
    err_console.print(f"wrote {markup(', '.join(map(str, written)))}: {G.number_of_nodes()} nodes, "
                      f"{G.number_of_edges()} edges", highlight=False)


@app.command()
def identify(
    doc: Optional[str] = typer.Argument(None, help="The stored document (id, path or key)."),
    key: Optional[str] = typer.Argument(None, help="What it is: its number, e.g. 03/CT-UBND."),
    db: Path = DbOption,
    date: Optional[str] = typer.Option(None, "--date", help="Its date (ISO)."),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Its issuer, e.g. 'Chủ tịch UBND tỉnh Hưng Yên'."),
    province: Optional[str] = typer.Option(None, "--province", help="Its province."),
    reject: bool = typer.Option(False, "--reject", help="Say DOC is NOT what it was identified as."),
    clear: bool = typer.Option(False, "--clear", help="Forget what was said about DOC."),
    list_: bool = typer.Option(False, "--list", help="List every identification, automatic and confirmed."),
    as_json: bool = JsonOption,
):
    """Confirm, set or reject what a number-less document is; kept across re-ingests."""
    from cascade.graph.build import find_saved, identifications
    with _open_store(db) as store:
        identified = identifications(store)
        if list_ or doc is None:
            rows = [i.to_dict() | {"path": store.doc(i.doc_id)["path"]} for i in identified.values()]
            if as_json:
                print_json(rows)
            else:
                for r in rows:
                    ev = ", ".join(f"{k} {v}" for k, v in r["evidence"].items())
                    console.print(f"[bold]{r['doc_id']}[/bold] {markup(Path(r['path']).name)} = "
                                  f"[bold]{markup(r['key'])}[/bold] ({markup(r['method'])}, {r['confidence']:.2f}) "
                                  f"{markup(ev)}", highlight=False)
                if not rows:
                    console.print("no identifications")
            return
        try:
            node = find_saved(store, doc)
        except LookupError as e:
            fail(str(e))
        if not node.startswith("doc:"):
            fail(f"{doc}: not a stored document (it is only cited)")
        doc_id = int(node[4:])
        if clear:
            n = store.clear_override(doc_id)
            console.print(f"cleared {n} decision(s) on document {doc_id}")
            return
        if reject:
            store.set_override(doc_id, None, rejected=True, note="rejected with cascade identify --reject")
            console.print(f"document {doc_id} will not be identified automatically")
            return
        if not key:
            ident = identified.get(doc_id)
            if ident is None:
                fail(f"{doc}: give the KEY it is (nothing was identified automatically)", EXIT_USAGE)
            key = ident.key
            date = date or ident.date
            issuer = issuer or ident.issuer
            province = province or ident.province
        store.set_override(doc_id, key, date=date, issuer=issuer, province=province,
                           note="confirmed with cascade identify")
    console.print(text(f"document {doc_id} is {key}" + (f", {date}" if date else "") + (f", {issuer}" if issuer else "")))


@app.command()
def alias(
    from_key: str = typer.Argument(..., help="The key as cited (e.g. a typo: 52-NQ/TW)."),
    to_key: str = typer.Argument(..., help="The key it means (57-NQ/TW)."),
    db: Path = DbOption,
    doc: Optional[str] = typer.Option(None, "--doc", help="Only in this citing document (id, path or key)."),
):
    """Say that citations of FROM_KEY mean TO_KEY (a typo in the source); kept across re-ingests."""
    with _open_store(db) as store:
        doc_id = None
        if doc is not None:
            from cascade.graph.build import current, find_saved
            current(store)
            try:
                node = find_saved(store, doc)
            except LookupError as e:
                fail(str(e))
            if not node.startswith("doc:"):
                fail(f"{doc}: not a stored document")
            doc_id = int(node[4:])
        store.set_alias(from_key, to_key, doc_id)
    console.print(text(f"{from_key} → {to_key}" + (f" in document {doc_id}" if doc_id else "")))


# ---------------------------------------------------------------------------- diff, coverage, flag
def _record_of(ref: str, db: Path):
    """A document's Record from a file path (parsed now) or a store reference (key, id, path)."""
    p = Path(ref)
    if p.is_file():
        from cascade.parse import parse_file
        rec = parse_file(p)
        if not rec.ok:
            fail(f"{p}: {rec.error or rec.status}")
        return rec, rec.number or p.name
    if not db.exists():
        fail(f"{ref}: no such file, and no store at {db} to look it up in")
    store = _open_store(db)
    cas, node = _around(store, ref, below=False)
    doc_id = cas.graph.nodes[node]["doc_id"]
    if doc_id < 0:
        fail(f"{ref}: cited but not in the store ({node}); ingest it first")
    rec = store.record(doc_id)
    if rec is None or not rec.ok:
        fail(f"{ref}: stored document {doc_id} has no parsed text")
    return rec, cas.graph.nodes[node]["label"]


@app.command()
def diff(
    parent: str = typer.Argument(..., help="Parent document: a file, or a key/id/path in the store."),
    child: str = typer.Argument(..., help="Child document implementing it: a file, or a key/id/path."),
    db: Path = DbOption,
    indirect: bool = typer.Option(False, "--indirect", help="The child skips a level (intermediate missing)."),
    level: str = typer.Option("leaf", "--level", help="Compare 'leaf' tasks or 'top' items with their sub-items."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 3 if any task is 'dropped' or 'weakened'."),
    as_json: bool = JsonOption,
):
    """Align PARENT's tasks with CHILD's: kept, reworded, narrowed, merged, split, dropped, added."""
    from cascade.align import align
    if level not in ("leaf", "top"):
        fail(f"unknown level {level!r}; choose leaf or top", EXIT_USAGE)
    if fail_on not in (None, "dropped", "weakened"):
        fail(f"unknown --fail-on {fail_on!r}; choose dropped or weakened", EXIT_USAGE)
    prec, plabel = _record_of(parent, db)
    crec, clabel = _record_of(child, db)
    for rec, label in ((prec, plabel), (crec, clabel)):
        if not rec.tasks:
            fail(f"{label}: no numbered tasks found to compare")
    al = align(prec.tasks, crec.tasks, indirect, level=level, parent_doc=plabel, child_doc=clabel)
    if as_json:
        print_json([p.to_dict() for p in al.pairs])
    else:
        from cascade.report.diff_view import render
        render(al, prec.tasks, crec.tasks, console, level=level)
    hit = (fail_on == "dropped" and al.dropped) or (fail_on == "weakened" and (al.weakened or al.dropped))
    raise typer.Exit(EXIT_FINDINGS if hit else EXIT_OK)


@app.command()
def coverage(
    parent: str = typer.Argument(..., help="Key (03/CT-UBND), id, node id or file path of the parent."),
    db: Path = DbOption,
    detail: bool = typer.Option(False, "--detail", help="Show every child's side-by-side diff too."),
    mentions: bool = typer.Option(False, "--mentions", help="Follow 'mentions' edges too, not only 'implements'."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Write the task × document matrix to an Excel file."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --xlsx file."),
):
    """How much of PARENT's tasks reach each stored document below it (nearest stored ancestor if a level is missing)."""
    from cascade.align import align_below
    relations = ("implements", "mentions") if mentions else ("implements",)
    store = _open_store(db)
    try:
        alignments = align_below(store, parent, relations)
    except LookupError as e:
        fail(str(e))
    if detail and not as_json:
        from cascade.report.diff_view import render
        for al in alignments:
            pid, cid = (int(al.parent_node.split(":")[1]), int(al.child_node.split(":")[1]))
            render(al, store.record(pid).tasks, store.record(cid).tasks, console)
    if xlsx is not None or as_csv:
        from cascade.report.findings import coverage_matrix
        header, rows = coverage_matrix(alignments)
        if as_csv:
            import csv
            w = csv.writer(sys.stdout)
            w.writerow(header)
            w.writerows(rows)
        if xlsx is not None:
            if xlsx.exists() and not force:
                fail(f"{xlsx}: exists; use --force to overwrite")
            from openpyxl import Workbook
            wb = Workbook()
            ws = wb.active
            ws.title = "coverage"
            ws.append(header)
            for r in rows:
                ws.append(r)
            wb.save(xlsx)
            err_console.print(f"wrote {markup(xlsx)}", highlight=False)
        if as_csv:
            return
    if as_json:
        print_json([al.to_dict() for al in alignments])
    else:
        from cascade.report.diff_view import render_coverage
        render_coverage(alignments, console, title=f"coverage of {parent}")     # a Text there: no markup


@app.command()
def flag(
    docs: List[str] = typer.Argument(None, help="Parents whose cascades to check (key, id or path); default: every root."),
    db: Path = DbOption,
    severity: str = typer.Option("low", "--severity", help="Show findings of at least this severity: low, medium, high."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Exit 3 when a finding reaches this severity."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
):
    """The inspector's list: dropped and weakened tasks, citation anomalies, missing numbers and dates."""
    from cascade.align import align_below
    from cascade.graph.build import build
    from cascade.report import findings as fd
    for sev in (severity, fail_on):
        if sev is not None and sev not in fd.SEVERITIES:
            fail(f"unknown severity {sev!r}; choose {', '.join(fd.SEVERITIES)}", EXIT_USAGE)
    store = _open_store(db)
    cas = build(store)
    G = cas.graph
    if not docs:   # every node that others implement and that implements nothing itself
        docs = [n for n in G.nodes
                if not any(d.get("relation") == "implements" for _, _, d in G.out_edges(n, data=True))
                and any(d.get("relation") == "implements" for _, _, d in G.in_edges(n, data=True))]
    alignments = []
    for ref in docs:
        try:
            alignments += align_below(store, ref)
        except LookupError as e:
            fail(str(e))
    found = fd.from_alignments(alignments) + fd.from_anomalies(cas.anomalies)
    found.sort(key=lambda f: (-fd.SEVERITIES.index(f.severity), f.document, f.kind))
    shown = fd.at_least(found, severity)
    if as_json:
        print_json([f.to_dict() for f in shown])
    elif as_csv:
        import csv
        w = csv.DictWriter(sys.stdout, fieldnames=list(fd.Finding.__dataclass_fields__))
        w.writeheader()
        for f in shown:
            w.writerow(f.to_dict())
    else:
        from rich.table import Table
        t = Table(title=f"{len(shown)} findings", title_justify="left")
        for col in ("severity", "document", "kind", "task", "evidence"):
            t.add_column(col, overflow="fold")
        style = {"high": "bold red", "medium": "yellow", "low": "dim"}
        for f in shown:
            t.add_row(text(f.severity, style[f.severity]), text(f.document), text(f.kind), text(f.task),
                      text(f.evidence))
        console.print(t)
    if fail_on and fd.at_least(found, fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
