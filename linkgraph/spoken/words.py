"""Words as the matcher compares them: tokens folded for case, accents and plurals."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

TOKEN = re.compile(r"[^\W_]+")
_WORDS_AND_GAPS = re.compile(r"([^\W_]+)")
_ASCII_WORDS_AND_GAPS = re.compile(r"([A-Za-z0-9]+)")  # the same for ASCII text, and quicker


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word as compared: lower case, accents dropped, a plural ending made singular."""
    word = word.lower()
    if not word.isascii():
        decomposed = unicodedata.normalize("NFKD", word)
        # no space either: a ligature's compatibility form may be words ("\ufdfa")
        word = "".join(c for c in decomposed if not unicodedata.combining(c) and not c.isspace())
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def folded_words(words: str) -> frozenset[str]:
    """The folded forms of the words of a space-separated list."""
    return frozenset(fold(word) for word in words.split())


# Words that carry no name: function words, and fillers of speech.
# fmt: off
STOPWORDS = folded_words("""
a an the this that these those there here it its it's i me my we us our you your he him his
she her they them their what which who whom whose when where why how and or but nor so yet
if then than as of in on at by for with without from to into onto over under about above
below between through during before after again further once all any both each few more
most other some such no not only own same too very can could will would shall should may
might must do does did done doing be is am are was were been being have has had having
just also one ones s t d ll m re ve um uh like yeah okay oh well really kind sort thing
things get got go going say said think know mean lot
""")
# Nouns for documents: "the Chinchilla paper" names Chinchilla, the noun only says it is
# written down. Said after a name, the first kind says a work is cited; the second, used of
# ideas and people as much as of documents ("recent work", "Adam's results"), only hints it.
CITING_NOUNS = folded_words("""
paper post blog blogpost article report book essay preprint writeup thesis
""")
HINTING_NOUNS = folded_words("""
work result study piece talk thread sequence series link page video episode podcast note
draft proposal agenda
""")
DOCUMENT_NOUNS = CITING_NOUNS | HINTING_NOUNS
# fmt: on


class Tokens:
    """The words of a text, folded, with where each starts and ends in it."""

    def __init__(self, text: str):
        self.text = text
        # The text split into its gaps and words, alternately: summed lengths give where
        # each word starts and ends, with no match object made per word.
        parts = (_ASCII_WORDS_AND_GAPS if text.isascii() else _WORDS_AND_GAPS).split(text)
        bounds = list(accumulate(map(len, parts)))
        self.words = list(map(fold, parts[1::2]))
        self.starts = bounds[0:-1:2]
        self.ends = bounds[1::2]

    @property
    def joined(self) -> str:
        """The folded words between single spaces, with a space at each end."""
        return " " + " ".join(self.words) + " "


def tokenize(text: str) -> Tokens:
    """Split text into folded words with their character spans."""
    return Tokens(text)


def fold_phrase(text: str) -> tuple[str, ...]:
    """A phrase as a tuple of folded words."""
    return tuple(fold(word) for word in TOKEN.findall(text))


def content_words(words: tuple[str, ...] | list[str]) -> list[str]:
    """The words that name something: not function words, not document nouns."""
    return [word for word in words if word not in STOPWORDS and word not in DOCUMENT_NOUNS]
