"""Synthetic child documents of real parent documents, with known edits.

    python3 benchmarks/gen_mutations.py --out /tmp/mutations.jsonl --per-doc 4 --seed 1 \
        --cache /tmp/parents.json      # parsing the parents takes minutes; the cache keeps them
    python3 benchmarks/eval_alignment.py /tmp/mutations.jsonl

Parents: the seeds in corpus/ and the real documents in ../shared/realdocs with at least
three comparable tasks (tasks read with `cascade.parse.parse_file`; if the parser fails on
a file, a plain numbered-item splitter over the loader's text stands in). Short items
(under MIN_WORDS words: "Như Điều 3;") are left out: they cannot be aligned on words.

Each child is what a lower level might write: every parent task kept verbatim, lightly
edited (near-verbatim), reworded (paraphrase table benchmarks/data/paraphrases.tsv plus
clauses replaced), narrowed (clauses deleted), broadened (clauses added), split in two,
merged with the next task, or dropped; unrelated tasks (from other documents) added;
obligation words removed (weakening); the order shuffled. Edits are sized with margins
around the classifier's thresholds (near-verbatim ≤ 6 % of words changed; narrowed and
broadened ≥ 25 %; reworded: 25–50 % of the parent's words gone and 25–50 % of the child's
new, i.e. moderate), so a label is what was done, not what the aligner measures. Exact
repeats among a parent's tasks (table rows) are kept once: which copy was dropped is moot.

One JSON object a line: {"id", "source", "parent": [task], "child": [task], "truth": {
"links": [[parent_path, child_path]], "kinds": {parent_path: kind}, "added": [child_path],
"weakened": {parent_path: [signal]}}}. Deterministic for a given --seed and input.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cascade.align import units                                     # noqa: E402
from cascade.align.kinds import signal_words                        # noqa: E402
from cascade.align.similarity import tokens                         # noqa: E402
from cascade.models import Task                                     # noqa: E402
from cascade.text import clean, join_lines               # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
MIN_WORDS = 8
OPS = {  # operation → weight
    "verbatim": 0.08, "near-verbatim": 0.20, "reworded": 0.20, "narrowed": 0.10,
    "broadened": 0.10, "split": 0.07, "merged": 0.07, "dropped": 0.18,
}
WORD = re.compile(r"\w+", re.UNICODE)
PIECE = re.compile(r"\w+|[^\w\s]+|\s+", re.UNICODE)


# --------------------------------------------------------------------------- input
_ITEM = re.compile(r"^(?:(\d{1,2})[.)]|([a-zđ])\)|(Điều \d{1,3})[.:]?|([IVX]{1,5})\.)\s+(.*)$")


def _split_numbered(text: str) -> list[Task]:
    """Stand-in task reader: numbered / lettered items of the body, to 'Nơi nhận'."""
    tasks: list[Task] = []
    top = None
    for p in join_lines(clean(text).split("\n")):
        if p.startswith("Nơi nhận"):
            break
        m = _ITEM.match(p)
        if m:
            num, letter, art, roman, rest = m.groups()
            if letter and top:
                tasks.append(Task(f"{top}.{letter}", rest))
            elif not letter:
                top = num or (art.split()[1] if art else roman)
                tasks.append(Task(top, rest))
        elif tasks:
            tasks[-1].text += " " + p
    return tasks


def read_tasks(path: Path) -> tuple[list[Task], str]:
    try:
        from cascade.parse import parse_file
        rec = parse_file(path)
        if rec.ok:
            return rec.tasks, "parse_file"
    except Exception:       # the parser is young: fall back rather than lose the document
        pass
    try:
        from cascade.parse.load import load
        lt = load(path)
        return (_split_numbered(lt.text), "splitter") if lt.text else ([], "none")
    except Exception:
        return [], "none"


def _dedupe(tasks: list[Task]) -> list[Task]:
    out, seen = [], set()
    for t in tasks:
        key = " ".join(x.text for x in tokens(t.text))
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def parents(min_tasks: int = 3) -> list[tuple[str, list[Task]]]:
    files = sorted((ROOT / "corpus").glob("*.txt"))
    if (SHARED / "realdocs").is_dir():
        files += sorted(f for f in (SHARED / "realdocs").rglob("*") if f.is_file())
    out, how = [], {}
    for f in files:
        tasks, src = read_tasks(f)
        how[src] = how.get(src, 0) + 1
        # exact repeats (table rows) are interchangeable, so which one was dropped is moot: keep one
        u = _dedupe([t for t in units(tasks) if len(tokens(t.text)) >= MIN_WORDS])
        if len(u) >= min_tasks:
            out.append((str(f.relative_to(ROOT.parent)), u))
    print(f"parents: {len(out)} documents with ≥{min_tasks} tasks of ≥{MIN_WORDS} words "
          f"from {len(files)} files (tasks read by: {how})", file=sys.stderr)
    return out


# ---------------------------------------------------------------------- edit tools
def _load_paraphrases() -> list[tuple[list[str], str]]:
    pairs = []
    for line in (DATA / "paraphrases.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, _, b = line.partition("\t")
        pairs.append((WORD.findall(a.lower()), b))
        pairs.append((WORD.findall(b.lower()), a))
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


PARAPHRASES = _load_paraphrases()
CLAUSES = [l.strip() for l in (DATA / "added_clauses.txt").read_text(encoding="utf-8").splitlines()
           if l.strip() and not l.startswith("#")]


def nwords(text: str) -> int:
    return len(WORD.findall(text))


def paraphrase(text: str, rng: random.Random, prob: float) -> tuple[str, int, int]:
    """Swap table phrases (each occurrence with probability prob). → text, words out, words in."""
    pieces = PIECE.findall(text)
    words = [(k, p.lower()) for k, p in enumerate(pieces) if WORD.fullmatch(p)]
    out_words = in_words = 0
    w = 0
    replaced: dict[int, str] = {}
    skip: set[int] = set()
    while w < len(words):
        for src, dst in PARAPHRASES:
            n = len(src)
            if [x for _, x in words[w:w + n]] == src and rng.random() < prob:
                first, last = words[w][0], words[w + n - 1][0]
                rep = dst
                if pieces[first][:1].isupper():
                    rep = rep[:1].upper() + rep[1:]
                replaced[first] = rep
                skip.update(range(first + 1, last + 1))
                out_words += n
                in_words += nwords(dst)
                w += n
                break
        else:
            w += 1
    text = "".join(replaced.get(k, p) for k, p in enumerate(pieces) if k not in skip)
    return text, out_words, in_words


def clauses(text: str) -> list[str]:
    """Comma/semicolon/sentence pieces, punctuation kept at their ends."""
    return [c for c in re.findall(r"[^,;.]+[,;.]?", text) if WORD.search(c)]


def _typo(word: str, rng: random.Random) -> str:
    swaps = {"à": "á", "á": "à", "ả": "ã", "ạ": "ả", "ơ": "ở", "ư": "ừ", "ê": "ế", "ô": "ồ", "ộ": "ố"}
    idx = [k for k, ch in enumerate(word) if ch in swaps]
    if not idx:
        return word
    k = rng.choice(idx)
    return word[:k] + swaps[word[k]] + word[k + 1:]


def near_edit(text: str, rng: random.Random) -> str | None:
    """One or two small edits (at most 6 % of the words); None if the text did not change."""
    n = nwords(text)
    edits = 1 if n < 34 else rng.randint(1, 2)
    orig = text
    for _ in range(edits):
        for _attempt in range(8):
            pieces = PIECE.findall(text)
            wi = [k for k, p in enumerate(pieces) if WORD.fullmatch(p)]
            how = rng.choice(["drop", "typo", "comma", "insert"] if n >= 20 else ["typo", "comma"])
            k = rng.choice(wi[1:] or wi)
            if how == "drop":
                pieces[k] = ""
            elif how == "typo":
                pieces[k] = _typo(pieces[k], rng)
            elif how == "comma":
                commas = [j for j, p in enumerate(pieces) if p == ","]
                if commas:
                    pieces[rng.choice(commas)] = ""
                else:
                    pieces[k] = pieces[k] + ","
            else:
                pieces[k] = pieces[k] + " " + rng.choice(["các", "cụ thể", "đầy đủ", "thêm", "trực tiếp"])
            new = re.sub(r"\s{2,}", " ", "".join(pieces)).strip()
            if _squash(new) != _squash(text):
                text = new
                break
    return text if _squash(text) != _squash(orig) else None


def _squash(text: str) -> str:
    """What 'verbatim' ignores: spacing, case, final punctuation."""
    return re.sub(r"[\s.;:,/]+$", "", " ".join(text.split())).casefold()


def narrow(text: str, rng: random.Random) -> str | None:
    cl = clauses(text)
    n = nwords(text)
    if len(cl) < 3:
        return None
    order = list(range(1, len(cl)))            # keep the first clause: the verb of the task
    rng.shuffle(order)
    gone: set[int] = set()
    for k in order:
        if sum(nwords(cl[j]) for j in gone) >= 0.25 * n:
            break
        gone.add(k)
    lost = sum(nwords(cl[j]) for j in gone)
    if not (0.25 * n <= lost <= 0.65 * n):
        return None
    kept = "".join(c for j, c in enumerate(cl) if j not in gone).strip().rstrip(",;") + "."
    return re.sub(r"\s{2,}", " ", kept)


def broaden(text: str, rng: random.Random) -> str | None:
    n = nwords(text)
    extra: list[str] = []
    pool = CLAUSES[:]
    rng.shuffle(pool)
    while sum(nwords(c) for c in extra) < 0.25 * n and pool:
        extra.append(pool.pop())
    if sum(nwords(c) for c in extra) < 0.25 * n:
        return None
    return text.rstrip(" .;") + "; " + "; ".join(extra) + "."


REWORD = (0.25, 0.5)   # share of words changed by a rewording (--reword sets it)


def reword(text: str, rng: random.Random) -> str | None:
    """Moderate rewording: paraphrase, then replace clauses by clauses of about the same
    length, until 25–50 % of the parent's words went and 25–50 % of the child's are new."""
    lo, hi = REWORD
    n = nwords(text)
    if n < 12:
        return None
    new, out_w, in_w = paraphrase(text, rng, 0.8)
    cl = clauses(new)
    idx = list(range(len(cl)))
    rng.shuffle(idx)
    pool = CLAUSES[:]
    rng.shuffle(pool)
    for k in idx:
        if out_w >= lo * n and in_w >= lo * nwords(new):
            break
        size = nwords(cl[k])
        if not pool or out_w + size > hi * n:
            continue
        rep = " ".join(pool.pop().split()[:max(2, round(size * rng.uniform(0.7, 1.3)))])
        out_w += size
        in_w += nwords(rep)
        end = cl[k][-1] if cl[k][-1] in ",;." else ""
        lead = " " if cl[k].startswith(" ") else ""
        cl[k] = lead + rep + end
    new = re.sub(r"\s{2,}", " ", "".join(cl)).strip()
    m = nwords(new)
    if not (lo * n <= out_w <= hi * n and lo * m <= in_w <= hi * m):
        return None
    return new[:1].upper() + new[1:]


def split(text: str, rng: random.Random) -> tuple[str, str] | None:
    n = nwords(text)
    cuts = [m.end() for m in re.finditer(r"[.;]\s+", text)]
    cuts = [c for c in cuts if 0.3 * n <= nwords(text[:c]) <= 0.7 * n]
    if not cuts:
        return None
    c = rng.choice(cuts)
    a, b = text[:c].strip().rstrip(";") + ".", text[c:].strip()
    return a, b[:1].upper() + b[1:]


WEAKENABLE = {("phải",), ("nghiêm", "túc"), ("kịp", "thời"), ("khẩn", "trương"),
              ("chịu", "trách", "nhiệm"), ("quyết", "liệt"), ("thường", "xuyên")}


def weaken(text: str, rng: random.Random) -> tuple[str, str] | None:
    """Remove one obligation word present in the text. → text, the signal lost."""
    low = [w.lower() for w in WORD.findall(text)]
    cands = []
    for phrase in signal_words().get("obligation", []):
        n = len(phrase)
        # only phrases that occur exactly once: removing it must leave none behind
        occ = sum(1 for i in range(len(low)) if tuple(low[i:i + n]) == phrase)
        if occ == 1 and phrase in WEAKENABLE:
            cands.append(phrase)
    if not cands:
        return None
    phrase = rng.choice(sorted(cands))
    pat = re.compile(r"\s*\b" + r"\s+".join(map(re.escape, phrase)) + r"\b", re.I)
    new = pat.sub("", text, count=1)
    return new, " ".join(phrase)


# ------------------------------------------------------------------------ mutation
def _assignee(text: str):
    """A child's assignee and deadline as the parser would read them from its text."""
    try:
        from cascade.parse.tasks import assignee
        return assignee(text)
    except Exception:
        return None


