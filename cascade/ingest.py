"""Ingest folders into the store: walk, decide what needs parsing, parse in parallel, store.

    from cascade.ingest import ingest
    summary = ingest(["corpus/"], "cascade.db", workers=2, on_event=print)

Deciding what to parse (cheap first):
1. a path already stored with the same size and mtime → unchanged, not even hashed;
2. otherwise hash it (sha256): same hash as stored for that path → unchanged (re-stat only);
3. content already stored under another path that is gone from disk → moved (no parse);
   under a path still on disk → duplicate (linked, no parse);
4. otherwise parse: `new` (path unknown) or `changed` (path known, content differs).

The main process never opens a document: it only stats. A FIFO, device or socket (or a link
to one) is recorded as failed with what it is; hidden names are reported as skipped. Hashing
and parsing run in `cascade.sandbox` worker processes, one file a call, under a wall-clock limit
(`timeout`, then the worker is killed) and a memory limit (`memory_mb`, RLIMIT_AS); a killed
worker fails its file, never the batch, and workers die with the main process. Each worker
parses and builds the rows (JSON included); the main process only writes, 8 to 64
files a transaction. A kill -9 or Ctrl-C leaves every committed transaction in place and nothing
half-written; the next run finds the rest still to do. A file that fails to parse is stored with
its status and one-line reason and the batch goes on.

With `cluster=` the hashing and parsing run on a Dask cluster's workers instead (cascade.cluster:
same calls, each in a sandbox on its worker, under the same limits); the workers get paths, not
bytes, and send rows back; the plan, the batches and the single writer are unchanged, and so is
resuming: what was saved stays, the next run parses what is missing.

Events passed to `on_event(kind, data)`: "scan" {files, to_parse, skipped}, "parsed" {path, status,
error}, "done" {summary}. The CLI draws its progress bar from them.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import os
import queue
import stat
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from cascade import __version__
from cascade.files import not_regular, scan
from cascade.graph.saved import refresh
from cascade.models import FAILED_STATUSES, STATUS_ERROR, Record
from cascade.sandbox import DEFAULT_MEMORY_MB, Sandbox, resolve
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
    hashed: int = 0                                    # files read to hash them (stat said: maybe changed)
    parsed: int = 0
    failed: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    graph_seconds: float = 0.0                         # bringing the saved graph up to date (in seconds)
    graph_update: str = ""                             # "incremental" / "rebuilt" / "" (it was current)
    by_format: dict = field(default_factory=dict)      # format -> {parsed, failed}
    failures: list = field(default_factory=list)       # [{path, status, error}]
    skipped: list = field(default_factory=list)        # [{path, reason}]: hidden names, lock files
    then: dict = field(default_factory=dict)           # what `then` returned (not counted in `seconds`)

    @property
    def files_per_second(self) -> float:
        return round(self.parsed / self.seconds, 2) if self.seconds else 0.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["files_per_second"] = self.files_per_second
        return d


# ------------------------------------------------------------------ worker side
HASHER = "cascade.files:sha256_file"


class ParseTimeout(BaseException):
    """Raised by the alarm inside the parser: a BaseException, so that no loader's
    `except Exception` takes it for a bad file."""


def _on_alarm(signum, frame):
    raise ParseTimeout()


def _call_with_timeout(fn, arg, timeout: Optional[float]):
    """fn(arg), interrupted after `timeout` seconds (SIGALRM; Python code only: a call stuck
    inside a C library is ended by the sandbox killing the worker a little later)."""
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
    """Parse one file into store rows; never raises for a bad file (runs in a worker)."""
    t0 = time.perf_counter()
    try:
        fn = resolve(spec)
        if _takes_sha256(spec):    # the file was hashed to plan the ingest: not read again for it
            fn = functools.partial(fn, sha256=sha)
        rec = _call_with_timeout(fn, path, timeout)
        if not isinstance(rec, Record):
            raise TypeError(f"parser returned {type(rec).__name__}, not Record")
    except ParseTimeout:
        rec = _failed(path, f"parsing took longer than {timeout:g} s; skipped")
    except MemoryError:
        rec = _failed(path, "out of memory while parsing")
    except Exception as e:  # one bad file must not stop the batch
        msg = one_line(e) or type(e).__name__
        rec = _failed(path, f"{type(e).__name__}: {msg}"[:300])
    return _row(rec, path, sha, time.perf_counter() - t0)


@functools.lru_cache(maxsize=16)      # asked for every file: inspect.signature was ~2 % of a worker
def _takes_sha256(spec: str) -> bool:
    """Whether the parser named `spec` takes the file's sha256 (keyed by its name: a parser may be
    a callable that cannot be hashed)."""
    try:
        return "sha256" in inspect.signature(resolve(spec)).parameters
    except (TypeError, ValueError):
        return False


def _failed(path: str, error: str) -> Record:
    return Record(source=path, format=Path(path).suffix.lower().lstrip("."), status=STATUS_ERROR, error=error)


def _row(rec: Record, path: str, sha: str, seconds: float = 0.0) -> dict:
    rec.source = path
    rec.sha256 = sha
    if not rec.format:
        rec.format = Path(path).suffix.lower().lstrip(".")
    if rec.status in FAILED_STATUSES and not rec.error:
        rec.error = rec.status
    return row_from_record(rec, __version__, seconds)


def _placeholder_sha(path: str) -> str:
    """The store's content key for a file that was not read (one per path)."""
    return "unreadable:" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()


