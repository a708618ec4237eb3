"""A synthetic linkgraph store, written straight into SQLite with executemany.

    python benchmarks/synth_store.py /tmp/synth.db --episodes 10000 --mentions 1000000

Podcasts of 200 episodes; each episode has topics (half the podcasts with transcript
anchors, half with timestamps), a host and a guest, and cites works drawn from a Zipf
distribution (a few works everywhere, most once), each cited once or a few times. Works are
papers (arXiv ids, 70% resolved with authors and subjects), posts, videos, code and sites;
a fifth of the papers are also linked as a PDF (a second link to the same work). Full-text
indexes are rebuilt once at the end instead of row by row.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkgraph.store import Store  # noqa: E402

KINDS = [("paper", 0.6), ("post", 0.2), ("video", 0.08), ("code", 0.05), ("site", 0.07)]
SUBJECTS = (
    [f"cs.{s}" for s in ("AI", "LG", "CL", "CV", "RO", "CR", "GT", "MA", "NE", "HC")]
    + [f"stat.{s}" for s in ("ML", "ME", "TH")]
    + ["q-bio.NC", "econ.TH", "physics.soc-ph"]
)
EPISODES_PER_PODCAST = 200
TOPICS_PER_EPISODE = 8
ZIPF_EXPONENT = 1.1


class Words:
    """Pronounceable made-up words, for titles and names."""

    def __init__(self, rng: random.Random, count: int = 3000):
        syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
        self.rng = rng
        self.words = sorted(
            {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(count)}
        )

    def phrase(self, low: int, high: int) -> str:
        """A capitalised phrase of ``low`` to ``high`` words."""
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(low, high))).capitalize()


def generate(path: str, episodes: int, mentions: int, seed: int = 1) -> dict:
    """Write the synthetic store at ``path`` (replaced); returns the row counts."""
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    Store(path).close()  # the schema
    rng = random.Random(seed)
    words = Words(rng)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    conn.execute("BEGIN")
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    counts = _fill(conn, rng, words, episodes, mentions)
    for table in ("works", "episodes", "topics", "mentions"):
        conn.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return counts


def _fill(
    conn: sqlite3.Connection, rng: random.Random, words: Words, episodes: int, mentions: int
) -> dict:
    n_works = max(10, mentions // 5)
    podcasts = max(1, episodes // EPISODES_PER_PODCAST)
    people = max(10, n_works // 6)
    conn.executemany(
        "INSERT INTO people (id, name, normalized) VALUES (?, ?, ?)",
        (
            (i, name, name.lower())
            for i in range(1, people + 1)
            for name in [f"{words.phrase(1, 1)} {words.phrase(1, 1)} {i}"]
        ),
    )
    conn.executemany(
        "INSERT INTO podcasts (id, key, title, site_url) VALUES (?, ?, ?, ?)",
        (
            (p, f"pod{p}", f"Podcast {p}: {words.phrase(1, 3)}", f"https://pod{p}.example/")
            for p in range(1, podcasts + 1)
        ),
    )
    links = _works(conn, rng, words, n_works, people)
    _episodes(conn, rng, words, episodes, podcasts, people)
    _mentions(conn, rng, episodes, mentions, links)
    return {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in (
            "podcasts",
            "episodes",
            "topics",
            "works",
            "links",
            "mentions",
            "people",
            "authorships",
            "work_subjects",
        )
    }


def _works(
    conn: sqlite3.Connection, rng: random.Random, words: Words, n_works: int, people: int
) -> list[list[tuple[int, str, str]]]:
    """Works with identifiers, links, authors and subjects; returns each work's links."""
    conn.executemany(
        "INSERT INTO subjects (id, name, scheme, label) VALUES (?, ?, 'arxiv', ?)",
        ((i, s, s) for i, s in enumerate(SUBJECTS, 1)),
    )
    kinds = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS], k=n_works)
    works, identifiers, link_rows, authorships, subjects = [], [], [], [], []
    links: list[list[tuple[int, str, str]]] = [[]]
    link_id = itertools.count(1)
    for work_id, kind in enumerate(kinds, 1):
        title = words.phrase(3, 9)
        resolved = kind == "paper" and rng.random() < 0.7
        if kind == "paper":
            block, serial = divmod(work_id, 90_000)  # a valid, unique new-style arXiv id
            value = f"{15 + block // 12:02d}{1 + block % 12:02d}.{10_000 + serial:05d}"
            urls = [f"https://arxiv.org/abs/{value}"] + (
                [f"https://arxiv.org/pdf/{value}"] if rng.random() < 0.2 else []
            )
            identifiers.append((work_id, "arxiv", value))
        else:
            urls = [f"https://site{work_id % 997}.example/{kind}/{work_id}"]
            identifiers.append((work_id, "url", urls[0]))
        works.append(
            (
                work_id,
                kind,
                title,
                f"Abstract of {title.lower()}." if resolved else None,
                f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-01" if resolved else None,
                urls[0],
                "resolved" if resolved else "pending",
            )
        )
        links.append([])
        for url in urls:
            link_rows.append((next(link_id), url, url.split("/")[2], kind, work_id))
            links[-1].append((link_rows[-1][0], url, title))
        if resolved:
            for position, person in enumerate(rng.sample(range(1, people + 1), rng.randint(1, 4))):
                authorships.append((work_id, person, position))
            for subject in rng.sample(range(1, len(SUBJECTS) + 1), rng.randint(1, 2)):
                subjects.append((work_id, subject))
    conn.executemany(
        "INSERT INTO works (id, kind, title, abstract, published, url, status, "
        "attempts, sources) VALUES (?, ?, ?, ?, ?, ?, ?, 0, '{}')",
        works,
    )
    conn.executemany(
        "INSERT INTO identifiers (work_id, scheme, value) VALUES (?, ?, ?)", identifiers
    )
    conn.executemany(
        "INSERT INTO links (id, url_canonical, domain, kind, work_id) VALUES (?, ?, ?, ?, ?)",
        link_rows,
    )
    conn.executemany(
        "INSERT INTO authorships (work_id, person_id, position) VALUES (?, ?, ?)", authorships
    )
    conn.executemany("INSERT INTO work_subjects (work_id, subject_id) VALUES (?, ?)", subjects)
    return links


