"""Words shown to people for the codes the pipeline stores: levels, statuses, severities, finding
and alignment kinds, weakening evidence, coverage marks. All through the gettext catalogue
(`cascade.i18n`), looked up when a view renders, so `--lang` decides; JSON and CSV keep the codes.
"""
from __future__ import annotations

import re

from cascade.align import kinds as K
from cascade.i18n import _, level_name, ngettext
from cascade.models import (AMENDS, BASIS, CONSOLIDATES, GUIDES, IMPLEMENTS, MENTIONS, REPEALS, REPLACES, RESPONDS,
                            KIND_CITED_DATES_DIFFER, KIND_CITED_ISSUER_DIFFERS, KIND_IMPOSSIBLE_CITED_DATE, KIND_DATED_BEFORE_PARENT, KIND_DAY_BLANK,
                            KIND_DROPPED_TASK, KIND_NO_HEADER, KIND_NOT_REPORTED_TASK, KIND_NUMBER_BLANK, KIND_TITLE_CONFLICT,
                            KIND_WEAKENED_TASK, STATUS_EMPTY, STATUS_ERROR, STATUS_NO_TEXT, STATUS_OK,
                            STATUS_UNSUPPORTED, TASK_BASIS, TASK_BOILERPLATE, TASK_DECISION, TASK_DUTY,
                            TASK_INFORMATION, TASK_OBJECTIVE, TASK_PRINCIPLE)

__all__ = ["level_name", "status", "severity", "finding_kind", "pair_kind", "evidence", "relation", "anomalies", "percent", "task_kind", "compared", "coverage_legend",
           "severity_legend"]


def status(code: str) -> str:
    names = {STATUS_OK: _("ok"), STATUS_NO_TEXT: _("no text (scan)"), STATUS_ERROR: _("error"),
             STATUS_UNSUPPORTED: _("unsupported"), STATUS_EMPTY: _("empty"), "partial": _("partial")}
    return names.get(code, code)


def relation(code: str) -> str:
    names = {IMPLEMENTS: _("implements"), RESPONDS: _("responds to"), GUIDES: _("guides"), AMENDS: _("amends"),
             REPLACES: _("replaces"), REPEALS: _("repeals"), CONSOLIDATES: _("consolidates"),
             BASIS: _("legal basis"), MENTIONS: _("mentions")}
    return names.get(code, code)


def severity(code: str) -> str:
    names = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    return names.get(code, code)


def finding_kind(kind: str) -> str:
    names = {KIND_DROPPED_TASK: _("dropped task"), KIND_WEAKENED_TASK: _("weakened task"),
             KIND_NOT_REPORTED_TASK: _("task not reported"),
             KIND_TITLE_CONFLICT: _("citation number conflicts with cited title"),
             KIND_DATED_BEFORE_PARENT: _("dated before its parent"),
             KIND_CITED_DATES_DIFFER: _("cited with different dates"),
             KIND_CITED_ISSUER_DIFFERS: _("cited with another issuer"),
             KIND_IMPOSSIBLE_CITED_DATE: _("impossible cited date"),
             KIND_NUMBER_BLANK: _("number left blank"), KIND_DAY_BLANK: _("day left blank"),
             KIND_NO_HEADER: _("no number, no date, no issuer header")}
    return names.get(kind, kind)


def anomalies(text_list) -> list[str]:
    """A node's anomaly kinds (a list, or the store's "a; b" string) in words."""
    items = text_list.split("; ") if isinstance(text_list, str) else list(text_list or [])
    return [finding_kind(a) for a in items if a]


def pair_kind(kind: str) -> str:
    names = {K.VERBATIM: _("verbatim"), K.NEAR_VERBATIM: _("near-verbatim"), K.REWORDED: _("reworded"),
             K.NARROWED: _("narrowed"), K.BROADENED: _("broadened"), K.MERGED: _("merged"),
             K.SPLIT: _("split"), K.DROPPED: _("dropped"), K.ADDED: _("added"),
             K.IN_TEXT: _("restated in text"), K.DELIVERED: _("carried by the document itself")}
    return names.get(kind, kind)


