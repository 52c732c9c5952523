"""Issue 12 (interface half): the Vietnamese interface, level names, tables that fit at 80 columns,
Excel-safe CSV and xlsx, atomic outputs that never replace anything without --force.

Expected values come from the seed documents as read by hand (../shared/gold/seeds.json: each
seed's level; seed 001 = 03/CT-UBND, its task 1 text) and from the rules the issue states
(OWASP formula leads, the byte-order mark, --force for any existing path)."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cascade import i18n
from cascade.files import OutputExists, output_file
from cascade.ingest import ingest
from cascade.registry import level_named
from cascade.report import labels
from cascade.report.writer import write_csv, write_xlsx
from cli import app
from tests.conftest import GOLD, ROOT, SEEDS, need

runner = CliRunner()
PO = ROOT / "cascade" / "locale" / "vi" / "LC_MESSAGES" / "cascade.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "c.db"
    ingest([SEEDS], path, workers=1)
    return str(path)


pytestmark = pytest.mark.usefixtures("english")


def cli(*args):
    return runner.invoke(app, list(args))


# ---------------------------------------------------------------------------- the catalogue
def po_entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of a .po file (msgstr[0] for plural entries)."""
    out = []
    for block in text.split("\n\n"):
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if ids and strs:
            out.append(("".join(re.findall(r'"(.*)"', ids.group(1))), "".join(re.findall(r'"(.*)"', strs.group(1)))))
    return [e for e in out if e[0]]          # the header has an empty msgid


def test_every_msgid_has_a_vietnamese_translation_keeping_its_placeholders():
    entries = po_entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 200
    untranslated = [mid for mid, s in entries if not s.strip()]
    assert not untranslated, untranslated
    for mid, s in entries:
        assert sorted(re.findall(r"\{[^}]*\}", mid)) == sorted(re.findall(r"\{[^}]*\}", s)), mid


def test_every_string_the_code_translates_is_in_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("xgettext (Debian package gettext) is not installed")
    files = sorted(str(p.relative_to(ROOT)) for p in [ROOT / "cli.py", *(ROOT / "cascade").rglob("*.py")])
    pot = tmp_path / "cascade.pot"
    subprocess.run(["xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=_", "--keyword=ngettext:1,2",
                    "--keyword=pgettext:1c,2", "--keyword=N_", "-o", str(pot), *files], cwd=ROOT, check=True)
    in_code = {mid for mid, _ in po_entries(pot.read_text(encoding="utf-8"))}
    in_po = {mid for mid, _ in po_entries(PO.read_text(encoding="utf-8"))}
    assert in_code - in_po == set(), "run scripts/locale.sh and translate the new messages"


def test_the_shipped_mo_is_compiled_from_the_po(tmp_path):
    import gettext
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (Debian package gettext) is not installed")
    fresh = tmp_path / "cascade.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    with open(MO, "rb") as a, open(fresh, "rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, \
            "cascade.mo is stale: run scripts/locale.sh"


