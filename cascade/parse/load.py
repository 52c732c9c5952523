"""Load stage: any supported file → `LoadedText` (plain text in reading order).

`load(path)` never raises: a file that cannot be read comes back with a failed
status (`error`, `empty`, `unsupported`, `no_text`) and a one-line `error` naming
the reason (the caller adds the file name).

The real format is sniffed from the first bytes, not trusted from the extension:
a `.doc` that is really a zip goes to the docx loader, an RTF `.doc` to striprtf,
a `.doc`/`.docx` that is really a saved web page (HTML or MHT) to the HTML loader,
an OLE `.docx` to antiword. Loaders do extraction only; the pipeline runs
`normalise.clean()` on the result.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from cascade.files import EXTENSIONS, MAX_BYTES, NotReadable, not_regular, open_regular
from cascade.models import (STATUS_EMPTY, STATUS_ERROR, STATUS_UNSUPPORTED,
                            LoadedText)
from cascade.parse import guards
from cascade.parse import ocr as ocr_stage
from cascade.parse.loaders import doc, docx, html, pdf, rtf, txt
from cascade.text import one_line


# magic bytes → real container format (checked in order)
_MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
)


def sniff(head: bytes, lenient_pdf: bool = False) -> str | None:
    """The container format of a file from its first bytes, or None if unknown."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # PDF readers accept junk before the header (pdfium scans the first KiB); so do
    # we, for a file that says it is a PDF
    if lenient_pdf and b"%PDF-" in head[:1024]:
        return "pdf"
    return None


def load(path, ocr: bool = False) -> LoadedText:
    """Read one file. Never raises for bad input.

    A PDF without a usable text layer (none, or junk) comes back `no_text` unless
    `ocr` is true, in which case cascade.parse.ocr reads it with Tesseract.
    """
    p = Path(path)
    ext = p.suffix.lower()
    claimed = EXTENSIONS.get(ext)
    res = LoadedText(path=str(path), format=claimed or ext.lstrip(".") or "unknown")
    try:
        res = _load(p, ext, claimed, res)
    except MemoryError:
        return _fail(res, STATUS_ERROR, "out of memory while reading")
    except Exception as exc:   # a loader bug must not kill a folder run
        return _fail(res, STATUS_ERROR, f"cannot read ({type(exc).__name__}: {_one_line(exc)})")
    if res.format == "pdf":
        res = _after_pdf(res, p, ocr)
    return res


def _after_pdf(res: LoadedText, p: Path, ocr: bool) -> LoadedText:
    """The OCR stage's hook: no text layer or a junk one → no_text, or OCR when asked."""
    try:
        return ocr_stage.after_pdf_load(res, p, ocr=ocr)
    except Exception as exc:   # an OCR bug must not kill a folder run
        return _fail(res, STATUS_ERROR, f"OCR stage failed ({type(exc).__name__}: {_one_line(exc)})")


def _load(p: Path, ext: str, claimed: str | None, res: LoadedText) -> LoadedText:
    if claimed is None:
        return _fail(res, STATUS_UNSUPPORTED, f"unsupported file type '{ext or '(none)'}'")
    try:
        st = os.stat(p)         # a regular file (nearly always) passes the checks below in one call
    except (OSError, ValueError):
        st = None
    if st is None or not stat.S_ISREG(st.st_mode):
        if p.is_symlink() and not p.exists():
            return _fail(res, STATUS_ERROR, "broken symbolic link")
        if not p.exists():
            return _fail(res, STATUS_ERROR, "no such file")
        if p.is_dir():
            return _fail(res, STATUS_ERROR, "is a directory, not a file")
        if not p.is_file():
            return _fail(res, STATUS_ERROR, not_regular(p) or "not a regular file")
        st = None
    try:
        size = st.st_size if st is not None else p.stat().st_size
        if size > MAX_BYTES:
            return _fail(res, STATUS_ERROR, f"file too large ({size // (1024 * 1024)} MiB)")
        with open_regular(p) as fh:     # never waits on a FIFO swapped in after the check
            # a plain-text file (size checked above) is read whole, once, by this guarded open
            data = fh.read() if claimed in ("txt", "md") else None
            head = data[:2048] if data is not None else fh.read(2048)
        if data is not None:            # parse_file's hash of the file, without opening it again
            res.extras["sha256"] = hashlib.sha256(data).hexdigest()
    except NotReadable as exc:
        return _fail(res, STATUS_ERROR, str(exc))
    except PermissionError:
        return _fail(res, STATUS_ERROR, "permission denied")
    except OSError as exc:
        return _fail(res, STATUS_ERROR, f"cannot open ({_one_line(exc.strerror or exc)})")
    if size == 0:
        return _fail(res, STATUS_EMPTY, "empty file (0 bytes)")

    kind = sniff(head, lenient_pdf=(claimed == "pdf"))
    if kind is None and claimed not in ("txt", "md", "pdf"):
        kind = html.sniff_markup(head)           # a saved web page, whatever its extension
    if claimed in ("txt", "md") and kind is None:
        return txt.load_txt(p, res, data)
    if claimed == "pdf":
        if kind != "pdf":
            return _fail(res, STATUS_ERROR, "not a PDF (no %PDF header)")
        return pdf.load_pdf(p, res)
    # Word family: trust the bytes, not the extension
    if kind == "zip":
        reason = guards.check_zip(p)   # sizes from the zip directory, before anything is inflated
        if reason:
            return _fail(res, STATUS_ERROR, reason)
        if claimed != "docx":
            res.warnings.append(f"{ext} file is really a .docx (zip) package")
        return docx.load_docx(p, res)
    if kind == "ole":
        if claimed != "doc":
            res.warnings.append(f"{ext} file is really a legacy .doc (OLE) file")
        return doc.load_doc(p, res)
    if kind == "rtf":
        if claimed != "rtf":
            res.warnings.append(f"{ext} file is really an RTF document")
        return rtf.load_rtf(p, res)
    if kind in ("html", "mht"):
        if claimed != "html":
            res.warnings.append(f"{ext} file is really a saved web page ({kind.upper()})")
        return html.load_mht(p, res) if kind == "mht" else html.load_html(p, res)
    if claimed == "html":                         # a page without <html>: markup fragment
        return html.load_html(p, res)
    if kind == "pdf":
        res.warnings.append(f"{ext} file is really a PDF")
        return pdf.load_pdf(p, res)
    if claimed == "docx":
        return _fail(res, STATUS_ERROR, "not a .docx file (not a zip archive)")
    return _fail(res, STATUS_ERROR, "not a Word document (unknown binary format)")


def _fail(res: LoadedText, status: str, reason: str) -> LoadedText:
    res.status = status
    res.error = _one_line(reason)
    res.text = ""
    return res


def _one_line(value) -> str:
    return one_line(value) or "unknown reason"

