"""Parallel ingest against its ideal: local worker processes and a Dask cluster.

    python benchmarks/parallel.py [--episodes 100000] [--workers 1,2,N] [--flat 10000]

A synthetic corpus (benchmarks/synth.py, not timed) is ingested, each run in a new process
into a new store:

- ``one process``: ``linkgraph.ingest.ingest``, reading and writing in one process;
- ``writer alone``: the writer storing results read beforehand (kept pickled in a file), so
  its own rate, with no reading beside it, bounds every parallel run;
- ``pool N``: ``ingest_parallel`` with N local worker processes (1, 2 and all cores);
- ``dask N``: the same through a ``dask.distributed.LocalCluster`` of N single-threaded
  worker processes, started in a process of its own as a real scheduler would be.

Boilerplate is classified once, after the last source, in every run alike (a serial pass
over each podcast's mentions; the generated markdown posts, filed under no podcast, make
one group of 50,000 episodes): the runs leave it out, and ``classify`` times it once, on
the one-process store, at the end.

For each: wall time, episodes per second, the speedup over ``pool 1`` against the ideal
(N x the one-worker rate, capped by the writer's rate alone), peak resident memory of the
writer and of each worker, and whether the store is the one-process store row for row,
ids included. For each pool run, the most the machine's cores allow (cores x episodes /
the CPU seconds its writer and workers took, their start included) and the share of it
reached: the ideal assumes a core for the writer beside the workers'. ``--flat`` repeats
``pool`` at a smaller corpus: the writer's peak memory must not grow with the corpus. The
load average is printed: on a shared machine other work takes its share of the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import generate  # noqa: E402

from linkgraph.config import Config  # noqa: E402
from linkgraph.ingest import IngestOptions, expand_sources, ingest  # noqa: E402
from linkgraph.parallel import (  # noqa: E402
    BatchWriter,
    LocalPool,
    in_order,
    ingest_parallel,
    read_jobs,
)
from linkgraph.parallel.pool import cores  # noqa: E402
from linkgraph.parallel.writer import batched, source_jobs  # noqa: E402
from linkgraph.runtime import collect_less_often  # noqa: E402
from linkgraph.store import Store  # noqa: E402

PEAKS = "LINKGRAPH_BENCH_PEAKS"  # folder where each worker leaves its peak memory and CPU
_CLUSTER = """
import sys
from distributed import LocalCluster
if __name__ == "__main__":
    workers = int(sys.argv[1])
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, preload=["linkgraph.parallel.work"]) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()
"""


def measured_read(jobs: list) -> list:
    """``read_jobs``, leaving this worker's peak memory and CPU time in ``$PEAKS``."""
    results = read_jobs(jobs)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    name = Path(os.environ[PEAKS]) / f"{socket.gethostname()}-{os.getpid()}"
    name.write_text(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.2f}")
    return results


# ---- one measured run, in a process of its own -------------------------------------------


def run(kind: str, corpus: str, db: str, arg: str) -> dict:
    """Carry out one run and return its measures, in a process set up as the command
    line's is."""
    collect_less_often()
    options = IngestOptions()
    classify = Store.classify_boilerplate
    Store.classify_boilerplate = lambda self: 0  # type: ignore[method-assign]  # timed apart
    started = time.perf_counter()
    with Store(db) as store:
        if kind == "classify":
            started = time.perf_counter()
            reports = []
            classify(store)
        elif kind == "one":
            reports = ingest(store, [corpus], options)
        elif kind == "pool":
            with LocalPool(int(arg)) as pool:
                reports = ingest_parallel(store, [corpus], options, pool, work=measured_read)
        elif kind == "dask":
            from linkgraph.parallel.cluster import DaskCluster

            with DaskCluster(arg) as cluster:
                reports = ingest_parallel(store, [corpus], options, cluster, work=measured_read)
        elif kind == "dump":  # not measured: the results the writer alone will store
            with LocalPool(cores()) as pool, open(arg, "wb") as out:
                jobs = source_jobs(store, expand_sources([corpus]), options, 1, Config(), False)
                for finished in in_order(pool, read_jobs, batched(jobs)):
                    if finished:
                        for result in finished[1]:
                            pickle.dump(result, out)
            return {}
        elif kind == "writer":
            reports = []
            with open(arg, "rb") as results, BatchWriter(store, reports.append) as writer:
                started = time.perf_counter()  # the store is open: time the writes alone
                while True:
                    try:
                        writer.write(pickle.load(results), options)
                    except EOFError:
                        break
        seconds = time.perf_counter() - started
        episodes = store.scalar("SELECT count(*) FROM episodes")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "episodes": episodes,
        "failed": sum(1 for r in reports if r.error),
        "writer_mib": usage.ru_maxrss / 1024,
        "writer_cpu": usage.ru_utime + usage.ru_stime,
    }


