"""The boilerplate classifier: each rule on its own, the podcast-wide rules, and the store
keeping the flags current as episodes come and change."""

from __future__ import annotations

import itertools
import random
import sqlite3
from pathlib import Path

import pytest

from linkgraph import boilerplate, query
from linkgraph.boilerplate import Mention, Show, classify, own_reason, show_for, similar_sets
from linkgraph.ingest import IngestOptions, ingest
from linkgraph.model import Episode
from linkgraph.model import Mention as Link
from linkgraph.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "boilerplate"
_ids = itertools.count(1)


def mention(url: str, kind: str = "site", *, heading=None, anchor="", context="", episode=1):
    """A mention as the classifier sees it; each URL is its own link."""
    return Mention(next(_ids), episode, next(_ids), hash(url), url, kind, heading, anchor, context)


SHOW = show_for("Paper Trails", "https://papertrails.example/")


# ---- one mention ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, kind, reason",
    [
        ("https://patreon.com/papertrails", "support", "support link"),
        ("https://twitter.com/ada_park", "social", "social profile"),
        ("https://linkedin.com/in/ada-park-123/", "social", "social profile"),
        ("https://bsky.app/profile/ada.bsky.social", "social", "social profile"),
        ("https://reddit.com/r/papertrails", "social", "social profile"),
        ("https://fosstodon.org/@ada", "site", "profile"),  # Mastodon on any host
        ("https://youtube.com/@adapark", "video", "channel page"),
        ("https://youtube.com/channel/UCa8qyXCS", "video", "channel page"),
        ("https://twitch.tv/papertrails", "video", "channel page"),
        ("https://podcasts.apple.com/us/podcast/paper-trails/id1234567", "podcast", "show page"),
        ("https://twitter.com/intent/tweet?text=listen", "social", "share or legal page"),
        ("https://art19.com/privacy", "site", "share or legal page"),
        ("https://acast.com/privacy/", "site", "share or legal page"),
        ("https://papertrails.example/", "site", "the show's own site"),
        ("https://papertrails.example/ep/3", "podcast", "the show's own site"),
        ("https://papertrailspodcast.com/merch", "site", "the show's name in the address"),
        ("https://squarespace.com/papertrails", "site", boilerplate.SPONSOR_CODE),
        ("https://example.org/banner.png", "site", "an image"),
        ("https://cdn.example.org/ep12.mp3", "site", "an audio file"),
    ],
)
def test_the_link_alone_marks_furniture(url, kind, reason):
    assert own_reason(mention(url, kind), SHOW) == reason


@pytest.mark.parametrize(
    "url, kind",
    [
        ("https://twitter.com/ada_park/status/1519000000000000000", "social"),  # a post
        ("https://reddit.com/r/MachineLearning/comments/abc/some_thread", "social"),
        ("https://facebook.com/events/453763474799323", "social"),
        ("https://youtube.com/watch?v=ngTCf2cnGkY", "video"),  # a video, not a channel
        ("https://vimeo.com/123456", "video"),
        ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "podcast"),
        ("https://arxiv.org/abs/1805.00899", "paper"),
        ("https://example-blog.com/posts/reward", "post"),
        ("https://github.com/example/rewardlab", "code"),
    ],
)
def test_content_links_stay_content(url, kind):
    assert own_reason(mention(url, kind), SHOW) is None


@pytest.mark.parametrize(
    "heading, context, anchor, reason",
    [
        ("Sponsors", "", "Hover", "under 'Sponsors'"),
        ("Thanks to our sponsors!", "", "Hover", "under 'Thanks to our sponsors!'"),
        ("Support the show", "", "Ko-fi", "under 'Support the show'"),
        ("Follow us", "", "Mastodon", "under 'Follow us'"),
        ("Credits", "", "Music", "under 'Credits'"),
        ("Ada on the Web", "", "Website", "under 'Ada on the Web'"),
        ("Unterstütze den Kiosk", "", "Kaffee", "under 'Unterstütze den Kiosk'"),
        (None, "Hover - use promo code PAPER for 10% off", "Hover", "says 'promo code'"),
        (None, "This episode is brought to you by Hover.", "Hover", "says 'brought to you by'"),
        (None, "Follow us on Mastodon for updates.", "Mastodon", "says 'Follow us'"),
        (None, "Come chat with us in our Slack team!", "Slack team", "says 'chat with us'"),
        (None, "Please rate and review us on Apple Podcasts", "Apple", "says 'rate and review'"),
        (
            None,
            "Financial support for this episode was provided by the Open Fund.",
            "Open Fund",
            "says 'Financial support for this episode'",
        ),
        (None, "See Privacy Policy at https://x.example/p", "x", "says 'Privacy Policy'"),
        (
            None,
            "Listen to Other Show at https://other.example/.",
            "",
            "says 'Listen to Other Show at <url>'",
        ),
        (None, "", "YouTube", "link text 'YouTube'"),
    ],
)
def test_headings_context_and_link_text(heading, context, anchor, reason):
    found = mention("https://shop.example.org/", heading=heading, anchor=anchor, context=context)
    assert own_reason(found, SHOW) == reason


