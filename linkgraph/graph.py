"""The store as a networkx graph, selections of it, and paths through it.

Node ids are ``"<kind>:<row id>"`` for the kinds podcast, episode, topic, work, person and
subject. Every node has ``kind``, ``label`` (short), ``title``, ``url`` and ``year``; every
edge has ``relation`` and ``weight``. Only works that some episode cites are nodes; unless
boilerplate is wanted, only its content mentions count as citations (the graph attribute
``include_boilerplate`` says which).
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter
from collections.abc import Iterable

import networkx as nx

from .lookup import (
    IDENTIFIERS_SQL,
    RefError,
    check_date,
    content_condition,
    episode_by_exact_ref,
    episodes_by_title,
    group_pairs,
    time_url,
    topic_url,
    work_by_exact_ref,
    works_by_title,
    year_of,
)
from .neighbourhood import (
    APPEARS_IN,
    AUTHORED,
    CITES,
    DISCUSSES,
    HAS_EPISODE,
    HAS_TOPIC,
    IN_SUBJECT,
    LINK,
    SPOKEN,
    Neighbourhood,
    cheapest_path,
    ego,
)
from .store import Store

KINDS = ("podcast", "episode", "topic", "work", "person", "subject")


LABEL_LENGTH = 40
MAX_DEPTH = 1000  # steps from --around; a store's graph is never that deep
PATH_BUDGET = 200_000  # nodes a path search settles before it builds the whole graph
AROUND_BUDGET = 50_000  # nodes a selection around a node reads before the whole graph is built
_KIND_ORDER = {
    kind: n for n, kind in enumerate(("podcast", "episode", "work", "person", "subject", "topic"))
}
# path step costs by relation: a podcast or a subject joins things more loosely than a citation
_PATH_COST = {
    CITES: 1.0,
    DISCUSSES: 1.0,
    HAS_TOPIC: 1.0,
    AUTHORED: 1.0,
    APPEARS_IN: 1.5,
    HAS_EPISODE: 2.0,
    IN_SUBJECT: 2.0,
}


def label(text: str | None, length: int = LABEL_LENGTH) -> str:
    """A short label: the text cut at a word boundary with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(" ,;:-") + "…"


def _node(
    kind: str, title: str | None, url: str | None = None, year: int | None = None, **extra
) -> dict:
    return {"kind": kind, "label": label(title), "title": title, "url": url, "year": year, **extra}


# ---- building -----------------------------------------------------------------------------


def build_graph(
    store: Store, *, include_boilerplate: bool = False, within: Iterable[str] | None = None
) -> nx.DiGraph:
    """The whole store, as one snapshot, as a directed graph (see the module docstring).

    Boilerplate mentions (the show's own site, sponsors, support and social links ...)
    make no citations unless ``include_boilerplate``. ``within`` (node ids) builds only
    those nodes of the whole graph, with the attributes and the edges among them the whole
    graph gives them, reading only the rows they need."""
    graph: nx.DiGraph = nx.DiGraph(include_boilerplate=include_boilerplate)
    scope = _Scope(within)
    with store.snapshot():
        cited = _Citations(store, include_boilerplate, scope)
        podcasts = _add_podcasts(store, graph, scope)
        episodes = _add_episodes(store, graph, podcasts, cited, scope)
        topics = _add_topics(store, graph, episodes, scope)
        works = _add_works(store, graph, episodes, topics, cited, scope)
        _add_people(store, graph, episodes, works, scope, content_condition(include_boilerplate))
        _add_subjects(store, graph, works, scope)
    if not scope.whole:  # rows read for the nodes' attributes made a few nodes more
        graph.remove_nodes_from([n for n in list(graph) if not scope.holds(n)])
    return graph


class _Scope:
    """The rows a graph is built from: all of them, or those some of its nodes need."""

    def __init__(self, nodes: Iterable[str] | None):
        self.whole = nodes is None
        self.ids: dict[str, set[int]] = {kind: set() for kind in KINDS}
        for node in nodes or ():
            kind, number = node.split(":", 1)
            self.ids[kind].add(int(number))

    def holds(self, node: str) -> bool:
        kind, number = node.split(":", 1)
        return int(number) in self.ids[kind]

    def among(self, column: str, ids: Iterable[int]) -> str:
        """SQL keeping the rows whose ``column`` is one of ``ids``; all rows in the whole."""
        if self.whole:
            return "1"
        return f"{column} IN (SELECT value FROM json_each('{json.dumps(sorted(ids))}'))"


