"""How ingest and queries scale: 1,000, 10,000 and 100,000 synthetic episodes.

    python benchmarks/scale.py [--sizes 1000,10000,100000] [--queries 300] [--keep DIR]
                               [--workers N]

For each size a corpus is generated with benchmarks/synth.py (not timed), then ingested by
``linkgraph ingest FOLDER --quiet --workers N`` in a new process (N is 1 unless given, so
the series stays one process's; benchmarks/parallel.py measures workers): wall time and
peak memory (the process's maximum resident set). Then the database size, and the latency
of ``cites`` (``linkgraph.query.cites``, what the command runs, in this process on a warm
database) for
works drawn uniformly from the store by their standard id: median and 95th percentile.
Last, the time to re-ingest one episode whose notes were edited (one link swapped for
another), which should not depend on the size of the store. The table ends with the growth
factor from each size to the next (target: ingest time grows like the number of episodes,
query and edit latency stay flat).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import run_linkgraph  # noqa: E402
from synth import generate  # noqa: E402

from linkgraph import query  # noqa: E402
from linkgraph.ingest import IngestOptions, ingest_source  # noqa: E402
from linkgraph.store import Store  # noqa: E402


def ingest(folder: Path, db: Path, workers: int) -> tuple[float, int]:
    """Ingest a folder into a new database in a new process; wall seconds and peak MiB."""
    command = ["--db", str(db), "ingest", str(folder), "--quiet", "--workers", str(workers)]
    run = run_linkgraph(command)
    if run.status != 0:
        raise SystemExit(f"ingest failed:\n{run.stderr}")
    return run.seconds, round(run.peak_mib)


def database_mib(db: Path) -> float:
    """The size of the database file after a checkpoint, in MiB."""
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db.stat().st_size / 2**20


def cites_latency(db: Path, queries: int, seed: int = 1) -> tuple[float, float, int]:
    """Median and 95th percentile of ``cites`` in ms over random works; and the works count."""
    with Store(db) as store:
        refs = [
            f"{r['scheme']}:{r['value']}"
            for r in store.query(
                "SELECT scheme, value FROM identifiers WHERE id IN "
                "(SELECT min(id) FROM identifiers GROUP BY work_id)"
            )
        ]
        chosen = random.Random(seed).sample(refs, min(queries, len(refs)))
        for ref in chosen[:20]:  # warm the page cache
            query.cites(store, ref)
        times = []
        for ref in chosen:
            started = time.perf_counter()
            query.cites(store, ref)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(refs)


def edit_latency(folder: Path, db: Path, edits: int = 5) -> float:
    """Median ms to re-ingest one markdown episode after one of its links was replaced."""
    posts = sorted(folder.glob("show-*/*.md"))[:edits]
    times = []
    with Store(db) as store:
        for number, post in enumerate(posts):
            text = post.read_text(encoding="utf-8")
            post.write_text(
                text.replace("](https://", f"](https://edited{number}.example.org/", 1),
                encoding="utf-8",
            )
            started = time.perf_counter()
            report = ingest_source(store, str(post), IngestOptions())
            times.append((time.perf_counter() - started) * 1000)
            assert report.updated == 1, report
    return statistics.median(times)


def measure(size: int, workdir: Path, queries: int, workers: int) -> dict:
    """Generate, ingest and query one size; returns its row of the table."""
    folder, db = workdir / f"corpus-{size}", workdir / f"scale-{size}.db"
    shutil.rmtree(folder, ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    counts = generate(folder, size)
    generated = time.perf_counter() - started
    seconds, peak = ingest(folder, db, workers)
    with Store(db) as store:
        mentions = store.scalar("SELECT count(*) FROM mentions")
    median, p95, works = cites_latency(db, queries)
    row = {
        "episodes": size,
        "files": counts["files"],
        "mentions": mentions,
        "works": works,
        "ingest_s": seconds,
        "episodes_per_s": size / seconds,
        "peak_mib": peak,
        "db_mib": database_mib(db),
        "cites_median_ms": median,
        "cites_p95_ms": p95,
        "edit_ms": edit_latency(folder, db),
    }
    print(
        f"  {size:,} episodes: generated in {generated:.0f} s, ingested in {seconds:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    return row


COLUMNS = [
    ("episodes", "{:,}"),
    ("mentions", "{:,}"),
    ("works", "{:,}"),
    ("ingest_s", "{:.1f}"),
    ("episodes_per_s", "{:.0f}"),
    ("peak_mib", "{:,}"),
    ("db_mib", "{:.1f}"),
    ("cites_median_ms", "{:.2f}"),
    ("cites_p95_ms", "{:.2f}"),
    ("edit_ms", "{:.0f}"),
]
HEADERS = [
    "episodes",
    "mentions",
    "works",
    "ingest s",
    "episodes/s",
    "peak MiB",
    "DB MiB",
    "cites median ms",
    "cites p95 ms",
    "re-ingest one edit ms",
]


def table(rows: list[dict]) -> str:
    """The rows, then the growth factor between each size and the next, as a markdown table."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        lines.append("| " + " | ".join(f.format(row[k]) for k, f in COLUMNS) + " |")
    for before, after in zip(rows, rows[1:], strict=False):
        growth = [f"×{after[k] / before[k]:.1f}" if before[k] else "-" for k, _ in COLUMNS]
        growth[0] = f"{before['episodes']:,} → {after['episodes']:,}"
        lines.append("| " + " | ".join(growth) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep what is made.")
    parser.add_argument("--workers", type=int, default=1, help="--workers of the ingest")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="linkgraph-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        rows = [measure(size, workdir, args.queries, args.workers) for size in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))


if __name__ == "__main__":
    main()
