"""The plain-text reader: show notes as pasted from a podcast app."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkgraph.model import Episode, Mention
from linkgraph.readers.base import SourceError
from linkgraph.readers.text import read

FIXTURES = Path(__file__).parent / "fixtures"


def read_text(text: str, source: str = "notes.txt") -> Episode:
    """Read ``text`` and return its single episode."""
    episodes = read(text.encode("utf-8"), source)
    assert len(episodes) == 1
    return episodes[0]


def read_fixture(name: str) -> Episode:
    """Read a fixture file and return its single episode."""
    path = FIXTURES / name
    episodes = read(path.read_bytes(), str(path))
    assert len(episodes) == 1
    return episodes[0]


def urls(episode: Episode) -> list[str]:
    """The URLs of an episode's mentions, in order."""
    return [mention.url for mention in episode.mentions]


def only_mention(text: str) -> Mention:
    """The one mention found in ``text``."""
    mentions = read_text(text).mentions
    assert len(mentions) == 1
    return mentions[0]


# --- URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("arxiv.org/abs/2303.12642", "https://arxiv.org/abs/2303.12642"),
        ("patreon.com/axrpodcast", "https://patreon.com/axrpodcast"),
        ("goattack.far.ai", "https://goattack.far.ai"),
        ("governance.ai", "https://governance.ai"),
        ("papers.ssrn.com/sol3/papers.cfm?id=1", "https://papers.ssrn.com/sol3/papers.cfm?id=1"),
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org/page", "http://example.org/page"),
    ],
)
def test_scheme_less_and_http_urls_are_mentions(written: str, url: str) -> None:
    mention = only_mention(f"- {written}")
    assert mention.url == url
    assert mention.anchor_text == written


@pytest.mark.parametrize(
    "line",
    [
        "see arxiv.org/abs/2303.12642.",
        "(see arxiv.org/abs/2303.12642)",
        "see arxiv.org/abs/2303.12642, then",
        "is it arxiv.org/abs/2303.12642?",
        "“arxiv.org/abs/2303.12642”",
        "see https://arxiv.org/abs/2303.12642;",
    ],
)
def test_trailing_punctuation_is_not_part_of_the_url(line: str) -> None:
    assert only_mention(line).url == "https://arxiv.org/abs/2303.12642"


def test_words_with_dots_and_email_addresses_are_not_urls() -> None:
    episode = read_text("E.g. v1.2 of node.js, i.e. the U.S. one; write to host@example.com")
    assert episode.mentions == []


def test_several_urls_on_one_line_each_get_their_label() -> None:
    episode = read_text("Patreon: patreon.com/show, Ko-fi: ko-fi.com/show")
    assert [(m.url, m.anchor_text) for m in episode.mentions] == [
        ("https://patreon.com/show", "Patreon"),
        ("https://ko-fi.com/show", "Ko-fi"),
    ]


# --- labels and context -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("- Personal website: elizabethseger.com", "Personal website"),
        ("Patreon: patreon.com/axrpodcast", "Patreon"),
        ('- Against "Democratizing AI": example.net/against.pdf', 'Against "Democratizing AI"'),
        (
            "- Democratizing AI: Multiple Meanings, Goals, and Methods: arxiv.org/abs/2303.12642",
            "Democratizing AI: Multiple Meanings, Goals, and Methods",
        ),
        ("* A paper (blog post): https://example.org/post", "A paper (blog post)"),
        ("1. Numbered: example.org/one", "Numbered"),
        ("Can LLMs Reason? Evidence: arxiv.org/abs/2401.00003", "Can LLMs Reason? Evidence"),
        ("- Go! Go! Go!: example.org/go", "Go! Go! Go!"),
    ],
)
def test_label_lines_give_the_anchor_text(line: str, label: str) -> None:
    mention = only_mention(line)
    assert mention.anchor_text == label
    assert mention.context.endswith(mention.url.removeprefix("https://"))


