"""`cascade report` and `cascade coverage --by level|province` on the seed corpus (issue 12).

Expected cells from ../shared/gold/seeds.json: 001 (03/CT-UBND, Hưng Yên) has five tasks, all five
reach 000, the town (a district-level unit, Hưng Yên), which is the only stored document below it."""
import csv
import io
import json

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


@pytest.fixture
def db(seed_db):
    return seed_db


def test_coverage_by_level_json(db):
    r = runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--by", "level", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["parent"], x["task"], x["district"]) for x in rows] == [("03/CT-UBND", t, "1/1") for t in "12345"]
    assert rows[0]["text"].startswith("Phổ biến, quán triệt")


def test_coverage_by_province_csv_and_xlsx(db, tmp_path, gold):
    r = runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--by", "province", "--csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("\ufeff")          # CSV starts with a byte-order mark (Excel)
    rows = list(csv.reader(io.StringIO(r.stdout[1:])))
    province = gold["corpus"]["inferred_province"]["000_6c98d13a1ba499c1.txt"]
    assert rows[0] == ["parent", "task", "text", province] and [x[3] for x in rows[1:]] == ["1/1"] * 5
    out = tmp_path / "by-province.xlsx"
    assert runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--by", "province", "--xlsx", str(out)]).exit_code == 0
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    assert [c.value for c in next(ws.iter_rows())] == ["parent", "task", "task text", province]


def test_coverage_by_in_the_terminal_keeps_keys_whole_at_80_columns(db):
    r = runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--by", "level"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert all(len(line) <= 80 for line in r.stdout.splitlines())
    assert r.stdout.count("03/CT-UBND") == 5 and "district" in r.stdout


def test_coverage_by_unknown_group_is_a_usage_error(db):
    r = runner.invoke(app, ["coverage", "57-NQ/TW", "--db", db, "--by", "commune"])
    assert r.exit_code == 2 and "choose level or province" in r.output


def test_report_writes_one_file_and_refuses_to_overwrite(db, tmp_path):
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", "57-NQ/TW", "--db", db, "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "<title>Báo cáo triển khai: 57-NQ/TW</title>" in page and "432/UBND-VHXXH" in page
    assert runner.invoke(app, ["report", "57-NQ/TW", "--db", db, "-o", str(out)]).exit_code == 1
    r = runner.invoke(app, ["report", "--db", db, "-o", str(out), "--force", "--lang", "en"])
    assert r.exit_code == 0 and "Implementation report: the whole store" in out.read_text(encoding="utf-8")
    assert runner.invoke(app, ["report", "--db", db, "-o", str(out), "--force", "--lang", "fr"]).exit_code == 2
    r = runner.invoke(app, ["report", "99-NQ/TW", "--db", db, "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 1 and "99-NQ/TW" in r.output and not (tmp_path / "x.html").exists()


def test_report_language_is_read_as_the_interface_reads_it(db, tmp_path):
    # `--lang EN` is accepted before the command (the interface lower-cases it); the report used to
    # take the raw value from there and refuse it as an unknown language
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["--lang", "EN", "report", "--db", db, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Implementation report: the whole store" in out.read_text(encoding="utf-8")
