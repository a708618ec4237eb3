"""The work done for one source in a worker: everything up to the store's write.

``read_job`` fetches (URLs, through an ``Http`` client the worker makes), reads, extracts,
identifies and classifies one source, and returns a ``SourceResult``: the prepared episodes
the writer stores, or the error that stops this source. It never raises for a bad source,
and needs nothing from the process that submitted it but the ``SourceJob`` (picklable, so
it travels to a worker process or to another machine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..config import Config
from ..ingest import IngestOptions, is_url, load, read_episodes
from ..net import Http
from ..prepared import PreparedEpisode, prepare
from ..sources import SourceError, detect_format


@dataclass(frozen=True)
class SourceJob:
    """One source to read, and what the worker needs to read it."""

    source: str  # a path the worker can read, a URL, or a name for ``data``
    options: IngestOptions
    config: Config | None = None  # the HTTP settings for URL sources; None: no network
    cache_path: str | None = None  # the HTTP cache file, when the worker can reach it
    data: bytes | None = None  # the bytes, when the submitting process read them already
    error: str | None = None  # why the submitting process could not read them


@dataclass
class SourceResult:
    """What a worker made of one source: prepared episodes, or the error that stopped it."""

    source: str
    name: str | None = None  # the name recorded for it: absolute path, URL or "-"
    format: str | None = None
    episodes: list[PreparedEpisode] = field(default_factory=list)
    error: str | None = None
    feed_data: bytes | None = None  # a feed read from a URL, which the store remembers


def read_jobs(jobs: list[SourceJob]) -> list[SourceResult]:
    """Read several sources, one after the other (a batch, sent to a worker at once)."""
    return [read_job(job) for job in jobs]


def read_job(job: SourceJob) -> SourceResult:
    """Read one source into prepared episodes; a bad source is an error, never an exception."""
    result = SourceResult(source=job.source, error=job.error)
    if job.error:
        return result
    try:
        http = _client(job.config, job.cache_path) if job.config and is_url(job.source) else None
        data, name = (job.data, job.source) if job.data is not None else load(job.source, http)
        result.name = name
        result.format = job.options.format or detect_format(data, name)
        episodes = read_episodes(data, name, result.format, job.options, http)
        result.episodes = [prepare(episode) for episode in episodes]
        if is_url(name) and result.format == "rss":
            result.feed_data = data
    except SourceError as error:
        result.error = str(error)
    except OSError as error:
        result.error = f"cannot be read: {error.strerror or error}"
    except Exception as error:  # a parser's failure on strange input fails this source alone
        result.error = f"cannot be read: {type(error).__name__}: {error}"
    return result


@lru_cache(maxsize=4)
def _client(config: Config, cache_path: str | None) -> Http:
    """The worker process's client for these settings, made on its first URL and kept for
    the sources after it (one session, one cache connection, one set of host limits)."""
    return Http(config, cache_path, refresh=True)
