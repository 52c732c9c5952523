"""Hostile inputs for the parsing half of issue 15, each built here: long lists, a .docx list
counter in the millions, stray NULs, Unicode line separators, bidi and format characters, C1
controls, a file named like an option. Expected values are read off the input we build."""
from __future__ import annotations

import shutil
import time

import pytest

from cascade.parse import parse_file
from cascade.parse.pipeline import parse_text
from cascade.parse.tasks import build_tasks
from cascade.text import clean
from tests.hostile import generate as g
from tests.hostile.text_cases import numbered_list

pytestmark = pytest.mark.timeout(120)

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 15/QĐ-UBND\nLâm Đồng, ngày 12 tháng 3 năm 2025\nQUYẾT ĐỊNH\n"


# --- lists of 100 items and more ---------------------------------------------------------
def test_items_numbered_100_and_above_are_items():
    rec = parse_text(numbered_list(150))
    paths = [t.path for t in rec.tasks]
    assert paths == [str(i) for i in range(1, 151)]
    # item 99 no longer swallows items 100-150
    assert rec.tasks[98].text == "Giao Sở Nội vụ việc 99."
    assert rec.tasks[149].text == "Giao Sở Nội vụ việc 150."


def test_sub_items_above_100_and_years_are_not_items():
    rec = parse_text("QUYẾT ĐỊNH\n1. Nhiệm vụ chung.\n1.99. Việc chín mươi chín.\n1.100. Việc một trăm.\n"
                     "2. Hoàn thành trong năm\n2025. Các sở báo cáo kết quả.\n"
                     "3. Kinh phí tổng cộng là:\n150. triệu đồng từ ngân sách tỉnh.", format="pdf", wrapped=True)
    assert [t.path for t in rec.tasks] == ["1", "1.99", "1.100", "2", "3"]
    # "2025." opening a wrapped line is the year ending item 2's sentence, not item 2025
    assert rec.tasks[3].text == "Hoàn thành trong năm 2025. Các sở báo cáo kết quả."
    # a large number not following item 149 is text
    assert rec.tasks[4].text.endswith("150. triệu đồng từ ngân sách tỉnh.")


def test_300000_item_list_and_300000_continuation_paragraphs():
    body, pos = [], 0
    for i in range(1, 300_001):
        para = f"{i}. Việc {i}."
        body.append((para, (pos, pos + len(para))))
        pos += len(para) + 1
    tasks = build_tasks(body)
    assert len(tasks) == 300_000 and tasks[-1].path == "300000"
    # one item continued by 300,000 unmarked paragraphs: joined once, not copied per paragraph
    cont = [("1. Giao Sở Nội vụ", (0, 17))] + [("tiếp tục", (0, 8))] * 300_000
    tasks = build_tasks(cont)
    assert len(tasks) == 1 and tasks[0].text.count("tiếp tục") == 300_000


def test_long_list_parse_grows_linearly():
    def cpu(n):
        text = numbered_list(n)
        t = time.process_time()
        parse_text(text)
        return time.process_time() - t
    small = min(cpu(2_000) for _ in range(2))
    assert cpu(8_000) <= 10 * small + 0.02


# --- .docx list marks ------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimal"])
def test_docx_list_counter_in_the_millions_is_bounded(tmp_path, fmt):
    p = g.numbering_bomb_docx(tmp_path / "n.docx", start=26_000_000, fmt=fmt, levels=9)
    assert p.stat().st_size < 4096
    rec = parse_file(p)
    assert rec.status == "ok"
    lines = rec.text.split("\n")
    assert max(len(ln) for ln in lines) < 200
    # past the letter/roman range the counter is drawn in digits, as the number it is
    assert lines[0] == "26000000. Mục cấp 1"


def test_docx_huge_label_text_is_bounded(tmp_path):
    p = g.numbering_bomb_docx(tmp_path / "n.docx", start=3, fmt="lowerLetter", levels=2,
                              lvl_text="%1%2" * 2000)
    rec = parse_file(p)
    assert rec.status == "ok"
    assert max(len(ln) for ln in rec.text.split("\n")) < 200


