"""The questions people ask of a store, answered as plain data (lists and dicts).

Every function takes a ``Store`` and returns JSON-able lists and dicts. References (a REF
names a work, an EPISODE an episode) are found by ``linkgraph.lookup``; one that names
nothing or more than one thing raises ``RefError`` with the candidates. ``path`` is the
graph's (``linkgraph.graph.path``), offered here with the other questions.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import defaultdict
from collections.abc import Iterable

from .graph import path
from .lookup import (
    MAX_LIMIT,
    RefError,
    check_date,
    check_limit,
    content_condition,
    find_episode,
    find_person,
    find_podcast,
    find_work,
    fts_phrase,
    group_pairs,
    ids_param,
    people_matching,
    short_work,
    spoken_condition,
    standard_id,
    time_url,
    topic_url,
    work_authors,
    work_identifiers,
    work_summaries,
)
from .store import Store


def _mention(row: dict) -> dict:
    return {
        "url": row["url"],
        "anchor_text": row["anchor_text"],
        "topic": row["topic"],
        "topic_anchor": row["topic_anchor"],
        "start_seconds": row["start_seconds"],
        "section": row["section"],
        "context": row["context"],
        "boilerplate": bool(row["boilerplate"]),
        "boilerplate_reason": row["boilerplate_reason"],
        **_spoken_fields(row),
    }


def _spoken_fields(row: dict) -> dict:
    """How a mention was made (``via``: link or spoken), a spoken one's confidence, and
    when and by whom its work is said (for a link: first discussed) with a link there."""
    said_at = row["said_at"]
    return {
        "via": "spoken" if row["via"] == "spoken" else "link",
        "confidence": row["confidence"] if row["via"] == "spoken" else None,
        "speaker": row["speaker"],
        "said_at": said_at,
        "said_at_url": time_url(row["episode_url"], row["audio_url"], said_at),
    }


def episode_summary(store: Store, episode_id: int) -> dict:
    """The short description of an episode that listings share."""
    return _episode_rows(store, "e.id = ?", (episode_id,))[0]


def _episode_rows(store: Store, where: str, params: tuple) -> list[dict]:
    rows = store.query(
        "SELECT e.id, e.title, e.url, e.published, e.source, p.title AS podcast, e.categories "
        f"FROM episodes e LEFT JOIN podcasts p ON p.id = e.podcast_id WHERE {where} "
        "ORDER BY e.published, e.id",
        params,
    )
    for row in rows:
        row["categories"] = json.loads(row["categories"]) if row["categories"] else []
    return rows


# ---- filters shared by the questions ------------------------------------------------------


def _episode_filter(
    store: Store, podcast: str | None, since: str | None, until: str | None
) -> tuple[str, list]:
    """A SQL condition on episodes (``e``) for --podcast, --since and --until."""
    clauses: list[str] = ["1"]
    params: list[int | str] = []
    if podcast is not None:
        clauses.append("e.podcast_id = ?")
        params.append(find_podcast(store, podcast))
    since, until = check_date(since, "--since"), check_date(until, "--until")
    if since:
        clauses.append("e.published >= ?")
        params.append(since)
    if until:
        clauses.append("substr(e.published, 1, ?) <= ?")
        params += [len(until), until]
    return " AND ".join(clauses), params


def _kind_condition(kind: str | None) -> tuple[str, tuple]:
    """SQL restricting works (``w``) to a kind."""
    return ("w.kind = ?", (kind,)) if kind is not None else ("1", ())


def boilerplate_only(store: Store, work_ids: Iterable[int]) -> set[int]:
    """Those of the works whose every mention is boilerplate."""
    return {
        row[0]
        for row in store.conn.execute(
            "SELECT l.work_id FROM links l JOIN mentions m ON m.link_id = l.id "
            "WHERE l.work_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY l.work_id HAVING max(m.boilerplate IS NOT 1) = 0",
            (ids_param(work_ids),),
        )
    }


# ---- the questions ------------------------------------------------------------------------


def stats(store: Store) -> dict:
    """Counts of everything in the store, and works by kind."""
    counts = {
        table: store.scalar(f"SELECT count(*) FROM {table}")
        for table in ("podcasts", "episodes", "topics", "mentions", "links", "works")
    }
    by_kind = store.query(
        "SELECT kind, count(*) AS n FROM works GROUP BY kind ORDER BY n DESC, kind"
    )
    counts["works_by_kind"] = {r["kind"]: r["n"] for r in by_kind}
    by_status = store.query(
        "SELECT status, count(*) AS n FROM works GROUP BY status ORDER BY status"
    )
    counts["works_by_status"] = {r["status"]: r["n"] for r in by_status}
    counts["boilerplate_mentions"] = store.scalar(
        "SELECT count(*) FROM mentions WHERE boilerplate = 1"
    )
    return counts


_MENTION_DETAILS = """
    SELECT m.id AS mention_id, m.episode_id, e.title AS episode_title, e.url AS episode_url,
           e.audio_url, e.published, p.title AS podcast, t.title AS topic,
           t.anchor AS topic_anchor, t.start_seconds, m.section, m.position, m.url,
           m.anchor_text, m.context, m.boilerplate, m.boilerplate_reason, m.via, m.confidence,
           m.speaker, m.said_at, l.work_id
    FROM mentions m
    JOIN links l ON l.id = m.link_id
    JOIN episodes e ON e.id = m.episode_id
    LEFT JOIN podcasts p ON p.id = e.podcast_id
    LEFT JOIN topics t ON t.id = m.topic_id"""


def cites(store: Store, ref: str) -> list[dict]:
    """The episodes that cite a work, each with its mentions of it (topic, context ...).

    Boilerplate mentions are listed too, marked (``boilerplate``, ``boilerplate_reason``)."""
    return citing_episodes(store, find_work(store, ref))


def citing_episodes(store: Store, work_id: int) -> list[dict]:
    """What ``cites`` answers, for a work already found."""
    rows = store.query(
        f"{_MENTION_DETAILS} WHERE m.link_id IN (SELECT id FROM links WHERE work_id = ?) "
        f"AND {spoken_condition()} ORDER BY e.published, m.episode_id, m.position",
        (work_id,),
    )
    episodes: dict[int, dict] = {}
    for row in rows:
        episode = episodes.setdefault(
            row["episode_id"],
            {
                "episode_title": row["episode_title"],
                "episode_url": row["episode_url"],
                "published": row["published"],
                "podcast": row["podcast"],
                "mentions": [],
            },
        )
        episode["mentions"].append(_mention(row))
    return list(episodes.values())


def cited_by(store: Store, ref: str) -> list[dict]:
    """The works an episode cites, in order of first mention, each with its mentions.

    Works it cites only as boilerplate are listed too, with ``boilerplate`` true."""
    episode_id = find_episode(store, ref)
    rows = store.query(
        f"{_MENTION_DETAILS} WHERE m.episode_id = ? AND l.work_id IS NOT NULL "
        f"AND {spoken_condition()} ORDER BY m.position",
        (episode_id,),
    )
    summaries = work_summaries(store, (r["work_id"] for r in rows))
    works: dict[int, dict] = {}
    for row in rows:
        work = works.setdefault(row["work_id"], {**summaries[row["work_id"]], "mentions": []})
        work["mentions"].append(_mention(row))
    for work in works.values():
        work["boilerplate"] = all(m["boilerplate"] for m in work["mentions"])
    return list(works.values())


_SHOW_MENTIONS_SQL = (
    "SELECT episode_title, episode_url, published, podcast, url, anchor_text, topic, "
    "topic_anchor, start_seconds, section, context, via, confidence, speaker, said_at, "
    "(SELECT audio_url FROM episodes WHERE id = m.episode_id) AS audio_url "
    f"FROM mention_details m WHERE work_id = ? AND {spoken_condition()} "
    "ORDER BY published, episode_id, position"
)


def show(store: Store, ref: str) -> dict:
    """One work with its authors, identifiers, subjects, provenance and mentions.

    What ``linkgraph show`` prints. Raises ``RefError`` when REF names no work or several.
    """
    work_id = find_work(store, ref)
    work = store.query("SELECT * FROM works WHERE id = ?", (work_id,))[0]
    identifiers = work_identifiers(store, work_id)
    subjects = store.query(
        "SELECT s.name FROM work_subjects ws JOIN subjects s ON s.id = ws.subject_id "
        "WHERE ws.work_id = ? ORDER BY s.scheme = 'keyword', s.scheme, s.name",
        (work_id,),
    )
    return {
        "id": standard_id(identifiers, work_id),
        "kind": work["kind"],
        "title": work["title"],
        "authors": work_authors(store, work_id),
        "published": work["published"],
        "abstract": work["abstract"],
        "venue": work["venue"],
        "identifiers": identifiers,
        "subjects": [s["name"] for s in subjects],
        "url": work["url"],
        "status": work["status"],
        "error": work["error"],
        "sources": json.loads(work["sources"] or "{}"),
        "mentions": [_shown_mention(row) for row in store.query(_SHOW_MENTIONS_SQL, (work_id,))],
    }


def _shown_mention(row: dict) -> dict:
    """A mention as ``show`` lists it: where it stands, and how and when its work is said."""
    fields = {key: value for key, value in row.items() if key not in _SPOKEN_COLUMNS}
    return {**fields, **_spoken_fields(row)}


_SPOKEN_COLUMNS = ("via", "confidence", "speaker", "said_at", "audio_url")


def top(
    store: Store,
    *,
    kind: str | None = None,
    podcast: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    include_boilerplate: bool = False,
) -> list[dict]:
    """The most-cited works: by number of citing episodes, then mentions.

    Only content mentions count, unless ``include_boilerplate``."""
    check_limit(limit)
    where, params = _episode_filter(store, podcast, since, until)
    condition, kinds = _kind_condition(kind)
    return _works_with_counts(
        store,
        f"{where} AND {condition} AND {content_condition(include_boilerplate)}",
        [*params, *kinds],
        order="episodes DESC, mentions DESC, w.id",
        cited_only=True,
        limit=limit,
    )


def works(store: Store, *, kind: str | None = None, status: str | None = None) -> list[dict]:
    """Every work, by title, with its status and citation counts."""
    where, params = _kind_condition(kind)
    if status is not None:
        where, params = f"{where} AND w.status = ?", (*params, status)
    return _works_with_counts(
        store, where, list(params), order="lower(ltrim(coalesce(w.title, w.url), '\"''‘“ ')), w.id"
    )


def _works_with_counts(
    store: Store,
    where: str,
    params: list,
    *,
    order: str,
    cited_only: bool = False,
    limit: int | None = None,
) -> list[dict]:
    """Works matching ``where`` (over w, l, m, e) with citing episodes and mentions."""
    rows = store.query(
        "SELECT w.id AS work_id, w.status, count(DISTINCT m.episode_id) AS episodes, "
        "count(m.id) AS mentions FROM works w LEFT JOIN links l ON l.work_id = w.id "
        "LEFT JOIN mentions m ON m.link_id = l.id LEFT JOIN episodes e ON e.id = m.episode_id "
        f"WHERE {where} GROUP BY w.id {'HAVING episodes > 0' if cited_only else ''} "
        f"ORDER BY {order} LIMIT ?",
        (*params, -1 if limit is None else limit),
    )
    summaries = work_summaries(store, (r["work_id"] for r in rows))
    return [{**_counted(summaries[r["work_id"]], r), "status": r["status"]} for r in rows]


def _counted(summary: dict, counts: dict) -> dict:
    return {**summary, "episodes": counts["episodes"], "mentions": counts["mentions"]}


def related(
    store: Store,
    ref: str,
    *,
    kind: str | None = None,
    limit: int = 20,
    include_boilerplate: bool = False,
) -> list[dict]:
    """Episodes that cite the same works as an episode (bibliographic coupling).

    Each shared work adds ln(N / n) to ``score``, with N the number of episodes and n the
    number citing the work, so a rare shared paper counts for much and a link many episodes
    carry for little. ``shared`` lists the shared works, rarest first. Only works of
    ``kind`` count when given; boilerplate mentions (the show's own site, sponsors,
    support and social links ...) count only with ``include_boilerplate``.
    """
    check_limit(limit)
    episode_id = find_episode(store, ref)
    citing = _citing_episodes(store, episode_id, kind, include_boilerplate)
    total = store.scalar("SELECT count(*) FROM episodes")
    weight = {w: math.log(total / len(episodes)) for w, episodes in citing.items()}
    scores: dict[int, float] = defaultdict(float)
    for work_id, episodes in citing.items():
        for other in episodes:
            scores[other] += weight[work_id]
    scores.pop(episode_id, None)
    ranked = heapq.nsmallest(limit, scores, key=lambda e: (-round(scores[e], 9), e))
    shared = {
        e: sorted((w for w in citing if e in citing[w]), key=lambda w: (-weight[w], w))
        for e in ranked
    }
    found = {
        e["id"]: e
        for e in _episode_rows(
            store, "e.id IN (SELECT value FROM json_each(?))", (ids_param(ranked),)
        )
    }
    summaries = work_summaries(store, (w for e in ranked for w in shared[e]))
    return [
        {
            "episode_title": found[e]["title"],
            "episode_url": found[e]["url"],
            "published": found[e]["published"],
            "podcast": found[e]["podcast"],
            "score": round(scores[e], 3),
            "shared": [short_work(summaries[w]) for w in shared[e]],
        }
        for e in ranked
    ]


def _citing_episodes(
    store: Store, episode_id: int, kind: str | None, include_boilerplate: bool
) -> dict[int, set[int]]:
    """For each work an episode cites, the ids of every episode citing it (itself included)."""
    condition, params = _kind_condition(kind)
    content = content_condition(include_boilerplate)
    rows = store.conn.execute(
        "WITH mine AS (SELECT DISTINCT l.work_id FROM mentions m JOIN links l "
        "  ON l.id = m.link_id JOIN works w ON w.id = l.work_id "
        f"  WHERE m.episode_id = ? AND {condition} AND {content}) "
        "SELECT mine.work_id, group_concat(m.episode_id) FROM mine "
        "JOIN links l ON l.work_id = mine.work_id JOIN mentions m ON m.link_id = l.id "
        f"WHERE {content} GROUP BY mine.work_id",
        (episode_id, *params),
    )
    return {work_id: {int(e) for e in episodes.split(",")} for work_id, episodes in rows}


def cocited(
    store: Store,
    ref: str,
    *,
    kind: str | None = None,
    limit: int = 20,
    include_boilerplate: bool = False,
) -> list[dict]:
    """Works cited in the same episodes as a work; ``episodes`` counts those episodes.

    Only works of ``kind`` when given; only content mentions, on both sides, unless
    ``include_boilerplate``.
    """
    check_limit(limit)
    work_id = find_work(store, ref)
    condition, params = _kind_condition(kind)
    content = content_condition(include_boilerplate)
    rows = store.query(
        "WITH citing AS (SELECT DISTINCT m.episode_id FROM links l "
        f"  JOIN mentions m ON m.link_id = l.id WHERE l.work_id = ? AND {content}) "
        "SELECT l.work_id, count(DISTINCT m.episode_id) AS episodes, count(*) AS mentions "
        "FROM citing JOIN mentions m ON m.episode_id = citing.episode_id "
        "JOIN links l ON l.id = m.link_id JOIN works w ON w.id = l.work_id "
        f"WHERE l.work_id != ? AND {condition} AND {content} GROUP BY l.work_id "
        "ORDER BY episodes DESC, mentions DESC, l.work_id LIMIT ?",
        (work_id, work_id, *params, limit),
    )
    summaries = work_summaries(store, (r["work_id"] for r in rows))
    return [_counted(summaries[r["work_id"]], r) for r in rows]


def author(store: Store, name: str) -> dict:
    """A person: the works they wrote with the episodes citing each, and their appearances."""
    person_id = find_person(store, name)
    person = store.query("SELECT id, name, url FROM people WHERE id = ?", (person_id,))[0]
    work_ids = [
        r[0]
        for r in store.conn.execute(
            "SELECT work_id FROM authorships WHERE person_id = ? ORDER BY work_id", (person_id,)
        )
    ]
    summaries = work_summaries(store, work_ids)
    citing = group_pairs(
        (r["work_id"], r)
        for r in store.query(
            "SELECT DISTINCT l.work_id, e.id, e.title AS episode_title, e.url AS episode_url, "
            "e.published FROM links l JOIN mentions m ON m.link_id = l.id "
            "JOIN episodes e ON e.id = m.episode_id "
            "WHERE l.work_id IN (SELECT value FROM json_each(?)) ORDER BY e.published, e.id",
            (ids_param(work_ids),),
        )
    )
    works_out = [
        {
            **summaries[w],
            "episodes": len(citing.get(w, [])),
            "citing": [_without(r, "work_id", "id") for r in citing.get(w, [])],
        }
        for w in work_ids
    ]
    works_out.sort(key=lambda w: (-w["episodes"], w["published"] or "", w["id"]))
    appearances = store.query(
        "SELECT e.title AS episode_title, e.url AS episode_url, e.published, "
        "p.title AS podcast, a.role FROM appearances a JOIN episodes e ON e.id = a.episode_id "
        "LEFT JOIN podcasts p ON p.id = e.podcast_id WHERE a.person_id = ? "
        "ORDER BY e.published, e.id, a.role",
        (person_id,),
    )
    return {
        "id": f"person:{person_id}",
        "name": person["name"],
        "url": person["url"],
        "works": works_out,
        "appearances": appearances,
    }


def _without(row: dict, *keys: str) -> dict:
    return {k: v for k, v in row.items() if k not in keys}


def people(store: Store) -> list[dict]:
    """Everyone in the store: authors and people who appear in episodes, with counts."""
    rows = store.query(
        "SELECT p.id, p.name, p.url, "
        "(SELECT count(*) FROM authorships a WHERE a.person_id = p.id) AS works, "
        "(SELECT count(DISTINCT episode_id) FROM appearances a WHERE a.person_id = p.id) "
        "  AS appearances, "
        "(SELECT group_concat(DISTINCT role) FROM appearances a WHERE a.person_id = p.id) "
        "  AS roles FROM people p ORDER BY works + appearances DESC, p.name, p.id"
    )
    for row in rows:
        roles = sorted((row["roles"] or "").split(",")) if row["roles"] else []
        row.update(id=f"person:{row['id']}", roles=(["author"] if row["works"] else []) + roles)
    return rows


def episodes(
    store: Store, *, podcast: str | None = None, since: str | None = None, until: str | None = None
) -> list[dict]:
    """Every episode (oldest first) with its counts of topics, mentions and works cited."""
    where, params = _episode_filter(store, podcast, since, until)
    rows = _episode_rows(store, where, tuple(params))
    counts = {
        r[0]: r[1:]
        for r in store.conn.execute(
            "SELECT e.id, (SELECT count(*) FROM topics t WHERE t.episode_id = e.id), "
            "count(m.id), count(DISTINCT l.work_id) FROM episodes e "
            "LEFT JOIN mentions m ON m.episode_id = e.id LEFT JOIN links l ON l.id = m.link_id "
            f"WHERE {where} GROUP BY e.id",
            params,
        )
    }
    for row in rows:
        row["topics"], row["mentions"], row["works"] = counts[row["id"]]
    return rows


def topics(store: Store, ref: str) -> list[dict]:
    """An episode's topics in order, each with its link to the moment and the works it cites."""
    episode = episode_summary(store, find_episode(store, ref))
    rows = store.query(
        "SELECT id, title, anchor, start_seconds, level FROM topics "
        "WHERE episode_id = ? ORDER BY position, id",
        (episode["id"],),
    )
    cited = store.query(
        "SELECT m.topic_id, l.work_id, count(*) AS mentions, min(m.position) AS first "
        "FROM mentions m JOIN links l ON l.id = m.link_id "
        "WHERE m.episode_id = ? AND m.topic_id IS NOT NULL AND l.work_id IS NOT NULL "
        "GROUP BY m.topic_id, l.work_id ORDER BY first",
        (episode["id"],),
    )
    summaries = work_summaries(store, (r["work_id"] for r in cited))
    by_topic = group_pairs(
        (r["topic_id"], {**short_work(summaries[r["work_id"]]), "mentions": r["mentions"]})
        for r in cited
    )
    return [
        {
            **row,
            "id": f"topic:{row['id']}",
            "url": topic_url(episode["url"], row["anchor"], row["start_seconds"]),
            "works": by_topic.get(row["id"], []),
        }
        for row in rows
    ]


