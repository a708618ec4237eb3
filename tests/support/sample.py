"""The sample store: two podcasts built from Episode objects, some works resolved with SQL.

See ``tests/conftest.py`` for what it holds; its fixtures build it with ``build_sample_store``.
"""

from __future__ import annotations

from linkgraph.model import Episode, Mention, Person, Topic
from linkgraph.store import Store

XSS_TITLE = "<img src=x onerror=alert(1)>"

PAPER_TRAILS = {
    "podcast": "Paper Trails",
    "feed_url": "https://papertrails.example/feed.xml",
    "podcast_url": "https://papertrails.example/",
}
OTHER_SHOW = {"podcast": "Other Show", "feed_url": "https://other.example/feed.xml"}


def sample_episodes() -> list[Episode]:
    """The five episodes of the sample store, as a reader would produce them."""
    return [
        Episode(
            title="Reward hacking with Ada Park",
            source="notes/1.md",
            guid="pt-1",
            url="https://papertrails.example/ep/1",
            published="2023-01-10",
            **PAPER_TRAILS,
            topics=[
                Topic("Introduction", anchor="intro"),
                Topic("Measuring reward hacking", anchor="measuring"),
            ],
            mentions=[
                Mention(
                    "https://arxiv.org/abs/2401.01234",
                    "Goodhart in Practice",
                    "Her paper Goodhart in Practice measures reward hacking.",
                    1,
                ),
                Mention(
                    "https://example-blog.com/posts/reward-is-not-enough",
                    "Why Reward Is Enough Is Not Enough",
                    "A blog post on reward.",
                    1,
                ),
                Mention("https://www.patreon.com/papertrails", "Patreon", "Support the show."),
            ],
            people=[Person("Ada Park", "guest"), Person("Sam Host", "host")],
        ),
        Episode(
            title="Debate and oversight with Ben Ode",
            source="notes/2.md",
            guid="pt-2",
            url="https://papertrails.example/ep/2",
            published="2023-03-05",
            **PAPER_TRAILS,
            topics=[Topic("Debate", start_seconds=35), Topic("Oversight", start_seconds=1200.5)],
            mentions=[
                Mention(
                    "https://arxiv.org/abs/1805.00899",
                    "AI safety via debate",
                    "The debate paper.",
                    0,
                ),
                Mention("https://arxiv.org/pdf/1805.00899v2.pdf", "pdf", "Its pdf.", 0),
                Mention(
                    "arxiv.org/abs/2401.01234",
                    "the Goodhart paper",
                    "Reward hacking comes up again.",
                    1,
                ),
                Mention(
                    "https://doi.org/10.1000/xyz123",
                    "Scalable oversight: a survey",
                    "A survey of oversight.",
                    1,
                ),
                Mention("https://www.patreon.com/papertrails", "Patreon", "Support the show."),
            ],
            people=[Person("Ben Ode", "guest"), Person("Sam Host", "host")],
        ),
        Episode(
            title="Mailbag",
            source="notes/3.md",
            guid="pt-3",
            url="https://papertrails.example/ep/3",
            published="2023-06-01",
            **PAPER_TRAILS,
            mentions=[
                Mention("https://arxiv.org/abs/1805.00899", "debate", "Debate again."),
                Mention(
                    "https://www.youtube.com/watch?v=abc123def45",
                    "A talk on debate",
                    "A recorded talk.",
                ),
                Mention("https://evil.example/post", XSS_TITLE, "A listener sent this."),
            ],
            people=[Person("Sam Host", "host")],
        ),
        Episode(
            title="Optimization and its discontents",
            source="other/4.md",
            guid="os-4",
            url="https://other.example/episodes/optimization",
            published="2024-02-02",
            **OTHER_SHOW,
            topics=[Topic("Mesa-optimizers", anchor="mesa")],
            mentions=[
                Mention("https://arxiv.org/abs/2401.01234", "Goodhart", "Goodhart's law.", 0),
                Mention("https://arxiv.org/abs/1805.00899", "debate", "And debate.", 0),
                Mention("https://github.com/example/rewardlab", "rewardlab", "The code."),
            ],
            people=[Person("Ada Park", "guest")],
        ),
        Episode(
            title="Listener questions",
            source="other/5.md",
            guid="os-5",
            url="https://other.example/episodes/questions",
            published="2024-05-01",
            **OTHER_SHOW,
        ),
    ]


RESOLVED = {
    "arxiv:2401.01234": {
        "title": "Goodhart in Practice: Measuring Reward Hacking in Language Models",
        "abstract": "We measure how often language models exploit their reward models.",
        "published": "2024-01-03",
        "venue": "arXiv",
        "authors": ["Ada Park", "Cy Dee"],
        "subjects": [("cs.LG", "Machine Learning"), ("cs.AI", "Artificial Intelligence")],
    },
    "arxiv:1805.00899": {
        "title": "AI safety via debate",
        "abstract": "Agents debate each other and a human judges the winner.",
        "published": "2018-05-02",
        "venue": "arXiv",
        "authors": ["Ben Ode", "Geo Irwin"],
        "subjects": [("cs.AI", "Artificial Intelligence")],
    },
}


def resolve_sample(
    store: Store,
    ref: str,
    title: str,
    abstract: str,
    published: str,
    venue: str,
    authors: list[str],
    subjects: list[tuple[str, str]],
) -> int:
    """Write resolved metadata for the work with standard id ``ref``, as resolve would."""
    scheme, value = ref.split(":", 1)
    with store.transaction() as conn:
        work_id = store.scalar(
            "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?", (scheme, value)
        )
        conn.execute(
            "UPDATE works SET title = ?, abstract = ?, published = ?, venue = ?, "
            "status = 'resolved', attempts = 1, resolved_at = '2024-06-01T00:00:00+00:00'"
            " WHERE id = ?",
            (title, abstract, published, venue, work_id),
        )
        for position, name in enumerate(authors):
            conn.execute(
                "INSERT INTO authorships (work_id, person_id, position) VALUES (?, ?, ?)",
                (work_id, store.person_id(name), position),
            )
        for name, subject_label in subjects:
            conn.execute(
                "INSERT OR IGNORE INTO subjects (name, scheme, label) VALUES (?, 'arxiv', ?)",
                (name, subject_label),
            )
            subject_id = store.scalar(
                "SELECT id FROM subjects WHERE scheme = 'arxiv' AND name = ?", (name,)
            )
            conn.execute(
                "INSERT INTO work_subjects (work_id, subject_id) VALUES (?, ?)",
                (work_id, subject_id),
            )
    return work_id


def build_sample_store(path) -> Store:
    """A new store at ``path`` holding the sample episodes and resolved works."""
    store = Store(path)
    store.save_episodes(sample_episodes())
    for ref, metadata in RESOLVED.items():
        resolve_sample(store, ref, **metadata)
    return store
