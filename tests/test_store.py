"""Store and ingest bookkeeping.

These tests use a FIXTURE parser (`fixture_parse` below), not the real one: each fixture file
holds a JSON Record, or BROKEN / CRASH to make the parser raise or the worker process die. That
isolates what the store must do (new / unchanged / changed / moved, failures, overrides,
migrations) from what the parser extracts. Real documents go through the real parser in
test_graph.py (corpus/) and test_ingest_realdocs.py (../shared/realdocs).

The store tests run on both backends (`store_url`: an SQLite file, then a database on the
session's throw-away PostgreSQL server, tests/conftest.py).
"""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from cascade.store import db as store_mod
from cascade.ingest import ingest
from cascade.models import Record
from cascade.store import Store, dialect

PARSER = f"{__name__}:fixture_parse"


def fixture_parse(path) -> Record:
    text = open(path, encoding="utf-8").read()
    if text.startswith("BROKEN"):
        raise ValueError("fixture says this file cannot be read")
    if text.startswith("SLOW"):
        import time
        time.sleep(30)
    if text.startswith("CRASH"):
        os._exit(3)   # the worker process dies without a word
    if text.startswith("{"):
        d = json.loads(text)
        d.setdefault("source", str(path))
        d.setdefault("format", "txt")
        return Record.from_dict(d)
    return Record(source=str(path), format="txt", doc_type="công văn", text=text)


def rec_json(**kw) -> str:
    d = {"source": "x", "format": "txt", "doc_type": "công văn"}
    d.update(kw)
    return json.dumps(d, ensure_ascii=False)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(rec_json(number="12/UBND-VP", key="12/UBND-VP", date="2025-01-02",
                                      citations=[{"type": "nghị định", "number": "73/2023/NĐ-CP",
                                                  "key": "73/2023/NĐ-CP", "text": "Nghị định số 73/2023/NĐ-CP",
                                                  "start": 0, "end": 10, "relation": "implements",
                                                  "national": True}]), encoding="utf-8")
    (d / "sub" / "b.txt").write_text("plain letter b", encoding="utf-8")
    (d / "sub" / "c.md").write_text("plain letter c", encoding="utf-8")
    (d / "ignored.xyz").write_text("not a document", encoding="utf-8")
    (d / "~$lock.docx").write_text("office lock file", encoding="utf-8")
    return d


def test_first_ingest_stores_every_supported_file_once(folder, store_url):
    db = store_url
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.files, s.new, s.parsed, s.failed) == (3, 3, 3, 0)
    with Store(db) as st:
        assert st.count()["files"] == 3
        paths = {os.path.basename(d["path"]) for d in st.docs()}
        assert paths == {"a.txt", "b.txt", "c.md"}
        a = [d for d in st.docs() if d["path"].endswith("a.txt")][0]
        assert (a["number"], a["date"], a["n_citations"]) == ("12/UBND-VP", "2025-01-02", 1)
        cit = st.citations()
        assert [(c["key"], c["relation"], c["national"]) for c in cit] == [("73/2023/NĐ-CP", "implements", 1)]
        if not st.postgres:
            assert st.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rerun_is_a_noop_and_does_not_hash_unchanged_files(folder, store_url):
    db = store_url
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert s.hashed == 3
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.unchanged, s.parsed, s.new, s.changed) == (3, 0, 0, 0)
    assert s.hashed == 0          # same size and mtime: not even hashed


def test_touched_but_same_content_is_unchanged(folder, store_url):
    db = store_url
    ingest([folder], db, workers=1, parser=PARSER)
    b = folder / "sub" / "b.txt"
    st = b.stat()
    os.utime(b, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.unchanged, s.parsed) == (3, 0)


