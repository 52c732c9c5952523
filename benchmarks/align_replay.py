"""CPU the first `cascade coverage ROOT` spends aligning, replayed in one process.

    python benchmarks/align_replay.py STORE ROOT [--runs 3] [--out jobs.pkl]

Captures the worker batches `align_below(ROOT)` hands out (parent and children inputs, as read
from the store; nothing is saved: give it a copy of the store), then aligns them again `--runs`
times in this process with every per-text cache cleared before each run (a first run each time),
and prints ms of CPU a pair and an md5 of the results (equal before and after a change that must
not change them). Alternate two trees' runs to compare code on a machine whose speed drifts.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cascade.align as A                # noqa: E402
from cascade.store import Store          # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from align_speed import clear_caches     # noqa: E402


def capture(db: str, root: str) -> list:
    jobs = []
    real = A._align_chunk

    def keep(job):
        jobs.append(job)
        return real(job)

    A._align_chunk = keep
    try:
        with Store(db) as store:
            store.db.execute("DELETE FROM alignments")     # align every pair (the copy only)
            A.align_below(store, root, workers=1)
    finally:
        A._align_chunk = real
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("root")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", help="keep the captured batches here (pickle), or read them if it exists")
    a = ap.parse_args()
    if a.out and Path(a.out).exists():
        jobs = pickle.loads(Path(a.out).read_bytes())
    else:
        jobs = capture(a.store, a.root)
        if a.out:
            Path(a.out).write_bytes(pickle.dumps(jobs))
    pairs = sum(len(j[1]) for j in jobs)
    for _ in range(a.runs):
        clear_caches()
        t = time.process_time()
        out = [A._align_chunk(j) for j in jobs]
        dt = time.process_time() - t
        print(f"{pairs} pairs: {1000 * dt / pairs:.2f} ms CPU a pair ({dt:.2f} s); "
              f"results md5 {hashlib.md5(repr(out).encode()).hexdigest()}", flush=True)


if __name__ == "__main__":
    main()
