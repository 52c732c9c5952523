"""Generators for hostile and scanned test files, written into a directory (tmp_path).

Nothing binary is committed: every case is made on the fly.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts")

MINIMAL_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>')
MINIMAL_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(paragraphs: list[str], prolog: str = "") -> str:
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def write_docx(path: Path, doc_xml: str, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", MINIMAL_CONTENT_TYPES)
        z.writestr("_rels/.rels", MINIMAL_RELS)
        z.writestr("word/document.xml", doc_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def small_docx(path: Path) -> Path:
    return write_docx(path, document_xml([
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Số: 15/QĐ-UBND", "QUYẾT ĐỊNH",
        "Điều 1. Giao Sở Nội vụ chủ trì thực hiện."]))


def zip_bomb_docx(path: Path, gigabytes: float = 2.0) -> Path:
    """A .docx whose document.xml claims (and inflates to) gigabytes of zeros.

    Written with a raw deflate stream of a repeated block so that making it is cheap:
    the file is a few MiB at most, the declared uncompressed size is `gigabytes` GiB.
    """
    import zlib
    chunk = b"\0" * (1 << 20)
    n = int(gigabytes * 1024)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)   # identical after a full flush
    data = first + block * (n - 1) + comp.flush()
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    written = n << 20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", MINIMAL_CONTENT_TYPES)
        z.writestr("_rels/.rels", MINIMAL_RELS)
    # append a deflated entry by hand: local header + data + central directory
    _append_raw_entry(path, "word/document.xml", data, crc, written)
    return path


def _append_raw_entry(path: Path, name: str, data: bytes, crc: int, size: int) -> None:
    import struct
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        raw = path.read_bytes()
    # rebuild: copy existing local entries, then ours, then a new central directory
    out = io.BytesIO()
    central = []
    for info in infos:
        start = info.header_offset
        name_len, extra_len = struct.unpack("<HH", raw[start + 26:start + 30])
        end = start + 30 + name_len + extra_len + info.compress_size
        offset = out.tell()
        out.write(raw[start:end])
        central.append((info.filename.encode(), info.CRC, info.compress_size, info.file_size,
                        info.compress_type, offset))
    offset = out.tell()
    fname = name.encode()
    out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc,
                          len(data) & 0xFFFFFFFF, size & 0xFFFFFFFF, len(fname), 0))
    out.write(fname)
    out.write(data)
    central.append((fname, crc, len(data), size, 8, offset))
    cd_start = out.tell()
    for fn, c, csize, usize, method, off in central:
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, c,
                              csize & 0xFFFFFFFF, usize & 0xFFFFFFFF, len(fn), 0, 0, 0, 0, 0, off))
        out.write(fn)
    cd_end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          cd_end - cd_start, cd_start, 0))
    path.write_bytes(out.getvalue())


def billion_laughs_docx(path: Path) -> Path:
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    prolog = f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{lol}]>'
    return write_docx(path, document_xml(["Số: 1/UBND", "&lol9;"], prolog=prolog))


def external_entity_docx(path: Path) -> Path:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return write_docx(path, document_xml(["Số: 1/UBND", "&xxe;"], prolog=prolog))


def truncated(path: Path, source: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[:max(1, int(len(data) * keep))])
    return path


# --- PDFs ------------------------------------------------------------------------------
def font(size: int, bold: bool = False):
    from PIL import ImageFont
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    for d in FONT_DIRS:
        p = Path(d) / name
        if p.exists():
            return ImageFont.truetype(str(p), size)
    return None


def scanned_page(lines_left: list[str], lines_right: list[str], body: list[str],
                 red: list[str] = (), stamp: list[str] = (), dpi: int = 150):
    """An A4 page image like a scan: two-column header, body, red text (seal) and stamp lines."""
    from PIL import Image, ImageDraw
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    f = font(int(dpi * 0.16))
    fb = font(int(dpi * 0.16), bold=True)
    if f is None:
        return None
    y = int(dpi * 0.8)
    step = int(dpi * 0.28)
    for i, ln in enumerate(lines_left):
        d.text((int(dpi * 0.7), y + i * step), ln, fill="black", font=fb)
    for i, ln in enumerate(lines_right):
        d.text((int(w * 0.47), y + i * step), ln, fill="black", font=fb)
    y += step * (max(len(lines_left), len(lines_right)) + 2)
    for ln in body:
        d.text((int(dpi * 0.9), y), ln, fill="black", font=f)
        y += step
    for i, ln in enumerate(stamp):
        d.text((int(dpi * 0.9), y + step * (i + 1)), ln, fill="black", font=f)
    if red:
        cx, cy = int(w * 0.68), int(y + dpi * 0.6)
        d.ellipse((cx - dpi, cy - dpi, cx + dpi, cy + dpi), outline=(220, 30, 30), width=int(dpi * 0.05))
        for i, ln in enumerate(red):
            d.text((cx - int(dpi * 0.8), cy - int(dpi * 0.3) + i * step), ln, fill=(220, 30, 30), font=fb)
    return img


def image_pdf(path: Path, images: list, dpi: int = 150) -> Path:
    """A PDF made of page images only (no text layer), like a scanner's output."""
    first, rest = images[0], images[1:]
    first.save(str(path), "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A minimal PDF with a text layer (Helvetica, ASCII text), one string per page."""
    objs: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    font_id = 3 + 2 * n
    for i, text in enumerate(pages):
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({esc}) Tj ET".encode()
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(out.getvalue())
    return path


def broken_xref_pdf(path: Path) -> Path:
    """A text PDF whose cross-reference table points at the wrong offsets."""
    text_pdf(path, ["So: 12/UBND-VP. Noi dung van ban."])
    data = path.read_bytes()
    start = data.rindex(b"xref\n")
    head, tail = data[:start], data[start:]
    tail = tail.replace(b" 00000 n ", b" 00000 n ", 0)
    import re
    tail = re.sub(rb"\d{10} 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(0)[:10]) + 7), tail)
    tail = re.sub(rb"startxref\n\d+", b"startxref\n999999", tail)
    path.write_bytes(head + tail)
    return path


def encrypted_pdf(path: Path) -> Path | None:
    """A password-protected PDF (needs pypdf or reportlab; None if neither is installed)."""
    try:
        from reportlab.lib import pdfencrypt
        from reportlab.pdfgen import canvas
    except ImportError:
        return None
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 720, "So: 12/UBND-VP")
    c.save()
    return path


def nfd(s: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFD", s)


def symlink_loop(directory: Path) -> Path:
    a, b = directory / "loop_a.docx", directory / "loop_b.docx"
    os.symlink(b, a)
    os.symlink(a, b)
    return a


def vietnamese_pdf(path: Path, pages: list[str]) -> Path | None:
    """A text PDF in Vietnamese (reportlab + DejaVu); None if either is missing."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
    except ImportError:
        return None
    ttf = next((Path(d) / "DejaVuSerif.ttf" for d in FONT_DIRS if (Path(d) / "DejaVuSerif.ttf").exists()), None)
    if ttf is None:
        return None
    if "DejaVuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSerif", str(ttf)))
    c = canvas.Canvas(str(path))
    for text in pages:
        c.setFont("DejaVuSerif", 12)
        for k, line in enumerate(text.split("\n")):
            c.drawString(72, 760 - 16 * k, line)
        c.showPage()
    c.save()
    return path


def paragraph_bomb_docx(path: Path, megabytes: int = 24) -> Path:
    """A .docx whose document.xml is valid but huge and repetitive (millions of tiny
    paragraphs): under any per-part size limit, yet ~300x compressed. Real .docx parts
    compress less than 30x (realdocs: at most 28x)."""
    para = "<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    body = para * (megabytes * (1 << 20) // len(para))
    return write_docx(path, document_xml([]).replace("<w:body></w:body>", f"<w:body>{body}</w:body>"))


def special_files(directory: Path) -> dict[str, Path]:
    """Things that are not regular files, under document names: a FIFO, links to /dev/zero and
    /dev/null, a socket and a link to the FIFO. Reading any of them would hang or never end."""
    import socket
    out = {"pipe": directory / "pipe.txt", "zero": directory / "zero.txt", "null": directory / "null.docx",
           "socket": directory / "sock.pdf", "link_to_pipe": directory / "link-to-pipe.md"}
    os.mkfifo(out["pipe"])
    os.symlink("/dev/zero", out["zero"])
    os.symlink("/dev/null", out["null"])
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(out["socket"]))
    s.close()
    os.symlink(out["pipe"], out["link_to_pipe"])
    return out
