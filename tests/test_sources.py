"""Documents as analysts get them: Official Gazette pages, signed forwarded copies, saved
portal pages, RTF and Word files that are really web pages or RTF, and the number forms
of national documents.

How the expected values were decided, by document:
- QĐ 2536 (realdocs, `QĐ 2536 SÁP NHẬP ĐLS.pdf`), read on its first page: issuer
  `ỦY BAN NHÂN DÂN` / `TỈNH LÂM ĐỒNG`, `Số: 2536 /QĐ-UBND`, `Lâm Đồng, ngày 12 tháng 12
  năm 2025`, heading `QUYẾT ĐỊNH`; its first basis `Căn cứ Nghị định số 126/2024/NĐ-CP`.
- CV 8151 (realdocs, `17.9.2025.Vv lay y kien du thao BC so ket 2021-2025.pdf`), first page:
  `BỘ NỘI VỤ`, `Số: 8151 /BNV-CCHC`, `Hà Nội, ngày 18 tháng 9 năm 2025`, `V/v …` and
  `Kính gửi:` (a công văn).
- Seed 002: `../shared/gold/seeds.json` (hand-checked): 432/UBND-VHXXH, 2025-08-22, phường Uông Bí.
- Stamp lines as the e-signature systems print them, read from the realdocs signed PDFs
  (`SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; Thời gian ký: 2025-08-20T15:14:49+07:00`, `Ký bởi: UBND
  tỉnh Lâm Đồng; Giờ ký: 30/09/2025 17:58:22`) and from Gazette issues (tests/gazette_gen.py).
- Number forms: the header lines quoted in each test, from public texts of the documents
  (named there).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cascade.parse import parse_file, parse_text
from cascade.parse.furniture import read_stamp
from cascade.parse.load import load
from cascade.text import clean
from tests.conftest import REALDOCS, SEEDS, need
from tests.gazette_gen import gazette_pages, gazette_pdf, gazette_txt

QD_2536 = "Tờ trình 85 STP phê duyệt Đề án tổ chức Đại hội Đoàn Luật sư tỉnh Lâm Đồng lần thứ I, nhiệm kỳ 2026 - 2031/QĐ 2536 SÁP NHẬP ĐLS.pdf"
CV_8151 = "CV CHUNG/CV 8151 BNV gop y du thao bao cao so ket CCHC/17.9.2025.Vv lay y kien du thao BC so ket 2021-2025.pdf"
SEED_002 = "002_99b20f177fc5dcd7.txt"


def _text(rel: str) -> str:
    res = load(need(REALDOCS / rel))
    assert res.status == "ok", res.error
    return clean(res.text, markdown=False)


@pytest.fixture(scope="module")
def qd():
    return _text(QD_2536)


@pytest.fixture(scope="module")
def cv():
    return _text(CV_8151)


def assert_qd_2536(rec):
    assert (rec.doc_type, rec.number, rec.date) == ("quyết định", "2536/QĐ-UBND", "2025-12-12")
    assert (rec.issuer.level, rec.issuer.unit, rec.issuer.province) == ("province", "tỉnh", "Lâm Đồng")


def assert_cv_8151(rec):
    assert (rec.doc_type, rec.number, rec.date) == ("công văn", "8151/BNV-CCHC", "2025-09-18")
    assert (rec.issuer.level, rec.issuer.unit) == ("central", "bộ")


def assert_no_banner_citation(rec):
    for c in rec.citations:
        assert "Ngày" not in (c.number or "") and "CÔNG BÁO" not in c.text, c
    assert "CÔNG BÁO" not in rec.text
    assert rec.gazette == "101 + 102/2025-03-15"


# --- Official Gazette ----------------------------------------------------------------
@pytest.mark.parametrize("number_own_line", [False, True], ids=["banner-with-page-number", "2026-page-number-line"])
def test_gazette_text_two_documents_back_to_back(tmp_path, qd, cv, number_own_line):
    pages = gazette_pages([qd, cv], ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "BỘ NỘI VỤ"])
    path = tmp_path / "congbao.txt"
    path.write_text(gazette_txt(pages, number_own_line=number_own_line), encoding="utf-8")
    rec = parse_file(path)
    assert_qd_2536(rec)
    assert_no_banner_citation(rec)
    assert [(s.body, s.time) for s in rec.stamps] == [("Văn phòng Chính phủ", "2025-03-16T11:02:35")]
    # the decision's `Căn cứ` line is still read as its legal ground (tests/truth/relations.json: basis)
    assert next(c for c in rec.citations if c.key == "126/2024/NĐ-CP").relation == "basis"


def test_gazette_pdf_two_documents_back_to_back(tmp_path, qd, cv):
    path = gazette_pdf(gazette_pages([qd, cv], ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "BỘ NỘI VỤ"]),
                       tmp_path / "congbao.pdf")
    rec = parse_file(path)
    assert_qd_2536(rec)
    assert_no_banner_citation(rec)
    assert any(s.body == "Văn phòng Chính phủ" for s in rec.stamps)


def test_gazette_national_document_first(tmp_path, qd, cv):
    pages = gazette_pages([cv, qd], ["BỘ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"], first_page=17)
    txt = tmp_path / "congbao.txt"
    txt.write_text(gazette_txt(pages), encoding="utf-8")
    for path in (txt, gazette_pdf(pages, tmp_path / "congbao.pdf")):
        rec = parse_file(path)
        assert_cv_8151(rec)
        assert_no_banner_citation(rec)


def test_gazette_seed_txt_and_pdf(tmp_path, gold, cv):
    seed = clean((SEEDS / SEED_002).read_text(encoding="utf-8"))
    pages = gazette_pages([seed, cv], ["ỦY BAN NHÂN DÂN PHƯỜNG UÔNG BÍ", "BỘ NỘI VỤ"], first_page=4)
    txt = tmp_path / "seed.txt"
    txt.write_text(gazette_txt(pages), encoding="utf-8")
    want = gold["documents"][SEED_002]
    for path in (txt, gazette_pdf(pages, tmp_path / "seed.pdf")):
        rec = parse_file(path)
        assert (rec.doc_type, rec.number, rec.date) == (want["doc_type"], want["number"], want["date"])
        assert (rec.issuer.level, rec.issuer.unit, rec.issuer.locality) == (
            want["issuer"]["level"], want["issuer"]["unit"], want["issuer"]["locality"])
        assert_no_banner_citation(rec)


def test_gazette_text_read_row_by_row(tmp_path, qd, cv):
    """A text layer read row by row: the two header columns of a row joined by one space
    (`BỘ NỘI VỤ CỘNG HÒA XÃ HỘI …`, `Số: 8151 /BNV-CCHC Độc lập - …`, `V/v … Hà Nội, ngày …`)."""
    for texts, groups, check in (([qd, cv], ["ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "BỘ NỘI VỤ"], assert_qd_2536),
                                 ([cv, qd], ["BỘ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"], assert_cv_8151)):
        path = tmp_path / "rows.txt"
        path.write_text(gazette_txt(gazette_pages(texts, groups), row_by_row=True), encoding="utf-8")
        rec = parse_file(path)
        check(rec)
        assert_no_banner_citation(rec)


@pytest.mark.slow
def test_every_realdoc_reads_the_same_in_a_gazette_layout(tmp_path, realdocs):
    """Each real document with a type and a number, wrapped in Gazette pages (banner, page
    numbers, stamp, part heading) as text (side by side and row by row) and as PDF, gives
    the type, number, date and issuer of the plain document, and no citation from a banner."""
    from cascade.parse.pipeline import parse_loaded
    checked = 0
    for p in sorted(x for x in realdocs.rglob("*") if x.is_file()):
        res = load(p)
        if res.status != "ok":
            continue
        base = parse_loaded(res)
        if not (base.doc_type and base.number):
            continue
        want = (base.doc_type, base.number, base.date, base.issuer.level, base.issuer.unit)
        pages = gazette_pages([clean(res.text, markdown=False)], [""])
        a, b = tmp_path / "a.txt", tmp_path / "b.txt"
        a.write_text(gazette_txt(pages), encoding="utf-8")
        b.write_text(gazette_txt(pages, row_by_row=True), encoding="utf-8")
        for path in (a, b, gazette_pdf(pages, tmp_path / "c.pdf")):
            rec = parse_file(path)
            assert (rec.doc_type, rec.number, rec.date, rec.issuer.level, rec.issuer.unit) == want, (p, path.suffix)
            assert not any("Ngày" in (c.number or "") for c in rec.citations)
        checked += 1
    assert checked >= 70


def test_gazette_page_shared_with_the_end_of_the_previous_document(tmp_path, qd, cv):
    """A document that starts on the page where the previous one ends: its closing
    (last articles, Nơi nhận, signature) stands above the header block."""
    lines = qd.split("\n")
    tail = lines[next(i for i, ln in enumerate(lines) if ln.startswith("Điều 6.")):]
    path = tmp_path / "shared_page.txt"
    path.write_text(f"CÔNG BÁO/Số 101 + 102/Ngày 15-3-2025{' ' * 30}9\n" + "\n".join(tail) + "\n\n" + cv,
                    encoding="utf-8")
    rec = parse_file(path)
    assert_cv_8151(rec)
    assert rec.gazette == "101 + 102/2025-03-15"


@pytest.mark.parametrize("line, banner", [
    ("CÔNG BÁO/Số 713 + 714/Ngày 24-7-2020 3", True),           # page number after (odd pages)
    ("4 CÔNG BÁO/Số 1175 + 1176/Ngày 30-12-2014", True),        # before (even pages)
    ("CÔNG BÁO/Số: 807 + 808/Ngày 24-6-2025", True),            # with a colon (2025)
    ("CÔNG BÁO/Số 18/Ngày 18-01-2026", True),                   # one issue number (2026)
    ("CÔNG BÁO/SỐ 869 ? 870/Ngày 24-11-2023", True),            # an OCR'd "+"
    ("CÔNG BÁO LÂM ĐỒNG/Số 45/Ngày 20-12-2025 7", True),        # a provincial gazette
    ("- Công báo;", False),                                     # a distribution line (realdocs)
    ("đăng Công báo số 101 + 102 ngày 15/3/2025", False),
])
def test_banner_forms(line, banner):
    # the forms quoted from Gazette issues by public parsers of congbao.chinhphu.vn texts
    from cascade.parse.furniture import is_banner
    assert is_banner(line) is banner


def test_gazette_group_heading_is_not_the_issuer():
    # a Gazette first page as quoted from Lệnh 07/2025/L-CTN (Công báo số 807 + 808, 24-6-2025)
    text = "\n".join([
        "Người ký: CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ", "Email: thongtinchinhphu@chinhphu.vn",
        "Cơ quan: VĂN PHÒNG CHÍNH PHỦ", "Thời gian ký: 26/06/2025 15:19:01 +07:00", "",
        "CÔNG BÁO/Số: 807 + 808/Ngày 24-6-2025", "", "VĂN BẢN QUY PHẠM PHÁP LUẬT",
        "CHỦ TỊCH NƯỚC - QUỐC HỘI", "CHỦ TỊCH NƯỚC", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "", "Số: 07/2025/L-CTN", "", "Hà Nội, ngày 16 tháng 6 năm 2025", "",
        "LỆNH", "Về việc công bố Nghị quyết sửa đổi, bổ sung một số điều", "của Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam",
        "", "CHỦ TỊCH", "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Căn cứ Điều 88 và Điều 120 của Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;",
        "NAY CÔNG BỐ:"])
    rec = parse_text(text)
    assert (rec.doc_type, rec.number, rec.date) == ("lệnh", "07/2025/L-CTN", "2025-06-16")
    assert rec.issuer.name == "CHỦ TỊCH NƯỚC" and rec.issuer.level == "central"
    assert rec.gazette == "807 + 808/2025-06-24"
    assert [(s.body, s.time) for s in rec.stamps] == [("VĂN PHÒNG CHÍNH PHỦ", "2025-06-26T15:19:01")]


# --- signed, forwarded copies -----------------------------------------------------------
@pytest.mark.parametrize("stamp, body, time", [
    ("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; Thời gian ký: 2025-08-20T15:14:49+07:00", "CÔNG AN TỈNH LÂM ĐỒNG",
     "2025-08-20T15:14:49"),
    ("Ký bởi: UBND tỉnh Lâm Đồng; Giờ ký: 30/09/2025 17:58:22", "UBND tỉnh Lâm Đồng", "2025-09-30T17:58:22"),
    ("Digitally signed by HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM; Date: 2025.10.20 18:57:55+07'00'",
     "HIỆP HỘI CÔNG CHỨNG VIÊN VIỆT NAM", "2025-10-20T18:57:55"),
])
def test_forwarded_copy_with_one_stamp_line(tmp_path, cv, stamp, body, time):
    path = tmp_path / "forwarded.txt"
    path.write_text(stamp + "\n" + cv, encoding="utf-8")
    rec = parse_file(path)
    assert_cv_8151(rec)
    assert [(s.body, s.time) for s in rec.stamps] == [(body, time)]
    assert stamp.split(";")[0] not in rec.text


def test_forwarded_pdf_with_one_stamp_line(tmp_path, cv):
    pages = gazette_pages([cv], [""], stamp=False)
    pages[0].top = ["SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; Thời gian ký: 2025-08-20T15:14:49+07:00"]
    rec = parse_file(gazette_pdf(pages, tmp_path / "forwarded.pdf", issue=None))
    assert_cv_8151(rec)
    assert any(s.body == "CÔNG AN TỈNH LÂM ĐỒNG" for s in rec.stamps)


def test_stamp_of_the_government_portal_one_line():
    st = read_stamp("Ký bởi: Cổng Thông tin điện tử Chính phủ Email: thongtinchinhphu@chinhphu.vn "
                    "Cơ quan: Văn phòng Chính phủ Thời gian ký: 16.03.2015 11:02:35 +07:00")
    assert (st.body, st.time) == ("Văn phòng Chính phủ", "2015-03-16T11:02:35")


# --- text layer out of order -----------------------------------------------------------
def _preamble_first(text: str) -> str:
    lines = text.split("\n")
    a = next(i for i, ln in enumerate(lines) if ln.startswith("Căn cứ"))
    b = next(i for i, ln in enumerate(lines) if ln.startswith("QUYẾT ĐỊNH:"))
    return "\n".join(lines[a:b] + lines[:a] + lines[b:])


def test_header_after_the_preamble(tmp_path, qd):
    normal = parse_text(qd)
    path = tmp_path / "out_of_order.txt"
    path.write_text(_preamble_first(qd), encoding="utf-8")
    rec = parse_file(path)
    assert_qd_2536(rec)
    assert rec.title == normal.title
    rel = {c.key: c.relation for c in rec.citations if c.key}
    assert rel["126/2024/NĐ-CP"] == rel["123/2013/NĐ-CP"] == "basis"      # its Căn cứ lines, as in the truth set
    assert any("out of order" in w for w in rec.warnings)


def test_header_after_the_preamble_pdf(tmp_path, qd):
    """A PDF whose content stream draws the Căn cứ lines before the header block at the
    top of the page (one column, so no header zone is rebuilt): the text layer has the
    preamble first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from tests.fixtures_gen import DEJAVU
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    lines = _preamble_first(qd).split("\n")
    k = next(i for i, ln in enumerate(lines) if ln == "ỦY BAN NHÂN DÂN")
    preamble, rest = lines[:k], lines[k:]
    path = tmp_path / "out_of_order.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("DejaVu", 9)
    y0 = A4[1] - 60 - 15 * 14        # below the header block
    for j, ln in enumerate(preamble):
        c.drawString(50, y0 - 12 * j, ln)
    for j, ln in enumerate(rest[:14]):
        c.drawString(50, A4[1] - 60 - 14 * j, ln)
    y = y0 - 12 * len(preamble) - 12
    for ln in rest[14:40]:
        c.drawString(50, y, ln)
        y -= 12
    c.save()
    res = load(path)
    assert res.text.lstrip().startswith("Căn cứ")            # the text layer is out of order
    rec = parse_file(path)
    assert_qd_2536(rec)
    assert next(c for c in rec.citations if c.key == "126/2024/NĐ-CP").relation == "basis"


