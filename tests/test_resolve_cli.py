"""resolve and show on the command line: JSON shapes, offline, cache, config, interruption."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from pytest_httpserver import HTTPServer
from support.resolve import config_for, env_for, fixture, make_store, pdf_bytes, work_row
from typer.testing import CliRunner
from werkzeug.wrappers import Response

from linkgraph.cli import app
from linkgraph.config import ConfigError, load_config
from linkgraph.resolve import Options, resolve
from linkgraph.store import Store

ATOM = "application/atom+xml"
SUMMARY_KEYS = {
    "offline",
    "network",
    "works",
    "resolved",
    "partial",
    "failed",
    "pending",
    "merged",
    "requests",
    "cached",
    "seconds",
    "sources",
    "failures",
}
SOURCE_KEYS = {
    "works",
    "resolved",
    "partial",
    "failed",
    "passed_on",
    "not_found",
    "pending",
    "requests",
    "cached",
}
SHOW_KEYS = [
    "id",
    "kind",
    "title",
    "authors",
    "published",
    "abstract",
    "venue",
    "identifiers",
    "subjects",
    "url",
    "status",
    "error",
    "sources",
    "mentions",
]


@pytest.fixture
def base(httpserver):
    return httpserver.url_for("").rstrip("/")


def _run(db, *args, env=None):
    result = CliRunner().invoke(
        app, ["--db", str(db), *args], env=env or {}, catch_exceptions=False
    )
    return result


def _serve_arxiv(httpserver):
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_two.xml"), content_type=ATOM
    )


def _two_papers(tmp_path):
    make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/1706.03762", "Attention paper"),
            ("https://arxiv.org/abs/2303.12642", "Open models"),
        ],
    ).close()
    return tmp_path / "t.db"


def test_resolve_json_summary_and_show_json(tmp_path, httpserver, base):
    _serve_arxiv(httpserver)
    db = _two_papers(tmp_path)
    result = _run(db, "resolve", "--json", env=env_for(base))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == SUMMARY_KEYS
    assert set(summary["sources"]["arxiv"]) == SOURCE_KEYS
    assert summary["resolved"] == 2 and summary["requests"] == 1 and summary["failures"] == []

    shown = _run(db, "show", "arxiv:1706.03762", "--json")
    work = json.loads(shown.stdout)
    assert list(work) == SHOW_KEYS
    assert work["id"] == "arxiv:1706.03762" and work["title"] == "Attention Is All You Need"
    assert work["authors"][0] == "Ashish Vaswani" and work["subjects"] == ["cs.CL", "cs.LG"]
    assert work["sources"]["title"]["source"] == "arxiv" and work["status"] == "resolved"
    (mention,) = work["mentions"]
    assert mention["episode_title"] == "Episode 1" and mention["anchor_text"] == "Attention paper"
    assert set(mention) == {
        "episode_title",
        "episode_url",
        "published",
        "podcast",
        "url",
        "anchor_text",
        "topic",
        "topic_anchor",
        "start_seconds",
        "section",
        "context",
        "via",
        "confidence",
        "speaker",
        "said_at",
        "said_at_url",
    }


def test_resolve_text_output_and_show_text(tmp_path, httpserver, base):
    _serve_arxiv(httpserver)
    db = _two_papers(tmp_path)
    result = _run(db, "resolve", "--quiet", env=env_for(base))
    assert result.exit_code == 0 and result.stdout == ""
    shown = _run(db, "show", "Attention Is All You Need")
    assert "Attention Is All You Need" in shown.stdout and "cs.CL" in shown.stdout
    assert "1 mentions" in shown.stdout
    assert _run(db, "show", "no such work at all").exit_code == 2


def test_failures_give_exit_1_and_are_listed(tmp_path, httpserver, base):
    httpserver.expect_request("/api/query").respond_with_data("down", status=503)
    db = _two_papers(tmp_path)
    result = _run(db, "resolve", env=env_for(base, retries=0))
    assert result.exit_code == 1
    assert "arxiv:1706.03762: arxiv: HTTP 503" in result.stderr
    assert "2 failed" in result.stdout


def test_offline_fetches_nothing_and_says_so_in_one_line(tmp_path, httpserver, base):
    db = _two_papers(tmp_path)
    result = _run(db, "resolve", "--offline", env=env_for(base))
    assert result.exit_code == 0
    assert result.stdout.strip().count("\n") == 0 and "offline" in result.stdout
    assert not httpserver.log
    with Store(db) as store:
        assert work_row(store, "arxiv:1706.03762")["title"] == "Attention paper"


def test_no_network_at_all_is_not_a_failure(tmp_path, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    db = _two_papers(tmp_path)
    make_store(
        db, [("https://blog.example.org/post", "A blog post")], url="https://pod.example.org/2"
    ).close()
    result = _run(db, "resolve", env={"LINKGRAPH_RETRIES": "0", "LINKGRAPH_CACHE": "0"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no network: nothing fetched") and result.stderr == ""
    with Store(db) as store:
        for row in store.query("SELECT status, attempts, title FROM works"):
            assert row["status"] == "pending" and row["attempts"] == 0 and row["title"]


def test_second_run_is_answered_by_the_cache_and_refresh_revalidates(tmp_path, httpserver, base):
    def page(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            b"<html><head><title>Cached Page</title></head></html>",
            content_type="text/html",
            headers={"ETag": '"v1"'},
        )

    httpserver.expect_request("/page").respond_with_handler(page)
    _serve_arxiv(httpserver)
    links = [("https://arxiv.org/abs/1706.03762", "paper"), (f"{base}/page", "page")]
    config = config_for(base, cache=True, cache_path=str(tmp_path / "cache.sqlite"))
    first = resolve(make_store(tmp_path / "one.db", links), config)
    assert first.requests == 2 and first.cached == 0
    second = resolve(make_store(tmp_path / "two.db", links), config)
    assert second.requests == 0 and second.cached == 2 and second.resolved == 2
    assert len(httpserver.log) == 2
    store = Store(tmp_path / "two.db")
    third = resolve(store, config, Options(refresh=True))
    assert third.resolved == 2 and third.requests == 2
    revalidation = [r for r, _ in httpserver.log if r.path == "/page"][-1]
    assert revalidation.headers.get("If-None-Match") == '"v1"'
    assert (
        work_row(store, f"url:{base.replace('http://', 'https://')}/page")["title"] == "Cached Page"
    )


def test_cache_file_lives_next_to_the_database(tmp_path, httpserver, base):
    _serve_arxiv(httpserver)
    db = _two_papers(tmp_path)
    env = {**env_for(base), "LINKGRAPH_CACHE": "true"}
    assert _run(db, "resolve", "--quiet", env=env).exit_code == 0
    assert (tmp_path / "t.db.http-cache.sqlite").is_file()


def test_source_and_limit(tmp_path, httpserver, base):
    _serve_arxiv(httpserver)
    db = _two_papers(tmp_path)
    make_store(db, [(f"{base}/not-fetched", "page")], url="https://pod.example.org/2").close()
    result = _run(db, "resolve", "--json", "--resolver", "arxiv", "--limit", "1", env=env_for(base))
    summary = json.loads(result.stdout)
    assert summary["works"] == 1 and list(summary["sources"]) == ["arxiv"]
    assert _run(db, "resolve", "--source", "nope").exit_code == 2


def test_config_file_next_to_the_database_and_environment(tmp_path):
    (tmp_path / "linkgraph.toml").write_text(
        'mailto = "me@example.org"\n[resolve]\nworkers = 3\narxiv_batch = 50\n'
    )
    config = load_config(
        tmp_path / "x.db", environ={"LINKGRAPH_WORKERS": "5", "GITHUB_TOKEN": "abc"}
    )
    assert (config.mailto, config.workers, config.arxiv_batch) == ("me@example.org", 5, 50)
    assert config.github_token == "abc"
    with pytest.raises(ConfigError, match="LINKGRAPH_WORKERS"):
        load_config(tmp_path / "x.db", environ={"LINKGRAPH_WORKERS": "many"})
    (tmp_path / "linkgraph.toml").write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_config(tmp_path / "x.db", environ={})
    result = _run(tmp_path / "x.db", "resolve")
    assert result.exit_code == 2 and "unknown setting" in result.stderr


def test_allow_private_network_flag(tmp_path, httpserver, base):
    httpserver.expect_request("/pdf").respond_with_data(
        pdf_bytes("A Local Report", "Ann Lee", ["A Local Report"]), content_type="application/pdf"
    )
    db = tmp_path / "t.db"
    make_store(db, [(f"{base}/pdf", "report")]).close()
    env = {**env_for(base), "LINKGRAPH_ALLOW_PRIVATE_NETWORK": "false"}
    assert _run(db, "resolve", "--quiet", env=env).exit_code == 1
    assert (
        _run(
            db, "resolve", "--quiet", "--retry-failed", "--allow-private-network", env=env
        ).exit_code
        == 0
    )


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_run_finishes_on_the_next_with_nothing_lost(tmp_path, how):
    server = HTTPServer(threaded=True)
    server.start()
    try:
        base = server.url_for("").rstrip("/")
        server.expect_request("/page").respond_with_handler(
            lambda request: (
                time.sleep(0.05)
                or Response(
                    f"<html><title>Page {request.args['n']}</title></html>",
                    content_type="text/html",
                )
            )
        )
        links = [(f"{base}/page?n={i}", f"link {i}") for i in range(60)]
        db = tmp_path / "t.db"
        make_store(db, links).close()
        env = {**os.environ, **env_for(base, workers=2, host_concurrency=2)}
        child = subprocess.Popen(
            [sys.executable, "-m", "linkgraph", "--db", str(db), "resolve", "--quiet"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        with Store(db) as store:
            deadline = time.monotonic() + 30
            while store.scalar("SELECT count(*) FROM works WHERE status = 'resolved'") < 10:
                assert time.monotonic() < deadline and child.poll() is None
                time.sleep(0.05)
        child.send_signal(how)
        child.wait(timeout=30)
        with Store(db) as store:
            done = store.scalar("SELECT count(*) FROM works WHERE status = 'resolved'")
            assert 10 <= done < 60
            summary = resolve(store, load_config(db, environ=env_for(base)))
            assert summary.resolved == 60 - done and summary.failed == 0
            assert store.scalar("SELECT count(*) FROM works") == 60
            assert store.scalar("SELECT count(*) FROM identifiers") == 60
            assert store.scalar("SELECT count(*) FROM mentions") == 60
            assert store.scalar("SELECT count(*) FROM works WHERE status != 'resolved'") == 0
            titles = {r["title"] for r in store.query("SELECT title FROM works")}
            assert titles == {f"Page {i}" for i in range(60)}
    finally:
        server.stop()
