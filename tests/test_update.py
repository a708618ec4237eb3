"""Remembered feeds: ingest by URL remembers, update polls conditionally, feeds lists/removes."""

from __future__ import annotations

import json
import sqlite3

import pytest
from support.web import Web, rss
from typer.testing import CliRunner

from linkgraph import update
from linkgraph.cli import app
from linkgraph.store import Store

FEED_KEYS = [
    "url",
    "podcast",
    "episodes",
    "added_at",
    "last_polled_at",
    "last_status",
    "last_error",
    "etag",
    "last_modified",
]
REPORT_KEYS = [
    "url",
    "podcast",
    "status",
    "episodes",
    "added",
    "updated",
    "unchanged",
    "error",
    "warnings",
]
ATTENTION = ("https://arxiv.org/abs/1706.03762", "Attention Is All You Need")


@pytest.fixture
def web(httpserver):
    return Web(httpserver)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "lg.db"


def run(db, web: Web, *args: str, **env_overrides):
    """Run the CLI on ``db`` with the loopback settings; returns the click result."""
    env = {**web.env(**env_overrides), "COLUMNS": "200"}
    return CliRunner().invoke(app, ["--db", str(db), *args], env=env, catch_exceptions=False)


def run_json(db, web: Web, *args: str, **env_overrides):
    result = run(db, web, *args, "--json", **env_overrides)
    return result, json.loads(result.stdout)


def v1(web: Web) -> list:
    """The first version of a feed: two episodes."""
    return [
        ("ep-1", "One", [ATTENTION, (web.page_url("b"), "Post B")]),
        ("ep-2", "Two", [(web.page_url("c"), "Post C")]),
    ]


def mentions_of(db, guid: str) -> list[str]:
    with Store(db) as store:
        return [
            r["url"]
            for r in store.query(
                "SELECT m.url FROM mentions m JOIN episodes e ON e.id = m.episode_id "
                "WHERE e.guid = ? ORDER BY m.position",
                (guid,),
            )
        ]


def test_a_feed_ingested_by_url_is_remembered_and_listed(db, web, tmp_path):
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    result = run(db, web, "ingest", web.feed_url("show.xml"), "--podcast", "My Name For It")
    assert result.exit_code == 0, result.output
    listing = json.loads(run(db, web, "feeds", "--json").stdout)
    assert [list(row) for row in listing] == [FEED_KEYS]
    (feed,) = listing
    assert feed["url"] == web.feed_url("show.xml") and feed["podcast"] == "My Name For It"
    assert feed["episodes"] == 2 and feed["last_status"] == "ingested"
    assert feed["last_error"] is None and feed["added_at"] == feed["last_polled_at"]
    text = run(db, web, "feeds").stdout
    assert web.feed_url("show.xml") in text and "My Name For It" in text


def test_only_feeds_read_by_url_are_remembered(db, web, tmp_path):
    local = tmp_path / "local.xml"
    local.write_bytes(rss("Local", v1(web)))
    web.pages["page.html"] = b"<html><body><a href='https://example.org/x'>x</a></body></html>"
    result = run(
        db, web, "ingest", str(local), web.page_url("page.html"), web.feed_url("missing.xml")
    )
    assert result.exit_code == 1  # the missing feed failed; the others were ingested
    assert json.loads(run(db, web, "feeds", "--json").stdout) == []
    assert "no feeds remembered" in run(db, web, "feeds").stdout


@pytest.mark.parametrize("cache", [True, False], ids=["http-cache", "no-cache"])
@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_update_asks_conditionally_and_reports_not_modified(db, web, cache, validator):
    web.validators = {"etag": validator == "etag", "last_modified": validator == "last_modified"}
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    result, first = run_json(db, web, "update", "--no-resolve", cache=cache)
    assert result.exit_code == 0, result.output
    assert [list(r) for r in first["feeds"]] == [REPORT_KEYS]
    assert first["feeds"][0]["status"] == "unchanged"  # same bytes as the ingest read
    result, second = run_json(db, web, "update", "--no-resolve", cache=cache)
    assert second["feeds"][0]["status"] == "not-modified"
    header = "If-None-Match" if validator == "etag" else "If-Modified-Since"
    asked = [headers for path, headers in web.requests if path == "/feeds/show.xml"]
    assert header not in asked[0] and header not in asked[1] and header in asked[2]
    (feed,) = json.loads(run(db, web, "feeds", "--json").stdout)
    assert feed["last_status"] == "not-modified" and feed[validator]


