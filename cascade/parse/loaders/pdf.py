"""PDF with a text layer, through pypdfium2 (3.5 ms a page for plain text on realdocs;
pdfplumber is 20–30x slower: benchmarks/load_speed.py).

- Speed: the page text comes from one call; character boxes (one ctypes call each) are
  fetched only for the lines that need them (see `_TextPage`), so the loader costs about
  the text extraction plus the header rows of page 1 and the lines around form fields.
- Bounded: every page's content is measured before pdfium parses it
  (`guards.pdf_content_size`); a content bomb page is refused with its reason in the
  warnings (`extras["pages_refused"]`), a page pdfium cannot load (a /Count above the
  real pages, a dangling kid, a loop in the page tree) is skipped
  (`extras["pages_lost"]`); the other pages are read.

- Pages with widget annotations (signed PDFs) are flattened first when some annotation's
  appearance holds text: the e-signature system draws the number and the day as
  form-field appearances, which plain text extraction drops. The characters flattening
  added are told apart by their text objects (one text page a page). Widget text comes back as form fields (`extras["form_fields"]`)
  or, when it reads like a signature stamp ("Ký bởi: …", "Thời gian ký: …",
  "SAO Y; …"), as `extras["stamps"]`; stamps never enter the text.
- First page: the header zone (issuer / Số / V/v on the left, motto / place-date on
  the right) is rebuilt from character boxes: visual rows, split at the column gap,
  left block first, then the right block. Form-field text inside the zone lands in
  its row (`Số: 2003/CĐ-VPCP`, `Hà Nội, ngày 07 tháng 10 năm 2025`).
- Form-field text outside the header goes into the printed line it sits on.
- Footnote marks printed small and raised ("126/2024/NĐ-CP²") are removed from the
  text; the notes at the foot of a page move after the body under a line `---`
  as "[n] …" (as the docx loader writes them).
- No text layer → status `no_text`; password → `error` "encrypted PDF". A text
  layer that is mojibake or a poor OCR is flagged (`extras["text_quality"]`); the
  OCR stage's hook (cascade.parse.ocr.after_pdf_load, called by load()) decides.
"""
from __future__ import annotations

import ctypes
import re
import struct
import unicodedata
from operator import itemgetter
from pathlib import Path

from cascade import doctypes
from cascade.models import STATUS_ERROR, STATUS_NO_TEXT, LoadedText
from cascade.parse import furniture

MAX_PAGES = 300
MIN_CHARS = 20                 # fewer visible characters in the whole file: no text layer
HEADER_MAX_FRACTION = 0.45     # the header zone lies within the top 45 % of page 1
WIDGET = 20                    # FPDF_ANNOT_WIDGET

# a row starting like this is body text, never part of the header block
BODY_OPENERS = ("Kính gửi", "KÍNH GỬI", "Kính trình", "Căn cứ", "Thực hiện")

# legacy-font mojibake (TCVN3/VNI text without a ToUnicode map) shows these characters
# (only the letters among them count, as letters of the text)
_MOJIBAKE = tuple(ch for ch in "ÇÑÈØÆ¥¿°£§·¡æåÜÝÛÕÏËÎÃ" if ch.isalpha())


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def text_quality(text: str) -> str:
    """'good', 'garbled' (legacy-font mojibake) or 'poor-ocr' (Vietnamese without diacritics)."""
    sample = text[:20000]
    # letters counted in C where possible: ASCII ones by bytes.translate, the others one by one
    ascii_part = sample.encode("ascii", "ignore")
    ascii_letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    other = "".join(_NON_ASCII.findall(sample))
    other_letters = sum(map(str.isalpha, other))
    letters = ascii_letters + other_letters
    if letters < 200:
        return "good"
    if sum(other.count(ch) for ch in _MOJIBAKE) > letters // 100:
        return "garbled"
    if other_letters < 0.1 * letters:
        return "poor-ocr"
    return "good"


def is_stamp(line: str) -> bool:
    """A signature-stamp line drawn by e-signature software (patterns: cascade/data/page_furniture.json)."""
    return furniture.is_stamp(line)


def load_pdf(path: Path, res: LoadedText) -> LoadedText:
    import pypdfium2 as pdfium
    res.format = "pdf"
    res.text_source = "pdf-text"
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == 4:   # FPDF_ERR_PASSWORD
            res.status, res.error = STATUS_ERROR, "encrypted PDF (password required)"
        elif code == 6:  # FPDF_ERR_SECURITY
            res.status, res.error = STATUS_ERROR, "encrypted PDF (unsupported security handler)"
        else:
            res.status, res.error = STATUS_ERROR, f"corrupt PDF ({exc})"
        return res
    try:
        return _extract(pdf, res, refused_pages(path, pdf))
    finally:
        pdf.close()


