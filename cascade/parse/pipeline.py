"""The parse pipeline: load → legacy fonts → normalise → segment → extract; one file in, one Record out.

`parse_file` never raises for bad input; `parse_text` starts at normalise.
"""
from __future__ import annotations

import re
from pathlib import Path

from cascade import registry
from cascade.files import sha256_file
from cascade.models import CONSOLIDATES, Record, STATUS_OK, LoadedText
from cascade.parse import citations as cites
from cascade.parse import extract, furniture, legacy, lexicon
from cascade.parse.load import load
from cascade.text import clean, fold
from cascade.parse.segment import Layout, segment, NUMBER_LINE, VV_LINE
from cascade.parse.task_kinds import assign_kinds, inline_assignee
from cascade.parse.tasks import assignee, build_tasks, deadline, read_mark


def parse_file(path, ocr: bool = False, sha256: str | None = None) -> Record:
    """One file → its Record. `sha256`: the file's hash when the caller has it already (ingest
    hashes every file to plan its work), so the file is not read a second time to hash it."""
    path = Path(path)
    loaded = load(path, ocr=ocr)
    # a text file's loader hashed the bytes it read: the file is not read a second time
    digest = sha256 if sha256 is not None else loaded.extras.get("sha256")
    if digest is None:
        try:
            digest = sha256_file(path)
        except OSError:
            digest = ""
    rec = parse_loaded(loaded)
    rec.sha256 = digest
    return rec


def parse_loaded(loaded: LoadedText) -> Record:
    if loaded.status != STATUS_OK:
        return Record(source=str(loaded.path), format=loaded.format, status=loaded.status,
                      error=loaded.error, text_source=loaded.text_source, warnings=list(loaded.warnings))
    # None: guess from the lines; web pages and RTF have real paragraphs
    wrapped = {"pdf": True, "docx": False, "html": False, "rtf": False}.get(loaded.format)
    # typed in a legacy 8-bit font (TCVN3, VNI): converted before clean() merges its marks
    text, encoding = legacy.fix(loaded.text, font_hint=loaded.extras.get("fonts"))
    rec = parse_text(text, source=str(loaded.path), format=loaded.format,
                     markdown=loaded.format in ("md", "txt"), wrapped=wrapped)
    rec.text_source = loaded.text_source
    rec.warnings.extend(loaded.warnings)
    if encoding != legacy.UNICODE:
        rec.warnings.append(f"converted from the legacy {encoding.upper()} font encoding")
    known = {st.text for st in rec.stamps}
    for line in loaded.extras.get("stamps", []):       # widget stamps the PDF loader kept out of the text
        st = furniture.read_stamp(line)
        if st.text not in known:
            rec.stamps.append(st)
    return rec


def parse_text(text: str, source: str = "<text>", format: str = "txt", markdown: bool = True,
               wrapped: bool | None = None) -> Record:
    text = clean(text, markdown=markdown)
    layout = segment(text, wrapped=wrapped)
    rec = Record(source=source, format=format, text=layout.text)
    header = [ln for ln, _ in layout.header_lines]

    rec.number, rec.symbol = extract.number_and_symbol(header)
    rec.date, rec.place = extract.date_and_place(header)
    if layout.end_header:             # a consolidated text: its own number and date stand at its end
        rec.number, rec.symbol = extract.number_and_symbol(layout.end_header)
        date, place = extract.date_and_place(layout.end_header)
        rec.date, rec.place = date or rec.date, place or rec.place
    rec.key = cites.make_key(rec.number) if rec.number else None
    furn = layout.furniture
    rec.stamps = list(furn.stamps)
    if furn.gazette_issue:
        rec.gazette = f"{furn.gazette_issue}/{furn.gazette_date}"
    if layout.moved_preamble:
        rec.warnings.append("header block found below the opening lines (text layer out of order)")
    rec.subject = extract.subject(header)
    rec.title = layout.title[0] if layout.title else None
    if not rec.subject and rec.title and rec.title.startswith(("V/v", "V/V", "v/v")):
        rec.subject = extract.subject([rec.title])     # "THÔNG BÁO" over "V/v …"
    rec.doc_type = extract.doc_type(layout, rec.symbol)
    rec.issuer = extract.issuer(layout)
    rec.recipients = extract.recipients(layout)
    rec.distribution, rec.signer = extract.closing(layout)

    rec.citations = [c for c in _citations(layout) if not (rec.key and c.key == rec.key)]   # never itself
    if rec.doc_type in lexicon.TYPES_OVER_HEADING:
        _mark_consolidated(rec, layout)
        # its own issuer is the consolidating body its symbol names (26/VBHN-NHNN, 07/VBHN-VPQH);
        # the header of an older consolidated text is the consolidated document's
        if layout.end_header or not (rec.issuer.level or rec.issuer.unit) or rec.issuer.inferred:
            rec.issuer = extract.issuer_from_symbol(rec.symbol) or rec.issuer
    rec.tasks = build_tasks(layout.body)
    for t in rec.tasks:
        # a plan item's field lines (build_tasks) come first
        t.assignee = t.assignee or assignee(t.text) or inline_assignee(t.text)
        t.deadline = t.deadline or deadline(t.text)
        t.citations = [i for i, c in enumerate(rec.citations)
                       if any(t.start <= s < t.end for s, _ in [(c.start, c.end), *c.occurrences])]
    assign_kinds(rec.tasks, layout.body, rec.doc_type)
    return rec


