"""The one table of supported extensions: what `cascade parse` reads, `cascade ingest` picks up.

Bug fixed by issue 9: ingest walked 5 extensions (.txt .md .docx .doc .pdf) while the loader read
9; a `.rtf`, `.text` or `.markdown` document in a folder was silently left out of the store.
"""
from __future__ import annotations

from cascade.files import walk
from cascade.ingest import ingest
from cascade.store import Store

# a header in the national format (../shared/reference/document-format.md): number line, then V/v
LINE = "Số: 2630/UBND-TH\nV/v triển khai thực hiện Nghị định số 73/2023/NĐ-CP\n"


def _folder(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.text").write_text(LINE, encoding="utf-8")
    (d / "b.markdown").write_text(LINE, encoding="utf-8")
    # an RTF document written by a word processor, saved with its own extension
    (d / "c.rtf").write_bytes(rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times New Roman;}}"
                              rb"\f0 S\u7889? 12/KH-UBND\par K\u7871? ho\u7841?ch tri\u7875?n khai\par}")
    (d / "notes.xyz").write_text(LINE, encoding="utf-8")
    return d


def test_walk_picks_up_every_extension_the_loader_reads(tmp_path):
    d = _folder(tmp_path)
    assert sorted(p.name for p in walk([d])) == ["a.text", "b.markdown", "c.rtf"]


def test_ingest_stores_rtf_text_and_markdown_files(tmp_path):
    d = _folder(tmp_path)
    summary = ingest([d], tmp_path / "x.db", workers=1, graph=False)
    assert summary.files == 3 and summary.failed == 0
    with Store(tmp_path / "x.db") as store:
        numbers = sorted(row["number"] or "" for row in store.docs())
    # a.text and b.markdown hold the same bytes: one document, the other file a duplicate
    assert numbers == ["12/KH-UBND", "2630/UBND-TH"]
