"""``update`` polls feeds concurrently and parses changed ones in parallel (fetching the
transcripts they list), storing them in the feeds' order: the store is the one a sequential
update leaves, row for row."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from support.db import copy_db, rows_with_ids
from support.web import Web, list_transcripts, rss
from werkzeug.wrappers import Request, Response

from linkgraph.ingest import ingest
from linkgraph.parallel import LocalPool
from linkgraph.store import Store
from linkgraph.update import fetch_all, update

VTT = (Path(__file__).parent / "fixtures" / "transcripts" / "episode.vtt").read_bytes()


@pytest.fixture
def web(httpserver):
    web = Web(httpserver)

    def transcript(request: Request) -> Response:
        web.log(request)
        if request.path.endswith("-gone.vtt"):
            return Response("gone", status=404, content_type="text/plain")
        return Response(VTT, content_type="text/vtt")

    httpserver.expect_request(re.compile(r"/transcripts/.*")).respond_with_handler(transcript)
    return web


def feed(web: Web, name: str, episodes: int, shift: int = 0) -> bytes:
    """A show's feed; every other episode lists a transcript, every fifth a gone one."""
    made = rss(
        f"Show {name}",
        [
            (
                f"{name}-{n}",
                f"Episode {n}",
                [(f"https://arxiv.org/abs/2301.{(n + shift) % 9:05d}", f"Paper {n}")]
                + [(web.page_url(f"{name}-{n}-{shift}"), f"Post {n}")],
            )
            for n in range(episodes)
        ],
    )
    listed = {
        f"{name}-{n}": [
            f'url="{web.base}/transcripts/{name}-{n}{"-gone" if n % 5 == 4 else ""}.vtt" '
            'type="text/vtt"'
        ]
        for n in range(episodes)
        if n % 2 == 0
    }
    return list_transcripts(made, listed)


def test_a_parallel_update_leaves_the_store_a_sequential_one_does(tmp_path, web, monkeypatch):
    for key, value in web.env().items():
        monkeypatch.setenv(key, value)
    names = [f"show{n}" for n in range(6)]
    for n, name in enumerate(names):
        web.feeds[f"{name}.xml"] = feed(web, name, 3 + n)
    first = tmp_path / "first.db"
    with Store(first) as store:
        ingest(store, [web.feed_url(f"{name}.xml") for name in names])
    for n, name in enumerate(names):
        if n % 3:  # two of three feeds change: new episodes and edited ones
            web.feeds[f"{name}.xml"] = feed(web, name, 5 + n, shift=1)
    copy_db(first, tmp_path / "parallel.db")
    with Store(first) as store:
        want = update(store, resolve_works=False)
    with Store(tmp_path / "parallel.db") as store, LocalPool(2) as pool:
        got = update(store, resolve_works=False, executor=pool)
    assert got.to_json() == want.to_json()
    assert [r.status for r in got.feeds] == ["unchanged", "changed", "changed"] * 2
    with Store(first) as store:  # the new episodes' transcripts were read, a gone one failed
        statuses = dict(store.conn.execute("SELECT status, count(*) FROM transcripts GROUP BY 1"))
        assert statuses["read"] > 0 and statuses["failed"] > 0
        assert store.scalar("SELECT count(*) FROM segments") > 0
    assert rows_with_ids(tmp_path / "parallel.db") == rows_with_ids(first)


class Meeting:
    """A stand-in client whose fetches wait until ``parties`` of them are in flight at once:
    a poll that asked one feed after the other would never get past the first."""

    def __init__(self, parties: int):
        self.barrier = threading.Barrier(parties, timeout=30)

    def fetch(self, url: str, **_) -> str:
        self.barrier.wait()
        return f"answer of {url}"


def test_feeds_are_asked_concurrently_and_handed_back_in_order():
    feeds = [
        {"url": f"https://host{n % 2}.example/feed{n}", "etag": None, "last_modified": None}
        for n in range(8)
    ]
    fetched = list(fetch_all(Meeting(4), feeds, threads=4))
    assert [f.error for f in fetched] == [None] * 8
    assert [f.response for f in fetched] == [f"answer of {f['url']}" for f in feeds]
