"""Benchmark ``resolve`` against a simulated web on loopback (benchmarks/simweb.py).

1,000 arXiv ids, 300 DOIs and 1,500 pages on 60 hosts, 50 ms per response, politeness
intervals scaled down by --scale. Prints, for a clean web: requests per source against the
minimum the batch sizes allow, requests on a second run over the same cache, and wall time
against the lower bound the concurrency and interval settings allow. Then again with a
share of responses failing at random (time-outs, 503, resets): the runs it takes until
every work is resolved, and that none is lost.

    python benchmarks/resolve.py [--scale 0.1] [--fail-rate 0.2]
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from linkgraph.config import Config, load_config  # noqa: E402
from linkgraph.model import Episode, Mention  # noqa: E402
from linkgraph.net.http import host_limits  # noqa: E402
from linkgraph.resolve import Options, resolve  # noqa: E402
from linkgraph.store import Store  # noqa: E402

SIMWEB = Path(__file__).with_name("simweb.py")


def start_web(latency: float, fail_rate: float, timeout_sleep: float) -> tuple:
    """Start the simulated web; return the process and its ports."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(SIMWEB),
            "--latency",
            str(latency),
            "--fail-rate",
            str(fail_rate),
            "--timeout-sleep",
            str(timeout_sleep),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


def server_counts(ports: dict) -> dict:
    """Requests the simulated web received, by kind."""
    with urllib.request.urlopen(f"http://127.0.0.1:{ports['arxiv']}/__stats") as answer:
        return json.loads(answer.read())


def build_store(path: Path, ports: dict, arxiv: int, dois: int, pages: int) -> None:
    """A store whose episodes mention every simulated work once."""
    urls = [f"https://arxiv.org/abs/2301.{i:05d}" for i in range(arxiv)]
    urls += [f"https://doi.org/10.5555/bench.{i}" for i in range(dois)]
    urls += [f"http://127.0.0.1:{ports[f'page{i % 60}']}/post/{i}" for i in range(pages)]
    with Store(path) as store:
        episodes = [
            Episode(
                title=f"Episode {n}",
                source=f"bench-{n}",
                guid=f"bench-{n}",
                podcast="Benchmark Pod",
                mentions=[
                    Mention(u, f"link {n}-{k}") for k, u in enumerate(urls[n * 100 : (n + 1) * 100])
                ],
            )
            for n in range(math.ceil(len(urls) / 100))
        ]
        store.save_episodes(episodes)


def bench_config(ports: dict, scale: float, cache_path: Path) -> Config:
    """Production settings with every interval and back-off scaled by ``scale``."""
    default = load_config(None, environ={})
    return load_config(
        None,
        environ={},
        arxiv_url=f"http://127.0.0.1:{ports['arxiv']}/api/query",
        crossref_url=f"http://127.0.0.1:{ports['crossref']}",
        arxiv_interval=default.arxiv_interval * scale,
        crossref_interval=default.crossref_interval * scale,
        host_interval=default.host_interval * scale,
        backoff=default.backoff * scale,
        read_timeout=10 * scale,
        connect_timeout=10 * scale,
        failure_backoff=0.0,
        allow_private_network=True,
        cache=True,
        cache_path=str(cache_path),
        mailto="bench@example.org",
    )


