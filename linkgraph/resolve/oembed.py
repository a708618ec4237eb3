"""Videos on YouTube and Vimeo: their oEmbed endpoints (title, channel, upload date)."""

from __future__ import annotations

from urllib.parse import urlencode

from ..config import Config
from ..net.http import Http
from .base import Metadata, NotFound, Resolver, Target, clean, fetch_json, iso_date, single


def _endpoint(config: Config, target: Target) -> str | None:
    if target.host in ("youtube.com", "youtu.be", "m.youtube.com"):
        return config.youtube_oembed_url
    if target.host in ("vimeo.com", "player.vimeo.com"):
        return config.vimeo_oembed_url
    return None


def metadata(data: dict) -> Metadata:
    """Our metadata from an oEmbed response."""
    channel = clean(data.get("author_name"))
    meta = Metadata(
        origin="oembed",
        title=clean(data.get("title")),
        published=iso_date(data.get("upload_date")),
        abstract=clean(data.get("description")),
        venue=channel,
        kind="video",
        extra={
            "channel": channel,
            "channel_url": clean(data.get("author_url")),
            "provider": clean(data.get("provider_name")),
            "duration_seconds": data.get("duration"),
            "thumbnail_url": clean(data.get("thumbnail_url")),
        },
    )
    if not meta.title:
        raise NotFound("the oEmbed answer has no title")
    return meta


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """Ask the video's provider for its oEmbed description."""
    endpoint = _endpoint(config, target)
    page = target.value if target.scheme == "url" else target.url  # the canonical form
    url = f"{endpoint}?{urlencode({'url': page, 'format': 'json'})}"
    return metadata(fetch_json(http, url, "oEmbed"))


RESOLVER = Resolver(
    name="oembed",
    accepts=lambda t: (
        t.scheme == "url"
        and t.host in ("youtube.com", "youtu.be", "m.youtube.com", "vimeo.com", "player.vimeo.com")
    ),
    fetch=single(fetch_one),
)
