"""An item's show notes, chosen among all its notes fields without losing a link.

Feeds put the notes in ``content:encoded``, ``description``, ``itunes:summary``,
``media:description`` or Atom ``content``/``summary``, often more than one: a teaser in one and
the notes in another, or the same notes as HTML and as text. The richest field is read whole
(HTML over plain text, then more links, then more text); a link that only a lesser field has
is added after its mentions, unless it is a teaser's truncated copy of one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Mention, Topic
from . import html, text
from .feedxml import NotesField

_TRUNCATED = re.compile(r"…|\.\.\.|%5B\.\.\.%5D|\[\.\.\.\]|%E2%80%A6", re.IGNORECASE)
_TEASER_END = re.compile(r"(?:…|\.\.\.|\[(?:…|\.\.\.|&#8230;)\])\W*$")
_MARKUP = re.compile(r"<[^>]*>")  # enough to see the end of a teaser's text
_LOOSE = re.compile(r"^https?://(?:www\.)?", re.IGNORECASE)


@dataclass
class _Reading:
    field: NotesField
    topics: list[Topic]
    mentions: list[Mention]
    text_length: int

    @property
    def richness(self) -> tuple[bool, bool, int, int]:
        """Fields with links first; then HTML over text, more links, more text."""
        return (bool(self.mentions), self.field.html, len(self.mentions), self.text_length)


def read_fields(
    fields: list[NotesField], base_url: str | None
) -> tuple[list[Topic], list[Mention], NotesField | None]:
    """Topics and mentions of the richest field, the links only lesser fields have, and it.

    Fields with the same text are read once. HTML is walked like a page; plain text is
    read like pasted notes, so it also gives URLs written without a scheme
    (``www.example.org/x``), since its authors could not make links.
    """
    readings: list[_Reading] = []
    seen: set[str] = set()
    for field in fields:
        if field.value in seen:
            continue
        seen.add(field.value)
        if field.html:
            topics, mentions, length = html.read_notes(field.value, base_url)
        else:
            topics, mentions, length = text.read_notes(field.value)
        readings.append(_Reading(field, topics, mentions, length))
    if not readings:
        return [], [], None
    richest = max(readings, key=lambda reading: reading.richness)  # first of equals
    mentions = list(richest.mentions)
    known = [_loose(m.url) for m in mentions]
    for reading in readings:
        if reading is richest:
            continue
        teaser = bool(_TEASER_END.search(_MARKUP.sub("", reading.field.value)))
        for mention in reading.mentions:
            key = _loose(mention.url)
            if not _is_copy(key, mention.url, known, teaser):
                known.append(key)
                mentions.append(
                    Mention(
                        mention.url, mention.anchor_text, mention.context, None, mention.section
                    )
                )
    return richest.topics, mentions, richest.field


def _loose(url: str) -> str:
    """A URL compared loosely: no scheme, no www., no trailing slash, any case of the host."""
    rest = _LOOSE.sub("", url)
    host, slash, path = rest.partition("/")
    return (host.lower() + slash + path).rstrip("/")


def _is_copy(key: str, url: str, known: list[str], teaser: bool) -> bool:
    """Whether a lesser field's link is known already, or a truncated copy of a known one.

    A URL with an ellipsis in it was cut where a teaser ends; in a teaser, a URL that
    begins a known one may have been cut too.
    """
    if key in known or _TRUNCATED.search(url):
        return True
    return teaser and any(other.startswith(key) for other in known)
