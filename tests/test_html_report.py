"""The cascade report's model and HTML on the seed corpus, without a browser (issue 12).

Expected values are read from ../shared/gold/seeds.json (cascades, task alignment 001 → 000,
inferred provinces) and from the documents' own dates."""
import json
import re

import pytest

from cascade.report import html_report
from cascade.report.report_model import (HeatCell, Heatmap, ReportEdge, ReportFinding, ReportModel, ReportNode,
                                         lag_groups)


@pytest.fixture(scope="module")
def model(seed_db):
    from cascade.queries import open_store, report_model
    with open_store(seed_db) as store:
        return report_model(store, "57-NQ/TW")


def label_of(model, path_name):
    return next(n.label for n in model.nodes if n.path.endswith(path_name))


def test_every_document_of_the_gold_57_NQ_TW_cascades_is_a_node(model, gold):
    labels = {n.label for n in model.nodes}
    files = {n.path.rsplit("/", 1)[-1] for n in model.nodes if n.path}
    for chain in gold["corpus"]["cascades"]:
        if chain[0] != "57-NQ/TW":
            continue
        for doc in chain:
            name = doc.split(" (")[0]          # "2630/UBND-TH (UBND tỉnh Quảng Ninh, not in corpus)"
            assert name in labels or name in files, name
    # and nothing of the 73/2023/NĐ-CP cascade (seeds 003 and 004)
    assert not files & {"003_232fe3f8f8ad3045.txt", "004_8bd8b29eb5fe5b82.txt"}


def test_heatmap_by_level_and_province_has_the_gold_cells(model, gold):
    # gold task_alignment_001_to_000: each of 001's five tasks reaches 000 (the town, a district-level
    # unit of Hưng Yên): 1 and 2 reworded, 3, 4, 5 near-verbatim
    align = {a["parent"]: a["kind"] for a in gold["corpus"]["task_alignment_001_to_000"]}
    parent = next(n.id for n in model.nodes if n.path.endswith("001_73a28ad4b9504abc.txt"))
    child = next(n.id for n in model.nodes if n.path.endswith("000_6c98d13a1ba499c1.txt"))
    by = {h.by: h for h in model.heatmaps}
    assert by["level"].columns == ["district"]
    assert by["province"].columns == [gold["corpus"]["inferred_province"]["000_6c98d13a1ba499c1.txt"]]
    for hm in (by["level"], by["province"]):
        assert [(p, path) for p, path, _ in hm.rows] == [(parent, t) for t in sorted(align)]
        for (_, path, text), (cell,) in zip(hm.rows, hm.cells):
            assert (cell.carried, cell.total, cell.documents) == (1, 1, [child])
            assert cell.unchanged == (align[path] == "near-verbatim")
            assert text                                       # the parent task's own text, for the reader
    assert by["commune"].columns == []        # 432/UBND-VHXXH's parent 2630/UBND-TH is not stored


def test_the_towns_diff_and_lags(model):
    child = next(n for n in model.nodes if n.path.endswith("000_6c98d13a1ba499c1.txt"))
    d = model.diffs[child.id]
    assert child.coverage == 1.0 and {(r.parent_path, r.child_path) for r in d.rows} >= {("2", "3"), ("3", "2")}
    # 432/UBND-VHXXH is dated 22/8/2025 and implements 2630/UBND-TH, cited as of 31/7/2025: 22 days
    lag = next(e for e in model.edges if e.child.startswith("doc:") and e.lag_days == 22)
    assert {n.id: n.label for n in model.nodes}[lag.child] == "432/UBND-VHXXH"
    commune = next(g for g in lag_groups(model, "level") if g.group == "commune")
    assert commune.slowest == 243             # 432/UBND-VHXXH answers 57-NQ/TW (22/12/2024) after 243 days


def test_html_has_every_node_and_the_heatmap_cells(model):
    page = html_report.render(model)
    nodes = re.findall(r'<g class="n[^"]*" data-i="(\d+)"', page)
    assert len(nodes) == len(model.nodes)
    assert re.findall(r'<td class="hc"[^>]*>(\d+/\d+)</td>', page)[:5] == ["1/1"] * 5
    assert "<title>Báo cáo triển khai: 57-NQ/TW</title>" in page and "Nhiệm vụ cấp trên × cấp" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")   # nothing fetched
    assert 'src="' not in page
    en = html_report.render(model, "en")
    assert "<title>Implementation report: 57-NQ/TW</title>" in en and ">District</th>" in en


def test_everything_is_escaped():
    bad = '</script><script>alert(1)</script><img src=x onerror=alert(2)><!--'
    m = ReportModel(root="doc:1", root_label=bad,
                    nodes=[ReportNode("doc:1", bad, "province", bad, bad, bad, "2025-01-01", bad, bad, bad, True, 0.5, [bad]),
                           ReportNode("doc:2", bad, "commune", bad, in_store=True)],
                    edges=[ReportEdge("doc:2", "doc:1", "implements", 3)],
                    heatmaps=[Heatmap("province", [bad], [("doc:1", bad, bad)], [[HeatCell(1, 1, 1, ["doc:2"])]]),
                              Heatmap("commune", [bad], [("doc:1", bad, bad)], [[HeatCell(1, 1, 1, ["doc:2"])]])],
                    findings=[ReportFinding("high", "doc:2", bad, bad, bad, bad)], never_answered=["doc:1"],
                    views={"doc:1": "<div>ok</div>"}, generated=bad)
    page = html_report.render(m)
    assert page.count("</script>") == 3                       # ours: views, data, code — none from the data
    outside = re.sub(r'<script type="application/json" id="\w+">.*?</script>', "", page, flags=re.S)
    assert outside.count("<script") == 1 and "<img" not in outside and "<!--" not in outside
    data = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S).group(1)
    assert "</" not in data and "<!" not in data and json.loads(data)["nodes"][0][1] == bad


def test_every_stored_document_has_its_annotated_view(model):
    stored = {n.id for n in model.nodes if n.in_store}
    assert set(model.views) == stored
    page = html_report.render(model)
    views = json.loads(re.search(r'<script type="application/json" id="views">(.*?)</script>', page, re.S).group(1))
    assert len(views) == len(stored) and all('<div class="cv cv-doc"' in v for v in views.values())


def test_every_finding_kind_has_a_label_in_each_language():
    from cascade.models import FINDING_KINDS
    from cascade.report.html_labels import CATALOGUES
    for L in CATALOGUES.values():
        assert all(f"finding.{k}" in L for k in FINDING_KINDS)
    assert set(CATALOGUES["vi"]) == set(CATALOGUES["en"])          # same keys: nothing shown untranslated


def test_findings_are_named_in_vietnamese(model):
    page = html_report.render(model)
    # 000 quotes 52-NQ/TW with 57-NQ/TW's title (gold anomalies): a high finding, named in Vietnamese
    assert "số hiệu trích dẫn không khớp với trích yếu được trích" in page
    assert "citation number conflicts" not in page.split('<script type="application/json" id="views">')[0]
