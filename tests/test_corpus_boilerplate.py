"""Acceptance on the real corpus (skipped where ../shared is absent): ``top`` lists the
research, not the show's furniture.

For the AXRP transcripts and each of the 15 real feeds, FURNITURE lists the links read off
the feed by hand as the show's own furniture: its site and episodes, sponsors and their
codes, support and social links, subscribe links, funders, hosting platforms' privacy
notices. Each was among the first ten of ``top`` before boilerplate was told apart. None of
them may be among the first ten now, and each must come back with ``include_boilerplate``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph import query
from linkgraph.ingest import IngestOptions, ingest
from linkgraph.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}"),
]

FURNITURE = {
    "axrp": [
        "https://axrp.net/",
        "https://axrp.net/supporting-the-podcast",
        "https://funds.effectivealtruism.org/funds/far-future",
        "https://patreon.com/axrpodcast",
        "https://ko-fi.com/axrpodcast",
        "https://store.axrp.net/",
    ],
    "1865": [
        "https://art19.com/privacy",
        "https://patreon.com/1865podcast",
        "https://1865podcast.com/",
        "https://facebook.com/1865podcast",
        "https://twitter.com/1865podcast",
        "https://wondery.app.link/1865",
        "https://expensify.com/1865",
        "https://20k.org/",
    ],
    "changing-the-tide": ["https://fountain.fm/"],
    "coding-blocks": [
        "https://codingblocks.net/about",
        "https://codingblocks.net/review",
        "https://codingblocks.net/itunes",
        "https://codingblocks.net/podcast/all-your-database-are-belong-to-us",
    ],
    "design-details": [
        "https://twitter.com/designdetailsfm",
        "https://dropbox.com/",
        "https://iconfinder.com/",
        "https://spec.fm/slack",
        "https://twitter.com/specfm",
        "https://spec.fm/",
        "https://ueno.co/",
        "https://thenetawards.com/vote/podcast/the-design-details-podcast",
        "https://twitter.com/soffes",
    ],
    "engineering-kiosk": [
        "https://engineeringkiosk.dev/join-discord",
        "https://linkedin.com/company/engineering-kiosk",
        "https://podcasts.social/@engkiosk",
        "https://engineeringkiosk.dev/kaffee",
        "https://engineeringkiosk.dev/partners",
        "https://andygrunwald.com/",
        "https://bsky.app/profile/engineeringkiosk.bsky.social",
        "https://gassler.dev/",
        "https://instagram.com/engineeringkiosk",
        "https://twitter.com/EngKiosk",
    ],
    "javascript-air": [
        "https://twitter.com/kentcdodds",
        "https://javascriptair.com/",
        "https://twitter.com/getify",
        "https://egghead.io/instructors/kentcdodds",
        "https://twitter.com/JavaScriptAir",
        "https://plus.google.com/105493143005968326308",
        "https://video.javascriptair.com/",
        "https://frontendmasters.com/",
        "https://twitter.com/drboolean",
        "https://twitter.com/linclark",
    ],
    "launched": [
        "https://launchedfm.com/",
        "https://twitter.com/launchedfm",
        "https://reddit.com/r/LaunchedFM",
        "https://twitter.com/jamesthomson",
        "https://twitter.com/parrots",
        "https://twitter.com/ChristianSelig",
        "https://twitter.com/jordanmorgan10",
    ],
    "minkorrekt": [
        "https://minkorrekt.de/wp-content/uploads/2014/08/padlock_open-e1412706109956.png",
        "https://minkorrekt.de/wp-content/uploads/2014/08/padlock_closed-e1412706501475.png",
        "https://unperfekthaus.de/",
        "https://de-de.facebook.com/events/453763474799323",
    ],
    "podcasting20": [
        "https://newpodcastapps.com/",
        "https://preservepodcasting.com/",
        "https://sphinx.chat/",
        "https://breez.technology/",
        "https://podstation.github.io/",
        "https://podfriend.com/",
        "https://curiocaster.com/",
        "https://podverse.com/",
        "https://podcastindex.org/",
    ],
    "reply-all": [
        "https://stamps.com/",
        "https://mailchimp.com/",
        "https://mailchimp.com/replyall",
        "https://gimletmedia.com/join-gimlet",
        "https://squarespace.com/",
        "https://buildbuildings.tumblr.com/",
    ],
    "se-radio": [
        "https://se-radio.net/team",
        "https://se-radio.net/2015/01/episode-217-james-turnbull-on-docker",
    ],
    "sentimental-garbage": ["https://acast.com/privacy"],
    "street-fight-radio": [
        "https://patreon.com/streetfightradio",
        "https://twitch.tv/streetfightradio",
        "https://youtube.com/c/StreetFightWCRS",
        "https://facebook.com/StreetFightWCRS",
        "https://twitter.com/thicc_puppie",
    ],
    "the-deprogram": [
        "https://patreon.com/TheDeprogram",
        "https://twitter.com/TheDeprogramPod",
        "https://art19.com/privacy",
        "https://deprogramshop.com/",
        "https://patreon.com/posts/episode-103-ft-91756638",
        "https://patreon.com/TheDeprogramSupport",
        "https://thedeprogram-shop.fourthwall.com/",
        "https://youtube.com/@firstthoughtnews",
        "https://go.nebula.tv/thedeprogram",
        "https://deprogramshop.com/en-eur",
    ],
    "ybyr": ["https://mastodonczech.cz/@ybyr", "https://fosstodon.org/@ybyr"],
}
FEEDS = sorted(name for name in FURNITURE if name != "axrp")


def _ingested(tmp_path: Path, name: str) -> Store:
    store = Store(tmp_path / f"{name}.db")
    if name == "axrp":
        reports = ingest(store, [str(CORPUS / "axrp")], IngestOptions(podcast="AXRP"))
    else:
        reports = ingest(store, [str(CORPUS / "feeds" / f"{name}.xml")], IngestOptions())
    assert [r.error for r in reports if r.error] == []
    return store


def _urls(works: list[dict]) -> list[str]:
    return [w["url"] for w in works]


def test_feeds_are_all_checked():
    assert sorted(p.stem for p in (CORPUS / "feeds").glob("*.xml")) == FEEDS


@pytest.mark.parametrize("name", ["axrp", *FEEDS])
def test_top_ten_lists_no_furniture(tmp_path, name):
    with _ingested(tmp_path, name) as store:
        top = _urls(query.top(store, limit=10))
        assert top, "content remains"
        assert [url for url in top if url in FURNITURE[name]] == []
        everything = query.top(store, limit=10_000, include_boilerplate=True)
        assert set(FURNITURE[name]) <= set(_urls(everything))


def test_axrp_top_ten_holds_the_research(tmp_path):
    with _ingested(tmp_path, "axrp") as store:
        store.show_spoken(None)  # the links: what the show's notes and pages cite
        top = query.top(store, limit=10)
        assert "arxiv:1902.09725" in [w["id"] for w in top]
        before = _urls(query.top(store, limit=3, include_boilerplate=True))
        assert before == [
            "https://axrp.net/",
            "https://funds.effectivealtruism.org/funds/far-future",
            "https://patreon.com/axrpodcast",
        ]