def lower_bound(
    config: Config, arxiv: int, dois: int, pages: int, hosts: int, latency: float
) -> float:
    """The least wall time the settings allow: the slowest of the APIs, a page host, the pool.

    Every response takes ``latency``. Requests to one host start at least its interval apart
    with at most its concurrency in flight (linkgraph's own per-host settings); the pages
    share ``workers`` threads. These run side by side, so the slowest one bounds the run.
    """
    limits = host_limits(config)

    def chain(requests: int, interval: float, concurrency: int) -> float:
        if not requests:
            return 0.0
        return max((requests - 1) * interval, (requests - 1) // concurrency * latency) + latency

    def api(url: str, batch: int, works: int) -> float:
        return chain(math.ceil(works / batch), *limits[urlsplit(url).netloc.lower()])

    return max(
        api(config.arxiv_url, config.arxiv_batch, arxiv),
        api(config.crossref_url, config.crossref_batch, dois),
        chain(math.ceil(pages / hosts), config.host_interval, config.host_concurrency),
        chain(pages, 0.0, config.workers),
    )


def check_nothing_lost(path: Path, expected_mentions: int) -> dict:
    """Counts that show no mention, link or work went missing."""
    with Store(path) as store:
        counts = {
            t: store.scalar(f"SELECT count(*) FROM {t}")
            for t in ("works", "links", "mentions", "identifiers")
        }
        counts["links_without_work"] = store.scalar(
            "SELECT count(*) FROM links WHERE work_id IS NULL"
        )
        counts["by_status"] = {
            r["status"]: r["n"]
            for r in store.query("SELECT status, count(*) AS n FROM works GROUP BY status")
        }
    assert counts["mentions"] == expected_mentions and counts["links_without_work"] == 0
    return counts


def clean_phase(args: argparse.Namespace, folder: Path) -> dict:
    """First and second run over a well-behaved web."""
    process, ports = start_web(args.latency, 0.0, 1.0)
    try:
        db, copy = folder / "clean.db", folder / "clean-copy.db"
        build_store(db, ports, args.arxiv, args.dois, args.pages)
        shutil.copy(db, copy)
        config = bench_config(ports, args.scale, folder / "clean.http-cache.sqlite")
        with Store(db) as store:
            first = resolve(store, config)
        received = server_counts(ports)
        with Store(copy) as store:
            second = resolve(store, config)
        with Store(db) as store:
            third = resolve(store, config)
        bound = lower_bound(config, args.arxiv, args.dois, args.pages, 60, args.latency)
        minimum = {
            "arxiv": math.ceil(args.arxiv / config.arxiv_batch),
            "crossref": math.ceil(args.dois / config.crossref_batch),
            "webpage": args.pages,
        }
        return {
            "requests": {s: first.resolvers[s].requests for s in minimum},
            "minimum": minimum,
            "server_received": received,
            "second_run_same_cache_requests": second.requests,
            "second_run_same_cache_resolved": second.resolved,
            "rerun_same_store_requests": third.requests,
            "seconds": round(first.seconds, 2),
            "lower_bound_seconds": round(bound, 2),
            "ratio": round(first.seconds / bound, 2),
            "resolved": first.resolved,
            "failed": first.failed,
            "merged": first.merged,
            "store": check_nothing_lost(db, args.arxiv + args.dois + args.pages),
        }
    finally:
        process.kill()


def faulty_phase(args: argparse.Namespace, folder: Path) -> dict:
    """Runs over a web where a share of responses fail, until every work is resolved."""
    process, ports = start_web(args.latency, args.fail_rate, 20 * args.scale)
    try:
        db = folder / "faulty.db"
        build_store(db, ports, args.arxiv, args.dois, args.pages)
        config = bench_config(ports, args.scale, folder / "faulty.http-cache.sqlite")
        runs = []
        for _ in range(3):
            with Store(db) as store:
                summary = resolve(store, config, Options())
                left = store.scalar("SELECT count(*) FROM works WHERE status != 'resolved'")
            runs.append(
                {
                    "resolved": summary.resolved,
                    "failed": summary.failed,
                    "partial": summary.partial,
                    "requests": summary.requests,
                    "seconds": round(summary.seconds, 2),
                    "not_resolved_after": left,
                }
            )
            if not left:
                break
        return {
            "runs": runs,
            "server_received": server_counts(ports),
            "store": check_nothing_lost(db, args.arxiv + args.dois + args.pages),
        }
    finally:
        process.kill()


def main() -> None:
    """Run both phases and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arxiv", type=int, default=1000)
    parser.add_argument("--dois", type=int, default=300)
    parser.add_argument("--pages", type=int, default=1500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--fail-rate", type=float, default=0.2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results = {
            "settings": vars(args),
            "clean": clean_phase(args, Path(folder)),
            "faulty": faulty_phase(args, Path(folder)),
        }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    start = time.monotonic()
    main()
    print(f"benchmark took {time.monotonic() - start:.1f} s", file=sys.stderr)
