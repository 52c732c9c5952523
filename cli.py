"""The `cascade` command line: options → one `cascade.queries` call → a `cascade.report` view.

Conventions (in the spirit of sqlite-utils):
- every command has a rich view for people and `--json` (and, where tabular, `--csv`);
- every store command reads the store named by `--db` (else $CASCADE_DB, else ./cascade.db): an SQLite
  file or a postgresql:// URL;
- exit codes: 0 ok; 1 an error, or some input failed; 2 usage error; 3 `--fail-on` reached.
Each command parses its options, calls one function of `cascade.queries` (or `cascade.ingest`) and
renders the result with `cascade.report`; no parsing, matching or storage logic lives here.

Language: every text shown is an English msgid looked up in the gettext catalogue (`cascade.i18n`,
Vietnamese in cascade/locale/vi). `--lang vi|en` (anywhere: `main` moves it before the command) or
the environment's locale chooses; help text is built when this module is imported, so the language
is read from the command line first, before typer (whose own strings are translated at its import)
is imported.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

from cascade import i18n
from cascade.i18n import _, ngettext
from cascade.report.safe import plain  # data on the terminal: no control sequences (markup off below)

# click's and typer's own strings, so that the catalogue has them (they call gettext themselves)
LIBRARY_MESSAGES = (
    i18n.N_("Usage:"), i18n.N_("Options"), i18n.N_("Arguments"), i18n.N_("Commands"), i18n.N_("Error"),
    i18n.N_("Aborted."), i18n.N_("Aborted!"), i18n.N_("[default: {}]"), i18n.N_("[required]"),
    i18n.N_("Show this message and exit."), i18n.N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    i18n.N_("Try '{command} {option}' for help."), i18n.N_("Error: {message}"), i18n.N_("Missing argument"),
    i18n.N_("Missing option"), i18n.N_("Missing command."), i18n.N_("Missing parameter"),
    i18n.N_("No such option {name!r}."), i18n.N_("No such command {name!r}."),
    i18n.N_("Invalid value for {param_hint}: {message}"), i18n.N_("Invalid value: {message}"),
    i18n.N_("{value!r} is not a valid {number_type}."),
    i18n.N_("Option {name!r} does not take a value."),
)

ENV_LANGUAGE = i18n.from_environment()
try:
    i18n.set_language(i18n.from_argv(sys.argv[1:]) or ENV_LANGUAGE, libraries=True)
except ValueError:            # a wrong --lang value: typer reports it when it parses the options
    i18n.set_language(ENV_LANGUAGE, libraries=True)

import typer  # noqa: E402  (after the language is set: typer translates its panel titles at import)
from rich.console import Console  # noqa: E402
from typer import core as _typer_core  # noqa: E402


def _typer_in_our_words() -> None:
    """typer (0.29) prints a Python type beside each option (`<bool>`, `<list[Path]>`); our help names
    the value instead (metavar: FILE, DATE, LEVEL) and a switch takes none. Its vendored click writes
    "Usage:" and the --help line without gettext: put them through our catalogue. A typer without
    these internals keeps its own words (English), nothing breaks."""
    try:
        from typer._click import core as click_core
        from typer._click import formatting as click_formatting
        _typer_core._TyperParameter.display_type = lambda self, ctx: None
        write_usage = click_formatting.HelpFormatter.write_usage
        get_help_option = click_core.Command.get_help_option
    except (ImportError, AttributeError):
        return

    def usage_in_our_words(self, prog, args="", prefix=None):
        return write_usage(self, prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def help_in_our_words(self, ctx):
        opt = get_help_option(self, ctx)
        if opt is not None:
            opt.help = _("Show this message and exit.")
        return opt

    click_formatting.HelpFormatter.write_usage = usage_in_our_words
    click_core.Command.get_help_option = help_in_our_words


_typer_in_our_words()


def _typer_passes_plain_values() -> None:
    """typer (0.29) coerces an option's value through a pydantic TypeAdapter, built on first use
    even for a value it returns unchanged: importing pydantic and building them took ~0.1 s of
    every command. A value typer's coercion hands back as it is (no value: None, or () for a
    list; a str for a str option: `_parse_cli_str`) passes through here; any other (`--depth 2`,
    a list, an option with a parser) goes to typer's own coercion, built then. A typer without
    these internals keeps its own."""
    try:
        build = _typer_core.build_runtime_param
        fields = set(_typer_core.TypeDescriptor.__dataclass_fields__)
    except AttributeError:
        return
    if not {"annotation", "parameter_info", "file_annotation"} <= fields:
        return

    class PlainFirst:
        def __init__(self, descriptor):
            self.descriptor = descriptor
            self.full = None

        def coerce(self, value, param, ctx):
            d = self.descriptor
            many = param.multiple or param.nargs == -1
            if d.parameter_info.parser is None and d.file_annotation is None:
                if value is None:
                    return () if many else None
                if d.annotation is str and type(value) is str and not many:
                    return value
            if self.full is None:
                self.full = build(d)
            return self.full.coerce(value, param=param, ctx=ctx)

    _typer_core.build_runtime_param = PlainFirst


_typer_passes_plain_values()

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help=_("Follow Vietnamese government instructions down the administration: read folders "
                         "of documents, link each to what it implements, compare their tasks level by level."
                         "\n\nExamples:\n"
                         "  cascade ingest documents/\n"
                         "  cascade tree 57-NQ/TW\n"
                         "  cascade coverage 57-NQ/TW --xlsx coverage.xlsx\n"
                         "  cascade --lang vi docs --level tỉnh"))
console = Console()
err_console = Console(stderr=True)

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_FINDINGS = 0, 1, 2, 3

DbOption = typer.Option("cascade.db", "--db", metavar=_("FILE|URL"), envvar="CASCADE_DB",
                        help=_("The store: an SQLite file made by cascade ingest, or a PostgreSQL database "
                               "(postgresql://user@host/dbname; see docs/postgresql.md)."))
JsonOption = typer.Option(False, "--json", help=_("Print JSON for scripts."))
CsvOption = typer.Option(False, "--csv", help=_("Print CSV (for Excel or scripts); see --no-bom."))
BomOption = typer.Option(True, "--bom/--no-bom", show_default=False,
                         help=_("Start CSV with a UTF-8 byte-order mark, so that Excel shows Vietnamese "
                                "right (default); --no-bom for scripts."))
ForceOption = typer.Option(False, "--force", help=_("Replace an output file that already exists."))
# what `tree` follows down, and `export DOCUMENT` with it
MentionsOption = typer.Option(False, "--mentions",
                              help=_("Also follow documents that only mention it, not only those implementing it."))
RelationOption = typer.Option(
    None, "--relation", "-r", metavar=_("RELATION"),
    help=_("Follow this relation instead of 'implements' (repeatable): basis, guides, amends, replaces, "
           "repeals, consolidates, mentions."))
DOC_HELP = _("A document: its number (57-NQ/TW), its id in `cascade docs`, or its file.")


CHOSEN: dict = {"lang": None}          # the --lang given before the command, if any


@app.callback()
def main_options(
    lang: Optional[str] = typer.Option(None, "--lang", metavar="vi|en",
                                       help=_("Language of the interface (default: the system's locale).")),
):
    """Options before the command name apply to every command."""
    if lang is not None and lang.strip().lower() not in i18n.LANGUAGES:
        fail(_("unknown language {lang!r}; choose vi or en").format(lang=lang), EXIT_USAGE)
    i18n.set_language(lang or ENV_LANGUAGE, libraries=True)
    CHOSEN["lang"] = lang.strip().lower() if lang else None


def error_line(message: str) -> None:
    """One line `error: …` to stderr, without stopping (a file of a batch failed)."""
    from rich.text import Text
    err_console.print(Text.assemble((_("error:"), "red"), " ", plain(message)), highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """One-line error to stderr and exit: never a traceback for expected failures."""
    error_line(message)
    raise typer.Exit(code)


def print_json(obj) -> None:
    from cascade.report.writer import write_json
    write_json(obj)


# The cascade modules are imported inside the commands, not here: `cascade --help` and a typo'd
# command must not load the pipeline (regexes, networkx, numpy: ~0.7 s).
@contextmanager
def user_errors(db: Optional[str] = None):
    """Expected failures (a reference naming nothing, no store, a bad option, a damaged or full
    store) → one line, exit 1 or 2."""
    import sqlite3

    from cascade.files import OutputExists
    from cascade.graph.export import ExportError
    from cascade.queries import QueryError
    from cascade.store import StoreError, explain
    from cascade.store.dialect import name
    db = name(db) if db else None       # a URL's password is never shown
    try:
        yield
    except QueryError as e:
        fail(str(e), EXIT_USAGE if e.usage else EXIT_ERROR)
    except (LookupError, StoreError, ExportError, FileNotFoundError, OutputExists) as e:
        fail(str(e))
    except sqlite3.Error as e:
        fail(f"{db or 'store'}: {explain(e)}")
    except OSError as e:        # a full disk or a vanished folder while writing
        fail(f"{e.filename or db or ''}: {e.strerror or e}")


@contextmanager
def open_store(db: str):
    """The store at `db`, closed on the way out; a missing store is a one-line error."""
    from cascade.queries import open_store as _open
    with user_errors(db):
        store = _open(db)
    with user_errors(db):
        with store:
            yield store




def check_cluster(cluster: Optional[str], workers: Optional[int]) -> None:
    """--cluster's address is one cascade.cluster understands, and not given with --workers (usage errors)."""
    if cluster is None:
        return
    from cascade.cluster import parse_address
    try:
        parse_address(cluster)
    except ValueError as e:
        fail(str(e), EXIT_USAGE)
    if workers is not None:
        fail(_("--workers and --cluster: choose one (a cluster's workers are its own)"), EXIT_USAGE)


