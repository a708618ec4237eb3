"""Ingest: sources (files, folders, stdin, URLs) -> episodes -> the store.

Reading never needs the network except for http(s) sources. Each source is read whole
before anything is written, and all its episodes are written in one transaction, so a bad
or interrupted source leaves nothing half-written and the other sources carry on.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .attach import (
    Prefetched,
    ReadTranscript,
    Settled,
    fetch_listed,
    prefetch_listed,
    read_for_store,
    read_page,
    settled,
    store_transcript,
)
from .config import Config, cache_path_for, load_config
from .feeds import content_hash, remember
from .lookup import RefError, find_episode
from .model import Episode
from .net import Http
from .prepared import PreparedEpisode, prepare
from .readers import SUFFIXES, SourceError, detect_format, read_source
from .readers.base import MAX_SOURCE_BYTES
from .readers.chapters import read_chapters
from .readers.markdown import jekyll_url
from .spoken.detect import SpokenReport, find_spoken
from .store import Store, now_exact
from .transcripts import detect_transcript_format

# Transcripts read as sources of their own (an episode each, or attached with --episode).
TRANSCRIPT_FORMATS = ("vtt", "srt", "json", "transcript")

EXAMPLE_DIR = Path(__file__).parent / "examples"


@dataclass
class IngestOptions:
    """What the user said about the sources: format and single-episode overrides."""

    format: str | None = None
    podcast: str | None = None
    title: str | None = None
    url: str | None = None
    date: str | None = None
    site_url: str | None = None  # base URL of a Jekyll site, to give posts their page URL
    max_links: int = Config.max_links_per_episode  # more links in one episode: refused
    episode: str | None = None  # a transcript source belongs to this stored episode


@dataclass
class SourceResult:
    """One source read and prepared for the store, or the error that stopped it."""

    source: str
    name: str | None = None  # the name recorded for it: absolute path, URL or "-"
    format: str | None = None
    episodes: list[PreparedEpisode] = field(default_factory=list)
    error: str | None = None
    feed_hash: str | None = None  # the digest of a feed read from a URL, to remember it by
    transcript: ReadTranscript | None = None  # a transcript source's, or a transcript page's
    listed: dict[str, Prefetched] = field(default_factory=dict)  # what its feed lists, by URL


@dataclass
class SourceReport:
    """What happened to one source."""

    source: str
    format: str | None = None
    episodes: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    mentions: int = 0
    topics: int = 0
    transcripts: int = 0  # transcripts read: files, transcript pages, documents feeds list
    error: str | None = None
    titles: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was read, but not cleanly


def is_url(source: str) -> bool:
    """True for http(s) URLs."""
    return source.lower().startswith(("http://", "https://"))


def expand_sources(sources: Iterable[str]) -> list[str]:
    """Files named, files under folders (recursively, sorted), stdin ("-") and URLs.

    A folder contributes the files with a suffix of a known format (``sources.SUFFIXES``);
    a file named on its own is read whatever its name."""
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if source != "-" and not is_url(source) and path.is_dir():
            expanded.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            expanded.append(source)
    return expanded


def load(source: str, http: Http | None = None) -> tuple[bytes, str]:
    """The bytes of a source and the name to record for it (absolute path, URL or "-").

    URLs are fetched through ``http``; without one a URL is this source's error. Files,
    pipes, devices and stdin are read up to the size limit and refused past it.
    """
    if source == "-":
        return _read_capped(sys.stdin.buffer), "-"
    if is_url(source):
        if http is None:
            raise SourceError("is a URL, and this run has no network client")
        try:
            return http.fetch(source, max_bytes=MAX_SOURCE_BYTES).content, source
        except Exception as error:  # any network failure is this source's failure
            raise SourceError(f"cannot be fetched: {error}") from None
    path = Path(source)
    try:
        with path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size  # a regular file: refused before reading
            if size > MAX_SOURCE_BYTES:
                raise SourceError(
                    f"is {size // 2**20} MB, over the {MAX_SOURCE_BYTES // 2**20} MB "
                    "limit for one source"
                )
            return _read_capped(file, size), str(path.resolve())
    except FileNotFoundError:
        raise SourceError("no such file or folder") from None
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except PermissionError:
        raise SourceError("permission denied") from None


def _read_capped(stream: BinaryIO, expected: int = MAX_SOURCE_BYTES) -> bytes:
    """At most the size limit from a stream of any kind; past it, the source is refused.

    A buffer of the ``expected`` size is asked for first (a file's size: not the limit's
    64 MB for every small file); the rest, should the file have grown, after it.
    """
    data = stream.read(expected + 1)
    if len(data) > expected:
        data += stream.read(MAX_SOURCE_BYTES - expected)
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"is over the {MAX_SOURCE_BYTES // 2**20} MB limit for one source")
    return data


def read_episodes(
    data: bytes, name: str, fmt: str, options: IngestOptions, http: Http | None = None
) -> list[Episode]:
    """Read one source's bytes in format ``fmt`` and apply the user's overrides.

    Feeds read from a URL get their podcast:chapters documents fetched through ``http``.
    An episode with more than ``options.max_links`` links is refused; a one-episode source
    holding more URLs than that is refused before it is parsed, in bounded memory.
    """
    if fmt != "rss" and data.count(b"://") > options.max_links:
        raise SourceError(
            f"holds {data.count(b'://'):,} URLs, over the limit of {options.max_links:,} links "
            "in one episode (setting max_links_per_episode)"
        )
    episodes = read_source(data, name, fmt)
    if not episodes:
        raise SourceError("holds no episode")
    for episode in episodes:
        if len(episode.mentions) > options.max_links:
            raise SourceError(
                f"episode {episode.title!r} has {len(episode.mentions):,} links, over the limit "
                f"of {options.max_links:,} (setting max_links_per_episode)"
            )
    for episode in episodes:
        if options.podcast:
            episode.podcast = options.podcast
        if options.site_url and not episode.url and fmt == "markdown":
            episode.url = jekyll_url(options.site_url, episode)
    if len(episodes) == 1:
        only = episodes[0]
        only.title = options.title or only.title
        only.url = options.url or only.url
        only.published = options.date or only.published
    if is_url(name) and http is not None:
        _add_chapters(episodes, http)
    return episodes


def _add_chapters(episodes: list[Episode], http: Http) -> None:
    """Topics from podcast:chapters documents, for feeds read from the network."""
    for episode in episodes:
        if episode.chapters_url and not episode.topics:
            try:
                data = http.fetch(episode.chapters_url, max_bytes=2 * 2**20).content
                episode.topics, chapter_links = read_chapters(data)
            except Exception:  # chapters are a bonus: the episode stands without them
                continue
            episode.mentions.extend(chapter_links)


def read(
    source: str,
    options: IngestOptions,
    data: bytes | None = None,
    http: Http | None = None,
    known: Settled = Settled(),
) -> SourceResult:
    """Read one source and prepare its episodes for the store; errors are reported, not raised.

    ``data`` is the source's bytes when the caller has fetched them already; ``http`` is
    the client that fetches URLs, and the transcripts a feed read from a URL lists for its
    episodes that have none read (``known``: what the store says of them). Needs nothing of
    the store, so it runs anywhere (the workers of a parallel ingest).
    """
    result = SourceResult(source=source)
    try:
        data, name = (data, source) if data is not None else load(source, http)
        result.name = name
        result.format = options.format or source_format(data, name)
        if result.format in TRANSCRIPT_FORMATS:
            result.transcript = read_for_store(data, name, result.format)
            if not options.episode:
                result.episodes = [prepare(transcript_episode(name, options))]
            return result
        if options.episode:
            raise SourceError(
                f"is {result.format}, not a transcript: --episode attaches transcripts only"
            )
        episodes = read_episodes(data, name, result.format, options, http)
        result.episodes = [prepare(episode) for episode in episodes]
        if len(episodes) == 1:
            result.transcript = read_page(data, name, result.format)
        if is_url(name) and result.format == "rss":
            result.feed_hash = content_hash(data)
            if http is not None:
                result.listed = prefetch_listed(episodes, http, known)
    except SourceError as error:
        result.error = str(error)
    except OSError as error:
        result.error = f"cannot be read: {error.strerror or error}"
    except Exception as error:  # a parser's failure on strange input fails this source alone
        result.error = f"cannot be read: {type(error).__name__}: {error}"
    return result


def transcript_episode(name: str, options: IngestOptions) -> Episode:
    """The episode a transcript file makes of its own: titled by ``--title`` or its name."""
    return Episode(
        title=options.title or Path(name).stem or name,
        source=name,
        url=options.url,
        published=options.date,
        podcast=options.podcast,
    )


def store_result(
    store: Store,
    result: SourceResult,
    options: IngestOptions,
    *,
    http: Http | None = None,
    config: Config | None = None,
    classify: bool = True,
) -> SourceReport:
    """Store one source's prepared episodes and transcripts; errors are reported, not raised.

    A feed read from an http(s) URL is remembered (with the podcast name ``options`` gave
    it), for ``linkgraph update`` to poll, and the transcripts it lists are stored: those
    ``read`` fetched, and through ``http`` any other that is due (``config`` says when a
    failed one is tried again). With ``classify`` its podcast's boilerplate is classified
    again at once (see ``Store.save_episodes``).
    """
    report = SourceReport(source=result.source, format=result.format, error=result.error)
    if result.error:
        return report
    if result.format in TRANSCRIPT_FORMATS:
        return _store_transcript_source(store, result, options, report, classify)
    try:
        outcomes = store.save_episodes(result.episodes, classify=classify)
    except sqlite3.Error as error:
        report.error = f"cannot be stored: {error}"
        return report
    episodes = [prepared.episode for prepared in result.episodes]
    report.episodes = len(episodes)
    report.titles = [e.title for e in episodes]
    report.warnings = [warning for e in episodes for warning in e.warnings]
    report.mentions = sum(len(e.mentions) for e in episodes)
    report.topics = sum(len(e.topics) for e in episodes)
    for outcome in outcomes:
        setattr(report, outcome, getattr(report, outcome) + 1)
    if result.feed_hash and result.name:
        remember(store, result.name, result.feed_hash, len(episodes), options.podcast)
    ids = [store.episode_id(episode) for episode in episodes]
    if result.transcript and ids[0] is not None:
        report.transcripts += store_transcript(store, ids[0], result.transcript)
    if result.feed_hash:
        config = config or (http.config if http else Config())
        listed = (i for i in ids if i is not None)
        fetched = fetch_listed(store, http, config, listed, result.listed)
        report.transcripts += sum(1 for f in fetched if not f.error)
        report.warnings += [f"transcript {f.url}: {f.error}" for f in fetched if f.error]
    return report


def _store_transcript_source(
    store: Store,
    result: SourceResult,
    options: IngestOptions,
    report: SourceReport,
    classify: bool,
) -> SourceReport:
    """A transcript file: attached to the episode ``--episode`` names, else stored with the
    episode it makes of its own."""
    assert result.transcript is not None  # read() gives every transcript source one
    try:
        if options.episode:
            episode_id = find_episode(store, options.episode)
            report.titles = [store.scalar("SELECT title FROM episodes WHERE id = ?", (episode_id,))]
        else:
            (outcome,) = store.save_episodes(result.episodes, classify=classify)
            setattr(report, outcome, 1)
            episode = result.episodes[0].episode
            report.titles = [episode.title]
            episode_id = store.episode_id(episode) or 0
        read = store_transcript(store, episode_id, result.transcript)
    except RefError as error:
        report.error = str(error)
        return report
    except sqlite3.Error as error:
        report.error = f"cannot be stored: {error}"
        return report
    report.episodes = 1
    report.transcripts = int(read)
    if options.episode:
        report.updated, report.unchanged = int(read), int(not read)
    return report


def ingest_source(
    store: Store,
    source: str,
    options: IngestOptions,
    data: bytes | None = None,
    http: Http | None = None,
    *,
    classify: bool = True,
) -> SourceReport:
    """Read one source and store it (``read``, then ``store_result``)."""
    known = settled(store, source) if is_url(source) else Settled()
    result = read(source, options, data, http, known)
    return store_result(store, result, options, http=http, classify=classify)


def source_format(data: bytes, name: str) -> str:
    """A source's format from its content, then its name: a reader's, or a transcript's
    (WebVTT, SubRip, a JSON transcript named .json)."""
    fmt = detect_format(data, name)
    if fmt in ("text", "markdown"):
        found = detect_transcript_format(data[:4096].decode("utf-8", "replace"), name)
        if found in ("vtt", "srt", "json"):
            return found
    return fmt


def find_spoken_since(store: Store, started: str) -> list[SpokenReport]:
    """Find the works the transcripts read or episodes saved since ``started`` (a
    ``now_exact`` stamp: a run just before, in the same second, is not since) speak of."""
    ids = [
        row[0]
        for row in store.conn.execute(
            "SELECT e.id FROM episodes e WHERE EXISTS (SELECT 1 FROM segments s WHERE "
            "s.episode_id = e.id) AND (e.ingested_at >= ? OR EXISTS (SELECT 1 FROM transcripts "
            "t WHERE t.episode_id = e.id AND t.read_at >= ?))",
            (started, started),
        )
    ]
    return find_spoken(store, ids) if ids else []


def ingest(
    store: Store,
    sources: Iterable[str],
    options: IngestOptions | None = None,
    on_done: Callable[[SourceReport], None] | None = None,
    http: Http | None = None,
) -> list[SourceReport]:
    """Ingest every source; one failing source never stops the others.

    URLs are fetched through ``http``, or through a client configured for the store. The
    boilerplate of the podcasts that changed is classified once, after the last source, and
    then the works the transcripts read speak of are found.
    """
    options = options or IngestOptions()
    reports = []
    started = now_exact()
    expanded = expand_sources(sources)
    with client_for(store, expanded, http) as client:
        for source in expanded:
            report = ingest_source(store, source, options, http=client, classify=False)
            reports.append(report)
            if on_done:
                on_done(report)
    store.classify_boilerplate()
    find_spoken_since(store, started)
    return reports


@contextmanager
def client_for(
    store: Store, sources: list[str], http: Http | None = None, config: Config | None = None
) -> Iterator[Http | None]:
    """``http`` when given; else, when a source is a URL, a client with ``config`` (by
    default the store's settings)."""
    if http is not None or not any(is_url(source) for source in sources):
        yield http
        return
    config = config or load_config(None if store.path == ":memory:" else store.path)
    db_path = None if store.path == ":memory:" else Path(store.path)
    with Http(config, cache_path_for(config, db_path), refresh=True) as client:
        yield client
