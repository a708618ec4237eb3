"""A fast precomputed layout for large maps: a force layout of the hubs, leaves around them.

A force layout of every node costs O(n^2) per iteration, which is seconds for a few
thousand nodes in numpy. The graphs here are hub-and-spoke: episodes and much-cited works
are hubs, and most other nodes touch one or two of them. So the hubs get a real force
layout (networkx spring layout, dense and fast below a few hundred nodes), and every other
node is placed in rings around the placed neighbours it hangs from.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque

import networkx as nx

CORE_SIZE = 300  # hubs laid out by force; networkx's dense spring layout is fast below 500
SPACING = 60.0  # pixels between neighbouring leaves


def hub_layout(
    graph: nx.Graph, *, core_size: int = CORE_SIZE, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node: hubs by force, the others in rings around them."""
    undirected = graph.to_undirected(as_view=True)
    if not len(undirected):
        return {}
    degree = dict(undirected.degree())
    ranked = sorted(undirected, key=lambda n: (-degree[n], str(n)))
    core = [n for n in ranked[:core_size] if degree[n] > 1] or ranked[:1]
    scale = SPACING * math.sqrt(len(undirected))
    spring = nx.spring_layout(
        undirected.subgraph(core), seed=seed, iterations=60, scale=scale
    )  # dense force layout below 500 nodes
    positions = {n: (float(x), float(y)) for n, (x, y) in spring.items()}
    _place_rest(undirected, positions, ranked, scale)
    return positions


def _place_rest(graph: nx.Graph, positions: dict, ranked: list, scale: float) -> None:
    """Place the other nodes around placed neighbours; other components and lone nodes
    go on grids below the layout."""
    children: dict = defaultdict(int)  # anchor -> leaves placed around it so far
    _spread(graph, positions, deque(positions), children)
    loose = [n for n in ranked if n not in positions]
    lone = [n for n in loose if graph.degree(n) == 0]
    lone_set = set(lone)
    bottom = max((y for _, y in positions.values()), default=0.0) + 3 * SPACING
    left = min((x for x, _ in positions.values()), default=-scale)
    spots = _grid(left, bottom, 6 * SPACING, 8)
    for start in loose:
        if start in positions or start in lone_set:
            continue
        positions[start] = next(spots)
        _spread(graph, positions, deque([start]), children)
    if lone:
        bottom = max(y for _, y in positions.values()) + 3 * SPACING
        columns = max(8, math.ceil(2 * math.sqrt(len(lone))))
        spots = _grid(left, bottom, SPACING, columns)
        for node in lone:
            positions[node] = next(spots)


def _spread(graph: nx.Graph, positions: dict, queue: deque, children: dict) -> None:
    """Breadth first from the queued nodes: each unplaced neighbour on a ring round them."""
    while queue:
        anchor = queue.popleft()
        for node in graph[anchor]:
            if node in positions:
                continue
            positions[node] = _ring_spot(positions, graph, node, children[anchor])
            children[anchor] += 1
            queue.append(node)


def _ring_spot(positions: dict, graph: nx.Graph, node, index: int) -> tuple[float, float]:
    """The index-th spot on the rings around an anchor, pulled towards other placed friends."""
    placed = [positions[n] for n in graph[node] if n in positions]
    cx = sum(p[0] for p in placed) / len(placed)
    cy = sum(p[1] for p in placed) / len(placed)
    ring, slot, per_ring = 0, index, 8
    while slot >= per_ring:  # rings hold 8, 16, 24 ... spots
        slot -= per_ring
        ring += 1
        per_ring += 8
    radius = SPACING * (ring + 1)
    angle = 2 * math.pi * slot / per_ring + ring * 0.4
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _grid(left: float, top: float, step: float, columns: int):
    """Endless spots on a grid, row by row, from (left, top) down."""
    row = 0
    while True:
        for col in range(columns):
            yield (left + col * step, top + row * step)
        row += 1
