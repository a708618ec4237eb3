"""The single writer: sources read by workers, stored in the order they were given.

Workers read and prepare sources (``work.read_job``); this process alone writes. Outcomes
come back in any order and are put back in the sources' order (``executor.in_order``), so
every row gets the id a one-worker run gives it. Sources are committed in batches: each is
a savepoint inside the batch's transaction (a source that cannot be stored is undone alone),
and the batch commits when it is full, when it has been open ``COMMIT_WITHIN`` seconds, or
when the next source is not back that long after the writer asked for it. A source is
reported (``on_done``) once its batch is committed: within about that time of its writing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from ..attach import Settled, settled
from ..config import Config, cache_path_for, load_config
from ..ingest import (
    IngestOptions,
    SourceReport,
    SourceResult,
    client_for,
    expand_sources,
    find_spoken_since,
    is_url,
    load,
    store_result,
)
from ..net import Http
from ..readers import SourceError
from ..store import Store, now_exact
from .executor import Executor, Failed, in_order
from .work import SourceJob, read_jobs, worker_config

BATCH_SOURCES = 64  # sources per transaction, and per batch sent to a worker, at most
BATCH_BYTES = 256 * 1024  # a batch sent to a worker holds about this much
# Seconds a written source waits for its commit, at most, unless writing it took longer. Each
# commit costs the writer a write of every page the batch changed (more, the larger the
# store): committing whenever the next source was not back yet took 6 to 8 % of its CPU.
COMMIT_WITHIN = 1.0


class BatchWriter:
    """Writes results in batches of one transaction each; reports a batch once committed."""

    def __init__(
        self,
        store: Store,
        on_done: Callable[[SourceReport], None] | None = None,
        size: int = BATCH_SOURCES,
        *,
        http: Http | None = None,
        config: Config | None = None,
    ):
        self.store = store
        self.on_done = on_done
        self.size = size
        self.http = http  # fetches a listed transcript the workers did not (see store_result)
        self.config = config
        self._transaction: ExitStack | None = None
        self._opened = 0.0  # when the open batch began (time.monotonic)
        self._written: list[SourceReport] = []

    def write(self, result: SourceResult, options: IngestOptions) -> SourceReport:
        """Store one source in the open batch (opening one when needed); its podcast's
        boilerplate waits for ``Store.classify_boilerplate``."""
        if self._transaction is None:
            self._transaction = ExitStack()
            self._transaction.enter_context(self.store.transaction())
            self._opened = time.monotonic()
        report = store_result(
            self.store, result, options, http=self.http, config=self.config, classify=False
        )
        self._written.append(report)
        if len(self._written) >= self.size or time.monotonic() - self._opened >= COMMIT_WITHIN:
            self.commit()
        return report

    def commit(self) -> None:
        """Commit the open batch and report its sources."""
        if self._transaction is None:
            return
        self._transaction.close()
        self._transaction = None
        written, self._written = self._written, []
        for report in written:
            if self.on_done:
                self.on_done(report)

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transaction is None:
            return
        if error is None:
            self.commit()
        else:  # interrupted: the batch is undone, and none of it was reported
            self._transaction.__exit__(kind, error, trace)
            self._transaction = None


def ingest_parallel(
    store: Store,
    sources: Iterable[str],
    options: IngestOptions,
    executor: Executor,
    on_done: Callable[[SourceReport], None] | None = None,
    config: Config | None = None,
    share_cache: bool = True,
    work: Callable[[list[SourceJob]], list[SourceResult]] = read_jobs,
    *,
    http: Http | None = None,
    spoken: bool = True,
) -> list[SourceReport]:
    """Ingest every source with ``executor``'s workers reading and this process writing.

    The store ends up as ``ingest`` leaves it, id for id, and the reports are the same, in
    the same order; the boilerplate of the podcasts that changed is classified once, at the
    end, and then (with ``spoken``) the works the transcripts read speak of are found. URLs
    are fetched by the workers with ``config`` (by default the store's settings), each
    worker keeping its share of every host's request rate; ``share_cache`` gives them the
    store's HTTP cache file (workers on this machine). This process fetches only a listed
    transcript no worker fetched, through ``http`` (by default a client of its own).
    ``work`` is what workers run on each batch of jobs.
    """
    started = now_exact()
    expanded = expand_sources(sources)
    config = config or load_config(None if store.path == ":memory:" else Path(store.path))
    jobs = source_jobs(store, expanded, options, executor.workers, config, share_cache)
    reports: list[SourceReport] = []

    def done(report: SourceReport) -> None:
        reports.append(report)
        if on_done:
            on_done(report)

    with (
        client_for(store, expanded, http, config) as client,
        BatchWriter(store, done, http=client, config=config) as writer,
    ):
        batches = batched(jobs, executor.batch_scale)
        for finished in in_order(executor, work, batches, patience=COMMIT_WITHIN):
            if finished is None:  # the next sources are not back yet: commit what is written
                writer.commit()
                continue
            for job, outcome in zip(*finished, strict=True):
                if isinstance(outcome, Failed):
                    outcome = SourceResult(job.source, error=f"was not read: {outcome.reason}")
                writer.write(outcome, options)
    store.classify_boilerplate()
    if spoken:
        find_spoken_since(store, started)
    return reports


def batched(jobs: Iterable[SourceJob], scale: int = 1) -> Iterator[list[SourceJob]]:
    """Consecutive jobs in batches of about ``scale`` x ``BATCH_BYTES`` and at most ``scale``
    x ``BATCH_SOURCES`` sources (URLs alone), so a worker's share of the work outweighs the
    cost of sending it."""
    batch: list[SourceJob] = []
    size = 0
    for job in jobs:
        batch.append(job)
        size += _size(job)
        if size >= BATCH_BYTES * scale or len(batch) >= BATCH_SOURCES * scale:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(job: SourceJob) -> int:
    """About how many bytes a job reads; a URL counts as a whole batch of any scale."""
    if job.data is not None or job.error:
        return len(job.data or b"")
    if is_url(job.source):
        return sys.maxsize
    try:
        return os.stat(job.source).st_size
    except OSError:
        return 0


def source_jobs(
    store: Store,
    sources: list[str],
    options: IngestOptions,
    workers: int,
    config: Config,
    share_cache: bool,
) -> Iterator[SourceJob]:
    """The job of each source, made as it is sent (so what the store says of a feed's
    transcripts is current); standard input is read here, where it is."""
    cache_path = None
    if any(is_url(source) for source in sources):
        db_path = None if store.path == ":memory:" else Path(store.path)
        cache = cache_path_for(config, db_path) if share_cache else None
        cache_path = str(cache) if cache else None
    shared = worker_config(config, workers)
    for source in sources:
        if source == "-":
            try:
                yield SourceJob(source, options, data=load(source)[0])
            except SourceError as error:
                yield SourceJob(source, options, error=str(error))
        else:
            url = is_url(source)
            known = settled(store, source) if url else Settled()
            path = None if url else str(Path(source).absolute())
            yield SourceJob(source, options, shared, cache_path, known=known, path=path)
