"""Podcasting 2.0 JSON chapters (the document a ``podcast:chapters`` tag points to)."""

from __future__ import annotations

import json
import math

from ..model import Mention, Topic
from .base import SourceError, decode_text
from .html import http_url

MAX_START_SECONDS = 7 * 24 * 3600  # a week: no episode is longer; later starts are no times


def read_chapters(data: bytes) -> tuple[list[Topic], list[Mention]]:
    """Chapters as topics in start-time order, and each chapter's ``url`` as a mention of it.

    Silent chapters (``"toc": false``) and chapters without a title or a start time from 0
    to ``MAX_START_SECONDS`` (``Infinity``, ``NaN`` and ``1e999`` are none) are left out.
    """
    try:
        document = json.loads(decode_text(data))
    except json.JSONDecodeError as error:
        raise SourceError(f"is not valid JSON: {error.msg} at line {error.lineno}") from None
    chapters = document.get("chapters") if isinstance(document, dict) else None
    if not isinstance(chapters, list):
        raise SourceError('is not a JSON chapters document (it has no "chapters" list)')
    shown = [(start, chapter) for chapter in chapters if (start := _start(chapter)) is not None]
    shown.sort(key=lambda pair: pair[0])
    topics: list[Topic] = []
    mentions: list[Mention] = []
    for start, chapter in shown:
        title = chapter["title"].strip()
        url = http_url(chapter.get("url") if isinstance(chapter.get("url"), str) else None)
        if url:
            mentions.append(Mention(url, anchor_text=title, context=title, topic=len(topics)))
        topics.append(Topic(title, start_seconds=start))
    return topics, mentions


def _start(chapter: object) -> float | None:
    """A shown chapter's start time in seconds; None for chapters to leave out."""
    if not isinstance(chapter, dict) or chapter.get("toc") is False:
        return None
    title, start = chapter.get("title"), chapter.get("startTime")
    if not isinstance(title, str) or not title.strip() or isinstance(start, bool):
        return None
    if not isinstance(start, (int, float, str)):
        return None
    try:
        seconds = float(start)
    except (TypeError, ValueError, OverflowError):
        return None
    return seconds if math.isfinite(seconds) and 0 <= seconds <= MAX_START_SECONDS else None
