"""A second, entity-safe XML parse of a feed, for what feedparser merges, drops or overwrites.

feedparser keeps one "summary" per item (a later ``itunes:summary`` replaces an HTML
``description``) and only the last ``podcast:person`` without its name. This parse reads
every notes field of every item as written, and the Podcasting 2.0 tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from ..model import Person, TranscriptLink
from .html import http_url

PODCAST_NAMESPACES = frozenset(
    {
        "https://podcastindex.org/namespace/1.0",
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    }
)
_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
_MEDIA = ("http://search.yahoo.com/mrss", "http://search.yahoo.com/mrss/")
_RSS = ("", "http://purl.org/rss/1.0/", "http://purl.org/dc/elements/1.1/")
_TAG = re.compile(r"<[a-zA-Z/!]")


@dataclass
class NotesField:
    """One notes field of an item as written: its name, its text, and whether it is HTML."""

    name: str
    value: str
    html: bool


@dataclass
class RawItem:
    """What the second parse reads of one item (or of the channel)."""

    notes: list[NotesField] = field(default_factory=list)
    chapters_url: str | None = None
    people: list[Person] = field(default_factory=list)
    transcripts: list[TranscriptLink] = field(default_factory=list)


def read_items(data: bytes, count: int) -> tuple[RawItem, list[RawItem]] | None:
    """The channel's and each item's fields; None when the feed is not well-formed XML.

    ``count`` is the number of items feedparser found; a parse that finds another number
    cannot be paired with them item by item, and gives None too.
    """
    try:
        root = SafeElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return None
    items = [element for element in root.iter() if name_of(element)[1] in ("item", "entry")]
    if len(items) != count:
        return None
    channel = next((element for element in root if name_of(element)[1] == "channel"), root)
    return _raw(channel, notes=False), [_raw(item) for item in items]


def _raw(element: ElementTree.Element, notes: bool = True) -> RawItem:
    raw = RawItem()
    for child in element:
        namespace, name = name_of(child)
        if namespace in PODCAST_NAMESPACES:
            if name == "chapters" and not raw.chapters_url:
                raw.chapters_url = http_url(child.get("url"))
            elif name == "person" and (person := _person(child)):
                raw.people.append(person)
            elif name == "transcript" and (link := _transcript(child)):
                raw.transcripts.append(link)
    if notes:
        raw.notes = [found for child in element.iter() if (found := _notes_field(child))]
    return raw


def _notes_field(element: ElementTree.Element) -> NotesField | None:
    """The element as a notes field, or None when it is none (or empty)."""
    namespace, name = name_of(element)
    if namespace in _RSS and name == "description":
        label = "description"
    elif namespace == _CONTENT and name == "encoded":
        label = "content:encoded"
    elif namespace.lower() == _ITUNES and name == "summary":
        label = "itunes:summary"
    elif namespace in _MEDIA and name == "description":
        label = "media:description"
    elif namespace == _ATOM and name in ("content", "summary") and not element.get("src"):
        return _atom_field(element, name)
    else:
        return None
    value = (element.text or "").strip()
    kind = (element.get("type") or "").lower()
    html = kind == "html" or (kind != "plain" and bool(_TAG.search(value)))
    return NotesField(label, value, html) if value else None


def _atom_field(element: ElementTree.Element, name: str) -> NotesField | None:
    """An Atom text construct: text (the default), escaped html, or inline xhtml."""
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        value = (element.text or "") + "".join(_xhtml(child) for child in element)
    else:
        value = element.text or ""
    value = value.strip()
    html = kind in ("html", "xhtml", "text/html", "application/xhtml+xml")
    return NotesField(name, value, html) if value else None


def _xhtml(element: ElementTree.Element) -> str:
    """Inline XHTML as HTML markup, without namespace prefixes."""
    for node in element.iter():
        if isinstance(node.tag, str):
            node.tag = node.tag.rpartition("}")[2]
    return ElementTree.tostring(element, encoding="unicode", method="html")


def _transcript(element: ElementTree.Element) -> TranscriptLink | None:
    """A podcast:transcript: its URL, media type, language and rel ("captions")."""
    url = http_url(element.get("url"))
    if not url:
        return None
    attributes = (element.get(name) for name in ("type", "language", "rel"))
    kind, language, rel = ((value or "").strip() or None for value in attributes)
    return TranscriptLink(url, kind, language, rel)


def _person(element: ElementTree.Element) -> Person | None:
    """A podcast:person; its role defaults to "host" and is case-insensitive."""
    name = " ".join((element.text or "").split())
    role = (element.get("role") or "host").strip().lower()
    return Person(name, role=role, url=http_url(element.get("href"))) if name else None


def name_of(element: ElementTree.Element) -> tuple[str, str]:
    """An element's namespace URI and local name."""
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return "", ""
    namespace, _, local = element.tag.rpartition("}")
    return namespace.lstrip("{"), local
