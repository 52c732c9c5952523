"""The `cascade` command line: options → one `cascade.queries` call → a `cascade.report` view.

Conventions (in the spirit of sqlite-utils):
- every command has a rich view for people and `--json` (and, where tabular, `--csv`);
- every store command reads the store named by `--db` (default ./cascade.db);
- exit codes: 0 ok; 1 an error, or some input failed; 2 usage error; 3 `--fail-on` reached.
Each command parses its options, calls one function of `cascade.queries` (or `cascade.ingest`) and
renders the result with `cascade.report`; no parsing, matching or storage logic lives here.
"""
from __future__ import annotations

from contextlib import contextmanager
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
    from cascade.report.writer import write_json
    write_json(obj)


# The cascade modules are imported inside the commands, not here: `cascade --help` and a typo'd
# command must not load the pipeline (regexes, networkx, numpy: ~0.7 s).
@contextmanager
def user_errors():
    """Expected failures (a reference naming nothing, no store, a bad option) → one line, exit 1 or 2."""
    from cascade.graph.export import ExportError
    from cascade.queries import QueryError
    from cascade.store import StoreError
    try:
        yield
    except QueryError as e:
        fail(str(e), EXIT_USAGE if e.usage else EXIT_ERROR)
    except (LookupError, StoreError, ExportError, FileNotFoundError) as e:
        fail(str(e))


@contextmanager
def open_store(db: Path):
    """The store at `db`, closed on the way out; a missing store is a one-line error."""
    from cascade.queries import open_store as _open
    with user_errors():
        store = _open(db)
    with store, user_errors():
        yield store


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
    from cascade.parse import parse_files
    from cascade.report import parse_view, writer

    records = parse_files(files, ocr=ocr)
    for f, rec in zip(files, records):
        if not rec.ok:
            err_console.print(f"[red]error:[/red] {markup(f)}: {markup(rec.error or rec.status)}", highlight=False)
    if as_json:
        writer.write_json_lines(rec.to_dict() for rec in records)
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
    raise typer.Exit(EXIT_ERROR if any(not r.ok for r in records) else EXIT_OK)


# ---------------------------------------------------------------------------- store commands
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
    from cascade.ingest import ingest as run_ingest
    from cascade.report.store_view import IngestProgress, render_ingest

    for p in paths:
        if not p.exists():
            fail(f"{p}: no such file or folder")
    progress = IngestProgress(err_console)
    try:
        with user_errors():
            summary = run_ingest(paths, db, workers=workers, on_event=progress, reparse=reparse, timeout=timeout,
                                 parser="cascade.parse:parse_file_ocr" if ocr else "cascade.parse:parse_file",
                                 retry_failed=retry_failed)
    finally:
        progress.stop()
    if as_json:
        print_json(summary.to_dict())
    else:
        render_ingest(summary.to_dict(), db, console)
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
    from cascade.queries import doc_rows
    with open_store(db) as store:
        rows = doc_rows(store, None, level=level, province=province, doc_type=doc_type,
                        since=since, until=until, failed=failed)
    if as_json:
        print_json(rows)
    elif as_csv:
        from cascade.report.writer import write_csv
        write_csv(list(rows[0].keys()) if rows else ["id"], rows)
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
    from cascade.queries import show_info
    with open_store(db) as store:
        info = show_info(store, doc)
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
    from cascade import queries
    with open_store(db) as store:
        t = queries.tree(store, root, mentions=mentions, depth=depth)
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
    from cascade import queries
    with open_store(db) as store:
        written, n_nodes, n_edges = queries.export(store, fmt, out, force=force)
    err_console.print(f"wrote {markup(', '.join(map(str, written)))}: {n_nodes} nodes, {n_edges} edges",
                      highlight=False)


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
    from cascade import queries
    with open_store(db) as store:
        if list_ or doc is None:
            rows = queries.identification_rows(store)
        else:
            d = queries.identify(store, doc, key, date=date, issuer=issuer, province=province,
                                 reject=reject, clear=clear)
    if list_ or doc is None:
        from cascade.report.store_view import render_identifications
        if as_json:
            print_json(rows)
        else:
            render_identifications(rows, console)
    elif d.action == "cleared":
        console.print(f"cleared {d.cleared} decision(s) on document {d.doc_id}")
    elif d.action == "rejected":
        console.print(f"document {d.doc_id} will not be identified automatically")
    else:
        console.print(text(f"document {d.doc_id} is {d.key}" + (f", {d.date}" if d.date else "")
                           + (f", {d.issuer}" if d.issuer else "")))


