"""Property: poison in any field of any reader's or resolver's input never stops a run.

Hypothesis writes feeds, markdown, HTML, text notes, chapters documents and the answers of
every metadata source (Crossref, arXiv, GitHub, oEmbed, OpenReview, web pages) with lone
surrogates, control and escape sequences, rich markup, NaN and infinities, and impossible
dates in their fields. Each source is stored or refused with a message; each answer is
stored or refused by its source; and then the store holds only valid Unicode, finite
numbers and real dates, and every question and every export reads it.

``LINKGRAPH_HOSTILE_EXAMPLES`` sets the examples per property, as in test_hostile.py.
"""

from __future__ import annotations

import json
import math
from datetime import date
from xml.etree import ElementTree

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.resolve import config_for
from test_hostile import PROPERTY

from linkgraph import query
from linkgraph.export import FORMATS, render
from linkgraph.graph import build_graph
from linkgraph.identify import identify
from linkgraph.ingest import IngestOptions, ingest_source
from linkgraph.model import Episode, Mention
from linkgraph.readers import SourceError
from linkgraph.readers.chapters import read_chapters
from linkgraph.resolve import arxiv as arxiv_resolver
from linkgraph.resolve import crossref, github, oembed, openreview, webpage
from linkgraph.resolve.apply import apply_metadata
from linkgraph.resolve.base import Metadata, ResolveError, Target
from linkgraph.resolve.merge import TitleIndex
from linkgraph.store import Store

# feedparser warns about its own date fields when a feed's item has no date it can read
pytestmark = pytest.mark.slow

POISON = st.sampled_from(
    [
        "\udc80",
        "\ud800",
        "\udfff\ud800",
        "\x1b]0;title\x07",
        "\x1b[2J",
        "\x9b31m",
        "\u202e",
        "\x00",
        "\x7f",
        "\t\n\r",
        "Infinity",
        "-Infinity",
        "NaN",
        "1e999",
        "2023-13-45",
        "2023-00-00",
        "0000-01-01",
        "9999-99-99",
        "2023/02/30",
        "2023-02-29T25:61:61Z",
        "[/]",
        "[link=https://evil.example/]x[/link]",
        "&#xDC80;",
        "&#55296;",
        "&#0;",
        "&#1114112;",
        "\\udc80",
    ]
)
TEXT = st.lists(st.one_of(POISON, st.text(max_size=6)), min_size=1, max_size=5).map("".join)
NUMBER = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1, 0, 10**30, True, None]),
    st.floats(),
    st.integers(min_value=-(10**40), max_value=10**40),
    TEXT,
)
DATE_PARTS = st.lists(st.one_of(st.integers(-5, 10**6), TEXT), max_size=4)
JSON_VALUE = st.one_of(TEXT, NUMBER, st.lists(TEXT, max_size=3))


def _xml(text: str) -> str:
    """Text for an XML element: markup characters escaped, references left as written."""
    return text.replace("<", "&lt;").replace("]]>", "")


def _feed(title: str, item: str, notes: str, when: str, link: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{_xml(title)}</title><item><title>{_xml(item)}</title><guid>g</guid>"
        f"<link>https://pod.example/{_xml(link)}</link><pubDate>{_xml(when)}</pubDate>"
        f"<description><![CDATA[<p>{notes.replace(']]>', '')}</p>"
        f'<a href="https://arxiv.org/abs/2301.00001">{notes}</a>]]></description>'
        "</item></channel></rss>"
    ).encode("utf-8", "surrogatepass")


def _markdown(title: str, when: str, anchor: str, topic: str) -> bytes:
    front = json.dumps({"title": title, "date": when})  # JSON is YAML: \\u escapes survive
    return (
        f"---\n{front}\n---\n## {topic}\n\n[{anchor}](https://arxiv.org/abs/2301.00001) "
        f"and https://example.org/{anchor}\n"
    ).encode("utf-8", "surrogatepass")


def _html(title: str, when: str, anchor: str) -> bytes:
    return (
        f"<html><head><title>{title}</title>"
        f'<meta property="article:published_time" content="{when}"></head>'
        f'<body><h2>{anchor}</h2><a href="https://example.org/a">{anchor}</a></body></html>'
    ).encode("utf-8", "surrogatepass")


