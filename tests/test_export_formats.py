"""GraphML, GEXF, node-link JSON and CSV exports, read back with the tools people use."""

from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pytest
from support.sample import XSS_TITLE

from linkgraph.export import FORMATS, render, write_atomic
from linkgraph.export.formats import CSV_COLUMNS, csv_cell, flat_graph
from linkgraph.graph import build_graph, node_for_ref, select

NASTY = 'Fish & "chips" <b>bold</b> \x0b tab\there'


def set_work_title(store, url: str, title: str) -> None:
    """Give the work a link points to a new title."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE works SET title = ? WHERE id = "
            "(SELECT work_id FROM links WHERE url_canonical = ?)",
            (title, url),
        )


@pytest.fixture
def graph(sample_store):
    set_work_title(sample_store, "https://github.com/example/rewardlab", NASTY)
    return build_graph(sample_store)


@pytest.fixture
def ids(sample_store, graph):
    """Node ids of the sample store's works and episodes, by short name."""
    refs = {
        "debate": "arxiv:1805.00899",
        "goodhart": "arxiv:2401.01234",
        "xss": "https://evil.example/post",
        "ep1": "pt-1",
        "ep2": "pt-2",
        "ep3": "pt-3",
    }
    return {name: node_for_ref(sample_store, graph, ref) for name, ref in refs.items()}