def graph_around(
    store: Store, ref: str, depth: int, *, include_boilerplate: bool = False
) -> tuple[nx.DiGraph, str] | None:
    """The nodes at most ``depth`` steps from the node ``ref`` names, as ``build_graph``
    gives them, and that node: read from SQL around it (``neighbourhood.ego``), not from
    the whole graph. None when that reaches more than ``AROUND_BUDGET`` nodes."""
    with store.snapshot():
        around = Neighbourhood(store, include_boilerplate)
        centre = node_for_ref(store, around, ref)
        nodes = ego(around, centre, depth, AROUND_BUDGET)
        if nodes is None:
            return None
        return build_graph(store, include_boilerplate=include_boilerplate, within=nodes), centre


def _earlier(seconds: float | None, known: tuple[float | None, str | None] | None) -> bool:
    """Whether a time comes before the one known (any time before none)."""
    if known is None:
        return True
    return seconds is not None and (known[0] is None or seconds < known[0])


class _Citations:
    """Mentions counted per (work, episode) and per (topic, work), in one pass over them:
    every mention, or (in a scope) every mention of its episodes and of its works."""

    def __init__(self, store: Store, include_boilerplate: bool, scope: _Scope):
        # (work, episode) -> [mentions, position of the first, its topic, whether linked]
        self.pairs: dict[tuple[int, int], list] = {}
        self.topics: Counter[tuple[int, int]] = Counter()
        # (work, episode) -> (seconds, speaker) where its transcript first says the work
        self.said: dict[tuple[int, int], tuple[float | None, str | None]] = {}
        for episode_id, topic_id, work_id, position, via, said_at, speaker in _cited_rows(
            store, content_condition(include_boilerplate), scope
        ):
            if (said_at is not None or speaker) and _earlier(
                said_at, self.said.get((work_id, episode_id))
            ):
                self.said[work_id, episode_id] = (said_at, speaker)
            entry = self.pairs.get((work_id, episode_id))
            if entry is None:
                self.pairs[work_id, episode_id] = [1, position, topic_id, via != "spoken"]
            else:
                entry[0] += 1
                entry[3] = entry[3] or via != "spoken"
                if position < entry[1]:
                    entry[1:3] = position, topic_id
            if topic_id is not None:
                self.topics[topic_id, work_id] += 1

    def says(self, work_id: int, episode_id: int) -> dict:
        """How an episode cites a work, where it says more than a link does: ``via``
        "spoken" when it only speaks of it, and when and by whom its transcript first says
        it (``said_at``, ``speaker``)."""
        said_at, speaker = self.said.get((work_id, episode_id), (None, None))
        fields: dict[str, str | float] = (
            {"via": SPOKEN} if not self.pairs[work_id, episode_id][3] else {}
        )
        if said_at is not None:
            fields["said_at"] = said_at
        if speaker:
            fields["speaker"] = speaker
        return fields

    def works_cited(self) -> Counter[int]:
        """The number of works each episode cites."""
        return Counter(episode_id for _, episode_id in self.pairs)


def _cited_rows(store: Store, content: str, scope: _Scope) -> Iterable[tuple]:
    """(episode, topic, work, position, via, said_at, speaker) of each content mention of a
    work, in the order of the mentions: all, or those of the scope's episodes and works."""
    if scope.whole:
        work_of = dict(
            store.conn.execute("SELECT id, work_id FROM links WHERE work_id IS NOT NULL")
        )
        for episode_id, topic_id, link_id, *rest in store.conn.execute(
            "SELECT episode_id, topic_id, link_id, position, via, said_at, speaker FROM mentions m "
            f"WHERE {content}"
        ):
            if link_id in work_of:
                yield episode_id, topic_id, work_of[link_id], *rest
        return
    select = (
        "SELECT m.id, m.episode_id, m.topic_id, l.work_id, m.position, m.via, m.said_at, "
        f"m.speaker FROM mentions m JOIN links l ON l.id = m.link_id WHERE {content} AND "
    )
    episodes = scope.among("m.episode_id", scope.ids["episode"])
    works = scope.among("l.work_id", scope.ids["work"])
    for _, *row in store.conn.execute(
        f"{select}{episodes} AND l.work_id IS NOT NULL "
        f"UNION ALL {select}{works} AND NOT {episodes} ORDER BY 1"
    ):
        yield tuple(row)


