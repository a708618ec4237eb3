"""Transcripts into the store: files attached to episodes, pages that are transcripts, and
the transcripts feeds list, fetched through the HTTP client and tried again after a failure.

Reading a transcript (``read_for_store``, ``read_page``) and fetching the ones a feed lists
(``prefetch_listed``) need nothing of the store, so they happen wherever the source is read
(a worker of a parallel ingest); storing them (``store_transcript``, ``fetch_listed``)
happens where the store is. A transcript replaces the episode's segments; the works it
speaks of are found afterwards (``linkgraph.spoken.detect``) by whoever stored it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .config import Config
from .model import Episode, Segment
from .net import Http
from .readers.base import SourceError, decode_text
from .store import Store, now_iso
from .transcripts import format_of_media_type, read_transcript
from .transcripts.page import read_html, read_markdown

MAX_TRANSCRIPT_BYTES = 32 * 2**20
# The formats a feed may list, best first: the more a format says (times, speakers), the better.
_PREFERENCE = ("json", "vtt", "srt", "html", "transcript")
_MIN_TURNS = 4  # a page is a transcript when speakers take this many turns ...
_MIN_SPEAKERS = 2  # ... and at least this many people speak


@dataclass
class ReadTranscript:
    """A transcript read into segments, with what the store records of it."""

    source: str  # the file or URL it was read from
    format: str
    digest: str  # the SHA-256 of its bytes: the same transcript read again changes nothing
    segments: list[Segment]


@dataclass
class Prefetched:
    """A transcript a feed lists, fetched before its episode is stored: read, or failed."""

    url: str
    transcript: ReadTranscript | None = None
    error: str | None = None


@dataclass(frozen=True)
class Settled:
    """What the store knows of a feed's transcripts before the feed is read again: the
    episodes (by key) that have one read, and the listed URLs not due to be tried yet."""

    episodes: frozenset[str] = frozenset()
    waiting: frozenset[str] = frozenset()


@dataclass
class TranscriptFetch:
    """What fetching one listed transcript did."""

    episode_id: int
    url: str
    segments: int = 0
    error: str | None = None


def read_for_store(data: bytes, source: str, fmt: str | None) -> ReadTranscript:
    """Read a transcript (its format detected unless ``fmt`` is given).

    Raises SourceError for a file that is no transcript in that format.
    """
    segments = read_transcript(data, source, fmt)
    return ReadTranscript(source, fmt or "detected", _digest(data), segments)


def store_transcript(store: Store, episode_id: int, transcript: ReadTranscript) -> bool:
    """Store a transcript as the episode's; False when it was stored already."""
    with store.transaction():
        return store.save_transcript(
            episode_id, transcript.segments, transcript.source, transcript.format, transcript.digest
        )


def read_page(data: bytes, source: str, fmt: str) -> ReadTranscript | None:
    """The speaker turns of a markdown or HTML page that is a transcript, else None."""
    if fmt not in ("markdown", "html"):
        return None
    try:
        text = decode_text(data)
    except SourceError:
        return None
    segments = (read_markdown if fmt == "markdown" else read_html)(text)
    turns = [segment for segment in segments if segment.speaker]
    if len(turns) < _MIN_TURNS or len({s.speaker for s in turns}) < _MIN_SPEAKERS:
        return None
    return ReadTranscript(source, fmt, _digest(data), segments)


def settled(store: Store, feed_url: str) -> Settled:
    """What the store knows of the transcripts of the feed at ``feed_url``'s episodes."""
    podcast = store.scalar("SELECT id FROM podcasts WHERE key = ?", (feed_url,))
    if podcast is None:
        return Settled()
    episodes = store.conn.execute(
        "SELECT e.key FROM episodes e WHERE e.podcast_id = ? AND EXISTS (SELECT 1 FROM "
        "transcripts t WHERE t.episode_id = e.id AND t.status = 'read')",
        (podcast,),
    )
    waiting = store.conn.execute(
        "SELECT t.url FROM transcripts t JOIN episodes e ON e.id = t.episode_id WHERE "
        "e.podcast_id = ? AND t.url IS NOT NULL AND t.next_attempt_at > ?",
        (podcast, now_iso()),
    )
    return Settled(frozenset(r[0] for r in episodes), frozenset(r[0] for r in waiting))