def _deadline(text: str):
    try:
        from cascade.parse.tasks import deadline
        return deadline(text)
    except Exception:
        return None


def mutate(parent: list[Task], pool: list[str], rng: random.Random) -> tuple[list[Task], dict]:
    ops = list(OPS)
    weights = list(OPS.values())
    child: list[tuple[str, dict]] = []      # (text, meta) before numbering
    truth = {"links": [], "kinds": {}, "added": [], "weakened": {}}
    k = 0
    while k < len(parent):
        t = parent[k]
        for _ in range(6):
            op = rng.choices(ops, weights)[0]
            if op == "merged" and k + 1 >= len(parent):
                continue
            if op == "dropped" and sum(1 for v in truth["kinds"].values() if v == "dropped") >= len(parent) - 1:
                continue
            res = None
            if op == "verbatim":
                res = t.text
            elif op == "near-verbatim":
                res = near_edit(t.text, rng)
            elif op == "reworded":
                res = reword(t.text, rng)
            elif op == "narrowed":
                res = narrow(t.text, rng)
            elif op == "broadened":
                res = broaden(t.text, rng)
            elif op == "split":
                res = split(t.text, rng)
            elif op == "merged":
                res = t.text.rstrip(" .;") + "; " + parent[k + 1].text[:1].lower() + parent[k + 1].text[1:]
            elif op == "dropped":
                res = ""
            if res is not None:
                break
        else:
            op, res = "verbatim", t.text
        if op == "dropped":
            truth["kinds"][t.path] = "dropped"
        elif op == "split":
            child.append((res[0], {"parents": [t.path]}))
            child.append((res[1], {"parents": [t.path]}))
            truth["kinds"][t.path] = "split"
        elif op == "merged":
            child.append((res, {"parents": [t.path, parent[k + 1].path]}))
            truth["kinds"][t.path] = truth["kinds"][parent[k + 1].path] = "merged"
            k += 1
        else:
            text = res
            if op in ("verbatim", "near-verbatim", "reworded") and rng.random() < 0.3:
                w = weaken(text, rng)
                if w:
                    text, signal = w
                    truth["weakened"][t.path] = [f"obligation: {signal}"]
                    if op == "verbatim":
                        op = "near-verbatim"
            child.append((text, {"parents": [t.path]}))
            truth["kinds"][t.path] = op
        k += 1
    # added tasks from other documents
    for _ in range(rng.choices([0, 1, 2], [0.5, 0.35, 0.15])[0]):
        if pool:
            child.insert(rng.randint(0, len(child)), (rng.choice(pool), {"parents": []}))
    if rng.random() < 0.5:
        rng.shuffle(child)
    tasks = []
    for n, (text, meta) in enumerate(child, 1):
        path = str(n)
        tasks.append(Task(path=path, text=text, marker=f"{n}.", assignee=_assignee(text),
                          deadline=_deadline(text)))
        if not meta["parents"]:
            truth["added"].append(path)
        for p in meta["parents"]:
            truth["links"].append([p, path])
    return tasks, truth


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-doc", type=int, default=3, help="children per parent document")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-tasks", type=int, default=3)
    ap.add_argument("--cache", type=Path, help="JSON file keeping the parsed parents between runs")
    ap.add_argument("--reword", default="0.25,0.5",
                    help="share of words a rewording changes, low,high (default moderate: 0.25,0.5)")
    args = ap.parse_args(argv)
    global REWORD
    REWORD = tuple(float(x) for x in args.reword.split(","))
    if args.cache and args.cache.exists():
        docs = [(s, [Task(**t) for t in ts]) for s, ts in json.loads(args.cache.read_text(encoding="utf-8"))]
        docs = [(s, ts) for s, ts in ((s, _dedupe(ts)) for s, ts in docs) if len(ts) >= args.min_tasks]
    else:
        docs = parents(args.min_tasks)
        if args.cache:
            args.cache.write_text(json.dumps([(s, [asdict(t) for t in ts]) for s, ts in docs],
                                             ensure_ascii=False), encoding="utf-8")
    if not docs:
        sys.exit("gen_mutations: no parent document with enough tasks (is ../shared/realdocs there?)")
    rng = random.Random(args.seed)
    from rapidfuzz import fuzz, process
    n = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for d, (source, tasks) in enumerate(docs):
            # tasks another document could add: not from the same case folder, and not a
            # near-copy of one of this parent's tasks (charters of two associations share
            # most articles: such an "added" task would really be a kept one)
            folder = str(Path(source).parent)
            cands = [t.text for s, ts in docs if str(Path(s).parent) != folder for t in ts]
            cands = rng.sample(cands, min(len(cands), 300))
            if cands:
                best = process.cdist(cands, [t.text for t in tasks], scorer=fuzz.ratio,
                                     workers=-1).max(axis=1)
                pool = [c for c, b in zip(cands, best) if b < 60]
            else:
                pool = []
            for r in range(args.per_doc):
                child, truth = mutate(tasks, pool, rng)
                fh.write(json.dumps({"id": f"{d}-{r}", "source": source,
                                     "parent": [asdict(t) for t in tasks],
                                     "child": [asdict(t) for t in child], "truth": truth},
                                    ensure_ascii=False) + "\n")
                n += 1
    print(f"wrote {n} parent–child pairs from {len(docs)} parent documents to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
