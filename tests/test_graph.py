"""The graph: nodes and edges with their attributes, selections, references and paths."""

from __future__ import annotations

import json
from collections import Counter

import networkx as nx
import pytest

from linkgraph.graph import (
    build_graph,
    describe_path,
    label,
    node_for_ref,
    select,
    shortest_path,
)
from linkgraph.query import RefError

GOODHART, BLOG, PATREON, DEBATE, SURVEY, TALK, XSS, CODE = (f"work:{n}" for n in range(1, 9))


@pytest.fixture
def graph(sample_store):
    """The whole store, the Patreon (boilerplate) included."""
    return build_graph(sample_store, include_boilerplate=True)


def _kinds(graph: nx.DiGraph) -> Counter:
    return Counter(kind for _, kind in graph.nodes(data="kind"))


def test_nodes_of_every_kind(graph):
    assert _kinds(graph) == {
        "podcast": 2,
        "episode": 5,
        "topic": 5,
        "work": 8,
        "person": 5,
        "subject": 2,
    }


def test_every_node_has_the_attributes_a_viewer_needs(graph):
    for node, data in graph.nodes(data=True):
        assert {"kind", "label", "title", "url", "year"} <= set(data), node
        assert node == f"{data['kind']}:{node.split(':')[1]}"
        assert len(data["label"]) <= 40


def test_attributes_are_json(graph):
    data = nx.node_link_data(graph, edges="links")
    assert json.loads(json.dumps(data)) == data


def test_work_node(graph):
    assert graph.nodes[GOODHART] == {
        "kind": "work",
        "label": "Goodhart in Practice: Measuring Reward…",
        "title": "Goodhart in Practice: Measuring Reward Hacking in Language Models",
        "url": "https://arxiv.org/abs/2401.01234",
        "year": 2024,
        "work_kind": "paper",
        "identifiers": ["arxiv:2401.01234"],
        "authors": ["Ada Park", "Cy Dee"],
        "citations": 3,
        "mentions": 3,
        "status": "resolved",
        "citing": [
            {
                "episode": "episode:1",
                "title": "Reward hacking with Ada Park",
                "url": "https://papertrails.example/ep/1#measuring",
                "topic": "Measuring reward hacking",
            },
            {
                "episode": "episode:2",
                "title": "Debate and oversight with Ben Ode",
                "url": "https://papertrails.example/ep/2#t=1200",
                "topic": "Oversight",
            },
            {
                "episode": "episode:4",
                "title": "Optimization and its discontents",
                "url": "https://other.example/episodes/optimization#mesa",
                "topic": "Mesa-optimizers",
            },
        ],
    }


def test_unresolved_work_takes_its_title_from_the_link_text(graph):
    survey = graph.nodes[SURVEY]
    assert (survey["title"], survey["status"], survey["year"], survey["authors"]) == (
        "Scalable oversight: a survey",
        "pending",
        None,
        [],
    )
    assert graph.nodes[DEBATE]["citing"][1] == {
        "episode": "episode:3",
        "title": "Mailbag",
        "url": "https://papertrails.example/ep/3",
        "topic": None,
    }


def test_episode_topic_person_subject_podcast_nodes(graph):
    assert graph.nodes["episode:2"] == {
        "kind": "episode",
        "label": "Debate and oversight with Ben Ode",
        "title": "Debate and oversight with Ben Ode",
        "url": "https://papertrails.example/ep/2",
        "year": 2023,
        "published": "2023-03-05",
        "podcast": "Paper Trails",
        "citations": 4,
    }
    assert graph.nodes["topic:4"] == {
        "kind": "topic",
        "label": "Oversight",
        "title": "Oversight",
        "url": "https://papertrails.example/ep/2#t=1200",
        "year": 2023,
        "start_seconds": 1200.5,
        "anchor": None,
        "episode": "episode:2",
    }
    assert graph.nodes["person:1"]["roles"] == ["author", "guest"]
    assert graph.nodes["person:2"]["roles"] == ["host"]
    assert graph.nodes["subject:1"] == {
        "kind": "subject",
        "label": "cs.LG",
        "title": "Machine Learning",
        "url": None,
        "year": None,
        "scheme": "arxiv",
    }
    assert graph.nodes["podcast:1"]["url"] == "https://papertrails.example/"


