"""How sure a match is: what the name tells by itself, and what its context adds.

confidence = quality x (distinctiveness + (1 - distinctiveness) x 0.95 x support)

- quality: 1 for a name said word for word, less for a title said approximately or cut short
  (a title cut short needs support, below);
- distinctiveness: how surely the words name this work and nothing else. It starts from the
  words that name something (one word: 0.35, an acronym said in capitals: 0.8, a coined
  name such as "GPT-3" or "AlphaGo": 0.85 at least; two words:
  0.7, or 0.6 for a lower-case alias; three: 0.85; four or more: 0.95). For aliases, and
  titles of three naming words or fewer, the store's transcripts then say how the name is
  used: one linked
  at least half the times it is said (and twice or more) is this work's name (0.9 at
  least); one said far more often than linked is an ordinary phrase of the field
  ("debate", "induction heads"), and counts less the rarer its links;
- support: the context says a work is cited: a citing noun after the name or before it
  ("the Chinchilla paper", "a paper called ..."), quotation marks around it, an author of the
  work or its year nearby, a verb of reading or writing right before it ("I read X") (each
  1); a hinting noun ("the causal scrubbing work") or the name in Title Case mid-sentence
  (0.5).

A short name (two naming words or fewer) said inside a longer phrase ("recursive reward
modeling", "Adam Gleave") is part of that phrase, not a title, and a name between an
indefinite article and a document noun ("a LessWrong post") says what one document is of
or about: either way its confidence is cut to a third.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import compress

from .known import Name
from .words import CITING_NOUNS, DOCUMENT_NOUNS, STOPWORDS, Tokens, folded_words

_BY_CONTENT = {1: 0.35, 2: 0.7, 3: 0.85}
_FULL = 0.95
_ACRONYM = 0.8
_COINED = 0.85  # a coined name: "GPT-3", "AlphaGo", "LessWrong" is no ordinary phrase
_CASUAL_CAP = 0.6  # a two-word alias in lower case is as likely a phrase as a name
_NAME_RATE = 0.5  # linked at least this share of the times it is said: a name
_KNOWN_NAME = 0.9
_JUDGED_WORDS = 3  # titles of more naming words than this are distinctive whatever their use
_EMBEDDED = 1 / 3
_NEAR = 12  # words on each side where an author or year supports a match
_QUOTES = "\"'“”‘’«»"
_INTRODUCERS = folded_words("called titled entitled named on about")
_POINTERS = folded_words("the a an this that")
_INDEFINITE = folded_words("a an another some one")
_READING = folded_words("read reading reread wrote written writing publish published cite cited")
_SENTENCE_ENDS = ".?!\n:;"
_QUOTATION_TAIL = 6  # words a quoted title may say past the known one, at most
_APPOSED_WORDS = 8  # Title Case words of a longer title before the name, at most
_POSSESSIVES = folded_words("his her their its our my your")
_TITLE_SMALL = STOPWORDS | folded_words("via vs versus per")  # lower case in a title
_LOOK = 40  # characters looked at around a match for quotes and sentence ends


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible reference before thresholds and overlaps are settled."""

    work_id: int | None
    identifier: str | None
    confidence: float
    start: int  # character span in the transcript's text
    end: int
    rule: str
    repeatable: bool  # counts again after the work's first mention (see ``find``)


