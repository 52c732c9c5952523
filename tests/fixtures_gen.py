"""Build .docx and text-layer .pdf fixtures from a seed .txt (tests call these into tmp_path).

The seed's structure is rebuilt the way real documents are laid out:
- header lines → a two-column block: issuer / Số / V/v on the left, national motto /
  place-date on the right (a borderless 2-column table in .docx; two columns of
  text side by side in .pdf);
- body lines "1. …", "a) …", "- …" → Word AUTOMATIC numbering (multi-level list:
  decimal "%1.", lowerLetter "%2)", bullet) with the typed mark removed, so the
  loader has to render the numbering back;
- "Nơi nhận:" list and the signature lines → a 2-column signature table (.docx).

`seed_structure(path)` returns the parts, so tests can compare what the loader
gives back with what went in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cascade.text import clean

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

_RIGHT = re.compile(r"^(?:CỘNG HÒA|CỘNG HOÀ|Độc lập)|, ngày\b.*\btháng\b")
_BODY_START = re.compile(r"^(?:Kính gửi|Căn cứ|Thực hiện)")
_MARK = re.compile(r"^(?:(?P<dec>\d{1,2})\.|(?P<let>[a-zđ])\)|(?P<bul>-))\s+")
_SIGN_START = re.compile(r"^(?:TM\.|KT\.|TL\.|TUQ\.|Q\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC)")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Seed:
    left: list[str] = field(default_factory=list)        # issuer, Số, V/v
    right: list[str] = field(default_factory=list)       # motto, place-date
    body: list[tuple[str, str]] = field(default_factory=list)   # (mark or "", text)
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận:" and its list
    signature: list[str] = field(default_factory=list)   # TM./KT. … name


def seed_structure(path) -> Seed:
    lines = [ln.strip() for ln in clean(Path(path).read_text(encoding="utf-8")).split("\n")]
    lines = [ln for ln in lines if ln]
    seed = Seed()
    i = 0
    while i < len(lines) and not _BODY_START.match(lines[i]) and len(lines[i]) < 90:
        (seed.right if _RIGHT.search(lines[i]) else seed.left).append(lines[i])
        i += 1
    while i < len(lines) and not lines[i].startswith("Nơi nhận"):
        m = _MARK.match(lines[i])
        if m:
            seed.body.append((m.group(0).strip(), lines[i][m.end():]))
        else:
            seed.body.append(("", lines[i]))
        i += 1
    if i < len(lines):
        seed.recipients.append(lines[i])
        i += 1
    while i < len(lines) and lines[i].startswith("-"):
        seed.recipients.append(lines[i])
        i += 1
    seed.signature = lines[i:]
    return seed


def numbered_plan(body: list[tuple[str, str]]) -> list[tuple[int | None, str, str]]:
    """(list level or None, mark as Word will render it, text) per body line.

    A typed mark becomes automatic numbering only where Word would draw the same
    mark at that place (Word's lowerLetter runs a b c d e …, not the Vietnamese
    a b c d đ e); other marks stay typed in the text.
    """
    plan = []
    dec = let = 0
    for mark, text in body:
        m = _MARK.match(mark + " ") if mark else None
        if m and m.group("dec") and int(m.group("dec")) == dec + 1:
            dec, let = dec + 1, 0
            plan.append((0, mark, text))
        elif m and m.group("let") and let < 26 and m.group("let") == _LETTERS[let]:
            let += 1
            plan.append((1, mark, text))
        elif m and m.group("bul"):
            plan.append((2, "-", text))
        else:
            plan.append((None, "", f"{mark} {text}" if mark else text))
    return plan


# --- docx -------------------------------------------------------------------------
_ABSTRACT_XML = (
    '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/>'
    '<w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/>'
    '<w:lvlJc w:val="left"/></w:lvl>'
    '</w:abstractNum>')
_NUM_XML = ('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:numId="{nid}"><w:abstractNumId w:val="{aid}"/></w:num>')


def _add_list_definition(document) -> int:
    """Add a 3-level list (1. / a) / -) to the numbering part; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    numbering = document.part.numbering_part.element
    aids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    nids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    aid, nid = max(aids, default=0) + 1, max(nids, default=0) + 1
    abstract = parse_xml(_ABSTRACT_XML.format(aid=aid))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(_NUM_XML.format(nid=nid, aid=aid)))
    return nid


