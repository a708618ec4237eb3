"""The markdown reader: Jekyll posts, every link form, headings as topics."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.model import Topic
from linkgraph.readers import detect_format, read_source
from linkgraph.readers.markdown import _split_front_matter, read

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
POST = "2024-01-15-episode-12-reward-hacking-ada-park.markdown"


def read_fixture(name: str = POST, data: bytes | None = None):
    """The one episode read from a markdown fixture (or from ``data`` under its name)."""
    path = FIXTURES / name
    [episode] = read(path.read_bytes() if data is None else data, str(path))
    return episode


def test_jekyll_front_matter_gives_title_date_and_categories():
    episode = read_fixture()
    assert episode.title == "12 - Reward Hacking with Ada Park"
    assert episode.published == "2024-01-15T09:30:00-07:00"
    assert episode.categories == ["episode"]
    assert episode.url is None
    assert episode.description is None


def test_headings_with_named_anchors_are_topics_nested_by_the_topic_list():
    assert read_fixture().topics == [
        Topic("What is reward hacking?", anchor="what-is-it", level=1, parent=None),
        Topic("Measuring it", anchor="measuring", level=1, parent=None),
        Topic("The benchmark", anchor="benchmark", level=2, parent=1),
        Topic("Following Ada's work", anchor="following-ada", level=1, parent=None),
    ]


def test_inline_reference_autolink_html_and_image_links_are_mentions_in_order():
    episode = read_fixture()
    assert [(m.url, m.anchor_text, m.topic) for m in episode.mentions] == [
        ("https://youtu.be/rewardhack12", "YouTube link", None),
        ("https://arxiv.org/abs/2401.01234", "her paper", None),
        ("https://en.wikipedia.org/wiki/Goodhart%27s_law", "Goodhart's law", 0),  # [text][ref]
        (
            "https://deepmind.example.com/spec-gaming",
            "https://deepmind.example.com/spec-gaming",
            0,
        ),  # <autolink>
        # (text)[url] and [text] (url) are no links, but their text still names the URL
        ("https://en.wikipedia.org/wiki/Goodhart%27s_law", "Goodhart's law", 0),
        ("https://github.com/example/rewardlab", "rewardlab", 1),  # raw <a href>
        ("https://arxiv.org/abs/1906.01820the", "", 1),  # bare, as written
        ("https://www.alignmentforum.org/posts/elk-report", "Eliciting Latent Knowledge", 2),
        ("https://example-blog.com/posts/reward-bench", "the table", 2),
        ("https://example-blog.com/posts/reward-bench", "RewardBench logo", 2),  # image link
        ("https://adapark.example.org/", "adapark.example.org", 3),
        ("https://adapark.example.org/", "her site", 3),  # repeated links are kept
    ]


def test_links_in_html_comments_are_not_mentions():
    urls = " ".join(m.url for m in read_fixture().mentions)
    assert "oldcut12" not in urls
    assert "drafts.example" not in urls


def test_contexts_are_the_sentences_around_the_links():
    contexts = [m.context for m in read_fixture().mentions]
    assert contexts[1] == (
        "In this episode, I speak with Ada Park about her paper on reward hacking."
    )
    assert contexts[2] == "Some call it Goodhart's law in action."
    assert contexts[6] == (
        "The input is https://arxiv.org/abs/1906.01820the position of five levers."
    )
    assert contexts[9] == "See the table and RewardBench logo."


def test_crlf_line_endings_read_the_same():
    lf = (FIXTURES / POST).read_bytes()
    assert b"\r" not in lf
    assert read_fixture(data=lf.replace(b"\n", b"\r\n")) == read_fixture(data=lf)


def test_kramdown_heading_ids_permalink_and_category_list():
    episode = read_fixture("heading_ids.md")
    assert episode.title == "Reading notes on debate"  # no title in front matter
    assert episode.url == "https://papertrails.example/notes/heading-ids/"
    assert episode.categories == ["notes", "papers"]
    assert episode.description == "Notes with kramdown heading ids."
    assert episode.published is None
    assert episode.topics == [
        Topic("Reading notes on debate", level=1),
        Topic("Debate", anchor="debate", level=2, parent=0),
        Topic("Follow-ups", anchor="follow-ups", level=2, parent=0),
    ]
    assert [(m.url, m.context, m.topic) for m in episode.mentions] == [
        (
            "https://arxiv.org/abs/1805.00899",
            "The original is AI safety via debate; a local copy is kept.",
            1,
        ),
        (
            "https://papertrails.example/notes/files/debate.pdf",  # relative to the permalink
            "The original is AI safety via debate; a local copy is kept.",
            1,
        ),
        ("https://doi.org/10.1000/xyz123", "Scalable oversight | doi", 2),  # a table row
    ]


def test_a_post_without_a_date_is_dated_by_its_file_name():
    [episode] = read(
        b"Some notes on [debate](https://arxiv.org/abs/1805.00899).\n",
        "_posts/2023-06-01-mailbag.md",
    )
    assert episode.published == "2023-06-01"
    assert episode.title == "2023-06-01-mailbag"
    assert episode.topics == []


def test_front_matter_that_is_not_yaml_is_read_line_by_line_with_a_warning():
    episode = read_fixture("bad_front_matter.md")
    assert episode.title == "73 • Moving Beyond Syntax: Lessons from Lisp"
    assert episode.published == "2021-05-03"
    assert episode.categories == ["episode", "languages"]
    assert [m.url for m in episode.mentions] == ["https://example.org/lisp"]
    assert len(episode.warnings) == 1
    assert episode.warnings[0].startswith("the front matter is not valid YAML (")
    assert episode.warnings[0].endswith("read line by line: title, date, categories")


def test_front_matter_holding_a_character_no_parser_takes_is_read_line_by_line():
    meta, body, warnings = _split_front_matter("---\ntitle: a\udc80b\ndate: 2021-05-03\n---\nx")
    assert meta == {"title": "a\udc80b", "date": "2021-05-03"}
    assert body == "x"
    assert warnings == [
        "the front matter is not valid YAML (cannot be parsed); read line by line: title, date"
    ]


@pytest.mark.parametrize(
    ("name", "body", "date"),
    [
        ("notes/2021_05_03.md", "Notes.", "2021-05-03"),
        ("_posts/2021-05-03-slug.md", "Notes.", "2021-05-03"),
        ("notes/ep1.md", "# Ep 1\n\n_2023-01-06_\n\nNotes.", "2023-01-06"),
        ("notes/ep1.md", "# Ep 1\n\n_09/22/18_\n\nNotes.", "2018-09-22"),
        ("notes/ep1.md", "# Ep 1\n\n*Published: July 16, 2021*\n\nNotes.", "2021-07-16"),
        ("notes/ep1.md", "# Ep 1\n\nWe met on 2023-01-06 to talk.", None),
    ],
)
def test_a_post_without_a_front_matter_date_is_dated_by_its_name_or_a_date_line(name, body, date):
    [episode] = read(body.encode(), name)
    assert episode.published == date
    assert episode.warnings == []


def test_an_unreadable_front_matter_date_is_a_warning():
    [episode] = read(b"---\ntitle: A\ndate: sometime in spring\n---\nNotes.\n", "a.md")
    assert episode.published is None
    assert episode.warnings == ["the date 'sometime in spring' is not a date linkgraph can read"]


def test_timestamped_list_items_are_topics_as_in_text_notes():
    body = (
        "## Chapters\n\n- 0:00 Intro\n"
        "- 1:17 scratch is a visual language - https://scratch.mit.edu\n"
    )
    [episode] = read(body.encode(), "ep.md")
    assert [(t.title, t.start_seconds, t.parent) for t in episode.topics] == [
        ("Chapters", None, None),
        ("Intro", 0, 0),
        ("scratch is a visual language", 77, 0),
    ]
    assert [(m.anchor_text, m.topic) for m in episode.mentions] == [
        ("scratch is a visual language", 2)
    ]


def test_an_apostrophe_inside_a_bare_url_is_part_of_it():
    [episode] = read(b"See https://en.wikipedia.org/wiki/Fermat's_Last_Theorem.\n", "a.md")
    assert [m.url for m in episode.mentions] == [
        "https://en.wikipedia.org/wiki/Fermat's_Last_Theorem"
    ]


def test_read_source_detects_markdown():
    data = (FIXTURES / POST).read_bytes()
    assert detect_format(data, POST) == "markdown"
    assert len(read_source(data, POST)[0].mentions) == 12