@pytest.mark.parametrize(
    "heading, context, anchor",
    [
        ("Following Ada's work", "She posts her papers on her site.", "her site"),
        ("The research community", "The community around debate grew fast.", "debate"),
        ("Show Notes", "The Sponsor of the bill, Senator Smith, spoke.", "Senator Smith"),
        (None, "Apple's new privacy features are the topic.", "privacy features"),
        (None, "We discussed Slack at length.", "Slack"),  # the product, on its own site
    ],
)
def test_ordinary_words_are_no_furniture(heading, context, anchor):
    url = "https://slack.com/" if anchor == "Slack" else "https://example.org/privacy-features"
    assert own_reason(mention(url, heading=heading, anchor=anchor, context=context), SHOW) is None


def test_a_paper_is_never_judged_by_its_words():
    paper = mention(
        "https://arxiv.org/abs/2401.01234",
        "paper",
        heading="Sponsors",
        context="Our sponsor wrote this paper; use code PAPER.",
    )
    assert own_reason(paper, SHOW) is None


def test_the_show_site_on_a_platform_is_its_page_not_the_platform():
    show = show_for("Paper Trails", "https://soundcloud.com/papertrails")
    assert own_reason(mention("https://soundcloud.com/papertrails/ep-1"), show) == (
        "the show's own site"
    )
    assert own_reason(mention("https://soundcloud.com/other-artist/song"), show) is None
    whole_platform = show_for("Paper Trails", "https://anchor.fm/")
    assert whole_platform.site is None


def test_the_show_is_named_by_its_title_and_its_own_domain():
    show = show_for("Methodisch inkorrekt!", "https://minkorrekt.de/")
    assert {"methodischinkorrekt", "minkorrekt", "minkorrektpodcast"} <= show.names
    assert "example" not in show_for("Research Radio", "https://research-radio.example.org/").names


def test_a_long_show_name_inside_a_path_names_the_show():
    show = show_for("Sentimental Garbage", None)
    live = mention("https://eventbrite.co.uk/e/sentimental-garbage-podcast-live-dublin-tickets")
    assert own_reason(live, show) == "the show's name in the address"
    assert own_reason(mention("https://example.org/garbage-collection"), show) is None
    assert (
        own_reason(mention("https://example.org/reply-all-story"), show_for("Reply All", None))
        is None
    )


def test_short_or_missing_show_names_match_nothing():
    assert show_for("AI", None).names == set()
    assert show_for(None, None) == Show()
    assert own_reason(mention("https://example.org/ai"), show_for("AI", None)) is None
    assert "axrp" in show_for("AXRP", None).names


# ---- the podcast-wide rules ---------------------------------------------------------------


def podcast(links_per_episode: list[list[tuple[str, str]]], kind: str = "site") -> list[Mention]:
    """Mentions of one podcast: for each episode, its (url, context) pairs in order."""
    link_ids: dict[str, int] = {}
    return [
        Mention(
            next(_ids),
            episode,
            position,
            link_ids.setdefault(url, len(link_ids)),
            url,
            kind,
            None,
            "",
            context,
        )
        for episode, links in enumerate(links_per_episode)
        for position, (url, context) in enumerate(links)
    ]


def reasons(mentions: list[Mention], url: str) -> set[str | None]:
    return {m.reason for m in mentions if m.url == url}


def test_a_link_in_a_third_of_the_episodes_is_furniture():
    home = ("https://nonprofit.example/", "The Nonprofit")
    episodes = [[home, (f"https://paper.example/{n}", "A paper.")] for n in range(5)]
    episodes += [[(f"https://other.example/{n}", "Another paper.")] for n in range(10)]
    mentions = podcast(episodes)
    classify(mentions, Show())
    assert reasons(mentions, home[0]) == {"in 5 of 15 episodes"}
    assert reasons(mentions, "https://paper.example/1") == {None}


