"""Load stage: real documents, generated fixtures, bad input.

Expected values were read from the documents themselves (page images rendered
with pypdfium2, the docx XML, antiword output), not copied from the loader.
"""
from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from cascade.models import STATUS_EMPTY, STATUS_ERROR, STATUS_NO_TEXT, STATUS_OK, STATUS_UNSUPPORTED
from cascade.parse.load import load
from cascade.parse.loaders.docx import format_number
from cascade.text import clean, squash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixtures_gen import make_docx, make_pdf, numbered_plan, seed_structure  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
SEED_002 = REPO / "corpus" / "002_99b20f177fc5dcd7.txt"
SEED_003 = REPO / "corpus" / "003_232fe3f8f8ad3045.txt"
SEED_004 = REPO / "corpus" / "004_8bd8b29eb5fe5b82.txt"

needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason="../shared/realdocs not beside the checkout")


def real(pattern: str) -> Path:
    hits = sorted(REALDOCS.glob("**/" + pattern))
    if not hits:
        pytest.skip(f"{pattern} not in realdocs")
    return hits[0]


def lines_of(text: str) -> list[str]:
    """Non-blank lines, normalised, inner runs of spaces collapsed."""
    return [squash(ln) for ln in clean(text).split("\n") if ln.strip()]


def before(text: str, first: str, second: str) -> bool:
    return 0 <= text.index(first) < text.index(second)


