"""Update: poll every remembered feed, ingest what is new or changed, resolve the new works.

``update`` asks each feed ``linkgraph.feeds`` remembers again with a conditional request
(the ETag and Last-Modified it last saw, through the HTTP cache), ingests the feed only when
its bytes changed, and then only the episodes that are new or changed, records how the poll
went, and finally resolves the works that wait for metadata.

Every step is safe to interrupt: episodes are written one feed per transaction, and a feed's
validators and digest are recorded only after its episodes are, so the next run asks again.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .attach import TranscriptFetch, fetch_listed, settled
from .config import Config, cache_path_for, load_config
from .feeds import content_hash, record_poll, to_poll
from .ingest import IngestOptions, SourceReport, find_spoken_since, ingest_source
from .net import Http, HTTPStatusError
from .parallel import COMMIT_WITHIN, BatchWriter, Executor, SourceJob, in_order, read_jobs
from .parallel.work import worker_config
from .readers.base import MAX_SOURCE_BYTES
from .resolve import Summary, resolve
from .store import Store, now_exact


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
    warnings: list[str] = field(default_factory=list)  # what was read, but not cleanly


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


POLL_WINDOW_PER_THREAD = 4  # feeds fetched ahead of the one being written, per thread


@dataclass
class Fetch:
    """What asking a feed again gave: a response, or the error the request ended in."""

    feed: dict
    response: Any = None
    error: Exception | None = None


def _validators(feed: dict) -> dict[str, str]:
    headers = {"If-None-Match": feed["etag"], "If-Modified-Since": feed["last_modified"]}
    return {name: value for name, value in headers.items() if value}


def fetch(http: Http, feed: dict) -> Fetch:
    """Ask one feed again, with the validators it last gave; never raises."""
    try:
        response = http.fetch(feed["url"], max_bytes=MAX_SOURCE_BYTES, headers=_validators(feed))
    except Exception as error:  # any network failure is this feed's failure alone
        return Fetch(feed, error=error)
    return Fetch(feed, response)


def fetch_all(http: Http, feeds: list[dict], threads: int) -> Iterator[Fetch]:
    """Every feed asked again, ``threads`` at a time through one client (so each host's
    limits hold across them all), handed back in the feeds' order."""
    with ThreadPoolExecutor(max(1, threads)) as pool:
        window = POLL_WINDOW_PER_THREAD * max(1, threads)
        pending: deque[Future[Fetch]] = deque()
        remaining = iter(feeds)
        for feed in itertools.islice(remaining, window):
            pending.append(pool.submit(fetch, http, feed))
        while pending:
            yield pending.popleft().result()
            for feed in itertools.islice(remaining, 1):
                pending.append(pool.submit(fetch, http, feed))


def _poll_report(fetched: Fetch) -> PollReport:
    """The report of a poll as far as the fetch goes: ``status`` "changed" when the feed's
    bytes are new and wait to be ingested."""
    feed = fetched.feed
    report = PollReport(url=feed["url"], podcast=feed["podcast"], episodes=feed["episodes"] or 0)
    error = fetched.error
    if isinstance(error, HTTPStatusError) and error.status == 304:
        report.status = "not-modified"
    elif error is not None:
        report.error = f"cannot be fetched: {error}"
    elif content_hash(fetched.response.content) == feed["content_hash"]:
        cached = getattr(fetched.response, "from_cache", False)
        report.status = "not-modified" if cached else "unchanged"
    else:
        report.status = "changed"
    return report


def _ingested(report: PollReport, ingested: SourceReport) -> None:
    report.error = ingested.error
    report.warnings = ingested.warnings
    report.episodes = ingested.episodes
    report.added, report.updated = ingested.added, ingested.updated
    report.unchanged = ingested.unchanged
    if ingested.error:
        report.status = "failed"
    else:
        report.status = "changed" if ingested.added or ingested.updated else "unchanged"


