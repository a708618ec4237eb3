"""An independent reader of feed notes, for checking ingest on real feeds.

It shares no code with linkgraph: lxml reads the XML, the standard library's html.parser
the HTML, and a few regular expressions find URLs in text. For every item it lists the
links of each notes field; the corpus tests compare them with what ingest stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from lxml import etree

NOTES = {
    ("", "description"),
    ("http://purl.org/rss/1.0/", "description"),
    ("http://purl.org/dc/elements/1.1/", "description"),
    ("http://purl.org/rss/1.0/modules/content/", "encoded"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "summary"),
    ("http://search.yahoo.com/mrss/", "description"),
    ("http://www.w3.org/2005/Atom", "content"),
    ("http://www.w3.org/2005/Atom", "summary"),
}
# fmt: off
TLDS = (
    "com", "org", "net", "edu", "gov", "io", "ai", "co", "uk", "de", "fr", "nl", "ch", "ca", "au",
    "jp", "cn", "info", "me", "dev", "app", "blog", "xyz", "science", "fm", "tv", "us", "eu",
    "int", "mil", "be", "se", "no", "dk", "fi", "it", "es", "pt", "pl", "cz", "at", "ru", "in",
    "il", "nz", "sg", "ly", "gl", "gg", "so", "page", "site", "tech", "news", "pub", "academy",
    "institute", "foundation", "world", "global", "ac", "cc", "to", "is", "im", "ms", "la",
    "network", "online", "substack", "link", "wiki", "works", "pro", "biz", "ngo", "one",
    "systems", "studio", "media", "community",
)
# fmt: on
_SCHEME = re.compile(r"https?://[^\s<>\"'`]+(?:'[^\s<>\"'`]+)*", re.IGNORECASE)
_NO_SCHEME = re.compile(
    r"(?<![\w@/.:-])(?:[a-z0-9-]+\.)+(?:" + "|".join(TLDS) + r")(?![\w-])(?::\d+)?"
    r"(?:/[^\s<>\"'`]*(?:'[^\s<>\"'`]+)*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"(?:[a-z0-9-]+\.)+(?:" + "|".join(TLDS) + r")(?=[/?#:]|$)", re.IGNORECASE)
_VALID = re.compile(r"https?://[a-z0-9.-]+(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)  # a real host
_TRAILING = ".,;:!?*'\"’”»"
_CLOSING = {")": "(", "]": "[", "}": "{"}
_TRUNCATION = ("…", "...", "%5B...%5D", "%E2%80%A6")


def trim(url: str) -> str:
    """A URL found in text without the punctuation after it."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSING and url.count(last) > url.count(_CLOSING[last])):
            url = url[:-1]
        else:
            break
    return url


def urls_in_text(text: str, schemeless: bool) -> list[str]:
    """http(s) URLs in text, and with ``schemeless`` also host.tld/path ones."""
    found = [(m.start(), trim(m.group())) for m in _SCHEME.finditer(text)]
    found = [(start, url) for start, url in found if len(url) > url.index("://") + 3]
    if schemeless:
        taken = [(start, start + len(url)) for start, url in found]
        for match in _NO_SCHEME.finditer(text):
            if not any(a <= match.start() < b for a, b in taken):
                found.append((match.start(), "https://" + trim(match.group())))
    return [url for _, url in sorted(found)]


