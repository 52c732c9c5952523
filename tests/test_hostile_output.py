"""Data that looks like rich markup or carries terminal control sequences, through every
command that prints it (issue 15): `[/b]`, `[/red]` in a title, a file name, a key given to
identify/alias; ESC sequences and C1 controls in file names. Each store is built in the test."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from cascade.report.safe import markup, plain, scrub, text
from cli import app
from tests.conftest import SEEDS
from tests.hostile import generate as g

pytestmark = pytest.mark.timeout(300)
runner = CliRunner()

MARKUP = ["[/b]", "[/red]", "[bold]", "[link=file:///etc]x[/link]", "[/]", "\\[/b]", "x\\"]
CONTROL = ["\x1b[31m", "\x1b]0;pwned\x07", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x85", "\x07", "\x1bc", "\u202e"]

DOC = ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 15/KH-UBND\nLâm Đồng, ngày 12 tháng 3 năm 2025\n"
       "KẾ HOẠCH\nTriển khai [/b] nhiệm vụ [/red] năm 2025 \x1b[2J\n"
       "Thực hiện Chỉ thị số 05/CT-TTg ngày 01/02/2025 của Thủ tướng Chính phủ về [/b] cải cách,\n"
       "1. Giao Sở [/red] Nội vụ chủ trì [bold].\n2. Giao Sở Tài chính bảo đảm kinh phí.\n")


@pytest.mark.parametrize("data", MARKUP + CONTROL)
def test_safe_helpers(data):
    from rich.console import Console
    from rich.markup import render
    cleaned = plain(f"a{data}b")
    assert not any(ch in cleaned for ch in "\x1b\x9b\x07\x85\u202e")
    render(f"[red]{markup(data)}[/red]")          # parses: no MarkupError
    assert text(data).plain == plain(data)
    assert scrub({"k": [data, (data, 1)]}) == {"k": [plain(data), (plain(data), 1)]}
    console = Console(record=True, width=200, color_system=None)
    console.print(f"[bold]{markup(data)}[/bold]")
    assert console.export_text().strip() == plain(data).strip()


def test_escape_sequences_removed_whole():
    assert plain("a\x1b[1;31mred\x1b[0m b") == "ared b"
    assert plain("t\x1b]0;title\x07x") == "tx"
    assert plain("Sở Nội vụ") == "Sở Nội vụ"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_names")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    # "/" cannot be in a file name: names carry opening tags and escapes, titles the closing tags
    names = ["[bold].txt", "[red] văn bản [link=x].txt", "\x1b[31mđỏ\x1b[0m.txt", "c1\x9b2J.txt", "x[@click].md",
             "\u202etxt.exe.txt"]
    for i, name in enumerate(names):
        (folder / name).write_text(DOC.replace("15/KH", f"{15 + i}/KH"), encoding="utf-8")
    (folder / "[b] hỏng.docx").write_bytes(b"PK\x03\x04 not a zip")       # a failure line names it
    # a zip entry named like markup, refused as a bomb: the error line quotes the entry name
    g.write_docx(folder / "entry.docx", g.document_xml(["Số: 1/UBND"]),
                 {"[/b]\x1b[31m[/red].xml": b"\0" * (40 << 20)})
    db = tmp_path_factory.mktemp("store") / "c.db"
    r = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])
    return folder, str(db), r


def _clean(r):
    out = r.output           # stdout and stderr, interleaved
    assert "Traceback" not in out and "MarkupError" not in out, out[-2000:]
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    # the runner is no terminal: rich adds no colour codes, so any ESC came from data
    assert "\x1b" not in out and "\x9b" not in out, repr(out[-500:])
    return out


def test_ingest_reports_hostile_names(store):
    folder, db, r = store
    out = _clean(r)
    assert r.exit_code == 1          # the broken .docx failed, the rest went in
    assert "hỏng.docx" in out
    assert "zip bomb" in out and "[/b]" in out


@pytest.mark.parametrize("args", [
    ["docs"], ["docs", "--failed"], ["tree", "05/CT-TTg"], ["tree", "05/CT-TTg", "--mentions"],
    ["show", "05/CT-TTg"], ["show", "15/KH-UBND"], ["show", "16/KH-UBND"], ["flag"], ["coverage", "05/CT-TTg"],
])
def test_read_commands_print_hostile_data(store, args):
    _, db, _ = store
    r = runner.invoke(app, args + ["--db", db])
    out = _clean(r)
    assert r.exit_code in (0, 3), out


def test_identify_and_alias_with_markup_keys(store, tmp_path):
    _, db, _ = store
    local = tmp_path / "c.db"
    shutil.copy(db, local)
    import json
    rows = json.loads(runner.invoke(app, ["docs", "--json", "--db", str(local)]).stdout)
    doc = str(next(r["id"] for r in rows if r["status"] == "ok" and "[" in r["path"]))
    # after `identify N "[/b]"` every flag on the store crashed (issue 15)
    for args in (["identify", doc, "[/b]"], ["identify", "--list"], ["alias", "[/b]", "[/red]"],
                 ["alias", "\x1b[31m", "[/]"], ["flag"], ["docs"], ["show", doc], ["show", "[/b]"],
                 ["tree", "[/b]"]):
        r = runner.invoke(app, args + ["--db", str(local)])
        out = _clean(r)
        if r.exit_code == 1:           # a key that names nothing: one line, not a traceback
            assert out.startswith("error:") and out.count("\n") == 1, (args, out)
        else:
            assert r.exit_code in (0, 3), (args, out)


@pytest.mark.parametrize("name", ["[b].txt", "\x1b[31mđỏ.txt", "[red]\x9b.txt", "[@click=x].txt"])
def test_parse_view_of_hostile_file(tmp_path, name):
    p = tmp_path / name
    p.write_text(DOC, encoding="utf-8")
    r = runner.invoke(app, ["parse", str(p)])
    out = _clean(r)
    assert r.exit_code == 0
    assert "15/KH-UBND" in out
    missing = runner.invoke(app, ["parse", str(tmp_path / "[b]" / ("[/b]" + name))])
    _clean(missing)
