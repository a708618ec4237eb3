"""Poison items: one value that cannot be kept as it is never stops a whole run.

Lone surrogates (from character references, JSON and YAML escapes, file names and
arguments that are not UTF-8), numbers that are not finite, impossible dates and bytes
that are invalid in the declared encoding: each is made valid at the store's boundary, or
fails its own source or work with one line, and everything else is still stored.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import sqlite3

import pytest
from support.resolve import config_for, make_store, work_row
from support.web import Web, rss
from typer.testing import CliRunner

from linkgraph.cli import app
from linkgraph.ingest import IngestOptions, ingest_source
from linkgraph.model import Episode, Mention, Topic
from linkgraph.net import Http
from linkgraph.readers.chapters import read_chapters
from linkgraph.resolve import resolve
from linkgraph.resolve.base import iso_date
from linkgraph.store import Store

REPLACEMENT = "\ufffd"
SURROGATE_FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    b"<title>Show &#xDC80;</title><item><title>Bad &#xDC80; &#56448; title</title>"
    b"<guid>g1</guid><link>https://pod.example/1</link>"
    b"<description>see https://arxiv.org/abs/2303.12642</description></item></channel></rss>"
)


def run(db, *args: str, env: dict | None = None):
    return CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200", **(env or {})})


def dump(db) -> str:
    """The whole database as SQL text (raises if any text in it is not valid UTF-8)."""
    return "\n".join(sqlite3.connect(db).iterdump())


def test_lone_surrogates_in_every_kind_of_source_are_stored_as_replacement_characters(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "feed.xml").write_bytes(SURROGATE_FEED)
    (notes / "front.md").write_bytes(
        b'---\ntitle: "Front \\udc80 matter"\n---\n[a](https://a.example/x)\n'
    )
    (notes / "fine.md").write_bytes(b"[ok](https://ok.example/)\n")
    name = os.fsencode(notes) + b"/bad\xffname.md"
    with open(name, "wb") as file:
        file.write(b"[b](https://b.example/y)\n")
    db = tmp_path / "lg.db"
    result = run(db, "ingest", str(notes))
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        titles = {r["title"] for r in store.query("SELECT title FROM episodes")}
        sources = [r["source"] for r in store.query("SELECT source FROM episodes")]
        podcasts = {r["title"] for r in store.query("SELECT title FROM podcasts")}
    assert {f"Bad {REPLACEMENT} {REPLACEMENT} title", f"Front {REPLACEMENT} matter"} <= titles
    assert f"Show {REPLACEMENT}" in podcasts
    assert any(s.endswith(f"bad{REPLACEMENT}name.md") for s in sources)
    assert len(titles) == 4
    assert "\udc80" not in dump(db)


def test_a_title_argument_that_is_not_utf8_is_stored_and_printed(tmp_path):
    (tmp_path / "one.md").write_text("[ok](https://ok.example/)\n")
    db = tmp_path / "lg.db"
    result = run(db, "ingest", str(tmp_path / "one.md"), "--title", "\udcff", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["titles"] == [REPLACEMENT]
    with Store(db) as store:
        assert store.scalar("SELECT title FROM episodes") == REPLACEMENT
    listed = run(db, "episodes")
    assert listed.exit_code == 0 and REPLACEMENT in listed.stdout


def test_chapters_with_infinite_or_huge_start_times_leave_those_chapters_out():
    document = (
        b'{"version": "1.2.0", "chapters": ['
        b'{"startTime": 0, "title": "Intro \\udc80"},'
        b'{"startTime": Infinity, "title": "Infinite"},'
        b'{"startTime": NaN, "title": "Not a number"},'
        b'{"startTime": 1e999, "title": "Overflow"},'
        b'{"startTime": 1' + b"0" * 400 + b', "title": "Huge integer"},'
        b'{"startTime": "Infinity", "title": "Infinite text"},'
        b'{"startTime": 90.5, "title": "Later"}]}'
    )
    topics, _ = read_chapters(document)
    assert [(t.title, t.start_seconds) for t in topics] == [("Intro \udc80", 0.0), ("Later", 90.5)]


def test_a_feed_with_poisoned_chapters_is_stored_and_every_view_of_it_works(tmp_path, httpserver):
    chapters = (
        b'{"version": "1.2.0", "chapters": [{"startTime": Infinity, "title": "Forever"},'
        b'{"startTime": 12, "title": "Real \\udc80", "url": "https://arxiv.org/abs/1706.03762"}]}'
    )
    httpserver.expect_request("/chapters.json").respond_with_data(
        chapters, content_type="application/json+chapters"
    )
    feed = rss("Pod", [("g1", "One", [("https://arxiv.org/abs/2303.12642", "A paper")])])
    feed = feed.replace(
        b"<guid",
        b'<podcast:chapters url="%s" type="application/json+chapters"/><guid'
        % httpserver.url_for("/chapters.json").encode(),
    ).replace(
        b'version="2.0"', b'version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"'
    )
    httpserver.expect_request("/feed.xml").respond_with_data(
        feed, content_type="application/rss+xml"
    )
    db = tmp_path / "lg.db"
    with Store(db) as store, Http(config_for(httpserver.url_for(""))) as http:
        report = ingest_source(store, httpserver.url_for("/feed.xml"), IngestOptions(), http=http)
        assert report.error is None and report.topics == 1
        starts = [r["start_seconds"] for r in store.query("SELECT start_seconds FROM topics")]
    assert starts == [12.0]
    for command in (["topics", "One"], ["cited-by", "One"], ["export", "bibtex", "-o", "-"]):
        result = run(db, *command)
        assert result.exit_code == 0, (command, result.output)
    assert f"Real {REPLACEMENT}" in run(db, "topics", "One").stdout


def test_the_store_turns_values_that_cannot_be_kept_into_ones_that_can(tmp_path):
    episode = Episode(
        title="T \ud800",
        source="s \udfff",
        topics=[Topic("inf", start_seconds=math.inf), Topic("nan", start_seconds=math.nan)],
        mentions=[Mention("https://x.example/\udc80", "anchor \udc80", "context \udc80")],
    )
    with Store(tmp_path / "lg.db") as store:
        store.save_episodes([episode])
        assert store.scalar("SELECT title FROM episodes") == f"T {REPLACEMENT}"
        assert [r["start_seconds"] for r in store.query("SELECT start_seconds FROM topics")] == [
            None,
            None,
        ]
        assert store.scalar("SELECT anchor_text FROM mentions") == f"anchor {REPLACEMENT}"
        assert store.person_id("Ann \udc80") == store.person_id(f"Ann {REPLACEMENT}")
    assert "\\ud" not in dump(tmp_path / "lg.db")


def test_update_polls_every_feed_after_a_poisoned_one(tmp_path, httpserver):
    web = Web(httpserver)
    web.feeds["bad"] = SURROGATE_FEED.replace(b"&#xDC80;", b"").replace(b"&#56448;", b"")
    web.feeds["good"] = rss("Good", [("g-1", "Good one", [("https://a.example/p", "P")])])
    db = tmp_path / "lg.db"
    for name in ("bad", "good"):
        assert run(db, "ingest", web.feed_url(name), env=web.env()).exit_code == 0
    web.feeds["bad"] = SURROGATE_FEED.replace(b"Bad", b"Worse")  # poisoned since
    web.feeds["good"] = rss("Good", [("g-2", "Good two", [("https://a.example/q", "Q")])])
    result = run(db, "update", "--no-resolve", "--json", env=web.env())
    assert result.exit_code == 0, result.output
    statuses = [f["status"] for f in json.loads(result.stdout)["feeds"]]
    assert statuses == ["changed", "changed"]
    with Store(db) as store:
        titles = {r["title"] for r in store.query("SELECT title FROM episodes")}
    assert {"Good two", f"Worse {REPLACEMENT} {REPLACEMENT} title"} <= titles


def _page(name: str, author: str) -> bytes:
    data = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "name": name}
    data["author"] = {"@type": "Person", "name": author}
    return (
        "<!doctype html><html><head><title>x</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script></head></html>'
    ).encode()


def test_a_page_whose_json_ld_holds_a_lone_surrogate_resolves_and_others_too(tmp_path, httpserver):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/poisoned").respond_with_data(
        _page("Poisoned \udc80 paper", "Ann \udc80 Author"), content_type="text/html"
    )
    httpserver.expect_request("/fine").respond_with_data(
        _page("Fine paper", "Bo Writer"), content_type="text/html"
    )
    store = make_store(tmp_path / "lg.db", [(f"{base}/poisoned", "p"), (f"{base}/fine", "f")])
    summary = resolve(store, config_for(base))
    assert summary.failures == [] and summary.resolved == 2
    poisoned = work_row(store, f"url:{base}/poisoned".replace("http://", "https://"))
    assert poisoned["title"] == f"Poisoned {REPLACEMENT} paper"
    names = {r["name"] for r in store.query("SELECT name FROM people")}
    assert names == {f"Ann {REPLACEMENT} Author", "Bo Writer"}


def test_an_answer_that_cannot_be_stored_fails_its_work_alone(tmp_path, httpserver, monkeypatch):
    resolve_module = importlib.import_module("linkgraph.resolve")

    base = httpserver.url_for("").rstrip("/")
    for name in ("one", "two"):
        httpserver.expect_request(f"/{name}").respond_with_data(
            _page(f"Paper {name}", "Cy Dee"), content_type="text/html"
        )
    store = make_store(tmp_path / "lg.db", [(f"{base}/one", "one"), (f"{base}/two", "two")])
    real = resolve_module.apply_metadata

    def refuse_one(store, target, meta, config, titles):
        if target.value.endswith("/one"):
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return real(store, target, meta, config, titles)

    monkeypatch.setattr(resolve_module, "apply_metadata", refuse_one)
    summary = resolve(store, config_for(base))
    assert [f["error"] for f in summary.failures] == [
        "webpage: cannot be stored: OverflowError: Python int too large to convert to SQLite "
        "INTEGER"
    ]
    two = work_row(store, f"url:{base}/two".replace("http://", "https://"))
    assert two["status"] == "resolved" and two["title"] == "Paper two"


@pytest.mark.parametrize(
    "written, stored",
    [
        ("2023/13/45", None),
        ("2023-00", None),
        ("2023-02-30", None),
        ("0000-01-01", None),
        ("2024-02-29", "2024-02-29"),
        ("2023/3/4", "2023-03-04"),
        ("June 2023", "2023"),
        (["2023", "12"], "2023-12"),
        ([2023, 2, 30], None),
    ],
)
def test_dates_are_real_dates(written, stored):
    assert iso_date(written) == stored


def test_a_page_with_an_impossible_date_exports_to_bibtex(tmp_path, httpserver):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/page").respond_with_data(
        b'<html><head><meta name="citation_title" content="Dated">'
        b'<meta name="citation_publication_date" content="2023/13/45"></head></html>',
        content_type="text/html",
    )
    store = make_store(tmp_path / "lg.db", [(f"{base}/page", "page")])
    resolve(store, config_for(base))
    assert work_row(store, f"url:{base}/page".replace("http://", "https://"))["published"] is None
    with store.transaction() as conn:  # a store written before dates were checked
        conn.execute("UPDATE works SET published = '2023-00'")
    result = run(tmp_path / "lg.db", "export", "bibtex", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Dated" in result.stdout and "month" not in result.stdout


def test_a_feed_declaring_utf8_with_an_invalid_byte_is_refused_as_the_readme_says(tmp_path):
    feed = rss("Pod", [("g1", "Caf\xe9", [("https://a.example/x", "x")])])
    (tmp_path / "bad.xml").write_bytes(feed.replace("Café".encode(), b"Caf\xff"))
    (tmp_path / "good.xml").write_bytes(feed)
    db = tmp_path / "lg.db"
    result = run(db, "ingest", str(tmp_path / "bad.xml"), str(tmp_path / "good.xml"))
    assert result.exit_code == 1
    offset = feed.replace("Café".encode(), b"Caf\xff").index(b"\xff")
    assert f"bad.xml: is not valid utf-8 text (byte 0xff at offset {offset})" in result.stderr
    with Store(db) as store:
        assert [r["title"] for r in store.query("SELECT title FROM episodes")] == ["Café"]
