"""The graph read around a few nodes from SQL is the whole graph there: same neighbours,
same degrees, and the same cheapest paths, on the sample store and a generated one."""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import pytest

from linkgraph import graph
from linkgraph.graph import _PATH_COST, build_graph, shortest_path
from linkgraph.neighbourhood import Neighbourhood, cheapest_path
from linkgraph.store import Store

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


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
