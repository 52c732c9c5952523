"""Rich view of one parsed Record for `cascade parse`.

Header fields, citations with their relation, the task tree and the closing.
"""
from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from cascade.i18n import _, level_name
from cascade.report import fit, labels
from cascade.report.safe import plain, text


def _kv(grid: Table, key: str, value) -> None:
    if value in (None, "", []):
        value = Text("—", style="dim")
    elif isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    grid.add_row(Text(key, style="bold cyan"), value if isinstance(value, Text) else text(value))


def render(rec, console: Console) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    iss = rec.issuer
    issuer = " / ".join(x for x in (iss.parent, iss.name) if x) or None
    level = ", ".join(x for x in (level_name(iss.level) if iss.level else None, iss.unit, iss.locality) if x)
    if iss.inferred and level:
        level += " " + _("(inferred from the text)")
    _kv(grid, _("type"), rec.doc_type)
    _kv(grid, _("number"), rec.number or (_("(blank)") + f" /{rec.symbol}" if rec.symbol else None))
    _kv(grid, _("date"), rec.date)
    _kv(grid, _("place"), rec.place)
    _kv(grid, _("issuer"), issuer)
    _kv(grid, _("level"), level or None)
    _kv(grid, _("subject") if rec.subject else _("title"), rec.subject or rec.title)
    _kv(grid, _("to"), rec.recipients)
    _kv(grid, _("signed"), " · ".join(rec.signer.authority + ([rec.signer.name] if rec.signer.name else [])) or None)
    if rec.stamps:            # e-signature stamps: who signed or forwarded the copy, when
        _kv(grid, _("stamped"), "; ".join(" ".join(x for x in (st.body, st.time) if x) or st.text for st in rec.stamps))
    if rec.gazette:
        _kv(grid, _("gazette"), _("Official Gazette no. {number}").format(number=rec.gazette))
    _kv(grid, _("source"), f"{rec.source} [{rec.format}, {rec.text_source}]")

    # the citation table: relation, type, number and date keep their width (numbers shortened in
    # the middle); issuer and title share what is left and wrap at words, never letter by letter
    width = console.width - 4                      # inside the panel
    rows = []
    for c in rec.citations:
        pin = f" ({', '.join(c.pinpoints)})" if c.pinpoints else ""
        rows.append((labels.relation(c.relation), c.relation, plain(c.type), fit.middle(plain((c.number or "—") + pin), 24),
                     plain(c.date), plain(c.issuer), plain((c.title or "")[:120])))
    heads = [_("relation"), _("type"), _("number"), _("date")]
    widths = [fit.width_of(h, [r[i if i == 0 else i + 1] for r in rows], cap=cap)
              for i, (h, cap) in enumerate(zip(heads, (None, 12, 24, 10)))]
    left = max(20, width - sum(widths) - 2 * 6 + 1)
    cites = Table(title=_("Citations"), title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0),
                  show_edge=False, header_style="bold")
    for h, w in zip(heads, widths):
        cites.add_column(h, no_wrap=True, width=w, overflow="ellipsis")
    cites.add_column(_("issuer"), width=max(12, left * 2 // 5))
    cites.add_column(_("title"), width=max(8, left - max(12, left * 2 // 5)), no_wrap=True, overflow="ellipsis")
    for rel_label, rel, typ, number, date, issuer_, title in rows:      # data as Text: never markup
        cites.add_row(Text(rel_label, style="green" if rel == "implements" else "dim"), Text(typ), Text(number),
                      Text(date), Text(issuer_), Text(title))

    tree = Tree(Text(_("Tasks ({n})").format(n=len(rec.tasks)), style="bold"))
    nodes = {}
    for t in rec.tasks:
        parent_path = t.path.rsplit(".", 1)[0] if "." in t.path else None
        label = Text(f"{t.path}  ", style="bold")
        label.append(plain(t.text[:140]) + ("…" if len(t.text) > 140 else ""))
        if t.assignee:
            label.append(f"  → {plain(t.assignee)}", style="magenta")
        if t.deadline:
            label.append(f"  ⏱ {plain(t.deadline)}", style="yellow")
        nodes[t.path] = nodes.get(parent_path, tree).add(label)

    parts = [grid]
    if rec.citations:
        parts.append(cites)
    if rec.tasks:
        parts.append(tree)
    for w in rec.warnings:
        parts.append(text(_("warning: {text}").format(text=w), style="yellow"))
    console.print(Panel(Group(*parts), title=text(rec.source), title_align="left"))