def measure(
    kind: str, corpus: Path, db: Path, arg: str = "", env: dict | None = None, fresh: bool = True
) -> dict:
    """One run in a new process, with a fresh store (unless not ``fresh``) and a fresh
    folder for worker peaks."""
    for suffix in ("", "-wal", "-shm"):
        if fresh:
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as peaks:
        environment = {**os.environ, **(env or {}), PEAKS: peaks}
        process = subprocess.run(
            [sys.executable, __file__, "--run", kind, str(corpus), str(db), arg],
            capture_output=True,
            text=True,
            env=environment,
        )
        if process.returncode:
            raise SystemExit(f"{kind} {arg} failed:\n{process.stderr[-3000:]}")
        measures = json.loads(process.stdout.strip().splitlines()[-1])
        workers = [tuple(map(float, p.read_text().split())) for p in Path(peaks).iterdir()]
    measures["worker_mib"] = [kib / 1024 for kib, _ in workers]
    measures["worker_cpu"] = sum(cpu for _, cpu in workers)
    return measures


def dask_measure(corpus: Path, db: Path, workers: int) -> dict:
    """A run against a LocalCluster started in its own process."""
    with tempfile.TemporaryDirectory() as peaks:
        environment = {**os.environ, PEAKS: peaks, "PYTHONPATH": _pythonpath()}
        cluster = subprocess.Popen(
            [sys.executable, "-c", _CLUSTER, str(workers)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        try:
            address = cluster.stdout.readline().strip()
            measures = measure("dask", corpus, db, address, {PEAKS: peaks})
            workers_seen = [tuple(map(float, p.read_text().split())) for p in Path(peaks).iterdir()]
        finally:
            cluster.stdin.close()
            cluster.wait()
    measures["worker_mib"] = [kib / 1024 for kib, _ in workers_seen]
    measures["worker_cpu"] = sum(cpu for _, cpu in workers_seen)
    return measures


def _pythonpath() -> str:
    paths = [str(ROOT), str(ROOT / "benchmarks")]
    return os.pathsep.join(
        paths + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )


def same_store(db: Path, reference: Path) -> bool:
    """Every row of every table the same, ids included (times of writing and full-text
    index segments left out)."""
    times = {
        "episodes": {"ingested_at"},
        "feeds": {"added_at", "last_polled_at"},
        "transcripts": {"read_at", "next_attempt_at"},
    }
    conn = sqlite3.connect(db)
    conn.execute("ATTACH DATABASE ? AS reference", (str(reference),))
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'sqlite_%' AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%'"
        )
    ]
    for table in tables:
        columns = ", ".join(
            f'"{c[1]}"'
            for c in conn.execute(f'PRAGMA main.table_info("{table}")')
            if c[1] not in times.get(table, ())
        )
        for a, b in (("main", "reference"), ("reference", "main")):
            differing = conn.execute(
                f'SELECT count(*) FROM (SELECT {columns} FROM {a}."{table}" '
                f'EXCEPT SELECT {columns} FROM {b}."{table}")'
            ).fetchone()[0]
            if differing:
                conn.close()
                return False
    conn.close()
    return True


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=100_000)
    parser.add_argument("--workers", default=f"1,2,{cores()}")
    parser.add_argument("--flat", type=int, default=10_000, help="smaller corpus; 0: none")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--run", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(*args.run)))
        return
    workers = sorted({int(n) for n in args.workers.split(",")})
    work = Path(tempfile.gettempdir()) / "linkgraph-bench-parallel"
    corpus = work / f"corpus-{args.episodes}"
    if not corpus.exists():
        generate(corpus, args.episodes)
    print(
        f"corpus: {args.episodes:,} episodes, {len(expand_sources([str(corpus)])):,} files; "
        f"{cores()} cores; load average {load_average()}"
    )
    rows = []
    one = measure("one", corpus, work / "one.db")
    rows.append(("one process", one))
    dump = work / "results.pickle"
    measure("dump", corpus, work / "dump.db", str(dump))
    writer = measure("writer", corpus, work / "writer.db", str(dump))
    dump.unlink()
    rows.append(("writer alone", writer))
    for n in workers:
        rows.append((f"pool {n}", measure("pool", corpus, work / f"pool{n}.db", str(n))))
    if not args.no_dask:
        n = max(workers)
        rows.append((f"dask {n}", dask_measure(corpus, work / f"dask{n}.db", n)))
    report(rows, work, args.episodes)
    print(f"load average at the end: {load_average()}")
    classified = measure("classify", corpus, work / "one.db", fresh=False)
    print(
        f"boilerplate of the one-process store classified afterwards: {classified['seconds']:.0f} s"
    )
    if args.flat:
        small = work / f"corpus-{args.flat}"
        if not small.exists():
            generate(small, args.flat)
        n = max(workers)
        flat = measure("pool", small, work / "flat.db", str(n))
        big = dict(rows)[f"pool {n}"]
        print(
            f"writer peak memory, pool {n}: {flat['writer_mib']:.0f} MiB at {args.flat:,} "
            f"episodes, {big['writer_mib']:.0f} MiB at {args.episodes:,} "
            f"(ratio {big['writer_mib'] / flat['writer_mib']:.2f}; flat: about 1)"
        )


