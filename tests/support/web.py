"""A small web on loopback for the update, crash and concurrency tests.

One pytest-httpserver serves podcast feeds (honouring If-None-Match and If-Modified-Since),
the arXiv API (Atom, in the real API's format, one entry per id asked) and web pages with
``citation_*`` meta tags; it can be slowed down to stretch a run out for a kill. Also
here: writers of feeds and show notes in the real formats, and ``env_for`` settings.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import format_datetime

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from .resolve import env_for

ATOM = "application/atom+xml"
RSS = "application/rss+xml"


_ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
_SEARCH_NS = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
_SCHEME = 'scheme="http://arxiv.org/schemas/atom"'


def arxiv_entry(arxiv_id: str) -> str:
    """One arXiv API ``<entry>`` for a made-up paper with that id."""
    abs_url, pdf_url = f"http://arxiv.org/abs/{arxiv_id}v1", f"http://arxiv.org/pdf/{arxiv_id}v1"
    return f"""
  <entry>
    <id>{abs_url}</id>
    <updated>2023-01-05T10:00:00Z</updated>
    <published>2023-01-04T10:00:00Z</published>
    <title>Paper number {arxiv_id}</title>
    <summary>  The abstract of paper {arxiv_id}.
</summary>
    <author>
      <name>Ann Author{arxiv_id[-2:]}</name>
    </author>
    <author>
      <name>Bo Second</name>
    </author>
    <link href="{abs_url}" rel="alternate" type="text/html"/>
    <link title="pdf" href="{pdf_url}" rel="related" type="application/pdf"/>
    <arxiv:primary_category {_ARXIV_NS} term="cs.LG" {_SCHEME}/>
    <category term="cs.LG" {_SCHEME}/>
  </entry>"""


def arxiv_atom(ids: list[str]) -> bytes:
    """An arXiv API answer to an ``id_list`` query."""
    query = f"search_query=&amp;id_list={','.join(ids)}&amp;start=0&amp;max_results={len(ids)}"
    entries = "".join(arxiv_entry(i) for i in ids)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?{query}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {query}</title>
  <id>http://arxiv.org/api/loopback</id>
  <updated>2024-05-02T00:00:00-04:00</updated>
  <opensearch:totalResults {_SEARCH_NS}>{len(ids)}</opensearch:totalResults>
  <opensearch:startIndex {_SEARCH_NS}>0</opensearch:startIndex>
  <opensearch:itemsPerPage {_SEARCH_NS}>{len(ids)}</opensearch:itemsPerPage>{entries}
</feed>
""".encode()


def page_html(title: str, arxiv_id: str | None = None) -> bytes:
    """A web page with scholarly meta tags (and an arXiv id when given)."""
    extra = f'<meta name="citation_arxiv_id" content="{arxiv_id}">' if arxiv_id else ""
    return (
        f"<!doctype html><html><head><title>{html.escape(title)} | Site</title>"
        f'<meta name="citation_title" content="{html.escape(title)}">'
        f'<meta name="citation_author" content="Cy Writer">'
        f'<meta name="citation_publication_date" content="2022/03/04">{extra}'
        f"</head><body><p>{html.escape(title)}</p></body></html>"
    ).encode()