_SIGNAL = re.compile(r"(obligation|deadline|assignee|hedge): (.+)")
_INDIRECT = " (indirect: intermediate document missing)"
# the sentences flag.py and graph/anomalies.py write as evidence, read back to be said in the
# interface language (the stored evidence stays as written, for JSON and CSV)
_SENTENCES = (
    (re.compile(r"no task of (?P<child>.+) carries (?P<parent>.+) task (?P<task>\S+)"),
     lambda: _("no task of {child} carries task {task} of {parent}")),
    (re.compile(r"(?P<child>.+) does not report on (?P<parent>.+) task (?P<task>\S+)"),
     lambda: _("{child} does not report on task {task} of {parent}")),
    (re.compile(r"(?P<quoted>.+) is quoted in the title of (?P<target>.+), whose own title has (?P<actual>.+)"),
     lambda: _("{quoted} is quoted in the title of {target}, whose own title has {actual}")),
)


def signal(text: str) -> str:
    """One weakening signal (`obligation: phải`, as align.kinds.weakening writes it) in words."""
    m = _SIGNAL.fullmatch(text.strip())
    if not m:
        return text
    word = m.group(2)
    return {"obligation": _("the binding word “{word}” is gone"),
            "deadline": _("the deadline “{word}” is gone"),
            "assignee": _("the assignee “{word}” is gone"),
            "hedge": _("a softening word “{word}” is added")}[m.group(1)].format(word=word)


def evidence(text: str) -> str:
    """A finding's evidence in words: weakening signals, dropped tasks and title conflicts said in
    the interface language; anything else as it is."""
    if not text:
        return ""
    indirect = text.endswith(_INDIRECT)
    if indirect:
        text = text[: -len(_INDIRECT)]
    for pattern, template in _SENTENCES:
        m = pattern.fullmatch(text)
        if m:
            out = template().format(**m.groupdict())
            break
    else:
        out = "; ".join(signal(part) for part in text.split("; "))
    if indirect:
        out += " " + _("(indirect: the intermediate document is missing)")
    return out


def percent(coverage) -> str:
    """`80%`, or `n/a` (in words) where the parent has no duties to carry down."""
    return _("n/a") if coverage is None else f"{round(100 * coverage)}%"


def task_kind(kind: str) -> str:
    names = {TASK_DUTY: _("duty"), TASK_OBJECTIVE: _("objective"), TASK_PRINCIPLE: _("principle"),
             TASK_BASIS: _("legal basis"), TASK_BOILERPLATE: _("boilerplate"),
             TASK_INFORMATION: _("information"), TASK_DECISION: _("decision")}
    return names.get(kind, kind)


def compared(al) -> str:
    """What an alignment compared: `12 duties of the parent compared (not compared: objective 3)`."""
    rest = ", ".join(f"{task_kind(k)} {n}" for k, n in sorted(al.not_compared.items()))
    out = ngettext("{n} duty of the parent compared", "{n} duties of the parent compared",
                   al.compared).format(n=al.compared)
    return out + (" " + _("(not compared: {kinds})").format(kinds=rest) if rest else "")


def coverage_legend() -> list[tuple[str, str]]:
    """What the marks of the coverage matrix mean (flag.coverage_matrix writes them)."""
    return [("✓", _("carried: the duty is in the document nearly word for word, or its text restates it")),
            ("~", _("carried with changes: reworded, narrowed, broadened, merged or split")),
            ("✗", _("dropped: no task of the document carries it")),
            ("", _("not compared: the document is not aligned with this parent")),
            (_("coverage"), _("share of the parent's duties the document carries; n/a: the parent has none"))]


def severity_legend() -> list[tuple[str, str]]:
    return [(severity("high"), _("a task dropped, or a citation that contradicts the cited title")),
            (severity("medium"), _("a task weakened, or dates that do not fit")),
            (severity("low"), _("a blank number or day, a missing header: check the file"))]
