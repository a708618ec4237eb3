"""The work done for sources in a worker: everything up to the store's write.

``read_jobs`` runs ``ingest.read`` on each source of a batch: it fetches (URLs, through an
``Http`` client the worker makes), reads, extracts, identifies and classifies, reads the
transcripts among the sources and the pages that are transcripts, fetches and reads the
transcripts a feed lists, and returns one ``SourceResult`` per source: the prepared
episodes and transcripts the writer stores, or the error that stops that source. A worker
needs nothing from the process that submitted the work but the ``SourceJob`` (picklable,
so it travels to a worker process or to another machine).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from ..attach import Settled
from ..config import Config
from ..ingest import IngestOptions, SourceResult, is_url, read
from ..net import Http
from ..runtime import collect_less_often

WORKER_NICENESS = 10  # how far below the writer's a worker's CPU priority is


@dataclass(frozen=True)
class SourceJob:
    """One source to read, and what the worker needs to read it."""

    source: str  # a path the worker can read, a URL, or a name for ``data``
    options: IngestOptions
    config: Config | None = None  # the HTTP settings for URL sources; None: no network
    cache_path: str | None = None  # the HTTP cache file, when the worker can reach it
    data: bytes | None = None  # the bytes, when the submitting process read them already
    error: str | None = None  # why the submitting process could not read them
    known: Settled = Settled()  # what the store says of a feed's transcripts
    path: str | None = None  # a file source's absolute path: workers start elsewhere


def worker_config(config: Config, workers: int) -> Config:
    """The HTTP settings a worker reads with: its 1/``workers`` share of every host's
    request rate, and no API token (reading sources needs none)."""
    return replace(config, host_interval=config.host_interval * workers, github_token=None)


def read_jobs(jobs: list[SourceJob]) -> list[SourceResult]:
    """Read several sources, one after the other (a batch, sent to a worker at once)."""
    return [read_job(job) for job in jobs]


def read_job(job: SourceJob) -> SourceResult:
    """Read one source into prepared episodes; a bad source is an error, never an exception."""
    if job.error:
        return SourceResult(source=job.source, error=job.error)
    http = _client(job.config, job.cache_path) if job.config and is_url(job.source) else None
    result = read(job.path or job.source, job.options, job.data, http, job.known)
    result.source = job.source  # reported as the user named it
    return result


@lru_cache(maxsize=4)
def _client(config: Config, cache_path: str | None) -> Http:
    """The worker process's client for these settings, made on its first URL and kept for
    the sources after it (one session, one cache connection, one set of host limits)."""
    return Http(config, cache_path, refresh=True)


def start_worker() -> None:
    """Set up a worker process: below the writer's CPU priority, collecting garbage less
    often (``runtime.collect_less_often``).

    Where workers and the writer share cores, the writer (the one step that cannot run in
    parallel) gets a core whenever it has results to store, and the workers take what is
    left; with a core to spare, or on a machine of its own, the priority changes nothing.
    """
    collect_less_often()
    with contextlib.suppress(AttributeError, OSError):  # no os.nice (Windows)
        os.nice(WORKER_NICENESS)


def dask_setup(service: Any) -> None:
    """Dask's start-up hook for a preloaded module (``--preload linkgraph.parallel.work``):
    a Dask worker is set up as a local one is."""
    from distributed import Worker

    if isinstance(service, Worker):
        start_worker()
