"""The report and the annotated view in a real browser: headless Chromium through Selenium (issue 12).

Expected values: the 57-NQ/TW chains, the 001 → 000 task alignment and the provinces come from
../shared/gold/seeds.json; the text a reader sees must be the document's own text.
Screenshots are written to the `artefacts` folder ($CASCADE_ARTEFACTS in CI)."""
import json

import pytest

from cascade.ingest import ingest
from cascade.parse import parse_file
from cascade.report import html_report, html_view
from tests.conftest import SEEDS

KIND_VI = {"reworded": "diễn đạt lại", "near-verbatim": "gần như giữ nguyên"}


@pytest.fixture(scope="module")
def corpus_report(seed_db, tmp_path_factory):
    from cascade.queries import open_store, report_model
    with open_store(seed_db) as store:
        model = report_model(store, "57-NQ/TW")
    out = tmp_path_factory.mktemp("report") / "57-NQ-TW.html"
    out.write_text(html_report.render(model), encoding="utf-8")
    return model, out


def severe(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def open_page(browser, path, fragment=""):
    browser.get_log("browser")                      # drop what earlier pages logged
    browser.get(path.as_uri() + fragment)
    browser.execute_script("window.scrollTo(0, 0)")


def node_index(model, file_name):
    return next(i for i, n in enumerate(model.nodes) if n.path.endswith(file_name))


def test_report_opens_without_errors_and_shows_every_node_of_the_cascade(browser, corpus_report, gold, artefacts):
    model, page = corpus_report
    open_page(browser, page)
    assert severe(browser) == []
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#graph g.n')].filter(g => g.getBoundingClientRect().width > 0)"
        ".map(g => g.querySelector('title').textContent)")
    assert len(shown) == len(model.nodes)
    files = {n.path.rsplit("/", 1)[-1]: n.label for n in model.nodes if n.path}
    for chain in gold["corpus"]["cascades"]:
        if chain[0] == "57-NQ/TW":
            for doc in chain:
                label = files.get(doc, doc.split(" (")[0])
                assert any(t.startswith(label) for t in shown), label
    browser.save_screenshot(str(artefacts / "report-57-NQ-TW.png"))


def test_clicking_the_town_shows_its_task_diff_with_the_province(browser, corpus_report, gold, artefacts):
    model, page = corpus_report
    open_page(browser, page)
    i = node_index(model, "000_6c98d13a1ba499c1.txt")
    browser.find_element("css selector", f'#graph g.n[data-i="{i}"]').click()
    panel = browser.find_element("id", "panel")
    assert "So sánh nhiệm vụ với 03/CT-UBND" in panel.text
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#panel table.diff tr')].slice(1)"
        ".map(r => [...r.cells].map(c => c.firstChild ? c.firstChild.textContent : ''))")
    got = {r[0].split(" ")[0]: (r[1].split(" ")[0], r[2]) for r in rows}
    want = {a["parent"]: (a["child"], KIND_VI[a["kind"]]) for a in gold["corpus"]["task_alignment_001_to_000"]}
    assert got == want
    assert severe(browser) == []
    browser.save_screenshot(str(artefacts / "report-diff.png"))


def test_heatmap_cells(browser, corpus_report, gold):
    # every one of 001's five tasks reaches the one district-level document below it (000, Hưng Yên)
    model, page = corpus_report
    open_page(browser, page)
    cells = browser.execute_script(
        "return [...document.querySelectorAll('table.heat')].map(t => ({by: t.dataset.by,"
        " cols: [...t.tHead.rows[0].cells].slice(1).map(c => c.textContent),"
        " rows: [...t.tBodies[0].rows].map(r => [r.dataset.task, ...[...r.cells].slice(1).map(c => c.textContent)])}))")
    by = {c["by"]: c for c in cells}
    assert by["level"]["cols"] == ["Huyện"]
    assert by["province"]["cols"] == [gold["corpus"]["inferred_province"]["000_6c98d13a1ba499c1.txt"]]
    expected = [[t, "1/1"] for t in ("1", "2", "3", "4", "5")]
    assert by["level"]["rows"] == expected and by["province"]["rows"] == expected


def test_annotated_view_keeps_the_sources_spaces(browser, tmp_path, artefacts):
    rec = parse_file(SEEDS / "002_99b20f177fc5dcd7.txt")
    page = tmp_path / "view.html"
    page.write_text(html_view.render_html([rec]), encoding="utf-8")
    open_page(browser, page)
    assert severe(browser) == []
    assert browser.title.startswith("432/UBND-VHXXH phát huy tinh thần sáng tạo")
    text = browser.execute_script("return document.querySelector('.cv-doc').textContent")
    assert text == rec.text
    shown = browser.find_element("css selector", ".cv-doc").text          # what the reader sees, labels aside
    assert "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị" in shown
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG UÔNG BÍ" in shown                      # two header lines stay two
    browser.save_screenshot(str(artefacts / "annotated-view.png"))


