"""Citation relations (issue 10) read from the wording, on sentences copied from ../shared/realdocs.

Every sentence below is quoted from the document named in its comment (the same passages stand as
`evidence` in tests/truth/relations.json); the expected relation is the one a reader gives it under
the definitions of docs/schema.md ("Citation relations"), decided by reading, not from the parser.
The documents are assembled from those sentences so that the opening, subject and sections are
where the real documents have them.
"""
from __future__ import annotations

import pytest

from cascade.models import RELATIONS, relation_rank, strongest
from cascade.parse.pipeline import parse_text


def _relations(text: str) -> dict[str, str]:
    rec = parse_text(text)
    return {c.number or c.title: c.relation for c in rec.citations}


def test_decision_preamble_basis_request_and_replaced_decision():
    # Quyết định kiện toàn Đội UCSC (Tờ trình 197 CAT): Căn cứ lines are its legal ground, the Công an's
    # Tờ trình and the Sở Nội vụ's opinion are the requests it decides on, Điều 3 replaces decision 607
    text = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 1234/QĐ-UBND
Lâm Đồng, ngày 01 tháng 10 năm 2025

QUYẾT ĐỊNH
Về việc kiện toàn Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Lâm Đồng

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG

Căn cứ Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015;
Căn cứ Nghị định số 02/2025/NĐ-CP ngày 18 tháng 02 năm 2025 của Chính phủ quy định chức năng, nhiệm vụ;
Theo đề nghị của Giám đốc Công an tỉnh tại Tờ trình số 197/TTr-CAT(PA05) ngày 19 tháng 9 năm 2025 và ý kiến của Sở Nội vụ tại Công văn số 1547/SNV-TCBC ngày 18 tháng 9 năm 2025.

QUYẾT ĐỊNH:

Điều 1. Kiện toàn Đội ứng cứu sự cố an toàn thông tin mạng tỉnh Lâm Đồng.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký ban hành và thay thế Quyết định số 607/QĐ-UBND ngày 04 tháng 4 năm 2024 của Ủy ban nhân dân tỉnh Lâm Đồng.
"""
    rel = _relations(text)
    assert rel["02/2025/NĐ-CP"] == "basis"
    assert rel["197/TTr-CAT(PA05)"] == "responds"
    assert rel["1547/SNV-TCBC"] == "responds"         # named in the same `Theo đề nghị` clause
    assert rel["607/QĐ-UBND"] == "replaces"
    assert [r for t, r in rel.items() if t and "An toàn thông tin mạng" in t] == ["basis"]


def test_subject_carries_out_a_ministry_letter_received():
    # CV giao triển khai thực hiện 427 BCA: the subject says it carries the letter out
    text = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 512/UBND-NC
V/v triển khai thực hiện Công văn số 427/BCA-C04 của Bộ Công an
Lâm Đồng, ngày 05 tháng 02 năm 2026
Kính gửi: Công an tỉnh
Ủy ban nhân dân tỉnh nhận được Công văn số 427/BCA-C04 ngày 02/02/2026 của Bộ Công an. Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:
1. Giao Công an tỉnh chủ trì, tham mưu triển khai.
"""
    assert _relations(text)["427/BCA-C04"] == "implements"


def test_received_from_below_is_a_request_answered():
    # 1005 SNV Tờ trình: the Hội's report reached the Sở Nội vụ; the decree is the ground of its review
    text = """SỞ NỘI VỤ
Số: 1005/TTr-SNV
Bình Thuận, ngày 20 tháng 4 năm 2025
TỜ TRÌNH
Về việc thông báo kết quả đại hội Hội Nữ doanh nhân tỉnh Bình Thuận
Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh
Sở Nội vụ nhận được Văn bản số 01/BC-HNDN ngày 14/4/2025 của Hội Nữ doanh nhân tỉnh về việc báo cáo kết quả Đại hội.
Sau khi rà soát hồ sơ kèm theo Văn bản số 01/BC-HNDN và căn cứ Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ quy định quản lý về tổ chức, hoạt động và quản lý hội, Sở Nội vụ báo cáo Chủ tịch Ủy ban nhân dân tỉnh nội dung như sau:
1. Căn cứ khoản 3 Điều 15 Nghị định số 126/2024/NĐ-CP thì Chủ tịch Ủy ban nhân dân tỉnh có thẩm quyền.
"""
    rel = _relations(text)
    assert rel["01/BC-HNDN"] == "responds"
    assert rel["126/2024/NĐ-CP"] == "basis"


