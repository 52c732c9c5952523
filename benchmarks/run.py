"""National-scale benchmark: generate a cascade, parse it, ingest it, query it, score it.

    python benchmarks/run.py --docs 10000                       # .txt only
    python benchmarks/run.py --docs 3000 --formats txt,docx,pdf --shares 0.6,0.3,0.1 --keep /tmp/nat
    python benchmarks/run.py --docs 10000 --cluster local:2       # ingest on a Dask cluster (docs/dask.md)

Prints ONE table. For each format: documents per second for the bare text extraction the
parser starts from (reading .txt; python-docx reading every paragraph and table cell;
pypdfium2 and pdfplumber extracting every page), for `parse_file` alone (process pool of
--workers), and for `cascade ingest` end to end; parse/ingest cost as a ratio to the bare
extraction (and, with --workers > 1, `parse_file` in one process: ingest's rate is also given
as a multiple of it). Then, on the whole ingested corpus: `cascade tree`, `cascade coverage` of
the first root twice (the first run aligns every pair and saves it; the second reads the saved
pairs back), `cascade flag` twice, `cascade export --format json`, a no-change re-ingest;
with --realdocs, ingest of that folder and `cascade flag` on it twice; and the
accuracy against the generator's ground truth: implementing links found (child → its true
parent in the exported graph) and dropped tasks found (precision/recall; from `cascade flag
--json` when it gives task-level drops, else `cascade.align` over the true parent–child pairs).

Every step runs in its own process: time is wall-clock, memory is the peak RSS of the
largest process (its VmHWM) and of the whole process tree (sum of VmRSS), sampled from /proc
every 50 ms. Each step's note carries the 1-minute load average at its end: on a shared machine
read the ratios to the bare baselines measured in the same run, not the seconds.
Bare extraction over many PDFs with pdfplumber is slow (~0.2 s a page): --bare-sample caps
the files each bare step reads (docs/s is over the sample).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PY = sys.executable
CLI = [PY, str(REPO / "cli.py")]
BARE_LIBS = {"txt": ["read"], "docx": ["python-docx"], "pdf": ["pypdfium2", "pdfplumber"]}
TARGETS = {
    "txt ingest 10k": "10,000 .txt ingested end to end < 60 s",
    "docx ratio": ".docx ingest within 1.5x bare python-docx",
    "pdf ratio": ".pdf ingest within 2x bare pypdfium2",
    "tree": "tree < 1 s (100,000-document store)",
    "coverage": "coverage of a 3,000+ root < 10 s (100,000-document store)",
    "reingest": "no-change re-ingest < 10 s for 100,000",
    "memory": "peak memory < 1 GiB at 10,000, < 4 GiB at 100,000",
    "links": "every true link found",
    "dropped": "dropped precision/recall >= 0.95",
}


# ------------------------------------------------------------------ measuring a process
def _tree_rss_kb(pid: int, hwm: dict) -> int:
    """Sum of VmRSS over pid and its descendants (Linux /proc); records each process's VmHWM
    (its own high-water mark, reset at exec) in `hwm`."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        hwm[p] = max(hwm.get(p, 0), int(line.split()[1]))
                    elif line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    stack.extend(int(x) for x in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], stdout_path: Path | None = None, env=None) -> dict:
    """Run cmd; wall seconds, rc, stdout, peak RSS of its largest process and of its tree (MiB)."""
    out = open(stdout_path, "w") if stdout_path else subprocess.PIPE
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=REPO, env=env)
    peak_tree = 0
    hwm: dict = {}
    status = rusage = None
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_tree = max(peak_tree, _tree_rss_kb(proc.pid, hwm))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = ""
    if stdout_path:
        out.close()
    else:
        stdout = proc.stdout.read().decode("utf-8", "replace")
    stderr = proc.stderr.read().decode("utf-8", "replace")
    return {"seconds": seconds, "rc": proc.returncode, "stdout": stdout, "stderr": stderr,
            "load": os.getloadavg()[0],
            # not rusage.ru_maxrss: Linux carries the forking parent's RSS into the child's maxrss
            # across exec, so it would report this script's own size for every step
            "rss_mb": max(hwm.values(), default=0) / 1024, "tree_mb": peak_tree / 1024}


