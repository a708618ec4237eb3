"""The exported map in headless Chromium, with every network request blocked.

Uses Debian's ``chromium`` (``.ci/install-chromium`` installs it) driven by Playwright's
Python package; no browser is downloaded. Set LINKGRAPH_CHROMIUM to use another binary.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from support.browser import CHROMIUM_ARGS
from support.sample import XSS_TITLE

from linkgraph.export import write_atomic
from linkgraph.export.html import render_html
from linkgraph.graph import build_graph, node_for_ref

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

XSS_SETTER = '<img src=x onerror="window.__xss = 1">'
SCRIPT_BREAKER = "</script><script>window.__xss = 2</script>"


def find_chromium() -> str | None:
    """The Chromium to drive: $LINKGRAPH_CHROMIUM, /usr/bin/chromium, or one on PATH."""
    candidates = [os.environ.get("LINKGRAPH_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found: set LINKGRAPH_CHROMIUM, or install Debian's chromium "
            "(.ci/install-chromium)"
        )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class MapPage:
    """A page showing one exported map, recording what it tried to do."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, timeout_ms: int = 20_000) -> float:
        """Load the page and wait until the map has drawn; returns the seconds it took."""
        start = time.perf_counter()
        self.page.goto(self.url)
        # a selector, not wait_for_function: that evaluates strings, which the page's CSP forbids
        self.page.wait_for_selector("html[data-ready=true]", state="attached", timeout=timeout_ms)
        return time.perf_counter() - start

    def evaluate(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def wait_until(self, script: str, arg=None, timeout_s: float = 5.0) -> None:
        """Poll a script until it returns something true."""
        deadline = time.monotonic() + timeout_s
        while not self.evaluate(script, arg):
            assert time.monotonic() < deadline, f"timed out waiting for {script}"
            self.page.wait_for_timeout(50)

    def node_point(self, node: str) -> tuple[float, float]:
        """Where a node is on the screen."""
        point = self.evaluate(
            "id => { const n = window.linkgraphMap.network;"
            " return n.canvasToDOM(n.getPositions([id])[id]); }",
            node,
        )
        box = self.page.locator("#map").bounding_box()
        return box["x"] + point["x"], box["y"] + point["y"]

    def only_itself_was_requested(self) -> bool:
        return set(self.requests) <= {self.url}


def topic_node(graph, title: str) -> str:
    return next(
        n for n, d in graph.nodes(data=True) if d["kind"] == "topic" and d["title"] == title
    )


@pytest.fixture
def graph(sample_store):
    graph = build_graph(sample_store)
    graph.nodes[node_for_ref(sample_store, graph, "rewardlab")]["title"] = XSS_SETTER
    graph.nodes[topic_node(graph, "Introduction")]["title"] = SCRIPT_BREAKER
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    graph.nodes[work]["citing"][1]["title"] = XSS_SETTER
    return graph


@pytest.fixture
def map_page(browser, graph, tmp_path):
    path = tmp_path / "map.html"
    write_atomic(path, render_html(graph))
    page = MapPage(browser, path)
    page.open()
    yield page
    page.context.close()


def test_the_map_renders_every_node_and_edge(map_page, graph):
    rendered = map_page.evaluate("window.linkgraphMap.rendered()")
    assert rendered == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert map_page.evaluate("window.linkgraphMap.nodes.length") == graph.number_of_nodes()
    assert map_page.evaluate("window.linkgraphMap.network.physics.options.enabled") is False
    counts = map_page.page.inner_text("#counts")
    assert counts.startswith(f"{graph.number_of_nodes()} nodes")
    legend = map_page.page.inner_text("#legend")
    assert "Works (7)" in legend and "Episodes (5)" in legend  # the Patreon is boilerplate


def test_search_finds_a_paper(map_page, sample_store, graph):
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    map_page.page.fill("#search", "safety debate")
    first = map_page.page.locator("#search-results li").first
    assert first.inner_text() == "AI safety via debate"
    assert first.get_attribute("data-node") == work
    map_page.page.press("#search", "Enter")
    assert map_page.evaluate("window.linkgraphMap.network.getSelectedNodes()") == [work]
    details = map_page.page.inner_text("#details")
    assert "AI safety via debate" in details and "Ode" in details
    assert map_page.evaluate("q => window.linkgraphMap.search(q)", "1805.00899") == [work]
    assert map_page.evaluate("q => window.linkgraphMap.search(q)", "no such words") == []


def test_citing_links_open_the_episode_at_the_topic(map_page, sample_store, graph):
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    map_page.evaluate("id => window.linkgraphMap.focus(id)", work)
    hrefs = map_page.evaluate(
        "[...document.querySelectorAll('#details li a')].map(a => a.getAttribute('href'))"
    )
    assert hrefs[0] == "https://papertrails.example/ep/2#t=35"
    assert "https://other.example/episodes/optimization#mesa" in hrefs


def test_source_text_runs_nothing(map_page, sample_store, graph):
    for ref, text in (
        ("rewardlab", XSS_SETTER),
        ("https://evil.example/post", XSS_TITLE),
        ("arxiv:1805.00899", XSS_SETTER),
    ):
        x, y = map_page.node_point(node_for_ref(sample_store, graph, ref))
        map_page.page.mouse.move(x, y)
        map_page.wait_until(  # the payload is on screen in the tooltip, as text
            "text => (document.querySelector('div.vis-tooltip') || {}).innerText?.includes(text)",
            text,
        )
        map_page.page.mouse.click(x, y)
    map_page.evaluate("id => window.linkgraphMap.focus(id)", topic_node(graph, SCRIPT_BREAKER))
    assert SCRIPT_BREAKER in map_page.page.inner_text("#details")
    map_page.page.fill("#search", "img")
    assert map_page.evaluate("typeof window.__xss") == "undefined"
    assert map_page.dialogs == []
    assert map_page.evaluate("document.querySelectorAll('body img, body iframe').length") == 0
    assert map_page.evaluate("document.scripts.length") == 3
    results = map_page.page.inner_text("#search-results")
    assert XSS_SETTER in results and XSS_TITLE in results


def test_kind_filter_hides_and_shows_a_kind(map_page, graph):
    works = sum(1 for _, kind in graph.nodes(data="kind") if kind == "work")
    hidden = "window.linkgraphMap.nodes.get({filter: n => n.hidden}).length"
    hidden_edges = "window.linkgraphMap.edges.get({filter: e => e.hidden}).length"
    map_page.page.uncheck('#legend input[data-kind="work"]')
    assert map_page.evaluate(hidden) == works
    touching = sum(
        1 for u, v in graph.edges if "work" in (graph.nodes[u]["kind"], graph.nodes[v]["kind"])
    )
    assert map_page.evaluate(hidden_edges) == touching
    map_page.page.check('#legend input[data-kind="work"]')
    assert map_page.evaluate(hidden) == 0 and map_page.evaluate(hidden_edges) == 0


def test_no_console_errors_and_no_request_leaves_the_page(map_page):
    map_page.page.fill("#search", "goodhart")
    map_page.page.press("#search", "Enter")
    map_page.page.mouse.wheel(0, 300)
    map_page.page.wait_for_timeout(300)
    assert map_page.console_errors == []
    assert map_page.only_itself_was_requested()


def test_a_large_map_renders_laid_out_without_physics(browser, tmp_path):
    graph = nx.DiGraph()
    for e in range(60):
        graph.add_node(
            f"episode:{e}",
            kind="episode",
            label=f"Episode {e}",
            title=f"E{e}",
            url=None,
            year=2020,
            citations=10,
        )
    for w in range(600):
        graph.add_node(
            f"work:{w}",
            kind="work",
            label=f"Work {w}",
            title=f"Work {w}",
            url=None,
            year=2020,
            citations=1 + w % 3,
        )
        for e in {w % 60, (w * 7) % 60}:
            graph.add_edge(f"episode:{e}", f"work:{w}", relation="cites", weight=1)
    path = tmp_path / "large.html"
    write_atomic(path, render_html(graph))
    page = MapPage(browser, path)
    try:
        seconds = page.open()
        assert page.evaluate("window.linkgraphMap.rendered()") == {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
        }
        assert page.evaluate("window.linkgraphMap.network.physics.options.enabled") is False
        assert seconds < 10
        assert page.console_errors == [] and page.only_itself_was_requested()
    finally:
        page.context.close()