def wrote(path) -> None:
    err_console.print(_("wrote {path}").format(path=plain(path)), highlight=False, markup=False)


# ---------------------------------------------------------------------------- parse
@app.command(help=_("Read files and show what each document is: type, number, date, who issued it, "
                    "what it cites and the tasks it gives.\n\nExamples:\n"
                    "  cascade parse letter.docx\n"
                    "  cascade parse scan.pdf --ocr\n"
                    "  cascade parse *.docx --json > records.jsonl"))
def parse(
    files: List[Path] = typer.Argument(..., metavar=_("FILE"), help=_("Files to read (.txt .md .docx .doc .pdf).")),
    as_json: bool = JsonOption,
    html: Optional[Path] = typer.Option(None, "--html", metavar=_("FILE"),
                                        help=_("Also write a web page with what was found highlighted.")),
    force: bool = ForceOption,
    ocr: bool = typer.Option(False, "--ocr", help=_("Read scans and junk text layers with OCR (Tesseract; "
                                                     "slow, remembered).")),
):
    from cascade.files import check_output, output_file
    from cascade.parse import parse_files
    from cascade.report import parse_view, writer

    if html is not None:
        with user_errors():
            check_output(html, force)          # before the slow part
    records = parse_files(files, ocr=ocr)
    for f, rec in zip(files, records):
        if not rec.ok:
            error_line(f"{f}: {rec.error or rec.status}")
    if as_json:
        writer.write_json_lines(rec.to_dict() for rec in records)
    else:
        for rec in records:
            if rec.ok:
                parse_view.render(rec, console)
    if html is not None:
        from cascade.report import html_view
        with user_errors(), output_file(html, force) as tmp:
            tmp.write_text(html_view.render_html([r for r in records if r.ok]), encoding="utf-8")
        wrote(html)
    raise typer.Exit(EXIT_ERROR if any(not r.ok for r in records) else EXIT_OK)


