"""spaCy in cascade: Vietnamese word segmentation and span annotation.

spaCy's `vi` language segments words with pyvi (`khoa học` is one word, not two),
which task comparison uses; the extracted fields of a Record are carried on a
spaCy `Doc` as spans (`doc.spans["cascade"]`) by a small pipeline component, and
displaCy renders them for `cascade parse --html`.

Loading spaCy + pyvi costs ~2.5 s, so nothing here is imported until first used,
and only the commands that need it pay for it.
"""
from __future__ import annotations

from functools import lru_cache

SPANS_KEY = "cascade"
COLORS = {"CITATION": "#ffd54f", "DATE": "#aed581", "ISSUER": "#81d4fa", "NUMBER": "#ce93d8",
          "TASK": "#e0e0e0", "ASSIGNEE": "#ffab91", "DEADLINE": "#f48fb1", "SIGNER": "#b0bec5"}


@lru_cache(maxsize=2)
def nlp(use_pyvi: bool = True):
    import spacy
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": use_pyvi}}})


def words(text: str) -> list[str]:
    """Vietnamese words (pyvi segmentation), lower-cased, punctuation dropped."""
    return [t.text.lower().replace("_", " ") for t in nlp()(text) if not (t.is_punct or t.is_space)]


def record_spans(rec) -> list[tuple[int, int, str]]:
    """(start, end, label) of what the parser found, as offsets in rec.text."""
    spans = []
    for c in rec.citations:
        spans.append((c.start, c.end, "CITATION"))
        spans += [(s, e, "CITATION") for s, e in c.occurrences]
    for t in rec.tasks:
        spans.append((t.start, t.end, "TASK"))
        for label, value in (("ASSIGNEE", t.assignee), ("DEADLINE", t.deadline)):
            for part in (value or "").split("; "):
                i = rec.text.find(part, t.start, t.end) if part else -1
                if i >= 0:
                    spans.append((i, i + len(part), label))
    for label, value in (("NUMBER", rec.number), ("ISSUER", rec.issuer.name), ("SIGNER", rec.signer.name)):
        i = rec.text.find(value) if value else -1
        if i >= 0:
            spans.append((i, i + len(value), label))
    head = rec.text[:1500]
    for marker in ("ngày",):
        i = head.find(marker)
        if i >= 0 and rec.date:
            j = head.find("\n", i)
            spans.append((i, j if j > 0 else len(head), "DATE"))
    return spans


def to_doc(rec):
    """A spaCy Doc of the record's text with its fields as spans in doc.spans['cascade']."""
    from spacy.tokens import Span
    doc = nlp()(rec.text)
    spans = []
    for s, e, label in record_spans(rec):
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[SPANS_KEY] = spans
    return doc


def render_html(records) -> str:
    from spacy import displacy
    docs = [to_doc(r) for r in records]
    for d, r in zip(docs, records):
        d.user_data["title"] = r.source
    return displacy.render(docs, style="span", page=True, minify=True,
                           options={"spans_key": SPANS_KEY, "colors": COLORS})
