"""SQLite and PostgreSQL side by side: `cascade ingest`, `tree`, `coverage`, `flag` on one folder.

    python benchmarks/store_backends.py                                  # corpus/, a throw-away server
    python benchmarks/store_backends.py --folder ../shared/realdocs --files 100
    python benchmarks/store_backends.py --db postgresql://cascade@127.0.0.1:5432/cascade

Each command runs as its own `cascade` process (wall-clock, as a user sees it), first into a new
SQLite file, then into a new PostgreSQL schema: of --db's database (the URL's search_path is set
to a fresh schema; it must allow CREATE SCHEMA), or, without --db, of a throw-away server made
like the tests' (tests/pg.py: initdb + pg_ctl in a temporary folder, fsync ON here, as a real
server runs). --files N copies the first N files (by name) of --folder to a temporary folder.
Prints one table; the 1-minute load average beside it (a shared machine: compare the two
backends within one run, not across runs).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cascade(*args: str) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "--lang", "en", *args], cwd=ROOT,
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if r.returncode not in ((0, 1) if args[0] == "ingest" else (0, 3)):      # ingest: 1 = some files failed
        sys.exit(f"cascade {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    return time.perf_counter() - t


def new_schema(url: str, name: str) -> str:
    import psycopg
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        con.execute(f'CREATE SCHEMA "{name}"')
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{name}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folder", type=Path, default=ROOT / "corpus")
    ap.add_argument("--files", type=int, default=0, help="only the first N files of --folder")
    ap.add_argument("--db", help="a PostgreSQL database URL (default: a throw-away server)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--root", default="57-NQ/TW", help="the document tree and coverage start from")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cascade-bench-"))
    server = None
    try:
        folder = a.folder
        if a.files:
            folder = tmp / "docs"
            folder.mkdir()
            for p in sorted(q for q in a.folder.rglob("*") if q.is_file())[:a.files]:
                shutil.copy2(p, folder / p.name)
        n = sum(1 for q in folder.rglob("*") if q.is_file())
        url = a.db
        if url is None:
            from tests.pg import PgServer, find_bindir
            bindir = find_bindir()
            if bindir is None:
                sys.exit("PostgreSQL's initdb/pg_ctl are not installed (scripts/setup.sh installs them); or give --db")
            server = PgServer(bindir)
            server.start(fsync=True)
            url = server.url("postgres")
        stores = {"sqlite": str(tmp / "bench.db"), "postgresql": new_schema(url, f"bench_{os.getpid()}")}
        rows = []
        for backend, db in stores.items():
            w = str(a.workers)
            rows.append((backend, f"ingest ({n} files, {w} workers)", cascade("ingest", str(folder), "--db", db, "-w", w)))
            rows.append((backend, "ingest again (nothing changed)", cascade("ingest", str(folder), "--db", db, "-w", w)))
            rows.append((backend, f"tree {a.root}", cascade("tree", a.root, "--db", db)))
            rows.append((backend, f"coverage {a.root}", cascade("coverage", a.root, "--db", db)))
            rows.append((backend, "flag", cascade("flag", "--db", db)))
        load = os.getloadavg()[0]
        print(f"| backend | command | seconds |   folder: {a.folder}{f' (first {a.files})' if a.files else ''}; "
              f"load {load:.1f} on {os.cpu_count()} cores")
        print("|---|---|---|")
        for backend, what, s in rows:
            print(f"| {backend} | {what} | {s:.2f} |")
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
