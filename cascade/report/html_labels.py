"""Every label of the HTML pages (the annotated view and the cascade report), by key.

The English texts below are msgids of the interface's gettext catalogue (`cascade.i18n`; Vietnamese in
cascade/locale/vi/LC_MESSAGES/cascade.po, with every other message of the interface, so that the
terminal, Excel and the HTML pages use one vocabulary). The renderers only ever call `labels(lang)[key]`.
"""
from __future__ import annotations

from functools import lru_cache

from cascade.i18n import LANGUAGES, N_, translator

EN = {
    "view.title": N_("Annotated document"),
    "view.legend": N_("Legend"),
    "view.file": N_("File"),
    "view.documents": N_("{n} documents"),
    "span.NUMBER": N_("Number"),
    "span.DATE": N_("Date of issue"),
    "span.ISSUER": N_("Issuer"),
    "span.TITLE": N_("Title"),
    "span.TASK": N_("Task"),
    "span.ASSIGNEE": N_("Assignee"),
    "span.DEADLINE": N_("Deadline"),
    "span.SIGNER": N_("Signer"),
    "span.CITATION": N_("Cited document"),
    "rel.implements": N_("implements"),
    "rel.responds": N_("responds to"),
    "rel.guides": N_("guides"),
    "rel.amends": N_("amends"),
    "rel.replaces": N_("replaces"),
    "rel.repeals": N_("repeals"),
    "rel.consolidates": N_("consolidates"),
    "rel.basis": N_("legal basis"),
    "rel.mentions": N_("mentions"),
    "level.central": N_("Central"),
    "level.province": N_("Province"),
    "level.district": N_("District"),
    "level.commune": N_("Commune"),
    "level.": N_("Level unknown"),
    "report.title": N_("Implementation report: {root}"),
    "report.all": N_("the whole store"),
    "report.generated": N_("Made on {date} by cascade"),
    "report.summary": N_("{nodes} documents ({stored} in the store), {edges} links"),
    "tab.graph": N_("Cascade"),
    "tab.heatmap": N_("Coverage"),
    "tab.findings": N_("Findings"),
    "tab.lags": N_("Response lags"),
    "tab.documents": N_("Documents"),
    "graph.hint": N_("Click a document for its record and its task comparison with its parent. "
                    "Scroll to zoom, drag to pan."),
    "graph.reset": N_("Show all"),
    "graph.find": N_("Find a number or title"),
    "graph.nocoverage": N_("not compared"),
    "graph.external": N_("not in the store"),
    "legend.coverage": N_("Document colour: share of the parent's tasks carried"),
    "legend.edges": N_("Line: relation to the parent document"),
    "node.key": N_("Number"),
    "node.type": N_("Type"),
    "node.date": N_("Date"),
    "node.issuer": N_("Issuer"),
    "node.level": N_("Level"),
    "node.province": N_("Province"),
    "node.title": N_("Title"),
    "node.coverage": N_("Coverage"),
    "node.parent": N_("Parent"),
    "node.lag": N_("Answered after"),
    "node.view": N_("Open the annotated document"),
    "node.flags": N_("Notes"),
    "node.none": N_("Pick a document in the picture."),
    "diff.title": N_("Tasks compared with {parent}"),
    "diff.parent": N_("Parent task"),
    "diff.child": N_("This document's task"),
    "diff.kind": N_("Change"),
    "diff.none": N_("No task comparison (the parent is not in the store or has no tasks)."),
    "diff.indirect": N_("compared with the nearest stored ancestor (an intermediate document is missing)"),
    "kind.verbatim": N_("verbatim"),
    "kind.near-verbatim": N_("near-verbatim"),
    "kind.reworded": N_("reworded"),
    "kind.narrowed": N_("narrowed"),
    "kind.broadened": N_("broadened"),
    "kind.merged": N_("merged"),
    "kind.split": N_("split"),
    "kind.dropped": N_("dropped"),
    "kind.added": N_("added"),
    "heat.by_level": N_("Parent tasks × level"),
    "heat.by_province": N_("Parent tasks × province"),
    "heat.by_commune": N_("Parent tasks × commune"),
    "heat.show_communes": N_("Show by commune"),
    "heat.task": N_("Task"),
    "heat.cell": N_("{carried}/{total} documents carry it"),
    "heat.legend": N_("Each cell: documents carrying the task / documents compared in that column; empty: no document."),
    "heat.none": N_("No pair of stored documents to compare tasks between."),
    "find.severity": N_("Severity"),
    "find.document": N_("Document"),
    "find.kind": N_("Kind"),
    "find.task": N_("Task"),
    "find.evidence": N_("Evidence"),
    "find.none": N_("No findings."),
    "sev.high": N_("high"),
    "sev.medium": N_("medium"),
    "sev.low": N_("low"),
    "lag.by_level": N_("By level"),
    "lag.by_province": N_("By province"),
    "lag.group": N_("Group"),
    "lag.count": N_("Answers"),
    "lag.median": N_("Median (days)"),
    "lag.max": N_("Slowest (days)"),
    "lag.slowest": N_("Slowest answers"),
    "lag.never": N_("Never answered"),
    "lag.never_hint": N_("Stored documents with tasks that no stored document below implements."),
    "lag.days": N_("{n} days"),
    "lag.none": N_("No document has full dates to measure."),
    "doc.file": N_("File"),
    "lang.switch": N_("Tiếng Việt"),
    "finding.dropped task": N_("dropped task"),
    "finding.weakened task": N_("weakened task"),
    "finding.task not reported": N_("task not reported"),
    "finding.citation number conflicts with cited title": N_("citation number conflicts with cited title"),
    "finding.dated before its parent": N_("dated before its parent"),
    "finding.cited with different dates": N_("cited with different dates"),
    "finding.cited with another issuer": N_("cited with another issuer"),
    "finding.impossible cited date": N_("impossible cited date"),
    "finding.number left blank": N_("number left blank"),
    "finding.day left blank": N_("day left blank"),
    "finding.no number, no date, no issuer header": N_("no number, no date, no issuer header"),
}


@lru_cache(maxsize=None)
def labels(lang: str = "vi") -> dict[str, str]:
    """Every label in `lang` (vi or en)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    tr = translator(lang)
    return {key: tr.gettext(text) for key, text in EN.items()}


CATALOGUES = {lang: labels(lang) for lang in LANGUAGES}


def level_label(level: str | None, lang: str = "vi") -> str:
    return labels(lang).get(f"level.{level or ''}", level or "")
