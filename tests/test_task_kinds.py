"""Task kinds (issue 10): which numbered items are duties, and a plan item's field lines.

Expected kinds were read in the documents (tests/truth/pairs.json lists the same items with the
reason): the last two articles of a Quyết định are its entry-into-force and execution clauses;
the items under `I. MỤC TIÊU, YÊU CẦU …` of Đề án 1187 are objectives and principles; the
numbered lines of a meeting invitation (`1. Chủ trì:`, `4. Thời gian:`) are information.
"""
from __future__ import annotations

import pytest

from cascade.align import align, units
from cascade.models import TASK_KINDS, Task
from cascade.parse import parse_text
from cascade.parse.task_kinds import field_line, heading_kind, inline_assignee
from tests.conftest import REALDOCS


def parsed(rel: str):
    from cascade import parse_file
    p = REALDOCS / rel
    if not p.exists():
        pytest.skip(f"{p} is not beside the checkout")
    return parse_file(p)


def kinds(rec) -> dict[str, str]:
    return {t.path: t.kind for t in rec.tasks}


def test_decision_articles_boilerplate_and_duties():
    # QĐ 2536 (hợp nhất Đoàn Luật sư): Điều 1–3 decide (cho phép, chỉ định), Điều 4–5 are duties
    # of the bar associations, Điều 6 "Quyết định này có hiệu lực kể từ ngày ký ban hành.",
    # Điều 7 "Chánh Văn phòng … chịu trách nhiệm thi hành Quyết định này."
    rec = parsed("Tờ trình 85 STP phê duyệt Đề án tổ chức Đại hội Đoàn Luật sư tỉnh Lâm Đồng lần thứ I, "
                 "nhiệm kỳ 2026 - 2031/QĐ 2536 SÁP NHẬP ĐLS.pdf")
    assert kinds(rec) == {"1": "decision", "2": "decision", "3": "decision", "4": "task", "5": "task",
                          "6": "boilerplate", "7": "boilerplate"}


def test_sections_set_the_kind_of_the_items_under_them():
    # Đề án 1187/QĐ-BNV: I.1 "Mục tiêu" (a, b and b's dashes), I.2 "Yêu cầu" (read as principles:
    # how the index must be built), I.3 "Phạm vi điều chỉnh và đối tượng áp dụng"; IV.1 lists duties.
    rec = parsed("Tờ trình 45 Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần "
                 "Chỉ số cải cách hành chính năm 2025 của tỉnh Lâm Đồng/1187 BNV QĐ ban hanh bo chi so CCHC.pdf")
    k = kinds(rec)
    assert k["I.1.a"] == k["I.1.b"] == k["I.1.b.1"] == "objective"
    assert all(k[f"I.2.{x}"] == "principle" for x in "abcdđe")
    assert k["I.3.a"] == "information"
    duties = [p for p in k if p.startswith("IV.1.") and k[p] == "task"]
    assert len(duties) >= 10
    # only duties reach the comparison
    assert all(t.kind == "task" for t in units(rec.tasks))


def test_meeting_invitation_lines_are_information():
    # Giấy mời họp (UBND tỉnh, 07/11/2025): 1 Chủ trì, 2 Thành phần mời (and its dashes), 3 Nội dung: Họp …,
    # 4 Thời gian, 5 Địa điểm are information; 6 "Phân công chuẩn bị: Giao Sở Nội vụ …" is the duty.
    rec = parsed("CV CHUNG/Giao SNV chuẩn bị nội dung Đc Phúc họp chỉ số/Giấy mời họp.doc")
    k = kinds(rec)
    assert [k[p] for p in ("1", "2", "2.1", "3", "4", "5")] == ["information"] * 6
    assert k["6"] == "task"


