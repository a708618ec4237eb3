"""Ingest past one core and one machine: workers read, one writer stores.

Each source is read and prepared for the store in a worker (``work.read_job``): a process
of this machine (``pool.LocalPool``) or of a Dask cluster (``cluster.DaskCluster``). The
process that holds the store writes the results in the sources' order (``writer``), so the
store is the one a single process makes, id for id.
"""

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager

from .executor import Executor, Failed, in_order
from .pool import LocalPool, cores
from .work import SourceJob, read_job, read_jobs
from .writer import COMMIT_WITHIN, BatchWriter, ingest_parallel

FEW_SOURCES = 8  # up to this many sources are read in the writer's own process by default


def default_workers(sources: int) -> int:
    """The workers for ``sources`` sources when none were asked for: every core, unless
    there are only a few sources (starting workers would cost more than it saves), or this
    process is a daemonic worker of another pool (which may start no processes)."""
    if sources <= FEW_SOURCES or multiprocessing.current_process().daemon:
        return 1
    return cores()


@contextmanager
def executor_for(
    workers: int, dask: str | None = None, timeout: float | None = None
) -> Iterator[Executor | None]:
    """The workers asked for: a Dask cluster's at ``dask`` (a scheduler address), else
    ``workers`` local processes; None for one worker (read in this process). Raises
    ``cluster.DaskUnavailable`` when Dask is not installed or its scheduler not reached."""
    if dask:
        from .cluster import DaskCluster

        with DaskCluster(dask, timeout=timeout) as cluster:
            yield cluster
    elif workers > 1:
        with LocalPool(workers, timeout=timeout) as pool:
            yield pool
    else:
        yield None


__all__ = [
    "COMMIT_WITHIN",
    "BatchWriter",
    "Executor",
    "Failed",
    "LocalPool",
    "SourceJob",
    "cores",
    "default_workers",
    "executor_for",
    "in_order",
    "ingest_parallel",
    "read_job",
    "read_jobs",
]