class _Links(HTMLParser):
    """``<a href>`` targets and bare URLs in the text outside links, in document order."""

    def __init__(self, base: str | None):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[str] = []
        self.texts: list[str] = []
        self.tags = 0
        self._in_link = 0
        self._skip = 0
        self._last_link: str | None = None  # the link just closed, while no text follows

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "a":
            self._in_link += 1
            href = dict(attrs).get("href")
            url = self._resolve(href) if href else None
            if url and url != self._last_link:  # <a href=x>A</a><a href=x>B</a> is one link
                self.links.append(url)
            self._last_link = url

    def handle_endtag(self, tag):
        self.tags += 1
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "a":
            self._in_link = max(0, self._in_link - 1)

    def handle_data(self, data):
        self.texts.append(data)
        if not self._in_link and data.strip():
            self._last_link = None
        if not self._in_link and not self._skip:
            self.links.extend(urls_in_text(data, schemeless=False))

    def _resolve(self, href: str) -> str | None:
        """The URL an href means, with pasting slips undone (invisible marks, padding
        spaces, a scheme written twice)."""
        href = re.sub(r"[\t\n\r]", "", href)
        while href and (href[0].isspace() or unicodedata.category(href[0]) == "Cf"):
            href = href[1:]
        while href and (href[-1].isspace() or unicodedata.category(href[-1]) == "Cf"):
            href = href[:-1]
        href = re.sub(r"^(?:%20)+|(?:%20)+$", "", href)
        doubled = re.match(r"https?://(\W*)(?=https?://)", href, re.IGNORECASE)
        if doubled and all(unicodedata.category(c) == "Cf" for c in doubled.group(1)):
            href = href[doubled.end() :]
        if re.match(r"https?://", href, re.IGNORECASE):
            return href if _VALID.match(href) else None
        if re.match(r"[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith("#"):
            return None
        if _HOST.match(href):
            return "https://" + href
        if " " in href and "/" not in href:
            return None
        if self.base and re.match(r"https?://", self.base):
            joined = urljoin(self.base, href)
            return joined if _VALID.match(joined) else None
        return None


@dataclass
class Field:
    """One notes field of an item: its links, whether it is HTML, and its text length."""

    name: str
    value: str
    html: bool
    links: list[str]
    text_length: int

    @property
    def truncated(self) -> bool:
        return bool(re.search(r"(?:…|\.\.\.|\[(?:…|\.\.\.)\])\W*$", self.value))


@dataclass
class Item:
    """A feed item as the oracle reads it."""

    title: str
    fields: list[Field] = field(default_factory=list)

    def richest(self) -> list[Field]:
        """The richest fields (all of them when several tie): links, HTML, more links."""
        if not self.fields:
            return []
        rank = [(bool(f.links), f.html, len(f.links)) for f in self.fields]
        best = max(rank)
        return [f for f, r in zip(self.fields, rank, strict=True) if r == best]


def read_field(name: str, value: str, base: str | None) -> Field:
    parser = _Links(base)
    parser.feed(re.sub(r"<[a-zA-Z][^>]*$", "", value))  # a tag cut off by the field's end
    parser.close()
    if parser.tags:
        text = "".join(parser.texts)
        return Field(name, value, True, parser.links, len(" ".join(text.split())))
    lines = [line for line in value.split("\n")]
    links = [url for line in lines for url in urls_in_text(line, schemeless=True)]
    return Field(name, value, False, links, len(" ".join(value.split())))


def items(path: str) -> Iterator[Item]:
    """Every item (or Atom entry) of a feed, with its notes fields."""
    root = etree.parse(path, etree.XMLParser(resolve_entities=False, huge_tree=True)).getroot()
    channel = root.find("channel")
    feed_url = None
    if channel is not None:  # links without a page of their own are read against the feed
        own = [e.get("href") for e in channel.iter("{*}link") if e.get("rel") == "self"]
        feed_url = own[0] if own else channel.findtext("link")
    for element in root.iter("{*}item", "{*}entry"):
        title = " ".join((element.findtext("{*}title") or "").split())
        link = (element.findtext("link") or element.findtext("{*}link") or "").strip()
        base = link if link.startswith("http") else feed_url
        item = Item(title)
        seen = set()
        for child in element.iter():
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            key = (qname.namespace or "", qname.localname)
            if key[0].lower() == "http://www.itunes.com/dtds/podcast-1.0.dtd":
                key = ("http://www.itunes.com/dtds/podcast-1.0.dtd", key[1])
            if key not in NOTES or child.get("src"):
                continue
            value = (child.text or "").strip()
            if value and value not in seen:
                seen.add(value)
                item.fields.append(read_field(qname.localname, value, base))
        yield item


def loose(url: str) -> str:
    rest = re.sub(r"^https?://(?:www\.)?", "", url, flags=re.IGNORECASE)
    host, slash, path = rest.partition("/")
    return (host.lower() + slash + path).rstrip("/")


def is_truncated(url: str) -> bool:
    return any(mark.lower() in url.lower() for mark in _TRUNCATION)
