"""The store: parsed documents, their files, citations and the user's overrides.

An SQLite file (the default), or a PostgreSQL database when opened with a postgresql:// URL: the
same tables, SQL and migrations, written for SQLite and translated by `cascade.store.dialect`,
which holds everything that differs (and says why plain DB-API rather than SQLAlchemy). The
checks below on opening are SQLite's; PostgreSQL's are in `Store._open_postgres`.

Layout (schema version = number of applied migrations, mirrored in PRAGMA user_version on SQLite):

- `files`       one row per file path seen on disk: size, mtime_ns, sha256, the document it holds.
- `docs`        one row per distinct content (sha256): indexed columns (key, number, doc_type,
                date, level, province, issuer …), the full Record JSON (without text) and the text.
- `citations`   one row per citation of a document, with indexed key/number/type/date/issuer.
- `overrides`   identifications confirmed or set by the user (`cascade identify`), keyed by the
                document's content hash *and* its path, so they survive re-ingest, moves and edits.
- `aliases`     cited key → key the user says it means (a typo such as 52-NQ/TW for 57-NQ/TW).
- `reviews`     findings an inspector dismissed (`cascade dismiss`), by the finding's id, with a note.
- `migrations`  which migrations ran and when.

Migrations are registered functions, applied in order, each in its own transaction and recorded
(sqlite-utils style). Re-ingest never touches `overrides`, `aliases` or `reviews`.

The store is library code: the CLI only calls it. Errors a user can cause raise `StoreError`
with a one-line message (`explain` turns an sqlite3 error met later into one).

The store checks itself when opened, before anything is written:
- a file that is not an SQLite database, or a database that is not ours (no `migrations` table,
  or a table named like ours with other columns) → "not a cascade store", and it is NOT modified;
- a schema newer than this code knows (migrations it does not have) → refused, "upgrade cascade";
- `PRAGMA quick_check` first when a write-ahead log was left behind (a run that crashed, or one
  running now) and on every open of a store up to QUICK_CHECK_BYTES (random bytes written into
  it are found before a command answers from it); a damaged store is refused with one line
  (`cascade check` runs the full integrity_check);
- a store that cannot be written (read-only file, folder or file system) opens read-only
  (`immutable` when even the WAL index cannot be made): reading commands work, the saved graph
  is rebuilt in memory when stale (`cascade.store.graph.shadow`), writing ones fail with one line.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from cascade.files import NotReadable, not_regular, open_regular
from cascade.models import FAILED_STATUSES, Record
from cascade.store import dialect
from cascade.text import one_line

SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_BYTES = 256 * 1024 * 1024    # quick_check on every open up to this size (realdocs, 20 MB: 50 ms)


class StoreError(Exception):
    """A one-line, user-facing problem with the store."""


# ------------------------------------------------------------------ migrations
MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []


def migration(fn: Callable[[sqlite3.Connection], None]):
    """Register a migration. Order of registration is order of application; never reorder."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE docs (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            format TEXT,
            status TEXT NOT NULL,
            error TEXT,
            text_source TEXT,
            doc_type TEXT,
            number TEXT,
            symbol TEXT,
            key TEXT,
            date TEXT,
            place TEXT,
            issuer TEXT,
            level TEXT,
            unit TEXT,
            locality TEXT,
            province TEXT,
            issuer_parent TEXT,
            issuer_inferred INTEGER NOT NULL DEFAULT 0,
            title TEXT,
            subject TEXT,
            signer TEXT,
            n_citations INTEGER NOT NULL DEFAULT 0,
            n_tasks INTEGER NOT NULL DEFAULT 0,
            record TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            parser_version TEXT,
            parse_seconds REAL,
            parsed_at TEXT NOT NULL
        )""")
    for col in ("key", "number", "doc_type", "date", "level", "province", "issuer", "status"):
        db.execute(f"CREATE INDEX docs_{col} ON docs({col})")
    db.execute("""
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX files_sha256 ON files(sha256)")
    db.execute("CREATE INDEX files_doc_id ON files(doc_id)")
    db.execute("""
        CREATE TABLE citations (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES docs(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            key TEXT,
            number TEXT,
            type TEXT,
            date TEXT,
            year INTEGER,
            issuer TEXT,
            title TEXT,
            relation TEXT NOT NULL,
            national INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("CREATE INDEX citations_doc_id ON citations(doc_id)")
    db.execute("CREATE INDEX citations_key ON citations(key)")
    db.execute("CREATE INDEX citations_number ON citations(number)")
    db.execute("CREATE INDEX citations_relation ON citations(relation)")


@migration
def m002_overrides(db: sqlite3.Connection) -> None:
    # User identifications: never dropped by ingest. A document is matched by content first,
    # by path second (so an edited file keeps its identification).
    db.execute("""
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            sha256 TEXT,
            path TEXT,
            key TEXT,               -- NULL with rejected=1: "this document is not what was guessed"
            number TEXT,
            date TEXT,
            issuer TEXT,
            province TEXT,
            rejected INTEGER NOT NULL DEFAULT 0,
            note TEXT,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX overrides_sha256 ON overrides(sha256)")
    db.execute("CREATE INDEX overrides_path ON overrides(path)")
    db.execute("""
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            from_key TEXT NOT NULL,
            to_key TEXT NOT NULL,
            doc_sha256 TEXT,        -- only citations in this document; NULL: everywhere
            note TEXT,
            created_at TEXT NOT NULL,
            UNIQUE(from_key, doc_sha256)
        )""")


@migration
def m003_graph_cache(db: sqlite3.Connection) -> None:
    # The resolved cascade graph, saved after each change so that tree/show/docs read only what
    # they show (indexed by parent, child, key). Rebuilt whole when `data_version` moved past
    # `graph_version`; never edited by hand. Attribute columns are cascade.models.NODE_DEFAULTS /
    # EDGE_DEFAULTS; every statement on these tables is in cascade/store/graph.py.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    db.execute("INSERT INTO meta (key, value) VALUES ('data_version', 1), ('graph_version', 0)")
    db.execute("""
        CREATE TABLE graph_nodes (
            node TEXT PRIMARY KEY, key_norm TEXT, number_norm TEXT,
            kind TEXT, in_corpus INTEGER, label TEXT, key TEXT, number TEXT, doc_type TEXT,
            date TEXT, issuer TEXT, level TEXT, level_source TEXT, level_inferred INTEGER,
            province TEXT, province_source TEXT, province_inferred INTEGER, title TEXT, path TEXT,
            doc_id INTEGER, status TEXT, identified INTEGER, identified_confidence REAL,
            identified_method TEXT, n_citing INTEGER, anomalies TEXT
        )""")
    db.execute("CREATE INDEX graph_nodes_key ON graph_nodes(key_norm)")
    db.execute("CREATE INDEX graph_nodes_number ON graph_nodes(number_norm)")
    db.execute("CREATE INDEX graph_nodes_doc ON graph_nodes(doc_id)")
    db.execute("""
        CREATE TABLE graph_edges (
            child TEXT NOT NULL, parent TEXT NOT NULL, relation TEXT, text TEXT, n_citations INTEGER,
            method TEXT, confidence REAL, lag_days INTEGER, has_lag INTEGER, anomaly TEXT,
            inferred INTEGER, PRIMARY KEY (child, parent)
        )""")
    db.execute("CREATE INDEX graph_edges_parent ON graph_edges(parent, relation)")
    db.execute("CREATE TABLE graph_identified (doc_id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
    db.execute("CREATE TABLE graph_anomalies (node TEXT NOT NULL, data TEXT NOT NULL)")
    db.execute("CREATE INDEX graph_anomalies_node ON graph_anomalies(node)")


@migration
def m004_graph_votes(db: sqlite3.Connection) -> None:
    # issue 10: an external node's values with the count of citations behind each (NODE_DEFAULTS
    # "votes"); the saved graph is rebuilt on next use
    db.execute("ALTER TABLE graph_nodes ADD COLUMN votes TEXT")
    db.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")


@migration
def m005_alignment_cache(db: sqlite3.Connection) -> None:
    # issue 13: each aligned (parent, child) pair's result, keyed by both documents' content stamps
    # (sha256 and parse time), the indirect flag and the alignment code's fingerprint, so that
    # coverage and flag recompute only pairs whose documents changed. Derived data; every
    # statement on it is in cascade/store/alignments.py.
    db.execute("""
        CREATE TABLE IF NOT EXISTS alignments (
            parent TEXT NOT NULL, child TEXT NOT NULL, indirect INTEGER NOT NULL,
            params TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (parent, child, indirect, params)
        )""")


@migration
def m006_graph_incremental(db: sqlite3.Connection) -> None:
    # issue 13: what an incremental update of the saved graph reads (cascade.graph.incremental):
    # each citation's node and keys, the keys every document and citation spells with their
    # count, and the stamp of each document the saved graph holds. Filled by the next save.
    db.execute("""
        CREATE TABLE graph_citations (
            id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, target TEXT, key_norm TEXT,
            eff_norm TEXT, num TEXT
        )""")
    for col in ("doc_id", "target", "key_norm", "eff_norm", "num"):
        db.execute(f"CREATE INDEX graph_citations_{col} ON graph_citations({col})")
    db.execute("CREATE TABLE graph_keys (key_norm TEXT PRIMARY KEY, sym TEXT, num TEXT, n INTEGER NOT NULL)")
    db.execute("CREATE INDEX graph_keys_sym ON graph_keys(sym, num)")
    db.execute("CREATE INDEX graph_keys_num ON graph_keys(num, sym)")
    db.execute("CREATE TABLE graph_docs (doc_id INTEGER PRIMARY KEY, stamp TEXT NOT NULL)")
    # the stamps read from an index: the docs rows themselves carry each record and text
    db.execute("CREATE INDEX docs_stamp ON docs(status, id, sha256, parsed_at, path)")
    db.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")


@migration
def m007_reviews(db: sqlite3.Connection) -> None:
    # findings an inspector has read and dismissed (`cascade dismiss`): keyed by the finding's id
    # (cascade.flag.Finding.id: kind, document, parent, task), with what it was when dismissed, so
    # that `dismiss --list` can say what a dismissal was about after the finding is gone
    db.execute("""
        CREATE TABLE reviews (
            finding TEXT PRIMARY KEY, kind TEXT NOT NULL, document TEXT, parent TEXT, task TEXT,
            note TEXT, created_at TEXT NOT NULL
        )""")


# the migrations this code ships with: enough to recognise our tables (later ones only add to them)
_SHIPPED = tuple(name for name, _ in MIGRATIONS)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def migrate(db) -> list[str]:
    """Apply the registered migrations not yet recorded. Returns the names applied.
    db: an sqlite3 connection or a `dialect.PgConnection` (the same migrations on both)."""
    release = dialect.lock_migrations(db)
    try:
        if "migrations" not in dialect.tables(db):
            dialect.begin_write(db)
            try:
                db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                dialect.commit(db)
            except BaseException:
                _rollback(db)
                raise
        done = {r[0] for r in db.execute("SELECT name FROM migrations")}
        applied = []
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            dialect.begin_write(db)
            try:
                # another process may have applied it while we waited for the lock
                if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                    _rollback(db)
                    continue
                fn(db)
                db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))
                if not dialect.is_postgres(db):
                    n = db.execute("SELECT count(*) FROM migrations").fetchone()[0]
                    db.execute(f"PRAGMA user_version = {int(n)}")
                dialect.commit(db)
            except BaseException:
                _rollback(db)
                raise
            applied.append(name)
        return applied
    finally:
        release()