# ---------------------------------------------------------------------------- store commands
@app.command(help=_("Read every supported file under the folders given into the store; a second run "
                    "reads only what changed.\n\nExamples:\n"
                    "  cascade ingest documents/\n"
                    "  cascade ingest documents/ --db province.db --ocr\n"
                    "  cascade ingest /shared/documents/ --cluster tcp://scheduler:8786"))
def ingest(
    paths: List[Path] = typer.Argument(..., metavar=_("FOLDER"), help=_("Folders (read with all their subfolders) or files.")),
    db: str = DbOption,
    workers: Optional[int] = typer.Option(None, "--workers", "-w", metavar="N",
                                          help=_("How many files to read at once (default: one per processor core).")),
    reparse: bool = typer.Option(False, "--reparse", help=_("Read every file again, changed or not.")),
    timeout: float = typer.Option(300.0, "--timeout", metavar=_("SECONDS"),
                                  help=_("Seconds one file may take; then it is recorded as failed.")),
    memory: int = typer.Option(2048, "--memory", metavar="MiB",
                               help=_("Memory one reading process may use; past it, its file is recorded as failed.")),
    retry_failed: bool = typer.Option(False, "--retry-failed",
                                      help=_("Read again the unchanged files that failed last time.")),
    ocr: bool = typer.Option(False, "--ocr", help=_("Read scans and junk text layers with OCR (Tesseract; slow, "
                                                     "remembered). With --retry-failed, reads the scans an earlier "
                                                     "run could not.")),
    cluster: Optional[str] = typer.Option(None, "--cluster", metavar="tcp://HOST:PORT|local:N",
                                          help=_("Read the files on a Dask cluster: the address of its scheduler, or "
                                                 "local:N for N worker processes on this machine. Every worker must "
                                                 "see the folders at the same paths (docs/dask.md).")),
    align: bool = typer.Option(False, "--align", help=_("Then align every document with its parent and keep the "
                                                        "results (as cascade align), on the same workers.")),
    as_json: bool = JsonOption,
):
    from cascade.cluster import ClusterError
    from cascade.ingest import ingest as run_ingest
    from cascade.report.store_view import AlignProgress, IngestProgress, render_align, render_ingest

    check_cluster(cluster, workers)
    for p in paths:
        if not p.exists():
            fail(_("{path}: no such file or folder").format(path=p))
    progress, aligning = IngestProgress(err_console), AlignProgress(err_console)
    then = None
    if align:
        def then(store, pool):
            from cascade.queries import align_all
            return align_all(store, pool=pool, on_event=aligning).to_dict()
    try:
        with user_errors(db):
            summary = run_ingest(paths, db, workers=workers, on_event=progress, reparse=reparse, timeout=timeout,
                                 parser="cascade.parse:parse_file_ocr" if ocr else "cascade.parse:parse_file",
                                 retry_failed=retry_failed, memory_mb=memory, cluster=cluster, then=then)
    except ClusterError as e:
        fail(str(e))
    finally:
        progress.stop()
        aligning.stop()
    if as_json:
        print_json(summary.to_dict())
    else:
        from cascade.store.dialect import name
        render_ingest(summary.to_dict(), name(db), console)
        if summary.then:
            render_align(summary.then, console)
    if summary.interrupted:
        fail(_("interrupted: {n} files stored; run the same command again to finish").format(n=summary.parsed))
    raise typer.Exit(EXIT_ERROR if summary.failed or summary.then.get("failed") else EXIT_OK)


