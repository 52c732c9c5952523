"""Saved alignments: every SQL statement on the `alignments` table (schema: db.m005_alignment_cache).

A row is one aligned (parent, child) pair as JSON, keyed by the two documents' stamps (`stamps`:
content sha256 and parse time, so a re-parse is a change; the child's followed by `|level`), the
indirect flag and `params` (the alignment code's fingerprint and options: new code never reads
old results).
"""
from __future__ import annotations

import json
import sqlite3
from typing import Iterable

CHUNK = 400           # rows per IN (…) query: well under SQLite's variable limit


def stamps(store, doc_ids: Iterable[int]) -> dict[int, str]:
    """doc id → a stamp that changes whenever the document's record does."""
    ids = sorted(set(doc_ids))
    out: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        for r in store.db.execute(f"SELECT id, sha256, parsed_at FROM docs WHERE id IN ({','.join('?' * len(part))})",
                                  part):
            out[r[0]] = f"{r[1]}@{r[2] or ''}"           # as _STAMP_SQL writes it
    return out


def get(store, keys: list[tuple[str, str, bool]], params: str) -> dict[tuple[str, str, bool], str]:
    """Saved JSON for the given (parent stamp, child stamp, indirect) keys that have one."""
    out: dict[tuple[str, str, bool], str] = {}
    wanted = set(keys)
    by_parent: dict[str, list[str]] = {}
    for p, c, _ in wanted:
        by_parent.setdefault(p, []).append(c)
    try:
        for p, children in by_parent.items():
            for i in range(0, len(children), CHUNK):
                part = children[i:i + CHUNK]
                for c, ind, data in store.db.execute(
                        f"SELECT child, indirect, data FROM alignments WHERE parent = ? AND params = ? "
                        f"AND child IN ({','.join('?' * len(part))})", [p, params] + part):
                    key = (p, c, bool(ind))
                    if key in wanted:
                        out[key] = data
    except sqlite3.OperationalError:      # a store from before the table: nothing saved
        return {}
    return out


def saved_keys(store, params: str) -> set[tuple[str, str, bool]]:
    """The (parent stamp, child stamp, indirect) keys saved for `params`, without their results
    (what `cascade align` asks before computing: at 100,000 pairs, reading every result back
    would cost more than the answer)."""
    try:
        return {(p, c, bool(ind)) for p, c, ind in
                store.db.execute("SELECT parent, child, indirect FROM alignments WHERE params = ?", (params,))}
    except sqlite3.OperationalError:      # a store from before the table: nothing saved
        return set()


def put(store, rows: list[tuple[str, str, bool, str]], params: str) -> bool:
    """Save (parent stamp, child stamp, indirect, JSON) rows.
    False when the store cannot be written (read-only): results are then only not kept."""
    if not rows:
        return True
    try:
        with store.transaction():
            store.db.executemany(
                "INSERT OR REPLACE INTO alignments (parent, child, indirect, params, data) VALUES (?, ?, ?, ?, ?)",
                [(p, c, int(ind), params, data) for p, c, ind, data in rows])
    except sqlite3.OperationalError:
        return False
    return True


_STAMP_SQL = "SELECT sha256 || '@' || coalesce(parsed_at, '') FROM docs"


def prune(store, params: str) -> None:
    """Drop saved results of other code versions and of document versions no longer stored
    (once a run, before saving new ones): the table holds what the store can still ask for."""
    try:
        with store.transaction():
            store.db.execute("DELETE FROM alignments WHERE params != ?", (params,))
            store.db.execute(f"DELETE FROM alignments WHERE parent NOT IN ({_STAMP_SQL}) "
                             f"OR substr(child, 1, instr(child || '|', '|') - 1) NOT IN ({_STAMP_SQL})")
    except sqlite3.OperationalError:
        pass


def inputs(store, doc_ids: Iterable[int], with_text: bool = False) -> dict[int, dict]:
    """doc id → what `align` reads of its record: `tasks` (task dicts), `issuer` (dict), `doc_type`,
    `title` (else the subject: a letter's V/v line) and, with_text, `text`; read without parsing the
    rest of the record."""
    ids = list(dict.fromkeys(doc_ids))
    out: dict[int, dict] = {}
    text = ", text" if with_text else ""
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        for r in store.db.execute(f"SELECT id, json_extract(record, '$.tasks'), json_extract(record, '$.issuer'), "
                                  f"json_extract(record, '$.doc_type'), COALESCE(json_extract(record, '$.title'), json_extract(record, '$.subject')){text} "
                                  f"FROM docs WHERE id IN ({','.join('?' * len(part))})", part):
            out[r[0]] = {"tasks": json.loads(r[1]) if r[1] else [], "issuer": json.loads(r[2]) if r[2] else {},
                         "doc_type": r[3], "title": r[4], "text": (r[5] or "") if with_text else None}
    return out
