"""The interactive HTML map: one self-contained file made with pyvis and vis-network.

pyvis builds the node and edge data; the page comes from our own template, because
pyvis's template links Bootstrap and vis-network from CDNs even in its "in_line" mode.
The vis-network script and style shipped inside the pyvis package are inlined, a
Content-Security-Policy forbids every request, and every text from a source reaches
the page as JSON data that the page's script puts into the DOM with ``textContent``.
"""

from __future__ import annotations

import html
import math
import re
import secrets
from collections.abc import Iterable
from functools import cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from .layout import hub_layout

LAYOUT_THRESHOLD = 500  # above this many nodes: precomputed layout, physics off
LABEL_LENGTH = 40
CITING_LIMIT = 10  # citing episodes listed per work; the count says how many there are
TEMPLATES = Path(__file__).parent / "templates"
VIS_VERSION = "9.1.2"
_HTTP_URL = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)

# kind -> (legend label, colour, vis-network shape, legend symbol)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "podcast": ("Podcasts", "#6a3d9a", "star", "\u2605"),
    "episode": ("Episodes", "#1f78b4", "square", "\u25a0"),
    "topic": ("Topics", "#8fbcd9", "triangle", "\u25b2"),
    "work": ("Works", "#e6550d", "dot", "\u25cf"),
    "person": ("People", "#33a02c", "diamond", "\u25c6"),
    "subject": ("Subjects", "#b8860b", "hexagon", "\u2b22"),
}
_OTHER = ("Other", "#888888", "dot", "\u25cf")
RELATION_COLOURS = {
    "cites": "#e6550d",
    "discusses": "#f4a582",
    "has-episode": "#6a3d9a",
    "has-topic": "#8fbcd9",
    "authored": "#33a02c",
    "appears-in": "#74c476",
    "in-subject": "#b8860b",
}


def render_html(graph: nx.DiGraph, store: Any = None, *, title: str = "linkgraph map") -> str:
    """The map of a graph as one HTML page that needs no network (``store`` is not needed)."""
    large = graph.number_of_nodes() > LAYOUT_THRESHOLD
    network = build_network(graph, positions=hub_layout(graph))
    data = {
        "nodes": network.nodes,
        "edges": network.edges,
        "options": vis_options(large),
        "physics": not large,
        "kinds": legend(graph),
    }
    return (
        _environment()
        .get_template("map.html.j2")
        .render(
            title=title,
            data=data,
            nonce=secrets.token_urlsafe(16),
            node_count=graph.number_of_nodes(),
            edge_count=graph.number_of_edges(),
            vis_css=_asset("vis-network.css"),
            vis_js=_asset("vis-network.min.js"),
            app_css=_template_text("map.css"),
            app_js=_template_text("map.js"),
        )
    )


def build_network(graph: nx.DiGraph, positions: dict | None = None) -> Network:
    """A pyvis network of the graph: styled nodes with tooltip data, weighted edges."""
    network = Network(directed=True, cdn_resources="in_line")
    network.node_ids = _IdList()
    for node_id, attrs in graph.nodes(data=True):
        extra = {"x": positions[node_id][0], "y": positions[node_id][1]} if positions else {}
        info = tooltip_info(attrs, selected=graph)
        network.add_node(node_id, **node_style(attrs), info=info, **extra)
    for source, target, attrs in graph.edges(data=True):
        network.add_edge(source, target, **edge_style(attrs))
    return network


def node_style(attrs: dict) -> dict:
    """Label, colour, shape, size and kind of a node, from its kind and citation count."""
    kind = attrs.get("kind") or "other"
    _, colour, shape, _ = KINDS.get(kind, _OTHER)
    label = str(attrs.get("label") or attrs.get("title") or "")
    if len(label) > LABEL_LENGTH:
        label = label[: LABEL_LENGTH - 1] + "\u2026"
    return {
        "label": label or " ",
        "color": colour,
        "shape": shape,
        "kind": kind,
        "size": node_size(attrs),
    }


def node_size(attrs: dict) -> float:
    """Node radius in pixels: grows with the square root of the citation count.

    A work's count is its citing episodes; an episode's is the works it cites, which run
    higher, so episodes grow more slowly.
    """
    if attrs.get("kind") == "podcast":
        return 28.0
    citations = int(attrs.get("citations") or 0)
    growth = 2.5 if attrs.get("kind") == "episode" else 6.0
    return round(min(10 + growth * math.sqrt(citations), 48), 1)


