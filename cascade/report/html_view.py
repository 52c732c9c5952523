"""HTML view of parsed records: displaCy over the spans cascade.nlp puts on a spaCy Doc.
displaCy escapes the document text, so nothing from a document is emitted as markup."""
from cascade.nlp import render_html  # noqa: F401
