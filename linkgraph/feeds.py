"""Remembered feeds: podcast feeds ingested by URL, for ``linkgraph update`` to poll again.

``ingest`` remembers every feed it reads from an http(s) URL (``remember``); ``update``
(``linkgraph.update``) reads this list, asks each feed again, and records how each poll
went (``record_poll``). This module only keeps the list: it fetches and ingests nothing.
"""

from __future__ import annotations

import hashlib

from .store import Store, now_iso

FEED_STATUSES = ("ingested", "changed", "unchanged", "not-modified", "failed")
_SHOWN = (
    "f.url, coalesce(f.podcast, p.title) AS podcast, f.episodes, f.added_at, "
    "f.last_polled_at, f.last_status, f.last_error, f.etag, f.last_modified"
)
_FROM = "FROM feeds f LEFT JOIN podcasts p ON p.id = f.podcast_id ORDER BY f.id"


def content_hash(data: bytes) -> str:
    """The digest that tells whether a feed's bytes changed since it was last ingested."""
    return hashlib.sha256(data).hexdigest()


def remember(
    store: Store, url: str, digest: str, episodes: int, podcast: str | None = None
) -> None:
    """Remember a feed just ingested from ``url`` (``digest``: its ``content_hash``), with the
    podcast name it was given."""
    now = now_iso()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (url, podcast_id, podcast, content_hash, added_at, last_polled_at,"
            " last_status, episodes) VALUES (?, (SELECT id FROM podcasts WHERE key = ?), ?, ?,"
            " ?, ?, 'ingested', ?) ON CONFLICT(url) DO UPDATE SET"
            " podcast_id = excluded.podcast_id, podcast = excluded.podcast,"
            " content_hash = excluded.content_hash, last_polled_at = excluded.last_polled_at,"
            " last_status = 'ingested', last_error = NULL, episodes = excluded.episodes",
            (url, url, podcast, digest, now, now, episodes),
        )


def remembered(store: Store) -> list[dict]:
    """Every remembered feed, in the order they were added."""
    return store.query(f"SELECT {_SHOWN} {_FROM}")


def forget(store: Store, url: str) -> bool:
    """Stop polling a feed (its episodes stay); False when it was not remembered."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM feeds WHERE url = ?", (url.strip(),)).rowcount > 0


def to_poll(store: Store) -> list[dict]:
    """Every remembered feed with what a poll needs: its digest and the podcast name given."""
    return store.query(f"SELECT {_SHOWN}, f.content_hash, f.podcast AS podcast_override {_FROM}")


def record_poll(
    store: Store, url: str, status: str, error: str | None, fetched: dict | None = None
) -> None:
    """Write how a poll of ``url`` went; ``fetched`` holds the digest and validators of a new
    body."""
    values = {
        "last_polled_at": now_iso(),
        "last_status": status,
        "last_error": error,
        **(fetched or {}),
    }
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE feeds SET {', '.join(f'{k} = ?' for k in values)} WHERE url = ?",
            (*values.values(), url),
        )
