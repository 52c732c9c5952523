"""Rich renderers for the store commands' own output: ingest progress and summary, identifications.

Listings of documents and one document are in docs_view.py; the cascade tree in tree_view.py.
"""
from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from cascade.i18n import _, ngettext
from cascade.report import fit, labels


class IngestProgress:
    """A progress bar on stderr driven by ingest's events (`on_event(kind, data)`)."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("[bold]" + _("reading")), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), TextColumn("{task.fields[last]}", style="dim"),
                                 console=console, transient=True)
        self.console = console
        self.task = None
        self.running = False

    def __call__(self, kind: str, data: dict) -> None:
        if kind == "scan":
            self.console.print(_("{files} files, {to_parse} to read").format(**data)
                               + (_(", {skipped} skipped (hidden or lock files)").format(**data) if data.get("skipped") else ""),
                               highlight=False, markup=False)
            if data["to_parse"]:
                self.progress.start()
                self.running = True
                self.task = self.progress.add_task("parse", total=data["to_parse"], last="")
        elif kind == "parsed":
            if data["status"] not in ("ok", "partial"):
                self.progress.console.print(Text.assemble((_("failed:"), "red"), f" {data['path']}: {data['error']}"),
                                            highlight=False)
            self.progress.update(self.task, advance=1, last=Path(data["path"]).name[:40])
        elif kind == "done":
            self.stop()

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False


def render_ingest(d: dict, db, console: Console) -> None:
    """The summary table of one ingest run (Summary.to_dict()). Summary.parsed counts every file
    read, failures included; the table shows read-and-parsed and failed apart, so they add up."""
    names = {"files": _("files"), "new": _("new"), "changed": _("changed"), "unchanged": _("unchanged"),
             "moved": _("moved"), "duplicate": _("duplicate"), "removed": _("removed"),
             "retried": _("retried"), "parsed": _("parsed"), "failed": _("failed")}
    t = Table(title=_("ingest into {db}").format(db=db), show_header=False)
    shown = dict(d, parsed=d["parsed"] - d["failed"])
    for k in ("files", "new", "changed", "unchanged", "moved", "duplicate", "removed", "retried", "parsed", "failed"):
        if shown[k] or k in ("files", "parsed", "failed"):
            t.add_row(names[k], str(shown[k]))
    for fmt, c in sorted(d["by_format"].items()):
        t.add_row(f"  {fmt}", _("{parsed} parsed, {failed} failed").format(parsed=c["parsed"] - c["failed"],
                                                                           failed=c["failed"]))
    if d.get("skipped"):
        t.add_row(_("skipped"), _("{n} (hidden or lock files: --json lists them)").format(n=len(d["skipped"])))
    rate = _(" ({rate} files/s)").format(rate=d["files_per_second"]) if d["parsed"] else ""
    t.add_row(_("time"), _("{seconds:.1f} s").format(seconds=d["seconds"]) + rate)
    console.print(t)


def render_identifications(rows: list[dict], console: Console) -> None:
    for r in rows:
        ev = ", ".join(f"{k} {v}" for k, v in r["evidence"].items())
        console.print(Text.assemble((str(r["doc_id"]), "bold"), f" {Path(r['path']).name} = ", (r["key"], "bold"),
                                    f" ({r['method']}, {r['confidence']:.2f}) {ev}"), highlight=False)
    if not rows:
        console.print(_("no identifications"))


def render_findings(findings: list, console: Console) -> None:
    """`cascade flag`: one row per finding, most severe first; kinds and evidence in words. The
    document keeps its start and end (shortened in the middle); finding and evidence wrap at words."""
    style = {"high": "bold red", "medium": "yellow", "low": "dim"}
    rows = [(labels.severity(f.severity), f.severity, f.document, labels.finding_kind(f.kind),
             f"{f.parent} {f.task}".strip(),
             labels.evidence(f.evidence)) for f in findings]
    sev_w = fit.width_of(_("severity"), [r[0] for r in rows])
    doc_w = fit.width_of(_("document"), [r[2] for r in rows], cap=max(14, console.width // 4))
    task_w = fit.width_of(_("task"), [r[4] for r in rows], cap=16)
    left = fit.rest(console, [sev_w, doc_w, task_w, 0], floor=30)
    kind_w = max(12, left * 2 // 5)
    t = Table(title=ngettext("{n} finding", "{n} findings", len(findings)).format(n=len(findings)),
              title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0),
              show_edge=False, show_lines=True)
    t.add_column(_("severity"), no_wrap=True, width=sev_w)
    t.add_column(_("document"), no_wrap=True, width=doc_w)
    t.add_column(_("finding"), width=kind_w)
    t.add_column(_("task"), width=task_w)
    t.add_column(_("evidence"), width=max(12, left - kind_w))
    for sev_label, sev, doc, kind, task, evidence in rows:
        t.add_row(Text(sev_label, style=style.get(sev, "")), fit.middle(doc, doc_w), kind, task, evidence)
    console.print(t)
