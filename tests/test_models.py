"""Contracts between code and data: finding kinds and the severity table, node ids.

Bug fixed by issue 9: the graph reported "cited with different dates" while severity.tsv said
"cited date conflicts", so that finding was shown as low instead of the table's medium.
"""
from __future__ import annotations

from importlib import resources

from cascade import flag
from cascade.models import FINDING_KINDS, KIND_CITED_DATES_DIFFER, NodeId


def _table_kinds() -> list[str]:
    text = resources.files("cascade.data").joinpath("severity.tsv").read_text(encoding="utf-8")
    return [ln.split("\t")[0] for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def test_every_finding_kind_has_a_severity_and_no_row_is_orphaned():
    kinds = _table_kinds()
    assert len(kinds) == len(set(kinds))
    assert set(kinds) == set(FINDING_KINDS)


def test_cited_with_different_dates_is_medium():
    assert flag.severity_of(KIND_CITED_DATES_DIFFER) == "medium"


def test_node_id_round_trip():
    assert NodeId.doc(12) == "doc:12" and NodeId.doc_id("doc:12") == 12
    assert NodeId.doc_id("ext:57-NQ/TW") is None and NodeId.doc_id("doc:x") is None
    assert NodeId.external("57-NQ/TW") == "ext:57-NQ/TW"
