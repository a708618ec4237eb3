"""Ingest past one core and one machine: workers read, one writer stores.

Each source is read and prepared for the store in a worker (``work.read_job``): a process
of this machine (``pool.LocalPool``) or of a Dask cluster (``cluster.DaskCluster``). The
process that holds the store writes the results in the sources' order (``writer``), so the
store is the one a single process makes, id for id.
"""

from .executor import Executor, Failed, in_order
from .pool import LocalPool, cores
from .work import SourceJob, SourceResult, read_job, read_jobs
from .writer import BatchWriter, ingest_parallel, write_result

__all__ = [
    "BatchWriter",
    "Executor",
    "Failed",
    "LocalPool",
    "SourceJob",
    "SourceResult",
    "cores",
    "in_order",
    "ingest_parallel",
    "read_job",
    "read_jobs",
    "write_result",
]