def test_docx_small_letter_counters_unchanged(tmp_path):
    from cascade.parse.load import load
    p = g.numbering_bomb_docx(tmp_path / "n.docx", start=3, fmt="lowerLetter", levels=2)
    assert load(p).text.split("\n")[:2] == ["c. Mục cấp 1", "c.c. Mục cấp 2"]


# --- text files ---------------------------------------------------------------------------
def _txt(tmp_path, text: str | bytes, name: str = "vb.txt"):
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


@pytest.mark.parametrize("where", [10, 200, 4000, 8000])
def test_one_nul_byte_does_not_make_text_binary(tmp_path, where):
    data = (HEADER + "Điều 1. Giao Sở Nội vụ chủ trì thực hiện.\n" * 200).encode("utf-8")
    data = data[:where] + b"\x00" + data[where:]
    rec = parse_file(_txt(tmp_path, data))
    assert rec.status == "ok", rec.error
    assert "\x00" not in rec.text


def test_many_control_bytes_still_binary(tmp_path):
    data = (b"\x00\x01\x02\x03" + " Số: 15/QĐ-UBND ".encode()) * 400      # 4 control bytes in 23
    rec = parse_file(_txt(tmp_path, data))
    assert rec.status == "error" and "binary" in rec.error


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\r", "\r\n"])
def test_unicode_line_separators_are_line_breaks(tmp_path, sep):
    text = HEADER.replace("\n", sep) + "Điều 1. Giao Sở Nội vụ chủ trì.\u2029Điều 2. Giao Sở Tài chính."
    rec = parse_file(_txt(tmp_path, text))
    assert rec.number == "15/QĐ-UBND"
    assert rec.date == "2025-03-12"
    assert rec.doc_type == "quyết định"
    assert [t.path for t in rec.tasks] == ["1", "2"]


@pytest.mark.parametrize("mark", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u200f",
                                  "\u200e", "\u061c", "\u2060", "\u2062", "\ufeff", "\u00ad", "\u180e",
                                  "\u034f", "\ufe0f", "\U000e0041", "\u200b\u202e\u2069"])
def test_invisible_format_characters_do_not_hide_the_number(tmp_path, mark):
    text = HEADER.replace("Số: 15", f"Số: {mark}15").replace("ngày 12", f"ngày {mark}12")
    text += f"{mark}Căn cứ Nghị định số {mark}73/2023/NĐ-CP;\nĐiều 1. Giao Sở Nội vụ."
    rec = parse_file(_txt(tmp_path, text))
    assert rec.number == "15/QĐ-UBND"
    assert rec.date == "2025-03-12"
    assert [c.key for c in rec.citations] == ["73/2023/NĐ-CP"]
    assert mark not in rec.text


def test_c1_controls_removed_from_text():
    text = "Số: 15/QĐ\x9b-UBND\x80\x9f Giao\x84 Sở"
    assert clean(text) == "Số: 15/QĐ-UBND Giao Sở"
    assert "\x1b" not in clean("Sở \x1b[31mNội vụ")


# --- external tools ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["-s.doc", "--help.doc", "-m.doc"])
def test_doc_named_like_an_option(tmp_path, name):
    if not shutil.which("antiword") and not shutil.which("catdoc"):
        pytest.skip("neither antiword nor catdoc installed")
    import subprocess
    from cascade.parse.loaders import doc
    seen = []
    real_run = subprocess.run

    def spy(args, *a, **k):
        seen.append(list(args))
        return real_run(args, *a, **k)
    p = tmp_path / name
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)   # OLE magic, no Word stream
    orig = doc.subprocess.run
    doc.subprocess.run = spy
    try:
        rec = parse_file(p)
    finally:
        doc.subprocess.run = orig
    assert seen and all(a[-2] == "--" and a[-1] == str(p) for a in seen)
    assert rec.status == "error"
    # antiword read it as a file: its complaint is about the document, not a usage message
    assert "Usage" not in rec.error and "invalid option" not in rec.error
