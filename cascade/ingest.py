"""Ingest folders into the store: walk, decide what needs parsing, parse in parallel, store.

    from cascade.ingest import ingest
    summary = ingest(["corpus/"], "cascade.db", workers=2, on_event=print)

Deciding what to parse (cheap first):
1. a path already stored with the same size and mtime → unchanged, not even hashed;
2. otherwise hash it (sha256): same hash as stored for that path → unchanged (re-stat only);
3. content already stored under another path that is gone from disk → moved (no parse);
   under a path still on disk → duplicate (linked, no parse);
4. otherwise parse: `new` (path unknown) or `changed` (path known, content differs).

Parsing runs in a ProcessPoolExecutor over chunks of files; each worker parses, builds the rows
(JSON included) and returns them; the main process only writes, one transaction per chunk. A
kill -9 or Ctrl-C leaves every committed chunk in place and nothing half-written; the next run
finds the rest still to do. A file that fails to parse is stored with its status and one-line
reason and the batch goes on.

Events passed to `on_event(kind, data)`: "scan" {files, to_parse}, "parsed" {path, status,
error}, "done" {summary}. The CLI draws its progress bar from them.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from cascade import __version__
from cascade.files import sha256_file, walk
from cascade.graph.saved import current
from cascade.models import FAILED_STATUSES, STATUS_ERROR, Record
from cascade.store import Store, row_from_record
from cascade.text import one_line

DEFAULT_PARSER = "cascade.parse:parse_file"
DEFAULT_TIMEOUT = 300.0     # seconds one file may take before it is recorded as failed


@dataclass
class Summary:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    moved: int = 0
    duplicate: int = 0
    removed: int = 0
    retried: int = 0                                   # failed before, parsed again (--retry-failed)
    parsed: int = 0
    failed: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    graph_seconds: float = 0.0                         # rebuilding the saved graph (in seconds)
    by_format: dict = field(default_factory=dict)      # format -> {parsed, failed}
    failures: list = field(default_factory=list)       # [{path, status, error}]

    @property
    def files_per_second(self) -> float:
        return round(self.parsed / self.seconds, 2) if self.seconds else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["files_per_second"] = self.files_per_second
        return d


# ------------------------------------------------------------------ worker side
_PARSERS: dict[str, Callable] = {}


def _parser(spec: str) -> Callable:
    fn = _PARSERS.get(spec)
    if fn is None:
        mod, _, name = spec.partition(":")
        fn = getattr(importlib.import_module(mod), name)
        _PARSERS[spec] = fn
    return fn


def _warm(spec: str) -> None:
    """Worker initializer: import the parser once per process, not per document.

    Ctrl-C is the main process's business: it stops handing out work and keeps what is stored.
    """
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _parser(spec)
    except Exception:
        pass  # reported per file by parse_chunk


class ParseTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise ParseTimeout()


def _call_with_timeout(fn, arg, timeout: Optional[float]):
    """fn(arg), interrupted after `timeout` seconds (SIGALRM; Python code only: a long call
    inside a C library is interrupted when it returns)."""
    import signal
    import threading
    if not timeout or threading.current_thread() is not threading.main_thread():
        return fn(arg)
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(arg)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_one(path: str, sha: str, spec: str = DEFAULT_PARSER, timeout: Optional[float] = None) -> dict:
    """Parse one file into store rows; never raises for a bad file."""
    t0 = time.perf_counter()
    fmt = Path(path).suffix.lower().lstrip(".")
    try:
        rec = _call_with_timeout(_parser(spec), path, timeout)
        if not isinstance(rec, Record):
            raise TypeError(f"parser returned {type(rec).__name__}, not Record")
    except ParseTimeout:
        rec = Record(source=path, format=fmt, status=STATUS_ERROR,
                     error=f"parsing took longer than {timeout:g} s; skipped")
    except Exception as e:  # one bad file must not stop the batch
        msg = one_line(e) or type(e).__name__
        rec = Record(source=path, format=fmt, status=STATUS_ERROR, error=f"{type(e).__name__}: {msg}"[:300])
    rec.source = path
    rec.sha256 = sha
    if not rec.format:
        rec.format = fmt
    if rec.status in FAILED_STATUSES and not rec.error:
        rec.error = rec.status
    return row_from_record(rec, __version__, time.perf_counter() - t0)


def parse_chunk(items: list[tuple[str, int, int, str]], spec: str = DEFAULT_PARSER,
                timeout: Optional[float] = None) -> list[tuple]:
    """items: (path, size, mtime_ns, sha). Returns (path, size, mtime_ns, row) for each."""
    return [(p, s, m, parse_one(p, sha, spec, timeout)) for p, s, m, sha in items]


# ------------------------------------------------------------------ main side
def plan(store, files: list[Path], roots: list[Path], retry_failed: bool = False) -> tuple[Summary, dict]:
    """Decide what each walked file needs. Returns the summary so far and the work lists.

    retry_failed: parse again the unchanged files whose last parse failed (after installing
    an OCR engine, or fixing a parser bug)."""
    s = Summary(files=len(files))
    known = store.file_index()
    stored_shas = store.doc_ids_by_sha()
    touched, linked, to_parse = [], [], []
    on_disk = {str(f) for f in files}
    # stored paths under the walked roots that are gone: candidates for moves, else removed
    root_strs = [str(r.resolve()) for r in roots]
    gone = {p: row for p, row in known.items()
            if p not in on_disk and not Path(p).exists()
            and any(p == r or p.startswith(r.rstrip(os.sep) + os.sep) for r in root_strs)}
    gone_by_sha: dict[str, list[str]] = {}
    for p, row in gone.items():
        gone_by_sha.setdefault(row.sha256, []).append(p)
    moved = []
    for f in files:
        p = str(f)
        try:
            st = f.stat()
            sha = None
        except (OSError, RuntimeError):
            # unreadable here (symlink loop, vanished, no permission): the parser records why
            s.new += 1
            to_parse.append((p, 0, 0, "unreadable:" + hashlib.sha256(p.encode()).hexdigest()))
            continue
        row = known.get(p)
        if retry_failed and row is not None and row.status in FAILED_STATUSES:
            s.retried += 1
            to_parse.append((p, st.st_size, st.st_mtime_ns, sha256_file(f)))
            continue
        if row is not None and row.size == st.st_size and row.mtime_ns == st.st_mtime_ns:
            s.unchanged += 1
            continue
        try:
            sha = sha256_file(f)
        except OSError:
            s.new += 1
            to_parse.append((p, st.st_size, st.st_mtime_ns, "unreadable:" + hashlib.sha256(p.encode()).hexdigest()))
            continue
        if row is not None and row.sha256 == sha:
            s.unchanged += 1
            touched.append((p, st.st_size, st.st_mtime_ns))
        elif row is None and gone_by_sha.get(sha):
            old = gone_by_sha[sha].pop()
            del gone[old]
            s.moved += 1
            moved.append((old, p, st.st_size, st.st_mtime_ns))
        elif sha in stored_shas:
            s.duplicate += 1
            linked.append((p, st.st_size, st.st_mtime_ns, sha))
        else:
            if row is None:
                s.new += 1
            else:
                s.changed += 1
            to_parse.append((p, st.st_size, st.st_mtime_ns, sha))
    s.removed = len(gone)
    return s, {"touched": touched, "moved": moved, "linked": linked, "removed": sorted(gone),
               "to_parse": to_parse}


def _chunks(items: list, workers: int, max_size: int = 8) -> list[list]:
    if not items:
        return []
    size = max(1, min(max_size, len(items) // (workers * 4) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def ingest(paths: Iterable, db, workers: Optional[int] = None, on_event: Optional[Callable] = None,
           parser: str = DEFAULT_PARSER, reparse: bool = False, graph: bool = True,
           timeout: Optional[float] = DEFAULT_TIMEOUT, retry_failed: bool = False) -> Summary:
    """Walk `paths`, parse what is new or changed into the store at `db`. See the module doc."""
    t0 = time.perf_counter()
    emit = on_event or (lambda kind, data: None)
    roots = [Path(p) for p in paths]
    files = walk(roots)
    workers = max(1, workers or os.cpu_count() or 1)
    with Store(db) as store:
        summary, work = plan(store, files, [r for r in roots if r.is_dir()] + [r.parent for r in roots if r.is_file()],
                             retry_failed=retry_failed)
        if reparse:   # parse again everything walked, whatever its state
            work["to_parse"] = [(str(f), f.stat().st_size, f.stat().st_mtime_ns, sha256_file(f)) for f in files]
        store.update_files(work["touched"], work["moved"], work["linked"], work["removed"])
        todo = work["to_parse"]
        # biggest first: the slow PDFs start early and the pool ends evenly
        todo.sort(key=lambda t: -t[1])
        emit("scan", {"files": len(files), "to_parse": len(todo)})
        try:
            for batch in _run(todo, workers, parser, timeout):
                store.save_parsed(batch)
                for path, _s, _m, row in batch:
                    _count(summary, row)
                    emit("parsed", {"path": path, "status": row["doc"]["status"], "error": row["doc"]["error"]})
        except KeyboardInterrupt:
            summary.interrupted = True
        if graph and not summary.interrupted:
            # resolve citations and save the graph now, so the first query is fast
            t1 = time.perf_counter()
            if current(store) is not None:
                summary.graph_seconds = round(time.perf_counter() - t1, 3)
    summary.seconds = round(time.perf_counter() - t0, 3)
    emit("done", summary.to_dict())
    return summary


def _count(summary: Summary, row: dict) -> None:
    d = row["doc"]
    summary.parsed += 1
    fmt = summary.by_format.setdefault(d["format"] or "?", {"parsed": 0, "failed": 0})
    fmt["parsed"] += 1
    if d["status"] in FAILED_STATUSES:
        summary.failed += 1
        fmt["failed"] += 1
        summary.failures.append({"path": d["path"], "status": d["status"], "error": d["error"]})


def _run(todo: list, workers: int, parser: str, timeout: Optional[float] = None):
    """Yield parsed chunks as they complete. workers == 1 parses in this process."""
    if not todo:
        return
    if workers == 1:
        for chunk in _chunks(todo, 1, 4):
            yield parse_chunk(chunk, parser, timeout)
        return
    chunks = _chunks(todo, workers)
    pending = list(chunks)
    while pending:
        ex = ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(parser,))
        futures = {ex.submit(parse_chunk, c, parser, timeout): c for c in pending}
        pending = []
        try:
            for fut in as_completed(futures):
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    # a worker died (segfault, out of memory): every chunk not yet stored is
                    # retried file by file in a process of its own, so the culprit is recorded
                    # as failed and the rest go on
                    pending.extend(futures.values())
                    break
                del futures[fut]          # a stored chunk's rows (text, JSON) are not kept
                yield result
                del result
        except BaseException:
            ex.shutdown(wait=False, cancel_futures=True)
            raise
        ex.shutdown(wait=True, cancel_futures=True)
        if pending:
            for chunk in pending:
                for item in chunk:
                    yield _isolated(item, parser, timeout)
            pending = []


def _isolated(item, parser: str, timeout: Optional[float] = None) -> list[tuple]:
    """Parse one file in its own process; a crash becomes a failed record."""
    path, size, mtime, sha = item
    with ProcessPoolExecutor(max_workers=1) as ex:
        try:
            return ex.submit(parse_chunk, [item], parser, timeout).result()
        except BrokenProcessPool:
            rec = Record(source=path, format=Path(path).suffix.lower().lstrip("."), sha256=sha,
                         status=STATUS_ERROR, error="the parser crashed on this file (worker process died)")
            return [(path, size, mtime, row_from_record(rec, __version__))]
