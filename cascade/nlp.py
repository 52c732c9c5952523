"""spaCy in cascade: Vietnamese word segmentation.

spaCy's `vi` language segments words with pyvi (`khoa học` is one word, not two),
which task comparison uses. (The annotated view, `cascade parse --html`, is
cascade.report.html_view: it keeps the document's own spacing, which displaCy's
token-based rendering did not.)

Loading spaCy + pyvi costs ~2.5 s, so nothing here is imported until first used,
and only the commands that need it pay for it.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def nlp(use_pyvi: bool = True):
    import spacy
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": use_pyvi}}})


def words(text: str) -> list[str]:
    """Vietnamese words (pyvi segmentation), lower-cased, punctuation dropped."""
    return [t.text.lower().replace("_", " ") for t in nlp()(text) if not (t.is_punct or t.is_space)]