def test_edges_carry_relation_and_weight(graph):
    relations = Counter(relation for _, _, relation in graph.edges(data="relation"))
    assert relations == {
        "has-episode": 5,
        "has-topic": 5,
        "cites": 13,
        "discusses": 7,
        "authored": 4,
        "appears-in": 6,
        "in-subject": 3,
    }
    assert all(w >= 1 for _, _, w in graph.edges(data="weight"))
    assert graph.edges["episode:2", DEBATE] == {"relation": "cites", "weight": 2, "via": "link"}
    assert graph.edges["topic:3", DEBATE] == {"relation": "discusses", "weight": 2}
    assert graph.edges["podcast:2", "episode:4"]["relation"] == "has-episode"
    assert graph.edges["episode:1", "topic:2"]["relation"] == "has-topic"
    assert graph.edges["person:3", DEBATE]["relation"] == "authored"
    assert graph.edges["person:3", "episode:2"]["relation"] == "appears-in"
    assert graph.edges[GOODHART, "subject:1"]["relation"] == "in-subject"


def test_boilerplate_makes_no_citations_unless_asked(sample_store, graph):
    content = build_graph(sample_store)
    assert (content.graph, graph.graph) == (
        {"include_boilerplate": False},
        {"include_boilerplate": True},
    )
    assert set(graph) - set(content) == {PATREON}
    assert (content.nodes["episode:2"]["citations"], graph.nodes["episode:2"]["citations"]) == (
        3,
        4,
    )
    assert graph.nodes[PATREON]["citations"] == 2


def test_empty_store_gives_an_empty_graph(empty_store):
    graph = build_graph(empty_store)
    assert graph.number_of_nodes() == 0
    subgraph, dropped = select(graph, since="2020", min_citations=2, max_nodes=3)
    assert (subgraph.number_of_nodes(), dropped) == (0, 0)


def test_works_nothing_cites_are_left_out(sample_store):
    with sample_store.transaction() as conn:
        conn.execute(
            "INSERT INTO works (kind, title, status) VALUES ('paper', 'Orphan', 'resolved')"
        )
    assert "work:9" not in build_graph(sample_store)


def test_label_cuts_at_a_word():
    assert label("short") == "short"
    assert label("a" * 50) == "a" * 39 + "…"
    assert label("one two three", 10) == "one two…"
    assert label(None) == ""


# ---- select -------------------------------------------------------------------------------


def _nodes(selection: tuple[nx.DiGraph, int]) -> set[str]:
    return set(selection[0])


def test_select_everything_is_a_copy(graph):
    subgraph, dropped = select(graph)
    assert (set(subgraph), dropped) == (set(graph), 0)
    subgraph.nodes[GOODHART]["title"] = "changed"
    assert graph.nodes[GOODHART]["title"] != "changed"


def test_select_around_a_work(graph):
    assert _nodes(select(graph, around=CODE)) == {CODE, "episode:4"}
    assert _nodes(select(graph, around=CODE, depth=2)) == {
        CODE,
        "episode:4",
        "podcast:2",
        "topic:5",
        GOODHART,
        DEBATE,
        "person:1",
    }
    assert _nodes(select(graph, around=CODE, depth=0)) == {CODE}


def test_select_kinds_keeps_the_centre(graph):
    assert _nodes(select(graph, kinds={"work"})) == {f"work:{n}" for n in range(1, 9)}
    assert _nodes(select(graph, around=CODE, depth=2, kinds={"work"})) == {CODE, GOODHART, DEBATE}
    assert _nodes(select(graph, around="episode:4", kinds={"work"})) == {
        "episode:4",
        GOODHART,
        DEBATE,
        CODE,
    }


def test_select_podcast_keeps_what_its_episodes_reach(graph):
    nodes = _nodes(select(graph, podcast="other show"))
    assert nodes == {
        "podcast:2",
        "episode:4",
        "episode:5",
        "topic:5",
        GOODHART,
        DEBATE,
        CODE,
        "person:1",
        "person:3",
        "person:4",
        "person:5",
        "subject:1",
        "subject:2",
    }
    assert _nodes(select(graph, podcast="podcast:2")) == nodes
    assert _nodes(select(graph, podcast="Other")) == nodes


def test_select_podcast_unknown_or_ambiguous(graph):
    with pytest.raises(RefError, match="no podcast"):
        select(graph, podcast="Nope")
    with pytest.raises(RefError) as error:
        select(graph, podcast="e")  # in both titles
    assert [c["id"] for c in error.value.candidates] == ["podcast:1", "podcast:2"]


def test_select_dates(graph):
    episodes = {"episode:1", "episode:2", "episode:3", "episode:4", "episode:5"}
    assert _nodes(select(graph, since="2024")) & episodes == {"episode:4", "episode:5"}
    assert _nodes(select(graph, until="2023-03")) & episodes == {"episode:1", "episode:2"}
    assert _nodes(select(graph, since="2023-03-05", until="2023-06-01")) & episodes == {
        "episode:2",
        "episode:3",
    }
    assert BLOG not in _nodes(select(graph, since="2023-02"))
    with pytest.raises(ValueError, match="since"):
        select(graph, since="last week")


