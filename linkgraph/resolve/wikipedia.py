"""Wikipedia articles: the REST page-summary API (``/page/summary/{title}``)."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

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
    mapping,
    single,
)

_ARTICLE = re.compile(r"^/wiki/(.+)$")


def _article(target: Target) -> tuple[str, str] | None:
    """(language, title) of a Wikipedia article URL."""
    if not target.host.endswith("wikipedia.org"):
        return None
    match = _ARTICLE.match(target.path)
    if not match:
        return None
    labels = target.host.split(".")
    lang = labels[0] if len(labels) > 2 else "en"
    return lang, unquote(match[1])


def metadata(data: dict) -> Metadata:
    """Our metadata from a page summary."""
    if data.get("type") not in ("standard", "disambiguation", "no-extract", "mainpage"):
        raise NotFound(f"Wikipedia has no article: {clean(data.get('title')) or data.get('type')}")
    titles = mapping(data.get("titles"))
    page = ((data.get("content_urls") or {}).get("desktop") or {}).get("page")
    meta = Metadata(
        origin="wikipedia",
        title=clean(titles.get("normalized")) or clean(data.get("title")),
        abstract=clean(data.get("extract")),
        venue="Wikipedia",
        url=clean(page),
        kind="encyclopedia",
        extra={
            "description": clean(data.get("description")),
            "wikidata": clean(data.get("wikibase_item")),
            "page_type": data.get("type"),
        },
    )
    if not meta.title:
        raise NotFound("Wikipedia's summary has no title")
    return meta


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """Look up one article's summary."""
    lang, title = _article(target) or ("", "")
    base = config.wikipedia_url.replace("{lang}", lang)
    url = f"{base}/page/summary/{quote(title.replace(' ', '_'), safe='')}"
    try:
        return metadata(fetch_json(http, url, "Wikipedia"))
    except HTTPStatusError as error:
        if error.status == 404:  # the page itself would say the same: no need to fetch it
            raise ResolveError(f"Wikipedia has no article {title!r} (HTTP 404)") from None
        raise


RESOLVER = Resolver(
    name="wikipedia", accepts=lambda t: _article(t) is not None, fetch=single(fetch_one)
)
