"""The HTML reader and the link walker shared by the HTML, markdown and feed readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.model import Topic
from linkgraph.readers import detect_format, read_source
from linkgraph.readers.base import SourceError
from linkgraph.readers.html import MAX_DEPTH, extract_links, iso_datetime, read

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PAGE_URL = "https://papertrails.example/episode/2024/01/15/reward-hacking.html"


def read_fixture(name: str, source: str = PAGE_URL):
    """The one episode read from an HTML fixture."""
    [episode] = read((FIXTURES / name).read_bytes(), source)
    return episode


def test_page_metadata_comes_from_meta_tags():
    episode = read_fixture("transcript_page.html")
    assert episode.title == "12 - Reward Hacking with Ada Park"
    assert episode.url == PAGE_URL
    assert episode.published == "2024-01-15T09:30:00+00:00"
    assert episode.description == "Ada Park on how policies exploit their reward models."
    assert episode.image == "https://papertrails.example/assets/ep12.png"
    assert episode.podcast == "Paper Trails"
    assert episode.source == PAGE_URL


def test_headings_are_topics_with_anchors_levels_and_parents():
    episode = read_fixture("transcript_page.html")
    assert episode.topics == [
        Topic("12 - Reward Hacking with Ada Park", anchor=None, level=1, parent=None),
        Topic("What is reward hacking?", anchor="what-is-it", level=2, parent=0),
        Topic("Measuring it", anchor="measuring", level=2, parent=0),
        Topic("The benchmark", anchor="benchmark", level=3, parent=2),
        Topic("Following Ada's work", anchor="following-ada", level=2, parent=0),
    ]


def test_every_http_link_and_bare_url_is_a_mention_with_text_context_and_topic():
    episode = read_fixture("transcript_page.html")
    assert [(m.url, m.anchor_text, m.context, m.topic) for m in episode.mentions] == [
        ("https://youtu.be/rewardhack12", "YouTube link", "YouTube link", 0),
        (
            "https://arxiv.org/abs/2401.01234",
            "Goodhart in Practice",
            "She wrote Goodhart in Practice last year.",
            0,
        ),
        (
            "https://en.wikipedia.org/wiki/Goodhart%27s_law",
            "Goodhart's law",
            "Some call it Goodhart's law in action.",
            1,
        ),
        (
            "https://papertrails.example/episode/2023/06/01/mailbag.html",
            "an earlier episode",
            "We covered this in an earlier episode.",
            2,
        ),
        (
            "https://github.com/example/rewardlab",
            "",
            "The code is at https://github.com/example/rewardlab, if you want it.",
            2,
        ),
        (
            "https://example-blog.com/posts/reward-bench",
            "RewardBench",
            "The benchmark is RewardBench.",
            3,
        ),
        (
            "https://adapark.example.org/",
            "adapark.example.org",
            "Ada is at adapark.example.org.",
            4,
        ),
    ]
    assert all(m.section is None for m in episode.mentions)


def test_relative_links_need_a_page_url():
    episode = read_fixture("transcript_page.html", source="notes/reward-hacking.html")
    # the canonical link gives the episode its URL, but is no base for relative links
    assert episode.url == PAGE_URL
    assert "https://papertrails.example/episode/2023/06/01/mailbag.html" not in [
        m.url for m in episode.mentions
    ]
    assert len(episode.mentions) == 6


def test_scripts_navigation_furniture_and_comments_are_not_content():
    episode = read_fixture("page_furniture.html")
    assert [(m.url, m.anchor_text, m.context) for m in episode.mentions] == [
        (
            "https://www.youtube.com/watch?v=abc123def45",
            "a talk on debate",
            "A listener sent a talk on debate.",
        ),
        (
            "https://arxiv.org/abs/1805.00899",
            "And the debate paper again",  # "Label: url" names a bare URL
            "And the debate paper again: https://arxiv.org/abs/1805.00899.",
        ),
    ]
    assert episode.topics == [Topic("Mailbag")]


def test_a_label_line_before_a_list_names_the_section_of_its_links():
    episode = read_fixture("link_groups.html")
    assert [(m.url, m.section, m.context) for m in episode.mentions] == [
        ("https://www.patreon.com/papertrails", None, "Patreon: patreon.com/papertrails"),
        ("https://adapark.example.org", "Links for Ada", "Personal website: adapark.example.org"),
        (
            "https://arxiv.org/abs/2401.01234",
            "Main papers",
            "Goodhart in Practice: arxiv.org/abs/2401.01234",
        ),
        (
            "https://papers.ssrn.com/sol3/papers.cfm?abstract_id=1234567",
            "Main papers",
            "Proxy objectives: papers.ssrn.com",
        ),
        (
            "https://example-blog.com/posts/reward-is-not-enough",
            "Other research we discuss",
            "Reward is not enough (blog post): example-blog.com",
        ),
        (
            "https://deepmind.example.com/spec-gaming",
            "Other research we discuss",
            "Specification gaming: deepmind.example.com",
        ),
        ("https://patpainter.net", None, "Episode art by Pat Painter: patpainter.net"),
        ("https://lightspeedgrants.org/", None, "Thanks to Lightspeed Grants for support."),
    ]
    assert episode.title == "Show notes: reward hacking"  # from <title>
    assert episode.topics == []


def test_base_href_resolves_links_and_other_schemes_are_dropped():
    episode = read_fixture("base_href.html", source="saved/mailbag.html")
    assert [(m.url, m.anchor_text) for m in episode.mentions] == [
        ("https://cdn.papertrails.example/notes/papers/debate.pdf", "the debate pdf"),
        ("https://cdn.papertrails.example/ep/2", "last episode"),
        ("https://video.example/talk", "the talk"),
    ]
    assert episode.title == "Mailbag"  # the <h1> before the <title>
    assert episode.url == "https://papertrails.example/ep/3"  # og:url
    assert episode.published == "2023-06-01"  # JSON-LD datePublished, inside an @graph


def test_time_element_dates_the_page():
    page = b"""<html><head><title>Notes</title></head><body><article>
    <p>Posted <time datetime="2023-03-05T18:00:00Z">March 5</time>.</p></article></body></html>"""
    [episode] = read(page, "notes.html")
    assert episode.published == "2023-03-05T18:00:00+00:00"
    assert episode.url is None
    assert episode.mentions == []


def test_a_page_with_only_scripts_is_refused():
    with pytest.raises(SourceError, match="has no text or links outside scripts"):
        read((FIXTURES / "only_script.html").read_bytes(), "only_script.html")


def test_read_source_detects_html():
    data = (FIXTURES / "transcript_page.html").read_bytes()
    assert detect_format(data, "page") == "html"
    assert read_source(data, PAGE_URL)[0].title == "12 - Reward Hacking with Ada Park"


def test_a_topic_list_of_anchor_links_sets_the_hierarchy_of_flat_headings():
    html = """
    <p>Topics we discuss:</p>
    <ul><li><a href="#a">Alpha</a><ul><li><a href="#b">Beta</a></li></ul></li>
        <li><a href="#c">Gamma</a></li></ul>
    <h2 id="a">Alpha</h2><h2 id="b">Beta</h2><p>See <a href="https://x.example/">x</a>.</p>
    <h2 id="c">Gamma</h2>
    """
    topics, mentions = extract_links(html)
    assert topics == [
        Topic("Alpha", anchor="a", level=1, parent=None),
        Topic("Beta", anchor="b", level=2, parent=0),
        Topic("Gamma", anchor="c", level=1, parent=None),
    ]
    assert [(m.url, m.topic) for m in mentions] == [("https://x.example/", 1)]


def test_a_link_around_blocks_keeps_all_its_text_and_the_context_of_its_first_line():
    html = '<a href="https://x.example/p"><h3>Card title</h3><p>Card text.</p></a>'
    topics, mentions = extract_links(html)
    assert topics == [Topic("Card title")]
    assert [(m.anchor_text, m.context, m.topic) for m in mentions] == [
        ("Card title Card text.", "Card title", 0)
    ]


def test_image_links_take_the_alt_text_and_table_rows_are_one_line():
    html = """<table><tr><td>Logo</td>
    <td><a href="https://x.example/"><img src="logo.png" alt="Example logo"></a></td></tr>
    </table>"""
    _, mentions = extract_links(html)
    assert [(m.anchor_text, m.context) for m in mentions] == [
        ("Example logo", "Logo | Example logo")
    ]


def test_hrefs_with_whitespace_and_relative_links_against_a_base_url():
    html = '<p><a href=" https://x.example/a\n/b ">a</a> <a href="../c">c</a> <a href="">e</a></p>'
    _, mentions = extract_links(html, "https://x.example/notes/1/")
    assert [m.url for m in mentions] == ["https://x.example/a/b", "https://x.example/notes/c"]


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2023-11-26 15:30 -0700", "2023-11-26T15:30:00-07:00"),
        ("2023-11-26", "2023-11-26"),
        ("2023-11-26T15:30:05Z", "2023-11-26T15:30:05+00:00"),
        ("2023-11-26T15:30:05.123+05:30", "2023-11-26T15:30:05+05:30"),
        ("2023-11-26 15:30:05", "2023-11-26T15:30:05"),
        ("Sun, 26 Nov 2023 15:30:00 -0700", "2023-11-26T15:30:00-07:00"),
        ("July 16, 2021", "2021-07-16"),
        ("Friday, 16 July 2021 3:15pm", "2021-07-16T15:15:00"),
        ("2023-02-30", None),
        ("July 2021", None),  # no day
        ("next Tuesday", None),
        (None, None),
    ],
)
def test_iso_datetime(written, iso):
    assert iso_datetime(written) == iso


def test_malformed_urls_are_no_urls_not_errors():
    page = (
        b'<base href="http://example.org/abs/2303.12642">'
        b'<link rel="canonical" href="http://[/abs/2303.12642">'
        b'<a href="//[broken/path">broken</a> <a href="/ok">fine</a>'
    )
    (episode,) = read(page, "notes")
    assert episode.url is None
    assert [m.url for m in episode.mentions] == ["http://example.org/ok"]


# --- titles and groups of links in notes ----------------------------------------------


def anchors(html: str, base: str | None = None) -> list[tuple[str, str, str | None]]:
    """(url, anchor text, section) of each mention in an HTML fragment."""
    return [(m.url, m.anchor_text, m.section) for m in extract_links(html, base)[1]]


@pytest.mark.parametrize(
    "line",
    [
        "Sleeper Agents - https://arxiv.org/abs/2401.05566",
        "Sleeper Agents — https://arxiv.org/abs/2401.05566",
        "Sleeper Agents (https://arxiv.org/abs/2401.05566)",
        "https://arxiv.org/abs/2401.05566 – Sleeper Agents",
        "[Sleeper Agents] https://arxiv.org/abs/2401.05566",
        'Sleeper Agents - <a href="https://arxiv.org/abs/2401.05566">arxiv.org/abs/2401.05566</a>',
        'Sleeper Agents: <a href="https://arxiv.org/abs/2401.05566">https://arxiv.org/abs/2401.05566</a>',
        "Sleeper Agents<br>https://arxiv.org/abs/2401.05566",
    ],
)
def test_a_link_written_as_its_url_takes_the_title_its_line_gives(line):
    assert anchors(f"<p>{line}</p>") == [
        ("https://arxiv.org/abs/2401.05566", "Sleeper Agents", None)
    ]


def test_a_link_with_its_own_text_keeps_it():
    html = '<ul><li><a href="https://jsair.io/eggheadio">Egghead.io</a> - Video training</li></ul>'
    assert anchors(html) == [("https://jsair.io/eggheadio", "Egghead.io", None)]


def test_a_line_over_two_lone_urls_heads_them_and_titles_neither():
    html = "<p>Links:<br>https://example.org/a<br>https://example.org/b</p>"
    assert anchors(html) == [
        ("https://example.org/a", "", "Links"),
        ("https://example.org/b", "", "Links"),
    ]


@pytest.mark.parametrize("label", ["Papers discussed:", "Deep Dives:", "Quick Hits"])
def test_group_labels_name_the_section_of_a_list(label):
    html = (
        f"<p><strong>{label}</strong></p><ul>"
        '<li>Sleeper Agents - <a href="https://arxiv.org/abs/2401.05566">link</a></li></ul>'
        '<p>Thanks to <a href="https://grants.example">our funder</a>.</p>'
    )
    name = label.rstrip(":")
    assert anchors(html) == [
        ("https://arxiv.org/abs/2401.05566", "link", name),
        ("https://grants.example", "our funder", None),
    ]


def test_a_colon_label_names_linked_lines_timestamped_or_not():
    html = (
        "<p>Papers discussed:</p>"
        "<p>[12:34] Sleeper Agents — https://arxiv.org/abs/2401.05566</p>"
        "<p>Goodhart in Practice - https://arxiv.org/abs/2401.01234</p>"
        "<p>We also talked for a long while about many other things. See https://x.example.</p>"
    )
    topics, mentions = extract_links(html, timestamps=True)
    assert [(t.start_seconds, t.title) for t in topics] == [(754, "Sleeper Agents")]
    assert [(m.anchor_text, m.section, m.topic) for m in mentions] == [
        ("Sleeper Agents", "Papers discussed", 0),
        ("Goodhart in Practice", "Papers discussed", 0),
        ("", None, 0),
    ]


def test_a_label_over_chapters_without_links_is_no_section():
    html = (
        "<p>Show notes:</p><p><strong>4:30</strong> - Introductions</p>"
        '<ul><li><a href="https://en.wikipedia.org/wiki/Limoges">Limoges, France</a></li></ul>'
    )
    topics, mentions = extract_links(html, timestamps=True)
    assert [t.title for t in topics] == ["Introductions"]
    assert [(m.anchor_text, m.section, m.topic) for m in mentions] == [("Limoges, France", None, 0)]


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("twitter.com/someone", "https://twitter.com/someone"),
        ("www.example.org", "https://www.example.org"),
        ("notes/oversight.html", "https://papertrails.example/ep/notes/oversight.html"),
        ("oversight.html", "https://papertrails.example/ep/oversight.html"),
        ("Joar Wandborg", None),
    ],
)
def test_hrefs_without_a_scheme(href, url):
    found = [
        m.url
        for m in extract_links(f'<a href="{href}">x</a>', "https://papertrails.example/ep/")[1]
    ]
    assert found == ([url] if url else [])


def test_a_link_left_open_across_blocks_is_one_link():
    html = '<p><a href="https://x.example/a"></p><p>The page.</a></p><p>Then <a href="https://x.example/a">again</a></p>'
    assert anchors(html) == [
        ("https://x.example/a", "The page.", None),
        ("https://x.example/a", "again", None),  # text between: another mention
    ]


@pytest.mark.parametrize(
    "href",
    [
        "%20https://x.example/a",
        " https://x.example/a%20",
        "\u202ahttps://x.example/a",
        "http://https://x.example/a",
        "https://x.example/\ta",
        "https://x.example/a\u200b",
    ],
)
def test_pasting_slips_in_hrefs_are_undone(href):
    assert [m.url for m in extract_links(f'<a href="{href}">a</a>')[1]] == ["https://x.example/a"]


def test_markup_one_level_deeper_than_the_limit_is_refused_and_many_shallow_tags_are_not():
    link = '<a href="https://x.example/a">a</a>'
    with pytest.raises(SourceError, match=f"more than {MAX_DEPTH} levels deep"):
        extract_links("<div>" * MAX_DEPTH + link)  # the link is one level more
    assert len(extract_links("<div>" * (MAX_DEPTH - 1) + link)[1]) == 1
    assert len(extract_links("<p><b>x</b></p>" * (2 * MAX_DEPTH) + link)[1]) == 1