# --- real .docx ---------------------------------------------------------------------
@needs_realdocs
@pytest.mark.realdocs
class TestRealDocx:
    def test_header_table_left_column_first(self):
        res = load(real("2025-9-08 - CV 3980 BCA Ctrinh MTQG phong chong ma tuy.docx"))
        assert res.status == STATUS_OK and res.format == "docx" and res.text_source == "docx"
        lines = lines_of(res.text)
        # left cell: issuer, Số, V/v; right cell: motto, place-date
        assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: /UBND-NC"]
        assert lines[3].startswith("V/v tham mưu triển khai Công")
        assert before(res.text, "V/v tham mưu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert before(res.text, "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày")
        assert before(res.text, "Lâm Đồng, ngày", "Kính gửi: Công an tỉnh")
        # the signature table: Nơi nhận list, then the signer
        assert before(res.text, "- Lưu: VT, NC.Châu", "Nguyễn Nhân Bản")

    def test_word_automatic_numbering_decimal(self):
        # "Điều 5" of this charter is a Word list (numId 5): the marks are not in w:t
        res = load(real("*thiện-nguyện-lan-tỏa-yêu-thương*sửa-đổi.docx"))
        lines = lines_of(res.text)
        i = lines.index("Điều 5. Nguyên tắc tổ chức, hoạt động")
        assert lines[i + 1:i + 5] == ["1. Tự nguyện, tự quản.",
                                      "2. Dân chủ, bình đẳng, công khai, minh bạch.",
                                      "3. Tự bảo đảm kinh phí hoạt động.",
                                      "4. Không vì mục đích lợi nhuận."]
        # the next article's list restarts at 1
        j = lines.index("Điều 6. Quyền hạn")
        assert lines[j + 1] == "1. Tuyên truyền tôn chỉ, mục đích của Hội."

    def test_word_automatic_numbering_letter(self):
        res = load(real("6.11.2025 Báo cáo họp 766 (1).docx"))
        assert "a) Kết quả đánh giá tổng hợp chung" in lines_of(res.text)

    def test_footnotes_after_body(self):
        res = load(real("TTr BC CCHC nam 2025.docx"))
        body, _, notes = res.text.partition("\n---\n")
        assert notes, "footnotes not appended under ---"
        assert "Gồm: Sở Khoa học và Công nghệ, Sở Tài chính, Sở Nội vụ, Sở Tư pháp và Văn phòng UBND tỉnh." in notes
        assert res.extras["footnotes"] == 1

    def test_doc_extension_holding_a_docx(self):
        res = load(real("*kết quả Chỉ số CCHC 2025 các địa phương 02.02.doc"))
        assert res.status == STATUS_OK and res.format == "docx"
        assert any("really a .docx" in w for w in res.warnings)


# --- real .doc ----------------------------------------------------------------------
@needs_realdocs
@pytest.mark.realdocs
def test_real_doc_antiword_header_columns():
    if not shutil.which("antiword"):
        pytest.skip("antiword not installed")
    res = load(real("2025-9-08 Phieu trinh CV 3980.doc"))
    assert res.status == STATUS_OK and res.format == "doc" and res.text_source == "antiword"
    lines = lines_of(res.text)
    assert lines[:3] == ["UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG", "Số: /PT-NC"]
    assert lines[3:5] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "I. NỘI DUNG TRÌNH/CHỈ ĐẠO" in lines      # a one-column antiword table row
    assert not any(ln.startswith("|") for ln in lines)


# --- real .pdf ----------------------------------------------------------------------
@needs_realdocs
@pytest.mark.realdocs
class TestRealPdf:
    def test_form_field_number_and_day_spliced_into_header(self):
        # page 1 shows "Số: 3858 /SNV-TCBC" and "Lâm Đồng, ngày 29 tháng 12 năm 2025";
        # 3858 and 29 are signature-widget appearances, absent from plain extraction
        res = load(real("Văn bản của Sở Nội vụ.pdf"))
        assert res.status == STATUS_OK and res.format == "pdf" and res.text_source == "pdf-text"
        assert set(res.extras["form_fields"].values()) == {"3858", "29"}
        lines = lines_of(res.text)
        assert lines[:3] == ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "Số: 3858 /SNV-TCBC"]
        assert lines[3:6] == ["V/v báo cáo tình hình tổ chức,", "hoạt động và quản lý hội", "năm 2025"]
        assert lines[6:9] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                              "Lâm Đồng, ngày 29 tháng 12 năm 2025"]
        assert lines[9] == "Kính gửi: Ủy ban nhân dân tỉnh."
        assert res.pages == 2 and res.extras["pages_without_text"] == 1

    def test_annotations_without_text_leave_the_page_unflattened(self):
        # "CV 1925" carries two signature widgets whose appearance is an image and nothing
        # else: the page is read as printed, not flattened; the widgets of "Văn bản của Sở
        # Nội vụ" draw the number and the day, so that page is flattened
        import pypdfium2 as pdfium

        from cascade.parse.loaders import pdf as pdf_loader

        def page_one(name):
            doc = pdfium.PdfDocument(str(real(name)))
            try:
                page = doc[0]
                return len(pdf_loader._widgets(page)), pdf_loader._appearance_text(page)
            finally:
                doc.close()

        assert page_one("CV 1925.signed.signed.pdf") == (2, False)
        assert page_one("Văn bản của Sở Nội vụ.pdf")[1] is True
        res = load(real("CV 1925.signed.signed.pdf"))
        assert res.status == STATUS_OK and "form_fields" not in res.extras and "stamps" not in res.extras
        lines = lines_of(res.text)
        assert lines[1] == "Số: 1925 /STC- HTDN"
        assert "Bình Thuận, ngày 19 tháng 5 năm 2025" in lines[:8]

    def test_number_day_month_year_widgets(self):
        res = load(real("2003_CD-VPCP_07102025_2-signed.pdf"))
        lines = lines_of(res.text)
        assert lines[0] == "VĂN PHÒNG CHÍNH PHỦ"
        assert "Số: 2003 /CĐ-VPCP" in lines
        assert "Hà Nội, ngày 07 tháng 10 năm 2025" in lines
        assert before(res.text, "Số: 2003", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        assert before(res.text, "Hà Nội, ngày 07", "CÔNG ĐIỆN")

    def test_form_field_drawn_off_the_line_joins_its_row(self):
        # "12094" is drawn a little above the printed "Số:      /BNV-CCHC" line
        res = load(real("12094 CV_HuongdantrienkhaiDean_2025.pdf"))
        lines = lines_of(res.text)
        assert lines[:2] == ["BỘ NỘI VỤ", "Số: 12094 /BNV-CCHC"]
        assert "Hà Nội, ngày 15 tháng 12 năm 2025" in lines[:8]

    def test_form_fields_spliced_into_a_body_line(self):
        # an appendix without a two-column header: number and date fields sit in
        # "(Kèm theo Công văn số 12094/BNV-CCHC ngày 15/12/2025 của Bộ Nội vụ)"
        res = load(real("12094 Phuluc_huongdan_tinh_2025.pdf"))
        line = next(ln for ln in lines_of(res.text) if ln.startswith("(Kèm theo Công văn"))
        assert line.replace(" ", "") == "(KèmtheoCôngvănsố12094/BNV-CCHCngày15/12/2025củaBộNộivụ)"

    def test_footnote_reference_superscripts_removed(self):
        # printed "Công văn số 1925/STC-HTDN¹ và căn cứ Nghị định số 126/2024/NĐ-CP²,"
        res = load(real("1223 TTr SNV ve viec co y kien to chuc dai hoi c Bong.signed.signed.kydauden.pdf"))
        flat = squash(clean(res.text))
        assert "1925/STC-HTDN và căn cứ Nghị định số 126/2024/NĐ-CP, Sở Nội vụ" in flat
        assert "HTDN1" not in flat and "NĐ-CP2" not in flat
        assert res.extras["footnote_refs_removed"] == 2

    def test_page_footnotes_after_body(self):
        # the foot of page 1: "¹ Công văn số 1925/STC-HTDN ngày 19/5/2025 của Sở Tài chính …",
        # "² Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ …"
        res = load(real("1223 TTr SNV ve viec co y kien to chuc dai hoi c Bong.signed.signed.kydauden.pdf"))
        body, _, notes = res.text.partition("\n---\n")
        assert notes.split("\n") == [
            "[1] Công văn số 1925/STC-HTDN ngày 19/5/2025 của Sở Tài chính về việc tổ chức đại hội của "
            "Hiệp hội Doanh nghiệp tỉnh lần thứ V, nhiệm kỳ 2025 – 2030.",
            "[2] Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ quy định về tổ chức, hoạt động "
            "và quản lý hội."]
        assert "19/5/2025 của Sở Tài chính" not in body
        assert lines_of(body)[-1] == "Nguyễn Thị Bông"

    def test_footnote_mark_after_a_space(self):
        # "Căn cứ quy định tại khoản 2¹ Điều 36 Nghị định số 104/2025/NĐ-CP": pdfium breaks
        # the line before the raised 1
        res = load(real("8. CV GỬI SNV CHO Ý KIẾN ĐỀ ÁN ĐẠI HỘI.pdf"))
        assert "Căn cứ quy định tại khoản 2 Điều 36 Nghị định số 104/2025/NĐ-CP" in squash(clean(res.text))
        assert res.text.partition("\n---\n")[2].startswith("[1] “Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ")

    def test_signature_stamp_kept_out_of_text(self):
        # the stamp in the top-right corner: "Số: 2003/CĐ-VPCP / Thời gian ký: 07/10/2025 20:43:19 +07:00"
        res = load(real("2003_CD-VPCP_07102025_3-signed.pdf"))
        assert res.status == STATUS_OK
        assert any("Thời gian ký: 07/10/2025 20:43:19" in s for s in res.extras["stamps"])
        assert "Thời gian ký" not in res.text and "07/10/2025" not in res.text
        assert lines_of(res.text)[0] == "CHƯƠNG TRÌNH"

    def test_copy_stamp_on_scanned_pdf(self):
        res = load(real("CV_CAT_855_20082025_VvcucanbothamgiaDoiUCSC.signed.pdf"))
        assert res.status == STATUS_NO_TEXT
        assert any(s.startswith("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG") for s in res.extras["stamps"])

    def test_scanned_pdf_is_no_text(self):
        res = load(real("SKM_450i25082609220.pdf"))
        assert res.status == STATUS_NO_TEXT
        assert res.error.startswith("no text layer (scanned PDF; OCR needed")
        assert res.pages >= 1 and res.text == ""

    def test_legacy_font_mojibake_is_flagged(self):
        # glyph soup ("BØ CÔNG AN", "CØNG HOÀ XÃ HØI") over a scan: not usable text
        res = load(real("CV 298 PC04/298 PC04.pdf"), ocr=False)
        assert res.status == STATUS_NO_TEXT and "junk text layer" in res.error
        assert res.extras.get("text_quality") == "garbled"
        assert any("garbled" in w for w in res.warnings)

    def test_header_left_block_before_right_block(self):
        # this PDF's text stream interleaves the two columns row by row
        res = load(real("*20251020-1644_kso.pdf"))
        lines = lines_of(res.text)
        assert lines[:3] == ["HIỆP HỘI", "CÔNG CHỨNG VIÊN VIỆT NAM", "Số: 670/HD-HHCCVVN"]
        assert lines[3:6] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
                              "Hà Nội, ngày 20 tháng 10 năm 2025"]
        assert any(s.startswith("Digitally signed by HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM")
                   for s in res.extras["stamps"])
        assert "Digitally signed" not in res.text


