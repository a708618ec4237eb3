"""Feeds written the way 15 hosting platforms write them (fixtures modelled on real feeds).

Each fixture carries its platform's quirks: where the notes are (content:encoded,
description, escaped HTML in itunes:summary, plain text), empty or shared guids, date
forms, link styles. Every one is re-ingested without a change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.ingest import IngestOptions, ingest
from linkgraph.model import Episode
from linkgraph.readers.feed import read
from linkgraph.store import Store

PLATFORMS = Path(__file__).parent / "fixtures" / "feeds" / "platforms"
NAMES = sorted(path.name for path in PLATFORMS.glob("*.xml"))


def episodes(name: str) -> list[Episode]:
    path = PLATFORMS / name
    return read(path.read_bytes(), str(path))


def links(episode: Episode) -> list[tuple[str, str, str | None]]:
    return [(m.url, m.anchor_text, m.section) for m in episode.mentions]


def test_there_is_a_fixture_for_each_of_the_15_platforms():
    assert len(NAMES) == 15


@pytest.mark.parametrize("name", NAMES)
def test_reingest_of_an_unchanged_feed_is_a_no_op(tmp_path, name):
    with Store(tmp_path / "lg.db") as store:
        [first] = ingest(store, [str(PLATFORMS / name)], IngestOptions())
        rows = store.query("SELECT * FROM mentions ORDER BY id")
        [again] = ingest(store, [str(PLATFORMS / name)], IngestOptions())
        assert first.error is None and first.added == first.episodes > 0
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.episodes)
        assert store.query("SELECT * FROM mentions ORDER BY id") == rows


def test_wordpress_feedburner_notes_in_escaped_itunes_summary_and_empty_guids():
    first, second, third = episodes("wordpress-feedburner.xml")
    # the description is a teaser with a tracking pixel; the notes are escaped HTML
    assert links(first) == [
        (
            "https://arxiv.org/abs/2401.01234",
            "Goodhart in Practice: Measuring Reward Hacking",
            None,
        ),
        ("https://twitter.com/adapark", "https://twitter.com/adapark", None),
        (
            "http://www.amazon.example/dp/0333347528",
            "http://www.amazon.example/dp/0333347528",
            None,
        ),
    ]
    # media:description holds a link the notes lack: it is kept, after them
    assert links(second) == [
        ("https://arxiv.org/abs/1805.00899", "AI safety via debate", None),
        ("https://slides.example/debate.pdf", "Slides of the talk", None),
    ]
    # <guid/> is no guid: those items are known by their enclosures
    assert (first.guid, second.guid) == (None, None)
    assert first.key == "http://feedproxy.example/~r/softwarestories/~5/Ep-248-Ada-Park.mp3"
    assert second.key == "http://feedproxy.example/~r/softwarestories/~5/Ep-247-Ben-Ode.mp3"
    assert third.key == third.guid == "https://softwarestories.example/?p=1939"
    assert first.published == "2016-01-28T10:06:52-08:00"  # "PST"


def test_libsyn_the_description_with_more_links_and_its_line_breaks_wins():
    [tools, search] = episodes("libsyn.xml")
    assert [m.url for m in tools.mentions][-1] == "https://www.jetbrains.example/dotcover/"
    assert tools.mentions[-1].anchor_text == "Michael loves DotCover from JetBrains"
    assert [(m.anchor_text, m.topic) for m in tools.mentions[2:4]] == [
        ("Main Site", 1),  # under <h2>Our Favorite Tools</h2>, which only the description keeps
        ("Android (free)", 1),
    ]
    assert search.mentions == []


def test_simplecast_group_labels_and_timestamped_chapters_in_content_encoded():
    [first, _] = episodes("simplecast.xml")
    assert [(t.title, t.start_seconds) for t in first.topics] == [
        ("Introductions", 270),
        ("Working together as a couple", 600),
    ]
    assert [(m.anchor_text, m.section, m.topic) for m in first.mentions] == [
        ("Code School", "Sponsors", None),
        ("Hired", "Sponsors", None),
        ("Website", "Robin on the Web", None),  # a label without a colon over its list
        ("Twitter", "Robin on the Web", None),
        ("Limoges, France", None, 0),  # "Show Notes:" heads chapters, not a link group
        ("52 Burgers", None, 1),
    ]


def test_podbean_nested_notes_a_truncated_teaser_link_and_written_out_dates():
    [first, second] = episodes("podbean.xml")
    urls = [m.url for m in first.mentions]
    assert "http://jsair.example/frontendmasters" in urls
    assert not [url for url in urls if "%5B" in url]  # the teaser's cut link is not a link
    assert ("http://jsair.example/eggheadio", "Egghead.io", "Show sponsors") in links(first)
    assert first.published == "2021-07-16"  # "July 16, 2021"
    assert second.published is None
    assert second.warnings == [
        "'005 Testing': the date 'sometime in January' is not a date linkgraph can read"
    ]


def test_freedom_controller_escaped_html_without_cdata_and_podcast_tags():
    [episode] = episodes("freedom-controller.xml")
    assert links(episode) == [
        (
            "https://chapters.podcastingfutures.example/56.json",
            "Chapters run through the proxy",
            None,
        ),
        ("http://mp3s.podcastingfutures.example/2021/10/08/episode56.srt", "Transcript", None),
        ("https://www.w3.org/TR/webvtt1/", "WebVTT", None),
    ]
    assert episode.chapters_url == "https://chapters.podcastingfutures.example/56.json"
    assert [p.name for p in episode.people] == ["Dave Guest"]


def test_fireside_a_link_only_the_plain_description_has_is_kept():
    [episode] = episodes("fireside.xml")
    assert links(episode) == [
        ("https://fastlane.example", "Fastlane", "Links"),
        ("https://joshholtz.example", "Josh's site", "Links"),
        ("https://talks.example/josh-2019", "Older talk", "Links"),  # "Title (url)"
    ]
    assert [(p.name, p.role) for p in episode.people] == [
        ("Josh Host", "host"),
        ("Josh Holtz", "guest"),
    ]


def test_art19_hrefs_that_are_hosts_or_names():
    [episode] = episodes("art19.xml")
    assert [m.url for m in episode.mentions] == [
        "https://www.patreon.com/1786podcast",
        "https://twitter.com/1786podcast",  # href="twitter.com/1786podcast"
        "https://www.facebook.com/1786podcast",
        "https://art19.example/privacy",
    ]  # href="Joar Wandborg" is no link


def test_acast_bare_urls_in_paragraphs_take_their_titles():
    [episode] = episodes("acast.xml")
    assert links(episode) == [
        (
            "https://www.amazon.example/Emma-Penguin-Classics/dp/0141439580/"
            "ref=sr_1_1?crid=2X&keywords=emma&qid=1678&sr=8-1",
            "Get the book here",
            None,
        ),
        ("https://sites.example/mqr/2015/05/the-love-hate-club/", "The Love Hate Club", None),
        ("https://acast.example/privacy", "acast.com/privacy", None),
    ]


def test_subsplash_plain_text_links_with_titles_above_them():
    [episode] = episodes("subsplash.xml")
    assert links(episode) == [
        ("http://andyschroder.example/", "Andy's website", "Links"),
        (
            "http://andyschroder.example/FluidDispenser/TheOriginal/",
            "Fluid Dispenser overview",
            "Links",
        ),
        (
            "http://andyschroder.example/DistributedCharge/alpha/InitialDemonstration/",
            "Distributed Charge overview",
            "Links",
        ),
        (
            "http://andyschroder.example/DistributedCharge/BoardA0/Overview/",
            "Board A0 overview",
            "Links",
        ),
    ]


def test_megaphone_shared_guid_padded_href_and_a_link_left_open():
    first, second = episodes("megaphone.xml")
    assert first.guid == second.guid == "f00dbabe-0001"
    assert first.key == "f00dbabe-0001 https://traffic.megaphone.example/GLT1.mp3"
    assert second.key == "f00dbabe-0001 https://traffic.megaphone.example/GLT2.mp3"
    assert first.warnings == [
        "2 items have the guid 'f00dbabe-0001'; they are kept apart by their enclosure URLs"
    ]
    assert links(first) == [
        (
            "https://podcasts.apple.example/us/podcast/88-parentheticals/id1458545680",
            "88% Parentheticals",
            None,
        ),
        (  # one <a> left open across two paragraphs is one link
            "https://gimlet.example/2016/03/23/email-debt-forgiveness-day/",
            "Link to our Email Debt Forgiveness Day page.",
            None,
        ),
    ]
    assert first.published == "2020-12-17T11:00:00"  # "-0000": the zone is unknown


def test_buzzsprout_single_quoted_hrefs_and_bare_urls_with_titles():
    [first, _] = episodes("buzzsprout.xml")
    assert [m.anchor_text for m in first.mentions] == [
        "BUY OUR NEW MERCH DROP",
        "Her Book",
        "Twitter",
        "Sleeper Agents: Training Deceptive LLMs That Persist Through Safety Training",
    ]


def test_buzzsprout_the_most_complete_title_names_the_work(tmp_path):
    with Store(tmp_path / "lg.db") as store:
        ingest(store, [str(PLATFORMS / "buzzsprout.xml")], IngestOptions())
        rows = store.query("SELECT url, title FROM works ORDER BY url")
    by_url = {row["url"]: row["title"] for row in rows}
    assert by_url["https://arxiv.org/abs/2401.05566"] == (
        "Sleeper Agents: Training Deceptive LLMs That Persist Through Safety Training"
    )
    assert by_url["https://twitter.com/JeanExample"] == "twitter.com: JeanExample"  # "Twitter"


def test_soundcloud_plain_text_urls_without_a_scheme():
    [episode] = episodes("soundcloud.xml")
    assert links(episode) == [
        ("https://nbcnews.example/3nLzqMW", "https://nbcnews.example/3nLzqMW", None),
        ("https://reports.example/factory-2024", "Factory report", None),
        ("https://www.patreon.com/streettalkradio", "www.patreon.com/streettalkradio", None),
        ("https://www.twitch.tv/streettalkradio", "www.twitch.tv/streettalkradio", None),
    ]  # a two-sentence line gives its URL no title


def test_podlove_papers_under_headings():
    [episode] = episodes("podlove.xml")
    assert [(m.url, m.anchor_text, m.section, m.topic) for m in episode.mentions][1:] == [
        ("https://arxiv.org/abs/1505.00001", "Energie aus dem Motiv", "Themen", 1),
        ("http://de.wikipedia.org/wiki/Gose", "Wikipedia", "Themen", 1),
        (
            "https://doi.org/10.1021/acs.nanolett.5b01254",
            "Diamantartiger Kohlenstoff",
            "Themen",
            1,
        ),
    ]


def test_redcircle_two_encodings_of_one_notes_and_labels_without_colons():
    [episode] = episodes("redcircle.xml")
    assert [(t.title, t.start_seconds) for t in episode.topics] == [
        ("Intro", 0),
        ("Was ist die One Billion Row Challenge?", 308),
        ("SIMD und Branchless Coding", 1300),
    ]
    assert [(m.anchor_text, m.section, m.topic) for m in episode.mentions] == [
        ("👍 (top)", "Das schnelle Feedback zur Episode", None),
        ("👎 (geht so)", "Das schnelle Feedback zur Episode", None),
        ("The One Billion Row Challenge", "Deep Dives", None),
        ("Dead Man's Snitch", "Deep Dives", None),
        ("https://github.com/gunnarmorling/1brc", None, 1),
        ("Wolfgang", "Hosts", None),
    ]


def test_anchor_links_shown_as_urls_and_a_scheme_less_href():
    [episode] = episodes("anchor.xml")
    assert links(episode) == [
        ("https://www.prskavec.example/courses/how-to-make-oncall/", "Metriky k On-Callu", None),
        ("https://www.youtube.com/playlist?list=PLQmwzq_GIU", "Videa z konference LFI", None),
        ("https://twitter.com/ybyr_example", "@ybyr_example", None),
    ]


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Show</title><link href="https://atom.example/"/>
  <entry>
    <title>One</title><id>tag:atom.example,2024:1</id><updated>2024-02-02T10:00:00Z</updated>
    <summary>A teaser with https://teaser.example/only-here</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Notes:
      <a href="https://arxiv.org/abs/2303.12642">Democratizing AI</a></p></div></content>
  </entry>
</feed>
"""


def test_atom_xhtml_content_is_the_notes_and_the_summary_adds_its_own_link():
    [episode] = read(ATOM, "atom.xml")
    assert [(m.url, m.anchor_text) for m in episode.mentions] == [
        ("https://arxiv.org/abs/2303.12642", "Democratizing AI"),
        ("https://teaser.example/only-here", "https://teaser.example/only-here"),
    ]
