"""Rich renderers for the store commands' own output: ingest progress and summary, identifications.

Listings of documents and one document are in docs_view.py; the cascade tree in tree_view.py.
"""
from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table


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
                self.progress.console.print(f"[red]failed:[/red] {data['path']}: {data['error']}", highlight=False)
            self.progress.update(self.task, advance=1, last=Path(data["path"]).name[:40])
        elif kind == "done":
            self.stop()

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False


def render_ingest(d: dict, db, console: Console) -> None:
    """The summary table of one ingest run (Summary.to_dict())."""
    t = Table(title=f"ingest into {db}", show_header=False)
    for k in ("files", "new", "changed", "unchanged", "moved", "duplicate", "removed", "retried", "parsed", "failed"):
        if d[k] or k in ("files", "parsed", "failed"):
            t.add_row(k, str(d[k]))
    for fmt, c in sorted(d["by_format"].items()):
        t.add_row(f"  {fmt}", f"{c['parsed']} parsed, {c['failed']} failed")
    t.add_row("time", f"{d['seconds']:.1f} s" + (f" ({d['files_per_second']} files/s)" if d["parsed"] else ""))
    console.print(t)


def render_identifications(rows: list[dict], console: Console) -> None:
    for r in rows:
        ev = ", ".join(f"{k} {v}" for k, v in r["evidence"].items())
        console.print(f"[bold]{r['doc_id']}[/bold] {Path(r['path']).name} = [bold]{r['key']}[/bold] "
                      f"({r['method']}, {r['confidence']:.2f}) {ev}", highlight=False)
    if not rows:
        console.print("no identifications")


def render_findings(findings: list, console: Console) -> None:
    """`cascade flag`: one row per finding, most severe first."""
    t = Table(title=f"{len(findings)} findings", title_justify="left")
    for col in ("severity", "document", "kind", "task", "evidence"):
        t.add_column(col, overflow="fold")
    style = {"high": "bold red", "medium": "yellow", "low": "dim"}
    for f in findings:
        t.add_row(f"[{style[f.severity]}]{f.severity}[/]", f.document, f.kind,
                  f"{f.parent} {f.task}".strip(), f.evidence)
    console.print(t)