def test_report_opens_a_documents_annotated_view(browser, corpus_report):
    model, page = corpus_report
    i = node_index(model, "002_99b20f177fc5dcd7.txt")
    open_page(browser, page, f"#view={i}")
    viewer = browser.find_element("id", "viewer")
    assert viewer.is_displayed()
    rec = parse_file(SEEDS / "002_99b20f177fc5dcd7.txt")
    assert browser.execute_script("return document.querySelector('#vbody .cv-doc').textContent") == rec.text
    assert severe(browser) == []


@pytest.mark.slow
@pytest.mark.realdocs
def test_realdocs_report_opens_and_stays_usable(browser, realdocs, tmp_path, artefacts):
    """The whole store of ../shared/realdocs (the time it takes is measured by benchmarks/report_open.py)."""
    from cascade.queries import open_store, report_model
    ingest([realdocs], tmp_path / "r.db", workers=2)
    with open_store(tmp_path / "r.db") as store:
        model = report_model(store)
    page = tmp_path / "realdocs.html"
    page.write_text(html_report.render(model), encoding="utf-8")
    open_page(browser, page)
    assert severe(browser) == []
    assert browser.execute_script("return document.querySelectorAll('#graph g.n').length") == len(model.nodes)
    i = next(k for k, n in enumerate(model.nodes) if n.id in model.diffs)
    browser.execute_script(f"location.hash = '#doc={i}'")
    assert model.nodes[i].label in browser.find_element("id", "panel").text
    assert browser.find_elements("css selector", "#panel table.diff tr")
    browser.save_screenshot(str(artefacts / "report-realdocs.png"))
    (artefacts / "report-realdocs.json").write_text(json.dumps(
        {"nodes": len(model.nodes), "edges": len(model.edges), "bytes": page.stat().st_size}))


def test_hostile_text_runs_nothing(browser, tmp_path):
    """Data holding markup and script (a document can say anything) is shown as text, nowhere run."""
    from cascade.report.report_model import Heatmap, HeatCell, ReportEdge, ReportFinding, ReportModel, ReportNode
    bad = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2"><!--'
    m = ReportModel(root="doc:1", root_label=bad,
                    nodes=[ReportNode("doc:1", bad, "province", bad, bad, bad, "2025-01-01", bad, bad, bad, True, 0.5, [bad]),
                           ReportNode("doc:2", bad, "commune", bad, in_store=True)],
                    edges=[ReportEdge("doc:2", "doc:1", "implements", 3)],
                    heatmaps=[Heatmap("province", [bad], [("doc:1", bad, bad)], [[HeatCell(1, 1, 1, ["doc:2"])]])],
                    findings=[ReportFinding("high", "doc:2", bad, bad, bad, bad)], never_answered=["doc:1"],
                    generated=bad)
    page = tmp_path / "bad.html"
    page.write_text(html_report.render(m), encoding="utf-8")
    open_page(browser, page, "#doc=0")
    assert browser.execute_script("return window.pwned === undefined")
    assert bad in browser.find_element("id", "panel").text
    assert browser.title.endswith(bad)


def test_commune_heatmap_is_drawn_on_request(browser, tmp_path):
    """Communes can number in the thousands: their heatmap is built by the page only when asked."""
    from cascade.report.report_model import Heatmap, HeatCell, ReportModel, ReportNode
    nodes = [ReportNode("doc:1", "12/KH-UBND", "province", "Quảng Ninh", in_store=True),
             ReportNode("doc:2", "5/UBND", "commune", "Quảng Ninh", in_store=True),
             ReportNode("doc:3", "7/UBND", "commune", "Quảng Ninh", in_store=True)]
    rows = [("doc:1", "1", "Tuyên truyền"), ("doc:1", "2", "Báo cáo")]
    communes = Heatmap("commune", ["Uông Bí (Quảng Ninh)", "Hạ Long (Quảng Ninh)"], rows,
                       [[HeatCell(1, 1, 1, ["doc:2"]), HeatCell(1, 1, 0, ["doc:3"])],
                        [HeatCell(0, 1, 0, ["doc:2"]), None]])
    m = ReportModel("doc:1", "12/KH-UBND", nodes, [], heatmaps=[communes])
    page = tmp_path / "communes.html"
    page.write_text(html_report.render(m), encoding="utf-8")
    open_page(browser, page)
    assert browser.find_elements("css selector", "#communeheat table") == []
    browser.find_element("id", "communes").click()
    got = browser.execute_script(
        "return [...document.querySelectorAll('#communeheat tbody tr')].map(r => [...r.cells].slice(1).map(c => c.textContent))")
    assert got == [["1/1", "1/1"], ["0/1", ""]]
    assert severe(browser) == []
