"""Word .docx: body paragraphs and tables in body order, numbering rendered, footnotes after.

Reads the package with zipfile + lxml (python-docx's own parser), so that the parts
it needs (document, numbering, styles, footnotes) are found through the package
relationships whatever their names, and files python-docx refuses for their content
type (.docm, templates) still open.

- Two- and three-column layout tables (the header block: issuer / Số / V/v on the
  left, motto / place-date on the right; the signature block) are emitted column by
  column, each distinct cell once (horizontally merged cells are one `w:tc`;
  vertically merged continuation cells are skipped); other tables row by row.
- Word automatic numbering (numPr on the paragraph or its style) is rendered from
  the numbering part: lvlText, numFmt, start, restarts of lower levels.
- Footnotes (and endnotes) follow the body under a line `---`.
- Text boxes are emitted after the paragraph that anchors them.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from cascade.models import STATUS_EMPTY, STATUS_ERROR, LoadedText
from cascade.parse.loaders.layout import split_header_columns

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


T, TAB, BR, CR, P, TBL, TR, TC, SDT, SDTCONTENT = (_w(t) for t in (
    "t", "tab", "br", "cr", "p", "tbl", "tr", "tc", "sdt", "sdtContent"))
PPR, NUMPR, NUMID, ILVL, PSTYLE, VAL = (_w(t) for t in ("pPr", "numPr", "numId", "ilvl", "pStyle", "val"))
TXBX = _w("txbxContent")
NOBREAKHYPHEN, SOFTHYPHEN, SYM, DELTEXT = (_w(t) for t in ("noBreakHyphen", "softHyphen", "sym", "delText"))
FALLBACK = f"{{{MC}}}Fallback"
DEL, MOVEFROM = _w("del"), _w("moveFrom")

MAX_ENTRY_BYTES = 100 * 1024 * 1024   # refuse zip bombs
LAYOUT_MAX_COLS = 3
LAYOUT_MAX_ROWS = 6

_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        from lxml import etree
        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                  remove_comments=True)
    return _PARSER


class DocxError(Exception):
    """A .docx that cannot be read; the message is the one-line reason."""


# --- package ----------------------------------------------------------------------
class Package:
    def __init__(self, path: Path):
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise DocxError("not a valid .docx (corrupt or not a zip archive)")
        self.names = set(self.zip.namelist())

    def xml(self, name: str):
        from lxml import etree
        info = self.zip.getinfo(name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise DocxError(f"part {name} too large ({info.file_size} bytes)")
        try:
            return etree.fromstring(self.zip.read(name), _parser())
        except etree.XMLSyntaxError as exc:
            raise DocxError(f"broken XML in {name} ({exc})")
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise DocxError(f"corrupt zip entry {name} ({exc})")

    def rels(self, part: str) -> dict[str, str]:
        """relationship type suffix → target part name, for one part."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, str] = {}
        if rels_name not in self.names:
            return out
        for rel in self.xml(rels_name).iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            out.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], name)
        return out

    def main_part(self) -> str:
        name = self.rels("").get("officeDocument")
        if name and name in self.names:
            return name
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise DocxError("not a Word document (zip without word/document.xml)")


# --- numbering --------------------------------------------------------------------
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word: a..z, then aa..zz, aaa..: the letter repeated
    if n <= 0:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


# Bounds on a rendered list mark. A counter in the millions drawn as letters repeats one letter
# n/26 times (a 1.7 KB file starting at 26,000,000 with nine-level labels made a 9-million-
# character mark); Word's own letter and roman numbering stop far below these.
MAX_LETTER_COUNT = 780          # "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz": 30 letters
MAX_ROMAN_COUNT = 3999          # MMMCMXCIX
MAX_MARK_CHARS = 64             # a whole mark ("1.2.3.a)"); longer is no list mark


def format_number(n: int, fmt: str) -> str:
    """A counter as Word shows it for a numFmt (decimal past the letter and roman bounds)."""
    if n < 0 or n > 10 ** 12:
        return ""
    if fmt in ("lowerLetter", "upperLetter", "lowerRoman", "upperRoman") and n > (
            MAX_LETTER_COUNT if fmt.endswith("Letter") else MAX_ROMAN_COUNT):
        return str(n)
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)   # decimal and the many formats we do not draw