@app.command(help=_("List the stored documents; values cascade worked out itself (a province, a number) "
                    "are marked *.\n\nExamples:\n"
                    "  cascade docs --level tỉnh --since 2025\n"
                    "  cascade docs --province \"Quảng Ninh\" --type \"công văn\"\n"
                    "  cascade docs --xlsx documents.xlsx"))
def docs(
    db: str = DbOption,
    level: Optional[str] = typer.Option(None, "--level", metavar=_("LEVEL"),
                                        help=_("Only this level: trung ương (TW), tỉnh, huyện, xã (or central, "
                                               "province, district, commune).")),
    province: Optional[str] = typer.Option(None, "--province", metavar=_("NAME"),
                                           help=_("Only this province (any spelling, old or new name).")),
    doc_type: Optional[str] = typer.Option(None, "--type", metavar=_("TYPE"),
                                           help=_("Only this type of document, e.g. \"công văn\".")),
    since: Optional[str] = typer.Option(None, "--since", metavar=_("DATE"),
                                        help=_("Dated on or after: 2025, 2025-03, 2025-03-18 or 18/3/2025.")),
    until: Optional[str] = typer.Option(None, "--until", metavar=_("DATE"),
                                        help=_("Dated on or before (same forms as --since).")),
    failed: Optional[bool] = typer.Option(None, "--failed/--ok",
                                          help=_("Only the files that could not be read / only those read.")),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    bom: bool = BomOption,
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar=_("FILE"), help=_("Write an Excel file.")),
    force: bool = ForceOption,
):
    from cascade.queries import doc_rows
    with open_store(db) as store:
        rows = doc_rows(store, None, level=level, province=province, doc_type=doc_type,
                        since=since, until=until, failed=failed)
    if xlsx is not None:
        from cascade.report.sheets import docs_xlsx
        with user_errors():
            wrote(docs_xlsx(rows, xlsx, force=force))
    if as_json:
        print_json(rows)
    elif as_csv:
        from cascade.report.writer import write_csv
        write_csv(list(rows[0].keys()) if rows else ["id"], rows, bom=bom)
    elif xlsx is None:
        from cascade.report.docs_view import render_docs
        render_docs(rows, console)


@app.command(help=_("Show one document: its header, how it was identified, where its province comes from, "
                    "what it cites and who cites it.\n\nExamples:\n"
                    "  cascade show 57-NQ/TW\n"
                    "  cascade show 12"))
def show(
    doc: str = typer.Argument(..., metavar=_("DOCUMENT"), help=DOC_HELP),
    db: str = DbOption,
    as_json: bool = JsonOption,
):
    from cascade.queries import show_info
    with open_store(db) as store:
        info = show_info(store, doc)
    if as_json:
        print_json(info)
    else:
        from cascade.report.docs_view import render_show
        render_show(info, console)


@app.command(help=_("The cascade below a document: who implements it, level by level, with dates and how "
                    "many days each took to answer.\n\nExamples:\n"
                    "  cascade tree 57-NQ/TW\n"
                    "  cascade tree 57-NQ/TW --depth 2 --mentions"))
