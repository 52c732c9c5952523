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
from cascade.report.safe import markup, plain, text


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
                self.progress.console.print(Text.assemble((_("failed:"), "red"),
                                                          f" {plain(data['path'])}: {plain(data['error'])}"),
                                            highlight=False)
            # the column's format is read as markup: the file name escaped
            self.progress.update(self.task, advance=1, last=markup(Path(data["path"]).name[:40]))
        elif kind == "done":
            self.stop()

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False


class AlignProgress:
    """A progress bar on stderr driven by `align_all`'s events (`on_event(kind, data)`)."""

    def __init__(self, console: Console):
        self.progress = Progress(TextColumn("[bold]" + _("aligning")), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=console, transient=True)
        self.task = None
        self.running = False

    def __call__(self, kind: str, data: dict) -> None:
        if kind == "start" and data["pairs"]:
            self.progress.start()
            self.running = True
            self.task = self.progress.add_task("align", total=data["pairs"])
        elif kind == "aligned" and self.task is not None:
            self.progress.update(self.task, advance=data["n"])

    def stop(self) -> None:
        if self.running:
            self.progress.stop()
            self.running = False


def render_align(d: dict, console: Console) -> None:
    """One line for `cascade align` (AlignRun.to_dict()): what was aligned and saved."""
    console.print(ngettext("{roots} cascade, {pairs} pairs of a document and its parent: {computed} aligned now, "
                           "{saved} saved before ({seconds:.1f} s)",
                           "{roots} cascades, {pairs} pairs of a document and its parent: {computed} aligned now, "
                           "{saved} saved before ({seconds:.1f} s)", d["roots"]).format(**d),
                  highlight=False, markup=False)
    if d["failed"]:
        console.print(Text.assemble((_("failed:"), "red"), " " + _("{n} pairs could not be aligned ({error}); "
                                                                 "coverage and flag will align them").format(
            n=d["failed"], error=plain("; ".join(d["errors"])))), highlight=False)


def render_ingest(d: dict, db, console: Console) -> None:
    """The summary table of one ingest run (Summary.to_dict()). Summary.parsed counts every file
    read, failures included; the table shows read-and-parsed and failed apart, so they add up."""
    names = {"files": _("files"), "new": _("new"), "changed": _("changed"), "unchanged": _("unchanged"),
             "moved": _("moved"), "duplicate": _("duplicate"), "removed": _("removed"),
             "retried": _("retried"), "parsed": _("parsed"), "failed": _("failed")}
    t = Table(title=text(_("ingest into {db}").format(db=db)), show_header=False)
    shown = dict(d, parsed=d["parsed"] - d["failed"])
    for k in ("files", "new", "changed", "unchanged", "moved", "duplicate", "removed", "retried", "parsed", "failed"):
        if shown[k] or k in ("files", "parsed", "failed"):
            t.add_row(names[k], str(shown[k]))
    for fmt, c in sorted(d["by_format"].items()):
        t.add_row(text(f"  {fmt}"), _("{parsed} parsed, {failed} failed").format(parsed=c["parsed"] - c["failed"],
                                                                                 failed=c["failed"]))
    if d.get("skipped"):
        t.add_row(_("skipped"), _("{n} (hidden or lock files: --json lists them)").format(n=len(d["skipped"])))
    rate = _(" ({rate} files/s)").format(rate=d["files_per_second"]) if d["parsed"] else ""
    t.add_row(_("time"), _("{seconds:.1f} s").format(seconds=d["seconds"]) + rate)
    console.print(t)


def render_identifications(rows: list[dict], console: Console) -> None:
    for r in rows:
        ev = ", ".join(f"{k} {v}" for k, v in r["evidence"].items())
        console.print(Text.assemble((plain(r["doc_id"]), "bold"), f" {plain(Path(r['path']).name)} = ",
                                    (plain(r["key"]), "bold"), f" ({plain(r['method'])}, {r['confidence']:.2f}) "
                                    f"{plain(ev)}"), highlight=False)
    if not rows:
        console.print(_("no identifications"))


def render_findings(findings: list, console: Console, dismissed: set | None = None) -> None:
    """`cascade flag`: one row per finding, most severe first; kinds and evidence in words; under
    the severity, the finding's id (what `cascade dismiss` takes). The document keeps its start and
    end (shortened in the middle); finding and evidence wrap at words. `dismissed`: ids shown marked."""
    dismissed = dismissed or set()
    style = {"high": "bold red", "medium": "yellow", "low": "dim"}
    gone = _("dismissed")
    rows = [(labels.severity(f.severity), f.severity, plain(f.document),
             plain(labels.finding_kind(f.kind)) + (f" ({gone})" if f.id in dismissed else ""),
             plain(f"{f.parent} {f.task}".strip()),
             plain(labels.evidence(f.evidence)), f.id) for f in findings]
    sev_w = fit.width_of(_("severity"), [r[0] for r in rows] + [r[6] for r in rows] + [_("id")])
    doc_w = fit.width_of(_("document"), [r[2] for r in rows], cap=max(14, console.width // 5))
    task_w = fit.width_of(_("task"), [r[4] for r in rows], cap=16)
    left = fit.rest(console, [sev_w, doc_w, task_w, 0], floor=28)
    kind_w = max(12, left * 2 // 5)
    t = Table(title=ngettext("{n} finding", "{n} findings", len(findings)).format(n=len(findings)),
              title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0),
              show_edge=False, show_lines=True)
    t.add_column(_("severity") + "\n" + _("id"), no_wrap=True, width=sev_w, min_width=sev_w)
    t.add_column(_("document"), no_wrap=True, width=doc_w)
    t.add_column(_("finding"), width=kind_w)
    t.add_column(_("task"), width=task_w)
    t.add_column(_("evidence"), width=max(12, left - kind_w))
    for sev_label, sev, doc, kind, task, evidence, fid in rows:      # data as Text: never read as markup
        t.add_row(Text.assemble((sev_label, style.get(sev, "")), "\n", (fid, "dim")), fit.key_text(doc, doc_w),
                  Text(kind, style="dim" if fid in dismissed else ""), Text(task), Text(evidence))
    console.print(t)


def render_dismissals(rows: list[dict], console: Console) -> None:
    """`cascade dismiss --list`: each dismissed finding with its note and when."""
    for r in rows:
        what = " ".join(x for x in (r.get("document") or "", r.get("parent") or "", r.get("task") or "") if x)
        console.print(Text.assemble((plain(r["id"]), "bold"), "  ", plain(labels.finding_kind(r["kind"])), "  ",
                                    plain(what), "  ", (plain(r.get("note") or ""), "italic"), "  ",
                                    (plain(r.get("created_at") or ""), "dim")), highlight=False)
    if not rows:
        console.print(_("no dismissed findings"))
