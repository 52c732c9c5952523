"""Field-by-field comparison of a parsed Record with a hand-checked expectation.

One function serves the seed gold file (../shared/gold/seeds.json) and our own
realdocs expectations (tests/realdocs_expected.json), which share its shape.
Returns a list of human-readable mismatches; an empty list means the record agrees.
"""
from __future__ import annotations

import re

from cascade.text import nfc, squash


def _n(s):
    return squash(nfc(s)) if isinstance(s, str) else s


def compare(rec, exp: dict, complete_lists: bool = True) -> list[str]:
    bad: list[str] = []

    def eq(field, got, want):
        if _n(got) != _n(want):
            bad.append(f"{field}: got {got!r}, want {want!r}")

    for f in ("doc_type", "date", "place"):
        if f in exp:
            eq(f, getattr(rec, f), exp[f])
    for f in ("number", "symbol"):      # printed spacing ("409 /TTr-CAT") is not part of the number
        if f in exp:
            got, want = getattr(rec, f), exp[f]
            if (got and re.sub(r"\s+", "", _n(got))) != (want and re.sub(r"\s+", "", _n(want))):
                bad.append(f"{f}: got {got!r}, want {want!r}")
    for f, attr in (("subject_starts", "subject"), ("title_starts", "title")):
        if f in exp:
            got = _n(getattr(rec, attr) or "")
            if not got.startswith(_n(exp[f])):
                bad.append(f"{attr}: {got[:80]!r} does not start with {exp[f]!r}")
    for f in ("level", "unit", "locality", "parent"):
        if f in exp.get("issuer", {}):
            eq(f"issuer.{f}", getattr(rec.issuer, f), exp["issuer"][f])
    if "signer" in exp:
        if "name" in exp["signer"]:
            eq("signer.name", rec.signer.name, exp["signer"]["name"])
        if "authority" in exp["signer"]:
            eq("signer.authority", [_n(a) for a in rec.signer.authority], [_n(a) for a in exp["signer"]["authority"]])
    if "recipients" in exp:
        eq("recipients", [_n(r) for r in rec.recipients], [_n(r) for r in exp["recipients"]])
    if "citations" in exp:
        bad += _citations(rec, exp["citations"], exp.get("complete_citations", complete_lists))
    if "tasks" in exp:
        bad += _tasks(rec, exp["tasks"], exp.get("complete_tasks", complete_lists))
    return bad


def _find_citation(rec, want):
    if want.get("number"):
        key = re.sub(r"\s+", "", _n(want["number"]))
        for c in rec.citations:
            if c.number and re.sub(r"\s+", "", _n(c.number)) == key:
                return c
        return None
    for c in rec.citations:
        if c.number is None and _n(c.type) == _n(want.get("type")) and \
                _n(want.get("title", "")).lower() in _n(c.title or c.text).lower():
            return c
    return None


def _citations(rec, wants, complete) -> list[str]:
    bad = []
    for w in wants:
        c = _find_citation(rec, w)
        label = w.get("number") or f"{w.get('type')} {w.get('title')}"
        if c is None:
            bad.append(f"citation {label}: not found among {[x.number or x.title for x in rec.citations]}")
            continue
        for f in ("type", "date", "issuer", "relation", "year"):
            if f in w and _n(getattr(c, f)) != _n(w[f]):
                bad.append(f"citation {label}.{f}: got {getattr(c, f)!r}, want {w[f]!r}")
        for p in w.get("pinpoints", []):
            if _n(p) not in [_n(x) for x in c.pinpoints]:
                bad.append(f"citation {label}.pinpoints: {p!r} not in {c.pinpoints!r}")
    if complete:
        numbered = {re.sub(r"\s+", "", _n(w["number"])) for w in wants if w.get("number")}
        extra = [c.number for c in rec.citations if c.number and re.sub(r"\s+", "", _n(c.number)) not in numbered]
        if extra:
            bad.append(f"citations not in the expectation: {extra}")
        unnumbered = sum(1 for w in wants if not w.get("number"))
        got_unnumbered = [c.title for c in rec.citations if not c.number]
        if len(got_unnumbered) != unnumbered:
            bad.append(f"un-numbered citations: got {got_unnumbered}, want {unnumbered}")
    return bad


def _tasks(rec, wants, complete) -> list[str]:
    bad = []
    got = {t.path: t for t in rec.tasks}
    if complete:
        want_paths = [w["path"] for w in wants]
        got_paths = [t.path for t in rec.tasks]
        if got_paths != want_paths:
            bad.append(f"task paths: got {got_paths}, want {want_paths}")
    for w in wants:
        t = got.get(w["path"])
        if t is None:
            if not complete:
                bad.append(f"task {w['path']}: missing")
            continue
        if "starts" in w and not _n(t.text).startswith(_n(w["starts"])):
            bad.append(f"task {w['path']}: {t.text[:70]!r} does not start with {w['starts']!r}")
        if "ends" in w and not _n(t.text).endswith(_n(w["ends"])):
            bad.append(f"task {w['path']}: {t.text[-70:]!r} does not end with {w['ends']!r}")
        if "assignee" in w and _n(t.assignee) != _n(w["assignee"]):
            bad.append(f"task {w['path']}.assignee: got {t.assignee!r}, want {w['assignee']!r}")
        if "deadline" in w:
            # the gold describes deadlines in words ("annually before 30/11"): the parsed
            # deadline must exist and carry the same dates
            dates = re.findall(r"\d{1,2}/\d{1,2}(?:/\d{4})?", w["deadline"])
            if not t.deadline or any(d not in t.deadline for d in dates):
                bad.append(f"task {w['path']}.deadline: got {t.deadline!r}, want {w['deadline']!r}")
    return bad
