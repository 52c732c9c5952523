"""Citations: references to other documents — the grammar, finding, merging and relations.

- `find_citations(text)` → one `Citation` per occurrence, in text order;
- `merge_citations(occurrences)` → one `Citation` per cited document (short forms such as
  `Nghị định 73` linked to the full `73/2023/NĐ-CP`; later repeats kept in `.occurrences`);
- `assign_relations(citations, text, zones)` → each citation's relation (implements,
  responds, guides, amends, replaces, repeals, basis, mentions), read from its wording.
Plus `make_key(number)`, the one normalisation of a number/symbol used for linking.
"""
import importlib
from typing import TYPE_CHECKING

from cascade.parse.citations.grammar import is_national, make_key, symbol_type

if TYPE_CHECKING:
    from cascade.parse.citations.find import find_citations
    from cascade.parse.citations.merge import merge_citations
    from cascade.parse.citations.relations import Zones, assign_relations, basis_sections

# where each name lives: finding, merging and relations load when first asked for (the grammar
# alone is what resolving a saved graph needs)
_LATER = {"find_citations": "find", "merge_citations": "merge", "Zones": "relations",
          "assign_relations": "relations", "basis_sections": "relations"}


def __getattr__(name: str):
    if name in _LATER:
        return getattr(importlib.import_module(f"cascade.parse.citations.{_LATER[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Zones", "assign_relations", "basis_sections", "find_citations", "is_national", "make_key", "merge_citations", "symbol_type"]