# ---- search -------------------------------------------------------------------------------

NAME_MATCH_SCORE = 5.0
"""The score of a match on a person's name (full-text matches score their bm25 relevance)."""

SEARCH_SLACK = 20
"""Extra hits taken from each source, so that equal scores at the cut break the same way."""

_SNIPPET = "'[', ']', '…', 12"


def search(
    store: Store, text: str, limit: int = 20, *, include_boilerplate: bool = False
) -> list[dict]:
    """Full-text search over works (title, abstract, authors), episodes, topics, link texts.

    Returns up to ``limit`` hits, best first: ``type`` (work, episode, topic, mention,
    person, or spoken: words said in a transcript), ``id`` (a reference other questions
    accept), ``title``, ``snippet``, ``score`` (full-text relevance, bm25; a match on a
    person's name scores ``NAME_MATCH_SCORE``). A spoken hit also has the ``episode``, the
    ``speaker``, the time (``start_seconds``), the ``segment`` and a ``url`` into the
    episode at that time (or topic) where there is one.
    Works cited only as boilerplate, and the texts of boilerplate mentions, are left out
    unless ``include_boilerplate``.
    """
    check_limit(limit)
    phrase = fts_phrase(text)
    if not phrase:
        raise ValueError(f"search {text!r}: no words to search for")
    hits: dict[tuple[str, str, int | None], dict] = {}
    wanted = limit + SEARCH_SLACK
    for hit in (
        *_search_works(store, phrase, wanted, include_boilerplate),
        *_search_names(store, text, wanted, include_boilerplate),
        *_search_mentions(store, phrase, wanted, include_boilerplate),
        *_search_episodes(store, phrase, wanted),
        *_search_topics(store, phrase, wanted),
        *_search_spoken(store, phrase, wanted),
    ):
        # one hit per work, its best: by title or abstract, by an author, or by link texts;
        # words spoken are hits of their own, one per stretch of a transcript
        key = ("work" if hit["type"] == "mention" else hit["type"], hit["id"], hit.get("segment"))
        if key not in hits or hits[key]["score"] < hit["score"]:
            hits[key] = hit
    ranked = sorted(hits.values(), key=lambda h: (-h["score"], h["type"], h["id"]))[:limit]
    for hit in ranked:
        hit["score"] = round(hit["score"], 4)
    return ranked


