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


def _hungarian(sim: np.ndarray, match: float) -> list[tuple[int, int]]:
    from scipy.optimize import linear_sum_assignment

    s = np.where(sim >= match, sim, 0.0)
    rows, cols = linear_sum_assignment(s, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if sim[i, j] >= match]


def groups(sc: Scores, match: float = MATCH, part: float = PART,
           part_floor: float = PART_FLOOR) -> list[Group]:
    n, m = sc.sim.shape
    links: list[tuple[int, int, float]] = []
    if n and m:
        for i, j in _hungarian(sc.sim, match):
            links.append((i, j, float(sc.sim[i, j])))
    used_p = {i for i, _, _ in links}
    used_c = {j for _, j, _ in links}
    if n and m:
        # split: leftover children that are a part of one parent task
        for j in sorted(set(range(m)) - used_c, key=lambda j: -sc.cont_cp[:, j].max()):
            i = int(np.argmax(sc.cont_cp[:, j]))
            if sc.cont_cp[i, j] >= part and sc.cos[i, j] >= part_floor:
                links.append((i, j, float(sc.cont_cp[i, j])))
                used_c.add(j)
                used_p.add(i)
        # merge: leftover parents whose words reappear in one child task
        for i in sorted(set(range(n)) - used_p, key=lambda i: -sc.cont_pc[i].max()):
            j = int(np.argmax(sc.cont_pc[i]))
            if sc.cont_pc[i, j] >= part and sc.cos[i, j] >= part_floor:
                links.append((i, j, float(sc.cont_pc[i, j])))
                used_p.add(i)
                used_c.add(j)
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
