"""Measure cascade against the hand-checked truth set of issue 10 (tests/truth/).

    python benchmarks/eval_cascade.py ../shared/realdocs [--db /tmp/x.db] [--errors 20]

Prints
1. relation accuracy over tests/truth/relations.json, with the confusion table (truth in
   rows, cascade in columns; "(none)" = the citation was not extracted);
2. citation-to-node identity accuracy over tests/truth/identities.json (the folders the
   truth names are ingested into a temporary store with `cascade.ingest.ingest` and the
   graph built with `cascade.graph.build.build`);
3. task-kind accuracy on the parent documents of tests/truth/pairs.json, where the parser
   gives `Task.kind` (skipped with a note otherwise);
4. dropped-task precision and recall on the real pairs: each pair is aligned as `cascade
   diff` does (`cascade.align.align` on the two parsed records); a truth item counts as
   flagged when the task it matches is left without a child item (kind `dropped`).

Truth items are matched to parsed tasks by text (both normalised, the first words
compared), never by path. Everything missing in today's records (no relation types, no
task kinds, no citation→node map) is tolerated and reported.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRUTH = ROOT / "tests" / "truth"
RELATIONS = ["implements", "responds", "guides", "amends", "replaces", "repeals", "basis", "mentions"]
STRENGTH = {r: i for i, r in enumerate(RELATIONS)}          # lower = stronger (issue 10)
TASK_KINDS = ("task", "objective", "principle", "basis", "boilerplate")
NOT_TASK = ("decision", "information", "context")           # truth kinds outside the issue's list
MATCH_WORDS = 8


# ---------------------------------------------------------------------------- text helpers
def fold(s: str | None) -> str:
    """Lower case, no diacritics (đ → d), U+FFFE read as a hyphen, spaces collapsed."""
    s = unicodedata.normalize("NFD", (s or "").replace("\ufffe", "-"))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"\s+", " ", s).strip()


def nkey(s: str | None) -> str:
    """Comparable key: folded, without spaces or a trailing parenthesised date."""
    s = re.sub(r"\s*\(\d{2}/\d{2}/\d{4}\)$", "", s or "")
    return fold(s).replace(" ", "").replace("–", "-")


def words(s: str | None) -> list[str]:
    return re.findall(r"\w+", fold(s))


def text_match(truth: str, parsed: str, tier: int = 0) -> bool:
    """Tier 0: the parsed text begins with the truth item's first words; 1: contains them;
    2: the parsed text's first words (six at least) appear in the truth item."""
    t, p = words(truth), words(parsed)
    if not t or not p:
        return False
    head = " ".join(t[:MATCH_WORDS])
    if tier == 0:
        return f"{' '.join(p)} ".startswith(head + " ")
    if tier == 1:
        return f" {head} " in f" {' '.join(p)} "
    return len(p) >= 6 and f" {' '.join(p[:MATCH_WORDS])} " in f" {' '.join(t)} "


# ---------------------------------------------------------------------------- loading
def load_truth() -> tuple[list, dict, list]:
    rel = json.loads((TRUTH / "relations.json").read_text(encoding="utf-8"))["relations"]
    ids = json.loads((TRUTH / "identities.json").read_text(encoding="utf-8"))
    pairs = json.loads((TRUTH / "pairs.json").read_text(encoding="utf-8"))["pairs"]
    return rel, ids, pairs


class Parsed:
    """parse_file once per file; a failure is recorded, never raised."""

    def __init__(self, root: Path):
        self.root, self.cache, self.errors = root, {}, {}

    def __call__(self, rel: str):
        if rel not in self.cache:
            from cascade import parse_file
            try:
                self.cache[rel] = parse_file(str(self.root / rel))
            except Exception as e:          # noqa: BLE001 - one bad file must not stop the run
                self.errors[rel] = f"{type(e).__name__}: {e}"
                self.cache[rel] = None
        return self.cache[rel]


# ---------------------------------------------------------------------------- 1. relations
def cited_matches(truth: dict, c) -> bool:
    key = truth["key"]
    if re.match(r"(Bộ )?[Ll]uật ", key):        # a law by name (+ year): match type, title and year
        name = re.sub(r"\s*\d{4}$", "", re.sub(r"^(Bộ luật|Luật)\s+", "", key))
        year = re.search(r"\d{4}$", key)
        hay = fold(f"{getattr(c, 'title', '') or ''} {getattr(c, 'text', '') or ''}")
        ok = fold(name) in hay and (getattr(c, "type", None) or "").lower() in ("luật", "bộ luật", "")
        if ok and year and c.date and not str(c.date).startswith(year.group()):
            ok = str(getattr(c, "year", "") or "") == year.group()
        return ok
    k = nkey(key)
    for v in (getattr(c, "key", None), getattr(c, "number", None)):
        if v and nkey(v) == k:
            return True
    return bool(c.number) and nkey(truth["cited"]).endswith(nkey(c.number)) and "/" in (c.number or "")


