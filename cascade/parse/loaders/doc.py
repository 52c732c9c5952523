"""Legacy Word (.doc, OLE) through antiword, catdoc as fallback (RTF: loaders/rtf.py).

External tools are run with an argument list (never a shell string) and a timeout.
antiword draws tables as `|cell|cell|` rows: two- and three-column layout tables
(the header block, the signature block) are emitted column by column, left column
first, like the docx loader; other tables one cell per line.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from cascade.models import STATUS_EMPTY, STATUS_ERROR, LoadedText
from cascade.parse.loaders.layout import split_header_columns

TIMEOUT_S = 60
# antiword prints these instead of failing with a non-zero exit status
_ANTIWORD_REFUSALS = ("is not a Word Document", "is not a Word document",
                      "Unable to find", "is too small", "This file is not")

_DATA_HEADS = frozenset(("STT", "TT", "Stt", "Số TT", "SỐ TT", "Số thứ tự"))
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _run(args: list[str]) -> tuple[int, str, str]:
    """Run a converter on an argument list (no shell); callers put `--` before the path so
    that a file named `-s.doc` is a file, not an option."""
    proc = subprocess.run(args, capture_output=True, timeout=TIMEOUT_S, check=False)
    return (proc.returncode, proc.stdout.decode("utf-8", errors="replace"),
            proc.stderr.decode("utf-8", errors="replace"))


def load_doc(path: Path, res: LoadedText) -> LoadedText:
    res.format = "doc"
    antiword = shutil.which("antiword")
    catdoc = shutil.which("catdoc")
    if not antiword and not catdoc:
        res.status, res.error = STATUS_ERROR, "antiword not installed (nor catdoc)"
        return res
    reasons = []
    if antiword:
        try:
            code, out, err = _run([antiword, "-m", "UTF-8.txt", "-w", "0", "--", str(path)])
        except subprocess.TimeoutExpired:
            code, out, err = -1, "", f"timed out after {TIMEOUT_S} s"
        if code == 0 and out.strip() and not any(r in err for r in _ANTIWORD_REFUSALS):
            res.text = split_header_columns(linearise_tables(tidy_antiword(out)))
            res.text_source = "antiword"
            return _finish(res)
        reasons.append("antiword: " + (" ".join(err.split())[:150] or f"exit status {code}"))
    if catdoc:
        try:
            code, out, err = _run([catdoc, "-d", "utf-8", "-w", "--", str(path)])
        except subprocess.TimeoutExpired:
            code, out, err = -1, "", f"timed out after {TIMEOUT_S} s"
        if code == 0 and out.strip():
            res.text = split_header_columns(out)
            res.text_source = "catdoc"
            if reasons:
                res.warnings.append("antiword failed; text from catdoc")
            return _finish(res)
        reasons.append("catdoc: " + (" ".join(err.split())[:150] or f"exit status {code}"))
    res.status, res.error = STATUS_ERROR, "unreadable .doc (" + "; ".join(reasons) + ")"
    return res


def _finish(res: LoadedText) -> LoadedText:
    res.text = res.text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not res.text.strip():
        res.status, res.error, res.text = STATUS_EMPTY, "no text in the document", ""
    return res


_NOTES_RULE = re.compile(r"\n[ \t]*-{10,}[ \t]*\n(?=[ \t]*\[1\])")
_INLINE_MARK = re.compile(r"(?<=\S)\[\d{1,3}\]")
_PIC = re.compile(r"\[pic\]")


def tidy_antiword(text: str) -> str:
    """Footnotes under a '---' line as the docx loader writes them; inline footnote
    marks ("năm 2009[1]") and "[pic]" placeholders out of the body."""
    parts = _NOTES_RULE.split(text)
    body, notes = ("\n".join(parts[:-1]), parts[-1]) if len(parts) > 1 else (text, "")
    body = _PIC.sub("", _INLINE_MARK.sub("", body))
    if notes:
        notes = "\n".join(line.strip() for line in notes.split("\n"))
        return body.rstrip("\n") + "\n\n---\n" + notes
    return body


def linearise_tables(text: str) -> str:
    """Replace antiword's `|a|b|` table rows by the cells' text in reading order."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            j += 1
        out.extend(_table_lines(lines[i:j]))
        i = j
    return "\n".join(out)


def _table_lines(rows: list[str]) -> list[str]:
    cells = [[c.strip() for c in r.strip()[1:-1].split("|")] for r in rows]
    width = max(len(r) for r in cells)
    data = cells[0][0] in _DATA_HEADS or sum(1 for r in cells if r[0].rstrip(".").isdigit()) >= 2
    if width <= 3 and len(rows) <= 12 and not data:   # layout table: column by column
        return [r[c] for c in range(width) for r in cells if c < len(r) and r[c]]
    return [c for r in cells for c in r if c]