def edge_style(attrs: dict) -> dict:
    """Colour, width, hover text and dashes of an edge from its relation, weight and how it
    was made (an episode citing a work only in its transcript: dashed)."""
    relation = str(attrs.get("relation") or "")
    weight = attrs.get("weight") or 1
    spoken = attrs.get("via") == "spoken"
    label = f"{relation}, spoken" if spoken else relation
    return {
        "color": RELATION_COLOURS.get(relation, "#aaaaaa"),
        "width": round(1 + math.log(max(float(weight), 1.0)), 2),
        "title": f"{label} ({weight})" if weight != 1 else label,
        "dashes": spoken,  # a work the episode only speaks of: a dashed line
    }


class _IdList(list):
    """pyvis's list of node ids, with constant-time ``in`` (pyvis tests it on every add)."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item) -> bool:
        return item in self._members


def tooltip_info(attrs: dict, selected: Any = ()) -> dict:
    """The plain data a tooltip shows; only http(s) URLs are kept, empty fields dropped.

    Works list at most CITING_LIMIT citing episodes, those in ``selected`` first.
    """
    citing = attrs.get("citing") or []
    citing = list(
        islice(
            chain(
                (c for c in citing if c.get("episode") in selected),
                (c for c in citing if c.get("episode") not in selected),
            ),
            CITING_LIMIT,
        )
    )
    info = {
        "kind": attrs.get("kind"),
        "title": attrs.get("title") or attrs.get("label"),
        "work_kind": attrs.get("work_kind"),
        "year": attrs.get("year"),
        "authors": attrs.get("authors"),
        "identifiers": attrs.get("identifiers"),
        "url": safe_url(attrs.get("url")),
        "podcast": attrs.get("podcast"),
        "published": attrs.get("published"),
        "roles": attrs.get("roles"),
        "scheme": attrs.get("scheme"),
        "start": _clock(attrs.get("start_seconds")),
        "citations": attrs.get("citations"),
        "mentions": attrs.get("mentions"),
        "status": attrs.get("status"),
        "citing": [
            _present(
                {
                    "title": c.get("title"),
                    "url": safe_url(c.get("url")),
                    "topic": c.get("topic"),
                    "said": _said(c),
                }
            )
            for c in citing
        ],
    }
    return _present(info)


def _said(citing: dict) -> str | None:
    """How an episode says a work, for its tooltip: "spoken at 0:12:34 by Ada Park" for a
    work only said, "at 0:12:34 by Ada Park" where the transcript first discusses a link's."""
    parts = ["spoken"] if citing.get("via") == "spoken" else []
    if citing.get("said_at") is not None:
        parts.append(f"at {_clock(citing['said_at'])}")
    if citing.get("speaker"):
        parts.append(f"by {citing['speaker']}")
    return " ".join(parts) or None


def _present(values: dict) -> dict:
    """The entries that hold something (JSON stays small)."""
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


def legend(graph: nx.DiGraph) -> list[dict]:
    """The legend rows: each node kind present, with its colour, symbol and count."""
    counts: dict[str, int] = {}
    kinds: Iterable[tuple[str, str | None]] = graph.nodes(data="kind")
    for _, kind in kinds:
        counts[kind or "other"] = counts.get(kind or "other", 0) + 1
    order = [k for k in KINDS if k in counts] + sorted(k for k in counts if k not in KINDS)
    return [
        dict(
            zip(("label", "color", "shape", "symbol"), KINDS.get(kind, _OTHER), strict=True),
            kind=kind,
            count=counts[kind],
        )
        for kind in order
    ]


def vis_options(large: bool) -> dict:
    """vis-network options: physics that settles for small maps, none for large ones."""
    physics: dict[str, Any] = {"enabled": False}
    if not large:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 90,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 250, "updateInterval": 50},
        }
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 13, "face": "sans-serif"},
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "smooth": False if large else {"type": "continuous"},
            "color": {"inherit": False, "opacity": 0.55},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": False},  # nodes come with positions
        "physics": physics,
    }


def safe_url(url: Any) -> str | None:
    """The URL when it is http(s), else None (no javascript: or data: links)."""
    if not isinstance(url, str) or not _HTTP_URL.match(url.strip()):
        return None
    return url.strip()


def map_iframe(page: str, height: int = 600) -> str:
    """An iframe element that shows a rendered map inline, e.g. in a notebook."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" width="100%" height="{height}" '
        'style="border:1px solid #ddd" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>'
    )


def _clock(seconds: Any) -> str | None:
    if seconds is None:
        return None
    total = int(float(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


@cache
def _asset(name: str) -> str:
    """A vis-network file as shipped inside the pyvis package."""
    root = Path(pyvis.__file__).parent
    for folder in (root / "templates" / "lib", root / "lib"):
        path = folder / f"vis-{VIS_VERSION}" / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(f"pyvis does not ship vis-network {VIS_VERSION}/{name}")


@cache
def _template_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
    )