def tree(
    root: str = typer.Argument(..., metavar=_("DOCUMENT"), help=DOC_HELP),
    db: str = DbOption,
    mentions: bool = MentionsOption,
    relation: Optional[list[str]] = RelationOption,
    cited_by: bool = typer.Option(False, "--cited-by",
                                  help=_("List the documents that cite each one as basis, mentions … "
                                         "(only counted by default).")),
    depth: Optional[int] = typer.Option(None, "--depth", metavar="N", help=_("Stop this many levels down.")),
    as_json: bool = JsonOption,
):
    import gc
    # a tree of 3,000 documents is ~100,000 small dicts and lists and no cycles: the cyclic
    # collector would walk them again and again for nothing (~10 % of the command's time)
    gc.disable()
    from cascade import queries
    with open_store(db) as store:
        t = queries.tree(store, root, mentions=mentions, depth=depth, follow=relation or (), cited_by=cited_by)
    if as_json:
        print_json(t)
    else:
        from cascade.report.tree_view import render_tree
        render_tree(t, console)
    gc.enable()


@app.command(help=_("Write the graph of documents for Gephi, yEd, networkx or a spreadsheet: all of it, or "
                    "the cascade below one document.\n\n"
                    "Examples:\n"
                    "  cascade export --format graphml -o cascade.graphml\n"
                    "  cascade export 57-NQ/TW --format graphml -o 57.graphml\n"
                    "  cascade export --format csv -o edges.csv --force"))
def export(
    root: Optional[str] = typer.Argument(None, metavar=_("DOCUMENT"),
                                         help=_("Only the cascade below this document (what cascade tree shows).")),
    fmt: str = typer.Option(..., "--format", "-f", metavar="graphml|gexf|json|csv", help=_("File format.")),
    out: Path = typer.Option(..., "-o", "--output", metavar=_("FILE"), help=_("File to write.")),
    db: str = DbOption,
    mentions: bool = MentionsOption,
    relation: Optional[list[str]] = RelationOption,
    force: bool = ForceOption,
):
    from cascade import queries
    with open_store(db) as store:
        written, n_nodes, n_edges = queries.export(store, fmt, out, force=force, root=root,
                                                   follow=relation or (), mentions=mentions)
    err_console.print(_("wrote {files}: {nodes} nodes, {edges} edges").format(
        files=plain(", ".join(map(str, written))), nodes=n_nodes, edges=n_edges), highlight=False, markup=False)


@app.command(help=_("Confirm, set or reject what a document without a number is; kept when documents are "
                    "read again.\n\nExamples:\n"
                    "  cascade identify --list\n"
                    "  cascade identify corpus/001.txt 03/CT-UBND --date 2025-04-25\n"
                    "  cascade identify 7 --reject"))
def identify(
    doc: Optional[str] = typer.Argument(None, metavar=_("DOCUMENT"), help=DOC_HELP),
    key: Optional[str] = typer.Argument(None, metavar=_("NUMBER"), help=_("What it is: its number, e.g. 03/CT-UBND.")),
    db: str = DbOption,
    date: Optional[str] = typer.Option(None, "--date", metavar=_("DATE"), help=_("Its date (2025-04-25).")),
    issuer: Optional[str] = typer.Option(None, "--issuer", metavar=_("NAME"),
                                         help=_("Who issued it, e.g. \"Chủ tịch UBND tỉnh Hưng Yên\".")),
    province: Optional[str] = typer.Option(None, "--province", metavar=_("NAME"), help=_("Its province.")),
    reject: bool = typer.Option(False, "--reject", help=_("Say the document is NOT what it was identified as.")),
    clear: bool = typer.Option(False, "--clear", help=_("Forget what was said about the document.")),
    list_: bool = typer.Option(False, "--list", help=_("List every identification, automatic and confirmed.")),
    as_json: bool = JsonOption,
):
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
        console.print(_("cleared {n} decision(s) on document {doc}").format(n=d.cleared, doc=d.doc_id), markup=False)
    elif d.action == "rejected":
        console.print(_("document {doc} will not be identified automatically").format(doc=d.doc_id), markup=False)
    else:
        console.print(plain(_("document {doc} is {key}").format(doc=d.doc_id, key=d.key)
                            + (f", {d.date}" if d.date else "") + (f", {d.issuer}" if d.issuer else "")),
                      markup=False, highlight=False)


@app.command(help=_("Say that citations of one number mean another (a typo in the source); kept when "
                    "documents are read again.\n\nExample:\n"
                    "  cascade alias 52-NQ/TW 57-NQ/TW --doc 03/CT-UBND"))
def alias(
    from_key: str = typer.Argument(..., metavar=_("AS_CITED"), help=_("The number as cited (e.g. a typo: 52-NQ/TW).")),
    to_key: str = typer.Argument(..., metavar=_("MEANT"), help=_("The number it means (57-NQ/TW).")),
    db: str = DbOption,
    doc: Optional[str] = typer.Option(None, "--doc", metavar=_("DOCUMENT"),
                                      help=_("Only in this citing document (number, id or file).")),
):
    from cascade import queries
    with open_store(db) as store:
        doc_id = queries.alias(store, from_key, to_key, doc)
    console.print(plain(f"{from_key} → {to_key}")
                  + (" " + _("in document {doc}").format(doc=doc_id) if doc_id else ""), markup=False, highlight=False)


