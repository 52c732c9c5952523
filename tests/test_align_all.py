"""`cascade align` / `cascade ingest --align` (issue 14): every pair the queries compare is aligned
and saved ahead of them, so that `coverage`, `flag` and `report` only read results back.

- on both backends, after `align_all` the coverage and flag of the seeds align nothing more, and
  their results are those of a store where the queries aligned the pairs themselves;
- a second run aligns nothing; a changed document has only its own pairs aligned again;
- on a generated cascade of 120 documents (more pairs than POOL_FROM: worker processes), the rows
  saved through a pool of sandboxed workers (what `ingest --align` uses) are those saved through
  the forked workers of `cascade align`;
- a job a worker cannot run leaves its pairs unsaved, counted and named, exit 1;
- the command line: `ingest --align`, `align --json`, a reference naming nothing.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cascade.align as A
import cli
from cascade import queries
from cascade.ingest import ingest
from cascade.sandbox import Outcome, Sandbox
from cascade.store import Store
from cascade.store import graph as saved_graph
from tests.conftest import generated_docs
from tests.test_align_saved import _counting, _store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CHILD = "000_6c98d13a1ba499c1.txt"        # the thị xã's công văn: implements 03/CT-UBND (001)


def _rows(store) -> list[tuple]:
    return sorted(tuple(r) for r in store.db.execute("SELECT parent, child, indirect, params, data FROM alignments"))


def test_after_align_all_the_queries_align_nothing_and_answer_the_same(tmp_path, store_url, monkeypatch):
    db = _store(tmp_path, store_url)
    other = tmp_path / "other.db"                  # the same files, aligned by the queries themselves
    ingest([tmp_path / "docs"], other, workers=1)
    with Store(other, create=False) as store:
        want_cov = [a.to_dict() for a in queries.coverage(store, "57-NQ/TW").alignments]
        want_flag = [f.to_dict() for f in queries.flag(store)[0]]
    calls = _counting(monkeypatch)
    with Store(db, create=False) as store:
        run = A.align_all(store, workers=1)
        # the seeds hold one pair: Chỉ thị 03/CT-UBND above the thị xã's letter (57-NQ/TW, 386-KH/TU and
        # 2630/UBND-TH above them are cited, not stored: nothing to compare with)
        assert run.roots >= 1 and run.pairs == 1 and run.computed == 1 and run.saved == 0
        assert not run.failed and len(calls) == run.pairs
        assert store.db.execute("SELECT count(*) FROM alignments").fetchone()[0] == run.pairs
        cov = [a.to_dict() for a in queries.coverage(store, "57-NQ/TW").alignments]
        found = [f.to_dict() for f in queries.flag(store)[0]]
        assert len(calls) == run.pairs                   # read back, not aligned again
        again = A.align_all(store, workers=1)
        assert (again.pairs, again.saved, again.computed) == (run.pairs, run.pairs, 0)
    assert cov == want_cov and found == want_flag
    assert any(a["child_doc"] and a["pairs"] for a in cov)


def test_a_changed_document_has_only_its_pairs_aligned_again(tmp_path, monkeypatch):
    db = _store(tmp_path)
    with Store(db, create=False) as store:
        first = A.align_all(store, workers=1)
    child = tmp_path / "docs" / CHILD
    text = child.read_text(encoding="utf-8")
    start, end = text.index("3. Khuyến khích"), text.index("4. Phát động")     # drop its task 3
    child.write_text(text[:start] + text[end:], encoding="utf-8")
    ingest([tmp_path / "docs"], db, workers=1)
    calls = _counting(monkeypatch)
    with Store(db, create=False) as store:
        run = A.align_all(store, workers=1)
        assert run.pairs == first.pairs and run.computed == len(calls) == run.pairs - run.saved
        mine = [a for ref in saved_graph.roots(store, "implements") for a in A.align_below(store, ref, workers=1)
                if CHILD in (a.child_doc + a.parent_doc)]
    assert len(calls) == run.computed                    # the queries read everything back
    assert mine and run.computed == len({(a.parent_node, a.child_node, a.indirect) for a in mine})


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated cascade of 120 .txt documents ingested into an SQLite store (kept: copied per test)."""
    out = tmp_path_factory.mktemp("gen")
    db = out / "g.db"
    ingest([generated_docs(out, 120, 4)], db, workers=2)
    return db


