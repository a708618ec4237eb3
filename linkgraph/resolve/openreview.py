"""OpenReview: the notes API (``/notes?id=``), API 2 first, then the older API 1.

API 2 wraps every content field as ``{"value": ...}``; API 1 gives the values directly.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from ..config import Config
from ..net.http import Http, HTTPStatusError
from .base import (
    Metadata,
    NotFound,
    ResolveError,
    Resolver,
    Target,
    clean,
    fetch_json,
    iso_date,
    names,
    serves,
    single,
)


def _value(field: Any) -> Any:
    return field.get("value") if isinstance(field, dict) else field


def _date(note: dict) -> str | None:
    for key in ("pdate", "odate", "cdate", "tcdate"):
        stamp = note.get(key)
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) and stamp > 0:
            try:
                moment = datetime.fromtimestamp(stamp / 1000, tz=timezone.utc)
            except (OverflowError, OSError, ValueError):  # a time no clock holds: no date
                continue
            return iso_date([moment.year, moment.month, moment.day])
    return None


def metadata(note: dict, forum_id: str) -> Metadata:
    """Our metadata from one OpenReview note (API 1 or 2)."""
    content = note.get("content")
    if not isinstance(content, dict):
        raise ResolveError("OpenReview's note has no content")
    authors = _value(content.get("authors"))
    keywords = _value(content.get("keywords"))
    meta = Metadata(
        origin="openreview",
        title=clean(_value(content.get("title"))),
        authors=names(authors if isinstance(authors, list) else []),
        published=_date(note),
        abstract=clean(_value(content.get("abstract"))),
        venue=clean(_value(content.get("venue"))),
        url=f"https://openreview.net/forum?id={forum_id}",
        kind="paper",
        subjects=[
            ("openreview", k) for k in (keywords if isinstance(keywords, list) else []) if clean(k)
        ][:20],
    )
    if not meta.title:
        raise ResolveError("OpenReview's note has no title")
    return meta


def _notes(http: Http, base: str, note_id: str) -> list[dict]:
    data = fetch_json(http, f"{base}/notes?{urlencode({'id': note_id})}", "OpenReview")
    notes = data.get("notes")
    if not isinstance(notes, list):
        raise ResolveError("OpenReview's answer has no list of notes")
    return [n for n in notes if isinstance(n, dict)]


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """Look up one forum id in API 2, then in API 1 when API 2 does not know it."""
    for base in (config.openreview_url, config.openreview_v1_url):
        try:
            notes = _notes(http, base, target.value)
        except HTTPStatusError as error:
            if error.status not in (400, 403, 404):
                raise
            continue
        if notes:
            return metadata(notes[0], target.value)
    raise NotFound(f"OpenReview has no note {target.value}")


RESOLVER = Resolver(name="openreview", accepts=serves("openreview"), fetch=single(fetch_one))
