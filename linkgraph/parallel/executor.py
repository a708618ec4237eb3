"""What the writer asks of an engine that runs work elsewhere, and the order it needs back.

An ``Executor`` runs batches of jobs in other processes and hands back each batch's results
as it finishes, in any order; a job whose runs failed twice comes back as ``Failed``.
``in_order`` puts them back in the order the batches came, with a bounded number in flight,
which is what lets one writer give every row the id a one-worker run gives it.
"""

from __future__ import annotations

import queue
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

WINDOW_PER_WORKER = 4  # batches in flight (or finished, waiting for an earlier one) per worker

Run = tuple[int, int | None]  # a batch's key, and which of its jobs runs alone (None: all)


@dataclass(frozen=True)
class Failed:
    """A job the engine could not carry out, twice; ``reason`` says how the last try ended."""

    reason: str


@dataclass
class _Batch:
    function: Callable[[list], list]
    jobs: list
    results: list = field(default_factory=list)
    left: int = 0  # runs of it still out


class Executor(ABC):
    """Runs keyed batches of jobs on workers and reports each batch as it ends.

    A batch is one call of ``function(jobs)``, which returns one result per job. When that
    run fails (its worker died, it ran past the time-out, the engine failed it), every job
    of the batch runs once more on its own, so one bad source costs the others nothing;
    a job whose own run fails too ends as ``Failed``. An engine starts runs (``_start``)
    and gives each run's future a done callback (``_ended_run``) that queues it for the
    waiting writer, which can so wait with a time-out whatever the engine.
    """

    # How many times the writer's usual batch one run takes: an engine whose runs each cost
    # more to send and track takes fewer, larger ones.
    batch_scale = 1

    def __init__(self, timeout: float | None = None):
        self.timeout = timeout  # seconds one run may take, from when a worker starts it
        self._batches: dict[int, _Batch] = {}
        self._ended: queue.SimpleQueue[tuple[Run, Any]] = queue.SimpleQueue()

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many runs go on at once."""

    def submit(self, key: int, function: Callable[[list], list], jobs: list) -> None:
        """Start ``function(jobs)``; its results come back from ``next_done`` under ``key``."""
        self._batches[key] = _Batch(function, jobs, [None] * len(jobs), 1)
        self._start((key, None), function, jobs)

    def next_done(self, patience: float | None = None) -> tuple[int, list] | None:
        """The next batch to finish for good: its key and one result (or ``Failed``) per job;
        None when none does within ``patience`` seconds (None: however long it takes)."""
        deadline = None if patience is None else time.monotonic() + patience
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ended = self._wait(left)
            if ended is None:
                return None
            run, outcome = ended
            key, alone = run
            batch = self._batches[key]
            try:
                value = outcome()
            except Exception as error:  # the run failed: its worker, the time-out, the engine
                if alone is None:
                    batch.left = len(batch.jobs)
                    for index, job in enumerate(batch.jobs):
                        self._start((key, index), batch.function, [job])
                    continue
                value = [Failed(f"{self._describe(error)}, also when tried again")]
            batch.left -= 1
            if alone is None:
                batch.results = value
            else:
                batch.results[alone] = value[0]
            if not batch.left:
                del self._batches[key]
                return key, batch.results

    @abstractmethod
    def _start(self, run: Run, function: Callable[[list], list], jobs: list) -> None:
        """Begin one run."""

    def _ended_run(self, run: Run) -> Callable[[Any], None]:
        """The callback that queues ``run``'s future once it is done, in whatever thread."""
        return lambda future: self._ended.put((run, future))

    def _wait(self, timeout: float | None) -> tuple[Run, Callable[[], list]] | None:
        """Block until a run ends, for ``timeout`` seconds at most (None: for good): which it
        was and a call that returns its results or raises; None when none ended in time."""
        try:
            run, future = self._ended.get(timeout=timeout)
        except queue.Empty:
            return None
        return run, self._outcome(future)

    def _outcome(self, future: Any) -> Callable[[], list]:
        """A call that returns the results of the run whose ``future`` is done, or raises."""
        return future.result

    def _describe(self, error: Exception) -> str:
        """How a failed run ended, in words."""
        if isinstance(error, (TimeoutError, futures.TimeoutError)):
            return f"took longer than {self.timeout:g} s"
        return self._death(error) or f"its worker failed: {type(error).__name__}: {error}"

    @abstractmethod
    def _death(self, error: Exception) -> str | None:
        """How the worker died, when ``error`` says it did."""

    @abstractmethod
    def close(self) -> None:
        """Stop the workers this executor started (a cluster it connected to stays)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def in_order(
    executor: Executor,
    function: Callable[[list], list],
    batches: Iterable[list],
    window: int | None = None,
    patience: float = 0,
) -> Iterator[tuple[list, list] | None]:
    """Every batch with its results, in the order of ``batches``, at most ``window`` unreported.

    Batches are submitted as earlier ones are reported, so memory holds ``window`` batches
    and their results however many there are. ``None`` is yielded when the next batch is
    not back within ``patience`` seconds of waiting for it (a writer commits what it has
    then), and the wait goes on.
    """
    window = window or WINDOW_PER_WORKER * executor.workers
    pending = iter(batches)
    out: dict[int, list] = {}  # submitted, not yet reported
    finished: dict[int, list] = {}
    submitted = reported = 0
    while True:
        while submitted - reported < window:
            jobs = next(pending, None)
            if jobs is None:
                break
            out[submitted] = jobs
            if jobs:
                executor.submit(submitted, function, jobs)
            else:  # nothing to run: done at once
                finished[submitted] = []
            submitted += 1
        if reported == submitted:
            return
        waited_long = False
        while reported not in finished:
            done = executor.next_done(None if waited_long else patience)
            if done is None:
                waited_long = True
                yield None
            else:
                finished[done[0]] = done[1]
        yield out.pop(reported), finished.pop(reported)
        reported += 1