def _record(store: Store, report: PollReport, fetched: Fetch) -> None:
    """Write how the poll went; a new body's digest and validators only once it is stored."""
    new = None
    if fetched.response is not None and report.status != "failed":
        headers = fetched.response.headers
        new = {
            "content_hash": content_hash(fetched.response.content),
            "etag": headers.get("ETag"),
            "last_modified": headers.get("Last-Modified"),
        }
    record_poll(store, report.url, report.status, report.error, new)


def _options(feed: dict, config: Config) -> IngestOptions:
    return IngestOptions(
        format="rss", podcast=feed["podcast_override"], max_links=config.max_links_per_episode
    )


def poll(store: Store, http: Http, feed: dict) -> PollReport:
    """Ask one feed again and ingest it when it changed; failures are reported, not raised."""
    return _conclude(store, http, fetch(http, feed))


def _conclude(store: Store, http: Http, fetched: Fetch) -> PollReport:
    """Ingest a fetched feed here when it changed, and record the poll."""
    report = _poll_report(fetched)
    if report.status == "changed":
        feed = fetched.feed
        options = _options(feed, http.config)
        data = fetched.response.content
        _ingested(report, ingest_source(store, feed["url"], options, data=data, http=http))
    _record(store, report, fetched)
    return report


def _in_parallel(
    store: Store, fetches: Iterable[Fetch], executor: Executor, http: Http, cache: str | None
) -> Iterator[PollReport]:
    """Changed feeds read by ``executor``'s workers (with the HTTP cache file ``cache``)
    and stored here, in the feeds' order."""
    waiting: deque[tuple[Fetch, PollReport]] = deque()
    config = http.config
    shared = worker_config(config, executor.workers)

    def batches() -> Iterator[list[SourceJob]]:
        for fetched in fetches:
            report = _poll_report(fetched)
            waiting.append((fetched, report))
            url = fetched.feed["url"]
            options = _options(fetched.feed, config)
            data = fetched.response.content if report.status == "changed" else None
            if data is None:
                yield []
            else:
                known = settled(store, url)
                yield [SourceJob(url, options, shared, cache, data=data, known=known)]

    with BatchWriter(store, http=http, config=config) as writer:
        for finished in in_order(executor, read_jobs, batches(), patience=COMMIT_WITHIN):
            if finished is None:
                writer.commit()
                continue
            fetched, report = waiting.popleft()
            for result in finished[1]:
                options = _options(fetched.feed, config)
                _ingested(report, writer.write(result, options))
            _record(store, report, fetched)
            yield report
    store.classify_boilerplate()


def update(
    store: Store,
    config: Config | None = None,
    *,
    resolve_works: bool = True,
    on_polled: Callable[[PollReport], None] | None = None,
    progress: Callable | None = None,
    executor: Executor | None = None,
) -> UpdateSummary:
    """Poll every remembered feed, ingest what is new or changed, then resolve the new works.

    Feeds are asked again ``config.workers`` at a time, through one client that keeps each
    host's limits and revalidates the HTTP cache on every request. Changed feeds are read
    here, or by ``executor``'s workers (fetching the podcast:chapters documents and
    transcripts they list with their share of each host's rate); either way they are stored
    in the feeds' order. Then the listed transcripts still not read are fetched (failed ones
    whose time to try again has come), and the works the transcripts read speak of are
    found. ``progress`` is resolve's progress callback.
    """
    config = config or load_config(store.path)
    db_path = None if store.path == ":memory:" else Path(store.path)
    summary = UpdateSummary()
    feeds = to_poll(store)
    started = now_exact()
    cache = cache_path_for(config, db_path)
    with Http(config, cache, refresh=True) as http:
        fetches = fetch_all(http, feeds, config.workers)
        if executor is None:
            reports: Iterable[PollReport] = (_conclude(store, http, f) for f in fetches)
        else:
            cache_path = str(cache) if cache else None
            reports = _in_parallel(store, fetches, executor, http, cache_path)
        for report in reports:
            summary.feeds.append(report)
            if on_polled:
                on_polled(report)
        summary.transcripts = fetch_listed(store, http, config)
        summary.network = not http.network_down
    find_spoken_since(store, started)
    if resolve_works and summary.network:
        summary.resolve = resolve(store, config, progress=progress)
    return summary
