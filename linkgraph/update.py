"""Update: poll every remembered feed, ingest what is new or changed, resolve the new works.

``update`` asks each feed ``linkgraph.feeds`` remembers again with a conditional request
(the ETag and Last-Modified it last saw, through the HTTP cache), ingests the feed only when
its bytes changed, and then only the episodes that are new or changed, records how the poll
went, and finally resolves the works that wait for metadata.

Every step is safe to interrupt: episodes are written one feed per transaction, and a feed's
validators and digest are recorded only after its episodes are, so the next run asks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .attach import TranscriptFetch, fetch_listed
from .config import Config, cache_path_for, load_config
from .feeds import content_hash, record_poll, to_poll
from .ingest import IngestOptions, find_spoken_since, ingest_source
from .net import Http, HTTPStatusError
from .readers.base import MAX_SOURCE_BYTES
from .resolve import Summary, resolve
from .store import Store, now_iso


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
    transcripts: list[TranscriptFetch] = field(default_factory=list)  # listed ones fetched
    network: bool = True
    resolve: Summary | None = None  # None when resolve did not run

    def to_json(self) -> dict:
        """The documented JSON shape of ``update --json``."""
        return {
            "feeds": [asdict(r) for r in self.feeds],
            "transcripts": [asdict(t) for t in self.transcripts],
            "network": self.network,
            "resolve": self.resolve.to_json() if self.resolve is not None else None,
        }


def _validators(feed: dict) -> dict[str, str]:
    headers = {"If-None-Match": feed["etag"], "If-Modified-Since": feed["last_modified"]}
    return {name: value for name, value in headers.items() if value}


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
        record_poll(store, report.url, report.status, report.error)
        return report
    except Exception as error:  # any network failure is this feed's failure alone
        report.error = f"cannot be fetched: {error}"
        record_poll(store, report.url, report.status, report.error)
        return report
    digest = content_hash(response.content)
    fetched: dict[str, str | None] | None = {
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
    record_poll(store, report.url, report.status, report.error, fetched)
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
    revalidates the HTTP cache on every request; so are the transcripts feeds list that
    are not read yet (new ones, and failed ones whose time to try again has come), and the
    works the transcripts read speak of are found. ``progress`` is resolve's progress
    callback.
    """
    config = config or load_config(store.path)
    db_path = None if store.path == ":memory:" else Path(store.path)
    summary = UpdateSummary()
    feeds = to_poll(store)
    started = now_iso()
    with Http(config, cache_path_for(config, db_path), refresh=True) as http:
        for feed in feeds:
            report = poll(store, http, feed)
            summary.feeds.append(report)
            if on_polled:
                on_polled(report)
        summary.transcripts = fetch_listed(store, http, config)
        summary.network = not http.network_down
    find_spoken_since(store, started)
    if resolve_works and summary.network:
        summary.resolve = resolve(store, config, progress=progress)
    return summary
