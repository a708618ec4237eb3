"""Readers, one per input format; each turns the bytes of one source into Episodes."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from ..model import Episode
from . import feed, html, markdown, text
from .base import SourceError, decode_text

Reader = Callable[[bytes, str], list[Episode]]

# Each format's reader, in the order formats are offered.
READERS: dict[str, Reader] = {
    "rss": feed.read,
    "markdown": markdown.read,
    "html": html.read,
    "text": text.read,
}
FORMATS = tuple(READERS)

# The one table of file suffixes: what the detector falls back on, and what a folder walk reads.
SUFFIXES = {
    ".rss": "rss",
    ".xml": "rss",
    ".atom": "rss",
    ".feed": "rss",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".vtt": "vtt",  # transcripts: read by linkgraph.transcripts, an episode of their own
    ".webvtt": "vtt",
    ".srt": "srt",
}
_FEED_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(!doctype html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_MARKDOWN_HINT = re.compile(rb"^---\s*\n|\]\([^)\s]+\)|^#{1,6} \S", re.MULTILINE)


def detect_format(data: bytes, name: str = "") -> str:
    """Guess the format of a source from its content, then its file extension."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _FEED_ROOT.match(head):
        return "rss"
    if _HTML_START.match(head):
        return "html"
    by_extension = SUFFIXES.get(PurePosixPath(name.split("?")[0]).suffix.lower())
    if by_extension:
        return by_extension
    if _MARKDOWN_HINT.search(data[:65536]):
        return "markdown"
    return "text"


def read_source(data: bytes, source: str, fmt: str | None = None) -> list[Episode]:
    """Read one source into episodes, detecting its format unless ``fmt`` is given."""
    if not data.strip():
        raise SourceError("is empty")
    chosen = fmt or detect_format(data, source)
    if chosen not in READERS:
        raise SourceError(f"is a {chosen} transcript, not show notes or a feed")
    return READERS[chosen](data, source)


__all__ = [
    "FORMATS",
    "READERS",
    "SUFFIXES",
    "SourceError",
    "decode_text",
    "detect_format",
    "read_source",
]