# ------------------------------------------------------------------ rows
DOC_COLUMNS = ("sha256", "path", "format", "status", "error", "text_source", "doc_type", "number",
               "symbol", "key", "date", "place", "issuer", "level", "unit", "locality", "province",
               "issuer_parent", "issuer_inferred", "title", "subject", "signer", "n_citations",
               "n_tasks", "record", "text", "parser_version", "parse_seconds", "parsed_at")
CITATION_COLUMNS = ("idx", "key", "number", "type", "date", "year", "issuer", "title", "relation",
                    "national", "text")
# what listings read: never the JSON or the text
INDEX_COLUMNS = ("id", "sha256", "path", "format", "status", "error", "doc_type", "number", "symbol",
                 "key", "date", "place", "issuer", "level", "unit", "locality", "province",
                 "issuer_parent", "issuer_inferred", "title", "subject", "n_citations", "n_tasks")


def row_from_record(rec: Record, parser_version: str = "", seconds: float = 0.0) -> dict:
    """Everything the store writes for one record; plain types only (built in the worker)."""
    iss = rec.issuer
    d = rec.to_dict(with_text=False)
    return {
        "doc": {
            "sha256": rec.sha256, "path": str(rec.source), "format": rec.format,
            "status": rec.status, "error": None if rec.error is None else one_line(rec.error), "text_source": rec.text_source,
            "doc_type": rec.doc_type, "number": rec.number, "symbol": rec.symbol, "key": rec.key,
            "date": rec.date, "place": rec.place, "issuer": iss.name, "level": iss.level,
            "unit": iss.unit, "locality": iss.locality, "province": iss.province,
            "issuer_parent": iss.parent, "issuer_inferred": int(bool(iss.inferred)),
            "title": rec.title, "subject": rec.subject, "signer": rec.signer.name,
            "n_citations": len(rec.citations), "n_tasks": len(rec.tasks),
            "record": json.dumps(d, ensure_ascii=False), "text": rec.text or "",
            "parser_version": parser_version, "parse_seconds": round(seconds, 4),
            "parsed_at": _now(),
        },
        "citations": [
            {"idx": i, "key": c.key, "number": c.number, "type": c.type, "date": c.date,
             "year": c.year, "issuer": c.issuer, "title": c.title, "relation": c.relation or "mentions",
             "national": int(bool(c.national)), "text": c.text or ""}
            for i, c in enumerate(rec.citations)
        ],
    }


