"""Transcripts written as web pages: the Podcasting 2.0 HTML format and transcript pages.

The HTML format gives each turn as ``<cite>Name:</cite> <time>0:09</time> <p>words</p>``.
Transcript pages (a post in markdown or HTML) give turns as ``**Name:**`` paragraphs under
topic headings; their segments carry the heading instead of a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from ..model import Segment
from ..readers.html import BLOCK_TAGS, SKIP_TAGS, is_navigation, parse_html
from ..readers.markdown import page_body, render
from ..readers.textutil import parse_timestamp
from .speakers import Lead, confirmed_speakers, parse_lead

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass
class _Line:
    lead: Lead
    topic: str | None
    speaker: str | None  # from a <cite> before it
    start: float | None  # from a <time> before it


class _Walker:
    """One pass over a page in document order, cutting its text into lines at blocks."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self._parts: list[str] = []
        self._topic: str | None = None
        self._speaker: str | None = None
        self._start: float | None = None

    def walk(self, root: LexborNode) -> None:
        stack: list[LexborNode | str] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if item in BLOCK_TAGS:
                    self._end_line()
                continue
            tag = item.tag or ""
            if tag == "-text":
                self._parts.append(item.text_content or "")
            elif tag in SKIP_TAGS or tag.startswith("-") or is_navigation(item):
                continue
            elif tag in _HEADINGS:
                self._end_line()
                self._topic = " ".join(item.text(deep=True).split()) or self._topic
            elif tag == "cite":
                self._end_line()
                self._speaker = " ".join(item.text(deep=True).split()).rstrip(" :") or None
            elif tag == "time":
                self._start = _time(item)
            elif tag == "br":
                self._end_line()
            else:
                if tag in BLOCK_TAGS:
                    self._end_line()
                stack.append(tag)
                stack.extend(reversed(list(item.iter(include_text=True))))
        self._end_line()

    def _end_line(self) -> None:
        text = " ".join("".join(self._parts).split())
        self._parts = []
        if text:
            self.lines.append(_Line(parse_lead(text), self._topic, self._speaker, self._start))
            self._speaker = self._start = None


def _time(node: LexborNode) -> float | None:
    """A ``<time>``'s offset in seconds: its datetime attribute, else its text."""
    for value in (node.attributes.get("datetime"), node.text(deep=True)):
        if value:
            seconds = parse_timestamp(value.replace(",", "."))
            if seconds is not None:
                return seconds
    return None


def read_html(html: str) -> list[Segment]:
    """The turns of a transcript in HTML, each paragraph one segment."""
    tree = parse_html(html)
    walker = _Walker()
    root = tree.body or tree.root
    if root is not None:  # a document with no elements at all has no words
        walker.walk(root)
    return _segments(walker.lines)


def read_markdown(markdown: str) -> list[Segment]:
    """The turns of a transcript page written in markdown (rendered as the reader does)."""
    return read_html(render(page_body(markdown)))


def _segments(lines: list[_Line]) -> list[Segment]:
    speakers = confirmed_speakers([line.lead for line in lines])
    segments: list[Segment] = []
    speaker = None
    for line in lines:
        if line.speaker:
            speaker = line.speaker
        elif line.lead.speaker in speakers:
            speaker = line.lead.speaker
        words = line.lead.words(speakers)
        if words:
            start = line.start if line.start is not None else line.lead.start
            segments.append(Segment(words, start, None, speaker, line.topic))
    return segments