# --- generated fixtures -------------------------------------------------------------
@pytest.mark.parametrize("seed", [SEED_002, SEED_003, SEED_004], ids=["002", "003", "004"])
def test_docx_fixture_round_trip(seed, tmp_path):
    import docx
    path = make_docx(seed, tmp_path / "seed.docx")
    structure = seed_structure(seed)
    plan = numbered_plan(structure.body)
    # the generator really removed the typed marks: only Word numbering can restore them
    typed = [p.text for p in docx.Document(str(path)).paragraphs]
    assert not any(t.startswith(("1. ", "a) ", "- ")) for t in typed)
    assert sum(1 for level, _, _ in plan if level is not None) >= 4

    res = load(path)
    assert res.status == STATUS_OK and res.format == "docx"
    lines = lines_of(res.text)
    head = structure.left + structure.right
    assert lines[:len(head)] == head
    body = [f"{mark} {text}" if mark else text for _, mark, text in plan]
    assert lines[len(head):len(head) + len(body)] == body
    assert lines[len(head) + len(body):] == structure.recipients + structure.signature


def test_docx_fixture_numbering_restarts_letters(tmp_path):
    res = load(make_docx(SEED_004, tmp_path / "004.docx"))
    lines = lines_of(res.text)
    i = lines.index("2. Giao Sở Nội vụ")
    assert lines[i + 1].startswith("a) Chủ trì, phối hợp")
    assert lines[i + 4].startswith("d) Tổng hợp báo cáo")


