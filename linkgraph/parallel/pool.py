"""Worker processes on this machine, through Pebble's process pool.

Pebble runs each job in a process of its own pool and, unlike the standard library's pool,
survives a worker that dies (only that job fails, with ``ProcessExpired``) and ends a job
that runs past its time-out by ending its process; either way a new worker takes its place.
Workers start from a fork server (a clean process, not a copy of this one with its open
store and threads) with linkgraph's reading modules already imported; a process that was
itself forked (a pre-forking server, a test runner) spawns them anew instead. Each is set
up by ``work.start_worker``: below the writer's CPU priority (the writer shares their
cores), collecting garbage less often.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from pebble import ProcessExpired, ProcessPool

from .executor import Executor, Run
from .work import start_worker

_PRELOAD = ["linkgraph.parallel.work"]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_forked = False  # this process is a fork of another: the fork server, if any, is not its own


def _note_fork() -> None:
    global _forked
    _forked = True


os.register_at_fork(after_in_child=_note_fork)


def _context() -> Any:
    """The fork server where there is one; in a forked process (the server it would find is
    its parent's) and where there is none, clean processes spawned anew."""
    if "forkserver" in multiprocessing.get_all_start_methods() and not _forked:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class LocalPool(Executor):
    """``workers`` processes on this machine."""

    def __init__(self, workers: int | None = None, timeout: float | None = None):
        super().__init__(timeout)
        self._workers = max(1, workers or cores())
        self._pool = ProcessPool(
            max_workers=self._workers, context=_context(), initializer=start_worker
        )

    @property
    def workers(self) -> int:
        return self._workers

    def _start(self, run: Run, function: Callable[[list], list], jobs: list) -> None:
        future = self._pool.schedule(function, args=(jobs,), timeout=self.timeout)
        future.add_done_callback(self._ended_run(run))

    def _death(self, error: Exception) -> str | None:
        if isinstance(error, ProcessExpired):
            return f"its worker process died (exit status {error.exitcode})"
        return None

    def close(self) -> None:
        self._pool.stop()
        self._pool.join()
