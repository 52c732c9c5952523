"""coverage, diff and flag on the seed corpus, through the command line."""
import csv
import io
import json

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import SEEDS

runner = CliRunner()


@pytest.fixture
def db(seed_db):
    return seed_db


def test_coverage_matrix_csv_and_xlsx(db, tmp_path):
    r = runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("\ufeff")          # byte-order mark first, for Excel
    rows = list(csv.reader(io.StringIO(r.stdout[1:])))
    assert rows[0][:2] == ["parent", "task"] and rows[0][2] == "000_6c98d13a1ba499c1.txt"
    marks = {row[1]: row[2] for row in rows[1:-1]}
    # the town rewords tasks 1 and 2 of the province's Chỉ thị and carries 3–5 nearly word for word
    assert marks == {"1": "~", "2": "~", "3": "✓", "4": "✓", "5": "✓"}
    assert rows[-1][2] == "100%"
    out = tmp_path / "cov.xlsx"
    assert runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--xlsx", str(out)]).exit_code == 0
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    assert [c.value for c in next(ws.iter_rows())][:3] == ["parent", "task", "task text"]
    # an existing file is not overwritten without --force
    assert runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--xlsx", str(out)]).exit_code == 1


def test_flag_finds_the_52_NQ_TW_typo_and_fails_on_high(db):
    r = runner.invoke(app, ["flag", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout)
    typo = [f for f in found if f["kind"] == "citation number conflicts with cited title"]
    assert typo and typo[0]["document"] == "000_6c98d13a1ba499c1.txt" and "52-NQ/TW" in typo[0]["evidence"]
    assert runner.invoke(app, ["flag", "--db", db, "--fail-on", "high"]).exit_code == 3
    assert runner.invoke(app, ["flag", "--db", db, "--severity", "nope"]).exit_code == 2


def test_diff_json_pairs(db):
    r = runner.invoke(app, ["diff", "03/CT-UBND", str(SEEDS / "000_6c98d13a1ba499c1.txt"), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    pairs = {(p["parent"], p["child"]): p for p in json.loads(r.stdout)}
    assert ("2", "3") in pairs and ("3", "2") in pairs          # the town swaps tasks 2 and 3
    assert any("quốc gia" in w for w in pairs[("5", "5")]["lost"])


def test_flag_findings_carry_file_parent_and_task_path_once(db):
    # The town's letter (seed 000) weakens the province's task 2 in its task 3 ("phải kịp thời" gone;
    # gold: corpus.task_alignment_001_to_000). The finding names the file, the parent and both paths,
    # in --json and --csv alike, and each finding is listed once.
    found = json.loads(runner.invoke(app, ["flag", "--db", db, "--json"]).stdout)
    weak = [f for f in found if f["kind"] == "weakened task"]
    assert len(weak) == 1
    assert weak[0]["task"] == "2 → 3" and weak[0]["parent"] == "03/CT-UBND"
    assert weak[0]["path"].endswith("000_6c98d13a1ba499c1.txt")
    assert len({json.dumps(f, sort_keys=True) for f in found}) == len(found)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["flag", "--db", db, "--csv"]).stdout)))
    csv_weak = [r for r in rows if r["kind"] == "weakened task"]
    assert csv_weak[0]["task"] == "2 → 3" and csv_weak[0]["path"].endswith("000_6c98d13a1ba499c1.txt")


def test_diff_of_a_parent_without_duties_says_not_applicable(db, tmp_path):
    # A letter whose only numbered items are its legal basis has nothing to carry down: coverage n/a
    # (not 100 %), as `cascade coverage` says for such a parent, and nothing is dropped.
    parent = tmp_path / "basis_only.txt"
    parent.write_text("ỦY BAN NHÂN DÂN\nTỈNH HƯNG YÊN\nSố: 7/UBND-VX\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                      "Độc lập - Tự do - Hạnh phúc\nHưng Yên, ngày 02 tháng 6 năm 2025\n"
                      "V/v thông báo căn cứ pháp lý\nKính gửi: UBND các huyện\n"
                      "CĂN CỨ\n1. Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;\n"
                      "2. Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ;\n", encoding="utf-8")
    r = runner.invoke(app, ["diff", str(parent), str(SEEDS / "000_6c98d13a1ba499c1.txt"), "--db", db,
                            "--fail-on", "dropped"])
    assert r.exit_code == 0, r.output
    assert "coverage n/a" in r.output
