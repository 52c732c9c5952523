"""Rich renderers for the store commands' own output: ingest progress and summary, identifications.

Listings of documents and one document are in docs_view.py; the cascade tree in tree_view.py.
"""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cascade.report.safe import markup, text


class IngestProgress:
    """A progress bar on stderr driven by ingest's events (`on_event(kind, data)`)."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("[bold]parsing"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), TextColumn("{task.fields[last]}", style="dim"),
                                 console=console, transient=True)
        self.console = console
        self.task = None
        self.running = False

    def __call__(self, kind: str, data: dict) -> None:
        if kind == "scan":
            self.console.print(f"{data['files']} files, {data['to_parse']} to parse", highlight=False)
            if data["to_parse"]:
                self.progress.start()
                self.running = True
                self.task = self.progress.add_task("parse", total=data["to_parse"], last="")
        elif kind == "parsed":
            if data["status"] not in ("ok", "partial"):
                self.progress.console.print(f"[red]failed:[/red] {markup(data['path'])}: {markup(data['error'])}",
                                            highlight=False)
            # the column's format is read as markup: the file name escaped
            self.progress.update(self.task, advance=1, last=markup(Path(data["path"]).name[:40]))
        elif kind == "done":
            self.stop()

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False


def render_ingest(d: dict, db, console: Console) -> None:
    """The summary table of one ingest run (Summary.to_dict())."""
    t = Table(title=text(f"ingest into {db}"), show_header=False)
    for k in ("files", "new", "changed", "unchanged", "moved", "duplicate", "removed", "retried", "parsed", "failed"):
        if d[k] or k in ("files", "parsed", "failed"):
            t.add_row(text(k), text(d[k]))
    for fmt, c in sorted(d["by_format"].items()):
        t.add_row(text(f"  {fmt}"), text(f"{c['parsed']} parsed, {c['failed']} failed"))
    t.add_row("time", f"{d['seconds']:.1f} s" + (f" ({d['files_per_second']} files/s)" if d["parsed"] else ""))
    console.print(t)


def render_identifications(rows: list[dict], console: Console) -> None:
    for r in rows:
        ev = ", ".join(f"{k} {v}" for k, v in r["evidence"].items())
        console.print(f"[bold]{r['doc_id']}[/bold] {markup(Path(r['path']).name)} = "
                      f"[bold]{markup(r['key'])}[/bold] ({markup(r['method'])}, {r['confidence']:.2f}) "
                      f"{markup(ev)}", highlight=False)
    if not rows:
        console.print("no identifications")


def render_findings(findings: list, console: Console) -> None:
    """`cascade flag`: one row per finding, most severe first."""
    t = Table(title=f"{len(findings)} findings", title_justify="left")
    for col in ("severity", "document", "kind", "task", "evidence"):
        t.add_column(col, overflow="fold")
    style = {"high": "bold red", "medium": "yellow", "low": "dim"}
    for f in findings:
        t.add_row(text(f.severity, style[f.severity]), text(f.document), text(f.kind), text(f.task),
                  text(f.evidence))
    console.print(t)