@pytest.mark.parametrize("seed", [SEED_002, SEED_003, SEED_004], ids=["002", "003", "004"])
def test_pdf_fixture_round_trip(seed, tmp_path):
    pytest.importorskip("reportlab")
    structure = seed_structure(seed)
    res = load(make_pdf(seed, tmp_path / "seed.pdf"))
    assert res.status == STATUS_OK and res.format == "pdf"
    lines = lines_of(res.text)
    head = structure.left + structure.right
    assert lines[:len(head)] == head
    flat = squash(clean(res.text))
    for _, mark, text in numbered_plan(structure.body):
        assert squash(f"{mark} {text}" if mark else text) in flat


def test_pdf_fixture_number_as_form_field(tmp_path):
    pytest.importorskip("reportlab")
    res = load(make_pdf(SEED_002, tmp_path / "field.pdf", number_field=True))
    assert res.extras["form_fields"] == {"so_van_ban": "432"}
    lines = lines_of(res.text)
    assert lines[2].replace(" ", "") == "Số:432/UBND-VHXXH"
    assert before(res.text, "Số: 432", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_encrypted_pdf(tmp_path):
    pytest.importorskip("reportlab")
    res = load(make_pdf(SEED_002, tmp_path / "locked.pdf", encrypt="secret"))
    assert res.status == STATUS_ERROR
    assert res.error.startswith("encrypted PDF")


# --- text files ---------------------------------------------------------------------
SAMPLE = "ỦY BAN NHÂN DÂN\nSố: 432/UBND-VHXH\nUông Bí, ngày 22 tháng 8 năm 2025\n"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_txt_unicode_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "a.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    res = load(path)
    assert res.status == STATUS_OK and res.format == "txt"
    assert res.text == SAMPLE


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """cp1258 has ă â ê ô ơ ư đ as letters and the five tones as combining marks."""
    import unicodedata
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
            out += (base + "".join(c for c in d if c in _TONES)).encode("cp1258")
    return out


def test_txt_windows_1258(tmp_path):
    path = tmp_path / "a.md"
    text = "Ủy ban nhân dân tỉnh Lâm Đồng\nĐộc lập - Tự do - Hạnh phúc\n"
    path.write_bytes(to_cp1258(text))
    res = load(path)
    assert res.status == STATUS_OK and res.format == "md"
    assert clean(res.text) == clean(text)
    assert any("Windows-1258" in w for w in res.warnings)


# --- bad input ----------------------------------------------------------------------
def _one_line(res):
    assert res.error and "\n" not in res.error and len(res.error) < 300
    return res.error


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.doc", "empty.txt"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    res = load(path)
    assert res.status == STATUS_EMPTY and "empty" in _one_line(res)


def test_whitespace_only_txt(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n  \n", encoding="utf-8")
    assert load(path).status == STATUS_EMPTY


@pytest.mark.parametrize("name,data,reason", [
    ("garbage.pdf", os.urandom(64) + b"\x00" * 64, "not a PDF"),
    ("broken.pdf", b"%PDF-1.7\n" + b"\x00\xff" * 200, "corrupt PDF"),
    ("garbage.docx", b"\x00\x01binary garbage" * 20, "not a .docx"),
    ("text.docx", "Ủy ban nhân dân".encode() * 10, "not a .docx"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 300, "not a valid zip package"),
    ("garbage.doc", b"\x00\x01\x02binary garbage" * 20, "not a Word document"),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary data"),
], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_garbage_with_document_extension(tmp_path, name, data, reason):  # noqa: D103
    path = tmp_path / name
    path.write_bytes(data)
    res = load(path)
    assert res.status == STATUS_ERROR
    assert reason in _one_line(res)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    res = load(path)
    assert res.status == STATUS_ERROR and "word/document.xml" in _one_line(res)


def test_docx_with_broken_xml(tmp_path):
    path = tmp_path / "bad.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    res = load(path)
    assert res.status == STATUS_ERROR and "broken XML" in _one_line(res)


def test_unknown_extension(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK\x03\x04")
    res = load(path)
    assert res.status == STATUS_UNSUPPORTED and ".xlsx" in _one_line(res)


def test_directory_missing_file_and_broken_symlink(tmp_path):
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert "directory" in _one_line(load(folder))
    assert load(tmp_path / "missing.docx").status == STATUS_ERROR
    link = tmp_path / "dangling.docx"
    link.symlink_to(tmp_path / "nowhere.docx")
    res = load(link)
    assert res.status == STATUS_ERROR and "broken symbolic link" in _one_line(res)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x", encoding="utf-8")
    path.chmod(0)
    res = load(path)
    assert res.status == STATUS_ERROR and "permission" in _one_line(res)


def test_doc_without_antiword_or_catdoc(tmp_path, monkeypatch):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    res = load(path)
    assert res.status == STATUS_ERROR and "antiword not installed" in _one_line(res)


def test_rtf_saved_as_doc(tmp_path):
    path = tmp_path / "letter.doc"
    path.write_bytes(rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times New Roman;}}"
                     rb"{\*\generator Word;}\f0 \u7910?y ban nh\'e2n d\'e2n\par S\u7889?: 12/UBND\par}")
    res = load(path)
    assert res.status == STATUS_OK and res.format == "rtf" and res.text_source == "rtf"
    assert lines_of(res.text) == ["Ủy ban nhân dân", "Số: 12/UBND"]


def test_word_number_formats():
    assert [format_number(n, "lowerLetter") for n in (1, 4, 5, 26, 27)] == ["a", "d", "e", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert format_number(3, "decimalZero") == "03"
    assert format_number(7, "bullet") == ""


# --- docx structures built with python-docx ----------------------------------------
def test_docx_style_numbering_merged_and_nested_cells(tmp_path):
    import docx
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(1, 0))        # vertical merge: one cell
    merged.text = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table.cell(1, 1).text = "Lâm Đồng, ngày 05 tháng 3 năm 2026"
    # numbering that lives on the paragraph style, not on the paragraph
    document.add_paragraph("Rà soát hồ sơ.", style="List Number")
    document.add_paragraph("Báo cáo kết quả.", style="List Number")
    sign = document.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:"
    inner = sign.cell(0, 1).add_table(rows=2, cols=1)          # nested signature table
    inner.cell(0, 0).text = "KT. CHỦ TỊCH"
    inner.cell(1, 0).text = "Nguyễn Văn A"
    path = tmp_path / "built.docx"
    document.save(str(path))
    lines = lines_of(load(path).text)
    assert lines == ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lâm Đồng, ngày 05 tháng 3 năm 2026",
                     "1. Rà soát hồ sơ.", "2. Báo cáo kết quả.",
                     "Nơi nhận:", "KT. CHỦ TỊCH", "Nguyễn Văn A"]


_TEXTBOX_RUN = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>'
    '<w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
    '<w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
    '</mc:AlternateContent></w:r>')