def test_a_draft_named_in_the_subject_does_the_replacing_not_the_letter():
    # CV xin ý kiến ngoài Bộ (Gửi góp ý Thông tư Bộ TC): the letter carries out the Prime Minister's
    # direction; the draft circular, not the letter, will replace 244/2016/TT-BTC
    text = """BỘ TÀI CHÍNH
Số: 1127/BTC-CST
V/v dự thảo Thông tư thay thế Thông tư số 244/2016/TT-BTC ngày 11/11/2016
Hà Nội, ngày 24 tháng 01 năm 2025
Kính gửi: Ủy ban nhân dân các tỉnh
Thực hiện ý kiến chỉ đạo tại Công văn số 656/TTg-KSTT ngày 24/8/2024 của Thủ tướng Chính phủ, Bộ Tài chính đã xây dựng dự thảo Thông tư.
"""
    rel = _relations(text)
    assert rel["244/2016/TT-BTC"] == "mentions"
    assert rel["656/TTg-KSTT"] == "implements"


def test_a_document_named_inside_another_ones_description_is_mentioned():
    # Báo cáo đề nghị công nhận chức danh (Công văn 1984 SNV): 227/MTTQ-BTT is attached to 4377
    text = """SỞ NỘI VỤ
Số: 1984/SNV-TCBC
V/v báo cáo đề nghị công nhận chức danh các Hội quần chúng do Đảng, Nhà nước giao nhiệm vụ
Lâm Đồng, ngày 09 tháng 10 năm 2025
Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng
Thực hiện ý kiến chỉ đạo của UBND tỉnh tại Công văn số 4377/UBND-NC ngày 30/9/2025 về việc xem xét đề nghị của Ủy ban MTTQ Việt Nam tỉnh Lâm Đồng (kèm theo Công văn số 227/MTTQ-BTT ngày 25/9/2025 của Ban Thường trực Ủy ban MTTQ Việt Nam về đề nghị công nhận chức danh lãnh đạo các hội), Sở Nội vụ báo cáo như sau:
1. Ngày 06/10/2025, Bộ Nội vụ ban hành Công văn số 8977/BNV-TCPCP về việc trả lời đề nghị của Sở Nội vụ tỉnh Lâm Đồng.
"""
    rel = _relations(text)
    assert rel["4377/UBND-NC"] == "implements"
    assert rel["227/MTTQ-BTT"] == "mentions"
    assert rel["8977/BNV-TCPCP"] == "mentions"       # the report's account, not what it carries out


def test_legal_basis_section_of_a_submission():
    # Trình UBND tỉnh giải thể Hiệp hội rau quả (Tờ trình 143): section 1 is the legal ground, even
    # where it narrates; section 3's opinion letter is only mentioned; a decree the basis one
    # replaced is not a ground (3367-UB- báo cáo: "… thay thế Nghị định số 45/2010/NĐ-CP")
    text = """SỞ NỘI VỤ
Số: 143/TTr-SNV
Lâm Đồng, ngày 10 tháng 11 năm 2025
TỜ TRÌNH
Về việc giải thể Hiệp hội rau quả Đà Lạt
Kính gửi: Ủy ban nhân dân tỉnh
1. Sự cần thiết và cơ sở pháp lý giải thể Hiệp hội rau quả Đà Lạt
- Tại Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung ương Đảng về sắp xếp tổ chức bộ máy.
- Ngày 08/10/2024, Chính phủ ban hành Nghị định số 126/2024/NĐ-CP quy định về tổ chức, hoạt động và quản lý hội, có hiệu lực thi hành từ 26/11/2024, thay thế Nghị định số 45/2010/NĐ-CP ngày 21/4/2010 của Chính phủ.
2. Nội dung đề nghị
Hiệp hội đã ngừng hoạt động.
3. Ý kiến của cơ quan tham mưu
Tại Công văn số 2601/SVHTTDL-QLTDTT ngày 02/12/2025 của Sở Văn hóa, Thể thao và Du lịch thống nhất giải thể.
"""
    rel = _relations(text)
    assert rel["60-NQ/TW"] == "basis"
    assert rel["126/2024/NĐ-CP"] == "basis"
    assert rel["45/2010/NĐ-CP"] == "mentions"
    assert rel["2601/SVHTTDL-QLTDTT"] == "mentions"