def test_changed_moved_duplicate_removed(folder, store_url):
    db = store_url
    ingest([folder], db, workers=1, parser=PARSER)
    with Store(db) as st:
        ids_before = {os.path.basename(d["path"]): d["id"] for d in st.docs()}
    (folder / "sub" / "b.txt").write_text("plain letter b, second version", encoding="utf-8")
    (folder / "sub" / "c.md").rename(folder / "c-renamed.md")
    (folder / "copy-of-a.txt").write_bytes((folder / "a.txt").read_bytes())
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.changed, s.moved, s.duplicate, s.parsed, s.removed) == (1, 1, 1, 1, 0)
    with Store(db) as st:
        files = st.file_index()
        assert len(files) == 4
        docs = {os.path.basename(d["path"]): d["id"] for d in st.docs()}
        # the moved file kept its document; the old content of b is gone
        assert docs["c-renamed.md"] == ids_before["c.md"]
        assert len(docs) == 3
        a_id = ids_before["a.txt"]
        assert sorted(os.path.basename(p) for p in st.files_of(a_id)) == ["a.txt", "copy-of-a.txt"]
        assert st.count()["citations"] == 1
    (folder / "copy-of-a.txt").unlink()
    (folder / "sub" / "b.txt").unlink()
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.removed, s.parsed) == (2, 0)
    with Store(db) as st:
        assert st.count()["files"] == 2 and st.count()["docs"] == 2


def test_broken_and_crashing_files_are_recorded_and_the_batch_goes_on(folder, store_url):
    (folder / "broken.txt").write_text("BROKEN", encoding="utf-8")
    (folder / "sub" / "crash.txt").write_text("CRASH", encoding="utf-8")
    db = store_url
    s = ingest([folder], db, workers=2, parser=PARSER)
    assert (s.files, s.parsed, s.failed) == (5, 5, 2)
    reasons = {os.path.basename(f["path"]): f["error"] for f in s.failures}
    assert "cannot be read" in reasons["broken.txt"]
    assert "crashed" in reasons["crash.txt"]
    with Store(db) as st:
        rows = {os.path.basename(d["path"]): d for d in st.docs()}
        assert rows["broken.txt"]["status"] == "error"
        assert "\n" not in rows["broken.txt"]["error"]
        assert rows["a.txt"]["status"] == "ok"
    # a failed file is not retried while its content is unchanged, unless asked
    s = ingest([folder], db, workers=2, parser=PARSER)
    assert s.parsed == 0
    s = ingest([folder], db, workers=2, parser=PARSER, retry_failed=True)
    assert (s.retried, s.parsed, s.failed, s.unchanged) == (2, 2, 2, 3)


def test_migrations_are_recorded_and_versioned(store_url, monkeypatch):
    db = store_url
    with Store(db) as st:
        assert st.schema_version() == len(store_mod.MIGRATIONS)
        assert st.applied_migrations() == [name for name, _ in store_mod.MIGRATIONS]
    # a new registered migration runs once, on next open, in its own transaction
    ran = []

    def m999_add_note(db):
        ran.append(1)
        db.execute("ALTER TABLE docs ADD COLUMN note TEXT")

    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + [("m999_add_note", m999_add_note)])
    with Store(db) as st:
        assert st.schema_version() == len(store_mod.MIGRATIONS)
        assert "note" in dialect.columns(st.db, "docs")
    with Store(db):
        pass
    assert ran == [1]


def test_a_failing_migration_leaves_nothing_behind(store_url, monkeypatch):
    db = store_url
    Store(db).close()
    shipped = [name for name, _ in store_mod.MIGRATIONS]

    def m998_bad(db):
        db.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS + [("m998_bad", m998_bad)])
    with pytest.raises(RuntimeError):
        Store(db)
    monkeypatch.undo()
    with Store(db) as st:
        assert "half_done" not in dialect.tables(st.db)
        assert st.applied_migrations() == shipped
        assert st.schema_version() == len(shipped)
    if not dialect.is_url(db):
        assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == len(shipped)


