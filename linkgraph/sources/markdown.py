"""Markdown pages, including Jekyll posts with YAML front matter."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from pathlib import PurePath

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..model import Episode, Topic
from .base import SourceError, decode_text
from .html import extract_links, http_url, iso_datetime

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")  # kramdown's "## Title {#id}"
_POST_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})-")  # Jekyll's _posts/YYYY-MM-DD-slug.md


class _Renderer(MarkdownIt):
    """CommonMark with raw HTML and tables that keeps link destinations as written."""

    def normalizeLink(self, url: str) -> str:
        """Leave the URL alone: a mention keeps the link as its author wrote it."""
        return url


def _heading_ids(state: StateCore) -> None:
    """Turn a trailing ``{#id}`` in a heading into the heading's id attribute."""
    for opening, inline in pairwise(state.tokens):
        if opening.type == "heading_open" and inline.type == "inline":
            match = _HEADING_ID.search(inline.content)
            if match:
                opening.attrSet("id", match.group(1))
                inline.content = inline.content[: match.start()]


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    renderer = _Renderer("commonmark", {"html": True}).enable("table")
    renderer.core.ruler.before("inline", "heading_ids", _heading_ids)
    return renderer


def render(text: str) -> str:
    """Render markdown to HTML the way the reader does."""
    return _renderer().render(text)


def _split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Split YAML front matter (all values kept as strings) from the markdown body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match.group(1) or "", Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise SourceError(f"has front matter that is not valid YAML: {problem}{where}") from None
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[match.end() :]


def read(data: bytes, source: str) -> list[Episode]:
    """Read one markdown page into an Episode with its headings as topics."""
    meta, body = _split_front_matter(decode_text(data))
    url = _string(meta, "permalink") or _string(meta, "url")
    topics, mentions = extract_links(render(body), http_url(source) or http_url(url))
    episode = Episode(
        title=_string(meta, "title") or _first_title(topics) or PurePath(source).stem or source,
        source=source,
        url=url,
        published=iso_datetime(_string(meta, "date")) or _post_date(source),
        description=_string(meta, "description"),
        categories=_categories(meta),
        topics=topics,
        mentions=mentions,
    )
    return [episode]


def _string(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _first_title(topics: list[Topic]) -> str | None:
    return topics[0].title if topics else None


def _categories(meta: dict[str, object]) -> list[str]:
    """Jekyll categories: a YAML list or a space-separated string."""
    value = meta.get("categories", meta.get("category"))
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def _post_date(source: str) -> str | None:
    match = _POST_DATE.match(PurePath(source).name)
    return iso_datetime(match.group(1)) if match else None


_POST_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")


def jekyll_url(site_url: str, episode: Episode) -> str | None:
    """The page URL Jekyll's default permalink gives a post: /:categories/:y/:m/:d/:slug.html.

    None when the source is not named like a Jekyll post (YYYY-MM-DD-slug.md).
    """
    match = _POST_NAME.fullmatch(PurePath(episode.source).stem)
    if not match:
        return None
    year, month, day, slug = match.groups()
    parts = [*episode.categories, year, month, day]
    return f"{site_url.rstrip('/')}/{'/'.join(parts)}/{slug}.html"
