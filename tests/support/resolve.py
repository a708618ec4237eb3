"""Shared helpers for the resolve tests: stores, configs, fixtures, a raw fault server, PDFs.

Everything is served from loopback; nothing here reaches the internet.
"""

from __future__ import annotations

import socket
import struct
import threading
import zlib
from pathlib import Path

from linkgraph.config import Config, load_config
from linkgraph.model import Episode, Mention
from linkgraph.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures" / "resolve"


def fixture(name: str) -> bytes:
    """The bytes of a fixture file under tests/fixtures/resolve/."""
    return (FIXTURES / name).read_bytes()


def make_store(
    path: Path,
    links: list[tuple[str, str]],
    title: str = "Episode 1",
    url: str = "https://pod.example.org/1",
) -> Store:
    """A store holding one episode that mentions each (url, anchor text)."""
    store = Store(path)
    store.save_episodes(
        [
            Episode(
                title=title,
                source=url,
                url=url,
                podcast="Test Pod",
                mentions=[
                    Mention(link, anchor, f"We talk about {anchor}.") for link, anchor in links
                ],
            )
        ]
    )
    return store


def config_for(base: str, **overrides) -> Config:
    """Settings pointing every API at a loopback server, with no waiting between requests."""
    values = dict(
        arxiv_url=f"{base}/api/query",
        crossref_url=f"{base}/crossref",
        datacite_url=f"{base}/datacite",
        openreview_url=f"{base}/or2",
        openreview_v1_url=f"{base}/or1",
        wikipedia_url=f"{base}/wiki/{{lang}}",
        youtube_oembed_url=f"{base}/youtube/oembed",
        vimeo_oembed_url=f"{base}/vimeo/oembed.json",
        github_url=f"{base}/github",
        doi_url=f"{base}/doi",
        host_interval=0.0,
        arxiv_interval=0.0,
        crossref_interval=0.0,
        api_interval=0.0,
        host_concurrency=8,
        backoff=0.01,
        retries=2,
        connect_timeout=2.0,
        read_timeout=2.0,
        allow_private_network=True,
        cache=False,
        failure_backoff=3600.0,
        mailto="tests@example.org",
    )
    values.update(overrides)
    return load_config(None, environ={}, **values)


def work_row(store: Store, standard_id: str) -> dict:
    """The works row of the work holding a standard id."""
    scheme, value = standard_id.split(":", 1)
    return store.query(
        "SELECT w.* FROM works w JOIN identifiers i ON i.work_id = w.id "
        "WHERE i.scheme = ? AND i.value = ?",
        (scheme, value),
    )[0]


def ids_of(store: Store, work_id: int) -> set[str]:
    """The standard ids a work holds."""
    return {
        f"{r['scheme']}:{r['value']}"
        for r in store.query("SELECT scheme, value FROM identifiers WHERE work_id = ?", (work_id,))
    }


class FaultServer:
    """A raw TCP server on loopback that misbehaves: resets, truncates, or never answers."""

    def __init__(self, mode: str):
        self.mode = mode
        self.hits = 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            if self.mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif self.mode == "truncate":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    b"Content-Length: 5000\r\n\r\n<html><head><title>Cut"
                )
            elif self.mode == "silent":
                self._stop.wait(5)
        finally:
            conn.close()

    def close(self) -> None:
        """Stop serving."""
        self._stop.set()
        self.sock.close()


def pdf_bytes(title: str | None, author: str | None, first_page: list[str]) -> bytes:
    """A small valid PDF: document information and lines of text on page 1."""
    text = (
        "BT /F1 12 Tf 72 720 Td 14 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in first_page
        )
        + " ET"
    )
    stream = zlib.compress(text.encode("latin-1"))
    info = " ".join(f"/{k} ({v})" for k, v in (("Title", title), ("Author", author)) if v)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< {info} >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        len(objects),
        xref,
    )
    return bytes(out)


def env_for(base: str, **overrides) -> dict[str, str]:
    """LINKGRAPH_* variables that point the command line at a loopback server."""
    config = config_for(base, **overrides)
    keys = (
        "arxiv_url",
        "crossref_url",
        "datacite_url",
        "openreview_url",
        "openreview_v1_url",
        "wikipedia_url",
        "youtube_oembed_url",
        "vimeo_oembed_url",
        "github_url",
        "doi_url",
        "host_interval",
        "arxiv_interval",
        "crossref_interval",
        "api_interval",
        "host_concurrency",
        "backoff",
        "retries",
        "connect_timeout",
        "read_timeout",
        "allow_private_network",
        "cache",
        "mailto",
    )
    return {f"LINKGRAPH_{k.upper()}": str(getattr(config, k)) for k in keys}


def crossref_work_list(items: list[dict], per_page: int) -> dict:
    """Crossref's answer to ``/works?filter=doi:...``: a work-list message of ``items``."""
    return {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {
            "facets": {},
            "total-results": len(items),
            "items": items,
            "items-per-page": per_page,
            "query": {"start-index": 0, "search-terms": None},
        },
    }
