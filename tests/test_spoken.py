"""Spoken citations: every kind of reference a transcript makes without a link, and the
words that look like one but are not."""

from __future__ import annotations

from collections import Counter

import pytest

from linkgraph.model import Episode, Mention, Segment
from linkgraph.spoken.catalog import known_works
from linkgraph.spoken.known import KnownWork
from linkgraph.spoken.matcher import SpokenMatcher
from linkgraph.store import Store

CHINCHILLA = KnownWork(
    1,
    titles=("Training Compute-Optimal Large Language Models",),
    aliases=("Chinchilla", "the Chinchilla paper"),
    ids=("arxiv:2203.15556",),
    authors=("Jordan Hoffmann", "Sebastian Borgeaud"),
    year=2022,
)
ADAM = KnownWork(
    2,
    titles=("Adam: A Method for Stochastic Optimization",),
    authors=("Diederik P. Kingma", "Jimmy Ba"),
    year=2014,
)
ROME = KnownWork(3, titles=("Locating and Editing Factual Associations in GPT",), aliases=("ROME",))
RISKS = KnownWork(
    4,
    titles=("Risks from Learned Optimization in Advanced Machine Learning Systems",),
    authors=("Evan Hubinger", "Chris van Merwijk"),
    year=2019,
)
POWER = KnownWork(
    5,
    titles=("Optimal Policies Tend to Seek Power",),
    authors=("Alexander Matt Turner", "Logan Smith"),
    year=2019,
)
CCS = KnownWork(
    6,
    titles=("Discovering Latent Knowledge in Language Models Without Supervision",),
    aliases=("the CCS paper",),
    ids=("doi:10.1145/3442188.3445922",),
)
ATTENTION = KnownWork(7, titles=("Attention",), year=2017)
APOLLO = KnownWork(8, titles=("Apollo",), aliases=("Apollo",))
REWARD = KnownWork(9, titles=("Reward Modeling",), aliases=("Reward Modeling",))
LESSON = KnownWork(10, kind="post", aliases=("the bitter lesson",))
FORUM = KnownWork(11, kind="post", aliases=("LessWrong",), site=True)
FUTURE = KnownWork(12, titles=("Avoiding Side Effects by Considering Future Tasks",))
TURNER_AUP = KnownWork(
    13,
    titles=("Conservative Agency via Attainable Utility Preservation",),
    authors=("Alexander Matt Turner",),
    year=2020,
)
BLOG = KnownWork(14, kind="post", aliases=("Paul Christiano",))
HOME = KnownWork(15, kind="site", aliases=("Chinchilla",))
WORKS = [
    CHINCHILLA, ADAM, ROME, RISKS, POWER, CCS, ATTENTION, APOLLO, REWARD, LESSON, FORUM,
    FUTURE, TURNER_AUP, BLOG, HOME,
]  # fmt: skip


@pytest.fixture(scope="module")
def matcher() -> SpokenMatcher:
    return SpokenMatcher(WORKS, entities=["Paul Christiano"])


def found(matcher: SpokenMatcher, *texts: str, **options) -> list[tuple[int | None, str]]:
    """(work, matched words) of every reference in a transcript of these segments."""
    segments = [Segment(text, start=10.0 * i, speaker="Ann") for i, text in enumerate(texts)]
    return [(ref.work_id, ref.matched) for ref in matcher.find(segments, **options)]


# ---- identifiers -------------------------------------------------------------------------


def test_identifiers_said_name_their_work_or_a_work_the_store_lacks(matcher):
    segments = [Segment("See arXiv 2203.15556, and also arXiv:1706.03762v5.", 61.0, None, "Bo")]
    refs = matcher.find(segments)
    assert [(r.work_id, r.identifier, r.matched, r.rule) for r in refs] == [
        (1, "arxiv:2203.15556", "arXiv 2203.15556", "identifier"),
        (None, "arxiv:1706.03762", "arXiv:1706.03762v5", "identifier"),
    ]
    assert {(r.speaker, r.start) for r in refs} == {("Bo", 61.0)}


