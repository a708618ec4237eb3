"""Reader for plain text pasted from a podcast app: show notes, topic lists and link groups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PureWindowsPath

from ..model import Episode, Mention, Topic
from ..titles import readable_slug
from .base import decode_text
from .textutil import (
    SENTENCE_BREAK,
    FoundURL,
    entry_label,
    find_urls,
    sentence_around,
    timestamped_topic,
)

# Lines of app chrome around the notes, matched against the whole stripped line (any case).
JUNK_PATTERNS = (
    r"sign up to save your podcasts",
    r"or",
    r"(?-i:By(?:\s+[A-Z][\w.'’&-]*){1,4})",  # "By Daniel Filan", also "By Daniel Filan4.4"
    r"\d(?:\.\d)?",  # a rating such as "4.4"
    r"[\d.,]+\s*[km]?\s+(?:ratings?|reviews?|listeners|followers|subscribers|plays)",
    r"[★☆]+",
    r"(?:\d+\s*(?:hr|h|hours?|min|m|minutes?|sec|s)\b\s*)+(?:left)?",
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}(?: [·|-].*)?",
    r"(?:play|pause|share|follow|subscribe|save|download|preview|transcript|more)",
    r"(?:listen later|mark as played|add to queue|more episodes|see all|show more|show less)",
    r"(?:read more|episode details|episode webpage|report a concern|open in app)",
    r"(?:log in|sign in|sign up|listen on [\w ]+)",
)
_JUNK = re.compile("|".join(f"(?:{pattern})" for pattern in JUNK_PATTERNS), re.IGNORECASE)
_MARKER = re.compile(r"(?:[-*•·–]|\d{1,3}[.)])\s+")
_SEPARATORS = " \t,;|/·•–—-"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # zero-width marks
_TRANSCRIPT = re.compile(r"transcript|episode", re.IGNORECASE)
MAX_HEADING_CHARS = 80
MAX_LINK_LINE_CHARS = 300
MAX_BARE_HEADING_WORDS = 6  # "Quick Hits", "Deep Dives": a heading without a colon is short
MAX_TITLE_CHARS = 80
_LABELLED = re.compile(r"[^:]{1,60}:\s+\S.{0,80}")  # "Andy's Twitter handle: @andy"


@dataclass
class _Line:
    """One input line, classified as blank, heading, topic, link or prose."""

    kind: str
    text: str  # without indentation and list marker; a topic's title without its timestamp
    context: str = ""  # the line without indentation and list marker
    indent: int = 0
    bullet: bool = False
    urls: list[FoundURL] = field(default_factory=list)  # spans within ``text``
    start: float | None = None  # a topic's start in seconds

    @property
    def lone_url(self) -> bool:
        """Whether the line is one URL and nothing else."""
        return (
            self.kind == "link" and len(self.urls) == 1 and not _without_urls(self.text, self.urls)
        )

    @property
    def entry(self) -> bool:
        """Whether the line is an entry of a link group: a link line or a linked topic."""
        return self.kind == "link" or (self.kind == "topic" and bool(self.urls))


def _without_urls(text: str, urls: list[FoundURL]) -> str:
    """The text with every URL span cut out, whitespace collapsed."""
    parts, last = [], 0
    for found in urls:
        parts.append(text[last : found.start])
        last = found.end
    parts.append(text[last:])
    return " ".join(" ".join(parts).split())


def _is_prose(text: str, urls: list[FoundURL], bullet: bool) -> bool:
    """Whether a line reads as running text rather than a list entry.

    A short "Label: value" line is an entry even without a URL ("Twitter: @handle").
    """
    if bullet:
        return False
    if not urls:
        return not _LABELLED.fullmatch(text) or bool(SENTENCE_BREAK.search(text))
    if len(text) > MAX_LINK_LINE_CHARS:
        return True
    return bool(SENTENCE_BREAK.search(_without_urls(text, urls)))


def _classify(raw: str) -> _Line:
    """Classify one line of the notes."""
    raw = raw.translate(_INVISIBLE)
    stripped = raw.strip()
    if not stripped or _JUNK.fullmatch(stripped):
        return _Line("blank", "")
    indent = len(raw) - len(raw.lstrip())
    marker = _MARKER.match(stripped)
    text = stripped[marker.end() :].strip() if marker else stripped
    stamp = timestamped_topic(text)
    if stamp:
        urls = find_urls(stamp[1], schemeless=True)
        return _Line("topic", stamp[1], text, indent, bool(marker), urls, stamp[0])
    urls = find_urls(text, schemeless=True)
    if not urls and text.endswith(":") and len(text) <= MAX_HEADING_CHARS:
        return _Line("heading", text[:-1].strip(), text, indent, bool(marker))
    kind = "prose" if _is_prose(text, urls, bool(marker)) else "link"
    return _Line(kind, text, text, indent, bool(marker), urls)


def _label(line: _Line, index: int) -> str:
    """The title a link line gives its ``index``-th URL ("Title: url", "Title - url" ...)."""
    if line.kind == "prose":
        return ""
    urls = line.urls
    after = urls[index + 1].start if index + 1 < len(urls) else -1
    before = urls[index - 1].end if index else 0
    return entry_label(line.text, urls[index].start, urls[index].end, before, after)


def _could_title(line: _Line) -> bool:
    """Whether a line could be the title of a URL on the line below it."""
    text = line.text.rstrip(":").strip()
    return (
        line.kind in ("heading", "prose")
        and 0 < len(text) <= MAX_HEADING_CHARS
        and not SENTENCE_BREAK.search(text)
    )


def _is_bare_heading(line: _Line) -> bool:
    """A short line without a colon or closing punctuation, such as "Quick Hits"."""
    text = line.text
    return (
        line.kind == "prose"
        and not line.urls
        and len(text.split()) <= MAX_BARE_HEADING_WORDS
        and ":" not in text
        and text[-1] not in ".!?,;…"
    )


def _context(line: _Line, found: FoundURL) -> str:
    """The line around a link, or the sentence around it when the line is running text."""
    if line.kind == "prose" or len(line.context) > MAX_LINK_LINE_CHARS:
        return sentence_around(line.text, found.start, found.end)
    return line.context


def _topic_title(line: _Line) -> str:
    """A timestamped topic's title, without the URLs written on its line."""
    if not line.urls:
        return line.text
    return _without_urls(line.text, line.urls).strip(_SEPARATORS + ":()[]") or line.text