class Context:
    """A transcript's text and words, for looking around a match."""

    def __init__(self, text: str, tokens: Tokens):
        self.text = text
        self.tokens = tokens

    def near_words(self, first: int, end: int, radius: int = _NEAR) -> set[str]:
        """The folded words within ``radius`` words of a match, outside it."""
        words = self.tokens.words
        return set(words[max(0, first - radius) : first]) | set(words[end : end + radius])

    def written(self, index: int) -> str:
        """A word as it stands in the text."""
        return self.text[self.tokens.starts[index] : self.tokens.ends[index]]

    def quoted(self, first: int, end: int) -> bool:
        """Whether quotation marks stand right around the words."""
        start, stop = self.tokens.starts[first], self.tokens.ends[end - 1]
        before = self.text[max(0, start - _LOOK) : start].rstrip(" ")[-1:]
        after = self.text[stop : stop + _LOOK].lstrip(" ")[:1]
        return bool(before) and before in _QUOTES and bool(after) and after in _QUOTES

    def opens_quotation(self, first: int, end: int) -> bool:
        """Whether the words open a short quotation in Title Case that goes on past them:
        "Anthropic's 'Toy Models of Superposition'" for a title known as "Toy Models"."""
        start = self.tokens.starts[first]
        quotation = _QUOTED.match(self.text, start - 1) if start else None
        if quotation is None:
            return False
        stop = bisect.bisect_left(self.tokens.starts, quotation.end())
        said = [
            self.written(i) for i in range(first, stop) if self.tokens.words[i] not in STOPWORDS
        ]
        capitalised = all(word[:1].isupper() or word[:1].isdigit() for word in said)
        return capitalised and 0 < stop - end <= _QUOTATION_TAIL

    def starts_sentence(self, first: int) -> bool:
        """Whether the words open a sentence (so their capital says nothing)."""
        start = self.tokens.starts[first]
        before = self.text[max(0, start - _LOOK) : start].rstrip(" \"'“‘(")
        return (not before and start < _LOOK) or bool(before) and before[-1] in _SENTENCE_ENDS

    def document_noun_around(self, first: int, end: int) -> float:
        """1 for "the X paper", "the paper X", "a paper called X", "a post on X"; 0.5 for
        "the X work" and the like, or a citing noun in the plural ("those X papers")."""
        words = self.tokens.words
        if end < len(words) and words[end] in DOCUMENT_NOUNS:
            return self._noun_weight(end)
        index = first - 1
        while index >= 0 and words[index] in _POINTERS:  # "the paper called an X"
            index -= 1
        if index >= 0 and words[index] in _INTRODUCERS:
            index -= 1
        if index >= 0 and words[index] in DOCUMENT_NOUNS:
            return self._noun_weight(index)
        noun = self._appositive_noun(first, end)
        return self._noun_weight(noun) if noun is not None else 0.0

    def _appositive_noun(self, first: int, end: int) -> int | None:
        """The document noun a title is set off from by a comma or colon: "this first
        paper, Conservative Agency via Attainable Utility Preservation", "two papers of his,
        X". The words may end a longer title in Title Case ("Conservative Agency via" before
        "Attainable Utility Preservation"); three words in all at least, so that "in this
        paper, Adam ..." is a clause, not an apposition."""
        words = self.tokens.words
        start = first
        while (
            start > 0
            and first - start < _APPOSED_WORDS
            and self._touching(start - 1, start)
            and (words[start - 1] in _TITLE_SMALL or self.written(start - 1)[:1].isupper())
        ):
            start -= 1
        while start < first and not self.written(start)[:1].isupper():
            start += 1  # a title opens on a capital
        gap = self.text[self.tokens.ends[start - 1] : self.tokens.starts[start]] if start else ""
        if end - start < 3 or gap.strip() not in (",", ":"):
            return None
        index = start - 1
        if index >= 2 and words[index] in _POSSESSIVES and words[index - 1] == "of":
            index -= 2  # "papers of his"
        return index if words[index] in DOCUMENT_NOUNS else None

    def read_or_written(self, first: int) -> bool:
        """Whether a verb of reading or writing comes right before the words ("I had not
        read the lottery ticket hypothesis", "we wrote Risks from Learned Optimization")."""
        words = self.tokens.words
        index = first - 1
        while index >= 0 and words[index] in _POINTERS:
            index -= 1
        return index >= 0 and words[index] in _READING and index >= first - 2

    def _noun_weight(self, index: int) -> float:
        plural = self.written(index).lower().endswith("s")
        return 1.0 if self.tokens.words[index] in CITING_NOUNS and not plural else 0.5

    def attribute(self, first: int, end: int, site: bool) -> bool:
        """ "a LessWrong post", "an ELK paper": one document of or about the name, not it.

        After the name of a whole ``site``, a document noun always means one of its pages.
        """
        words = self.tokens.words
        before = words[first - 1] if first > 0 else None
        return (site or before in _INDEFINITE) and end < len(words) and words[end] in DOCUMENT_NOUNS

    def embedded(self, first: int, end: int) -> bool:
        """Whether the words run on into a longer name: a naming word right before them in
        the same case ("recursive reward modeling"), or a capitalised one right after a
        capitalised name ("Adam Gleave")."""
        words = self.tokens.words
        capital = self._style(first)
        if (
            first > 0
            and self._touching(first - 1, first)
            and self._naming(first - 1)
            and (self._style(first - 1) in (capital, None) or capital is None)
        ):
            return True
        if end < len(words) and self._touching(end - 1, end) and self._naming(end):
            return capital is not False and self._style(end) is True
        return False

    def _naming(self, index: int) -> bool:
        word = self.tokens.words[index]
        return word not in STOPWORDS and word not in DOCUMENT_NOUNS and not word.isdigit()

    def _touching(self, left: int, right: int) -> bool:
        """Whether only spaces stand between two words (no comma, no full stop)."""
        return not self.text[self.tokens.ends[left] : self.tokens.starts[right]].strip(" -")

    def _style(self, index: int) -> bool | None:
        """True for a capitalised word, False for a lower-case one, None when a sentence
        starts with it (its capital tells nothing)."""
        if self.starts_sentence(index):
            return None
        return self.written(index)[:1].isupper()

    def title_case(self, first: int, end: int, name: Name) -> bool:
        """Whether the naming words past the first are all capitalised, mid-sentence."""
        naming = [
            self.written(index)
            for index in range(first, end)
            if self.tokens.words[index] not in STOPWORDS
        ]
        if self.starts_sentence(first):
            naming = naming[1:]
        return (
            len(naming) >= 1
            and name.content >= 2
            and all(word[:1].isupper() or word[:1].isdigit() for word in naming)
        )


