"""The store, SQLite or PostgreSQL (`dialect.py`): documents, files, citations, overrides (`db.py`)
and the saved graph (`graph.py`).

All SQL on the store's tables lives in this package; the rest of cascade calls its functions.
"""
from cascade.store.db import (CITATION_COLUMNS, DOC_COLUMNS, INDEX_COLUMNS, FileRow, Store,
                              StoreError, explain, migrate, row_from_record)

__all__ = ["CITATION_COLUMNS", "DOC_COLUMNS", "INDEX_COLUMNS", "FileRow", "Store", "StoreError",
           "explain", "migrate", "row_from_record"]