# ---------------------------------------------------------------------------- diff, coverage, flag
@app.command(help=_("Put a parent's tasks beside a child's: kept, reworded, narrowed, merged, split, dropped, "
                    "added; changed words marked.\n\nExamples:\n"
                    "  cascade diff 03/CT-UBND corpus/000_6c98d13a1ba499c1.txt\n"
                    "  cascade diff parent.docx child.docx --fail-on dropped"))
def diff(
    parent: str = typer.Argument(..., metavar=_("PARENT"), help=_("The document giving the tasks: a file, or a "
                                                                  "number, id or file in the store.")),
    child: str = typer.Argument(..., metavar=_("CHILD"), help=_("The document implementing it: a file, or a "
                                                                "number, id or file in the store.")),
    db: str = DbOption,
    indirect: bool = typer.Option(False, "--indirect", help=_("The child skips a level (the document between "
                                                              "them is missing).")),
    level: str = typer.Option("leaf", "--level", metavar="leaf|top",
                              help=_("Compare the smallest tasks (leaf) or the top items with their sub-items (top).")),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="dropped|weakened",
                                          help=_("Exit with code 3 if a task is dropped (or weakened).")),
    as_json: bool = JsonOption,
):
    from cascade import queries
    if fail_on not in (None, "dropped", "weakened"):
        fail(_("unknown --fail-on {value!r}; choose dropped or weakened").format(value=fail_on), EXIT_USAGE)
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


@app.command(help=_("How much of a parent's tasks reach each stored document below it (compared with the "
                    "nearest stored document above when a level is missing).\n\nExamples:\n"
                    "  cascade coverage 57-NQ/TW\n"
                    "  cascade coverage 57-NQ/TW --xlsx coverage.xlsx\n"
                    "  cascade coverage 03/CT-UBND --detail"))
def coverage(
    parent: str = typer.Argument(..., metavar=_("PARENT"), help=DOC_HELP),
    db: str = DbOption,
    detail: bool = typer.Option(False, "--detail", help=_("Show every child's tasks side by side too.")),
    mentions: bool = typer.Option(False, "--mentions",
                                  help=_("Also follow documents that only mention it, not only those implementing it.")),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    bom: bool = BomOption,
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar=_("FILE"),
                                        help=_("Write the task × document table to an Excel file, with the "
                                               "task texts and a legend.")),
    force: bool = ForceOption,
    by: Optional[str] = typer.Option(None, "--by", metavar="level|province",
                                     help=_("Roll up by level or by province: parent tasks × groups.")),
):
    from cascade import queries
    from cascade.files import check_output
    from cascade.report import diff_view, writer
    if xlsx is not None:
        with user_errors():
            check_output(xlsx, force)          # before the slow part
    if by is not None:
        from cascade.report.report_model import heatmap_rows
        with open_store(db) as store:
            hm = queries.coverage_rollup(store, parent, by, mentions=mentions)
        header, rows = heatmap_rows(hm)
        if xlsx is not None:
            from cascade.report.sheets import rollup_xlsx
            with user_errors():
                wrote(rollup_xlsx(header, rows, by, xlsx, force=force))
        if as_json:
            print_json([dict(zip(header, r)) for r in rows])
        elif as_csv:
            writer.write_csv(header, rows, bom=bom)
        elif xlsx is None:
            diff_view.render_rollup(hm, console, title=_("coverage of {doc} by {by}").format(doc=parent, by=by))
        return
    with open_store(db) as store:
        cov = queries.coverage(store, parent, mentions=mentions, with_details=detail and not as_json,
                               with_texts=xlsx is not None)
    for d in cov.details:
        diff_view.render(d.alignment, d.parent.tasks, d.child.tasks, console)
    if as_csv:
        writer.write_csv(*cov.matrix(), bom=bom)
    if xlsx is not None:
        from cascade.report.sheets import coverage_xlsx
        with user_errors():
            wrote(coverage_xlsx(*cov.matrix(), cov.task_texts, xlsx, force=force))
    if as_csv:
        return
    if as_json:
        print_json([al.to_dict() for al in cov.alignments])
    else:
        diff_view.render_coverage(cov.alignments, console, title=_("coverage of {doc}").format(doc=parent))


@app.command(help=_("Align every stored document with its parent now and keep the results, so that coverage, "
                    "flag and report answer at once: after a large ingest, on a Dask cluster with --cluster. Only "
                    "pairs whose documents changed are aligned again.\n\nExamples:\n"
                    "  cascade align\n"
                    "  cascade align 57-NQ/TW\n"
                    "  cascade align --cluster tcp://scheduler:8786"))