def eval_relations(rel: list, parsed: Parsed, show: int) -> dict:
    confusion: dict[str, Counter] = defaultdict(Counter)
    wrong = []
    for t in rel:
        rec = parsed(t["file"])
        cands = [c for c in (rec.citations if rec else []) if cited_matches(t, c)]
        if cands:
            pred = min((getattr(c, "relation", None) or "mentions" for c in cands),
                       key=lambda r: STRENGTH.get(r, len(RELATIONS)))
        else:
            pred = "(none)"
        confusion[t["relation"]][pred] += 1
        if pred != t["relation"]:
            wrong.append((t, pred))
    total = sum(sum(c.values()) for c in confusion.values())
    right = sum(confusion[r][r] for r in confusion)
    found = total - sum(c["(none)"] for c in confusion.values())
    cols = [r for r in RELATIONS if any(confusion[x][r] for x in confusion)]
    cols += sorted({p for c in confusion.values() for p in c if p not in RELATIONS and p != "(none)"})
    cols += ["(none)"]
    print(f"\n== 1. Relations: {len(rel)} hand-checked citations in {len({t['file'] for t in rel})} files")
    print(f"relation accuracy {right / total:.3f} ({right}/{total}); "
          f"on the {found} citations the parser found: {right / found if found else 0:.3f}")
    w = max(len(c) for c in cols + ["truth \\ cascade"]) + 1
    print("truth \\ cascade".ljust(13) + "".join(c.rjust(w) for c in cols) + "total".rjust(w))
    for r in [x for x in RELATIONS if x in confusion]:
        print(r.ljust(13) + "".join(str(confusion[r][c] or ".").rjust(w) for c in cols)
              + str(sum(confusion[r].values())).rjust(w))
    for t, pred in wrong[:show]:
        print(f"  ✗ {t['relation']:>10} → {pred:<10} {t['cited']}  [{t['file'][-60:]}]")
    return {"accuracy": right / total if total else 0.0, "n": total}


# ---------------------------------------------------------------------------- 2. identities
def folders_of(paths) -> list[str]:
    """Top-level case folders (or top-level files) that hold the given realdocs paths."""
    return sorted({p.split("/", 1)[0] for p in paths})


def ingest_store(root: Path, rels: list[str], db: Path, workers: int):
    from cascade.ingest import ingest
    from cascade.store import Store
    ingest([root / f for f in folders_of(rels)], db, workers=workers, graph=False)
    return Store(db)


def citation_targets(store, cas) -> dict[int, str]:
    """citation id → graph node. Uses the graph's own map when it has one (`Cascade.citation_nodes`
    or `citation_node`); otherwise reads the edges: a citation goes to the edge carrying its
    text, else to the neighbour whose key or number is the citation's."""
    for attr in ("citation_nodes", "citation_node", "targets"):
        m = getattr(cas, attr, None)
        if isinstance(m, dict) and m:
            return {int(k): v for k, v in m.items()}
    G = cas.graph
    out: dict[int, str] = {}
    for c in store.citations():
        child = f"doc:{c['doc_id']}"
        if child not in G:
            continue
        best = None
        for _, parent, e in G.out_edges(child, data=True):
            if e.get("text") and e["text"] == (c["text"] or "")[:500]:
                best = parent
                break
        if best is None:
            mine = {nkey(c["key"]), nkey(c["number"])} - {""}
            hits = [p for _, p in G.out_edges(child)
                    if {nkey(G.nodes[p].get("key")), nkey(G.nodes[p].get("number"))} & mine]
            best = hits[0] if len(hits) == 1 else None
        if best is not None:
            out[c["id"]] = best
    return out


def find_citation(store, doc_id: int, as_written: str) -> dict | None:
    aw = nkey(as_written)
    best = None
    for c in store.citations():
        if c["doc_id"] != doc_id:
            continue
        num = nkey(c["number"])
        if num and (num == aw or aw.endswith(num) and "/" in num):
            return c
        if num and num.startswith(aw + "-"):
            return c        # a number cut at a hyphen of its symbol (`37/HD-BCA`), merged into the one
                            # it was cut from in the same document (`37/HD-BCA-C04`, same date)
        running = re.match(r"\d+", c["number"] or "")
        if running and c["type"] and aw == nkey(f"{c['type']} số {running.group()}"):
            return c        # a short form, type and running number (`Kết luận số 132`), alone or merged
                            # into the full citation of the same document (`Kết luận số 132-KL/TW`)
        if best is None and not num and aw and aw in nkey(c["text"]):
            best = c        # an un-numbered citation (a law, "Chỉ thị số 36") by its text
    return best


