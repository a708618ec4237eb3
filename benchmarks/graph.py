"""Benchmark the questions and the graph on a large synthetic store.

    python benchmarks/graph.py                       # 10,000 episodes, 1,000,000 mentions
    python benchmarks/graph.py --episodes 1000 --mentions 100000 --queries 50

Creates the store with ``synth_store.py`` when it does not exist (in a child process, so
this one's peak memory is the graph's), then measures, over random references:
``cites`` (works drawn uniformly from the cited works, and works drawn by popularity: the
work of a random mention), ``cited-by`` and ``related`` (random episodes, by URL),
``cocited`` (uniform works), ``path`` (between two random episodes, or a random episode
and a random cited work; at most ``PATHS`` pairs, read from SQL around the two ends) and
the selection ``export --around REF`` makes (depth 1, read from SQL around the node):
median, 95th percentile and maximum latency; then ``build_graph``: wall time, CPU time,
and the growth of the process's peak resident memory (what ``path`` cost when it built
the whole graph on every call).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from linkgraph import query  # noqa: E402
from linkgraph.graph import build_graph, graph_around  # noqa: E402
from linkgraph.store import Store  # noqa: E402

# Indexes that make cites / cited-by / related fast on large stores (see docs/graph.md);
# created by --indexes when the schema does not have them yet.
SUGGESTED_INDEXES = [
    "CREATE INDEX IF NOT EXISTS idx_mentions_link_id_episode_id ON mentions (link_id, episode_id)",
]


def ensure_store(path: Path, episodes: int, mentions: int) -> None:
    """Generate the synthetic store at ``path`` unless it is there already."""
    if path.exists():
        return
    print(f"generating {path} ({episodes:,} episodes, {mentions:,} mentions) ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(HERE / "synth_store.py"),
            str(path),
            "--episodes",
            str(episodes),
            "--mentions",
            str(mentions),
        ],
        check=True,
    )


def add_indexes(store: Store) -> None:
    """Create the suggested indexes (no-op where they exist) and refresh the statistics."""
    for sql in SUGGESTED_INDEXES:
        store.conn.execute(sql)
    store.conn.execute("ANALYZE")


def latency(store: Store, question: Callable, refs: list) -> dict[str, float]:
    """Milliseconds per call of ``question(store, ref)``: median, p95, max."""
    times = []
    for ref in refs:
        start = time.perf_counter()
        question(store, ref)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
    }


def random_refs(store: Store, rng: random.Random, n: int) -> dict[str, list]:
    """References for each measured question."""
    cited = [
        f"{r[0]}:{r[1]}"
        for r in store.conn.execute(
            "SELECT scheme, value FROM identifiers WHERE work_id IN "
            "(SELECT work_id FROM links WHERE id IN (SELECT DISTINCT link_id FROM mentions))"
        )
    ]
    mentions = store.scalar("SELECT max(id) FROM mentions")
    popular = [
        store.scalar(
            "SELECT i.scheme || ':' || i.value FROM identifiers i "
            "WHERE i.work_id = (SELECT l.work_id FROM links l WHERE l.id = "
            "(SELECT link_id FROM mentions WHERE id = ?))",
            (rng.randint(1, mentions),),
        )
        for _ in range(n)
    ]
    episodes = [r[0] for r in store.conn.execute("SELECT url FROM episodes")]
    paths = min(n, PATHS)
    return {
        "cites (uniform work)": rng.sample(cited, min(n, len(cited))),
        "cites (popular work)": popular,
        "cited-by": rng.sample(episodes, min(n, len(episodes))),
        "related": rng.sample(episodes, min(n, len(episodes))),
        "cocited": rng.sample(cited, min(n, len(cited))),
        "path (episode to episode)": [tuple(rng.sample(episodes, 2)) for _ in range(paths)],
        "path (episode to work)": [(rng.choice(episodes), rng.choice(cited)) for _ in range(paths)],
        "export --around (uniform work, depth 1)": rng.sample(cited, min(n, len(cited))),
        "export --around (episode, depth 1)": rng.sample(episodes, min(n, len(episodes))),
    }


PATHS = 50  # path questions asked at most


def _path(store: Store, ends: tuple[str, str]) -> list[dict]:
    return query.path(store, *ends)


def _around(store: Store, ref: str) -> object:
    return graph_around(store, ref, 1)


QUESTIONS: dict[str, Callable] = {
    "cites (uniform work)": query.cites,
    "cites (popular work)": query.cites,
    "cited-by": query.cited_by,
    "related": query.related,
    "cocited": query.cocited,
    "path (episode to episode)": _path,
    "path (episode to work)": _path,
    "export --around (uniform work, depth 1)": _around,
    "export --around (episode, depth 1)": _around,
}


def measure_build(store: Store) -> dict[str, float]:
    """Build the whole graph once: seconds (wall and CPU), peak RSS growth in MB, size."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    graph = build_graph(store)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "peak_mb": after / 1024,
        "growth_mb": (after - before) / 1024,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def main() -> None:
    """Run the measurements and print them as Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, default=None, help="the store [default: /tmp/linkgraph-bench-E-M.db]"
    )
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--indexes", action="store_true", help="create the suggested indexes before measuring"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/linkgraph-bench-{args.episodes}-{args.mentions}.db")
    ensure_store(path, args.episodes, args.mentions)
    with Store(path) as store:
        if args.indexes:
            add_indexes(store)
        counts = query.stats(store)
        print(
            f"store: {path}: {counts['episodes']:,} episodes, {counts['mentions']:,} "
            f"mentions, {counts['works']:,} works, indexes suggested here "
            f"{'created' if args.indexes else 'not created'}\n"
        )
        refs = random_refs(store, random.Random(args.seed), args.queries)
        print(f"| question ({args.queries} random refs) | median ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|")
        for name, question in QUESTIONS.items():
            found = latency(store, question, refs[name])
            print(
                f"| {name} | {found['median']:.1f} | {found['p95']:.1f} | {found['max']:.1f} |",
                flush=True,
            )
        built = measure_build(store)
    print(
        f"\nbuild_graph: {built['nodes']:,} nodes, {built['edges']:,} edges in "
        f"{built['seconds']:.1f} s ({built['cpu_seconds']:.1f} s CPU); peak RSS "
        f"{built['peak_mb']:.0f} MB (+{built['growth_mb']:.0f} MB while building)"
    )


if __name__ == "__main__":
    main()
