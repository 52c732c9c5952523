"""Cheap checks that refuse hostile files before a parser touches them.

- `check_zip(path)`: a .docx is a zip; read its central directory only (no inflating) and
  refuse packages that declare too much uncompressed data, too many entries, or an
  absurd compression ratio (zip bombs). Returns a one-line reason, or None when fine.

The other hostile cases are guarded where they are read: the docx loader parses XML with
`resolve_entities=False` (lxml also refuses entity amplification: billion laughs), the PDF
loader reads at most 300 pages, the OCR stage at most `OcrSettings.max_pages`.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

MAX_ZIP_ENTRIES = 5000
MAX_ZIP_TOTAL = 512 * 1024 * 1024        # declared uncompressed bytes, all entries
MAX_ZIP_ENTRY = 100 * 1024 * 1024        # one entry (as the docx loader)
MAX_ZIP_RATIO = 200                      # uncompressed / compressed, entries > 1 MiB (realdocs: at most 28x)


def check_zip(path) -> str | None:
    try:
        with zipfile.ZipFile(Path(path)) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        return "not a valid zip package (corrupt or truncated)"
    except (OSError, EOFError, ValueError) as exc:
        return f"cannot read zip directory ({exc})"
    if len(infos) > MAX_ZIP_ENTRIES:
        return f"zip package has {len(infos)} entries (limit {MAX_ZIP_ENTRIES})"
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > MAX_ZIP_ENTRY:
            return (f"zip bomb suspected: {info.filename} declares {size // (1 << 20)} MiB uncompressed "
                    f"(limit {MAX_ZIP_ENTRY // (1 << 20)} MiB); too large")
        if size > (1 << 20) and info.compress_size and size / info.compress_size > MAX_ZIP_RATIO:
            return (f"zip bomb suspected: {info.filename} expands {size // max(1, info.compress_size)}x "
                    f"({size // (1 << 20)} MiB uncompressed); too large")
    if total > MAX_ZIP_TOTAL:
        return f"zip package declares {total // (1 << 20)} MiB uncompressed (limit {MAX_ZIP_TOTAL // (1 << 20)} MiB); too large"
    return None
