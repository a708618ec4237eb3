"""Synthetic podcast corpora: feeds and markdown show notes citing Zipf-distributed works.

    python benchmarks/synth.py OUT_FOLDER --episodes 10000 [--seed 1]

Podcasts of about 100 episodes each; half of them are RSS feeds (one file per podcast, the
notes in content:encoded as HTML), half Jekyll-style markdown posts (one file per episode,
with front matter). An episode has a few timestamped topics and a log-normal number of
links (median 16, a long tail up to 200), each in a sentence of its own. Links point to
works drawn from a Zipf distribution over a pool five times the number of episodes, so a
few works are cited everywhere and most once; a work is a paper (arXiv, written as abs,
pdf or versioned URL, or a DOI), a blog post, a video, a repository, an encyclopedia page
or a home page. Output is the same for the same arguments.
"""

from __future__ import annotations

import argparse
import bisect
import html
import itertools
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

EPISODES_PER_PODCAST = 100
WORKS_PER_EPISODE = 5  # size of the pool of works, per episode
ZIPF_EXPONENT = 1.1
LINKS_MU, LINKS_SIGMA, LINKS_MAX = 2.8, 0.6, 200  # log-normal links per episode: median ~16
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]


class Words:
    """Pronounceable made-up words, for titles, names and prose."""

    def __init__(self, rng: random.Random, count: int = 4000):
        self.rng = rng
        self.words = sorted(
            {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(count)}
        )

    def phrase(self, low: int, high: int) -> str:
        """A capitalised phrase of ``low`` to ``high`` words."""
        return " ".join(self.rng.choices(self.words, k=self.rng.randint(low, high))).capitalize()