def _add_podcasts(store: Store, graph: nx.DiGraph, scope: _Scope) -> dict[int, str]:
    rows = store.query(
        "SELECT id, title, coalesce(site_url, feed_url) AS url FROM podcasts "
        f"WHERE {scope.among('id', scope.ids['podcast'])} ORDER BY id"
    )
    nodes = {row["id"]: f"podcast:{row['id']}" for row in rows}
    graph.add_nodes_from(
        (nodes[row["id"]], _node("podcast", row["title"], row["url"])) for row in rows
    )
    return nodes


def _add_episodes(
    store: Store, graph: nx.DiGraph, podcasts: dict[int, str], cited: _Citations, scope: _Scope
) -> dict[int, dict]:
    """Episode nodes; returns each episode's node id, title, url and date by row id. In a
    scope, the episodes the scope's works cite and whose topics it holds are read too."""
    works_cited = cited.works_cited()
    needed: set[int] = set()
    if not scope.whole:
        needed = scope.ids["episode"] | {episode for _, episode in cited.pairs}
        needed |= {
            row[0]
            for row in store.conn.execute(
                f"SELECT episode_id FROM topics WHERE {scope.among('id', scope.ids['topic'])}"
            )
        }
    rows = store.query(
        "SELECT e.id, e.podcast_id, e.title, e.url, e.audio_url, e.published, "
        "p.title AS podcast FROM episodes e "
        f"LEFT JOIN podcasts p ON p.id = e.podcast_id WHERE {scope.among('e.id', needed)} "
        "ORDER BY e.published, e.id"
    )
    episodes = {
        row["id"]: {
            "node": f"episode:{row['id']}",
            "title": row["title"],
            "url": row["url"],
            "audio_url": row["audio_url"],
            "published": row["published"],
        }
        for row in rows
    }
    graph.add_nodes_from(
        (
            episodes[row["id"]]["node"],
            _node(
                "episode",
                row["title"],
                row["url"],
                year_of(row["published"]),
                published=row["published"],
                podcast=row["podcast"],
                citations=works_cited[row["id"]],
            ),
        )
        for row in rows
    )
    graph.add_edges_from(
        (
            podcasts[row["podcast_id"]],
            episodes[row["id"]]["node"],
            {"relation": HAS_EPISODE, "weight": 1},
        )
        for row in rows
        if row["podcast_id"] in podcasts
    )
    return episodes


def _add_topics(
    store: Store, graph: nx.DiGraph, episodes: dict[int, dict], scope: _Scope
) -> dict[int, tuple[str, str, str | None]]:
    """Topic nodes (of the episodes read); returns each topic's (node id, title, url at the
    topic) by row id."""
    topics, edges = {}, []
    for row in store.query(
        "SELECT id, episode_id, title, anchor, start_seconds FROM topics "
        f"WHERE {scope.among('episode_id', episodes)} ORDER BY episode_id, position, id"
    ):
        episode = episodes[row["episode_id"]]
        node = f"topic:{row['id']}"
        url = topic_url(episode["url"], row["anchor"], row["start_seconds"])
        topics[row["id"]] = (node, row["title"], url)
        graph.add_node(
            node,
            **_node(
                "topic",
                row["title"],
                url,
                year_of(episode["published"]),
                start_seconds=row["start_seconds"],
                anchor=row["anchor"],
                episode=episode["node"],
            ),
        )
        edges.append((episode["node"], node, {"relation": HAS_TOPIC, "weight": 1}))
    graph.add_edges_from(edges)
    return topics


