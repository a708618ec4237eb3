"""The graph around a few nodes, read from SQL as it is needed, for stores too large to build.

``build_graph`` reads the whole store; a question about two nodes needs only what lies
between them, and a selection around a node only what lies near it (``ego``).
``Neighbourhood`` answers, for any node of the graph ``build_graph`` would build (same ids,
same relations, same boilerplate rule), its neighbours and its degree, straight from the
tables and their indexes, and keeps what it has read. ``cheapest_path`` runs Dijkstra's
search from both ends at once over it, at the costs ``graph.shortest_path`` uses, so it
finds the same chain while reading only the nodes nearer than the meeting point.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterable

import networkx as nx

from .lookup import IDENTIFIERS_SQL, content_condition, ids_param, topic_url
from .store import Store

# relation names, by (source kind, target kind)
HAS_EPISODE = "has-episode"  # podcast -> episode
HAS_TOPIC = "has-topic"  # episode -> topic
CITES = "cites"  # episode -> work, weight = mentions
DISCUSSES = "discusses"  # topic -> work, weight = mentions
LINK, SPOKEN = "link", "spoken"  # a cites edge's via: linked in the notes, or only said
AUTHORED = "authored"  # person -> work
APPEARS_IN = "appears-in"  # person -> episode
IN_SUBJECT = "in-subject"  # work -> subject

BULK_DEGREES = 1000  # nodes of one kind whose degrees are read one by one at most
Edge = tuple[str, str, bool]  # the other node, the relation, whether it points from this node


class Neighbourhood:
    """Neighbours and degrees of graph nodes (``"kind:id"``), read on demand and kept."""

    def __init__(self, store: Store, include_boilerplate: bool = False):
        self.store = store
        self.content = content_condition(include_boilerplate)
        self._edges: dict[str, list[Edge]] = {}
        self._degrees: dict[str, int] = {}
        self._every: set[str] = set()  # kinds whose every degree has been read

    def edges(self, node: str) -> list[Edge]:
        """Every edge of a node, in a fixed order."""
        if node not in self._edges:
            kind, number = node.split(":", 1)
            self._edges[node] = [
                (f"{other_kind}:{other}", relation, forward)
                for other_kind, relation, forward, column, _, rows in _EDGES[kind]
                for (other,) in self.store.conn.execute(
                    _edge_sql(rows, column, self.content), (int(number),)
                )
            ]
            self._degrees[node] = len(self._edges[node])
        return self._edges[node]

    def degrees(self, nodes: Iterable[str]) -> dict[str, int]:
        """The degree of each node (its edges in the whole graph; a node not in the answer has
        none), counted in SQL for the nodes asked about, or for every node of a kind when
        more than ``BULK_DEGREES`` of it are asked about at once."""
        wanted: dict[str, list[int]] = {}
        for node in nodes:
            if node not in self._degrees:
                kind, number = node.split(":", 1)
                if kind not in self._every:
                    wanted.setdefault(kind, []).append(int(number))
        for kind, numbers in wanted.items():
            if len(numbers) > BULK_DEGREES:  # one pass over the tables beats many lookups
                self._read_every_degree(kind)
                continue
            for start in range(0, len(numbers), 10_000):
                chunk = ids_param(numbers[start : start + 10_000])
                for number, degree in self.store.conn.execute(
                    _degree_sql(kind, self.content), (chunk,)
                ):
                    self._degrees[f"{kind}:{number}"] = degree
        return self._degrees

    def __contains__(self, node: object) -> bool:
        """Whether ``build_graph`` would make this node (a work only when something cites it)."""
        return isinstance(node, str) and self.exists(node)

    def _read_every_degree(self, kind: str) -> None:
        """The degree of every node of a kind, in one grouped pass per kind of edge."""
        counts: Counter[str] = Counter()
        for sql in _all_degrees_sql(kind, self.content):
            for number, count in self.store.conn.execute(sql):
                if number is not None:
                    counts[f"{kind}:{number}"] += count
        self._degrees.update(counts)
        self._every.add(kind)

    def exists(self, node: str) -> bool:
        """Whether ``build_graph`` would make this node (a work only when something cites it)."""
        kind, _, number = node.partition(":")
        if kind not in _EDGES or not number.isdigit():
            return False
        present = self.store.scalar(f"SELECT 1 FROM {_TABLES[kind]} WHERE id = ?", (int(number),))
        return bool(present) and (kind in ("episode", "podcast", "topic") or bool(self.edges(node)))

    def title(self, node: str) -> str | None:
        """A node's title, as the graph gives it."""
        return self._attributes(node)["title"]

    def subgraph(self, nodes: list[str]) -> nx.DiGraph:
        """The graph's nodes ``nodes`` (kind, title, url, identifiers) and their edges."""
        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from((node, self._attributes(node)) for node in nodes)
        for node in nodes:
            for other, relation, forward in self.edges(node):
                if other in graph:
                    edge = (node, other) if forward else (other, node)
                    graph.add_edge(*edge, relation=relation)
        return graph

    def _attributes(self, node: str) -> dict:
        kind, number = node.split(":", 1)
        row = self.store.conn.execute(_ATTRIBUTES[kind], (int(number),)).fetchone()
        title, url = row[0], row[1]
        attributes = {"kind": kind, "title": title, "url": url}
        if kind == "topic":
            attributes["url"] = topic_url(*row[1:])
        if kind == "work":
            attributes["identifiers"] = [
                ref
                for _, ref in self.store.conn.execute(
                    IDENTIFIERS_SQL.format(where="WHERE i.work_id = ?"), (int(number),)
                )
            ]
            if not title:
                attributes["title"] = (attributes["identifiers"] or [url])[0]
        return attributes


