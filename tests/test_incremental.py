"""The saved graph updated in place after an ingest (cascade.graph.incremental) equals a full rebuild.

Random sequences of ingests (one to three new files at a time) and deletions over generated
documents (benchmarks/generate.py: a national root, its provinces, their communes) with a few
real documents mixed in; after each step the saved graph — updated incrementally where the
change allows it, rebuilt where it does not — must be what `build` gives from scratch: the same
nodes with the same attributes, edges, identifications and anomalies, and the same rows for the
next incremental update to read.
"""
from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pytest

from cascade.graph import build as build_mod
from cascade.graph import saved as saved_mod
from cascade.graph.build import build
from cascade.graph.saved import _cascade
from cascade.ingest import ingest
from cascade.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
generate = pytest.importorskip("generate", reason="benchmarks/generate.py not importable")
pytest.importorskip("gen_mutations", reason="benchmarks/gen_mutations.py (task mutations) missing")

REAL = [ROOT / "corpus", ROOT.parent / "shared" / "seeds"]


def _generated(tmp: Path, n: int) -> list[Path]:
    W = generate.load_words()
    tmp.mkdir()
    out = []
    for i, spec in enumerate(generate.Generator(n, 7)):
        p = tmp / f"{i:04d}.txt"
        p.write_text(generate.render_txt(spec, W), encoding="utf-8")
        out.append(p)
    return out


def _signature(cas) -> dict:
    G = cas.graph
    return {"nodes": {n: dict(a) for n, a in G.nodes(data=True)},
            "edges": {(u, v): dict(a) for u, v, a in G.edges(data=True)},
            "identified": sorted(json.dumps(x.to_dict(), sort_keys=True) for x in cas.identified.values()),
            "anomalies": sorted(json.dumps(a, sort_keys=True, ensure_ascii=False) for a in cas.anomalies)}


def _rows(store) -> dict:
    def rows(table):
        # every column but the row id PostgreSQL tables carry in place of SQLite's hidden rowid
        cur = store.db.execute(f"SELECT * FROM {table}")
        keep = [i for i, d in enumerate(cur.description) if d[0] != "rowid"]
        return sorted(tuple(r[i] for i in keep) for r in cur)
    return {"citations": rows("graph_citations"), "keys": rows("graph_keys"), "docs": rows("graph_docs")}


def _check(db: Path) -> None:
    with Store(db) as store:
        kept = _signature(_cascade(store))
        kept_rows = _rows(store)
        fresh = build(store)
        assert kept == _signature(fresh)
        saved_mod.save(store, fresh, stamped=True)
        rows = _rows(store)
        for k in rows:
            assert set(rows[k]) - set(kept_rows[k]) == set() and set(kept_rows[k]) - set(rows[k]) == set(), k


def test_incremental_updates_equal_a_full_rebuild(tmp_path, monkeypatch):
    gen = _generated(tmp_path / "gen", 150)
    real = [p for d in REAL if d.is_dir() for p in sorted(d.glob("*.txt"))][:4]
    rng = random.Random(13)
    folder = tmp_path / "in"
    folder.mkdir()
    db = tmp_path / "c.db"
    modes = []
    real_mode = saved_mod.refresh

    def spy(store):
        mode = real_mode(store)
        modes.append(mode)
        return mode

    monkeypatch.setattr("cascade.ingest.refresh", spy)
    # a first third in one go, then the rest a few at a time, with deletions and real documents
    pending = gen[:]
    first, pending = pending[:50], pending[50:]
    for p in first:
        shutil.copy(p, folder / p.name)
    ingest([folder], db, workers=1)
    _check(db)
    present = [folder / p.name for p in first]
    steps = 0
    while pending and steps < 36:
        steps += 1
        roll = rng.random()
        if roll < 0.12 and present:
            victim = present.pop(rng.randrange(len(present)))
            victim.unlink()
        elif steps > 30 and real:         # last: documents without a key (every update a rebuild)
            p = real.pop()
            dest = folder / f"real_{p.name}"
            shutil.copy(p, dest)
            present.append(dest)
        else:
            for _ in range(rng.choice((1, 1, 2, 3))):
                if pending:
                    # mostly top-down, as a cascade arrives; now and then a child before its parent
                    p = pending.pop(rng.randrange(min(len(pending), 4)))
                    shutil.copy(p, folder / p.name)
                    present.append(folder / p.name)
        ingest([folder], db, workers=1)
        _check(db)
    assert modes.count("incremental") >= 8 and "rebuilt" in modes, modes


def test_flag_reads_the_saved_graph_and_updates_it_in_place(tmp_path, monkeypatch, store_url):
    """On both backends: the incremental update's SQL runs on PostgreSQL too."""
    from cascade.flag import flag
    gen = _generated(tmp_path / "gen", 41)
    folder = tmp_path / "in"
    folder.mkdir()
    for p in gen[:40]:
        shutil.copy(p, folder / p.name)
    db = store_url
    ingest([folder], db, workers=1)
    with Store(db) as store:
        first = flag(store)

    def no_rebuild(store):
        raise AssertionError("the whole graph was rebuilt")

    monkeypatch.setattr(build_mod, "build", no_rebuild)      # what cascade.graph.saved calls to rebuild
    with Store(db) as store:          # current: read back
        assert flag(store) == first
    shutil.copy(gen[40], folder / gen[40].name)
    ingest([folder], db, workers=1, graph=False)
    with Store(db) as store:          # one new commune: updated in place, then read back
        again = flag(store)
        assert saved_mod.refresh(store) == ""
    assert {f.document for f in again} >= {f.document for f in first}
    monkeypatch.undo()
    _check(db)