def _titles_above(lines: list[_Line]) -> dict[int, str]:
    """Lone-URL lines titled by the line right above them ("Title" then "url" below).

    A line followed by two or more lone URLs heads a group of them instead.
    """
    titles: dict[int, str] = {}
    for index in range(1, len(lines)):
        line, above = lines[index], lines[index - 1]
        below = lines[index + 1] if index + 1 < len(lines) else None
        if line.lone_url and _could_title(above) and not (below and below.lone_url):
            titles[index] = above.text.rstrip(":").strip()
    return {index: title for index, title in titles.items() if title}


def _mark_bare_headings(lines: list[_Line], taken: set[int]) -> None:
    """Make short unpunctuated lines headings when link entries follow them."""
    for index, line in enumerate(lines):
        if index in taken or not _is_bare_heading(line):
            continue
        following = [other for other in lines[index + 1 :] if other.kind != "blank"][:2]
        if (
            following
            and following[0].entry
            and not (following[0].lone_url and not (len(following) > 1 and following[1].lone_url))
        ):
            lines[index] = _Line("heading", line.text, line.context, line.indent, line.bullet)


def _next_is_topic(lines: list[_Line]) -> list[bool]:
    """For each line, whether the next line that is neither a link nor blank is a topic."""
    result = [False] * len(lines)
    upcoming = False
    for index in reversed(range(len(lines))):
        result[index] = upcoming
        if lines[index].kind not in {"link", "blank"}:
            upcoming = lines[index].kind == "topic"
    return result