def ego(around: Neighbourhood, centre: str, depth: int, budget: int) -> set[str] | None:
    """The nodes at most ``depth`` steps from ``centre``, edges followed both ways; None as
    soon as there are more than ``budget`` of them."""
    found, frontier = {centre}, [centre]
    for _ in range(depth):
        reached = []
        for node in frontier:
            for other, _, _ in around.edges(node):
                if other not in found:
                    found.add(other)
                    reached.append(other)
            if len(found) > budget:
                return None
        if not reached:  # everything reachable is found
            break
        frontier = reached
    return found


def cheapest_path(
    around: Neighbourhood, source: str, target: str, costs: dict[str, float], budget: int
) -> list[str] | None:
    """The cheapest chain of nodes from source to target, edges followed both ways.

    A step costs ``costs[relation]`` plus half the log of the degree of each of its two
    nodes (``graph.shortest_path``'s costs). [] when no chain joins them; None when more
    than ``budget`` nodes were settled on the way without an answer.
    """
    if source == target:
        return [source]
    spread: dict[str, float] = {}

    def spread_of(nodes: list[str]) -> None:
        degrees = around.degrees(n for n in nodes if n not in spread)
        for node in nodes:
            if node not in spread:
                spread[node] = math.log(max(degrees.get(node, 0), 1)) / 2

    spread_of([source, target])
    distance = [{source: 0.0}, {target: 0.0}]
    previous: list[dict[str, str | None]] = [{source: None}, {target: None}]
    settled: list[set[str]] = [set(), set()]
    counter = itertools.count()
    frontier = [[(0.0, next(counter), source)], [(0.0, next(counter), target)]]
    best, meeting = math.inf, None
    while frontier[0] and frontier[1]:
        if frontier[0][0][0] + frontier[1][0][0] >= best:
            break
        if len(settled[0]) + len(settled[1]) > budget:
            return None
        side = 0 if frontier[0][0][0] <= frontier[1][0][0] else 1
        cost, _, node = heapq.heappop(frontier[side])
        if node in settled[side]:
            continue
        settled[side].add(node)
        edges = around.edges(node)
        spread_of([other for other, _, _ in edges])
        for other, relation, _ in edges:
            step = cost + costs[relation] + spread[node] + spread[other]
            if step < distance[side].get(other, math.inf):
                distance[side][other] = step
                previous[side][other] = node
                heapq.heappush(frontier[side], (step, next(counter), other))
            through = step + distance[1 - side].get(other, math.inf)
            if other in distance[1 - side] and through < best:
                best, meeting = through, other
    if meeting is None:
        return []
    chain = _back(previous[0], meeting)
    return chain[::-1] + _back(previous[1], meeting)[1:]


def _back(previous: dict[str, str | None], node: str) -> list[str]:
    chain = [node]
    while previous[chain[-1]] is not None:
        chain.append(previous[chain[-1]])  # type: ignore[arg-type]
    return chain


