"""Accuracy and speed of cascade.align on generated parent–child pairs.

    python3 benchmarks/gen_mutations.py --out /tmp/mutations.jsonl --per-doc 3
    python3 benchmarks/eval_alignment.py /tmp/mutations.jsonl [--segmenter pyvi] [--limit 1000]

Prints: dropped-task precision/recall, added-task precision/recall, link precision/recall,
the pair-kind confusion matrix (truth in rows) with accuracy, weakening recall and false
flags on untouched tasks, and speed (document pairs per second, align() only).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.align import align                       # noqa: E402
from cascade.align import kinds as K                  # noqa: E402
from cascade.models import Task                       # noqa: E402

ORDER = list(K.PAIR_KINDS) + [K.DROPPED]
SMALL_DOC = 12


def pr(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"precision {p:.3f}  recall {r:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", type=Path, help="JSONL written by gen_mutations.py")
    ap.add_argument("--segmenter", default="syllable", choices=["syllable", "pyvi"])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N cases")
    ap.add_argument("--errors", type=int, default=0, help="print up to N wrong dropped/kind cases")
    ap.add_argument("--match", type=float, help="override assign.MATCH (least sim of a pair)")
    ap.add_argument("--part", type=float, help="override assign.PART (least containment of a part)")
    args = ap.parse_args(argv)
    from cascade.align import assign
    if args.match is not None:
        assign.MATCH = args.match
    if args.part is not None:
        assign.PART = args.part

    cases = []
    with args.cases.open(encoding="utf-8") as fh:
        for line in fh:
            cases.append(json.loads(line))
            if args.limit and len(cases) >= args.limit:
                break
    inputs = [([Task(**t) for t in c["parent"]], [Task(**t) for t in c["child"]]) for c in cases]
    if args.segmenter == "pyvi":          # load the model outside the timing
        align([Task("1", "khởi động")], [Task("1", "khởi động")], segmenter="pyvi")

    results, took = [], []
    for p, c in inputs:
        t0 = time.perf_counter()
        results.append(align(p, c, segmenter=args.segmenter))
        took.append(time.perf_counter() - t0)
    elapsed = sum(took)
    small = [t for (p, _), t in zip(inputs, took) if len(p) <= SMALL_DOC]

    drop = Counter()
    drop_small = Counter()    # parents with at most SMALL_DOC tasks: a typical directive
    add = Counter()
    link = Counter()
    confusion: Counter = Counter()
    weak = Counter()
    shown = 0
    for case, al in zip(cases, results):
        truth = case["truth"]
        t_dropped = {p for p, k in truth["kinds"].items() if k == K.DROPPED}
        p_dropped = {p.parent for p in al.pairs if p.kind == K.DROPPED}
        drop["tp"] += len(t_dropped & p_dropped)
        drop["fp"] += len(p_dropped - t_dropped)
        drop["fn"] += len(t_dropped - p_dropped)
        if len(case["parent"]) <= SMALL_DOC:
            drop_small["tp"] += len(t_dropped & p_dropped)
            drop_small["fp"] += len(p_dropped - t_dropped)
            drop_small["fn"] += len(t_dropped - p_dropped)
            drop_small["cases"] += 1
        t_added = set(truth["added"])
        p_added = {p.child for p in al.pairs if p.kind == K.ADDED}
        add["tp"] += len(t_added & p_added)
        add["fp"] += len(p_added - t_added)
        add["fn"] += len(t_added - p_added)
        t_links = {tuple(x) for x in truth["links"]}
        p_links = {(p.parent, p.child) for p in al.pairs if p.parent and p.child}
        link["tp"] += len(t_links & p_links)
        link["fp"] += len(p_links - t_links)
        link["fn"] += len(t_links - p_links)
        by_parent = {}
        for p in al.pairs:
            if p.parent is not None:
                by_parent.setdefault(p.parent, p)
        for path, kind in truth["kinds"].items():
            got = by_parent[path].kind if path in by_parent else K.DROPPED
            confusion[(kind, got)] += 1
            if got != kind and shown < args.errors and (kind == K.DROPPED or got == K.DROPPED or True):
                shown += 1
                ptext = next(t["text"] for t in case["parent"] if t["path"] == path)
                print(f"--- case {case['id']} parent {path}: truth {kind}, got {got} "
                      f"(score {by_parent[path].score if path in by_parent else '-'})\n    P: {ptext[:300]}")
                for c in case["child"]:
                    if [path, c["path"]] in truth["links"]:
                        print(f"    C{c['path']}: {c['text'][:300]}")
        for path, signals in truth["weakened"].items():
            got = set(by_parent[path].weakened) if path in by_parent else set()
            weak["expected"] += len(signals)
            weak["found"] += len(set(signals) & got)
        for path, kind in truth["kinds"].items():
            if kind == K.VERBATIM and path in by_parent:
                weak["verbatim_pairs"] += 1
                weak["false_flags"] += bool(by_parent[path].weakened)

    n_pairs = len(cases)
    n_tasks = sum(len(p) for p, _ in inputs)
    print(f"cases: {n_pairs} parent–child document pairs, {n_tasks} parent tasks, "
          f"segmenter {args.segmenter}, MATCH {assign.MATCH}, PART {assign.PART}")
    print(f"dropped tasks: {pr(drop['tp'], drop['fp'], drop['fn'])}")
    print(f"  in the {drop_small['cases']} cases whose parent has ≤{SMALL_DOC} tasks: "
          f"{pr(drop_small['tp'], drop_small['fp'], drop_small['fn'])}")
    print(f"added tasks:   {pr(add['tp'], add['fp'], add['fn'])}")
    print(f"links:         {pr(link['tp'], link['fp'], link['fn'])}")
    total = sum(confusion.values())
    right = sum(v for (t, g), v in confusion.items() if t == g)
    print(f"kind accuracy: {right / total:.3f} over {total} parent tasks (truth in rows)")
    w = max(len(k) for k in ORDER) + 1
    print(" " * w + "".join(f"{k[:9]:>10}" for k in ORDER))
    for t in ORDER:
        row = [confusion[(t, g)] for g in ORDER]
        if sum(row):
            print(f"{t:<{w}}" + "".join(f"{v:>10}" for v in row))
    if weak["expected"]:
        print(f"weakening: found {weak['found']}/{weak['expected']} removed obligation words "
              f"(recall {weak['found'] / weak['expected']:.3f}); flags on untouched (verbatim) tasks: "
              f"{weak['false_flags']}/{weak['verbatim_pairs']}")
    print(f"speed: {n_pairs / elapsed:.1f} document pairs/s, {n_tasks / elapsed:.0f} parent tasks/s "
          f"({elapsed:.2f} s for align() over all cases)")
    if small:
        print(f"  parents with ≤{SMALL_DOC} tasks: {len(small) / sum(small):.0f} document pairs/s; "
              f"largest parent {max(len(p) for p, _ in inputs)} tasks: {max(took) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
