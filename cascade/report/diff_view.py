"""Side-by-side view of an Alignment: parent tasks left, child tasks right, changed words marked.

Lost words (in the parent, not in the child) are struck through in red; added words are
green; a dropped task is a red row with nothing on the right, an added one green with
nothing on the left; weakening signals are listed under the pair.
"""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cascade.align import Alignment, units
from cascade.align import kinds as K
from cascade.align.similarity import DEFAULT_SEGMENTER, cleaned
from cascade.models import Task
from cascade.report.safe import plain
from cascade.report.safe import text as safe_text

UNCERTAIN = 0.40   # a link scored below this is shown as uncertain: related tasks, maybe not the same

KIND_STYLE = {
    K.VERBATIM: "green", K.NEAR_VERBATIM: "green", K.REWORDED: "yellow",
    K.NARROWED: "magenta", K.BROADENED: "cyan", K.MERGED: "blue", K.SPLIT: "blue",
    K.DROPPED: "bold red", K.ADDED: "bold green",
}


def _marked(text: str, marks: list[tuple[int, int, str]], style: str) -> Text:
    """The cleaned text with the spans whose status is not 'equal' styled."""
    src = plain(cleaned(text))
    out = Text()
    pos = 0
    # merge neighbouring changed spans so the spaces and commas between them are styled too
    runs: list[list[int]] = []
    for a, b, status in marks:
        if status == "equal":
            continue
        if runs and src[runs[-1][1]:a].strip(" ,;") == "":
            runs[-1][1] = b
        else:
            runs.append([a, b])
    for a, b in runs:
        out.append(src[pos:a])
        out.append(src[a:b], style=style)
        pos = b
    out.append(src[pos:])
    return out


def render(al: Alignment, parent_tasks: list[Task], child_tasks: list[Task],
           console: Console | None = None, *, level: str = "leaf",
           segmenter: str = DEFAULT_SEGMENTER, title: str | None = None) -> Table:
    """Print (and return) the aligned tasks as a rich Table."""
    console = console or Console()
    ptasks = {t.path: t for t in units(parent_tasks, level)}
    ctasks = {t.path: t for t in units(child_tasks, level)}
    table = Table(title=safe_text(title or f"{al.parent_doc or 'parent'}  →  {al.child_doc or 'child'}"
                                  + ("  (indirect)" if al.indirect else "")),
                  show_lines=True, expand=True)
    table.add_column("#", no_wrap=True, style="bold")
    table.add_column("parent task", ratio=1)
    table.add_column("change", no_wrap=True)
    table.add_column("#", no_wrap=True, style="bold")
    table.add_column("child task", ratio=1)
    for p in al.pairs:
        pt = ptasks.get(p.parent) if p.parent else None
        ct = ctasks.get(p.child) if p.child else None
        if pt is not None and ct is not None:
            d = K.word_diff(pt.text, ct.text, segmenter)
            left = _marked(pt.text, d.parent_marks[0], "red strike")
            right = _marked(ct.text, d.child_marks[0], "green")
        else:
            left = safe_text(cleaned(pt.text), style="red") if pt is not None else Text("—", style="dim")
            right = safe_text(cleaned(ct.text), style="green") if ct is not None else Text("—", style="dim")
        change = Text(p.kind, style=KIND_STYLE.get(p.kind, ""))
        change.append(f"\n{p.score:.2f}", style="dim")
        if pt is not None and ct is not None and p.score < UNCERTAIN:
            change.append(" uncertain", style="dim italic")
        for w in p.weakened:
            change.append(f"\n⚠ {plain(w)}", style="bold red")
        table.add_row(p.parent or "", left, change, p.child or "", right)     # task paths: digits and letters
    console.print(table)
    dropped, added = len(al.dropped), len(al.added)
    console.print(f"coverage {al.coverage:.0%} of the parent's tasks; {dropped} dropped, {added} added, "
                  f"{len(al.weakened)} weakened", highlight=False)
    return table


def render_coverage(alignments: list[Alignment], console: Console | None = None,
                    title: str | None = None) -> Table:
    """One row per child document below a parent: coverage, dropped/added/weakened counts, kinds."""
    console = console or Console()
    table = Table(title=safe_text(title) if title else None, expand=False)
    for col in ("parent", "child", "coverage", "dropped", "added", "weakened", "kinds"):
        table.add_column(col, justify="right" if col in ("coverage", "dropped", "added", "weakened") else "left")
    for al in alignments:
        counts: dict[str, int] = {}
        for p in al.pairs:
            if p.kind not in (K.DROPPED, K.ADDED):
                counts[p.kind] = counts.get(p.kind, 0) + 1
        cov = Text(f"{al.coverage:.0%}", style="red" if al.coverage < 1 else "green")
        child = safe_text(al.child_doc or "")
        if al.indirect:
            child.append("  (indirect)", style="dim")
        table.add_row(safe_text(al.parent_doc or ""), child, cov, str(len(al.dropped)), str(len(al.added)),
                      str(len(al.weakened)), safe_text(", ".join(f"{k} {v}" for k, v in counts.items())))
    console.print(table)
    if not alignments:
        console.print("no stored document below it to compare with", style="dim")
    return table


def render_rollup(hm, console: Console | None = None, title: str | None = None) -> Table:
    """A roll-up (cascade.report.report_model.Heatmap): parent tasks × levels or provinces,
    each cell 'documents carrying the task / documents compared'."""
    console = console or Console()
    table = Table(title=safe_text(title) if title else None, expand=False)
    # keys and column names never wrap (no "03/CT-UB / ND"); the task text gives way, ellipsized
    parent_w = min(24, max([6] + [len(hm.labels.get(p, p)) for p, _, _ in hm.rows]))
    task_w = max([4] + [len(path) for _, path, _ in hm.rows])
    col_w = [max(5, len(c or "?")) for c in hm.columns]
    text_w = max(8, console.width - parent_w - task_w - sum(col_w) - 3 * (3 + len(col_w)) - 1)
    table.add_column("parent", no_wrap=True, width=parent_w, overflow="ellipsis")
    table.add_column("task", no_wrap=True, width=task_w)
    table.add_column("text", overflow="ellipsis", no_wrap=True, width=min(text_w, 60))
    for c, w in zip(hm.columns, col_w):
        table.add_column(safe_text(c or "?"), justify="center", no_wrap=True, width=w)
    for (p, path, text), cells in zip(hm.rows, hm.cells):
        marks = [Text("") if c is None else
                 Text(f"{c.carried}/{c.total}", style="green" if c.carried == c.total else
                      "yellow" if c.carried else "red") for c in cells]
        table.add_row(safe_text(hm.labels.get(p, p)), safe_text(path), safe_text(text), *marks)
    console.print(table)
    if not hm.rows:
        console.print("no stored document below it to compare with", style="dim")
    else:
        console.print("each cell: documents carrying the task / documents compared in that column", style="dim")
    return table
