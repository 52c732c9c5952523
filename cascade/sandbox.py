"""Worker processes that run one call at a time under a wall-clock and a memory limit.

    with Sandbox(workers=2, timeout=300, memory_mb=2048) as box:
        for job, outcome in box.run("cascade.files:sha256_file", [(path,), …]):
            outcome.ok, outcome.value, outcome.error

Why not ProcessPoolExecutor: a call stuck inside a C library (a PDF renderer, a read that never
returns) cannot be interrupted from Python, and a pool whose worker dies is broken for every call.
Here the parent measures each call's wall-clock time and kills (SIGKILL) the worker that runs
past `timeout` + `GRACE`; a worker that dies (out of memory, a crash) fails its own call only;
either way a fresh worker takes its place and the batch goes on.

Each worker
- sets RLIMIT_AS to `memory_mb` (an allocation beyond it is a MemoryError or a failed malloc in
  a library: that call fails, never the machine);
- dies with its parent: PR_SET_PDEATHSIG(SIGKILL) on Linux, a watchdog thread on the parent pid
  elsewhere — after `kill -9` of the main process no worker lives on;
- ignores SIGINT (Ctrl-C is the parent's business);
- is a fresh interpreter (`python -c`, talking over a socket pair): no locks or threads inherited
  from the parent, and the caller's `__main__` is never run again (unlike multiprocessing's spawn,
  which re-imports it: a script without a main guard, or one read from stdin, would break).

Functions are named "module:function" and imported once per worker; arguments and results must
pickle. An exception in the function is an outcome (`error` "Type: message"), not a crash.
"""
from __future__ import annotations

import importlib
import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, Optional

GRACE = 5.0                       # seconds past the timeout before a worker is killed (at most the timeout)
STOP_POLL = 0.2                 # seconds a run waiting on its workers goes without looking at `stop`
DEFAULT_MEMORY_MB = 2048          # address space of one worker (realdocs: VmPeak at most ~1 GiB)


@dataclass
class Outcome:
    ok: bool
    value: Any = None
    error: str = ""                # one line when not ok
    killed: bool = False           # the worker was killed or died (timeout, memory, crash)


class _Feed:
    """A run's jobs, taken one at a time: a list's are counted, a generator is read only when a
    job is taken (or looked at: `bool`); a job handed back (its worker gone before taking it) is
    taken again first."""

    _NONE = object()

    def __init__(self, jobs: Iterable[tuple]):
        self.left = len(jobs) if isinstance(jobs, (list, tuple)) else None
        self.source = iter(jobs)
        self.back: list = []
        self.ahead = self._NONE

    def _look(self) -> bool:
        if self.ahead is self._NONE:
            self.ahead = next(self.source, self._NONE)
        return self.ahead is not self._NONE

    def __bool__(self) -> bool:
        return bool(self.back) or self._look()

    def __len__(self) -> int:
        """Jobs left: a list's; a generator's are not known: as many as anyone asks while it has one."""
        if self.left is not None:
            return len(self.back) + self.left
        return len(self.back) + (1 << 30 if self._look() else 0)

    def pop(self):
        if self.back:
            return self.back.pop()
        if not self._look():
            raise IndexError("no job left")
        job, self.ahead = self.ahead, self._NONE
        if self.left is not None:
            self.left -= 1
        return job

    def append(self, job) -> None:
        self.back.append(job)


# ------------------------------------------------------------------ worker side
_FUNCS: dict[str, Callable] = {}


def resolve(spec: str) -> Callable:
    """The function named "module:function" (imported once per process)."""
    fn = _FUNCS.get(spec)
    if fn is None:
        mod, _, name = spec.partition(":")
        fn = getattr(importlib.import_module(mod), name)
        _FUNCS[spec] = fn
    return fn


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when `parent_pid` does (also when it is killed with -9)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:      # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(0.5)
    threading.Thread(target=watch, daemon=True, name="parent-watchdog").start()


def limit_memory(memory_mb: Optional[int]) -> None:
    if not memory_mb:
        return
    try:
        import resource
        limit = int(memory_mb) * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass   # no rlimits on this system: the wall clock still holds


def _worker(conn, parent_pid: int, memory_mb: Optional[int], warm: Optional[str]) -> None:
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:
        try:
            resolve(warm)
        except Exception:
            pass          # reported by the call that needs it
    limit_memory(memory_mb)
    conn.send("ready")                  # the clock of the first call starts now, not at spawn
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        spec, args = job
        try:
            out = (True, resolve(spec)(*args), "")
        except MemoryError:
            out = (False, None, f"out of memory (the limit is {memory_mb} MiB a worker)")
        except Exception as e:
            msg = " ".join(str(e).split())[:300]   # text.one_line is a sibling floor: not importable here
            out = (False, None, f"{type(e).__name__}: {msg}" if msg else type(e).__name__)
        try:
            conn.send(out)
        except MemoryError:
            conn.send((False, None, f"out of memory (the limit is {memory_mb} MiB a worker)"))


def child_main() -> None:
    """Entry of a worker interpreter: argv = [sys.path (JSON), fd, parent pid, MiB, warm spec]."""
    fd, parent_pid, memory, warm = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    _worker(Connection(fd), parent_pid, int(memory) if memory else None, warm or None)


_BOOT = ("import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
         "from cascade.sandbox import child_main; child_main()")


