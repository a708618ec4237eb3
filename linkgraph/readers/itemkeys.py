"""Keys that tell a feed's items apart across re-ingests, when their guids do not.

An item is known by its guid; an empty guid is no guid, and such an item is known by its
enclosure URL, else its link, else its title and date. Items that would share a key (a guid
used twice, guid-less items with one link) are kept apart by the first of the later
candidates that differs between all of them, else by their order, with a warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Episode

_CANDIDATES = ("guid", "enclosure URL", "link", "title and date")
_PLURALS = ("guids", "enclosure URLs", "links", "titles and dates")


@dataclass
class ItemIdentity:
    """What can tell one feed item from another, in order of preference."""

    guid: str | None
    enclosure: str | None
    link: str | None
    title: str
    published: str | None

    def candidates(self) -> list[str | None]:
        title_date = " ".join(part for part in (self.title, self.published) if part) or None
        return [self.guid, self.enclosure, self.link, title_date]


def assign_keys(episodes: list[Episode], identities: list[ItemIdentity]) -> None:
    """Set ``item_key`` on the episodes whose guid alone does not identify them."""
    groups: dict[str, list[int]] = defaultdict(list)
    primary: list[tuple[int, str]] = []
    for index, identity in enumerate(identities):
        which, key = _first(identity.candidates())
        primary.append((which, key))
        groups[key].append(index)
    for key, members in groups.items():
        which = primary[members[0]][0]
        if len(members) == 1:
            if which > 0:  # no guid: known by a fallback
                episodes[members[0]].item_key = key
            continue
        _keep_apart(key, which, members, episodes, identities)


def _first(values: list[str | None]) -> tuple[int, str]:
    """The index and value of the first candidate present ("" and index 4 when none is)."""
    for index, value in enumerate(values):
        if value:
            return index, value
    return len(values), ""


def _keep_apart(
    key: str,
    which: int,
    members: list[int],
    episodes: list[Episode],
    identities: list[ItemIdentity],
) -> None:
    """Give items that share ``key`` keys of their own, and warn about it once."""
    for later in range(which + 1, len(_CANDIDATES)):
        values = [identities[i].candidates()[later] for i in members]
        if all(values) and len(set(values)) == len(values):
            for index, value in zip(members, values, strict=True):
                episodes[index].item_key = f"{key} {value}".strip()
            way = f"their {_PLURALS[later]}"
            break
    else:
        for position, index in enumerate(members, start=1):
            episodes[index].item_key = f"{key} #{position}".strip()
        way = "their order in the feed"
    shared = (
        f"the guid {key!r}"
        if which == 0
        else f"no guid, and the same {_CANDIDATES[which]} {key!r}"
        if which < len(_CANDIDATES)
        else "no guid, enclosure, link or title"
    )
    episodes[members[0]].warnings.append(
        f"{len(members)} items have {shared}; they are kept apart by {way}"
    )
