"""Every module imports on its own, in a fresh interpreter (no hidden order or cycle), and the
layers contract of pyproject.toml holds (lint-imports, when import-linter is installed)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "cascade").rglob("*.py")
) + ["cli"]


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_every_module_imports_alone():
    failed = {}
    for i in range(0, len(MODULES), 4):          # a few interpreters at a time
        procs = {m: subprocess.Popen([sys.executable, "-c", f"import {m}"], cwd=ROOT, env=_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for m in MODULES[i:i + 4]}
        for m, p in procs.items():
            _out, err = p.communicate(timeout=120)
            if p.returncode:
                failed[m] = err.strip().splitlines()[-1:]
    assert len(MODULES) > 40 and not failed, failed


def test_cli_help_does_not_load_the_pipeline():
    code = ("import sys, cli\n"
            "heavy = [m for m in ('cascade.parse.pipeline', 'cascade.graph.build', 'networkx', 'numpy')"
            " if m in sys.modules]\n"
            "print(heavy)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(), capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stdout + r.stderr


def test_layers_contract():
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter not installed (pip install -e '.[dev]')")
    r = subprocess.run([exe], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:]
