"""How long the cascade report takes to build and to open in headless Chromium.

    python3 benchmarks/report_open.py [--db STORE] [--docs ../shared/realdocs] [--root KEY] [--runs 5]

Ingests DOCS into a temporary store unless --db is given, builds the report (whole store, or
--root), writes it, then opens it --runs times in one headless Chromium (Debian's chromium +
chromium-driver, through Selenium) with a fresh tab each time and reads the page's own
Navigation Timing: `loadEventEnd` (HTML parsed, SVG laid out, script run) and the first paint
(`first-contentful-paint`). Also times a click on a document (panel and diff filled).
Target (issue 12): the realdocs report opens in < 3 s.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cascade import queries  # noqa: E402
from cascade.ingest import ingest  # noqa: E402
from cascade.report import html_report  # noqa: E402


def browser(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
              f"--user-data-dir={profile}"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--docs", default=str(Path(__file__).resolve().parents[2] / "shared" / "realdocs"))
    ap.add_argument("--root")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="report-open-"))
    db = Path(a.db) if a.db else tmp / "r.db"
    if not a.db:
        t = time.perf_counter()
        ingest([Path(a.docs)], db)
        print(f"ingest {a.docs}: {time.perf_counter() - t:.1f} s")
    with queries.open_store(db) as store:
        t = time.perf_counter()
        model = queries.report_model(store, a.root)
        t_model = time.perf_counter() - t
    t = time.perf_counter()
    page = html_report.render(model)
    t_render = time.perf_counter() - t
    out = tmp / "report.html"
    out.write_text(page, encoding="utf-8")
    print(f"model {t_model:.2f} s, render {t_render:.2f} s, {out.stat().st_size / 1e6:.2f} MB, "
          f"{len(model.nodes)} nodes, {len(model.edges)} edges, {len(model.diffs)} task comparisons, "
          f"{len(model.findings)} findings")
    d = browser(str(tmp / "profile"))
    loads, paints, clicks = [], [], []
    try:
        click = next((i for i, n in enumerate(model.nodes) if n.id in model.diffs), 0)
        for _ in range(a.runs):
            d.switch_to.new_window("tab")
            d.get(out.as_uri())
            nav = d.execute_script("return performance.getEntriesByType('navigation')[0].toJSON()")
            fcp = d.execute_script("return (performance.getEntriesByName('first-contentful-paint')[0]||{}).startTime")
            loads.append(nav["loadEventEnd"] / 1000)
            paints.append((fcp or 0) / 1000)
            t = time.perf_counter()
            d.execute_script(f"document.querySelector('#graph g.n[data-i=\"{click}\"]')"
                             ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
            d.execute_script("return document.getElementById('panel').textContent.length")
            clicks.append(time.perf_counter() - t)
    finally:
        d.quit()
    print(f"open (loadEventEnd) median {statistics.median(loads):.2f} s, max {max(loads):.2f} s over {a.runs} runs; "
          f"first paint median {statistics.median(paints):.2f} s; click → panel median {statistics.median(clicks) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