# --- number forms -------------------------------------------------------------------------
def test_one_line_number_of_a_standing_committee_resolution():
    # header of Nghị quyết 45/2024/UBTVQH15 as published (Ủy ban Thường vụ Quốc hội, 15-4-2024)
    rec = parse_text("ỦY BAN THƯỜNG VỤ\nQUỐC HỘI\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\n---------------\nNghị quyết số: 45/2024/UBTVQH15\n"
                     "Hà Nội, ngày 15 tháng 4 năm 2024\n\nNGHỊ QUYẾT\n"
                     "ĐIỀU CHỈNH CHƯƠNG TRÌNH XÂY DỰNG LUẬT, PHÁP LỆNH NĂM 2024\n\nỦY BAN THƯỜNG VỤ QUỐC HỘI\n"
                     "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
                     "Căn cứ Luật Tổ chức Quốc hội số 57/2014/QH13;\n")
    assert (rec.doc_type, rec.number, rec.symbol, rec.date) == ("nghị quyết", "45/2024/UBTVQH15", "2024/UBTVQH15",
                                                                "2024-04-15")
    assert rec.issuer.level == "central"
    assert "45/2024/UBTVQH15" not in [c.key for c in rec.citations]
    assert "57/2014/QH13" in [c.key for c in rec.citations]


