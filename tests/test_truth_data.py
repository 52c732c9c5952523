"""The hand-checked truth set of issue 10 (tests/truth/) is well formed.

These tests check the data, not cascade: allowed values, minimum counts, every file named
exists in realdocs, and the quoted evidence is really in the named document (read with the
loaders, whose text is what a reader sees; a missing optional tool skips that file).
`benchmarks/eval_cascade.py` measures cascade against the same data.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

TRUTH = Path(__file__).parent / "truth"
REALDOCS = Path(__file__).resolve().parents[1].parent / "shared" / "realdocs"
RELATIONS = {"basis", "implements", "responds", "guides", "amends", "replaces", "repeals", "mentions"}
NOT_DUTY_KINDS = {"objective", "principle", "basis", "boilerplate", "decision", "information", "context"}

needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason=f"{REALDOCS} not present")


def load(name: str) -> dict:
    return json.loads((TRUTH / name).read_text(encoding="utf-8"))


def fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("\ufffe", "-").replace("|", " ")
    return re.sub(r"\s+", " ", s).strip().lower()


def test_relations_shape_and_counts():
    rel = load("relations.json")["relations"]
    assert len(rel) >= 80
    assert len({r["file"] for r in rel}) >= 25
    assert {Path(r["file"]).suffix.lower() for r in rel} >= {".docx", ".doc", ".pdf"}
    for r in rel:
        assert set(r) >= {"file", "cited", "key", "relation", "evidence", "why"}, r
        assert r["relation"] in RELATIONS, r
        assert r["evidence"].strip() and r["why"].strip() and r["key"].strip(), r
    # one truth value per (file, cited document): the strongest relation already chosen
    keys = [(r["file"], r["key"]) for r in rel]
    assert len(keys) == len(set(keys))
    # the hard cases the issue asks for are present
    kinds = {r["relation"] for r in rel}
    assert {"basis", "implements", "responds", "mentions", "replaces"} <= kinds


def test_identities_shape_and_counts():
    ids = load("identities.json")
    assert len(ids["same"]) >= 25
    assert len(ids["different"]) >= 5
    assert any(s["identity"] == "self" for s in ids["same"])
    for s in ids["same"]:
        assert set(s) >= {"file", "as_written", "identity", "why"}, s
    for d in ids["different"]:
        assert d["same"] is False and d["a"]["identity"] != d["b"]["identity"], d
    # an identity (but 'self') stands in the set at least twice, or once in a spelling of its own
    seen: dict[str, list] = {}
    for s in ids["same"]:
        seen.setdefault(s["identity"], []).append(s["as_written"])
    for ident, ways in seen.items():
        if ident != "self" and len(ways) < 2:
            assert fold(ident) != fold(ways[0]), (ident, ways)


def test_pairs_shape_and_counts():
    pairs = load("pairs.json")["pairs"]
    assert len(pairs) >= 15
    for p in pairs:
        assert p["parent"] != p["child"] and p["evidence"].strip()
        assert p["duties"], p["parent"]
        for d in p["duties"]:
            assert set(d) >= {"ref", "text", "carried", "child_refs"}, d
            assert isinstance(d["carried"], bool)
            assert not (d.get("applies") is False and d["carried"]), d
            assert d["child_refs"] or not d["carried"] or d.get("note"), d
        for n in p["not_duties"]:
            assert n["kind"] in NOT_DUTY_KINDS, n
    assert sum(1 for p in pairs for d in p["duties"] if not d["carried"] and d.get("applies", True)) >= 10


@needs_realdocs
def test_every_file_exists():
    names = [r["file"] for r in load("relations.json")["relations"]]
    ids = load("identities.json")
    names += [s["file"] for s in ids["same"]] + [d[k]["file"] for d in ids["different"] for k in "ab"]
    names += [p[k] for p in load("pairs.json")["pairs"] for k in ("parent", "child")]
    missing = sorted({n for n in names if not (REALDOCS / n).is_file()})
    assert not missing, missing


def _text(rel: str) -> str:
    from cascade.parse.load import load as load_file
    lt = load_file(str(REALDOCS / rel))
    return fold(lt.text or "")


@needs_realdocs
@pytest.mark.parametrize("ext", [".docx", ".doc", ".pdf"])
def test_relation_evidence_is_in_the_document(ext):
    """Each quoted piece of evidence stands in the loaded text of its file."""
    if ext == ".doc":
        import shutil
        if not shutil.which("antiword"):
            pytest.skip("antiword not installed")
    rel = [r for r in load("relations.json")["relations"] if r["file"].lower().endswith(ext)]
    texts: dict[str, str] = {}
    missing = []
    for r in rel:
        if r["file"] not in texts:
            texts[r["file"]] = re.sub(r"[\s/]+", " ", _text(r["file"]))
        for part in r["evidence"].split("…"):
            piece = re.sub(r"[\s/]+", " ", fold(part)).strip(" ,;.")
            if piece and piece not in texts[r["file"]]:
                missing.append((r["file"], piece[:80]))
    assert not missing, missing