def _add_works(
    store: Store,
    graph: nx.DiGraph,
    episodes: dict[int, dict],
    topics: dict[int, tuple],
    cited: _Citations,
    scope: _Scope,
) -> dict[int, str]:
    """Work nodes for cited works, with cites and discusses edges; returns node ids."""
    citing: dict[int, list[dict]] = {}
    for (work_id, episode_id), (_mentions, _first, topic_id, _linked) in cited.pairs.items():
        episode = episodes[episode_id]
        topic = topics.get(topic_id)
        said = cited.says(work_id, episode_id)
        at_time = time_url(episode["url"], episode["audio_url"], said.get("said_at"))
        citing.setdefault(work_id, []).append(
            {
                "episode": episode["node"],
                "title": episode["title"],
                "url": at_time or (topic[2] if topic else episode["url"]),
                "topic": topic[1] if topic else None,
                **said,
            }
        )
    published = {e["node"]: e["published"] or "" for e in episodes.values()}
    for entries in citing.values():
        entries.sort(key=lambda entry: (published[entry["episode"]], entry["episode"]))
    nodes = _add_work_nodes(store, graph, citing, cited, scope)
    graph.add_edges_from(
        (
            episodes[e]["node"],
            nodes[w],
            {"relation": CITES, "weight": n, "via": LINK if linked else SPOKEN},
        )
        for (w, e), (n, _first, _topic, linked) in cited.pairs.items()
    )
    cited.pairs.clear()  # done with: free the memory before the next million edges
    graph.add_edges_from(
        (topics[t][0], nodes[w], {"relation": DISCUSSES, "weight": n})
        for (t, w), n in cited.topics.items()
    )
    cited.topics.clear()
    return nodes


def _add_work_nodes(
    store: Store,
    graph: nx.DiGraph,
    citing: dict[int, list[dict]],
    cited: _Citations,
    scope: _Scope,
) -> dict[int, str]:
    identifiers = group_pairs(
        store.conn.execute(
            IDENTIFIERS_SQL.format(where=f"WHERE {scope.among('i.work_id', citing)}")
        )
    )
    authors = group_pairs(
        store.conn.execute(
            "SELECT a.work_id, p.name FROM authorships a JOIN people p ON p.id = a.person_id "
            f"WHERE {scope.among('a.work_id', citing)} ORDER BY a.work_id, a.position"
        )
    )
    mentions: Counter[int] = Counter()
    for (work_id, _), (count, _first, _topic, _linked) in cited.pairs.items():
        mentions[work_id] += count
    nodes = {}
    for row in store.query(
        "SELECT id, kind, title, url, published, status FROM works "
        f"WHERE {scope.among('id', citing)} ORDER BY id"
    ):
        if row["id"] not in citing:
            continue
        nodes[row["id"]] = node = f"work:{row['id']}"
        ids = identifiers.get(row["id"], [])
        graph.add_node(
            node,
            **_node(
                "work",
                row["title"] or (ids[0] if ids else row["url"]),
                row["url"],
                year_of(row["published"]),
                work_kind=row["kind"],
                identifiers=ids,
                authors=authors.get(row["id"], []),
                citations=len(citing[row["id"]]),
                mentions=mentions[row["id"]],
                status=row["status"],
                citing=citing[row["id"]],
            ),
        )
    return nodes


