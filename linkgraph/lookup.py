"""Finding the store's things by reference, and the descriptions every layer above shares.

A REF names a work (standard id, any URL form, ``work:<id>``, or title words); an EPISODE
names an episode (its URL in any form, guid, ``episode:<id>``, or title words); people and
podcasts are named by their names or ids. A reference that names nothing or more than one
thing raises ``RefError`` with the candidates. The graph, the questions, resolving and the
exports all find things here, so a reference means the same everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date

from .identify import identify
from .store import Store, normalize_name


class RefError(LookupError):
    """A reference that names nothing, or more than one thing; ``candidates`` lists options."""

    def __init__(self, message: str, candidates: list[dict] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


# ---- small helpers ------------------------------------------------------------------------

_WORDS = re.compile(r"\w+", re.UNICODE)
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_NODE_ID = re.compile(r"(work|episode|topic|person|podcast|subject):(\d+)")


MAX_QUERY_WORDS = 64  # words in a search, a name or a title REF
MAX_LIMIT = 1_000_000  # rows a question returns at most


def query_words(text: str) -> list[str]:
    """The words of a search, name or title; ValueError past ``MAX_QUERY_WORDS`` of them."""
    words = _WORDS.findall(text)
    if len(words) > MAX_QUERY_WORDS:
        raise ValueError(
            f"{text[:40]!r}... has {len(words):,} words; at most {MAX_QUERY_WORDS} are looked for"
        )
    return words


def check_limit(limit: int, option: str = "limit") -> int:
    """A row limit from 1 to ``MAX_LIMIT``; ValueError otherwise."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"{option} {limit!r}: expected a number from 1 to {MAX_LIMIT:,}")
    return limit


def fts_phrase(text: str) -> str | None:
    """An FTS5 query matching all words of ``text`` as prefixes; None when it has no words."""
    words = query_words(text)
    return " ".join(f'"{w}"*' for w in words) if words else None