_DEFINITE = folded_words("the this that their his her its our my your")
MAX_CITED_WORDS = 6
MAX_QUOTED_WORDS = 20


def citing_phrases(context: Context) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """The words between a definite pointer and a citing noun in the singular: "the Future
    Task paper" -> (future, task), with where they stand (first word, word after the last)."""
    words = context.tokens.words
    for index in compress(range(len(words)), map(CITING_NOUNS.__contains__, words)):
        if index < 2 or context.written(index).lower().endswith("s"):
            continue
        first = index - 1
        while first > 0 and index - first < MAX_CITED_WORDS and words[first - 1] not in _DEFINITE:
            if words[first - 1] in STOPWORDS:
                break
            first -= 1
        if first > 0 and words[first - 1] in _DEFINITE and words[first] not in STOPWORDS:
            yield tuple(words[first:index]), first, index


_NAMING_VERBS = folded_words("call called titled entitled named dubbed")
_CLAUSE_MARKS = frozenset(',.;:?!()[]"“”')


def named_phrases(context: Context) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """The words after a verb that names, to the end of their clause: "something you call
    the obfuscated arguments problem." -> (obfuscated, argument, problem), with where they
    stand; a clause of ``MAX_CITED_WORDS`` at most. "So-called" and "called a" introduce a
    term, not a work's name."""
    words, tokens = context.tokens.words, context.tokens
    for index in compress(range(len(words)), map(_NAMING_VERBS.__contains__, words)):
        if index > 0 and words[index - 1] == "so":
            continue
        first = index + 1
        if first < len(words) and words[first] in _INDEFINITE:
            continue  # "something called a heuristic argument": one of a kind, no name
        while first < len(words) and words[first] in _POINTERS:
            first += 1
        end = first
        while end < len(words) and end - first <= MAX_CITED_WORDS:
            gap = context.text[tokens.ends[end - 1] : tokens.starts[end]] if end > first else ""
            if _CLAUSE_MARKS & set(gap):
                break
            end += 1
        if first < end <= first + MAX_CITED_WORDS:
            yield tuple(words[first:end]), first, end