def test_without_a_label_the_anchor_is_the_url_as_written() -> None:
    for line in ("- arxiv.org/abs/2303.12642", "Paper at arxiv.org/abs/2303.12642"):
        assert only_mention(line).anchor_text == "arxiv.org/abs/2303.12642"


def test_a_colon_without_a_space_is_no_label() -> None:
    mention = only_mention("- Code:https://github.com/example/code")
    assert mention.anchor_text == "https://github.com/example/code"


def test_context_is_the_line_without_its_list_marker() -> None:
    mention = only_mention("   - Lab site: example.org")
    assert mention.context == "Lab site: example.org"


def test_prose_with_urls_uses_the_sentence_and_the_url_as_written() -> None:
    text = (
        "We talk about many things. The paper is at arxiv.org/abs/2401.00001 and the code "
        "at github.com/example/code. Later: more. "
    ) + "Then we talk for a long while about what it all means. " * 4
    episode = read_text(text)
    assert [(m.url, m.anchor_text, m.section, m.topic) for m in episode.mentions] == [
        ("https://arxiv.org/abs/2401.00001", "arxiv.org/abs/2401.00001", None, None),
        ("https://github.com/example/code", "github.com/example/code", None, None),
    ]
    sentence = "The paper is at arxiv.org/abs/2401.00001 and the code at github.com/example/code."
    assert [m.context for m in episode.mentions] == [sentence, sentence]
    assert episode.description == text.strip()