# ------------------------------------------------------------------ parent side
class _Slot:
    def __init__(self, box: "Sandbox"):
        parent, child = mp.Pipe(duplex=True)
        self.conn = parent
        fd = child.fileno()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _BOOT, json.dumps([p for p in sys.path if p]), str(fd), str(os.getpid()),
             str(box.memory_mb or ""), box.warm or ""], pass_fds=(fd,), stdin=subprocess.DEVNULL)
        child.close()
        self.job = None            # the job running now
        self.deadline = 0.0
        self.ready = False         # started and warmed up: calls are timed from here

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        self._reap(5)
        self.conn.close()

    def _reap(self, seconds: float):
        try:
            return self.proc.wait(seconds)
        except subprocess.TimeoutExpired:
            return None

    def alive(self) -> bool:
        return self.proc.poll() is None


class Sandbox:
    """`workers` processes; `run` hands each one call at a time and yields outcomes as they end."""

    def __init__(self, workers: int = 1, timeout: Optional[float] = 300.0, memory_mb: Optional[int] = DEFAULT_MEMORY_MB,
                 warm: Optional[str] = None):
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.warm = warm                  # "module:function" each worker imports when it starts
        self.slots: list[_Slot] = []
        self.failed_starts = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def threads(self) -> int:
        """Calls run at once (as cascade.cluster.DaskPool.threads)."""
        return self.workers

    def close(self) -> None:
        for s in self.slots:
            if s.job is None:
                try:
                    s.conn.send(None)
                except OSError:
                    pass
        for s in self.slots:
            if s.job is None:
                s._reap(2)
            if s.alive():
                s.kill()
            else:
                s.conn.close()
        self.slots = []

    def run(self, spec: str, jobs: Iterable[tuple], timeout: Optional[float] = None,
            stop: Optional[threading.Event] = None) -> Iterator[tuple[tuple, Outcome]]:
        """Call spec(*job) for every job; yield (job, Outcome) in the order calls end.

        A call running past `timeout` (default: the sandbox's) + GRACE seconds has its worker
        killed: Outcome(ok=False, killed=True). Stopping the iteration (or Ctrl-C in the
        parent), or setting `stop` (from another thread: seen within STOP_POLL seconds), kills
        the calls still running. Jobs are read from `jobs` only as workers free up (a generator
        whose jobs are costly to make is made to while the workers work)."""
        limit = self.timeout if timeout is None else timeout
        todo = _Feed(jobs)
        try:
            while todo or any(s.job is not None for s in self.slots):
                if stop is not None and stop.is_set():
                    return
                self._hand_out(spec, todo, limit)
                busy = [s for s in self.slots if s.job is not None]
                starting = [s for s in self.slots if not s.ready]
                now = time.monotonic()
                wait_for = min((s.deadline for s in busy), default=now + 1) - now if limit and busy else None
                if stop is not None:
                    wait_for = STOP_POLL if wait_for is None else min(wait_for, STOP_POLL)
                ready = wait([s.conn for s in busy + starting],
                             timeout=max(0.0, wait_for) if wait_for is not None else None)
                for s in starting:
                    self._started(s, ready)
                for s in busy:
                    done = self._collect(s, ready, limit)
                    if done is not None:
                        yield done
        finally:
            for s in self.slots:
                if s.job is not None:       # interrupted: what is running now is abandoned
                    s.kill()
            self.slots = [s for s in self.slots if s.job is None and s.alive()]

    def _started(self, s: _Slot, ready: list) -> None:
        """A starting worker said it is ready, or died on the way (then it is replaced)."""
        if s.conn not in ready:
            return
        try:
            s.ready = s.conn.recv() == "ready"
            return
        except (EOFError, OSError):
            pass
        self.failed_starts += 1
        self._replace(s)
        if self.failed_starts > 3 * self.workers:
            raise RuntimeError(f"worker processes die as they start (exit code {s.proc.returncode})")

    def _hand_out(self, spec: str, todo: "_Feed", limit: Optional[float]) -> None:
        while len(self.slots) < min(self.workers, len(todo) + sum(s.job is not None for s in self.slots)):
            self.slots.append(_Slot(self))
        while todo:
            idle = next((s for s in self.slots if s.job is None and s.ready), None)
            if idle is None:
                return
            job = todo.pop()
            try:
                idle.conn.send((spec, tuple(job)))
            except OSError:               # the worker is gone: replace it, try again
                self._replace(idle)
                todo.append(job)
                continue
            idle.job = job
            idle.deadline = time.monotonic() + (limit + min(GRACE, max(1.0, limit)) if limit else 0)

    def _collect(self, s: _Slot, ready: list, limit: Optional[float]) -> Optional[tuple[tuple, Outcome]]:
        job = s.job
        if s.conn in ready:
            try:
                ok, value, error = s.conn.recv()
            except (EOFError, OSError):
                pass                      # died while answering: below
            else:
                s.job = None
                return job, Outcome(ok, value, error)
        if s.conn in ready:            # readable but nothing to receive: the socket closed, the worker is gone
            code = s._reap(2)
            why = (f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}")
            if code == -signal.SIGKILL or code == -signal.SIGSEGV or code == -signal.SIGABRT:
                why += f"; out of memory (limit {self.memory_mb} MiB) or a crash in a library"
            self._replace(s)
            return job, Outcome(False, None, f"the worker process died on this file ({why})", killed=True)
        if limit and time.monotonic() >= s.deadline:
            self._replace(s)
            return job, Outcome(False, None, f"took longer than {limit:g} s; the worker was stopped", killed=True)
        return None

    def _replace(self, s: _Slot) -> None:
        s.kill()
        self.slots.remove(s)
