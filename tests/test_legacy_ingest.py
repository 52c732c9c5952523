"""A folder file typed in the TCVN3 (.VnTime) font goes through `cascade ingest` converted.

Bug fixed by issue 9: cascade/parse/legacy.py was imported by nothing but its tests, so a legacy
file that ingest picked up was stored as mojibake, with no number, date or citations.
The legacy file is made as tests/test_legacy.py makes them: seed 002 through the inverse mapping.
Expected values are the hand-checked ones of ../shared/gold/seeds.json for seed 002.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cascade.ingest import ingest
from cascade.parse.legacy import from_unicode
from cascade.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "002_99b20f177fc5dcd7.txt"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "seeds.json"


@pytest.fixture
def gold():
    if not GOLD.exists():
        pytest.skip(f"gold file not available: {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))["documents"][SEED.name]


@pytest.mark.parametrize("encoding, file_encoding", [("tcvn3", "cp1252"), ("vni", "utf-8")])
def test_ingest_converts_a_legacy_font_file(gold, tmp_path, encoding, file_encoding):
    folder = tmp_path / "docs"
    folder.mkdir()
    legacy_text = from_unicode(SEED.read_text(encoding="utf-8"), encoding)
    assert "Số" not in legacy_text                # really mojibake before ingest
    (folder / f"cong_van_{encoding}.txt").write_bytes(legacy_text.encode(file_encoding))
    summary = ingest([folder], tmp_path / "x.db", workers=1, graph=False)
    assert summary.parsed == 1 and summary.failed == 0
    with Store(tmp_path / "x.db") as store:
        (row,) = store.docs()
        rec = store.record(row["id"])
    assert rec.number == gold["number"]
    assert rec.date == gold["date"]
    assert sorted(c.number for c in rec.citations if c.number) == \
        sorted(c["number"] for c in gold["citations"] if c["number"])
    assert any(encoding.upper() in w for w in rec.warnings)
