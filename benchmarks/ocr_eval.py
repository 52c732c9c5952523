"""OCR on the scanned PDFs of realdocs: how often type, number, date and issuer come out right.

    python3 benchmarks/ocr_eval.py            # OCR + parse the hand-checked scans, print figures
    python3 benchmarks/ocr_eval.py --junk     # every PDF: text layer / junk layer / none
    python3 benchmarks/ocr_eval.py --dpi 300 --no-cache --pages 1

The truth (benchmarks/ocr_truth.tsv) was read by eye from page 1 of each scan rendered
at 2-3x. Two levels are measured:
- pipeline: `parse_loaded(ocr_pdf(...))` gives the right value (what users get);
- OCR text: the right value is somewhere in the OCR'd header text (what OCR delivers,
  whatever the parser makes of it). Number compared without spaces; date as
  "ngày D tháng M năm Y" folded; issuer and type folded (no diacritics).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.parse import ocr, quality  # noqa: E402
from cascade.text import fold  # noqa: E402

REALDOCS = ROOT.parent / "shared" / "realdocs"
TRUTH = Path(__file__).with_name("ocr_truth.tsv")
FIELDS = ("type", "number", "date", "issuer")


def read_truth() -> list[dict]:
    rows = []
    for line in TRUTH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, typ, number, date, issuer, note = (line.split("\t") + [""] * 6)[:6]
        rows.append({"path": path, "type": typ, "number": number, "date": date,
                     "issuer": issuer, "note": note})
    return rows


def _nospace(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def pipeline_right(field: str, want: str, rec) -> bool:
    got = {"type": rec.doc_type, "number": rec.number, "date": rec.date, "issuer": rec.issuer.name}[field]
    if want == "-":
        return not got
    if not got:
        return False
    if field == "type":
        return fold(got) == fold(want)
    if field == "number":
        return _nospace(got) == _nospace(want)
    if field == "date":
        return got in want.split("|")
    return fold(want) in fold(got)          # issuer: the lowest body within the issuer lines


def text_has(field: str, want: str, text: str) -> bool:
    if want == "-":
        return True
    if field == "number":
        return _nospace(want) in _nospace(text)
    if field == "date":
        for alt in want.split("|"):
            y, m, d = alt.split("-")
            pat = rf"ngay\s*0?{int(d)}\s*thang\s*0?{int(m)}\s*nam\s*{y}"
            if re.search(pat, fold(text)) or re.search(rf"\b0?{int(d)}/0?{int(m)}/{y}\b", text):
                return True
        return False
    return fold(want) in fold(text)


def survey_junk() -> None:
    from cascade.parse.loaders import pdf as pdf_loader
    from cascade.files import EXTENSIONS  # noqa: F401  (loader present)
    from cascade.models import LoadedText
    rows = []
    for p in sorted(REALDOCS.rglob("*.pdf")):
        res = pdf_loader.load_pdf(p, LoadedText(path=str(p), format="pdf"))
        if res.status != "ok":
            rows.append(("none", 0.0, 0.0, p))
            continue
        q = quality.assess(res.text)
        rows.append(("junk" if quality.is_junk(res.text) else "text", q.valid_share, q.diacritic_share, p))
    for kind in ("none", "junk", "text"):
        sel = [r for r in rows if r[0] == kind]
        print(f"{kind:5s} {len(sel):3d} PDFs")
    print()
    for kind, v, d, p in sorted(rows, key=lambda r: r[1]):
        if kind != "text" or v < 0.9:
            print(f"{kind:5s} valid={v:.2f} diacritics={d:.2f}  {p.relative_to(REALDOCS)}")
    texts = [r for r in rows if r[0] == "text"]
    if texts:
        print(f"\nlowest valid-syllable share among kept text layers: {min(r[1] for r in texts):.2f}; "
              f"highest among junk: {max((r[1] for r in rows if r[0] == 'junk'), default=0):.2f} "
              f"(threshold {quality.JUNK_VALID_SHARE})")


# text PDFs of realdocs used to measure OCR's character accuracy against their text layer
CER_SAMPLE = (
    "Tờ trình 535 cho phép sáp nhập Liên đoàn Karate/Tờ trình sáp nhập Liên đoàn Karate 1.pdf",
    "Tờ trình 95 công cố chỉ số CCHC năm 2025/Tờ trình công bố Chỉ số CCHC sở ngành địa phương năm 2025 02.02s.pdf",
    "CV CHUNG/Họp đánh giá công tác cải cách hành chính năm 2025 và triển khai nhiệm vụ năm 2026/"
    "Giấy mời họp CCHC (14g ngày 22.01.2026).pdf",
    "Tờ trình 16 đề nghị công nhận Ban vận động thành lập Liên đoàn Pickleball tỉnh Lâm Đồng/"
    "Công văn của Sở Văn hóa, Thể thao và Du lịch về việc thống nhất thành lập BVĐ liên đoàn Pickleball.signed.pdf",
    "Tờ trình 448 đề nghị công nhận Ban vận động thành lập Hội Thừa phát lại tỉnh Lâm Đồng/Ý kiến của Sở Tư pháp.pdf",
    "Công văn 3858 báo cáo tình hình tổ chức, hoạt động và quản lý hội năm 2025/Công văn số 11902 của BNV.pdf",
)


def character_accuracy(dpi: int) -> None:
    """OCR page 1 of born-digital PDFs and compare with their own text layer (words in order)."""
    import pypdfium2 as pdfium
    from rapidfuzz.distance import Levenshtein
    from cascade.text import clean
    settings = ocr.OcrSettings(dpi=dpi, max_pages=1)
    tot_chars = tot_err = tot_words = word_err = 0
    for rel in CER_SAMPLE:
        p = REALDOCS / rel
        if not p.exists():
            continue
        pdf = pdfium.PdfDocument(str(p))
        ref = clean(pdf[0].get_textpage().get_text_range())
        pdf.close()
        got = clean(ocr.ocr_pdf(p, settings=settings).text)
        # compare as sorted word multisets is too lenient; compare the word streams
        ref_w, got_w = ref.split(), got.split()
        ref_s, got_s = " ".join(ref_w), " ".join(got_w)
        err = Levenshtein.distance(ref_s, got_s)
        werr = Levenshtein.distance(ref_w, got_w)
        tot_chars += len(ref_s)
        tot_err += err
        tot_words += len(ref_w)
        word_err += werr
        print(f"  {Path(rel).name[:60]:60s} chars {1 - err / max(1, len(ref_s)):6.1%}  "
              f"words {1 - werr / max(1, len(ref_w)):6.1%}")
    print(f"OCR vs text layer, page 1 of {len(CER_SAMPLE)} typed PDFs at {dpi} dpi: "
          f"character accuracy {1 - tot_err / max(1, tot_chars):.1%}, word accuracy "
          f"{1 - word_err / max(1, tot_words):.1%} (edit distance; reading-order differences count as errors)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--junk", action="store_true", help="survey the text layers of every PDF and stop")
    ap.add_argument("--dpi", type=int, default=ocr.OcrSettings.dpi)
    ap.add_argument("--pages", type=int, default=2, help="pages to OCR per file (header is on page 1)")
    ap.add_argument("--no-cache", action="store_true", help="OCR again even if cached (for timing)")
    ap.add_argument("--cer", action="store_true",
                    help="OCR typed PDFs and compare with their text layer (character/word accuracy)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not REALDOCS.exists():
        sys.exit(f"realdocs not found at {REALDOCS}")
    if args.junk:
        survey_junk()
        return
    if not ocr.available("vie"):
        sys.exit("tesseract with the Vietnamese model is not installed (bash scripts/setup.sh)")
    if args.cer:
        character_accuracy(args.dpi)
        return
    from cascade.models import LoadedText
    from cascade.parse.loaders import pdf as pdf_loader
    from cascade.parse.pipeline import parse_loaded

    settings = ocr.OcrSettings(dpi=args.dpi, max_pages=args.pages)
    truth = read_truth()
    right = {f: 0 for f in FIELDS}
    present = {f: 0 for f in FIELDS}
    in_text = {f: 0 for f in FIELDS}
    empty_ok = empty_n = 0
    all_four = all_four_n = 0
    junk_nd = junk_n = 0
    secs = pages = 0.0
    from collections import Counter
    flag: Counter = Counter()    # (flagged uncertain, value right in the raw line) for number/date lines
    print(f"{'file':48s} {'conf':>5s}  type number date issuer   (pipeline / in OCR text)")
    for row in truth:
        p = REALDOCS / row["path"]
        if not p.exists():
            print(f"missing: {row['path']}")
            continue
        layer = pdf_loader.load_pdf(p, LoadedText(path=str(p), format="pdf"))
        kind = "none" if layer.status != "ok" else ("junk" if quality.is_junk(layer.text) else "text")
        t0 = time.monotonic()
        res = ocr.ocr_pdf(p, settings=settings, use_cache=not args.no_cache)
        dt = time.monotonic() - t0
        if args.no_cache:
            secs += dt
            pages += res.extras.get("ocr_pages", 0)
        rec = parse_loaded(res)
        header_text = "\n".join(res.text.split("\n")[:40])
        marks = []
        for f in FIELDS:
            ok = pipeline_right(f, row[f], rec)
            if row[f] == "-":
                empty_n += 1
                empty_ok += ok
                marks.append("·" if ok else "x")
                continue
            present[f] += 1
            right[f] += ok
            has = text_has(f, row[f], header_text)
            in_text[f] += has
            marks.append(("✓" if ok else "✗") + ("" if ok else ("t" if has else "-")))
        fields = res.extras.get("ocr_fields", {})
        for f in ("number", "date"):
            if row[f] == "-" or f not in fields:
                continue
            raw_ok = text_has(f, row[f], fields[f]["raw"])
            flag[(fields[f]["uncertain"], raw_ok)] += 1
        if all(row[f] != "-" for f in FIELDS):
            all_four_n += 1
            all_four += all(pipeline_right(f, row[f], rec) for f in FIELDS)
        if kind == "junk" and row["number"] != "-" and row["date"] != "-":
            junk_n += 1
            junk_nd += pipeline_right("number", row["number"], rec) and pipeline_right("date", row["date"], rec)
        name = Path(row["path"]).name[:40]
        print(f"{kind:4s} {name:43s} {res.extras.get('ocr_confidence', 0):5.1f}  " + "  ".join(f"{m:3s}" for m in marks))
        if args.verbose:
            print(f"      got: {rec.doc_type!r} {rec.number!r} {rec.date!r} {rec.issuer.name!r}")
            for ln, conf in res.extras.get("ocr_header", []):
                print(f"      {conf:5.1f} {ln}")
    n = len(truth)
    print(f"\n{n} scanned PDFs checked by eye ({junk_n} with a junk text layer and a number and date)")
    print("field    pipeline right   value present in OCR text")
    for f in FIELDS:
        print(f"{f:8s} {right[f]:3d}/{present[f]:<3d} {right[f] / max(1, present[f]):5.0%}   "
              f"{in_text[f]:3d}/{present[f]:<3d} {in_text[f] / max(1, present[f]):5.0%}")
    print(f"all four right (docs carrying all four): {all_four}/{all_four_n}")
    print(f"fields absent on the page and left empty: {empty_ok}/{empty_n}")
    print(f"junk-layer PDFs with number and date right after OCR: {junk_nd}/{junk_n}")
    wrong = flag[(True, False)] + flag[(False, False)]
    flagged = flag[(True, False)] + flag[(True, True)]
    print(f"'uncertain' flag on number/date lines: {flag[(True, False)]}/{wrong} misread lines flagged; "
          f"{flag[(True, True)]}/{flagged} flagged lines were right after all (glued or low confidence); "
          f"{flag[(False, True)]}/{flag[(False, True)] + flag[(False, False)]} unflagged lines right")
    if pages:
        print(f"OCR time: {secs:.1f} s for {pages:.0f} pages = {secs / pages:.2f} s/page at {args.dpi} dpi "
              f"(render + red filter + tesseract, pages in parallel)")
    print("marks: ✓ right, ✗t wrong but the value is in the OCR text (parser), ✗- not in the OCR text, "
          "· absent and left empty, x absent but something was found")


if __name__ == "__main__":
    main()
