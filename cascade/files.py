"""Files on disk: the one table of supported extensions, walking folders, hashing, and the one
way to write an output file (`output_file`: atomic, never replacing anything without force).

Both the loader (which format an extension claims) and ingest (which files a walk picks up) read
`EXTENSIONS`, so a file `cascade parse` reads is also one `cascade ingest` picks up.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from cascade.i18n import _

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


class OutputExists(FileExistsError):
    """An output path is taken (a file, a folder, a symlink even dangling) and force was not given."""


def check_output(path, force: bool = False) -> Path:
    """`path` if an output may be written there: OutputExists when something is there (a symlink,
    dangling too, counts) and not `force`; a folder is never replaced; its folder must exist."""
    path = Path(path)
    if os.path.lexists(path):
        if path.is_dir() and not path.is_symlink():
            raise OutputExists(_("{path}: is a folder; give a file name").format(path=path))
        if not force:
            raise OutputExists(_("{path}: exists; use --force to replace it").format(path=path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise FileNotFoundError(_("{path}: folder {folder} does not exist").format(path=path, folder=parent))
    return path


@contextmanager
def output_file(path, force: bool = False) -> Iterator[Path]:
    """Write an output atomically: yields a temporary path in the same folder; when the block ends
    without error it is renamed onto `path` (a symlink there is replaced, its target untouched),
    else removed. Checked first by check_output, so nothing is replaced without `force`."""
    path = check_output(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)      # mkstemp makes 0600; an output is an ordinary file
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
