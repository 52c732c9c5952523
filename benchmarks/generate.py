"""Generate a country-wide cascade of Vietnamese administrative documents, with ground truth.

    python benchmarks/generate.py --docs 10000 --seed 1 --out /tmp/nat
    python benchmarks/generate.py --docs 600 --seed 1 --out /tmp/nat --formats txt,docx,pdf --shares 0.6,0.3,0.1

Structure: a root (national) document — number, type, date, issuer, title and tasks taken from
the seeds and real documents (benchmarks/data/roots.json) — then for each of the 34 provinces
(cascade.registry) a province công văn implementing it, then for each of the province's
communes (cascade.registry, 3,321 in all) a commune công văn implementing the province's;
then the next root, until --docs documents. 1 + 34 + 3,321 = 3,356 documents per root.

A child's tasks come from its parent's by `mutate` (benchmarks/gen_mutations.py): kept,
reworded, narrowed/broadened, split, merged, dropped, weakened, added, reordered. Every
document has a real header (issuer, `Số:`, motto, place and date after the parent's, `V/v`,
`Kính gửi`), an opening citing the parent (`Thực hiện Công văn số … ngày … của UBND tỉnh …`),
numbered tasks, and a closing (`Nơi nhận`, authority lines, signer).

Output, under --out:
  docs/FMT/NNN/NNNNNN.FMT          one format per document (txt, docx, pdf), drawn with --shares;
                                   a folder per format so each can be ingested alone
  truth.jsonl                      one line per document (see `truth_row`)
  meta.json                        the arguments and counts

Same --seed → same corpus: byte-identical .txt and truth.jsonl; docx and pdf carry fixed
dates (zip entry times, core properties, reportlab invariant mode). Documents are generated
one root at a time (a root, its provinces, then their communes) and written as they come:
memory stays flat from a handful of documents to 100,000. .docx/.pdf writing goes to a
pool of --jobs processes.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import textwrap
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from cascade.models import Task  # noqa: E402

DATA = BENCH / "data"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
FORMATS = ("txt", "docx", "pdf")
FIXED_TIME = (2026, 1, 1, 0, 0, 0)          # zip entry times and document properties
PER_DIR = 1000                              # files per output folder

# gen_mutations kinds → the edit kinds of the ground truth
KIND_OF_OP = {"verbatim": "kept", "near-verbatim": "kept", "reworded": "reworded",
              "narrowed": "reworded", "broadened": "reworded", "split": "split",
              "merged": "merged", "dropped": "dropped"}


# ------------------------------------------------------------------------------ data
def load_words() -> dict:
    return json.loads((DATA / "generator.json").read_text(encoding="utf-8"))


def load_roots() -> list[dict]:
    return json.loads((DATA / "roots.json").read_text(encoding="utf-8"))["roots"]


def geography() -> list[tuple[object, list]]:
    """[(province, [communes])] for the 34 current provinces, from the registry."""
    from cascade import registry
    out = []
    for p in sorted(registry.provinces(current=True), key=lambda p: p.code):
        cs = sorted(registry.communes(p.name), key=lambda c: c.code)
        out.append((p, cs))
    return out


# --------------------------------------------------------------------------- the seam
def default_mutate() -> Callable:
    """`mutate(tasks, pool, rng) -> (child_tasks, truth)` from benchmarks/gen_mutations.py."""
    from gen_mutations import mutate
    return mutate


def edits_from_truth(truth: dict) -> list[dict]:
    """gen_mutations' truth → [{parent, child: [paths], kind, op, weakened}], one per parent task
    plus one per added child task. kind ∈ kept/reworded/dropped/merged/split/added/weakened."""
    children: dict[str, list[str]] = {}
    for p, c in truth["links"]:
        children.setdefault(p, []).append(c)
    edits = []
    for p, op in truth["kinds"].items():
        kind = KIND_OF_OP.get(op, op)
        weak = truth.get("weakened", {}).get(p, [])
        if weak and kind in ("kept", "reworded"):
            kind = "weakened"
        edits.append({"parent": p, "child": sorted(children.get(p, []), key=_path_key),
                      "kind": kind, "op": op, "weakened": weak})
    for c in truth.get("added", []):
        edits.append({"parent": None, "child": [c], "kind": "added", "op": "added", "weakened": []})
    return edits


def _path_key(p: str):
    return [int(x) if x.isdigit() else x for x in p.split(".")]


# ------------------------------------------------------------------------ small helpers
def vn_date(d: date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def short_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


def person(rng: random.Random, W: dict) -> str:
    n = W["names"]
    return f"{rng.choice(n['family'])} {rng.choice(n['middle'])} {rng.choice(n['given'])}"


def about(doc_type: str, title: str) -> str:
    """`về …` phrase quoting a document's title."""
    if title.startswith("về "):
        return title
    if doc_type == "công văn":
        return "về việc " + title
    return "về " + lower_first(title)


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


