"""Ingest on the 15 real feeds of ../shared/corpus/feeds (skipped where they are absent).

Each feed's episodes are checked against an independent reader (tests/support/notes_oracle.py):
lxml and html.parser, not feedparser and lexbor.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import support.notes_oracle as oracle

from linkgraph.ingest import IngestOptions, ingest
from linkgraph.store import Store
from linkgraph.titles import anchor_title, url_label

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "feeds"
NAMES = sorted(path.name for path in FEEDS.glob("*.xml")) if FEEDS.is_dir() else []
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NAMES, reason=f"no feeds at {FEEDS}"),
]
# "Title — url" on a line of its own (a list marker and a timestamp may come first)
TITLE_LINE = re.compile(
    r"^\s*(?:[-*•]\s+)?(?:[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}[\])]?\s+)?"
    r"(?P<title>(?:(?!\.[\"')\]]*\s+[\"'(\[]?[A-Z])[^:/\n]){2,150}?)"
    r"\s+[—–-]\s+(?P<url>https?://\S+?)[.,;]?\s*$"
)

# How many "Title — url" lines the richest notes of each feed hold, so the check runs on them.
TITLE_LINES = {
    "coding-blocks.xml": 5,
    "engineering-kiosk.xml": 1,
    "reply-all.xml": 10,
    "sentimental-garbage.xml": 1,
    "street-fight-radio.xml": 42,
    "the-deprogram.xml": 36,
    "ybyr.xml": 20,
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """Each feed ingested into a store of its own, and the reports of ingesting it twice."""
    made = {}
    for name in NAMES:
        store = Store(tmp_path_factory.mktemp("feeds") / f"{name}.db")
        first = ingest(store, [str(FEEDS / name)], IngestOptions())
        again = ingest(store, [str(FEEDS / name)], IngestOptions())
        made[name] = (store, first[0], again[0])
    yield made
    for store, _, _ in made.values():
        store.close()


def _episodes(store: Store) -> list[dict]:
    return store.query("SELECT id, key, title FROM episodes ORDER BY id")


def _mentions(store: Store, episode_id: int) -> list[dict]:
    return store.query(
        "SELECT m.url, m.anchor_text, w.title AS work_title, w.url AS work_url FROM mentions m "
        "JOIN links l ON l.id = m.link_id JOIN works w ON w.id = l.work_id "
        "WHERE m.episode_id = ? ORDER BY m.position",
        (episode_id,),
    )


@pytest.mark.parametrize("name", NAMES)
def test_no_episode_is_lost_and_reingest_changes_nothing(stores, name):
    store, first, again = stores[name]
    items = list(oracle.items(str(FEEDS / name)))
    episodes = _episodes(store)
    assert first.error is None and first.episodes == len(items) == first.added
    assert len(episodes) == len(items)
    assert len({e["key"] for e in episodes}) == len(items)
    assert [e["title"] for e in episodes] == [item.title for item in items]
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(items))


@pytest.mark.parametrize("name", NAMES)
def test_mentions_are_the_links_of_the_richest_notes_field(stores, name):
    """Every link of the richest field, in order (HTML) or as a set (text, whose repeats
    are recorded once), then the links only lesser fields have, each once."""
    store, _, _ = stores[name]
    items = list(oracle.items(str(FEEDS / name)))
    for episode, item in zip(_episodes(store), items, strict=True):
        stored = [m["url"] for m in _mentions(store, episode["id"])]
        assert any(_matches(stored, item, field) for field in item.richest() or [None]), (
            f"{name}: {item.title}: {stored} vs {[f.links for f in item.fields]}"
        )


def _matches(stored: list[str], item: oracle.Item, richest: oracle.Field | None) -> bool:
    links = richest.links if richest else []
    if richest is None or richest.html:
        first, rest = stored[: len(links)], stored[len(links) :]
        if Counter(first) != Counter(links):
            return False
    else:
        first = [url for url in stored if url in set(links)]
        rest = [url for url in stored if url not in set(links)]
        if set(first) != set(links):
            return False
    known = {oracle.loose(url) for url in first}
    expected = set()
    for other in item.fields:
        for url in other.links if other is not richest else []:
            key = oracle.loose(url)
            cut = oracle.is_truncated(url) or (
                other.truncated and any(k.startswith(key) for k in known)
            )
            if key not in known and not cut:
                expected.add(key)
    return sorted(oracle.loose(url) for url in rest) == sorted(expected)


class _Lines(HTMLParser):
    """The text of HTML as lines: blocks and <br> end a line."""

    BLOCKS = {"p", "div", "li", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data.replace("\n", " "))


def _title_lines(field: oracle.Field) -> list[tuple[str, str]]:
    """(title, url) of each "Title — url" line of a notes field."""
    if field.html:
        parser = _Lines()
        parser.feed(field.value)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = field.value
    found = (TITLE_LINE.match(line) for line in text.split("\n"))
    return [(" ".join(m.group("title").split()), m.group("url")) for m in found if m]


@pytest.mark.parametrize("name", NAMES)
def test_links_on_title_lines_carry_their_titles(stores, name):
    store, _, _ = stores[name]
    checked = 0
    for episode, item in zip(_episodes(store), oracle.items(str(FEEDS / name)), strict=True):
        richest = item.richest()
        if not richest:
            continue
        mentions = _mentions(store, episode["id"])
        linked = {oracle.loose(url) for url in richest[0].links}
        for title, url in _title_lines(richest[0]):
            if oracle.loose(url) not in linked:  # the text shows one URL, the href another
                continue
            named = [m for m in mentions if oracle.loose(m["url"]) == oracle.loose(url)]
            assert named, f"{name}: {item.title}: no mention of {url}"
            assert title in {m["anchor_text"] for m in named}, (name, item.title, url)
            if anchor_title(title, url):  # a title that names something labels its work
                assert all(m["work_title"] != url_label(m["work_url"]) for m in named)
            checked += 1
    assert checked == TITLE_LINES.get(name, 0)