# ------------------------------------------------------------------ main side
def plan(store, files: list[Path], roots: list[Path], retry_failed: bool = False, reparse: bool = False,
         hash_files: Optional[Callable[[list[str]], dict]] = None) -> tuple[Summary, dict]:
    """Decide what each walked file needs. Returns the summary so far and the work lists.

    Only stats files; those whose stat differs from the store's are hashed by `hash_files`
    (paths → {path: (sha, None) or (None, reason)}), in worker processes when ingest calls.
    retry_failed: parse again the unchanged files whose last parse failed (after installing
    an OCR engine, or fixing a parser bug). reparse: parse every file again."""
    s = Summary(files=len(files))
    known = store.file_index()
    stored_shas = store.doc_ids_by_sha()
    touched, linked, to_parse, refused = [], [], [], []
    on_disk = {str(f) for f in files}
    # stored paths under the walked roots that are gone: candidates for moves, else removed
    root_strs = [str(r.resolve()) for r in roots]
    gone = {p: row for p, row in known.items()
            if p not in on_disk and not os.path.lexists(p)
            and any(p == r or p.startswith(r.rstrip(os.sep) + os.sep) for r in root_strs)}
    gone_by_sha: dict[str, list[str]] = {}
    for p, row in gone.items():
        gone_by_sha.setdefault(row.sha256, []).append(p)
    moved = []
    need_hash: list[tuple[str, int, int, Optional[object], bool]] = []   # (…, stored row, parse whatever)
    for f in files:
        p = str(f)
        row = known.get(p)
        try:
            st = f.stat()
        except (OSError, RuntimeError):
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            # not read at all (a FIFO, a device, a broken link, a loop): recorded with what it is
            size, mtime = (st.st_size, st.st_mtime_ns) if st is not None else (0, 0)
            if row is not None and row.size == size and row.mtime_ns == mtime and not (reparse or retry_failed):
                s.unchanged += 1
                continue
            s.new += row is None
            s.changed += row is not None
            refused.append((p, size, mtime, _placeholder_sha(p), not_regular(f) or "not a regular file"))
            continue
        if reparse or (retry_failed and row is not None and row.status in FAILED_STATUSES):
            s.retried += not reparse
            need_hash.append((p, st.st_size, st.st_mtime_ns, row, True))
            continue
        if row is not None and row.size == st.st_size and row.mtime_ns == st.st_mtime_ns:
            s.unchanged += 1
            continue
        need_hash.append((p, st.st_size, st.st_mtime_ns, row, False))
    shas = (hash_files or _hash_here)([x[0] for x in need_hash]) if need_hash else {}
    s.hashed = len(need_hash)
    for p, size, mtime, row, force in need_hash:
        sha, why = shas.get(p, (None, "not hashed"))
        if sha is None:
            if not force:
                s.new += row is None
                s.changed += row is not None
            refused.append((p, size, mtime, _placeholder_sha(p), why))
        elif force:
            to_parse.append((p, size, mtime, sha))
        elif row is not None and row.sha256 == sha:
            s.unchanged += 1
            touched.append((p, size, mtime))
        elif row is None and gone_by_sha.get(sha):
            old = gone_by_sha[sha].pop()
            del gone[old]
            s.moved += 1
            moved.append((old, p, size, mtime))
        elif sha in stored_shas:
            s.duplicate += 1
            linked.append((p, size, mtime, sha))
        else:
            if row is None:
                s.new += 1
            else:
                s.changed += 1
            to_parse.append((p, size, mtime, sha))
    s.removed = len(gone)
    return s, {"touched": touched, "moved": moved, "linked": linked, "removed": sorted(gone),
               "to_parse": to_parse, "refused": refused}