def test_one_line_number_of_a_law():
    # Luật An ninh mạng: "Luật số: 24/2018/QH14", Hà Nội, ngày 12 tháng 6 năm 2018
    rec = parse_text("QUỐC HỘI\n--------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                     "Luật số: 24/2018/QH14\nHà Nội, ngày 12 tháng 6 năm 2018\n\nLUẬT\nAN NINH MẠNG\n\n"
                     "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
                     "Quốc hội ban hành Luật An ninh mạng.\n")
    assert (rec.doc_type, rec.number, rec.date) == ("luật", "24/2018/QH14", "2018-06-12")
    assert (rec.issuer.level, rec.issuer.unit) == ("central", "quốc hội")


def test_a_cited_one_line_form_in_a_body_stays_a_citation():
    # "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 …" opens body lines of realdocs reports
    rec = parse_text("UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\nSố: 1/BC-SNV\nLâm Đồng, ngày 1 tháng 12 năm 2025\n\nBÁO CÁO\n"
                     "Kết quả\n\nNghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính.\n")
    assert rec.number == "1/BC-SNV"
    assert "202/2025/QH15" in [c.key for c in rec.citations]


def test_dotted_number():
    # the form the issue reports read as "45": "Số: 45.3/2025/NQ-CP"
    rec = parse_text("CHÍNH PHỦ\nSố: 45.3/2025/NQ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 10 tháng 3 năm 2025\n\nNGHỊ QUYẾT\nVề việc thử\n")
    assert (rec.doc_type, rec.number, rec.symbol, rec.key) == ("nghị quyết", "45.3/2025/NQ-CP", "2025/NQ-CP",
                                                               "45.3/2025/NQ-CP")
    cited = parse_text("Căn cứ Nghị quyết số 45.3/2025/NQ-CP ngày 10/3/2025 của Chính phủ;").citations
    assert [c.key for c in cited] == ["45.3/2025/NQ-CP"]


