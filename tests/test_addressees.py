"""Whom a duty is given to (issue 10): cascade.registry.addressees reads the list a duty opens with,
`addresses` says whether a document's issuer is on it, and `align` leaves out the duties given to
someone else ("not addressed to this document": never dropped).

Expected values were read in the documents (tests/truth/pairs.json has the same items with
`applies` and a note): QĐ 2536 Điều 4 is given to the three former bar associations, not to the
Sở Tư pháp whose Tờ trình carries the decision out; in the CCHC meeting invitation item 6 gives the
summary report to the Sở Nội vụ (`Giao Sở Nội vụ chuẩn bị …`) and other preparation to four named
bodies (`Các sở, ngành: Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ, Sở Tư pháp, Sở Tài chính …`);
in Công điện 2003/CĐ-VPCP `Bộ Công an:` and `Bộ Y tế:` are ministries' duties, `Ủy ban nhân dân các
tỉnh, thành phố chịu trách nhiệm …` the provinces'; in Đề án 1187/QĐ-BNV IV.1.a is the ministry's
(`Bộ Nội vụ, cơ quan chủ trì …:`), IV.1.b the ministries' and provinces' (`Các bộ, các tỉnh:`).
"""
from __future__ import annotations

import pytest

from cascade.align import ELSEWHERE, align_records
from cascade.models import Issuer
from cascade.registry import addressees, addresses
from tests.conftest import REALDOCS

PAR = ("Tờ trình 45 Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần "
       "Chỉ số cải cách hành chính năm 2025 của tỉnh Lâm Đồng/")
SO_NOI_VU = Issuer(name="SỞ NỘI VỤ", level="province", unit="sở", locality="Lâm Đồng",
                   parent="UBND TỈNH LÂM ĐỒNG", province="Lâm Đồng")
SO_TU_PHAP = Issuer(name="SỞ TƯ PHÁP", level="province", unit="sở", parent="UBND TỈNH LÂM ĐỒNG")
UBND_TINH = Issuer(name="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", level="province", unit="tỉnh", locality="Lâm Đồng")
BO_NOI_VU = Issuer(name="BỘ NỘI VỤ", level="central", unit="bộ")


def parsed(rel: str):
    from cascade import parse_file
    p = REALDOCS / rel
    if not p.exists():
        pytest.skip(f"{p} is not beside the checkout")
    return parse_file(p)


def read(text: str) -> list[tuple[str, str]]:
    return [(a.kind, a.text) for a in addressees(text)]


@pytest.mark.parametrize("text, expected", [
    ("Bộ Công an:", [("body", "Bộ Công an")]),
    ("Các bộ, các tỉnh:", [("unit", "bộ"), ("level", "tỉnh")]),
    ("Giao Sở Nội vụ chuẩn bị nội dung để báo cáo Tóm tắt kết quả", [("body", "Sở Nội vụ")]),
    ("Phân công chuẩn bị: Giao Sở Nội vụ chuẩn bị nội dung để trình chiếu số liệu", [("body", "Sở Nội vụ")]),
    ("Các sở, ngành: Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ, Sở Tư pháp, Sở Tài chính chuẩn bị",
     [("body", "Văn phòng UBND tỉnh"), ("body", "Sở Khoa học và Công nghệ"), ("body", "Sở Tư pháp"),
      ("body", "Sở Tài chính")]),
    ("Ủy ban nhân dân các tỉnh, thành phố chịu trách nhiệm kết nối", [("level", "Ủy ban nhân dân các tỉnh, thành phố")]),
    ("Chủ tịch Ủy ban nhân dân cấp xã.", [("level", "Ủy ban nhân dân cấp xã")]),
    ("Phó Thủ tướng Chính phủ Lê Thành Long.", [("body", "Thủ tướng Chính phủ")]),
    ("Đoàn Luật sư tỉnh Lâm Đồng (cũ), Đoàn Luật sư tỉnh Bình Thuận (cũ) có trách nhiệm",
     [("body", "Đoàn Luật sư tỉnh Lâm Đồng"), ("body", "Đoàn Luật sư tỉnh Bình Thuận")]),
    ("Các Bộ, cơ quan, địa phương dự Hội nghị", [("unit", "Bộ"), ("any", "cơ quan"), ("level", "địa phương")]),
    # the sender, not the addressee; an apposition is no class; running words are no bodies
    ("Văn phòng Chính phủ trân trọng đề nghị:", []),
    ("Chủ tịch Ủy ban nhân dân tỉnh giao Sở Nội vụ nghiên cứu", [("body", "Sở Nội vụ")]),
    ("Bộ Nội vụ, cơ quan chủ trì triển khai Đề án:", [("body", "Bộ Nội vụ")]),
    # an introductory clause before the subject (12094/BNV-CCHC 2.a and 1.a)
    ("Mẫu phiếu điều tra XHH: Căn cứ quy định tại Quyết định số 1187/QĐ-BNV, Bộ Nội vụ sẽ tiến hành",
     [("body", "Bộ Nội vụ")]),
    ("Căn cứ kết quả cải cách hành chính thực tế đạt được, các bộ, tỉnh triển khai", [("unit", "bộ"), ("level", "tỉnh")]),
    ("Tổ chức thực hiện", []), ("Ban hành các văn bản hướng dẫn các bộ", []),
    ("Bố trí đủ kinh phí, nhân lực", []), ("Báo cáo kết quả tự đánh giá", []),
    ("Lãnh đạo phòng chuyên môn thuộc sở: Khảo sát", []),
])
def test_addressee_lists(text, expected):
    assert read(text) == expected


