"""Run ingest's calls on a Dask cluster (`dask.distributed`) instead of local worker processes.

    with DaskPool("tcp://scheduler:8786", timeout=300, memory_mb=2048, warm=parser) as pool:
        for job, outcome in pool.run("cascade.ingest:parse_one", jobs):
            outcome.ok, outcome.value, outcome.error

`DaskPool.run` keeps `Sandbox.run`'s contract — (job, Outcome) in the order calls end — so ingest
plans, saves and counts exactly as on one machine; only who runs the calls changes. The main
process stays the only writer of the store: workers send rows back, ingest saves them in batches.

Files are read where they are: a task carries a path (and the hash the plan computed), never the
file's bytes, so every worker must see the folders at the same paths as the machine that runs
`cascade ingest` (`check` refuses a cluster whose workers cannot; see docs/dask.md).

On a worker, each call runs in that worker thread's own `Sandbox` (one process, started on the
first call and kept warm): the time and memory limits hold as on one machine — a Dask thread
cannot take SIGALRM, and a parse stuck inside a C library can only be stopped by killing a
process. So a file that hangs or crashes its parser fails with the same reason as locally, and
the Dask worker lives on. What is left to the cluster:
- a task that raises (the sandbox could not start a process, a worker lacks a module) is retried
  `RETRIES` more times, on any worker (Dask `retries=`); then its files fail with that error;
- a Dask worker that dies (the machine lost, the OOM killer, kill -9) has its tasks handed to the
  other workers by the scheduler; a task that was running on more than `allowed-failures` workers
  that died (the scheduler's `distributed.scheduler.allowed-failures`, 3 by default) is recorded
  as failed with that reason, and the run goes on. A chunk of several calls is then split and
  each call tried alone, so that one bad file costs only itself. Dask counts a death against
  every task the worker held, so a file that kills worker after worker can take an innocent
  file down with it (then failed with the same reason; `--retry-failed` reads it again).
At most a window of tasks is in flight (four per worker thread), so memory on the scheduler stays
flat at a million files and an interrupted run leaves little to cancel.

`dask.distributed` is imported only when a pool is made: cascade runs without it.
"""
from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import threading
import time
import uuid
from typing import Iterable, Iterator, Optional

from cascade.i18n import _
from cascade.sandbox import DEFAULT_MEMORY_MB, Outcome, Sandbox

RETRIES = 2                 # a task that raised is tried this many more times (on any worker)
CONNECT_TIMEOUT = 10.0      # seconds to reach a scheduler
WORKERS_TIMEOUT = 60.0      # seconds to wait for a first worker to join
PER_THREAD = 4              # tasks in flight per worker thread
MAX_CHUNK = 32              # calls per task at most: a task costs the scheduler, the worker and this
                            # process a few ms each, as much as parsing a small .txt
# external programs the loaders call (parse/loaders/doc.py, parse/ocr.py): a worker that lacks one
# this machine has would parse some files differently from a local run
TOOLS = ("antiword", "catdoc", "tesseract")


class ClusterError(Exception):
    """The cluster cannot be used (unreachable, no workers, workers unlike this machine): one line."""


def parse_address(text: str) -> tuple[str, object]:
    """`local:N` → ("local", N); `tcp://host:port` (any scheme), or `host:port` → ("remote", address).
    Raises ValueError with the forms accepted."""
    t = (text or "").strip()
    if t.lower() == "local":
        return "local", max(1, os.cpu_count() or 1)
    if t.lower().startswith("local:"):               # never a host named "local": local:0, local:two are errors
        if t[6:].isdigit() and int(t[6:]) >= 1:
            return "local", int(t[6:])
    elif "://" in t and t.split("://", 1)[1]:
        return "remote", t
    elif ":" in t and t.rsplit(":", 1)[1].isdigit() and t.rsplit(":", 1)[0]:
        return "remote", "tcp://" + t
    raise ValueError(_("--cluster {value!r}: expected tcp://HOST:PORT (a Dask scheduler) or local:N "
                       "(N worker processes on this machine)").format(value=text))


# ------------------------------------------------------------------ worker side
_here = threading.local()


