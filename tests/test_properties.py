"""Property-based tests of the text pipeline (`cascade.parse.parse_text`).

- any Unicode input parses without an exception, in bounded time;
- parsing is invariant to NFC/NFD and to old/new tone placement (hoá/hóa, Uỷ/Ủy);
- a seed's citations and tasks survive re-wrapping its body at random widths.
"""
from __future__ import annotations

import random
import re
import textwrap
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.parse import parse_text

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
SEED_TEXT = [p.read_text(encoding="utf-8") for p in SEEDS]

# fragments of administrative text, so that random input reaches the parser's paths
FRAGMENTS = [
    "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 15/QĐ-UBND", "Số:      /UBND-VP", "V/v ", "Kính gửi:",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày 06 tháng 11 năm 2025",
    "QUYẾT ĐỊNH", "KẾ HOẠCH", "Căn cứ Nghị định số 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ;",
    "Nghị quyết số 57-NQ/TW", "Điều 1.", "1. ", "a) ", "- ", "II.", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "./.", "\n", "\n\n", "  ", "(", ")", "“", "”", "/", "-", "—",
    "0", "2025", "31/12/2025", "Chủ tịch UBND tỉnh", "Sở Nội vụ chủ trì, phối hợp", "trước ngày 30/6/2026",
]

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=60).map("".join)


@settings(max_examples=300, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_unicode_parses(text):
    rec = parse_text(text)
    assert rec.status in ("ok", "empty", "error")


@settings(max_examples=300, deadline=timedelta(seconds=10),
          suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_document_like_noise_parses(text):
    rec = parse_text(text)
    for c in rec.citations:
        assert 0 <= c.start <= c.end <= len(rec.text)
    for t in rec.tasks:
        assert 0 <= t.start <= t.end <= len(rec.text)


def _record(text: str) -> dict:
    d = parse_text(text).to_dict(with_text=True)
    d.pop("source", None)
    return d


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(range(len(SEEDS))), st.integers(min_value=0, max_value=2**32))
def test_nfc_nfd_invariance(i, seed):
    rnd = random.Random(seed)
    text = SEED_TEXT[i]
    lines = text.split("\n")
    mixed = "\n".join(unicodedata.normalize("NFD", ln) if rnd.random() < 0.5 else ln for ln in lines)
    assert _record(mixed) == _record(unicodedata.normalize("NFC", text))


# old-style tone placement: the tone on the second vowel of an open oa/oe/uy (hoá, Uỷ, thuỷ)
_TONE = "\u0300\u0301\u0303\u0309\u0323"
_NEW_STYLE = re.compile(rf"(?<![qQaAeEiIoOuUyY\u0302\u0306\u031b])(?:([oO])([{_TONE}])([aAeE])|([uU])([{_TONE}])([yY]))"
                        rf"(?![\w{_TONE}])")


def old_style(text: str) -> str:
    d = unicodedata.normalize("NFD", text)
    d = _NEW_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2) if m.group(1)
                       else m.group(4) + m.group(6) + m.group(5), d)
    return unicodedata.normalize("NFC", d)


def test_old_style_helper_moves_tones():
    assert old_style("hóa Ủy thủy khỏe quý hoàng của mùa") == "hoá Uỷ thuỷ khoẻ quý hoàng của mùa"


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(range(len(SEEDS))), st.integers(min_value=0, max_value=2**32))
def test_tone_placement_invariance(i, seed):
    rnd = random.Random(seed)
    text = unicodedata.normalize("NFC", SEED_TEXT[i])
    words = re.split(r"(\W+)", text)
    changed = "".join(old_style(w) if rnd.random() < 0.7 else w for w in words)
    assert _record(changed) == _record(text)


def _keys(rec) -> list:
    return sorted({c.key or c.text for c in rec.citations})


def _reflow(text: str, width: int, dash_at_start: bool = True) -> str:
    """Re-wrap every long line of the body at `width`, as a PDF-to-text conversion would."""
    out = []
    body = False
    for ln in text.split("\n"):
        if not body and re.match(r"^\s*(?:Kính gửi|Căn cứ|Thực hiện|[IVX]+\.|1\.)", ln):
            body = True
        if body and len(ln) > width and not re.match(r"^\s*(?:Nơi nhận|TM\.|KT\.)", ln):
            wrapped = textwrap.wrap(ln, width=width, break_long_words=False, break_on_hyphens=False)
            out.extend(wrapped)
        else:
            out.append(ln)
    return "\n".join(out)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(range(len(SEEDS))), st.integers(min_value=50, max_value=110))
def test_citations_and_tasks_survive_reflow(i, width):
    text = SEED_TEXT[i]
    a = parse_text(text)
    b = parse_text(_reflow(text, width))
    assert _keys(b) == _keys(a)
    assert [t.path for t in b.tasks] == [t.path for t in a.tasks]


def test_reflow_dash_at_line_start_is_not_a_bullet():
    text = SEED_TEXT[2]
    a = parse_text(text)
    b = parse_text(_reflow(text, 74, dash_at_start=True))
    assert [t.path for t in b.tasks] == [t.path for t in a.tasks]


def test_reflow_pinpoint_at_line_start_is_not_an_article():
    text = SEED_TEXT[4]
    a = parse_text(text)
    b = parse_text(_reflow(text, 61, dash_at_start=True))
    assert [t.path for t in b.tasks] == [t.path for t in a.tasks]