def _fts(store: Store, table: str, select: str, joins: str, phrase: str, limit: int) -> list:
    """The best ``limit`` rows of a full-text table (ORDER BY rank lets FTS5 make snippets
    for those rows only)."""
    return store.query(
        f"SELECT {select}, snippet({table}, -1, {_SNIPPET}) AS snippet, -rank AS score "
        f"FROM {table} {joins} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
        (phrase, limit),
    )


def _hit(kind: str, ref: str, title: str | None, snippet: str, score: float, **extra) -> dict:
    return {"type": kind, "id": ref, "title": title, "snippet": snippet, "score": score, **extra}


def _search_works(store: Store, phrase: str, limit: int, include_boilerplate: bool) -> list[dict]:
    rows = _fts(
        store, "works_fts", "w.id", "JOIN works w ON w.rowid = works_fts.rowid", phrase, limit
    )
    if not include_boilerplate:
        furniture = boilerplate_only(store, (r["id"] for r in rows))
        rows = [r for r in rows if r["id"] not in furniture]
    summaries = work_summaries(store, (r["id"] for r in rows))
    return [
        _hit(
            "work", summaries[r["id"]]["id"], summaries[r["id"]]["title"], r["snippet"], r["score"]
        )
        for r in rows
    ]


def _search_names(store: Store, text: str, limit: int, include_boilerplate: bool) -> list[dict]:
    """People whose name has every word of ``text``, and the works they wrote."""
    found = people_matching(store, text)[:limit]
    authored = group_pairs(
        store.conn.execute(
            "SELECT person_id, work_id FROM authorships WHERE person_id IN "
            "(SELECT value FROM json_each(?)) ORDER BY work_id",
            (ids_param(r["id"] for r in found),),
        )
    )
    work_ids = [w for ws in authored.values() for w in ws]
    furniture = set() if include_boilerplate else boilerplate_only(store, work_ids)
    summaries = work_summaries(store, work_ids)
    hits = [
        _hit("person", f"person:{r['id']}", r["name"], r["name"], NAME_MATCH_SCORE) for r in found
    ]
    for person in found:
        for work_id in authored.get(person["id"], []):
            if work_id in furniture:
                continue
            work = summaries[work_id]
            hits.append(
                _hit(
                    "work",
                    work["id"],
                    work["title"],
                    "by " + ", ".join(work["authors"]),
                    NAME_MATCH_SCORE,
                )
            )
    return hits


