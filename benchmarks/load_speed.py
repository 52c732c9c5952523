"""Load-stage speed, each loader as a ratio to the bare library measured in the same run.

    python3 benchmarks/load_speed.py [REALDOCS] [--generated N] [--repeat K] [--pdfplumber-pages N]

PDF, on the real text PDFs of REALDOCS and on N generated two-column PDFs
(benchmarks/generate.py, one seed): per file, the best of K runs of
  - bare pypdfium2: open, every page's text page and `get_text_range`, close (the baseline),
  - cascade's PDF loader (`load`: content guard, header layout on page 1, widget flattening
    on signed pages, superscripts and footnotes, the OCR stage's junk check),
  - `parse_file` (the loader plus the whole text pipeline),
interleaved file by file so that a busy machine slows all three alike; the ratios are of
the summed best times. Goal (issue 13): `parse_file` ≤ 1.5 × bare on both.
pdfplumber `extract_text` (the slow alternative) on the first pages only.
DOCX: python-docx open + every paragraph and cell, and cascade's docx loader.
DOC: cascade's loader (antiword subprocess).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cascade.parse import parse_file  # noqa: E402
from cascade.parse.load import load  # noqa: E402


def _files(root: Path, ext: str) -> list[Path]:
    return sorted(p for p in root.rglob(f"*{ext}") if p.is_file())


def _timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def bare_pdfium(path) -> int:
    """The baseline: pypdfium2's plain text of every page."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    chars = 0
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            chars += len(tp.get_text_range().strip())
            tp.close()
            page.close()
    finally:
        doc.close()
    return chars


def pdf_ratios(label: str, pdfs: list[Path], repeat: int) -> None:
    """Best-of-`repeat` per file for bare / load / parse_file, interleaved; prints the ratios."""
    pdfs = [p for p in pdfs if bare_pdfium(p) > 20]   # text layer only (scans go to OCR)
    if not pdfs:
        print(f"{label}: no PDF with a text layer")
        return
    parse_file(pdfs[0])                                # imports and tables loaded once
    steps = (("bare", bare_pdfium), ("load", load), ("parse", parse_file))
    total = dict.fromkeys((k for k, _ in steps), 0.0)
    for p in pdfs:
        best = dict.fromkeys(total, float("inf"))
        for _ in range(repeat):
            for name, fn in steps:
                best[name] = min(best[name], _timed(fn, p)[0])
        for k in total:
            total[k] += best[k]
    n, b = len(pdfs), total["bare"]
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label}: {n} PDFs with a text layer (best of {repeat} a file; load average {load_avg:.1f})")
    print(f"  pypdfium2 bare text          {1000 * b / n:7.2f} ms/doc   1.00x")
    print(f"  cascade PDF loader (load)    {1000 * total['load'] / n:7.2f} ms/doc  {total['load'] / b:5.2f}x")
    print(f"  parse_file                   {1000 * total['parse'] / n:7.2f} ms/doc  {total['parse'] / b:5.2f}x"
          f"   (goal <= 1.5x)")


def generated_pdfs(n: int, out: Path) -> list[Path]:
    from benchmarks.generate import generate
    generate(n, 1, out, formats=("pdf",), jobs=2)
    return _files(out, ".pdf")


def bench_pdf(pdfs: list[Path], plumber_pages: int) -> None:
    try:
        import pdfplumber
    except ImportError:
        print("  pdfplumber not installed")
        return
    text_pdfs = [p for p in pdfs if bare_pdfium(p) > 20]
    done = 0
    t_plumber = t_pdfium = 0.0
    for p in text_pdfs:
        if done >= plumber_pages:
            break
        t_pdfium += _timed(bare_pdfium, p)[0]
        t0 = time.perf_counter()
        with pdfplumber.open(str(p)) as doc:
            for page in doc.pages:
                page.extract_text()
                page.close()
                done += 1
        t_plumber += time.perf_counter() - t0
    if done:
        print(f"  pdfplumber extract_text: {t_plumber / max(t_pdfium, 1e-9):.1f}x bare pypdfium2 "
              f"(whole files, {done} pages)")


def bench_docx(docxs: list[Path]) -> None:
    import docx

    def python_docx(p):
        d = docx.Document(str(p))
        n = 0
        for block in d.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        n += len(cell.text)
            else:
                n += len(block.text)
        return n

    times_pd, times_loader = [], []
    for p in docxs:
        try:
            dt, _ = _timed(python_docx, p)
            times_pd.append(dt)
        except Exception:
            pass
        dt, _ = _timed(load, p)
        times_loader.append(dt)
    print(f"DOCX: {len(docxs)} files")
    print(f"  python-docx open + iterate   {1000 * statistics.mean(times_pd):7.2f} ms/doc "
          f"(median {1000 * statistics.median(times_pd):.2f})")
    print(f"  cascade docx loader          {1000 * statistics.mean(times_loader):7.2f} ms/doc "
          f"(median {1000 * statistics.median(times_loader):.2f}, max {1000 * max(times_loader):.1f})")


def bench_doc(docs: list[Path]) -> None:
    times = [_timed(load, p)[0] for p in docs]
    if times:
        print(f"DOC: {len(docs)} files")
        print(f"  cascade doc loader (antiword) {1000 * statistics.mean(times):6.2f} ms/doc "
              f"(median {1000 * statistics.median(times):.2f})")


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", type=Path, default=default)
    ap.add_argument("--pdfplumber-pages", type=int, default=80)
    ap.add_argument("--generated", type=int, default=150, help="generated two-column PDFs (0: none)")
    ap.add_argument("--repeat", type=int, default=3, help="runs a file; the best counts")
    ap.add_argument("--pdf-only", action="store_true")
    args = ap.parse_args()
    if not args.root.is_dir():
        sys.exit(f"error: {args.root}: not a folder of documents")
    real = _files(args.root, ".pdf")
    pdf_ratios(f"real PDFs ({args.root})", real, args.repeat)
    bench_pdf(real, args.pdfplumber_pages)
    if args.generated:
        with tempfile.TemporaryDirectory() as tmp:
            pdf_ratios("generated two-column PDFs (benchmarks/generate.py, seed 1)",
                       generated_pdfs(args.generated, Path(tmp)), args.repeat)
    if args.pdf_only:
        return
    bench_docx(_files(args.root, ".docx"))
    bench_doc(_files(args.root, ".doc"))


if __name__ == "__main__":
    main()
