"""Acceptance checks on the real corpus in ../shared/corpus (skipped where it is absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkgraph.identify import identify
from linkgraph.ingest import IngestOptions, ingest
from linkgraph.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_LINK = re.compile(r"\]\((https?://(?:[^()\s]|\([^()\s]*\))+)\)")  # one level of (parens)
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")


@pytest.fixture(scope="module")
def axrp(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("axrp") / "axrp.db")
    reports = ingest(store, [str(CORPUS / "axrp")], IngestOptions(podcast="AXRP"))
    assert [r.error for r in reports if r.error] == []
    yield store
    store.close()


@pytest.mark.slow
def test_axrp_episodes_and_mentions(axrp):
    assert axrp.scalar("SELECT count(*) FROM episodes") == 30
    # 1,144 markdown links, plus 3 URLs standing bare in the text: "(text)[url]" in
    # episode 11, "[text] (url)" in episode 23 (a space makes it no link) and a URL glued to
    # the next word in episode 23. Links inside HTML comments are not mentions.
    assert axrp.scalar("SELECT count(*) FROM mentions WHERE via = 'link'") == 1147
    assert axrp.scalar("SELECT count(*) FROM mentions WHERE url LIKE '%jekyll%'") == 0


def test_axrp_every_arxiv_mention_belongs_to_its_arxiv_work(axrp):
    rows = axrp.query(
        "SELECT m.url, i.value FROM mentions m JOIN links l ON l.id = m.link_id "
        "LEFT JOIN identifiers i ON i.work_id = l.work_id AND i.scheme = 'arxiv' "
        "WHERE m.url LIKE '%arxiv.org/%' AND m.via = 'link'"
    )
    with_id = [r for r in rows if identify(r["url"]).scheme == "arxiv"]
    assert len(with_id) == len(rows) - 1  # the arxiv.org home page names no paper
    assert all(r["value"] == identify(r["url"]).value for r in with_id)
    assert axrp.scalar("SELECT count(*) FROM identifiers WHERE scheme = 'arxiv'") == 123


def test_axrp_mentions_sit_under_their_headings(axrp):
    """Check every mention's topic against a line scan of the markdown headings."""
    for path in sorted((CORPUS / "axrp").glob("*.markdown")):
        text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
        expected: list[tuple[str, str | None]] = []
        heading = None
        for line in text.splitlines():
            found = re.match(r"#{1,4} (.*?)\s*(?:<a name=.*)?$", line)
            if found:
                heading = found.group(1).strip()
            expected += [(url, heading) for url in _LINK.findall(line)]
        stored = axrp.query(
            "SELECT m.url, t.title FROM mentions m JOIN episodes e ON e.id = m.episode_id "
            "LEFT JOIN topics t ON t.id = m.topic_id WHERE e.source = ? AND m.via = 'link' "
            "ORDER BY m.position",
            (str(path.resolve()),),
        )
        linked = [(r["url"], r["title"]) for r in stored if "](" + r["url"] + ")" in text]
        assert linked == expected, path.name


def test_axrp_democratizing_ai_is_cited_under_its_heading(axrp):
    topics = axrp.query(
        "SELECT topic FROM mention_details WHERE url_canonical = "
        "'https://arxiv.org/abs/2303.12642' ORDER BY position"
    )
    assert topics[0]["topic"] == "Democratizing AI"


def test_seed_page_gives_one_episode_23_topics_and_each_link_once(tmp_path):
    with Store(tmp_path / "seed.db") as store:
        ingest(store, [str(CORPUS / "seed")], IngestOptions())
        assert store.scalar("SELECT count(*) FROM episodes") == 1
        starts = [
            r["start_seconds"]
            for r in store.query("SELECT start_seconds FROM topics ORDER BY position")
        ]
        assert len(starts) == 23 and starts[0] == 40 and starts[-1] == 6923
        urls = [
            r["url_canonical"] for r in store.query("SELECT url_canonical FROM mention_details")
        ]
        assert len(urls) == 15 == len(set(urls))
        ids = {r["scheme"] + ":" + r["value"] for r in store.query("SELECT * FROM identifiers")}
        assert {"arxiv:2303.12642", "arxiv:2201.05159", "arxiv:2307.15043", "ssrn:4596436"} <= ids


