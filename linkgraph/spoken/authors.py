"""Author-year phrases: ``Hubinger et al.``, ``Kingma and Ba 2014``, ``the 2019 paper by X``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .words import fold

_SURNAME = r"[A-Z][\w'’-]*[\w]"
_YEAR = r"(?:19|20)\d\d"
_DOCUMENT = r"(?:paper|article|post|blog post|book|work|study|preprint|report|essay)"
# Each phrase, with a word it cannot go without: the phrase is looked for only around
# that word (a few words away at most), so a long transcript costs little.
_PHRASES = [
    # "Hubinger et al.", "Hubinger et al. 2019", "Hubinger et al (2019)"
    (
        r"\bet\s+al\b",
        rf"\b(?P<first>{_SURNAME})\s+et\s+al\b\.?(?:\s*,?\s*\(?(?P<year>{_YEAR})\b\)?)?",
    ),
    # "Kingma and Ba 2014", "Kingma & Ba (2014)"
    (
        rf"\b{_YEAR}\b",
        rf"\b(?P<first>{_SURNAME})\s+(?:and|&)\s+(?P<second>{_SURNAME})\s*,?\s*\(?"
        rf"(?P<year>{_YEAR})\b\)?",
    ),
    # "the 2019 paper by Turner", "a 2021 post from Christiano et al."
    (
        rf"\b{_YEAR}\b",
        rf"\b(?P<year>{_YEAR})\s+{_DOCUMENT}\s+(?:by|from)\s+(?P<any>{_SURNAME})",
    ),
    # "the paper by Turner", "a paper by Turner and Tadepalli in 2020"
    (
        r"\bby\s+[A-Z]",
        rf"\b{_DOCUMENT}\s+by\s+(?P<any>{_SURNAME})(?:\s+(?:and|&)\s+(?P<second>{_SURNAME}))?"
        rf"(?:\s+(?:et\s+al\.?\s+)?(?:in|from)\s+(?P<year>{_YEAR})\b)?",
    ),
    # "Turner's 2019 paper", "Turner's paper"
    (
        r"\w['’]s\s",
        rf"\b(?P<any>{_SURNAME})['’]s\s+(?:(?P<year>{_YEAR})\s+)?{_DOCUMENT}\b",
    ),
    # "Kaplan 2020", "Kaplan (2020)"
    (rf"\b{_YEAR}\b", rf"\b(?P<first>{_SURNAME})\s*\(?(?P<year>{_YEAR})\b\)?"),
]
_ANCHORS = list(dict.fromkeys(anchor for anchor, _ in _PHRASES))
_ANCHOR = re.compile("|".join(f"(?P<a{n}>{anchor})" for n, anchor in enumerate(_ANCHORS)))
_AROUND = {  # anchor group -> the phrases looked for around it
    f"a{n}": [re.compile(phrase) for word, phrase in _PHRASES if word == anchor]
    for n, anchor in enumerate(_ANCHORS)
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
    """Every author-year phrase in a text."""
    seen: set[tuple[int, int]] = set()
    for near in _ANCHOR.finditer(text):
        low = max(0, near.start() - _REACH)
        for pattern in _AROUND[near.lastgroup or ""]:
            for match in pattern.finditer(text, low, near.end() + _REACH):
                key = (id(pattern), match.start())
                phrase = _phrase(match)
                if phrase and key not in seen and match.start() <= near.start():
                    seen.add(key)
                    yield phrase


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