class Numbering:
    """numbering.xml + styles.xml: renders the list mark of a numbered paragraph."""

    def __init__(self, numbering, styles):
        self.levels: dict[str, dict[int, dict]] = {}     # abstractNumId → ilvl → level
        self.nums: dict[str, tuple[str, dict[int, dict]]] = {}   # numId → (abstract, overrides)
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, dict[int, int]] = {}   # abstractNumId → ilvl → count
        self.seen: set[str] = set()
        if numbering is not None:
            for an in numbering.iter(_w("abstractNum")):
                self.levels[an.get(_w("abstractNumId"))] = {
                    int(lvl.get(_w("ilvl"), "0")): self._level(lvl) for lvl in an.iter(_w("lvl"))}
            for num in numbering.iter(_w("num")):
                abstract = num.find(_w("abstractNumId"))
                overrides: dict[int, dict] = {}
                for ov in num.iter(_w("lvlOverride")):
                    ilvl = int(ov.get(_w("ilvl"), "0"))
                    d: dict = {}
                    so = ov.find(_w("startOverride"))
                    if so is not None:
                        d["start"] = _int(so.get(VAL), 1)
                    lvl = ov.find(_w("lvl"))
                    if lvl is not None:
                        d.update({k: v for k, v in self._level(lvl).items() if v is not None})
                    overrides[ilvl] = d
                self.nums[num.get(_w("numId"))] = (
                    abstract.get(VAL) if abstract is not None else None, overrides)
            # numStyleLink: an abstractNum that only points to a numbering style
            for an in numbering.iter(_w("abstractNum")):
                link = an.find(_w("numStyleLink"))
                if link is not None:
                    self.levels[an.get(_w("abstractNumId"))] = {"link": link.get(VAL)}
        if styles is not None:
            raw: dict[str, tuple] = {}
            for st in styles.iter(_w("style")):
                sid = st.get(_w("styleId"))
                based = st.find(_w("basedOn"))
                numpr = st.find(f"{PPR}/{NUMPR}")
                num_id = ilvl = None
                if numpr is not None:
                    e = numpr.find(NUMID)
                    num_id = e.get(VAL) if e is not None else None
                    e = numpr.find(ILVL)
                    ilvl = _int(e.get(VAL), 0) if e is not None else None
                raw[sid] = (based.get(VAL) if based is not None else None, num_id, ilvl)
            for sid in raw:
                self.style_numpr[sid] = self._resolve_style(raw, sid)

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag):
            e = lvl.find(_w(tag))
            return e.get(VAL) if e is not None else None
        return {"fmt": val("numFmt"), "text": val("lvlText"), "start": _int(val("start"), None),
                "legal": lvl.find(_w("isLgl")) is not None}

    @staticmethod
    def _resolve_style(raw, sid):
        num_id = ilvl = None
        seen = set()
        while sid and sid in raw and sid not in seen:
            seen.add(sid)
            based, n, i = raw[sid]
            if num_id is None and n is not None:
                num_id = n
            if ilvl is None and i is not None:
                ilvl = i
            sid = based
        return num_id, ilvl

    def _abstract_levels(self, num_id: str) -> dict[int, dict]:
        abstract, overrides = self.nums.get(num_id, (None, {}))
        levels = self.levels.get(abstract) or {}
        if "link" in levels:   # follow numStyleLink → style's numId → its abstractNum
            linked_num = self.style_numpr.get(levels["link"], (None, None))[0]
            linked = self.nums.get(linked_num, (None, {}))[0] if linked_num else None
            levels = self.levels.get(linked) or {}
            if "link" in levels:
                levels = {}
        merged = {}
        for ilvl in set(levels) | set(overrides):
            base = dict(levels.get(ilvl) or {"fmt": "decimal", "text": f"%{ilvl + 1}.", "start": 1})
            base.update({k: v for k, v in overrides.get(ilvl, {}).items() if k != "start"})
            merged[ilvl] = base
        return merged

    def mark(self, p) -> str:
        """The rendered list mark of paragraph `p` ('' when not numbered); advances counters."""
        ppr = p.find(PPR)
        num_id = ilvl = None
        if ppr is not None:
            numpr = ppr.find(NUMPR)
            if numpr is not None:
                e = numpr.find(NUMID)
                num_id = e.get(VAL) if e is not None else None
                e = numpr.find(ILVL)
                ilvl = _int(e.get(VAL), 0) if e is not None else None
            if num_id is None:
                ps = ppr.find(PSTYLE)
                if ps is not None:
                    s_num, s_ilvl = self.style_numpr.get(ps.get(VAL), (None, None))
                    num_id = s_num
                    if ilvl is None:
                        ilvl = s_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        ilvl = ilvl or 0
        levels = self._abstract_levels(num_id)
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        abstract, overrides = self.nums[num_id]
        # Word keeps one counter set per abstract list: a second w:num on the same
        # abstractNum continues it, unless it carries a startOverride (Word's "restart")
        counters = self.counters.setdefault(abstract or f"num:{num_id}", {})
        if num_id not in self.seen:
            self.seen.add(num_id)
            for i, ov in overrides.items():
                if "start" in ov:
                    for k in [k for k in counters if k >= i]:
                        del counters[k]

        def start(i):
            ov = overrides.get(i, {})
            if "start" in ov:
                return ov["start"]
            s = (levels.get(i) or {}).get("start")
            return 1 if s is None else s

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if lvl.get("fmt") == "bullet":
            return "-"
        text = lvl.get("text")
        if text is None:
            text = f"%{ilvl + 1}."
        out = []
        size = 0
        i = 0
        text = text[:MAX_MARK_CHARS]
        while i < len(text) and size <= MAX_MARK_CHARS:
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                k = int(text[i + 1]) - 1
                n = counters.get(k, start(k))
                fmt = (levels.get(k) or {}).get("fmt") or "decimal"
                if lvl.get("legal"):
                    fmt = "decimal"
                out.append(format_number(n, fmt))
                size += len(out[-1])
                i += 2
            else:
                out.append(ch)
                size += 1
                i += 1
        return "".join(out)[:MAX_MARK_CHARS].strip()


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- body -------------------------------------------------------------------------
class Extractor:
    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.textboxes = 0

    def block(self, parent, out: list[str]) -> None:
        """Paragraphs and tables of a body / cell / text box / footnote in order."""
        for child in parent:
            tag = child.tag
            if tag == P:
                self.paragraph(child, out)
            elif tag == TBL:
                self.table(child, out)
            elif tag == SDT:
                content = child.find(SDTCONTENT)
                if content is not None:
                    self.block(content, out)
            elif tag in (DEL, MOVEFROM):
                continue
            elif isinstance(tag, str) and tag.endswith("}customXml"):
                self.block(child, out)

    def paragraph(self, p, out: list[str]) -> None:
        parts: list[str] = []
        boxes: list = []
        self._runs(p, parts, boxes)
        text = "".join(parts)
        mark = self.numbering.mark(p)
        if mark and text.strip():
            text = f"{mark} {text.lstrip()}"
        out.append(text)
        for box in boxes:
            self.textboxes += 1
            self.block(box, out)

    def _runs(self, node, parts: list[str], boxes: list) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == T:
                parts.append(child.text or "")
            elif tag == TAB:
                parts.append("\t")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == NOBREAKHYPHEN:
                parts.append("-")
            elif tag == TXBX:
                boxes.append(child)
            elif tag in (DEL, MOVEFROM, FALLBACK, DELTEXT, PPR) or tag.endswith("}instrText"):
                continue
            elif tag == P or tag == TBL:   # paragraphs nested in odd containers
                boxes.append(node)
                return
            else:
                self._runs(child, parts, boxes)

    def table(self, tbl, out: list[str]) -> None:
        rows = []
        for tr in tbl.iter(TR):
            if _ancestor_table(tr) is not tbl:
                continue
            cells = []
            for tc in tr.findall(TC):
                if _vmerge_continue(tc):
                    cells.append(None)
                else:
                    cells.append(tc)
            rows.append(cells)
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        if _is_layout(rows, ncols):
            order = [r[c] for c in range(ncols) for r in rows if c < len(r)]
        else:
            order = [tc for r in rows for tc in r]
        for tc in order:
            if tc is None:
                continue
            cell_lines: list[str] = []
            self.block(tc, cell_lines)
            out.extend(line for line in cell_lines if line.strip())


