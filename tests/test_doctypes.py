"""The document-type table (cascade/data/doc_types.tsv) through cascade.doctypes."""
from __future__ import annotations

import pytest

from cascade import doctypes


def test_table_loads_and_names_are_unique_lower_case():
    names = [t.name for t in doctypes.all_types()]
    assert len(names) == len(set(names))
    assert all(n == n.lower() for n in names)
    for required in ("công văn", "chỉ thị", "kế hoạch", "quyết định", "tờ trình", "báo cáo", "thông báo",
                     "nghị quyết", "nghị định", "quy định", "kết luận", "luật", "hướng dẫn", "công điện",
                     "giấy mời", "phiếu trình", "thông tư", "thông tư liên tịch", "pháp lệnh", "chương trình",
                     "đề án", "phương án", "quy chế", "biên bản", "hợp đồng", "thông cáo", "văn bản hợp nhất",
                     "lệnh", "sắc lệnh", "điều lệ"):
        assert required in names, required


def test_all_names_longest_first():
    names = doctypes.all_names()
    assert names.index("thông tư liên tịch") < names.index("thông tư")
    assert names.index("bộ luật") < names.index("luật")


@pytest.mark.parametrize("code,party,name", [
    ("NQ", False, "nghị quyết"), ("QĐ", False, "quyết định"), ("QĐ", True, "quy định"),
    ("QĐi", True, "quy định"), ("CT", False, "chỉ thị"), ("KH", False, "kế hoạch"), ("KH", True, "kế hoạch"),
    ("TTr", False, "tờ trình"), ("TTR", False, "tờ trình"), ("TB", False, "thông báo"), ("BC", False, "báo cáo"),
    ("HD", False, "hướng dẫn"), ("CV", False, "công văn"), ("CĐ", False, "công điện"), ("GM", False, "giấy mời"),
    ("QyĐ", False, "quy định"), ("TT", False, "thông tư"), ("TTLT", False, "thông tư liên tịch"),
    ("VBHN", False, "văn bản hợp nhất"), ("KL", True, "kết luận"), ("CTr", False, "chương trình"),
    ("ĐA", False, "đề án"), ("DA", False, "dự án"), ("NĐ", False, "nghị định"),
    ("N\u00d0", False, "nghị định"),            # Icelandic Eth look-alike of Đ
    ("KHPH", False, "kế hoạch"), ("CTrPH", False, "chương trình"),
    ("UBND", False, None), ("TTg", False, None), ("", False, None),
])
def test_type_from_code(code, party, name):
    assert doctypes.type_from_code(code, party=party) == name


@pytest.mark.parametrize("text,name", [
    ("Nghị định", "nghị định"), ("NGHỊ ĐỊNH", "nghị định"), ("nghị định", "nghị định"),
    ("Thông tư liên tịch", "thông tư liên tịch"), ("thông tư", "thông tư"),
    ("Quyết  định", "quyết định"),               # justified text: two spaces
    ("Giấy ủy quyền", "giấy ủy quyền"), ("Giấy uỷ quyền", "giấy ủy quyền"),   # old tone placement
    ("Bản thoả thuận", "bản thỏa thuận"),
    ("Điều lệ", "điều lệ"), ("Bộ luật", "bộ luật"),
    ("Nghị", None), ("Quyết định số", None), ("văn bản", None),
])
def test_type_from_name(text, name):
    assert doctypes.type_from_name(text) == name


@pytest.mark.parametrize("line,name", [
    ("KẾ HOẠCH", "kế hoạch"), ("QUYẾT ĐỊNH", "quyết định"), ("## CHỈ THỊ", "chỉ thị"),
    ("**TỜ TRÌNH**", "tờ trình"), ("PHIẾU TRÌNH", "phiếu trình"),
    ("PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC", "phiếu trình"), ("ĐIỀU LỆ (SỬA ĐỔI, BỔ SUNG)", "điều lệ"),
    ("ĐIỆU LỆ", "điều lệ"),                      # typo in a real charter: still the heading
    ("K Ế  H O Ạ C H", "kế hoạch"), ("CHƯƠNG TRÌNH PHỐI HỢP", "chương trình"),
    ("QUYẾT ĐỊNH:", None),                       # the operative clause, not the heading
    ("QUY ĐỊNH CHUNG", None),                    # a chapter title
    ("Kế hoạch", None),                          # not upper case
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None), ("", None),
])
def test_heading_type(line, name):
    assert doctypes.heading_type(line) == name


def test_every_row_has_a_heading_and_a_kind():
    for t in doctypes.all_types():
        assert t.headings and all(h == h.upper() for h in t.headings), t.name
        assert t.kinds and set(t.kinds) <= {"administrative", "normative", "party"}, t.name


def test_unnumbered_rules():
    assert doctypes.get("luật").unnumbered == "title"
    assert doctypes.get("hiến pháp").unnumbered == "year"
    assert "Đại hội" in doctypes.get("nghị quyết").unnumbered_starts
    assert not doctypes.get("kế hoạch").citable_without_number
