"""HTML pages, and the one link walker that the HTML, markdown and feed readers share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..model import Episode, Mention, Topic
from .base import SourceError, decode_text
from .dates import iso_datetime
from .textutil import (
    SENTENCE_BREAK,
    entry_label,
    find_urls,
    sentence_around,
    starts_with_host,
    timestamped_topic,
)

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    }
)
CELL_TAGS = frozenset({"td", "th"})
NON_TEXT_TAGS = frozenset({"script", "style", "noscript", "template"})  # content is no text
SKIP_TAGS = NON_TEXT_TAGS | {"nav", "header", "footer", "aside", "form", "iframe"}
HEADING_RANKS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
LIST_TAGS = frozenset({"ul", "ol", "menu"})
_TIMESTAMP_RANK = 10  # timestamped topics nest below any heading, deeper lists deeper still
_LABEL_LIMIT = 80  # a group label such as "Main papers:" is a short line
_BARE_LABEL_WORDS = 6  # a label without a colon ("Quick Hits") is shorter still
_PADDING = re.compile(r"^(?:%20|\s)+|(?:%20|\s)+$")  # href="%20https://…": a pasted space
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"  # zero-width and direction marks
# Pasting slips around an href: invisible marks at its ends, a scheme written twice
# ("http://\u202ahttps://x"). Marks inside a host are left for the URL to fail on.
_SLIPS = re.compile(
    f"^[{_INVISIBLE}]+|[{_INVISIBLE}]+$|^https?://[{_INVISIBLE}]*(?=https?://)", re.IGNORECASE
)
_SLIP_SIGNS = re.compile(f"[\\s{_INVISIBLE}]|%20|://.*://")  # an href with none has no slip
_LOOSE_URL = re.compile(r"^(?:https?://)?(?:www\.)?", re.IGNORECASE)
_HTTP = re.compile(r"https?://[^/?#\s]", re.IGNORECASE)
_HAS_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_BULLET = re.compile(r"(?:[-*•·–]|\d{1,2}[.)])\s")


def http_url(value: str | None) -> str | None:
    """The value, stripped, when it is an absolute http(s) URL, else None."""
    value = (value or "").strip()
    return value if _HTTP.match(value) else None


def absolute_url(base: str | None, href: str) -> str | None:
    """``href`` joined to ``base`` when it is an http(s) URL, else None.

    A malformed URL (such as ``http://[`` with a broken IPv6 host) is no URL, not an error.
    """
    try:
        return http_url(urljoin(base or "", href.strip()))
    except ValueError:
        return None


@dataclass
class _OpenLink:
    """An ``<a href>`` being walked: its mention, where it starts in the line, its text."""

    mention: int
    start: int | None
    text: list[str] = field(default_factory=list)


class _Walker:
    """One pass over a parsed page, collecting topics and link mentions in document order.

    Text is gathered line by line: a line ends at every block element and ``<br>``, and
    each mention's context, topic and section are settled when its line ends.
    """

    def __init__(self, base_url: str | None, timestamps: bool) -> None:
        self.base_url = http_url(base_url)
        self.timestamps = timestamps
        self.text_length = 0  # characters of text outside markup, for comparing notes
        self.topics: list[Topic] = []
        self.mentions: list[Mention] = []
        self.saw_text = False
        self._open_topics: list[tuple[int, int]] = []  # (rank, index) of the enclosing topics
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[tuple[int, int, int]] = []  # (mention index, start, end) in the line
        self._link: _OpenLink | None = None
        self._sections: list[str | None] = []  # the group label of each open list
        self._label: str | None = None  # a "Main papers:" line waiting for its list
        self._label_colon = False  # "Main papers:" labels entries; "Quick Hits" only a list
        self._label_bullets: bool | None = None  # whether the label's entries are bulleted
        self._title_above: str | None = None  # a short line that may title a URL below it
        self._tentative: tuple[int, str] | None = None  # (mention, its anchor) titled so
        self._closed: int | None = None  # the link just closed, while no text follows it
        self._toc: dict[str, int] = {}  # "#anchor" links in lists -> list depth
        self._on_timestamp_line: set[int] = set()  # mentions on their own timestamp line

    def walk(self, root: LexborNode) -> None:
        """Walk the tree under ``root`` depth first, without recursion."""
        stack: list[LexborNode | str] = [root]  # a str is the tag of an element to leave
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self._leave(item)
                continue
            tag = item.tag or ""
            if tag == "-text":
                self._text(item.text_content or "")
            elif self._enter(item, tag):
                stack.append(tag)
                stack.extend(reversed(list(item.iter(include_text=True))))
        self._end_line()

    def finish(self) -> tuple[list[Topic], list[Mention]]:
        """Settle topic hierarchy and levels; return the topics and mentions."""
        self._apply_toc()
        self._release_links_after_chapter_list()
        for topic in self.topics:
            topic.level = 1 if topic.parent is None else self.topics[topic.parent].level + 1
        return self.topics, self.mentions

    def _enter(self, node: LexborNode, tag: str) -> bool:
        if tag in SKIP_TAGS or tag.startswith("-") or is_navigation(node):
            return False
        if tag == "br":
            self._end_line()
        elif tag in BLOCK_TAGS:
            self._end_line()
            if tag in HEADING_RANKS:
                self._open_heading(node, HEADING_RANKS[tag])
            elif tag in LIST_TAGS:
                inherited = self._sections[-1] if self._sections else None
                self._sections.append(self._label or inherited)
                self._label = None
                self._title_above = None
        elif tag == "a":
            self._open_link(node.attributes.get("href"))
        elif tag == "img" and self._link:  # an image link's text is the image's alt text
            self._text(node.attributes.get("alt") or "")
        elif tag in CELL_TAGS and any(part.strip() for part in self._parts):  # cells of a row
            self._text(" | ")
        return True

    def _leave(self, tag: str) -> None:
        if tag == "a" and self._link:
            self._close_link(self._link)
        elif tag in BLOCK_TAGS:
            self._end_line()
            if tag in LIST_TAGS:
                self._sections.pop()
                self._label = None

    def _text(self, text: str) -> None:
        if self._link:
            self._link.text.append(text)
        elif "://" in text:
            for found in find_urls(text):
                self.mentions.append(Mention(found.url))
                self._spans.append(
                    (len(self.mentions) - 1, self._length + found.start, self._length + found.end)
                )
        if not self._link and text.strip():
            self._closed = None
        self._parts.append(text)
        self._length += len(text)

    def _open_link(self, href: str | None) -> None:
        """Start a link; one right after a link to the same URL, with nothing between,
        goes on with it (an ``<a>`` left open across blocks is cloned into each)."""
        if not href:
            return
        href = href.strip()
        if href.startswith("#"):
            if self._sections and len(href) > 1:
                self._toc.setdefault(unquote(href[1:]), len(self._sections))
            return
        url = self._absolute(href)
        closed, self._closed = self._closed, None
        if url and closed is not None and self.mentions[closed].url == url:
            self._link = _OpenLink(closed, self._length, [self.mentions[closed].anchor_text, " "])
        elif url:
            self.mentions.append(Mention(url))
            self._link = _OpenLink(len(self.mentions) - 1, self._length)

    def _close_link(self, link: _OpenLink) -> None:
        self._link = None
        self._closed = link.mention
        self.mentions[link.mention].anchor_text = " ".join("".join(link.text).split())
        if link.start is None:
            return
        for position, (index, start, _) in enumerate(self._spans):
            if index == link.mention:  # the same link went on in this line
                self._spans[position] = (index, start, self._length)
                return
        self._spans.append((link.mention, link.start, self._length))

    def _absolute(self, href: str) -> str | None:
        """An href as an absolute http(s) URL, or None when it is none.

        ``twitter.com/x`` is a host written without its scheme, not a path under the page,
        and text pasted where a URL belongs (``href="Joar Wandborg"``) is no link. Pasting
        slips are undone: invisible marks, spaces around it, a scheme written twice.
        """
        if _SLIP_SIGNS.search(href):
            href = href.replace("\t", "").replace("\n", "").replace("\r", "")
            href = _PADDING.sub("", _SLIPS.sub("", _PADDING.sub("", href)))
        if _HAS_SCHEME.match(href):
            return http_url(href)
        if starts_with_host(href):
            return http_url("https://" + href)
        if " " in href and "/" not in href:
            return None
        return absolute_url(self.base_url, href) if self.base_url else None

    def _open_heading(self, node: LexborNode, rank: int) -> None:
        title = " ".join(node.text(deep=True).split())
        if title:
            named = node.css_first("a[name], a[id]")
            anchor = node.attributes.get("id") or (
                named and (named.attributes.get("name") or named.attributes.get("id"))
            )
            self._add_topic(title, rank, anchor=anchor or None)

    def _add_topic(
        self, title: str, rank: int, anchor: str | None = None, start: float | None = None
    ) -> None:
        while self._open_topics and self._open_topics[-1][0] >= rank:
            self._open_topics.pop()
        parent = self._open_topics[-1][1] if self._open_topics else None
        self.topics.append(Topic(title, anchor=anchor, start_seconds=start, parent=parent))
        self._open_topics.append((rank, len(self.topics) - 1))

    def _break_link(self, link: _OpenLink) -> None:
        """A link around blocks (a "card") goes on past the line; its context is its first line."""
        link.text.append(" ")
        if link.start is None:
            return
        if self._length > link.start:
            self._spans.append((link.mention, link.start, self._length))
            link.start = None
        else:  # none of its text in this line yet: it starts with the next one
            link.start = 0

    def _end_line(self) -> None:
        if self._link:
            self._break_link(self._link)
        if not self._parts and not self._spans:
            return
        text, spans = "".join(self._parts), sorted(self._spans, key=lambda span: span[1])
        self._parts, self._spans, self._length = [], [], 0
        line = text.strip()
        if not line and not spans:
            return
        self.saw_text = True
        self.text_length += len(line)
        stamped = self.timestamps and self._timestamp_topic(line)
        section = self._section(line, text, spans, stamped)
        topic = self._open_topics[-1][1] if self._open_topics else None
        for index, start, end in spans:
            mention = self.mentions[index]
            context = sentence_around(text, start, end)
            bullet = _BULLET.match(context)  # "- Title: url" lines in a <br> list
            mention.context = context[bullet.end() :] if bullet else context
            mention.topic, mention.section = topic, section
            if stamped:
                self._on_timestamp_line.add(index)
        self._name_links(text, spans)
        self._title_above = _title_line(line) if not spans and not stamped else None

    def _name_links(self, text: str, spans: list[tuple[int, int, int]]) -> None:
        """Give links written as their own URL the title their line gives them.

        Only URLs shown as text divide a line between titles. The same forms as in
        plain-text notes: ``Title - url``, ``Title: url``,
        ``Title (url)``, ``[Title] url``, ``url - Title``, and a short line right above a
        line that is only the URL (unless another such line follows: then that short
        line heads a group of URLs).
        """
        lone = len(spans) == 1 and _is_only(text, spans[0][1], spans[0][2])
        if self._tentative and lone:  # a second lone URL: the line above heads a group
            index, anchor = self._tentative
            self.mentions[index].anchor_text = anchor
        self._tentative = None
        written = [
            (i, s, e)
            for i, s, e in spans
            if _names_itself(self.mentions[i].anchor_text, self.mentions[i].url)
        ]
        for position, (index, start, end) in enumerate(written):
            mention = self.mentions[index]
            before = written[position - 1][2] if position else 0
            after = written[position + 1][1] if position + 1 < len(written) else -1
            label = entry_label(text, start, end, before, after)
            if label:
                mention.anchor_text = label
            elif lone and self._title_above:
                self._tentative = (index, mention.anchor_text)
                mention.anchor_text = self._title_above

    def _timestamp_topic(self, line: str) -> bool:
        found = timestamped_topic(" ".join(line.split()))
        if found:
            seconds, title = found
            rank = _TIMESTAMP_RANK + len(self._sections)
            self._add_topic(_without_urls(title) or title, rank, start=seconds)
        return found is not None

    def _section(
        self, line: str, text: str, spans: list[tuple[int, int, int]], stamped: bool
    ) -> str | None:
        """The group label for a line's links; remembers a label line for what follows.

        A label ending in a colon ("Papers discussed:") names the entries under it: list
        items, bulleted lines, short link lines and linked timestamp lines, in one shape;
        a label without one ("Quick Hits") only the list right under it. A label over
        timestamped lines that hold no links heads chapters, not a group of links.
        """
        if not spans and not stamped and _is_label(line):
            self._label, self._label_colon = " ".join(line.rstrip(":").split()), line.endswith(":")
            self._label_bullets = None
            return None
        if self._sections:
            return self._sections[-1]
        label, self._label = self._label, None
        if label is None or (stamped and not spans):
            return None
        bullet = _BULLET.match(line) is not None
        entry = bullet or stamped or (self._label_colon and _is_entry(text, spans))
        if not entry or (not self._label_colon and not bullet):
            return None
        if not stamped:
            if self._label_bullets is None:
                self._label_bullets = bullet
            elif self._label_bullets != bullet:
                return None
        self._label = label
        return label

    def _apply_toc(self) -> None:
        """Let a "Topics we discuss" list of #anchor links set the parents of its headings."""
        by_anchor: dict[str, int] = {}
        for index, topic in enumerate(self.topics):
            if topic.anchor:
                by_anchor.setdefault(topic.anchor, index)
        listed = [(by_anchor[a], depth) for a, depth in self._toc.items() if a in by_anchor]
        in_toc = {index for index, _ in listed}
        stack: list[tuple[int, int]] = []
        for index, depth in listed:
            while stack and stack[-1][1] >= depth:
                stack.pop()
            parent = stack[-1][0] if stack else None
            if parent is None and self.topics[index].parent not in in_toc:
                parent = self.topics[index].parent
            if parent is None or parent < index:
                self.topics[index].parent = parent
            stack.append((index, depth))

    def _release_links_after_chapter_list(self) -> None:
        """Links after a run of timestamp lines that holds no links are not the last chapter's.

        Show notes often list all chapters first and their links after; only when links
        follow earlier timestamp lines too do they belong to the chapter they follow.
        """
        stamped = [i for i, topic in enumerate(self.topics) if topic.start_seconds is not None]
        if len(stamped) < 2:
            return
        last, chapters = stamped[-1], set(stamped)
        following = [
            m
            for i, m in enumerate(self.mentions)
            if m.topic in chapters and i not in self._on_timestamp_line
        ]
        if any(m.topic != last for m in following):
            return
        owner = self.topics[last].parent
        while owner is not None and self.topics[owner].start_seconds is not None:
            owner = self.topics[owner].parent
        for mention in following:
            mention.topic = owner


def _is_label(line: str) -> bool:
    """A short line that names a group: "Papers discussed:", or "Quick Hits" unpunctuated."""
    if len(line) > _LABEL_LIMIT or SENTENCE_BREAK.search(line):
        return False
    return line.endswith(":") or (
        len(line.split()) <= _BARE_LABEL_WORDS and line[-1] not in ".!?,;…)" and "://" not in line
    )


def _is_entry(text: str, spans: list[tuple[int, int, int]]) -> bool:
    """A line of links with little else: a title or label each, not a sentence."""
    rest, last = [], 0
    for _, start, end in spans:
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    words = " ".join("".join(rest).split())
    return bool(spans) and len(words) <= _LABEL_LIMIT and not SENTENCE_BREAK.search(words)


def _is_only(text: str, start: int, end: int) -> bool:
    """Whether the span is all the line holds, but for a list marker."""
    before = text[:start].strip()
    return not text[end:].strip() and (not before or _BULLET.fullmatch(before + " ") is not None)


def _title_line(line: str) -> str | None:
    """A line that could title a URL on the line below it."""
    text = line.rstrip(":").strip()
    if not text or len(text) > _LABEL_LIMIT or SENTENCE_BREAK.search(text):
        return None
    return text


def _names_itself(anchor: str, url: str) -> bool:
    """Whether a link's text is nothing but its URL (or none)."""
    if not anchor or "://" in anchor:
        return True
    if " " in anchor or "." not in anchor:
        return False
    written = _LOOSE_URL.sub("", anchor).rstrip("/").lower()
    return _LOOSE_URL.sub("", url).lower().startswith(written)


def _without_urls(title: str) -> str:
    """A timestamp line's title without the URLs written on it."""
    for found in reversed(find_urls(title)):
        title = title[: found.start] + title[found.end :]
    return " ".join(title.split()).strip(" -–—:|")


def is_navigation(node: LexborNode) -> bool:
    """Whether an element is the page's navigation (role=\"navigation\")."""
    role = node.attributes.get("role")
    return bool(role and role.strip().lower() == "navigation")


def _walk(root: LexborNode | None, base_url: str | None, timestamps: bool) -> _Walker:
    walker = _Walker(base_url, timestamps)
    if root is not None:  # a document with no elements at all
        walker.walk(root)
    return walker


MAX_DEPTH = 1000  # browsers stop nesting at 512; real pages stay far below either
_TAG_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
# Elements that never hold others, or that the next sibling closes without an end tag.
_FLAT = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "option",
        "optgroup",
        "rp",
        "rt",
    )
)


