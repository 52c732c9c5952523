"""Cheap checks that refuse hostile files before a parser touches them.

- `check_zip(path)`: a .docx is a zip; read its central directory only (no inflating) and
  refuse packages that declare too much uncompressed data, too many entries, or an
  absurd compression ratio (zip bombs). Returns a one-line reason, or None when fine.

- `pdf_content_size(data)`: what a PDF's content streams decode to, decoded a chunk at a
  time and stopped past `MAX_PAGE_CONTENT`; the PDF loader refuses a page above it before
  pdfium parses it (`loaders.pdf.refused_pages`), and so does the OCR stage.

The other hostile cases are guarded where they are read: the docx loader parses XML with
`resolve_entities=False` (lxml also refuses entity amplification: billion laughs), the PDF
loader reads at most 300 pages (a page pdfium cannot load is skipped and named in the
warnings), the OCR stage at most `OcrSettings.max_pages` and `ocr.MAX_RENDER_PIXELS` a page.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
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


# --- PDF content, bounded before pdfium parses a page ---------------------------------
# pdfium builds an object per drawing operator when it loads a page (~320 bytes each) and
# an entry per character for its text page: a 40 KB file whose page repeats "(a) Tj"
# 4,000,000 times takes 1.3 GB and 9 s in FPDF_LoadPage alone, and the timeout cannot
# interrupt it. So the content streams are decoded here first (bounded, a chunk at a time)
# and a page whose content decodes to more than MAX_PAGE_CONTENT is refused. An operator
# takes at least ~5 bytes ("(a)Tj", "/a Do"), so 2 MiB is at most ~420,000 objects
# (~130 MB in pdfium) or 2 M characters. realdocs: at most 88 KiB a page.
MAX_PAGE_CONTENT = 2 * 1024 * 1024       # decoded content-stream bytes of one page
_DECODE_CHUNK = 1 << 20

# a stream that is not page content: images, fonts, metadata, cross-reference, object streams
_NOT_CONTENT = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)\b|/Length[123]\b|"
                          rb"/Type\s*/(?:XRef|ObjStm|Metadata|EmbeddedFile)\b")
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[<>()]+)")
_CONTENTS = re.compile(rb"/Contents\s*\[([^\]]*)\]")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")


@dataclass
class ContentSize:
    """What PDF content streams decode to (bounded: decoding stops past the limit)."""
    decoded: int = 0
    undecodable: int = 0     # bytes in filters not decoded here (LZW, chains): weigh x4
    weight: int = 1          # how many times the stream being decoded is parsed
    keep: list | None = None  # collects the decoded bytes when set (object streams)
    draws: int = 0           # "Do" operators of the stream being decoded
    page_draws: int = 0      # "Do" in page contents
    nesting: int = 1         # product of the "Do" counts of forms that draw other forms
    largest_form: int = 0    # decoded bytes of the largest form XObject

    @property
    def size(self) -> int:
        # pdfium parses a form XObject again at every "Do" that draws it: a 3 KB file drawing
        # a 50-operator form 200,000 times passes 1 GiB. Without resolving names, bound it
        # by the largest form drawn at every "Do" of the page, through every form that draws
        # others (realdocs: at most 11 KB).
        return self.decoded + 4 * self.undecodable + self.largest_form * self.page_draws * self.nesting

    def over(self) -> str | None:
        if self.size > MAX_PAGE_CONTENT:
            what = ("content, with the form XObjects it draws again and again, comes to"
                    if self.decoded + 4 * self.undecodable <= MAX_PAGE_CONTENT else "content decodes to")
            return (f"page {what} more than {MAX_PAGE_CONTENT // (1 << 20)} MiB "
                    f"(a drawing-operator bomb: pdfium would need gigabytes)")
        return None


def pdf_content_size(data: bytes) -> ContentSize:
    """Decoded size of every content stream in a PDF's bytes (page contents and form
    XObjects; not images, fonts or metadata), bounded: decoding stops past the limit.
    A stream named n times in one page's /Contents array counts n times (pdfium parses it
    n times); page dictionaries inside object streams are read for that too."""
    streams = []                       # (object number, dict, start)
    arrays = [m.group(1) for m in _CONTENTS.finditer(data)]
    unpacked = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        head = data.rfind(b"obj", max(0, m.start() - 65536), m.start())
        d = data[head + 3 if head >= 0 else max(0, m.start() - 4096):m.start()]
        num = re.search(rb"(\d+)\s+\d+\s+$", data[max(0, head - 24):head]) if head >= 0 else None
        if _OBJSTM.search(d) and unpacked < MAX_PAGE_CONTENT * 8:   # page dicts may hide here
            inner = ContentSize()
            text = _decoded(data[start:start + _stream_length(data, d, start)], _filters(d), inner)
            unpacked += len(text)
            arrays += [a.group(1) for a in _CONTENTS.finditer(text)]
        elif not _NOT_CONTENT.search(d):
            streams.append((int(num.group(1)) if num else -1, d, start))
    weight: dict[int, int] = {}
    for arr in arrays:
        for ref, k in Counter(re.findall(rb"(\d+)\s+\d+\s+R", arr)).items():
            if k > 1:
                weight[int(ref)] = max(weight.get(int(ref), 1), k)
    out = ContentSize()
    for num, d, start in streams:
        out.weight = weight.get(num, 1)
        before, out.draws = out.decoded, 0
        _decode_into(data[start:start + _stream_length(data, d, start)], _filters(d), out)
        if _FORM.search(d):
            out.largest_form = max(out.largest_form, (out.decoded - before) // max(out.weight, 1))
            if out.draws:
                out.nesting = min(out.nesting * out.draws, MAX_PAGE_CONTENT)
        else:
            out.page_draws += out.draws
        if out.over():
            break
    return out


def _filters(d: bytes) -> list[bytes]:
    f = _FILTER.search(d)
    return re.findall(rb"/([^\s/\[\]<>()]+)", f.group(1)) if f else []


def _decoded(raw: bytes, filters: list[bytes], out: ContentSize) -> bytes:
    """A small stream's decoded bytes (object streams), bounded like content."""
    chunks: list[bytes] = []
    out.keep = chunks
    _decode_into(raw, filters, out)
    return b"".join(chunks)


