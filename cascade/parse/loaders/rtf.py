"""RTF (`.rtf`, and `.doc` files saved as RTF) through striprtf.

striprtf skips the font and style tables, headers and footers, pictures and field
instructions, decodes `\\uN` escapes and `\\'hh` bytes (in the code page the file
declares with `\\ansicpg`); table cells come back as `a|b|` rows, which are
linearised like antiword's tables (layout tables column by column).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from cascade.models import STATUS_EMPTY, STATUS_ERROR, LoadedText
from cascade.parse.loaders.doc import linearise_tables

_ANSICPG = re.compile(rb"\\ansicpg(\d{3,5})")
_CELL_ROW = re.compile(r"^[^\n|]*\|.*\|[ \t]*$")


def _codepage(head: bytes) -> str:
    m = _ANSICPG.search(head)
    if m:
        name = "cp" + m.group(1).decode("ascii")
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "cp1252"


def rtf_text(data: bytes) -> str:
    enc = _codepage(data[:4096])
    text = rtf_to_text(data.decode("latin-1"), encoding=enc, errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # striprtf ends a table cell with "|": as antiword's "|a|b|" rows
    lines = ["|" + ln.rstrip() if _CELL_ROW.match(ln) and not ln.startswith("|") else ln
             for ln in text.split("\n")]
    return linearise_tables("\n".join(lines))


def load_rtf(path: Path, res: LoadedText) -> LoadedText:
    res.format = "rtf"
    try:
        text = rtf_text(path.read_bytes())
    except (IndexError, ValueError, UnicodeError) as exc:
        res.status, res.error = STATUS_ERROR, f"unreadable RTF ({type(exc).__name__}: {exc})"
        return res
    res.text_source = "rtf"
    if not text.strip():
        res.status, res.error, res.text = STATUS_EMPTY, "no text in the document", ""
        return res
    res.text = text
    return res
