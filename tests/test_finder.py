"""One node finder: a reference resolves the same way in a graph built now and in the saved one.

Bug fixed by issue 9: `Cascade.find` (used when the saved graph was stale) matched a file name as
any path *ending* in the text, and `find_saved` (used otherwise) only a whole file name, so `c.txt`
named `/fx/abc.txt` on one run and nothing on the next. The matching rules are now one function
(`cascade.graph.cascade.find_node`); the graphs only answer its questions. The commands always find
in the saved graph. Records below are fixtures written by hand.
"""
from __future__ import annotations

import pytest

from cascade.graph.build import build
from cascade.graph.saved import current, find_saved
from cascade.models import Record
from cascade.store import Store, row_from_record


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "fx.db"
    recs = [
        {"source": "/fx/abc.txt", "number": "7/KH-UBND", "key": "7/KH-UBND", "date": "2025-03-01"},
        {"source": "/fx/sub/plan.txt", "number": "8/KH-UBND", "key": "8/KH-UBND", "date": "2025-03-02"},
        {"source": "/fx/broken.pdf", "format": "pdf", "status": "error", "error": "not a PDF (no %PDF header)"},
    ]
    with Store(path) as st:
        st.save_parsed([(d["source"], 1, 1, row_from_record(Record.from_dict({"format": "txt", "sha256": f"s{i}", **d})))
                        for i, d in enumerate(recs)])
        current(st)
    return path


def _both(db, ref):
    """(in-memory answer, saved answer), each a node id or the LookupError's message."""
    out = []
    with Store(db) as st:
        for find in (build(st).find, lambda r: find_saved(st, r)):
            try:
                out.append(find(ref))
            except LookupError as e:
                out.append(str(e))
    return out



@pytest.mark.parametrize("ref", ["c.txt", "abc.txt", "sub/plan.txt", "plan.txt", "7/KH-UBND", "/fx/abc.txt"])
def test_same_answer_built_or_saved(db, ref):
    built, saved = _both(db, ref)
    assert built == saved


def test_a_name_suffix_is_not_a_file_name(db):
    built, saved = _both(db, "c.txt")
    assert built == saved == "c.txt: no document with that key, id or path"


def test_relative_path_and_name_find_the_document(db):
    assert _both(db, "sub/plan.txt") == _both(db, "plan.txt") == _both(db, "8/KH-UBND")
