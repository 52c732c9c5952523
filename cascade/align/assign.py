"""Optimal assignment of parent tasks to child tasks, with splits and merges.

1. One-to-one: the Hungarian algorithm (scipy `linear_sum_assignment`) maximises the
   summed `sim` over pairs; a pair below `MATCH` is no pair. Order plays no part, so
   reordered tasks (seed 000 swaps its parent's tasks 2 and 3) align as they should.
2. Split: a child task left over whose words mostly come from one parent task
   (`cont_cp ≥ PART`) is another part of that parent task.
3. Merge: a parent task left over whose words mostly reappear in one child task
   (`cont_pc ≥ PART`) was merged into that child task.
   Both need `cos ≥ PART_FLOOR` so that a three-word task is not "contained" by chance.
4. What is still left over: parent tasks are dropped, child tasks are added.

`groups()` returns connected groups of links: one parent and one child (a pair), one
parent and several children (a split), several parents and one child (a merge).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from cascade.align.similarity import Scores

MATCH = 0.30        # least `sim` for a one-to-one pair
PART = 0.60         # least containment for one part of a split or merge
PART_FLOOR = 0.15   # least cosine for a split/merge link


@dataclass
class Group:
    parents: list[int] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    links: list[tuple[int, int, float]] = field(default_factory=list)   # (parent, child, score)

    @property
    def shape(self) -> str:
        if not self.children:
            return "dropped"
        if not self.parents:
            return "added"
        if len(self.parents) == 1 and len(self.children) == 1:
            return "pair"
        return "split" if len(self.children) > len(self.parents) else "merged"


@lru_cache(maxsize=1)
def _linear_sum_assignment():
    """scipy's `linear_sum_assignment`, the compiled `scipy.optimize._lsap` itself, loaded without
    running `scipy/optimize/__init__.py`: that imports all of scipy.optimize (linprog, linalg, …),
    0.5 s and ~50 MiB of a `cascade flag` on a small store, and again in each worker process. The
    same function, so the same assignments; the package's own import where anything differs."""
    import sys
    if "scipy.optimize" not in sys.modules:
        try:
            import importlib.machinery
            import importlib.util
            spec = importlib.util.find_spec("scipy")
            name = "scipy.optimize._lsap"
            for folder in spec.submodule_search_locations or ():
                for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                    path = Path(folder, "optimize", "_lsap" + suffix)
                    if path.is_file():
                        lsap = importlib.util.spec_from_file_location(name, path)
                        module = importlib.util.module_from_spec(lsap)
                        lsap.loader.exec_module(module)
                        sys.modules.setdefault(name, module)    # scipy.optimize, imported later, takes it
                        return module.linear_sum_assignment
        except (ImportError, OSError, AttributeError):
            pass
    from scipy.optimize import linear_sum_assignment
    return linear_sum_assignment


def _hungarian(sim: np.ndarray, match: float) -> list[tuple[int, int]]:
    s = np.where(sim >= match, sim, 0.0)
    rows, cols = _linear_sum_assignment()(s, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if sim[i, j] >= match]


NOVEL = 0.05       # least share of a part's weight that its sibling parts do not already carry


def _novel_share(sc: Scores, part_row: int, whole_row: int, sibling_rows: list[int]) -> float:
    """How much of what `part` adds beyond its siblings is found in `whole`.

    A task merged into a child already linked to another parent task must bring words of
    its own into that child; a near-copy of its sibling (template tasks: one per
    department) brings none, and is dropped rather than merged. Likewise for a split.
    Returns 0 when the part adds less than NOVEL of its weight beyond its siblings.
    """
    if sc.weights is None:
        return 1.0
    part_w = sc.row(part_row)
    seen: set[int] = set()
    for r in sibling_rows:
        seen.update(sc.row(r))
    novel = {f: w for f, w in part_w.items() if f not in seen}
    total = sum(part_w.values())
    novel_w = sum(novel.values())
    if total == 0 or novel_w < NOVEL * total:
        return 0.0
    whole = sc.row(whole_row)
    return sum(w for f, w in novel.items() if f in whole) / novel_w


def _unlink(links, partners_p, partners_c, i, j) -> None:
    links[:] = [x for x in links if not (x[0] == i and x[1] == j)]
    for d, a, b in ((partners_p, i, j), (partners_c, j, i)):
        d[a].discard(b)
        if not d[a]:
            del d[a]