class _Notes:
    """Walks the classified lines, collecting topics, mentions and the description."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.titles = _titles_above(lines)  # lone-URL line index -> the title line above it
        self.title_lines = {index - 1 for index in self.titles}
        _mark_bare_headings(lines, self.title_lines)
        self.next_is_topic = _next_is_topic(lines)
        self.topics: list[Topic] = []
        self.mentions: list[Mention] = []
        self.paragraphs: list[list[str]] = [[]]
        self.section: str | None = None
        self.section_bullet: bool | None = None  # list-marker shape of the section's entries
        self.topic: int | None = None
        self.topic_indent = 0
        self._topic_index: dict[tuple[float | None, str], int] = {}
        self._seen: set[tuple[str, str, str | None]] = set()

    @property
    def description(self) -> str | None:
        """The first prose paragraph."""
        first = next((paragraph for paragraph in self.paragraphs if paragraph), None)
        return "\n".join(first) if first else None

    def walk(self) -> None:
        """Read every line in order."""
        handlers = {
            "blank": self._on_blank,
            "heading": self._on_heading,
            "topic": self._on_topic,
            "link": self._on_link,
            "prose": self._on_prose,
        }
        for index, line in enumerate(self.lines):
            if line.kind != "prose" and self.paragraphs[-1]:
                self.paragraphs.append([])
            if index not in self.title_lines:  # a title line belongs to its URL alone
                handlers[line.kind](index, line)

    def _on_blank(self, index: int, line: _Line) -> None:
        """A blank line ends a section that has entries (not one right after its heading)."""
        if self.section_bullet is not None:
            self._end_section()

    def _on_heading(self, index: int, line: _Line) -> None:
        """A group heading starts a section, unless it introduces the topic list."""
        self._end_section()
        self.topic = None
        if not self._introduces_topics(index):
            self.section = line.text

    def _on_topic(self, index: int, line: _Line) -> None:
        """A timestamped line is a topic; a repeated one is the same topic.

        A linked topic line is an entry of the group it stands in; any other ends it.
        """
        if not line.urls:
            self._end_section()
        key = (line.start, _topic_title(line))
        if key not in self._topic_index:
            self._topic_index[key] = len(self.topics)
            self.topics.append(Topic(title=key[1], start_seconds=key[0]))
        self.topic = self._topic_index[key]
        self.topic_indent = line.indent
        self._add_links(index, line, self.topic)

    def _on_link(self, index: int, line: _Line) -> None:
        """Link entries belong to the current section, and to a topic inside its block."""
        if self.section_bullet is None:
            self.section_bullet = line.bullet
        elif line.bullet != self.section_bullet:
            self._end_section()
        inside = self.topic is not None and (
            line.indent > self.topic_indent or self.next_is_topic[index]
        )
        self._add_links(index, line, self.topic if inside else None)

    def _on_prose(self, index: int, line: _Line) -> None:
        """Running text ends a section and a topic block; the first paragraph describes."""
        self._end_section()
        self.topic = None
        self.paragraphs[-1].append(line.text)
        self._add_links(index, line, None)

    def _end_section(self) -> None:
        self.section = None
        self.section_bullet = None

    def _introduces_topics(self, index: int) -> bool:
        """Whether the heading at ``index`` heads a list of chapters: timestamped lines
        that hold no links (linked timestamped lines are entries of a link group)."""
        following = (line for line in self.lines[index + 1 :] if line.kind != "blank")
        upcoming = next(following, None)
        return upcoming is not None and upcoming.kind == "topic" and not upcoming.urls

    def _add_links(self, index: int, line: _Line, topic: int | None) -> None:
        """Record each URL of a line once per (url, anchor text, section)."""
        above = self.titles.get(index)
        for position, found in enumerate(line.urls):
            anchor = above or _label(line, position) or found.written
            key = (found.url, anchor, self.section)
            if key not in self._seen:
                self._seen.add(key)
                self.mentions.append(
                    Mention(found.url, anchor, _context(line, found), topic, self.section)
                )


def _title(notes: _Notes, source: str) -> str:
    """The episode's title from its notes: the slug of its transcript or episode link, else
    its first line of text (up to its first sentence), else the file name stem."""
    for mention in notes.mentions:
        if _TRANSCRIPT.search(mention.anchor_text) or _TRANSCRIPT.search(mention.url):
            slug = readable_slug(mention.url)
            if slug and not slug.isdigit():
                return slug[0].upper() + slug[1:]
    first = next((line for line in notes.lines if _is_text_line(line)), None)
    if first:
        text = SENTENCE_BREAK.split(first.text)[0].rstrip(".")
        if len(text) <= MAX_TITLE_CHARS:
            return text
        return text[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return PureWindowsPath(source.split("?")[0].rstrip("/\\")).stem or source


def _is_text_line(line: _Line) -> bool:
    """A line of text: prose, or a heading written without a colon."""
    return line.kind == "prose" or (line.kind == "heading" and not line.context.endswith(":"))


def read_notes(text: str) -> tuple[list[Topic], list[Mention], int]:
    """Topics and mentions of plain-text show notes, and the length of their text."""
    notes = _Notes([_classify(raw) for raw in text.split("\n")])
    notes.walk()
    return notes.topics, notes.mentions, sum(len(line.text) for line in notes.lines)


def read(data: bytes, source: str) -> list[Episode]:
    """Read pasted show notes as one episode with its topics and mentions."""
    notes = _Notes([_classify(raw) for raw in decode_text(data).split("\n")])
    notes.walk()
    return [
        Episode(
            title=_title(notes, source),
            source=source,
            description=notes.description,
            topics=notes.topics,
            mentions=notes.mentions,
        )
    ]