def test_four_episodes_are_too_few_to_call_a_link_furniture():
    shared = ("https://nonprofit.example/", "The Nonprofit")
    mentions = podcast([[shared]] * 4)
    classify(mentions, Show())
    assert reasons(mentions, shared[0]) == {None}


def test_the_same_sentence_in_many_episodes_is_furniture():
    sentence = "If you missed it, we recently announced Spec, a new network for designers."
    mentions = podcast(
        [[("https://spec.example/", sentence + " Check it out." * (n % 2))] for n in range(4)]
        + [[(f"https://tool.example/{n}", "A tool.")] for n in range(20)]
    )
    classify(mentions, Show())
    assert reasons(mentions, "https://spec.example/") == {"same sentence in 4 episodes"}


def test_sentences_are_compared_only_for_links_not_judged_already(monkeypatch):
    """A link in most episodes of a long show is furniture whatever its sentences: comparing
    them (a little different each time, all alike) would cost the square of the episodes."""
    compared: list[int] = []

    def counting(sets, threshold):
        compared.append(len(sets))
        return similar_sets(sets, threshold)

    monkeypatch.setattr(boilerplate, "similar_sets", counting)
    said = "Our friends built a lovely thing you should look at, in its"
    weeks = [f"week{'abcdefghijklmnopqrstuvwxyz'[n % 26]}{'xyz'[n // 26]}" for n in range(30)]
    everywhere = [[("https://support.example/", f"{said} {week}.")] for week in weeks]
    template = "If you missed it, we recently announced Spec, a new network for designers."
    sometimes = [[("https://spec.example/", template)] for _ in range(4)]
    mentions = podcast(
        everywhere + sometimes + [[(f"https://t.example/{n}", "A tool.")] for n in range(40)]
    )
    classify(mentions, Show())
    assert reasons(mentions, "https://support.example/") == {"in 30 of 74 episodes"}
    assert reasons(mentions, "https://spec.example/") == {"same sentence in 4 episodes"}
    assert compared == [1]  # the Spec sentence alone, not the 30 alike: judged already


def test_a_link_list_repeated_is_no_template():
    # the same short list entry (the link's own name) in several episodes is content
    mentions = podcast(
        [[("https://framer.example/", "Framer")]] * 4
        + [[(f"https://tool.example/{n}", "A tool.")] for n in range(20)]
    )
    classify(mentions, Show())
    assert reasons(mentions, "https://framer.example/") == {None}


def test_furniture_in_most_of_its_episodes_is_furniture_everywhere():
    stamps = "https://stamps.example/"
    mentions = podcast(
        [
            [(stamps, "Stamps (offer code 'reply')")],
            [(stamps, "Stamps: offer code reply")],
            [(stamps, "Stamps")],
            [(f"https://story.example/{n}", "A story.") for n in range(3)],
        ]
    )
    classify(mentions, Show())
    assert [m.reason for m in mentions if m.url == stamps] == [
        "says 'offer code'",
        "says 'offer code'",
        "furniture in 2 of its 3 episodes",
    ]


def test_a_sponsor_code_makes_the_sponsor_home_page_furniture():
    show = show_for("Reply All", None)
    mentions = podcast(
        [
            [("https://mailchimp.example/replyall", "Mailchimp")],
            [("https://mailchimp.example/", "Mailchimp"), ("https://mailchimp.example/blog", "")],
        ]
    )
    classify(mentions, show)
    assert [m.reason for m in mentions] == [
        boilerplate.SPONSOR_CODE,
        "a sponsor's home page",
        None,
    ]


def test_a_link_standing_amid_furniture_in_several_episodes_is_furniture():
    apps = [("https://curio.example/", "CurioCaster")]
    listed = [
        [("https://patreon.com/show", ""), *apps, ("https://paypal.com/donate?x", "")]
        for _ in range(3)
    ]
    once = [
        [
            ("https://patreon.com/show", ""),
            ("https://guest.example/book", ""),
            ("https://paypal.com/donate?x", ""),
        ]
    ]
    mentions = podcast(listed + once + [[("https://paper.example/", "A paper.")]] * 6)
    for m in mentions:
        m.kind = "support" if "patreon" in m.url or "paypal" in m.url else "site"
    classify(mentions, Show())
    assert reasons(mentions, apps[0][0]) == {"amid furniture in 3 of its 3 episodes"}
    assert reasons(mentions, "https://guest.example/book") == {None}  # once is no habit


