"""CPU a stored (parent, child) pair spends in `cascade.align`: what a first `cascade coverage` pays.

    python benchmarks/align_speed.py STORE.db [--pairs 400] [--runs 4] [--prof]

Reads the first N `implements` pairs of the store's saved graph and their inputs (as `align_stored`
reads them) once, then aligns them one process, N times over with every per-text cache cleared (a
first run each time), and prints the least ms of CPU a pair; `--prof` prints a cProfile of one more
run (top 25 by own time). It aligns without saving, but opens the store as cascade does: give it a copy.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cascade.align as A                              # noqa: E402
import cascade.text                                    # noqa: E402
from cascade.align import delivered, kinds, similarity  # noqa: E402
from cascade.graph.saved import load                   # noqa: E402
from cascade.store import Store                        # noqa: E402
from cascade.store import alignments as saved          # noqa: E402

DATA_CACHES = {"boilerplate", "_boilerplate_by_first", "_boilerplate_single", "abbreviations", "signal_words", "_by_first", "_table",
               "_code_fingerprint"}


def clear_caches() -> None:
    """Per-text caches only (the data files' stay loaded, as in a worker that has aligned one pair)."""
    for mod in (similarity, kinds, delivered, cascade.text, A):
        for v in list(vars(mod).values()):
            if hasattr(v, "cache_clear") and getattr(v, "__name__", "") not in DATA_CACHES:
                v.cache_clear()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--pairs", type=int, default=400)
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--prof", action="store_true")
    args = ap.parse_args(argv)
    store = Store(args.db)
    g = load(store).graph
    pairs = [(g.nodes[v]["doc_id"], g.nodes[u]["doc_id"], g.nodes[u]["level"])
             for u, v, a in g.edges(data=True)
             if a["relation"] == "implements" and g.nodes[u]["doc_id"] >= 0 and g.nodes[v]["doc_id"] >= 0]
    pairs = pairs[:args.pairs]
    t = saved.inputs(store, list({d for p, c, _ in pairs for d in (p, c)}), with_text=True)
    jobs = [(t[p], [(t[c], False, level)], {}) for p, c, level in pairs if p in t and c in t]
    A._align_chunk(jobs[0])                            # imports (scipy, rapidfuzz) outside the timing
    took = []
    for _ in range(args.runs):
        clear_caches()
        gc.collect()
        t0 = time.process_time()
        for job in jobs:
            A._align_chunk(job)
        took.append((time.process_time() - t0) / len(jobs) * 1000)
    print(f"{len(jobs)} pairs: {min(took):.2f} ms CPU a pair (least of {args.runs}: "
          f"{' '.join(f'{x:.2f}' for x in took)})")
    if args.prof:
        clear_caches()
        pr = cProfile.Profile()
        pr.enable()
        for job in jobs:
            A._align_chunk(job)
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
