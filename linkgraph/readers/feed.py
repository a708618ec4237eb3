"""Podcast feeds: RSS 2.0, Atom and RSS 1.0 with iTunes and Podcasting 2.0 tags."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from typing import Any

import feedparser

from ..model import Episode, Person
from .base import SourceError, utf8_document
from .dates import iso_datetime
from .feedxml import NotesField, RawItem, read_items
from .html import NON_TEXT_TAGS, http_url, parse_html
from .itemkeys import ItemIdentity, assign_keys
from .notes import read_fields

_ENTITIES = "declares XML entities, which feeds may not"
_DOCTYPE = re.compile(
    rb"""<!DOCTYPE\s+[^\s"'\[>]+(?:\s+(?:SYSTEM|PUBLIC))?(?:\s*(?:"[^"]*"|'[^']*'))*\s*([\[>])""",
    re.IGNORECASE,
)
_SPACE = re.compile(rb"\s*")
_TAG = re.compile(r"<[a-zA-Z/!]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?)\]])")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read(data: bytes, source: str) -> list[Episode]:
    """Read a podcast feed into one Episode per item, with links and topics from its notes."""
    refuse_entity_declarations(data)
    data = utf8_document(data)
    # feedparser's own HTML sanitising and link rewriting are for displaying its content;
    # the notes are read from the raw XML, its summary only as text (a third of the time)
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    raw = read_items(data, len(parsed.entries))
    channel_raw = raw[0] if raw else RawItem()
    items_raw: list[RawItem | None] = list(raw[1]) if raw else [None] * len(parsed.entries)
    items = [pair for pair in zip(parsed.entries, items_raw, strict=True) if _is_item(pair[0])]
    _check(parsed, bool(items))
    channel = parsed.feed
    common: dict[str, Any] = {
        "source": source,
        "podcast": channel.get("title") or None,
        "podcast_url": http_url(channel.get("link")),
        "feed_url": http_url(source) or _self_link(channel),
    }
    episodes = [_episode(entry, raw, channel, channel_raw.people, common) for entry, raw in items]
    assign_keys(
        episodes,
        [_identity(entry, episode) for (entry, _), episode in zip(items, episodes, strict=True)],
    )
    return episodes


def refuse_entity_declarations(data: bytes) -> None:
    """Raise SourceError when the XML prolog declares entities (a DOCTYPE internal subset).

    Billion-laughs and external-entity attacks need such declarations, so they are refused
    before any XML parser sees the bytes. A DOCTYPE without an internal subset (as in old
    RSS 0.91 feeds) declares nothing and passes.
    """
    if b"\x00" in data[:4]:  # UTF-16 or UTF-32: the markup characters are ASCII
        data = data.replace(b"\x00", b"")
    data = data.lstrip(b"\xef\xbb\xbf\xfe\xff")
    position = 0
    while position >= 0:
        space = _SPACE.match(data, position)
        position = _after_prolog_item(data, space.end() if space else position)


def _after_prolog_item(data: bytes, position: int) -> int:
    """Where the prolog item at ``position`` ends; -1 at the root element or the end."""
    for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
        if data.startswith(opening, position):
            end = data.find(closing, position + len(opening))
            return end + len(closing) if end >= 0 else -1
    if data[position : position + 9].upper().startswith((b"<!DOCTYPE", b"<!ENTITY")):
        match = _DOCTYPE.match(data, position)
        if not match or match.group(1) == b"[":
            raise SourceError(_ENTITIES)
        return match.end()
    return -1


def _is_item(entry: feedparser.FeedParserDict) -> bool:
    """Whether an entry holds anything (a truncated feed can end in an empty one)."""
    return any(entry.get(key) for key in ("title", "link", "id", "summary", "content"))


def _check(parsed: feedparser.FeedParserDict, has_items: bool) -> None:
    if has_items:
        return
    if parsed.bozo:
        raise SourceError(f"is not a well-formed feed: {_reason(parsed.bozo_exception)}")
    if not parsed.get("version"):
        raise SourceError("is XML but not an RSS or Atom feed")
    raise SourceError("is a feed with no episodes (no <item> or <entry>)")


def _reason(error: Exception) -> str:
    get_message = getattr(error, "getMessage", None)
    if get_message and hasattr(error, "getLineNumber"):
        return f"{get_message()} at line {error.getLineNumber()}"
    return " ".join(str(error).split()) or type(error).__name__