@dataclass
class FileRow:
    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str
    doc_id: int
    status: str = "ok"


# ------------------------------------------------------------------ opening and checking
def explain(e: sqlite3.Error) -> str:
    """One line for an sqlite3 (or PostgreSQL, `dialect.FromPostgres`) error met while using a store."""
    if isinstance(e, dialect.FromPostgres):
        return dialect.explain_postgres(e)
    msg = one_line(e) or type(e).__name__
    low = msg.lower()
    if "full" in low or "too large" in low:
        return f"the disk is full ({msg}); nothing more was written"
    if "readonly" in low or "read-only" in low:
        return "the store is read-only here; this command needs to write to it"
    if "locked" in low or "busy" in low:
        return "the store is busy (another cascade is writing to it); try again"
    if "disk i/o" in low:
        return (f"cannot read or write the store ({msg}: a full disk, a file size limit or a failing disk); "
                "what was committed before is kept")
    if "malformed" in low or "not a database" in low or not isinstance(e, sqlite3.OperationalError):
        return f"the store is damaged ({msg}); `cascade check` lists the problems"
    return msg


_SCHEMAS: dict[tuple, dict[str, set[str]]] = {}


def expected_schema(applied: Iterable[str]) -> dict[str, set[str]]:
    """Our tables and their columns after the named (shipped) migrations, made once in memory."""
    key = tuple(applied)
    if key not in _SCHEMAS:
        mem = sqlite3.connect(":memory:", isolation_level=None)
        fns = dict(MIGRATIONS)
        for name in key:
            fns[name](mem)
        _SCHEMAS[key] = {t: {r[1] for r in mem.execute(f"PRAGMA table_info({t})")}
                         for (t,) in mem.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        mem.close()
    return _SCHEMAS[key]


def _uri(path: Path, immutable: bool = False) -> str:
    return f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def _writable(path: Path) -> bool:
    folder = path.resolve().parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


# ------------------------------------------------------------------ the store
class Store:
    """One SQLite database, or a PostgreSQL one when `path` is a postgresql:// URL (see
    cascade.store.dialect). Use as a context manager or call close().

    create: make the store when there is none. readonly: never write (also chosen by itself
    when the file, its folder or the file system cannot be written; SQLite only). check:
    quick_check when a crashed run's log is found (`cascade check` opens with check=False and
    runs its own)."""

    def __init__(self, path, create: bool = True, readonly: bool = False, check: bool = True):
        if dialect.is_url(str(path)):
            self._open_postgres(str(path), create)
            return
        self.path = Path(path)
        p = self.path
        exists = os.path.lexists(p)
        if not exists and (not create or readonly):
            raise StoreError(f"{p}: no such store; run `cascade ingest FOLDER --db {p}` first")
        if exists:
            self._sniff()
        elif not p.resolve().parent.is_dir():
            raise StoreError(f"{p}: folder {p.parent} does not exist")
        self.readonly = readonly or not _writable(p)
        if self.readonly and not exists:
            raise StoreError(f"{p}: cannot create a store here (the folder is read-only)")
        wal = Path(str(p) + "-wal")
        # a log left behind (a crashed run) or a store small enough to check in ~0.1 s each time
        suspect = (wal.exists() and wal.stat().st_size > 0) or (exists and p.stat().st_size <= QUICK_CHECK_BYTES)
        try:
            self.db = self._connect()
            self._check_schema()
            if check and suspect:
                self._quick_check()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not self.readonly:
                if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                migrate(self.db)
            elif self.schema_version() < len(MIGRATIONS) and self._tables():
                raise StoreError(f"{p}: written by an older cascade and read-only here; open it once "
                                 "where it can be written to bring it up to date")
        except StoreError:
            self._close_quietly()
            raise
        except sqlite3.Error as e:
            self._close_quietly()
            raise StoreError(f"{p}: {explain(e)}") from None

    def _open_postgres(self, url: str, create: bool) -> None:
        """Connect; refuse a database holding someone else's tables, or a newer schema; migrate."""
        self.path = dialect.masked(url)         # what messages name (never the password)
        self.readonly = False
        try:
            self.db = dialect.PgConnection(url)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot connect to PostgreSQL ({one_line(e)[:300]})") from None
        try:
            self._check_schema()
            if not create and not self._found & {"docs", "files"}:
                raise StoreError(f"{self.path}: no cascade store in this database; run "
                                 f"`cascade ingest FOLDER --db {self.path}` first")
            if {n for n, _ in MIGRATIONS} - set(self._applied):     # (up to date: no lock, no round trips)
                migrate(self.db)
        except StoreError:
            self._close_quietly()
            raise
        except sqlite3.Error as e:
            self._close_quietly()
            raise StoreError(f"{self.path}: {explain(e)}") from None

    @property
    def postgres(self) -> bool:
        return dialect.is_postgres(self.db)

    def _sniff(self) -> None:
        """Refuse what is not an SQLite file before SQLite opens it (a FIFO would hang it)."""
        p = self.path
        try:
            # only the magic is read: a store of any size (the file-size guard is for inputs)
            with open_regular(p, max_bytes=1 << 62) as f:
                head = f.read(len(SQLITE_MAGIC))
        except NotReadable as e:
            raise StoreError(f"{p}: not a cascade store ({not_regular(p) or e})") from None
        except OSError as e:
            raise StoreError(f"{p}: cannot read the store ({one_line(e.strerror or e)})") from None
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"{p}: not a cascade store (not an SQLite database)")

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        else:
            db = sqlite3.connect(_uri(self.path), uri=True, isolation_level=None, timeout=30)
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                # a WAL store on a read-only file system: its index cannot be made; nobody can
                # write there either, so read the file as it is
                db.close()
                db = sqlite3.connect(_uri(self.path, immutable=True), uri=True, isolation_level=None)
        db.row_factory = sqlite3.Row
        return db

    def _tables(self) -> set[str]:
        return dialect.tables(self.db)

    def _check_schema(self) -> None:
        """Ours (or empty), not newer than this code, not someone else's; reads only."""
        p = self.path
        self._applied: list = []
        tables = {t for t in self._tables() if not t.startswith("sqlite_")}
        self._found = tables                  # the tables it found (before any migration)
        kind = "a PostgreSQL database" if self.postgres else "an SQLite database"
        if not tables:
            if self.schema_version() != 0:
                raise StoreError(f"{p}: not a cascade store (an SQLite database of another program)")
            return
        if "migrations" not in tables:
            listed = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
            raise StoreError(f"{p}: not a cascade store ({kind} with tables {listed}); not modified")
        have = dialect.columns_of(self.db, tables & (set(expected_schema(_SHIPPED)) | {"migrations"}))
        if not {"name", "applied_at"} <= have["migrations"]:
            raise StoreError(f"{p}: not a cascade store (its migrations table is not ours); not modified")
        try:
            names = [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY rowid")]
        except sqlite3.DatabaseError:
            raise StoreError(f"{p}: not a cascade store (its migrations table is not ours); not modified") from None
        self._applied = names
        known = [n for n, _ in MIGRATIONS]
        newer = [n for n in names if n not in known]
        # PostgreSQL's schema version is the count of those rows, read in the same snapshot
        version = len(names) if self.postgres else self.schema_version()
        if newer or version > len(known):
            raise StoreError(f"{p}: written by a newer cascade (schema version {version}, "
                             f"this one knows {len(known)}); upgrade cascade to read it")
        if not all(isinstance(n, str) and n.startswith("m") for n in names):
            raise StoreError(f"{p}: not a cascade store (its migrations table is not ours); not modified")
        want = expected_schema([n for n in names if n in _SHIPPED])
        for t in sorted(tables & set(want)):      # our migrations only create tables: all columns or foreign
            if want[t] - have[t]:
                raise StoreError(f"{p}: not a cascade store (its table {t} has other columns); not modified")
        if names and not {"docs", "files"} <= tables:
            raise StoreError(f"{p}: not a cascade store (no docs or files table); not modified")

    def _quick_check(self) -> None:
        bad = [r[0] for r in self.db.execute("PRAGMA quick_check(5)")]
        if bad != ["ok"]:
            raise StoreError(f"{self.path}: the store is damaged ({one_line('; '.join(bad))[:200]}); "
                             "`cascade check` lists the problems; ingest again into a new store")

    def integrity(self, limit: int = 100) -> list[str]:
        """`PRAGMA integrity_check`: [] when the store is whole, else the problems (at most `limit`).
        PostgreSQL keeps its own pages whole; there the check is the one made on opening (the
        schema is ours and not newer) and that every file row points at a stored document."""
        if self.postgres:
            n = self.db.execute("SELECT count(*) FROM files f WHERE NOT EXISTS "
                                "(SELECT 1 FROM docs d WHERE d.id = f.doc_id)").fetchone()[0]
            return [f"{n} file rows point at no document"] if n else []
        rows = [r[0] for r in self.db.execute(f"PRAGMA integrity_check({int(limit)})")]
        return [] if rows == ["ok"] else rows

    def _close_quietly(self) -> None:
        try:
            self.db.close()
        except (AttributeError, sqlite3.Error):
            pass

    # -- plumbing
    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def schema_version(self) -> int:
        """How many migrations were applied (SQLite mirrors it in PRAGMA user_version)."""
        if self.postgres:
            if "migrations" not in self._tables():
                return 0
            return int(self.db.execute("SELECT count(*) FROM migrations").fetchone()[0])
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY rowid")]

    def transaction(self):
        """A transaction for derived data (the saved graph, saved alignments): on PostgreSQL it
        continues the snapshot the data was read in (see cascade.store.dialect)."""
        return _Tx(self.db, immediate=not self.readonly, derived=True)

    def _write(self):
        """A transaction for the store's own data: writers take turns."""
        return _Tx(self.db, immediate=not self.readonly)

    # -- files
    def file_index(self) -> dict[str, FileRow]:
        return {r["path"]: FileRow(r["id"], r["path"], r["size"], r["mtime_ns"], r["sha256"], r["doc_id"], r["status"])
                for r in self.db.execute("SELECT f.id, f.path, f.size, f.mtime_ns, f.sha256, f.doc_id, d.status "
                                         "FROM files f JOIN docs d ON d.id = f.doc_id")}

    def doc_ids_by_sha(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT sha256, id FROM docs")}

    def save_parsed(self, items: Iterable[tuple[str, int, int, dict]]) -> None:
        """Store parsed documents and point their files at them, in ONE transaction.

        items: (path, size, mtime_ns, row) with row from `row_from_record`.
        A file that held other content before is re-pointed; content no file holds any more
        is deleted (its citations with it).
        """
        items = list(items)
        if not items:
            return
        now = _now()
        orphans: set[int] = set()     # documents whose file now holds other content
        # the same content twice in one batch (a copy) is one document: the last row read wins, as
        # when each replaced the one before; documents are numbered in the order first met
        last = {row["doc"]["sha256"]: row for *_x, row in items}
        order = list(dict.fromkeys(row["doc"]["sha256"] for *_x, row in items))
        with self._write():
            # a fixed number of round trips a batch, whatever its size (each one counts on
            # PostgreSQL): what the store holds for these contents and paths, read in one query;
            # contents seen before replaced in one statement each; new ones inserted together
            by_sha, held = self._held([sha for sha in order], [it[0] for it in items])
            again = [sha for sha in order if sha in by_sha]    # parsed again (--reparse, a copy, or a race)
            if again:
                sets = ", ".join(f"{c} = ?" for c in DOC_COLUMNS if c != "sha256")
                self.db.executemany(f"UPDATE docs SET {sets} WHERE id = ?",
                                    [[last[sha]["doc"][c] for c in DOC_COLUMNS if c != "sha256"] + [by_sha[sha]]
                                     for sha in again])
                self._where_in("DELETE FROM citations WHERE doc_id", [by_sha[sha] for sha in again])
            by_sha.update(self._insert_docs([last[sha]["doc"] for sha in order if sha not in by_sha]))
            rows = [[by_sha[sha]] + [c[k] for k in CITATION_COLUMNS] for sha in order for c in last[sha]["citations"]]
            if rows:
                self.db.executemany(
                    f"INSERT INTO citations (doc_id, {', '.join(CITATION_COLUMNS)}) "
                    f"VALUES (?, {', '.join('?' * len(CITATION_COLUMNS))})", rows)
            files = []
            for path, size, mtime_ns, row in items:
                sha = row["doc"]["sha256"]
                doc_id = by_sha[sha]
                prev = held.get(path)
                if prev is not None and prev != doc_id:
                    orphans.add(prev)
                files.append((path, size, mtime_ns, sha, doc_id, now, now))
            self.db.executemany(_POINT_FILE, files)
            # an identification made on these files follows their new content
            self._where_in("UPDATE overrides SET sha256 = (SELECT f.sha256 FROM files f WHERE f.path = overrides.path) "
                           "WHERE path", [f[0] for f in files])
            self._drop_orphans(orphans)
            self._primary_paths({by_sha[sha] for sha in order} | orphans)
            self._bump()

    def _held(self, shas: list, paths: list) -> tuple[dict, dict]:
        """({sha256: doc id} of the stored contents among `shas`, {path: doc id} of the file rows
        among `paths`), in one query a chunk."""
        by_sha: dict = {}
        held: dict = {}
        shas, paths = sorted(set(shas)), sorted(set(paths))
        for i in range(0, max(len(shas), len(paths)), 250):
            a, b = shas[i:i + 250], paths[i:i + 250]
            sql = " UNION ALL ".join(q for q, part in (
                (f"SELECT 0, sha256, id FROM docs WHERE sha256 IN ({','.join('?' * len(a))})", a),
                (f"SELECT 1, path, doc_id FROM files WHERE path IN ({','.join('?' * len(b))})", b)) if part)
            for which, k, v in self.db.execute(sql, a + b):
                (held if which else by_sha)[k] = v
        return by_sha, held

    def _insert_docs(self, docs: list[dict]) -> dict:
        """Insert new documents, numbered in the order given: {sha256: id} (one round trip on PostgreSQL)."""
        if not docs:
            return {}
        rows = dialect.insert_returning(
            self.db, f"INSERT INTO docs ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))}) "
                     "RETURNING id", [[d[c] for c in DOC_COLUMNS] for d in docs])
        return {d["sha256"]: r[0] for d, r in zip(docs, rows)}

    def _where_in(self, statement: str, keys: list) -> None:
        """`statement IN (keys)`, in chunks."""
        keys = sorted(set(keys))
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            self.db.execute(f"{statement} IN ({','.join('?' * len(part))})", part)

    def _ids_where(self, select: str, keys: list) -> dict:
        """{first column: second column} of `select IN (keys)`, in chunks."""
        out = {}
        keys = sorted(set(keys))
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            out.update((r[0], r[1]) for r in self.db.execute(f"{select} IN ({','.join('?' * len(part))})", part))
        return out

    def _primary_paths(self, doc_ids) -> None:
        """A document's path is the first of its files' paths (by name, not by who was parsed first).
        Only for the given documents (those whose files changed): a whole-table pass each batch made
        an ingest quadratic in the store's size."""
        ids = sorted(doc_ids)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            self.db.execute(
                "UPDATE docs SET path = (SELECT min(f.path) FROM files f WHERE f.doc_id = docs.id) "
                f"WHERE id IN ({','.join('?' * len(part))}) "
                "AND path IS NOT (SELECT min(f.path) FROM files f WHERE f.doc_id = docs.id) "
                "AND EXISTS (SELECT 1 FROM files f WHERE f.doc_id = docs.id)", part)

    def _bump(self) -> None:
        """Say the data changed: the saved graph is stale (one UPDATE, inside the caller's transaction)."""
        self.db.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")

    def data_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])

    def graph_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'graph_version'").fetchone()[0])

    def _point_file(self, path, size, mtime_ns, sha, doc_id, now) -> None:
        self.db.execute(_POINT_FILE, (path, size, mtime_ns, sha, doc_id, now, now))

    def _drop_orphans(self, candidates) -> int:
        """Delete those of `candidates` (doc ids) that no file holds any more (citations follow)."""
        n = 0
        ids = sorted(candidates)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            n += self.db.execute(
                f"DELETE FROM docs WHERE id IN ({','.join('?' * len(part))}) "
                "AND NOT EXISTS (SELECT 1 FROM files f WHERE f.doc_id = docs.id)", part).rowcount
        return n

    def update_files(self, touched: list[tuple[str, int, int]], moved: list[tuple[str, str, int, int]],
                     linked: list[tuple[str, int, int, str]], removed: list[str]) -> None:
        """File bookkeeping that needs no parsing, in one transaction.

        touched: (path, size, mtime_ns) same content, new stat; moved: (old, new, size, mtime_ns);
        linked: (path, size, mtime_ns, sha) a new path whose content is already stored;
        removed: paths gone from disk.
        """
        if not (touched or moved or linked or removed):
            return
        now = _now()
        with self._write():
            orphans = {r[0] for p in removed + [new for _o, new, _s, _m in moved] + [x[0] for x in linked]
                       for r in self.db.execute("SELECT doc_id FROM files WHERE path = ?", (p,))}
            changed = set(orphans) | set(self._ids_where("SELECT doc_id, 1 FROM files WHERE path",
                                                         [old for old, _n, _s, _m in moved]))
            self.db.executemany("UPDATE files SET size = ?, mtime_ns = ?, last_seen = ? WHERE path = ?",
                                [(s, m, now, p) for p, s, m in touched])
            for old, new, s, m in moved:
                self.db.execute("DELETE FROM files WHERE path = ?", (new,))
                self.db.execute("UPDATE files SET path = ?, size = ?, mtime_ns = ?, last_seen = ? WHERE path = ?",
                                (new, s, m, now, old))
                self.db.execute("UPDATE docs SET path = ? WHERE id = (SELECT doc_id FROM files WHERE path = ?)",
                                (new, new))
                self.db.execute("UPDATE overrides SET path = ? WHERE path = ?", (new, old))
            for p, s, m, sha in linked:
                doc = self.db.execute("SELECT id FROM docs WHERE sha256 = ?", (sha,)).fetchone()
                if doc is None:   # another process dropped that content meanwhile: the next run parses p
                    continue
                self._point_file(p, s, m, sha, doc[0], now)
                changed.add(doc[0])
            self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            self._drop_orphans(orphans)
            self._primary_paths(changed)      # also when the primary path went away or a copy appeared
            self._bump()

    # -- reading
    def count(self) -> dict:
        q = self.db.execute
        failed = ",".join("?" * len(FAILED_STATUSES))
        return {
            "files": q("SELECT count(*) FROM files").fetchone()[0],
            "docs": q("SELECT count(*) FROM docs").fetchone()[0],
            "failed": q(f"SELECT count(*) FROM docs WHERE status IN ({failed})",
                        tuple(FAILED_STATUSES)).fetchone()[0],
            "citations": q("SELECT count(*) FROM citations").fetchone()[0],
        }

    def docs(self, ok_only: bool = False) -> list[dict]:
        """Index columns of every document (no JSON, no text), ordered by id."""
        sql = f"SELECT {', '.join(INDEX_COLUMNS)} FROM docs"
        params: tuple = ()
        if ok_only:
            sql += f" WHERE status NOT IN ({','.join('?' * len(FAILED_STATUSES))})"
            params = tuple(FAILED_STATUSES)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY id", params)]

    def doc(self, doc_id: int) -> Optional[dict]:
        r = self.db.execute(f"SELECT {', '.join(INDEX_COLUMNS)} FROM docs WHERE id = ?", (doc_id,)).fetchone()
        return dict(r) if r else None

    def files_of(self, doc_id: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM files WHERE doc_id = ? ORDER BY path", (doc_id,))]

    def record(self, doc_id: int, with_text: bool = False) -> Optional[Record]:
        r = self.db.execute("SELECT record, text FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if r is None:
            return None
        d = json.loads(r["record"])
        if with_text:
            d["text"] = r["text"]
        return Record.from_dict(d)

    def records(self, doc_ids: Iterable[int], with_text: bool = False) -> dict[int, Record]:
        ids = list(doc_ids)
        out: dict[int, Record] = {}
        cols = "id, record, text" if with_text else "id, record"
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            for r in self.db.execute(f"SELECT {cols} FROM docs WHERE id IN ({','.join('?' * len(part))})", part):
                d = json.loads(r["record"])
                if with_text:
                    d["text"] = r["text"]
                out[r["id"]] = Record.from_dict(d)
        return out

    def citations(self) -> list[dict]:
        sql = (f"SELECT c.id, c.doc_id, {', '.join('c.' + k for k in CITATION_COLUMNS)} FROM citations c "
               "JOIN docs d ON d.id = c.doc_id ORDER BY c.doc_id, c.idx")
        return [dict(r) for r in self.db.execute(sql)]

    def doc_id_for_path(self, path) -> Optional[int]:
        p = str(Path(path).resolve())
        r = self.db.execute("SELECT doc_id FROM files WHERE path = ?", (p,)).fetchone()
        return r[0] if r else None

    # -- overrides (never touched by ingest)
    def set_override(self, doc_id: int, key: Optional[str], number: Optional[str] = None,
                     date: Optional[str] = None, issuer: Optional[str] = None,
                     province: Optional[str] = None, rejected: bool = False, note: str = "") -> None:
        d = self.doc(doc_id)
        if d is None:
            raise StoreError(f"no document with id {doc_id}")
        with self._write():
            self.db.execute("DELETE FROM overrides WHERE sha256 = ? OR path = ?", (d["sha256"], d["path"]))
            self.db.execute(
                "INSERT INTO overrides (sha256, path, key, number, date, issuer, province, rejected, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (d["sha256"], d["path"], key, number or key, date, issuer, province, int(rejected), note, _now()))
            self._bump()

    def clear_override(self, doc_id: int) -> int:
        d = self.doc(doc_id)
        if d is None:
            raise StoreError(f"no document with id {doc_id}")
        with self._write():
            self._bump()
            return self.db.execute("DELETE FROM overrides WHERE sha256 = ? OR path = ?",
                                   (d["sha256"], d["path"])).rowcount

    def overrides(self) -> dict[int, dict]:
        """Overrides by current doc id: content match first, then path match."""
        out: dict[int, dict] = {}
        rows = [dict(r) for r in self.db.execute("SELECT * FROM overrides ORDER BY id")]
        if not rows:
            return out
        by_sha = self.doc_ids_by_sha()
        by_path = {r[0]: r[1] for r in self.db.execute("SELECT path, doc_id FROM files")}
        for r in rows:
            doc_id = by_sha.get(r["sha256"]) or by_path.get(r["path"])
            if doc_id is not None:
                out[doc_id] = r
        return out

    def set_alias(self, from_key: str, to_key: str, doc_id: Optional[int] = None, note: str = "") -> None:
        sha = None
        if doc_id is not None:
            d = self.doc(doc_id)
            if d is None:
                raise StoreError(f"no document with id {doc_id}")
            sha = d["sha256"]
        with self._write():
            self.db.execute("DELETE FROM aliases WHERE from_key = ? AND doc_sha256 IS ?", (from_key, sha))
            self.db.execute("INSERT INTO aliases (from_key, to_key, doc_sha256, note, created_at) VALUES (?, ?, ?, ?, ?)",
                            (from_key, to_key, sha, note, _now()))
            self._bump()

    def dismiss(self, findings: Iterable[dict], note: str = "") -> None:
        """Record findings (dicts with id, kind, document, parent, task) as dismissed; a finding
        dismissed again gets the new note."""
        rows = [(f["id"], f["kind"], f.get("document"), f.get("parent"), f.get("task"), note, _now()) for f in findings]
        with self._write():
            for r in rows:
                self.db.execute("DELETE FROM reviews WHERE finding = ?", (r[0],))
                self.db.execute("INSERT INTO reviews (finding, kind, document, parent, task, note, created_at) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)", r)

    def undismiss(self, ids: Iterable[str]) -> int:
        """Forget dismissals; returns how many there were."""
        n = 0
        with self._write():
            for i in ids:
                n += self.db.execute("DELETE FROM reviews WHERE finding = ?", (i,)).rowcount or 0
        return n

    def dismissed(self) -> dict[str, dict]:
        """Finding id → the dismissal (kind, document, parent, task, note, created_at)."""
        return {r["finding"]: dict(r) for r in self.db.execute(
            "SELECT finding, kind, document, parent, task, note, created_at FROM reviews ORDER BY created_at, finding")}

    def aliases(self) -> list[dict]:
        """Aliases with the doc id they are limited to (None: everywhere)."""
        by_sha = self.doc_ids_by_sha()
        out = []
        for r in self.db.execute("SELECT from_key, to_key, doc_sha256, note FROM aliases ORDER BY id"):
            d = dict(r)
            d["doc_id"] = by_sha.get(d["doc_sha256"]) if d["doc_sha256"] else None
            if d["doc_sha256"] and d["doc_id"] is None:
                continue   # its document is not in the store any more
            out.append(d)
        return out


_POINT_FILE = ("INSERT INTO files (path, size, mtime_ns, sha256, doc_id, first_seen, last_seen) "
               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
               "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, doc_id = excluded.doc_id, "
               "last_seen = excluded.last_seen")


class _Tx:
    def __init__(self, db, immediate: bool = True, derived: bool = False):
        self.db = db
        self.immediate = immediate      # a read-only store writes only its TEMP tables
        self.derived = derived

    def __enter__(self):
        if dialect.is_postgres(self.db):
            self.db.begin_derived() if self.derived else self.db.begin_write()
        else:
            self.db.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                dialect.commit(self.db)
            except sqlite3.Error as e:
                _rollback(self.db)
                if not self._lost_race(e):
                    raise
            return False
        _rollback(self.db)
        # derived data another process saved at the same time: ours is dropped (module doc of dialect)
        return self._lost_race(exc)

    def _lost_race(self, exc) -> bool:
        return self.derived and isinstance(exc, dialect.FromPostgres) and exc.sqlstate in dialect.LOST_RACE


def _rollback(db) -> None:
    """ROLLBACK unless SQLite already did (it does on a full disk): the first error is the one to report."""
    dialect.rollback(db)