def _sandbox(timeout: Optional[float], memory_mb: Optional[int], warm: Optional[str]) -> Sandbox:
    """This worker thread's sandbox (a thread's own: Linux ends a child when the thread that
    started it ends, PR_SET_PDEATHSIG). Kept across runs while the limits stay the same (`warm`
    only preloads: another parser is imported on its first call)."""
    key = (timeout, memory_mb)
    box = getattr(_here, "box", None)
    if box is None or _here.key != key:
        if box is not None:
            box.close()
        box = _here.box = Sandbox(1, timeout=timeout, memory_mb=memory_mb, warm=warm)
        _here.key = key
    return box


def call_on_worker(spec: str, jobs: list, timeout: Optional[float], memory_mb: Optional[int],
                   warm: Optional[str]) -> list:
    """Run spec(*job) for each job in this worker's sandbox: [(job, Outcome)] (a Dask task)."""
    return list(_sandbox(timeout, memory_mb, warm).run(spec, jobs, timeout=timeout))


def dask_setup(worker) -> None:
    """Dask preload hook, run in each worker process that `local:N` starts: Ctrl-C reaches the
    whole process group, and it is the main process's business (it cancels and closes the
    cluster); a worker that took it would die with a traceback."""
    import signal
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def code_fingerprint() -> str:
    """sha256 of cascade's own files (code, data, catalogues; not caches): two checkouts that say
    the same version may still parse differently."""
    import hashlib
    from pathlib import Path
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(f.relative_to(root)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def worker_facts(paths: list) -> dict:
    """What `check` compares: cascade's version and code, the tools on PATH, which paths are not
    visible."""
    from cascade import __version__
    return {"version": __version__, "code": code_fingerprint(), "python": sys.version.split()[0],
            "tools": sorted(t for t in TOOLS if shutil.which(t)),
            "missing": [p for p in paths if not os.path.exists(p)]}


# ------------------------------------------------------------------ main side
LOG_MESSAGES = 32           # messages each Dask connection keeps for debugging (its default: 1,000)


def _short_logs():
    """Dask keeps the last `distributed.admin.low-level-log-length` messages of every connection
    (BatchedSend.recent_message_log), payload included: with align's jobs (~1 MB: children's texts)
    the client and a local scheduler held ~1.8 GB at 100,000 pairs. Read when a connection is made."""
    import dask
    return dask.config.set({"distributed.admin.low-level-log-length": LOG_MESSAGES})


def _dask_loggers() -> list:
    """distributed's loggers: its logging config gives some their own level (distributed.client)."""
    names = [n for n in logging.root.manager.loggerDict if n == "distributed" or n.startswith("distributed.")]
    return sorted(set(names) | {"distributed", "distributed.client"})


def chunk_size(calls: int, threads: int) -> int:
    """Calls per task: enough tasks for eight rounds of every worker thread (so that the end of a
    run stays even), at most MAX_CHUNK calls a task (so that per-task overhead stays small)."""
    return max(1, min(MAX_CHUNK, calls // (8 * max(1, threads))))


class DaskPool:
    """Calls run as Dask tasks on the cluster at `address` (`tcp://…`, or `local:N` to start a
    LocalCluster of N worker processes with one thread each, closed with the pool)."""

    def __init__(self, address: str, timeout: Optional[float] = 300.0, memory_mb: Optional[int] = DEFAULT_MEMORY_MB,
                 warm: Optional[str] = None, chunks: Optional[dict] = None, paths: Iterable = ()):
        self.kind, self.target = parse_address(address)
        self.address = address
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.warm = warm
        self.chunks = dict(chunks or {})     # spec → calls per task (cheap calls: hashing); else chunk_size
        self.paths = [os.path.abspath(str(p)) for p in paths]
        self.client = None
        self.cluster = None
        self._log_levels: dict = {}

    # -------------------------------------------------------------- connecting
    def __enter__(self):
        """Connect to a remote scheduler and check its workers now, before anything is stored; a
        local cluster is started by the first `run` (a run with nothing to read starts none)."""
        import importlib.util
        if importlib.util.find_spec("distributed") is None:     # (importing it takes ~0.7 s: only when used)
            raise ClusterError(_("--cluster needs dask.distributed, which is not installed; "
                                 "pip install \"dask[distributed]\"")) from None
        if self.kind == "remote":
            import distributed
            self._quiet()
            try:
                with _short_logs():
                    self.client = distributed.Client(self.target, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as e:
                if "Timed out" in str(e) or isinstance(e, TimeoutError):
                    raise ClusterError(_("cannot reach the Dask scheduler at {address} (no answer within {n:g} s)")
                                       .format(address=self.target, n=CONNECT_TIMEOUT)) from None
                raise ClusterError(_("cannot reach the Dask scheduler at {address}: {reason}").format(
                    address=self.target, reason=" ".join(str(e).split()) or type(e).__name__)) from None
            try:
                self.check()
            except BaseException:
                self.close()
                raise
        return self

    def start(self) -> None:
        """Start the local cluster of `local:N` (done by the first `run`)."""
        import distributed
        if self.client is not None:
            return
        import dask
        self._quiet()
        # on this machine only; no dashboard, and the scheduler's HTTP routes on a free port; no
        # statistical profiler in the workers (it samples every thread every 10 ms, for a
        # dashboard nobody opens: ~1 s of CPU a worker at 3,400 files, on the cores that parse)
        with dask.config.set({"distributed.worker.profile.enabled": False}), _short_logs():
            self.cluster = distributed.LocalCluster(
                n_workers=self.target, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.CRITICAL, preload=["cascade.cluster"])
            self.client = distributed.Client(self.cluster, set_as_default=False)

    def _quiet(self) -> None:
        """Dask logs a lost connection as tracebacks; this pool says it in one line (ClusterError).
        After importing distributed, whose logging config sets the levels of some loggers."""
        if not self._log_levels:
            self._log_levels = {name: logging.getLogger(name).level for name in _dask_loggers()}
        for name in self._log_levels:
            logging.getLogger(name).setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
        for name, level in self._log_levels.items():
            logging.getLogger(name).setLevel(level)
        self._log_levels = {}

    def check(self) -> None:
        """Refuse a cluster whose workers would not give the records a local run gives: none
        joined, another cascade version, a tool missing that this machine has, a folder not seen."""
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            raise ClusterError(_("no Dask worker joined the scheduler at {address} within {n:g} s").format(
                address=self.address, n=WORKERS_TIMEOUT)) from None
        try:
            facts = self.client.run(worker_facts, self.paths)
        except Exception as e:
            raise ClusterError(_("a worker of {address} cannot run cascade: {reason}").format(
                address=self.address, reason=" ".join(f"{type(e).__name__}: {e}".split())[:300])) from None
        mine = worker_facts([])
        for worker, f in sorted(facts.items()):
            if f["version"] != mine["version"] or f["code"] != mine["code"]:
                theirs, ours = ((f["version"], mine["version"]) if f["version"] != mine["version"] else
                                (f"{f['version']} ({f['code']})", f"{mine['version']} ({mine['code']})"))
                raise ClusterError(_("worker {worker} runs cascade {theirs}, this machine {ours}: install the same "
                                     "version on every worker").format(worker=worker, theirs=theirs, ours=ours))
            lacking = [t for t in mine["tools"] if t not in f["tools"]]
            if lacking:
                raise ClusterError(_("worker {worker} lacks {tools}, which this machine has: every worker needs "
                                     "the same tools, or some files would be read differently").format(
                    worker=worker, tools=", ".join(lacking)))
            if f["missing"]:
                raise ClusterError(_("worker {worker} cannot see {path}: workers read the files where they are, "
                                     "so every worker needs the folders at the same paths").format(
                    worker=worker, path=f["missing"][0]))

    def threads(self) -> int:
        """Worker threads now (a `local:N` cluster is started first)."""
        if self.client is None:
            self.start()
        return max(1, sum(self.client.nthreads().values()))

    # -------------------------------------------------------------- running
    def run(self, spec: str, jobs: Iterable[tuple], timeout: Optional[float] = None,
            stop: Optional[threading.Event] = None) -> Iterator[tuple[tuple, Outcome]]:
        """Call spec(*job) for every job on the cluster; yield (job, Outcome) as calls end. Setting
        `stop` (from another thread) ends the run within a poll and cancels what is running.

        A list of jobs is cut into tasks of `chunk_size` calls; any other iterable is read only as
        tasks can be sent (a window of them in flight), `chunks[spec]` calls a task (default 1): a
        caller whose jobs are costly to make (read from the store) makes them while the cluster works."""
        listed = isinstance(jobs, (list, tuple))
        if listed and not jobs:
            return
        from distributed import as_completed
        if self.client is None:
            self.start()
        limit = self.timeout if timeout is None else timeout
        size = max(1, int(self.chunks.get(spec) or (chunk_size(len(jobs), self.threads()) if listed else 1)))
        source = iter(jobs)
        queue: list = []                             # tasks handed back (a dead worker's, one call each)

        def next_group() -> Optional[list]:
            if queue:
                return queue.pop()                   # pop() from the end keeps their order
            group = [tuple(j) for j in itertools.islice(source, size)]
            return group or None
        name = spec.rpartition(":")[2].replace("_", "-")
        running: dict = {}
        done = as_completed(loop=self.client.loop)
        window, checked = PER_THREAD * self.threads(), time.monotonic()
        no_workers_since = None

        def submit(group: list) -> None:
            f = self.client.submit(call_on_worker, spec, group, limit, self.memory_mb, self.warm,
                                   key=f"cascade-{name}-{uuid.uuid4().hex}", retries=RETRIES, pure=False)
            running[f] = group
            done.add(f)

        nxt = next_group()
        try:
            while nxt is not None or running:
                if stop is not None and stop.is_set():
                    return
                while nxt is not None and len(running) < window:
                    submit(nxt)
                    nxt = next_group()
                if not done.has_ready():
                    time.sleep(0.02)               # (as_completed's own iterator polls too, every 0.1 s)
                for f in done.next_batch(block=False):
                    group = running.pop(f)
                    outcomes = self._outcomes(f, group, queue)
                    f.release()
                    for job, outcome in outcomes:
                        yield job, outcome
                    if nxt is None:
                        nxt = next_group()         # a dead worker's task, split and handed back
                if time.monotonic() - checked > 5:     # workers may have joined or left
                    try:
                        threads, checked = sum(self.client.nthreads().values()), time.monotonic()
                    except Exception:
                        if self.client.status not in ("running", "newly-created"):
                            raise self._lost() from None
                        raise
                    window = PER_THREAD * max(1, threads)
                    # workers without a nanny do not come back: with none left the run would wait forever
                    no_workers_since = None if threads else (no_workers_since or checked)
                    if no_workers_since is not None and checked - no_workers_since > WORKERS_TIMEOUT:
                        raise ClusterError(_("every worker of {address} is gone ({n:g} s without one); what was "
                                             "read is saved").format(address=self.address, n=WORKERS_TIMEOUT))
        finally:
            if running:                                # interrupted: drop what has not ended
                try:
                    self.client.cancel(list(running))
                except Exception:
                    pass

    def _outcomes(self, f, group: list, queue: list) -> list:
        from distributed import KilledWorker
        try:
            return f.result()
        except KilledWorker as e:
            if len(group) > 1:                          # one of them may be the culprit: each alone
                queue.extend([job] for job in reversed(group))
                return []
            # a stored reason, like the sandbox's: data in English, not the interface's language
            return [(group[0], Outcome(False, None, f"the Dask workers that ran this file died "
                                                    f"{e.allowed_failures + 1} times; skipped"))]
        except Exception as e:
            if self.client.status not in ("running", "newly-created"):
                raise self._lost() from None
            why = " ".join(f"{type(e).__name__}: {e}".split())[:300]
            return [(job, Outcome(False, None, f"the cluster could not run this file ({why})")) for job in group]

    def _lost(self) -> ClusterError:
        return ClusterError(_("lost the Dask scheduler at {address}; what was read is saved: run the same command "
                              "again to go on").format(address=self.address))
