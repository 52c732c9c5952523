"""Hostile text against every grammar of the parser (issue 15): no input may make a pattern or a
join super-linear. Each adversarial string is built here (tests/hostile/text_cases.py), never
stored. Two kinds of test:

- every grammar (normalise, segment, tasks, extract, citations) on 1 MB strings must finish:
  the pytest timeout (pyproject) fails a regression instead of hanging;
- growth: the whole parse on n and 4n characters, CPU time compared. Linear work grows ~4x,
  quadratic 16x; the test fails above 10x (generous for a shared machine), and a small noise
  floor keeps sub-millisecond timings from deciding. No absolute time limit.
"""
from __future__ import annotations

import gc
import time

import pytest

from cascade.parse import citations, extract, tasks
from cascade.parse.pipeline import parse_text
from cascade.parse.segment import Layout, segment
from cascade.text import clean, join_lines, nfc
from tests.hostile.text_cases import REPEATED, RUNS, _rep, numbered_list

# a grammar gone quadratic runs for hours on 1 MB: fail it instead (pytest-timeout)
pytestmark = pytest.mark.timeout(120)

MB = 1 << 20
CASES = {f"repeated {u!r}": _rep(u) for u in REPEATED} | RUNS
# at 1 MB: the units every grammar keys on (issue 15: runs of letters, digits, "_", "/", "số ",
# "Căn cứ ", "1.1.1.1…", toned words), plus the trigger+run cases aimed at that grammar;
# the growth test below runs every case through the whole parse
COMMON = [f"repeated {u!r}" for u in ("a", "1", "_", "/", " ", "số ", "Căn cứ ", "1.1.1.1", "hoá ")]
AIMED = {
    "normalise": ["toned word then letters", "toned word then digits", "toned word then underscores",
                  "unclosed sup", "repeated '\\u202e1'", "repeated '\\u2028'"],
    "segment": ["recipients lines", "distribution lines", "side-by-side header", "header date line",
                "place then spaces", "continued task", "repeated 'A\\n'",
                "repeated 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM '"],
    "tasks": ["continued task", "assignee then spaces", "repeated '1. a\\n'", "repeated '- a\\n'"],
    "extract": ["header date line", "place then spaces", "signer capitals", "date word then spaces",
                "month then spaces", "number then spaces"],
    "citations": ["number then spaces", "number then newlines", "type word then spaces", "date word then spaces",
                  "month then spaces", "issuer then capitals", "issuer then words", "symbol groups",
                  "symbol dots", "pinpoints", "law title words", "quote marks", "repeated '1/'",
                  "repeated 'Nghị định '", "two citations apart", "named law then number", "bidi before numbers"],
}


def _normalise(s: str) -> None:
    clean(s)
    nfc(s)


def _segment(s: str) -> None:
    segment(s)
    segment(s, wrapped=True)
    join_lines(s.split("\n"))


def _tasks(s: str) -> None:
    paras, pos = [], 0
    for para in s.split("\n"):
        paras.append((para, (pos, pos + len(para))))
        pos += len(para) + 1
    tasks.build_tasks(paras)
    tasks.build_tasks([(s, (0, len(s)))])
    tasks.read_mark(s)
    tasks.assignee(s)
    tasks.deadline(s)


def _extract(s: str) -> None:
    lines = s.split("\n")
    for header in (lines, [s]):
        extract.number_and_symbol(header)
        extract.date_and_place(header)
        extract.subject(header)
        extract.issuer_lines(header)
    spans = [(ln, (0, len(ln))) for ln in lines]
    extract.closing(Layout(closing_lines=spans))
    extract.recipients(Layout(recipients=spans))


def _citations(s: str) -> None:
    found = citations.find_citations(s)
    citations.merge_citations(found)


GRAMMARS = {"normalise": _normalise, "segment": _segment, "tasks": _tasks, "extract": _extract,
            "citations": _citations}


@pytest.mark.slow
@pytest.mark.parametrize("grammar,case", [(g, c) for g in sorted(GRAMMARS) for c in COMMON + AIMED[g]])
def test_grammar_finishes_on_1mb(grammar, case):
    GRAMMARS[grammar](CASES[case](MB))


def test_aimed_cases_exist():
    assert all(c in CASES for cases in AIMED.values() for c in cases)


def _cpu(fn, arg) -> float:
    """CPU seconds of one call (other processes' load does not count), garbage collector
    paused: its full collections grow with the heap and would blur the algorithm's growth."""
    gc.collect()
    gc.disable()
    try:
        t = time.process_time()
        fn(arg)
        return time.process_time() - t
    finally:
        gc.enable()


NOISE_FLOOR = 0.05      # seconds of CPU below which a ratio says nothing
MAX_GROWTH = 10.0       # n → 4n: linear ~4x, quadratic ~16x


def _growth(fn, build, n: int) -> tuple[float, float, bool]:
    """CPU time on n and 4n characters, and whether that growth is no worse than linear."""
    small = min(_cpu(fn, build(n)) for _ in range(2))
    large = _cpu(fn, build(4 * n))
    return small, large, large <= MAX_GROWTH * small + NOISE_FLOOR


@pytest.mark.parametrize("case", sorted(CASES))
def test_parse_grows_linearly(case):
    n = 32_000
    small, large, ok = _growth(parse_text, CASES[case], n)
    assert ok, f"{case}: {small:.3f} s at {n} chars, {large:.3f} s at {4 * n}: faster than linear growth"


def test_growth_check_catches_quadratic_work():
    """The growth measure itself fails the shape of the old bugs: the tone regex `\\w*…\\w*`
    backtracking over a run of letters, tried from every position."""
    import re
    backtracking = re.compile(r"\w*[oOuU]á").search
    # 3,000 letters, small and large measured in turn twice (least of each): a fresh CI run once
    # measured 10.8x for this 16x work at 2,000, one measure of each while the machine's speed drifted
    runs = [_growth(backtracking, lambda n: "a" * n, 3_000) for _ in range(2)]
    small, large = min(r[0] for r in runs), min(r[1] for r in runs)
    assert large > MAX_GROWTH * small + NOISE_FLOOR, (small, large)
    linear = re.compile(r"(?<!\w)\w{0,30}[oOuU]á").search
    assert _growth(linear, lambda n: "a" * n, 64_000)[2]
