"""Ingest the 560 real documents of ../shared/realdocs, killed part-way with SIGKILL.

What must hold: the store stays consistent after kill -9; the next run stores exactly the
files that were missing (each file once); a run after that parses nothing. Runs the real
`cascade ingest` command in a subprocess, as a user would.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"

pytestmark = [pytest.mark.slow, pytest.mark.realdocs]


def _cmd(db: Path) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), "ingest", str(REALDOCS), "--db", str(db), "--workers", "2", "--json"]


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:   # schema not created yet
        return 0


def test_kill_9_midway_then_resume_then_noop(tmp_path):
    if not REALDOCS.is_dir():
        pytest.skip(f"{REALDOCS} not found: realdocs live in ../shared beside the checkout")
    from cascade.files import walk
    on_disk = {str(p) for p in walk([REALDOCS])}
    assert len(on_disk) > 500

    db = tmp_path / "real.db"
    proc = subprocess.Popen(_cmd(db), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while _stored(db) < 100:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "no files stored within 120 s"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)   # the command and its worker processes
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    before = con.execute("SELECT count(*) FROM files").fetchone()[0]
    # every stored file has its document and its citations; nothing half-written
    assert con.execute("SELECT count(*) FROM files WHERE doc_id NOT IN (SELECT id FROM docs)").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM docs WHERE id NOT IN (SELECT doc_id FROM files)").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM docs WHERE n_citations != "
                       "(SELECT count(*) FROM citations c WHERE c.doc_id = docs.id)").fetchone()[0] == 0
    con.close()
    assert 100 <= before < len(on_disk), "killed too late to test resuming"

    # the second run completes the job, parsing only what was missing
    r = subprocess.run(_cmd(db), cwd=ROOT, capture_output=True, text=True, timeout=600)
    s = json.loads(r.stdout)
    assert s["unchanged"] == before
    assert s["new"] == s["parsed"] == len(on_disk) - before
    assert r.returncode == (1 if s["failed"] else 0)
    con = sqlite3.connect(db)
    paths = [p for (p,) in con.execute("SELECT path FROM files")]
    assert len(paths) == len(set(paths)) == len(on_disk)
    assert set(paths) == on_disk
    failed = con.execute("SELECT count(*) FROM docs WHERE status != 'ok'").fetchone()[0]
    for path, status, error in con.execute("SELECT path, status, error FROM docs WHERE status != 'ok'"):
        assert error and "\n" not in error, path        # a one-line reason for each failure
    con.close()

    # the third run finds nothing to do
    r = subprocess.run(_cmd(db), cwd=ROOT, capture_output=True, text=True, timeout=600)
    s = json.loads(r.stdout)
    assert (s["parsed"], s["unchanged"], s["new"], s["changed"]) == (0, len(on_disk), 0, 0)
    assert r.returncode == 0
    # failures recorded in the store stay visible without re-parsing
    assert failed < len(on_disk) // 10

    # the whole real graph exports to GraphML and reads back identical
    import networkx as nx

    from cascade.graph.build import build
    from cascade.graph.export import export
    from cascade.store import Store
    with Store(db) as st:
        G = build(st).graph
    out = tmp_path / "real.graphml"
    export(G, "graphml", out)
    H = nx.read_graphml(out)
    assert set(H.nodes) == set(G.nodes) and set(H.edges) == set(G.edges)
    assert all(H.nodes[n] == a for n, a in G.nodes(data=True))
    assert all(H.edges[u, v] == a for u, v, a in G.edges(data=True))
