"""Align the tasks of a parent document with those of a child that implements it.

    from cascade.align import align
    al = align(parent_record.tasks, child_record.tasks)
    for p in al.pairs:
        print(p.parent, p.child, p.kind, p.lost, p.added, p.weakened)

Stages: similarity.py (Vietnamese-aware scores between every parent and child task) →
assign.py (optimal one-to-one assignment, then splits and merges; what is left is
dropped or added) → kinds.py (kind of change, word diff, weakening signals).

Only the parent's duties are compared: items whose `kind` is `task` (cascade.parse.task_kinds);
its objectives, principles, basis, boilerplate, information and decisions stay in the record and
are counted in `Alignment.not_compared`. Given the child's issuer (`child_issuer`, else only its
level `child_level`), a parent duty addressed to someone else is not the child's to carry: a duty
is the child's when it names no one, or names the child's issuer (or the body it works under), its
kind (`các sở, ngành`) or its level (`UBND các tỉnh, thành phố`, `UBND cấp xã`) —
cascade.registry.addressees, data in cascade/data/addressees.tsv. The others are counted as
"not addressed to this document", never dropped. Given the child's type and title
(`child_type`, `child_title`; the parent's title `parent_title`), a duty asking for the very
document the child is (`Xây dựng báo cáo …` and the child is that report) is "carried by the
document itself" (cascade.align.delivered). Given the child's whole
text (`child_text`), a parent duty no child item carries but that text restates nearly word for
word (a decision whose attached Quy chế repeats the duties) is `restated in text`, not dropped. On the child's side every item but boilerplate may carry
a duty down (a decision's attached rules, a plan's section), so all of those are candidates. A parent without duties has nothing to carry down: its coverage is
None ("n/a"), not 100 %.

Which tasks are compared (`level`):
- ``"leaf"`` (default): every task with words of its own, except a heading that only
  introduces sub-items (a task with sub-items whose own text is short or ends with ':').
  A province's item 1.b may thus align with a commune's item 3.
- ``"top"``: each top-level item with the text of all its sub-items joined.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

from cascade.align import kinds as K
from cascade.align.assign import groups
from cascade.align.delivered import delivers
from cascade.align.similarity import DEFAULT_SEGMENTER, acronyms, scores, words
from cascade.graph.saved import around, current
from cascade.models import TASK_BOILERPLATE, TASK_DUTY, Issuer, Task
from cascade.parse.task_kinds import addressed_to
from cascade.store import alignments as saved_alignments
from cascade.store import graph as saved_graph

__all__ = ["AlignedPair", "Alignment", "align", "align_records", "align_below", "units", "percent",
           "NOT_APPLICABLE", "align_all", "AlignRun"]

HEADING_WORDS = 15     # a task with sub-items and fewer words than this is a heading


@dataclass
class AlignedPair:
    parent: Optional[str]          # parent task path; None for an added child task
    child: Optional[str]           # child task path; None for a dropped parent task
    kind: str                      # one of kinds.KINDS
    score: float                   # similarity of the link (for dropped/added: best candidate)
    lost: list[str] = field(default_factory=list)      # parent words/phrases not in the child
    added: list[str] = field(default_factory=list)     # child words/phrases not in the parent
    weakened: list[str] = field(default_factory=list)  # "obligation: phải", "deadline: …"
    indirect: bool = False         # child compared with an ancestor, the intermediate missing

    def to_dict(self) -> dict:
        # dataclasses.asdict deep-copies recursively: 40 % of a national `coverage --json`
        return {k: list(v) if isinstance(v, list) else v for k, v in vars(self).items()}


@dataclass
class Alignment:
    parent_doc: Optional[str]
    child_doc: Optional[str]
    pairs: list[AlignedPair]
    coverage: Optional[float]      # share of the parent's compared tasks that reach the child;
                                   # None when the parent has no task to compare ("n/a")
    indirect: bool = False
    parent_node: Optional[str] = None   # graph node ids ("doc:2") when aligned from the store
    child_node: Optional[str] = None
    compared: int = 0              # parent tasks compared
    not_compared: dict[str, int] = field(default_factory=dict)   # parent items by kind, not duties

    @property
    def dropped(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.kind == K.DROPPED]

    @property
    def added(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.kind == K.ADDED]

    @property
    def weakened(self) -> list[AlignedPair]:
        return [p for p in self.pairs if p.weakened]

    def to_dict(self) -> dict:
        return {"parent_doc": self.parent_doc, "child_doc": self.child_doc,
                "parent_node": self.parent_node, "child_node": self.child_node,
                "coverage": self.coverage, "indirect": self.indirect,
                "compared": self.compared, "not_compared": dict(self.not_compared),
                "pairs": [p.to_dict() for p in self.pairs]}


NOT_APPLICABLE = "n/a"


def percent(coverage: Optional[float]) -> str:
    """`80%`, or `n/a` where the parent has no duties to carry down."""
    return NOT_APPLICABLE if coverage is None else f"{round(100 * coverage)}%"


def compared_note(al: "Alignment") -> str:
    """What was compared: `12 duties of the parent compared (not compared: objective 3, principle 6)`."""
    rest = ", ".join(f"{k} {n}" for k, n in sorted(al.not_compared.items()))
    return (f"{al.compared} dut{'y' if al.compared == 1 else 'ies'} of the parent compared"
            + (f" (not compared: {rest})" if rest else ""))


# ---------------------------------------------------------------------------- units
def _under(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor + ".")


def is_duty(task: Task) -> bool:
    return getattr(task, "kind", TASK_DUTY) == TASK_DUTY


def _candidate(task: Task, child: bool) -> bool:
    return getattr(task, "kind", TASK_DUTY) != TASK_BOILERPLATE if child else is_duty(task)


def not_compared(tasks: list[Task]) -> dict[str, int]:
    """Items that are not duties, counted by kind (what `units` leaves out besides headings)."""
    out: dict[str, int] = {}
    for t in tasks:
        if not is_duty(t):
            out[t.kind] = out.get(t.kind, 0) + 1
    return out


ELSEWHERE = "not addressed to this document"


def elsewhere(tasks: list[Task], child_level: Optional[str] = None,
              child_issuer: Optional[Issuer] = None) -> set[int]:
    """Indices of the duties given to someone other than the child's issuer (known by its
    header, else by its level only)."""
    issuer = child_issuer if child_issuer is not None else (Issuer(level=child_level) if child_level else None)
    if issuer is None:
        return set()
    by_path = {t.path: t for t in tasks}
    return {i for i, t in enumerate(tasks) if is_duty(t) and addressed_to(t, by_path, issuer) is False}


def units(tasks: list[Task], level: str = "leaf", child: bool = False) -> list[Task]:
    """The items to compare (see module doc): a parent's duties, a child's items but boilerplate.
    `top` returns new Task objects."""
    if level not in ("leaf", "top"):
        raise ValueError(f"unknown level {level!r}; choose leaf or top")
    all_tasks = tasks
    tasks = [t for t in tasks if _candidate(t, child)]
    has_words = [t for t in tasks if t.text and words(t.text).text]
    if level == "top":
        out = []
        for t in tasks:
            if "." in t.path:
                continue
            below = [u for u in tasks if _under(u.path, t.path)]
            text = " ".join(x.text for x in [t] + below if x.text)
            if not words(text).text:
                continue
            deadline = t.deadline or next((u.deadline for u in below if u.deadline), None)
            out.append(Task(path=t.path, text=text, marker=t.marker, assignee=t.assignee,
                            deadline=deadline, start=t.start, end=below[-1].end if below else t.end))
        return out
    ancestors = {t.path.rsplit(".", 1)[0] for t in all_tasks if "." in t.path}
    ancestors |= {a.rsplit(".", k)[0] for a in list(ancestors) for k in range(1, a.count(".") + 1)}
    out = []
    for t in has_words:
        heading = t.path in ancestors
        if heading and (len(words(t.text).text) < HEADING_WORDS or t.text.rstrip().endswith(":")):
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------------------- align
def align(parent_tasks: list[Task], child_tasks: list[Task], indirect: bool = False, *,
          segmenter: str = DEFAULT_SEGMENTER, level: str = "leaf",
          parent_doc: Optional[str] = None, child_doc: Optional[str] = None,
          child_level: Optional[str] = None, child_text: Optional[str] = None,
          child_issuer: Optional[Issuer] = None, child_type: Optional[str] = None,
          child_title: Optional[str] = None, parent_title: Optional[str] = None) -> Alignment:
    """Align two task lists: one AlignedPair per link, dropped parent task or added child task.

    Pairs come in the parent's order; an added child task follows the pair of the child
    task before it.
    """
    skip = elsewhere(parent_tasks, child_level, child_issuer)
    others = [t for i, t in enumerate(parent_tasks) if i in skip]
    away = {t.path for t in others}
    P = [t for t in units(parent_tasks, level) if t.path not in away]
    C = units(child_tasks, level, child=True)
    coined = acronyms([t.text for t in parent_tasks] + [t.text for t in child_tasks])
    sc = scores([t.text for t in P], [t.text for t in C], segmenter, coined)
    placed: list[tuple[tuple, AlignedPair]] = []
    cache: list[set] = []

    def text_pairs() -> set:
        if not cache:
            cache.append(K.syllable_pairs(child_text))
        return cache[0]

    for g in groups(sc):
        shape = g.shape
        if shape == "dropped":
            i = g.parents[0]
            best = float(sc.sim[i].max()) if len(C) else 0.0
            if child_text and K.restated(P[i].text, text_pairs()):
                kind = K.IN_TEXT
            elif (child_type or child_title) and delivers(_with_headings(P[i], parent_tasks), child_type,
                                                          child_title, parent_title):
                kind = K.DELIVERED
            else:
                kind = K.DROPPED
            placed.append(((i, -1), AlignedPair(P[i].path, None, kind, round(best, 3), indirect=indirect)))
            continue
        if shape == "added":
            j = g.children[0]
            best = float(sc.sim[:, j].max()) if len(P) else 0.0
            placed.append((None, AlignedPair(None, C[j].path, K.ADDED, round(best, 3),
                                             indirect=indirect), j))
            continue
        ptexts = [P[i].text for i in g.parents]
        ctexts = [C[j].text for j in g.children]
        d = K.word_diff(ptexts, ctexts, segmenter, coined, marks=False)
        weakened = K.weakening([P[i] for i in g.parents], [C[j] for j in g.children])
        if shape == "pair":
            kind = K.classify(d, ptexts[0], ctexts[0])
        else:
            kind = K.SPLIT if shape == "split" else K.MERGED
        first = True
        for i, j, s in sorted(g.links, key=lambda x: (x[0], x[1])):
            pi, cj = g.parents.index(i), g.children.index(j)
            lost = [ph for ph, k in d.lost if k == pi] if shape != "pair" else [ph for ph, _ in d.lost]
            added = [ph for ph, k in d.added if k == cj] if shape != "pair" else [ph for ph, _ in d.added]
            if shape == "split":      # one parent: its lost words once, on the first part
                lost = [ph for ph, _ in d.lost] if first else []
            if shape == "merged":     # one child: its added words once, on the first part
                added = [ph for ph, _ in d.added] if first else []
            placed.append(((i, j), AlignedPair(P[i].path, C[j].path, kind, round(s, 3), lost, added,
                                               weakened if first else [], indirect)))
            first = False
    pairs = [p for key, p in sorted((x for x in placed if x[0] is not None), key=lambda x: x[0])]
    for _, p, j in sorted((x for x in placed if x[0] is None), key=lambda x: x[2]):
        pos = 0
        for k, q in enumerate(pairs):
            if q.child is not None and _child_index(C, q.child) < j:
                pos = k + 1
        pairs.insert(pos, p)
    dropped = sum(1 for p in pairs if p.kind == K.DROPPED)
    coverage = round(1.0 - dropped / len(P), 4) if P else None
    nc = not_compared(parent_tasks)
    if others:
        nc[ELSEWHERE] = len(others)
    return Alignment(parent_doc, child_doc, pairs, coverage, indirect, compared=len(P), not_compared=nc)


def _with_headings(task: Task, tasks: list[Task]) -> str:
    """A task's text after its ancestors' (`1. Xây dựng báo cáo …:` above `- Giai đoạn năm 2024: …`):
    the items under a heading asking for a document describe that document."""
    parts = task.path.split(".")
    above = {".".join(parts[:n]) for n in range(1, len(parts))}
    return "\n".join([t.text for t in tasks if t.path in above] + [task.text])


def _child_index(C: list[Task], path: str) -> int:
    for k, t in enumerate(C):
        if t.path == path:
            return k
    return -1


def align_records(parent, child, indirect: bool = False, **kw) -> Alignment:
    """`align` for two parsed Records; documents named by their number, else their source."""
    kw.setdefault("child_level", child.issuer.level)
    kw.setdefault("child_issuer", child.issuer)
    kw.setdefault("child_type", child.doc_type)
    kw.setdefault("child_title", child.title or child.subject)      # a letter's subject (V/v …) is its title
    kw.setdefault("parent_title", parent.title or parent.subject)
    kw.setdefault("child_text", child.text)
    return align(parent.tasks, child.tasks, indirect,
                 parent_doc=parent.number or parent.source, child_doc=child.number or child.source, **kw)


def align_below(store, ref, relations=("implements",), *, workers: Optional[int] = None,
                **kw) -> list[Alignment]:
    """Align every stored document below `ref` in the cascade with its nearest stored ancestor.

    Walks `Cascade.tree` (cascade.graph.cascade): a stored child is compared with its stored
    parent; where the parent is not in the store (a province plan cited but never ingested),
    the child is compared with the nearest stored ancestor above it and every pair is marked
    `indirect`. Documents above the first stored one have nothing to compare with.
    Results come from `align_stored` (saved per pair, recomputed only where a document changed).
    """
    wanted = _wanted(store, ref, relations)
    found = align_stored(store, [(a["doc_id"], c["doc_id"], ind, c.get("level") or None)
                                 for a, c, ind in wanted], workers=workers, **kw)
    out = []
    for (a, c, _), al in zip(wanted, found):
        if al is None:              # the child's record is gone
            continue
        al.parent_doc, al.child_doc = a["label"], c["label"]
        al.parent_node, al.child_node = a["node"], c["node"]
        out.append(al)
    return out


def _wanted(store, ref, relations) -> list[tuple[dict, dict, bool]]:
    """(ancestor, child, indirect) tree nodes of the pairs `align_below` compares below `ref`."""
    cas, root = around(store, ref, tuple(relations), light=True)      # a tree is all it reads
    tree = cas.tree(root, relations=tuple(relations))
    wanted: list[tuple[dict, dict, bool]] = []

    def walk(node: dict, ancestor: Optional[dict], direct: bool) -> None:
        for ch in node["children"]:
            if ch.get("repeat"):
                continue
            if ch["in_corpus"] and ch["doc_id"] >= 0:
                if ancestor is not None:
                    wanted.append((ancestor, ch, not direct))
                walk(ch, ch, True)
            else:
                walk(ch, ancestor, False)

    start = tree if tree["in_corpus"] and tree["doc_id"] >= 0 else None
    walk(tree, start, True)
    return wanted


# ------------------------------------------------------------------ many stored pairs
BATCH = 256            # pairs aligned between two saves (and per worker task)
POOL_FROM = 96         # fewer pairs to compute than this: no worker processes


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """sha256 of what an alignment result depends on besides the two documents' records: this
    package's code (delivered.py among it), the modules it reads phrases, kinds and addressees
    through (registry.py and the doctypes.py it reads, parse/task_kinds.py), and every data file
    (addressees.tsv, deliverables.tsv among them)."""
    root = Path(__file__).resolve().parents[1]
    files = sorted(Path(__file__).resolve().parent.glob("*.py"))
    files += [root / n for n in ("text.py", "models.py", "registry.py", "doctypes.py", "parse/task_kinds.py",
                                   "parse/lexicon.py")]
    files += sorted(f for f in (root / "data").rglob("*") if f.is_file())
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes() if f.exists() else b"")
    return h.hexdigest()[:16]


def _params(kw: dict) -> str:
    return _code_fingerprint() + json.dumps(sorted(kw.items()), ensure_ascii=False)


def _from_saved(data: str) -> Alignment:
    d = json.loads(data)
    d["pairs"] = [AlignedPair(**p) for p in d["pairs"]]
    return Alignment(parent_doc=None, child_doc=None, **d)


def _to_saved(al: Alignment) -> str:
    d = al.to_dict()
    for k in ("parent_doc", "child_doc", "parent_node", "child_node"):
        d.pop(k, None)
    return json.dumps(d, ensure_ascii=False)


def _align_chunk(job: tuple[dict, list[tuple[dict, bool, Optional[str]]], dict]) -> list[str]:
    """One parent's inputs (`saved_alignments.inputs`) against several children's: saved-form
    results (a worker task). Each child is aligned as `align_records` aligns two records: its level
    (the graph's), issuer, type, title and text, and the parent's title."""
    parent, children, kw = job
    P = [Task(**t) for t in parent["tasks"]]
    return [_to_saved(align(P, [Task(**t) for t in c["tasks"]], indirect, child_level=level,
                            child_text=c["text"], child_issuer=Issuer(**c["issuer"]), child_type=c["doc_type"],
                            child_title=c["title"], parent_title=parent["title"], **kw))
            for c, indirect, level in children]


def align_job(n: int, job: tuple) -> tuple[int, list[str]]:
    """`_align_chunk` as a pool's call (cascade.sandbox / cascade.cluster: "module:function", the
    job's arguments pickled): its number comes back with the results."""
    return n, _align_chunk(job)


ALIGN_JOB = "cascade.align:align_job"


def _keys(store, pairs: list[tuple[int, int, bool, Optional[str]]]) -> list[tuple]:
    """Each pair's key in the saved alignments: (parent stamp, child stamp|level, indirect); a stamp
    is None where the document is gone."""
    stamp = saved_alignments.stamps(store, [d for p, c, _, _ in pairs for d in (p, c)])
    # what align reads of the records (the child's tasks, issuer, type, title and text, the parent's
    # tasks and title) changes only with their stamps (content and parse); the child's level (from
    # the graph: it may be inferred, and change with other documents) is part of its key
    return [(stamp.get(p), stamp.get(c) and f"{stamp[c]}|{level or ''}", bool(ind)) for p, c, ind, level in pairs]


def align_stored(store, pairs: list[tuple[int, int, bool, Optional[str]]], *, workers: Optional[int] = None,
                 **kw) -> list[Optional[Alignment]]:
    """`align` for stored (parent doc id, child doc id, indirect, child level) pairs, in order; None
    where a document is gone. A pair whose two documents are unchanged since it was last aligned
    (same content and parse, same child level, same alignment code and options) is read back from
    the store; the rest are computed a parent at a time, BATCH children at once, over `workers`
    processes (default: the CPUs, when there are at least POOL_FROM pairs), and saved. Memory
    holds the tasks of a few batches, not of the whole cascade."""
    params = _params(kw)
    keys = _keys(store, pairs)
    have = saved_alignments.get(store, [k for k in keys if k[0] and k[1]], params)
    out: list[Optional[Alignment]] = [None] * len(pairs)
    todo: list[int] = []
    for k, key in enumerate(keys):
        if key in have:
            out[k] = _from_saved(have[key])
        elif key[0] and key[1]:
            todo.append(k)

    def done(k: int, data: str) -> None:
        out[k] = _from_saved(data)

    _compute(store, pairs, keys, todo, params, kw, done, workers=workers)
    return out


def _compute(store, pairs: list, keys: list, todo: list[int], params: str, kw: dict,
             done: Callable[[int, str], None], *, workers: Optional[int] = None, pool=None,
             on_progress: Optional[Callable[[int], None]] = None) -> list[str]:
    """Align pairs[k] for k in `todo`, save each result under keys[k] and hand it to done(k, data).
    Work goes a parent at a time, BATCH children a job, to `pool` (a cascade.sandbox.Sandbox or
    cascade.cluster.DaskPool: anything with `run(spec, jobs)`) or else to `workers` forked local
    processes (default: the CPUs, when there are at least POOL_FROM pairs). on_progress(n): n more
    pairs done. Returns the errors of jobs a pool could not run (their pairs are left unsaved)."""
    if not todo:
        return []
    by_parent: dict[int, list[int]] = {}             # parent doc id → indexes into pairs
    for k in todo:
        by_parent.setdefault(pairs[k][0], []).append(k)
    jobs: list[tuple[list[int], int]] = []         # (pair indexes, parent doc id)
    for parent, idx in by_parent.items():
        for i in range(0, len(idx), BATCH):
            jobs.append((idx[i:i + BATCH], parent))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    saved_alignments.prune(store, params)
    tick = on_progress or (lambda n: None)

    def job_of(idx: list[int], parent: int):
        """The worker task for one batch, and the pair indexes it answers (children still stored)."""
        t = saved_alignments.inputs(store, [parent] + [pairs[k][1] for k in idx], with_text=True)
        kept = [k for k in idx if pairs[k][1] in t]
        tick(len(idx) - len(kept))
        p = t.get(parent) or {"tasks": [], "title": None}
        return (p, [(t[pairs[k][1]], pairs[k][2], pairs[k][3]) for k in kept], kw), kept

    def keep(idx: list[int], results: list[str]) -> None:
        rows = []
        for k, data in zip(idx, results):
            done(k, data)
            rows.append((keys[k][0], keys[k][1], keys[k][2], data))
        saved_alignments.put(store, rows, params)
        tick(len(idx))

    errors: list[str] = []
    if pool is not None:
        _pooled(pool, jobs, job_of, keep, tick, errors)
    elif workers > 1 and len(todo) >= POOL_FROM and "fork" in mp.get_all_start_methods():
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=mp.get_context("fork")) as ex:
            pending = []
            for idx, parent in jobs:
                job, idx = job_of(idx, parent)
                pending.append((idx, ex.submit(_align_chunk, job)))
                while len(pending) > 2 * workers:          # bounded: a few batches in flight
                    i0, f = pending.pop(0)
                    keep(i0, f.result())
            for i0, f in pending:
                keep(i0, f.result())
    else:
        for idx, parent in jobs:
            job, idx = job_of(idx, parent)
            keep(idx, _align_chunk(job))
    return errors


