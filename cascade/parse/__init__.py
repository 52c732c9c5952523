"""Parsing one file: load → legacy fonts → normalise → segment → extract (pipeline.py composes them).

`parse_file(path)` never raises for bad input: it returns a Record whose `status`
and one-line `error` say what went wrong.
"""
from __future__ import annotations

from cascade.models import Record
from cascade.parse.pipeline import parse_file, parse_text

__all__ = ["parse_file", "parse_file_ocr", "parse_files", "parse_text"]


def parse_files(files, ocr: bool = False) -> list[Record]:
    """Parse each file (`cascade parse`); a failed one comes back with its status and one-line error."""
    return [parse_file(f, ocr=ocr) for f in files]


def parse_file_ocr(path, sha256: str | None = None) -> Record:
    """parse_file with OCR for scans and junk text layers (the parser `ingest --ocr` uses)."""
    return parse_file(path, ocr=True, sha256=sha256)
