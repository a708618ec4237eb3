"""Markdown pages, including Jekyll posts with YAML front matter."""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from itertools import pairwise
from pathlib import PurePath

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ..model import Episode, Topic
from .base import decode_text
from .dates import date_in_name, date_line, iso_datetime
from .html import extract_links, http_url

_LIBYAML = getattr(yaml, "CBaseLoader", None)  # None when PyYAML was built without libyaml
_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING_ID = re.compile(r"\s*\{#([^\s{}]+)\}\s*$")  # kramdown's "## Title {#id}"
_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")  # "title: 73 • Moving Beyond: Syntax"
_ITEM = re.compile(r"[ \t]+-[ \t]+(.*)|-[ \t]+(.*)")  # "  - episode" under "categories:"


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


@lru_cache(maxsize=2)
def render(text: str) -> str:
    """Render markdown to HTML the way the reader does (the page just rendered is kept: a
    transcript page is read for its links, then for its speakers' turns)."""
    return _renderer().render(text)


def _split_front_matter(text: str) -> tuple[dict[str, object], str, list[str]]:
    """Split YAML front matter (all values kept as strings) from the markdown body.

    Front matter that is not valid YAML (``title: 73 • Moving Beyond Syntax: Lessons``)
    is read line by line, ``key: value``, with a warning: the page is still read whole.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, []
    warnings = []
    try:
        meta = _load_yaml(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        meta = _fields_by_line(match.group(1) or "")
        warnings.append(
            f"the front matter is not valid YAML ({problem}{where}); "
            f"read line by line: {', '.join(meta) or 'nothing'}"
        )
    if not isinstance(meta, dict):
        return {}, text, warnings
    return meta, text[match.end() :], warnings


def _load_yaml(front: str) -> object:
    """YAML with every value a string: parsed by libyaml when PyYAML was built with it (eight
    times faster), else, or when libyaml refuses it, by PyYAML's own parser, which also reads
    escapes libyaml refuses (``"\\udc80"``)."""
    if _LIBYAML is not None:
        with contextlib.suppress(yaml.YAMLError, UnicodeEncodeError):  # a lone surrogate
            return yaml.load(front, Loader=_LIBYAML)
    return yaml.load(front, Loader=yaml.BaseLoader)


def page_body(text: str) -> str:
    """The markdown of a page without its front matter."""
    match = _FRONT_MATTER.match(text)
    return text[match.end() :] if match else text


def _fields_by_line(front: str) -> dict[str, object]:
    """``key: value`` lines, and ``- item`` lines under an empty key, as strings."""
    meta: dict[str, object] = {}
    key = None
    for line in front.split("\n"):
        item = _ITEM.fullmatch(line)
        field = _FIELD.fullmatch(line)
        listed = meta.get(key) if key else None
        if item and isinstance(listed, list):
            listed.append(_unquote(item.group(1) or item.group(2)))
        elif field:
            key, value = field.group(1), field.group(2).strip()
            meta[key] = _unquote(value) if value else []
    return meta


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def read(data: bytes, source: str) -> list[Episode]:
    """Read one markdown page into an Episode with its headings as topics."""
    meta, body, warnings = _split_front_matter(decode_text(data))
    url = _string(meta, "permalink") or _string(meta, "url")
    topics, mentions = extract_links(
        render(body), http_url(source) or http_url(url), timestamps=True
    )
    written = _string(meta, "date")
    published = iso_datetime(written)
    if written and not published:
        warnings.append(f"the date {written!r} is not a date linkgraph can read")
    episode = Episode(
        title=_string(meta, "title") or _first_title(topics) or PurePath(source).stem or source,
        source=source,
        url=url,
        published=published or date_in_name(PurePath(source).name) or date_line(_head(body)),
        description=_string(meta, "description"),
        categories=_categories(meta),
        topics=topics,
        mentions=mentions,
        warnings=warnings,
    )
    return [episode]


def _head(body: str) -> list[str]:
    """The first lines of the body, where a post's date line stands."""
    return body.lstrip("\n").split("\n", 20)[:20]


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
