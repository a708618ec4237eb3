"""A simulated web on loopback for benchmarks/resolve.py: arXiv, Crossref and 60 page hosts.

Run as a process: it listens on free ports of 127.0.0.1, prints one JSON line with them,
and serves until killed. Every response waits ``--latency`` seconds; with ``--fail-rate``
that share of responses fails at random (a time-out, a 503, or a reset connection).
Bodies are in the real formats: arXiv Atom, Crossref work-list JSON, HTML with
citation_*, JSON-LD, Dublin Core, Open Graph or only a title.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import struct
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # tests/support

from support.resolve import crossref_work_list  # noqa: E402

HOSTS = 60
COUNTS: Counter = Counter()


def arxiv_feed(ids: list[str]) -> bytes:
    """An arXiv API answer with one entry per id."""
    entries = "".join(
        f"""
  <entry>
    <id>http://arxiv.org/abs/{i}v1</id>
    <updated>2023-01-05T10:00:00Z</updated>
    <published>2023-01-04T10:00:00Z</published>
    <title>Simulated Paper {i}</title>
    <summary>  An abstract for paper {i}.
</summary>
    <author><name>Author {i[-3:]} Smith</name></author>
    <author><name>Coauthor {i[-2:]} Jones</name></author>
    <link href="http://arxiv.org/abs/{i}v1" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
  </entry>"""
        for i in ids
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: id_list={",".join(ids)}</title>
  <id>http://arxiv.org/api/simulated</id>
  <updated>2024-05-02T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(ids)}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{len(ids)}</opensearch:itemsPerPage>{entries}
</feed>
""".encode()


def crossref_list(dois: list[str]) -> bytes:
    """A Crossref work-list answer with one record per DOI."""
    items = [
        {
            "DOI": doi,
            "type": "journal-article",
            "title": [f"Simulated Article {doi}"],
            "author": [
                {"given": "Ann", "family": f"Lee{doi[-2:]}", "sequence": "first", "affiliation": []}
            ],
            "container-title": ["Journal of Simulations"],
            "published": {"date-parts": [[2022, 5]]},
            "issued": {"date-parts": [[2022, 5]]},
            "URL": f"https://doi.org/{doi}",
            "publisher": "Example Press",
            "relation": {},
        }
        for doi in dois
    ]
    return json.dumps(crossref_work_list(items, len(items))).encode()


def page(number: int, dois: int) -> bytes:
    """A web page; its kind of metadata depends on its number."""
    title = f"Simulated Page {number}"
    style = number % 5
    if style == 0:
        doi = (
            f'<meta name="citation_doi" content="10.5555/bench.{number % dois}">'
            if number % 50 == 0
            else ""
        )
        head = (
            f'<meta name="citation_title" content="{title}">'
            f'<meta name="citation_author" content="Writer, Pat {number}">'
            f'<meta name="citation_publication_date" content="2021/02/03">{doi}'
        )
    elif style == 1:
        head = (
            '<script type="application/ld+json">'
            + json.dumps(
                {
                    "@context": "https://schema.org",
                    "@type": "BlogPosting",
                    "headline": title,
                    "author": {"@type": "Person", "name": f"Blogger {number}"},
                    "datePublished": "2024-01-02",
                }
            )
            + "</script>"
        )
    elif style == 2:
        head = (
            f'<meta name="DC.title" content="{title}">'
            f'<meta name="DC.creator" content="Archivist {number}">'
            '<meta name="DC.date" content="2020-07-08">'
        )
    elif style == 3:
        head = (
            f'<meta property="og:title" content="{title}">'
            '<meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2023-03-04T05:06:07Z">'
        )
    else:
        head = ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
        f"</head><body><p>{'Body text. ' * 50}</p></body></html>"
    ).encode()


def answer(kind: str, path: str, args: dict) -> tuple[int, str, bytes]:
    """Status, content type and body for one request."""
    if kind == "arxiv":
        return 200, "application/atom+xml", arxiv_feed(args["id_list"][0].split(","))
    if kind == "crossref":
        dois = [f.removeprefix("doi:") for f in args["filter"][0].split(",")]
        return 200, "application/json", crossref_list(dois)
    number = int(path.rsplit("/", 1)[-1])
    return 200, "text/html; charset=utf-8", page(number, ARGS.dois)


async def serve(kind: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One keep-alive connection."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode()
            parts = urlsplit(target)
            if parts.path == "/__stats":
                body = json.dumps(COUNTS).encode()
                status, ctype = 200, "application/json"
            else:
                COUNTS[kind] += 1
                await asyncio.sleep(ARGS.latency)
                if random.random() < ARGS.fail_rate:
                    fault = random.choice(("timeout", "503", "reset"))
                    COUNTS[f"{kind}:{fault}"] += 1
                    if fault == "timeout":
                        await asyncio.sleep(ARGS.timeout_sleep)
                        writer.close()
                        return
                    if fault == "reset":
                        sock = writer.get_extra_info("socket")
                        sock.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        writer.transport.abort()
                        return
                    status, ctype, body = 503, "text/plain", b"busy"
                else:
                    status, ctype, body = answer(kind, parts.path, parse_qs(parts.query))
            writer.write(
                f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main() -> None:
    """Listen on a port per simulated host and print them."""
    servers = {}
    for kind in ["arxiv", "crossref", *[f"page{h}" for h in range(HOSTS)]]:
        label = "page" if kind.startswith("page") else kind
        server = await asyncio.start_server(
            lambda r, w, label=label: serve(label, r, w), "127.0.0.1", 0, backlog=512
        )
        servers[kind] = server.sockets[0].getsockname()[1]
    sys.stdout.write(json.dumps(servers) + "\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--latency", type=float, default=0.05)
parser.add_argument("--fail-rate", type=float, default=0.0)
parser.add_argument("--timeout-sleep", type=float, default=3.0)
parser.add_argument("--dois", type=int, default=300)
parser.add_argument("--seed", type=int, default=7)
ARGS = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])

if __name__ == "__main__":
    random.seed(ARGS.seed)
    asyncio.run(main())
