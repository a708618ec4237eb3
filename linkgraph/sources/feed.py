"""Podcast feeds: RSS 2.0, Atom and RSS 1.0 with iTunes and Podcasting 2.0 tags."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeElementTree
import feedparser
from defusedxml import DefusedXmlException

from ..model import Episode, Person
from .base import SourceError, utf8_document
from .html import extract_links, http_url, iso_datetime, parse_html

PODCAST_NAMESPACES = frozenset(
    {
        "https://podcastindex.org/namespace/1.0",
        "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    }
)
_ENTITIES = "declares XML entities, which feeds may not"
_DOCTYPE = re.compile(
    rb"""<!DOCTYPE\s+[^\s"'\[>]+(?:\s+(?:SYSTEM|PUBLIC))?(?:\s*(?:"[^"]*"|'[^']*'))*\s*([\[>])""",
    re.IGNORECASE,
)
_SPACE = re.compile(rb"\s*")
_TAG = re.compile(r"<[a-zA-Z/!]")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?)\]])")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass
class _PodcastTags:
    """The Podcasting 2.0 tags of one item that feedparser does not keep whole."""

    chapters_url: str | None = None
    people: list[Person] = field(default_factory=list)


def read(data: bytes, source: str) -> list[Episode]:
    """Read a podcast feed into one Episode per item, with links and topics from its notes."""
    refuse_entity_declarations(data)
    data = utf8_document(data)
    parsed = feedparser.parse(io.BytesIO(data))
    channel_tags, item_tags = _podcast_tags(data, len(parsed.entries))
    items = [pair for pair in zip(parsed.entries, item_tags, strict=True) if _is_item(pair[0])]
    _check(parsed, bool(items))
    channel = parsed.feed
    common = {
        "source": source,
        "podcast": channel.get("title") or None,
        "podcast_url": http_url(channel.get("link")),
        "feed_url": http_url(source) or _self_link(channel),
    }
    return [_episode(entry, tags, channel, channel_tags.people, common) for entry, tags in items]


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
        position = _after_prolog_item(data, _SPACE.match(data, position).end())


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
    tags: _PodcastTags,
    channel: feedparser.FeedParserDict,
    channel_people: list[Person],
    common: dict[str, str | None],
) -> Episode:
    url = http_url(entry.get("link"))
    notes = _notes(entry)
    topics, mentions = extract_links(
        notes, url or common["feed_url"] or common["podcast_url"], timestamps=True
    )
    return Episode(
        title=" ".join((entry.get("title") or "").split()) or url or entry.get("id") or "",
        guid=entry.get("id") or None,
        url=url,
        published=_published(entry),
        description=_plain_text(entry.get("summary", "")) or None,
        chapters_url=tags.chapters_url,
        image=http_url((entry.get("image") or channel.get("image") or {}).get("href")),
        categories=[tag["term"] for tag in entry.get("tags", []) if tag.get("term")],
        topics=topics,
        mentions=mentions,
        people=_people(tags.people or channel_people, _author(entry) or _author(channel)),
        **common,
    )


def _notes(entry: feedparser.FeedParserDict) -> str:
    """The show notes as HTML: content:encoded (or Atom content), else the description."""
    contents = entry.get("content") or []
    chosen = next((c for c in contents if c.get("type") in _HTML_TYPES), None)
    detail = chosen or (contents[0] if contents else entry.get("summary_detail") or {})
    value = detail.get("value") or ""
    if detail.get("type") in _HTML_TYPES and _TAG.search(value):
        return value
    return html.escape(value).replace("\n", "<br>\n")  # plain text: keep its lines


def _plain_text(markup: str) -> str:
    """A description as one line of plain text."""
    if not _TAG.search(markup):
        return " ".join(markup.split())
    tree = parse_html(markup)
    text = " ".join((tree.body or tree.root).text(deep=True, separator=" ").split())
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


def _published(entry: feedparser.FeedParserDict) -> str | None:
    written = iso_datetime(entry.get("published") or entry.get("updated"))
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if written or not parsed:
        return written
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


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


def _podcast_tags(data: bytes, count: int) -> tuple[_PodcastTags, list[_PodcastTags]]:
    """The channel's and each item's podcast:person and podcast:chapters tags.

    feedparser keeps only the last podcast:person and drops its name, so these are read
    with a second, entity-safe XML parse; a feed that is not well-formed XML has none.
    """
    empty = (_PodcastTags(), [_PodcastTags() for _ in range(count)])
    try:
        root = SafeElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return empty
    items = [element for element in root.iter() if _name(element)[1] in ("item", "entry")]
    if len(items) != count:
        return empty
    channel = next((element for element in root if _name(element)[1] == "channel"), root)
    return _tags_of(channel), [_tags_of(item) for item in items]


def _tags_of(element: ElementTree.Element) -> _PodcastTags:
    tags = _PodcastTags()
    for child in element:
        namespace, name = _name(child)
        if namespace not in PODCAST_NAMESPACES:
            continue
        if name == "chapters" and not tags.chapters_url:
            tags.chapters_url = http_url(child.get("url"))
        elif name == "person" and (person := _person(child)):
            tags.people.append(person)
    return tags


def _person(element: ElementTree.Element) -> Person | None:
    """A podcast:person; its role defaults to "host" and is case-insensitive."""
    name = " ".join((element.text or "").split())
    role = (element.get("role") or "host").strip().lower()
    return Person(name, role=role, url=http_url(element.get("href"))) if name else None


def _name(element: ElementTree.Element) -> tuple[str, str]:
    """An element's namespace URI and local name."""
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return "", ""
    namespace, _, local = element.tag.rpartition("}")
    return namespace.lstrip("{"), local
