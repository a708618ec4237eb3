"""Ingest of a corpus against bare parsing of the same files with the same parser.

    python benchmarks/ingest.py [FOLDER]      (default: ../shared/corpus/axrp)
    python benchmarks/ingest.py ../shared/corpus/feeds

Bare parsing = reading each file and parsing it with the library its reader starts from:
markdown-it-py (configured exactly as the markdown reader uses it) for markdown, feedparser
for feeds. The pipeline = detect, read (for feeds also every notes field of every item, for
all: walk the HTML for links, topics and context), identify every link and write everything
to a fresh SQLite file; pages that are transcripts (the AXRP posts) are also kept as
transcripts, searchable, and the works they speak of found: that last step is timed on its
own too, and the ratio printed without it as well. The podcast's boilerplate is
classified too (timed on its own as well).
Both are timed in this one run, best of three, and peak memory is measured with
tracemalloc in a separate pass so it does not slow the timings.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import feedparser

from linkgraph.ingest import IngestOptions, expand_sources, ingest
from linkgraph.readers import detect_format
from linkgraph.readers.markdown import render
from linkgraph.spoken.detect import find_spoken
from linkgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "axrp"


def bare_parse(files: list[str]) -> None:
    """Only parse every file: feeds with feedparser, markdown with markdown-it as read."""
    for name in files:
        data = Path(name).read_bytes()
        if detect_format(data, name) == "rss":
            feedparser.parse(data)
        else:
            render(data.decode("utf-8"))


def pipeline(folder: Path, classify_again: bool = False) -> dict:
    """The whole ingest into a new database; returns its counts. With ``classify_again``
    the boilerplate of every mention is classified once more, and that is timed alone."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        reports = ingest(store, [str(folder)], IngestOptions(podcast="bench"))
        failed = [r for r in reports if r.error]
        if failed:
            raise SystemExit(f"{failed[0].source}: {failed[0].error}")
        counts = {
            "episodes": store.scalar("SELECT count(*) FROM episodes"),
            "mentions": store.scalar("SELECT count(*) FROM mentions WHERE via = 'link'"),
            "spoken": store.scalar("SELECT count(*) FROM mentions WHERE via = 'spoken'"),
            "transcripts": store.scalar("SELECT count(DISTINCT episode_id) FROM segments"),
            "boilerplate": store.scalar("SELECT count(*) FROM mentions WHERE boilerplate = 1"),
        }
        if classify_again:
            with store.transaction() as conn:
                conn.execute("UPDATE mentions SET boilerplate = NULL")
            start = time.perf_counter()
            store.classify_boilerplate()
            counts["classify_s"] = time.perf_counter() - start
            start = time.perf_counter()
            find_spoken(store)  # the same work ingest did after reading: found again
            counts["spoken_s"] = time.perf_counter() - start
        return counts


def best_of(runs: int, function, *args) -> float:
    """The shortest wall time of ``runs`` calls."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def peak_mib(function, *args) -> float:
    """Peak Python heap while running ``function``, in MiB."""
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = expand_sources([str(folder)])
    size = sum(Path(f).stat().st_size for f in files) / 2**20
    counts = pipeline(folder, classify_again=True)  # warm-up, and the counts to print
    parse_s = best_of(3, bare_parse, files)
    ingest_s = best_of(3, pipeline, folder)
    print(
        f"corpus: {len(files)} files, {size:.1f} MiB, {counts['episodes']} episodes, "
        f"{counts['mentions']} mentions"
    )
    parse_peak, ingest_peak = peak_mib(bare_parse, files), peak_mib(pipeline, folder)
    print(f"bare parse (markdown-it / feedparser): {parse_s:.3f} s, heap peak {parse_peak:.1f} MiB")
    print(
        f"full ingest into SQLite:               {ingest_s:.3f} s, heap peak {ingest_peak:.1f} MiB"
    )
    print(
        f"  of which boilerplate classification of {counts['mentions']} mentions "
        f"({counts['boilerplate']} boilerplate): {counts['classify_s']:.3f} s"
    )
    print(
        f"  of which spoken citations in {counts['transcripts']} transcripts "
        f"({counts['spoken']} found): {counts['spoken_s']:.3f} s"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (whole run): {rss:.0f} MiB")
    print(f"ratio ingest / bare parse: {ingest_s / parse_s:.2f}x")
    linking = ingest_s - counts["spoken_s"]
    print(f"ratio without finding spoken citations: {linking / parse_s:.2f}x (target: at most 3x)")


if __name__ == "__main__":
    main()