def _stream_length(data: bytes, d: bytes, start: int) -> int:
    """The stream's /Length (direct, or the indirect object it names), else up to endstream."""
    m = _LENGTH.search(d)
    n = None
    if m and m.group(2) is None:
        n = int(m.group(1))
    elif m:
        key = m.group(1) + b" " + m.group(2) + b" obj"
        at = data.find(key)
        while at > 0 and data[at - 1:at].isdigit():   # "112 0 obj" is not "12 0 obj"
            at = data.find(key, at + 1)
        if at >= 0:
            v = re.match(rb"\s*(\d+)", data[at + len(key):at + len(key) + 32])
            n = int(v.group(1)) if v else None
    if n is not None and start + n <= len(data):
        return n
    end = data.find(b"endstream", start)
    return (end if end >= 0 else len(data)) - start


def _decode_into(raw: bytes, filters: list[bytes], out: ContentSize) -> None:
    """Decode a stream (ASCIIHex / ASCII85 text encodings, then Flate or RunLength) a chunk at
    a time, adding its size to `out` until a limit is passed."""
    import binascii
    import zlib
    data = raw
    filters = list(filters)
    while filters and filters[0] in (b"ASCIIHexDecode", b"AHx", b"ASCII85Decode", b"A85"):
        name = filters.pop(0)
        try:   # these only shrink their input (ASCII85 "z": 4 bytes from 1)
            if name in (b"ASCIIHexDecode", b"AHx"):
                data = binascii.unhexlify(re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0]))
            else:
                data = _a85decode(data)
        except (ValueError, binascii.Error):
            return
    if not filters:
        _count(data, out)
    elif filters == [b"FlateDecode"] or filters == [b"Fl"]:
        z = zlib.decompressobj()
        pending = data
        while pending and not out.over():
            try:
                chunk = z.decompress(pending, _DECODE_CHUNK)
            except zlib.error:
                return
            pending = z.unconsumed_tail
            if not chunk:
                return
            _count(chunk, out)
    elif filters == [b"RunLengthDecode"] or filters == [b"RL"]:
        _count_runlength(data, out)
    else:   # LZW and other chains: not decoded here, their size weighs x4
        out.undecodable += len(data) * out.weight


_A85_SPACE = re.compile(rb"[\s\x00]+")
_A85_POWERS = None


def _a85decode(data: bytes) -> bytes:
    """ASCII85 (reportlab writes every content stream as ASCII85 + Flate), in numpy: the
    standard library's decoder is pure Python, 40 x slower than pdfium reading the page."""
    global _A85_POWERS
    import numpy as np
    body = _A85_SPACE.sub(b"", data.split(b"~>")[0])
    if body.startswith(b"<~"):
        body = body[2:]
    body = body.replace(b"z", b"!!!!!")
    pad = -len(body) % 5
    arr = np.frombuffer(body + b"u" * pad, dtype=np.uint8).astype(np.uint64) - 33
    if arr.size and int(arr.max()) > 84:
        raise ValueError("not ASCII85")
    if _A85_POWERS is None:
        _A85_POWERS = np.array([85 ** 4, 85 ** 3, 85 ** 2, 85, 1], dtype=np.uint64)
    words = arr.reshape(-1, 5) @ _A85_POWERS
    if words.size and int(words.max()) > 0xFFFFFFFF:
        raise ValueError("ASCII85 group out of range")
    out = words.astype(">u4").tobytes()
    return out[:len(out) - pad] if pad else out


def _count(chunk: bytes, out: ContentSize) -> None:
    out.decoded += len(chunk) * out.weight
    # "/Fm1 Do": counted in C, a few false hits in text only make the bound safer
    out.draws += (chunk.count(b" Do") + chunk.count(b"\nDo") + chunk.count(b"\rDo")) * out.weight
    if out.keep is not None:
        out.keep.append(chunk)


def _count_runlength(data: bytes, out: ContentSize) -> None:
    """Decoded size of a RunLength stream (runs of up to 128 bytes from 2): counted, not built."""
    i, size = 0, 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        if n < 128:
            size += n + 1
            i += n + 2
        else:
            size += 257 - n
            i += 2
    out.decoded += size * out.weight
