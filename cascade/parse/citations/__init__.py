"""Citations: references to other documents — the grammar, finding, merging and relations.

- `find_citations(text)` → one `Citation` per occurrence, in text order;
- `merge_citations(occurrences)` → one `Citation` per cited document (short forms such as
  `Nghị định 73` linked to the full `73/2023/NĐ-CP`; later repeats kept in `.occurrences`);
- `assign_relations(citations, text, zones)` → each citation's relation (implements,
  responds, guides, amends, replaces, repeals, basis, mentions), read from its wording.
Plus `make_key(number)`, the one normalisation of a number/symbol used for linking.
"""
from cascade.parse.citations.find import find_citations
from cascade.parse.citations.grammar import is_national, make_key, symbol_type
from cascade.parse.citations.merge import merge_citations
from cascade.parse.citations.relations import Zones, assign_relations, basis_sections

__all__ = ["Zones", "assign_relations", "basis_sections", "find_citations", "is_national", "make_key", "merge_citations", "symbol_type"]