def _add_people(
    store: Store,
    graph: nx.DiGraph,
    episodes: dict[int, dict],
    works: dict[int, str],
    scope: _Scope,
    content: str,
) -> None:
    """Person nodes for authors of cited works and people appearing in episodes (in a
    scope, the scope's people, whose roles come from everything they did)."""
    edges: list[tuple[str, str, dict]] = []
    roles: dict[int, set[str]] = {}
    people = scope.among("person_id", scope.ids["person"])
    for person_id, work_id in store.conn.execute(
        f"SELECT person_id, work_id FROM authorships WHERE {people} ORDER BY rowid"
    ):
        if work_id in works:
            if scope.whole:  # every cited work is read: these are all the authors
                roles.setdefault(person_id, set()).add("author")
            edges.append(
                (f"person:{person_id}", works[work_id], {"relation": AUTHORED, "weight": 1})
            )
    if not scope.whole:  # the scope's people who wrote a work something cites
        for (person_id,) in store.conn.execute(
            f"SELECT DISTINCT person_id FROM authorships a WHERE {people} AND EXISTS (SELECT 1"
            f" FROM links l JOIN mentions m ON m.link_id = l.id WHERE l.work_id = a.work_id AND "
            f"{content})"
        ):
            roles.setdefault(person_id, set()).add("author")
    appearing: dict[tuple[int, int], list[str]] = {}
    for person_id, episode_id, role in store.conn.execute(
        f"SELECT person_id, episode_id, role FROM appearances WHERE {people} ORDER BY role"
    ):
        roles.setdefault(person_id, set()).add(role)
        if episode_id in episodes:
            appearing.setdefault((person_id, episode_id), []).append(role)
    edges += [
        (f"person:{p}", episodes[e]["node"], {"relation": APPEARS_IN, "weight": 1, "roles": r})
        for (p, e), r in appearing.items()
    ]
    for row in store.query(f"SELECT id, name, url FROM people WHERE {scope.among('id', roles)}"):
        if row["id"] in roles:
            graph.add_node(
                f"person:{row['id']}",
                **_node("person", row["name"], row["url"], roles=sorted(roles[row["id"]])),
            )
    graph.add_edges_from(edges)


def _add_subjects(store: Store, graph: nx.DiGraph, works: dict[int, str], scope: _Scope) -> None:
    """Subject nodes for subjects of cited works."""
    edges = [
        (works[w], f"subject:{s}", {"relation": IN_SUBJECT, "weight": 1})
        for w, s in store.conn.execute(
            f"SELECT work_id, subject_id FROM work_subjects WHERE {scope.among('work_id', works)}"
        )
        if w in works
    ]
    used = {target for _, target, _ in edges}
    subjects = {int(target.split(":")[1]) for target in used} | scope.ids["subject"]
    for row in store.query(
        f"SELECT id, name, scheme, label FROM subjects WHERE {scope.among('id', subjects)}"
    ):
        node = f"subject:{row['id']}"
        if node in used or scope.holds(node):
            graph.add_node(
                node,
                **{
                    **_node("subject", row["label"] or row["name"], scheme=row["scheme"]),
                    "label": label(row["name"]),
                },
            )
    graph.add_edges_from(edges)


# ---- references ---------------------------------------------------------------------------


def node_for_ref(store: Store, graph: nx.DiGraph | Neighbourhood, ref: str) -> str:
    """The node a reference names: a node id, or a work REF or an EPISODE reference.

    Exact names (ids, URLs, guids) win over title words; title words that match works and
    episodes alike are ambiguous. ``graph`` is the whole graph or the neighbourhood read
    around the nodes asked about. Raises ``RefError``.
    """
    ref = ref.strip()
    if ref in graph:
        return ref
    if not ref:
        raise RefError("empty reference")
    exact = [
        f"{kind}:{row_id}"
        for kind, row_id in (
            ("episode", episode_by_exact_ref(store, ref)),
            ("work", work_by_exact_ref(store, ref)),
        )
        if row_id is not None
    ]
    if len(exact) > 1:
        raise RefError(
            f"{ref!r} names both {exact[0]} and {exact[1]}; use one of those ids",
            [{"id": node, "title": _title(graph, node)} for node in exact],
        )
    node = exact[0] if exact else _node_by_title(store, ref)
    if node not in graph:
        raise RefError(f"{ref!r} ({node}) is not in the graph")
    return node


def _title(graph: nx.DiGraph | Neighbourhood, node: str) -> str | None:
    if node not in graph:
        return None
    return graph.nodes[node]["title"] if isinstance(graph, nx.DiGraph) else graph.title(node)


def _node_by_title(store: Store, ref: str) -> str:
    """The one work or episode whose title has the words of ``ref``."""
    candidates = works_by_title(store, ref) + episodes_by_title(store, ref)
    if len(candidates) > 1:
        raise RefError(
            f"{ref!r} matches {len(candidates)} works and episodes; be more specific", candidates
        )
    if not candidates:
        raise RefError(f"no work or episode matches {ref!r}")
    found = candidates[0]
    return f"work:{found['work_id']}" if "work_id" in found else f"episode:{found['episode_id']}"


# ---- selections ---------------------------------------------------------------------------


