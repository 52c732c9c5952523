"""Issue 15: exports are valid files or no file at all.

XML 1.0 forbids U+FFFF, U+FFFE, most C0 controls and lone surrogates; a title or a file name may
hold them (a file named with `\\x01`, a title with U+FFFF). GraphML and GEXF replace them by U+FFFD
and stay parseable by a strict XML parser; a writer that fails leaves neither a 0-byte nor a
partial file; a link at the output path is replaced only with --force, never followed.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from cascade.graph import export as export_mod
from cascade.graph.export import ExportError, canonical, export
from cascade.models import EDGE_DEFAULTS, NODE_DEFAULTS

pytestmark = pytest.mark.timeout(120)
BAD = "A\uffff B\x01 C\x0b D\ufffe E\ud800"


def hostile_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    a = dict(NODE_DEFAULTS)
    a.update(kind="doc", in_corpus=True, doc_id=1, label=f"x{BAD}.txt", path=f"/in/x{BAD}.txt", title=f"Kế hoạch {BAD}")
    G.add_node("doc:1", **a)
    b = dict(NODE_DEFAULTS)
    b.update(kind="external", key=f"12/{BAD}", label="12/KH")
    G.add_node(f"ext:12/{BAD}", **b)
    e = dict(EDGE_DEFAULTS)
    e.update(relation="implements", text=f"Thực hiện {BAD}")
    G.add_edge("doc:1", f"ext:12/{BAD}", **e)
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_replace_forbidden_characters_and_parse_strictly(tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    export(hostile_graph(), fmt, out)
    root = ET.parse(out).getroot()            # a strict XML 1.0 parser
    text = out.read_text(encoding="utf-8")
    for ch in ("\uffff", "\x01", "\x0b", "\ufffe"):
        assert ch not in text
    assert "Kế hoạch A\ufffd B\ufffd C\ufffd D\ufffd E\ufffd" in text
    assert root is not None
    H = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert H.number_of_nodes() == 2 and H.number_of_edges() == 1


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_text_exports_write_lone_surrogates_as_replacement(tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    export(hostile_graph(), fmt, out)
    text = out.read_text(encoding="utf-8")
    assert "E\ufffd" in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_a_failing_writer_leaves_no_file(tmp_path, monkeypatch, fmt):
    def boom(*a, **k):
        raise ValueError("writer failed half-way")
    monkeypatch.setattr(export_mod, "_write", lambda G, f, out, temps: (Path(out).write_text("partial"), boom()))
    out = tmp_path / f"g.{fmt}"
    with pytest.raises(ExportError, match="nothing written"):
        export(hostile_graph(), fmt, out)
    assert os.listdir(tmp_path) == []           # no target, no 0-byte file, no temporary file


def test_an_old_export_survives_a_failed_overwrite(tmp_path, monkeypatch):
    out = tmp_path / "g.graphml"
    export(hostile_graph(), "graphml", out)
    before = out.read_bytes()
    monkeypatch.setattr(nx, "write_graphml", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(ExportError, match="No space left"):
        export(hostile_graph(), "graphml", out, force=True)
    assert out.read_bytes() == before and os.listdir(tmp_path) == ["g.graphml"]


def test_a_link_at_the_output_needs_force_and_is_replaced_not_followed(tmp_path):
    target = tmp_path / "elsewhere.json"
    link = tmp_path / "g.json"
    os.symlink(target, link)                    # dangling: `exists()` says False
    with pytest.raises(ExportError, match="--force"):
        export(hostile_graph(), "json", link)
    export(hostile_graph(), "json", link, force=True)
    assert not link.is_symlink() and link.stat().st_size > 0
    umask = os.umask(0)
    os.umask(umask)
    assert link.stat().st_mode & 0o777 == 0o666 & ~umask     # an ordinary file, not mkstemp's 0600
    assert not target.exists()


def test_canonical_names_documents_by_content_and_sorts():
    G = hostile_graph()
    H = canonical(G, {1: "ab" * 32})
    assert list(H) == sorted(H) and "doc:" + "ab" * 8 in H
    a = H.nodes["doc:" + "ab" * 8]
    assert a["sha256"] == "ab" * 32 and "doc_id" not in a