def node_key(G, n: str) -> str:
    a = G.nodes[n]
    return a.get("key") or a.get("number") or a.get("label") or n


def eval_identities(ids: dict, store, show: int) -> dict:
    from cascade.graph.build import build
    cas = build(store)
    G = cas.graph
    targets = citation_targets(store, cas)
    ok = n = 0
    wrong = []

    def target(file: str, as_written: str) -> tuple:
        """(node the citation reaches or None, the citing document's node, status)."""
        doc = store.doc_id_for_path(ROOT_DOCS / file)
        if doc is None:
            return None, None, "file not in store"
        c = find_citation(store, doc, as_written)
        if c is None:
            return None, f"doc:{doc}", "not extracted"
        return targets.get(c["id"]), f"doc:{doc}", "no node"

    for t in ids["same"]:
        n += 1
        node, own, status = target(t["file"], t["as_written"])
        if t["identity"] == "self":      # right when no other node is made for it
            good = own is not None and (node is None or node == own)
            label = node_key(G, node) if node else f"(no other node: {status})"
        else:
            good = node is not None and nkey(node_key(G, node)) == nkey(t["identity"])
            label = node_key(G, node) if node else f"({status})"
        ok += good
        if not good:
            wrong.append(f"{t['as_written']} → {label} (truth {t['identity']})  [{t['file'][-50:]}]")
    for t in ids["different"]:
        n += 1
        a, b = target(t["a"]["file"], t["a"]["as_written"]), target(t["b"]["file"], t["b"]["as_written"])
        good = a[0] is not None and b[0] is not None and a[0] != b[0]
        ok += good
        if not good:
            wrong.append(f"different: {t['a']['as_written']} / {t['b']['as_written']} → "
                         f"{a[0] or a[2]} / {b[0] or b[2]}")
    print(f"\n== 2. Identities: {len(ids['same'])} spellings + {len(ids['different'])} look-alike pairs")
    print(f"citation-to-node identity accuracy {ok / n:.3f} ({ok}/{n})"
          + ("" if any(getattr(cas, a, None) for a in ("citation_nodes", "citation_node", "targets"))
             else "  [citation→node read from graph edges: the graph keeps no per-citation map]"))
    for w in wrong[:show]:
        print("  ✗", w)
    return {"accuracy": ok / n if n else 0.0, "n": n}


# ---------------------------------------------------------------------------- 3./4. tasks
def match_task(tasks, text: str):
    """The parsed task a truth item names: by its first words, the least nested first."""
    for tier in (0, 1, 2):
        hits = [t for t in tasks if text_match(text, t.text, tier)]
        if hits:
            return min(hits, key=lambda t: (t.path.count("."), len(t.text)))
    return None


def truth_items(pair: dict):
    for d in pair["duties"]:
        yield d, "task", (not d["carried"]) and d.get("applies", True)
    for d in pair["not_duties"]:
        yield d, d["kind"], False


def eval_kinds(pairs: list, parsed: Parsed, show: int) -> dict:
    seen, matched, right, rows, wrong = set(), 0, 0, 0, []
    has_kind = None
    for p in pairs:
        if p["parent"] in seen:
            continue
        seen.add(p["parent"])
        rec = parsed(p["parent"])
        tasks = rec.tasks if rec else []
        if has_kind is None and tasks:
            has_kind = any(getattr(t, "kind", None) for t in tasks)
        for item, kind, _ in truth_items(p):
            rows += 1
            t = match_task(tasks, item["text"])
            if t is None:
                continue
            matched += 1
            got = getattr(t, "kind", None)
            good = got == kind if kind in TASK_KINDS else (got is not None and got != "task")
            right += good
            if has_kind and not good:
                wrong.append(f"{item['ref']}: {kind} → {got}  [{p['parent'][-45:]}]")
    print(f"\n== 3. Task kinds: {rows} parent items of {len(seen)} parent documents "
          f"({matched} found among the parsed tasks)")
    if not has_kind:
        print("skipped: the parser exposes no task kind (Task.kind); every numbered item counts as a task today")
        return {"accuracy": None, "n": rows}
    print(f"task-kind accuracy {right / matched:.3f} ({right}/{matched}); "
          f"kinds decision/information/context count right when the parser says anything but 'task'")
    for w in wrong[:show]:
        print("  ✗", w)
    return {"accuracy": right / matched if matched else 0.0, "n": matched}


def flagged_dropped(al, units_paths: set, t) -> bool:
    """A matched task is flagged when it is dropped; a heading the aligner does not compare is
    flagged when every compared task under it is dropped."""
    from cascade.align import kinds as K
    dropped = {q.parent for q in al.pairs if q.kind == K.DROPPED}
    if t.path in units_paths:
        return t.path in dropped
    below = [u for u in units_paths if u.startswith(t.path + ".")]
    return bool(below) and all(u in dropped for u in below)