_MENTIONED = "mentions m JOIN links l ON l.id = m.link_id WHERE "
_CITED = (
    "EXISTS (SELECT 1 FROM links l JOIN mentions m ON m.link_id = l.id WHERE l.work_id = {work}"
)
# For each kind of node, its edges: the other node's kind, the relation, whether the edge
# points from this node, the other node's id column, this node's id column, and the rows
# the edge is in, for the node {id}.
_EDGES: dict[str, list[tuple[str, str, bool, str, str, str]]] = {
    "podcast": [
        (
            "episode",
            HAS_EPISODE,
            True,
            "e.id",
            "e.podcast_id",
            "episodes e WHERE e.podcast_id = {id}",
        )
    ],
    "episode": [
        (
            "podcast",
            HAS_EPISODE,
            False,
            "p.id",
            "e.id",
            "episodes e JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = {id}",
        ),
        ("topic", HAS_TOPIC, True, "t.id", "t.episode_id", "topics t WHERE t.episode_id = {id}"),
        (
            "work",
            CITES,
            True,
            "l.work_id",
            "m.episode_id",
            _MENTIONED + "m.episode_id = {id} AND l.work_id IS NOT NULL AND {content}",
        ),
        (
            "person",
            APPEARS_IN,
            False,
            "a.person_id",
            "a.episode_id",
            "appearances a WHERE a.episode_id = {id}",
        ),
    ],
    "topic": [
        ("episode", HAS_TOPIC, False, "t.episode_id", "t.id", "topics t WHERE t.id = {id}"),
        (
            "work",
            DISCUSSES,
            True,
            "l.work_id",
            "m.topic_id",
            _MENTIONED + "m.topic_id = {id} AND l.work_id IS NOT NULL AND {content}",
        ),
    ],
    "work": [
        (
            "episode",
            CITES,
            False,
            "m.episode_id",
            "l.work_id",
            _MENTIONED + "l.work_id = {id} AND {content}",
        ),
        (
            "topic",
            DISCUSSES,
            False,
            "m.topic_id",
            "l.work_id",
            _MENTIONED + "l.work_id = {id} AND m.topic_id IS NOT NULL AND {content}",
        ),
        (
            "person",
            AUTHORED,
            False,
            "a.person_id",
            "a.work_id",
            "authorships a WHERE a.work_id = {id} AND "
            + _CITED.format(work="{id}")
            + " AND {content})",
        ),
        (
            "subject",
            IN_SUBJECT,
            True,
            "x.subject_id",
            "x.work_id",
            "work_subjects x WHERE x.work_id = {id} AND "
            + _CITED.format(work="{id}")
            + " AND {content})",
        ),
    ],
    "person": [
        (
            "work",
            AUTHORED,
            True,
            "a.work_id",
            "a.person_id",
            "authorships a WHERE a.person_id = {id} AND "
            + _CITED.format(work="a.work_id")
            + " AND {content})",
        ),
        (
            "episode",
            APPEARS_IN,
            True,
            "a.episode_id",
            "a.person_id",
            "appearances a WHERE a.person_id = {id}",
        ),
    ],
    "subject": [
        (
            "work",
            IN_SUBJECT,
            False,
            "x.work_id",
            "x.subject_id",
            "work_subjects x WHERE x.subject_id = {id} AND "
            + _CITED.format(work="x.work_id")
            + " AND {content})",
        ),
    ],
}
# What the graph shows of a node: its title and URL (a topic's URL from its episode's).
_ATTRIBUTES = {
    "podcast": "SELECT title, coalesce(site_url, feed_url) FROM podcasts WHERE id = ?",
    "episode": "SELECT title, url FROM episodes WHERE id = ?",
    "topic": "SELECT t.title, e.url, t.anchor, t.start_seconds FROM topics t "
    "JOIN episodes e ON e.id = t.episode_id WHERE t.id = ?",
    "work": "SELECT title, url FROM works WHERE id = ?",
    "person": "SELECT name, url FROM people WHERE id = ?",
    "subject": "SELECT coalesce(label, name), NULL FROM subjects WHERE id = ?",
}
_TABLES = {
    "podcast": "podcasts",
    "episode": "episodes",
    "topic": "topics",
    "work": "works",
    "person": "people",
    "subject": "subjects",
}


def _edge_sql(rows: str, column: str, content: str) -> str:
    """The ids of one kind of neighbour of the node given as the parameter."""
    return f"SELECT DISTINCT {column} FROM " + rows.format(id="?1", content=content)


def _degree_sql(kind: str, content: str) -> str:
    """Each node's degree, for nodes whose ids are given as a JSON list."""
    counts = " + ".join(
        f"(SELECT count(DISTINCT {column}) FROM {rows.format(id='i.value', content=content)})"
        for _, _, _, column, _, rows in _EDGES[kind]
    )
    return f"SELECT i.value, {counts} FROM json_each(?) i"


def _all_degrees_sql(kind: str, content: str) -> list[str]:
    """For every node of a kind, one query per kind of edge: node id, its edges of that kind."""
    return [
        f"SELECT {owner}, count(DISTINCT {column}) FROM "
        + rows.format(id=owner, content=content)
        + f" GROUP BY {owner}"
        for _, _, _, column, owner, rows in _EDGES[kind]
    ]