def _set_numbering(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(nid)
    ppr.append(numpr)


def _fill_cell(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def make_docx(seed_txt_path, out_path) -> Path:
    """Seed → .docx: 2-column header table, automatic numbering, signature table."""
    import docx
    seed = seed_structure(seed_txt_path)
    document = docx.Document()
    num_id = _add_list_definition(document)
    header = document.add_table(rows=1, cols=2)
    _fill_cell(header.cell(0, 0), seed.left)
    _fill_cell(header.cell(0, 1), seed.right)
    for level, _mark, text in numbered_plan(seed.body):
        p = document.add_paragraph(text)
        if level is not None:
            _set_numbering(p, num_id, level)
    if seed.recipients or seed.signature:
        sign = document.add_table(rows=1, cols=2)
        _fill_cell(sign.cell(0, 0), seed.recipients)
        _fill_cell(sign.cell(0, 1), seed.signature)
    out = Path(out_path)
    document.save(str(out))
    return out


# --- pdf --------------------------------------------------------------------------
def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    out, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    return out


def make_pdf(seed_txt_path, out_path, number_field: bool = False, encrypt: str | None = None) -> Path:
    """Seed → text-layer PDF with the two header blocks side by side (DejaVu Sans).

    number_field: draw the document number as an AcroForm text field (like signed
    PDFs whose number the signing system stamps in); encrypt: a user password.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", DEJAVU))
    seed = seed_structure(seed_txt_path)
    out = Path(out_path)
    kwargs = {}
    if encrypt:
        from reportlab.lib import pdfencrypt
        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt, ownerPassword=encrypt + "-owner", strength=128)
    c = canvas.Canvas(str(out), pagesize=A4, **kwargs)
    width, height = A4
    size, lead = 11, 15
    c.setFont("DejaVu", size)
    # header: left block centred on x=150, right block centred on x=410, row by row
    y = height - 60
    rows = max(len(seed.left), len(seed.right))
    for k in range(rows):
        if k < len(seed.left):
            text = seed.left[k]
            m = re.match(r"^(Số:\s*)(\d+)(/.*)$", text)
            if number_field and m:
                x0 = 150 - pdfmetrics.stringWidth(m.group(1) + "0000" + m.group(3), "DejaVu", size) / 2
                c.drawString(x0, y, m.group(1))
                fx = x0 + pdfmetrics.stringWidth(m.group(1), "DejaVu", size)
                fw = pdfmetrics.stringWidth("0000", "DejaVu", size)
                c.acroForm.textfield(name="so_van_ban", value=m.group(2), x=fx, y=y - 3, width=fw,
                                     height=size + 4, fontName="Helvetica", fontSize=size,
                                     borderWidth=0, fillColor=None, borderColor=None)
                c.drawString(fx + fw, y, m.group(3))
            else:
                c.drawCentredString(150, y, text)
        if k < len(seed.right):
            c.drawCentredString(410, y, seed.right[k])
        y -= lead
    y -= lead
    text_width = width - 120
    for _level, mark, text in numbered_plan(seed.body):
        para = f"{mark} {text}" if mark else text
        for line in _wrap(para, "DejaVu", size, text_width):
            if y < 60:
                c.showPage()
                c.setFont("DejaVu", size)
                y = height - 60
            c.drawString(60, y, line)
            y -= lead
        y -= 4
    for line in seed.recipients + seed.signature:
        if y < 60:
            c.showPage()
            c.setFont("DejaVu", size)
            y = height - 60
        c.drawString(60, y, line)
        y -= lead
    c.save()
    return out