def test_axrp_top_paper_and_related_episodes(axrp):
    from linkgraph import query

    axrp.show_spoken(None)  # links only
    try:
        first = query.top(axrp, kind="paper", limit=1)[0]
    finally:
        axrp.show_spoken(0.8)
    assert (first["id"], first["episodes"]) == ("arxiv:1902.09725", 4)
    # with what the transcripts say: GPT-3's paper, named in many episodes, linked in three
    spoken = query.top(axrp, kind="paper", limit=1)[0]
    assert spoken["id"] == "arxiv:2005.14165" and spoken["episodes"] > 4
    related = query.related(axrp, "AI Governance with Elizabeth Seger")
    assert related and all(r["shared"] for r in related)
    assert "26 - AI Governance" not in {r["episode_title"][:19] for r in related}


def test_axrp_works_are_not_titled_by_vague_anchors(axrp):
    from linkgraph.titles import url_label

    works = axrp.query("SELECT title, url FROM works")
    titles = {w["title"] for w in works}
    assert not titles & {"a paper", "have", "posts", "interesting", "YouTube link", "here"}
    labelled = [w for w in works if w["title"] == url_label(w["url"])]
    assert 0 < len(labelled) < len(works) / 2  # most works keep an anchor title
    videos = axrp.query(
        "SELECT w.title FROM works w JOIN links l ON l.work_id = w.id "
        "JOIN mentions m ON m.link_id = l.id WHERE m.anchor_text = 'YouTube link'"
    )
    assert videos and all(v["title"].startswith("youtube.com: ") for v in videos)


def test_axrp_posts_are_transcripts_whose_links_gain_speakers_and_spoken_mentions(axrp):
    assert axrp.scalar("SELECT count(DISTINCT episode_id) FROM segments") == 27  # 3 notices
    spoken = axrp.query(
        "SELECT m.confidence, m.speaker, m.matched, m.segment_id, t.title AS topic "
        "FROM mentions m LEFT JOIN topics t ON t.id = m.topic_id WHERE m.via = 'spoken'"
    )
    assert len(spoken) > 100
    assert all(0.5 <= m["confidence"] <= 1 and m["matched"] and m["segment_id"] for m in spoken)
    assert sum(1 for m in spoken if m["topic"]) > len(spoken) / 2  # under their headings
    # a link the guest's own words discuss: its speaker is who first names its work
    (row,) = axrp.query(
        "SELECT m.speaker FROM mentions m JOIN episodes e ON e.id = m.episode_id "
        "WHERE e.title LIKE '11 - %' AND m.via = 'link' AND m.url = ? ORDER BY m.position "
        "LIMIT 1",
        ("https://arxiv.org/abs/1912.01683",),
    )
    assert row["speaker"] == "Daniel Filan"


def test_axrp_posts_read_as_transcripts_give_speaker_turns_under_their_topics():
    from linkgraph.transcripts.page import read_markdown

    path = CORPUS / "axrp" / "2021-09-25-episode-11-attainable-utility-power-alex-turner.markdown"
    segments = read_markdown(path.read_text(encoding="utf-8"))
    speakers = {segment.speaker for segment in segments}
    assert speakers == {None, "Daniel Filan", "Alex Turner"}  # None: the notes before the talk
    topics = [topic for topic in dict.fromkeys(s.topic for s in segments) if topic]
    assert topics == [
        "Side effects minimization",
        "Attainable Utility Preservation",
        "AUP and alignment",
        "Power-seeking",
        "Power-seeking and alignment",
        "Future work and about Alex",
    ]
    first_turn = next(s for s in segments if s.speaker == "Alex Turner")
    assert first_turn.text == "Thanks for having me."
