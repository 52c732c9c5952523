"""`cascade export DOCUMENT`: the cascade below one document, what `cascade tree` shows, as a file.

At national size the whole graph is gigabytes (2.0 GiB of JSON at 100,000 documents,
benchmarks/README.md); an analyst exports the directive they follow. Real text: the five seeds
(corpus/). By ../shared/gold/seeds.json and the documents: seed 000 (a town's letter, no header)
implements Chỉ thị 03/CT-UBND of Hưng Yên (seed 001, identified: it has no number of its own), which
implements 57-NQ/TW; seed 004 (432/UBND-VHXXH of phường Uông Bí) implements Quảng Ninh's 2630/UBND-TH.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner


runner = CliRunner()


pytestmark = pytest.mark.usefixtures("english")


def export_json(tmp_path, db, *args) -> dict:
    out = tmp_path / "g.json"
    r = runner.invoke(__import__("cli").app, ["export", *args, "--db", db, "-f", "json", "-o", str(out), "--force"])
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))


def labels(g: dict) -> set[str]:
    return {n["label"] for n in g["nodes"]}


def test_a_directives_subtree_holds_it_and_what_carries_it_out(tmp_path, seed_db):
    g = export_json(tmp_path, seed_db, "03/CT-UBND")
    assert labels(g) == {"03/CT-UBND", "000_6c98d13a1ba499c1.txt"}
    edges = g.get("edges", g.get("links"))
    by_id = {n["id"]: n["label"] for n in g["nodes"]}
    assert [(by_id[e["source"]], by_id[e["target"]], e["relation"]) for e in edges] == \
        [("000_6c98d13a1ba499c1.txt", "03/CT-UBND", "implements")]
    # documents named by content, as in a whole export: a store's ids do not leak
    assert all(not n["id"].startswith("doc:") or len(n["id"]) == len("doc:") + 16 for n in g["nodes"])


def test_the_roots_subtree_is_the_tree_not_the_store(tmp_path, seed_db):
    whole = export_json(tmp_path, seed_db)
    below = export_json(tmp_path, seed_db, "57-NQ/TW")
    assert {"57-NQ/TW", "03/CT-UBND", "000_6c98d13a1ba499c1.txt", "2630/UBND-TH", "432/UBND-VHXXH"} <= labels(below)
    assert labels(below) < labels(whole)
    # the same nodes carry the same attributes in both files
    whole_nodes = {n["id"]: n for n in whole["nodes"]}
    assert all(whole_nodes[n["id"]] == n for n in below["nodes"])


def test_a_relation_a_tree_never_follows_is_refused(tmp_path, seed_db):
    r = runner.invoke(__import__("cli").app, ["export", "57-NQ/TW", "-r", "responds", "--db", seed_db,
                                              "-f", "json", "-o", str(tmp_path / "x.json")])
    assert r.exit_code == 2 and "responds" in r.output
    assert not (tmp_path / "x.json").exists()