def test_a_plan_whose_title_carries_out_a_resolution_implements_it_under_a_can_cu_opening():
    # the seed-004 rule (gold README): a Kế hoạch `thực hiện Nghị quyết …` implements it even when
    # its opening says `Căn cứ`; the subject/title rule
    text = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 88/KH-UBND
Lâm Đồng, ngày 10 tháng 3 năm 2025
KẾ HOẠCH
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị
Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;
Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ;
1. Các sở triển khai.
"""
    rel = _relations(text)
    assert rel["57-NQ/TW"] == "implements"
    assert rel["126/2024/NĐ-CP"] == "basis"


def test_strongest_relation_wins_and_ties_do_not_depend_on_order():
    assert strongest(["basis", "mentions", "responds"]) == "responds"
    assert strongest(["basis", "implements", "responds"]) == "implements"
    assert strongest(["replaces", "amends"]) == strongest(["amends", "replaces"]) == "amends"
    assert strongest([]) == "mentions"
    ranks = [relation_rank(r) for r in RELATIONS]
    assert ranks == sorted(ranks)                     # RELATIONS is listed strongest first


@pytest.mark.parametrize("relation", ["implements", "responds", "replaces", "basis", "mentions"])
def test_every_relation_of_the_truth_set_is_a_model_constant(relation):
    assert relation in RELATIONS


def test_an_office_memo_processes_the_submission_it_names():
    # Phieu trinh 629.doc (BÁO CÁO/Tờ trình 629): the office's Phiếu trình processes the Sở Nội vụ's
    # Tờ trình — a request answered; for a ministry's letter (2025-9-19 Phieu trinh CV 8151 BNV.doc)
    # the same line names an instruction to carry out
    memo = """VĂN PHÒNG UBND TỈNH
PHIẾU TRÌNH
Kính gửi:
- Lãnh đạo UBND tỉnh;
I. NỘI DUNG TRÌNH/CHỈ ĐẠO
1. Văn bản/cơ quan, đơn vị: {cited}
2. Trích yếu nội dung: báo cáo công tác cải cách hành chính năm 2025.
"""
    assert _relations(memo.format(cited="Tờ trình số 629/TTr-SNV ngày 12/12/2025 của Sở Nội vụ."))[
        "629/TTr-SNV"] == "responds"
    assert _relations(memo.format(cited="Công văn số 8151/BNV-CCHC ngày 18/9/2025 của Bộ Nội vụ."))[
        "8151/BNV-CCHC"] == "implements"


def test_a_subject_taking_up_a_subordinates_proposal_responds_to_it():
    # Ho tro kinh phi PCTP ma tuy.docx: "V/v tham mưu xử lý kiến nghị của Công an tỉnh tại Công văn
    # số 1413/CAT-PC04(Đ1)" — the Công an tỉnh's proposal reached the province
    text = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: /UBND-NC
V/v tham mưu xử lý kiến nghị của Công an tỉnh tại Công văn số 1413/CAT-PC04(Đ1)
Lâm Đồng, ngày 10 tháng 11 năm 2025
Kính gửi: Sở Tài chính
1. Giao Sở Tài chính chủ trì, tham mưu.
"""
    assert _relations(text)["1413/CAT-PC04(Đ1)"] == "responds"