def test_lettered_number():
    # a running number with a letter, as the issue lists it (no real example found in realdocs)
    rec = parse_text("BỘ NỘI VỤ\nSố: 12a/2025/TT-BNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 2 tháng 3 năm 2025\n\nTHÔNG TƯ\nVề việc thử\n")
    assert (rec.number, rec.doc_type) == ("12a/2025/TT-BNV", "thông tư")


def test_joint_circular_symbol_wrapped_over_lines():
    # joint symbols as published: 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC,
    # 02/2016/TTLT-BCA-BQP-BGTVT; the header column wraps the symbol after a hyphen
    rec = parse_text("BỘ CÔNG AN - BỘ QUỐC PHÒNG -\nBỘ TÀI CHÍNH - BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN -\n"
                     "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO\nSố: 01/2017/TTLT-BCA-BQP-BTC-\nBNN&PTNT-VKSNDTC\n"
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                     "Hà Nội, ngày 29 tháng 12 năm 2017\n\nTHÔNG TƯ LIÊN TỊCH\nQuy định việc phối hợp\n")
    assert rec.number == "01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC"
    assert rec.doc_type == "thông tư liên tịch"
    body = parse_text("Căn cứ Thông tư liên tịch số 02/2016/TTLT-BCA-BQP-\nBGTVT ngày 15/6/2016;").citations
    assert [(c.key, c.type) for c in body] == [("2/2016/TTLT-BCA-BQP-BGTVT", "thông tư liên tịch")]