def _episodes(
    conn: sqlite3.Connection,
    rng: random.Random,
    words: Words,
    episodes: int,
    podcasts: int,
    people: int,
) -> None:
    rows, topics, appearances = [], [], []
    topic_id = itertools.count(1)
    for episode_id in range(1, episodes + 1):
        podcast = (episode_id - 1) % podcasts + 1
        url = f"https://pod{podcast}.example/episodes/{episode_id}"
        published = (
            f"{2010 + episode_id * 15 // max(1, episodes)}-"
            f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        rows.append(
            (
                episode_id,
                podcast,
                url,
                f"guid-{episode_id}",
                f"{episode_id} - {words.phrase(2, 6)}",
                url,
                published,
                words.phrase(10, 30),
                url,
                "x",
            )
        )
        for position in range(TOPICS_PER_EPISODE):
            anchored = podcast % 2 == 0
            topics.append(
                (
                    next(topic_id),
                    episode_id,
                    words.phrase(2, 5),
                    f"topic-{position}" if anchored else None,
                    None if anchored else float(position * 420 + rng.randint(0, 60)),
                    position,
                )
            )
        appearances += [
            (episode_id, podcast, "host"),
            (episode_id, rng.randint(podcasts + 1, people), "guest"),
        ]
    conn.executemany(
        "INSERT INTO episodes (id, podcast_id, key, guid, title, url, published, "
        "description, source, source_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO topics (id, episode_id, title, anchor, start_seconds, position,"
        " level) VALUES (?, ?, ?, ?, ?, ?, 1)",
        topics,
    )
    conn.executemany(
        "INSERT OR IGNORE INTO appearances (episode_id, person_id, role) VALUES (?, ?, ?)",
        appearances,
    )


def _mentions(
    conn: sqlite3.Connection,
    rng: random.Random,
    episodes: int,
    mentions: int,
    links: list[list[tuple[int, str, str]]],
) -> None:
    """Each episode cites Zipf-drawn works, most once, some a few times."""
    n_works = len(links) - 1
    weights = list(itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, n_works + 1)))
    order = list(range(1, n_works + 1))
    rng.shuffle(order)  # popularity is not work id order
    per_episode = mentions // episodes
    mention_id = itertools.count(1)
    for episode_id in range(1, episodes + 1):
        count = per_episode + (1 if episode_id <= mentions % episodes else 0)
        cited = list(dict.fromkeys(order[r] for r in _zipf_ranks(rng, weights, count * 3 // 4)))
        picks = cited + rng.choices(cited, k=count - len(cited)) if cited else []
        first_topic = (episode_id - 1) * TOPICS_PER_EPISODE + 1
        conn.executemany(
            "INSERT INTO mentions (id, episode_id, topic_id, link_id, url, anchor_text, context,"
            " position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    next(mention_id),
                    episode_id,
                    first_topic + rng.randrange(TOPICS_PER_EPISODE) if rng.random() < 0.8 else None,
                    link[0],
                    link[1],
                    link[2],
                    f"We talk about {link[2].lower()}.",
                    position,
                )
                for position, work in enumerate(picks)
                for link in [rng.choice(links[work])]
            ],
        )


def _zipf_ranks(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    return rng.choices(range(len(cumulative)), cum_weights=cumulative, k=k)


def main() -> None:
    """Generate a store from the command line and print its counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--episodes", type=int, default=10_000)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = generate(args.path, args.episodes, args.mentions, args.seed)
    print(f"{args.path}: {counts} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
