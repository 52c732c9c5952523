"""Relations of a document to what it cites: `implements` or `mentions`.

A citation implements when it stands in the subject, or top-level in the opening `Thực hiện …` clauses.
"""
from __future__ import annotations

from cascade.models import Citation
from cascade.parse.citations.find import inside


def assign_relations(citations: list[Citation], implement_spans: list[tuple[int, int]],
                     subject_spans: list[tuple[int, int]]) -> None:
    """Set `relation` on each citation (merged or not), in place.

    An occurrence implements when it starts inside a subject/title span, or inside an
    implement span (the opening `Thực hiện …` / `Căn cứ …` clauses) as a top-level item —
    not nested inside another citation's phrase (its title). A document implements when
    any of its occurrences does; otherwise it is mentioned."""
    spans = []
    for c in citations:
        spans.append((c.start, c.end))
        spans.extend(c.occurrences)
    spans = list(set(spans))

    def nested(a: int, b: int) -> bool:
        return any(s <= a and b <= e and (s, e) != (a, b) and s < a for s, e in spans)

    for c in citations:
        relation = "mentions"
        for a, b in [(c.start, c.end)] + list(c.occurrences):
            if inside(subject_spans, a):
                relation = "implements"
                break
            if inside(implement_spans, a) and not nested(a, b):
                relation = "implements"
                break
        c.relation = relation
