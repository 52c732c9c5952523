"""Side-by-side view of an Alignment: parent tasks left, child tasks right, changed words marked.

Lost words (in the parent, not in the child) are struck through in red; added words are
green; a dropped task is a red row with nothing on the right, an added one green with
nothing on the left; weakening signals are listed under the pair.
"""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cascade.align import Alignment, units
from cascade.align import kinds as K
from cascade.align.similarity import DEFAULT_SEGMENTER, cleaned
from cascade.i18n import _, level_name
from cascade.models import Task
from cascade.report import fit, labels
from cascade.report.safe import plain
from cascade.report.safe import text as safe_text

UNCERTAIN = 0.40   # a link scored below this is shown as uncertain: related tasks, maybe not the same

KIND_STYLE = {
    K.VERBATIM: "green", K.NEAR_VERBATIM: "green", K.REWORDED: "yellow",
    K.NARROWED: "magenta", K.BROADENED: "cyan", K.MERGED: "blue", K.SPLIT: "blue",
    K.DROPPED: "bold red", K.ADDED: "bold green", K.IN_TEXT: "green", K.DELIVERED: "green",
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
    ctasks = {t.path: t for t in units(child_tasks, level, child=True)}
    table = Table(title=safe_text(title or f"{al.parent_doc or _('parent')}  →  {al.child_doc or _('child')}"
                                  + ("  " + _("(indirect)") if al.indirect else "")),
                  show_lines=True, expand=True)
    table.add_column("#", no_wrap=True, style="bold")
    table.add_column(_("parent task"), ratio=1)
    table.add_column(_("change"), no_wrap=True)
    table.add_column("#", no_wrap=True, style="bold")
    table.add_column(_("child task"), ratio=1)
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
        change = Text(labels.pair_kind(p.kind), style=KIND_STYLE.get(p.kind, ""))
        change.append(f"\n{p.score:.2f}", style="dim")
        if pt is not None and ct is not None and p.score < UNCERTAIN:
            change.append(" " + _("uncertain"), style="dim italic")
        for w in p.weakened:
            change.append(f"\n⚠ {plain(labels.signal(w))}", style="bold red")
        table.add_row(p.parent or "", left, change, p.child or "", right)     # task paths: digits and letters
    console.print(table)
    dropped, added = len(al.dropped), len(al.added)
    if al.coverage is None:
        console.print(_("coverage n/a: the parent has no duties to carry down; {compared}").format(
            compared=labels.compared(al)), highlight=False, markup=False)
    else:
        console.print(_("coverage {coverage} of the parent's tasks; {dropped} dropped, {added} added, "
                        "{weakened} weakened; {compared}").format(
            coverage=labels.percent(al.coverage), dropped=dropped, added=added, weakened=len(al.weakened),
            compared=labels.compared(al)), highlight=False, markup=False)
    return table


def render_coverage(alignments: list[Alignment], console: Console | None = None,
                    title: str | None = None) -> Table:
    """One row per child document below a parent: coverage, dropped/added/weakened counts, kinds.
    The keys keep their start and end (shortened in the middle, never cut letter by letter); the
    list of kinds wraps at words."""
    console = console or Console()
    parents = [plain(al.parent_doc) for al in alignments]
    children = [plain(al.child_doc) + ("  " + _("(indirect)") if al.indirect else "") for al in alignments]
    heads = [_("coverage"), _("dropped"), _("added"), _("weakened")]
    head_w = [fit.width_of(h, ["100%"]) for h in heads]
    pw = min(fit.width_of(_("parent"), parents), max(10, console.width // 6))
    kinds_min = 16
    room = fit.rest(console, [pw] + head_w + [kinds_min], floor=12)     # what the child column may take
    cw = min(fit.width_of(_("child"), children), room)
    widths = [pw, cw] + head_w
    table = Table(title=safe_text(title) if title else None, header_style="bold", box=box.SIMPLE_HEAD,
                  padding=(0, 1, 0, 0), show_edge=False)
    table.add_column(_("parent"), no_wrap=True, width=pw)
    table.add_column(_("child"), no_wrap=True, width=cw)
    for col, w in zip(heads, widths[2:]):
        table.add_column(col, justify="right", no_wrap=True, width=w)
    table.add_column(_("kinds"), width=fit.rest(console, widths, floor=12))
    for al, parent, child in zip(alignments, parents, children):
        counts: dict[str, int] = {}
        for p in al.pairs:
            if p.kind not in (K.DROPPED, K.ADDED):      # "restated in text" counted with the carried
                counts[p.kind] = counts.get(p.kind, 0) + 1
        cov = Text(labels.percent(al.coverage), style="dim" if al.coverage is None
                   else "red" if al.coverage < 1 else "green")
        table.add_row(fit.key_text(parent, pw), fit.key_text(child, cw), cov, str(len(al.dropped)),
                      str(len(al.added)), str(len(al.weakened)),
                      safe_text(", ".join(f"{labels.pair_kind(k)}\u00a0{v}" for k, v in counts.items())))
    console.print(table)
    if not alignments:
        console.print(_("no stored document below it to compare with"), style="dim")
    else:
        console.print(_("only duties (items of kind task) are compared; n/a: the parent has none"), style="dim")
    return table


def render_rollup(hm, console: Console | None = None, title: str | None = None) -> Table:
    """A roll-up (cascade.report.report_model.Heatmap): parent tasks × levels or provinces,
    each cell 'documents carrying the task / documents compared'."""
    console = console or Console()
    table = Table(title=safe_text(title) if title else None, expand=False)
    # keys and column names never wrap (no "03/CT-UB / ND"); the task text gives way, ellipsized
    parent_w = min(24, max([6] + [len(hm.labels.get(p, p)) for p, _, _ in hm.rows]))
    task_w = max([len(_("task"))] + [len(path) for _, path, _ in hm.rows])
    names = [(level_name(c) if hm.by == "level" else c) or "?" for c in hm.columns]
    col_w = [max(5, len(c)) for c in names]
    text_w = max(8, console.width - parent_w - task_w - sum(col_w) - 3 * (3 + len(col_w)) - 1)
    table.add_column(_("parent"), no_wrap=True, width=parent_w, overflow="ellipsis")
    table.add_column(_("task"), no_wrap=True, width=task_w)
    table.add_column(_("task text"), overflow="ellipsis", no_wrap=True, width=min(text_w, 60))
    for c, w in zip(names, col_w):
        table.add_column(safe_text(c), justify="center", no_wrap=True, width=w)
    for (p, path, text), cells in zip(hm.rows, hm.cells):
        marks = [Text("") if c is None else
                 Text(f"{c.carried}/{c.total}", style="green" if c.carried == c.total else
                      "yellow" if c.carried else "red") for c in cells]
        table.add_row(safe_text(hm.labels.get(p, p)), safe_text(path), safe_text(text), *marks)
    console.print(table)
    if not hm.rows:
        console.print(_("no stored document below it to compare with"), style="dim")
    else:
        console.print(_("each cell: documents carrying the task / documents compared in that column"), style="dim")
    return table
