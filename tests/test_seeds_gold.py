"""Each seed parses to the hand-checked values in ../shared/gold/seeds.json, field by field."""
import pytest

from cascade.parse import parse_file
from tests.conftest import SEEDS
from tests.goldcheck import compare

SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_matches_gold(name, gold):
    exp = gold["documents"][name]
    rec = parse_file(SEEDS / name)
    assert rec.status == "ok", rec.error
    assert compare(rec, exp) == []


def test_blank_number_is_blank_not_garbage(gold):
    rec = parse_file(SEEDS / "003_232fe3f8f8ad3045.txt")
    assert rec.number is None and rec.symbol == "UBND-VHXH"
    assert rec.date == "2026-05"          # "ngày tháng 5 năm 2026": the day is blank


def test_typo_citation_kept_as_written():
    rec = parse_file(SEEDS / "000_6c98d13a1ba499c1.txt")
    numbers = [c.number for c in rec.citations]
    assert "52-NQ/TW" in numbers and "57-NQ/TW" not in numbers


def test_page_break_inside_item_is_joined():
    rec = parse_file(SEEDS / "003_232fe3f8f8ad3045.txt")
    t = {t.path: t for t in rec.tasks}["2.3"]
    assert "tiêu chí quan trọng trong đánh giá" in t.text


def test_markdown_debris_is_gone():
    rec = parse_file(SEEDS / "001_73a28ad4b9504abc.txt")
    assert "**" not in rec.text and "<sup>" not in rec.text and "*th*" not in rec.text
    assert rec.title.startswith("Phát huy tinh thần sáng tạo")