def test_docx_text_box_once(tmp_path):
    import docx
    from docx.oxml import parse_xml
    document = docx.Document()
    p = document.add_paragraph("Số: 12/KH-UBND")
    p._p.append(parse_xml(_TEXTBOX_RUN))
    path = tmp_path / "box.docx"
    document.save(str(path))
    res = load(path)
    assert lines_of(res.text) == ["Số: 12/KH-UBND", "DỰ THẢO"]     # the VML fallback copy is skipped
    assert res.extras["textboxes"] == 1


@needs_realdocs
@pytest.mark.realdocs
@pytest.mark.slow
def test_every_real_document_loads():
    """All of realdocs: no crash, no error; scanned PDFs say no_text; text never empty when ok."""
    from collections import Counter
    counts = Counter()
    for path in sorted(p for p in REALDOCS.rglob("*") if p.is_file()):
        res = load(path)
        counts[res.status] += 1
        assert res.status in (STATUS_OK, STATUS_NO_TEXT), f"{path}: {res.status} {res.error}"
        if res.status == STATUS_OK:
            assert res.text.strip(), path
        else:
            assert res.format == "pdf" and res.text == "" and "\n" not in res.error
    assert counts[STATUS_OK] > 500 and counts[STATUS_NO_TEXT] >= 10