def eval_dropped(pairs: list, parsed: Parsed, show: int) -> dict:
    from cascade.align import align, align_records, units
    from cascade.align.delivered import child_types
    from cascade.doctypes import NEITHER, duty_role
    tp = fp = fn = tn = unmatched_drop = 0
    ftp = ffp = ffn = 0            # as `cascade flag` reports them: dropped or not reported, by the child's kind
    other_flags = 0
    notes = []
    print(f"\n== 4. Dropped tasks on {len(pairs)} real implementing pairs (align as `cascade diff`)")
    for p in pairs:
        prec, crec = parsed(p["parent"]), parsed(p["child"])
        if prec is None or crec is None:
            notes.append(f"unreadable: {p['parent'] if prec is None else p['child']}")
        ptasks = prec.tasks if prec else []
        ctasks = crec.tasks if crec else []
        # as `cascade diff` does (align_records): the child's issuer, type, title and text come along
        al = align_records(prec, crec) if ptasks and crec else (align(ptasks, ctasks) if ptasks else None)
        upaths = {u.path for u in units(ptasks)} if ptasks else set()
        used = set()
        line = Counter()
        for item, _kind, is_drop in truth_items(p):
            t = match_task(ptasks, item["text"])
            flagged = bool(t is not None and al is not None and flagged_dropped(al, upaths, t))
            said = flagged and duty_role(child_types(crec.doc_type, crec.title or crec.subject)) != NEITHER
            ftp += is_drop and said
            ffp += (not is_drop) and said
            ffn += is_drop and not said
            if t is not None:
                used.add(t.path)
            if is_drop and flagged:
                tp += 1; line["tp"] += 1
            elif is_drop:
                fn += 1; line["fn"] += 1
                unmatched_drop += t is None
            elif flagged:
                fp += 1; line["fp"] += 1
                if len(notes) < show:
                    notes.append(f"false drop {item['ref']} '{item['text'][:50]}'  [{p['parent'][-40:]}]")
            else:
                tn += 1
        if al is not None:
            from cascade.align import kinds as K
            other_flags += sum(1 for q in al.pairs if q.kind == K.DROPPED and q.parent not in used)
        print(f"  {len(ptasks):>3} → {len(ctasks):>3} tasks  tp {line['tp']} fp {line['fp']} fn {line['fn']}  "
              f"{Path(p['parent']).name[:38]} → {Path(p['child']).name[:38]}")
    prec_ = tp / (tp + fp) if tp + fp else 1.0
    rec_ = tp / (tp + fn) if tp + fn else 1.0
    print(f"dropped-task precision {prec_:.3f}  recall {rec_:.3f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn}; "
          f"{unmatched_drop} true drops have no parsed task; {other_flags} other parsed tasks flagged dropped "
          f"outside the truth's items)")
    fp_, fr_ = (ftp / (ftp + ffp) if ftp + ffp else 1.0), (ftp / (ftp + ffn) if ftp + ffn else 1.0)
    print(f"as `cascade flag` says them (dropped, or not reported by a report; nothing for a submission, "
          f"invitation or slip): precision {fp_:.3f}  recall {fr_:.3f}  (tp {ftp}, fp {ffp}, fn {ffn})")
    for nline in notes[:show]:
        print("  ✗", nline)
    return {"precision": prec_, "recall": rec_}


# ---------------------------------------------------------------------------- main
ROOT_DOCS = Path(".")


def main(argv=None) -> int:
    global ROOT_DOCS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("realdocs", type=Path, help="the realdocs folder (../shared/realdocs)")
    ap.add_argument("--db", type=Path, help="store to ingest into (default: a temporary one)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--errors", type=int, default=12, help="list up to N wrong items per section")
    ap.add_argument("--skip-identities", action="store_true", help="do not ingest (sections 1, 3, 4 only)")
    args = ap.parse_args(argv)
    if not args.realdocs.is_dir():
        print(f"{args.realdocs}: not a folder", file=sys.stderr)
        return 2
    ROOT_DOCS = args.realdocs.resolve()
    rel, ids, pairs = load_truth()
    parsed = Parsed(ROOT_DOCS)
    eval_relations(rel, parsed, args.errors)
    if not args.skip_identities:
        files = [t["file"] for t in ids["same"]] + [x[k]["file"] for x in ids["different"] for k in "ab"]
        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or Path(tmp) / "truth.db"
            store = ingest_store(ROOT_DOCS, files, db, args.workers)
            try:
                eval_identities(ids, store, args.errors)
            finally:
                store.close()
    eval_kinds(pairs, parsed, args.errors)
    eval_dropped(pairs, parsed, args.errors)
    for f, e in parsed.errors.items():
        print(f"unreadable: {f}: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
