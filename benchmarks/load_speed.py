"""Load-stage speed on the real documents: prints ms/page and ms/document.

    python3 benchmarks/load_speed.py [REALDOCS] [--pdfplumber-pages N]

PDF: pypdfium2 plain text (`get_text_range`), pdfplumber `extract_text` (the slow
alternative, on the first N pages only), and cascade's PDF loader (pypdfium2 plus
header layout on page 1 and widget flattening on signed pages).
DOCX: python-docx open + every paragraph and cell, and cascade's docx loader.
DOC: cascade's loader (antiword subprocess).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cascade.parse.load import load  # noqa: E402


def _files(root: Path, ext: str) -> list[Path]:
    return sorted(p for p in root.rglob(f"*{ext}") if p.is_file())


def _timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def bench_pdf(pdfs: list[Path], plumber_pages: int) -> None:
    import pypdfium2 as pdfium

    text_pdfs = []
    pages = 0
    t_pdfium = 0.0
    for p in pdfs:
        t0 = time.perf_counter()
        doc = pdfium.PdfDocument(str(p))
        chars = 0
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            chars += len(tp.get_text_range().strip())
            tp.close()
            page.close()
        n = len(doc)
        doc.close()
        if chars > 20:
            t_pdfium += time.perf_counter() - t0
            pages += n
            text_pdfs.append(p)
    print(f"PDF with a text layer: {len(text_pdfs)} files, {pages} pages")
    print(f"  pypdfium2 get_text_range     {1000 * t_pdfium / pages:7.2f} ms/page")

    t_loader = 0.0
    for p in text_pdfs:
        dt, _ = _timed(load, p)
        t_loader += dt
    print(f"  cascade pdf loader           {1000 * t_loader / pages:7.2f} ms/page "
          f"({1000 * t_loader / len(text_pdfs):.1f} ms/doc)")

    try:
        import pdfplumber
    except ImportError:
        print("  pdfplumber not installed")
        return
    done = 0
    t_plumber = 0.0
    for p in text_pdfs:
        if done >= plumber_pages:
            break
        t0 = time.perf_counter()
        with pdfplumber.open(str(p)) as doc:
            for page in doc.pages:
                if done >= plumber_pages:
                    break
                page.extract_text()
                page.close()
                done += 1
        t_plumber += time.perf_counter() - t0
    if done:
        print(f"  pdfplumber extract_text      {1000 * t_plumber / done:7.2f} ms/page (first {done} pages)")
        print(f"  ratio pdfplumber / pypdfium2 {t_plumber / done / (t_pdfium / pages):7.1f}x")


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
    args = ap.parse_args()
    if not args.root.is_dir():
        sys.exit(f"error: {args.root}: not a folder of documents")
    bench_pdf(_files(args.root, ".pdf"), args.pdfplumber_pages)
    bench_docx(_files(args.root, ".docx"))
    bench_doc(_files(args.root, ".doc"))


if __name__ == "__main__":
    main()
