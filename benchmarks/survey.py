"""Parse every file under a folder and print how many records carry each field.

    python benchmarks/survey.py ../shared/realdocs [--json]

Prints, by format: files, status counts, and the share of files with a type, an
issuer, a date, at least one citation and at least one task. No file may crash the run:
an exception inside the parser is counted as `crash` and listed.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))



def _one(path: str) -> dict:
    from cascade.parse import parse_file
    t0 = time.perf_counter()
    try:
        r = parse_file(path)
    except Exception as e:  # the survey's job is to find these
        return {"path": path, "format": Path(path).suffix.lstrip(".").lower(), "status": "crash",
                "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc(limit=3)}
    return {"path": path, "format": r.format, "status": r.status, "error": r.error,
            "type": bool(r.doc_type), "issuer": bool(r.issuer.level or r.issuer.unit),
            "date": bool(r.date), "citation": bool(r.citations), "task": bool(r.tasks),
            "ms": (time.perf_counter() - t0) * 1000}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    a = ap.parse_args()
    files = sorted(str(p) for p in Path(a.folder).rglob("*") if p.is_file())
    t0 = time.perf_counter()
    with ProcessPoolExecutor(a.workers) as ex:
        rows = list(ex.map(_one, files, chunksize=4))
    wall = time.perf_counter() - t0
    by = defaultdict(list)
    for r in rows:
        by[r["format"]].append(r)
    table = []
    for fmt in sorted(by) + ["all"]:
        rs = rows if fmt == "all" else by[fmt]
        ok = [r for r in rs if r["status"] == "ok"]
        st = Counter(r["status"] for r in rs)
        share = lambda k: sum(1 for r in rs if r.get(k)) / len(rs) if rs else 0
        table.append({"format": fmt, "files": len(rs), "status": dict(st),
                      **{k: round(share(k), 3) for k in ("type", "issuer", "date", "citation", "task")},
                      "ok_files": len(ok)})
    if a.json:
        print(json.dumps({"wall_s": wall, "table": table, "rows": rows}, ensure_ascii=False, indent=1))
        return
    print(f"{len(files)} files in {wall:.1f} s ({a.workers} workers)\n")
    print(f"| format | files | statuses | type | issuer | date | ≥1 citation | ≥1 task |")
    print(f"|---|---|---|---|---|---|---|---|")
    for t in table:
        st = ", ".join(f"{k} {v}" for k, v in sorted(t["status"].items()))
        print(f"| {t['format']} | {t['files']} | {st} | {t['type']:.0%} | {t['issuer']:.0%} | "
              f"{t['date']:.0%} | {t['citation']:.0%} | {t['task']:.0%} |")
    crashes = [r for r in rows if r["status"] == "crash"]
    for r in crashes[:20]:
        print(f"\nCRASH {r['path']}: {r['error']}\n{r['trace']}")
    fails = [r for r in rows if r["status"] not in ("ok", "crash")]
    if fails:
        print("\nfiles without a record (status: reason):")
        for r in fails[:40]:
            print(f"  {r['status']}: {r['path']}: {r['error']}")
    sys.exit(1 if crashes else 0)


if __name__ == "__main__":
    main()
