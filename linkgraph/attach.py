"""Transcripts into the store: files attached to episodes, pages that are transcripts, and
the transcripts feeds list, fetched through the HTTP client and tried again after a failure.

A transcript replaces the episode's segments; the works it speaks of are found afterwards
(``linkgraph.spoken.detect``) by whoever attached it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .config import Config
from .model import Segment
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
class TranscriptFetch:
    """What fetching one listed transcript did."""

    episode_id: int
    url: str
    segments: int = 0
    error: str | None = None


def attach(store: Store, episode_id: int, data: bytes, source: str, fmt: str | None) -> bool:
    """Read a transcript and store it as the episode's; False when it was stored already.

    Raises SourceError for a file that is no transcript in that format.
    """
    segments = read_transcript(data, source, fmt)
    with store.transaction():
        return store.save_transcript(episode_id, segments, source, fmt or "detected", data)


def page_segments(data: bytes, fmt: str) -> list[Segment] | None:
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
    return segments


def fetch_listed(
    store: Store, http: Http, config: Config, episode_ids: Iterable[int] | None = None
) -> list[TranscriptFetch]:
    """Fetch, for each episode without a transcript yet, the best transcript its feed lists
    (listed, or failed before and due again). A failure is recorded with the time of the
    next try, the episode stays as it is."""
    chosen = None if episode_ids is None else set(episode_ids)
    fetches = []
    for transcript_id, episode_id, url, media_type in _due(store, chosen):
        fetch = TranscriptFetch(episode_id, url)
        try:
            data = http.fetch(url, max_bytes=MAX_TRANSCRIPT_BYTES).content
            segments = read_transcript(data, url, format_of_media_type(media_type))
        except Exception as error:  # any failure (network, format) is this transcript's
            fetch.error = str(error) if isinstance(error, SourceError) else _reason(error)
            attempts = 1 + (
                store.scalar("SELECT attempts FROM transcripts WHERE id = ?", (transcript_id,)) or 0
            )
            with store.transaction():
                store.transcript_failed(transcript_id, fetch.error, _retry_at(config, attempts))
        else:
            with store.transaction():
                store.save_transcript(
                    episode_id, segments, url, format_of_media_type(media_type) or "detected", data
                )
            fetch.segments = len(segments)
        fetches.append(fetch)
    return fetches


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