@lru_cache(maxsize=1)
def parse_html(html: str) -> LexborHTMLParser:
    """Parse HTML, refusing markup nested deeper than MAX_DEPTH.

    The parser's tree building slows down sharply with depth (100,000 nested <div>s take
    about a minute), so such input is refused with a clear message instead. The page just
    parsed is kept (a transcript page is read for its links, then for its speakers' turns);
    nothing changes a parsed tree.
    """
    if html.count("<") > MAX_DEPTH:  # fewer tags cannot nest deeper
        _refuse_deep_nesting(html)
    return LexborHTMLParser(html)


def _refuse_deep_nesting(html: str) -> None:
    depth = 0
    for closing, name, self_closing in _TAG_TOKEN.findall(html):
        if self_closing or name.lower() in _FLAT:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_DEPTH:
            raise SourceError(f"nests HTML elements more than {MAX_DEPTH} levels deep")


def extract_links(
    html: str, base_url: str | None = None, *, timestamps: bool = False
) -> tuple[list[Topic], list[Mention]]:
    """Topics (headings, and timestamp lines when ``timestamps``) and link mentions of HTML."""
    return read_notes(html, base_url, timestamps=timestamps)[:2]


def read_notes(
    html: str, base_url: str | None = None, *, timestamps: bool = True
) -> tuple[list[Topic], list[Mention], int]:
    """Topics and mentions of show notes in HTML, and the length of their text."""
    tree = parse_html(html)
    walker = _walk(tree.body or tree.root, base_url, timestamps)
    return (*walker.finish(), walker.text_length)


