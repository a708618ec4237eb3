"""Workers of a Dask cluster, through ``dask.distributed``.

Jobs go to the scheduler with ``Client.submit`` and come back through each future's done
callback as they finish. What travels: the job (the source's name or URL, the ingest
options, the HTTP settings, and for standard input its bytes), pickled, and the function
by reference, so every worker needs the same linkgraph installed. The result is the
source's prepared episodes. Dask re-runs a task whose worker died on its own (its
``allowed-failures`` setting); linkgraph runs it once more after that. A run past the
time-out is cancelled and its worker process ended through its nanny (the only way to stop
a thread that hangs), which starts a new one. Workers are watched by what they execute,
not by what the scheduler remembers (it forgets a cancelled task, not the thread running
it): a worker still running a cancelled run is ended again, and closing waits until none
is, so the workers are free for whatever comes next.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from .executor import Executor, Run

try:
    import distributed
except ImportError:  # the optional extra is not installed
    distributed = None  # type: ignore[assignment]

MISSING = (
    "--dask needs Dask's distributed scheduler, which is not installed: "
    "pip install 'linkgraph[dask]'"
)


_LONGEST_LOOK = 10.0  # seconds between looks at what the workers execute, at most


class DaskUnavailable(RuntimeError):
    """Dask's distributed package is not installed, or the scheduler cannot be reached."""


class DaskCluster(Executor):
    """The workers of the Dask scheduler at ``address`` (or of a ``Client`` already made)."""

    # A task costs messages through the scheduler and a fetch of its result: four times
    # the local pool's batch took a 2-worker cluster from 0.78 to 0.99 of the pool's rate.
    batch_scale = 4

    def __init__(
        self,
        address: str | None = None,
        *,
        client: Any = None,
        timeout: float | None = None,
        connect_timeout: float = 30,
    ):
        super().__init__(timeout)
        if distributed is None:
            raise DaskUnavailable(MISSING)
        self._own_client = client is None
        try:
            self.client = client or distributed.Client(address, timeout=connect_timeout)
        except OSError as error:
            raise DaskUnavailable(
                f"cannot reach the Dask scheduler at {address}: {error}"
            ) from None
        self._run = uuid.uuid4().hex[:12]  # keys of this run, apart from any other client's
        self._futures: dict[str, Any] = {}  # task key -> its future, until it is reported
        self._timed_out: set[str] = set()  # cancelled for taking too long, not yet reported
        self._abandoned: set[str] = set()  # every run cancelled so, while a thread may run it
        self._lock = threading.Lock()  # the watchdog reads what the writer's thread changes
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None
        if timeout is not None:
            self._watchdog = threading.Thread(target=self._watch, args=(timeout,), daemon=True)
            self._watchdog.start()

    @property
    def workers(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def _start(self, run: Run, function: Callable[[list], list], jobs: list) -> None:
        task = f"linkgraph-{self._run}-{run[0]}-{uuid.uuid4().hex[:8]}"
        future = self.client.submit(function, jobs, key=task, pure=False)
        with self._lock:
            self._futures[task] = future
        future.add_done_callback(self._ended_run(run))

    def _outcome(self, future: Any) -> Callable[[], list]:
        with self._lock:
            del self._futures[future.key]
            timed_out = future.key in self._timed_out
            self._timed_out.discard(future.key)
        if timed_out:
            return _raises(TimeoutError(f"took longer than {self.timeout:g} s"))
        return lambda: _taken(future)

    def _death(self, error: Exception) -> str | None:
        return "its worker died" if type(error).__name__ == "KilledWorker" else None

    def _watch(self, timeout: float) -> None:
        """Cancel the runs a worker thread has been executing past the time-out (not the ones
        waiting on a worker for a thread), and end that worker's process; end it again while
        a run already cancelled still executes there. A run is seen past the time-out within
        a tenth of it (10 s at most): each look asks every worker."""
        started: dict[str, float] = {}
        interval = min(_LONGEST_LOOK, timeout / 10)  # every worker is asked: not too often
        while not self._stop.wait(interval):
            now = time.monotonic()
            executing = self._executing()
            with self._lock:
                running = {
                    task: (worker, self._futures[task])
                    for worker, tasks in executing.items()
                    for task in tasks
                    if task in self._futures and task not in self._timed_out
                }
                started = {task: started.get(task, now) for task in running}
                hung = [task for task, since in started.items() if now - since > timeout]
                self._timed_out.update(hung)
                self._abandoned.update(hung)
            for task in hung:
                self.client.cancel([running[task][1]])
            self._end_workers({running[task][0] for task in hung} | self._still_running(executing))

    def _executing(self) -> dict[str, list[str]]:
        """This run's tasks each worker is executing, cancelled ones included: every worker
        is asked (the scheduler forgets a cancelled task, not the thread running it)."""
        try:
            stacks = self.client.call_stack()
        except Exception:  # the scheduler or a worker is restarting: ask again next time
            return {}
        mine = f"linkgraph-{self._run}-"
        return {
            worker: [task for task in tasks if str(task).startswith(mine)]
            for worker, tasks in stacks.items()
        }

    def _still_running(self, executing: dict[str, list[str]]) -> set[str]:
        """The workers still executing a run that was cancelled for taking too long."""
        with self._lock:
            return {w for w, tasks in executing.items() if self._abandoned.intersection(tasks)}

    def _end_workers(self, workers: set[str]) -> None:
        if not workers:
            return
        with contextlib.suppress(Exception):  # one already gone: the next look finds the rest
            self.client.run(_end_worker, workers=list(workers), nanny=True, on_error="return")

    def close(self) -> None:
        self._stop.set()
        if self._watchdog is not None:
            self._watchdog.join()
        for future in list(self._futures.values()):
            future.cancel()
        self._settle()
        if self._own_client:
            self.client.close()

    def _settle(self, patience: float = 60) -> None:
        """Wait (``patience`` seconds at most) until no worker executes a run this cluster
        cancelled for taking too long, ending such workers again: the workers are left
        free for whatever runs next."""
        deadline = time.monotonic() + patience
        while self._abandoned and time.monotonic() < deadline:
            stuck = self._still_running(self._executing())
            if not stuck:
                return
            self._end_workers(stuck)
            time.sleep(0.5)


def _end_worker(dask_worker: Any) -> None:
    """On a worker's nanny: end the worker process at once (a thread that hangs can be
    stopped no other way); the nanny starts a new one, as after any worker death."""
    os.kill(dask_worker.pid, signal.SIGKILL)


def _taken(future: Any) -> Any:
    """A finished task's result; the cluster may forget it then."""
    try:
        return future.result()
    finally:
        future.release()


def _raises(error: Exception) -> Callable[[], Any]:
    def outcome() -> Any:
        raise error

    return outcome