def test_party_header():
    # Nghị quyết 57-NQ/TW (Bộ Chính trị, 22-12-2024), as the seeds cite it; Party header layout
    rec = parse_text("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 57-NQ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "Hà Nội, ngày 22 tháng 12 năm 2024\n\nNGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\n"
                     "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n")
    assert (rec.doc_type, rec.number, rec.symbol, rec.date) == ("nghị quyết", "57-NQ/TW", "TW", "2024-12-22")
    assert rec.issuer.level == "central"


# --- consolidated texts ------------------------------------------------------------------
VBHN_2026 = """VĂN BẢN HỢP NHẤT                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 10 /2026/VBHN-NĐ-BNV           Độc lập - Tự do - Hạnh phúc

                                   Hà Nội, ngày 14 tháng 8 năm 2026

NGHỊ ĐỊNH
Quy định về tuyển dụng, sử dụng và quản lý công chức

Nghị định số 170/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ
quy định về tuyển dụng, sử dụng và quản lý công chức, có hiệu lực kể từ ngày
01 tháng 7 năm 2025, được sửa đổi, bổ sung bởi:
Nghị định số 300/2026/NĐ-CP ngày 29 tháng 7 năm 2026 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 170/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức, có hiệu lực kể từ ngày 01 tháng 8 năm 2026.
Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
Theo đề nghị của Bộ trưởng Bộ Nội vụ;
Chính phủ ban hành Nghị định quy định về tuyển dụng, sử dụng và quản lý công chức.
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về tuyển dụng, sử dụng và quản lý công chức.
"""


