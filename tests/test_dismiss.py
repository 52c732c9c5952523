"""An inspector's dismissals (`cascade dismiss`): a finding read and judged not to need action —
say a duty the child carries in other words, which task alignment cannot see — leaves the list
and stays out of it when the documents are read again, on both store backends.

Real text: the five seeds (corpus/). Seed 000 quotes 03/CT-UBND's title with 52-NQ/TW where the
directive's own title has 57-NQ/TW (../shared/gold/seeds.json): the finding dismissed here.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cascade.flag import Finding
from cascade.ingest import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("english")


def cli(*args):
    return runner.invoke(__import__("cli").app, [str(a) for a in args])


def flag_json(db, *more) -> list[dict]:
    r = cli("flag", "--db", db, "--json", *more)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def title_conflict(rows: list[dict]) -> dict:
    hits = [f for f in rows if f["kind"] == "citation number conflicts with cited title"
            and "52-NQ/TW" in f["evidence"] and "57-NQ/TW" in f["evidence"]]
    assert len(hits) == 1, rows
    return hits[0]


def test_a_finding_id_names_the_fact_not_the_run():
    a = Finding(document="03/CT-UBND", path="/x/a.txt", kind="dropped task", severity="high", task="3",
                evidence="no task of 03/CT-UBND carries 57-NQ/TW task 3", parent="57-NQ/TW")
    reworded = Finding(document="03/CT-UBND", path="/x/a.txt", kind="dropped task", severity="high",
                       task="3", evidence="other words", parent="57-NQ/TW")
    other_task = Finding(document="03/CT-UBND", path="/x/a.txt", kind="dropped task", severity="high", task="4",
                         parent="57-NQ/TW")
    assert a.id == reworded.id and a.id != other_task.id and len(a.id) == 12
    # one label, two documents: realdocs has "BÁO CÁO CỦA UBND TỈNH.doc" (no number) in the folders of
    # Tờ trình 511 and Tờ trình 512, each with its day left blank; a generated country has 346/UBND-TH
    # in ~30 communes
    blank = [Finding(document="BÁO CÁO CỦA UBND TỈNH.doc", path=p, kind="day left blank", severity="low")
             for p in ("/r/Tờ trình 512/BÁO CÁO CỦA UBND TỈNH.doc", "/r/Tờ trình 511/BC UBND/BÁO CÁO CỦA UBND TỈNH.doc")]
    assert blank[0].id != blank[1].id
    # without a task, the evidence tells two findings of one kind on one document apart
    d1 = Finding(document="X", path="", kind="cited with different dates", severity="medium", evidence="A: 1, 2")
    d2 = Finding(document="X", path="", kind="cited with different dates", severity="medium", evidence="B: 3, 4")
    assert d1.id != d2.id
    assert a.to_dict()["id"] == a.id


def test_dismiss_hides_a_finding_until_undone_and_survives_reingest(store_url, tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    db = str(store_url)
    ingest([folder], db, workers=1)
    before = flag_json(db)
    target = title_conflict(before)

    r = cli("dismiss", target["id"][:5], "--db", db, "--note", "read: the typo is known")
    assert r.exit_code == 0, r.output
    assert target["id"] in r.stdout
    after = flag_json(db)
    assert [f["id"] for f in after] == [f["id"] for f in before if f["id"] != target["id"]]
    r = cli("flag", "--db", db)
    assert "1 dismissed finding not shown" in r.stderr

    # listed on request, marked
    shown = {f["id"]: f for f in flag_json(db, "--dismissed")}
    assert shown[target["id"]]["dismissed"] is True
    assert sum(f["dismissed"] for f in shown.values()) == 1 and len(shown) == len(before)
    r = cli("dismiss", "--list", "--db", db, "--json")
    listed = json.loads(r.stdout)
    assert [(d["id"], d["note"], d["kind"]) for d in listed] == \
        [(target["id"], "read: the typo is known", target["kind"])]

    # the file read again (edited: the parse is new) keeps the dismissal; the fact is the same
    seed = next(p for p in folder.iterdir() if p.name.startswith("000_"))
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(seed, (1, 1))
    ingest([folder], db, workers=1)
    assert target["id"] not in {f["id"] for f in flag_json(db)}

    r = cli("dismiss", target["id"], "--undo", "--db", db)
    assert r.exit_code == 0, r.output
    assert title_conflict(flag_json(db))["id"] == target["id"]


def test_dismiss_names_what_it_cannot_find(tmp_path, seed_db):
    db = tmp_path / "c.db"
    shutil.copy(seed_db, db)
    r = cli("dismiss", "ffff0000", "--db", db)
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines() == ["error: no findings with id 'ffff0000' (see cascade flag)"]
    r = cli("dismiss", "--db", db)
    assert r.exit_code == 2 and "--list" in r.stderr
    r = cli("dismiss", "ffff0000", "--undo", "--db", db)
    assert r.exit_code == 1 and "no dismissed findings with id" in r.stderr
    # a start shorter than 4 characters is not taken as an id
    some = flag_json(db)[0]["id"]
    assert cli("dismiss", some[:3], "--db", db).exit_code == 1


def test_the_report_leaves_dismissed_findings_out(tmp_path, seed_db):
    from cascade import queries
    from cascade.store import Store
    db = tmp_path / "c.db"
    shutil.copy(seed_db, db)
    with Store(db) as store:
        before = queries.report_model(store, None).findings
        target = title_conflict([f.to_dict() for f in queries.flag(store)[0]])
        queries.dismiss(store, [target["id"]])
        after = queries.report_model(store, None).findings
    assert len(after) == len(before) - 1
    assert not any("52-NQ/TW is quoted" in f.evidence for f in after)