def test_every_kind_is_known_and_headings_are_data():
    assert heading_kind("I. MỤC ĐÍCH, YÊU CẦU".split(" ", 1)[1]) == "objective"
    assert heading_kind("Quan điểm chỉ đạo:") == "principle"
    assert heading_kind("NHIỆM VỤ VÀ GIẢI PHÁP") == "task"
    assert heading_kind("Tăng cường công tác tuyên truyền, phổ biến về Chỉ số CCHC") is None
    assert set(TASK_KINDS) >= {"task", "objective", "principle", "basis", "boilerplate"}


def plan_header(number: str, day: str) -> str:
    """The header of a provincial Kế hoạch (national format: issuer, number, motto, date, type)."""
    return ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n"
            f"Số: {number}\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"Lâm Đồng, ngày {day} tháng 01 năm 2026\nKẾ HOẠCH\n")


UNNUMBERED = plan_header("12/KH-UBND", "05") + """Tuyên truyền cải cách hành chính năm 2026
Thực hiện Kế hoạch số 01/KH-UBND ngày 02/01/2026 của UBND tỉnh, UBND tỉnh ban hành Kế hoạch như sau:
MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức về cải cách hành chính.
2. Công tác tuyên truyền phải thiết thực, hiệu quả.
NHIỆM VỤ
1. Sở Nội vụ chủ trì tổ chức hội nghị tập huấn trước ngày 30/6/2026.
2. Các sở, ngành cập nhật tin bài lên Cổng thông tin điện tử.
---
1 Nghị định số 30/2020/NĐ-CP về công tác văn thư.
"""


def test_unnumbered_headings_and_footnotes():
    # Layout of the province's Kế hoạch: sections as unnumbered capitals, footnotes after `---`
    # (how the docx/doc/pdf loaders append them).
    rec = parse_text(UNNUMBERED)
    got = [(t.text[:20], t.kind) for t in rec.tasks]
    assert [k for _, k in got[:4]] == ["objective", "objective", "task", "task"]
    assert got[-1][1] == "boilerplate"


PLAN = plan_header("15/KH-UBND", "10") + """Cải cách hành chính năm 2026
II. NHIỆM VỤ
(1) Rà soát, đơn giản hóa thủ tục hành chính nội bộ.
Đơn vị chủ trì thực hiện: Sở Nội vụ.
Đơn vị phối hợp: Văn phòng UBND tỉnh, Sở Tư pháp.
Thời gian hoàn thành: Quý II/2026.
(2) Tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính.
- Đơn vị chủ trì: Văn phòng UBND tỉnh.
- Thời gian hoàn thành: trước ngày 30/9/2026.
"""


def test_plan_item_field_lines_are_fields_not_subtasks():
    # The plan-item form the issue quotes (`(1)` items with `Đơn vị chủ trì thực hiện:` …);
    # realdocs holds only the inline variant (next test), so the layout is written out here.
    rec = parse_text(PLAN)
    tasks = {t.path: t for t in rec.tasks}
    assert list(tasks) == ["II", "II.1", "II.2"]
    one, two = tasks["II.1"], tasks["II.2"]
    assert one.text == "Rà soát, đơn giản hóa thủ tục hành chính nội bộ."
    assert (one.assignee, one.partners, one.deadline) == ("Sở Nội vụ", "Văn phòng UBND tỉnh, Sở Tư pháp", "Quý II/2026")
    assert (two.assignee, two.deadline) == ("Văn phòng UBND tỉnh", "trước ngày 30/9/2026")
    assert field_line("Nội dung: Họp đánh giá") is None


def test_lost_lead_unit_and_deadline_are_weakenings():
    parent = [Task("1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ.", assignee="Sở Nội vụ",
                   deadline="Quý II/2026", partners="Văn phòng UBND tỉnh, Sở Tư pháp")]
    child = [Task("1", "Rà soát, đơn giản hóa thủ tục hành chính nội bộ.")]
    w = align(parent, child).pairs[0].weakened
    assert "assignee: Sở Nội vụ" in w and "deadline: Quý II/2026" in w
    assert "partners: Văn phòng UBND tỉnh, Sở Tư pháp" in w


