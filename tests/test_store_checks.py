"""Issue 15, store half: the store checks itself, and no damaged, foreign, newer, read-only or
full store makes a command answer wrongly, write where it must not, or print a traceback.

Each bad store is made here from a fresh ingest of the five seeds (corpus/).
"""
from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cascade.ingest import ingest
from cascade.store import Store, StoreError
from cascade.store import db as store_db
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.timeout(300)

READ_COMMANDS = [["docs"], ["show", "1"], ["tree", "57-NQ/TW"], ["flag"], ["coverage", "57-NQ/TW"],
                 ["identify", "--list"], ["export", "--format", "json", "-o", "{out}"]]
WRITE_COMMANDS = [["ingest", str(SEEDS)], ["identify", "1", "03/CT-UBND"], ["alias", "52-NQ/TW", "57-NQ/TW"]]


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    ingest([SEEDS], db, workers=2)
    return db


def _copy(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def cli(args: list[str], db: Path, tmp_path: Path, **kw) -> subprocess.CompletedProcess:
    """The command as a user runs it: in this process (CliRunner), or in a subprocess when `kw`
    set it up (preexec_fn)."""
    args = [a.replace("{out}", str(tmp_path / f"out-{len(os.listdir(tmp_path))}.json")) for a in args]
    if kw:
        return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args, "--db", str(db)], capture_output=True,
                              text=True, timeout=120, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT),
                                                                         COLUMNS="300"), **kw)
    from typer.testing import CliRunner

    from cli import app
    r = CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "300"})
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return subprocess.CompletedProcess(args, r.exit_code, r.stdout, r.stderr)


def one_line_error(r: subprocess.CompletedProcess, *words: str) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout[-300:], r.stderr[-300:])
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    errors = [x for x in lines if x.startswith("error:")]
    assert len(errors) == 1, lines
    for w in words:
        assert w in errors[0], errors[0]
    return errors[0]


def _md5(p: Path) -> str:
    return hashlib.md5(p.read_bytes()).hexdigest()


def _scribble(db: Path, seed: int = 15) -> None:
    """Random bytes over one whole page in the middle of the file (as a bad disk or a stray write)."""
    size = db.stat().st_size
    page = 4096
    at = (size // 2) // page * page
    with open(db, "r+b") as f:
        f.seek(at)
        f.write(random.Random(seed).randbytes(page))


# ------------------------------------------------------------------ damage
def test_random_bytes_in_the_middle_fail_every_command_with_one_line(seeds_store, tmp_path):
    db = _copy(seeds_store, tmp_path / "bad.db")
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    _scribble(db)
    con = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError):
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and False
    con.close()
    for args in READ_COMMANDS + WRITE_COMMANDS:
        one_line_error(cli(args, db, tmp_path), "damaged")
    r = cli(["check"], db, tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "damaged" in r.stderr


def test_check_says_ok_on_a_whole_store(seeds_store, tmp_path):
    r = cli(["check"], seeds_store, tmp_path)
    assert r.returncode == 0 and r.stdout.strip().endswith(": ok")


def test_a_crashed_runs_log_triggers_quick_check_on_a_large_store(seeds_store, tmp_path, monkeypatch):
    """Above QUICK_CHECK_BYTES a store is checked on open only when a crashed run left its log."""
    db = _copy(seeds_store, tmp_path / "c.db")
    # a writer that dies without closing leaves its write-ahead log behind
    code = ("import sqlite3, os; c = sqlite3.connect({!r}, isolation_level=None); "
            "c.execute('UPDATE meta SET value = value + 1 WHERE key = \"data_version\"'); os._exit(0)").format(str(db))
    subprocess.run([sys.executable, "-c", code], check=True)
    assert Path(str(db) + "-wal").stat().st_size > 0
    monkeypatch.setattr(store_db, "QUICK_CHECK_BYTES", 0)
    checks = []
    real = Store._quick_check
    monkeypatch.setattr(Store, "_quick_check", lambda self: checks.append(1) or real(self))
    with Store(db, create=False) as st:
        assert st.count()["docs"] == 5
    assert checks == [1]
    clean = _copy(seeds_store, tmp_path / "clean.db")
    with Store(clean, create=False):
        pass
    assert checks == [1]            # no log, above the size: not checked


# ------------------------------------------------------------------ not ours
def _foreign_dbs(tmp_path: Path) -> list[Path]:
    out = []
    for name, sql in (("people", ["CREATE TABLE people (name TEXT)", "INSERT INTO people VALUES ('An')"]),
                      ("docs-like", ["CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT)",
                                     "INSERT INTO docs (title) VALUES ('not ours')"]),
                      ("with-migrations", ["CREATE TABLE migrations (name TEXT, applied_at TEXT)",
                                           "INSERT INTO migrations VALUES ('m001_initial', 'x')",
                                           "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)",
                                           "CREATE TABLE files (path TEXT)", "PRAGMA user_version = 1"])):
        p = tmp_path / f"{name}.db"
        con = sqlite3.connect(p)
        for s in sql:
            con.execute(s)
        con.commit()
        con.close()
        out.append(p)
    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 100)
    return out + [text]


