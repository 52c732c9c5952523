"""cascade: follow Vietnamese government instructions down the administration.

Library first; `cli.py` is a thin layer over `cascade.queries`. The verbs:

    from cascade import load_graph, open_store, parse_file
    from cascade.ingest import ingest
    from cascade.flag import flag
    record = parse_file("corpus/002_99b20f177fc5dcd7.txt")
    ingest(["corpus/"], "cascade.db")
    with open_store("cascade.db") as store:
        cas = load_graph(store)                 # a Cascade: cas.tree("57-NQ/TW")
        findings = flag(store)
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# verb -> (module, attribute)
_VERBS = {
    "parse_file": ("cascade.parse", "parse_file"),
    "parse_text": ("cascade.parse", "parse_text"),
    "open_store": ("cascade.queries", "open_store"),
    "load_graph": ("cascade.graph.saved", "load"),
}


def __getattr__(name: str):
    # Verbs are imported on first use (PEP 562), so that `import cascade.text` or the worker
    # processes of ingest do not load the whole pipeline, and `cascade --help` stays fast.
    if name in _VERBS:
        module, attr = _VERBS[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'cascade' has no attribute {name!r}")
