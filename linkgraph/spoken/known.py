"""What a store teaches the matcher: its works, each with the names it goes by.

A name is a title (resolved, or the title an anchor text gave it) or an alias (a telling
anchor text under which the work was linked anywhere: "the Chinchilla paper", "ROME").
Each is kept by its core words, pointer words and document nouns trimmed off its ends
("the Chinchilla paper" -> chinchilla): the text around a match says whether it is cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..titles import is_vague
from .words import DOCUMENT_NOUNS, STOPWORDS, content_words, fold_phrase

MAX_NAME_WORDS = 30
MAX_ALIAS_WORDS = 10  # a longer anchor is a clause of its sentence, not a name
MIN_FUZZY_WORDS = 4  # a shorter title changed a little is another phrase
_POINTERS = frozenset(fold_phrase("the a an this that these those"))
_INTRODUCERS = frozenset(fold_phrase("called titled entitled named"))
_SUBJECT = frozenset(fold_phrase("on about"))  # "the episode on X": X is its subject
_CREDIT = re.compile(r"\s(?:from|by)\s+(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*$")
_COINED = re.compile(r"\b[A-Za-z]+[-]?\d+\b|\b[A-Z]?[a-z]+[A-Z][A-Za-z]*\b")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}s?")  # ROME, CCS, AIXI, GPT3; not "A"


@dataclass(frozen=True, slots=True)
class KnownWork:
    """A work as the matcher knows it: its names, ids, authors and year."""

    work_id: int
    kind: str = "paper"
    titles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # standard ids: "arxiv:2303.12642", "doi:10.1145/..."
    authors: tuple[str, ...] = ()  # full names, in the order the work lists them
    year: int | None = None
    site: bool = False  # a whole site (its links are to home pages): "a LessWrong post" is on it


@dataclass(slots=True)
class Name:
    """One name of one work, as matched."""

    work_id: int
    words: tuple[str, ...]  # the core, folded
    source: str  # "title" or "alias"
    written: str  # as the store has it
    fuzzy: bool = False  # a title, or link text written as one: matched approximately too
    acronym: bool = False  # an all-capitals name, matched only in capitals
    coined: bool = False  # written with digits or a capital inside a word: "GPT-3", "AlphaGo"
    casual: bool = False  # an alias in lower-case running words ("some potential obstacles")
    content: int = 0  # how many of its words name something
    linked: int = 0  # how many times the store links the work under this name
    works: set[int] = field(default_factory=set)  # every work going by these words


def core_words(text: str) -> tuple[str, ...]:
    """A name's folded words without the words that point at it or say it is a document.

    "the Chinchilla paper" -> chinchilla, "a paper called ROME" -> rome. "The episode on
    X" names the episode's subject, not the episode: no name. Words that end in a function
    word ("a good post about it") or a possessive ("Scott Alexander's blog post": a work
    by someone, not a work's name) are a clause, not a name: their core is empty.
    """
    words = list(fold_phrase(text))
    while words and (words[0] in _POINTERS or words[0] in DOCUMENT_NOUNS):
        noun = words.pop(0) in DOCUMENT_NOUNS
        if noun and words and words[0] in _SUBJECT:
            return ()
        if words and words[0] in _INTRODUCERS:
            words.pop(0)
    while words and words[-1] in DOCUMENT_NOUNS:
        words.pop()
    if not words or words[-1] in STOPWORDS:
        return ()
    return tuple(words[:MAX_NAME_WORDS])


def names_of(work: KnownWork, entities: frozenset[tuple[str, ...]] = frozenset()) -> list[Name]:
    """The distinct names of a work: titles, their main part before a colon, and aliases.

    Words that name a person or an organisation (``entities``, as core words) are no name
    of a work: saying "Paul Christiano" does not cite his blog post.
    """
    found: dict[tuple[str, ...], Name] = {}
    for title in work.titles:
        for part in _title_forms(title):
            _add(found, work.work_id, part, "title")
    for alias in work.aliases:
        if len(alias.split()) <= MAX_ALIAS_WORDS and not is_vague(alias):
            _add(found, work.work_id, _without_credit(alias), "alias")
    return [name for words, name in found.items() if words not in entities]


def _without_credit(alias: str) -> str:
    """Link text without the author it credits: "the 'sharp left turn' from Nate Soares"."""
    credit = _credit(alias)
    return alias[: credit.start()] if credit else alias


def credited_authors(aliases: Iterable[str]) -> tuple[str, ...]:
    """The people link texts credit with their work ("the 'sharp left turn' from Nate
    Soares" -> Nate Soares), each once: what a work not yet resolved is known to be by."""
    found = (credit.group("who") for alias in aliases if (credit := _credit(alias)))
    return tuple(dict.fromkeys(found))


def _credit(alias: str) -> re.Match[str] | None:
    """Where a link text credits someone, after words in lower case: in a title ("... by
    Considering Future Tasks") the capitalised words are the title's own."""
    credit = _CREDIT.search(alias)
    if credit and any(word.islower() for word in alias[: credit.start()].split()):
        return credit
    return None


def _title_forms(title: str) -> list[str]:
    """A title, and its main title when a colon or dash sets off a subtitle."""
    forms = [title]
    main = re.split(r":\s|\s[-–—]\s", title, maxsplit=1)[0]
    if main != title and len(main.split()) >= 1:
        forms.append(main)
    return forms


def _add(found: dict[tuple[str, ...], Name], work_id: int, text: str, source: str) -> None:
    words = core_words(text)
    naming = content_words(words)
    if not naming or len(naming) == 1 and not _names_by_itself(text, naming[0]):
        return
    linked = int(source == "alias")
    if words in found:
        found[words].linked += linked
        return
    stripped = " ".join(text.strip(" \"'“”‘’").split())
    acronym = len(words) == 1 and bool(_ACRONYM.fullmatch(_core_text(stripped)))
    casual = (
        source == "alias"
        and stripped == stripped.lower()
        and not any(c.isdigit() for c in stripped)
    )
    found[words] = Name(
        work_id,
        words,
        source,
        text,
        fuzzy=len(naming) >= MIN_FUZZY_WORDS and (source == "title" or stripped[:1].isupper()),
        acronym=acronym,
        coined=not acronym and bool(_COINED.search(stripped)),
        casual=casual and not acronym,
        content=len(naming),
        linked=linked,
        works={work_id},
    )


def _names_by_itself(text: str, folded: str) -> bool:
    """Whether a name's one naming word is written as a name: capitalised, or with digits.

    "Chinchilla", "ROME", "GPT-3" are names; "recent", "good", "superposition" are words.
    """
    for word in re.findall(r"[^\W_]+", text):
        if fold_phrase(word) == (folded,):
            return word[0].isupper() or any(c.isdigit() for c in word)
    return any(c.isdigit() for c in folded)


def _core_text(text: str) -> str:
    """The one word left of an alias such as "the CCS paper", as written."""
    kept = [
        word
        for word in text.split()
        if fold_phrase(word) and fold_phrase(word)[0] not in (_POINTERS | DOCUMENT_NOUNS)
    ]
    return kept[0] if len(kept) == 1 else text