def test_a_doi_said_finds_its_work(matcher):
    assert found(matcher, "Its DOI 10.1145/3442188.3445922 is on the page.") == [
        (6, "DOI 10.1145/3442188.3445922")
    ]


# ---- titles ------------------------------------------------------------------------------


def test_a_title_in_any_case_and_punctuation(matcher):
    assert found(matcher, "They argue optimal policies tend to seek-power, formally.") == [
        (5, "optimal policies tend to seek-power")
    ]


def test_a_word_whose_compatibility_form_is_several_words_stays_one_word(matcher):
    """U+FDFA is one letter whose compatibility form is four words."""
    refs = found(matcher, "He said \ufdfa, then read Optimal Policies Tend To Seek Power.")
    assert refs == [(5, "Optimal Policies Tend To Seek Power")]


def test_a_title_with_a_word_changed(matcher):
    refs = found(
        matcher, "We wrote risks from learned optimisation in advanced machine learning system."
    )
    assert refs == [(4, "risks from learned optimisation in advanced machine learning system")]


def test_a_title_cut_short(matcher):
    refs = found(matcher, "Read Risks from Learned Optimization in Advanced, it explains it.")
    assert refs == [(4, "Risks from Learned Optimization in Advanced")]


def test_a_title_said_across_two_captions(matcher):
    refs = matcher.find(
        [
            Segment("The next one is Optimal Policies Tend", 5.0, 7.0, "Ann"),
            Segment("to Seek Power, by Turner.", 7.0, 9.0, "Ann"),
        ]
    )
    assert [(r.work_id, r.segment, r.start) for r in refs] == [(5, 0, 5.0)]


def test_a_title_cut_short_ends_on_a_word_that_names_something():
    work = KnownWork(16, kind="post", titles=("mechanistic anomaly detection and elk",))
    refs = found(SpokenMatcher([work]), "We wrote Mechanistic Anomaly Detection and then more.")
    assert refs == [(16, "Mechanistic Anomaly Detection")]


def test_a_title_cut_short_needs_support_from_its_context():
    """Its opening alone, said in running words, is as often an ordinary phrase."""
    work = KnownWork(17, kind="post", titles=("Progress on AI Safety via Debate",))
    said = SpokenMatcher([work])
    assert found(said, "A lot of progress on AI safety hinges on interpretability.") == []
    assert found(said, "The Progress on AI Safety post hinges on it.") == [
        (17, "Progress on AI Safety")
    ]


def test_words_of_a_url_written_in_a_transcript_are_no_name_said(matcher):
    assert found(matcher, "It is at https://example.org/the-bitter-lesson-paper.html now.") == []
    assert found(matcher, "It is the bitter lesson paper now.") == [(10, "bitter lesson")]


def test_part_of_a_title_said_as_a_paper(matcher):
    assert found(matcher, "What I concluded in the Future Task paper is different.") == [
        (12, "Future Task")
    ]


# ---- aliases -----------------------------------------------------------------------------


def test_an_alias_with_a_citing_noun(matcher):
    assert found(matcher, "So in the Chinchilla paper they trained longer.") == [(1, "Chinchilla")]


def test_an_acronym_alias_is_matched_only_in_capitals(matcher):
    assert found(matcher, "ROME edits one fact at a time.") == [(3, "ROME")]
    assert found(matcher, "We flew to Rome for the conference.") == []


def test_an_alias_learned_as_the_x_paper(matcher):
    assert found(matcher, "Compare the CCS paper: it finds truth directions.") == [(6, "CCS")]


def test_a_person_is_no_alias_of_a_work_on_another_site(matcher):
    assert found(matcher, "As Paul Christiano said, it is hard.") == []


def test_a_whole_site_is_never_cited(matcher):
    # work 11 is a forum's home page: naming the forum cites no work on it
    assert found(matcher, "There is this LessWrong post by someone.") == []
    assert found(matcher, 'The forum is called "LessWrong".') == []


