"""OCR for scanned PDFs (no text layer, or a junk one): pypdfium2 renders, Tesseract reads.

`ocr_pdf(path, max_pages=…) -> LoadedText` with `text_source="ocr"`.

- Pages are rendered at `OcrSettings.dpi` (200 by default: as good as 300 on these scans
  and 1.6x faster), red ink is dropped by reading the red channel (seals over the signature,
  "HỎA TỐC" and incoming-mail stamps), and each page goes to the `tesseract` binary
  (Vietnamese model `vie`) as a subprocess with one thread; pages run in parallel, one
  per core. Tesseract's own OpenMP threading is slower on 2 cores than one thread.
- Layout is rebuilt from Tesseract's word boxes (TSV): the two-column header of page 1
  comes out left block first, then right block, as the text loaders do; the rest keeps
  Tesseract's reading order.
- Lines that are stamps (incoming-mail "CÔNG VĂN ĐẾN", e-signature "Ký bởi: …") go to
  `extras["stamps"]`, not the text.
- `extras["ocr_confidence"]`: mean word confidence (0–100, weighted by length);
  `extras["ocr_header"]`: each header-zone line with its confidence, so that a number or
  date read from a low-confidence line can be kept as uncertain. A low mean adds a
  warning starting with "confidence:".
- Results are cached by content: `$CASCADE_CACHE/ocr` or `~/.cache/cascade/ocr`, key =
  sha256 of the file + settings + Tesseract version + this module's code.
- Bounded: at most `max_pages` pages and `time_budget` seconds a file; a bound that is
  hit is said in `warnings`.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from cascade.models import STATUS_ERROR, STATUS_NO_TEXT, STATUS_OK, LoadedText
from cascade.parse import quality
from cascade.parse.loaders.pdf import is_stamp as signature_stamp

CACHE_VERSION = 1
LOW_CONFIDENCE = 70.0          # mean word confidence below this: warn
# a page is rendered at most this many pixels (A1 at 200 dpi: 31 M): a 14,400 × 14,400 pt
# page at 200 dpi would be 1.6 G pixels (4.6 GB); a larger page is rendered at a lower dpi
MAX_RENDER_PIXELS = 32_000_000

# Lines OCR reads off an incoming-mail stamp rather than the document (data, not code).
# E-signature stamp lines ("Ký bởi: …") come from cascade/data/page_furniture.json (furniture.is_stamp), one home.
INCOMING_STAMP_PATTERNS = tuple(re.compile(p) for p in (
    r"^\s*(?:CÔNG VĂN|CV|VĂN BẢN)\s*ĐẾN\b",
    r"^\s*ĐẾN\s*(?:Số|Ngày)\b",
    r"^\s*Chuyển\s*:",
    r"^\s*Lưu hồ sơ số\s*:",
))


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = 200
    lang: str = "vie"
    psm: int = 3                   # automatic page segmentation; header columns rebuilt from boxes
    drop_red: bool = True
    max_pages: int = 20
    time_budget: float = 300.0     # seconds for one file
    page_timeout: float = 120.0    # seconds for one page
    workers: int = 0               # 0: one per core


class OcrUnavailable(RuntimeError):
    pass


# --- the engine -------------------------------------------------------------------
@lru_cache(maxsize=1)
def tesseract_version() -> str | None:
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0] if first else "tesseract"


@lru_cache(maxsize=4)
def available(lang: str = "vie") -> bool:
    """Tesseract is installed and has the language model."""
    if not tesseract_version():
        return False
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return lang in (out.stdout + out.stderr).split()


def _tesseract_tsv(png: bytes, settings: OcrSettings) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        out = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", settings.lang, "--psm", str(settings.psm), "tsv"],
            input=png, capture_output=True, timeout=settings.page_timeout, env=env)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"tesseract took over {settings.page_timeout:.0f} s on one page")
    if out.returncode != 0:
        raise OcrUnavailable(" ".join(out.stderr.decode("utf-8", "replace").split())[:200])
    return out.stdout.decode("utf-8", "replace")


# --- images -----------------------------------------------------------------------
def prepare(img, drop_red: bool = True):
    """RGB page image → greyscale for Tesseract.

    With `drop_red`, the red channel is the greyscale: red and magenta ink (seals over the
    signature, "HỎA TỐC", incoming-mail stamps) is as bright as the paper there and
    vanishes, while black print and blue handwriting stay dark. Whitening "red" pixels
    instead ate the red colour fringes of black strokes on some scans (lost diacritics).
    """
    rgb = img.convert("RGB")
    if not drop_red:
        return rgb.convert("L")
    return rgb.getchannel("R")


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# --- layout from word boxes -------------------------------------------------------
@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line: tuple

    @property
    def right(self) -> int:
        return self.left + self.width


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    lines = tsv.splitlines()
    for row in lines[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        text = parts[11].strip()
        if not text:
            continue
        try:
            left, top, width, height = (int(parts[i]) for i in (6, 7, 8, 9))
            conf = float(parts[10])
        except ValueError:
            continue
        words.append(Word(text, left, top, width, height, conf,
                          (int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4]))))
    return words


def _drop_specks(words: list[Word]) -> list[Word]:
    """Drop 'letters' far smaller than the page's text: dust, stamp ticks, the star under an issuer."""
    if not words:
        return words
    heights = sorted(w.height for w in words if any(ch.isalnum() for ch in w.text))
    if not heights:
        return words
    median = heights[len(heights) // 2]
    return [w for w in words if w.height >= 0.45 * median or not any(ch.isalnum() for ch in w.text)]


def _group_lines(words: list[Word]) -> list[list[Word]]:
    lines: dict[tuple, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = [sorted(ws, key=lambda w: w.left) for ws in lines.values()]
    return out   # Tesseract order (dict keeps insertion order)


_RULE_TOKEN = re.compile(r"^[_.\-–—=~`'\"|]+$")


def _line_text(ws: list[Word]) -> str:
    """Words of a line; underlines and rules OCR'd at either end ("___ TỈNH ỦY", "VIỆT NAM __") dropped."""
    texts = [w.text for w in ws]
    while texts and _RULE_TOKEN.match(texts[0]):
        texts.pop(0)
    while texts and _RULE_TOKEN.match(texts[-1]):
        texts.pop()
    return " ".join(texts)


def _line_conf(ws: list[Word]) -> float:
    total = sum(len(w.text) for w in ws if w.conf >= 0)
    if not total:
        return 0.0
    return sum(w.conf * len(w.text) for w in ws if w.conf >= 0) / total


# a left-column line that ends the header zone: the salutation starts the body
_ZONE_END = re.compile(r"^\s*(?:Kính gửi|Kính gởi|Căn cứ)\b")


def _split_x(lines: list[list[Word]], width: int) -> float | None:
    """x of the gutter between the two header blocks.

    Candidates are wide gaps (>= 1.2 line heights) centred in the middle of the page on the
    top rows; the best point is covered by the most gaps (the two top rows, issuer and
    motto, count double) and crossed by the fewest words; the split is then put in the
    middle of the widest stretch, within the gaps that cover it, that no word crosses.
    """
    top = []
    for ws in sorted(lines, key=lambda ws: min(w.top for w in ws)):
        if _ZONE_END.match(_line_text(ws)) or len(top) == 8:
            break       # the salutation and what follows are body, not header
        ws = [w for w in ws if any(ch.isalnum() for ch in w.text)]
        if ws:
            top.append(ws)
    intervals = []
    for rank, ws in enumerate(top):
        h = sorted(w.height for w in ws)[len(ws) // 2]
        for a, b in zip(ws, ws[1:]):
            if b.left - a.right >= 1.2 * h and width * 0.25 <= (a.right + b.left) / 2 <= width * 0.7:
                intervals.append((a.right, b.left, 2 if rank < 2 else 1))
    if not intervals:
        return None
    words = [w for ws in top if not _centred(ws, width) for w in ws]

    def crossing(x: float) -> int:
        return sum(w.left < x < w.right for w in words)

    points = [x for lo, hi, _ in intervals for x in (lo + 1, hi - 1, (lo + hi) / 2)]
    best = max(points, key=lambda x: (sum(wt for lo, hi, wt in intervals if lo <= x <= hi) - 2 * crossing(x),
                                       -abs(x - width / 2)))
    covering = [(lo, hi) for lo, hi, _ in intervals if lo <= best <= hi]
    lo, hi = max(c[0] for c in covering), min(c[1] for c in covering)
    # free stretches of [lo, hi] that no word of the top rows crosses
    edges = sorted({lo, hi} | {x for w in words for x in (w.left, w.right) if lo < x < hi})
    free = [(a, b) for a, b in zip(edges, edges[1:]) if not crossing((a + b) / 2)]
    if free:
        a, b = max(free, key=lambda ab: ab[1] - ab[0])
        return (a + b) / 2
    return (lo + hi) / 2


def _centred(ws: list[Word], width: int) -> bool:
    """A centred heading (QUYẾT ĐỊNH, TỜ TRÌNH): one block of words around the page middle."""
    ws = [w for w in ws if any(ch.isalnum() for ch in w.text)]     # rules and dashes don't count
    if not ws:
        return False
    h = sorted(w.height for w in ws)[len(ws) // 2]
    if any(b.left - a.right >= 1.2 * h for a, b in zip(ws, ws[1:])):
        return False
    left, right = ws[0].left, ws[-1].right
    return left < width / 2 < right and 0.4 * width <= (left + right) / 2 <= 0.6 * width


def _is_noise(ws: list[Word]) -> bool:
    """Specks, rules and stamp ticks: fewer than 3 letters or digits on the line."""
    return sum(ch.isalnum() for w in ws for ch in w.text) < 3




def header_layout(lines: list[list[Word]], width: int, height: int):
    """(left lines, right lines, rest) for page 1: the header zone linearised by column."""
    top_zone = [ws for ws in lines if ws and min(w.top for w in ws) < height * 0.35 and not _is_noise(ws)]
    split = _split_x(top_zone, width)
    if split is None:
        # no gutter inside lines: Tesseract may already have put the blocks on separate lines
        left_only = [ws for ws in top_zone if max(w.right for w in ws) < width * 0.5]
        right_only = [ws for ws in top_zone if min(w.left for w in ws) > width * 0.45]
        if left_only and right_only:
            split = (max(max(w.right for w in ws) for ws in left_only) +
                     min(min(w.left for w in ws) for ws in right_only)) / 2
        else:
            return [], [], lines
    left: list[list[Word]] = []
    right: list[list[Word]] = []
    used: set[int] = set()
    for ws in sorted(lines, key=lambda ws: min(w.top for w in ws)):
        if min(w.top for w in ws) > height * 0.45:
            break
        if _is_noise(ws):
            used.add(id(ws))   # dropped: specks between the header blocks
            continue
        h = sorted(w.height for w in ws)[len(ws) // 2]
        if any(w.left < split - 0.5 * h and w.right > split + 0.5 * h for w in ws) or _centred(ws, width):
            break   # a centred heading or a body line runs across the gutter
        L = [w for w in ws if (w.left + w.right) / 2 < split]
        R = [w for w in ws if (w.left + w.right) / 2 >= split]
        La = [w for w in L if any(ch.isalnum() for ch in w.text)]
        Ra = [w for w in R if any(ch.isalnum() for ch in w.text)]
        if La and Ra and Ra[0].left - La[-1].right < 1.2 * h:
            break   # ordinary word spacing at the gutter: one line across the page
        if L and _ZONE_END.match(_line_text(L)):
            break
        L = [] if L and _is_noise(L) else L
        R = [] if R and _is_noise(R) else R
        if L:
            left.append(L)
        if R:
            right.append(R)
        used.add(id(ws))
    if not left or not right:
        return [], [], lines
    rest = [ws for ws in lines if id(ws) not in used]
    return _merge_rows(left), _merge_rows(right), rest


def _merge_rows(lines: list[list[Word]]) -> list[list[Word]]:
    """Tesseract sometimes cuts one visual row into two lines: join lines side by side whose
    boxes overlap vertically (not lines stacked on a skewed photo, whose boxes overlap too)."""
    out: list[list[Word]] = []
    for ws in sorted(lines, key=lambda ws: min(w.top for w in ws)):
        top = min(w.top for w in ws)
        bottom = max(w.top + w.height for w in ws)
        if out:
            ptop = min(w.top for w in out[-1])
            pbot = max(w.top + w.height for w in out[-1])
            overlap = min(bottom, pbot) - max(top, ptop)
            side_by_side = (min(w.left for w in ws) >= max(w.right for w in out[-1]) or
                            max(w.right for w in ws) <= min(w.left for w in out[-1]))
            if overlap > 0.5 * min(bottom - top, pbot - ptop) and side_by_side:
                out[-1] = sorted(out[-1] + ws, key=lambda w: w.left)
                continue
        out.append(ws)
    return out


def is_stamp(line: str) -> bool:
    return signature_stamp(line) or any(p.search(line) for p in INCOMING_STAMP_PATTERNS)


# OCR'd header lines that carry the number and the date; OCR bends the label ("Só:", "Sô", "Sốz")
_NUMBER_LABEL = re.compile(r"^\s*S[ốóôồổỗộoòõỏơớờởỡợ6][^\w\s]?")
_NUMBER_OK = re.compile(r"^\s*Số\s*:?\s*(\d{1,5}(?:[./-]\d{1,4})*)\s*[/-]\s*[A-ZĐ][\w&()Đđ.-]*(?:[/-][\w&()Đđ.]+)*\s*$")
_DATE_LABEL = re.compile(r"\bngày\b|\btháng\b|\bnăm\s+\d")
_DATE_OK = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})\b")
UNCERTAIN_CONFIDENCE = 80.0


def header_fields(header: list[tuple[str, float]]) -> dict:
    """The number and date lines of an OCR'd header, each kept as read with its confidence.

    `uncertain` is True when the line does not fit the pattern of its field or was read
    with low confidence (handwritten numbers and days usually are): the parser's value
    from such a line must not be trusted, and the raw line is what a person should check.
    Nothing here is corrected.
    """
    out: dict[str, dict] = {}
    for line, conf in header:
        if "number" not in out and _NUMBER_LABEL.match(line) and ("/" in line or "-" in line):
            fits = bool(_NUMBER_OK.match(line))
            out["number"] = {"raw": line, "confidence": conf,
                             "uncertain": not fits or conf < UNCERTAIN_CONFIDENCE}
        elif "date" not in out and _DATE_LABEL.search(line):
            m = _DATE_OK.search(line)
            fits = bool(m) and 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12
            out["date"] = {"raw": line, "confidence": conf,
                           "uncertain": not fits or conf < UNCERTAIN_CONFIDENCE}
    return out


def page_text(tsv: str, width: int, height: int, first: bool) -> dict:
    """Text of one page from Tesseract TSV: {'text', 'conf', 'chars', 'stamps', 'header'}."""
    words = _drop_specks(parse_tsv(tsv))
    lines = _group_lines(words)
    header: list[tuple[str, float]] = []
    if first:
        left, right, rest = header_layout(lines, width, height)
        ordered = left + right + rest
        header = [(_line_text(ws), round(_line_conf(ws), 1)) for ws in left + right]
    else:
        ordered = lines
    out_lines, stamps = [], []
    for ws in ordered:
        text = _line_text(ws)
        if not any(ch.isdigit() for ch in text) and sum(ch.isalpha() for ch in text) < 2:
            continue    # specks and marks read as "x", "“ @", "*": not text
        (stamps if is_stamp(text) else out_lines).append(text)
    scored = [w for w in words if w.conf >= 0]
    chars = sum(len(w.text) for w in scored)
    conf = sum(w.conf * len(w.text) for w in scored) / chars if chars else 0.0
    return {"text": "\n".join(out_lines), "conf": conf, "chars": chars, "stamps": stamps,
            "header": header}


# --- cache ------------------------------------------------------------------------
def cache_dir() -> Path:
    base = os.environ.get("CASCADE_CACHE")
    root = Path(base) if base else Path.home() / ".cache" / "cascade"
    return root / "ocr"


def cache_key(path: Path, settings: OcrSettings, max_pages: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    d = asdict(settings)
    d.pop("workers", None)
    d.pop("time_budget", None)
    d.pop("page_timeout", None)
    d["max_pages"] = max_pages
    h.update(json.dumps([CACHE_VERSION, _code_version(), d, tesseract_version()], sort_keys=True).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _code_version() -> str:
    """A change to this module (layout, filters) invalidates cached results."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _cache_get(key: str) -> dict | None:
    f = cache_dir() / f"{key}.json"
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_put(key: str, data: dict) -> None:
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(d / f"{key}.json")
    except OSError:
        pass   # a cache that cannot be written is only slower


# --- the entry point --------------------------------------------------------------
def ocr_pdf(path, max_pages: int | None = None, settings: OcrSettings | None = None,
            use_cache: bool = True, res: LoadedText | None = None) -> LoadedText:
    """OCR a PDF. Never raises for bad input; a missing Tesseract gives status no_text."""
    settings = settings or OcrSettings()
    max_pages = settings.max_pages if max_pages is None else max_pages
    p = Path(path)
    if res is None:
        res = LoadedText(path=str(path), format="pdf")
    res.text_source = "ocr"
    if not available(settings.lang):
        res.status = STATUS_NO_TEXT
        res.error = f"no usable text layer; OCR unavailable (tesseract with '{settings.lang}' not installed)"
        res.text = ""
        return res
    try:
        key = cache_key(p, settings, max_pages) if use_cache else None
    except OSError as exc:
        res.status, res.error = STATUS_ERROR, f"cannot read ({exc.strerror or exc})"
        return res
    data = _cache_get(key) if key else None
    if data is None:
        try:
            data = _run(p, max_pages, settings)
        except OcrUnavailable as exc:
            res.status, res.error, res.text = STATUS_NO_TEXT, f"OCR failed ({exc})", ""
            return res
        except Exception as exc:   # pdfium errors on a broken file
            res.status, res.error, res.text = STATUS_ERROR, f"OCR failed ({type(exc).__name__}: {exc})"[:300], ""
            return res
        if key and not data.get("timed_out"):
            _cache_put(key, data)
    return _to_loaded(data, res)


def render_scale(width: float, height: float, dpi: int) -> tuple[float, str | None]:
    """Render scale for a page of width × height points at `dpi`, lowered so that the image
    stays within MAX_RENDER_PIXELS; the reason when it was lowered."""
    scale = dpi / 72
    area = max(width, 1.0) * max(height, 1.0)
    if area * scale * scale <= MAX_RENDER_PIXELS:
        return scale, None
    low = (MAX_RENDER_PIXELS / area) ** 0.5
    return low, (f"page of {width:.0f} × {height:.0f} pt rendered at {72 * low:.0f} dpi instead of {dpi} "
                 f"(at most {MAX_RENDER_PIXELS // 1_000_000} M pixels a page)")


def _run(p: Path, max_pages: int, settings: OcrSettings) -> dict:
    import pypdfium2 as pdfium
    start = time.monotonic()
    pdf = pdfium.PdfDocument(str(p))
    try:
        from cascade.parse.loaders.pdf import refused_pages
        refused = refused_pages(p, pdf)   # content bombs are never handed to pdfium
        n = len(pdf)
        todo = min(n, max(0, max_pages))
        workers = settings.workers or max(1, os.cpu_count() or 1)
        results: dict[int, dict] = {}
        warnings: list[str] = []
        timed_out = False       # a time bound was hit: the result depends on load, don't cache it
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {}
            for i in range(todo):
                if time.monotonic() - start > settings.time_budget:
                    timed_out = True
                    warnings.append(f"OCR stopped at page {i + 1} of {n}: time bound "
                                    f"{settings.time_budget:.0f} s reached")
                    break
                if i in refused:
                    warnings.append(f"page {i + 1} not OCRed: {refused[i]}")
                    continue
                try:
                    page = pdf[i]
                except pdfium.PdfiumError:
                    warnings.append(f"page {i + 1} could not be read (broken page tree)")
                    continue
                scale, why = render_scale(page.get_width(), page.get_height(), settings.dpi)
                if why:
                    warnings.append(f"page {i + 1}: {why}")
                img = page.render(scale=scale).to_pil()
                page.close()
                prepared = prepare(img, settings.drop_red)
                w, h = prepared.size
                futures[i] = (pool.submit(_tesseract_tsv, _png(prepared), settings), w, h)
                # keep at most `workers` pages rendered ahead of Tesseract
                while sum(not f.done() for f, _, _ in futures.values()) > workers:
                    time.sleep(0.02)
            for i, (fut, w, h) in futures.items():
                remaining = max(1.0, settings.time_budget - (time.monotonic() - start)) + settings.page_timeout
                try:
                    results[i] = page_text(fut.result(timeout=remaining), w, h, first=(i == 0))
                except TimeoutError as exc:
                    timed_out = True
                    warnings.append(f"page {i + 1}: {exc}")
        if n > todo:
            warnings.append(f"only the first {todo} of {n} pages OCRed (page bound)")
        pages = [results[i] for i in sorted(results)]
        chars = sum(r["chars"] for r in pages)
        conf = sum(r["conf"] * r["chars"] for r in pages) / chars if chars else 0.0
        return {
            "text": "\n\n".join(r["text"] for r in pages),
            "pages": n, "pages_ocred": len(pages),
            "confidence": round(conf, 1),
            "stamps": [s for r in pages for s in r["stamps"]],
            "header": pages[0]["header"] if pages else [],
            "warnings": warnings, "timed_out": timed_out,
            "seconds": round(time.monotonic() - start, 2),
            "settings": asdict(settings),
        }
    finally:
        pdf.close()


def _to_loaded(data: dict, res: LoadedText) -> LoadedText:
    res.text_source = "ocr"
    res.pages = data["pages"]
    res.warnings.extend(data.get("warnings", []))
    res.extras["ocr_confidence"] = data["confidence"]
    res.extras["ocr_pages"] = data["pages_ocred"]
    res.extras["ocr_seconds"] = data.get("seconds")
    if data.get("header"):
        res.extras["ocr_header"] = data["header"]
        fields = header_fields([tuple(h) for h in data["header"]])
        if fields:
            res.extras["ocr_fields"] = fields
            shaky = [k for k, v in fields.items() if v["uncertain"]]
            if shaky:
                res.warnings.append("uncertain: OCR read of " + " and ".join(shaky) +
                                    " does not fit its pattern (handwritten?): " +
                                    " | ".join(fields[k]["raw"] for k in shaky))
    if data.get("stamps"):
        res.extras.setdefault("stamps", []).extend(data["stamps"])
    text = data["text"]
    if len("".join(text.split())) < 20:
        res.status, res.error, res.text = STATUS_NO_TEXT, "OCR found no text (blank or unreadable scan)", ""
        return res
    q = quality.assess(text)
    res.extras["ocr_text_quality"] = round(q.score, 2)
    if quality.is_junk(text):
        res.status, res.text = STATUS_NO_TEXT, ""
        res.error = (f"OCR could not read it (handwriting or a poor scan: confidence "
                     f"{data['confidence']:.0f}/100, {q.valid_share:.0%} valid syllables)")
        return res
    if data["confidence"] < LOW_CONFIDENCE:
        res.warnings.append(f"confidence: OCR mean confidence {data['confidence']:.0f}/100 is low; "
                            "numbers and dates may be misread")
    res.status, res.error, res.text = STATUS_OK, None, text
    return res


# --- the hook the loader calls ------------------------------------------------------
def needs_ocr(res: LoadedText) -> str | None:
    """Why a loaded PDF must be OCRed ("no text layer" / "junk text layer"), or None."""
    if res.format != "pdf":
        return None
    if res.status == STATUS_NO_TEXT:
        return "no text layer"
    if res.status == STATUS_OK and res.text and quality.is_junk(res.text):
        return "junk text layer"
    return None


def after_pdf_load(res: LoadedText, path, ocr: bool = True,
                   settings: OcrSettings | None = None) -> LoadedText:
    """Called by the loader on every PDF: OCR it when it has no text layer or a junk one.

    With `ocr=False` such a PDF comes back as status no_text, its error saying OCR is
    needed (and why), and `extras["needs_ocr"]` set, so that a later run can OCR it.
    """
    why = needs_ocr(res)
    if why is None:
        return res
    if why == "junk text layer":
        q = __import__("cascade.parse.quality", fromlist=["assess"]).assess(res.text)
        res.extras["text_layer_quality"] = round(q.score, 2)
        res.warnings.append(f"junk text layer ignored ({q.valid_share:.0%} valid syllables, "
                            f"{q.diacritic_share:.0%} with diacritics)")
    res.extras["needs_ocr"] = why
    if not ocr:
        res.status = STATUS_NO_TEXT
        res.error = f"{why} (scanned PDF; OCR needed: run again with --ocr)"
        res.text = ""
        return res
    res.text = ""
    res.status, res.error = STATUS_OK, None
    return ocr_pdf(path, settings=settings, res=res)
