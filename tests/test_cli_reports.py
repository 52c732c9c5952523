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
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0][:2] == ["parent", "task"] and rows[0][2] == "000_6c98d13a1ba499c1.txt"
    marks = {row[1]: row[2] for row in rows[1:-1]}
    # the town rewords tasks 1 and 2 of the province's Chỉ thị and carries 3–5 nearly word for word
    assert marks == {"1": "~", "2": "~", "3": "✓", "4": "✓", "5": "✓"}
    assert rows[-1][2] == "100%"
    out = tmp_path / "cov.xlsx"
    assert runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--xlsx", str(out)]).exit_code == 0
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    assert [c.value for c in next(ws.iter_rows())][:2] == ["parent", "task"]
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
