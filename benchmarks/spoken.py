"""Spoken citations on a real podcast's transcripts: recall, precision and speed.

    python benchmarks/spoken.py [FOLDER] [--extra 100000] [--sample 50]
                                                    (default: ../shared/corpus/axrp)

The posts are transcripts whose speakers' references are linked. The store is built from
all of them with their links. Then, for each post, the link markup is stripped so the
transcript reads as spoken text, and spoken references are found in it using only what the
other posts taught the store: works that post alone links are unknown, and its link texts
are no aliases (nor do its words count towards how often a name is said). Truth is where
the links were.

- recall: of the works a post links (citable kinds, not whole sites) that other posts also
  link, the share
  found in a paragraph where the post linked them (the share of such paragraphs in which
  the work is found is printed beside it);
- precision: detections of a work the post linked in that paragraph count as right; of the
  rest, a seeded sample of ``--sample`` is judged by hand in ``spoken_judged.json`` (each
  verdict says why), and its share of right ones stands for all of the rest;
- speed: MB of transcript text per second of CPU (one core) when the store also knows
  ``--extra`` generated works (titles in the corpus's own words, so they are met often).

Targets: precision >= 0.9, recall >= 0.6, speed >= 1 MB/s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkgraph.ingest import IngestOptions, ingest  # noqa: E402
from linkgraph.model import Segment  # noqa: E402
from linkgraph.spoken.catalog import entity_names, known_works  # noqa: E402
from linkgraph.spoken.known import KnownWork  # noqa: E402
from linkgraph.spoken.matcher import SpokenMatcher  # noqa: E402
from linkgraph.spoken.words import TOKEN, tokenize  # noqa: E402
from linkgraph.store import Store  # noqa: E402
from linkgraph.transcripts.page import read_markdown  # noqa: E402
from linkgraph.transcripts.speakers import parse_lead  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "axrp"
JUDGED = Path(__file__).resolve().parent / "spoken_judged.json"
TARGETS = {"precision": 0.9, "recall": 0.6, "MB/s": 1.0}


def build_store(folder: Path, path: Path) -> Store:
    """A store of every post with its links."""
    store = Store(path)
    reports = ingest(store, [str(folder)], IngestOptions(podcast="bench"))
    failed = [report for report in reports if report.error]
    if failed:
        raise SystemExit(f"{failed[0].source}: {failed[0].error}")
    return store


def truth(store: Store, episode_id: int, segments: list[Segment]) -> set[tuple[int, int]]:
    """(segment, work) for every link of the episode, found by the sentence it stood in."""
    found = set()
    texts = [" ".join(segment.text.split()) for segment in segments]
    cursor = 0
    for context, work_id in store.conn.execute(
        "SELECT m.context, l.work_id FROM mentions m JOIN links l ON l.id = m.link_id "
        "WHERE m.episode_id = ? AND l.work_id IS NOT NULL AND m.via = 'link' ORDER BY m.position",
        (episode_id,),
    ):
        piece = max((" ".join((context or "").split())).split("…"), key=len).strip()
        piece = parse_lead(piece).rest or piece  # the sentence without "Name:" before it
        for index in [*range(cursor, len(texts)), *range(cursor)]:
            if piece and piece in texts[index]:
                found.add((index, work_id))
                cursor = index
                break
    return found


def transcript(path: str) -> list[Segment]:
    """The post as spoken text: its markdown read as a transcript page, links dropped."""
    return read_markdown(Path(path).read_text(encoding="utf-8"))


def evaluate(store: Store) -> tuple[dict, list[dict]]:
    """Leave-one-out detection over every post; the counts and every detection."""
    episodes = store.query("SELECT id, source, title FROM episodes ORDER BY source")
    citable = {work.work_id for work in known_works(store) if not work.site}
    transcripts = {episode["id"]: transcript(episode["source"]) for episode in episodes}
    speakers = {
        eid: {s.speaker for s in segments if s.speaker} for eid, segments in transcripts.items()
    }

    def people(excluded: int | None) -> list[str]:
        said = {name for eid, names in speakers.items() if eid != excluded for name in names}
        return [*entity_names(store, exclude_episode=excluded), *said]

    everything = SpokenMatcher(known_works(store), people(None))
    spoken = {eid: everything.names_said(segments) for eid, segments in transcripts.items()}
    total = Counter(name for said in spoken.values() for name in said)
    counts = Counter()
    detections, missed = [], []
    for episode in episodes:
        eid = episode["id"]
        segments = transcripts[eid]
        matcher = SpokenMatcher(known_works(store, exclude_episode=eid), people(eid))
        matcher.set_spoken((total - Counter(spoken[eid])).__getitem__)
        linked = truth(store, eid, segments)
        knowable = {(s, w) for s, w in linked if w in matcher.works}
        counts["citable works linked"] += len({w for _, w in linked if w in citable})
        counts["knowable works"] += len({w for _, w in knowable})
        counts["knowable"] += len(knowable)
        counts["said by a known name"] += len(_said_by_name(matcher, segments, knowable))
        references = matcher.find(segments, heard=episode["title"])
        found = {(r.segment, r.work_id) for r in references}
        counts["found works"] += len({w for _, w in found & knowable})
        for segment, work_id in sorted(knowable - found):
            work = matcher.works[work_id]
            missed.append(
                {
                    "key": f"{Path(episode['source']).name}#{segment}#{work_id}",
                    "names": sorted({*work.titles, *work.aliases}),
                    "paragraph": segments[segment].text,
                }
            )
        for reference in references:
            if reference.work_id is None:
                continue
            key = (reference.segment, reference.work_id)
            right = key in linked
            counts["detections"] += 1
            counts["confirmed"] += right
            counts["found"] += key in knowable
            if not right:
                detections.append(_row(episode, reference, matcher, segments))
    return counts, detections, missed


def _said_by_name(
    matcher: SpokenMatcher, segments: list[Segment], knowable: set[tuple[int, int]]
) -> set[int]:
    """The works whose linked paragraph says, word for word, a name the store knows for them:
    what an exact matcher could find at best."""
    names: dict[int, list[str]] = {}
    for words, name in matcher.names.items():
        for work_id in name.works:
            names.setdefault(work_id, []).append(" " + " ".join(words) + " ")
    return {
        work_id
        for segment, work_id in knowable
        if any(name in tokenize(segments[segment].text).joined for name in names.get(work_id, ()))
    }


def _row(episode: dict, reference, matcher: SpokenMatcher, segments: list[Segment]) -> dict:
    work = matcher.works[reference.work_id]
    return {
        "key": f"{Path(episode['source']).name}#{reference.segment}#{reference.matched.lower()}",
        "work": (work.titles or work.aliases or ("?",))[0],
        "matched": reference.matched,
        "rule": reference.rule,
        "confidence": reference.confidence,
        "sentence": reference.sentence,
        "paragraph_start": segments[reference.segment].text[:80],
    }


def precision(counts: Counter, rest: list[dict], sample_size: int) -> tuple[float, list[dict]]:
    """Confirmed detections plus the judged share of a seeded sample of the rest."""
    judged = json.loads(JUDGED.read_text(encoding="utf-8")) if JUDGED.exists() else {}
    sample = random.Random(11).sample(rest, min(sample_size, len(rest)))
    verdicts = [judged[row["key"]]["right"] for row in sample if row["key"] in judged]
    unjudged = [row for row in sample if row["key"] not in judged]
    share = sum(verdicts) / len(verdicts) if verdicts else 0.0
    right = counts["confirmed"] + share * len(rest)
    return (right / counts["detections"] if counts["detections"] else 0.0), unjudged


def generated_works(count: int, vocabulary: list[str], start_id: int) -> list[KnownWork]:
    """Works with titles of 3-12 words drawn from the corpus's own words (by frequency),
    an alias for a third of them, two or three authors and a year."""
    rng = random.Random(7)
    surnames = ["".join(rng.choices("bcdfghklmnprstvz", k=2)).title() + "son" for _ in range(500)]
    works = []
    for number in range(count):
        words = rng.choices(vocabulary, k=rng.randint(3, 12))
        title = " ".join(words).capitalize()
        alias = (" ".join(rng.choices(vocabulary, k=2)).title(),) if number % 3 == 0 else ()
        works.append(
            KnownWork(
                start_id + number,
                "paper",
                titles=(title,),
                aliases=alias,
                ids=(f"arxiv:{2000 + number // 100000:04d}.{number % 100000:05d}",),
                authors=tuple(f"Ann {rng.choice(surnames)}" for _ in range(rng.randint(2, 3))),
                year=rng.randint(1990, 2024),
            )
        )
    return works


def speed(store: Store, extra: int) -> dict:
    """CPU seconds to find references in every post with ``extra`` more works known."""
    paths = [row[0] for row in store.conn.execute("SELECT source FROM episodes")]
    transcripts = [transcript(path) for path in paths]
    words = Counter(w for t in transcripts for s in t for w in TOKEN.findall(s.text.lower()))
    vocabulary = [word for word, _ in words.most_common(20000)]
    real = known_works(store)
    started = time.process_time()
    matcher = SpokenMatcher(
        [*real, *generated_works(extra, vocabulary, 10**7)], entity_names(store)
    )
    build = time.process_time() - started
    size = sum(len(s.text.encode("utf-8")) + 1 for t in transcripts for s in t) / 1e6
    started = time.process_time()
    found = sum(len(matcher.find(t)) for t in transcripts)
    seconds = time.process_time() - started
    return {
        "works": len(matcher.works),
        "names": len(matcher.names),
        "build_s": build,
        "MB": size,
        "find_s": seconds,
        "MB/s": size / seconds,
        "found": found,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--extra", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument(
        "--rest", help="write every unconfirmed detection and every miss to this JSON file"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(Path(args.folder), Path(tmp) / "spoken.db")
        counts, rest, missed = evaluate(store)
        measured_precision, unjudged = precision(counts, rest, args.sample)
        fast = speed(store, args.extra)
        store.close()
    if args.rest:
        report = {"unconfirmed": rest, "missed": missed}
        Path(args.rest).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    recall = counts["found works"] / max(1, counts["knowable works"])
    print(
        f"citable works linked (per post): {counts['citable works linked']}, known from other "
        f"posts: {counts['knowable works']}, found where linked: {counts['found works']}; "
        f"paragraphs linking them: {counts['knowable']}, found: {counts['found']} "
        f"({counts['found'] / max(1, counts['knowable']):.3f})"
    )
    print(
        f"works whose linked paragraph says one of their known names word for word: "
        f"{counts['said by a known name']} (the most an exact matcher could find)"
    )
    print(
        f"detections: {counts['detections']}, at a link of the same work: "
        f"{counts['confirmed']}, others: {len(rest)} (sample of {args.sample} judged by hand)"
    )
    if unjudged:
        print(f"  {len(unjudged)} sampled detections have no verdict yet:")
        for row in unjudged:
            print("  ", json.dumps(row, ensure_ascii=False))
    print(
        f"speed: {fast['MB']:.2f} MB of transcript, {fast['works']:,} works known "
        f"({fast['names']:,} names), index built in {fast['build_s']:.1f} s CPU, "
        f"found {fast['found']} references in {fast['find_s']:.2f} s CPU, "
        f"peak RSS {fast['peak_rss_mib']:.0f} MiB"
    )
    for name, value in (
        ("precision", measured_precision),
        ("recall", recall),
        ("MB/s", fast["MB/s"]),
    ):
        bound = TARGETS[name]
        print(f"{name:>9}: {value:6.3f}   target >= {bound}   ratio {value / bound:5.2f}")


if __name__ == "__main__":
    main()
