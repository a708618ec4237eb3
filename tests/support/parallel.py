"""Work functions for worker-failure tests: they run in worker processes, so they live in a
module the workers can import."""

from __future__ import annotations

import gc
import os
import signal
from pathlib import Path

from linkgraph.ingest import SourceResult
from linkgraph.parallel import SourceJob, read_jobs

DIES = "dies"  # a source whose name holds this kills the worker reading it
ONCE = "once"  # ... only the first time (a marker file beside it remembers)


def read_or_die(jobs: list[SourceJob]) -> list[SourceResult]:
    """``read_jobs``, except that a source named for it kills its worker process."""
    for job in jobs:
        path = Path(job.source)
        if DIES in path.name:
            marker = path.with_suffix(".died")
            if ONCE not in path.name or not marker.exists():
                marker.touch()
                os.kill(os.getpid(), signal.SIGKILL)
    return read_jobs(jobs)


def set_up(jobs: list) -> list[tuple[int, tuple[int, int, int]]]:
    """The worker process's CPU niceness and garbage collector thresholds, once per job."""
    return [(os.nice(0), gc.get_threshold()) for _ in jobs]