def test_inline_lead_unit():
    # Báo cáo các chỉ số của tỉnh (06/11/2025), item 1.a: "… Cơ quan chủ trì theo dõi: Văn phòng UBND tỉnh."
    assert inline_assignee("… trễ hạn). Cơ quan chủ trì theo dõi: Văn phòng UBND tỉnh.") == "Văn phòng UBND tỉnh"


def test_coverage_of_a_parent_without_duties_is_not_applicable():
    objectives = [Task("1", "Mục tiêu chung: nâng cao chỉ số cải cách hành chính của tỉnh.", kind="objective")]
    child = [Task("1", "Sở Nội vụ tổ chức tập huấn về cải cách hành chính.")]
    al = align(objectives, child)
    assert al.coverage is None and al.compared == 0 and al.not_compared == {"objective": 1}
    assert not al.dropped


def test_duties_restated_in_the_childs_attached_rules_are_not_dropped():
    # QĐ of UBND tỉnh (21/8) sets up the Tổ giúp việc CCHC; Điều 2.1–2.7 list its duties. The Sở Nội vụ's
    # QĐ approving the members attaches a Quy chế that repeats those duties word for word (read in both
    # documents; tests/truth/pairs.json, child_refs "Quy chế 1.1" … "1.7"), but not as numbered items the
    # parser finds: they are "restated in text", not dropped.
    from cascade.align import align_records
    folder = "CV CHUNG/Cu nguoi tham gia to giup viec/"
    parent = parsed(folder + "QD UBND thành lập TGV.CCHC 21.8.doc")
    child = parsed(folder + "QD SNV phe duyet thanh vien TGV.CCHC kem Quy che lam viec 21.8.doc")
    kinds_of = {p.parent: p.kind for p in align_records(parent, child).pairs if p.parent}
    assert [kinds_of[f"2.{i}"] for i in range(1, 8)] == ["restated in text"] * 7
    assert not [p for p in align_records(parent, child, child_text=None).pairs
                if p.parent and p.parent.startswith("3.") and p.kind == "dropped"]


def test_duties_of_a_ministry_are_not_a_provinces_drops():
    # 1187/QĐ-BNV IV.1.a "Bộ Nội vụ, cơ quan chủ trì triển khai Đề án:" lists the ministry's own duties;
    # the province's Tờ trình (TTr BC chấm điểm PAR Index) cannot have dropped them (truth: applies=false).
    from cascade.align import ELSEWHERE, align_records
    folder = ("Tờ trình 45 Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần "
              "Chỉ số cải cách hành chính năm 2025 của tỉnh Lâm Đồng/")
    parent = parsed(folder + "1187 BNV QĐ ban hanh bo chi so CCHC.pdf")
    child = parsed(folder + "TTr BC cham diem PAR Index Lam Dong 2025.pdf")
    assert child.issuer.level == "province"
    al = align_records(parent, child)
    assert al.not_compared[ELSEWHERE] >= 8
    assert not [p for p in al.pairs if p.parent and p.parent.startswith("IV.1.a")]
    # the same duties do reach the ministry's own guidance letter (a central child): compared there
    assert not align(parent.tasks, child.tasks, child_level="central").not_compared.get(ELSEWHERE)


def test_a_submissions_items_are_its_account_not_duties():
    # Tờ trình of the Sở Nội vụ on merging the Hội Cựu giáo chức: 1 "Về sự cần thiết và cơ sở pháp lý",
    # 2 the appraisal of the file (đơn đề nghị, đề án, danh sách …) — proposals to the People's
    # Committee, which the decision answering it does not "carry down". Nothing in it is a duty.
    folder = "Tờ trình 315 SNV đề nghị cho phép sáp nhập Hội Cựu giáo chức/"
    rec = parsed(folder + "Tờ-trình-UBND-tỉnh-về-sáp-nhập-Hội-Cựu-giáo-chức.pdf")
    assert rec.doc_type == "tờ trình"
    assert rec.tasks and not [t for t in rec.tasks if t.kind == "task"]
    assert align(rec.tasks, parsed(folder + "Dự-thảo-Quyết-định-sáp-nhập-Hội-Cựu-giáo-chức.doc").tasks).coverage is None


