"""When two works are one: shared identifiers, or the same title with a shared author surname."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ..identify import PREFIXES
from ..lookup import work_authors
from ..store import Store, normalize_name

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_STRONG_SCHEMES = PREFIXES


def normalize_title(title: str | None) -> str:
    """A title folded for comparison: no accents, case, punctuation or extra spaces."""
    if not title:
        return ""
    if title.isascii():  # nothing to decompose (the common case, and much quicker)
        plain = title.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", title)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def surname(name: str) -> str:
    """The family name of a person: before the comma in "Family, Given", else the last word."""
    if "," in name:
        return normalize_name(name.split(",", 1)[0])
    words = normalize_name(name).split()
    return words[-1] if words else ""


def surnames(names: Iterable[str]) -> set[str]:
    """The family names of several people."""
    return {s for s in (surname(n) for n in names) if s}


class TitleIndex:
    """Works by normalized title, loaded once per run and kept up to date as titles change."""

    def __init__(self, store: Store):
        self.store = store
        self._ids: dict[str, set[int]] = {}
        for row in store.query("SELECT id, title FROM works WHERE title IS NOT NULL"):
            self.add(row["id"], row["title"])

    def add(self, work_id: int, title: str | None) -> None:
        """Record a work's (new) title."""
        key = normalize_title(title)
        if key:
            self._ids.setdefault(key, set()).add(work_id)

    def same_work(self, work_id: int, title: str | None, authors: list[str]) -> list[int]:
        """Other works with the same normalized title and an author surname in common."""
        if not authors:
            return []
        key = normalize_title(title)
        others = sorted(self._ids.get(key, set()) - {work_id})
        if len(key.split()) < 2 or not others:
            return []
        mine = surnames(authors)
        found = []
        for other in others:
            current = self.store.scalar("SELECT title FROM works WHERE id = ?", (other,))
            if current is None or normalize_title(current) != key:
                self._ids[key].discard(other)  # merged away, or retitled since
            elif surnames(work_authors(self.store, other)) & mine:
                found.append(other)
        return found


def keeper(store: Store, first: int, second: int) -> tuple[int, int]:
    """Which of two works to keep (the one known by a standard id, else the older): (keep, drop)."""

    def rank(work_id: int) -> tuple[int, int]:
        strong = store.scalar(
            f"SELECT count(*) FROM identifiers WHERE work_id = ? AND scheme IN "
            f"({', '.join('?' * len(_STRONG_SCHEMES))})",
            (work_id, *_STRONG_SCHEMES),
        )
        return (0 if strong else 1, work_id)

    keep, drop = sorted((first, second), key=rank)
    return keep, drop
