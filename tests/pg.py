"""A throw-away PostgreSQL server for the tests: Debian's `postgresql` package (scripts/setup.sh
installs it), initdb + pg_ctl in a temporary folder, listening on a free port of 127.0.0.1 only,
trust authentication, fsync off. Started once per test session (tests/conftest.py `pg_server`);
each test asks for a fresh database (`new_database`).

initdb and postgres refuse to run as root (CI runs as root): then the server runs as the
unprivileged user `nobody` through `runuser`, owning its temporary folder.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

USER = "cascade"             # the database superuser initdb makes (-U)


def find_bindir() -> Optional[Path]:
    """The folder holding initdb, pg_ctl and postgres: Debian keeps them off the PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    if which and shutil.which("pg_ctl"):
        return Path(which).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="cascade-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]
        self._names = itertools.count(1)
        self.started = False

    def _run(self, *args: str) -> None:
        r = subprocess.run(self.as_user + list(args), capture_output=True, text=True, cwd=self.root)
        if r.returncode != 0:
            log = self.root / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({r.returncode}): {r.stderr.strip()[-2000:]} {tail}")

    def start(self, fsync: bool = False) -> "PgServer":
        """initdb and start; fsync=False (the tests): nothing is flushed to disk, a crash loses it."""
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        durable = "" if fsync else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        opts = f"-p {self.port} -h 127.0.0.1 -k {self.root} {durable}-c max_connections=60 -c shared_buffers=32MB"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "60", "-o", opts, "start")
        self.started = True
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty store: a schema of its own in the database `cascade`, named by the URL's
        search_path (CREATE DATABASE copies a template and checkpoints: ~10× slower)."""
        import psycopg
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            if not con.execute("SELECT 1 FROM pg_database WHERE datname = 'cascade'").fetchone():
                con.execute("CREATE DATABASE cascade")
        with psycopg.connect(self.url("cascade"), autocommit=True) as con:
            con.execute(f'CREATE SCHEMA "{name}"')
        return self.url("cascade") + f"?options=-csearch_path%3D{name}"

    def stop(self) -> None:
        if self.started:
            subprocess.run(self.as_user + [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                                           "-w", "stop"], capture_output=True, cwd=self.root)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