def refused_pages(path, pdf) -> dict[int, str]:
    """Page index → why it must not be handed to pdfium (guards.MAX_PAGE_CONTENT).

    The content streams of the whole file are decoded first (bounded). Only when they add
    up past the limit (or the file is encrypted) are pages measured: a range of pages is exported to a new document
    (pdfium copies the objects without parsing them) and its content decoded; a range
    within the limit clears all its pages, one above it is halved, down to single pages
    (a long ordinary document clears in a few exports, not one a page)."""
    import pypdfium2.raw as raw

    from cascade.parse import guards
    # an encrypted file (opened with the empty password) hides its streams from the scan:
    # its pages are measured through the export, where pdfium has decrypted them
    encrypted = raw.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
    if not encrypted and not guards.pdf_content_size(Path(path).read_bytes()).over():
        return {}
    out: dict[int, str] = {}
    n = min(len(pdf), MAX_PAGES)

    def measure(lo: int, hi: int) -> None:
        reason = _range_content(pdf, lo, hi)
        if reason is None:
            return
        if hi - lo == 1:
            if reason:        # "" : the page cannot be exported (broken): the page loop says so
                out[lo] = reason
            return
        mid = (lo + hi) // 2
        measure(lo, mid)
        measure(mid, hi)

    if n == 1:
        measure(0, 1)
    elif n > 1:
        measure(0, n // 2)
        measure(n // 2, n)
    return out


def _range_content(pdf, lo: int, hi: int) -> str | None:
    """Why pages lo..hi-1 together are over the content limit (None: within it; "": they
    cannot be exported)."""
    import io

    import pypdfium2 as pdfium

    from cascade.parse import guards
    one = pdfium.PdfDocument.new()
    try:
        one.import_pages(pdf, list(range(lo, hi)))
        buf = io.BytesIO()
        one.save(buf)
    except Exception:
        return ""
    finally:
        one.close()
    return guards.pdf_content_size(buf.getvalue()).over()


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(k) for k in numbers[:20]) + (" …" if len(numbers) > 20 else "")


def _extract(pdf, res: LoadedText, refused: dict[int, str]) -> LoadedText:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    n = len(pdf)
    res.pages = n
    if n == 0:
        res.status, res.error = STATUS_ERROR, "PDF has no pages"
        return res
    if n > MAX_PAGES:
        res.warnings.append(f"only the first {MAX_PAGES} of {n} pages read")
    form_fields: dict[str, str] = {}
    stamps: list[str] = []
    pages_text: list[str] = []
    empty_pages = 0
    footnote_refs = 0
    footnotes: list[str] = []
    try:   # the form environment (field names) must exist before any page is loaded
        pdf.init_forms()
    except Exception:
        pass
    lost: list[int] = []        # pages pdfium cannot load (a /Count above the real pages, a
    for i in range(min(n, MAX_PAGES)):   # dangling kid, a loop in the page tree)
        if i in refused:
            continue
        try:
            page = pdf[i]
        except pdfium.PdfiumError:
            lost.append(i + 1)
            continue
        widgets = _widgets(page)
        drawn = None
        if widgets:
            names = _widget_names(pdf, page)
            printed = raw.FPDFPage_CountObjects(page.raw)
            if not _appearance_text(page):
                drawn = set()   # nothing to read in the annotations: no flattening (it parses the page twice)
            elif raw.FPDFPage_Flatten(page.raw, raw.FLAT_NORMALDISPLAY) == raw.FLATTEN_SUCCESS:
                page.close()
                page = pdf[i]
                drawn = _flattened_text(page, printed)
            else:
                widgets = []
        else:
            names = []
        tp = page.get_textpage()
        if i == 0 or widgets:
            src = _TextPage(tp)
            extra = _widget_chars(src, widgets, drawn) if drawn is not None else []
            sup, notes, refs = _page_marks(src.text, tp, frozenset(c[0] for c in extra))
            text, fields, page_stamps = _layout_page(src, sup, extra, widgets, names, page.get_height(),
                                                     page.get_width(), header=(i == 0))
            for k, v in fields.items():
                form_fields.setdefault(k if k not in form_fields else f"{k}@p{i + 1}", v)
            stamps += page_stamps
        else:
            n_chars = tp.count_chars()
            text = tp.get_text_range(0, n_chars)
            if len(text) == n_chars:
                sup, notes, refs = _page_marks(text, tp)
                if sup:
                    text = "".join(sup.get(k, ch) for k, ch in enumerate(text))
            else:
                notes, refs = [], 0
        footnotes += notes
        footnote_refs += refs
        tp.close()
        page.close()
        text = _clean(text)
        if furniture.has_stamp(text):   # one pass over the page; most pages have no stamp
            kept, page_stamps = furniture.take_stamps(text.split("\n"))
            stamps += page_stamps
            text = "\n".join(kept)
        if len("".join(text.split())) < 3:
            empty_pages += 1
        pages_text.append(text)
    if refused:
        for reason in sorted(set(refused.values())):
            pages = [k + 1 for k, v in sorted(refused.items()) if v == reason]
            res.warnings.append(f"page{'s' if len(pages) > 1 else ''} {_page_list(pages)} refused: {reason}")
        res.extras["pages_refused"] = sorted(k + 1 for k in refused)
    if lost:
        res.warnings.append(f"{len(lost)} of {n} pages could not be read (broken page tree: a /Count above "
                            f"the real pages, a missing page object or a loop): pages {_page_list(lost)}")
        res.extras["pages_lost"] = lost
    if not pages_text:
        res.status, res.text = STATUS_ERROR, ""
        res.error = res.warnings[-1] if res.warnings else "no page could be read"
        return res
    full = "\n\n".join(pages_text)
    if footnotes:
        full = full.rstrip("\n") + "\n\n---\n" + "\n".join(footnotes)
        res.extras["footnotes"] = len(footnotes)
    visible = len("".join(full.split()))
    if form_fields:
        res.extras["form_fields"] = form_fields
    if footnote_refs:
        res.extras["footnote_refs_removed"] = footnote_refs
    if stamps:
        res.extras["stamps"] = stamps
    if visible < MIN_CHARS:
        res.status, res.error, res.text = STATUS_NO_TEXT, "no text layer (scanned PDF; OCR needed: run again with --ocr)", ""
        return res
    if empty_pages:
        res.warnings.append(f"{empty_pages} of {len(pages_text)} pages have no text layer")
        res.extras["pages_without_text"] = empty_pages
    quality = text_quality(full)
    if quality == "garbled":
        res.warnings.append("text layer looks garbled (legacy font encoding without Unicode map)")
    elif quality == "poor-ocr":
        res.warnings.append("text layer is a poor OCR without Vietnamese diacritics (re-OCR advised)")
    if quality != "good":
        res.extras["text_quality"] = quality
    res.text = full
    return res


_BLANK_LINE = re.compile(r"^[ \t\u00a0\r]+$", re.M)


# a digit run glued to the end of a word, or opening a line (pdfium breaks the line
# before a raised mark that follows a space): a footnote reference when printed smaller
_SUPERSCRIPT = re.compile(r"(?:(?<=[^\W\d_)\]\.,;:”\"'’])|(?<=\n))\d{1,3}(?=[\s,.;:)”\"'’]|$)")
_UNIT_POWERS = {"m": {"2": "²", "3": "³"}}


def _visible_size(text: str, tp, k: int, step: int) -> float:
    """Font size of the nearest visible character from k in direction step (0 if none near)."""
    import pypdfium2.raw as raw
    for _ in range(4):
        k += step
        if k < 0 or k >= len(text):
            return 0.0
        if not text[k].isspace() and text[k] != "\x00":
            return raw.FPDFText_GetFontSize(tp.raw, k)
    return 0.0


def _superscripts(text: str, tp) -> dict[int, str]:
    """Character index → replacement for superscript digits: footnote references
    ("126/2024/NĐ-CP²" → "126/2024/NĐ-CP") are removed (""), m² / m³ kept as such.
    A mark is printed smaller than the text on both sides of it."""
    import pypdfium2.raw as raw
    out: dict[int, str] = {}
    for m in _SUPERSCRIPT.finditer(text):
        a = m.start()
        size = raw.FPDFText_GetFontSize(tp.raw, a)
        before = _visible_size(text, tp, a, -1)
        after = _visible_size(text, tp, m.end() - 1, 1)
        if not (0 < size < 0.8 * before) or (after and size >= 0.8 * after):
            continue
        line_start = text[a - 1] == "\n"
        unit = _UNIT_POWERS.get(text[a - 1], {})
        if not line_start and m.end() - a == 1 and text[a] in unit and (a < 2 or not text[a - 2].isalpha()):
            out[a] = unit[text[a]]
            continue
        for k in range(a, m.end()):
            out[k] = ""
        if line_start:   # "khoản 2⏎¹ Điều 36" → "khoản 2 Điều 36"
            j = a - 1
            while j >= 0 and text[j] in "\r\n":
                out[j] = ""
                j -= 1
            continue
        # pdfium breaks the line after a raised mark: "NĐ-CP²⏎, Sở" → "NĐ-CP, Sở"
        k = m.end()
        while k < len(text) and text[k] in "\r\n":
            k += 1
        if k > m.end() and k < len(text) and text[k] in ",.;:)":
            for j in range(m.end(), k):
                out[j] = ""
    return out


def _page_marks(text: str, tp, skip: frozenset = frozenset()) -> tuple[dict[int, str], list[str], int]:
    """Superscript replacements and footnotes of one page: (index → replacement, with the
    footnote lines' characters mapped to "", the notes, how many marks were removed).
    Characters in `skip` (form-field text) are never marks nor notes."""
    sup = {k: v for k, v in _superscripts(text, tp).items() if k not in skip}
    foot, notes = _footnotes(text, tp, _mark_numbers(sup, text), skip)
    sup = {k: v for k, v in sup.items() if k not in foot}
    refs = _marks(sup, text)
    sup.update(dict.fromkeys(foot, ""))
    return sup, notes, refs


def _marks(sup: dict[int, str], text: str) -> int:
    """How many footnote marks a replacement map removes."""
    return sum(1 for k, v in sup.items()
               if v == "" and text[k].isdigit() and not (k - 1 in sup and text[k - 1].isdigit()))


_NOTE_START = re.compile(r"^\s*(\d{1,3})(?![\d/.,-])\s*(?=\S)")
_PAGE_NUMBER = re.compile(r"^\s*-?\s*\d{1,3}\s*-?\s*$")


def _mark_numbers(sup: dict[int, str], text: str) -> set[int]:
    """The numbers of the footnote marks a replacement map removes."""
    out = set()
    for k, v in sup.items():
        if v == "" and text[k].isdigit() and not (k - 1 in sup and text[k - 1].isdigit()):
            j = k
            while j in sup and j < len(text) and text[j].isdigit():
                j += 1
            out.add(int(text[k:j]))
    return out


def _footnotes(text: str, tp, marks: set[int], skip: frozenset = frozenset()) -> tuple[set[int], list[str]]:
    """Footnotes at the foot of a page: the trailing lines printed smaller than the
    body, the first of them starting with the number of a superscript mark found on
    the page ("… tổng hợp¹ …" / "1 Gồm: Sở Khoa học …"). Returns the character
    indices to take out of the page and the notes' lines. Lines holding characters
    in `skip` (form-field text) are never notes."""
    if not marks:
        return set(), []
    import pypdfium2.raw as raw
    lines: list[tuple[int, int]] = []
    start = 0
    for k, ch in enumerate(text):
        if ch == "\n":
            lines.append((start, k + 1))
            start = k + 1
    if start < len(text):
        lines.append((start, len(text)))
    sizes: list[float] = []
    info = []
    for a, b in lines:
        vis = [k for k in range(a, b) if not text[k].isspace() and text[k] != "\x00"][:4]
        size = max((raw.FPDFText_GetFontSize(tp.raw, k) for k in vis), default=0.0)
        info.append((a, b, size, bool(vis), any(k in skip for k in range(a, b))))
        if vis:
            sizes.append(size)
    if len(sizes) < 4:
        return set(), []
    body = sorted(sizes)[len(sizes) // 2]
    block: list[int] = []
    for j in range(len(info) - 1, -1, -1):
        a, b, size, visible, widget = info[j]
        if not visible or widget:
            continue
        line = text[a:b]
        if _PAGE_NUMBER.match(line) and not block:
            continue
        if 0 < size <= 0.85 * body:
            block.append(j)
        else:
            break
    block.reverse()
    if not block or len(block) > 0.6 * len(sizes):
        return set(), []
    # the block opens with a note whose mark is on the page (not a small-print table)
    first = _NOTE_START.match(text[info[block[0]][0]:info[block[0]][1]])
    if not first or int(first.group(1)) not in marks:
        return set(), []
    indices: set[int] = set()
    notes: list[str] = []
    number = None
    for j in block:
        a, b = info[j][0], info[j][1]
        indices.update(range(a, b))
        line = " ".join(text[a:b].replace("\x00", "").split())
        m = _NOTE_START.match(line)
        # a wrapped line may start with digits ("01/4/2026"): a new note has the next number
        if m and (number is None or int(m.group(1)) == number + 1):
            number = int(m.group(1))
            notes.append(f"[{m.group(1)}] {line[m.end():]}")
        elif notes:
            notes[-1] += " " + line
    return indices, notes


def _clean(text: str) -> str:
    # pdfium: \r\n line ends, U+FFFE for a hyphen it took as a line-break hyphen, \x02 likewise
    text = _BLANK_LINE.sub("", text)
    return (text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
            .replace("\x02", "-").replace("\x00", ""))


# --- widgets ----------------------------------------------------------------------
def _iter_widgets(page):
    """Each widget annotation of the page, in annotation order, closed after use."""
    import pypdfium2.raw as raw
    for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, k)
        if not annot:
            continue
        try:
            if raw.FPDFAnnot_GetSubtype(annot) == WIDGET:
                yield annot
        finally:
            raw.FPDFPage_CloseAnnot(annot)


def _widgets(page) -> list[tuple[float, float, float, float]]:
    import pypdfium2.raw as raw
    out = []
    for annot in _iter_widgets(page):
        r = raw.FS_RECTF()
        if raw.FPDFAnnot_GetRect(annot, r):
            out.append((min(r.left, r.right), min(r.bottom, r.top), max(r.left, r.right), max(r.bottom, r.top)))
    return out


def _wide(fn, *args) -> str:
    n = fn(*args, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    fn(*args, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n)
    return buf.raw[:n - 2].decode("utf-16-le", errors="replace")


def _widget_names(pdf, page) -> list[str]:
    """Field names of the page's widgets, in annotation order (same order as _widgets)."""
    import pypdfium2.raw as raw
    env = getattr(pdf, "formenv", None)
    handle = env.raw if env is not None else None
    names = []
    for annot in _iter_widgets(page):
        name = _wide(raw.FPDFAnnot_GetFormFieldName, handle, annot) if handle else ""
        names.append(name or f"field{len(names) + 1}")
    return names


# --- characters and layout --------------------------------------------------------
# pdfium has no call that returns a page's character boxes at once: each box is one
# ctypes call (~3 µs), its font size another. The page text comes in one call
# (FPDFText_GetText), and the glyph rectangles of a line in two or three
# (FPDFText_CountRects / GetRect, computed in C). So lines are placed from their
# rectangles, and character boxes are fetched only for the lines that need them: the
# header rows of page 1 (fetched top down until the header block ends) and the lines
# around a form field. Other text is taken from the text call as it is.
_LINE_BREAK = re.compile(r"[\r\n]")
LINE_SLACK = 12.0   # a loose-box centre lies at most a line's height + this above its glyph rectangle
BAND_MARGIN = 8.0   # form-field text: characters centred within a widget's height ± this
BAND_LINES = 40.0   # lines fetched around a widget (the lines its text may be spliced into)
_NO_BOX = "\x00\ufffe\x02"


_FLOATS = struct.Struct("=4f")
_CALLS: dict = {}


def _RECT():
    import pypdfium2.raw as raw
    return raw.FS_RECTF()   # left, top, right, bottom as 4 floats


def _fast(name: str, restype=ctypes.c_int):
    """A pdfium function without ctypes' per-call argument checks (half the cost of a
    call): the same C function, through a pointer of the library's own function type with
    no argtypes. Pointers must be passed as ctypes objects (a Python int goes as a C int)."""
    fn = _CALLS.get(name)
    if fn is None:
        import pypdfium2.raw as raw
        typed = getattr(raw, name)
        fn = type(typed)(ctypes.cast(typed, ctypes.c_void_p).value)
        fn.restype = restype
        _CALLS[name] = fn
    return fn


def _handle(tp) -> ctypes.c_void_p:
    return ctypes.c_void_p(ctypes.cast(tp.raw, ctypes.c_void_p).value)


class _TextPage:
    """One pdfium text page: its text (index = character index) and, on demand, the
    character tuples of whole lines: (index, char, left, bottom, right, top, font size,
    space before) for each character with a box (not spaces, nor U+FFFE/\x02 hyphens).

    Loose boxes (advance width × font height) rather than glyph boxes: a narrow "1"
    must not look like a word gap, and rows line up on one height."""

    def __init__(self, tp):
        import pypdfium2.raw as raw
        self.tp = tp
        self.n = n = tp.count_chars()
        text = tp.get_text_range(0, n) if n > 0 else ""
        if len(text) != n:   # characters outside the BMP: one call per character
            text = "".join(chr(c) if 0 < c < 0x110000 else "\x00"
                           for c in (raw.FPDFText_GetUnicode(tp.raw, i) for i in range(n)))
        self.text = text
        self.cache: dict[int, tuple] = {}     # fetched boxed characters by index
        self._done: set[int] = set()          # fetched lines
        spans, start = [], 0
        for m in _LINE_BREAK.finditer(text):
            if m.start() > start:
                spans.append((start, m.start()))
            start = m.end()
        if start < n:
            spans.append((start, n))
        self.spans = spans                    # pdfium's lines: (start, end) between line breaks
        self._rects = None

    def rects(self) -> list:
        """(bottom, top) of each line's glyph rectangles; None when it has none."""
        if self._rects is None:
            count, get = _fast("FPDFText_CountRects"), _fast("FPDFText_GetRect")
            h = _handle(self.tp)
            left, top, right, bottom = (ctypes.c_double() for _ in range(4))
            refs = [ctypes.byref(v) for v in (left, top, right, bottom)]
            out = []
            for a, b in self.spans:
                lo = hi = None
                for j in range(max(count(h, a, b - a), 0)):
                    if get(h, j, *refs):
                        y0, y1 = sorted((top.value, bottom.value))
                        lo = y0 if lo is None else min(lo, y0)
                        hi = y1 if hi is None else max(hi, y1)
                out.append(None if lo is None else (lo, hi))
            self._rects = out
        return self._rects

    def reach(self, line: int) -> float:
        """The highest a character centre of this line can lie (inf when unknown)."""
        r = self.rects()[line]
        return float("inf") if r is None else r[1] + (r[1] - r[0]) + LINE_SLACK

    def fetch(self, line: int) -> None:
        """Character boxes and font sizes of one line (once)."""
        if line in self._done:
            return
        self._done.add(line)
        box = _fast("FPDFText_GetLooseCharBox")
        size_of = _fast("FPDFText_GetFontSize", ctypes.c_double)
        a, b = self.spans[line]
        text = self.text
        h = _handle(self.tp)
        rect = _RECT()
        ref = ctypes.byref(rect)
        unpack = _FLOATS.unpack_from
        j = a - 1
        while j >= 0 and text[j] in _NO_BOX:
            j -= 1
        space = j >= 0 and text[j].isspace()   # whitespace since the previous boxed character
        cache = self.cache
        no_box = _NO_BOX
        for i in range(a, b):
            ch = text[i]
            if ch.isspace():
                space = True
            elif ch not in no_box and box(h, i, ref):
                left, top, right, bottom = unpack(rect)
                # min(bottom, top) and max(bottom, top), without the builtin calls
                cache[i] = (i, ch, left, top if top < bottom else bottom, right, top if top > bottom else bottom,
                            size_of(h, i), space)
                space = False

    def fetched(self) -> list:
        """Every boxed character fetched so far, in character order."""
        return [self.cache[k] for k in sorted(self.cache)]

    def in_band(self, widgets) -> list:
        """Boxed characters centred within the height of a widget (± BAND_MARGIN); the
        lines around each widget are fetched whole."""
        if not widgets:
            return []
        bands = [(w[1] - BAND_MARGIN, w[3] + BAND_MARGIN) for w in widgets]
        for k, r in enumerate(self.rects()):
            if r is None or any(r[0] <= hi + BAND_LINES and r[1] >= lo - BAND_LINES for lo, hi in bands):
                self.fetch(k)
        return [c for c in self.fetched() if any(lo <= (c[3] + c[5]) / 2 <= hi for lo, hi in bands)]

    def all_chars(self, sup: dict) -> list:
        """Every character in order (boxed when fetched, else left None), replacements applied."""
        cache, out = self.cache, []
        for i, ch in enumerate(self.text):
            v = sup.get(i)
            if v == "":
                continue
            c = cache.get(i) or (i, "" if ch == "\x00" else ch, None, None, None, None, 0.0, False)
            out.append(c if v is None else (i, v) + c[2:])
        return out

    def stream_text(self, sup: dict, removed) -> str:
        """The page's text in pdfium's order, replacements applied, `removed` characters left
        out, blank lines dropped (what `_stream_text` gives without form fields)."""
        parts = list(self.text)
        for k, v in sup.items():
            parts[k] = v
        for k in removed:
            parts[k] = ""
        lines = _LINE_BREAK.split("".join(parts).replace("\x00", ""))
        return "\n".join(line for line in lines if line.strip())


def _apply(chars, sup: dict) -> list:
    """Characters with the superscript replacements applied (removed ones left out)."""
    if not sup:
        return chars
    return [c if c[0] not in sup else (c[0], sup[c[0]]) + c[2:] for c in chars if sup.get(c[0]) != ""]


def _distance(c, rect) -> float:
    """Distance from a character's centre to a rectangle (0 inside)."""
    x = (c[2] + c[4]) / 2
    y = (c[3] + c[5]) / 2
    dx = max(rect[0] - x, 0.0, x - rect[2])
    dy = max(rect[1] - y, 0.0, y - rect[3])
    return dx * dx + dy * dy


def _layout_page(src: _TextPage, sup, extra, widgets, names, height, width, header):
    """Page text with widget text split off and (page 1) the header zone linearised.

    Form-field text goes back where it is drawn: into its header row, or into the
    printed line it sits on ("Kèm theo Công văn số 12094/BNV-CCHC ngày 15/12/2025");
    stamp text leaves the page text. `sup`: superscript replacements (index → text,
    "" = removed)."""
    fields: dict[str, str] = {}
    stamps: list[str] = []
    drop: set[int] = set()
    widget_ids: set[int] = set()
    field_groups: list[list] = []
    if extra and widgets:
        widget_ids = {c[0] for c in extra}
        groups: dict[int, list] = {}
        for c in extra:
            w = min(range(len(widgets)), key=lambda j: _distance(c, widgets[j]))
            groups.setdefault(w, []).append(c)
        for w in sorted(groups):
            group = groups[w]
            lines = [_row_text(r) for r in _rows(group)]
            text = " ".join(line for line in lines if line)
            name = names[w] if w < len(names) else f"field{w + 1}"
            if any(is_stamp(line) for line in lines):
                stamps.append("; ".join(lines))
                drop.update(c[0] for c in group)
            elif text:
                fields[name if name not in fields else f"{name}#{w}"] = text
                field_groups.append(group)
    zone = _find_header(src, sup, drop, height, width, widget_ids) if header else None
    in_zone: set[int] = set()
    head_lines: list[str] = []
    if zone is not None:
        _y_cut, _split_x, zone_rows = zone
        above = [r for side, r in zone_rows if side == "C"]
        left = [r for side, r in zone_rows if side == "L"]
        right = [r for side, r in zone_rows if side == "R"]
        in_zone = {c[0] for _, r in zone_rows for c in r}
        head_lines = [_row_text(r, widget_ids) for r in above + left + right]
    removed = drop | in_zone | widget_ids
    pending = [g for g in ([c for c in g if c[0] not in in_zone] for g in field_groups) if g]
    if pending:
        rest = [c for c in src.all_chars(sup) if c[0] not in removed]
        body = _stream_text(rest, pending, widget_ids)
    else:
        body = src.stream_text(sup, removed)
    return "\n".join(head_lines + [body]) if head_lines else body, fields, stamps


class _Partial(Exception):
    """The header zone depends on rows not fetched yet."""


def _find_header(src: _TextPage, sup, drop, height, width, widget_ids):
    """`_header_zone` of page 1, fetching character boxes line by line from the top down
    (by each line's glyph rectangle) until the rows that decide the zone are complete:
    the result equals the one computed from every character of the top of the page."""
    top_limit = height * (1 - HEADER_MAX_FRACTION)
    order = sorted(range(len(src.spans)), key=lambda k: -src.reach(k))
    reach = [src.reach(k) for k in order]
    if widget_ids:   # rows of form-field text snap to any row: fetch the whole top
        for k, r in zip(order, reach):
            if r >= top_limit:
                src.fetch(k)
        visible = [c for c in _apply(src.fetched(), sup) if c[0] not in drop]
        return _header_zone(visible, height, width, widget_ids)
    pos, step = 0, 16
    while True:
        for k in order[pos:pos + step]:
            src.fetch(k)
        pos += step
        step = 4   # the first 16 lines settle most headers (9 rows); then a few more at a time
        bound = reach[pos] if pos < len(order) else float("-inf")   # no unfetched centre lies above
        visible = _apply(src.fetched(), sup)
        if bound < top_limit:
            return _header_zone(visible, height, width, widget_ids)
        try:
            return _header_zone([c for c in visible if (c[3] + c[5]) / 2 > bound], height, width,
                                widget_ids, partial=True)
        except _Partial:
            continue


def _has_text(obj) -> bool:
    import pypdfium2.raw as raw
    stack = [obj]
    while stack:
        obj = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM:
            stack += [raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj))]
    return False


