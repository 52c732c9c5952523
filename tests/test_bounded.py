"""Issue 15, store half: nothing a file can be makes ingest hang, blow up or go quiet.

Every hostile file is made here (FIFO, socket, links to /dev/zero, a parser that eats memory or
hangs where Python cannot interrupt it); a FIXTURE parser stands in for the real one where the
case is about the worker, not the format.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cascade.files import not_regular, scan, sha256_file, NotReadable
from cascade.ingest import ingest
from cascade.models import Record
from cascade.store import Store
from tests.conftest import SEEDS
from tests.hostile.generate import special_files

ROOT = Path(__file__).resolve().parents[1]
PARSER = f"{__name__}:fixture_parse"
pytestmark = pytest.mark.timeout(120)


def fixture_parse(path) -> Record:
    text = Path(path).read_text(encoding="utf-8")
    if text.startswith("MEMORY"):
        hog = bytearray(8 * 1024 ** 3)          # 8 GiB: beyond any worker's limit
        return Record(source=str(path), text=str(len(hog)))
    if text.startswith("HANG"):
        # a call stuck where SIGALRM cannot reach it (as inside a C library)
        Path(text.split()[1]).write_text(str(os.getpid()))
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    if text.startswith("SEGV"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return Record(source=str(path), format="txt", doc_type="công văn", text=text)


def _hostile_folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_bytes((SEEDS / "002_99b20f177fc5dcd7.txt").read_bytes())
    special_files(d)
    (d / ".hidden.txt").write_bytes((SEEDS / "003_232fe3f8f8ad3045.txt").read_bytes())
    (d / ".git").mkdir()
    (d / ".git" / "notes.txt").write_text("x")
    return d


def test_fifo_device_socket_are_named_never_opened(tmp_path):
    d = _hostile_folder(tmp_path)
    assert "FIFO" in not_regular(d / "pipe.txt")
    assert "symbolic link to a character device" in not_regular(d / "zero.txt")
    assert "socket" in not_regular(d / "sock.pdf")
    assert not_regular(d / "good.txt") is None
    for name in ("pipe.txt", "zero.txt", "sock.pdf", "link-to-pipe.md"):
        with pytest.raises(NotReadable):
            sha256_file(d / name)          # returns at once: a FIFO without a writer is not waited on


def test_ingest_accounts_for_every_hostile_name(tmp_path):
    d = _hostile_folder(tmp_path)
    db = tmp_path / "h.db"
    t0 = time.monotonic()
    s = ingest([d], db, workers=2)
    assert time.monotonic() - t0 < 60
    assert s.files == 6 and s.parsed == 6 and s.failed == 5
    reasons = {Path(f["path"]).name: f["error"] for f in s.failures}
    assert "FIFO" in reasons["pipe.txt"] and "not read" in reasons["pipe.txt"]
    assert "symbolic link to a character device" in reasons["zero.txt"]     # by its own name, not /dev/zero
    assert "symbolic link to a character device" in reasons["null.docx"]
    assert "socket" in reasons["sock.pdf"]
    assert "FIFO" in reasons["link-to-pipe.md"]
    skipped = {Path(x["path"].rstrip("/")).name: x["reason"] for x in s.skipped}
    assert set(skipped) == {".hidden.txt", ".git"} and "hidden" in skipped[".hidden.txt"]
    with Store(db) as st:
        rows = {Path(r["path"]).name: r for r in st.docs()}
    assert rows["good.txt"]["status"] == "ok" and rows["good.txt"]["number"] == "432/UBND-VHXXH"
    # a second run reads nothing again
    s = ingest([d], db, workers=2)
    assert (s.parsed, s.unchanged, s.hashed) == (0, 6, 0)


def test_cli_parse_of_a_fifo_returns_with_one_line(tmp_path):
    d = _hostile_folder(tmp_path)
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "parse", str(d / "pipe.txt"), str(d / "zero.txt"),
                        str(d / "good.txt"), "--json"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    err = " ".join(r.stderr.split())
    assert err.count("error:") == 2 and "FIFO" in err and "character device" in err
    assert r.stdout.count("\n") == 3


def test_a_worker_over_its_memory_limit_fails_its_file_only(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    (d / "hog.txt").write_text("MEMORY", encoding="utf-8")
    (d / "fine.txt").write_text("a plain letter", encoding="utf-8")
    s = ingest([d], tmp_path / "m.db", workers=1, parser=PARSER, memory_mb=1024)
    assert (s.parsed, s.failed) == (2, 1)
    (f,) = s.failures
    assert f["path"].endswith("hog.txt") and "memory" in f["error"]


def test_a_call_stuck_out_of_reach_of_the_alarm_is_killed(tmp_path):
    d = tmp_path / "k"
    d.mkdir()
    (d / "stuck.txt").write_text(f"HANG {tmp_path / 'pid'}", encoding="utf-8")
    (d / "crash.txt").write_text("SEGV", encoding="utf-8")
    (d / "fine.txt").write_text("a plain letter", encoding="utf-8")
    t0 = time.monotonic()
    s = ingest([d], tmp_path / "k.db", workers=2, parser=PARSER, timeout=1)
    assert time.monotonic() - t0 < 30
    assert (s.parsed, s.failed) == (3, 2)
    reasons = {Path(f["path"]).name: f["error"] for f in s.failures}
    assert "longer than 1 s" in reasons["stuck.txt"] and "stopped" in reasons["stuck.txt"]
    assert "crashed" in reasons["crash.txt"] and "signal 11" in reasons["crash.txt"]
    pid = int((tmp_path / "pid").read_text())
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state          # a zombie nobody reaped yet is dead


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG are Linux")
def test_workers_die_with_a_killed_main_process(tmp_path):
    d = tmp_path / "w"
    d.mkdir()
    pidfile = tmp_path / "pid"
    (d / "stuck.txt").write_text(f"HANG {pidfile}", encoding="utf-8")
    code = (f"from cascade.ingest import ingest; ingest([{str(d)!r}], {str(tmp_path / 'w.db')!r}, workers=1, "
            f"parser={PARSER!r}, timeout=600)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    main = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not pidfile.exists() or not pidfile.read_text():
            assert main.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        worker = int(pidfile.read_text())
        assert _alive(worker)
    finally:
        main.kill()
        main.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker), "the worker outlived the main process"


def test_scan_reports_hidden_and_lock_files(tmp_path):
    (tmp_path / ".a.txt").write_text("x")
    (tmp_path / "~$b.docx").write_text("x")
    (tmp_path / "c.txt").write_text("x")
    w = scan([tmp_path])
    assert [p.name for p in w.files] == ["c.txt"]
    assert sorted(Path(p).name for p, _ in w.skipped) == [".a.txt", "~$b.docx"]