def test_update_ingests_new_and_changed_episodes_in_place(db, web):
    web.pages["b"] = web.pages["c"] = web.pages["d"] = b"<html><title>A page</title></html>"
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    result, first = run_json(db, web, "update")  # resolves the works of the first version
    assert result.exit_code == 0, result.output
    assert first["resolve"]["resolved"] == 3 and first["resolve"]["failures"] == []
    with Store(db) as store:
        ids_before = {r["guid"]: r["id"] for r in store.query("SELECT id, guid FROM episodes")}
    changed = [
        ("ep-1", "One (edited)", [ATTENTION, (web.page_url("d"), "Post D")]),
        v1(web)[1],
        ("ep-3", "Three", [ATTENTION]),
    ]
    web.feeds["show.xml"] = rss("Loopback Show", changed)
    result, second = run_json(db, web, "update", "--no-resolve")
    report = second["feeds"][0]
    assert (report["status"], report["added"], report["updated"], report["unchanged"]) == (
        "changed",
        1,
        1,
        1,
    )
    assert second["resolve"] is None
    assert mentions_of(db, "ep-1") == [ATTENTION[0], web.page_url("d")]
    with Store(db) as store:
        ids_after = {r["guid"]: r["id"] for r in store.query("SELECT id, guid FROM episodes")}
        assert {g: ids_after[g] for g in ids_before} == ids_before  # updated in place
        assert store.scalar("SELECT title FROM episodes WHERE guid = 'ep-1'") == "One (edited)"
        assert store.scalar("SELECT count(*) FROM mentions") == 4  # nothing duplicated
        kept = store.query(
            "SELECT w.title, w.status FROM works w JOIN identifiers i ON "
            "i.work_id = w.id WHERE i.scheme = 'arxiv'"
        )
        assert kept == [{"title": "Paper number 1706.03762", "status": "resolved"}]
        pending = store.query("SELECT url FROM works WHERE status = 'pending'")
        assert [r["url"] for r in pending] == [web.page_url("d").replace("http:", "https:")]
    resolved_pages = web.paths("/pages/")
    result, third = run_json(db, web, "update")
    assert third["feeds"][0]["status"] == "not-modified"
    assert third["resolve"]["works"] == 1 and third["resolve"]["resolved"] == 1
    assert web.paths("/pages/")[len(resolved_pages) :] == ["/pages/d"]  # only the new work


def test_a_polled_feed_that_reads_unclean_says_so(db, web):
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    twins = [*v1(web), ("ep-2", "Two again", [(web.page_url("d"), "Post D")])]
    web.feeds["show.xml"] = rss("Loopback Show", twins)
    result, summary = run_json(db, web, "update", "--no-resolve")
    report = summary["feeds"][0]
    assert report["status"] == "changed"
    assert len(report["warnings"]) == 1 and "ep-2" in report["warnings"][0]
    shown = run(db, web, "update", "--no-resolve", "--quiet")
    assert "warning:" not in shown.output  # unchanged now: nothing read, nothing to warn of
    assert f"{web.feed_url('show.xml')}: warning:" in result.stderr