def test_consolidated_text_number_on_top():
    # first page of VBHN 10/2026/VBHN-NĐ-BNV as extracted from its PDF (quoted in a public test set)
    rec = parse_text(VBHN_2026)
    assert (rec.doc_type, rec.number, rec.date) == ("văn bản hợp nhất", "10/2026/VBHN-NĐ-BNV", "2026-08-14")
    assert (rec.issuer.name, rec.issuer.level) == ("Bộ Nội vụ", "central")
    rel = {c.key: c.relation for c in rec.citations}
    assert rel["170/2025/NĐ-CP"] == "consolidates"
    assert rel["300/2026/NĐ-CP"] == "mentions"
    assert "10/2026/VBHN-NĐ-BNV" not in rel


def test_consolidated_text_number_at_the_end():
    # the older layout (Pháp lệnh Hợp nhất văn bản QPPL 2012): the opening is the consolidated
    # law's (its words as in the public consolidated texts of Luật Xử lý vi phạm hành chính),
    # the consolidated text's own number and date stand at the end above the certifying
    # signature. The number and date here are made up for the test.
    text = ("QUỐC HỘI                       CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "                               Độc lập - Tự do - Hạnh phúc\n\nLUẬT\nXỬ LÝ VI PHẠM HÀNH CHÍNH\n\n"
            "Luật Xử lý vi phạm hành chính số 15/2012/QH13 ngày 20 tháng 6 năm 2012 của Quốc hội, có hiệu lực "
            "kể từ ngày 01 tháng 7 năm 2013, được sửa đổi, bổ sung bởi:\n"
            "1. Luật Hải quan số 54/2014/QH13 ngày 23 tháng 6 năm 2014 của Quốc hội, có hiệu lực kể từ ngày "
            "01 tháng 01 năm 2015;\n"
            "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
            "Quốc hội ban hành Luật xử lý vi phạm hành chính.\n"
            "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về xử lý vi phạm hành chính.\n\n"
            "                                          XÁC THỰC VĂN BẢN HỢP NHẤT\n"
            "Số: 07/VBHN-VPQH                          CHỦ NHIỆM\n"
            "Hà Nội, ngày 15 tháng 12 năm 2022\n"
            "                                          Bùi Văn Cường\n")
    rec = parse_text(text)
    assert (rec.doc_type, rec.number, rec.date, rec.place) == ("văn bản hợp nhất", "07/VBHN-VPQH", "2022-12-15",
                                                               "Hà Nội")
    assert (rec.issuer.name, rec.issuer.level) == ("Văn phòng Quốc hội", "central")
    assert rec.title == "XỬ LÝ VI PHẠM HÀNH CHÍNH"
    rel = {c.key: c.relation for c in rec.citations}
    assert rel["15/2012/QH13"] == "consolidates" and rel["54/2014/QH13"] == "mentions"
    assert "07/VBHN-VPQH" not in rel


