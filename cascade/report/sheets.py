"""Excel workbooks a person reads (`--xlsx` of docs, flag and coverage): headers and values in
the interface language, task text beside task numbers, a legend; written by writer.write_xlsx."""
from __future__ import annotations

from pathlib import Path

from cascade.i18n import _
from cascade.report import labels
from cascade.report.writer import write_xlsx


def docs_xlsx(rows: list[dict], path, force: bool = False) -> Path:
    header = [_("id"), _("type"), _("number"), _("date"), _("level"), _("province"), _("issuer"),
              _("title"), _("file"), _("status"), _("anomalies")]
    data = [[r["id"], r["doc_type"], r["number"] or r["identified_number"], r["date"],
             labels.level_name(r["level"]), r["province"], r["issuer"], r["title"], r["path"],
             labels.status(r["status"]) + (f": {r['error']}" if r["error"] else ""),
             "; ".join(labels.anomalies(r["anomalies"]))] for r in rows]
    return write_xlsx(header, data, path, sheet=_("documents"), force=force, widths={7: 60, 10: 40})


def findings_xlsx(findings: list, path, force: bool = False, dismissed: set | None = None) -> Path:
    """`dismissed`: ids of findings listed although dismissed (a last column says so)."""
    header = [_("id"), _("severity"), _("document"), _("finding"), _("parent"), _("task"), _("evidence"), _("file")]
    data = [[f.id, labels.severity(f.severity), f.document, labels.finding_kind(f.kind), f.parent, f.task,
             labels.evidence(f.evidence), f.path] for f in findings]
    if dismissed is not None:
        header.append(_("dismissed"))
        for row, f in zip(data, findings):
            row.append(_("yes") if f.id in dismissed else "")
    return write_xlsx(header, data, path, sheet=_("findings"), force=force, widths={6: 70},
                      legend=labels.severity_legend())


def coverage_xlsx(header: list[str], rows: list[list], task_texts: dict, path, force: bool = False) -> Path:
    """The task × document matrix of flag.coverage_matrix with each parent task's text beside
    its number; the last row (coverage percentages) labelled in words."""
    head = [_("parent"), _("task"), _("task text")] + header[2:]
    data = []
    for r in rows[:-1]:
        data.append(r[:2] + [task_texts.get((r[0], r[1]), "")] + r[2:])
    if rows:
        data.append([_("coverage"), "", ""] + rows[-1][2:])
    return write_xlsx(head, data, path, sheet=_("coverage"), force=force, widths={2: 70},
                      legend=labels.coverage_legend())


def rollup_xlsx(header: list[str], rows: list[list], by: str, path, force: bool = False) -> Path:
    """`coverage --by level|province` (report_model.heatmap_rows): parent tasks × groups, each cell
    "carried/compared"; level columns named in the interface language."""
    groups = [labels.level_name(c) if by == "level" else c for c in header[3:]]
    head = [_("parent"), _("task"), _("task text")] + groups
    legend = [(_("3/4"), _("3 of the 4 documents compared in that column carry the task")),
              ("", _("no document in that column answers this parent"))]
    return write_xlsx(head, rows, path, sheet=_("coverage"), force=force, widths={2: 70}, legend=legend)