def report(rows: list[tuple[str, dict]], work: Path, episodes: int) -> None:
    """The table: rates, speedups against the ideal, memory, identical stores."""
    measures = dict(rows)
    single = measures["pool 1"]["episodes"] / measures["pool 1"]["seconds"]
    writer = measures["writer alone"]["episodes"] / measures["writer alone"]["seconds"]
    print(
        "| run | seconds | episodes/s | speedup | ideal | of ideal | writer MiB | worker MiB "
        "| writer CPU s | workers CPU s | same store |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, m in rows:
        rate = m["episodes"] / m["seconds"]
        workers = int(name.split()[-1]) if name.split()[0] in ("pool", "dask") else 0
        if workers:
            ideal = min(workers * single, writer) / single
            speed = f"{rate / single:.2f} | {ideal:.2f} | {rate / single / ideal:.2f}"
        else:
            speed = " | | "
        peaks = ", ".join(f"{mib:.0f}" for mib in sorted(m["worker_mib"])) or "-"
        db = work / {"one process": "one.db", "writer alone": "writer.db"}.get(
            name, name.replace(" ", "") + ".db"
        )
        same = "yes" if name == "one process" or same_store(db, work / "one.db") else "NO"
        if m["episodes"] != episodes or m["failed"]:
            same += f" ({m['episodes']} episodes, {m['failed']} failed)"
        print(
            f"| {name} | {m['seconds']:.1f} | {rate:.0f} | {speed} | {m['writer_mib']:.0f} "
            f"| {peaks} | {m['writer_cpu']:.0f} | {m['worker_cpu']:.0f} | {same} |"
        )
    for name, m in rows:
        if name.startswith("pool"):  # a Dask cluster's scheduler and nannies go uncounted
            allowed = cores() * m["episodes"] / (m["writer_cpu"] + m["worker_cpu"])
            print(
                f"{name}: writer and workers took {m['writer_cpu'] + m['worker_cpu']:.0f} CPU s,"
                f" so {cores()} cores allow at most {allowed:.0f} episodes/s; it reached "
                f"{m['episodes'] / m['seconds'] / allowed:.2f} of that"
            )
    pool = [m for name, m in rows if name.startswith("pool")][-1]
    dask = [m for name, m in rows if name.startswith("dask")]
    if dask:
        ratio = (dask[0]["episodes"] / dask[0]["seconds"]) / (pool["episodes"] / pool["seconds"])
        print(f"dask / pool at the same worker count: {ratio:.2f} (target: at least 0.85)")


if __name__ == "__main__":
    main()
