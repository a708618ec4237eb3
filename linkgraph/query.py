"""The questions people ask of a store, answered as plain data (lists and dicts)."""

from __future__ import annotations

import json
import re

from .identify import identify
from .store import Store


class RefError(LookupError):
    """A reference that names nothing, or more than one thing; ``candidates`` lists options."""

    def __init__(self, message: str, candidates: list[dict] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


# ---- finding things -----------------------------------------------------------------------

_WORDS = re.compile(r"\w+", re.UNICODE)


def fts_phrase(text: str) -> str | None:
    """An FTS5 query matching all words of ``text`` as prefixes; None when it has no words."""
    words = _WORDS.findall(text)
    return " ".join(f'"{w}"*' for w in words) if words else None


def find_work(store: Store, ref: str) -> int:
    """The id of the work a REF names: a standard id, any URL form of it, or title words."""
    ref = ref.strip()
    if not ref:
        raise RefError("empty reference")
    found = identify(ref)
    if found.id:
        row = store.scalar("SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?",
                           (found.scheme, found.value))
        if row:
            return row
    if found.canonical_url:
        for url in filter(None, (found.canonical_url, found.archived_from)):
            row = store.scalar("SELECT work_id FROM links WHERE url_canonical = ?", (url,))
            if row:
                return row
        row = store.scalar("SELECT work_id FROM identifiers WHERE scheme = 'url' AND value = ?",
                           (found.canonical_url,))
        if row:
            return row
    if ref.isdigit():
        row = store.scalar("SELECT id FROM works WHERE id = ?", (int(ref),))
        if row:
            return row
    return _one(_works_by_title(store, ref), ref, "work")


def _works_by_title(store: Store, text: str) -> list[dict]:
    exact = store.query("SELECT id, kind, title FROM works WHERE lower(title) = lower(?)", (text,))
    if exact:
        return exact
    phrase = fts_phrase(text)
    if not phrase:
        return []
    return store.query(
        "SELECT w.id, w.kind, w.title FROM works_fts f JOIN works w ON w.rowid = f.rowid "
        "WHERE works_fts MATCH ? ORDER BY rank LIMIT 20",
        (f"title : ({phrase})",),
    )


def find_episode(store: Store, ref: str) -> int:
    """The id of the episode a reference names: its URL, guid, id or title words."""
    ref = ref.strip()
    if not ref:
        raise RefError("empty episode reference")
    rows = store.query("SELECT id FROM episodes WHERE url = ? OR guid = ? OR key = ? OR source = ?",
                       (ref, ref, ref, ref))
    if not rows and ref.isdigit():
        rows = store.query("SELECT id FROM episodes WHERE id = ?", (int(ref),))
    if not rows:
        canonical = identify(ref).canonical_url
        if canonical:
            rows = [e for e in store.query("SELECT id, url FROM episodes WHERE url IS NOT NULL")
                    if identify(e["url"]).canonical_url == canonical]
    if len(rows) == 1:
        return rows[0]["id"]
    if not rows:
        rows = store.query(
            "SELECT id, title, published FROM episodes WHERE title LIKE ? ESCAPE '\\' "
            "ORDER BY published, id",
            ("%" + re.sub(r"([%_\\])", r"\\\1", ref) + "%",),
        )
    if not rows:
        phrase = fts_phrase(ref)
        if phrase:
            rows = store.query(
                "SELECT e.id, e.title, e.published FROM episodes_fts f "
                "JOIN episodes e ON e.rowid = f.rowid WHERE episodes_fts MATCH ? "
                "ORDER BY rank LIMIT 20",
                (f"title : ({phrase})",),
            )
    return _one(rows, ref, "episode")


def _one(rows: list[dict], ref: str, what: str) -> int:
    if len(rows) == 1:
        return rows[0]["id"]
    if not rows:
        raise RefError(f"no {what} matches {ref!r}")
    raise RefError(f"{ref!r} matches {len(rows)} {what}s; be more specific", rows)


# ---- describing works ---------------------------------------------------------------------

def work_identifiers(store: Store, work_id: int) -> list[str]:
    """The standard ids of a work (``arxiv:...``, ``doi:...``), URL ids last."""
    rows = store.query("SELECT scheme, value FROM identifiers WHERE work_id = ? "
                       "ORDER BY scheme = 'url', scheme, value", (work_id,))
    return [f"{r['scheme']}:{r['value']}" for r in rows]


def work_authors(store: Store, work_id: int) -> list[str]:
    """A work's author names in order."""
    rows = store.query("SELECT p.name FROM authorships a JOIN people p ON p.id = a.person_id "
                       "WHERE a.work_id = ? ORDER BY a.position", (work_id,))
    return [r["name"] for r in rows]


def work_summary(store: Store, work_id: int) -> dict:
    """The short description of a work that listings share."""
    work = store.query("SELECT id, kind, title, url, published FROM works WHERE id = ?",
                       (work_id,))[0]
    identifiers = work_identifiers(store, work_id)
    return {
        "id": _standard_id(identifiers, work_id),
        "kind": work["kind"],
        "title": work["title"],
        "authors": work_authors(store, work_id),
        "published": work["published"],
        "identifiers": identifiers,
        "url": work["url"],
    }


def _standard_id(identifiers: list[str], work_id: int) -> str:
    return identifiers[0] if identifiers else f"work:{work_id}"


def _mention(row: dict) -> dict:
    return {
        "url": row["url"],
        "anchor_text": row["anchor_text"],
        "topic": row["topic"],
        "topic_anchor": row["topic_anchor"],
        "start_seconds": row["start_seconds"],
        "section": row["section"],
        "context": row["context"],
    }


# ---- the questions ------------------------------------------------------------------------

def stats(store: Store) -> dict:
    """Counts of everything in the store, and works by kind."""
    counts = {table: store.scalar(f"SELECT count(*) FROM {table}")
              for table in ("podcasts", "episodes", "topics", "mentions", "links", "works")}
    by_kind = store.query("SELECT kind, count(*) AS n FROM works GROUP BY kind ORDER BY n DESC, kind")
    counts["works_by_kind"] = {r["kind"]: r["n"] for r in by_kind}
    by_status = store.query("SELECT status, count(*) AS n FROM works GROUP BY status ORDER BY status")
    counts["works_by_status"] = {r["status"]: r["n"] for r in by_status}
    return counts


def cites(store: Store, ref: str) -> list[dict]:
    """The episodes that cite a work, each with its mentions of it (topic, context ...)."""
    work_id = find_work(store, ref)
    rows = store.query(
        "SELECT * FROM mention_details WHERE work_id = ? ORDER BY published, episode_id, position",
        (work_id,),
    )
    episodes: dict[int, dict] = {}
    for row in rows:
        episode = episodes.setdefault(row["episode_id"], {
            "episode_title": row["episode_title"],
            "episode_url": row["episode_url"],
            "published": row["published"],
            "podcast": row["podcast"],
            "mentions": [],
        })
        episode["mentions"].append(_mention(row))
    return list(episodes.values())


def cited_by(store: Store, ref: str) -> list[dict]:
    """The works an episode cites, in order of first mention, each with its mentions."""
    episode_id = find_episode(store, ref)
    rows = store.query("SELECT * FROM mention_details WHERE episode_id = ? ORDER BY position",
                       (episode_id,))
    works: dict[int, dict] = {}
    for row in rows:
        if row["work_id"] not in works:
            works[row["work_id"]] = {**work_summary(store, row["work_id"]), "mentions": []}
        works[row["work_id"]]["mentions"].append(_mention(row))
    return list(works.values())


def episode_summary(store: Store, episode_id: int) -> dict:
    """The short description of an episode that listings share."""
    row = store.query(
        "SELECT e.id, e.title, e.url, e.published, e.source, p.title AS podcast, e.categories "
        "FROM episodes e LEFT JOIN podcasts p ON p.id = e.podcast_id WHERE e.id = ?",
        (episode_id,),
    )[0]
    row["categories"] = json.loads(row["categories"]) if row["categories"] else []
    return row