def test_a_name_between_an_indefinite_article_and_a_document_noun_is_not_cited(matcher):
    assert found(matcher, "I found a ROME paper from some lab.") == []
    assert found(matcher, "I found the ROME paper.") == [(3, "ROME")]


def test_kinds_that_are_not_works_are_not_matched(matcher):
    # work 15 is a home page: naming it cites nothing
    assert all(work != 15 for work, _ in found(matcher, "The Chinchilla paper again."))


# ---- author-year -------------------------------------------------------------------------


def test_author_et_al(matcher):
    assert found(matcher, "Hubinger et al. worry about mesa-optimizers.") == [
        (4, "Hubinger et al.")
    ]


def test_the_year_paper_by_an_author(matcher):
    assert found(matcher, "There is the 2019 paper by Turner on power.") == [
        (5, "2019 paper by Turner")
    ]


def test_two_authors_and_a_year(matcher):
    assert found(matcher, "We used the optimizer of Kingma and Ba 2014.") == [
        (2, "Kingma and Ba 2014")
    ]


def test_an_author_with_several_works_and_no_year_is_not_guessed(matcher):
    assert found(matcher, "There is a paper by Turner about this.") == []


# ---- negatives ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Adam Gleave joined us last week.",
        "We trained it with Adam and a small learning rate.",
        "You have to pay attention to the details.",
        "Attention is what the model lacks here.",
        "The Apollo missions were a long time ago.",
    ],
)
def test_common_word_titles_need_support(matcher, sentence):
    assert found(matcher, sentence) == []


def test_a_common_word_title_with_support_from_its_context(matcher):
    assert found(matcher, "The Adam paper by Kingma is a classic.") == [(2, "Adam")]


def test_a_title_inside_a_longer_unrelated_phrase(matcher):
    assert found(matcher, "Recursive reward modeling is another proposal.") == []
    assert found(matcher, "The reward modeling agenda has a paper, Reward Modeling.") == [
        (9, "Reward Modeling")
    ]


# ---- thresholds, repeats, how often names are said --------------------------------------


def test_works_the_notes_link_are_found_at_the_lower_threshold(matcher):
    sentence = "I think the bitter lesson applies here."
    assert found(matcher, sentence) == []
    assert found(matcher, sentence, linked=[10]) == [(10, "bitter lesson")]


def test_a_work_counts_where_first_named_then_only_where_named_as_a_work(matcher):
    refs = found(
        matcher,
        "Today: Optimal policies tend to seek power.",
        "Optimal policies tend to seek power, again.",
        "I think the bitter lesson holds.",
        "So the bitter lesson holds again.",
        "The bitter lesson essay says so.",
        linked=[10],
    )
    assert refs == [
        (5, "Optimal policies tend to seek power"),
        (5, "Optimal policies tend to seek power"),  # a long title said again is cited again
        (10, "bitter lesson"),
        (10, "bitter lesson"),  # named as a work again
    ]


def test_a_work_read_or_written_is_named_as_a_work_again():
    """Said again later, a name counts where a verb of reading or writing points at it."""
    lottery = KnownWork(18, kind="paper", aliases=("lottery ticket hypothesis",))
    said = [
        "I doubt this reading of the lottery ticket hypothesis.",
        "The lottery ticket hypothesis came up again.",
        "I had not read the lottery ticket hypothesis properly.",
    ]
    refs = SpokenMatcher([lottery]).find([Segment(text) for text in said])
    assert [(ref.work_id, ref.segment) for ref in refs] == [(18, 0), (18, 2)]


def test_a_name_said_in_many_transcripts_but_rarely_linked_needs_support():
    works = [KnownWork(20, kind="post", aliases=("Inner Alignment", "Inner Alignment"))]
    matcher = SpokenMatcher(works)
    sentence = "Then we turn to Inner Alignment as a problem."
    assert found(matcher, sentence) == [(20, "Inner Alignment")]
    matcher.set_spoken(Counter({("inner", "alignment"): 40}).__getitem__)
    assert found(matcher, sentence) == []
    assert found(matcher, "The Inner Alignment post says so.") == [(20, "Inner Alignment")]


