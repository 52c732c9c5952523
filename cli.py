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
    err_console.print(f"[red]error:[/red] {message}", highlight=False)
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
):
    """Parse files and show what each document is, who issued it, what it cites and orders."""
    from cascade.parse import parse_file
    from cascade.report import parse_view

    records = []
    failed = 0
    for f in files:
        rec = parse_file(f)
        records.append(rec)
        if not rec.ok:
            failed += 1
            err_console.print(f"[red]error:[/red] {f}: {rec.error or rec.status}", highlight=False)
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
        err_console.print(f"wrote {html}")
    raise typer.Exit(EXIT_ERROR if failed else EXIT_OK)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