@pytest.mark.parametrize(
    "text", ["We covered a lot today. Her website: example.org", "- Done. Site: example.org"]
)
def test_prose_with_a_colon_before_the_url_gives_no_label(text: str) -> None:
    assert only_mention(text).anchor_text == "example.org"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Sleeper Agents — https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("Sleeper Agents – https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("Sleeper Agents - https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("Sleeper Agents (https://arxiv.org/abs/2401.05566)", "Sleeper Agents"),
        ("• [12:34] Sleeper Agents — https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("https://arxiv.org/abs/2401.05566 - Sleeper Agents", "Sleeper Agents"),
        ("[Sleeper Agents] https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("Sleeper Agents\nhttps://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("Sleeper Agents:\nhttps://arxiv.org/abs/2401.05566\n", "Sleeper Agents"),
    ],
)
def test_title_forms_give_the_anchor_text(text: str, title: str) -> None:
    assert only_mention(text).anchor_text == title


def test_a_timestamped_title_line_is_a_topic_and_names_its_link() -> None:
    episode = read_text("• [12:34] Sleeper Agents — https://arxiv.org/abs/2401.05566")
    assert [(t.start_seconds, t.title) for t in episode.topics] == [(754, "Sleeper Agents")]
    assert [(m.anchor_text, m.topic) for m in episode.mentions] == [("Sleeper Agents", 0)]


def test_a_line_over_several_lone_urls_heads_them_and_titles_none() -> None:
    text = "Links:\nhttps://example.org/a\nhttps://example.org/b\n"
    assert sections(text) == [
        ("https://example.org/a", "Links"),
        ("https://example.org/b", "Links"),
    ]


def test_titles_above_urls_inside_a_link_group() -> None:
    text = (
        "Links: \u200b\nAndy's website: http://andyschroder.com/\n"
        "Distributed Charge overview:\nhttp://andyschroder.com/DistributedCharge/alpha/\n"
        "Board A0 overview:\nhttp://andyschroder.com/DistributedCharge/BoardA0/Overview/\n"
    )
    assert sections(text) == [
        ("Andy's website", "Links"),
        ("Distributed Charge overview", "Links"),
        ("Board A0 overview", "Links"),
    ]


def test_an_apostrophe_inside_a_bare_url_is_part_of_it() -> None:
    text = "See en.wikipedia.org/wiki/Fermat's_Last_Theorem and 'https://example.org/a'."
    assert [m.url for m in read_text(text).mentions] == [
        "https://en.wikipedia.org/wiki/Fermat's_Last_Theorem",
        "https://example.org/a",
    ]


# --- sections ---------------------------------------------------------------------------


def sections(text: str) -> list[tuple[str, str | None]]:
    """(anchor text, section) of each mention in ``text``."""
    return [(m.anchor_text, m.section) for m in read_text(text).mentions]


def test_group_headings_set_the_section_until_the_next_heading() -> None:
    text = (
        "Links for Ada:\n- Site: ada.example.org\n"
        "Main papers:\n- One: arxiv.org/abs/2401.00001\n- Two: arxiv.org/abs/2401.00002\n"
        "Other research we discuss:\n- Three: example.org/three\n"
    )
    assert sections(text) == [
        ("Site", "Links for Ada"),
        ("One", "Main papers"),
        ("Two", "Main papers"),
        ("Three", "Other research we discuss"),
    ]


def test_a_blank_line_ends_a_section() -> None:
    text = "Main papers:\n- One: example.org/one\n\n- Two: example.org/two\n"
    assert sections(text) == [("One", "Main papers"), ("Two", None)]


def test_a_blank_line_right_after_the_heading_keeps_the_section() -> None:
    text = "Main papers:\n\n- One: example.org/one\n"
    assert sections(text) == [("One", "Main papers")]


def test_a_prose_paragraph_ends_a_section() -> None:
    text = "Main papers:\n- One: example.org/one\nThat was all.\n- Two: example.org/two\n"
    assert sections(text) == [("One", "Main papers"), ("Two", None)]


def test_an_unlisted_line_after_listed_entries_ends_the_section() -> None:
    text = "Other research:\n- One: example.org/one\nEpisode art by Pat: pat.example.net\n"
    assert sections(text) == [("One", "Other research"), ("Episode art by Pat", None)]


def test_a_section_of_unlisted_entries() -> None:
    text = "Support the show:\nPatreon: patreon.com/show\nKo-fi: ko-fi.com/show\n"
    assert sections(text) == [("Patreon", "Support the show"), ("Ko-fi", "Support the show")]


def test_a_long_line_ending_with_a_colon_is_not_a_heading() -> None:
    heading = "In this part of the notes we list a great many things that came up, namely these:"
    assert sections(f"{heading}\n- One: example.org/one\n") == [("One", None)]


@pytest.mark.parametrize("heading", ["Papers discussed:", "Deep Dives:", "Quick Hits"])
def test_group_headings_are_sections_with_or_without_timestamps(heading: str) -> None:
    text = (
        f"{heading}\n[12:34] Sleeper Agents — https://arxiv.org/abs/2401.05566\n"
        "- Goodhart in Practice: arxiv.org/abs/2401.01234\n"
    )
    plain = f"{heading}\n- Sleeper Agents — https://arxiv.org/abs/2401.05566\n"
    name = heading.rstrip(":")
    assert sections(text) == [("Sleeper Agents", name), ("Goodhart in Practice", name)]
    assert sections(plain) == [("Sleeper Agents", name)]


def test_a_short_line_over_prose_is_no_heading() -> None:
    text = "Thanks for listening\nWe covered a lot today. See https://example.org/a for more.\n"
    assert sections(text) == [("https://example.org/a", None)]


def test_the_topics_heading_is_not_a_section() -> None:
    text = "Topics we discuss, and timestamps:\n- 0:00:40 - Intro\nThe transcript: example.org/t\n"
    episode = read_text(text)
    assert [m.section for m in episode.mentions] == [None]
    assert [t.title for t in episode.topics] == ["Intro"]


# --- timestamped topics -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "seconds", "title"),
    [
        ("- 0:00:40 - What kinds of AI?", 40, "What kinds of AI?"),
        ("00:40 Intro", 40, "Intro"),
        ("1:02:03 Topic", 3723, "Topic"),
        ("[12:34] Topic", 754, "Topic"),
        ("(1:55:23) Following the research", 6923, "Following the research"),
        ("* 12:34 – Dash", 754, "Dash"),
        ("12:34 | Pipe", 754, "Pipe"),
        ("3. 12:34 Numbered", 754, "Numbered"),
    ],
)
def test_timestamp_forms(line: str, seconds: int, title: str) -> None:
    topics = read_text(line).topics
    assert [(t.start_seconds, t.title) for t in topics] == [(seconds, title)]


