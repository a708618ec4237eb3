"""The plain dataclasses every layer speaks: readers produce them, the store keeps them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Topic:
    """A chapter of an episode: a heading, a timestamped line or a podcast:chapters entry."""

    title: str
    anchor: str | None = None
    start_seconds: float | None = None
    level: int = 1
    parent: int | None = None  # index of the parent topic in Episode.topics


@dataclass
class Mention:
    """One link as it stands in an episode's text."""

    url: str  # absolute http(s) URL as written (a scheme is added to scheme-less URLs)
    anchor_text: str = ""
    context: str = ""  # the sentence or line around the link
    topic: int | None = None  # index into Episode.topics
    section: str | None = None  # a group heading such as "Main papers"


@dataclass
class TranscriptLink:
    """A transcript a feed lists for an episode (``<podcast:transcript>``)."""

    url: str
    type: str | None = None  # its media type: text/vtt, application/x-subrip ...
    language: str | None = None
    rel: str | None = None  # "captions" for closed captions


@dataclass
class Person:
    """Someone who takes part in an episode (host, guest ...)."""

    name: str
    role: str = "guest"
    url: str | None = None


@dataclass
class Episode:
    """One episode with its topics and the links it mentions, as a reader found them."""

    title: str
    source: str  # the path or URL it was read from
    guid: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    description: str | None = None
    podcast: str | None = None
    podcast_url: str | None = None  # the podcast's web site
    feed_url: str | None = None
    chapters_url: str | None = None  # a podcast:chapters JSON document to read topics from
    image: str | None = None
    categories: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    # How a feed item is known when its guid cannot tell it apart (none, or one shared with
    # other items): its enclosure URL, link, or title and date.
    item_key: str | None = None
    warnings: list[str] = field(default_factory=list)  # what the reader could not read cleanly
    audio_url: str | None = None  # a feed item's enclosure: the episode's audio (or video)
    transcripts: list[TranscriptLink] = field(default_factory=list)  # podcast:transcript tags

    @property
    def key(self) -> str:
        """The identity of the episode across re-ingests: its guid, else where it was read from.

        A feed item without a guid of its own has its ``item_key``. Text from standard input
        has no name, so it is known by its URL, else its title.
        """
        if self.item_key:
            return self.item_key
        if self.guid:
            return self.guid
        if self.source != "-":
            return self.source
        return self.url or f"stdin:{self.title}"


@dataclass(frozen=True)
class Identified:
    """What a URL or identifier string points to."""

    input: str
    id: str | None  # standard id "scheme:value", None when the link names no work by id
    scheme: str | None
    version: str | None
    kind: str
    canonical_url: str | None
    fragment: str | None = None
    archived_from: str | None = None  # the Wayback Machine URL when the input was an archive link

    @property
    def value(self) -> str | None:
        """The id without its scheme prefix."""
        return self.id.split(":", 1)[1] if self.id else None


LINK_KINDS = (
    "paper",
    "post",
    "video",
    "code",
    "dataset",
    "encyclopedia",
    "social",
    "support",
    "podcast",
    "site",
)


@dataclass
class Segment:
    """One stretch of a transcript: what was said, by whom, and when (seconds from the start).

    Pages without times (a transcript written as a web page) give the topic heading the
    words stand under instead.
    """

    text: str
    start: float | None = None
    end: float | None = None
    speaker: str | None = None
    topic: str | None = None