@pytest.mark.parametrize("env, lang", [
    ({"LANG": "vi_VN.UTF-8"}, "vi"), ({"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}, "vi"),
    ({"LANGUAGE": "fr:vi", "LANG": "C"}, "vi"), ({"LANGUAGE": "fr", "LANG": "vi_VN"}, "vi"),
    ({"LANG": "C.UTF-8"}, "en"), ({"LC_ALL": "C", "LANG": "vi_VN.UTF-8"}, "en"), ({}, "en")])
def test_language_from_the_environment(env, lang):
    assert i18n.from_environment(env) == lang


def test_lang_option_and_locale_choose_the_language_of_help_and_messages():
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    def run(*args, **more_env):
        return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT, text=True,
                              capture_output=True, env={**env, "PYTHONPATH": str(ROOT), "COLUMNS": "100", **more_env})
    vi = run("--lang", "vi", "docs", "--help")
    assert "Ví dụ:" in vi.stdout and "Tùy chọn" in vi.stdout and "Cách dùng:" in vi.stdout
    assert "Hiện hướng dẫn này rồi thoát." in vi.stdout
    by_locale = run("docs", "--help", LANG="vi_VN.UTF-8")
    assert "Liệt kê các văn bản đã lưu" in by_locale.stdout
    en = run("docs", "--help", LANG="C.UTF-8")
    assert "Examples:" in en.stdout and "List the stored documents" in en.stdout
    for out in (vi.stdout, en.stdout, run("parse", "--help").stdout, run("show", "--help").stdout):
        assert "<bool>" not in out and "<list[" not in out and "<str>" not in out and "node id" not in out
    after = run("docs", "--lang", "vi", "--help")          # typed after the command: moved before it
    assert "Liệt kê các văn bản đã lưu" in after.stdout
    bad = run("--lang", "fr", "docs")
    assert bad.returncode == 2 and "vi" in bad.stderr and "en" in bad.stderr


# ---------------------------------------------------------------------------- level names
@pytest.mark.parametrize("word, level", [
    ("tỉnh", "province"), ("tinh", "province"), ("TỈNH", "province"), ("province", "province"),
    ("TW", "central"), ("trung ương", "central"), ("trung uong", "central"), ("central", "central"),
    ("huyện", "district"), ("quận", "district"), ("xã", "commune"), ("xa", "commune"), ("phường", "commune"),
    ("commune", "commune"), ("yesterday", None), ("", None)])
def test_level_names_people_type(word, level):
    assert level_named(word) == level


def gold_files_at(level: str) -> set[str]:
    docs = json.loads(need(GOLD).read_text(encoding="utf-8"))["documents"]
    return {name for name, d in docs.items() if d["issuer"]["level"] == level}


@pytest.mark.parametrize("word, level", [("tỉnh", "province"), ("tinh", "province"), ("province", "province"),
                                         ("xã", "commune"), ("phường", "commune"), ("huyện", "district")])
def test_docs_level_filter_accepts_both_languages(db, word, level):
    r = cli("docs", "--db", db, "--level", word, "--json")
    assert r.exit_code == 0, r.output
    assert {Path(d["path"]).name for d in json.loads(r.stdout)} == gold_files_at(level)


def test_an_unknown_level_or_date_is_a_usage_error_listing_what_is_allowed(db):
    r = cli("docs", "--db", db, "--level", "tinhh")
    assert r.exit_code == 2
    assert "tinhh" in r.stderr and "tỉnh" in r.stderr and "province" in r.stderr and "TW" in r.stderr
    r = cli("docs", "--db", db, "--since", "yesterday")
    assert r.exit_code == 2 and "yesterday" in r.stderr and "2025-03-18" in r.stderr
    assert cli("docs", "--db", db, "--until", "2025-13").exit_code == 2
    # day/month/year as Vietnamese write it: 03/CT-UBND (2025-04-25) and 432/UBND-VHXXH (2025-08-22) are
    # dated on or after 18/3/2025 and before 2026; the others are dated 2026 or not at all
    r = cli("docs", "--db", db, "--since", "18/3/2025", "--until", "2025", "--json")
    assert r.exit_code == 0, r.output
    assert sorted(d["date"] for d in json.loads(r.stdout)) == ["2025-04-25", "2025-08-22"]


def test_one_set_of_level_names_in_tree_docs_and_show(db):
    for lang, name in (("vi", "tỉnh"), ("en", "province")):
        tree = cli("--lang", lang, "tree", "57-NQ/TW", "--db", db).stdout
        docs = cli("--lang", lang, "docs", "--db", db).stdout
        show = cli("--lang", lang, "show", "03/CT-UBND", "--db", db).stdout
        assert f"[{name}]" in tree
        assert re.search(rf"\b{name}\b", docs) and re.search(rf"\b{name}\b", show)
    vi = cli("--lang", "vi", "tree", "57-NQ/TW", "--db", db).stdout
    assert "[province]" not in vi and "[TW]" not in vi and "[trung ương]" in vi


# ---------------------------------------------------------------------------- tables that fit
def render(fn, *args, width=80) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    fn(*args, console)
    return console.export_text()


def test_docs_at_80_columns_keeps_every_id_and_the_status(db):
    from cascade.queries import doc_rows, open_store
    from cascade.report.docs_view import render_docs
    with open_store(db) as store:
        rows = doc_rows(store)
    for lang in ("en", "vi"):
        i18n.set_language(lang)
        out = render(render_docs, rows)
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
        body = lines[rule + 1: rule + 1 + len(rows)]
        assert sorted(int(line.split()[0]) for line in body) == sorted(r["id"] for r in rows)
        assert all(re.search(r"(ok|OK)( ⚠\d)?\s*$", line) for line in body), out
        assert "⚠N" in out                               # the mark is explained under the table


def test_coverage_at_80_columns_shortens_long_keys_in_the_middle():
    from cascade.align import AlignedPair, Alignment
    from cascade.report.diff_view import render_coverage
    al = Alignment("11902/BNV-CCVC", "000_6c98d13a1ba499c1_a_very_long_file_name_indeed.txt",
                   [AlignedPair("1", "1", "reworded", 0.7), AlignedPair("2", "2", "near-verbatim", 0.95)], 1.0)
    out = render(lambda c, console: render_coverage([al], console), None)
    assert max(len(line) for line in out.splitlines()) <= 80
    row = next(line for line in out.splitlines() if "11902/" in line)
    # each key on one line: the start and the end kept, … in the middle; never cut letter by letter
    key = re.search(r"000_6c\S*…\S*txt", row)
    assert key, out
    assert "reworded" in out and "near-verbatim" in out


def test_parse_citation_table_wraps_issuers_at_words():
    from cascade.parse import parse_file
    from cascade.report import parse_view
    rec = parse_file(SEEDS / "000_6c98d13a1ba499c1.txt")
    out = render(parse_view.render, rec)
    assert max(len(line) for line in out.splitlines()) <= 80
    # the issuer of 03/CT-UBND (read in the seed: "Chủ tịch UBND tỉnh Hưng Yên") is in whole words
    words = re.findall(r"│.*?\s{2}(\S+(?: \S+)*)\s", out)
    assert "Chủ tịch" in out and "Hưng Yên" in out
    assert not any(len(w) == 1 and w.isalpha() for w in words)


def test_evidence_in_words():
    assert labels.evidence("obligation: phải; obligation: kịp thời") == \
        "the binding word “phải” is gone; the binding word “kịp thời” is gone"
    i18n.set_language("vi")
    assert labels.evidence("obligation: phải") == "mất từ bắt buộc “phải”"
    assert labels.evidence("no task of B carries A task 3 (indirect: intermediate document missing)") == \
        "không nhiệm vụ nào của B triển khai nhiệm vụ 3 của A (gián tiếp: thiếu văn bản cấp giữa)"


def test_title_conflict_evidence_in_words():
    # the sentence graph/anomalies.py writes for seed 000 (it quotes 03/CT-UBND's title with 52-NQ/TW)
    text = "52-NQ/TW is quoted in the title of 03/CT-UBND, whose own title has 57-NQ/TW"
    assert labels.evidence(text) == text
    i18n.set_language("vi")
    assert labels.evidence(text) == ("trích yếu của 03/CT-UBND được dẫn với số 52-NQ/TW, nhưng trích yếu của "
                                     "chính văn bản đó ghi 57-NQ/TW")


def test_flag_shows_weakened_evidence_in_words(db):
    r = cli("--lang", "vi", "flag", "--db", db)
    assert r.exit_code == 0
    assert "obligation" not in r.stdout and "mất từ bắt buộc" in r.stdout and "“phải”" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_ingest_summary_counts_failures_apart_from_parsed():
    from cascade.report.store_view import render_ingest
    d = {"files": 5, "new": 5, "changed": 0, "unchanged": 0, "moved": 0, "duplicate": 0, "removed": 0,
         "retried": 0, "parsed": 5, "failed": 2, "seconds": 1.0, "files_per_second": 5.0,
         "by_format": {"pdf": {"parsed": 3, "failed": 2}, "txt": {"parsed": 2, "failed": 0}}}
    out = render(lambda c, console: render_ingest(d, "x.db", console), None)
    assert re.search(r"parsed\s*│\s*3\b", out) and re.search(r"failed\s*│\s*2\b", out)
    assert "1 parsed, 2 failed" in out


# ---------------------------------------------------------------------------- CSV and xlsx
FORMULAS = ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]


