"""Local workers are handed their next file while the caller saves a batch (ingest._ahead): the
results are those of a plain run, Ctrl-C while saving still keeps what was saved and stops the
workers, and an error in the workers' loop reaches the caller."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from cascade import ingest as ingest_module
from cascade.ingest import _ahead, ingest
from cascade.store import Store
from tests.conftest import generated_docs

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return generated_docs(tmp_path_factory.mktemp("gen"), 40, 5)


def _records(db: Path) -> dict:
    with Store(db) as s:
        return {Path(r["path"]).name: (r["sha256"], r["number"], r["status"]) for r in s.docs()}


def _ahead_threads() -> list:
    return [t for t in threading.enumerate() if t.name == "cascade-ingest-workers" and t.is_alive()]


def test_ctrl_c_while_saving_keeps_the_batch_stops_the_workers_and_the_next_run_parses_the_rest(folder, tmp_path):
    whole = tmp_path / "whole.db"
    ingest([CORPUS, folder], whole, workers=2, graph=False)

    def ctrl_c_after_the_first_batch(kind, data):
        if kind == "parsed":
            raise KeyboardInterrupt

    db = tmp_path / "resumed.db"
    first = ingest([CORPUS, folder], db, workers=2, graph=False, on_event=ctrl_c_after_the_first_batch)
    total = len(_records(whole))
    saved = len(_records(db))
    assert first.interrupted and 0 < saved < total
    assert not _ahead_threads()                  # the thread that fed the workers has ended
    second = ingest([CORPUS, folder], db, workers=2, graph=False)
    assert (second.unchanged, second.parsed) == (saved, total - saved)
    assert _records(db) == _records(whole)


def test_workers_are_fed_while_the_caller_is_busy():
    produced: list[float] = []

    def source(stop):
        for i in range(6):
            produced.append(time.monotonic())
            yield i

    got = []
    for item in _ahead(source):
        got.append(item)
        time.sleep(0.05)                         # the caller saving a batch
        if item == 0:
            assert len(produced) > 1             # the next items came in the meantime
    assert got == list(range(6))


def test_an_error_in_the_source_is_raised_to_the_caller_and_stop_ends_it():
    def failing(stop):
        yield 1
        raise RuntimeError("worker processes die as they start")

    with pytest.raises(RuntimeError, match="die as they start"):
        list(_ahead(failing))

    seen_stop = threading.Event()

    def endless(stop):
        try:
            i = 0
            while not stop.is_set():
                yield i
                i += 1
        finally:                                  # stopped, or closed by the thread that pulled it
            seen_stop.set()

    rows = _ahead(endless, depth=4)
    assert next(rows) == 0
    rows.close()                                  # the caller stops (Ctrl-C): the source ends
    assert seen_stop.wait(2) and not _ahead_threads()


def test_ingest_with_local_workers_goes_through_ahead(folder, tmp_path, monkeypatch):
    calls = []
    real = ingest_module._ahead

    def spy(make_rows, *a, **kw):
        calls.append(make_rows)
        return real(make_rows, *a, **kw)

    monkeypatch.setattr(ingest_module, "_ahead", spy)
    s = ingest([CORPUS], tmp_path / "c.db", workers=2, graph=False)
    assert calls and s.parsed == len(list(CORPUS.glob("*.txt")))
