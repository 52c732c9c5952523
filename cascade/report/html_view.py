"""The annotated view of parsed documents (`cascade parse --html`), one self-contained HTML page.

The document's text is emitted exactly as it stands in `Record.text` (every space and line
break kept, `white-space: pre-wrap`), cut only where a span starts or ends: each piece is a
`<span>` whose classes say which spans cover it (number, date, issuer, title, citation by
relation, task, assignee, deadline, signer). The labels shown at the start of a span come from
a CSS `::before` of an empty marker element, so the page's text content is the document's text,
unchanged. Labels are Vietnamese by default (`lang="en"` for English) and explained in a legend;
every string from a document, its file name included, is HTML-escaped.

`fragment(rec)` is the same view without the page around it; the cascade report embeds it.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from cascade.report.html_labels import labels

# drawing order: a later label is drawn over an earlier one where they overlap
LABELS = ("TASK", "TITLE", "ISSUER", "SIGNER", "DATE", "NUMBER", "ASSIGNEE", "DEADLINE", "CITATION")
RELATIONS = ("implements", "responds", "guides", "amends", "replaces", "repeals", "basis", "mentions")

CSS = """
.cv-doc{font:15px/1.55 "Noto Serif","DejaVu Serif",Georgia,serif;white-space:pre-wrap;
  overflow-wrap:anywhere;background:#fff;border:1px solid #ddd;padding:1.2em 1.4em;margin:0 0 1.5em;max-width:60em}
.cv-doc .a{border-radius:2px}
.cv-doc .tg{font:600 10px/1 system-ui,sans-serif;color:#333;background:#fff;border:1px solid #999;
  border-radius:3px;padding:1px 3px;margin-right:2px;vertical-align:2px;white-space:nowrap;user-select:none}
.cv-doc .tg::before{content:attr(data-t)}
.cv .TASK{background:#f1f1f1}
.cv .TITLE{background:#fff3c4;font-weight:600}
.cv .ISSUER{background:#b3e5fc}
.cv .SIGNER{background:#cfd8dc}
.cv .DATE{background:#c5e1a5}
.cv .NUMBER{background:#e1bee7}
.cv .ASSIGNEE{background:#ffccbc}
.cv .DEADLINE{background:#f8bbd0}
.cv .CITATION{background:#ffe082}
.cv .CITATION.r-implements{background:#ffb74d;box-shadow:inset 0 -2px #e65100}
.cv .CITATION.r-basis{background:#d7ccc8}
.cv .CITATION.r-responds{background:#80cbc4}
.cv .CITATION.r-mentions{background:#fff59d}
.cv-legend{font:13px system-ui,sans-serif;margin:.4em 0 1em;display:flex;flex-wrap:wrap;gap:.3em .8em}
.cv-legend span{padding:1px 6px;border-radius:3px}
"""


def _find_loose(text: str, value: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Where `value` stands in `text`, allowing any run of whitespace (a line break) between words."""
    words = (value or "").split()
    if not words:
        return None
    m = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE).search(text, start, len(text) if end is None else end)
    return (m.start(), m.end()) if m else None


_DATE_LINE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}|ngày\s*…*\s*tháng\s*\d{1,2}\s*năm\s*\d{4}",
                        re.IGNORECASE)


def spans(rec) -> list[tuple[int, int, str, str]]:
    """(start, end, label, detail) of what the parser found, as offsets in rec.text.

    detail is the citation's relation for CITATION and the task's path for TASK, else "".
    """
    text = rec.text
    out: list[tuple[int, int, str, str]] = []
    for c in rec.citations:
        for s, e in [(c.start, c.end)] + [tuple(o) for o in c.occurrences]:
            out.append((s, e, "CITATION", c.relation if c.relation in RELATIONS else "mentions"))
    for t in rec.tasks:
        out.append((t.start, t.end, "TASK", t.path))
        for label, value in (("ASSIGNEE", t.assignee), ("DEADLINE", t.deadline)):
            for part in (value or "").split("; "):
                hit = _find_loose(text, part, t.start, t.end)
                if hit:
                    out.append((*hit, label, ""))
    head_end = min(len(text), 3000)
    first_task = min((t.start for t in rec.tasks), default=len(text))
    for label, value, lo, hi in (("NUMBER", rec.number, 0, head_end), ("ISSUER", rec.issuer.name, 0, head_end),
                                 ("TITLE", rec.title or rec.subject, 0, max(head_end, first_task)),
                                 ("SIGNER", rec.signer.name, first_task if first_task < len(text) else 0, len(text))):
        hit = _find_loose(text, value, lo, hi) if value else None
        if hit:
            out.append((*hit, label, ""))
    if rec.date:
        m = _DATE_LINE.search(text, 0, head_end)
        if m:
            out.append((m.start(), m.end(), "DATE", ""))
    return [s for s in out if 0 <= s[0] < s[1] <= len(text)]


def fragment(rec, lang: str = "vi") -> str:
    """The document's text as HTML: `<div class="cv-doc">` with the spans marked."""
    L = labels(lang)
    text = rec.text
    sp = spans(rec)
    cuts = sorted({0, len(text), *(s for s, _, _, _ in sp), *(e for _, e, _, _ in sp)})
    starts: dict[int, list[tuple[str, str, int]]] = {}
    for s, e, label, detail in sp:
        starts.setdefault(s, []).append((label, detail, e))
    out = ['<div class="cv cv-doc" lang="vi">']
    for a, b in zip(cuts, cuts[1:]):
        for label, detail, e in sorted(starts.get(a, ()), key=lambda x: -x[2]):
            tag = L[f"span.{label}"]
            if label == "TASK":
                tag = f"{tag} {detail}"
            elif label == "CITATION":
                tag = L.get(f"rel.{detail}", detail)
            out.append(f'<span class="tg" data-t="{escape(tag)}"></span>')
        cover = [(label, detail) for s, e, label, detail in sp if s <= a and b <= e]
        piece = escape(text[a:b], quote=False)
        if not cover:
            out.append(piece)
            continue
        names = sorted({label for label, _ in cover}, key=LABELS.index)
        rels = sorted({f"r-{d}" for label, d in cover if label == "CITATION"})
        out.append(f'<span class="a {" ".join(names + rels)}">{piece}</span>')
    out.append("</div>")
    return "".join(out)


def legend(lang: str = "vi") -> str:
    L = labels(lang)
    items = [f'<span class="{lab}">{escape(L[f"span.{lab}"])}</span>' for lab in LABELS if lab != "CITATION"]
    items += [f'<span class="CITATION r-{r}">{escape(L["span.CITATION"])}: {escape(L[f"rel.{r}"])}</span>'
              for r in ("implements", "basis", "responds", "mentions")]
    return f'<div class="cv cv-legend"><b>{escape(L["view.legend"])}:</b> {"".join(items)}</div>'


def _page_title(records, L) -> str:
    if len(records) == 1:
        r = records[0]
        return " ".join(x for x in (r.number, r.title or r.subject) if x) or Path(r.source).name
    return L["view.documents"].format(n=len(records))


def render_html(records, lang: str = "vi") -> str:
    """One page with every record's annotated view, a legend and the title as page title."""
    L = labels(lang)
    body = []
    for r in records:
        head = " · ".join(escape(x) for x in (r.number, r.doc_type, r.date) if x)
        body.append(f'<h2>{escape(r.title or r.subject or Path(r.source).name)}</h2>'
                    f'<p class="cv-meta">{escape(L["view.file"])}: <code>{escape(Path(r.source).name)}</code>'
                    f'{" · " + head if head else ""}</p>{fragment(r, lang)}')
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<title>{escape(_page_title(records, L))}</title><style>'
            f'body{{font-family:system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}}'
            f'h2{{font-size:1.15em;margin:.2em 0}} .cv-meta{{color:#555;margin:.2em 0 .6em}}{CSS}</style>'
            f'</head><body>{legend(lang)}{"".join(body)}</body></html>')
