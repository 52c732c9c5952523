"""The one writer of rows for scripts and spreadsheets: JSON, CSV and xlsx.

Rows are lists of cells (or dicts, read in `header` order); a list cell is written "a; b", None as "".
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterable, Optional, TextIO


def cell(v):
    """A value as a CSV or spreadsheet cell."""
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return "" if v is None else v


def _lists(header: list[str], rows: Iterable) -> list[list]:
    return [[cell(r.get(h)) for h in header] if isinstance(r, dict) else [cell(v) for v in r] for r in rows]


def write_json(obj, out: Optional[TextIO] = None) -> None:
    """Pretty JSON (UTF-8 kept as is) of any rows or record dicts."""
    (out or sys.stdout).write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def write_json_lines(objs: Iterable, out: Optional[TextIO] = None) -> None:
    """One compact JSON object a line (`cascade parse --json`: one record a line)."""
    stream = out or sys.stdout
    for obj in objs:
        stream.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_csv(header: list[str], rows: Iterable, out: Optional[TextIO] = None) -> None:
    w = csv.writer(out or sys.stdout)
    w.writerow(header)
    w.writerows(_lists(header, rows))


def write_xlsx(header: list[str], rows: Iterable, path: Path, sheet: str) -> None:
    from openpyxl import Workbook    # heavy: only when an Excel file is asked for
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in _lists(header, rows):
        ws.append(r)
    wb.save(path)