def test_csv_has_a_byte_order_mark_and_neutralises_formulas():
    out = io.StringIO()
    write_csv(["a", "b"], [[f, "Quảng Ninh"] for f in FORMULAS] + [[-3, None]], out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [r[0] for r in rows[1:-1]] == ["'" + f for f in FORMULAS]
    assert rows[-1] == ["-3", ""]                     # a number stays a number
    no_bom = io.StringIO()
    write_csv(["a"], [["x"]], no_bom, bom=False)
    assert not no_bom.getvalue().startswith("\ufeff")


def test_xlsx_never_holds_a_formula_and_has_frozen_filtered_header_and_legend(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "x.xlsx"
    write_xlsx(["text", "n"], [[f, 1] for f in FORMULAS], path, sheet="data", legend=[("✓", "carried")])
    wb = load_workbook(path)
    ws = wb["data"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:B{len(FORMULAS) + 1}"
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert [ws.cell(row=i + 2, column=1).value for i in range(len(FORMULAS))] == ["'" + f for f in FORMULAS]
    assert [c.value for c in wb.worksheets[1][2]] == ["✓", "carried"]


def test_coverage_xlsx_has_task_text_and_legend(db, tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "cov.xlsx"
    r = cli("--lang", "vi", "coverage", "57-NQ/TW", "--db", db, "--xlsx", str(out))
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["cấp trên", "nhiệm vụ", "nội dung nhiệm vụ"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    first = [c.value for c in ws[2]]
    gold = json.loads(need(GOLD).read_text(encoding="utf-8"))["documents"]["001_73a28ad4b9504abc.txt"]
    assert first[:2] == ["03/CT-UBND", "1"] and first[2].startswith(gold["tasks"][0]["starts"])
    legend = {row[0].value: row[1].value for row in wb.worksheets[1].iter_rows(min_row=2)}
    assert {"✓", "~", "✗"} <= set(legend)


def test_docs_and_flag_xlsx(db, tmp_path):
    from openpyxl import load_workbook
    for cmd, n in (("docs", 5), ("flag", None)):
        out = tmp_path / f"{cmd}.xlsx"
        r = cli(cmd, "--db", db, "--xlsx", str(out))
        assert r.exit_code == 0, r.output
        ws = load_workbook(out).worksheets[0]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        if n:
            assert ws.max_row == n + 1
    ws = load_workbook(tmp_path / "flag.xlsx").worksheets[0]
    assert any("“phải”" in str(c.value) for row in ws.iter_rows() for c in row)


# ---------------------------------------------------------------------------- atomic, --force
def test_output_needs_force_for_any_existing_path_symlinks_included(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    dangling = tmp_path / "dangling.xlsx"
    dangling.symlink_to(tmp_path / "nowhere")
    for p in (target, link, dangling):
        with pytest.raises(OutputExists):
            with output_file(p):
                pass
    with pytest.raises(OutputExists):
        with output_file(tmp_path, force=True):             # a folder is never replaced
            pass
    with output_file(link, force=True) as tmp:
        tmp.write_text("new")
    assert not link.is_symlink() and link.read_text() == "new" and target.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.xlsx", "link.xlsx", "target.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    old = tmp_path / "out.csv"
    old.write_text("old")
    with pytest.raises(RuntimeError):
        with output_file(old, force=True) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert old.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_cli_refuses_to_replace_without_force(db, tmp_path):
    out = tmp_path / "d.xlsx"
    out.symlink_to(tmp_path / "missing")
    r = cli("docs", "--db", db, "--xlsx", str(out))
    assert r.exit_code == 1 and "--force" in r.stderr and out.is_symlink()
    assert cli("docs", "--db", db, "--xlsx", str(out), "--force").exit_code == 0
    assert not out.is_symlink()
    html = tmp_path / "p.html"
    html.write_text("mine")
    r = cli("parse", str(SEEDS / "000_6c98d13a1ba499c1.txt"), "--html", str(html))
    assert r.exit_code == 1 and html.read_text() == "mine"
