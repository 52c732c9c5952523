"""Citation-grammar speed: prints MB/s of find_citations (+ merge_citations) over the seeds
and over text loaded from the real documents.

    python3 benchmarks/citations_speed.py [REALDOCS] [--limit N] [--repeat R]

Loading and normalising are done once, outside the timing; only the grammar is timed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cascade.parse.citations import find_citations, merge_citations  # noqa: E402
from cascade.text import clean  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REALDOCS = ROOT.parent / "shared" / "realdocs"


def _realdocs_texts(root: Path, limit: int) -> list[str]:
    from cascade.parse.load import load
    texts = []
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".docx", ".doc", ".pdf"))
    for p in files[:limit]:
        res = load(p)
        if res.text:
            texts.append(clean(res.text))
    return texts


def _bench(label: str, texts: list[str], repeat: int) -> None:
    size = sum(len(t.encode("utf-8")) for t in texts)
    n = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            n += len(merge_citations(find_citations(t)))
    dt = time.perf_counter() - t0
    mb = size * repeat / 1e6
    print(f"{label:10s} {len(texts):4d} texts  {size / 1e6:7.2f} MB  x{repeat}  "
          f"{dt:6.2f} s  {mb / dt:7.2f} MB/s  {n // repeat} citations/pass  "
          f"{1000 * dt / (len(texts) * repeat):6.2f} ms/doc")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("realdocs", nargs="?", default=str(DEFAULT_REALDOCS))
    ap.add_argument("--limit", type=int, default=10_000, help="at most N real documents")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    seeds = [clean(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    _bench("seeds", seeds, args.repeat * 20)

    root = Path(args.realdocs)
    if not root.is_dir():
        print(f"realdocs: {root} not found, skipped")
        return
    t0 = time.perf_counter()
    texts = _realdocs_texts(root, args.limit)
    print(f"(loaded {len(texts)} real documents in {time.perf_counter() - t0:.1f} s, not timed below)")
    _bench("realdocs", texts, args.repeat)


if __name__ == "__main__":
    main()
