"""The works a store knows, as the matcher needs them: names, ids, authors and year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..store import Store
from ..titles import anchor_title, slug_title
from .known import KnownWork
from .matcher import CITABLE_KINDS


def known_works(store: Store, exclude_episode: int | None = None) -> list[KnownWork]:
    """Every citable work the store links, with its resolved title (until it has one, the
    titles the slugs of its links give), and the texts of its links as aliases (once for
    each episode linking it under them). Only links teach: what
    a transcript was found to say teaches nothing, so finding again finds the same.

    With ``exclude_episode``, only what the other episodes teach: a work that episode alone
    links is left out, and its link texts are not aliases.
    """
    kinds = sorted(CITABLE_KINDS)
    marks = ",".join("?" * len(kinds))
    anchors: dict[int, list[tuple[str, str]]] = defaultdict(list)
    paths: dict[int, set[str]] = defaultdict(set)
    slugs: dict[int, dict[str, None]] = defaultdict(dict)
    for work_id, anchor, url, written, _ in store.conn.execute(
        f"SELECT DISTINCT l.work_id, m.anchor_text, l.url_canonical, m.url, m.episode_id "
        f"FROM mentions m JOIN links l ON l.id = m.link_id JOIN works w ON w.id = l.work_id "
        f"WHERE w.kind IN ({marks}) AND m.episode_id IS NOT ? AND m.via IS NOT 'spoken' "
        f"ORDER BY m.episode_id",
        (*kinds, exclude_episode),
    ):
        anchors[work_id].append((anchor or "", url))
        paths[work_id].add(urlsplit(url).path.strip("/"))
        if slug := slug_title(written):
            slugs[work_id][slug] = None
    if not anchors:
        return []
    works = {
        row[0]: row
        for row in store.conn.execute(
            "SELECT id, kind, title, status, published FROM works "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (_json_ids(anchors),),
        )
    }
    ids: dict[int, list[str]] = defaultdict(list)
    for work_id, scheme, value in store.conn.execute(
        "SELECT work_id, scheme, value FROM identifiers WHERE scheme != 'url' "
        "AND work_id IN (SELECT value FROM json_each(?))",
        (_json_ids(anchors),),
    ):
        ids[work_id].append(f"{scheme}:{value}")
    authors: dict[int, list[str]] = defaultdict(list)
    for work_id, name in store.conn.execute(
        "SELECT a.work_id, p.name FROM authorships a JOIN people p ON p.id = a.person_id "
        "WHERE a.work_id IN (SELECT value FROM json_each(?)) ORDER BY a.work_id, a.position",
        (_json_ids(anchors),),
    ):
        authors[work_id].append(name)
    known = []
    for work_id, (_, kind, title, status, published) in works.items():
        titles = [title] if title and status in ("resolved", "partial") else [*slugs[work_id]]
        known.append(
            KnownWork(
                work_id,
                kind,
                titles=tuple(titles),
                aliases=tuple(
                    named
                    for anchor, url in anchors[work_id]
                    if (named := anchor_title(anchor, url))
                ),
                ids=tuple(ids[work_id]),
                authors=tuple(authors[work_id]),
                year=_year(published),
                site=paths[work_id] == {""},
            )
        )
    return known


def _json_ids(work_ids: Iterable[int]) -> str:
    return "[" + ",".join(str(work_id) for work_id in work_ids) + "]"


def _year(published: str | None) -> int | None:
    return int(published[:4]) if published and published[:4].isdigit() else None


ENTITY_KINDS = ("site", "social")


def entity_names(store: Store, exclude_episode: int | None = None) -> list[str]:
    """Names of people and organisations: the people the store knows, and the link texts
    of home pages and profiles (what the other episodes teach, with ``exclude_episode``)."""
    names = [row[0] for row in store.conn.execute("SELECT name FROM people")]
    names += [
        row[0]
        for row in store.conn.execute(
            "SELECT DISTINCT m.anchor_text FROM mentions m JOIN links l "
            "ON l.id = m.link_id JOIN works w ON w.id = l.work_id WHERE w.kind IN (?, ?) "
            "AND m.episode_id IS NOT ? AND m.anchor_text != ''",
            (*ENTITY_KINDS, exclude_episode),
        )
    ]
    return names


def speakers(store: Store) -> list[str]:
    """Everyone a stored transcript names as a speaker."""
    return [
        row[0]
        for row in store.conn.execute(
            "SELECT DISTINCT speaker FROM segments WHERE speaker IS NOT NULL"
        )
    ]


class SpokenCounts:
    """In how many episodes the store's transcripts say some words (full-text search, once
    for each name asked about)."""

    def __init__(self, store: Store):
        self.store = store
        self._known: dict[tuple[str, ...], int] = {}

    def __call__(self, words: tuple[str, ...]) -> int:
        if words not in self._known:
            phrase = '"' + " ".join(words) + '"'  # folded words: letters and digits only
            self._known[words] = self.store.scalar(
                "SELECT count(DISTINCT s.episode_id) FROM segments_fts f "
                "JOIN segments s ON s.id = f.rowid WHERE segments_fts MATCH ?",
                (phrase,),
            )
        return self._known[words]