# ---- the store ----------------------------------------------------------------------------


def furniture(store: Store) -> dict[str, set[str]]:
    """Canonical URL -> the reasons its boilerplate mentions were given."""
    found: dict[str, set[str]] = {}
    for url, reason in store.conn.execute(
        "SELECT l.url_canonical, m.boilerplate_reason FROM mentions m "
        "JOIN links l ON l.id = m.link_id WHERE m.boilerplate = 1"
    ):
        found.setdefault(url, set()).add(reason)
    return found


def episode(n: int, *links: Link, podcast: str = "Paper Trails") -> Episode:
    return Episode(
        title=f"Episode {n}",
        source=f"notes/{n}.md",
        guid=f"ep-{n}",
        podcast=podcast,
        feed_url=f"https://{podcast.replace(' ', '').lower()}.example/feed.xml",
        mentions=list(links),
    )


HOME = Link("https://lab.example/", "the lab", "the lab")


def test_the_store_classifies_a_podcast_when_its_episodes_change(empty_store):
    empty_store.save_episodes(
        [episode(n, HOME, Link(f"https://arxiv.org/abs/2401.0{n}000")) for n in range(1, 6)]
    )
    empty_store.save_episodes([episode(n, Link(f"https://blog.example/{n}")) for n in range(6, 16)])
    assert furniture(empty_store) == {"https://lab.example/": {"in 5 of 15 episodes"}}
    # the sixteenth episode without the lab's link makes it less than a third: content again
    empty_store.save_episodes([episode(16, Link("https://blog.example/16"))])
    assert furniture(empty_store) == {}
    assert empty_store.scalar("SELECT count(*) FROM mentions WHERE boilerplate IS NULL") == 0


def test_an_edited_episode_without_links_reclassifies_the_others(empty_store):
    empty_store.save_episodes(
        [episode(n, HOME) for n in range(1, 6)]
        + [episode(n, Link(f"https://blog.example/{n}")) for n in range(6, 16)]
    )
    assert set(furniture(empty_store)) == {"https://lab.example/"}
    empty_store.save_episodes([episode(5)])  # its only link removed: 4 of 14 episodes left
    assert furniture(empty_store) == {}


def test_podcasts_are_judged_apart(empty_store):
    empty_store.save_episodes(
        [episode(n, HOME) for n in range(1, 6)]
        + [episode(n, HOME, podcast="Other Show") for n in range(6, 8)]
        + [
            episode(n, Link(f"https://blog.example/{n}"), podcast="Other Show")
            for n in range(8, 30)
        ]
    )
    rows = dict(
        empty_store.conn.execute(
            "SELECT p.title, max(m.boilerplate) FROM mentions m JOIN links l ON l.id = m.link_id "
            "JOIN episodes e ON e.id = m.episode_id JOIN podcasts p ON p.id = e.podcast_id "
            "WHERE l.url_canonical = 'https://lab.example/' GROUP BY p.title"
        )
    )
    assert rows == {"Paper Trails": 1, "Other Show": 0}


def test_saving_without_classifying_leaves_the_podcast_pending(empty_store):
    empty_store.save_episodes([episode(1, Link("https://patreon.com/pt"))], classify=False)
    assert boilerplate.pending_podcasts(empty_store.conn) == [1]
    assert empty_store.classify_boilerplate() == 1
    assert furniture(empty_store) == {"https://patreon.com/pt": {"support link"}}
    assert empty_store.classify_boilerplate() == 0


def test_an_older_store_is_classified_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.save_episodes([episode(1, Link("https://patreon.com/pt"))])
    conn = sqlite3.connect(path)  # as version 2 left it: no classification at all
    conn.execute("UPDATE mentions SET boilerplate = NULL, boilerplate_reason = NULL")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert furniture(store) == {"https://patreon.com/pt": {"support link"}}


def test_episodes_without_a_podcast_are_one_group(empty_store):
    footer = Link("https://show.example/", "show.example", "Transcripts at show.example.")
    empty_store.save_episodes(
        [
            Episode(
                title=f"E{n}", source=f"e{n}.md", mentions=[footer, Link(f"https://p.example/{n}")]
            )
            for n in range(6)
        ]
    )
    assert furniture(empty_store) == {"https://show.example/": {"in 6 of 6 episodes"}}


