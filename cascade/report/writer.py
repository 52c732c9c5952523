"""The one writer of rows for scripts and spreadsheets: JSON, CSV and xlsx.

Rows are lists of cells (or dicts, read in `header` order); a list cell is written "a; b", None as "".
- CSV starts with a UTF-8 byte-order mark by default, so that Excel opens Vietnamese text right
  when the file is double-clicked (`bom=False` for scripts that do not want it).
- CSV and xlsx cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
  tab or carriage return: OWASP "CSV injection") get a leading `'`; no formula is ever written.
- xlsx: bold frozen header row, autofilter over the data, a legend sheet when given.
- Files are written through `files.output_file`: atomically, never replacing anything without force.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterable, Optional, Sequence, TextIO

from cascade.files import output_file
from cascade.i18n import _

BOM = "\ufeff"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def neutral(v):
    """A text cell that a spreadsheet would run as a formula, made plain text with a leading '."""
    if isinstance(v, str) and v.startswith(FORMULA_LEADS):
        return "'" + v
    return v


def cell(v):
    """A value as a CSV or spreadsheet cell."""
    if isinstance(v, list):
        v = "; ".join(map(str, v))
    return "" if v is None else neutral(v)


def _lists(header: list[str], rows: Iterable) -> list[list]:
    return [[cell(r.get(h)) for h in header] if isinstance(r, dict) else [cell(v) for v in r] for r in rows]


def write_json(obj, out: Optional[TextIO] = None) -> None:
    """Pretty JSON (UTF-8 kept as is) of any rows or record dicts."""
    (out or sys.stdout).write(pretty_json(obj) + "\n")


_INF = float("inf")


def _json_float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return float.__repr__(o)


def _json_key(k) -> str:
    if isinstance(k, str):
        return _json_str(k)
    if isinstance(k, float):
        return _json_str(_json_float(k))
    if k is True or k is False or k is None:
        return {True: '"true"', False: '"false"', None: '"null"'}[k]
    if isinstance(k, int):
        return _json_str(int.__repr__(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


_json_str = json.encoder.encode_basestring       # the C function when there is one (ensure_ascii=False)


def pretty_json(obj) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=2, default=str)`, byte for byte, over twice as
    fast: with an indent the standard library encodes in Python generators, one per level (0.11 s
    of a 3,000-document tree's 3.8 MB); here one recursive function appends to one list. A dict's
    values of the plain types (str, None, int, bool: most of a tree node's ~30 fields) and a
    list's strings are written in its own loop, without a call each, and a key is encoded once
    for each indent (a tree's 3,000 nodes repeat the same keys): ~20 % less than one call each."""
    parts: list[str] = []
    put = parts.append
    enc = _json_str
    keys: dict = {}          # (key, separator before it) → what is written before its value

    def value(o, pad: str) -> None:
        if isinstance(o, str):
            put(enc(o))
        elif o is None:
            put("null")
        elif o is True:
            put("true")
        elif o is False:
            put("false")
        elif isinstance(o, int):
            put(int.__repr__(o))
        elif isinstance(o, float):
            put(_json_float(o))
        elif isinstance(o, (list, tuple)):
            if not o:
                put("[]")
                return
            inner = pad + "  "
            sep = ",\n" + inner
            put("[\n" + inner)
            for i, v in enumerate(o):
                if i:
                    put(sep)
                if type(v) is str:
                    put(enc(v))
                else:
                    value(v, inner)
            put("\n" + pad + "]")
        elif isinstance(o, dict):
            if not o:
                put("{}")
                return
            inner = pad + "  "
            sep = ",\n" + inner
            put("{\n" + inner)
            first = True
            for k, v in o.items():
                if first:
                    key = (enc(k) if type(k) is str else _json_key(k)) + ": "
                    first = False
                elif type(k) is str:
                    key = keys.get((k, sep))
                    if key is None:
                        key = keys[k, sep] = sep + enc(k) + ": "
                else:
                    key = sep + _json_key(k) + ": "
                t = type(v)
                if t is str:
                    put(key + enc(v))
                elif v is None:
                    put(key + "null")
                elif t is int:
                    put(key + int.__repr__(v))
                elif t is bool:
                    put(key + ("true" if v else "false"))
                else:
                    put(key)
                    value(v, inner)
            put("\n" + pad + "}")
        else:
            value(str(o), pad)

    value(obj, "")
    return "".join(parts)


def write_json_lines(objs: Iterable, out: Optional[TextIO] = None) -> None:
    """One compact JSON object a line (`cascade parse --json`: one record a line)."""
    stream = out or sys.stdout
    for obj in objs:
        stream.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_csv(header: list[str], rows: Iterable, out: Optional[TextIO] = None, bom: bool = True) -> None:
    """CSV to `out` (default stdout), byte-order mark first unless bom=False."""
    stream = out or sys.stdout
    if bom:
        stream.write(BOM)
    w = csv.writer(stream)
    w.writerow([cell(h) for h in header])
    w.writerows(_lists(header, rows))


def write_xlsx(header: list[str], rows: Iterable, path, sheet: str, force: bool = False,
               legend: Sequence[tuple[str, str]] = (), widths: Optional[dict[int, int]] = None) -> Path:
    """One sheet of rows under a bold, frozen header row with an autofilter; `legend` (symbol,
    meaning) pairs go to a second sheet. `widths`: column index → width for wrapped text columns."""
    from openpyxl import Workbook    # heavy: only when an Excel file is asked for
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    data = _lists(header, rows)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([cell(h) for h in header])
    for r in data:
        ws.append(r)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(header)))
    ws.auto_filter.ref = f"A1:{last}{len(data) + 1}"
    for i, h in enumerate(header):
        longest = max([len(str(h))] + [len(str(r[i])) for r in data if i < len(r)])
        width = (widths or {}).get(i)
        ws.column_dimensions[get_column_letter(i + 1)].width = width or min(max(longest + 2, 6), 40)
        if width:
            for (c,) in ws.iter_rows(min_row=2, min_col=i + 1, max_col=i + 1):
                c.alignment = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":          # never a formula, whatever slipped through
                c.value, c.data_type = "'" + str(c.value), "s"
    if legend:
        lg = wb.create_sheet(_("legend")[:31])
        lg.append([_("mark"), _("meaning")])
        for c in lg[1]:
            c.font = Font(bold=True)
        for sym, meaning in legend:
            lg.append([cell(sym), cell(meaning)])
        lg.column_dimensions["A"].width = 10
        lg.column_dimensions["B"].width = 70
    with output_file(path, force) as tmp:
        wb.save(tmp)
    return Path(path)