def read(data: bytes, source: str) -> list[Episode]:
    """Read one web page (a transcript or episode page) into an Episode."""
    tree = parse_html(decode_text(data))
    base = _base_url(tree, source)
    page = _page_metadata(tree, base, source)
    walker = _walk(tree.body or tree.root, base, timestamps=False)
    if not walker.saw_text and not walker.mentions:
        raise SourceError("has no text or links outside scripts, styles and page navigation")
    topics, mentions = walker.finish()
    title = page.pop("title") or (topics[0].title if topics else source)
    return [Episode(title=title, source=source, topics=topics, mentions=mentions, **page)]


def _base_url(tree: LexborHTMLParser, source: str) -> str | None:
    base = tree.css_first("base[href]")
    href = base.attributes.get("href") if base else None
    return absolute_url(source, href) if href else http_url(source)


def _page_metadata(tree: LexborHTMLParser, base: str | None, source: str) -> dict[str, Any]:
    canonical = tree.css_first("link[rel~=canonical][href]")
    url = canonical.attributes.get("href") if canonical else _meta(tree, "og:url")
    time = tree.css_first("time[datetime]")
    published = (
        _meta(tree, "article:published_time")
        or (time.attributes.get("datetime") if time else None)
        or _json_ld_date(tree)
    )
    return {
        "title": _meta(tree, "og:title") or _text_of(tree, "h1") or _text_of(tree, "title"),
        "url": (absolute_url(base, url) if url else None) or http_url(source),
        "published": iso_datetime(published),
        "description": _meta(tree, "description") or _meta(tree, "og:description"),
        "image": http_url(_meta(tree, "og:image")),
        "podcast": _meta(tree, "og:site_name"),
    }


def _meta(tree: LexborHTMLParser, name: str) -> str | None:
    node = tree.css_first(f'meta[property="{name}"][content], meta[name="{name}"][content]')
    content = " ".join((node.attributes.get("content") or "").split()) if node else ""
    return content or None


def _text_of(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    text = " ".join(node.text(deep=True).split()) if node else ""
    return text or None


def _json_ld_date(tree: LexborHTMLParser) -> str | None:
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            found = _find_key(json.loads(script.text(deep=True)), "datePublished")
        except (ValueError, RecursionError):
            continue
        if found:
            return found
    return None


def _find_key(value: object, key: str) -> str | None:
    """The first string under ``key`` anywhere in a JSON value (JSON-LD nests freely)."""
    if isinstance(value, dict):
        if isinstance(value.get(key), str):
            return value[key]
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _find_key(item, key)
            if found:
                return found
    return None