# --- headers typed with tabs and spaces ---------------------------------------------
@needs_realdocs
@pytest.mark.realdocs
def test_docx_header_typed_with_spaces():
    # no table: each header row is one paragraph, columns apart by spaces and a tab
    res = load(real("giao 427 BCA - CAT chương trình MTQGMT.docx"))
    assert lines_of(res.text)[:9] == [
        "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: /UBND-NC",
        "V/v triển khai thực hiện", "Công văn số 427/BCA-C04", "của Bộ Công an",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày tháng 02 năm 2026"]


@needs_realdocs
@pytest.mark.realdocs
def test_doc_header_typed_with_spaces():
    if not shutil.which("antiword"):
        pytest.skip("antiword not installed")
    res = load(real("giao 1783 sở tnmt, tc.doc"))
    lines = lines_of(res.text)
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH THUẬN", "Số: /UBND-NCKSTTHC"]
    assert lines[3].startswith("V/v xây dựng báo cáo tình hình ban hành quy định")
    assert lines[5:8] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Bình Thuận, ngày tháng 02 năm 2025"]


def test_split_header_columns_leaves_ordinary_text_alone():
    from cascade.parse.loaders.layout import split_header_columns
    text = "Số:          /UBND-NC\nV/v việc A\nKính gửi: Sở Nội vụ\nNội dung    có   khoảng trắng."
    assert split_header_columns(text) == text


def test_docx_small_data_table_read_row_by_row(tmp_path):
    import docx
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("STT", "Nội dung thu", "Mức thu"), ("1", "Lệ phí cấp bản sao", "5.000"),
                             ("2", "Phí thẩm định", "20.000")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "fees.docx"
    document.save(str(path))
    assert lines_of(load(path).text) == ["STT", "Nội dung thu", "Mức thu", "1", "Lệ phí cấp bản sao",
                                         "5.000", "2", "Phí thẩm định", "20.000"]


def test_antiword_tables():
    from cascade.parse.loaders.doc import linearise_tables
    layout = "|ỦY BAN NHÂN DÂN   |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|\n|Số: 12/UBND   |Lâm Đồng, ngày 5 tháng 3 năm 2026|"
    assert linearise_tables(layout).split("\n") == [
        "ỦY BAN NHÂN DÂN", "Số: 12/UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Lâm Đồng, ngày 5 tháng 3 năm 2026"]
    data = "|STT|Đơn vị|Điểm|\n|1|Sở Nội vụ|88,5|\n|2|Sở Tư pháp|90|"
    assert linearise_tables(data).split("\n") == [
        "STT", "Đơn vị", "Điểm", "1", "Sở Nội vụ", "88,5", "2", "Sở Tư pháp", "90"]


def test_txt_extension_holding_a_docx(tmp_path):
    src = make_docx(SEED_004, tmp_path / "seed.docx")
    renamed = tmp_path / "seed.txt"
    renamed.write_bytes(src.read_bytes())
    res = load(renamed)
    assert res.status == STATUS_OK and res.format == "docx"
    assert any("really a .docx" in w for w in res.warnings)
    assert "Lào Cai, ngày tháng 4 năm 2026" in lines_of(res.text)


def test_text_mentioning_pdf_magic_stays_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Tệp mẫu bắt đầu bằng %PDF-1.7 như mọi tệp PDF.\n", encoding="utf-8")
    res = load(path)
    assert res.status == STATUS_OK and res.format == "txt"


def test_docx_fonts_hint(tmp_path):
    import docx
    document = docx.Document()
    for line in ("Uû ban nh©n d©n", "TØnh L©m §ång"):          # TCVN3 bytes as typed in .VnTime
        document.add_paragraph().add_run(line).font.name = ".VnTime"
    path = tmp_path / "legacy.docx"
    document.save(str(path))
    res = load(path)
    assert res.extras["fonts"][0] == ".VnTime"
    assert lines_of(res.text) == ["Uû ban nh©n d©n", "TØnh L©m §ång"]   # the loader does not convert


@needs_realdocs
@pytest.mark.realdocs
def test_doc_footnotes_after_body():
    if not shutil.which("antiword"):
        pytest.skip("antiword not installed")
    # footnote 1 of this .doc quotes Article 7 of the Law on judicial records
    res = load(real("Thuyết minh dự thảo Thông tư.doc"))
    body, _, notes = res.text.partition("\n---\n")
    assert "Luật Phí và lệ phí và Luật LLTP năm 2009, vì vậy" in squash(body)
    assert notes.startswith("[1] Khoản 1 Điều 7 Luật LLTP quy định:")
    assert "[pic]" not in body


def test_tidy_antiword():
    from cascade.parse.loaders.doc import tidy_antiword
    text = "Theo Nghị định số 73/2023/NĐ-CP[1] và [pic]\n\n   ------------------\n [1] Ghi chú.\n"
    assert tidy_antiword(text) == "Theo Nghị định số 73/2023/NĐ-CP và \n\n---\n[1] Ghi chú.\n"