def test_a_submissions_capital_letter_legal_basis_section():
    # Tờ trình 93 SNV (hợp nhất, đổi tên các Hội do Đảng, Nhà nước): its top sections are lettered
    # "A.", "B."; the citations under "A. SỰ CẦN THIẾT VÀ CƠ SỞ PHÁP LÝ" are its legal ground
    text = """UBND TỈNH LÂM ĐỒNG
SỞ NỘI VỤ
Số: 93/TTr-SNV
Lâm Đồng, ngày 08 tháng 8 năm 2025

TỜ TRÌNH
Về việc cho phép hợp nhất, đổi tên các Hội do Đảng, Nhà nước giao nhiệm vụ của tỉnh

Kính gửi: Chủ tịch UBND tỉnh Lâm Đồng

Sở Nội vụ kính báo cáo Chủ tịch UBND tỉnh như sau:
A. SỰ CẦN THIẾT VÀ CƠ SỞ PHÁP LÝ
- Tại Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh; trong đó, sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của tỉnh Đắk Nông, tỉnh Bình Thuận và tỉnh Lâm Đồng thành tỉnh mới có tên gọi là tỉnh Lâm Đồng.
- Tại Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ quy định về tổ chức, hoạt động và quản lý hội.
B. NỘI DUNG ĐỀ NGHỊ
1. Cho phép hợp nhất Hội Người mù theo Quyết định số 1484/QĐ-UBND ngày 05/8/2025 của UBND tỉnh.
"""
    rel = _relations(text)
    assert rel["202/2025/QH15"] == "basis" and rel["126/2024/NĐ-CP"] == "basis"
    assert rel["1484/QĐ-UBND"] == "mentions"          # section B is no longer the legal basis


def test_considering_is_not_deciding_on_a_request():
    # CV 1925 of the Sở Tài chính (Tờ trình 1223): "xem xét xử lý theo quy định tại … Nghị định"
    # names the rule a sanction would follow; "xét" inside "xem xét" is not "Xét đề nghị …"
    text = """SỞ TÀI CHÍNH
Số: 1925/STC-QLDN
Bình Thuận, ngày 19 tháng 5 năm 2025
V/v tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh lần thứ V, nhiệm kỳ 2025-2030

Kính gửi: Sở Nội vụ

Quá thời gian trên, Hiệp hội Doanh nghiệp tỉnh không tổ chức đại hội, Chủ tịch Ủy ban nhân dân tỉnh sẽ xem xét xử lý theo quy định tại điểm c khoản 2 Điều 30 Nghị định số 126/2024/NĐ-CP của Chính phủ.
"""
    assert _relations(text)["126/2024/NĐ-CP"] == "mentions"


def test_a_charter_attached_to_a_decision_does_not_carry_it_out():
    # Điều lệ (sửa đổi, bổ sung) Hiệp hội Doanh nghiệp tỉnh Bình Thuận: its title says it is attached
    # to ("Kèm theo") decision 1424 — a part of that act, not a document carrying it out
    text = """ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN
ĐIỀU LỆ (SỬA ĐỔI, BỔ SUNG)
HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH THUẬN
(Kèm theo Quyết định số 1424 /QĐ-UBND ngày 30 tháng 6 năm 2025 của Chủ tịch UBND tỉnh)

Chương I
QUY ĐỊNH CHUNG
Điều 1. Tên, biểu tượng
"""
    assert _relations(text)["1424 /QĐ-UBND"] == "mentions"     # the number as printed


def test_a_decrees_own_articles_amend_and_repeal_without_naming_themselves():
    # The national form of an amending decree (as Nghị định 30/2020/NĐ-CP Phụ lục III lays it out,
    # and as the Official Gazette prints amending decrees): the title amends; "Điều 2. Bãi bỏ Điều 12
    # Nghị định số …" and "… từ ngày ký ban hành. Bãi bỏ Quyết định số …" are the decree's own acts
    # though they do not say "Nghị định này"; the same words in the Căn cứ preamble, or in the title
    # of another cited document, are not.
    text = """CHÍNH PHỦ
Số: 187/2025/NĐ-CP
Hà Nội, ngày 01 tháng 7 năm 2025

NGHỊ ĐỊNH
Sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư

Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;
Căn cứ Nghị định số 82/2023/NĐ-CP ngày 28 tháng 11 năm 2023 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 120/2016/NĐ-CP ngày 23 tháng 8 năm 2016 của Chính phủ;
Theo đề nghị của Bộ trưởng Bộ Nội vụ;
Chính phủ ban hành Nghị định sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP.

Điều 1. Sửa đổi, bổ sung một số điều của Nghị định số 30/2020/NĐ-CP
1. Sửa đổi khoản 2 Điều 8 như sau: thực hiện theo Nghị định số 82/2023/NĐ-CP ngày 28 tháng 11 năm 2023 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 120/2016/NĐ-CP.
Điều 2. Bãi bỏ Điều 12 Nghị định số 09/2019/NĐ-CP ngày 24 tháng 01 năm 2019.
Điều 3. Hiệu lực thi hành
Nghị định này có hiệu lực thi hành từ ngày ký ban hành. Bãi bỏ Quyết định số 45/2018/QĐ-TTg ngày 09 tháng 11 năm 2018.
"""
    rel = _relations(text)
    assert rel["30/2020/NĐ-CP"] == "amends"
    assert rel["09/2019/NĐ-CP"] == "repeals" and rel["45/2018/QĐ-TTg"] == "repeals"
    assert rel["82/2023/NĐ-CP"] == "basis" and rel["120/2016/NĐ-CP"] in ("basis", "mentions")