def test_every_reference_has_its_sentence_speaker_time_and_confidence(matcher):
    segments = [
        Segment("Hello.", 0.0, 2.0, "Ann", "Intro"),
        Segment("Well. The Chinchilla paper changed things. Yes.", 3725.5, 3730.0, "Bo", "Data"),
    ]
    (ref,) = matcher.find(segments)
    assert (ref.work_id, ref.segment, ref.speaker, ref.start, ref.topic) == (
        1,
        1,
        "Bo",
        3725.5,
        "Data",
    )
    assert ref.sentence == "The Chinchilla paper changed things."
    assert ref.rule == "alias"
    assert 0.8 <= ref.confidence <= 1.0


# ---- podcast episodes said by their guest or subject --------------------------------------

EPISODE_4 = KnownWork(
    30,
    kind="podcast",
    titles=("episode 4 risks from learned optimization evan hubinger",),
    aliases=("episode 4 with Evan Hubinger",),
)
EPISODE_5 = KnownWork(31, kind="podcast", titles=("episode 5 infra bayesianism vanessa kosoy",))
EPISODE_20 = KnownWork(
    32, kind="podcast", titles=("episode 20 reform ai alignment scott aaronson",)
)
GUESTS = ["Evan Hubinger", "Vanessa Kosoy", "Scott Aaronson"]


@pytest.fixture(scope="module")
def episodes() -> SpokenMatcher:
    return SpokenMatcher([EPISODE_4, EPISODE_5, EPISODE_20], entities=GUESTS)


@pytest.mark.parametrize(
    ("said", "work"),
    [
        ("If you liked this, listen to the episode with Evan Hubinger.", 30),
        ("Evan Hubinger, who appeared on episode four of this podcast, said so.", 30),
        ("A recent guest I had on the podcast was Scott Aaronson.", 32),
        ("Scott Aaronson, when he came on the show, said so.", 32),
        ("I don't know if you've listened to this podcast episode on infra-Bayesianism.", 31),
        ("This gets into territory that I talked about with Scott Aaronson earlier.", 32),
    ],
)
def test_an_episode_said_by_its_guest_or_subject(episodes, said, work):
    assert [w for w, _ in found(episodes, said)] == [work]


@pytest.mark.parametrize(
    "said",
    [
        "Evan Hubinger wrote about this at length.",  # no episode: the person
        "As the results of Evan Hubinger show, it holds.",  # a verb, not the show
        "We talked about it. Then Scott Aaronson wrote a blog post.",  # another sentence
        "There's a video of an excerpt from episode 14, where Vanessa Kosoy explains it.",
        "Today's episode is about infra-Bayesianism.",  # the episode being heard
        "In this episode, we discuss infra-Bayesianism.",
    ],
)
def test_words_that_name_no_other_episode(episodes, said):
    assert found(episodes, said) == []


def test_who_takes_part_in_the_episode_heard_is_no_guest_of_another_episode_in_it(episodes):
    said = [Segment("Welcome to the podcast, Vanessa Kosoy.", speaker="Vanessa Kosoy")]
    assert episodes.find(said) == []
    unlabelled = [Segment(said[0].text)]
    assert [r.work_id for r in episodes.find(unlabelled)] == [31]
    assert (
        episodes.find(unlabelled, heard="14 - Infra-Bayesian Physicalism with Vanessa Kosoy") == []
    )


# ---- what the context says about a name --------------------------------------------------