def test_not_timestamps() -> None:
    assert read_text("12:75 Not a time\n2:1 ratio\n").topics == []


def test_topics_and_links_in_a_timestamp_block() -> None:
    episode = read_fixture("text_chapters.txt")
    assert [(t.start_seconds, t.title) for t in episode.topics] == [
        (0, "Intro"),
        (135, "The benchmark"),
        (754, "Related work"),
        (3723, "Results"),
        (4200, "Wrap-up"),
    ]
    assert [(m.url, m.anchor_text, m.topic, m.section) for m in episode.mentions] == [
        ("https://github.com/example/bench", "The benchmark", 1, None),
        ("https://example.org/leaderboard", "Leaderboard", 1, None),
        ("https://arxiv.org/abs/2301.00001", "Earlier paper", 2, None),
        ("https://example.org/results", "Results", 3, None),  # "Results (url)"
        ("https://example.org/slides.pdf", "Slides", 4, None),
        ("https://github.com/example/code", "Code", None, None),
    ]
    assert episode.mentions[0].context == "[02:15] The benchmark: github.com/example/bench"
    assert episode.description == "Thanks for listening!"


def test_links_after_the_topic_list_have_no_topic() -> None:
    text = "00:10 One\n00:20 Two\nThe transcript: example.org/t\nMain papers:\n- P: example.org/p\n"
    assert [m.topic for m in read_text(text).mentions] == [None, None]


# --- junk -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    [
        "Sign up to save your podcasts",
        "Or",
        "By Daniel Filan",
        " By Daniel Filan",
        "By Daniel Filan4.4",
        "4.4",
        "88 ratings",
        "26,377 Listeners",
        "1.2K Listeners",
        "Nov 26, 2023 · 1 hr 57 min",
        "1 hr 57 min",
        "Share",
        "More episodes",
    ],
)
def test_page_junk_is_ignored(junk: str) -> None:
    episode = read_text(f"{junk}\nThe real description.\n")
    assert episode.description == "The real description."
    assert episode.topics == [] and episode.mentions == []


def test_junk_between_link_lines_ends_a_section() -> None:
    text = "Main papers:\n- One: example.org/one\n26,377 Listeners\n- Two: example.org/two\n"
    assert sections(text) == [("One", "Main papers"), ("Two", None)]


def test_prose_starting_with_by_is_kept() -> None:
    text = "By the end of the episode, we agree on almost everything."
    assert read_text(text).description == text


# --- repeated notes and the seed-shaped page --------------------------------------------


def test_a_repeated_block_is_recorded_once() -> None:
    block = (
        "Intro text.\nTopics:\n0:10 One\n0:20 Two: example.org/two\n"
        "Main papers:\n- P: example.org/p\n"
    )
    episode = read_text(block + "88 ratings\n" + block)
    assert [t.title for t in episode.topics] == ["One", "Two"]
    assert [(m.url, m.topic, m.section) for m in episode.mentions] == [
        ("https://example.org/two", 1, None),
        ("https://example.org/p", None, "Main papers"),
    ]


def test_the_same_url_under_another_label_or_section_is_another_mention() -> None:
    text = "Main papers:\n- P: example.org/p\nOther:\n- P: example.org/p\n- Q: example.org/p\n"
    assert sections(text) == [("P", "Main papers"), ("P", "Other"), ("Q", "Other")]