# ---------------------------------------------------------------------------- documents
class Generator:
    """Yields document specs (plain dicts) one root cascade at a time."""

    def __init__(self, docs: int, seed: int, mutate: Optional[Callable] = None):
        self.docs = docs
        self.seed = seed
        self.W = load_words()
        self.roots = load_roots()
        self.geo = geography()
        self.mutate = mutate or default_mutate()
        self.pool_by_root = [[t for j, r in enumerate(self.roots) if j != i for t in r["tasks"]]
                             for i in range(len(self.roots))]
        self.used_numbers: set[str] = set()

    def rng(self, *key) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, *key))))

    def __iter__(self) -> Iterator[dict]:
        seq = 0
        r = 0
        while seq < self.docs:
            root = self.root_spec(r)
            for spec in self.cascade(root, r):
                if seq >= self.docs:
                    return
                spec["seq"] = seq
                spec["id"] = f"{seq:06d}"
                yield spec
                seq += 1
            r += 1

    # -- root
    def root_spec(self, r: int) -> dict:
        W = self.W
        tpl = self.roots[r % len(self.roots)]
        rng = self.rng("root", r)
        d = date.fromisoformat(tpl["date"])
        number = tpl["number"]
        synthetic = r >= len(self.roots) or "{n}" in number
        if synthetic:
            if r >= len(self.roots):
                d = d + timedelta(days=rng.randint(-300, 120))
            while True:
                if tpl["kind"] == "party":       # 57-NQ/TW → NN-NQ/TW
                    number = f"{rng.randint(10, 99)}-{tpl['number'].split('-', 1)[1]}"
                else:                            # 4552/BCA-C04 → NNNN/BCA-C04
                    number = f"{rng.randint(100, 9999)}/{tpl['number'].split('/', 1)[1]}"
                if number not in self.used_numbers:
                    break
        self.used_numbers.add(number)
        tasks = [Task(path=str(i), text=t, marker=f"{i}.") for i, t in enumerate(tpl["tasks"], 1)]
        party = tpl["kind"] == "party"
        spec = {
            "level": "central", "template": tpl["id"], "synthetic": synthetic,
            "type": tpl["type"], "number": number, "date": d.isoformat(), "place": tpl["place"],
            "issuer": tpl["issuer"], "issuer_lines": list(tpl["header"]),
            "province": None, "commune": None, "title": tpl["title"],
            "subject": None if tpl["type"] != "công văn" else "V/v " + tpl["title"],
            "heading": W["headings"].get(tpl["type"]),
            "heading_sub": W["party_heading_sub"] if party else None,
            "party": party,
            "recipients": [] if party or tpl["type"] != "công văn" else list(W["root"]["recipients"]),
            "opening": (W["root"]["opening_party"] if party else
                        W["root"]["opening_plan" if tpl["type"] == "kế hoạch" else "opening_state"]
                        .format(issuer=tpl["issuer"])),
            "tasks": tasks,
            "closing": None if party else W["root"]["closing"].format(issuer=tpl["issuer"]),
            "distribution": list(W["root"]["party_distribution" if party else "distribution"]),
            "authority": list(tpl["signer"]),
            "signer": W["party_signer"] if party else person(rng, W),
            "parent": None, "parent_number": None, "root": None, "edits": [],
            "root_index": r,
        }
        return spec

    # -- one root's cascade
    def cascade(self, root: dict, r: int) -> Iterator[dict]:
        yield root
        root_id_holder = root      # its id is assigned by __iter__ before provinces are made
        provinces = []
        for p, communes in self.geo:
            spec = self.province_spec(root_id_holder, p, r)
            provinces.append((spec, communes))
            yield spec
        for pspec, communes in provinces:
            for c in communes:
                yield self.commune_spec(pspec, c, r)

    def _children_tasks(self, parent_tasks: list[Task], rng: random.Random, r: int):
        pool = self.pool_by_root[r % len(self.roots)]
        tasks, truth = self.mutate(parent_tasks, pool, rng)
        return tasks, edits_from_truth(truth)

    def province_spec(self, root: dict, p, r: int) -> dict:
        W, P = self.W, self.W["province"]
        rng = self.rng("province", r, p.code)
        # the 34 provinces and their communes exist from 1 July 2025: a province answers an older
        # root (57-NQ/TW of 2024) only after that
        start = max(date.fromisoformat(root["date"]), date.fromisoformat(W["two_level_from"]))
        d = start + timedelta(days=rng.randint(3, 25))
        unit = rng.choice(W["province_units"])
        n = 1 + r * 400 + rng.randint(0, 399)
        number = f"{n:02d}/UBND-{unit}"
        kind_word = "thành phố" if p.kind == "thành phố" else "tỉnh"
        ptype = W["type_names"][root["type"]]
        fmt = dict(ptype=ptype, pnum=root["number"], pdate=short_date(date.fromisoformat(root["date"])),
                   pissuer=root["issuer"], pabout=about(root["type"], root["title"]), unit=unit)
        tasks, edits = self._children_tasks(root["tasks"], rng, r)
        subject = P["subject"].format(**fmt)
        opening = rng.choice(P["openings"]).format(**fmt)
        if kind_word != "tỉnh":
            opening = opening.replace("nhân dân tỉnh", "nhân dân thành phố").replace("địa bàn tỉnh", "địa bàn thành phố")
        return {
            "level": "province", "type": "công văn", "number": number, "date": d.isoformat(),
            "place": P["city_place"].get(p.name, p.name),
            "issuer": f"Ủy ban nhân dân {kind_word} {p.name}",
            "issuer_lines": [W["committee"], f"{kind_word} {p.name}".upper()],
            "province": p.name, "province_kind": kind_word, "commune": None,
            "title": subject[4:], "subject": subject, "heading": None, "heading_sub": None,
            "party": False,
            "recipients": list(rng.choice(P["recipients"])),
            "opening": opening, "tasks": tasks,
            "closing": P["closing"] if kind_word == "tỉnh" else P["closing"].replace("nhân dân tỉnh", "nhân dân thành phố"),
            "distribution": [x.format(**fmt) for x in P["distribution"]],
            "authority": list(rng.choice(P["signers"])), "signer": person(rng, W),
            "parent_spec": root, "parent_number": root["number"], "edits": edits,
            "unit": unit, "root_index": r,
        }

    def commune_spec(self, pspec: dict, c, r: int) -> dict:
        W, C = self.W, self.W["commune"]
        rng = self.rng("commune", r, c.code)
        pdate = date.fromisoformat(pspec["date"])
        d = pdate + timedelta(days=rng.randint(2, 20))
        unit = rng.choice(W["commune_units"])
        n = 1 + r * 40 + rng.randint(0, 39)
        number = f"{n:02d}/UBND-{unit}"
        ukind = c.unit
        fmt = dict(pnum=pspec["number"], pdate=short_date(pdate),
                   pkind=pspec["province_kind"], pname=pspec["province"],
                   pabout_bare=pspec["subject"][4:], ukind=ukind, unit=unit)
        fmt["pissuer"] = rng.choice(C["parent_issuer"]).format(**fmt)
        tasks, edits = self._children_tasks(pspec["tasks"], rng, r)
        return {
            "level": "commune", "type": "công văn", "number": number, "date": d.isoformat(),
            "place": c.name,
            "issuer": f"Ủy ban nhân dân {ukind} {c.name}",
            "issuer_lines": [W["committee"], f"{ukind} {c.name}".upper()],
            "province": pspec["province"], "commune": c.name, "commune_kind": ukind,
            "title": C["subject"].format(**fmt)[4:], "subject": C["subject"].format(**fmt),
            "heading": None, "heading_sub": None, "party": False,
            "recipients": [x.format(**fmt) for x in rng.choice(C["recipients"])],
            "opening": rng.choice(C["openings"]).format(**fmt), "tasks": tasks,
            "closing": C["closing"].format(**fmt),
            "distribution": [x.format(**fmt) for x in C["distribution"]],
            "authority": list(rng.choice(C["signers"])), "signer": person(rng, W),
            "parent_spec": pspec, "parent_number": pspec["number"], "edits": edits,
            "unit": unit, "root_index": r,
        }