def _search_episodes(store: Store, phrase: str, limit: int) -> list[dict]:
    rows = _fts(
        store,
        "episodes_fts",
        "e.id, e.title, e.url",
        "JOIN episodes e ON e.rowid = episodes_fts.rowid",
        phrase,
        limit,
    )
    return [
        _hit("episode", f"episode:{r['id']}", r["title"], r["snippet"], r["score"], url=r["url"])
        for r in rows
    ]


def _search_topics(store: Store, phrase: str, limit: int) -> list[dict]:
    rows = _fts(
        store,
        "topics_fts",
        "t.id, t.title, t.anchor, t.start_seconds, e.title AS episode, e.url AS episode_url",
        "JOIN topics t ON t.rowid = topics_fts.rowid JOIN episodes e ON e.id = t.episode_id",
        phrase,
        limit,
    )
    return [
        _hit(
            "topic",
            f"topic:{r['id']}",
            r["title"],
            r["snippet"],
            r["score"],
            episode=r["episode"],
            url=topic_url(r["episode_url"], r["anchor"], r["start_seconds"]),
        )
        for r in rows
    ]


def _search_spoken(store: Store, phrase: str, limit: int) -> list[dict]:
    """Words said in the transcripts: one hit per segment, with who said them and when."""
    rows = _fts(
        store,
        "segments_fts",
        "s.id, s.episode_id, s.speaker, s.start_seconds, e.title AS episode, e.url, e.audio_url, "
        "(SELECT t.anchor FROM topics t WHERE t.episode_id = s.episode_id AND t.title = s.topic "
        "ORDER BY t.position LIMIT 1) AS anchor",
        "JOIN segments s ON s.id = segments_fts.rowid JOIN episodes e ON e.id = s.episode_id",
        phrase,
        limit,
    )
    return [
        _hit(
            "spoken",
            f"episode:{r['episode_id']}",
            r["episode"],
            r["snippet"],
            r["score"],
            episode=r["episode"],
            speaker=r["speaker"],
            start_seconds=r["start_seconds"],
            segment=r["id"],
            url=time_url(r["url"], r["audio_url"], r["start_seconds"])
            or topic_url(r["url"], r["anchor"], None),
        )
        for r in rows
    ]


