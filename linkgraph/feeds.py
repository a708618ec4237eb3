"""Remembered feeds: podcast feeds ingested by URL, polled again by ``linkgraph update``.

``ingest`` remembers every feed it reads from an http(s) URL. ``update`` asks each one again
with a conditional request (the ETag and Last-Modified it last saw, through the HTTP cache),
ingests the feed only when its bytes changed, and then only the episodes that are new or
changed, records how the poll went, and finally resolves the works that wait for metadata.

Every step is safe to interrupt: episodes are written one feed per transaction, and a feed's
validators and digest are recorded only after its episodes are, so the next run asks again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, cache_path_for, load_config
from .ingest import IngestOptions, ingest_source
from .net import Http, HTTPStatusError
from .sources.base import MAX_SOURCE_BYTES
from .store import Store, now_iso

if TYPE_CHECKING:
    from .resolve import Summary

FEED_STATUSES = ("ingested", "changed", "unchanged", "not-modified", "failed")
_SHOWN = (
    "f.url, coalesce(f.podcast, p.title) AS podcast, f.episodes, f.added_at, "
    "f.last_polled_at, f.last_status, f.last_error, f.etag, f.last_modified"
)
_FROM = "FROM feeds f LEFT JOIN podcasts p ON p.id = f.podcast_id ORDER BY f.id"


@dataclass
class PollReport:
    """What polling one feed did."""

    url: str
    podcast: str | None = None
    status: str = "failed"  # one of FEED_STATUSES except "ingested"
    episodes: int = 0  # episodes in the feed as last read
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None


@dataclass
class UpdateSummary:
    """The outcome of ``update``: one report per feed, and the resolve run that followed."""

    feeds: list[PollReport] = field(default_factory=list)
    network: bool = True
    resolve: Summary | None = None  # None when resolve did not run

    def to_json(self) -> dict:
        """The documented JSON shape of ``update --json``."""
        return {
            "feeds": [asdict(r) for r in self.feeds],
            "network": self.network,
            "resolve": self.resolve.to_json() if self.resolve is not None else None,
        }


def content_hash(data: bytes) -> str:
    """The digest that tells whether a feed's bytes changed since it was last ingested."""
    return hashlib.sha256(data).hexdigest()


def remember(
    store: Store, url: str, data: bytes, episodes: int, podcast: str | None = None
) -> None:
    """Remember a feed just ingested from ``url``, with the podcast name it was given."""
    now = now_iso()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO feeds (url, podcast_id, podcast, content_hash, added_at, last_polled_at,"
            " last_status, episodes) VALUES (?, (SELECT id FROM podcasts WHERE key = ?), ?, ?,"
            " ?, ?, 'ingested', ?) ON CONFLICT(url) DO UPDATE SET"
            " podcast_id = excluded.podcast_id, podcast = excluded.podcast,"
            " content_hash = excluded.content_hash, last_polled_at = excluded.last_polled_at,"
            " last_status = 'ingested', last_error = NULL, episodes = excluded.episodes",
            (url, url, podcast, content_hash(data), now, now, episodes),
        )


def remembered(store: Store) -> list[dict]:
    """Every remembered feed, in the order they were added."""
    return store.query(f"SELECT {_SHOWN} {_FROM}")


def forget(store: Store, url: str) -> bool:
    """Stop polling a feed (its episodes stay); False when it was not remembered."""
    with store.transaction() as conn:
        return conn.execute("DELETE FROM feeds WHERE url = ?", (url.strip(),)).rowcount > 0


def _validators(feed: dict) -> dict[str, str]:
    headers = {"If-None-Match": feed["etag"], "If-Modified-Since": feed["last_modified"]}
    return {name: value for name, value in headers.items() if value}


def _record(store: Store, report: PollReport, fetched: dict | None = None) -> None:
    """Write how a poll went; ``fetched`` holds the digest and validators of a new body."""
    values = {
        "last_polled_at": now_iso(),
        "last_status": report.status,
        "last_error": report.error,
        **(fetched or {}),
    }
    with store.transaction() as conn:
        conn.execute(
            f"UPDATE feeds SET {', '.join(f'{k} = ?' for k in values)} WHERE url = ?",
            (*values.values(), report.url),
        )


def poll(store: Store, http: Http, feed: dict) -> PollReport:
    """Ask one feed again and ingest it when it changed; failures are reported, not raised."""
    report = PollReport(url=feed["url"], podcast=feed["podcast"], episodes=feed["episodes"] or 0)
    try:
        response = http.fetch(feed["url"], max_bytes=MAX_SOURCE_BYTES, headers=_validators(feed))
    except HTTPStatusError as error:
        report.status, report.error = (
            ("not-modified", None)
            if error.status == 304
            else ("failed", f"cannot be fetched: {error}")
        )
        _record(store, report)
        return report
    except Exception as error:  # any network failure is this feed's failure alone
        report.error = f"cannot be fetched: {error}"
        _record(store, report)
        return report
    digest = content_hash(response.content)
    fetched = {
        "content_hash": digest,
        "etag": response.headers.get("ETag"),
        "last_modified": response.headers.get("Last-Modified"),
    }
    if digest == feed["content_hash"]:
        report.status = "not-modified" if getattr(response, "from_cache", False) else "unchanged"
    else:
        _ingest(store, http, feed, response.content, report)
        if report.status == "failed":
            fetched = None  # ask for the whole feed again next time
    _record(store, report, fetched)
    return report


def _ingest(store: Store, http: Http, feed: dict, data: bytes, report: PollReport) -> None:
    options = IngestOptions(
        format="rss", podcast=feed["podcast_override"], max_links=http.config.max_links_per_episode
    )
    ingested = ingest_source(store, feed["url"], options, data=data, http=http)
    report.error = ingested.error
    report.episodes = ingested.episodes
    report.added, report.updated = ingested.added, ingested.updated
    report.unchanged = ingested.unchanged
    if ingested.error:
        report.status = "failed"
    else:
        report.status = "changed" if ingested.added or ingested.updated else "unchanged"


def update(
    store: Store,
    config: Config | None = None,
    *,
    resolve_works: bool = True,
    on_polled: Callable[[PollReport], None] | None = None,
    progress: Callable | None = None,
) -> UpdateSummary:
    """Poll every remembered feed, ingest what is new or changed, then resolve the new works.

    Feeds and the podcast:chapters documents they name are fetched through one client that
    revalidates the HTTP cache on every request. ``progress`` is resolve's progress callback.
    """
    from .resolve import resolve

    config = config or load_config(store.path)
    db_path = None if store.path == ":memory:" else Path(store.path)
    summary = UpdateSummary()
    feeds = store.query(f"SELECT {_SHOWN}, f.content_hash, f.podcast AS podcast_override {_FROM}")
    with Http(config, cache_path_for(config, db_path), refresh=True) as http:
        for feed in feeds:
            report = poll(store, http, feed)
            summary.feeds.append(report)
            if on_polled:
                on_polled(report)
        summary.network = not http.network_down
    if resolve_works and summary.network:
        summary.resolve = resolve(store, config, progress=progress)
    return summary
