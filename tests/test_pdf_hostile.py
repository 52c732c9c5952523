"""Issue 15's PDF cases, each hostile file built here (nothing binary committed):

- a page whose content stream repeats a text operator millions of times (40 KB on disk,
  1.3 GB and 9 s inside pdfium's page load before the guard) is refused before pdfium
  parses it, in every disguise: one stream, a /Contents array, a form XObject, a filter
  chain, no compression; the other pages of the file are kept;
- `--ocr` on a 14,400 × 14,400 pt page renders a bounded image;
- a page tree with a /Count above the real pages, a dangling kid or a loop keeps its good
  pages and names the lost ones in `warnings`.

Memory is measured in a child process (its peak RSS), so that a regression fails here
instead of taking the machine down: the child runs under an address-space limit and a
timeout.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from cascade.parse import parse_file
from cascade.parse.loaders.pdf import load_pdf
from cascade.parse.ocr import MAX_RENDER_PIXELS, render_scale
from cascade.models import LoadedText
from tests.hostile import generate as g

REPO = Path(__file__).resolve().parents[1]
BOMB_OPS = 4_000_000          # the case: "(a) Tj" four million times on one page
CHILD_MEMORY = 1 << 30        # the child may not map more than 1 GiB: a bomb that gets through dies
GOOD_TEXT = "So: 12/UBND-VP. Dieu 1. Giao So Noi vu chu tri thuc hien."


# --- building PDFs ----------------------------------------------------------------
def build_pdf(pages: list[dict], media=(0, 0, 595, 842)) -> bytes:
    """A PDF from page specs: {"contents": [stream bytes, ...], "filters": [...],
    "xobject": stream bytes of a form drawn by the page}. Helvetica, ASCII text."""
    objs: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    nxt = 4
    kids = []
    for spec in pages:
        refs = []
        for content in spec["contents"]:
            objs[nxt] = _stream(content, spec.get("filters", ["FlateDecode"]))
            refs.append(nxt)
            nxt += 1
        res = b"/Font << /F1 3 0 R >>"
        forms = [spec["xobject"]] if "xobject" in spec else spec.get("xobjects", [])
        first_form = nxt
        for k, form in enumerate(forms):   # form k draws form k + 1 as /Fm(k + 2)
            inner = b" /XObject << /Fm%d %d 0 R >>" % (k + 2, nxt + 1) if k + 1 < len(forms) else b""
            objs[nxt] = _stream(form, ["FlateDecode"], b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                b"/Resources << /Font << /F1 3 0 R >>" + inner + b" >> ")
            nxt += 1
        if forms:
            res += b" /XObject << /Fm1 %d 0 R >>" % first_form
        refs = refs * spec.get("repeat", 1)    # the same stream named again and again
        contents = b"%d 0 R" % refs[0] if len(refs) == 1 else b"[" + b" ".join(b"%d 0 R" % r for r in refs) + b"]"
        objs[nxt] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [%d %d %d %d] /Contents " % media + contents
                     + b" /Resources << " + res + b" >> >>")
        kids.append(nxt)
        nxt += 1
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % nxt
    for num in range(1, nxt):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (nxt, xref)
    return bytes(out)


def _stream(content: bytes, filters: list[str], extra: bytes = b"") -> bytes:
    data = content
    for name in reversed(filters):   # the first filter listed is the first undone
        if name == "FlateDecode":
            data = zlib.compress(data, 9)
        elif name == "ASCIIHexDecode":
            data = data.hex().encode() + b">"
    names = b" ".join(b"/" + f.encode() for f in filters)
    filt = b"/Filter [" + names + b"] " if filters else b""
    return b"<< " + extra + filt + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_ops(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET"


def bomb_ops(n: int = BOMB_OPS) -> bytes:
    return b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj " * n + b"ET"


def child(script: str, cache: Path, timeout: float = 120) -> dict:
    """Run `script` in a fresh interpreter under an address-space limit, with its own OCR
    cache (a cached result would hide the work); it prints one JSON line; the peak RSS of
    the child (MiB) is added as "peak_mib"."""
    code = ("import resource, json, sys\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({CHILD_MEMORY}, {CHILD_MEMORY}))\n"
            f"sys.path.insert(0, {str(REPO)!r})\n" + script +
            # VmHWM: this process's own peak (ru_maxrss would include the parent's size at fork)
            "\nout['peak_mib'] = int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) // 1024\n"
            "print(json.dumps(out))\n")
    env = dict(os.environ, CASCADE_CACHE=str(cache))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_in_child(path: Path, ocr: bool = False) -> dict:
    return child(cache=path.parent / "cache", script="from cascade.parse.load import load\n"
                 f"r = load({str(path)!r}, ocr={ocr})\n"
                 "out = {'status': r.status, 'error': r.error, 'warnings': r.warnings, 'text': r.text,\n"
                 "       'extras': {k: v for k, v in r.extras.items() if k.startswith('pages_')}}")


# --- content bombs ------------------------------------------------------------------
def test_operator_bomb_page_is_refused_in_bounded_memory(tmp_path):
    p = tmp_path / "bomb.pdf"
    p.write_bytes(build_pdf([{"contents": [bomb_ops()]}]))
    assert p.stat().st_size < 100_000          # small on disk, 28 MB of operators inside
    r = load_in_child(p)
    assert r["status"] == "error"
    assert "page 1 refused" in r["error"] and "MiB" in r["error"], r["error"]
    assert "\n" not in r["error"]
    # before the guard: 1.3 GB in FPDF_LoadPage; the child's limit is 1 GiB
    assert r["peak_mib"] < 300, r["peak_mib"]


@pytest.mark.parametrize("disguise", ["contents-array", "same-stream-repeated", "form-xobject", "form-drawn-again",
                                      "forms-drawing-forms", "hex-then-flate", "uncompressed"])
def test_bomb_in_any_disguise_loses_only_its_page(tmp_path, disguise):
    good = {"contents": [text_ops(GOOD_TEXT)]}
    part = bomb_ops(200_000)                   # 1.4 MB of operators per stream
    if disguise == "contents-array":
        bad = {"contents": [part] * 20}        # 20 streams, none above the limit alone
    elif disguise == "same-stream-repeated":
        bad = {"contents": [part], "repeat": 20}   # one 1.4 MB stream, named 20 times
    elif disguise == "form-xobject":
        bad = {"contents": [b"/Fm1 Do"], "xobject": bomb_ops(1_000_000)}
    elif disguise == "form-drawn-again":       # 3 KB: a 50-operator form drawn 200,000 times
        bad = {"contents": [b"/Fm1 Do\n" * 200_000], "xobject": bomb_ops(50)}
    elif disguise == "forms-drawing-forms":    # 100 x 100 x 100 draws of a small form
        bad = {"contents": [b"/Fm1 Do\n" * 100],
               "xobjects": [b"/Fm2 Do\n" * 100, b"/Fm3 Do\n" * 100, bomb_ops(20)]}
    elif disguise == "hex-then-flate":
        bad = {"contents": [bomb_ops(1_000_000)], "filters": ["ASCIIHexDecode", "FlateDecode"]}
    else:
        bad = {"contents": [bomb_ops(500_000)], "filters": []}
    p = tmp_path / f"{disguise}.pdf"
    p.write_bytes(build_pdf([good, bad, good]))
    r = load_in_child(p)
    assert r["extras"].get("pages_refused") == [2], r
    assert any(w.startswith("page 2 refused") for w in r["warnings"]), r["warnings"]
    assert r["peak_mib"] < 300, r["peak_mib"]
    # the good pages are read (through the loader itself: ASCII Helvetica text is "junk"
    # to the OCR stage's Vietnamese check, which is not what this test is about)
    res = load_pdf(p, LoadedText(path=str(p), format="pdf"))
    assert res.text.count("Giao So Noi vu") == 2, res.text


def test_bomb_in_an_encrypted_pdf_is_refused(tmp_path):
    # encrypted with an empty user password: pdfium opens it, the raw bytes show nothing
    try:
        from reportlab.lib import pdfencrypt
        from reportlab.pdfgen import canvas
    except ImportError:
        pytest.skip("reportlab not installed: cannot make an encrypted PDF")
    p = tmp_path / "encrypted-bomb.pdf"
    c = canvas.Canvas(str(p), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))
    c.setFont("Helvetica", 12)
    c._code.append(bomb_ops().decode())
    c.save()
    r = load_in_child(p)
    assert r["status"] == "error" and "page 1 refused" in r["error"], r
    assert r["peak_mib"] < 300, r["peak_mib"]


def test_ordinary_pdfs_are_not_refused(tmp_path):
    # a long ordinary document: 300 pages of text add up past the per-page limit as a
    # file (every stream is measured), but no page is refused
    line = b"BT /F1 10 Tf 72 %d Td (Dieu 1. Giao So Noi vu chu tri, phoi hop thuc hien nhiem vu.) Tj ET\n"
    page = b"".join(line % (800 - 12 * k) for k in range(60))
    p = tmp_path / "long.pdf"
    p.write_bytes(build_pdf([{"contents": [page * 20]} for _ in range(12)]))   # ~5.6 MB decoded in all
    res = load_pdf(p, LoadedText(path=str(p), format="pdf"))
    assert "pages_refused" not in res.extras, res.warnings
    assert res.text.count("Giao So Noi vu") == 12 * 60 * 20


def test_ocr_of_a_bomb_page_never_renders_it(tmp_path):
    p = tmp_path / "bomb.pdf"
    p.write_bytes(build_pdf([{"contents": [bomb_ops()]}]))
    r = load_in_child(p, ocr=True)
    assert r["status"] in ("error", "no_text")
    assert r["peak_mib"] < 300, r["peak_mib"]


# --- OCR render size ------------------------------------------------------------------
def test_render_scale_is_bounded():
    # A4 at 200 dpi: as asked
    assert render_scale(595, 842, 200) == (200 / 72, None)
    # the page: 14,400 pt square at 200 dpi would be 40,000 px a side
    scale, why = render_scale(14400, 14400, 200)
    assert (14400 * scale) ** 2 <= MAX_RENDER_PIXELS * 1.0001
    assert "14400 × 14400 pt" in why and "dpi" in why


def test_ocr_of_a_huge_page_is_bounded(tmp_path):
    if not shutil_which("tesseract"):
        pytest.skip("tesseract not installed")
    p = tmp_path / "huge.pdf"
    p.write_bytes(build_pdf([{"contents": [b"0 0 m 10 10 l S"]}], media=(0, 0, 14400, 14400)))
    assert p.stat().st_size < 1000
    r = load_in_child(p, ocr=True)
    # before: 4.6 GB (1.6 G pixels); a 32 M pixel page is ~100 MB as RGB
    assert r["peak_mib"] < 700, r["peak_mib"]
    assert any("rendered at" in w for w in r["warnings"]), r["warnings"]


def shutil_which(name: str):
    import shutil
    return shutil.which(name)


# --- broken page trees ------------------------------------------------------------------
PAGES = ["Trang một: Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì thực hiện.",
         "Trang hai: Điều 2. Sở Tài chính bố trí kinh phí thực hiện nhiệm vụ.",
         "Trang ba: Điều 3. Quyết định có hiệu lực kể từ ngày ký ban hành."]


def _three_pages(tmp_path) -> bytes:
    p = g.vietnamese_pdf(tmp_path / "three.pdf", PAGES)
    if p is None:
        pytest.skip("reportlab or DejaVu fonts not installed: cannot make a Vietnamese text PDF")
    return p.read_bytes()


def _kids(data: bytes) -> list[bytes]:
    m = re.search(rb"/Kids \[ ([^\]]*)\]", data)
    return re.findall(rb"(\d+) 0 R", m.group(1))


def test_count_above_the_real_pages_keeps_them(tmp_path):
    data = _three_pages(tmp_path)
    assert b"/Count 3 " in data
    p = tmp_path / "count.pdf"
    p.write_bytes(data.replace(b"/Count 3 ", b"/Count 7 "))    # same length: the xref stays right
    rec = parse_file(p)
    assert rec.status == "ok", rec.error
    res = load_pdf(p, LoadedText(path=str(p), format="pdf"))
    assert all(t.split(":")[0] in res.text for t in PAGES), res.text
    assert res.extras["pages_lost"] == [4, 5, 6, 7]
    assert any("4 of 7 pages could not be read" in w for w in rec.warnings), rec.warnings


def test_dangling_kid_loses_only_its_page(tmp_path):
    data = _three_pages(tmp_path)
    second = int(_kids(data)[1])
    head, tail = data[:data.rindex(b"\nxref\n") + 1], data[data.rindex(b"\nxref\n") + 1:]
    lines = tail.split(b"\n")
    lines[2 + second] = b"0000000000 65535 f "      # the second page's object is gone (free)
    p = tmp_path / "dangling.pdf"
    p.write_bytes(head + b"\n".join(lines))
    res = load_pdf(p, LoadedText(path=str(p), format="pdf"))
    assert "Trang một" in res.text and "Trang ba" in res.text and "Trang hai" not in res.text
    assert res.extras["pages_lost"] == [2]
    assert any("pages 2" in w and "could not be read" in w for w in res.warnings), res.warnings
    assert parse_file(p).status == "ok"


def test_loop_in_the_page_tree_keeps_the_good_pages(tmp_path):
    data = _three_pages(tmp_path)
    pages_node = re.search(rb"/Pages (\d+) 0 R", data).group(1)
    kids = _kids(data)
    looped = data.replace(b"/Kids [ %s 0 R %s 0 R" % (kids[0], kids[1]),
                          b"/Kids [ %s 0 R %s 0 R" % (kids[0], pages_node))   # the node is its own kid
    p = tmp_path / "loop.pdf"
    p.write_bytes(looped)
    r = load_in_child(p)
    assert r["status"] == "ok", r
    assert "Trang một" in r["text"] and "Trang ba" in r["text"]
    assert r["extras"]["pages_lost"], r