def rss(
    title: str,
    items: list[tuple[str, str, list[tuple[str, str]]]],
    link: str = "https://pod.example.org/",
) -> bytes:
    """An RSS 2.0 podcast feed: items of (guid, title, [(url, anchor text)]) as show notes."""
    entries = []
    for number, (guid, item_title, links) in enumerate(items):
        notes = "".join(
            f'<li><a href="{html.escape(u)}">{html.escape(a)}</a></li>' for u, a in links
        )
        entries.append(f"""
    <item>
      <title>{html.escape(item_title)}</title>
      <guid isPermaLink="false">{html.escape(guid)}</guid>
      <link>{html.escape(link)}episodes/{html.escape(guid)}</link>
      <pubDate>{format_datetime(datetime(2024, 1, 1 + number % 28, tzinfo=timezone.utc))}</pubDate>
      <description>Notes of {html.escape(item_title)}.</description>
      <content:encoded><![CDATA[<p>We discuss these:</p><ul>{notes}</ul>]]></content:encoded>
    </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{html.escape(title)}</title>
    <link>{html.escape(link)}</link>
    <description>A podcast on loopback.</description>{"".join(entries)}
  </channel>
</rss>
""".encode()


PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def list_transcripts(feed: bytes, listed: dict[str, list[str]]) -> bytes:
    """A feed made by ``rss`` whose items (by guid) list transcripts in the Podcasting 2.0
    ``<podcast:transcript>`` tag: the attributes of each tag."""
    text = feed.decode().replace(
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:podcast="{PODCAST_NS}"',
    )
    for guid, tags in listed.items():
        marker = f'<guid isPermaLink="false">{guid}</guid>'
        text = text.replace(marker, marker + "".join(f"<podcast:transcript {t} />" for t in tags))
    return text.encode()


def markdown_notes(title: str, links: list[tuple[str, str]]) -> bytes:
    """Show notes in markdown with front matter, a heading and a list of links."""
    lines = "".join(f"- [{a}]({u}) comes up here.\n" for u, a in links)
    return f'---\ntitle: "{title}"\ndate: 2023-05-06\n---\n\n## Links\n\n{lines}'.encode()


class Web:
    """The loopback web: feeds by path, the arXiv API, pages; with a request log."""

    def __init__(self, server: HTTPServer, latency: float = 0.0):
        self.server = server
        self.base = server.url_for("").rstrip("/")
        self.latency = latency
        self.feeds: dict[str, bytes] = {}
        self.validators = {"etag": True, "last_modified": True}
        self.pages: dict[str, bytes] = {}
        self.requests: list[tuple[str, dict]] = []
        self.on_request: Callable[[], None] | None = None  # called as each request arrives
        self._lock = threading.Lock()
        server.expect_request("/api/query").respond_with_handler(self._arxiv)
        server.expect_request(re.compile(r"/feeds/.*")).respond_with_handler(self._feed)
        server.expect_request(re.compile(r"/pages/.*")).respond_with_handler(self._page)

    def env(self, **overrides) -> dict[str, str]:
        """LINKGRAPH_* settings pointing the APIs here, private network allowed."""
        return env_for(self.base, **overrides)

    def feed_url(self, name: str) -> str:
        """The URL the feed ``name`` is served at."""
        return f"{self.base}/feeds/{name}"

    def page_url(self, name: str) -> str:
        """The URL of the page ``name`` (a 404 unless one was added)."""
        return f"http://127.0.0.1:{self.server.port}/pages/{name}"

    def log(self, request: Request) -> None:
        """Note a request and wait the latency."""
        with self._lock:
            self.requests.append((request.path, dict(request.headers)))
            if self.on_request is not None:
                self.on_request()
        if self.latency:
            time.sleep(self.latency)

    def _arxiv(self, request: Request) -> Response:
        self.log(request)
        ids = [i for i in request.args.get("id_list", "").split(",") if i]
        return Response(arxiv_atom(ids), content_type=ATOM)

    def _page(self, request: Request) -> Response:
        self.log(request)
        body = self.pages.get(request.path.removeprefix("/pages/"))
        if body is None:
            return Response(
                "<html><title>Not found</title></html>", status=404, content_type="text/html"
            )
        return Response(body, content_type="text/html; charset=utf-8")

    def _feed(self, request: Request) -> Response:
        self.log(request)
        body = self.feeds.get(request.path.removeprefix("/feeds/"))
        if body is None:
            return Response("no such feed", status=404, content_type="text/plain")
        digest = hashlib.sha256(body).hexdigest()
        etag = f'"{digest[:16]}"'
        modified = format_datetime(
            datetime.fromtimestamp(1_700_000_000 + int(digest[:6], 16), timezone.utc), usegmt=True
        )
        headers = {}
        if self.validators["etag"]:
            headers["ETag"] = etag
        if self.validators["last_modified"]:
            headers["Last-Modified"] = modified
        if (self.validators["etag"] and request.headers.get("If-None-Match") == etag) or (
            not self.validators["etag"]
            and self.validators["last_modified"]
            and request.headers.get("If-Modified-Since") == modified
        ):
            return Response(status=304, headers=headers)
        return Response(body, content_type=RSS, headers=headers)

    def paths(self, prefix: str = "/") -> list[str]:
        """The paths requested so far that start with ``prefix``."""
        with self._lock:
            return [path for path, _ in self.requests if path.startswith(prefix)]


def write_corpus(folder, web: Web, name: str, files: int, links: int, seed: int) -> None:
    """Show notes in every format under ``folder``, citing arXiv papers and pages on ``web``.

    Papers and pages are drawn from shared pools, so episodes cite the same works; a tenth
    of the pages are missing (404) and a tenth reveal an arXiv id (a later merge).
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    papers = [f"2301.{n:05d}" for n in range(links * 3)]
    pages = [f"{name}-p{n}" for n in range(links * 3)]
    for number, page in enumerate(pages):
        if number % 10 == 1:
            web.pages[page] = page_html(f"Page {page}", arxiv_id=rng.choice(papers))
        elif number % 10 != 3:
            web.pages[page] = page_html(f"Page {page}")

    def some_links() -> list[tuple[str, str]]:
        chosen = [
            (f"https://arxiv.org/abs/{p}", f"Paper {p}") for p in rng.sample(papers, links // 2)
        ]
        chosen += [(web.page_url(p), f"Post {p}") for p in rng.sample(pages, links - links // 2)]
        rng.shuffle(chosen)
        return chosen

    for number in range(files):
        stem = f"{name}-{number:03d}"
        if number % 4 == 3:
            items = [(f"{stem}-item{k}", f"{stem} item {k}", some_links()) for k in range(4)]
            (folder / f"{stem}.xml").write_bytes(rss(f"Feed {stem}", items))
        elif number % 4 == 2:
            body = "".join(f'<li><a href="{u}">{a}</a> in context.</li>' for u, a in some_links())
            (folder / f"{stem}.html").write_text(
                f"<html><head><title>{stem}</title></head><body><h1>{stem}</h1><ul>{body}</ul>"
                "</body></html>",
                encoding="utf-8",
            )
        else:
            (folder / f"{stem}.md").write_bytes(markdown_notes(stem, some_links()))
