"""`cascade flag` on a real case folder: one finding per act and per fact, and what a duty left out
means for the kind of document that leaves it out (issue 10).

The folder is realdocs' "Tờ trình 45 …" (read by hand): Bộ Nội vụ's decision 1187/QĐ-BNV (an index
scheme, 120 items), its guidance letter 12094/BNV-CCHC that carries it out, the Sở Nội vụ's Tờ trình
submitting the province's self-assessment report — kept twice, as the unnumbered .docx draft and the
PDF sent (same heading, `Số: /TTr-SNV`, same subject `Về việc Báo cáo tổng hợp kết quả tự đánh giá …`)
— and the report itself — kept twice, `Du Thao BC … 16.01.docx` and `Bao cao … .docx`, both
`Số: /BC-UBND`, the same title and opening.
"""
from collections import Counter

import pytest

from cascade.align.delivered import child_types
from cascade.doctypes import NEITHER, PASSES, REPORTS, duty_role
from cascade.models import KIND_DROPPED_TASK, KIND_NOT_REPORTED_TASK


@pytest.fixture(scope="module")
def case(realdocs, tmp_path_factory):
    from cascade.ingest import ingest
    from cascade.store import Store
    folder = next(p for p in realdocs.iterdir() if p.name.startswith("Tờ trình 45 "))
    db = tmp_path_factory.mktemp("case45") / "c.db"
    ingest([folder], db, workers=1)
    store = Store(db)
    yield store
    store.close()


def _node(G, name):
    return next(n for n, a in G.nodes(data=True) if (a.get("path") or "").endswith("/" + name))


def test_a_draft_and_the_copy_sent_are_versions_of_one_act(case):
    from cascade.graph.saved import load
    from cascade.graph.versions import groups
    G = load(case).graph
    rep = groups(G.nodes(data=True))
    ttr_docx, ttr_pdf = (_node(G, "TTr BC cham diem PAR Index Lam Dong 2025" + e) for e in (".docx", ".pdf"))
    draft, final = _node(G, "Du Thao BC cham diem PAR Index Lam Dong 2025 16.01.docx"), \
        _node(G, "Bao cao cham diem PAR Index Lam Dong 2025.docx")
    assert rep[ttr_docx] == rep[ttr_pdf] == ttr_pdf          # the PDF is the copy sent
    assert rep[draft] == rep[final] == final                 # "Du Thao" (draft) yields to the report
    # the decision, the guidance letter and its appendix are acts of their own
    for name in ("1187 BNV QĐ ban hanh bo chi so CCHC.pdf", "12094 CV_HuongdantrienkhaiDean_2025.pdf"):
        assert _node(G, name) not in rep


def test_flag_says_each_fact_once_and_by_what_the_child_is(case):
    from cascade.flag import flag
    found = flag(case)
    assert len(found) == len(set(found))
    per_doc = Counter((f.kind, f.path.rsplit("/", 1)[-1]) for f in found if f.parent == "1187/QĐ-BNV")
    # a superseded version adds nothing of its own
    assert not [k for k in per_doc if k[1] in ("TTr BC cham diem PAR Index Lam Dong 2025.docx",
                                               "Du Thao BC cham diem PAR Index Lam Dong 2025 16.01.docx")]
    # the report and the Tờ trình that submits it do not "drop" duties: they do not report on them
    for name in ("TTr BC cham diem PAR Index Lam Dong 2025.pdf", "Bao cao cham diem PAR Index Lam Dong 2025.docx"):
        assert per_doc[(KIND_DROPPED_TASK, name)] == 0
        assert per_doc[(KIND_NOT_REPORTED_TASK, name)] > 0
    # the guidance letter passes duties on: what it leaves out is dropped (III.3 "Nâng cao chất
    # lượng, hiệu quả công tác theo dõi, đánh giá" is not in it — read by hand)
    letter = [f for f in found if f.kind == KIND_DROPPED_TASK and f.path.endswith("12094 CV_HuongdantrienkhaiDean_2025.pdf")]
    assert "III.3" in {f.task for f in letter}
    # III.3 and both its dashes are dropped: one finding, on III.3
    assert not {"III.3.1", "III.3.2"} & {f.task for f in letter}
    assert all(f.severity == "high" for f in letter)


@pytest.mark.parametrize("doc_type,title,role", [
    ("kế hoạch", "Triển khai thực hiện Nghị quyết số 57-NQ/TW", PASSES),
    ("công văn", "V/v triển khai Công văn số 11902/BNV-TCPCP", PASSES),
    ("báo cáo", "Tình hình thực hiện các chỉ số PAR Index", REPORTS),
    ("tờ trình", "Về việc Báo cáo tổng hợp kết quả tự đánh giá, chấm điểm", REPORTS),   # submits a report
    ("tờ trình", "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026", NEITHER),
    ("giấy mời", None, NEITHER),
    ("phiếu trình", None, NEITHER),
    (None, None, PASSES),        # unknown: its omissions are shown
])
def test_what_a_child_does_with_duties_comes_from_the_type_table(doc_type, title, role):
    assert duty_role(child_types(doc_type, title)) == role


def test_the_tree_shows_an_act_once_with_its_other_versions(case):
    from cascade.queries import tree
    t = tree(case, "1187/QĐ-BNV")
    labels = [c["label"] for c in t["children"]]
    assert "TTr BC cham diem PAR Index Lam Dong 2025.docx" not in labels
    assert "Du Thao BC cham diem PAR Index Lam Dong 2025 16.01.docx" not in labels
    report = next(c for c in t["children"] if c["label"] == "Bao cao cham diem PAR Index Lam Dong 2025.docx")
    assert report["versions"] == ["Du Thao BC cham diem PAR Index Lam Dong 2025 16.01.docx"]


def test_coverage_counts_an_act_once(case):
    from cascade.queries import coverage
    children = [al.child_doc for al in coverage(case, "1187/QĐ-BNV").alignments]
    assert "Bao cao cham diem PAR Index Lam Dong 2025.docx" in children
    assert "Du Thao BC cham diem PAR Index Lam Dong 2025 16.01.docx" not in children
    assert "TTr BC cham diem PAR Index Lam Dong 2025.docx" not in children
    assert len(children) == len(set(children))


def test_flag_of_one_cascade_lists_the_findings_of_its_documents_only(seed_db):
    """`cascade flag 03/CT-UBND` on the seeds: the chỉ thị and the thị xã's letter that carries it out
    (tree 57-NQ/TW), not the anomalies of every other stored document (it listed all of them); and
    each of its findings is the whole store's finding about the same document."""
    from cascade import queries
    from cascade.store import Store
    with Store(seed_db) as store:
        whole = queries.flag(store)[0]
        mine = queries.flag(store, ["03/CT-UBND"])[0]
    docs = {"03/CT-UBND", "000_6c98d13a1ba499c1.txt"}
    assert {f.document for f in mine} == docs
    assert mine == [f for f in whole if f.document in docs]
    assert len(whole) > len(mine)