def _self_link(channel: feedparser.FeedParserDict) -> str | None:
    links = channel.get("links", [])
    return next((http_url(link.get("href")) for link in links if link.get("rel") == "self"), None)


def _episode(
    entry: feedparser.FeedParserDict,
    raw: RawItem | None,
    channel: feedparser.FeedParserDict,
    channel_people: list[Person],
    common: dict[str, Any],
) -> Episode:
    url = http_url(entry.get("link"))
    fields = raw.notes if raw else _parsed_fields(entry)
    topics, mentions, _ = read_fields(fields, url or common["feed_url"] or common["podcast_url"])
    title = " ".join((entry.get("title") or "").split()) or url or entry.get("id") or ""
    published, warning = _published(entry)
    people = raw.people if raw else []
    return Episode(
        title=title,
        guid=(entry.get("id") or "").strip() or None,
        url=url,
        published=published,
        description=_plain_text(entry.get("summary", "")) or None,
        chapters_url=raw.chapters_url if raw else None,
        transcripts=raw.transcripts if raw else [],
        audio_url=http_url(_enclosure(entry) or ""),
        image=http_url((entry.get("image") or channel.get("image") or {}).get("href")),
        categories=[tag["term"] for tag in entry.get("tags", []) if tag.get("term")],
        topics=topics,
        mentions=mentions,
        people=_people(people or channel_people, _author(entry) or _author(channel)),
        warnings=[f"{title!r}: {warning}"] if warning else [],
        **common,
    )


def _parsed_fields(entry: feedparser.FeedParserDict) -> list[NotesField]:
    """The notes fields feedparser kept, for a feed that is not well-formed XML."""
    details = [*(entry.get("content") or []), entry.get("summary_detail") or {}]
    fields = []
    for detail in details:
        value = (detail.get("value") or "").strip()
        html = detail.get("type") in _HTML_TYPES and bool(_TAG.search(value))
        if value:
            fields.append(NotesField("content", value, html))
    return fields


def _enclosure(entry: feedparser.FeedParserDict) -> str | None:
    """An item's first enclosure URL, as written."""
    enclosures = [
        link.get("href")
        for link in entry.get("links", [])
        if link.get("rel") == "enclosure" and link.get("href")
    ]
    return enclosures[0].strip() if enclosures else None


def _identity(entry: feedparser.FeedParserDict, episode: Episode) -> ItemIdentity:
    return ItemIdentity(
        guid=episode.guid,
        enclosure=_enclosure(entry),
        link=episode.url,
        title=(entry.get("title") or "").strip(),
        published=episode.published,
    )


def _plain_text(markup: str) -> str:
    """A description as one line of plain text."""
    if not _TAG.search(markup):
        return " ".join(markup.split())
    tree = parse_html(markup)
    tree.strip_tags(list(NON_TEXT_TAGS))
    root = tree.body or tree.root
    text = " ".join((root.text(deep=True, separator=" ") if root else "").split())
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


def _published(entry: feedparser.FeedParserDict) -> tuple[str | None, str | None]:
    """The item's date in ISO 8601, and a warning when it has one that cannot be read.

    The keys are read from the dict itself: feedparser's ``get("updated")`` falls back to
    ``published`` with a DeprecationWarning, and the fallback is ours to spell out."""
    own = dict.get
    written = (own(entry, "published") or own(entry, "updated") or "").strip()
    found = iso_datetime(written)
    parsed = own(entry, "published_parsed") or own(entry, "updated_parsed")
    if not found and parsed:
        year, month, day, hour, minute, second = parsed[:6]
        found = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc).isoformat()
    if written and not found:
        return None, f"the date {written!r} is not a date linkgraph can read"
    return found, None


def _author(element: feedparser.FeedParserDict) -> str | None:
    """The itunes:author (or author) name, without an RSS author's e-mail address."""
    return (element.get("author_detail") or {}).get("name") or element.get("author")


def _people(people: list[Person], author: str | None) -> list[Person]:
    """podcast:person entries, then the itunes:author when it names someone else."""
    names = {person.name.casefold() for person in people}
    author = " ".join((author or "").split())
    if author and author.casefold() not in names:
        return [*people, Person(author, role="author")]
    return list(people)