# ------------------------------------------------------------------------------ layout
def blocks(spec: dict, W: dict) -> dict:
    """The parts of a document, shared by every writer."""
    d = date.fromisoformat(spec["date"])
    left = list(spec["issuer_lines"])
    if spec["party"]:
        left.append(f"Số {spec['number']}")
        right = list(W["party_motto"]) + [f"{spec['place']}, {vn_date(d)}"]
    else:
        left.append(f"Số: {spec['number']}")
        right = list(W["motto"]) + [f"{spec['place']}, {vn_date(d)}"]
    subject = wrap(spec["subject"], 34) if spec.get("subject") else []
    title = []
    if spec.get("heading"):
        title = [spec["heading"]] + ([spec["heading_sub"]] if spec.get("heading_sub") else []) + [spec["title"]]
    return {"left": left, "right": right, "subject": subject, "title": title,
            "recipients": spec["recipients"], "opening": spec["opening"],
            "tasks": [(t.marker or f"{t.path}.", t.text) for t in spec["tasks"]],
            "closing": spec.get("closing"),
            "distribution": spec["distribution"], "authority": spec["authority"],
            "signer": spec["signer"]}


def _recipient_lines(recipients: list[str]) -> list[str]:
    if not recipients:
        return []
    if len(recipients) == 1:
        return [f"Kính gửi: {recipients[0]}."]
    out = ["Kính gửi:"]
    for i, r in enumerate(recipients):
        out.append(f"- {r}{'.' if i == len(recipients) - 1 else ';'}")
    return out