def test_a_work_set_off_by_a_comma_after_a_citing_noun_is_named_as_a_work_again():
    aup = KnownWork(40, aliases=("Attainable Utility Preservation",))
    matcher = SpokenMatcher([aup])
    opening = "We'll talk about attainable utility preservation."
    again = [
        "I want to talk about this first paper, Conservative Agency via Attainable Utility "
        "Preservation.",
        "Two papers of his, Conservative Agency via Attainable Utility Preservation, and more.",
    ]
    for said in again:
        refs = matcher.find([Segment(opening), Segment(said)])
        assert [(r.work_id, r.segment) for r in refs] == [(40, 0), (40, 1)], said
    plain = "Conservative Agency via Attainable Utility Preservation came up."
    assert [r.segment for r in matcher.find([Segment(opening), Segment(plain)])] == [0]


def test_a_stretch_of_a_name_after_a_verb_that_names():
    update = KnownWork(41, kind="post", titles=("Debate update: Obfuscated arguments problem",))
    matcher = SpokenMatcher([update])
    assert found(matcher, "There's a post on what you call the obfuscated arguments problem.")
    for said in [
        "The obfuscated arguments problem is hard.",  # no verb that names
        "A so-called obfuscated arguments problem.",  # a term
        "Something called an obfuscated arguments problem.",  # one of a kind
        "You call the obfuscated arguments problem in the post hard.",  # a longer clause
    ]:
        assert found(matcher, said) == [], said


def test_a_person_a_link_text_credits_tells_which_work_a_part_names():
    turn = KnownWork(42, kind="post", aliases=("the 'sharp left turn' from Nate Soares",))
    evolution = KnownWork(
        43, kind="post", titles=("Evolution provides no evidence for the sharp left turn",)
    )
    matcher = SpokenMatcher([turn, evolution])
    said = "Nate Soares has recently published something about the 'left turn' lately."
    assert found(matcher, said) == [(42, "left turn")]
    assert found(matcher, "Someone published something about the 'left turn'.") == []
    # credited is not the work's author list: no author-year phrase is guessed from it
    assert found(matcher, "I'm thinking of the Soares et al. paper there.") == []


def test_a_known_title_opening_a_title_quoted_in_full():
    toy = KnownWork(44, titles=("toy model",))  # a title from a link's slug: toy_model
    matcher = SpokenMatcher([toy])
    matcher.set_spoken(Counter({("toy", "model"): 40}).__getitem__)  # an ordinary phrase
    assert found(matcher, "And Anthropic's 'Toy Models of Superposition' is a good example.")
    for said in [
        "Anthropic's Toy Models work is a good example.",
        "A comment on Anthropic's new 'Toy models and memorization' paper.",
        "That would be evidence for my 'toy models good' hypothesis.",
    ]:
        assert found(matcher, said) == [], said


def test_a_store_that_knows_nothing_finds_only_identifiers():
    matcher = SpokenMatcher([])
    assert [r.identifier for r in matcher.find([Segment("arXiv 2203.15556 is it.")])] == [
        "arxiv:2203.15556"
    ]


# ---- what the store teaches ----------------------------------------------------------------


def test_a_work_without_a_resolved_title_is_known_by_the_slugs_of_its_links(tmp_path):
    post = "https://www.alignmentforum.org/posts/iCfdcxiyr2Kj8m8mT/the-shard-theory-of-human-values"
    medium = "https://medium.com/@arc/eliciting-latent-knowledge-f977478608fc"
    with Store(tmp_path / "s.db") as store:
        store.save_episodes(
            [
                Episode(
                    title="One",
                    source="/notes/one.md",
                    mentions=[Mention(post, "this post"), Mention(medium, "the report")],
                )
            ]
        )
        slugged = {work.titles for work in known_works(store)}
        assert slugged == {("the shard theory of human values",), ("eliciting latent knowledge",)}
        store.conn.execute(
            "UPDATE works SET title = 'The Shard Theory of Human Values', status = 'resolved' "
            "WHERE url LIKE '%lesswrong%'"
        )
        resolved = {work.titles for work in known_works(store)}
        assert ("The Shard Theory of Human Values",) in resolved
        assert ("the shard theory of human values",) not in resolved