def _appearance_text(page) -> bool:
    """Whether flattening could add text: some annotation's normal appearance holds a text
    object, or has an appearance pdfium shows no objects of (kept on the safe side). Half
    the signed pages of realdocs carry only the signature image: their text is the page's
    own, and flattening (which parses the page's content once more, then again on reload)
    is skipped."""
    import pypdfium2.raw as raw
    for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, k)
        if not annot:
            continue
        try:
            n = raw.FPDFAnnot_GetObjectCount(annot)
            if n <= 0:
                if raw.FPDFAnnot_HasKey(annot, b"AP"):
                    return True
                continue
            if any(_has_text(raw.FPDFAnnot_GetObject(annot, j)) for j in range(n)):
                return True
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return False


def _flattened_text(page, printed: int) -> set[int]:
    """The text objects a flattening added to a reloaded page: flattening wraps the page's
    own content in q … Q and appends one form XObject per annotation appearance, so the
    page objects from index `printed` (the count before flattening) on are the annotations'.
    Returned as the objects' addresses (FPDFText_GetTextObject gives the same handles)."""
    import pypdfium2.raw as raw
    out: set[int] = set()
    stack = [raw.FPDFPage_GetObject(page.raw, k) for k in range(printed, raw.FPDFPage_CountObjects(page.raw))]
    while stack:
        obj = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            out.add(ctypes.cast(obj, ctypes.c_void_p).value)
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            stack += [raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj))]
    return out