DOCUMENTS = st.one_of(
    st.builds(_feed, TEXT, TEXT, TEXT, TEXT, TEXT).map(lambda d: ("feed.xml", d)),
    st.builds(_markdown, TEXT, TEXT, TEXT, TEXT).map(lambda d: ("notes.md", d)),
    st.builds(_html, TEXT, TEXT, TEXT).map(lambda d: ("page.html", d)),
    TEXT.map(
        lambda t: (
            "notes.txt",
            f"{t} https://arxiv.org/abs/2301.00001 {t}".encode("utf-8", "surrogatepass"),
        )
    ),
)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def check_store(store: Store) -> None:
    """Valid Unicode, finite numbers and real dates only; every question and export works."""
    dump = "\n".join(store.conn.iterdump())
    dump.encode("utf-8")  # raises on a lone surrogate
    assert (
        store.scalar(
            "SELECT count(*) FROM topics WHERE start_seconds IS NOT NULL "
            "AND NOT (start_seconds BETWEEN 0 AND 604800)"
        )
        == 0
    )
    for (published,) in store.conn.execute(
        "SELECT published FROM episodes UNION ALL SELECT published FROM works"
    ):
        if published:
            parts = [int(p) for p in published[:10].split("-")]
            date(*parts, *(1,) * (3 - len(parts)))  # raises for an impossible date
    graph = build_graph(store)
    for name in FORMATS:
        text = render(name, graph, store)
        text.encode("utf-8")
        if name in ("json", "csl-json"):
            json.loads(text, parse_constant=_no_constant)  # strict JSON: no NaN, no Infinity
        elif name in ("graphml", "gexf"):
            ElementTree.fromstring(text.encode("utf-8"))  # well-formed XML: no control chars
    for row in store.query("SELECT id FROM episodes"):
        query.cited_by(store, f"episode:{row['id']}")
        query.topics(store, f"episode:{row['id']}")
    query.works(store)
    query.episodes(store)
    query.top(store)
    query.people(store)


@PROPERTY
@given(document=DOCUMENTS)
def test_every_reader_stores_poisoned_fields_or_refuses_them(document):
    name, data = document
    with Store(":memory:") as store:
        report = ingest_source(store, name, IngestOptions(), data=data)
        assert report.error or report.episodes == 1, report
        check_store(store)


@PROPERTY
@given(
    chapters=st.lists(
        st.fixed_dictionaries({"startTime": NUMBER, "title": TEXT, "url": TEXT}), max_size=5
    )
)
def test_chapters_with_poisoned_fields_are_kept_or_left_out(chapters):
    data = json.dumps({"version": "1.2.0", "chapters": chapters}).encode()
    try:
        topics, mentions = read_chapters(data)
    except SourceError:
        return
    assert all(0 <= t.start_seconds <= 604800 for t in topics)
    episode = Episode(title="E", source="e", topics=topics, mentions=mentions)
    with Store(":memory:") as store:
        store.save_episodes([episode])
        check_store(store)


URLS = {
    "crossref": "https://doi.org/10.5555/x",
    "arxiv": "https://arxiv.org/abs/2301.00001",
    "github": "https://github.com/a/b",
    "oembed": "https://www.youtube.com/watch?v=abcdefghijk",
    "openreview": "https://openreview.net/forum?id=abc",
    "webpage": "https://example.org/page",
}


def _arxiv(fields: dict) -> Metadata:
    """An entry as feedparser gives it for arXiv's Atom, with poisoned text fields."""
    entry = feedparser.FeedParserDict(
        id="http://arxiv.org/abs/2301.00001v1",
        published="2023-01-02T00:00:00Z",
        updated="2023-01-02T00:00:00Z",
        title=fields["title"],
        summary=fields["summary"],
        authors=[feedparser.FeedParserDict(name=fields["author"])],
        arxiv_comment=fields["comment"],
        arxiv_journal_ref=fields["journal"],
        arxiv_doi=fields["doi"],
        arxiv_primary_category={"term": "cs.LG"},
        tags=[feedparser.FeedParserDict(term="cs.LG")],
    )
    return arxiv_resolver.metadata(entry)