# --------------------------------------------------------------- steps (child processes)
def _bare_read(path: str) -> int:
    return len(Path(path).read_bytes().decode("utf-8", "replace"))


def _bare_docx(path: str) -> int:
    from docx import Document
    from docx.table import Table
    doc = Document(path)
    n = 0
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    n += len(cell.text)
        else:
            n += len(block.text)
    return n


def _bare_pdfium(path: str) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    n = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            n += len(tp.get_text_range())
            tp.close()
            page.close()
    finally:
        pdf.close()
    return n


def _bare_pdfplumber(path: str) -> int:
    import pdfplumber
    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            page.close()
    return n


def _parse(path: str) -> str:
    from cascade.parse import parse_file
    return parse_file(path).status


STEP_FUNCS = {"read": _bare_read, "python-docx": _bare_docx, "pypdfium2": _bare_pdfium,
              "pdfplumber": _bare_pdfplumber, "parse": _parse}


def run_step(step: str, files_list: Path, workers: int) -> None:
    files = files_list.read_text(encoding="utf-8").split("\n")
    files = [f for f in files if f]
    fn = STEP_FUNCS[step]
    t0 = time.perf_counter()
    statuses: dict = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for r in pool.map(fn, files, chunksize=max(1, min(32, len(files) // (workers * 8) or 1))):
            k = r if isinstance(r, str) else "ok"
            statuses[k] = statuses.get(k, 0) + 1
    seconds = time.perf_counter() - t0
    print(json.dumps({"n": len(files), "seconds": seconds, "statuses": statuses}))


class _Store(str):
    """A store named by URL (PostgreSQL): passed to --db and Store() as it is; it "exists" once
    created (the run's first ingest creates the schema)."""
    def exists(self) -> bool:
        return True


def run_align_below(db: Path, ref: str, out: Path) -> None:
    """Time `cascade.align.align_below` (what `cascade coverage` of ROOT computes) and score its
    dropped tasks against the truth, over the pairs the product itself chose."""
    sys.path.insert(0, str(REPO))
    from cascade.align import align_below
    from cascade.store import Store
    truth = {}
    with open(out / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            truth[str((out / r["file"]).resolve())] = r
    t0 = time.perf_counter()
    with Store(db, create=False) as st:
        als = align_below(st, ref)
        seconds = time.perf_counter() - t0
        path_of = {}

        def path(node):
            if node not in path_of:
                files = st.files_of(int(str(node).split(":", 1)[1])) if str(node).startswith("doc:") else []
                path_of[node] = str(Path(files[0]).resolve()) if files else None
            return path_of[node]
        tp = fp = fn = wrong_pair = 0
        for al in als:
            c, p = truth.get(path(al.child_node)), truth.get(path(al.parent_node))
            if not c or not p or c["parent"] != p["id"]:
                wrong_pair += 1
                continue
            pred = {x.parent for x in al.pairs if x.kind == "dropped"}
            true = {e["parent"] for e in c["edits"] if e["kind"] == "dropped"}
            tp += len(pred & true)
            fp += len(pred - true)
            fn += len(true - pred)
    print(json.dumps({"pairs": len(als), "seconds": seconds, "wrong_pair": wrong_pair,
                      "tp": tp, "fp": fp, "fn": fn}))


def step_cmd(step: str, files: list[Path], workers: int, tmp: Path) -> list[str]:
    lst = tmp / f"files-{step}-{len(files)}.txt"
    lst.write_text("\n".join(map(str, files)), encoding="utf-8")
    return [PY, str(Path(__file__).resolve()), "--step", step, "--files", str(lst), "--workers", str(workers)]


# ------------------------------------------------------------------------------- helpers
def cli_commands() -> set[str]:
    r = subprocess.run(CLI + ["--help"], capture_output=True, text=True, cwd=REPO)
    import re
    return {m.group(1) for m in re.finditer(r"^│ ([a-z][a-z-]*)  ", r.stdout, re.M)}


def spread(files: list[Path], n: int) -> list[Path]:
    """n files spread evenly over the list (root, provinces and communes alike)."""
    if n >= len(files):
        return files
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()}, {platform.system()}"


def fmt_rate(n: int, s: float) -> str:
    return f"{n / s:,.0f}" if s > 0 else "-"


# ----------------------------------------------------------------------------- accuracy
def one_new_file(out: Path, tmp: Path) -> Optional[Path]:
    """A new commune document for the store: the last generated .txt with another number (so
    another key and content), in a folder of its own."""
    files = sorted((out / "docs" / "txt").rglob("*.txt"))
    if not files:
        return None
    text = files[-1].read_text(encoding="utf-8")
    new = re.sub(r"Số:\s*(\d+)", lambda m: f"Số: {int(m.group(1)) + 90000}", text, count=1)
    if new == text:
        return None
    d = tmp / "one_new"
    d.mkdir(exist_ok=True)
    (d / "new.txt").write_text(new, encoding="utf-8")
    return d / "new.txt"


def link_accuracy(graph_json: Path, truth: list[dict], out: Path) -> dict:
    g = json.loads(graph_json.read_text(encoding="utf-8"))
    path_of = {n["id"]: n.get("path") for n in g["nodes"]}
    file_of_abs = {str((out / r["file"]).resolve()): r for r in truth}
    implements, any_rel = {}, {}
    for e in g.get("edges", g.get("links", [])):
        s, t = path_of.get(e["source"]), path_of.get(e["target"])
        if not s or not t:
            continue
        rs, rt = file_of_abs.get(s), file_of_abs.get(t)
        if not rs or not rt:
            continue
        any_rel.setdefault(rs["id"], set()).add(rt["id"])
        if e.get("relation") == "implements":
            implements.setdefault(rs["id"], set()).add(rt["id"])
    with_parent = [r for r in truth if r["parent"]]
    found = sum(1 for r in with_parent if r["parent"] in implements.get(r["id"], ()))
    found_any = sum(1 for r in with_parent if r["parent"] in any_rel.get(r["id"], ()))
    parent_of = {r["id"]: r["parent"] for r in truth}
    wrong = sum(len(v - {parent_of.get(k)}) for k, v in implements.items())
    missed_by_level: dict = {}
    for r in with_parent:
        if r["parent"] not in implements.get(r["id"], ()):
            missed_by_level[r["level"]] = missed_by_level.get(r["level"], 0) + 1
    return {"true_links": len(with_parent), "found": found, "found_any_relation": found_any,
            "wrong_implements_links": wrong, "missed_by_level": missed_by_level}


def dropped_accuracy_align(db: Path, truth: list[dict], out: Path, sample: int) -> dict:
    """Align each sampled true parent–child pair's stored records; compare dropped parent tasks."""
    sys.path.insert(0, str(REPO))
    from cascade.align import align
    from cascade.store import Store
    by_id = {r["id"]: r for r in truth}
    pairs = spread([r for r in truth if r["parent"]], sample)
    tp = fp = fn = 0
    t0 = time.perf_counter()
    missing = 0
    with Store(db, create=False) as st:
        for r in pairs:
            p = by_id[r["parent"]]
            ci = st.doc_id_for_path((out / r["file"]).resolve())
            pi = st.doc_id_for_path((out / p["file"]).resolve())
            if ci is None or pi is None:
                missing += 1
                continue
            recs = st.records([ci, pi])
            al = align(recs[pi].tasks, recs[ci].tasks)
            pred = {x.parent for x in al.pairs if x.kind == "dropped"}
            true = {e["parent"] for e in r["edits"] if e["kind"] == "dropped"}
            tp += len(pred & true)
            fp += len(pred - true)
            fn += len(true - pred)
    secs = time.perf_counter() - t0
    return {"pairs": len(pairs), "missing": missing, "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "align_pairs_per_s": len(pairs) / secs if secs else None, "source": "cascade.align on true pairs"}


# --------------------------------------------------------------------------------- main
def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--formats", default="txt")
    ap.add_argument("--shares", default=None)
    ap.add_argument("--keep", type=Path, default=None, help="generate into (or reuse) this folder and keep it")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--store", default=None, metavar="postgresql://USER@HOST/DB",
                    help="the store to ingest into and query (an empty PostgreSQL database, issue 14) instead of "
                         "a new SQLite file; the realdocs step still uses its own SQLite file")
    ap.add_argument("--cluster", default=None, metavar="tcp://HOST:PORT|local:N",
                    help="ingest on this Dask cluster (`cascade ingest --cluster`) instead of --workers processes; "
                         "the bare and parse_file-alone steps still use --workers")
    ap.add_argument("--bare-sample", type=int, default=2000, help="files per bare-extraction step")
    ap.add_argument("--pdfplumber-sample", type=int, default=100)
    ap.add_argument("--align-sample", type=int, default=2000, help="true pairs aligned for dropped P/R")
    ap.add_argument("--align", action="store_true",
                    help="run `cascade align` (every pair of the store, on the same workers or cluster) after the "
                         "ingest, before the queries: coverage and flag then read the pairs back")
    ap.add_argument("--no-parse-alone", action="store_true", help="skip the parse_file-alone step (saves time at 100,000)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure here")
    ap.add_argument("--realdocs", type=Path, default=None,
                    help="also ingest this folder of real documents and time `cascade flag` on it")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("--ref", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.step == "align_below":
        return run_align_below(a.db, a.ref, a.out)
    if a.step:
        return run_step(a.step, a.files, a.workers)

    ingest_where = ["--cluster", a.cluster] if a.cluster else ["--workers", str(a.workers)]
    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="cascade-bench-"))
    out = a.keep or tmp / "corpus"
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    log = lambda *x: print(*x, file=sys.stderr, flush=True)   # noqa: E731
    rows: list[tuple] = []        # (section, step, docs, seconds, docs/s, ratio, rss, tree, note)
    figures: dict = {"machine": machine(), "docs": a.docs, "formats": formats, "cluster": a.cluster}

    # 1. corpus
    meta_path = out / "meta.json"
    reuse = False
    if meta_path.exists():
        m = json.loads(meta_path.read_text())
        reuse = m["docs"] == a.docs and m["seed"] == a.seed and m["formats"] == formats
    if not reuse:
        if out.exists() and a.keep:
            shutil.rmtree(out)
        cmd = [PY, str(BENCH / "generate.py"), "--docs", str(a.docs), "--seed", str(a.seed), "--out", str(out),
               "--formats", ",".join(formats), "--quiet", "--jobs", str(a.workers)]
        if a.shares:
            cmd += ["--shares", a.shares]
        log(f"generating {a.docs} documents into {out} …")
        r = measure(cmd)
        if r["rc"]:
            sys.exit(f"run: generate failed: {r['stderr'][-2000:]}")
        rows.append(("corpus", "generate", a.docs, r["seconds"], None, None, r["rss_mb"], r["tree_mb"], ""))
    truth = [json.loads(l) for l in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    cmds = cli_commands()
    db = _Store(a.store) if a.store else tmp / "cascade.db"

    # 2. per format: bare extraction, parse alone, ingest
    for fmt in formats:
        files = sorted((out / "docs" / fmt).rglob(f"*.{fmt}"))
        if not files:
            continue
        bare_rates = {}
        for lib in BARE_LIBS[fmt]:
            n = a.pdfplumber_sample if lib == "pdfplumber" else a.bare_sample
            sub = spread(files, n)
            log(f"{fmt}: bare {lib} over {len(sub)} files …")
            r = measure(step_cmd(lib, sub, a.workers, tmp))
            inner = json.loads(r["stdout"].strip().splitlines()[-1]) if r["rc"] == 0 else None
            if inner is None:
                rows.append((fmt, f"bare {lib}", len(sub), r["seconds"], None, None, r["rss_mb"], r["tree_mb"],
                             "failed: " + r["stderr"].strip().splitlines()[-1][:60] if r["stderr"].strip() else "failed"))
                continue
            bare_rates[lib] = len(sub) / inner["seconds"]
            rows.append((fmt, f"bare {lib}", len(sub), inner["seconds"], bare_rates[lib], None,
                         r["rss_mb"], r["tree_mb"], "sample" if len(sub) < len(files) else ""))
        base = bare_rates.get(BARE_LIBS[fmt][0])
        log(f"{fmt}: parse_file over {len(files)} files …")
        r = (measure(step_cmd("parse", files, a.workers, tmp)) if not a.no_parse_alone
             else {"rc": -1, "seconds": None, "rss_mb": None, "tree_mb": None, "stderr": "skipped (--no-parse-alone)"})
        if r["rc"] == 0:
            inner = json.loads(r["stdout"].strip().splitlines()[-1])
            rate = len(files) / inner["seconds"]
            bad = {k: v for k, v in inner["statuses"].items() if k not in ("ok", "partial")}
            rows.append((fmt, "parse_file", len(files), inner["seconds"], rate, base / rate if base else None,
                         r["rss_mb"], r["tree_mb"], f"not ok: {bad}" if bad else ""))
        elif a.no_parse_alone:
            rows.append((fmt, "parse_file", len(files), None, None, None, None, None, "skipped (--no-parse-alone)"))
        else:
            rows.append((fmt, "parse_file", len(files), r["seconds"], None, None, r["rss_mb"], r["tree_mb"],
                         "failed: " + (r["stderr"].strip().splitlines() or [""])[-1][:80]))
        one = None
        if a.workers > 1 and not a.no_parse_alone:
            log(f"{fmt}: parse_file in one process over {len(files)} files …")
            r1 = measure(step_cmd("parse", files, 1, tmp))
            if r1["rc"] == 0:
                inner = json.loads(r1["stdout"].strip().splitlines()[-1])
                one = len(files) / inner["seconds"]
                rows.append((fmt, "parse_file, 1 process", len(files), inner["seconds"], one,
                             base / one if base else None, r1["rss_mb"], r1["tree_mb"], f"load {r1['load']:.1f}"))
        if "ingest" in cmds:
            log(f"{fmt}: cascade ingest …")
            r = measure(CLI + ["ingest", str(out / "docs" / fmt), "--db", str(db), "--json", *ingest_where])
            try:
                s = json.loads(r["stdout"])
                note = f"{s['parsed']} parsed, {s['failed']} failed"
                if s.get("graph_seconds"):
                    note += f"; graph {s['graph_seconds']:.1f} s"
            except (ValueError, KeyError):
                note = f"rc {r['rc']}: " + (r["stderr"].strip().splitlines() or [""])[-1][:80]
            rate = len(files) / r["seconds"]
            if one:
                note += f"; {rate / one:.2f}x one parse_file process"
                figures[f"ingest_{fmt}_vs_one_parse"] = rate / one
            rows.append((fmt, "cascade ingest", len(files), r["seconds"], rate, base / rate if base else None,
                         r["rss_mb"], r["tree_mb"], note + f"; load {r['load']:.1f}"))
            figures[f"ingest_{fmt}_seconds"] = r["seconds"]
            figures[f"ingest_{fmt}_ratio"] = base / rate if base else None
        else:
            rows.append((fmt, "cascade ingest", len(files), None, None, None, None, None, "n/a: command missing"))

    # 3. whole corpus: queries, re-ingest, accuracy
    root = truth[0]
    root_path = str((out / root["file"]).resolve())
    n_below = sum(1 for r in truth if r["root"] == root["id"]) - 1
    all_folders = [str(out / "docs" / f) for f in formats if (out / "docs" / f).is_dir()]
    queries = [
        ("tree", CLI + ["tree", root_path, "--db", str(db), "--json"], f"root with {n_below} below"),
        *([("align", CLI + ["align", "--db", str(db), "--json", *ingest_where],
            "every pair of the store aligned and saved ahead of the queries")] if a.align else []),
        ("coverage", CLI + ["coverage", root_path, "--db", str(db), "--json"],
         f"root with {n_below} below; " + ("its pairs saved by `cascade align`" if a.align
                                           else "aligns every pair and saves it")),
        ("coverage again", CLI + ["coverage", root_path, "--db", str(db), "--json"], "saved pairs read back"),
        ("flag", CLI + ["flag", "--db", str(db), "--json"], "after coverage: the other roots' pairs aligned"),
        ("flag again", CLI + ["flag", "--db", str(db), "--json"], "saved pairs read back"),
        ("export json", CLI + ["export", "--format", "json", "-o", str(tmp / "graph.json"), "--db", str(db), "--force"], ""),
        ("re-ingest (no change)", CLI + ["ingest", *all_folders, "--db", str(db), "--json", *ingest_where], ""),
    ]
    flag_out = None
    for name, cmd, note in queries:
        cname = cmd[2]
        if cname not in cmds or not db.exists():
            rows.append(("corpus", f"cascade {name}", len(truth), None, None, None, None, None,
                         "n/a: command missing" if cname not in cmds else "n/a: no store"))
            continue
        log(f"cascade {name} …")
        r = measure(cmd, stdout_path=tmp / f"{cname}.out")
        txt = (tmp / f"{cname}.out").read_text(encoding="utf-8", errors="replace")
        if r["rc"] not in (0, 1) or (r["rc"] == 1 and cname != "ingest" and not txt.strip()):
            note = f"rc {r['rc']}: " + (r["stderr"].strip().splitlines() or [""])[-1][:70]
        elif cname == "ingest":
            try:
                s = json.loads(txt)
                note = f"{s['unchanged']} unchanged, {s['parsed']} parsed"
            except (ValueError, KeyError):
                pass
        if cname == "flag" and r["rc"] in (0, 1):
            flag_out = txt
        if cname == "align" and r["rc"] in (0, 1):
            try:
                s = json.loads(txt)
                note = f"{s['pairs']} pairs, {s['computed']} aligned, {s['failed']} failed; " + note
                figures["align_pairs"] = s["pairs"]
            except (ValueError, KeyError):
                pass
        rows.append(("corpus", f"cascade {name}", len(truth), r["seconds"], None, None, r["rss_mb"], r["tree_mb"],
                     (note + "; " if note else "") + f"load {r['load']:.1f}"))
        figures[f"{name}_seconds"] = r["seconds"]
        figures[f"{name}_rss_mb"] = r["rss_mb"]

    # one new document in the full store: the saved graph is updated, not rebuilt (issue 13)
    if "ingest" in cmds and db.exists() and "txt" in formats:
        one = one_new_file(out, tmp)
        if one is not None:
            log("cascade ingest of one new file …")
            r = measure(CLI + ["ingest", str(one.parent), "--db", str(db), "--json", "--workers", str(a.workers)])
            try:
                s = json.loads(r["stdout"])
                note = f"{s['parsed']} parsed; graph {s['graph_update'] or 'current'} {s['graph_seconds']:.2f} s"
                figures["graph_one_new_seconds"] = s["graph_seconds"]
                figures["graph_one_new_update"] = s["graph_update"]
            except (ValueError, KeyError):
                s, note = {}, f"rc {r['rc']}: " + (r["stderr"].strip().splitlines() or [""])[-1][:70]
            rows.append(("corpus", "graph after one new file", 1, s.get("graph_seconds"), None, None,
                         r["rss_mb"], r["tree_mb"], note + f"; ingest {r['seconds']:.1f} s; load {r['load']:.1f}"))

    if a.realdocs:
        real_db = tmp / "real.db"
        log(f"ingesting {a.realdocs} …")
        r = measure(CLI + ["ingest", str(a.realdocs), "--db", str(real_db), "--json", *ingest_where])
        rows.append(("realdocs", "cascade ingest", None, r["seconds"], None, None, r["rss_mb"], r["tree_mb"],
                     f"rc {r['rc']}; load {r['load']:.1f}"))
        for name, note in (("flag", "aligns every pair and saves it"), ("flag again", "saved pairs read back")):
            r = measure(CLI + ["flag", "--db", str(real_db), "--json"], stdout_path=tmp / "real-flag.out")
            rows.append(("realdocs", f"cascade {name}", None, r["seconds"], None, None, r["rss_mb"], r["tree_mb"],
                         f"{note}; rc {r['rc']}; load {r['load']:.1f}"))
            figures[f"realdocs_{name}_seconds"] = r["seconds"]

    ab = None
    if db.exists():
        log("cascade.align.align_below of the first root …")
        r = measure([PY, str(Path(__file__).resolve()), "--step", "align_below", "--db", str(db),
                     "--ref", root_path, "--out", str(out)])
        try:
            ab = json.loads(r["stdout"].strip().splitlines()[-1])
            rows.append(("corpus", "align_below(root) (library)", ab["pairs"], ab["seconds"],
                         ab["pairs"] / ab["seconds"] if ab["seconds"] else None, None, r["rss_mb"], r["tree_mb"],
                         f"pairs aligned; process {r['seconds']:.1f} s"))
            figures["align_below"] = ab
        except (ValueError, IndexError, KeyError):
            rows.append(("corpus", "align_below(root) (library)", None, r["seconds"], None, None, r["rss_mb"],
                         r["tree_mb"], "failed: " + (r["stderr"].strip().splitlines() or [""])[-1][:70]))

    acc_rows = []
    if (tmp / "graph.json").exists():
        la = link_accuracy(tmp / "graph.json", truth, out)
        figures["links"] = la
        acc_rows.append(("links found (implements, child → true parent)",
                         f"{la['found']:,} / {la['true_links']:,} = {la['found'] / max(1, la['true_links']):.4f}"))
        acc_rows.append(("  … counting any relation", f"{la['found_any_relation']:,} / {la['true_links']:,}"))
        acc_rows.append(("  wrong implements links (to another corpus doc)", f"{la['wrong_implements_links']:,}"))
        if la["missed_by_level"]:
            acc_rows.append(("  missed, by child level", json.dumps(la["missed_by_level"])))
    if db.exists():
        log("dropped tasks: aligning true pairs …")
        try:
            da = dropped_accuracy_align(db, truth, out, a.align_sample)
            figures["dropped"] = da
            p = "-" if da["precision"] is None else f"{da['precision']:.3f}"
            rc = "-" if da["recall"] is None else f"{da['recall']:.3f}"
            acc_rows.append((f"dropped tasks ({da['source']}, {da['pairs']} pairs)",
                             f"precision {p}, recall {rc} (tp {da['tp']}, fp {da['fp']}, fn {da['fn']}); "
                             f"{da['align_pairs_per_s']:.0f} pairs/s"))
        except Exception as e:  # report, don't lose the table
            acc_rows.append(("dropped tasks", f"failed: {type(e).__name__}: {e}"[:120]))
    if ab:
        pr = ab["tp"] / (ab["tp"] + ab["fp"]) if ab["tp"] + ab["fp"] else None
        rc = ab["tp"] / (ab["tp"] + ab["fn"]) if ab["tp"] + ab["fn"] else None
        acc_rows.append((f"dropped tasks (align_below of the first root, {ab['pairs']} pairs the graph chose, "
                         f"{ab['wrong_pair']} not a true pair)",
                         f"precision {pr if pr is None else round(pr, 3)}, recall {rc if rc is None else round(rc, 3)} "
                         f"(tp {ab['tp']}, fp {ab['fp']}, fn {ab['fn']})"))
    if flag_out is not None:
        acc_rows.append(("cascade flag output", f"{len(flag_out):,} bytes (task-level scoring: see README)"))

    # 4. the table
    print(f"\ncascade national benchmark — {a.docs:,} documents ({', '.join(formats)}), seed {a.seed}")
    where = f"ingest on the Dask cluster {a.cluster}, other steps {a.workers} workers" if a.cluster else f"workers {a.workers}"
    print(f"machine: {figures['machine']}; {where}; load average (1 min) at start "
          f"{load_start:.1f}, at end {os.getloadavg()[0]:.1f} (each step's at its end in its note)")
    hdr = ("format", "step", "docs", "seconds", "docs/s", "x bare", "RSS MiB", "tree MiB", "note")
    table = [hdr] + [(s, st, f"{n:,}" if n else "", f"{sec:.2f}" if sec is not None else "",
                      f"{rate:,.0f}" if rate else "", f"{ratio:.2f}" if ratio else "",
                      f"{rss:.0f}" if rss else "", f"{tree:.0f}" if tree else "", note)
                     for s, st, n, sec, rate, ratio, rss, tree, note in rows]
    widths = [max(len(str(r[i])) for r in table) for i in range(len(hdr))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(hdr, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in table[1:]:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    if acc_rows:
        print()
        print("| accuracy | figure |")
        print("|---|---|")
        for k, v in acc_rows:
            print(f"| {k} | {v} |")
    figures["rows"] = rows
    if a.json:
        a.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    if not a.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"\nkept: corpus {out}, store {db}")


if __name__ == "__main__":
    main()
