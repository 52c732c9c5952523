"""The cascade graph: resolve citations, infer places and levels, build, find nodes, save, export.

resolve → infer → build (rows in, graph out) → cascade (Cascade, find_node) → saved (the store's copy).
"""
