"""The Podcasting 2.0 JSON transcript format (``application/json``).

``{"version": "1.0.0", "segments": [{"speaker", "startTime", "endTime", "body"}, ...]}``:
segments may hold a sentence or a single word; only ``body`` is required of each.
"""

from __future__ import annotations

import json
import math

from ..model import Segment
from ..readers.base import SourceError
from .fragments import join_fragments


def read(text: str) -> list[Segment]:
    """The segments of a JSON transcript, words joined into sentences."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(f"is not valid JSON ({error.msg} at line {error.lineno})") from None
    segments = document.get("segments") if isinstance(document, dict) else None
    if not isinstance(segments, list):
        raise SourceError('is not a JSON transcript (no "segments" list)')
    pieces: list[Segment] = []
    for number, item in enumerate(segments, 1):
        if not isinstance(item, dict) or not isinstance(item.get("body"), str):
            raise SourceError(f'is not a JSON transcript (segment {number} has no "body" text)')
        speaker = item.get("speaker")
        pieces.append(
            Segment(
                item["body"],
                _seconds(item.get("startTime")),
                _seconds(item.get("endTime")),
                " ".join(speaker.split()) or None if isinstance(speaker, str) else None,
            )
        )
    return join_fragments(pieces)


def _seconds(value: object) -> float | None:
    """A time in seconds; numbers written as strings too, nothing negative or infinite."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