_DATA_HEADS = frozenset(("STT", "TT", "Stt", "Số TT", "SỐ TT", "Số thứ tự"))


def _cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(T)).strip() if tc is not None else ""


def _is_layout(rows, ncols: int) -> bool:
    """A header / signature block laid out with a table (read column by column),
    not a data table (read row by row): 2–3 columns, few rows, every row with the
    same cells, no "STT" column, no column of numbers."""
    if not (1 < ncols <= LAYOUT_MAX_COLS and len(rows) <= LAYOUT_MAX_ROWS):
        return False
    if any(len(r) != ncols for r in rows):
        return False
    first = [_cell_text(r[0]) for r in rows]
    if first[0] in _DATA_HEADS:
        return False
    numbers = sum(1 for t in first if t.rstrip(".").isdigit())
    return numbers < 2


def _ancestor_table(tr):
    node = tr.getparent()
    while node is not None and node.tag != TBL:
        node = node.getparent()
    return node


def _vmerge_continue(tc) -> bool:
    vm = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return vm is not None and vm.get(VAL) in (None, "continue")


def _notes(pkg: Package, part: str | None, tag: str, ex: Extractor) -> list[str]:
    if not part or part not in pkg.names:
        return []
    root = pkg.xml(part)
    out: list[str] = []
    n = 0
    for note in root.iter(_w(tag)):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        lines: list[str] = []
        ex.block(note, lines)
        body = " ".join(line.strip() for line in lines if line.strip())
        if body:
            n += 1
            out.append(f"[{n}] {body}")
    return out


