"""Graph files for other tools: GraphML and GEXF (Gephi, Cytoscape), node-link JSON, and
CSV with one row per mention."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import networkx as nx

from ..lookup import content_condition, topic_url
from ..safetext import printable

# characters XML 1.0 forbids even when escaped
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = [
    "mention_id",
    "podcast",
    "episode",
    "episode_title",
    "episode_url",
    "published",
    "topic",
    "topic_url",
    "start_seconds",
    "section",
    "position",
    "anchor_text",
    "context",
    "url",
    "url_canonical",
    "link_kind",
    "work",
    "work_kind",
    "work_title",
    "status",
    "boilerplate",
    "boilerplate_reason",
    "via",  # link, or spoken: a work the transcript names (with its confidence)
    "confidence",
    "speaker",
    "said_at",
]


def render_graphml(graph: nx.DiGraph, store: Any = None) -> str:
    """GraphML; lists and dicts become JSON strings, empty values are left out."""
    return (
        _XML_DECLARATION
        + "\n".join(nx.generate_graphml(flat_graph(graph), encoding="utf-8", prettyprint=True))
        + "\n"
    )


def render_gexf(graph: nx.DiGraph, store: Any = None) -> str:
    """GEXF 1.2; lists and dicts become JSON strings, empty values are left out."""
    return (
        _XML_DECLARATION
        + "\n".join(nx.generate_gexf(flat_graph(graph), encoding="utf-8", prettyprint=True))
        + "\n"
    )


def render_json(graph: nx.DiGraph, store: Any = None) -> str:
    """networkx node-link JSON (keys ``nodes`` and ``edges``), attributes as they are."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def render_csv(graph: nx.DiGraph, store: Any) -> str:
    """One row per mention in the selection, formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in mention_rows(graph, store):
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()


def mention_rows(graph: nx.DiGraph, store: Any) -> list[dict]:
    """The mentions of the selection, read from the store's ``mention_details`` view.

    A mention is kept when its episode and its work are both selected; when the selection
    holds no episode at all (``--kind work``) the work alone decides, and the other way round.
    Boilerplate mentions are kept only when the graph was built with them.
    """
    if store is None:
        raise ValueError("the csv export reads mentions from the store; none was given")
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    content = content_condition(graph.graph.get("include_boilerplate", False), "mention_details")
    rows = []
    for row in store.query(
        f"SELECT * FROM mention_details WHERE {content} "
        "ORDER BY published, episode_id, position, mention_id"
    ):
        episode = f"episode:{row['episode_id']}"
        work = f"work:{row['work_id']}" if row["work_id"] is not None else None
        if "episode" in kinds and episode not in graph:
            continue
        if "work" in kinds and work not in graph:
            continue
        if not kinds & {"episode", "work"}:
            continue
        spoken = row["via"] == "spoken"
        rows.append(
            {
                **row,
                "via": "spoken" if spoken else "link",
                "confidence": row["confidence"] if spoken else None,
                "episode": episode,
                "work": work,
                "topic_url": topic_url(
                    row["episode_url"], row["topic_anchor"], row["start_seconds"]
                )
                if row["topic"] is not None
                else None,
            }
        )
    return rows


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: a leading ' before = + - @ tab CR, and
    control characters but line ends as ``\\x1b``-style escapes (a terminal showing the
    file runs no escape sequence)."""
    if isinstance(value, str):
        cell = "'" + value if value.startswith(_FORMULA_START) else value
        return "\r".join(printable(line, lines=True) for line in cell.split("\r"))
    return "" if value is None else value


def flat_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes XML writers accept: scalars only, no None, XML-legal text."""
    flat: nx.DiGraph = nx.DiGraph()
    flat.graph.update(_flat_attrs(graph.graph))
    flat.add_nodes_from((n, _flat_attrs(d)) for n, d in graph.nodes(data=True))
    flat.add_edges_from((u, v, _flat_attrs(d)) for u, v, d in graph.edges(data=True))
    return flat


def _flat_attrs(attrs: dict) -> dict:
    flat = {}
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple, dict, set)):
            value = json.dumps(
                sorted(value) if isinstance(value, set) else value, ensure_ascii=False
            )
        if isinstance(value, str):
            value = _XML_ILLEGAL.sub("\ufffd", value)
        flat[str(key)] = value
    return flat