def prefetch_listed(
    episodes: Iterable[Episode], http: Http, known: Settled = Settled()
) -> dict[str, Prefetched]:
    """Fetch and read, for each episode without a transcript read (``known``), the best
    transcript its feed lists: the one ``fetch_listed`` then stores. Keyed by URL."""
    fetched: dict[str, Prefetched] = {}
    for episode in episodes:
        if episode.key in known.episodes:
            continue
        listed = [link for link in episode.transcripts if link.url not in known.waiting]
        if listed:
            best = min(listed, key=lambda link: _rank(link.type))
            if best.url not in fetched:
                fetched[best.url] = _fetch(http, best.url, best.type)
    return fetched


def fetch_listed(
    store: Store,
    http: Http | None,
    config: Config,
    episode_ids: Iterable[int] | None = None,
    prefetched: Mapping[str, Prefetched] | None = None,
) -> list[TranscriptFetch]:
    """Fetch, for each episode without a transcript yet, the best transcript its feed lists
    (listed, or failed before and due again), unless ``prefetched`` holds it already; with
    no ``http`` only prefetched ones are stored. A failure is recorded with the time of the
    next try, the episode stays as it is."""
    chosen = None if episode_ids is None else set(episode_ids)
    fetches = []
    for transcript_id, episode_id, url, media_type in _due(store, chosen):
        got = (prefetched or {}).get(url)
        if got is None:
            if http is None:
                continue  # left listed: the next update fetches it
            got = _fetch(http, url, media_type)
        fetch = TranscriptFetch(episode_id, url, error=got.error)
        if got.transcript is None:
            attempts = 1 + (
                store.scalar("SELECT attempts FROM transcripts WHERE id = ?", (transcript_id,)) or 0
            )
            with store.transaction():
                store.transcript_failed(transcript_id, got.error or "", _retry_at(config, attempts))
        else:
            store_transcript(store, episode_id, got.transcript)
            fetch.segments = len(got.transcript.segments)
        fetches.append(fetch)
    return fetches


def _fetch(http: Http, url: str, media_type: str | None) -> Prefetched:
    """Fetch and read one listed transcript; any failure (network, format) is its error."""
    try:
        data = http.fetch(url, max_bytes=MAX_TRANSCRIPT_BYTES).content
        return Prefetched(url, read_for_store(data, url, format_of_media_type(media_type)))
    except Exception as error:
        return Prefetched(
            url, error=str(error) if isinstance(error, SourceError) else _reason(error)
        )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _due(store: Store, chosen: set[int] | None) -> list[tuple[int, int, str, str | None]]:
    """The best listed transcript of each episode that has none read, if its time has come."""
    rows = store.conn.execute(
        "SELECT id, episode_id, url, media_type FROM transcripts t WHERE url IS NOT NULL "
        "AND status IN ('listed', 'failed') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
        " AND NOT EXISTS (SELECT 1 FROM transcripts r WHERE r.episode_id = t.episode_id "
        "AND r.status = 'read') ORDER BY episode_id, id",
        (now_iso(),),
    ).fetchall()
    best: dict[int, tuple[int, int, str, str | None]] = {}
    for row in rows:
        if chosen is not None and row[1] not in chosen:
            continue
        if row[1] not in best or _rank(row[3]) < _rank(best[row[1]][3]):
            best[row[1]] = row
    return list(best.values())


def _rank(media_type: str | None) -> int:
    fmt = format_of_media_type(media_type)
    return _PREFERENCE.index(fmt) if fmt in _PREFERENCE else len(_PREFERENCE)


def _retry_at(config: Config, attempts: int) -> str:
    later = datetime.fromisoformat(now_iso()) + timedelta(seconds=config.failure_delay(attempts))
    return later.isoformat()


def _reason(error: Exception) -> str:
    return f"cannot be fetched: {error}" if str(error) else type(error).__name__