def test_issuers_on_the_list():
    assert addresses(addressees("Các bộ, các tỉnh:"), SO_NOI_VU)          # a provincial body, province level
    assert addresses(addressees("Các bộ, các tỉnh:"), BO_NOI_VU)          # a ministry
    assert not addresses(addressees("Bộ Công an:"), UBND_TINH)
    assert not addresses(addressees("Bộ Công an:"), BO_NOI_VU)            # another ministry
    assert addresses(addressees("Bộ Nội vụ, cơ quan chủ trì triển khai Đề án:"), BO_NOI_VU)
    assert addresses(addressees("Ủy ban nhân dân tỉnh Lâm Đồng chủ trì"), SO_NOI_VU)   # the body it works under
    assert not addresses(addressees("Giao Sở Nội vụ chuẩn bị"), SO_TU_PHAP)
    assert addresses(addressees("Giao Sở Nội vụ chuẩn bị"), SO_NOI_VU)
    assert addresses(addressees("Ủy ban nhân dân các tỉnh, thành phố chịu trách nhiệm"), UBND_TINH)
    assert not addresses(addressees("Ủy ban nhân dân cấp xã tổ chức"), UBND_TINH)
    # nobody named, or an issuer we do not know: cannot tell (the duty is counted)
    assert addresses(addressees("Xây dựng báo cáo tóm tắt"), SO_NOI_VU) is None
    assert addresses(addressees("Bộ Công an:"), Issuer()) is None
    # an issuer known by its level only: a ministry's duty is not a province's
    assert not addresses(addressees("Bộ Công an:"), Issuer(level="province"))
    assert addresses(addressees("Các bộ, các tỉnh:"), Issuer(level="central"))


def test_a_bar_associations_duty_is_not_the_departments_drop():
    folder = ("Tờ trình 85 STP phê duyệt Đề án tổ chức Đại hội Đoàn Luật sư tỉnh Lâm Đồng lần thứ I, "
              "nhiệm kỳ 2026 - 2031/")
    parent, child = parsed(folder + "QĐ 2536 SÁP NHẬP ĐLS.pdf"), parsed(folder + "TỜ TRÌNH SỞ TƯ PHÁP.pdf")
    assert child.issuer.name == "SỞ TƯ PHÁP"
    al = align_records(parent, child)
    assert "4" not in {p.parent for p in al.pairs} and al.not_compared[ELSEWHERE] >= 1


def test_named_departments_narrow_the_class():
    folder = "CV CHUNG/Họp đánh giá công tác cải cách hành chính năm 2025 và triển khai nhiệm vụ năm 2026/"
    parent = parsed(folder + "Giấy mời họp CCHC.doc")
    child = parsed("CV CHUNG/Giao SNV chuẩn bị nội dung Đc Phúc họp chỉ số/Bao cao cac chi so cua tinh 06.11s.docx")
    assert child.issuer.name == "SỞ NỘI VỤ"
    compared = {p.parent for p in align_records(parent, child).pairs if p.parent}
    assert "6.1" in compared            # `Giao Sở Nội vụ chuẩn bị …`: the Sở Nội vụ's
    assert "6.2" not in compared        # `Các sở, ngành: Văn phòng UBND tỉnh, Sở Khoa học …`: not


def test_a_ministrys_duties_and_the_provinces():
    parent = parsed(PAR + "1187 BNV QĐ ban hanh bo chi so CCHC.pdf")
    child = parsed(PAR + "TTr BC cham diem PAR Index Lam Dong 2025.pdf")
    compared = {p.parent for p in align_records(parent, child).pairs if p.parent}
    assert not [p for p in compared if p.startswith("IV.1.a")]        # Bộ Nội vụ's own
    assert {"IV.1.b.1", "IV.1.b.2", "IV.1.b.3", "IV.1.b.5"} <= compared   # `Các bộ, các tỉnh:`
    assert "IV.1.b.4" not in compared    # `Các bộ, cơ quan ngang bộ: Tài chính; Tư pháp …`
    # the ministry's own guide (Bộ Nội vụ, 12094) is the addressee of IV.1.a
    guide = parsed(PAR + "12094 CV_HuongdantrienkhaiDean_2025.pdf")
    assert {"IV.1.a.1", "IV.1.a.3"} <= {p.parent for p in align_records(parent, guide).pairs if p.parent}


def test_the_governments_office_writes_to_ministries_and_provinces():
    folder = "Kế hoạch tổ chức hội nghị CTMTQG ma tuy sáng 09-10/"
    parent, child = parsed(folder + "2003_CD-VPCP_07102025_2-signed.pdf"), parsed(folder + "Giay moi hoi nghi CTMTQG ma túy.doc")
    compared = {p.parent for p in align_records(parent, child).pairs if p.parent}
    assert not [p for p in compared if p.startswith(("III.1", "III.2"))]    # Bộ Công an, Bộ Y tế
    assert "II.2.3" in compared                                             # UBND các tỉnh, thành phố