def align(
    docs: List[str] = typer.Argument(None, metavar=_("DOCUMENT"),
                                     help=_("Documents whose cascades to align; default: every top document.")),
    db: str = DbOption,
    mentions: bool = typer.Option(False, "--mentions",
                                  help=_("Also align documents that only mention their parent (as coverage --mentions).")),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", metavar="N",
                                          help=_("How many pairs to align at once (default: one per processor core).")),
    cluster: Optional[str] = typer.Option(None, "--cluster", metavar="tcp://HOST:PORT|local:N",
                                          help=_("Align on a Dask cluster: the address of its scheduler, or local:N "
                                                 "for N worker processes on this machine.")),
    as_json: bool = JsonOption,
):
    from cascade import queries
    from cascade.cluster import ClusterError
    from cascade.report.store_view import AlignProgress, render_align
    check_cluster(cluster, workers)
    progress = AlignProgress(err_console)
    try:
        with open_store(db) as store, user_errors(db):
            run = queries.align(store, docs or (), mentions=mentions, workers=workers, cluster=cluster,
                                on_event=progress)
    except ClusterError as e:
        fail(str(e))
    finally:
        progress.stop()
    if as_json:
        print_json(run.to_dict())
    else:
        render_align(run.to_dict(), console)
    raise typer.Exit(EXIT_ERROR if run.failed else EXIT_OK)


@app.command(help=_("The inspector's list: dropped and weakened tasks, citations that contradict what they "
                    "cite, blank numbers and dates.\n\nExamples:\n"
                    "  cascade flag\n"
                    "  cascade flag 57-NQ/TW --severity medium\n"
                    "  cascade flag --xlsx findings.xlsx"))
def flag(
    docs: List[str] = typer.Argument(None, metavar=_("DOCUMENT"),
                                     help=_("Documents whose cascades to check; default: every top document.")),
    db: str = DbOption,
    severity: str = typer.Option("low", "--severity", metavar="low|medium|high",
                                 help=_("Show findings of at least this severity.")),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="low|medium|high",
                                          help=_("Exit with code 3 when a finding reaches this severity.")),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    bom: bool = BomOption,
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", metavar=_("FILE"), help=_("Write an Excel file.")),
    force: bool = ForceOption,
    dismissed: bool = typer.Option(False, "--dismissed",
                                   help=_("Also list the findings dismissed with cascade dismiss, marked so.")),
):
    from cascade import queries
    from cascade.flag import COLUMNS, SEVERITIES, at_least, rank
    for sev in (severity, fail_on):
        if sev is not None and sev not in SEVERITIES:
            fail(_("unknown severity {value!r}; choose {allowed}").format(value=sev, allowed=", ".join(SEVERITIES)),
                 EXIT_USAGE)
    with open_store(db) as store:
        found, gone = queries.flag(store, docs)
    shown = at_least(found, severity)
    hidden = at_least(gone, severity)
    gone_ids = {f.id for f in hidden}
    if dismissed:
        shown = sorted(shown + hidden, key=rank)
    rows = [dict(f.to_dict(), dismissed=f.id in gone_ids) if dismissed else f.to_dict() for f in shown]
    if xlsx is not None:
        from cascade.report.sheets import findings_xlsx
        with user_errors():
            wrote(findings_xlsx(shown, xlsx, force=force, dismissed=gone_ids if dismissed else None))
    if as_json:
        print_json(rows)
    elif as_csv:
        from cascade.report.writer import write_csv
        write_csv(list(COLUMNS) + (["dismissed"] if dismissed else []), rows, bom=bom)
    elif xlsx is None:
        from cascade.report.store_view import render_findings
        render_findings(shown, console, dismissed=gone_ids if dismissed else None)
    if hidden and not dismissed:
        err_console.print(ngettext("{n} dismissed finding not shown (--dismissed lists it)",
                                   "{n} dismissed findings not shown (--dismissed lists them)",
                                   len(hidden)).format(n=len(hidden)), highlight=False, markup=False)
    if fail_on and at_least(found, fail_on):
        raise typer.Exit(EXIT_FINDINGS)


@app.command(help=_("Say that findings of cascade flag were read and need no action (a task the child carries "
                    "in other words, say): flag stops listing them; kept when documents are read again.\n\n"
                    "Examples:\n"
                    "  cascade dismiss 3f2a91c0 --note \"carried as item 3.5\"\n"
                    "  cascade dismiss --list\n"
                    "  cascade dismiss 3f2a91c0 --undo"))
