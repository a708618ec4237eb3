"""Transcript readers: WebVTT, SubRip, the Podcasting 2.0 JSON and HTML formats, plain text.

Each turns the bytes of one transcript into Segments (text, start, end, speaker, topic).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePosixPath

from ..model import Segment
from ..readers.base import SourceError, decode_text
from . import page, plain, podcast_json, subrip, vtt

# The media types of <podcast:transcript type="...">, and those servers send.
_MEDIA_TYPES = {
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "text/srt": "srt",
    "application/x-srt": "srt",
    "application/json": "json",
    "text/json": "json",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/plain": "transcript",
}
_EXTENSIONS = {
    ".vtt": "vtt",
    ".webvtt": "vtt",
    ".srt": "srt",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "transcript",
}
_READERS: dict[str, Callable[[str], list[Segment]]] = {
    "vtt": vtt.read,
    "srt": subrip.read,
    "json": podcast_json.read,
    "html": page.read_html,
    "markdown": page.read_markdown,
    "transcript": plain.read,
}
_SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d+:\d{2}:\d{2}[,.]\d+\s*-->")
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<[!a-zA-Z]", re.DOTALL)


def format_of_media_type(media_type: str | None) -> str | None:
    """The transcript format a media type names (``text/vtt`` -> ``vtt``), None if unknown."""
    if not media_type:
        return None
    return _MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())


def detect_transcript_format(text: str, name: str = "") -> str:
    """Guess a transcript's format from its content, then its file name; plain text last."""
    head = text.lstrip("\ufeff")[:4096]
    if head.startswith("WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    if head.lstrip().startswith("{"):
        return "json"
    if _HTML_START.match(head):
        return "html"
    suffix = PurePosixPath(name.split("?")[0]).suffix.lower()
    return _EXTENSIONS.get(suffix, "transcript")


def read_transcript(data: bytes, name: str = "", fmt: str | None = None) -> list[Segment]:
    """Read one transcript into segments, detecting its format unless ``fmt`` is given.

    Raises SourceError for input that is not a transcript in that format.
    """
    text = decode_text(data)
    if not text.strip():
        raise SourceError("is empty")
    chosen = fmt or detect_transcript_format(text, name)
    if chosen not in _READERS:
        raise SourceError(f"names an unknown transcript format {chosen!r}")
    segments = _READERS[chosen](text)
    if not segments:
        raise SourceError(f"has no words in it (read as {chosen})")
    return segments


__all__ = [
    "detect_transcript_format",
    "format_of_media_type",
    "read_transcript",
]