# ---------------------------------------------------------------- duties carried by being the document
def test_what_a_duty_asks_to_produce():
    from cascade.align.delivered import asked_types, child_types, delivers
    assert asked_types("Xây dựng báo cáo tóm tắt tình hình thực hiện các chỉ số PAR INDEX") == {"báo cáo"}
    assert asked_types("Hoàn thành dự thảo báo cáo và chương trình họp") == {"báo cáo"}
    assert asked_types("Phân tích, đánh giá các yếu tố ảnh hưởng đến kết quả các chỉ số") == set()
    assert asked_types("Báo cáo kết quả tự đánh giá phải do lãnh đạo bộ, tỉnh phê duyệt") == {"báo cáo"}  # prescribes it
    assert asked_types("Gửi kết quả về Bộ Nội vụ trước ngày 31/12, kèm báo cáo") == set()  # no production verb
    assert "bao cao" in child_types("tờ trình", "Về việc Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm")
    # the same subject is needed: a report on something else does not deliver it
    assert not delivers("Xây dựng báo cáo tổng kết công tác phòng cháy chữa cháy", "báo cáo",
                        "Tình hình thực hiện các chỉ số PAR Index, SIPAS, PAPI, PCI")
    assert not delivers("Xây dựng kế hoạch tình hình thực hiện các chỉ số", "báo cáo",
                        "Tình hình thực hiện các chỉ số PAR Index")          # not the type asked for


def test_a_report_carries_the_duty_to_write_it():
    # The People's Committee's letter (an unnumbered draft of 6484/UBND-NC) asks the Sở Nội vụ: "1. Xây dựng
    # báo cáo tóm tắt tình hình thực hiện các chỉ số PAR INDEX, PAPI, SIPAS, PCI …: - Giai đoạn năm 2024 …
    # - Từ tháng 01/2025 đến nay …"; the child is that report ("TÌNH HÌNH THỰC HIỆN CÁC CHỈ SỐ PAR INDEX,
    # SIPAS, PAPI, PCI, 766 CỦA TỈNH LÂM ĐỒNG", with the 2024 results and the 2025 situation): truth carried.
    # Items 2-3 (analysis, programme) ask for no document: the rule leaves them to the aligner.
    folder = "CV CHUNG/Giao SNV chuẩn bị nội dung Đc Phúc họp chỉ số/"
    parent = parsed(folder + "giao SNV chuẩn bị cuộc họp đánh giá các chỉ số.doc")
    child = parsed(folder + "Bao cao cac chi so cua tinh 06.11s.docx")
    kinds = {p.parent: p.kind for p in align_records(parent, child).pairs if p.parent}
    assert kinds["1.1"] == kinds["1.2"] == "carried by the document itself"
    assert kinds.get("2") != "carried by the document itself"
    # the province's Tờ trình submitting its self-assessment report carries 1187/QĐ-BNV IV.1.b.2
    # ("Tổng hợp số liệu, xây dựng báo cáo tự chấm điểm xác định Chỉ số CCHC"); the ministry's guide
    # (a công văn, not a report) does not
    p1187 = parsed(PAR + "1187 BNV QĐ ban hanh bo chi so CCHC.pdf")
    ttr = parsed(PAR + "TTr BC cham diem PAR Index Lam Dong 2025.pdf")
    guide = parsed(PAR + "12094 CV_HuongdantrienkhaiDean_2025.pdf")
    assert {p.parent: p.kind for p in align_records(p1187, ttr).pairs}["IV.1.b.2"] == "carried by the document itself"
    assert {p.parent: p.kind for p in align_records(p1187, guide).pairs}["IV.1.b.2"] == "dropped"


def test_a_submitted_report_carries_what_the_guide_prescribes_for_it():
    # 12094/BNV-CCHC 1.a, 4th dash: "Báo cáo kết quả tự đánh giá, chấm điểm xác định Chỉ số CCHC phải do lãnh
    # đạo bộ, tỉnh phê duyệt …, gồm các nội dung chính sau: + Bảng tổng hợp …; + Giải trình …; + Những khó
    # khăn …" — the province's Tờ trình 45 "Về việc Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm …" submits
    # that report (truth: 1.a carried). 2.a ("Căn cứ …, Bộ Nội vụ sẽ tiến hành …") is the ministry's own.
    guide = parsed(PAR + "12094 CV_HuongdantrienkhaiDean_2025.pdf")
    ttr = parsed(PAR + "TTr BC cham diem PAR Index Lam Dong 2025.pdf")
    kinds = {p.parent: p.kind for p in align_records(guide, ttr).pairs if p.parent}
    assert {kinds[p] for p in kinds if p.startswith("1.a.4.")} == {"carried by the document itself"}
    assert "2.a" not in kinds
    assert kinds["2.c"] == "dropped"      # the survey list: truly not in the Tờ trình
