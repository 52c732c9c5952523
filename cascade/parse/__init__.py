"""Parsing one file: load → normalise → segment → extract.

`parse_file(path)` never raises for bad input: it returns a Record whose `status`
and one-line `error` say what went wrong.
"""
from __future__ import annotations

from cascade.models import Record


def parse_file(path, ocr: bool = False) -> Record:
    from cascade.parse.pipeline import parse_file as _p
    return _p(path, ocr=ocr)


def parse_file_ocr(path) -> Record:
    """parse_file with OCR for scans and junk text layers (the parser `ingest --ocr` uses)."""
    return parse_file(path, ocr=True)


def parse_text(text: str, source: str = "<text>", format: str = "txt") -> Record:
    from cascade.parse.pipeline import parse_text as _p
    return _p(text, source=source, format=format)
