"""Episodes made ready for the store: every value a write needs that the store does not decide.

What each link points to (``identify``), the provisional titles its anchor text and URL
give, and the digest that tells an edited episode from an unchanged one depend on the
episode alone. Working them out is most of the cost of saving an episode, so it can happen
wherever the episode was read (in a worker process, on another machine); the store's write
then only looks rows up and inserts them. A prepared episode pickles compactly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, is_dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from .identify import identify
from .model import Episode, Identified
from .titles import anchor_title, url_label


class LinkFacts(NamedTuple):
    """What the store needs to know about one mention's URL."""

    canonical_url: str
    domain: str | None
    kind: str
    scheme: str  # the work's identity: its standard id's scheme, or "url"
    value: str  # ... and value, or the canonical URL
    fragment: str | None
    title: str | None  # the provisional title the anchor text gives, when it names something
    label: str  # the work's label from its URL, until it has a title


@dataclass
class PreparedEpisode:
    """An episode with its digest and the facts of each mention (None: no http(s) URL)."""

    episode: Episode
    digest: str
    links: list[LinkFacts | None]


def prepare(episode: Episode) -> PreparedEpisode:
    """Everything the store's write of ``episode`` needs besides the store itself."""
    return PreparedEpisode(
        episode, episode_hash(episode), [link_facts(m.url, m.anchor_text) for m in episode.mentions]
    )


def link_facts(url: str, anchor_text: str) -> LinkFacts | None:
    """The facts of one mention; None when its URL is no http(s) link."""
    facts = _identified_facts(identify(url))
    return facts and facts._replace(title=anchor_title(anchor_text, facts.canonical_url))


@lru_cache(maxsize=1 << 16)
def _identified_facts(found: Identified) -> LinkFacts | None:
    """The facts of what a link identifies whatever its text (a show's links recur episode
    after episode, and a paper's from show to show); kept by what ``identify`` found, so
    they follow its rules."""
    return facts_of(found)


def facts_of(found: Identified, anchor_text: str = "") -> LinkFacts | None:
    """The facts of what ``found`` identifies, named by ``anchor_text``; None without a
    canonical URL."""
    canonical = found.canonical_url
    if not canonical:
        return None
    scheme, value = (found.scheme, found.value) if found.id else ("url", canonical)
    return LinkFacts(
        canonical,
        urlsplit(canonical).hostname,
        found.kind,
        scheme or "url",
        value or canonical,
        found.fragment,
        anchor_title(anchor_text, canonical),
        url_label(canonical, found.input),
    )


def episode_hash(episode: Episode) -> str:
    """A digest of everything a reader found in an episode; equal digests mean no change.

    The reader's warnings are left out: they follow from the rest. Fields added after stores
    were first written count only when set, so that an older store's episodes read again
    unchanged stay "unchanged".
    """
    found = {
        name: value
        for name, value in vars(episode).items()
        if name != "warnings" and not (name in _LATER_FIELDS and not value)
    }
    payload = json.dumps(found, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


_LATER_FIELDS = ("audio_url", "transcripts")


def _plain(value: object) -> object:
    """JSON for a dataclass (its fields, as ``asdict`` gives them, without copying), else str."""
    return vars(value) if is_dataclass(value) else str(value)
