"""Cheap checks that refuse hostile files before a parser touches them.

- `check_zip(path)`: a .docx is a zip; read its central directory only (no inflating) and
  refuse packages that declare too much uncompressed data, too many entries, or an
  absurd compression ratio (zip bombs). Returns a one-line reason, or None when fine.
- `check_xml_bytes(data)`: refuse XML with a DOCTYPE that declares entities (billion
  laughs, external entities) — Word never writes one.
- `check_pdf_pages(n)`: the page bound for one PDF, with the message to record.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_ZIP_ENTRIES = 5000
MAX_ZIP_TOTAL = 512 * 1024 * 1024        # declared uncompressed bytes, all entries
MAX_ZIP_ENTRY = 100 * 1024 * 1024        # one entry (as the docx loader)
MAX_ZIP_RATIO = 200                      # uncompressed / compressed, for entries > 1 MiB
MAX_PDF_PAGES = 300

_ENTITY_DECL = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.S)


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


def check_xml_bytes(data: bytes) -> str | None:
    if _ENTITY_DECL.search(data[:65536]):
        return "XML declares entities (entity-expansion attack or external entity); refused"
    return None


def check_pdf_pages(n: int, limit: int = MAX_PDF_PAGES) -> str | None:
    if n > limit:
        return f"only the first {limit} of {n} pages read (page bound)"
    return None
