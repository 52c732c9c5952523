"""Files on disk: the one table of supported extensions, walking folders, hashing.

Both the loader (which format an extension claims) and ingest (which files a walk picks up) read
`EXTENSIONS`, so a file `cascade parse` reads is also one `cascade ingest` picks up.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

# extension → the format the extension claims (the loader sniffs the real one from the first bytes)
EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".docx": "docx", ".docm": "docx", ".doc": "doc", ".rtf": "rtf", ".pdf": "pdf",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".mht": "html", ".mhtml": "html",
}
SUPPORTED = tuple(EXTENSIONS)
# skipped while walking: office lock files, hidden files and folders
SKIP_PREFIXES = ("~$", ".")


def resolved(p: Path) -> Path:
    """The real path; a symlink loop or a broken link keeps its own (absolute) path, so
    that the file is still accounted for and fails with its reason when parsed."""
    try:
        return p.resolve(strict=False)
    except (OSError, RuntimeError):
        return Path(os.path.abspath(p))


def walk(paths: Iterable) -> list[Path]:
    """Every supported file under the given files/folders, resolved, sorted, once each."""
    seen: dict[str, Path] = {}
    for p in paths:
        p = Path(p)
        if p.is_file() or p.is_symlink():
            if p.suffix.lower() in SUPPORTED:
                rp = resolved(p)
                seen[str(rp)] = rp
            continue
        if not p.is_dir():
            raise FileNotFoundError(f"{p}: no such file or folder")
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith(SKIP_PREFIXES) or not name.lower().endswith(SUPPORTED):
                    continue
                rp = resolved(Path(root) / name)
                seen[str(rp)] = rp
    return [seen[k] for k in sorted(seen)]


def sha256_file(path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(bufsize):
            h.update(chunk)
    return h.hexdigest()