def _distribution_lines(dist: list[str]) -> list[str]:
    return ["Nơi nhận:"] + [f"- {x}{'.' if i == len(dist) - 1 else ';'}" for i, x in enumerate(dist)]


def render_txt(spec: dict, W: dict) -> str:
    b = blocks(spec, W)
    out: list[str] = []
    out += b["left"][:-1] + [""]
    out += b["right"][:-1] + [""]
    out += [b["left"][-1], ""]
    out += [b["right"][-1], ""]
    if b["subject"]:
        out += b["subject"] + [""]
    if b["title"]:
        out += b["title"] + [""]
    rl = _recipient_lines(b["recipients"])
    if rl:
        out += rl + [""]
    out += [b["opening"], ""]
    for mark, text in b["tasks"]:
        out += [f"{mark} {text}", ""]
    if b["closing"]:
        out += [b["closing"], ""]
    out += _distribution_lines(b["distribution"]) + [""]
    out += b["authority"] + ["", b["signer"], ""]
    return "\n".join(out)


def write_txt(spec: dict, W: dict, path: Path) -> None:
    path.write_bytes(render_txt(spec, W).encode("utf-8"))


# ---------------------------------------------------------------------------------- docx
def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times, so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_docx(spec: dict, W: dict, path: Path, numbering: bool) -> None:
    """Header as a borderless 2-column table (issuer | motto), tasks as numbered paragraphs
    (Word automatic numbering, style 'List Number', when `numbering`), closing as a 2-column table."""
    import datetime as dt
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    b = blocks(spec, W)
    doc = Document()
    cp = doc.core_properties
    cp.created = cp.modified = dt.datetime(*FIXED_TIME)
    cp.last_printed = dt.datetime(*FIXED_TIME)
    cp.author = cp.last_modified_by = "cascade-bench"
    cp.revision = 1
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(13)

    def cell_lines(cell, lines, bold_upto=0):
        cell.paragraphs[0].text = ""
        for i, ln in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(ln)
            run.bold = i < bold_upto

    t = doc.add_table(rows=1, cols=2)
    cell_lines(t.cell(0, 0), b["left"] + b["subject"], bold_upto=len(b["left"]) - 1)
    cell_lines(t.cell(0, 1), b["right"], bold_upto=2)
    for i, ln in enumerate(b["title"]):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(ln).bold = True
    rl = _recipient_lines(b["recipients"])
    for ln in rl:
        doc.add_paragraph(ln)
    doc.add_paragraph(b["opening"])
    for mark, text in b["tasks"]:
        if numbering:
            doc.add_paragraph(text, style="List Number")
        else:
            doc.add_paragraph(f"{mark} {text}")
    if b["closing"]:
        doc.add_paragraph(b["closing"])
    t2 = doc.add_table(rows=1, cols=2)
    dl = _distribution_lines(b["distribution"])
    c0 = t2.cell(0, 0)
    c0.paragraphs[0].text = ""
    for i, ln in enumerate(dl):
        p = c0.paragraphs[0] if i == 0 else c0.add_paragraph()
        p.add_run(ln).bold = i == 0
    cell_lines(t2.cell(0, 1), b["authority"] + ["", "", b["signer"]], bold_upto=len(b["authority"]) + 3)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_zip(buf.getvalue()))