def select(
    graph: nx.DiGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    kinds: set[str] | None = None,
    podcast: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_citations: int = 0,
    max_nodes: int | None = None,
) -> tuple[nx.DiGraph, int]:
    """A subgraph (a copy) and the number of nodes ``max_nodes`` dropped.

    Filters apply in this order: episodes by podcast (node id, or title, case-insensitive)
    and by date (``since``/``until`` as YYYY, YYYY-MM or YYYY-MM-DD, inclusive), with the
    topics, works, people and subjects only they reach; works with fewer than
    ``min_citations`` citing episodes; the ego graph of radius ``depth`` around a node (edges
    followed both ways); node ``kinds`` (the centre always stays); then the ``max_nodes``
    most-cited nodes.
    """
    if not 0 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth {depth!r}: expected a number from 0 to {MAX_DEPTH}")
    if around is not None and around not in graph:
        raise RefError(f"no node {around!r} in the graph")
    keep = set(graph)
    if podcast is not None or since is not None or until is not None:
        keep = _reachable_from(graph, _episodes_matching(graph, podcast, since, until))
    if min_citations:
        keep -= {
            n
            for n in keep
            if graph.nodes[n]["kind"] == "work" and graph.nodes[n]["citations"] < min_citations
        }
        keep = _without_stranded(graph, keep)
    if around is not None:
        keep = _ego(graph, around, depth, keep)
    if kinds is not None:
        keep = {n for n in keep if graph.nodes[n]["kind"] in kinds or n == around}
    dropped = 0
    if max_nodes is not None and len(keep) > max_nodes:
        dropped = len(keep) - max_nodes
        keep = set(_most_cited(graph, keep, around, max_nodes))
    return graph.subgraph(keep).copy(), dropped


def _ego(graph: nx.DiGraph, centre: str, depth: int, within: set[str]) -> set[str]:
    """The nodes of ``within`` at most ``depth`` steps from ``centre``, edges both ways."""
    found, frontier = {centre}, [centre]
    for _ in range(depth):
        if not frontier:  # everything reachable is found: more steps find nothing
            break
        reached = []
        for node in frontier:
            for other in nx.all_neighbors(graph, node):
                if other in within and other not in found:
                    found.add(other)
                    reached.append(other)
        frontier = reached
    return found


def _episodes_matching(
    graph: nx.DiGraph, podcast: str | None, since: str | None, until: str | None
) -> set[str]:
    check_date(since, "since")
    check_date(until, "until")
    podcasts = _podcast_nodes(graph, podcast) if podcast is not None else None
    found = set()
    for node, data in graph.nodes(data=True):
        if data["kind"] != "episode":
            continue
        published = data.get("published") or ""
        if podcasts is not None and podcasts.isdisjoint(graph.predecessors(node)):
            continue
        if since is not None and published < since:
            continue
        if until is not None and (not published or published[: len(until)] > until):
            continue
        found.add(node)
    return found


def _podcast_nodes(graph: nx.DiGraph, podcast: str) -> set[str]:
    """The podcast named by a node id or its title (whole, else words of it, any case)."""
    if podcast in graph and graph.nodes[podcast]["kind"] == "podcast":
        return {podcast}
    titles = {
        n: (d["title"] or "").lower() for n, d in graph.nodes(data=True) if d["kind"] == "podcast"
    }
    wanted = podcast.strip().lower()
    found = {n for n, t in titles.items() if t == wanted} or {
        n for n, t in titles.items() if wanted in t
    }
    if len(found) > 1:
        raise RefError(
            f"podcast {podcast!r} matches {len(found)} podcasts; be more specific",
            [{"id": n, "title": graph.nodes[n]["title"]} for n in sorted(found)],
        )
    if not found:
        raise RefError(f"no podcast matches {podcast!r}")
    return found


def _reachable_from(graph: nx.DiGraph, episodes: set[str]) -> set[str]:
    """Episodes with their podcasts, topics, cited works, people, and those works' subjects."""
    keep = set(episodes)
    for episode in episodes:
        keep.update(graph.predecessors(episode))  # podcast, people appearing
        keep.update(graph.successors(episode))  # topics, works
    for work in [n for n in keep if graph.nodes[n]["kind"] == "work"]:
        keep.update(n for n in graph.predecessors(work) if graph.nodes[n]["kind"] == "person")
        keep.update(graph.successors(work))  # subjects
    return keep