@pytest.mark.parametrize("name, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_xml_formats_read_back_with_networkx(graph, sample_store, tmp_path, name, reader, ids):
    path = tmp_path / f"graph.{name}"
    text = render(name, graph, sample_store)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<')
    write_atomic(path, text)
    back = reader(path)
    assert set(back) == set(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    work = back.nodes[ids["debate"]]
    assert work["kind"] == "work"
    assert work["title"] == "AI safety via debate"
    assert json.loads(work["identifiers"]) == ["arxiv:1805.00899"]
    assert json.loads(work["authors"]) == ["Ben Ode", "Geo Irwin"]
    assert int(work["citations"]) == 3
    assert back.edges[ids["ep2"], ids["debate"]]["relation"] == "cites"
    assert float(back.edges[ids["ep2"], ids["debate"]]["weight"]) == 2


@pytest.mark.parametrize("name, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_xml_formats_escape_source_text(graph, sample_store, tmp_path, name, reader):
    text = render(name, graph, sample_store)
    assert XSS_TITLE not in text and "<b>bold</b>" not in text
    path = tmp_path / f"graph.{name}"
    path.write_text(text, encoding="utf-8")
    back = reader(path)
    xss = next(d for _, d in back.nodes(data=True) if d.get("title", "").startswith("<img"))
    assert xss["title"] == XSS_TITLE
    nasty = next(d for _, d in back.nodes(data=True) if "chips" in d.get("title", ""))
    assert nasty["title"] == NASTY.replace("\x0b", "\ufffd")  # illegal in XML 1.0


def test_flat_graph_keeps_only_scalars():
    graph = nx.DiGraph()
    graph.add_node("a", title=None, tags=["x", "y"], info={"k": 1}, year=2020, kinds={"b", "a"})
    flat = flat_graph(graph)
    assert flat.nodes["a"] == {
        "tags": '["x", "y"]',
        "info": '{"k": 1}',
        "year": 2020,
        "kinds": '["a", "b"]',
    }


def test_json_is_node_link_data(graph, sample_store, ids):
    data = json.loads(render("json", graph, sample_store))
    assert set(data) >= {"nodes", "edges", "directed"}
    back = nx.node_link_graph(data, edges="edges")
    assert set(back) == set(graph) and back.number_of_edges() == graph.number_of_edges()
    assert back.nodes[ids["debate"]]["citing"] == graph.nodes[ids["debate"]]["citing"]
    assert back.nodes[ids["xss"]]["title"] == XSS_TITLE


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_mention(graph, sample_store, ids):
    rows = read_csv(render("csv", graph, sample_store))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == sample_store.scalar("SELECT count(*) FROM mentions WHERE boilerplate = 0")
    assert {r["boilerplate"] for r in rows} == {"0"}
    everything = read_csv(
        render("csv", build_graph(sample_store, include_boilerplate=True), sample_store)
    )
    assert len(everything) == sample_store.scalar("SELECT count(*) FROM mentions") == 14
    assert len({r["mention_id"] for r in rows}) == len(rows)
    debate = [r for r in rows if r["work"] == ids["debate"]]
    assert len(debate) == 4
    first = debate[0]
    assert first["episode"] == ids["ep2"]
    assert first["topic"] == "Debate"
    assert first["topic_url"] == "https://papertrails.example/ep/2#t=35"
    assert first["anchor_text"] == "AI safety via debate"
    goodhart = next(r for r in rows if r["episode"] == ids["ep1"] and r["work"] == ids["goodhart"])
    assert goodhart["topic_url"] == "https://papertrails.example/ep/1#measuring"


def test_csv_follows_the_selection(graph, sample_store, ids):
    one_episode, _ = select(graph, around=ids["ep3"], depth=1)
    rows = read_csv(render("csv", one_episode, sample_store))
    assert {r["episode"] for r in rows} == {ids["ep3"]}
    assert len(rows) == 3
    works_only, _ = select(graph, kinds={"work"}, min_citations=3)
    rows = read_csv(render("csv", works_only, sample_store))
    assert {r["work"] for r in rows} == {ids["goodhart"], ids["debate"]}
    assert len(rows) == 3 + 4
    people_only, _ = select(graph, kinds={"person"})
    assert read_csv(render("csv", people_only, sample_store)) == []


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_neutralises_formulas(value):
    assert csv_cell(value) == "'" + value


def test_csv_leaves_plain_cells_and_numbers():
    assert csv_cell("plain = text") == "plain = text"
    assert csv_cell(-3) == -3
    assert csv_cell(None) == ""


def test_csv_formula_in_source_text(sample_store):
    with sample_store.transaction() as conn:
        conn.execute("UPDATE mentions SET anchor_text = '=cmd|\"/c calc\"!A1' WHERE id = 1")
        conn.execute("UPDATE episodes SET title = '@everyone' WHERE id = 1")
    rows = read_csv(render("csv", build_graph(sample_store), sample_store))
    row = next(r for r in rows if r["mention_id"] == "1")
    assert row["anchor_text"] == '\'=cmd|"/c calc"!A1'
    assert row["episode_title"] == "'@everyone"


def test_csv_needs_the_store(graph):
    with pytest.raises(ValueError, match="store"):
        render("csv", graph, None)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_exports_an_empty_store(empty_store, name):
    text = render(name, build_graph(empty_store), empty_store)
    assert nodes_in(name, text) == 0


@pytest.mark.parametrize("name", ["html", "graphml", "gexf", "json"])
def test_every_graph_format_holds_every_node_of_the_selection(sample_store, name):
    graph = build_graph(sample_store)
    assert nodes_in(name, render(name, graph, sample_store)) == graph.number_of_nodes() > 10


def nodes_in(name: str, text: str) -> int:
    """How many nodes (or entries, or rows) an export holds, read back in its own format."""
    if name == "json":
        return len(json.loads(text)["nodes"])
    if name == "csl-json":
        return len(json.loads(text))
    if name in ("graphml", "gexf"):
        read = nx.read_graphml if name == "graphml" else nx.read_gexf
        return len(read(io.BytesIO(text.encode())))
    if name == "csv":
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert header == list(CSV_COLUMNS)
        return len(rows)
    if name == "bibtex":
        return text.count("@")
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S)
    assert found, "the page holds no graph data"
    return len(json.loads(found.group(1))["nodes"])


def test_unknown_format_names_the_known_ones(graph):
    with pytest.raises(KeyError, match="graphml"):
        render("pdf", graph)


def test_write_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    assert write_atomic(target, "new \u00e9") == len("new \u00e9".encode())
    assert target.read_text(encoding="utf-8") == "new \u00e9"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_atomic_replaces_a_symlink_instead_of_following_it(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "out.json"
    link.symlink_to(elsewhere)
    write_atomic(link, "{}")
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text() == "{}"


def test_write_atomic_refuses_missing_folders_and_directories(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "out.json", "{}")
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "{}")
    assert not (tmp_path / "missing").exists()
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_leaves_nothing_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
