"""Rich view of one parsed Record for `cascade parse`.

Header fields, citations with their relation, the task tree and the closing.
"""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

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
    level = ", ".join(x for x in (iss.level, iss.unit, iss.locality) if x)
    if iss.inferred and level:
        level += " (inferred from the text)"
    _kv(grid, "type", rec.doc_type)
    _kv(grid, "number", rec.number or (f"(blank) /{rec.symbol}" if rec.symbol else None))
    _kv(grid, "date", rec.date)
    _kv(grid, "place", rec.place)
    _kv(grid, "issuer", issuer)
    _kv(grid, "level", level or None)
    _kv(grid, "subject" if rec.subject else "title", rec.subject or rec.title)
    _kv(grid, "to", rec.recipients)
    _kv(grid, "signed", " · ".join(rec.signer.authority + ([rec.signer.name] if rec.signer.name else [])) or None)
    if rec.stamps:            # e-signature stamps: who signed or forwarded the copy, when
        _kv(grid, "stamped", "; ".join(" ".join(x for x in (st.body, st.time) if x) or st.text for st in rec.stamps))
    if rec.gazette:
        _kv(grid, "gazette", f"Công báo số {rec.gazette}")
    _kv(grid, "source", f"{rec.source} [{rec.format}, {rec.text_source}]")

    cites = Table(title="Citations", title_justify="left", show_lines=False, expand=True)
    for col in ("relation", "type", "number", "date"):
        cites.add_column(col, no_wrap=True)
    cites.add_column("issuer", overflow="fold", ratio=1)
    cites.add_column("title", no_wrap=True, overflow="ellipsis", ratio=2)
    for c in rec.citations:
        rel = Text(c.relation, style="green" if c.relation == "implements" else "dim")
        pin = f" ({', '.join(c.pinpoints)})" if c.pinpoints else ""
        cites.add_row(rel, text(c.type or ""), text((c.number or "—") + pin), text(c.date or ""),
                      text(c.issuer or ""), text((c.title or "")[:80]))

    tree = Tree(Text(f"Tasks ({len(rec.tasks)})", style="bold"))
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
        parts.append(text(f"warning: {w}", style="yellow"))
    console.print(Panel(Group(*parts), title=text(rec.source), title_align="left"))