MENTIONS_RANKED = 1000
"""How many best-matching mentions ``search`` groups into works (link texts repeat a lot)."""


def _search_mentions(
    store: Store, phrase: str, limit: int, include_boilerplate: bool
) -> list[dict]:
    """Link texts and their context, one hit per work (its best-matching mention)."""
    rows = store.query(
        "WITH best AS MATERIALIZED (SELECT rowid AS id, -rank AS score FROM mentions_fts "
        "  WHERE mentions_fts MATCH ? ORDER BY rank LIMIT ?) "
        "SELECT l.work_id, max(best.score) AS score, best.id AS mention_id, e.title AS episode "
        "FROM best JOIN mentions m ON m.id = best.id JOIN links l ON l.id = m.link_id "
        "JOIN episodes e ON e.id = m.episode_id WHERE l.work_id IS NOT NULL "
        f"AND {content_condition(include_boilerplate)} "
        "GROUP BY l.work_id ORDER BY score DESC, l.work_id LIMIT ?",
        (phrase, MENTIONS_RANKED, limit),
    )
    snippets = dict(
        store.conn.execute(
            f"SELECT rowid, snippet(mentions_fts, -1, {_SNIPPET}) FROM mentions_fts "
            "WHERE mentions_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
            (phrase, ids_param(r["mention_id"] for r in rows)),
        )
    )
    summaries = work_summaries(store, (r["work_id"] for r in rows))
    return [
        _hit(
            "mention",
            summaries[r["work_id"]]["id"],
            summaries[r["work_id"]]["title"],
            snippets[r["mention_id"]],
            r["score"],
            episode=r["episode"],
        )
        for r in rows
    ]


__all__ = [
    "MAX_LIMIT",
    "RefError",
    "author",
    "cited_by",
    "cites",
    "citing_episodes",
    "cocited",
    "episode_summary",
    "episodes",
    "find_episode",
    "find_person",
    "find_podcast",
    "find_work",
    "path",
    "people",
    "related",
    "search",
    "show",
    "stats",
    "top",
    "topics",
    "works",
]