def _pooled(pool, jobs: list, job_of: Callable, keep: Callable, tick: Callable, errors: list) -> None:
    """`jobs` on `pool`: its `run` reads a generator only as workers free up, so each job's inputs
    are read from the store (and results saved) in this thread while the workers align others,
    and memory holds the jobs in flight only."""
    answers: dict[int, list[int]] = {}            # job number → the pair indexes it answers

    def calls():
        for n, (idx, parent) in enumerate(jobs):
            job, answers[n] = job_of(idx, parent)
            yield n, job

    with closing(pool.run(ALIGN_JOB, calls())) as outcomes:     # interrupted: the workers stop here
        for (n, _job), outcome in outcomes:
            idx = answers.pop(n)
            if outcome.ok:
                keep(idx, outcome.value[1])
            else:
                errors.append(outcome.error)
                tick(len(idx))


@dataclass
class AlignRun:
    """What `align_all` did: pairs below the roots (each once), how many were saved already, how
    many it computed and saved, and how many a worker could not align (with the first errors)."""
    roots: int = 0
    pairs: int = 0
    saved: int = 0
    computed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return dict(vars(self), errors=list(self.errors))


def align_all(store, refs: Optional[list] = None, relations=("implements",), *, workers: Optional[int] = None,
              pool=None, on_event: Optional[Callable[[str, dict], None]] = None, **kw) -> AlignRun:
    """Align and save, ahead of any query, every pair `align_below` compares below `refs` (default:
    the top of every cascade in the store): `coverage`, `flag` and `report` then read the results
    back instead of computing them. Pairs saved already are only counted, not read back. Runs on
    `pool` (a Dask cluster, see `_compute`) or on `workers` local processes.
    on_event("start", {"pairs": n}) before computing, ("aligned", {"n": k}) as pairs are done."""
    t0 = time.perf_counter()
    emit = on_event or (lambda kind, data: None)
    current(store)                                 # the graph brought up to date first
    tops = list(refs) if refs else saved_graph.roots(store, relations[0]) if relations else []
    run = AlignRun(roots=len(tops))
    pairs: dict[tuple, None] = {}
    for ref in tops:
        for a, c, ind in _wanted(store, ref, relations):
            pairs[(a["doc_id"], c["doc_id"], ind, c.get("level") or None)] = None
    listed = list(pairs)
    params = _params(kw)
    keys = _keys(store, listed)
    saved = saved_alignments.saved_keys(store, params)
    todo = [k for k, key in enumerate(keys) if key[0] and key[1] and key not in saved]
    run.pairs = sum(1 for key in keys if key[0] and key[1])
    run.saved = run.pairs - len(todo)
    emit("start", {"pairs": len(todo)})
    computed = [0]

    def done(k: int, data: str) -> None:
        computed[0] += 1

    errors = _compute(store, listed, keys, todo, params, kw, done, workers=workers, pool=pool,
                      on_progress=lambda n: emit("aligned", {"n": n}))
    run.computed = computed[0]
    run.failed = len(todo) - run.computed
    run.errors = list(dict.fromkeys(errors))[:5]
    run.seconds = round(time.perf_counter() - t0, 3)
    return run
