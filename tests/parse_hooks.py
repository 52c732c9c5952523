"""Parsers for tests/test_dask.py that hurt the Dask worker running them (the worker is the parent
of the sandbox process that parses: os.getppid()). Named "tests.parse_hooks:NAME" as ingest's
`parser`; each ends by calling the real parser, so the records are those of a plain run."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from cascade.parse import parse_file

SLOW = 0.1          # seconds every parse takes at least: the kill finds other files in flight


def _kill_my_worker() -> None:
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)          # never wakes: this process dies with its worker (PR_SET_PDEATHSIG)


def kill_worker_once(path: str):
    """The first file parsed kills its Dask worker (once: a marker file in $CASCADE_TEST_MARKERS,
    holding the killed worker's pid); every file is slowed down by SLOW."""
    time.sleep(SLOW)
    marker = Path(os.environ["CASCADE_TEST_MARKERS"]) / "worker-killed"
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return parse_file(path)
    os.write(fd, str(os.getppid()).encode())
    os.close(fd)
    _kill_my_worker()


def kill_worker_on_poison(path: str):
    """A file named poison* kills every worker it lands on, 0.3 s after it starts (so that what the
    worker parsed before has been reported)."""
    if Path(path).name.startswith("poison"):
        time.sleep(0.3)
        _kill_my_worker()
    return parse_file(path)
