"""Files on disk: the one table of supported extensions, walking folders, hashing, and the one
way to write an output file (`output_file`: atomic, never replacing anything without force).

Both the loader (which format an extension claims) and ingest (which files a walk picks up) read
`EXTENSIONS`, so a file `cascade parse` reads is also one `cascade ingest` picks up.

Only regular files are ever opened: a FIFO, a device, a socket (or a symbolic link to one — a
link to /dev/zero named `x.txt`) is refused with its reason (`not_regular`), and `open_regular`
opens without blocking and checks the opened file itself, so a name swapped for a FIFO between
the check and the open is refused too. Reads stop at `MAX_BYTES`.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

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
MAX_BYTES = 200 * 1024 * 1024     # a file above this is refused, never read (the largest real one: 30 MiB)

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class NotReadable(OSError):
    """A path that is not read: not a regular file, or too large. The message is one line."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(path) -> Optional[str]:
    """Why `path` is not read (one line), or None for a regular file. Never opens the path."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(p) else "no such file"
    except OSError as e:
        if e.errno == 40:    # ELOOP
            return "symbolic link loop"
        return f"cannot read ({e.strerror or e})"
    if stat.S_ISREG(st.st_mode):
        return None
    what = _kind(st.st_mode)
    return (f"a symbolic link to {what}" if os.path.islink(p) else what) + "; not a regular file, not read"


def open_regular(path, max_bytes: int = MAX_BYTES):
    """A binary file object for a regular file of at most `max_bytes`; NotReadable otherwise.

    Checked by name first, then opened with O_NONBLOCK (a FIFO swapped in meanwhile never waits
    for a writer) and checked again with fstat on the open descriptor."""
    why = not_regular(path)
    if why is not None:
        raise NotReadable(why)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotReadable(f"{_kind(st.st_mode)}; not a regular file, not read")
        if st.st_size > max_bytes:
            raise NotReadable(f"file too large ({st.st_size // (1 << 20)} MiB, limit {max_bytes // (1 << 20)} MiB)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def resolved(p: Path) -> Path:
    """The real path; a symlink loop, a broken link or a link to what is not a regular file keeps
    its own (absolute) path, so that the file is still accounted for under its name and fails
    with its reason."""
    try:
        real = p.resolve(strict=False)
        if os.path.islink(p) and os.path.exists(real) and not os.path.isfile(real):
            return Path(os.path.abspath(p))     # a link to /dev/zero is reported by its own name
        return real
    except (OSError, RuntimeError):
        return Path(os.path.abspath(p))


@dataclass
class Walk:
    files: list[Path] = field(default_factory=list)      # supported files, resolved, sorted, once each
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why): hidden names, lock files


def scan(paths: Iterable) -> Walk:
    """Every supported file under the given files/folders, and the supported-looking names skipped
    (hidden files and folders, Office lock files) with the reason: nothing is left out silently.
    FIFOs, devices and sockets with a supported name are listed: reading them is refused later."""
    seen: dict[str, Path] = {}
    out = Walk()
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            if p.is_symlink() or os.path.lexists(p):
                if p.suffix.lower() in SUPPORTED:
                    rp = resolved(p)
                    seen[str(rp)] = rp
                continue
            raise FileNotFoundError(f"{p}: no such file or folder")
        for root, dirs, files in os.walk(p):
            for d in sorted(dirs):
                if d.startswith("."):
                    out.skipped.append((os.path.abspath(os.path.join(root, d)) + os.sep, "hidden folder (name starts with '.'), skipped"))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if not name.lower().endswith(SUPPORTED):
                    continue
                if name.startswith(SKIP_PREFIXES):
                    why = "Office lock file" if name.startswith("~$") else "hidden file (name starts with '.')"
                    out.skipped.append((os.path.abspath(os.path.join(root, name)), why + ", skipped"))
                    continue
                rp = resolved(Path(root) / name)
                seen[str(rp)] = rp
    out.files = [seen[k] for k in sorted(seen)]
    out.skipped.sort()
    return out


def walk(paths: Iterable) -> list[Path]:
    """Every supported file under the given files/folders, resolved, sorted, once each."""
    return scan(paths).files


def sha256_file(path, bufsize: int = 1 << 20, max_bytes: int = MAX_BYTES) -> str:
    """The file's sha256; NotReadable for anything but a regular file of at most `max_bytes`."""
    h = hashlib.sha256()
    n = 0
    with open_regular(path, max_bytes) as f:
        while chunk := f.read(bufsize):
            n += len(chunk)
            if n > max_bytes:    # grew while being read
                raise NotReadable(f"file too large (over {max_bytes // (1 << 20)} MiB)")
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