# ----------------------------------------------------------------------------------- pdf
_FONTS_READY = False


def _register_fonts():
    global _FONTS_READY
    if not _FONTS_READY:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONT_BOLD))
        _FONTS_READY = True


def write_pdf(spec: dict, W: dict, path: Path) -> None:
    """A text PDF (reportlab, DejaVu Sans): two-column header, wrapped body, closing in two columns."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    _register_fonts()
    b = blocks(spec, W)
    width, height = A4
    margin_l, margin_r, margin_t, margin_b = 85, 57, 57, 57
    size, lead = 11, 15
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    c.setCreator("cascade-bench")
    c.setAuthor("cascade-bench")
    c.setTitle(spec["number"])
    y = height - margin_t

    def column(lines, x_center, y0, bold_upto=0):
        yy = y0
        for i, ln in enumerate(lines):
            font = "DejaVu-Bold" if i < bold_upto else "DejaVu"
            c.setFont(font, size - 1)
            c.drawCentredString(x_center, yy, ln)
            yy -= lead
        return yy

    left_x = margin_l + 105
    right_x = width - margin_r - 130
    y_left = column(b["left"] + b["subject"], left_x, y, bold_upto=len(b["left"]) - 1)
    y_right = column(b["right"], right_x, y, bold_upto=2)
    y = min(y_left, y_right) - lead

    def newpage_if(need, font="DejaVu"):
        nonlocal y
        if y - need < margin_b:
            c.showPage()           # resets the graphics state: set the font again
            c.setFont(font, size)
            y = height - margin_t

    for ln in b["title"]:
        newpage_if(lead, "DejaVu-Bold")
        c.setFont("DejaVu-Bold", size)
        c.drawCentredString(width / 2, y, ln)
        y -= lead
    if b["title"]:
        y -= lead / 2

    def para(text, indent=28, font="DejaVu"):
        nonlocal y
        avail = width - margin_l - margin_r
        lines = simpleSplit(text, font, size, avail - indent)
        # first line indented, next lines full width
        first, rest = (lines[0], " ".join(lines[1:])) if lines else ("", "")
        c.setFont(font, size)
        newpage_if(lead, font)
        c.drawString(margin_l + indent, y, first)
        y -= lead
        for ln in simpleSplit(rest, font, size, avail) if rest else []:
            newpage_if(lead, font)
            c.drawString(margin_l, y, ln)
            y -= lead
        y -= 3

    for ln in _recipient_lines(b["recipients"]):
        para(ln, indent=110 if ln.startswith("Kính") else 130)
    for mark, text in [(None, b["opening"])] + list(b["tasks"]):
        para(text if mark is None else f"{mark} {text}")
    if b["closing"]:
        para(b["closing"])
    dl = _distribution_lines(b["distribution"])
    sig = b["authority"] + ["", "", "", b["signer"]]
    newpage_if(lead * max(len(dl), len(sig)))
    y0 = y - lead / 2
    yy = y0
    for i, ln in enumerate(dl):
        c.setFont("DejaVu-Bold" if i == 0 else "DejaVu", size - 2)
        c.drawString(margin_l, yy, ln)
        yy -= lead - 2
    column(sig, right_x, y0, bold_upto=len(b["authority"]) + 4)
    c.showPage()
    c.save()


# ------------------------------------------------------------------------------- truth
def truth_row(spec: dict, rel: str, fmt: str, numbering: bool) -> dict:
    parent = spec.get("parent_spec")
    root = spec
    while root.get("parent_spec"):
        root = root["parent_spec"]
    return {
        "id": spec["id"], "file": rel, "format": fmt, "level": spec["level"], "type": spec["type"],
        "number": spec["number"], "date": spec["date"], "place": spec["place"],
        "issuer": spec["issuer"], "province": spec["province"], "commune": spec.get("commune"),
        "parent": parent["id"] if parent else None,
        "parent_number": spec.get("parent_number"),
        "parent_date": parent["date"] if parent else None,
        "root": root["id"], "root_number": root["number"], "synthetic_root": root.get("synthetic", False),
        "tasks": [t.path for t in spec["tasks"]],
        "edits": spec["edits"],
        "word_numbering": numbering if fmt == "docx" else None,
    }


def _write_job(args) -> str:
    spec, fmt, path, numbering = args
    W = _W_CACHE()
    if fmt == "docx":
        write_docx(spec, W, Path(path), numbering)
    else:
        write_pdf(spec, W, Path(path))
    return path


_W = None


def _W_CACHE():
    global _W
    if _W is None:
        _W = load_words()
    return _W


def _slim(spec: dict) -> dict:
    """What a writer needs (no parent chain: keeps pickles small)."""
    return {k: v for k, v in spec.items() if k != "parent_spec"}


def generate(docs: int, seed: int, out: Path, formats=("txt",), shares=None, jobs: int = 2,
             docx_numbering_share: float = 0.5, progress: bool = False,
             mutate: Optional[Callable] = None) -> dict:
    out = Path(out)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    formats = tuple(formats)
    for f in formats:
        if f not in FORMATS:
            raise SystemExit(f"generate: unknown format {f!r} (valid: {', '.join(FORMATS)})")
    if shares is None:
        shares = [1 / len(formats)] * len(formats)
    if len(shares) != len(formats):
        raise SystemExit("generate: --shares needs one share per format")
    W = load_words()
    gen = Generator(docs, seed, mutate)
    counts = {"levels": {}, "formats": {}, "edits": {}}
    t0 = time.time()
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 and set(formats) - {"txt"} else None
    pending = []
    made_dirs = set()
    with open(out / "truth.jsonl", "w", encoding="utf-8") as truth:
        for spec in gen:
            rng = gen.rng("format", spec["id"])
            fmt = rng.choices(formats, shares)[0] if len(formats) > 1 else formats[0]
            numbering = fmt == "docx" and rng.random() < docx_numbering_share
            sub = f"{fmt}/{spec['seq'] // PER_DIR:03d}"
            if sub not in made_dirs:
                (out / "docs" / sub).mkdir(parents=True, exist_ok=True)
                made_dirs.add(sub)
            rel = f"docs/{sub}/{spec['id']}.{fmt}"
            path = out / rel
            if fmt == "txt":
                write_txt(spec, W, path)
            elif pool is None:
                _write_job((_slim(spec), fmt, str(path), numbering))
            else:
                pending.append(pool.submit(_write_job, (_slim(spec), fmt, str(path), numbering)))
                if len(pending) >= 64:
                    for f in pending[:32]:
                        f.result()
                    pending = pending[32:]
            truth.write(json.dumps(truth_row(spec, rel, fmt, numbering), ensure_ascii=False) + "\n")
            counts["levels"][spec["level"]] = counts["levels"].get(spec["level"], 0) + 1
            counts["formats"][fmt] = counts["formats"].get(fmt, 0) + 1
            for e in spec["edits"]:
                counts["edits"][e["kind"]] = counts["edits"].get(e["kind"], 0) + 1
            if progress and (spec["seq"] + 1) % 1000 == 0:
                print(f"  {spec['seq'] + 1} documents, {time.time() - t0:.1f} s", file=sys.stderr)
    for f in pending:
        f.result()
    if pool:
        pool.shutdown()
    meta = {"docs": docs, "seed": seed, "formats": list(formats), "shares": list(shares),
            "roots_per_cascade": 1 + len(gen.geo) + sum(len(c) for _, c in gen.geo),
            "counts": counts, "seconds": round(time.time() - t0, 2)}
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def read_truth(out: Path) -> Iterator[dict]:
    with open(Path(out) / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, required=True, help="number of documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--formats", default="txt", help="comma-separated: txt,docx,pdf")
    ap.add_argument("--shares", default=None, help="comma-separated shares, one per format")
    ap.add_argument("--jobs", type=int, default=2, help="processes writing .docx/.pdf")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.docs < 1:
        ap.error("--docs must be at least 1")
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    shares = [float(x) for x in a.shares.split(",")] if a.shares else None
    meta = generate(a.docs, a.seed, a.out, formats, shares, a.jobs, progress=not a.quiet)
    if not a.quiet:
        print(f"wrote {a.docs} documents to {a.out} in {meta['seconds']} s: "
              f"{meta['counts']['levels']} {meta['counts']['formats']}")


if __name__ == "__main__":
    main()