# Words in quotation marks: a quote at a word's edge, the same kind closing it.
_QUOTED = re.compile(
    r"(?<![\w'’])(?:'(?P<a>[^'\n]{2,160}?)'|\"(?P<b>[^\"\n]{2,160}?)\"|‘(?P<c>[^’\n]{2,160}?)’"
    r"|“(?P<d>[^”\n]{2,160}?)”)(?![\w])"
)


_OPENING = re.compile("['\"‘“]")


def _quotations(text: str) -> Iterator[re.Match[str]]:
    """``_QUOTED``'s matches, tried only where a quotation mark stands (a scan for the marks
    is quick; one that tries the whole pattern at every character is not)."""
    taken = 0
    for mark in _OPENING.finditer(text):
        if mark.start() >= taken and (match := _QUOTED.match(text, mark.start())):
            taken = match.end()
            yield match


def quoted_phrases(context: Context) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """The words said in quotation marks ("the 'sharp left turn'"), as ``citing_phrases``."""
    starts = context.tokens.starts
    for match in _quotations(context.text):
        name = next(group for group in ("a", "b", "c", "d") if match.group(group) is not None)
        first = bisect.bisect_left(starts, match.start(name))
        end = bisect.bisect_left(starts, match.end(name))
        if 0 < end - first <= MAX_QUOTED_WORDS:
            yield tuple(context.tokens.words[first:end]), first, end


def distinctiveness(name: Name, said_words: int, spoken: int) -> float:
    """How surely a name's words, said, name its work and nothing else (0 to 1).

    ``spoken`` is in how many of the store's transcripts the name is said.
    """
    content = name.content if said_words >= len(name.words) else min(name.content, said_words)
    value = _BY_CONTENT.get(content, _FULL)
    if name.acronym:
        value = _ACRONYM
    elif name.coined:
        value = max(value, _COINED)
    if name.casual and content <= 2:
        value = min(value, _CASUAL_CAP)
    if name.source == "title" and content > _JUDGED_WORDS or name.coined:
        return value
    rate = name.linked / max(spoken, name.linked, 1)
    if rate >= _NAME_RATE and name.linked >= 2 and content >= 2:
        return max(value, _KNOWN_NAME)
    if spoken < 2 or rate >= _NAME_RATE:
        return value
    return value * (rate / _NAME_RATE) ** 0.5


def support(
    name: Name, first: int, end: int, context: Context, surnames: set[str], year: int | None
) -> tuple[float, bool]:
    """How strongly the context says a work is cited here (0 to 1), and whether it says so
    in words (a noun, quotation marks, an author, a year), not only by a capital."""
    near = context.near_words(first, end)
    if context.quoted(first, end) or surnames & near or (year is not None and str(year) in near):
        return 1.0, True
    if name.source == "title" and name.content >= 2 and context.opens_quotation(first, end):
        return 1.0, True  # the title said in full, its known form only its opening
    noun = context.document_noun_around(first, end)
    if noun:
        return noun, True
    if context.read_or_written(first):
        return 1.0, True
    return (0.5 if context.title_case(first, end, name) else 0.0), False


def confidence(
    name: Name,
    first: int,
    end: int,
    quality: float,
    said_words: int,
    context: Context,
    *,
    spoken: int,
    surnames: set[str],
    year: int | None,
    site: bool = False,
    cut: bool = False,
) -> tuple[float, bool]:
    """The confidence that these words, here, refer to the name's work (0 to 1), and
    whether their context says in words that a work is cited. A title ``cut`` short needs
    support: its opening alone ("progress on AI safety") is as often an ordinary phrase."""
    if name.acronym and not context.written(first).isupper():
        return 0.0, False
    distinct = distinctiveness(name, said_words, spoken)
    supported, explicit = support(name, first, end, context, surnames, year)
    if cut and not supported:
        return 0.0, False
    score = quality * (distinct + (1 - distinct) * 0.95 * supported)
    if name.content <= 2 and context.embedded(first, end) or context.attribute(first, end, site):
        score *= _EMBEDDED
    return min(score, 0.99), explicit