def load_docx(path: Path, res: LoadedText) -> LoadedText:
    res.format = "docx"
    res.text_source = "docx"
    try:
        pkg = Package(path)
        main = pkg.main_part()
        rels = pkg.rels(main)
        doc = pkg.xml(main)
        numbering = pkg.xml(rels["numbering"]) if rels.get("numbering") in pkg.names else None
        styles = pkg.xml(rels["styles"]) if rels.get("styles") in pkg.names else None
        body = doc.find(_w("body"))
        if body is None:
            raise DocxError("not a Word document (no w:body)")
        ex = Extractor(Numbering(numbering, styles))
        lines: list[str] = []
        ex.block(body, lines)
        notes = _notes(pkg, rels.get("footnotes"), "footnote", ex)
        notes += _notes(pkg, rels.get("endnotes"), "endnote", ex)
    except DocxError as exc:
        res.status, res.error = STATUS_ERROR, str(exc)
        return res
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, NotImplementedError) as exc:
        res.status, res.error = STATUS_ERROR, f"corrupt .docx ({type(exc).__name__}: {exc})"
        return res
    lines = split_header_columns("\n".join(lines)).split("\n")
    if notes:
        lines += ["", "---"] + notes
        res.extras["footnotes"] = len(notes)
    if ex.textboxes:
        res.extras["textboxes"] = ex.textboxes
    fonts = _fonts(body, styles)
    if fonts:
        res.extras["fonts"] = fonts
    text = "\n".join(lines)
    if not text.strip():
        res.status, res.error = STATUS_EMPTY, "no text in the document"
        return res
    res.text = text
    res.pages = _pages(pkg)
    return res


def _fonts(body, styles) -> list[str]:
    """Fonts the text is typed in, most used first (the default font counts once):
    a hint for legacy encodings (.VnTime = TCVN3, VNI-Times = VNI)."""
    from collections import Counter
    counts: Counter = Counter()
    rfonts = _w("rFonts")
    for el in body.iter(rfonts):
        name = el.get(_w("ascii")) or el.get(_w("hAnsi"))
        if name:
            counts[name] += 1
    if styles is not None:
        default = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{rfonts}")
        if default is not None and (default.get(_w("ascii")) or default.get(_w("hAnsi"))):
            counts[default.get(_w("ascii")) or default.get(_w("hAnsi"))] += 1
    return [name for name, _ in counts.most_common(5)]


def _pages(pkg: Package) -> int:
    """Page count saved by Word in docProps/app.xml (0 when absent)."""
    if "docProps/app.xml" not in pkg.names:
        return 0
    try:
        root = pkg.xml("docProps/app.xml")
    except DocxError:
        return 0
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.endswith("}Pages"):
            return _int(el.text, 0)
    return 0
