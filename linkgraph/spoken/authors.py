"""Author-year phrases: ``Hubinger et al.``, ``Kingma and Ba 2014``, ``the 2019 paper by X``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .words import fold

_SURNAME = r"[A-Z][\w'’-]*[\w]"
_YEAR = r"(?:19|20)\d\d"
_DOCUMENT = r"(?:paper|article|post|blog post|book|work|study|preprint|report|essay)"
# Each phrase, with words it cannot go without: the phrase is looked for only around them
# (a few words away at most), so a long transcript costs little. Those words are looked for
# by patterns that open with fixed characters (no word boundary before them: the phrase
# checks its own), which the regular expression engine skips to quickly.
_PHRASES = [
    # "Hubinger et al.", "Hubinger et al. 2019", "Hubinger et al (2019)"
    (
        r"et\s+al\b",
        rf"\b(?P<first>{_SURNAME})\s+et\s+al\b\.?(?:\s*,?\s*\(?(?P<year>{_YEAR})\b\)?)?",
    ),
    # "Kingma and Ba 2014", "Kingma & Ba (2014)"
    (
        rf"{_YEAR}\b",
        rf"\b(?P<first>{_SURNAME})\s+(?:and|&)\s+(?P<second>{_SURNAME})\s*,?\s*\(?"
        rf"(?P<year>{_YEAR})\b\)?",
    ),
    # "the 2019 paper by Turner", "a 2021 post from Christiano et al."
    (
        rf"{_YEAR}\b",
        rf"\b(?P<year>{_YEAR})\s+{_DOCUMENT}\s+(?:by|from)\s+(?P<any>{_SURNAME})",
    ),
    # "the paper by Turner", "a paper by Turner and Tadepalli in 2020"
    (
        r"by\s+[A-Z]",
        rf"\b{_DOCUMENT}\s+by\s+(?P<any>{_SURNAME})(?:\s+(?:and|&)\s+(?P<second>{_SURNAME}))?"
        rf"(?:\s+(?:et\s+al\.?\s+)?(?:in|from)\s+(?P<year>{_YEAR})\b)?",
    ),
    # "Turner's 2019 paper", "Turner's paper"
    (
        rf"['’]s\s+(?:{_YEAR}\s+)?{_DOCUMENT}\b",
        rf"\b(?P<any>{_SURNAME})['’]s\s+(?:(?P<year>{_YEAR})\s+)?{_DOCUMENT}\b",
    ),
    # "Kaplan 2020", "Kaplan (2020)"
    (rf"{_YEAR}\b", rf"\b(?P<first>{_SURNAME})\s*\(?(?P<year>{_YEAR})\b\)?"),
]
_AROUND = {  # each anchor -> the phrases looked for around it
    re.compile(anchor): [re.compile(phrase) for word, phrase in _PHRASES if word == anchor]
    for anchor in dict.fromkeys(anchor for anchor, _ in _PHRASES)
}
_REACH = 90  # characters around the anchor word that a phrase may span
_NOT_NAMES = frozenset({"the", "a", "an", "this", "that", "in", "and", "our", "their"})


@dataclass(frozen=True)
class AuthorPhrase:
    """An author-year phrase found in text: who, in which role, which year, and where."""

    surname: str  # folded
    first_author: bool  # "X et al." names the first author; "a paper by X" any author
    second: str | None
    year: int | None
    start: int
    end: int


def surname_key(name: str) -> str:
    """How a family name is compared: its last word, folded ("Hadfield-Menell" -> menell)."""
    words = re.findall(r"[^\W_]+", name)
    while len(words) > 1 and words[-1].lower() in {"jr", "sr", "ii", "iii", "iv"}:
        words.pop()
    return fold(words[-1]) if words else ""


def find_author_phrases(text: str) -> Iterator[AuthorPhrase]:
    """Every author-year phrase in a text, in the order they start."""
    found: dict[tuple[int, int], AuthorPhrase] = {}
    for anchor, patterns in _AROUND.items():
        for near in anchor.finditer(text):
            low = max(0, near.start() - _REACH)
            for pattern in patterns:
                for match in pattern.finditer(text, low, near.end() + _REACH):
                    key = (id(pattern), match.start())
                    if key not in found and match.start() <= near.start():
                        phrase = _phrase(match)
                        if phrase:
                            found[key] = phrase
    yield from sorted(found.values(), key=lambda phrase: (phrase.start, phrase.end))


def _phrase(match: re.Match[str]) -> AuthorPhrase | None:
    """The phrase a match makes, or None when its name is no surname ("In 2020")."""
    groups = match.groupdict()
    name = groups.get("first") or groups.get("any")
    if not name or name.lower() in _NOT_NAMES:
        return None
    second = groups.get("second")
    year = groups.get("year")
    return AuthorPhrase(
        surname_key(name),
        bool(groups.get("first")),
        surname_key(second) if second else None,
        int(year) if year else None,
        match.start(),
        match.end(),
    )
