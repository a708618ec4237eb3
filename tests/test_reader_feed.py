"""The feed reader (RSS 2.0, Atom, RSS 1.0) and JSON chapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.model import Person, Topic
from linkgraph.readers import detect_format, read_source
from linkgraph.readers.base import SourceError
from linkgraph.readers.chapters import read_chapters
from linkgraph.readers.feed import read

FIXTURES = Path(__file__).parent / "fixtures"
FEEDS = FIXTURES / "feeds"


def read_feed(name: str, source: str | None = None):
    """The episodes read from a feed fixture."""
    return read((FEEDS / name).read_bytes(), source or f"feeds/{name}")


def test_channel_fields_and_the_self_link_as_feed_url():
    episodes = read_feed("podcast_rss2.xml")
    assert [e.title for e in episodes] == [
        "12 - Reward Hacking with Ada Park",
        "11 - Debate with Ben Ode",
        "10 - Mailbag",
    ]
    for episode in episodes:
        assert episode.podcast == "Paper Trails"
        assert episode.podcast_url == "https://papertrails.example/"
        assert episode.feed_url == "https://papertrails.example/feed.xml"
        assert episode.source == "feeds/podcast_rss2.xml"


def test_a_feed_read_from_a_url_has_that_url():
    [episode, *_] = read_feed("podcast_rss2.xml", source="https://mirror.example/pt.rss")
    assert episode.feed_url == "https://mirror.example/pt.rss"


def test_item_fields_itunes_and_podcast_namespace_tags():
    episode = read_feed("podcast_rss2.xml")[0]
    assert episode.guid == "papertrails-12"
    assert episode.url == "https://papertrails.example/episode/2024/01/15/reward-hacking.html"
    assert episode.published == "2024-01-15T09:30:00-07:00"
    assert episode.description == "Ada Park on how policies exploit their reward models."
    assert episode.image == "https://papertrails.example/ep12.jpg"
    assert episode.categories == ["Technology"]
    assert episode.chapters_url == "https://papertrails.example/chapters/12.json"
    assert episode.people == [  # itunes:author names the host already listed
        Person("Ada Park", role="guest", url="https://adapark.example.org/"),
        Person("Sam Host", role="host", url="https://samhost.example/"),
    ]


def test_timestamp_lines_in_the_notes_are_topics():
    episode = read_feed("podcast_rss2.xml")[0]
    assert episode.topics == [
        Topic("What is reward hacking?", start_seconds=35, level=1),
        Topic("Measuring it", start_seconds=432, level=1),
        Topic("The benchmark", start_seconds=760, level=2, parent=1),
        Topic("Following Ada's work", start_seconds=3849, level=1),
    ]


def test_links_after_a_list_of_chapters_belong_to_no_chapter():
    episode = read_feed("podcast_rss2.xml")[0]
    # links whose text is their own URL take the title of their "Label: url" line
    assert [(m.url, m.anchor_text, m.topic, m.section) for m in episode.mentions] == [
        ("https://www.patreon.com/papertrails", "Patreon", None, None),
        (
            "https://papertrails.example/episode/2024/01/15/reward-hacking.html",
            "The transcript",
            None,
            None,
        ),
        ("https://arxiv.org/abs/2401.01234", "Goodhart in Practice", None, "Main papers"),
        ("https://patpainter.net", "Episode art by Pat Painter", None, None),
    ]
    assert episode.mentions[2].context == "Goodhart in Practice: arxiv.org/abs/2401.01234"


def test_links_that_follow_timestamp_lines_belong_to_them():
    episode = read_feed("podcast_rss2.xml")[1]
    assert episode.topics == [
        Topic("Intro", start_seconds=0),
        Topic("The debate paper: AI safety via debate", start_seconds=330),
        Topic("Oversight, see the notes", start_seconds=3723),
    ]
    assert [(m.url, m.topic, m.context) for m in episode.mentions] == [
        ("https://arxiv.org/abs/1805.00899", 1, "(05:30) The debate paper: AI safety via debate"),
        (
            "https://arxiv.org/pdf/1805.00899v2.pdf",
            1,
            "Its pdf: https://arxiv.org/pdf/1805.00899v2.pdf",
        ),
        (
            "https://papertrails.example/episode/2023/12/01/notes/oversight.html",
            2,
            "[1:02:03] Oversight, see the notes",
        ),  # relative to the item's link
        ("https://doi.org/10.1000/xyz123", 2, "Scalable oversight: a survey"),
    ]
    # no podcast:person on the item: the channel's people stand in
    assert episode.people == [Person("Sam Host", role="host", url="https://samhost.example/")]


def test_plain_text_notes_keep_their_lines():
    episode = read_feed("podcast_rss2.xml")[2]
    assert episode.url is None
    assert episode.published == "2023-11-01T08:00:00+00:00"
    assert episode.topics == [
        Topic("Hello", start_seconds=0),
        Topic("A talk on debate", start_seconds=135),  # without the URL on its line
    ]
    assert [(m.url, m.topic) for m in episode.mentions] == [
        ("https://www.youtube.com/watch?v=abc123def45", 1),
        ("https://www.patreon.com/papertrails", None),
    ]


def test_atom_feed():
    [episode] = read_feed("atom.xml")
    assert episode.podcast == "Other Show"
    assert episode.podcast_url == "https://other.example/"
    assert episode.feed_url == "https://other.example/atom.xml"
    assert episode.guid == "tag:other.example,2024:os-4"
    assert episode.url == "https://other.example/episodes/optimization"
    assert episode.published == "2024-02-02T10:00:00+01:00"
    assert episode.description == "Mesa-optimizers and Goodhart."
    assert episode.topics == [Topic("Mesa-optimizers", anchor="mesa")]
    assert [(m.url, m.anchor_text, m.context, m.topic) for m in episode.mentions] == [
        (
            "https://arxiv.org/abs/1906.01820",
            "Risks from Learned Optimization",
            "We start from Risks from Learned Optimization.",
            0,
        ),
        ("https://github.com/example/rewardlab", "rewardlab", "The code is in rewardlab.", 0),
    ]
    assert episode.people == [Person("Ada Park", role="guest"), Person("Cy Dee", role="author")]


def test_rss1_feed():
    [episode] = read_feed("rss1.rdf")
    assert episode.podcast == "Old Show"
    assert episode.url == "https://oldshow.example/ep/1"
    assert episode.published == "2005-03-04T05:06:07+00:00"
    assert episode.description == "We discuss debate."
    assert [(m.url, m.anchor_text) for m in episode.mentions] == [
        ("https://arxiv.org/abs/1805.00899", "debate")
    ]
    assert episode.people == [Person("Old Host", role="author")]


def test_a_doctype_without_declarations_is_read():
    [episode] = read_feed("rss091_doctype.xml")
    assert episode.podcast == "Café Radio"  # ISO-8859-1 decoded
    assert [m.url for m in episode.mentions] == ["https://cafe.example/notes/1"]


def test_a_feed_that_is_not_quite_well_formed_is_still_read():
    [episode] = read_feed("loose_but_readable.xml")
    assert [m.url for m in episode.mentions] == ["https://arxiv.org/abs/2401.01234"]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
def test_entity_declarations_are_refused(name):
    with pytest.raises(SourceError, match="^declares XML entities, which feeds may not$"):
        read_feed(name)


def test_entity_declarations_are_refused_in_utf16_too():
    data = (FEEDS / "billion_laughs.xml").read_text().encode("utf-16")
    with pytest.raises(SourceError, match="declares XML entities"):
        read(data, "laughs.xml")


def test_a_malformed_feed_is_refused_with_the_reason_and_line():
    with pytest.raises(SourceError, match="^is not a well-formed feed: mismatched tag at line 6$"):
        read_feed("malformed.xml")


def test_a_truncated_feed_is_refused_though_its_last_item_was_opened():
    with pytest.raises(SourceError, match="^is not a well-formed feed: .* at line 7$"):
        read_feed("truncated.xml")


def test_a_feed_without_items_is_refused():
    with pytest.raises(SourceError, match="no episodes"):
        read_feed("empty_channel.xml")


def test_an_html_page_is_not_a_feed():
    with pytest.raises(SourceError, match="is not a well-formed feed"):
        read(b"<html><body><p>Hello<br></p></body></html>", "page.xml")


def test_read_source_detects_feeds():
    data = (FEEDS / "atom.xml").read_bytes()
    assert detect_format(data, "feed") == "rss"
    assert read_source(data, "feed")[0].title == "Optimization and its discontents"


CHAPTERS = (FIXTURES / "chapters" / "chapters.json").read_bytes()


def test_json_chapters_are_topics_without_silent_chapters():
    assert read_chapters(CHAPTERS)[0] == [
        Topic("Intro", start_seconds=0),
        Topic("What is reward hacking?", start_seconds=35.5),
        Topic("Measuring it", start_seconds=432),
        Topic("Following Ada's work", start_seconds=3849),
        Topic("Outro", start_seconds=3900),
    ]


def test_chapter_urls_are_mentions_of_their_chapter():
    _, mentions = read_chapters(CHAPTERS)
    assert [(m.url, m.anchor_text, m.topic) for m in mentions] == [
        ("https://en.wikipedia.org/wiki/Reward_hacking", "What is reward hacking?", 1),
        ("https://arxiv.org/abs/2401.01234", "Measuring it", 2),
    ]


def test_chapters_are_put_in_start_time_order():
    data = (
        b'{"version": "1.2.0", "chapters": [{"startTime": 60, "title": "B"},'
        b' {"startTime": "0", "title": "A"}, {"title": "no start"}]}'
    )
    assert read_chapters(data)[0] == [Topic("A", start_seconds=0), Topic("B", start_seconds=60)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"version": "1.2.0", "chapters": [', "^is not valid JSON: .* at line 1$"),
        (b'{"version": "1.2.0"}', 'no "chapters" list'),
        (b'[{"startTime": 0, "title": "A"}]', 'no "chapters" list'),
    ],
)
def test_bad_chapters_documents_are_refused(data, message):
    with pytest.raises(SourceError, match=message):
        read_chapters(data)


# --- episode identity -------------------------------------------------------------------


def _feed(items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://t.example/</link>{items}</channel></rss>"
    ).encode()


def test_guid_less_items_sharing_a_link_are_kept_apart_by_title_and_date():
    items = "".join(
        f"<item><title>{title}</title><guid></guid><link>https://t.example/</link>"
        f"<pubDate>Mon, 0{day} Jan 2024 10:00:00 +0000</pubDate></item>"
        for title, day in (("A", 1), ("B", 2))
    )
    first, second = read(_feed(items), "t.xml")
    assert first.guid is None and second.guid is None
    assert first.key == "https://t.example/ A 2024-01-01T10:00:00+00:00"
    assert second.key == "https://t.example/ B 2024-01-02T10:00:00+00:00"
    assert first.warnings == [
        "2 items have no guid, and the same link 'https://t.example/'; "
        "they are kept apart by their titles and dates"
    ]


def test_items_alike_in_everything_are_kept_apart_by_their_order():
    item = "<item><title>Same</title><guid>g</guid></item>"
    keys = [e.key for e in read(_feed(item * 3), "t.xml")]
    assert keys == ["g #1", "g #2", "g #3"]


def test_a_guid_less_item_is_known_by_its_enclosure_then_its_link_then_title_and_date():
    items = (
        '<item><title>A</title><enclosure url="https://cdn.t.example/a.mp3" type="audio/mpeg"/>'
        "<link>https://t.example/a</link></item>"
        "<item><title>B</title><link>https://t.example/b</link></item>"
        "<item><title>C</title><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate></item>"
    )
    assert [e.key for e in read(_feed(items), "t.xml")] == [
        "https://cdn.t.example/a.mp3",
        "https://t.example/b",
        "C 2024-01-01T10:00:00+00:00",
    ]


def test_a_truncated_teaser_adds_no_cut_link():
    item = (
        "<item><title>A</title><guid>a</guid>"
        "<description>Read https://t.example/a-long-pa...</description>"
        '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        '<![CDATA[<p><a href="https://t.example/a-long-path">the post</a></p>]]>'
        "</content:encoded></item>"
    )
    [episode] = read(_feed(item), "t.xml")
    assert [m.url for m in episode.mentions] == ["https://t.example/a-long-path"]


def test_a_description_is_its_text_without_scripts_or_styles():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title>
    <item><guid>1</guid><title>One</title><description><![CDATA[<style>p{color:red}</style>
    <p>We read <a href="https://arxiv.org/abs/1906.01820">Risks</a>.</p>
    <script>document.write("tracking")</script><noscript>Enable scripts</noscript>]]></description>
    </item></channel></rss>"""
    [episode] = read(feed, "show.xml")
    assert episode.description == "We read Risks."
    assert [m.url for m in episode.mentions] == ["https://arxiv.org/abs/1906.01820"]
