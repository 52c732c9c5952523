"""The cascade graph over the five seeds (real parser) and over small fixture records.

Expected chains, identifications and provinces come from the hand-checked gold file
(../shared/gold/seeds.json, "corpus" block); lags are computed here by hand from the dates
the seeds print (002 of 22/8/2025 answers 2630/UBND-TH of 31/7/2025: 22 days).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cascade.graph.build import build
from cascade.graph.export import ExportError, export
from cascade.ingest import ingest
from cascade.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold" / "seeds.json"
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def gold():
    if not GOLD.exists():
        pytest.skip(f"{GOLD} not found: the gold file lives in ../shared beside the checkout")
    return json.loads(GOLD.read_text(encoding="utf-8"))["corpus"]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    corpus = d / "corpus"
    shutil.copytree(CORPUS, corpus)
    db = d / "seeds.db"
    s = ingest([corpus], db, workers=2)
    assert (s.parsed, s.failed) == (5, 0), s.failures
    return db, corpus


@pytest.fixture(scope="module")
def cas(seeds_db):
    with Store(seeds_db[0]) as st:
        return build(st)


def node_of(cas, ref: str) -> str:
    """Gold names a document by file name or by `KEY (issuer, not in corpus)`."""
    return cas.find(ref.split(" (")[0])


# ------------------------------------------------------------------ seeds, against the gold file
def test_001_is_identified_as_the_hung_yen_directive_03(cas, gold):
    (want,) = gold["identified"]
    n = cas.find(want["document"])
    a = cas.graph.nodes[n]
    ident = cas.identified[a["doc_id"]]
    assert a["number"] == want["is"]
    assert ident.date == a["date"] == want["date"]
    assert a["province"] == "Hưng Yên" and a["province_inferred"]
    assert ident.method == "fuzzy" and ident.confidence >= 0.8
    # the evidence: titles nearly word for word, same type, same level, the five tasks carried over
    assert ident.evidence["title_similarity"] >= 90
    assert ident.evidence["type_match"] is True
    assert ident.evidence["level_match"] is True
    assert ident.evidence["task_overlap"] == "5/5"
    assert cas.find("03/CT-UBND") == n


def test_provinces_inferred_as_gold_with_their_source(cas, gold):
    for doc, province in gold["inferred_province"].items():
        a = cas.graph.nodes[cas.find(doc)]
        assert a["province"] == province, doc
        assert a["province_source"], doc
    # 000 only knows it is a thị xã: Hưng Yên comes through its parent 001
    a000 = cas.graph.nodes[cas.find("000_6c98d13a1ba499c1.txt")]
    assert a000["province_inferred"] and a000["province_source"].startswith("parent:03/CT-UBND")
    # 003 (xã Đại Sơn) through 957/UBND-NVKTGS of UBND thành phố Hải Phòng
    a003 = cas.graph.nodes[cas.find("003_232fe3f8f8ad3045.txt")]
    assert a003["province_inferred"] and "957/UBND-NVKTGS" in a003["province_source"]
    # 004 says Lào Cai in its own header
    a004 = cas.graph.nodes[cas.find("004_8bd8b29eb5fe5b82.txt")]
    assert a004["province_source"] == "header" and not a004["province_inferred"]


def test_gold_cascades_are_implements_chains(cas, gold):
    G = cas.graph
    for chain in gold["cascades"]:
        nodes = [node_of(cas, x) for x in chain]
        for x, n in zip(chain, nodes):
            if x.endswith(".txt"):
                assert G.nodes[n]["in_corpus"], x
            elif "not in corpus" in x:
                assert not G.nodes[n]["in_corpus"], x
        for parent, child in zip(nodes, nodes[1:]):
            assert G.has_edge(child, parent), (child, parent)
            assert G.edges[child, parent]["relation"] == "implements", (child, parent)


def _paths(tree: dict, prefix=()) -> set[tuple]:
    here = prefix + (tree["node"],)
    out = {here}
    for c in tree["children"]:
        out |= _paths(c, here)
    return out


def test_tree_shows_each_gold_chain_from_its_root(cas, gold):
    for chain in gold["cascades"]:
        nodes = tuple(node_of(cas, x) for x in chain)
        t = cas.tree(nodes[0])
        assert nodes in _paths(t), chain


def test_tree_hides_the_shortcut_past_a_more_local_parent(cas):
    # 003 implements 73/2023/NĐ-CP directly and through 957/UBND-NVKTGS: shown under 957 only
    t = cas.tree("73/2023/NĐ-CP")
    n003 = cas.find("003_232fe3f8f8ad3045.txt")
    assert n003 not in [c["node"] for c in t["children"]]
    (n957,) = [c for c in t["children"] if c["label"] == "957/UBND-NVKTGS"]
    assert [c["node"] for c in n957["children"]] == [n003]


def test_external_nodes_merge_what_every_citation_says(cas):
    G = cas.graph
    a = G.nodes[cas.find("73/2023/NĐ-CP")]
    assert (a["kind"], a["in_corpus"], a["date"], a["issuer"], a["level"]) == \
        ("external", False, "2023-09-29", "Chính phủ", "central")
    assert a["n_citing"] == 5            # every seed cites it
    q = G.nodes[cas.find("2630/UBND-TH")]
    assert (q["date"], q["doc_type"], q["province"], q["level"]) == ("2025-07-31", "công văn", "Quảng Ninh", "province")
    # the relative "Ban Thường vụ Tỉnh ủy" of 001 belongs to 001's province
    k = G.nodes[cas.find("386-KH/TU")]
    assert k["province"] == "Hưng Yên" and k["province_source"].startswith("citing:")


def test_lags_in_days_where_both_dates_are_full(cas):
    G = cas.graph
    e = G.edges[cas.find("002_99b20f177fc5dcd7.txt"), cas.find("2630/UBND-TH")]
    assert (e["has_lag"], e["lag_days"]) == (True, 22)      # 31/7/2025 → 22/8/2025
    e = G.edges[cas.find("03/CT-UBND"), cas.find("57-NQ/TW")]
    assert (e["has_lag"], e["lag_days"]) == (True, 124)     # 22/12/2024 → 25/4/2025
    e = G.edges[cas.find("003_232fe3f8f8ad3045.txt"), cas.find("957/UBND-NVKTGS")]
    assert e["has_lag"] is False                            # 003 is dated "tháng 5 năm 2026" only


def test_gold_anomalies_are_flagged(cas, gold):
    kinds = {}
    for an in cas.anomalies:
        kinds.setdefault(Path(an["path"]).name, set()).add(an["kind"])
    assert "citation number conflicts with cited title" in kinds["000_6c98d13a1ba499c1.txt"]
    assert "no number, no date, no issuer header" in kinds["000_6c98d13a1ba499c1.txt"]
    for doc in ("003_232fe3f8f8ad3045.txt", "004_8bd8b29eb5fe5b82.txt"):
        assert {"number left blank", "day left blank"} <= kinds[doc], doc
    (conflict,) = [a for a in cas.anomalies if a["kind"] == "citation number conflicts with cited title"]
    assert "52-NQ/TW" in conflict["detail"] and "57-NQ/TW" in conflict["detail"]


# ------------------------------------------------------------------ export
def test_graphml_round_trip_keeps_nodes_edges_and_attributes(cas, tmp_path):
    out = tmp_path / "c.graphml"
    export(cas.graph, "graphml", out)
    H = nx.read_graphml(out)
    G = cas.graph
    assert set(H.nodes) == set(G.nodes)
    assert set(H.edges) == set(G.edges)
    for n, a in G.nodes(data=True):
        assert H.nodes[n] == a, n
    for u, v, a in G.edges(data=True):
        assert H.edges[u, v] == a, (u, v)


@pytest.mark.parametrize("fmt", ["gexf", "json", "csv"])
def test_other_formats_write_and_never_overwrite(cas, tmp_path, fmt):
    out = tmp_path / f"c.{fmt}"
    export(cas.graph, fmt, out)
    assert out.stat().st_size > 0
    with pytest.raises(ExportError, match="--force"):
        export(cas.graph, fmt, out)
    export(cas.graph, fmt, out, force=True)
    if fmt == "json":
        d = json.loads(out.read_text(encoding="utf-8"))
        assert len(d["nodes"]) == cas.graph.number_of_nodes()
    if fmt == "gexf":
        assert set(nx.read_gexf(out).nodes) == set(cas.graph.nodes)


# ------------------------------------------------------------------ user decisions survive re-ingest
def test_identify_reject_and_alias_survive_reingest(seeds_db, tmp_path, store_url):
    db = store_url
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_db[1], corpus)
    ingest([corpus], db, workers=1)
    with Store(db) as st:
        c = build(st)
        n001 = c.find("001_73a28ad4b9504abc.txt")
        st.set_override(c.graph.nodes[n001]["doc_id"], None, rejected=True)
        n000 = c.find("000_6c98d13a1ba499c1.txt")
        st.set_alias("52-NQ/TW", "57-NQ/TW", c.graph.nodes[n000]["doc_id"])
    # the files change on disk: 001 edited (one more line), all re-ingested
    p001 = corpus / "001_73a28ad4b9504abc.txt"
    p001.write_text(p001.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    s = ingest([corpus], db, workers=1)
    assert s.changed == 1
    with Store(db) as st:
        c = build(st)
        a = c.graph.nodes[c.find("001_73a28ad4b9504abc.txt")]
        assert not a["identified"]                       # rejected stays rejected
        n000 = c.find("000_6c98d13a1ba499c1.txt")
        assert c.graph.has_edge(n000, c.find("57-NQ/TW"))   # the typo is read as 57-NQ/TW
        with pytest.raises(LookupError):
            c.find("52-NQ/TW")
        # now the user says what it is: method user, confidence 1
        st.set_override(a["doc_id"], "03/CT-UBND", date="2025-04-25", issuer="Chủ tịch UBND tỉnh Hưng Yên")
    ingest([corpus], db, workers=1)
    with Store(db) as st:
        c = build(st)
        n = c.find("03/CT-UBND")
        ident = c.identified[c.graph.nodes[n]["doc_id"]]
        assert (ident.method, ident.confidence, c.graph.nodes[n]["province"]) == ("user", 1.0, "Hưng Yên")
        assert c.graph.has_edge(c.find("000_6c98d13a1ba499c1.txt"), n)


# ------------------------------------------------------------------ CLI
def test_cli_views_and_errors(seeds_db, tmp_path):
    from cli import app
    db = str(seeds_db[0])
    r = CliRunner().invoke(app, ["tree", "57-NQ/TW", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    t = json.loads(r.stdout)
    assert t["label"] == "57-NQ/TW" and t["children"]
    r = CliRunner().invoke(app, ["docs", "--db", db, "--province", "hung yen", "--json"])
    assert r.exit_code == 0
    assert sorted(Path(x["path"]).name for x in json.loads(r.stdout)) == \
        ["000_6c98d13a1ba499c1.txt", "001_73a28ad4b9504abc.txt"]
    r = CliRunner().invoke(app, ["docs", "--db", db, "--level", "commune", "--csv"])
    assert r.exit_code == 0 and r.stdout.count("\n") == 3     # header + 002 + 003
    r = CliRunner().invoke(app, ["show", "432/UBND-VHXXH", "--db", db, "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["date"] == "2025-08-22"
    r = CliRunner().invoke(app, ["show", "999/XYZ-ABC", "--db", db])
    assert r.exit_code == 1 and "no document" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["docs", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "no such store" in " ".join(r.output.split())
    out = tmp_path / "g.graphml"
    r = CliRunner().invoke(app, ["export", "--format", "graphml", "-o", str(out), "--db", db])
    assert r.exit_code == 0 and out.exists()
    r = CliRunner().invoke(app, ["export", "--format", "graphml", "-o", str(out), "--db", db])
    assert r.exit_code == 1 and "--force" in r.output


# ------------------------------------------------------------------ fixtures: resolution rules
def _fixture_db(db, records: list[dict]):
    """Store FIXTURE records (dicts written by hand, not parser output) straight into a store:
    `db` a store (`store_url`: on each backend) or a folder to make fx.db in."""
    from cascade.models import Record
    from cascade.store import row_from_record
    if isinstance(db, Path) and db.is_dir():
        db = db / "fx.db"
    with Store(db) as st:
        items = []
        for i, d in enumerate(records):
            rec = Record.from_dict({"format": "txt", "sha256": f"sha{i}", **d})
            items.append((d["source"], 1, 1, row_from_record(rec)))
        st.save_parsed(items)
    return db


def _cit(number, relation="implements", **kw):
    from cascade.parse.citations import is_national, make_key
    key = make_key(number)
    return {"type": kw.pop("type", "công văn"), "number": number, "key": key, "text": f"số {number}",
            "start": 0, "end": 1, "relation": relation, "national": is_national(key), **kw}


def test_local_key_needs_matching_province_and_year(store_url):
    # two provinces both issue a 12/UBND-VP; a Lâm Đồng commune cites Lâm Đồng's of 2025
    recs = [
        {"source": "/fx/ld.txt", "number": "12/UBND-VP", "key": "12/UBND-VP", "date": "2025-03-01",
         "issuer": {"name": "UBND tỉnh Lâm Đồng", "level": "province", "province": "Lâm Đồng"}},
        {"source": "/fx/qn.txt", "number": "12/UBND-VP", "key": "12/UBND-VP", "date": "2025-03-05",
         "issuer": {"name": "UBND tỉnh Quảng Ninh", "level": "province", "province": "Quảng Ninh"}},
        {"source": "/fx/old.txt", "number": "12/UBND-VP", "key": "12/UBND-VP", "date": "2019-01-01",
         "issuer": {"name": "UBND tỉnh Lâm Đồng", "level": "province", "province": "Lâm Đồng"}},
        {"source": "/fx/child.txt", "number": "5/UBND", "key": "5/UBND", "date": "2025-03-20",
         "issuer": {"name": "UBND xã Lạc Dương", "level": "commune", "province": "Lâm Đồng"},
         "citations": [_cit("12/UBND-VP", date="2025-03-01", year=2025, issuer="UBND tỉnh Lâm Đồng")]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    child = c.find("/fx/child.txt")
    (parent,) = list(c.graph.successors(child))
    assert c.graph.nodes[parent]["path"] == "/fx/ld.txt"
    assert c.graph.edges[child, parent]["lag_days"] == 19


def test_child_dated_before_its_parent_is_an_anomaly(store_url):
    recs = [
        {"source": "/fx/p.txt", "number": "7/KH-UBND", "key": "7/KH-UBND", "date": "2025-06-10",
         "doc_type": "kế hoạch", "issuer": {"name": "UBND tỉnh Lâm Đồng", "level": "province", "province": "Lâm Đồng"}},
        {"source": "/fx/c.txt", "number": "3/UBND", "key": "3/UBND", "date": "2025-06-01",
         "issuer": {"name": "UBND xã Lạc Dương", "level": "commune", "province": "Lâm Đồng"},
         "citations": [_cit("7/KH-UBND", type="kế hoạch", date="2025-06-10", year=2025, issuer="UBND tỉnh Lâm Đồng")]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    e = c.graph.edges[c.find("/fx/c.txt"), c.find("7/KH-UBND")]
    assert (e["lag_days"], e["anomaly"]) == (-9, "dated before its parent")
    assert any(a["kind"] == "dated before its parent" for a in c.anomalies)


def test_fuzzy_identification_refuses_a_type_or_date_conflict(store_url):
    title = "tăng cường công tác phòng, chống ma túy trên địa bàn tỉnh năm 2026"
    recs = [
        # a number-less kế hoạch with the cited title, but the citation names a chỉ thị
        {"source": "/fx/kh.txt", "doc_type": "kế hoạch", "title": title,
         "issuer": {"name": "UBND tỉnh", "level": "province", "inferred": True}},
        # a number-less chỉ thị with the title but dated a year off
        {"source": "/fx/ct.txt", "doc_type": "chỉ thị", "title": title, "date": "2024-02-01",
         "issuer": {"name": "UBND tỉnh", "level": "province", "inferred": True}},
        {"source": "/fx/child.txt", "number": "9/UBND", "key": "9/UBND", "date": "2026-03-01",
         "citations": [_cit("4/CT-UBND", type="chỉ thị", date="2026-01-15", year=2026,
                            issuer="Chủ tịch UBND tỉnh Lâm Đồng", title=title)]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    assert c.identified == {}
    assert c.graph.nodes[c.find("4/CT-UBND")]["kind"] == "external"


def test_a_local_key_of_another_year_is_another_external_document(store_url):
    # running numbers restart every year: 12/UBND-VP of 2024 and of 2025 are two documents
    recs = [
        {"source": "/fx/a.txt", "number": "1/UBND", "key": "1/UBND", "date": "2025-05-01",
         "issuer": {"name": "UBND xã Lạc Dương", "level": "commune", "province": "Lâm Đồng"},
         "citations": [_cit("12/UBND-VP", date="2025-03-01", year=2025, issuer="UBND tỉnh Lâm Đồng"),
                       _cit("73/2023/NĐ-CP", type="nghị định", date="2023-09-29", year=2023, issuer="Chính phủ")]},
        {"source": "/fx/b.txt", "number": "2/UBND", "key": "2/UBND", "date": "2025-06-01",
         "issuer": {"name": "UBND xã Đơn Dương", "level": "commune", "province": "Lâm Đồng"},
         "citations": [_cit("12/UBND-VP", date="2024-02-01", year=2024, issuer="UBND tỉnh Lâm Đồng"),
                       _cit("73/2023/NĐ-CP", type="nghị định", year=2023, issuer="Chính phủ")]},
        {"source": "/fx/c.txt", "number": "3/UBND", "key": "3/UBND", "date": "2025-07-01",
         "issuer": {"name": "UBND xã Đơn Dương", "level": "commune", "province": "Lâm Đồng"},
         "citations": [_cit("12/UBND-VP", date="2025-03-01", year=2025, issuer="UBND tỉnh Lâm Đồng")]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    G = c.graph
    ext = sorted((a["date"], a["n_citing"]) for n, a in G.nodes(data=True) if a["key"] == "12/UBND-VP")
    assert ext == [("2024-02-01", 1), ("2025-03-01", 2)]
    with pytest.raises(LookupError, match="ambiguous"):
        c.find("12/UBND-VP")
    # a national key is one document however many cite it
    assert G.nodes[c.find("73/2023/NĐ-CP")]["n_citing"] == 2


def test_saved_graph_reads_back_identical_and_trees_from_it_match(seeds_db, cas):
    from cascade import queries
    from cascade.graph.cascade import Adjacency
    from cascade.graph.saved import around, current, load
    from cascade.queries import fold_versions
    with Store(seeds_db[0]) as st:
        current(st)                                  # ingest saved it already; nothing stale
        assert st.graph_version() == st.data_version()
        saved = load(st)
        G, H = cas.graph, saved.graph
        assert set(G.nodes) == set(H.nodes) and set(G.edges) == set(H.edges)
        assert all(H.nodes[n] == a for n, a in G.nodes(data=True))
        assert all(H.edges[u, v] == a for u, v, a in G.edges(data=True))
        assert {k: v.to_dict() for k, v in saved.identified.items()} == \
            {k: v.to_dict() for k, v in cas.identified.items()}
        assert saved.anomalies == cas.anomalies
        for root in ("57-NQ/TW", "73/2023/NĐ-CP", "32-QĐ/TU"):
            small, node = around(st, root)
            assert small.graph.number_of_nodes() < G.number_of_nodes()
            # with its context (citers in other relations, requests answered) the tree is the same
            small, node = around(st, root, context=True)
            assert small.tree(node) == cas.tree(root)
            # `tree` reads it into an Adjacency (no networkx): the same dicts in the same order
            light, _node = around(st, root, context=True, light=True)
            A, D = light.graph, small.graph
            assert isinstance(A, Adjacency) and list(A) == list(D)
            assert all(list(A._pred[n].items()) == list(D._pred[n].items()) and
                       list(A._succ[n].items()) == list(D._succ[n].items()) and A.nodes[n] == D.nodes[n] for n in D)
            assert light.tree(node, cited_by=True) == small.tree(node, cited_by=True)
            assert queries.tree(st, root, cited_by=True) == fold_versions(cas.tree(root, cited_by=True), G)
        small, node = around(st, "03/CT-UBND", below=False)
        assert set(small.graph.nodes) == {node} | set(G.successors(node)) | set(G.predecessors(node))


def test_a_user_decision_makes_the_saved_graph_stale(seeds_db, tmp_path):
    from cascade.graph.saved import current, find_saved
    db = tmp_path / "s.db"
    shutil.copy(seeds_db[0], db)
    with Store(db) as st:
        assert current(st) is None
        n = find_saved(st, "001_73a28ad4b9504abc.txt")
        st.set_override(int(n.split(":")[1]), None, rejected=True)
        assert st.graph_version() < st.data_version()
        rebuilt = current(st)
        assert rebuilt is not None and not rebuilt.graph.nodes[n]["identified"]
        # 03/CT-UBND is now only what 000 cites: an external node
        ext = find_saved(st, "03/CT-UBND")
        assert ext != n and ext.startswith("ext:")


def test_a_commune_key_resolves_within_that_commune(store_url):
    # two communes of one province both issue 12/KH-UBND in 2025; the letter of xã Đơn Dương
    # citing "Kế hoạch số 12/KH-UBND … của UBND xã Đơn Dương" means its own
    def commune(name):
        return {"name": f"UBND xã {name}", "level": "commune", "unit": "xã", "locality": name, "province": "Lâm Đồng"}
    recs = [
        {"source": "/fx/a.txt", "number": "12/KH-UBND", "key": "12/KH-UBND", "date": "2025-03-01",
         "doc_type": "kế hoạch", "issuer": commune("Lạc Dương")},
        {"source": "/fx/b.txt", "number": "12/KH-UBND", "key": "12/KH-UBND", "date": "2025-03-02",
         "doc_type": "kế hoạch", "issuer": commune("Đơn Dương")},
        {"source": "/fx/c.txt", "number": "40/UBND", "key": "40/UBND", "date": "2025-04-01",
         "issuer": commune("Đơn Dương"),
         "citations": [_cit("12/KH-UBND", type="kế hoạch", date="2025-03-02", year=2025,
                            issuer="UBND xã Đơn Dương")]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    (parent,) = c.graph.successors(c.find("/fx/c.txt"))
    assert c.graph.nodes[parent]["path"] == "/fx/b.txt"


def test_cli_identify_and_alias(seeds_db, tmp_path):
    from cli import app
    db = tmp_path / "id.db"
    shutil.copy(seeds_db[0], db)
    run = lambda *a: CliRunner().invoke(app, [*a, "--db", str(db)])    # noqa: E731
    r = run("identify", "--list", "--json")
    assert r.exit_code == 0
    (row,) = json.loads(r.stdout)
    assert (Path(row["path"]).name, row["number"], row["method"]) == ("001_73a28ad4b9504abc.txt", "03/CT-UBND", "fuzzy")
    assert run("identify", "001_73a28ad4b9504abc.txt", "--reject").exit_code == 0
    assert json.loads(run("identify", "--list", "--json").stdout) == []
    r = run("identify", "001_73a28ad4b9504abc.txt", "03/CT-UBND", "--date", "2025-04-25",
            "--issuer", "Chủ tịch UBND tỉnh Hưng Yên")
    assert r.exit_code == 0, r.output
    (row,) = json.loads(run("identify", "--list", "--json").stdout)
    assert (row["method"], row["confidence"], row["province"]) == ("user", 1.0, "Hưng Yên")
    r = run("identify", "57-NQ/TW", "1/XX")
    assert r.exit_code == 1 and "only cited" in r.output
    # the typo in 000: with the alias, 000 mentions 57-NQ/TW itself
    assert run("alias", "52-NQ/TW", "57-NQ/TW", "--doc", "000_6c98d13a1ba499c1.txt").exit_code == 0
    info = json.loads(run("show", "000_6c98d13a1ba499c1.txt", "--json").stdout)
    assert {(c["label"], c["relation"]) for c in info["cites"]} == \
        {("03/CT-UBND", "implements"), ("57-NQ/TW", "mentions"), ("73/2023/NĐ-CP", "mentions")}


def test_a_cited_title_links_its_first_number_and_never_a_later_document(store_url):
    t1 = ("thực hiện Nghị quyết số 93/NQ-CP ngày 16/4/2025 của Chính phủ ban hành Kế hoạch thực hiện "
          "Kết luận số 132-KL/TW, ngày 18/3/2025 của Bộ Chính trị")
    t2 = "báo cáo kết quả đại hội và ý kiến của Sở Nội vụ tại Tờ trình số 255/TTr-SNV ngày 22/01/2025"
    recs = [
        {"source": "/fx/a.txt", "number": "5/UBND", "key": "5/UBND", "date": "2025-06-01",
         "issuer": {"name": "UBND tỉnh Lâm Đồng", "level": "province", "province": "Lâm Đồng"},
         "citations": [
             _cit("4604/KH-UBND", type="kế hoạch", date="2025-05-20", year=2025, issuer="UBND tỉnh", title=t1),
             _cit("93/NQ-CP", type="nghị quyết", date="2025-04-16", year=2025, issuer="Chính phủ", relation="mentions"),
             _cit("132-KL/TW", type="kết luận", date="2025-03-18", year=2025, issuer="Bộ Chính trị", relation="mentions"),
             _cit("01/BC-HHNM", type="báo cáo", date="2024-12-24", year=2024, issuer="Hiệp hội Nước mắm", title=t2),
             _cit("255/TTr-SNV", type="tờ trình", date="2025-01-22", year=2025, issuer="Sở Nội vụ", relation="mentions"),
         ]},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    G = c.graph
    kh = c.find("4604/KH-UBND")
    assert [G.nodes[p]["label"] for p in G.successors(kh)] == ["93/NQ-CP"]
    assert G.edges[kh, c.find("93/NQ-CP")]["method"] == "title"
    assert list(G.successors(c.find("01/BC-HHNM"))) == []     # 255/TTr-SNV is a month later


def test_last_resort_province_from_place_or_title_for_local_documents_only(store_url):
    recs = [
        {"source": "/fx/place.txt", "place": "Lâm Đồng", "date": "2025-05-02", "doc_type": "báo cáo",
         "issuer": {"name": "SỞ NỘI VỤ", "level": "province", "unit": "sở"}},
        {"source": "/fx/title.txt", "doc_type": "báo cáo",
         "title": "Báo cáo kết quả cải cách hành chính năm 2025 của tỉnh Quảng Ninh",
         "issuer": {"name": "Ủy ban nhân dân tỉnh", "level": "province", "inferred": True}},
        {"source": "/fx/central.txt", "place": "Hà Nội", "doc_type": "công văn",
         "issuer": {"name": "BỘ NỘI VỤ", "level": "central", "unit": "bộ"}},
    ]
    with Store(_fixture_db(store_url, recs)) as st:
        c = build(st)
    G = c.graph
    a = G.nodes[c.find("/fx/place.txt")]
    assert (a["province"], a["province_source"], a["province_inferred"]) == ("Lâm Đồng", "place:Lâm Đồng", True)
    a = G.nodes[c.find("/fx/title.txt")]
    assert (a["province"], a["province_source"]) == ("Quảng Ninh", "title")
    assert G.nodes[c.find("/fx/central.txt")]["province"] == ""