class Zipf:
    """Draws ranks 0 .. n-1 with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, n: int, exponent: float, rng: random.Random):
        weights = itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n))
        self.cdf = list(weights)
        self.rng = rng

    def draw(self) -> int:
        """One rank."""
        return bisect.bisect_left(self.cdf, self.rng.random() * self.cdf[-1])


def work_url(rank: int, rng: random.Random) -> tuple[str, str]:
    """A URL for the work of this rank (the form varies, the work does not), and its kind."""
    kind = rank % 20
    if kind < 9:  # papers: arXiv in several URL forms
        arxiv = f"{21 + rank // 90000 % 4}{rank // 10000 % 9 + 1:02d}.{rank % 100000:05d}"
        form = rng.randrange(4)
        return [
            f"https://arxiv.org/abs/{arxiv}",
            f"https://arxiv.org/pdf/{arxiv}",
            f"https://arxiv.org/abs/{arxiv}v2",
            f"http://arxiv.org/abs/{arxiv}",
        ][form], "paper"
    if kind < 11:
        return f"https://doi.org/10.5555/synth.{rank}", "paper"
    if kind < 15:
        return f"https://blog{rank % 500}.example.com/posts/{rank}-notes", "post"
    if kind < 17:
        return f"https://www.youtube.com/watch?v=s{rank:010d}", "video"
    if kind < 18:
        return f"https://github.com/lab{rank % 300}/project-{rank}", "code"
    if kind < 19:
        return f"https://en.wikipedia.org/wiki/Synthetic_topic_{rank}", "encyclopedia"
    return f"https://person{rank}.example.org/", "site"


class Corpus:
    """The generator: one instance writes one corpus."""

    def __init__(self, episodes: int, seed: int):
        self.rng = random.Random(seed)
        self.words = Words(self.rng)
        self.episodes = episodes
        self.works = Zipf(max(100, episodes * WORKS_PER_EPISODE), ZIPF_EXPONENT, self.rng)
        self.links = 0

    def links_of_episode(self) -> list[tuple[str, str, str]]:
        """(url, anchor text, sentence) for each link of one episode."""
        count = min(LINKS_MAX, int(self.rng.lognormvariate(LINKS_MU, LINKS_SIGMA)))
        self.links += count
        found = []
        for _ in range(count):
            url, kind = work_url(self.works.draw(), self.rng)
            anchor, rest = self.words.phrase(2, 7), self.words.phrase(3, 9).lower()
            found.append((url, anchor, f"We talk about this {kind} and {rest}."))
        return found

    def topics(self) -> list[tuple[int, str]]:
        """(start seconds, title) of an episode's chapters."""
        starts = sorted(self.rng.sample(range(60, 7200), self.rng.randint(0, 8)))
        return [(start, self.words.phrase(2, 6)) for start in starts]

    def write(self, folder: Path) -> dict:
        """Write the corpus under ``folder``; returns its counts."""
        folder.mkdir(parents=True, exist_ok=True)
        podcasts = max(1, round(self.episodes / EPISODES_PER_PODCAST))
        sizes = [
            self.episodes // podcasts + (p < self.episodes % podcasts) for p in range(podcasts)
        ]
        files = 0
        for number, size in enumerate(sizes):
            title = f"{self.words.phrase(1, 3)} Podcast {number}"
            if number % 2 == 0:
                self.write_feed(folder / f"feed-{number:05d}.xml", number, title, size)
                files += 1
            else:
                files += self.write_posts(folder / f"show-{number:05d}", title, size)
        return {
            "podcasts": podcasts,
            "episodes": self.episodes,
            "files": files,
            "links": self.links,
        }

    def write_feed(self, path: Path, number: int, title: str, size: int) -> None:
        """One podcast as an RSS 2.0 feed."""
        site = f"https://show{number}.example.org"
        items = [self.feed_item(site, index) for index in range(size)]
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            f"<title>{html.escape(title)}</title>\n<link>{site}/</link>\n"
            f"<description>{self.words.phrase(8, 20)}</description>\n"
            + "".join(items)
            + "</channel>\n</rss>\n",
            encoding="utf-8",
        )

    def feed_item(self, site: str, index: int) -> str:
        """One feed item with its notes as HTML."""
        topics = "".join(
            f"<li>{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d} - {t}</li>"
            for s, t in self.topics()
        )
        links = "".join(
            f'<li><a href="{html.escape(u)}">{html.escape(a)}</a>. {html.escape(c)}</li>'
            for u, a, c in self.links_of_episode()
        )
        day = date(2015, 1, 1) + timedelta(days=index * 7)
        notes = f"<p>{self.words.phrase(10, 30)}.</p><ul>{topics}</ul><p>Links:</p><ul>{links}</ul>"
        return (
            f"<item><title>{index} - {html.escape(self.words.phrase(3, 8))}</title>"
            f'<guid isPermaLink="false">{site}/ep/{index}</guid>'
            f"<link>{site}/episodes/{index}</link>"
            f"<pubDate>{day.strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate>"
            f"<description>{html.escape(self.words.phrase(8, 20))}</description>"
            f"<content:encoded><![CDATA[{notes}]]></content:encoded></item>\n"
        )

    def write_posts(self, folder: Path, title: str, size: int) -> int:
        """One podcast as markdown posts, one file per episode."""
        folder.mkdir(exist_ok=True)
        for index in range(size):
            day = date(2016, 1, 1) + timedelta(days=index * 7)
            name = f"{day.isoformat()}-episode-{index}.md"
            topics = "".join(
                f'\n## {t} <a name="t{s}"></a>\n\n{self.words.phrase(10, 25)}.\n'
                for s, t in self.topics()
            )
            links = "".join(f"- [{a}]({u}): {c}\n" for u, a, c in self.links_of_episode())
            (folder / name).write_text(
                f'---\ntitle: "{index} - {self.words.phrase(3, 8)}"\ndate: {day.isoformat()}\n'
                f"categories: episode\n---\n\n{self.words.phrase(15, 40)}.\n{topics}\n"
                f"## Links\n\n{links}",
                encoding="utf-8",
            )
        return size


def generate(folder: Path, episodes: int, seed: int = 1) -> dict:
    """Write a corpus of ``episodes`` episodes under ``folder``; returns its counts."""
    return Corpus(episodes, seed).write(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.folder, args.episodes, args.seed)
    print(
        f"{args.folder}: {counts['podcasts']} podcasts, {counts['episodes']} episodes, "
        f"{counts['files']} files, {counts['links']} links "
        f"({time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
