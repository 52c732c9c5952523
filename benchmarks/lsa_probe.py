"""Would meaning learnt from the folder itself tell a false `dropped task` from a true one?

    python benchmarks/lsa_probe.py ../shared/realdocs [--dims 150]

Issue 10's remaining false drops are duties a child carries in other words. This probe builds a
latent-semantic space from the folder being read (TF-IDF of lower-cased syllables and syllable
pairs over every paragraph of every parsed document, then a truncated SVD) and, for each parent
duty of the hand-checked pairs (tests/truth/pairs.json) that the aligner calls dropped, takes its
best cosine to the child's items in that space and in the aligner's own lexical space. It prints
the AUC of each — the chance that a false drop scores above a true one (what a threshold would
need to be 1.0 to separate them) — and the items in order. Only numpy/scipy: nothing is installed
for it, and the product does not use it.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_cascade as E  # noqa: E402

from cascade.align import align_records, units  # noqa: E402
from cascade.align.delivered import child_types  # noqa: E402
from cascade.align.similarity import acronyms, scores  # noqa: E402
from cascade.doctypes import NEITHER, duty_role  # noqa: E402
from cascade.files import walk  # noqa: E402
from cascade.parse import parse_file  # noqa: E402

WORD = re.compile(r"\w+")
SPLIT = re.compile(r"\n\s*\n|\n(?=\s*(?:[-+•]|\d+\.|[a-zđ]\)))")


def terms(text: str) -> list[str]:
    w = WORD.findall(unicodedata.normalize("NFC", text.lower()))
    return w + [a + " " + b for a, b in zip(w, w[1:])]


class Space:
    """TF-IDF (sublinear tf, smooth idf, terms in ≥ 2 paragraphs) → `dims` SVD dimensions."""

    def __init__(self, paragraphs: list[str], dims: int):
        df = Counter(t for p in paragraphs for t in set(terms(p)))
        self.vocab = {t: i for i, t in enumerate(sorted(t for t, n in df.items() if n >= 2))}
        n = len(paragraphs)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(self.vocab, key=self.vocab.get)])
        u, s, vt = svds(self.tfidf(paragraphs), k=dims)
        self.basis = vt.T                              # terms × dims

    def tfidf(self, texts: list[str]):
        rows, cols, vals = [], [], []
        for i, t in enumerate(texts):
            for term, c in Counter(x for x in terms(t) if x in self.vocab).items():
                rows.append(i), cols.append(self.vocab[term]), vals.append((1 + math.log(c)) * self.idf[self.vocab[term]])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab)))
        norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
        return sparse.diags(1 / np.where(norms > 0, norms, 1)) @ m

    def embed(self, texts: list[str]) -> np.ndarray:
        x = self.tfidf(texts) @ self.basis
        return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def auc(higher: list[float], lower: list[float]) -> float:
    """P(a value of `higher` > a value of `lower`), ties half."""
    if not higher or not lower:
        return float("nan")
    return float(np.mean([[1.0 if a > b else 0.5 if a == b else 0.0 for b in lower] for a in higher]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--dims", type=int, default=150)
    a = ap.parse_args(argv)
    E.ROOT_DOCS = a.folder.resolve()
    paragraphs = []
    for p in walk([a.folder]):
        try:
            text = parse_file(p).text or ""
        except Exception:                     # a file the parser refuses adds nothing to the space
            continue
        paragraphs += [q for q in (" ".join(x.split()) for x in SPLIT.split(text)) if len(q) > 40]
    space = Space(paragraphs, a.dims)
    parsed = E.Parsed(E.ROOT_DOCS)
    _, _, pairs = E.load_truth()
    rows = []
    for p in pairs:
        prec, crec = parsed(p["parent"]), parsed(p["child"])
        if not prec or not prec.tasks or not crec or not crec.tasks:
            continue
        if duty_role(child_types(crec.doc_type, crec.title or crec.subject)) == NEITHER:
            continue                           # `flag` says nothing of these
        al = align_records(prec, crec)
        P, C = units(prec.tasks), units(crec.tasks, child=True)
        lex = scores([t.text for t in P], [t.text for t in C], "syllable",
                     acronyms([t.text for t in prec.tasks + crec.tasks])).cos
        lsa = space.embed([t.text for t in P]) @ space.embed([t.text for t in C]).T
        where = {t.path: i for i, t in enumerate(P)}
        upaths = set(where)
        for item, kind, is_drop in E.truth_items(p):
            t = E.match_task(prec.tasks, item["text"]) if kind == "task" else None
            if t is None or t.path not in where or not E.flagged_dropped(al, upaths, t):
                continue
            i = where[t.path]
            rows.append((is_drop, float(lex[i].max()), float(lsa[i].max()), item["ref"], Path(p["child"]).name[:28]))
    true = [r for r in rows if r[0]]
    false = [r for r in rows if not r[0]]
    print(f"{len(paragraphs):,} paragraphs, {len(space.vocab):,} terms, {a.dims} dimensions; "
          f"flagged dropped: {len(true)} true, {len(false)} false")
    print(f"AUC (a false drop scores above a true one): lexical {auc([r[1] for r in false], [r[1] for r in true]):.3f}"
          f"   latent-semantic {auc([r[2] for r in false], [r[2] for r in true]):.3f}")
    for r in sorted(rows, key=lambda r: r[2]):
        print(f"  {'true ' if r[0] else 'FALSE'} lexical {r[1]:.2f}  lsa {r[2]:.2f}  {r[3][:26]:26} {r[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
