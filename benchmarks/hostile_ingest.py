"""Ingest a folder (default ../shared/realdocs) together with the issue-15 hostile catalogue, and
check that every file is accounted for, in bounded time and memory.

    python benchmarks/hostile_ingest.py [--docs ../shared/realdocs] [--workers 2] [--timeout 60]

Builds the hostile files in a temporary folder (nothing is committed): FIFOs and links to
/dev/zero and /dev/urandom with document names, a socket, a symlink loop, hidden names, names
with `\\x01`, rich markup, HTML and a leading `-`, zip bombs, billion laughs, XXE, truncated and
empty files, a broken-xref and an encrypted PDF, a PDF whose one page repeats a text operator
4,000,000 times, a 24 MB paragraph bomb, a quadratic-regex bait and a 300,000-item list.
Prints wall time, the peak RSS of the main process and of the largest worker, and the
accounting: walked = stored + skipped, every stored file with a status and a one-line reason.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.files import scan  # noqa: E402
from cascade.ingest import ingest  # noqa: E402
from cascade.sandbox import DEFAULT_MEMORY_MB  # noqa: E402
from tests.hostile import generate as gen  # noqa: E402

SEED = ROOT / "corpus" / "002_99b20f177fc5dcd7.txt"


def operator_bomb_pdf(path: Path, repeats: int = 4_000_000) -> Path:
    """One page whose content stream repeats a short text operator `repeats` times (deflated)."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(A) Tj " * repeats + b"ET", 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def build(d: Path) -> list[str]:
    """The hostile catalogue in `d`; returns what could not be made here (and why)."""
    missing = []
    seed = SEED.read_text(encoding="utf-8")
    gen.special_files(d)
    os.symlink("/dev/urandom", d / "random.pdf")
    gen.symlink_loop(d)
    (d / ".hidden.txt").write_text(seed, encoding="utf-8")
    (d / "~$lock.docx").write_bytes(b"lock")
    (d / "ctl\x01name.txt").write_text(seed, encoding="utf-8")
    (d / "[bold]markup[red].txt").write_text(seed.replace("V/v", "[/b] V/v"), encoding="utf-8")
    (d / "<img src=x onerror=alert(1)>.txt").write_text(seed, encoding="utf-8")
    (d / "-s.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (d / "title-uffff.txt").write_text(seed.replace("V/v", "V/v \uffff [/red]"), encoding="utf-8")
    (d / "empty.pdf").write_bytes(b"")
    gen.truncated(d / "truncated.docx", gen.small_docx(d / "whole.docx"))
    gen.zip_bomb_docx(d / "zipbomb.docx")
    gen.billion_laughs_docx(d / "laughs.docx")
    gen.external_entity_docx(d / "xxe.docx")
    gen.paragraph_bomb_docx(d / "paragraphs.docx")
    gen.broken_xref_pdf(d / "xref.pdf")
    if gen.encrypted_pdf(d / "encrypted.pdf") is None:
        missing.append("encrypted.pdf (no reportlab)")
    operator_bomb_pdf(d / "operators.pdf")
    (d / "regex-bait.txt").write_text("KẾ HOẠCH " + "a" * 100_000 + "\n" + seed, encoding="utf-8")
    (d / "items.txt").write_text(seed + "\n" + "".join(f"{i}. Giao Sở Nội vụ thực hiện.\n" for i in range(1, 300_001)),
                                 encoding="utf-8")
    (d / "nul.txt").write_bytes(seed.encode("utf-8")[:200] + b"\0" + seed.encode("utf-8")[200:])
    (d / "lsep.txt").write_text(seed.replace("\n", "\u2028"), encoding="utf-8")
    return missing


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default=str(ROOT.parent / "shared" / "realdocs"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        hostile = Path(tmp) / "hostile"
        hostile.mkdir()
        missing = build(hostile)
        roots = [Path(a.docs), hostile] if a.docs else [hostile]
        walked = scan(roots)
        db = Path(tmp) / "h.db"
        t0 = time.perf_counter()
        s = ingest(roots, db, workers=a.workers, timeout=a.timeout, memory_mb=a.memory)
        wall = time.perf_counter() - t0
        con = sqlite3.connect(db)
        stored = {p for (p,) in con.execute("SELECT path FROM files")}
        no_reason = con.execute("SELECT count(*) FROM files f JOIN docs d ON d.id = f.doc_id "
                                "WHERE d.status != 'ok' AND (d.error IS NULL OR d.error = '' OR instr(d.error, char(10)))"
                                ).fetchone()[0]
        hostile_rows = con.execute("SELECT f.path, d.status, d.error FROM files f JOIN docs d ON d.id = f.doc_id "
                                   "WHERE f.path LIKE ? ORDER BY f.path", (str(hostile) + "%",)).fetchall()
        con.close()
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        accounted = {str(p) for p in walked.files} == stored
        report = {
            "walked": len(walked.files), "skipped": len(walked.skipped), "stored": len(stored),
            "every_file_accounted_for": accounted, "failed": s.failed, "failures_without_one_line_reason": no_reason,
            "wall_seconds": round(wall, 1), "peak_rss_main_mib": self_rss, "peak_rss_largest_worker_mib": child_rss,
            "not_made_here": missing,
            "hostile": [{"file": Path(p).name, "status": st, "error": e} for p, st, e in hostile_rows],
            "skipped_names": [Path(p.rstrip("/")).name for p, _ in walked.skipped],
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0 if accounted and not no_reason else 1


if __name__ == "__main__":
    sys.exit(main())