def test_a_pool_of_sandboxed_workers_saves_what_forked_workers_save(generated, tmp_path):
    forked, pooled = tmp_path / "f.db", tmp_path / "p.db"
    shutil.copy(generated, forked)
    shutil.copy(generated, pooled)
    with Store(forked, create=False) as store:
        a = A.align_all(store, workers=2)
        assert a.pairs >= A.POOL_FROM                   # the forked workers' path, not one process
        want = _rows(store)
    with Store(pooled, create=False) as store, Sandbox(2) as box:
        b = A.align_all(store, pool=box)
        got = _rows(store)
    assert (b.pairs, b.computed, b.failed) == (a.pairs, a.computed, 0) == (a.pairs, a.pairs, 0)
    assert len(got) == a.pairs and got == want


class _Failing:
    """A pool whose first job fails as a worker's would (killed past its time limit)."""

    def __init__(self):
        self.box = Sandbox(1)
        self.first = True

    def threads(self) -> int:
        return 1

    def run(self, spec, jobs, stop=None):
        for job, outcome in self.box.run(spec, jobs, stop=stop):
            if self.first:
                self.first, outcome = False, Outcome(False, None, "killed: past the 300 s limit", killed=True)
            yield job, outcome


def test_a_job_no_worker_can_run_leaves_its_pairs_unsaved_and_counted(generated, tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    shutil.copy(generated, db)
    monkeypatch.setattr(A, "BATCH", 8)
    pool = _Failing()
    try:
        with Store(db, create=False) as store:
            run = A.align_all(store, pool=pool)
            saved = store.db.execute("SELECT count(*) FROM alignments").fetchone()[0]
    finally:
        pool.box.close()
    assert 0 < run.failed <= 8 and run.errors == ["killed: past the 300 s limit"]
    assert run.computed == saved == run.pairs - run.failed
    r = CliRunner().invoke(cli.app, ["align", "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert (d["computed"], d["saved"], d["failed"]) == (run.failed, run.computed, 0)   # the rest, now


def test_the_command_line(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs)
    db = tmp_path / "c.db"
    runner = CliRunner()
    r = runner.invoke(cli.app, ["ingest", str(docs), "--db", str(db), "--align", "--json", "--workers", "1"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["then"]["pairs"] == 1 and s["then"]["computed"] == s["then"]["pairs"] and not s["then"]["failed"]
    r = runner.invoke(cli.app, ["align", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["computed"] == 0
    r = runner.invoke(cli.app, ["align", "57-NQ/TW", "--db", str(db)])
    assert r.exit_code == 0 and "1 cascade," in " ".join(r.stdout.split())
    r = runner.invoke(cli.app, ["align", "99-NQ/TW", "--db", str(db)])
    assert r.exit_code == 1 and "99-NQ/TW" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli.app, ["align", "--db", str(db), "--workers", "2", "--cluster", "local:2"])
    assert r.exit_code == 2


def test_an_interrupted_run_keeps_what_it_saved_and_the_next_aligns_the_rest(generated, tmp_path, monkeypatch):
    db = tmp_path / "g.db"
    shutil.copy(generated, db)
    monkeypatch.setattr(A, "BATCH", 8)
    real_put, puts = A.saved_alignments.put, []

    def put(store, rows, params):
        puts.append(len(rows))
        if len(puts) == 3:                    # Ctrl-C while saving the third batch
            raise KeyboardInterrupt
        return real_put(store, rows, params)
    monkeypatch.setattr(A.saved_alignments, "put", put)
    with Store(db, create=False) as store, Sandbox(2) as box:
        with pytest.raises(KeyboardInterrupt):
            A.align_all(store, pool=box)
        assert not any(s.job is not None for s in box.slots)         # nothing left running
        kept = store.db.execute("SELECT count(*) FROM alignments").fetchone()[0]
        assert kept == puts[0] + puts[1] > 0
        monkeypatch.setattr(A.saved_alignments, "put", real_put)
        rest = A.align_all(store, pool=box)
    assert rest.saved == kept and rest.computed == rest.pairs - kept and not rest.failed
