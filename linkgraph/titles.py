"""Provisional work titles, before resolution: the best anchor text seen, else the URL.

An anchor text is a title when it names something. It names nothing when, once the words
that only name the link itself are taken away (the site it points to, its file type, nouns
for links and documents such as "link", "video", "website", articles and pointers such as
"a", "this", "here"), nothing is left ("YouTube link", "PDF", "Twitter", "a paper"), or only
one ordinary lowercase word ("interesting", "have"). Such a work is labelled from its URL
instead: its site and a readable slug ("en.wikipedia.org: Fermat's Last Theorem"), while the
anchor stays on the mention.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# Nouns for links and documents themselves, and the words that point at them: what is left of
# "the video", "this website" or "Link to the PDF" once they go names nothing.
# fmt: off
_LINK_WORDS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "our", "my", "his", "her", "their", "its",
    "to", "on", "at", "of", "in", "for", "via", "see", "me", "us", "you", "him", "them", "it",
    "link", "links", "here", "page", "pages", "site", "website", "webpage", "homepage", "home",
    "url", "web", "online", "video", "videos", "clip", "audio", "podcast", "episode", "episodes",
    "post", "posts", "blog", "article", "articles", "paper", "papers", "pdf", "preprint", "doc",
    "docs", "document", "slides", "talk", "thread", "tweet", "tweets", "repo", "repository",
    "code", "source", "profile", "channel", "account", "transcript", "notes", "more", "info",
    "details",
})
# fmt: on
_OPENING_QUOTES, _CLOSING_QUOTES = "\"'“‘«", "\"'”’»"
_GENERIC_FILES = frozenset({"index", "default", "home", "main", "watch", "view", "abs", "pdf"})
_SLUG_LIMIT = 80
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")  # ".html", ".pdf"; not ".12642"
_TITLE_WORDS = 30  # beyond this many words, longer is no better
_SLUG_ID = re.compile(r"\s+(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}$")


def anchor_title(anchor_text: str, url: str | None = None) -> str | None:
    """A provisional work title from a link's text, or None when the text names nothing."""
    text = " ".join(anchor_text.split())
    if len(text) > 2 and text[0] in _OPENING_QUOTES and text[-1] in _CLOSING_QUOTES:
        text = text[1:-1].strip()
    if len(text) < 2 or _looks_like_url(text) or is_vague(text, url):
        return None
    return text


def is_vague(text: str, url: str | None = None) -> bool:
    """Whether anchor text says nothing about which work the link ``url`` points to.

    Once the words that only name the link itself are taken away (its site, its file type,
    words for links and documents, articles and pointers), nothing may be left, or, in
    casual lowercase wording, one ordinary word ("a paper", "interesting", "YouTube link").
    "causal scrubbing" or "Polysemanticity" still name something.
    """
    link_words = _link_words(url)
    naming = [word for word in _WORD.findall(text) if word.lower() not in link_words]
    if not naming:
        return True
    return _is_plain_word(text) and len(naming) == 1


def _is_plain_word(word: str) -> bool:
    """A lowercase word without digits: an ordinary word, not a name."""
    return word == word.lower() and not any(c.isdigit() for c in word)


@lru_cache(maxsize=1 << 14)
def _link_words(url: str | None) -> frozenset[str]:
    """The link nouns, plus the words of ``url``'s host and its file extension.

    The host names the work only for a link to the site itself ("Jan Leike" for his home
    page); below it, the host is the platform ("YouTube" for one of its videos).
    """
    if not url:
        return _LINK_WORDS
    parts = urlsplit(url)
    hosted = bool(readable_slug(url))
    own = {label for label in (parts.hostname or "").split(".") if len(label) > 2 and hosted}
    extension = parts.path.rpartition(".")[2].lower() if "." in parts.path[-6:] else ""
    return _LINK_WORDS | own | {extension}


def _looks_like_url(text: str) -> bool:
    return "://" in text or "/" in text[:20]


def url_label(url: str, written: str | None = None) -> str:
    """A work's label from its URL until it has a title: its site and a readable slug.

    ``url`` is the canonical URL. The link as ``written`` gives the slug when it goes on
    past the canonical URL's last segment: a forum post is ``/posts/<id>`` canonically,
    and its link ``/posts/<id>/<slug>`` says what it is called.
    """
    slug = (_slug_past(url, written) if written else "") or readable_slug(url)
    return f"{_site(url)}: {slug}" if slug else _site(url)


def is_url_label(title: str, url: str) -> bool:
    """Whether a work's title is a label ``url_label`` made for its canonical ``url``."""
    site = _site(url)
    return title == site or title.startswith(f"{site}: ")


@lru_cache(maxsize=1 << 14)
def _site(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _slug_past(url: str, written: str) -> str:
    """The slug of ``written`` when its path goes on past the last segment of ``url``'s."""
    last = urlsplit(url).path.rstrip("/").rpartition("/")[2]
    segments = [s for s in urlsplit(written).path.split("/") if s]
    if last and last in segments[:-1]:
        return readable_slug(written)
    return ""


@lru_cache(maxsize=1 << 14)
def readable_slug(url: str) -> str:
    """The last telling path segment of a URL (or its first query value) as words."""
    parts = urlsplit(url)
    path, query = parts.path, parts.query
    segments = [unquote(s) for s in path.split("/") if s]
    while segments:
        stem = _EXTENSION.sub("", segments[-1])
        if stem.lower() not in _GENERIC_FILES and any(c.isalnum() for c in stem):
            break
        segments.pop()
    if segments:
        words = _EXTENSION.sub("", segments[-1])
    else:
        values = [value for _, value in parse_qsl(query) if value]
        words = values[0] if values else ""
    words = " ".join(re.sub(r"[-_+]+", " ", words).split())
    return words if len(words) <= _SLUG_LIMIT else words[: _SLUG_LIMIT - 1].rstrip() + "…"


def slug_title(url: str) -> str | None:
    """The title a link's slug gives its page ("the-shard-theory-of-human-values"), when it
    reads as words: two words of letters at least, not an id ("1906.01820", "iCfdcxiyr2K").
    A hexadecimal id some sites end their slugs with ("...-knowledge-f977478608fc") is no
    word of the title."""
    slug = _SLUG_ID.sub("", readable_slug(url).rstrip("…").strip())
    words = [word for word in _WORD.findall(slug) if any(c.isalpha() for c in word)]
    return slug if len(words) >= 2 and not _looks_like_url(slug) else None


def title_score(title: str | None) -> tuple[bool, int]:
    """How title-like an anchor text is: capitalised first, then longer."""
    if not title:
        return (False, 0)
    return (title[0].isupper() or title[0].isdigit(), min(len(title.split()), _TITLE_WORDS))


def better_title(candidate: str, current: str | None, current_is_label: bool = False) -> bool:
    """Whether ``candidate`` should replace ``current`` as a work's provisional title.

    The most complete naming wins: a title that holds the current one and says more
    ("Sleeper Agents: Training Deceptive LLMs ..." over "Sleeper Agents") replaces it, one
    held by the current title never does; otherwise the more title-like text wins. Any
    anchor title beats a label made from the URL.
    """
    if not current or current_is_label:
        return True
    new, old = _naming(candidate), _naming(current)
    if old <= new:
        return len(new) > len(old)
    if new <= old:
        return False
    return title_score(candidate) > title_score(current)


@lru_cache(maxsize=1 << 14)
def _naming(title: str) -> frozenset[str]:
    """The words of a title that name something: "the Alignment Forum" -> alignment, forum."""
    return frozenset(word.casefold() for word in _WORD.findall(title)) - _LINK_WORDS