def test_a_foreign_database_is_refused_by_every_command_and_not_modified(tmp_path):
    for db in _foreign_dbs(tmp_path):
        before = _md5(db)
        for args in READ_COMMANDS + WRITE_COMMANDS + [["check"]]:
            one_line_error(cli(args, db, tmp_path), "not a cascade store")
        assert _md5(db) == before, db
        assert sorted(p.name for p in tmp_path.glob(db.name + "*")) == [db.name]   # no -wal, no -shm


def test_a_fifo_as_the_store_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.db")
    one_line_error(cli(["docs"], tmp_path / "pipe.db", tmp_path), "not a cascade store", "FIFO")


def test_a_store_from_a_newer_cascade_is_refused_and_not_modified(seeds_store, tmp_path):
    db = _copy(seeds_store, tmp_path / "newer.db")
    con = sqlite3.connect(db)
    con.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01T00:00:00')")
    con.execute(f"PRAGMA user_version = {len(store_db.MIGRATIONS) + 1}")
    con.commit()
    con.close()
    before = _md5(db)
    for args in READ_COMMANDS + WRITE_COMMANDS:
        one_line_error(cli(args, db, tmp_path), "newer cascade")
    assert _md5(db) == before
    with pytest.raises(StoreError, match="newer"):
        Store(db)


# ------------------------------------------------------------------ read-only, full
def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode().strip()[:80]}): needs root")


@pytest.fixture
def tmpfs(tmp_path):
    where = tmp_path / "fs"
    _mount_tmpfs(where, "64m")
    yield where
    subprocess.run(["umount", "-l", str(where)])


def test_read_commands_work_on_a_read_only_file_system_and_never_write(seeds_store, tmp_path, tmpfs):
    db = _copy(seeds_store, tmpfs / "s.db")
    out_rw = [cli(a, db, tmp_path) for a in READ_COMMANDS[:4]]
    # a change leaves the saved graph stale: a read-only store rebuilds it in memory
    r = cli(["alias", "52-NQ/TW", "57-NQ/TW"], db, tmp_path)
    assert r.returncode == 0, r.stderr
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for args, before in zip(READ_COMMANDS, out_rw + [None] * 9):
        r = cli(args, db, tmp_path)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stderr)
    r = cli(["tree", "57-NQ/TW", "--json"], db, tmp_path)
    assert "432/UBND-VHXXH" in r.stdout
    for args in WRITE_COMMANDS[1:]:
        one_line_error(cli(args, db, tmp_path), "read-only")
    with Store(db, create=False) as st:
        assert st.readonly and st.count()["docs"] == 5


def test_a_full_disk_is_one_line(tmp_path):
    where = tmp_path / "small"
    _mount_tmpfs(where, "200k")
    try:
        r = cli(["ingest", str(SEEDS), str(ROOT / "tests")], where / "s.db", tmp_path)
        one_line_error(r, "disk is full")
    finally:
        subprocess.run(["umount", "-l", str(where)])


def test_a_file_size_limit_is_one_line(tmp_path):
    """RLIMIT_FSIZE (as a quota would): writes past it fail (EFBIG), the command says so in one line."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
    r = cli(["ingest", str(SEEDS)], tmp_path / "s.db", tmp_path, preexec_fn=limit)
    one_line_error(r, "disk")


# ------------------------------------------------------------------ references
@pytest.mark.parametrize("ref", ["99999999999999999999999", "²", "doc:²", "0", "1e9", "٣"])
def test_odd_references_are_one_line(seeds_store, tmp_path, ref):
    one_line_error(cli(["show", ref], seeds_store, tmp_path), "no document")


def test_an_exported_name_finds_its_document(seeds_store, tmp_path):
    """`cascade export` names documents by content; `show` accepts that name (or 8+ hex of it)."""
    import json
    out = tmp_path / "g.json"
    assert cli(["export", "--format", "json", "-o", str(out)], seeds_store, tmp_path).returncode == 0
    node = next(n for n in json.loads(out.read_text(encoding="utf-8"))["nodes"] if n["id"].startswith("doc:"))
    for ref in (node["id"], node["id"][:12]):
        r = cli(["show", ref, "--json"], seeds_store, tmp_path)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["path"] == node["path"]


def test_a_folder_or_a_missing_folder_as_the_store_is_one_line(tmp_path):
    one_line_error(cli(["docs"], tmp_path, tmp_path), "not a cascade store", "folder")
    one_line_error(cli(["ingest", str(SEEDS)], tmp_path / "nowhere" / "s.db", tmp_path), "does not exist")