_PLAN_HEAD = """ỦY BAN NHÂN DÂN
TỈNH NINH BÌNH
Số: 125/KH-UBND
Ninh Bình, ngày 10 tháng 3 năm 2025

KẾ HOẠCH
Về chương trình chuyển đổi số năm 2025

"""


@pytest.mark.parametrize("opening,want", [
    # the purpose opening provinces' plans use (written in the national form, not copied from realdocs)
    ("Để triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Kết luận số 137-KL/TW "
     "ngày 28/3/2025 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n1. Quán triệt.\n",
     {"57-NQ/TW": "implements", "137-KL/TW": "implements"}),
    ("Nhằm cụ thể hóa Chỉ thị số 05/CT-TTg ngày 20/02/2025 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh "
     "ban hành Kế hoạch như sau:\n1. Quán triệt.\n", {"05/CT-TTg": "implements"}),
    # a purpose without a carrying-out word names the rule it follows
    ("Để bảo đảm việc quản lý hội theo quy định tại Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính "
     "phủ, Ủy ban nhân dân tỉnh đề nghị các sở:\n1. Rà soát.\n", {"126/2024/NĐ-CP": "mentions"}),
    # Tờ trình 05 (Kế hoạch tuyên truyền CCHC 2026): the purpose clause ends at the comma; the main clause
    # narrates the department's own consultation letter
    ("Để tổ chức thực hiện các nhiệm vụ tuyên truyền năm 2026, Sở Nội vụ xây dựng dự thảo Kế hoạch và có "
     "Công văn số 3803/SNV-CCHC&VTLT ngày 26/12/2025 gửi lấy ý kiến.\n", {"3803/SNV-CCHC&VTLT": "mentions"}),
])
def test_a_purpose_clause_carries_out_what_it_names(opening, want):
    assert _relations(_PLAN_HEAD + opening) == want


def test_a_received_letters_description_is_not_carried_out_by_the_receiver():
    # realdocs, CV CHUNG/Sơ ket … nghi quyet 76 CCHC/giao 5816 SNV …: the province receives the ministry's
    # letter 5816 (carried out: it comes from above) whose request is "… sơ kết giai đoạn 2021 - 2025
    # thực hiện Nghị quyết số 76/NQ-CP"; the province's letter does not itself carry out resolution 76
    text = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số:             /UBND-NC
V/v cập nhật, bổ sung số liệu theo Công văn số 5816/BNV-CCHC ngày 31/7/2025 của Bộ Nội vụ
Lâm Đồng, ngày         tháng 8 năm 2025
Kính gửi: Sở Nội vụ.
Ủy ban nhân dân tỉnh nhận được Công văn số 5816/BNV-CCHC ngày 31/7/2025 của Bộ Nội vụ đề nghị cập nhật, bổ sung số liệu sơ kết giai đoạn 2021 - 2025 thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ về việc Ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 (đính kèm Công văn số 5816/BNV-CCHC).
Chủ tịch Ủy ban nhân dân tỉnh giao Sở Nội vụ tổng hợp, cập nhật, bổ sung số liệu theo yêu cầu của Bộ Nội vụ tại Công văn nêu trên./.
"""
    rel = _relations(text)
    assert rel["5816/BNV-CCHC"] == "implements" and rel["76/NQ-CP"] == "mentions"