def _page(fields: dict) -> Metadata:
    title, author, when = fields["title"], fields["author"], fields["when"]
    ld = {"@type": "ScholarlyArticle", "name": title, "datePublished": when, "author": author}
    ld["identifier"] = fields["extra"]
    body = (
        f"<html><head><title>{title}</title>"
        f'<meta name="citation_title" content="{title}">'
        f'<meta name="citation_publication_date" content="{when}">'
        f'<meta name="citation_author" content="{author}">'
        f'<script type="application/ld+json">{json.dumps(ld, default=str)}</script>'
        "</head></html>"
    ).encode("utf-8", "surrogatepass")
    return webpage.page_metadata(body, "text/html; charset=utf-8", URLS["webpage"])


PARSERS = {
    "crossref": crossref.metadata,
    "arxiv": _arxiv,
    "github": github.metadata,
    "oembed": oembed.metadata,
    "openreview": lambda note: openreview.metadata(note, "abc"),
    "webpage": _page,
}
ANSWERS = st.fixed_dictionaries(
    {
        "crossref": st.fixed_dictionaries(
            {
                "DOI": st.just("10.5555/x"),
                "type": st.just("journal-article"),
                "title": st.lists(TEXT, max_size=2),
                "author": st.lists(
                    st.fixed_dictionaries({"given": TEXT, "family": TEXT, "name": TEXT}),
                    max_size=2,
                ),
                "published": st.fixed_dictionaries(
                    {"date-parts": st.lists(DATE_PARTS, max_size=1)}
                ),
                "abstract": TEXT,
                "container-title": st.lists(TEXT, max_size=1),
                "subject": st.lists(TEXT, max_size=2),
                "URL": TEXT,
            }
        ),
        "arxiv": st.fixed_dictionaries(
            {k: TEXT for k in ("title", "summary", "author", "comment", "journal", "doi")}
        ),
        "github": st.fixed_dictionaries(
            {
                "full_name": TEXT,
                "description": TEXT,
                "created_at": TEXT,
                "stargazers_count": NUMBER,
                "forks_count": NUMBER,
                "topics": st.lists(TEXT, max_size=2),
                "owner": st.fixed_dictionaries({"login": TEXT}),
                "homepage": TEXT,
            }
        ),
        "oembed": st.fixed_dictionaries(
            {"title": TEXT, "author_name": TEXT, "duration": NUMBER, "upload_date": TEXT}
        ),
        "openreview": st.fixed_dictionaries(
            {
                "content": st.fixed_dictionaries(
                    {
                        "title": st.fixed_dictionaries({"value": TEXT}),
                        "authors": st.fixed_dictionaries({"value": st.lists(TEXT, max_size=2)}),
                        "abstract": st.fixed_dictionaries({"value": TEXT}),
                        "keywords": st.fixed_dictionaries({"value": st.lists(TEXT, max_size=2)}),
                    }
                ),
                "pdate": NUMBER,
                "cdate": NUMBER,
            }
        ),
        "webpage": st.fixed_dictionaries(
            {"title": TEXT, "author": TEXT, "when": TEXT, "extra": JSON_VALUE}
        ),
    }
)


@PROPERTY
@given(answers=ANSWERS)
def test_every_resolver_answer_with_poisoned_fields_is_stored(answers):
    config = config_for("http://unused.test")
    episode = Episode(title="E", source="e", mentions=[Mention(u, n) for n, u in URLS.items()])
    with Store(":memory:") as store:
        store.save_episodes([episode])
        titles = TitleIndex(store)
        for name, raw in answers.items():
            try:
                meta = PARSERS[name](raw)
            except ResolveError:  # the source says it has nothing: the work is left as it is
                continue
            found = identify(URLS[name])
            scheme, value = (
                (found.scheme, found.value) if found.id else ("url", found.canonical_url)
            )
            applied = apply_metadata(store, Target(scheme, value, URLS[name]), meta, config, titles)
            assert applied.status in ("resolved", "partial")
        check_store(store)