# --- web pages, MHT, RTF ----------------------------------------------------------------
QD_HEAD = [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("TỈNH LÂM ĐỒNG", "Độc lập - Tự do - Hạnh phúc"),
           ("Số: 2536 /QĐ-UBND", "Lâm Đồng, ngày 12 tháng 12 năm 2025")]
QD_BODY = ["QUYẾT ĐỊNH",
           "Về việc cho phép hợp nhất Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư tỉnh Bình Thuận (cũ), "
           "Đoàn Luật sư tỉnh Đắk Nông (cũ) thành Đoàn Luật sư tỉnh Lâm Đồng",
           "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
           "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
           "Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08 tháng 10 năm 2024 của Chính phủ tổ chức, hoạt động và quản lý hội;",
           "QUYẾT ĐỊNH:",
           "Điều 6. Quyết định này có hiệu lực kể từ ngày ký ban hành."]
RELATED = ["Quyết định 1234/QĐ-UBND năm 2024 về Đoàn Luật sư", "Nghị định 137/2018/NĐ-CP sửa đổi Nghị định 123/2013/NĐ-CP",
           "Thông tư 05/2021/TT-BTP hướng dẫn Luật Luật sư", "Công văn 999/STP-BTTP năm 2025"]


def _header_table(cls: str = "") -> str:
    rows = "".join(f"<tr><td{cls}><p align=center><b>{a}</b></p></td><td{cls}><p align=center><b>{b}</b></p></td></tr>"
                   for a, b in QD_HEAD)
    return f"<table border=0 width='100%'>{rows}</table>"


def _body_html() -> str:
    return "".join(f"<p>{p}</p>" for p in QD_BODY)


def portal_page(container: str) -> str:
    """A saved legal-portal page: menu, breadcrumb, toolbar, the document in the portal's
    container, a related-documents list, footer and scripts (the structure of the
    thuvienphapluat.vn and vbpl.vn document pages)."""
    related = "".join(f"<li><a href='/van-ban/{i}.aspx'>{t}</a></li>" for i, t in enumerate(RELATED))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Quyết định 2536/QĐ-UBND</title>
