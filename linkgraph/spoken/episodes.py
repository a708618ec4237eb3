"""Podcast episodes said by their guest or their subject: "the episode with Evan
Hubinger", "a recent guest I had on the podcast was Scott Aaronson", "this podcast episode
on infra-Bayesianism", "territory that I talked about with Scott Aaronson".

An episode's title names its guest (someone the store knows) and its subject; either,
said within a few words of a word for an episode in the same sentence, names that
episode, and so does its guest said as the one a conversation was with. The episode being
heard is none of them: its speakers are no episode's guest in it ("today I'm speaking with
Vanessa Kosoy on the podcast" is not her earlier episode), and "this episode", "today's
episode" point at it. A number said after "episode" must be the episode's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .known import KnownWork
from .words import STOPWORDS, Tokens, content_words, fold_phrase, folded_words

EPISODE_NOUNS = folded_words("episode podcast show interview guest")
_CONVERSING = folded_words("talked spoke chatted interviewed conversation")
_WITH = folded_words("with to")
_THIS = folded_words("this today")  # "this episode", "today's episode": the one heard
_VERB_TOO = folded_words("show")  # "results show": a noun only after a determiner
_DETERMINERS = folded_words("the a this that our my your his her their")
EPISODE_CONFIDENCE = 0.85
NEAR = 12  # words between the guest or subject and the word for an episode, at most
_MAX_PERSON_WORDS = 4
_SENTENCE_ENDS = ".?!"
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_NUMBERS = {word: str(value) for value, word in enumerate(_NUMBER_WORDS.split(), 1)}


@dataclass(frozen=True, slots=True)
class EpisodeKey:
    """Words that name an episode when said beside a word for one."""

    words: tuple[str, ...]
    work_id: int
    person: bool  # the guest's name, not the subject
    number: str | None  # the episode's number, when its title gives one


def episode_keys(
    works: Iterable[KnownWork], entities: frozenset[tuple[str, ...]]
) -> list[EpisodeKey]:
    """The guests (people in ``entities`` named by an episode's title or link texts) and the
    subjects (the rest of its titles, numbers and words for an episode left out) of every
    podcast episode among ``works``."""
    keys = []
    for work in works:
        if work.kind != "podcast" or work.site:
            continue
        for text, is_title in [
            *((t, True) for t in work.titles),
            *((a, False) for a in work.aliases),
        ]:
            words = fold_phrase(text)
            people = _people_in(words, entities)
            number = _number(words)
            keys += [
                EpisodeKey(words[start:stop], work.work_id, True, number) for start, stop in people
            ]
            if is_title:
                keys += [
                    EpisodeKey(subject, work.work_id, False, number)
                    for subject in _subjects(words, people)
                ]
    return keys


def _people_in(
    words: tuple[str, ...], entities: frozenset[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """Where the stretches of two words or more that are someone's name start and stop."""
    return [
        (start, start + size)
        for size in range(2, _MAX_PERSON_WORDS + 1)
        for start in range(len(words) - size + 1)
        if words[start : start + size] in entities
    ]


def _subjects(words: tuple[str, ...], people: list[tuple[int, int]]) -> list[tuple[str, ...]]:
    """What a title says the episode is about: its runs of words between the guests' names
    (``people``: where they stand), without the words for an episode, numbers and function
    words at their ends; two naming words at least ("risks from learned optimization",
    "infra bayesianism")."""
    marked = list(words)
    for start, stop in people:
        marked[start:stop] = [""] * (stop - start)
    runs, run = [], []
    for word in [*marked, ""]:
        if word and word not in EPISODE_NOUNS and _numeral(word) is None:
            run.append(word)
            continue
        while run and run[0] in STOPWORDS:
            run.pop(0)
        while run and run[-1] in STOPWORDS:
            run.pop()
        if len(content_words(run)) >= 2:
            runs.append(tuple(run))
        run = []
    return runs


def near_episode_noun(tokens: Tokens, first: int, end: int, number: str | None) -> bool:
    """Whether a word for an episode stands within ``NEAR`` words of the words from
    ``first`` to ``end``, in the same sentence, and says no other ``number`` than the
    episode's ("an excerpt from episode 14, where Vanessa Kosoy explains" is not her
    episode 5)."""
    words, starts, ends = tokens.words, tokens.starts, tokens.ends
    for index in range(max(0, first - NEAR), min(len(words), end + NEAR)):
        if words[index] not in EPISODE_NOUNS or first <= index < end or _this(words, index):
            continue
        if words[index] in _VERB_TOO and (index == 0 or words[index - 1] not in _DETERMINERS):
            continue
        said = _numeral(words[index + 1]) if index + 1 < len(words) else None
        if said is not None and number is not None and said != number:
            continue
        if index < first:
            between = tokens.text[ends[index] : starts[first]]
        else:
            between = tokens.text[ends[end - 1] : starts[index]]
        if not any(mark in between for mark in _SENTENCE_ENDS):
            return True
    return False


def conversed_with(tokens: Tokens, first: int) -> bool:
    """Whether the words are the one a conversation was with: "I talked with X", "the
    territory I talked about with X", "my conversation with X"."""
    words = tokens.words
    if first < 2 or words[first - 1] not in _WITH:
        return False
    return words[first - 2] in _CONVERSING or (
        first >= 3 and words[first - 2] == "about" and words[first - 3] in _CONVERSING
    )


def _this(words: list[str], index: int) -> bool:
    """Whether the word for an episode at ``index`` points at the episode being heard."""
    before = words[index - 1] if index > 0 else ""
    if before == "s" and index > 1:  # "today's"
        before = words[index - 2]
    return before in _THIS


def _numeral(word: str) -> str | None:
    """A number as digits ("five" -> "5"), or None for a word that is none."""
    return str(int(word)) if word.isdigit() and word.isascii() else _NUMBERS.get(word)


def _number(words: tuple[str, ...]) -> str | None:
    """The number after "episode" in a title ("episode 5 infra bayesianism ...")."""
    for word, following in zip(words, words[1:], strict=False):
        if word == "episode" and (number := _numeral(following)) is not None:
            return number
    return None