def dismiss(
    ids: List[str] = typer.Argument(None, metavar="ID", help=_("Finding ids as cascade flag shows them "
                                                               "(the first 4 characters are enough).")),
    db: str = DbOption,
    note: str = typer.Option("", "--note", metavar=_("TEXT"), help=_("Why: kept with the dismissal.")),
    undo: bool = typer.Option(False, "--undo", help=_("List the findings again.")),
    list_: bool = typer.Option(False, "--list", help=_("List the dismissed findings.")),
    as_json: bool = JsonOption,
):
    from cascade import queries
    from cascade.report import labels
    if not ids and not list_:
        fail(_("give the id of a finding (cascade flag shows them), or --list"), EXIT_USAGE)
    with open_store(db) as store:
        if list_:
            rows = [dict(r, id=r.pop("finding")) for r in store.dismissed().values()]
        else:
            with user_errors(db):
                done = queries.dismiss(store, ids, note=note, undo=undo)
    if list_:
        if as_json:
            print_json(rows)
        else:
            from cascade.report.store_view import render_dismissals
            render_dismissals(rows, console)
        return
    if as_json:
        print_json({"action": done.action, "findings": done.findings})
        return
    for f in done.findings:
        what = plain(f"{f['id']}  {labels.finding_kind(f['kind'])}  {f.get('document') or ''} "
                     f"{f.get('parent') or ''} {f.get('task') or ''}".rstrip())
        console.print((_("dismissed: {what}") if done.action == "dismissed" else _("listed again: {what}"))
                      .format(what=what), markup=False, highlight=False)


@app.command(help=_("One HTML file to open or mail: the cascade as a picture, coverage by level and province, "
                    "findings with evidence, response lags, each document annotated.\n\nExamples:\n"
                    "  cascade report 57-NQ/TW -o report.html\n"
                    "  cascade report -o all.html --force"))
def report(
    root: Optional[str] = typer.Argument(None, metavar=_("DOCUMENT"),
                                         help=_("The top document (number, id or file); none: every document "
                                                "in the store.")),
    out: Path = typer.Option(..., "-o", "--output", metavar=_("FILE"),
                             help=_("HTML file to write (one file, works offline).")),
    db: str = DbOption,
    lang: Optional[str] = typer.Option(None, "--lang", metavar="vi|en",
                                       help=_("Language of the page (default: Vietnamese, or the --lang given "
                                              "before the command).")),
    force: bool = ForceOption,
):
    from cascade import queries
    from cascade.files import check_output, output_file
    from cascade.report import html_report
    lang = (lang or CHOSEN["lang"] or "vi").strip().lower()   # mailed to Vietnamese offices: vi unless asked
    if lang not in i18n.LANGUAGES:
        fail(_("unknown language {lang!r}; choose vi or en").format(lang=lang), EXIT_USAGE)
    with user_errors():
        check_output(out, force)
    with open_store(db) as store:
        model = queries.report_model(store, root)
    with user_errors(), output_file(out, force) as tmp:
        tmp.write_text(html_report.render(model, lang), encoding="utf-8")
    err_console.print(_("wrote {path}: {nodes} documents, {edges} links, {findings} findings").format(
        path=plain(out), nodes=len(model.nodes), edges=len(model.edges), findings=len(model.findings)),
        highlight=False, markup=False)


def lang_first(argv: list[str]) -> list[str]:
    """`--lang X` may be typed anywhere (`cascade docs --lang vi`); it is moved before the command,
    where the option lives."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return ["--lang", argv[i + 1]] + argv[:i] + argv[i + 2:]
        if arg.startswith("--lang="):
            return [arg] + argv[:i] + argv[i + 1:]
    return argv


@app.command()
def check(db: str = DbOption):
    """Check the whole store (SQLite integrity_check): exit 0 when it is whole, else 1 with the problems."""
    from cascade.queries import check_store
    from cascade.store.dialect import name
    with user_errors(db):
        problems = check_store(db)
    db = name(db)
    if problems:
        for p in problems:
            err_console.print(f"{db}: {p}", highlight=False, markup=False)
        fail(f"{db}: the store is damaged ({len(problems)} problem(s) above); ingest again into a new store")
    console.print(f"{db}: ok", highlight=False, markup=False)


def main() -> None:  # console-script entry point
    try:
        app(args=lang_first(sys.argv[1:]))
    finally:
        # the process ends here: what it imported and built needs no collecting. Python's
        # finalization otherwise walks every object left (typer, pydantic, networkx, psycopg …)
        # with the cyclic collector, ~70 ms of every command; frozen, they are skipped (objects
        # are still freed and files closed as modules are cleared)
        import gc
        gc.freeze()


if __name__ == "__main__":
    main()