def test_one_failing_feed_does_not_stop_the_others(db, web):
    for name in ("good.xml", "broken.xml", "gone.xml"):
        web.feeds[name] = rss(f"Show {name}", [(f"{name}-1", "One", [ATTENTION])])
    run(db, web, "ingest", *(web.feed_url(n) for n in ("good.xml", "broken.xml", "gone.xml")))
    web.feeds["good.xml"] = rss(
        "Show good.xml", [(f"good.xml-{n}", "Ep", [ATTENTION]) for n in (1, 2)]
    )
    web.feeds["broken.xml"] = b"<rss><channel><item><title>cut off"
    del web.feeds["gone.xml"]
    result = run(db, web, "update", "--no-resolve")
    assert result.exit_code == 1
    assert f"{web.feed_url('gone.xml')}: cannot be fetched: HTTP 404" in result.stderr
    assert f"{web.feed_url('broken.xml')}: is not a well-formed feed" in result.stderr
    assert "1 changed, 0 unchanged, 0 not modified, 2 failed" in result.stdout
    status = {
        f["url"].rsplit("/", 1)[1]: f for f in json.loads(run(db, web, "feeds", "--json").stdout)
    }
    assert status["good.xml"]["last_status"] == "changed" and status["good.xml"]["episodes"] == 2
    assert status["gone.xml"]["last_status"] == "failed"
    assert status["gone.xml"]["last_error"] == "cannot be fetched: HTTP 404"
    web.feeds["broken.xml"] = rss("Show broken.xml", [("broken.xml-1", "One", [ATTENTION])])
    _, again = run_json(db, web, "update", "--no-resolve")
    assert [r["status"] for r in again["feeds"]] == ["not-modified", "unchanged", "failed"]


def test_a_refused_connection_is_one_failed_feed(db, web, tmp_path):
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    with Store(db) as store, store.transaction() as conn:
        conn.execute("INSERT INTO feeds (url, episodes) VALUES ('http://127.0.0.1:9/f.xml', 0)")
    result, summary = run_json(db, web, "update", "--no-resolve")
    assert result.exit_code == 1
    assert [r["status"] for r in summary["feeds"]] == ["unchanged", "failed"]
    assert "connection refused" in summary["feeds"][1]["error"].lower()


def test_the_podcast_name_given_at_ingest_is_kept_by_update(db, web):
    web.feeds["show.xml"] = rss("Feed Title", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"), "--podcast", "Chosen Name")
    web.feeds["show.xml"] = rss("Feed Title", [*v1(web), ("ep-3", "Three", [ATTENTION])])
    _, summary = run_json(db, web, "update", "--no-resolve")
    assert summary["feeds"][0]["podcast"] == "Chosen Name"
    with Store(db) as store:
        assert store.query("SELECT title FROM podcasts") == [{"title": "Chosen Name"}]


def test_feeds_remove(db, web):
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    result = run(db, web, "feeds", "remove", web.feed_url("show.xml"))
    assert result.exit_code == 0 and "its episodes stay" in result.stdout
    assert json.loads(run(db, web, "feeds", "--json").stdout) == []
    again = run(db, web, "feeds", "remove", web.feed_url("show.xml"))
    assert again.exit_code == 2
    assert again.stderr.strip() == (
        f"linkgraph: feeds remove: {web.feed_url('show.xml')} is "
        "not a remembered feed (see `linkgraph feeds`)"
    )
    polled = len(web.paths("/feeds/"))
    _, summary = run_json(db, web, "update", "--no-resolve")
    assert summary["feeds"] == [] and len(web.paths("/feeds/")) == polled
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM episodes") == 2


def test_update_without_feeds_says_how_to_add_one(db, web):
    result = run(db, web, "update", "--no-resolve")
    assert result.exit_code == 0
    assert "no feeds remembered" in result.stdout
    assert run(db, web, "update", "--quiet").stdout == ""


def test_update_from_python(db, web):
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    run(db, web, "ingest", web.feed_url("show.xml"))
    web.feeds["show.xml"] = rss("Loopback Show", v1(web)[:1])
    from support.resolve import config_for

    with Store(db) as store:
        summary = update(store, config_for(web.base), resolve_works=False)
    assert [(r.status, r.episodes, r.unchanged) for r in summary.feeds] == [("unchanged", 1, 1)]
    assert summary.to_json()["resolve"] is None


def test_an_old_database_gains_the_feeds_table(db, web):
    with Store(db):
        pass
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE feeds")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    web.feeds["show.xml"] = rss("Loopback Show", v1(web))
    result = run(db, web, "ingest", web.feed_url("show.xml"))
    assert result.exit_code == 0, result.output
    assert len(json.loads(run(db, web, "feeds", "--json").stdout)) == 1