def _hash_here(paths: list[str]) -> dict:
    """Hash in this process (plan() called without workers, in tests)."""
    out = {}
    for p in paths:
        try:
            out[p] = (resolve(HASHER)(p), None)
        except OSError as e:
            out[p] = (None, one_line(e.strerror or e) if not str(e) else one_line(e))
    return out


def ingest(paths: Iterable, db, workers: Optional[int] = None, on_event: Optional[Callable] = None,
           parser: str = DEFAULT_PARSER, reparse: bool = False, graph: bool = True,
           timeout: Optional[float] = DEFAULT_TIMEOUT, retry_failed: bool = False,
           memory_mb: Optional[int] = DEFAULT_MEMORY_MB, cluster: Optional[str] = None,
           then: Optional[Callable] = None) -> Summary:
    """Walk `paths`, parse what is new or changed into the store at `db`. See the module doc.

    cluster: hash and parse on a Dask cluster (`tcp://scheduler:8786`, or `local:N`) instead of
    `workers` local processes (cascade.cluster); the plan and the saving are the same.
    then(store, pool) → dict: more work on the same store and workers (the Sandbox or the Dask
    pool, which have `run(spec, jobs)`) once the graph is saved, not after an interrupted run
    (`cascade ingest --align` aligns the new pairs there); its dict is Summary.then."""
    t0 = time.perf_counter()
    emit = on_event or (lambda kind, data: None)
    roots = [Path(p) for p in paths]
    walked = scan(roots)
    files = walked.files
    workers = max(1, workers or os.cpu_count() or 1)
    # the cluster first: an unreachable scheduler must not leave an empty store behind
    with _pool(cluster, workers, timeout, memory_mb, parser, roots) as box, Store(db) as store:
        summary, work = plan(store, files, [r for r in roots if r.is_dir()] + [r.parent for r in roots if not r.is_dir()],
                             retry_failed=retry_failed, reparse=reparse,
                             hash_files=lambda ps: _hash_in(box, ps, timeout))
        summary.skipped = [{"path": p, "reason": why} for p, why in walked.skipped]
        store.update_files(work["touched"], work["moved"], work["linked"], work["removed"])
        todo = work["to_parse"]
        # biggest first: the slow PDFs start early and the pool ends evenly
        todo.sort(key=lambda t: (-t[1], t[0]))
        refused = [(p, size, mtime, _row(_failed(p, why), p, sha)) for p, size, mtime, sha, why in work["refused"]]
        emit("scan", {"files": len(files), "to_parse": len(todo) + len(refused), "skipped": len(walked.skipped)})
        if isinstance(box, Sandbox):
            rows = _ahead(lambda stop: _run(box, todo, parser, timeout, stop))
        else:                   # a Dask cluster works ahead of the caller by itself
            rows = _run(box, todo, parser, timeout)
        try:
            for batch in _batches(refused, rows):
                store.save_parsed(batch)
                for path, _s, _m, row in batch:
                    _count(summary, row)
                    emit("parsed", {"path": path, "status": row["doc"]["status"], "error": row["doc"]["error"]})
        except KeyboardInterrupt:
            summary.interrupted = True
        finally:
            rows.close()        # the workers stop here, not whenever the generators are collected
        if graph and not summary.interrupted:
            # resolve citations and save the graph now, so the first query is fast
            t1 = time.perf_counter()
            summary.graph_update = refresh(store)
            if summary.graph_update:
                summary.graph_seconds = round(time.perf_counter() - t1, 3)
        if then is not None and graph and not summary.interrupted:
            t2 = time.perf_counter()
            summary.then = then(store, box)
            t0 += time.perf_counter() - t2          # `seconds` is the reading: `then` times itself
    summary.seconds = round(time.perf_counter() - t0, 3)
    emit("done", summary.to_dict())
    return summary