def _citations(layout: Layout):
    text = layout.text
    own = [span for ln, span in layout.header_lines if NUMBER_LINE.match(ln)]
    found = [c for c in cites.find_citations(text)
             if not any(c.start < e and s < c.end for s, e in own)]
    merged = cites.merge_citations(found)
    for c in merged:
        c.issuer = canonical_issuer(c.issuer)
    cites.assign_relations(merged, layout.text, relation_zones(layout))
    return merged


def _mark_consolidated(rec: Record, layout: Layout) -> None:
    """A consolidated text opens with the document it consolidates (`Thông tư số
    12/2016/TT-BTC ngày … được sửa đổi, bổ sung bởi: …`): the first citation of the
    heading's type in the first body paragraphs gets the consolidated relation."""
    base = extract.heading_type(layout.heading[0]) if layout.heading else None
    opening = [span for _, span in layout.body[:3]]
    for c in rec.citations:
        if (c.type == base or base is None) and c.key and any(a <= c.start < b for a, b in opening):
            c.relation = CONSOLIDATES
            return


OPENING_PARAGRAPHS = 4      # how far into the body an opening clause may stand
SUBJECT_MAX = 300           # characters of a subject or title read for the relation of a citation in it


_PROVINCE_TAIL = re.compile(r"\b(tỉnh|thành phố|TP\.?)\s+(\S.*)$")


def canonical_issuer(issuer: str | None) -> str | None:
    """A province named in a citation's issuer in its registry spelling:
    `UBND tỉnh Quảng ninh` → `UBND tỉnh Quảng Ninh`."""
    if not issuer:
        return issuer
    m = _PROVINCE_TAIL.search(issuer)
    if m:
        prov = registry.province(m.group(2))
        if prov is not None and fold(prov.name) == fold(m.group(2)):
            return issuer[:m.start(2)] + prov.name
    return issuer


def relation_zones(layout: Layout) -> cites.Zones:
    """Where citations' wording is read for their relation: the subject and title, the opening
    (body paragraphs before the first numbered item: a run of `Căn cứ` lines may be long, as in a
    Quyết định; at most OPENING_PARAGRAPHS that open with no trigger phrase), and the legal-basis
    sections of a submission (`1. Sự cần thiết và căn cứ pháp lý`)."""
    # a subject runs a line or two; a longer one swallowed body text the segmenter could not
    # tell apart, where the subject's words must not decide relations
    zones = cites.Zones(subject=[(a, min(b, a + SUBJECT_MAX)) for a, b in subject_spans(layout)],
                        paragraphs=[span for _, span in layout.header_lines + layout.body + layout.closing_lines])
    if layout.title:
        zones.paragraphs.append(layout.title[1])
    plain = 0
    for para, span in layout.body:
        if read_mark(para):
            break
        if not lexicon.IMPLEMENT_OPENER_RE.match(para):
            plain += 1
            if plain > OPENING_PARAGRAPHS:
                break
        zones.opening.append(span)
    items = []
    for para, span in layout.body:
        m = read_mark(para)
        kind = None if m is None else (f"bullet{m.value}" if m.kind.startswith("bullet") else m.kind)
        cap = _CAPITAL_MARK.match(para) if m is None else None
        if cap:          # "A. SỰ CẦN THIẾT VÀ CƠ SỞ PHÁP LÝ": a Tờ trình's top sections, above the roman ones
            kind = "capital"
        items.append((span, kind, para[cap.end():] if cap else (para[m.text_start:] if m else para)))
    zones.basis = cites.basis_sections(items)
    return zones


_CAPITAL_MARK = re.compile(r"[A-ZĐ][.)]\s+(?=\S)")


def subject_spans(layout: Layout) -> list[tuple[int, int]]:
    spans = [span for ln, span in layout.header_lines if VV_LINE.match(ln)]
    if layout.title:
        spans.append(layout.title[1])
    return spans
