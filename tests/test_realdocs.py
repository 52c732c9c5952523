"""Parses of real documents from ../shared/realdocs against values read by hand.

tests/realdocs_expected.json holds what a person read in each document (same shape as
../shared/gold/seeds.json; see tests/realdocs_expected.md). Scanned PDFs (`"ocr": true`)
are checked for their no-text status here; their field values serve the OCR tests.
"""
import json
from pathlib import Path

import pytest

from cascade.parse import parse_file
from tests.conftest import REALDOCS
from tests.goldcheck import compare

EXPECTED = json.loads((Path(__file__).parent / "realdocs_expected.json").read_text(encoding="utf-8"))
DOCS = {k: v for k, v in EXPECTED.get("documents", EXPECTED).items() if isinstance(v, dict)}
TEXT = sorted(k for k, v in DOCS.items() if not v.get("ocr"))
SCANNED = sorted(k for k, v in DOCS.items() if v.get("ocr"))


def _path(rel: str) -> Path:
    p = REALDOCS / rel
    if not p.exists():
        pytest.skip(f"{p} is not beside the checkout")
    return p


GROUPS = {
    "header": ("doc_type", "number", "symbol", "date", "place", "issuer", "subject_starts", "title_starts"),
    "people": ("signer", "recipients"),
    "citations": ("citations", "complete_citations"),
    "tasks": ("tasks", "complete_tasks"),
}

# Where the parser still disagrees with what a person read. Each entry is a known weakness,
# pinned by a strict xfail so that fixing it (or breaking something else) shows.
KNOWN_GAPS = json.loads((Path(__file__).parent / "realdocs_known_gaps.json").read_text(encoding="utf-8"))

_RECORDS: dict = {}


def _record(rel):
    if rel not in _RECORDS:
        _RECORDS[rel] = parse_file(_path(rel))
    return _RECORDS[rel]


CASES = [pytest.param(rel, g, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[f"{rel} :: {g}"])]
                      if f"{rel} :: {g}" in KNOWN_GAPS else [], id=f"{rel} :: {g}")
         for rel in TEXT for g in GROUPS if any(k in DOCS[rel] for k in GROUPS[g])]


@pytest.mark.realdocs
@pytest.mark.parametrize("rel,group", CASES)
def test_realdoc_matches_reading(rel, group):
    exp = {k: v for k, v in DOCS[rel].items() if k in GROUPS[group]}
    rec = _record(rel)
    assert rec.status == "ok", rec.error
    assert compare(rec, exp, complete_lists=False) == []


@pytest.mark.realdocs
@pytest.mark.parametrize("rel", SCANNED)
def test_scanned_pdf_is_reported_not_empty(rel):
    rec = parse_file(_path(rel))
    # without OCR a scan has no text: the record says so instead of pretending to be empty
    assert rec.status in ("no_text", "ok")
    if rec.status == "no_text":
        assert "OCR" in rec.error
    else:
        assert rec.text_source == "ocr"


def test_expectations_cover_the_hard_cases():
    """The hand-read set keeps its promised spread of formats and cases."""
    formats = {Path(k).suffix.lower() for k in DOCS}
    assert {".docx", ".doc", ".pdf"} <= formats
    assert len(TEXT) >= 30