def groups(sc: Scores, match: float | None = None, part: float | None = None,
           part_floor: float | None = None) -> list[Group]:
    match = MATCH if match is None else match
    part = PART if part is None else part
    part_floor = PART_FLOOR if part_floor is None else part_floor
    n, m = sc.sim.shape
    links: list[tuple[int, int, float]] = []
    if n and m:
        for i, j in _hungarian(sc.sim, match):
            links.append((i, j, float(sc.sim[i, j])))
    used_p = {i for i, _, _ in links}
    used_c = {j for _, j, _ in links}
    if n and m:
        # each column's parents and each row's children, most similar first (a stable sort: ties by index)
        by_col = np.argsort(-sc.cos, axis=0, kind="stable").T.tolist()
        by_row = np.argsort(-sc.cos, axis=1, kind="stable").tolist()
        partners_p: dict[int, set[int]] = {}     # parent → linked children
        partners_c: dict[int, set[int]] = {}     # child → linked parents
        for i, j, _ in links:
            partners_p.setdefault(i, set()).add(j)
            partners_c.setdefault(j, set()).add(i)
        # re-link: a one-to-one pair is undone when its child is better explained as another
        # part of a parent task already linked elsewhere (the assignment gave a split's second
        # half to a free parent task), or its parent as another part of a child task
        for i, j, s in sorted(links, key=lambda x: x[2]):
            for i2 in by_col[j][:3]:
                i2 = int(i2)
                if (i2 == i or sc.cos[i2, j] <= sc.cos[i, j] or sc.cont_cp[i2, j] < part
                        or not (partners_p.get(i2, set()) - {j})):
                    continue
                if _novel_share(sc, n + j, i2, [n + k for k in partners_p[i2] - {j}]) < part:
                    continue
                _unlink(links, partners_p, partners_c, i, j)
                links.append((i2, j, float(sc.cont_cp[i2, j])))
                partners_p.setdefault(i2, set()).add(j)
                partners_c.setdefault(j, set()).add(i2)
                break
            else:
                for j2 in by_row[i][:3]:
                    j2 = int(j2)
                    if (j2 == j or sc.cos[i, j2] <= sc.cos[i, j] or sc.cont_pc[i, j2] < part
                            or not (partners_c.get(j2, set()) - {i})):
                        continue
                    if _novel_share(sc, i, n + j2, list(partners_c[j2] - {i})) < part:
                        continue
                    _unlink(links, partners_p, partners_c, i, j)
                    links.append((i, j2, float(sc.cont_pc[i, j2])))
                    partners_p.setdefault(i, set()).add(j2)
                    partners_c.setdefault(j2, set()).add(i)
                    break
        used_p = set(partners_p)
        used_c = set(partners_c)
        # split: leftover children that are another part of one parent task
        left = set(range(m)) - used_c
        best_cp = sc.cont_cp.max(axis=0).tolist() if left else []    # one pass, not a column at a time
        for j in sorted(left, key=lambda j: -best_cp[j]):
            # the parent tasks that contain the child, most similar first
            for i in by_col[j]:
                i = int(i)
                if sc.cos[i, j] < part_floor:
                    break
                if sc.cont_cp[i, j] < part:
                    continue
                if _novel_share(sc, n + j, i, [n + k for k in partners_p.get(i, ())]) < part:
                    continue
                links.append((i, j, float(sc.cont_cp[i, j])))
                used_c.add(j)
                used_p.add(i)
                partners_p.setdefault(i, set()).add(j)
                partners_c.setdefault(j, set()).add(i)
                break
        # merge: leftover parents whose words reappear in one child task
        left = set(range(n)) - used_p
        best_pc = sc.cont_pc.max(axis=1).tolist() if left else []
        for i in sorted(left, key=lambda i: -best_pc[i]):
            for j in by_row[i]:
                j = int(j)
                if sc.cos[i, j] < part_floor:
                    break
                if sc.cont_pc[i, j] < part:
                    continue
                if _novel_share(sc, i, n + j, list(partners_c.get(j, ()))) < part:
                    continue
                links.append((i, j, float(sc.cont_pc[i, j])))
                used_p.add(i)
                used_c.add(j)
                partners_p.setdefault(i, set()).add(j)
                partners_c.setdefault(j, set()).add(i)
                break
    # connected components over links
    parent_of: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent_of.setdefault(x, x) != x:
            parent_of[x] = parent_of[parent_of[x]]
            x = parent_of[x]
        return x

    for i, j, _ in links:
        parent_of[find(("p", i))] = find(("c", j))
    comps: dict[tuple[str, int], Group] = {}
    for i, j, s in links:
        g = comps.setdefault(find(("c", j)), Group())
        g.links.append((i, j, s))
    out = []
    for g in comps.values():
        g.parents = sorted({i for i, _, _ in g.links})
        g.children = sorted({j for _, j, _ in g.links})
        out.append(g)
    for i in range(n):
        if i not in used_p:
            out.append(Group(parents=[i]))
    for j in range(m):
        if j not in used_c:
            out.append(Group(children=[j]))
    return out