<script>var ga = 'Nghị định 999/2099/NĐ-CP';</script><style>.x{{color:red}}</style></head><body>
<div id="header"><ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản pháp luật</a></li>
<li><a href="/hd">Hỏi đáp pháp luật</a></li><li><a href="/login">Đăng nhập</a></li></ul></div>
<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/vb">Quyết định</a></div>
<div class="toolbar"><a>Lưu trữ</a><a>Ghi chú</a><a>Ý kiến</a><a>Facebook</a><a>Email</a><a>In</a></div>
{container.format(doc=_header_table() + _body_html())}
<div class="box-related"><h3>Văn bản liên quan</h3><ul>{related}</ul></div>
<div id="footer">Bản quyền thuộc Công ty. Hotline 1900 0000.</div>
<script>document.write('Thông tư 88/2099/TT-BXX');</script></body></html>"""


THUVIEN = "<div id='divContentDoc'><div class='content1'><div><div>{doc}</div></div></div></div>"
VBPL = "<div class='vbpq-tabs'><a>Toàn văn</a><a>Thuộc tính</a><a>Lược đồ</a></div><div id='toanvancontent'>{doc}</div>"


def assert_page_read(rec):
    assert_qd_2536(rec)
    assert rec.title.startswith("Về việc cho phép hợp nhất Đoàn Luật sư")
    for junk in ["Đăng nhập", "Lưu trữ", "Hotline", "Văn bản liên quan", "999/2099", "88/2099"] + RELATED:
        assert junk not in rec.text, junk
    assert "137/2018/NĐ-CP" not in [c.key for c in rec.citations]
    assert next(c for c in rec.citations if c.key == "126/2024/NĐ-CP").relation == "basis"   # its Căn cứ line


@pytest.mark.parametrize("container", [THUVIEN, VBPL], ids=["thuvienphapluat", "vbpl"])
@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_saved_portal_page(tmp_path, container, suffix):
    path = tmp_path / f"qd2536{suffix}"
    path.write_text(portal_page(container), encoding="utf-8")
    rec = parse_file(path)
    assert rec.format == "html" and rec.text_source == "html"
    assert_page_read(rec)


def test_page_without_a_known_container_drops_menus_and_link_lists(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(portal_page("<div class='main-col'>{doc}</div>"), encoding="utf-8")
    assert_page_read(parse_file(path))


def word_web_page(charset: str = "windows-1258") -> bytes:
    """What Word writes for "Save as Web Page" (.htm, often renamed .doc): Office XML
    namespaces, conditional comments, MsoNormal paragraphs in div.WordSection1, a
    borderless header table."""
    html = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=ProgId content=Word.Document><!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal{{margin:0cm}}</style></head><body lang=VI><div class=WordSection1>
{_header_table(" class=MsoNormal")}
{"".join(f"<p class=MsoNormal>{p}</p>" for p in QD_BODY)}
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span>1.<span>&nbsp;&nbsp;</span></span><![endif]>Giao Sở Tư pháp hướng dẫn Đoàn Luật sư.</p>
</div></body></html>"""
    return html.encode("utf-8") if charset.lower() == "utf-8" else cp1258(html)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: base letters with their vowel marks (ư, ơ, â, ă, ê, ô)
    precomposed, tone marks as combining characters."""
    import unicodedata
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(m for m in d if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(m for m in d if m not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


@pytest.mark.parametrize("suffix", [".doc", ".docx", ".htm"])
def test_word_file_that_is_really_a_web_page(tmp_path, suffix):
    path = tmp_path / f"qd2536{suffix}"
    path.write_bytes(word_web_page())
    rec = parse_file(path)
    assert rec.status == "ok" and rec.format == "html"
    assert_qd_2536(rec)
    assert rec.tasks and rec.tasks[-1].text == "Giao Sở Tư pháp hướng dẫn Đoàn Luật sư."
    if suffix != ".htm":
        assert any("really a saved web page" in w for w in rec.warnings)


def test_word_file_that_is_really_mht(tmp_path):
    """Word's "Single File Web Page" (.mht, often renamed .doc): MIME headers, a
    multipart/related body, the page quoted-printable in its declared charset."""
    import quopri
    page = quopri.encodestring(word_web_page("utf-8")).decode("ascii")
    boundary = "----=_NextPart_01DB0000.12345678"
    mht = (f"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=\"{boundary}\"\n\n"
           f"This document is a Single File Web Page, also known as a Web Archive file.\n\n--{boundary}\n"
           f"Content-Location: file:///C:/qd2536.htm\nContent-Transfer-Encoding: quoted-printable\n"
           f"Content-Type: text/html; charset=\"utf-8\"\n\n{page}\n--{boundary}--\n")
    path = tmp_path / "qd2536.doc"
    path.write_text(mht, encoding="ascii")
    rec = parse_file(path)
    assert rec.status == "ok" and rec.text_source == "mht"
    assert_qd_2536(rec)


def _rtf_escape(s: str) -> str:
    return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in s)


def rtf_document() -> bytes:
    """An RTF as Word writes it: font table, a header table of two columns, paragraphs."""
    rows = "".join("\\trowd\\cellx4500\\cellx9000 " + _rtf_escape(a) + "\\cell " + _rtf_escape(b) + "\\cell\\row\n"
                   for a, b in QD_HEAD)
    body = "".join("\\pard " + _rtf_escape(p) + "\\par\n" for p in QD_BODY)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}{\\*\\generator Word;}"
            "{\\header Trang \\chpgn\\par}\n" + rows + body + "}").encode("ascii")


@pytest.mark.parametrize("suffix", [".rtf", ".doc"])
def test_rtf(tmp_path, suffix):
    path = tmp_path / f"qd2536{suffix}"
    path.write_bytes(rtf_document())
    rec = parse_file(path)
    assert rec.status == "ok" and rec.format == "rtf" and rec.text_source == "rtf"
    assert_qd_2536(rec)
    assert "Trang" not in rec.text


def test_ingest_walks_every_extension_parse_reads(tmp_path):
    from cascade.files import walk
    for name in ("a.html", "b.htm", "c.rtf", "d.mht", "e.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(p.name for p in walk([tmp_path])) == ["a.html", "b.htm", "c.rtf", "d.mht", "e.txt"]
