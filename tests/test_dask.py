"""Issue 14: parsing on a Dask cluster (`cascade ingest --cluster`), on a LocalCluster of two
worker processes started once for the module.

- corpus/ and a generated cascade (txt, docx, pdf) ingested on the cluster store the same records
  as a local ingest; a second run parses nothing;
- a worker killed while files are in flight (a parser that kills its own Dask worker the first
  time, every parse slowed down so that others are running) loses nothing: every file is stored
  once, as a local run stores it;
- an interrupted run keeps what it saved, and the next one parses only the rest;
- a file that kills every worker it lands on is recorded as failed with the reason, and the run
  ends;
- an unreachable scheduler is one line naming it, exit 1.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'dask[distributed]')")
import dask  # noqa: E402

import cascade.cluster  # noqa: E402
from cascade.cluster import DaskPool  # noqa: E402
from cascade.ingest import ingest  # noqa: E402
from cascade.store import Store  # noqa: E402
from tests.conftest import generated_docs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ALLOWED_FAILURES = 1        # the test cluster fails a task after 2 workers died under it (Dask's default: 3)
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def markers(tmp_path_factory):
    return tmp_path_factory.mktemp("markers")


@pytest.fixture(scope="module")
def cluster(markers):
    """A LocalCluster of two worker processes (one thread each); the hooks of tests/parse_hooks.py
    find their marker folder in the environment the workers inherit."""
    old = os.environ.get("CASCADE_TEST_MARKERS")
    os.environ["CASCADE_TEST_MARKERS"] = str(markers)
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            pool = DaskPool("local:2")           # what `--cluster local:2` starts
            pool.start()
        with pool:
            yield pool.cluster, pool.client
    finally:
        if old is None:
            os.environ.pop("CASCADE_TEST_MARKERS", None)
        else:
            os.environ["CASCADE_TEST_MARKERS"] = old


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    pytest.importorskip("reportlab", reason="reportlab (dev dependency) not installed")
    return generated_docs(tmp_path_factory.mktemp("nat"), 16, 3, ("txt", "docx", "pdf"), (0.5, 0.25, 0.25))


@pytest.fixture(scope="module")
def local_store(generated, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    ingest([CORPUS, generated], db, workers=2, graph=False)
    return db


def stored(db: Path) -> dict:
    """Every stored document by content hash: its index columns, its record with the text, its
    files and citations — all but ids and timings."""
    with Store(db) as s:
        docs = s.docs()
        records = s.records([d["id"] for d in docs], with_text=True)
        cites: dict = {}
        for c in s.citations():
            cites.setdefault(c["doc_id"], []).append({k: v for k, v in c.items() if k not in ("id", "doc_id")})
        out = {}
        for d in docs:
            row = {k: v for k, v in d.items() if k not in ("id", "parse_seconds", "parsed_at")}
            row["record"] = records[d["id"]].to_dict()
            row["files"] = s.files_of(d["id"])
            row["citations"] = cites.get(d["id"], [])
            out[d["sha256"]] = row
        files = s.file_index()
    return {"docs": out, "files": {p: (f.size, f.mtime_ns, f.sha256) for p, f in files.items()}}


def _files(*roots: Path) -> set[str]:
    return {str(p) for r in roots for p in r.rglob("*") if p.is_file()}


def test_cluster_ingest_stores_what_a_local_ingest_stores(cluster, generated, local_store, tmp_path):
    c, client = cluster
    assert set(client.run(signal.getsignal, signal.SIGINT).values()) == {signal.SIG_IGN}   # Ctrl-C: ours alone
    db = tmp_path / "dask.db"
    s = ingest([CORPUS, generated], db, cluster=c.scheduler_address, graph=False)
    assert s.parsed == len(_files(CORPUS, generated)) and not s.interrupted
    want, got = stored(local_store), stored(db)
    assert set(got["files"]) == _files(CORPUS, generated)
    assert {d["format"] for d in got["docs"].values()} == {"txt", "docx", "pdf"}
    assert sum(d["status"] == "ok" for d in got["docs"].values()) >= len(got["docs"]) - 1
    assert got == want
    again = ingest([CORPUS, generated], db, cluster=c.scheduler_address, graph=False)
    assert (again.parsed, again.hashed, again.unchanged) == (0, 0, s.files)


def test_a_worker_killed_mid_run_loses_no_file(cluster, generated, local_store, markers, tmp_path):
    c, client = cluster
    db = tmp_path / "killed.db"
    s = ingest([CORPUS, generated], db, cluster=c.scheduler_address, parser="tests.parse_hooks:kill_worker_once",
               graph=False)
    marker = markers / "worker-killed"
    assert marker.exists(), "no worker was killed"
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)           # that worker is gone
    assert (s.parsed, s.failed) == (len(_files(CORPUS, generated)), 0), s.failures
    assert stored(db) == stored(local_store)          # each file once, as a local run stores it
    client.wait_for_workers(2, timeout=60)            # the nanny restarted it, for the next test


def test_an_interrupted_cluster_run_keeps_what_it_saved_and_the_next_parses_the_rest(cluster, generated, local_store,
                                                                                    tmp_path):
    c, _client = cluster
    db = tmp_path / "resumed.db"

    def ctrl_c_after_the_first_batch(kind, data):
        if kind == "parsed":             # the first batch is saved, then Ctrl-C
            raise KeyboardInterrupt

    first = ingest([CORPUS, generated], db, cluster=c.scheduler_address, on_event=ctrl_c_after_the_first_batch,
                   graph=False)
    total = len(_files(CORPUS, generated))
    with Store(db) as s:
        saved = len(s.file_index())
    assert first.interrupted and 0 < saved < total
    second = ingest([CORPUS, generated], db, cluster=c.scheduler_address, graph=False)
    assert (second.unchanged, second.parsed) == (saved, total - saved)
    assert stored(db) == stored(local_store)


def test_a_file_that_kills_every_worker_fails_alone(cluster, tmp_path, monkeypatch):
    """Three files in one task: the task dies with its poison until Dask gives up on it; then each
    of its files is tried alone, the poison kills two more workers and is recorded as failed."""
    c, _client = cluster
    monkeypatch.setattr(cascade.cluster, "chunk_size", lambda calls, threads: 3)
    folder = tmp_path / "docs"
    folder.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))[:2]
    for f in seeds:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "poison.txt").write_text("Kính gửi: UBND xã.\n", encoding="utf-8")   # the smallest: sent last
    db = tmp_path / "poison.db"
    s = ingest([folder], db, cluster=c.scheduler_address, parser="tests.parse_hooks:kill_worker_on_poison",
               graph=False)
    assert s.parsed == 3 and s.failed == 1
    (failure,) = s.failures
    assert failure["path"].endswith("poison.txt")
    assert failure["error"] == f"the Dask workers that ran this file died {ALLOWED_FAILURES + 1} times; skipped"
    with Store(db) as store:
        assert {Path(r["path"]).name: r["status"] for r in store.docs()} == {
            seeds[0].name: "ok", seeds[1].name: "ok", "poison.txt": "error"}


def test_an_unreachable_scheduler_is_one_line_naming_it(monkeypatch, tmp_path):
    import socket

    from typer.testing import CliRunner

    import cascade.cluster
    import cli
    monkeypatch.setattr(cascade.cluster, "CONNECT_TIMEOUT", 1.0)
    with socket.socket() as sock:                      # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "x.db"
    r = CliRunner().invoke(cli.app, ["ingest", str(CORPUS), "--db", str(db), "--cluster", f"tcp://127.0.0.1:{port}"])
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert lines == [f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} (no answer within 1 s)"]
    assert not db.exists()                             # nothing made before the cluster answered
    r = CliRunner().invoke(cli.app, ["ingest", str(CORPUS), "--db", str(db), "--cluster", "local:two"])
    assert r.exit_code == 2 and "local:N" in r.output


@pytest.mark.parametrize("text, want", [
    ("local:2", ("local", 2)), ("LOCAL:3", ("local", 3)),
    ("tcp://10.0.0.5:8786", ("remote", "tcp://10.0.0.5:8786")), ("tls://sched:8786", ("remote", "tls://sched:8786")),
    ("scheduler:8786", ("remote", "tcp://scheduler:8786")), ("localhost:8786", ("remote", "tcp://localhost:8786")),
    ("local:0", None), ("local:two", None), ("local:", None), ("scheduler", None), ("tcp://", None), ("", None),
])
def test_cluster_addresses(text, want):
    from cascade.cluster import parse_address
    if want is None:
        with pytest.raises(ValueError, match="local:N"):
            parse_address(text)
    else:
        assert parse_address(text) == want


def test_align_on_the_cluster_saves_what_local_workers_save(cluster, local_store, tmp_path):
    """`cascade align --cluster` (and `ingest --align --cluster`): the pairs go to the Dask workers,
    the results saved are those local workers save."""
    import shutil

    import cascade.align as A
    c, _client = cluster
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    shutil.copy(local_store, here)
    shutil.copy(local_store, there)

    def rows(store):
        return sorted(tuple(r) for r in store.db.execute("SELECT parent, child, indirect, params, data FROM alignments"))

    with Store(here) as store:
        want = A.align_all(store, workers=2)
        want_rows = rows(store)
    with Store(there) as store, DaskPool(c.scheduler_address) as pool:
        got = A.align_all(store, pool=pool)
        got_rows = rows(store)
    assert want.pairs >= 10 and (got.pairs, got.computed, got.failed) == (want.pairs, want.pairs, 0)
    assert got_rows == want_rows
