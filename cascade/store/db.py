"""The SQLite store: parsed documents, their files, citations and the user's overrides.

Layout (schema version = number of applied migrations, mirrored in PRAGMA user_version):

- `files`       one row per file path seen on disk: size, mtime_ns, sha256, the document it holds.
- `docs`        one row per distinct content (sha256): indexed columns (key, number, doc_type,
                date, level, province, issuer …), the full Record JSON (without text) and the text.
- `citations`   one row per citation of a document, with indexed key/number/type/date/issuer.
- `overrides`   identifications confirmed or set by the user (`cascade identify`), keyed by the
                document's content hash *and* its path, so they survive re-ingest, moves and edits.
- `aliases`     cited key → key the user says it means (a typo such as 52-NQ/TW for 57-NQ/TW).
- `migrations`  which migrations ran and when.

Migrations are registered functions, applied in order, each in its own transaction and recorded
(sqlite-utils style). Re-ingest never touches `overrides` or `aliases`.

The store is library code: the CLI only calls it. Errors a user can cause raise `StoreError`
with a one-line message.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from cascade.models import FAILED_STATUSES, Record
from cascade.text import one_line


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


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the registered migrations not yet recorded. Returns the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in db.execute("SELECT name FROM migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # another process may have applied it while we waited for the lock
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("ROLLBACK")
                continue
            fn(db)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, _now()))
            n = db.execute("SELECT count(*) FROM migrations").fetchone()[0]
            db.execute(f"PRAGMA user_version = {int(n)}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


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


# ------------------------------------------------------------------ the store
class Store:
    """One SQLite database. Use as a context manager or call close()."""

    def __init__(self, path, create: bool = True, readonly: bool = False):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such store; run `cascade ingest FOLDER --db {self.path}` first")
        try:
            self.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                migrate(self.db)
            elif self.schema_version() < len(MIGRATIONS):
                migrate(self.db)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a cascade store ({e})") from None

    # -- plumbing
    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM migrations ORDER BY rowid")]

    def transaction(self):
        return _Tx(self.db)

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
        with self.transaction():
            for path, size, mtime_ns, row in items:
                doc = row["doc"]
                old = self.db.execute("SELECT id FROM docs WHERE sha256 = ?", (doc["sha256"],)).fetchone()
                if old is not None:   # same content parsed again (--reparse, or a race): replace
                    doc_id = old[0]
                    sets = ", ".join(f"{c} = ?" for c in DOC_COLUMNS if c != "sha256")
                    self.db.execute(f"UPDATE docs SET {sets} WHERE id = ?",
                                    [doc[c] for c in DOC_COLUMNS if c != "sha256"] + [doc_id])
                    self.db.execute("DELETE FROM citations WHERE doc_id = ?", (doc_id,))
                else:
                    cur = self.db.execute(
                        f"INSERT INTO docs ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))})",
                        [doc[c] for c in DOC_COLUMNS])
                    doc_id = cur.lastrowid
                if row["citations"]:
                    self.db.executemany(
                        f"INSERT INTO citations (doc_id, {', '.join(CITATION_COLUMNS)}) "
                        f"VALUES (?, {', '.join('?' * len(CITATION_COLUMNS))})",
                        [[doc_id] + [c[k] for k in CITATION_COLUMNS] for c in row["citations"]])
                prev = self.db.execute("SELECT doc_id FROM files WHERE path = ?", (path,)).fetchone()
                if prev is not None and prev[0] != doc_id:
                    orphans.add(prev[0])
                self._point_file(path, size, mtime_ns, doc["sha256"], doc_id, now)
                # an identification made on this file follows its new content
                self.db.execute("UPDATE overrides SET sha256 = ? WHERE path = ?", (doc["sha256"], path))
            self._drop_orphans(orphans)
            self._bump()

    def _bump(self) -> None:
        """Say the data changed: the saved graph is stale (one UPDATE, inside the caller's transaction)."""
        self.db.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")

    def data_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])

    def graph_version(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'graph_version'").fetchone()[0])

    def _point_file(self, path, size, mtime_ns, sha, doc_id, now) -> None:
        self.db.execute(
            "INSERT INTO files (path, size, mtime_ns, sha256, doc_id, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, doc_id = excluded.doc_id, "
            "last_seen = excluded.last_seen",
            (path, size, mtime_ns, sha, doc_id, now, now))

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
        with self.transaction():
            orphans = {r[0] for p in removed + [new for _o, new, _s, _m in moved] + [x[0] for x in linked]
                       for r in self.db.execute("SELECT doc_id FROM files WHERE path = ?", (p,))}
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
                doc_id = self.db.execute("SELECT id FROM docs WHERE sha256 = ?", (sha,)).fetchone()[0]
                self._point_file(p, s, m, sha, doc_id, now)
            self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            self._drop_orphans(orphans)
            # a document whose primary path went away takes one of its remaining paths
            self.db.execute("UPDATE docs SET path = (SELECT min(f.path) FROM files f WHERE f.doc_id = docs.id) "
                            "WHERE path NOT IN (SELECT path FROM files)")
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
        with self.transaction():
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
        with self.transaction():
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
        with self.transaction():
            self.db.execute("DELETE FROM aliases WHERE from_key = ? AND doc_sha256 IS ?", (from_key, sha))
            self.db.execute("INSERT INTO aliases (from_key, to_key, doc_sha256, note, created_at) VALUES (?, ?, ?, ?, ?)",
                            (from_key, to_key, sha, note, _now()))
            self._bump()

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


class _Tx:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
        return False