@app.command()
def alias(
    from_key: str = typer.Argument(..., help="The key as cited (e.g. a typo: 52-NQ/TW)."),
    to_key: str = typer.Argument(..., help="The key it means (57-NQ/TW)."),
    db: Path = DbOption,
    doc: Optional[str] = typer.Option(None, "--doc", help="Only in this citing document (id, path or key)."),
):
    """Say that citations of FROM_KEY mean TO_KEY (a typo in the source); kept across re-ingests."""
    from cascade import queries
    with open_store(db) as store:
        doc_id = queries.alias(store, from_key, to_key, doc)
    console.print(text(f"{from_key} → {to_key}" + (f" in document {doc_id}" if doc_id else "")))


# ---------------------------------------------------------------------------- diff, coverage, flag
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
    from cascade import queries
    if fail_on not in (None, "dropped", "weakened"):
        fail(f"unknown --fail-on {fail_on!r}; choose dropped or weakened", EXIT_USAGE)
    with user_errors():
        d = queries.diff(parent, child, db, indirect=indirect, level=level)
    al = d.alignment
    if as_json:
        print_json([p.to_dict() for p in al.pairs])
    else:
        from cascade.report.diff_view import render
        render(al, d.parent.tasks, d.child.tasks, console, level=level)
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
    by: Optional[str] = typer.Option(None, "--by", help="Roll up by 'level' or 'province': parent tasks × groups."),
):
    """How much of PARENT's tasks reach each stored document below it (nearest stored ancestor if a level is missing)."""
    from cascade import queries
    from cascade.report import diff_view, writer
    if xlsx is not None and xlsx.exists() and not force:
        fail(f"{xlsx}: exists; use --force to overwrite")
    if by is not None:
        from cascade.report.report_model import heatmap_rows
        with open_store(db) as store:
            hm = queries.coverage_rollup(store, parent, by, mentions=mentions)
        header, rows = heatmap_rows(hm)
        if xlsx is not None:
            writer.write_xlsx(header, rows, xlsx, sheet=f"coverage by {by}")
            err_console.print(f"wrote {markup(xlsx)}", highlight=False)
        if as_json:
            print_json([dict(zip(header, r)) for r in rows])
        elif as_csv:
            writer.write_csv(header, rows)
        elif xlsx is None:
            diff_view.render_rollup(hm, console, title=f"coverage of {parent} by {by}")
        return
    with open_store(db) as store:
        cov = queries.coverage(store, parent, mentions=mentions, with_details=detail and not as_json)
    for d in cov.details:
        diff_view.render(d.alignment, d.parent.tasks, d.child.tasks, console)
    if as_csv:
        writer.write_csv(*cov.matrix())
    if xlsx is not None:
        writer.write_xlsx(*cov.matrix(), xlsx, sheet="coverage")
        err_console.print(f"wrote {markup(xlsx)}", highlight=False)
    if as_csv:
        return
    if as_json:
        print_json([al.to_dict() for al in cov.alignments])
    else:
        diff_view.render_coverage(cov.alignments, console, title=f"coverage of {parent}")     # a Text there: no markup


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
    from cascade import queries
    from cascade.flag import SEVERITIES, Finding, at_least
    for sev in (severity, fail_on):
        if sev is not None and sev not in SEVERITIES:
            fail(f"unknown severity {sev!r}; choose {', '.join(SEVERITIES)}", EXIT_USAGE)
    with open_store(db) as store:
        found = queries.flag(store, docs)
    shown = at_least(found, severity)
    if as_json:
        print_json([f.to_dict() for f in shown])
    elif as_csv:
        from cascade.report.writer import write_csv
        write_csv(list(Finding.__dataclass_fields__), [f.to_dict() for f in shown])
    else:
        from cascade.report.store_view import render_findings
        render_findings(shown, console)
    if fail_on and at_least(found, fail_on):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def report(
    root: Optional[str] = typer.Argument(None, help="Key (57-NQ/TW), id or path of the top document; "
                                                    "none: every document in the store."),
    out: Path = typer.Option(..., "-o", "--output", help="HTML file to write (one file, works offline)."),
    db: Path = DbOption,
    lang: str = typer.Option("vi", "--lang", help="Language of the labels: vi or en."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
):
    """One HTML file to open or mail: the cascade as a picture, coverage by level and province,
    findings with evidence, response lags, each document annotated."""
    from cascade import queries
    from cascade.report import html_report
    from cascade.report.html_labels import CATALOGUES
    if lang not in CATALOGUES:
        fail(f"unknown language {lang!r}; choose {' or '.join(CATALOGUES)}", EXIT_USAGE)
    if out.exists() and not force:
        fail(f"{out}: exists; use --force to overwrite")
    with open_store(db) as store:
        model = queries.report_model(store, root)
    out.write_text(html_report.render(model, lang), encoding="utf-8")
    err_console.print(f"wrote {markup(out)}: {len(model.nodes)} documents, {len(model.edges)} links, "
                      f"{len(model.findings)} findings", highlight=False)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