def test_seed_shaped_page() -> None:
    episode = read_fixture("text_show_notes.txt")
    assert episode.title == "Ada example"  # from "The transcript: …/ada-example.html"
    assert episode.source == str(FIXTURES / "text_show_notes.txt")
    assert episode.url is None
    assert episode.description is not None
    assert episode.description.startswith("Reward models are everywhere")
    assert episode.description.endswith("measuring reward hacking.")
    assert [(t.start_seconds, t.title) for t in episode.topics] == [
        (35, "What is reward hacking?"),
        (432, "Measuring it: the benchmark"),
        (1910, "Does scale help?"),
        (3849, "Following Ada's work"),
    ]
    assert [(m.url, m.anchor_text, m.section, m.topic) for m in episode.mentions] == [
        ("https://patreon.com/exampleshow", "Patreon", None, None),
        ("https://ko-fi.com/exampleshow", "Ko-fi", None, None),
        (
            "https://example-show.net/episode/2024/01/15/ada-example.html",
            "The transcript",
            None,
            None,
        ),
        ("https://adaexample.org", "Personal website", "Links for Ada", None),
        (
            "https://alignment-group.example.org",
            "Lab: Example Alignment Group",
            "Links for Ada",
            None,
        ),
        (
            "https://arxiv.org/abs/2401.01234",
            "Goodhart in Practice: Measuring Reward Hacking in Language Models",
            "Main papers",
            None,
        ),
        (
            "https://papers.ssrn.com/sol3/papers.cfm?abstract_id=1234567",
            "Proxy objectives: a survey",
            "Main papers",
            None,
        ),
        (
            "https://example-blog.com/posts/reward-is-not-enough",
            'Why "Reward Is Enough" Is Not Enough (blog post)',
            "Other research we discuss",
            None,
        ),
        (
            "https://deepmind.example.com/spec-gaming",
            "Specification gaming examples",
            "Other research we discuss",
            None,
        ),
        ("https://patpainter.net", "Episode art by Pat Painter", None, None),
    ]
    assert episode.mentions[5].context == (
        "Goodhart in Practice: Measuring Reward Hacking in Language Models: "
        "arxiv.org/abs/2401.01234"
    )


# --- episode fields and bad input -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("/data/notes/episode-26.txt", "episode-26"),
        ("C:\\notes\\episode-26.txt", "episode-26"),
        ("https://example.org/show/episode-26.txt?download=1", "episode-26"),
    ],
)
def test_notes_without_text_are_titled_by_the_source_stem(source: str, title: str) -> None:
    episode = read_text("Links:\n- P: example.org/p\n", source)
    assert (episode.title, episode.source, episode.url) == (title, source, None)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Great talk. More here.\nThe transcript: https://axrp.net/episode/2023/11/26/"
            "episode-26-ai-governance-elizabeth-seger.html\n",
            "Episode 26 ai governance elizabeth seger",
        ),
        (
            "Sign up to save your podcasts\nReward Hacking With Ada\n- P: example.org/p\n",
            "Reward Hacking With Ada",
        ),
        (
            "Reward models are everywhere. What happens when a policy exploits them?\n",
            "Reward models are everywhere",
        ),
        ("Main papers:\n- P: example.org/p\n", "episode-26"),  # only a label line
    ],
)
def test_pasted_notes_are_titled_from_their_text(text: str, title: str) -> None:
    assert read_text(text, "/data/episode-26.txt").title == title


def test_description_is_the_first_prose_paragraph() -> None:
    text = "Main papers:\n- P: example.org/p\nFirst line.\nSecond line.\n\nLater paragraph.\n"
    assert read_text(text).description == "First line.\nSecond line."


def test_no_prose_means_no_description() -> None:
    assert read_text("- P: example.org/p\n").description is None


def test_crlf_line_endings() -> None:
    episode = read(b"Main papers:\r\n- P: example.org/p\r\n", "notes.txt")[0]
    assert [(m.anchor_text, m.section) for m in episode.mentions] == [("P", "Main papers")]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"caf\xe9 au lait: example.org\xff\xfe",
    ],
)
def test_bad_input_raises_source_error(data: bytes) -> None:
    with pytest.raises(SourceError):
        read(data, "bad.txt")
