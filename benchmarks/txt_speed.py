"""`.txt` parse speed in one process, as a ratio to a bare read of the same files (issue 13's .txt row).

    python benchmarks/txt_speed.py [CORPUS] [--docs N] [--repeat K] [--profile TOP]

CORPUS: a folder of generated documents (benchmarks/generate.py, or run.py --keep); its
`docs/txt/**/*.txt` are read (the first N in path order). A warm-up pass over other files of
the corpus (the next 100: imports, the commune table) comes first, so that the memoised
look-ups (issuer lines, citation keys) hold no entry for the timed documents; then each file
is read bare (best of K: the page cache) and parsed once by `parse_file`, interleaved file by
file so that a busy machine slows both alike. Goal: parse_file ≤ 20 × bare. --profile TOP:
instead, cProfile one pass of parse_file over the files (after the same warm-up) and print the
TOP functions by own time.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cascade.parse import parse_file  # noqa: E402


def bare_read(path: Path) -> int:
    return len(path.read_bytes().decode("utf-8", "replace"))


def best(fn, path: Path, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds of the best of `repeat` calls: CPU time is what a busy machine
    disturbs least (the process's own time, not the time other processes held the core)."""
    times = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(path)
        times.append((time.perf_counter() - t0, time.process_time() - c0))
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=Path("/tmp/g3400"))
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3, help="bare reads a file; the best counts")
    ap.add_argument("--profile", type=int, default=0, metavar="TOP",
                    help="cProfile parse_file instead and print the TOP functions by own time")
    a = ap.parse_args()
    every = sorted((a.corpus / "docs" / "txt").rglob("*.txt"))
    files, warm = every[:a.docs], every[a.docs:a.docs + 100]
    if not files:
        sys.exit(f"{a.corpus}: no docs/txt/**/*.txt (make one with benchmarks/generate.py)")
    for p in warm:
        parse_file(p)
    for p in files:
        bare_read(p)
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        for p in files:
            parse_file(p)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(a.profile)
        return
    bare = [0.0, 0.0]
    parse = [0.0, 0.0]
    for p in files:
        for acc, (wall, cpu) in ((bare, best(bare_read, p, a.repeat)), (parse, best(parse_file, p, 1))):
            acc[0] += wall
            acc[1] += cpu
    size = sum(p.stat().st_size for p in files) / len(files)
    n = len(files)
    print(f"{n} .txt files, {size / 1024:.1f} KiB on average, bare read best of {a.repeat}, "
          f"parse_file once, load average {os.getloadavg()[0]:.2f}")
    print("              wall ms/doc   CPU ms/doc")
    print(f"bare read    {bare[0] / n * 1000:11.3f} {bare[1] / n * 1000:12.3f}")
    print(f"parse_file   {parse[0] / n * 1000:11.3f} {parse[1] / n * 1000:12.3f}   "
          f"{parse[0] / bare[0]:.1f} × bare wall, {parse[1] / bare[1]:.1f} × bare CPU (goal ≤ 20 ×)")


if __name__ == "__main__":
    main()
