"""HTML export of a 2,000-node selection: export time, file size, and the time until the
map has rendered in headless Chromium with every network request blocked (target: 10 s).

    python benchmarks/export_html.py /tmp/synth.db        # made by synth_store.py if missing
    python benchmarks/export_html.py --html map.html --screenshot map.png --search "debate"

The first form builds the graph of a store, selects ``--nodes`` nodes the way
``linkgraph export html --max-nodes N`` does, exports the map and opens it ``--runs`` times.
The second times (and photographs) a map exported before.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/support

from support.browser import CHROMIUM_ARGS  # noqa: E402

from linkgraph.export import write_atomic  # noqa: E402
from linkgraph.export.html import render_html  # noqa: E402
from linkgraph.graph import build_graph, select  # noqa: E402
from linkgraph.store import Store  # noqa: E402

READY = "html[data-ready=true]"  # a selector: the page's CSP forbids wait_for_function's eval


def export_selection(db: str, nodes: int, out: Path, episodes: int, mentions: int) -> dict:
    """Build the graph, select ``nodes`` nodes, write the map; returns the timings."""
    if not Path(db).exists():
        from synth_store import generate

        print(f"generating {db} ({episodes} episodes, {mentions} mentions) ...", file=sys.stderr)
        generate(db, episodes, mentions)
    with Store(db) as store:
        start = time.perf_counter()
        graph = build_graph(store)
        built = time.perf_counter()
        selection, dropped = select(graph, max_nodes=nodes)
        selected = time.perf_counter()
        page = render_html(selection)
        rendered = time.perf_counter()
    size = write_atomic(out, page)
    return {
        "graph_nodes": graph.number_of_nodes(),
        "graph_edges": graph.number_of_edges(),
        "nodes": selection.number_of_nodes(),
        "edges": selection.number_of_edges(),
        "dropped": dropped,
        "build_graph_s": round(built - start, 2),
        "select_s": round(selected - built, 2),
        "render_html_s": round(rendered - selected, 2),
        "file_bytes": size,
    }


def time_in_browser(
    html: Path, runs: int, chromium: str, screenshot: Path | None, search: str | None = None
) -> dict:
    """Open the map ``runs`` times in fresh contexts; seconds until drawn, and what it did."""
    from playwright.sync_api import sync_playwright

    url = html.resolve().as_uri()
    wall, in_page, problems = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for run in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 860})
            page = context.new_page()
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url == url else route.abort(),
            )
            page.on("request", lambda r: r.url != url and problems.append(f"request {r.url}"))
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))
            start = time.perf_counter()
            page.goto(url, timeout=120_000)
            page.wait_for_selector(READY, state="attached", timeout=120_000)
            wall.append(time.perf_counter() - start)
            in_page.append(page.evaluate("window.linkgraphMap.state.readyAt") / 1000)
            counts = page.evaluate("window.linkgraphMap.rendered()")
            if screenshot and run == runs - 1:
                photograph(page, screenshot, search)
            context.close()
        browser.close()
    return {
        "rendered_nodes": counts["nodes"],
        "rendered_edges": counts["edges"],
        "ready_s_median": round(statistics.median(wall), 2),
        "ready_s_max": round(max(wall), 2),
        "ready_in_page_s_median": round(statistics.median(in_page), 2),
        "runs": runs,
        "problems": sorted(set(problems)),
    }


def photograph(page, path: Path, search: str | None) -> None:
    """A PNG of the map; with ``search``, the first match focused and its tooltip showing."""
    if search:
        page.fill("#search", search)
        page.press("#search", "Enter")
        page.wait_for_timeout(600)  # the focus animation
        node = page.evaluate("window.linkgraphMap.network.getSelectedNodes()[0]")
        point = page.evaluate(
            "id => { const n = window.linkgraphMap.network;"
            " return n.canvasToDOM(n.getPositions([id])[id]); }",
            node,
        )
        box = page.locator("#map").bounding_box()
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))


def main() -> None:
    """Parse arguments, measure, print the numbers (JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "db", nargs="?", default=os.path.join(tempfile.gettempdir(), "linkgraph-synth.db")
    )
    parser.add_argument("--html", type=Path, help="Time this exported map instead.")
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Keep the exported map here.")
    parser.add_argument("--screenshot", type=Path, help="Save a PNG of the rendered map.")
    parser.add_argument("--search", help="For the screenshot: search this, show the first hit.")
    parser.add_argument(
        "--chromium", default=os.environ.get("LINKGRAPH_CHROMIUM", "/usr/bin/chromium")
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        html = args.html or args.keep or Path(folder) / "map.html"
        if not args.html:
            results.update(
                export_selection(args.db, args.nodes, html, args.episodes, args.mentions)
            )
        results["file_bytes"] = html.stat().st_size
        results.update(
            time_in_browser(html, args.runs, args.chromium, args.screenshot, args.search)
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for key, value in results.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
