"""The graph read around a few nodes from SQL is the whole graph there: same neighbours,
same degrees, the same cheapest paths, and the same selections around a node (attributes
and edges included), on the sample store, a generated one and transcripts with spoken
citations."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import pytest

from linkgraph import graph
from linkgraph.export import export
from linkgraph.graph import _PATH_COST, build_graph, graph_around, select, shortest_path
from linkgraph.ingest import IngestOptions, ingest
from linkgraph.neighbourhood import Neighbourhood, cheapest_path
from linkgraph.store import Store

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated store of 200 episodes (podcasts, topics, people, subjects, Zipf works)."""
    sys.path.insert(0, str(BENCHMARKS))
    from synth_store import generate

    path = tmp_path_factory.mktemp("generated") / "synth.db"
    generate(str(path), episodes=200, mentions=6000)
    with Store(path) as store:
        yield store


def whole_neighbours(whole, node: str) -> list[str]:
    return sorted({*whole.predecessors(node), *whole.successors(node)})


@pytest.mark.parametrize("bulk", [False, True], ids=["node by node", "every node at once"])
def test_neighbours_and_degrees_are_the_whole_graphs(generated, sample_store, monkeypatch, bulk):
    if bulk:
        monkeypatch.setattr("linkgraph.neighbourhood.BULK_DEGREES", 0)
    for store in (sample_store, generated):
        whole = build_graph(store)
        around = Neighbourhood(store)
        nodes = list(whole)
        assert {n: around.degrees(nodes).get(n, 0) for n in nodes} == dict(whole.degree)
        for node in nodes[:: max(1, len(nodes) // 300)]:
            assert sorted(other for other, _, _ in around.edges(node)) == whole_neighbours(
                whole, node
            )


def test_paths_read_around_their_ends_are_the_whole_graphs(generated):
    whole = build_graph(generated)
    nodes = sorted(whole)
    rng = random.Random(5)
    pairs = [tuple(rng.sample(nodes, 2)) for _ in range(25)]
    for a, b in pairs:
        assert cheapest_path(Neighbourhood(generated), a, b, _PATH_COST, 10**6) == shortest_path(
            whole, a, b
        )


def test_a_search_past_its_budget_gives_way_to_the_whole_graph(generated, monkeypatch):
    whole = build_graph(generated)
    a = next(n for n in sorted(whole) if n.startswith("episode:"))
    b = next(n for n in sorted(whole, reverse=True) if n.startswith("work:"))
    want = graph.describe_path(whole, shortest_path(whole, a, b))
    assert cheapest_path(Neighbourhood(generated), a, b, _PATH_COST, 1) is None
    monkeypatch.setattr(graph, "PATH_BUDGET", 1)
    assert graph.path(generated, a, b) == want  # built the whole graph, same answer


def test_path_describes_the_steps_as_the_whole_graph_does(sample_store):
    whole = build_graph(sample_store)
    episodes = [n for n in whole if n.startswith("episode:")]
    for a, b in itertools.combinations(episodes, 2):
        assert graph.path(sample_store, a, b) == graph.describe_path(
            whole, shortest_path(whole, a, b)
        )


@pytest.fixture
def spoken_store(tmp_path):
    """AXRP-style transcript pages and transcript files: spoken citations beside links."""
    with Store(tmp_path / "spoken.db") as store:
        ingest(store, [str(FIXTURES / "axrp"), str(FIXTURES / "transcripts")], IngestOptions())
        assert store.scalar("SELECT count(*) FROM mentions WHERE via = 'spoken'")
        yield store


def as_sets(selected) -> tuple[list, list]:
    return sorted(selected.nodes(data=True)), sorted(selected.edges(data=True))


@pytest.mark.parametrize("boilerplate", [False, True], ids=["content", "with boilerplate"])
def test_a_selection_around_a_node_is_the_whole_graphs(
    generated, sample_store, spoken_store, boilerplate
):
    for store in (sample_store, generated, spoken_store):
        whole = build_graph(store, include_boilerplate=boilerplate)
        nodes = sorted(whole)
        for centre in nodes[:: max(1, len(nodes) // 40)]:
            for depth in (0, 1, 2):
                near, found = graph_around(store, centre, depth, include_boilerplate=boilerplate)
                assert found == centre
                want, _ = select(whole, around=centre, depth=depth)
                assert as_sets(near) == as_sets(want), (centre, depth)


def test_an_export_around_a_node_reads_the_store_around_it_and_writes_the_same(
    spoken_store, tmp_path, monkeypatch
):
    built: list[bool] = []
    whole_builder = graph.build_graph

    def counting(store, **options):
        built.append(options.get("within") is None)
        return whole_builder(store, **options)

    monkeypatch.setattr(sys.modules["linkgraph.export"], "build_graph", counting)
    monkeypatch.setattr(graph, "build_graph", counting)
    ref = "Training Compute-Optimal Large Language Models"
    near = export(spoken_store, "json", tmp_path / "near.json", around=ref, depth=2)
    assert built == [False]  # only the rows around the work were read
    monkeypatch.setattr(graph, "AROUND_BUDGET", 0)  # past the budget: the whole graph
    whole = export(spoken_store, "json", tmp_path / "whole.json", around=ref, depth=2)
    assert built == [False, True]
    assert near == whole and near.nodes > 3
    assert (tmp_path / "near.json").read_text() == (tmp_path / "whole.json").read_text()