def test_select_min_citations_drops_works_and_stranded_people(graph):
    nodes = _nodes(select(graph, min_citations=3))
    assert {n for n in nodes if n.startswith("work:")} == {GOODHART, DEBATE}
    assert {"person:4", "subject:1", "episode:5", "topic:1"} <= nodes
    nodes = _nodes(select(graph, min_citations=4))
    assert not {n for n in nodes if n.startswith(("work:", "subject:"))}
    assert {"person:1", "person:2", "person:3"} <= nodes  # they appear in episodes
    assert not {"person:4", "person:5"} & nodes


def test_select_max_nodes_keeps_the_most_cited(graph):
    subgraph, dropped = select(graph, max_nodes=4)
    assert dropped == graph.number_of_nodes() - 4
    kept_least = min(graph.nodes[n].get("citations") or 0 for n in subgraph)
    assert all(
        (graph.nodes[n].get("citations") or 0) <= kept_least for n in graph if n not in subgraph
    )
    assert set(subgraph) == {"episode:2", GOODHART, DEBATE, "episode:1"}
    subgraph, dropped = select(graph, around=CODE, depth=2, max_nodes=2)
    assert (set(subgraph), dropped) == ({CODE, "episode:4"}, 5)


def test_select_unknown_centre(graph):
    with pytest.raises(RefError):
        select(graph, around="work:99")


# ---- references and paths -----------------------------------------------------------------


@pytest.mark.parametrize(
    "ref, node",
    [
        ("work:4", DEBATE),
        ("arxiv:1805.00899", DEBATE),
        ("https://arxiv.org/pdf/1805.00899v2.pdf", DEBATE),
        ("url:https://github.com/example/rewardlab", CODE),
        ("Scalable oversight", SURVEY),
        ("https://papertrails.example/ep/2", "episode:2"),
        ("papertrails.example/ep/2", "episode:2"),
        ("pt-3", "episode:3"),
        ("Mailbag", "episode:3"),
        ("  episode:5 ", "episode:5"),
        ("person:1", "person:1"),
    ],
)
def test_node_for_ref(sample_store, graph, ref, node):
    assert node_for_ref(sample_store, graph, ref) == node


def test_node_for_ref_ambiguous_across_works_and_episodes(sample_store, graph):
    with pytest.raises(RefError) as error:
        node_for_ref(sample_store, graph, "debate")
    assert {c["id"] for c in error.value.candidates} == {
        "arxiv:1805.00899",
        "url:https://youtube.com/watch?v=abc123def45",
        "episode:2",
    }


def test_node_for_ref_digits_name_a_work_and_an_episode(sample_store, graph):
    with pytest.raises(RefError, match="episode:2 and work:2"):
        node_for_ref(sample_store, graph, "2")


@pytest.mark.parametrize("ref", ["", "nothing like this", "'; DROP TABLE works; --", "%", "_"])
def test_node_for_ref_unknown(sample_store, graph, ref):
    with pytest.raises(RefError) as error:
        node_for_ref(sample_store, graph, ref)
    assert error.value.candidates == []
    assert sample_store.scalar("SELECT count(*) FROM works") == 8


def test_node_for_ref_outside_a_selection(sample_store, graph):
    subgraph, _ = select(graph, podcast="Other Show")
    with pytest.raises(RefError, match="not in the graph"):
        node_for_ref(sample_store, subgraph, "Mailbag")


def test_shortest_path_through_a_citing_episode(graph):
    nodes = shortest_path(graph, DEBATE, CODE)
    assert nodes == [DEBATE, "episode:4", CODE]
    assert [(s["ref"], s["relation"], s["direction"]) for s in describe_path(graph, nodes)] == [
        ("arxiv:1805.00899", None, None),
        ("episode:4", "cites", "<-"),
        ("url:https://github.com/example/rewardlab", "cites", "->"),
    ]


def test_shortest_path_prefers_citations_to_hubs(graph):
    # episode:3 and episode:2 share a podcast, but the chain goes through a cited work
    assert shortest_path(graph, "episode:3", "episode:2") == ["episode:3", DEBATE, "episode:2"]


def test_shortest_path_edge_cases(graph):
    assert shortest_path(graph, DEBATE, DEBATE) == [DEBATE]
    graph.add_node("work:99", kind="work", label="alone", title="alone", url=None, year=None)
    assert shortest_path(graph, DEBATE, "work:99") == []
