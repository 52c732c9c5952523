"""`cascade.report.writer.pretty_json` writes what json.dumps(…, ensure_ascii=False, indent=2,
default=str) writes, byte for byte: every command's --json output goes through it."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cascade.report.writer import pretty_json

ROOT = Path(__file__).resolve().parents[1]


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
keys = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.tuples(inner, inner),
                                                        st.dictionaries(keys, inner, max_size=4)),
                      max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_same_bytes_as_the_standard_library(obj):
    assert pretty_json(obj) == _dumps(obj)


def test_vietnamese_control_characters_subclasses_and_other_types():
    class Label(str):
        pass

    class Count(int):
        pass

    obj = {"Quyết định": ["Nghị quyết 57-NQ/TW\u2028", "tab\tNUL\x00\x1f \"q\" \\"], Label("k"): Count(3),
           "when": date(2024, 12, 22), "path": ROOT / "corpus", "empty": [[], {}, ()], 2: -0.0, 1e-7: 1e22}
    assert pretty_json(obj) == _dumps(obj)


def test_a_real_record_of_the_corpus():
    from cascade.parse import parse_file
    rec = parse_file(sorted((ROOT / "corpus").glob("*.txt"))[0]).to_dict()
    assert rec["citations"] and pretty_json(rec) == _dumps(rec)
