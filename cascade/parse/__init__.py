"""Parsing one file: load → legacy fonts → normalise → segment → extract (pipeline.py composes them).

`parse_file(path)` never raises for bad input: it returns a Record whose `status`
and one-line `error` say what went wrong.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cascade.models import Record

if TYPE_CHECKING:
    from cascade.parse.pipeline import parse_file, parse_text


def __getattr__(name: str):
    """`parse_file` and `parse_text`, imported from the pipeline when first asked for: a command that
    reads only the citation grammar (`tree`, `show`, resolving a saved graph) does not load every
    loader and segmenter (~0.15 s)."""
    if name in ("parse_file", "parse_text"):
        return getattr(importlib.import_module("cascade.parse.pipeline"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["parse_file", "parse_file_ocr", "parse_files", "parse_text"]


def parse_files(files, ocr: bool = False) -> list[Record]:
    """Parse each file (`cascade parse`); a failed one comes back with its status and one-line error."""
    from cascade.parse.pipeline import parse_file
    return [parse_file(f, ocr=ocr) for f in files]


def parse_file_ocr(path, sha256: str | None = None) -> Record:
    """parse_file with OCR for scans and junk text layers (the parser `ingest --ocr` uses)."""
    from cascade.parse.pipeline import parse_file
    return parse_file(path, ocr=True, sha256=sha256)
