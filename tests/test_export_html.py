"""The HTML map as a file: self-contained, escaped, styled by kind, laid out when large.

What the page does in a browser is tested in test_browser.py.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from support.sample import XSS_TITLE

from linkgraph.export.html import (
    KINDS,
    LAYOUT_THRESHOLD,
    map_iframe,
    node_size,
    render_html,
    safe_url,
)
from linkgraph.export.layout import hub_layout
from linkgraph.graph import build_graph, node_for_ref

SCRIPT_BREAKER = "</script><script>window.__xss = 1</script>"


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def graph(sample_store):
    return build_graph(sample_store)


@pytest.fixture
def page(graph):
    return render_html(graph)


def test_page_loads_nothing_from_anywhere(page):
    tags = tags_of(page)
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in tags if "src" in a or "href" in a]
    assert [t for t, _ in tags].count("script") == 3  # vis-network, the data, the map
    assert not re.search(r"jsdelivr|cdnjs|unpkg|googleapis|bootstrap", page, re.I)


def test_page_forbids_requests_and_foreign_scripts(page):
    csp = next(
        a["content"]
        for t, a in tags_of(page)
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    scripts = [a for t, a in tags_of(page) if t == "script" and a.get("type") is None]
    assert scripts and all(a.get("nonce") == nonce for a in scripts)
    assert "unsafe-eval" not in csp


def test_page_inlines_vis_network_from_pyvis(page):
    assert "vis-network" in page and "@version 9.1.2" in page
    assert "new vis.Network(" in page


def test_source_text_never_reaches_the_page_as_markup(graph, sample_store):
    episode = node_for_ref(sample_store, graph, "Mailbag")
    graph.nodes[episode]["title"] = SCRIPT_BREAKER
    page = render_html(graph, title="<b>My map</b>")
    assert XSS_TITLE not in page
    assert SCRIPT_BREAKER not in page
    assert page.count("</script>") == 3
    assert "<title>&lt;b&gt;My map&lt;/b&gt;</title>" in page
    data = page_data(page)
    titles = {n["info"].get("title") for n in data["nodes"]}
    assert XSS_TITLE in titles and SCRIPT_BREAKER in titles  # intact as data


def test_unsafe_urls_are_dropped(graph, sample_store):
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    graph.nodes[work]["url"] = "javascript:alert(1)"
    graph.nodes[work]["citing"][0]["url"] = " JAVASCRIPT:alert(2)"
    data = page_data(render_html(graph))
    info = next(n["info"] for n in data["nodes"] if n["id"] == work)
    assert "url" not in info
    assert "url" not in info["citing"][0]
    assert info["citing"][1]["url"].startswith("https://")


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<b>", False),
        ("//a.example/x", False),
        ("vbscript:x", False),
        (None, False),
        (42, False),
        ("https://", False),
        (" https://a.example ", True),
    ],
)
def test_safe_url(url, safe):
    assert (safe_url(url) is not None) is safe


def test_nodes_carry_tooltip_data(graph, sample_store):
    data = page_data(render_html(graph))
    work = node_for_ref(sample_store, graph, "arxiv:2401.01234")
    info = next(n["info"] for n in data["nodes"] if n["id"] == work)
    assert info["title"].startswith("Goodhart in Practice")
    assert info["authors"] == ["Ada Park", "Cy Dee"]
    assert info["year"] == 2024 and info["kind"] == "work" and info["work_kind"] == "paper"
    assert info["identifiers"] == ["arxiv:2401.01234"]
    assert [c["url"] for c in info["citing"]] == [
        "https://papertrails.example/ep/1#measuring",
        "https://papertrails.example/ep/2#t=1200",
        "https://other.example/episodes/optimization#mesa",
    ]
    assert info["citing"][0]["topic"] == "Measuring reward hacking"


def test_nodes_are_styled_by_kind_and_sized_by_citations(graph, sample_store):
    data = page_data(render_html(graph))
    for node in data["nodes"]:
        _, colour, shape, _ = KINDS[node["kind"]]
        assert (node["color"], node["shape"]) == (colour, shape)
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    goodhart = node_for_ref(sample_store, graph, "arxiv:2401.01234")
    post = node_for_ref(sample_store, graph, "https://example-blog.com/posts/reward-is-not-enough")
    assert sizes[goodhart] > sizes[post]  # 3 citing episodes against 1
    assert (
        node_size({"kind": "work", "citations": 0})
        < node_size({"kind": "work", "citations": 4})
        < node_size({"kind": "work", "citations": 400})
        == 48
    )
    legend = {row["kind"]: row["count"] for row in data["kinds"]}
    assert legend == {"podcast": 2, "episode": 5, "topic": 5, "work": 7, "person": 5, "subject": 2}


def test_edges_keep_their_direction_and_weight(graph, sample_store):
    data = page_data(render_html(graph))
    assert len(data["edges"]) == graph.number_of_edges()
    pair = (
        node_for_ref(sample_store, graph, "pt-2"),
        node_for_ref(sample_store, graph, "arxiv:1805.00899"),
    )
    cites = next(e for e in data["edges"] if (e["from"], e["to"]) == pair)
    assert cites["width"] > 1 and cites["title"] == "cites (2)"


def test_small_maps_settle_then_stop(graph):
    data = page_data(render_html(graph))
    assert data["physics"] is True
    assert data["options"]["physics"]["stabilization"]["enabled"] is True


def star_graph(leaves: int) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_node("episode:0", kind="episode", label="hub", title="hub", url=None, year=None)
    for n in range(leaves):
        graph.add_node(
            f"work:{n}", kind="work", label=f"w{n}", title=f"w{n}", url=None, year=None, citations=1
        )
        graph.add_edge("episode:0", f"work:{n}", relation="cites", weight=1)
    return graph


def test_large_maps_come_laid_out_with_physics_off():
    graph = star_graph(LAYOUT_THRESHOLD + 10)
    data = page_data(render_html(graph))
    assert data["physics"] is False and data["options"]["physics"] == {"enabled": False}
    positions = hub_layout(graph)
    assert {n["id"]: (n["x"], n["y"]) for n in data["nodes"]} == {
        node: (x, y) for node, (x, y) in positions.items()
    }
    assert len(set(positions.values())) == len(positions)  # every node has a place of its own


def test_hub_layout_places_every_node_apart():
    graph = nx.disjoint_union(nx.star_graph(50), nx.path_graph(5))
    graph.add_node("alone")
    positions = hub_layout(graph)
    assert set(positions) == set(graph)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in positions.values())
    assert len({(round(x), round(y)) for x, y in positions.values()}) == len(graph)
    assert hub_layout(nx.DiGraph()) == {}


def test_map_iframe_escapes_the_page():
    frame = map_iframe('<p title="x">&</p>')
    assert frame.startswith('<iframe srcdoc="&lt;p title=&quot;x&quot;&gt;&amp;&lt;/p&gt;"')