def _widget_chars(src: _TextPage, widgets, drawn: set[int]) -> list:
    """Characters of the flattened annotations (form-field and stamp text) centred in a
    widget's band: those whose text object is one the flattening added (`drawn`). (Until
    2026-12 this compared the band's characters with a text page built before flattening,
    by character and position: the same characters on every signed page of realdocs, at
    the cost of a second text page and a second set of boxes.)"""
    if not drawn:   # no band fetched: no other step reads those lines (the header fetches its own)
        return []
    chars = src.in_band(widgets)
    obj = _fast("FPDFText_GetTextObject", ctypes.c_void_p)
    h = _handle(src.tp)
    return [c for c in chars if obj(h, c[0]) in drawn]


def _stream_text(chars, field_groups=(), widget_ids=frozenset()) -> str:
    """Characters in pdfium's order; form-field groups spliced into the line they sit on
    (that line is then rebuilt from character positions). A group that sits on no
    printed line stays out of the text (it is in extras["form_fields"])."""
    lines: list[list] = [[]]
    for c in chars:
        if c[1] in "\r\n":
            if c[1] == "\n" or not lines[-1] or lines[-1][-1][1] != "\r":
                lines.append([])
            continue
        lines[-1].append(c)
    rebuilt: dict[int, list] = {}
    for group in field_groups:
        yc = sum((c[3] + c[5]) / 2 for c in group) / len(group)
        size = max(max(c[6] for c in group), 6.0)
        x0, x1 = min(c[2] for c in group), max(c[4] for c in group)
        best = None
        for k, line in enumerate(lines):
            boxed = [c for c in line if c[2] is not None]
            if not boxed:
                continue
            ly = sorted((c[3] + c[5]) / 2 for c in boxed)[len(boxed) // 2]
            lx0, lx1 = min(c[2] for c in boxed), max(c[4] for c in boxed)
            if abs(ly - yc) <= 0.8 * size and lx0 - 6 * size <= x0 and x1 <= lx1 + 6 * size:
                if best is None or abs(ly - yc) < best[0]:
                    best = (abs(ly - yc), k)
        if best is not None:
            k = best[1]
            base = rebuilt.get(k) or [c for c in lines[k] if c[2] is not None]
            rebuilt[k] = _blockwise(base + group, widget_ids)
    out = []
    for k, line in enumerate(lines):
        text = _row_text(rebuilt[k], widget_ids) if k in rebuilt else "".join(c[1] for c in line)
        if text.strip():       # blank lines left where zone characters were removed go
            out.append(text)
    return "\n".join(out)


def _blockwise(row, widget_ids) -> list:
    """Merge form-field text into a row as whole blocks: a field drawn over a printed
    "/" must not interleave with it ("12094" + "/BNV", not "1209/4BNV")."""
    page = sorted((c for c in row if c[0] not in widget_ids), key=lambda c: c[2])
    fields = sorted((c for c in row if c[0] in widget_ids), key=lambda c: c[2])
    if not page or not fields:
        return sorted(row, key=lambda c: c[2])
    clusters: list[list] = [[fields[0]]]
    for c in fields[1:]:
        prev = clusters[-1][-1]
        if c[2] - prev[4] > 0.5 * max(c[6], 6.0):
            clusters.append([c])
        else:
            clusters[-1].append(c)
    out = list(page)
    for cluster in clusters:
        x0 = cluster[0][2]
        at = next((k for k, c in enumerate(out)
                   if c[0] not in widget_ids and c[2] >= x0 - 0.1 * max(c[6], 6.0)), len(out))
        out[at:at] = cluster
    return out


def _rows(chars) -> list[list]:
    """Group characters into visual rows (top to bottom), each sorted left to right."""
    ys = [(c[3] + c[5]) / 2 for c in chars]
    rows: list[list] = []
    row: list | None = None
    centre = total = 0.0
    # highest centre first; equal centres keep their order (sorting is stable, reversed too)
    for k in sorted(range(len(chars)), key=ys.__getitem__, reverse=True):
        c = chars[k]
        yc = ys[k]
        size = c[5] - c[3]            # max(font size, box height, 4.0), without the call
        if c[6] >= size:
            size = c[6]
        if size < 4.0:
            size = 4.0
        if row is not None and abs(yc - centre) <= 0.45 * size:
            row.append(c)
            total += yc        # the row's mean centre, kept as a running sum
            centre = total / len(row)
        else:
            row = [c]
            rows.append(row)
            centre = total = yc
    for r in rows:
        r.sort(key=_LEFT)
    return rows


_LEFT = itemgetter(2)


def _row_text(row, widget_ids=frozenset()) -> str:
    out = []
    prev = None
    combining = unicodedata.combining
    for c in row:
        ch = c[1]
        if out and combining(ch):
            out[-1] += ch
            continue
        if prev is not None:
            gap = c[2] - prev[4]
            size = c[6] if c[6] > prev[6] else prev[6]     # max(c[6], prev[6], 4.0)
            if size < 4.0:
                size = 4.0
            # form-field text never glues to page text ("ngày" + "12", "Số:" + "12094")
            if (gap > 0.22 * size or (c[7] and gap > 0.05 * size)
                    or (widget_ids and (c[0] in widget_ids) != (prev[0] in widget_ids))):
                out.append(" ")
        out.append(ch)
        prev = c
    return "".join(out).strip()


def _column_split(rows, width):
    """The x of the gap between the two header blocks: the point covered by the most
    wide gaps (≥ 2 font sizes) of the top rows, in the middle of the page."""
    intervals = []
    for row in rows:
        size = max(sorted(c[6] for c in row)[len(row) // 2], 6.0)
        for a, b in zip(row, row[1:]):
            lo, hi = a[4], b[2]
            if hi - lo >= 2.0 * size and width * 0.2 <= (lo + hi) / 2 <= width * 0.75:
                intervals.append((lo, hi))
    if not intervals:
        return None
    points = [x for lo, hi in intervals for x in (lo + 0.01, hi - 0.01, (lo + hi) / 2)]
    best = max(points, key=lambda x: (sum(lo <= x <= hi for lo, hi in intervals),
                                       -abs(x - width / 2)))
    covering = [(lo, hi) for lo, hi in intervals if lo <= best <= hi]
    lo = max(i[0] for i in covering)
    hi = min(i[1] for i in covering)
    return (lo + hi) / 2


def _split_row(row, split_x, size):
    """(left chars, right chars) of one header row, or None when the row is not header text.

    Two blocks: split at the wide gap nearest the column split (or a narrower gap
    right across it). One block: the left
    column when its centre lies clearly left of the split (a V/v line may overhang
    it a little), the right column when clearly right; otherwise it spans the page."""
    best = None
    for k in range(len(row) - 1):
        lo, hi = row[k][4], row[k + 1][2]
        wide = hi - lo >= 2.0 * size and lo <= split_x + 2 * size and hi >= split_x - 2 * size
        # a gap of a few spaces right at the split: issuer and motto nearly touching
        across = hi - lo >= 0.7 * size and lo - 0.5 * size <= split_x <= hi + 0.5 * size
        if wide or across:
            dist = abs((lo + hi) / 2 - split_x)
            if best is None or dist < best[0]:
                best = (dist, k + 1)
    if best is not None:
        return row[:best[1]], row[best[1]:]
    start, end = row[0][2], row[-1][4]
    centre = (start + end) / 2
    if centre < split_x - size and end <= split_x + 3 * size:
        return row, []
    if centre > split_x + size and start >= split_x - 3 * size:
        return [], row
    return None


def _snap_widget_rows(rows, widget_ids):
    """A row made only of form-field text joins the nearest page-text row when the
    field is drawn a little off the printed line ("12094" over "Số:  /BNV-CCHC")."""
    if not widget_ids:
        return rows
    out = [r for r in rows]
    for r in rows:
        if not all(c[0] in widget_ids for c in r):
            continue
        yc = sum((c[3] + c[5]) / 2 for c in r) / len(r)
        size = max(max(c[6] for c in r), 6.0)
        others = [o for o in out if o is not r and not all(c[0] in widget_ids for c in o)]
        if not others:
            continue
        near = min(others, key=lambda o: abs(sum((c[3] + c[5]) / 2 for c in o) / len(o) - yc))
        if abs(sum((c[3] + c[5]) / 2 for c in near) / len(near) - yc) <= 1.2 * size:
            near.extend(r)
            out = [o for o in out if o is not r]
    return [_blockwise(r, widget_ids) for r in out]


def _header_zone(visible, height, width, widget_ids=frozenset(), partial=False):
    """(y_cut, split_x, [(side, row)]) for the two-column header at the top of page 1, or None.

    Page furniture above the header (a Gazette banner, an e-signature stamp, the
    Gazette's part and group headings) is passed over: those rows come first, as
    one-column rows ("C").

    `partial`: `visible` holds only the characters above some height, so its last row may
    be incomplete: raise _Partial when the answer depends on it (or on rows below)."""
    top_limit = height * (1 - HEADER_MAX_FRACTION)
    top = [c for c in visible if (c[3] + c[5]) / 2 >= top_limit]
    if len(top) < 10:
        if partial:
            raise _Partial
        return None
    rows = _snap_widget_rows(_rows(top), widget_ids)
    exact = len(rows) - 1 if partial else len(rows)   # rows[:exact] are complete
    pre: list[list] = []
    while rows and furniture.is_furniture(_row_text(rows[0])):
        if exact <= 0:     # the last fetched row, maybe incomplete: all so far is furniture
            raise _Partial
        pre.append(rows.pop(0))
        exact -= 1
    if exact < min(8, len(rows)):   # the column split reads the first 8 rows
        raise _Partial
    split_x = _column_split(rows[:8], width)
    # a group heading under the furniture ("CHÍNH PHỦ" over the header block): one row
    # that does not split, right above rows that do
    if pre and split_x is not None and rows and _split_row(rows[0], split_x, 6.0) is None:
        pre.append(rows.pop(0))
        exact -= 1
    if split_x is None:
        return None
    zone: list[tuple[str, list]] = [("C", r) for r in pre]
    y_cut = height
    for k, row in enumerate(rows):
        if k >= exact:
            raise _Partial
        size = max(sorted(c[6] for c in row)[len(row) // 2], 6.0)
        text = _row_text(row)
        if len(zone) > len(pre) and (text.startswith(BODY_OPENERS) or doctypes.heading_type(text.strip())):
            break     # the body, or the type heading centred under the two blocks
        sides = _split_row(row, split_x, size)
        if sides is None:   # a centred heading or a body line runs across the columns
            break
        left, right = sides
        if left:
            zone.append(("L", left))
        if right:
            zone.append(("R", right))
        y_cut = min(c[3] for c in row)
    if not any(side == "L" for side, _ in zone) or not any(side == "R" for side, _ in zone):
        return None
    return y_cut, split_x, zone