def test_an_establishing_decisions_working_regime_and_funding_are_principles():
    # QĐ UBND thành lập Tổ giúp việc CCHC (realdocs, tests/truth/pairs.json: Điều 3.1 and 3.3 are
    # principles): "Điều 3. Cơ chế hoạt động" says how the team works and how it is funded; 3.2, the
    # team leader approving the members, stays a duty
    rec = parse_text("""ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số:      /QĐ-UBND
Lâm Đồng, ngày 21 tháng 8 năm 2025

QUYẾT ĐỊNH
Về việc thành lập Tổ giúp việc về Cải cách hành chính tỉnh Lâm Đồng

QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ giúp việc về Cải cách hành chính tỉnh Lâm Đồng.
Điều 2. Nhiệm vụ
1. Tham mưu, đề xuất các chủ trương, chính sách và nhiệm vụ, giải pháp cải cách hành chính.
Điều 3. Cơ chế hoạt động
1. Tổ giúp việc về Cải cách hành chính làm việc theo chế độ kiêm nhiệm.
2. Tổ trưởng Tổ giúp việc phê duyệt danh sách thành viên và Quy chế hoạt động của Tổ giúp việc về Cải cách hành chính.
3. Kinh phí hoạt động của Tổ giúp việc về Cải cách hành chính thực hiện theo quy định pháp luật.
Điều 4. Quyết định này có hiệu lực kể từ ngày ký ban hành.
""")
    k = {t.text[:30]: t.kind for t in rec.tasks}
    assert k["Tổ giúp việc về Cải cách hành "] == "principle"
    assert k["Kinh phí hoạt động của Tổ giúp"] == "principle"
    assert k["Tổ trưởng Tổ giúp việc phê duy"] == "task"


def test_deadline_prefilter_finds_what_the_plain_alternation_finds():
    """lexicon.alternation regroups the deadline patterns by first letter (issue 13's .txt speed):
    on the seeds' task texts and three plan sentences it must find exactly what the plain
    alternation of the same patterns finds."""
    import re
    from pathlib import Path

    from cascade import parse_file
    from cascade.parse import lexicon
    from tests.conftest import SEEDS
    plain = re.compile("|".join("(?:%s)" % p for p in lexicon.phrases("deadline_patterns")))
    texts = [t.text for p in sorted(Path(SEEDS).glob("*.txt")) for t in parse_file(p).tasks]
    texts += ["Định kỳ hằng quý báo cáo kết quả về Sở Nội vụ trước ngày 15/12/2025 để tổng hợp.",
              "Hoàn thành trong quý III/2026; chậm nhất là ngày 30 tháng 9 năm 2026 gửi báo cáo.",
              "Triển khai xong trước ngày 20/10, đến hết tháng 11 năm 2026 tổng kết."]
    found = 0
    for text in texts:
        want = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in lexicon.DEADLINE_RE.finditer(text)] == want, text[:80]
        found += len(want)
    assert found >= 8           # the seeds write "hằng năm", "trước ngày 30/11" …


@pytest.mark.parametrize("pattern", [r"\d+ ngày", r"(?:trước|)\s*ngày", r"(?:hằng|hàng)*năm", r"[a-z] năm", "x?y"])
def test_first_letters_refuses_what_it_cannot_read(pattern):
    """A pattern whose first letters it cannot list (a digit class, an empty alternative, a
    repeated or optional first item, a range) is refused, not let through the prefilter."""
    from cascade.parse import lexicon
    with pytest.raises(ValueError):
        lexicon.first_letters(pattern)