def _pool(cluster: Optional[str], workers: int, timeout: Optional[float], memory_mb: Optional[int], parser: str,
          roots: list[Path]):
    """Where hashing and parsing run: local sandboxed processes, or a Dask cluster; both have
    `run(spec, jobs, timeout)` → (job, Outcome) as calls end."""
    if not cluster:
        return Sandbox(workers, timeout=timeout, memory_mb=memory_mb, warm=parser)
    from cascade.cluster import DaskPool
    return DaskPool(cluster, timeout=timeout, memory_mb=memory_mb, warm=parser, chunks={HASHER: 32}, paths=roots)


def _hash_in(box: Sandbox, paths: list[str], timeout: Optional[float]) -> dict:
    out = {}
    for (p,), o in box.run(HASHER, [(p,) for p in paths], timeout=timeout):
        out[p] = (o.value, None) if o.ok else (None, f"reading {o.error}" if o.killed else _reason(o.error))
    return out


def _reason(error: str) -> str:
    """A worker's error for the user: our own refusals without their exception type."""
    for prefix in ("NotReadable: ", "PermissionError: ", "FileNotFoundError: ", "OSError: "):
        if error.startswith(prefix):
            return error[len(prefix):]
    return error


def _ahead(make_rows: Callable[[threading.Event], Iterator], depth: int = 512) -> Iterator:
    """The rows of `make_rows(stop)` pulled by a thread of their own, up to `depth` ahead of the
    caller: local workers are handed their next file the moment they answer, not once the caller
    has saved a batch (they sat idle through every transaction). Stopping the iteration (Ctrl-C
    while saving) sets `stop`, which the rows' source checks at least every few tenths of a second:
    it ends, abandoning the calls still running, as before; an error in the rows is raised here."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()
    rows = make_rows(stop)

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pump() -> None:
        try:
            for r in rows:
                if not put((r, None)):
                    break
        except BaseException as e:           # noqa: BLE001 - handed to the caller's thread
            put((end, e))
            return
        finally:
            rows.close()
        put((end, None))

    thread = threading.Thread(target=pump, name="cascade-ingest-workers", daemon=True)
    thread.start()
    try:
        while True:
            try:
                item, error = q.get(timeout=0.5)
            except queue.Empty:
                continue
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _batches(first: list, rows: Iterable, size: int = 8, most: int = 64, seconds: float = 1.0):
    """Rows in lists of `size`, doubling with each list up to `most`, or what came within
    `seconds`: one transaction each. The first ones are small (the first files show up at once);
    then each transaction's fixed cost (a commit flushed to disk, and on PostgreSQL a dozen round
    trips: 10 ms) is shared by more files."""
    if first:
        yield first
    batch, t = [], time.monotonic()
    for r in rows:
        batch.append(r)
        if len(batch) >= size or time.monotonic() - t >= seconds:
            yield batch
            batch, t = [], time.monotonic()
            size = min(most, size * 2)
    if batch:
        yield batch


def _count(summary: Summary, row: dict) -> None:
    d = row["doc"]
    summary.parsed += 1
    fmt = summary.by_format.setdefault(d["format"] or "?", {"parsed": 0, "failed": 0})
    fmt["parsed"] += 1
    if d["status"] in FAILED_STATUSES:
        summary.failed += 1
        fmt["failed"] += 1
        summary.failures.append({"path": d["path"], "status": d["status"], "error": d["error"]})


def _run(box: Sandbox, todo: list, parser: str, timeout: Optional[float] = None,
         stop: Optional[threading.Event] = None):
    """Yield (path, size, mtime_ns, row) as each file's parse ends, in worker processes (until
    `stop` is set, when given: local workers only)."""
    items = {t[0]: t for t in todo}
    jobs = [(p, sha, parser, timeout) for p, _s, _m, sha in todo]
    calls = box.run("cascade.ingest:parse_one", jobs, timeout=timeout, **({"stop": stop} if stop else {}))
    for (path, sha, _spec, _t), o in calls:
        _p, size, mtime, _sha = items[path]
        if o.ok:
            row = o.value
        else:
            error = o.error
            if o.killed and "longer than" in error:
                error = f"parsing {error}"
            elif o.killed:
                error = f"the parser crashed on this file: {error}"
            row = _row(_failed(path, error), path, sha)
        yield path, size, mtime, row
