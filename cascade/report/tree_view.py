"""Rich renderer for `cascade tree`: the nested dict of `Cascade.tree` as a tree by level.

Each node shows its level, label, type, date, issuer and the response lag to its parent; under it,
the requests it answers (`responds` edges, never drawn as parents) and how many documents cite it
in relations the tree does not follow (basis, guides, …), listed with --cited-by.
"""
from __future__ import annotations

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from cascade.i18n import _, level_name
from cascade.report import labels
from cascade.report.safe import scrub

LEVEL_STYLE = {"central": "bold magenta", "province": "bold blue", "district": "cyan", "commune": "green"}


def _label(n: dict) -> Text:
    t = Text()
    lvl = n.get("level") or ""
    t.append(f"[{level_name(lvl) or '?'}] ", style=LEVEL_STYLE.get(lvl, "dim"))
    t.append(n["label"] or n["node"], style="bold" if n["in_corpus"] else "")
    if n.get("doc_type"):
        t.append(f"  {n['doc_type']}", style="cyan")
    t.append("  " + (n["date"] or _("no date")), style="" if n["date"] else "dim")
    who = n.get("issuer") or ""
    if n.get("province") and n["province"] not in who:
        who = f"{who} ({n['province']}{'*' if n.get('province_inferred') else ''})" if who else \
            f"{n['province']}{'*' if n.get('province_inferred') else ''}"
    if who:
        t.append(f"  {who}", style="dim")
    if n.get("identified"):
        t.append("  " + _("identified {confidence:.2f}").format(confidence=n["identified_confidence"]),
                 style="yellow")
    if not n["in_corpus"]:
        t.append("  " + _("(external)"), style="dim italic")
    if n.get("lag_days") is not None:
        lag = f"+{n['lag_days']}" if n["lag_days"] >= 0 else str(n["lag_days"])
        t.append("  " + _("{n} d").format(n=lag), style="red" if n["lag_days"] < 0 else "green")
    if n.get("method") == "title":
        t.append("  " + _("(link read from its cited title)"), style="dim")
    if n.get("edge_anomaly"):
        t.append(f"  ⚠ {labels.finding_kind(n['edge_anomaly'])}", style="bold red")
    for a in labels.anomalies(n.get("anomalies")):
        t.append(f"  ⚠ {a}", style="red")
    if n.get("versions"):
        t.append("  " + _("(also as: {files})").format(files=", ".join(n["versions"])), style="dim")
    if n.get("repeat"):
        t.append("  " + _("(expanded elsewhere in this tree)"), style="dim")
    return t


def _brief(n: dict) -> Text:
    """One line for a document the tree does not expand (a request answered, a citer)."""
    t = Text()
    t.append(n["label"] or n["node"], style="bold" if n.get("in_corpus") else "")
    for k in ("doc_type", "date", "issuer"):
        if n.get(k):
            t.append(f"  {n[k]}", style="dim")
    if n.get("requests"):
        t.append("  ↑ " + _("answers {documents}").format(documents=", ".join(n["requests"])), style="yellow")
    return t


def _context(branch: Tree, node: dict) -> None:
    """Beside a node's children: the requests it answers, and who cites it in other relations
    (counted; listed when the tree was asked with --cited-by)."""
    for r in node.get("requests") or []:
        branch.add(Text("↑ " + _("answers the request") + " ", style="yellow") + _brief(r))
    counts = node.get("cited_as") or {}
    if not counts:
        return
    citers = node.get("citers")
    if citers is None:
        summary = ", ".join(f"{labels.relation(r)} {k}" for r, k in counts.items())
        branch.add(Text(_("cited by {n} more: {relations}  (--cited-by lists them)").format(
            n=sum(counts.values()), relations=summary), style="dim italic"))
        return
    for r, docs in citers.items():
        sub = branch.add(Text(_("cited as {relation} by {n}").format(relation=labels.relation(r), n=len(docs)),
                              style="dim italic"))
        for d in docs:
            sub.add(_brief(d))


def render_tree(root: dict, console: Console) -> None:
    root = scrub(root)        # labels, issuers, file names: no control sequences
    tree = Tree(_label(root))

    def add(parent: Tree, node: dict) -> None:
        if not node.get("repeat"):
            _context(parent, node)
        for child in node["children"]:
            add(parent.add(_label(child)), child)

    add(tree, root)
    console.print(tree)
