"""Provisional work titles: which anchor texts name a work, and labels made from URLs."""

from __future__ import annotations

import pytest

from linkgraph.titles import anchor_title, better_title, is_url_label, slug_title, url_label


@pytest.mark.parametrize(
    ("text", "url", "title"),
    [
        ("Democratizing AI", None, "Democratizing AI"),
        ("  A   spaced\ttitle ", None, "A spaced title"),
        ("Sleeper Agents", "https://arxiv.org/abs/2401.05566", "Sleeper Agents"),
        ("word2vec", "https://code.google.com/archive/p/word2vec", "word2vec"),
        (
            "attention is all you need",
            "https://arxiv.org/abs/1706.03762",
            "attention is all you need",
        ),
        ("BERT", "https://arxiv.org/abs/1810.04805", "BERT"),
        ("Limoges, France", "https://en.wikipedia.org/wiki/Limoges", "Limoges, France"),
        # casual lowercase wording names nothing
        ("a paper", "https://arxiv.org/abs/2401.05566", None),
        ("have", "https://example.org/x", None),
        ("posts", "https://www.lesswrong.com/users/x", None),
        ("interesting", "https://example.org/x", None),
        ("here", "https://example.org/x", None),
        ("the democratization paper", "https://arxiv.org/abs/2303.12642", None),
        ("causal scrubbing", "https://www.lesswrong.com/posts/x", "causal scrubbing"),
        ("Polysemanticity", "https://en.wikipedia.org/wiki/Polysemy", "Polysemanticity"),
        # only the link itself: its site, its file type, words for links
        ("YouTube link", "https://www.youtube.com/watch?v=ngTCf2cnGkY", None),
        ("arXiv", "https://arxiv.org/abs/2303.12642", None),
        ("PDF", "https://example.org/paper.pdf", None),
        ("Twitter", "https://twitter.com/someone", None),
        ("Website", "https://roxane.example", None),
        ("Here", None, None),
        ("on GitHub", "https://github.com/a/b", None),
        ("Jan Leike", "https://jan.leike.name/", "Jan Leike"),  # the site itself
        ("LessWrong", "https://www.lesswrong.com", "LessWrong"),
        ("LessWrong", "https://www.lesswrong.com/posts/x/finite-factored-sets", None),
        ('"Risks from Learned Optimization"', None, "Risks from Learned Optimization"),
        # URLs are no titles
        ("arxiv.org/abs/2303.12642", None, None),
        ("https://x.org", None, None),
    ],
)
def test_anchor_title(text, url, title):
    assert anchor_title(text, url) == title


@pytest.mark.parametrize(
    ("url", "label"),
    [
        (
            "https://en.wikipedia.org/wiki/Fermat%27s_Last_Theorem",
            "en.wikipedia.org: Fermat's Last Theorem",
        ),
        ("https://www.youtube.com/watch?v=ngTCf2cnGkY", "youtube.com: ngTCf2cnGkY"),
        ("https://www.lesswrong.com/posts/abc/the-title-here", "lesswrong.com: the title here"),
        ("https://arxiv.org/abs/2303.12642", "arxiv.org: 2303.12642"),
        (
            "https://example.org/papers/against-democratizing-AI.pdf",
            "example.org: against democratizing AI",
        ),
        ("https://example.org/blog/index.html", "example.org: blog"),
        ("https://example.org/", "example.org"),
    ],
)
def test_url_label_is_the_site_and_a_readable_slug(url, label):
    assert url_label(url) == label


@pytest.mark.parametrize(
    ("canonical", "written", "label"),
    [
        # the slug of a forum post's link, past the id its canonical URL keeps
        (
            "https://lesswrong.com/posts/iCfdcxiyr2Kj8m8mT",
            "https://www.alignmentforum.org/posts/iCfdcxiyr2Kj8m8mT/the-shard-theory-of-human-values",
            "lesswrong.com: the shard theory of human values",
        ),
        (
            "https://lesswrong.com/posts/iCfdcxiyr2Kj8m8mT",
            "https://www.lesswrong.com/s/nyEFg3AuJpdAozmoX/p/iCfdcxiyr2Kj8m8mT",
            "lesswrong.com: iCfdcxiyr2Kj8m8mT",
        ),
        # a link that says no more than its canonical URL is labelled by the canonical one
        ("https://arxiv.org/abs/2303.12642", "arxiv.org/pdf/2303.12642v2", "arxiv.org: 2303.12642"),
        (
            "https://youtube.com/watch?v=ngTCf2cnGkY",
            "https://www.youtube.com/watch?utm_source=feed&v=ngTCf2cnGkY",
            "youtube.com: ngTCf2cnGkY",
        ),
    ],
)
def test_url_label_takes_the_slug_a_link_adds_to_its_canonical_url(canonical, written, label):
    assert url_label(canonical, written) == label


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (
            "https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT/the-shard-theory-of-human-values",
            "the shard theory of human values",
        ),
        ("https://blog.example.org/2021/03/ai-and-efficiency/", "ai and efficiency"),
        # the hexadecimal id a site ends its slugs with is no word of the title
        (
            "https://medium.com/@arc/eliciting-latent-knowledge-f977478608fc",
            "eliciting latent knowledge",
        ),
        # a number stays: it may be the title's own ("GPT-3", "Episode 5")
        ("https://x.example.org/p/episode-5-infra-bayesianism", "episode 5 infra bayesianism"),
        # ids, a single word, and pages named by no slug give no title
        ("https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT", None),
        ("https://arxiv.org/abs/1906.01820", None),
        ("https://example.org/publications", None),
        ("https://example.org/", None),
        ("https://example.org/gpt-3-2020", None),
    ],
)
def test_slug_title_reads_a_slug_of_words_as_a_title(url, title):
    assert slug_title(url) == title


def test_a_label_made_from_any_link_of_a_work_is_a_label():
    assert is_url_label("lesswrong.com: the shard theory", "https://lesswrong.com/posts/iCfdcxiyr2")
    assert is_url_label("lesswrong.com", "https://lesswrong.com/")
    assert not is_url_label("The Shard Theory", "https://lesswrong.com/posts/iCfdcxiyr2")


def test_the_most_complete_title_wins():
    full = "Sleeper Agents: Training Deceptive LLMs That Persist Through Safety Training"
    assert better_title(full, "Sleeper Agents")
    assert not better_title("Sleeper Agents", full)
    assert better_title("Sleeper Agents", "arxiv.org: 2401.05566", current_is_label=True)
    assert better_title("Goodhart in Practice", "the survey")  # capitalised beats casual
    assert not better_title("a survey", "Goodhart in Practice")
    assert not better_title("the Alignment Forum", "Alignment Forum")  # says nothing more