def _without_stranded(graph: nx.DiGraph, keep: set[str]) -> set[str]:
    """Drop people and subjects left with no neighbour in ``keep``."""
    return {
        n
        for n in keep
        if graph.nodes[n]["kind"] not in ("person", "subject")
        or any(m in keep for m in nx.all_neighbors(graph, n))
    }


def _most_cited(graph: nx.DiGraph, nodes: set[str], centre: str | None, count: int) -> list[str]:
    """The ``count`` most-cited nodes of ``nodes``: the centre first, then by citation count
    (citing episodes of a work, works cited by an episode), then by neighbours within
    ``nodes``, then by kind and id."""
    if len(nodes) == graph.number_of_nodes():
        degree = dict(graph.degree)
    else:
        degree = {
            node: sum(other in nodes for other in nx.all_neighbors(graph, node)) for node in nodes
        }
    return heapq.nsmallest(
        count,
        nodes,
        key=lambda node: (
            node != centre,
            -(graph.nodes[node].get("citations") or 0),
            -degree[node],
            _KIND_ORDER[graph.nodes[node]["kind"]],
            node,
        ),
    )


# ---- paths --------------------------------------------------------------------------------


def shortest_path(graph: nx.DiGraph, source: str, target: str) -> list[str]:
    """The cheapest chain of nodes from source to target, edges followed both ways; [] if none.

    A step along a citation or an authorship costs 1, an appearance 1.5 (a host appears in
    every episode), through a podcast or a subject 2; passing through a node adds the log of
    its number of connections. So a chain goes through a paper two episodes share rather
    than through the show's home page every episode links to.
    """
    if source == target:
        return [source]
    spread = {node: math.log(max(degree, 1)) / 2 for node, degree in graph.degree}
    # built in edge order, so that ties break the same way every run
    undirected: nx.Graph = nx.Graph()
    undirected.add_nodes_from(graph)
    relations: Iterable[tuple[str, str, str]] = graph.edges(data="relation")
    undirected.add_edges_from(
        (u, v, {"cost": _PATH_COST[relation] + spread[u] + spread[v]})
        for u, v, relation in relations
    )
    try:
        return nx.dijkstra_path(undirected, source, target, weight="cost")
    except nx.NetworkXNoPath:
        return []


def describe_path(graph: nx.DiGraph, nodes: Iterable[str]) -> list[dict]:
    """The steps of a path: each node (``ref`` is a work's standard id, else the node id) with
    the relation joining it to the previous node, and that edge's ``direction`` (-> or <-)."""
    steps: list[dict] = []
    previous = None
    for node in nodes:
        data = graph.nodes[node]
        step = {
            "id": node,
            "ref": (data.get("identifiers") or [node])[0],
            "kind": data["kind"],
            "title": data["title"],
            "url": data["url"],
            "relation": None,
            "direction": None,
        }
        if previous is not None:
            forward = graph.has_edge(previous, node)
            edge = graph.edges[previous, node] if forward else graph.edges[node, previous]
            step.update(relation=edge["relation"], direction="->" if forward else "<-")
        steps.append(step)
        previous = node
    return steps


def path(store: Store, a: str, b: str, *, include_boilerplate: bool = False) -> list[dict]:
    """The shortest chain from A to B (works or episodes) through the graph; [] if none.

    The search reads the graph around A and B from the store as it goes, and meets in the
    middle (``neighbourhood.cheapest_path``); only when that settles more than
    ``PATH_BUDGET`` nodes without an answer is the whole graph built and searched.
    Boilerplate citations are no steps of it unless ``include_boilerplate``."""
    with store.snapshot():
        around = Neighbourhood(store, include_boilerplate)
        source, target = node_for_ref(store, around, a), node_for_ref(store, around, b)
        chain = cheapest_path(around, source, target, _PATH_COST, PATH_BUDGET)
        if chain is not None:
            return describe_path(around.subgraph(chain), chain)
    graph = build_graph(store, include_boilerplate=include_boilerplate)
    return describe_path(graph, shortest_path(graph, source, target))