def like_pattern(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching ``text`` anywhere, metacharacters taken literally."""
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


def ids_param(ids: Iterable[int]) -> str:
    """Integer ids as one SQL parameter, read back with ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(sorted(set(ids)))


def check_date(value: str | None, option: str = "date") -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD date unchanged; anything else raises ValueError."""
    if value is None:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        message = f"{option} {value!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD"
        raise ValueError(message) from None
    return value


def year_of(published: str | None) -> int | None:
    """The year of an ISO 8601 date, or None."""
    return int(published[:4]) if published and published[:4].isdigit() else None


def topic_url(
    episode_url: str | None, anchor: str | None, start_seconds: float | None
) -> str | None:
    """An episode URL opened at a topic: ``#anchor`` in a transcript, else ``#t=SECONDS``."""
    if not episode_url:
        return None
    base = episode_url.split("#", 1)[0]
    if anchor:
        return f"{base}#{anchor}"
    if start_seconds is not None:
        return f"{base}#t={int(start_seconds)}"
    return episode_url


def time_url(episode_url: str | None, audio_url: str | None, seconds: float | None) -> str | None:
    """A link into an episode at a time: its audio at ``#t=SECONDS`` (a media fragment,
    which players honour), else its page the way ``topic_url`` opens a chapter; None when
    there is no time or nowhere to link."""
    if seconds is None:
        return None
    return topic_url(audio_url or episode_url, None, seconds)


def _node_number(ref: str, kind: str) -> int | None:
    match = _NODE_ID.fullmatch(ref)
    return int(match.group(2)) if match and match.group(1) == kind else None


def content_condition(include_boilerplate: bool, mention: str = "m") -> str:
    """SQL keeping only the mentions (alias ``mention``) that are content, unless boilerplate
    is wanted too, and the spoken mentions the store shows (``spoken_condition``). A
    mention not classified yet counts as content."""
    spoken = spoken_condition(mention)
    return spoken if include_boilerplate else f"{mention}.boilerplate IS NOT 1 AND {spoken}"


def spoken_condition(mention: str = "m") -> str:
    """SQL keeping links, and the spoken mentions of the confidence ``Store.show_spoken``
    asks for (none when it asks for links only)."""
    return (
        f"({mention}.via IS NOT 'spoken' OR "
        f"{mention}.confidence >= (SELECT threshold FROM temp.spoken_scope))"
    )


# ---- finding things -----------------------------------------------------------------------


def find_work(store: Store, ref: str) -> int:
    """The id of the work a REF names: a standard id, any URL form of it, or title words."""
    ref = _clean(ref, "reference")
    found = work_by_exact_ref(store, ref)
    return found if found is not None else _one(works_by_title(store, ref), ref, "work")


def find_episode(store: Store, ref: str) -> int:
    """The id of the episode a reference names: its URL, guid, id or title words."""
    ref = _clean(ref, "episode reference")
    found = episode_by_exact_ref(store, ref)
    return found if found is not None else _one(episodes_by_title(store, ref), ref, "episode")


def _clean(ref: str, what: str) -> str:
    ref = ref.strip()
    if not ref:
        raise RefError(f"empty {what}")
    return ref


def work_by_exact_ref(store: Store, ref: str) -> int | None:
    """A work named exactly: ``work:<id>``, a standard id (``url:<URL>`` too), or a URL."""
    number = _node_number(ref, "work")
    if number is not None:
        return store.scalar("SELECT id FROM works WHERE id = ?", (number,))
    scheme, _, value = ref.partition(":")
    row = store.scalar(
        "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?", (scheme.lower(), value)
    )
    if row:
        return row
    found = identify(value if scheme.lower() == "url" else ref)
    if found.id:
        row = store.scalar(
            "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?",
            (found.scheme, found.value),
        )
        if row:
            return row
    for url in filter(None, (found.canonical_url, found.archived_from)):
        row = store.scalar(
            "SELECT work_id FROM links WHERE url_canonical = ? AND work_id IS NOT NULL "
            "UNION ALL SELECT work_id FROM identifiers WHERE scheme = 'url' AND value = ?",
            (url, url),
        )
        if row:
            return row
    if ref.isdigit():
        return store.scalar("SELECT id FROM works WHERE id = ?", (int(ref),))
    return None


def works_by_title(store: Store, text: str) -> list[dict]:
    """Candidate works for title words: the whole title, else titles with all the words."""
    phrase = fts_phrase(text)
    rows = store.query("SELECT id FROM works WHERE lower(title) = lower(?)", (text,))
    ids = [r["id"] for r in rows] or _titles_with_words(store, "works", phrase)
    summaries = work_summaries(store, ids)
    return [{**short_work(summaries[i]), "work_id": i} for i in ids]


def _titles_with_words(store: Store, table: str, phrase: str | None) -> list[int]:
    """The ids of the rows of ``table`` whose titles hold the words of ``phrase``, best first."""
    if not phrase:
        return []
    rows = store.conn.execute(
        f"SELECT t.id FROM {table}_fts f JOIN {table} t ON t.rowid = f.rowid "
        f"WHERE {table}_fts MATCH ? ORDER BY rank LIMIT 20",
        (f"title : ({phrase})",),
    )
    return [row[0] for row in rows]


def episode_by_exact_ref(store: Store, ref: str) -> int | None:
    """An episode named exactly: ``episode:<id>``, its id, URL (any form), guid or source."""
    number = _node_number(ref, "episode")
    if number is None and ref.isdigit():
        number = int(ref)
    if number is not None:
        return store.scalar("SELECT id FROM episodes WHERE id = ?", (number,))
    rows = store.query(
        "SELECT id FROM episodes WHERE url = ? UNION SELECT id FROM episodes WHERE key = ?",
        (ref, ref),
    )  # both indexed
    if not rows:
        rows = store.query("SELECT id FROM episodes WHERE guid = ? OR source = ?", (ref, ref))
    if not rows:
        rows = _episodes_by_canonical_url(store, ref)
    if len(rows) > 1:
        raise RefError(
            f"{ref!r} matches {len(rows)} episodes; be more specific",
            _episode_candidates(store, [r["id"] for r in rows]),
        )
    return rows[0]["id"] if rows else None


def _episodes_by_canonical_url(store: Store, ref: str) -> list[dict]:
    canonical = identify(ref).canonical_url
    if not canonical:
        return []
    host = canonical.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    rows = store.query(
        "SELECT id, url FROM episodes WHERE url LIKE ? ESCAPE '\\'", (like_pattern(host),)
    )
    return [r for r in rows if identify(r["url"]).canonical_url == canonical]


def episodes_by_title(store: Store, text: str) -> list[dict]:
    """Candidate episodes for title words: titles containing the text, else all the words."""
    rows = store.query(
        "SELECT id FROM episodes WHERE title LIKE ? ESCAPE '\\' ORDER BY published, id",
        (like_pattern(text),),
    )
    phrase = fts_phrase(text)
    ids = [r["id"] for r in rows] or _titles_with_words(store, "episodes", phrase)
    return _episode_candidates(store, ids)


def _episode_candidates(store: Store, ids: list[int]) -> list[dict]:
    rows = store.query(
        "SELECT id, title, published FROM episodes WHERE id IN (SELECT value FROM json_each(?))",
        (ids_param(ids),),
    )
    order = {episode_id: n for n, episode_id in enumerate(ids)}
    rows.sort(key=lambda r: order[r["id"]])
    return [
        {
            "id": f"episode:{r['id']}",
            "kind": "episode",
            "title": r["title"],
            "published": r["published"],
            "episode_id": r["id"],
        }
        for r in rows
    ]


def _one(candidates: list[dict], ref: str, what: str) -> int:
    if len(candidates) == 1:
        return candidates[0][f"{what}_id"]
    if not candidates:
        raise RefError(f"no {what} matches {ref!r}")
    raise RefError(f"{ref!r} matches {len(candidates)} {what}s; be more specific", candidates)


def find_person(store: Store, name: str) -> int:
    """The id of a person named by their name, or by words of it."""
    name = _clean(name, "name")
    number = _node_number(name, "person")
    if number is not None:
        rows = store.query("SELECT id, name FROM people WHERE id = ?", (number,))
    else:
        rows = store.query(
            "SELECT id, name FROM people WHERE normalized = ?", (normalize_name(name),)
        )
    if not rows:
        rows = people_matching(store, name)
    candidates = [
        {"id": f"person:{r['id']}", "kind": "person", "title": r["name"], "person_id": r["id"]}
        for r in rows
    ]
    return _one(candidates, name, "person")


def people_matching(store: Store, text: str) -> list[dict]:
    """People whose normalized name contains every word of ``text``."""
    words = query_words(normalize_name(text))
    if not words:
        return []
    where = " AND ".join("normalized LIKE ? ESCAPE '\\'" for _ in words)
    return store.query(
        f"SELECT id, name FROM people WHERE {where} ORDER BY name, id",
        tuple(like_pattern(w) for w in words),
    )


def find_podcast(store: Store, ref: str) -> int:
    """The id of a podcast named by its title (or words of it), feed URL, key or id."""
    ref = _clean(ref, "podcast")
    number = _node_number(ref, "podcast")
    rows = store.query(
        "SELECT id, title FROM podcasts WHERE id = ? OR lower(title) = lower(?) OR key = ? "
        "OR feed_url = ? OR site_url = ?",
        (
            number if number is not None else (int(ref) if ref.isdigit() else None),
            ref,
            ref,
            ref,
            ref,
        ),
    )
    if not rows:
        rows = store.query(
            "SELECT id, title FROM podcasts WHERE title LIKE ? ESCAPE '\\' ORDER BY title",
            (like_pattern(ref),),
        )
    candidates = [
        {"id": f"podcast:{r['id']}", "kind": "podcast", "title": r["title"], "podcast_id": r["id"]}
        for r in rows
    ]
    return _one(candidates, ref, "podcast")


# ---- describing works and episodes --------------------------------------------------------


def work_identifiers(store: Store, work_id: int) -> list[str]:
    """The standard ids of a work (``arxiv:...``, ``doi:...``), URL ids last."""
    return _identifiers_of(store, [work_id]).get(work_id, [])


def work_authors(store: Store, work_id: int) -> list[str]:
    """A work's author names in order."""
    return _authors_of(store, [work_id]).get(work_id, [])


# A work's identifiers as they are shown: its primary id (the one it was cited by) first,
# URLs last, the others in the order they were found.
IDENTIFIERS_SQL = (
    "SELECT i.work_id, i.scheme || ':' || i.value FROM identifiers i "
    "JOIN works w ON w.id = i.work_id {where} ORDER BY i.work_id, "
    "i.scheme || ':' || i.value IS NOT w.primary_id, i.scheme = 'url', i.id"
)


def _identifiers_of(store: Store, work_ids: Iterable[int]) -> dict[int, list[str]]:
    rows = store.conn.execute(
        IDENTIFIERS_SQL.format(where="WHERE i.work_id IN (SELECT value FROM json_each(?))"),
        (ids_param(work_ids),),
    )
    return group_pairs(rows)


def _authors_of(store: Store, work_ids: Iterable[int]) -> dict[int, list[str]]:
    rows = store.conn.execute(
        "SELECT a.work_id, p.name FROM authorships a JOIN people p ON p.id = a.person_id "
        "WHERE a.work_id IN (SELECT value FROM json_each(?)) ORDER BY a.work_id, a.position",
        (ids_param(work_ids),),
    )
    return group_pairs(rows)


def group_pairs(pairs: Iterable[tuple]) -> dict:
    """``(key, value)`` pairs as ``{key: [values in order]}``."""
    grouped: dict = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def work_summaries(store: Store, work_ids: Iterable[int]) -> dict[int, dict]:
    """Short descriptions of many works at once, by work id (see ``work_summary``)."""
    work_ids = list(work_ids)
    rows = store.query(
        "SELECT id, kind, title, url, published FROM works "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (ids_param(work_ids),),
    )
    identifiers = _identifiers_of(store, work_ids)
    authors = _authors_of(store, work_ids)
    return {
        row["id"]: {
            "id": standard_id(identifiers.get(row["id"], []), row["id"]),
            "kind": row["kind"],
            "title": row["title"],
            "authors": authors.get(row["id"], []),
            "published": row["published"],
            "identifiers": identifiers.get(row["id"], []),
            "url": row["url"],
        }
        for row in rows
    }


def work_summary(store: Store, work_id: int) -> dict:
    """The short description of a work that listings share."""
    return work_summaries(store, [work_id])[work_id]


def standard_id(identifiers: list[str], work_id: int) -> str:
    """The id a work is shown by: its primary id (listed first), else ``work:<id>``."""
    return identifiers[0] if identifiers else f"work:{work_id}"


def short_work(summary: dict) -> dict:
    """A work summary cut to what a list of works shows: id, kind and title."""
    return {key: summary[key] for key in ("id", "kind", "title")}