# ---- a feed of the show's furniture, end to end ---------------------------------------------


@pytest.fixture
def sponsored(tmp_path):
    with Store(tmp_path / "show.db") as store:
        reports = ingest(store, [str(FIXTURES / "sponsored_show.xml")], IngestOptions())
        assert [r.error for r in reports] == [None]
        yield store


def test_a_sponsored_feed_top_lists_the_research(sponsored):
    top = [w["url"] for w in query.top(sponsored, limit=5)]
    assert top == [
        "https://arxiv.org/abs/1805.00899",
        "https://distill.pub/2020/circuits/zoom-in",
        "https://arxiv.org/abs/2212.03827",
        "https://example-blog.org/posts/goodhart",
        "https://arxiv.org/abs/2301.00001",
    ]
    everything = [w["url"] for w in query.top(sponsored, limit=5, include_boilerplate=True)]
    assert set(everything) == {
        "https://art19.com/privacy",
        "https://openfund.example/",
        "https://patreon.com/deepsignal",
        "https://twitter.com/deepsignalpod",
        "https://deepsignal.example/",
    }


def test_a_sponsored_feed_gives_each_furniture_its_reason(sponsored):
    found = furniture(sponsored)
    assert found["https://patreon.com/deepsignal"] == {"support link"}
    assert found["https://twitter.com/deepsignalpod"] == {"social profile"}
    assert found["https://deepsignal.example/"] == {"the show's own site"}
    assert found["https://art19.com/privacy"] == {"share or legal page"}
    assert found["https://hover.com/deepsignal"] == {boilerplate.SPONSOR_CODE}
    assert found["https://hover.com/"] == {"a sponsor's home page"}
    assert found["https://brilliant.org/"] == {"under 'Sponsors'"}
    assert found["https://openfund.example/"] == {"says 'This episode is funded'"}
    assert "https://arxiv.org/abs/1805.00899" not in found


def test_transcripts_with_a_footer_lose_the_footer_not_the_papers(tmp_path):
    """Jekyll transcripts with no podcast of their own, each ending in the same lines."""
    with Store(tmp_path / "transcripts.db") as store:
        ingest(store, [str(FIXTURES / "transcripts")], IngestOptions())
        found = furniture(store)
        assert found["https://example-show.net/"] >= {"in 6 of 6 episodes"}
        assert found["https://open-research-fund.example.org/"] == {
            "says 'Financial support for this episode'"
        }
        assert found["https://patreon.com/oversighthour"] == {"support link"}
        assert found["https://twitter.com/ada_research"] == {"social profile"}
        # the debate paper recurs in the same sentence in three episodes: still a paper
        assert "https://arxiv.org/abs/1805.00899" not in found
        top = query.top(store, limit=3)
        assert [(w["id"], w["episodes"]) for w in top][0] == ("arxiv:1805.00899", 3)


def test_plain_text_notes_lose_their_support_and_channel_lines(tmp_path):
    """A SoundCloud-style feed: plain-text notes, each ending in the same four links."""
    with Store(tmp_path / "plain.db") as store:
        ingest(store, [str(FIXTURES / "plain_text_show.xml")], IngestOptions())
        assert furniture(store) == {
            "https://patreon.com/nightshiftradio": {"support link"},
            "https://twitch.tv/nightshiftradio": {"channel page"},
            "https://youtube.com/c/NightShiftRadio": {"social profile"},  # a social kind
            "https://facebook.com/NightShiftRadio": {"social profile"},
        }
        assert [w["url"] for w in query.top(store, limit=2)] == [
            "https://example-news.org/warehouse-report",
            "https://youtube.com/watch?v=ngTCf2cnGkY",
        ]


def test_similar_sentences_are_found_as_comparing_every_pair_finds_them():
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(30)]
    sets = [frozenset(rng.sample(vocabulary, rng.randint(3, 12))) for _ in range(400)]
    sets += [frozenset(s | {"extra"}) for s in sets[:50]]  # near copies, as templates make
    for threshold in (0.5, 0.6, 0.75):
        every_pair = [
            sorted(
                j for j, other in enumerate(sets) if len(s & other) / len(s | other) >= threshold
            )
            for s in sets
        ]
        assert [sorted(found) for found in similar_sets(sets, threshold)] == every_pair