def test_overrides_survive_reingest_edit_and_move(folder, store_url):
    db = store_url
    ingest([folder], db, workers=1, parser=PARSER)
    with Store(db) as st:
        b_id = [d["id"] for d in st.docs() if d["path"].endswith("b.txt")][0]
        st.set_override(b_id, "03/CT-UBND", date="2025-04-25", issuer="Chủ tịch UBND tỉnh Hưng Yên")
    # re-ingest with nothing changed, then with b moved, then with b edited in its new place
    ingest([folder], db, workers=1, parser=PARSER)
    (folder / "sub" / "b.txt").rename(folder / "b-moved.txt")
    ingest([folder], db, workers=1, parser=PARSER)
    with Store(db) as st:
        ov = st.overrides()
        (doc_id, o), = ov.items()
        assert st.doc(doc_id)["path"].endswith("b-moved.txt")
        assert (o["key"], o["date"]) == ("03/CT-UBND", "2025-04-25")
    (folder / "b-moved.txt").write_text("b edited after the user identified it", encoding="utf-8")
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert s.changed == 1
    with Store(db) as st:
        (doc_id, o), = st.overrides().items()
        assert st.doc(doc_id)["path"].endswith("b-moved.txt") and o["key"] == "03/CT-UBND"


def test_not_a_store_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(store_mod.StoreError) as e:
        Store(bad)
    assert "bad.db" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(store_mod.StoreError):
        Store(tmp_path / "missing.db", create=False)


def test_real_parser_broken_file_is_recorded_and_the_rest_stored(tmp_path, store_url):
    # the real parser this time: a .docx that is not a zip, an empty .pdf, next to a real seed
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "seed.txt").write_bytes((root / "corpus" / "002_99b20f177fc5dcd7.txt").read_bytes())
    (d / "broken.docx").write_bytes(b"this is not a word file" * 50)
    (d / "empty.pdf").write_bytes(b"")
    db = store_url
    s = ingest([d], db, workers=2)
    assert (s.parsed, s.failed) == (3, 2)
    with Store(db) as st:
        rows = {os.path.basename(r["path"]): r for r in st.docs()}
    assert rows["seed.txt"]["status"] == "ok" and rows["seed.txt"]["number"] == "432/UBND-VHXXH"
    for name in ("broken.docx", "empty.pdf"):
        assert rows[name]["status"] != "ok", name
        assert rows[name]["error"] and "\n" not in rows[name]["error"], name


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_that_takes_too_long_is_recorded_as_failed(folder, tmp_path, workers):
    (folder / "slow.txt").write_text("SLOW", encoding="utf-8")
    db = tmp_path / "t.db"
    s = ingest([folder], db, workers=workers, parser=PARSER, timeout=0.5)
    assert (s.parsed, s.failed) == (4, 1)
    (f,) = s.failures
    assert f["path"].endswith("slow.txt") and "longer than 0.5 s" in f["error"]


def test_progress_events(folder, tmp_path):
    events = []
    s = ingest([folder], tmp_path / "e.db", workers=2, parser=PARSER, on_event=lambda k, d: events.append((k, d)))
    kinds = [k for k, _ in events]
    assert kinds[0] == "scan" and events[0][1] == {"files": 3, "to_parse": 3, "skipped": 1}   # ~$lock.docx
    assert kinds.count("parsed") == 3 and kinds[-1] == "done"
    assert sorted(os.path.basename(d["path"]) for k, d in events if k == "parsed") == ["a.txt", "b.txt", "c.md"]
    assert events[-1][1]["parsed"] == s.parsed == 3


def test_a_file_edited_into_a_copy_of_another_leaves_no_orphan(folder, store_url):
    db = store_url
    ingest([folder], db, workers=1, parser=PARSER)
    (folder / "sub" / "b.txt").write_bytes((folder / "sub" / "c.md").read_bytes())
    s = ingest([folder], db, workers=1, parser=PARSER)
    assert (s.duplicate, s.parsed) == (1, 0)
    with Store(db) as st:
        assert st.count()["docs"] == 2 and st.count()["files"] == 3
        assert st.db.execute("SELECT count(*) FROM docs WHERE id NOT IN (SELECT doc_id FROM files)").fetchone()[0] == 0
