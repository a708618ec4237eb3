"""The ingest, identify, stats, cites and cited-by commands, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from linkgraph.cli import app
from linkgraph.store import Store

MARKDOWN = """---
layout: post
title: "7 - Open Models with Ada Park"
date: 2023-11-26 15:30 -0700
categories: episode
---

[YouTube link](https://youtu.be/abcdefghijk)

Topics we discuss:
 - [Open models](#open-models)

## Open models <a name="open-models"></a>

We read [Democratizing AI](https://arxiv.org/abs/2303.12642) closely. See also
[the report](https://papers.ssrn.com/sol3/papers.cfm?abstract_id=4596436).
"""

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Feed Pod</title><link>https://feed.example.org/</link>
<item><title>Ep A</title><guid>a</guid>
<pubDate>Tue, 05 Mar 2024 09:00:00 +0000</pubDate>
<description><![CDATA[<p>We discuss
<a href="https://arxiv.org/abs/2303.12642v2">the paper</a>.</p>]]></description>
</item>
<item><title>Ep B</title><guid>b</guid>
<pubDate>Tue, 02 Apr 2024 09:00:00 +0000</pubDate>
<description><![CDATA[<p>Also <a href="javascript:alert(1)">bad</a> and
<a href="mailto:x@y.z">mail</a> and
<a href="https://doi.org/10.2139/SSRN.4596436">SSRN by DOI</a>.</p>]]></description>
</item>
</channel></rss>
"""

TEXT = """Notes for this week.
Main papers:
- Democratizing AI: Multiple Meanings, Goals, and Methods: arxiv.org/abs/2303.12642
"""


@pytest.fixture
def env(tmp_path):
    """A folder with one source of each kind and a runner bound to a fresh database."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "2023-11-26-ep7.markdown").write_text(MARKDOWN, encoding="utf-8")
    (sources / "feed.xml").write_text(FEED, encoding="utf-8")
    (sources / "notes.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "lg.db"
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, ["--db", str(db), *args], input=input)

    return sources, db, run


def _counts(db) -> dict:
    with Store(db) as store:
        return {
            t: store.scalar(f"SELECT count(*) FROM {t}")
            for t in ("episodes", "mentions", "works", "links", "topics")
        }


def test_ingest_folder_then_again_changes_nothing(env):
    sources, db, run = env
    first = run("ingest", str(sources), "--json")
    assert first.exit_code == 0, first.output
    reports = json.loads(first.stdout)
    assert {r["format"] for r in reports} == {"markdown", "rss", "text"}
    assert sum(r["added"] for r in reports) == 4
    counts = _counts(db)
    assert counts["episodes"] == 4
    again = run("ingest", str(sources), "--json")
    assert sum(r["unchanged"] for r in json.loads(again.stdout)) == 4
    assert _counts(db) == counts


def test_every_url_form_of_a_work_is_one_work(env):
    sources, db, run = env
    run("ingest", str(sources), "--quiet")
    result = run("cites", "arxiv:2303.12642", "--json")
    assert result.exit_code == 0, result.output
    cited = json.loads(result.stdout)
    assert sorted(e["episode_title"] for e in cited) == [
        "7 - Open Models with Ada Park",
        "Ep A",
        "Notes for this week",  # pasted notes are titled by their first line
    ]
    markdown_episode = next(e for e in cited if e["episode_title"].startswith("7 -"))
    mention = markdown_episode["mentions"][0]
    assert mention["topic"] == "Open models"
    assert mention["anchor_text"] == "Democratizing AI"
    assert "closely" in mention["context"]
    # the SSRN paper: abstract_id URL and 10.2139 DOI are the same work
    ssrn = json.loads(run("cites", "ssrn:4596436", "--json").stdout)
    assert len(ssrn) == 2


def test_cites_accepts_url_forms_and_title_words(env):
    sources, _, run = env
    run("ingest", str(sources), "--quiet")
    by_id = run("cites", "arxiv:2303.12642", "--json").stdout
    assert run("cites", "https://arxiv.org/pdf/2303.12642v1.pdf", "--json").stdout == by_id
    assert run("cites", "Democratizing", "--json").stdout == by_id


def test_cited_by_lists_works_with_identifiers(env):
    sources, _, run = env
    run("ingest", str(sources), "--quiet")
    result = run("cited-by", "Open Models", "--json")
    assert result.exit_code == 0, result.output
    works = json.loads(result.stdout)
    assert [w["id"] for w in works] == [
        "url:https://youtube.com/watch?v=abcdefghijk",
        "arxiv:2303.12642",
        "ssrn:4596436",
    ]
    assert works[1]["kind"] == "paper"
    assert works[1]["mentions"][0]["topic"] == "Open models"
    text = run("cited-by", "Open Models")
    assert "Open models" in text.stdout and "arxiv:2303.12642" in text.stdout


def test_unknown_and_ambiguous_refs_exit_2(env):
    sources, _, run = env
    run("ingest", str(sources), "--quiet")
    unknown = run("cites", "arxiv:9999.99999")
    assert unknown.exit_code == 2
    assert "no work matches" in unknown.stderr
    ambiguous = run("cited-by", "Ep")
    assert ambiguous.exit_code == 2
    assert "candidate" in ambiguous.stderr
    sql = run("cites", "'; DROP TABLE works; --")
    assert sql.exit_code == 2
    assert _counts(env[1])["works"] > 0


def test_stats_json_shape(env):
    sources, db, run = env
    run("ingest", str(sources), "--quiet")
    stats = json.loads(run("stats", "--json").stdout)
    assert {k: stats[k] for k in ("podcasts", "episodes")} == {"podcasts": 1, "episodes": 4}
    assert stats["works_by_kind"]["paper"] == 2
    assert sum(stats["works_by_kind"].values()) == stats["works"]
    with Store(db) as store:
        counted = {
            table: store.scalar(f"SELECT count(*) FROM {table}")
            for table in ("topics", "mentions", "links", "works")
        }
    assert {k: stats[k] for k in counted} == counted and counted["mentions"] > 0


def test_non_http_links_are_not_mentions(env):
    sources, db, run = env
    run("ingest", str(sources / "feed.xml"), "--quiet")
    with Store(db) as store:
        urls = [r["url"] for r in store.query("SELECT url FROM mentions")]
    assert urls == ["https://arxiv.org/abs/2303.12642v2", "https://doi.org/10.2139/SSRN.4596436"]


def test_stdin_with_overrides(env):
    _, db, run = env
    result = run(
        "ingest",
        "-",
        "--format",
        "text",
        "--title",
        "Pasted",
        "--url",
        "https://pod.example.org/p",
        "--date",
        "2024-01-02",
        "--podcast",
        "Paste Pod",
        "--json",
        input=TEXT,
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        episode = store.query(
            "SELECT e.title, e.url, e.published, p.title AS podcast "
            "FROM episodes e JOIN podcasts p ON p.id = e.podcast_id"
        )[0]
    assert episode == {
        "title": "Pasted",
        "url": "https://pod.example.org/p",
        "published": "2024-01-02",
        "podcast": "Paste Pod",
    }


def test_edited_source_updates_its_episode(env):
    sources, db, run = env
    path = sources / "2023-11-26-ep7.markdown"
    run("ingest", str(path), "--quiet")
    path.write_text(MARKDOWN.replace("See also\n[the report]", "See also\n[a report]"), "utf-8")
    result = json.loads(run("ingest", str(path), "--json").stdout)
    assert result[0]["updated"] == 1
    counts = _counts(db)
    assert counts["episodes"] == 1 and counts["mentions"] == 3
    with Store(db) as store:
        assert store.scalar("SELECT count(*) FROM mentions WHERE anchor_text = 'a report'") == 1


BAD_INPUTS = {
    "broken.xml": (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>',
        "feed",
    ),
    "binary.txt": (bytes(range(256)) * 4, "binary"),
    "latin1.md": ("# Caf\xe9 [x](https://example.org)\n".encode("latin-1"), "UTF-8"),
    "empty.md": (b"", "empty"),
    "bomb.xml": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b'<rss version="2.0"><channel><title>&lol;</title></channel></rss>',
        "entit",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_named_and_others_still_ingested(env, name):
    sources, db, run = env
    data, words = BAD_INPUTS[name]
    bad = sources / name
    bad.write_bytes(data)
    result = run("ingest", str(sources / "notes.txt"), str(bad), "--quiet")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert name in lines[0] and words.lower() in lines[0].lower()
    with Store(db) as store:
        sources_stored = [r["source"] for r in store.query("SELECT source FROM episodes")]
    assert sources_stored == [str((sources / "notes.txt").resolve())]


def test_huge_file_is_refused_without_reading_it(env):
    sources, _, run = env
    huge = sources / "huge.md"
    with open(huge, "wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: costs no disk
    result = run("ingest", str(huge), "--quiet")
    assert result.exit_code == 1
    assert "limit" in result.stderr and "huge.md" in result.stderr


def test_missing_file_and_usage_errors(env):
    sources, _, run = env
    missing = run("ingest", str(sources / "nope.md"))
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    assert run("ingest").exit_code == 2
    assert run("ingest", str(sources), "--format", "pdf").exit_code == 2
    assert run("ingest", str(sources), "--title", "One title for many").exit_code == 2


def test_identify_json_lines():
    result = CliRunner().invoke(
        app,
        [
            "identify",
            "arxiv.org/abs/2303.12642v2",
            "https://doi.org/10.1145/3442188.3445922",
            "--json",
        ],
    )
    assert result.exit_code == 0
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "input": "arxiv.org/abs/2303.12642v2",
        "id": "arxiv:2303.12642",
        "scheme": "arxiv",
        "version": "2",
        "kind": "paper",
        "canonical_url": "https://arxiv.org/abs/2303.12642",
    }
    assert second["id"] == "doi:10.1145/3442188.3445922"


@pytest.mark.slow
def test_example_and_python_dash_m(tmp_path):
    db = tmp_path / "ex.db"
    environment = {**os.environ, "LINKGRAPH_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "linkgraph", "ingest", "--example", "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sum(r["episodes"] for r in json.loads(done.stdout)) == 5
    stats = subprocess.run(
        [sys.executable, "-m", "linkgraph", "stats", "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert json.loads(stats.stdout)["episodes"] == 5


def test_site_url_gives_jekyll_posts_their_page_url(env):
    sources, db, run = env
    result = run(
        "ingest",
        str(sources / "2023-11-26-ep7.markdown"),
        "--site-url",
        "https://pod.example.org/",
        "--quiet",
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.scalar("SELECT url FROM episodes") == (
            "https://pod.example.org/episode/2023/11/26/ep7.html"
        )


SHARED_GUIDS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Twin Pod</title><link>https://twins.example/</link>
<item><title>One</title><guid>ep</guid><pubDate>July 16, 2021</pubDate>
<enclosure url="https://cdn.twins.example/1.mp3" type="audio/mpeg" length="1"/>
<description>See https://arxiv.org/abs/2303.12642</description></item>
<item><title>Two</title><guid>ep</guid><pubDate>in the spring</pubDate>
<enclosure url="https://cdn.twins.example/2.mp3" type="audio/mpeg" length="1"/>
<description>See https://arxiv.org/abs/2401.05566</description></item>
</channel></rss>
"""


def test_warnings_reach_stderr_and_json_and_reingest_is_a_no_op(env):
    sources, db, run = env
    feed = sources / "twins.xml"
    feed.write_text(SHARED_GUIDS, encoding="utf-8")
    result = run("ingest", str(feed), "--json")
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert (report["episodes"], report["added"]) == (2, 2)
    assert report["warnings"] == [
        "2 items have the guid 'ep'; they are kept apart by their enclosure URLs",
        "'Two': the date 'in the spring' is not a date linkgraph can read",
    ]
    stderr = [line for line in result.stderr.splitlines() if line.strip()]
    assert stderr == [f"linkgraph: {feed}: warning: {w}" for w in report["warnings"]]
    with Store(db) as store:
        assert store.query("SELECT guid, title, published FROM episodes ORDER BY id") == [
            {"guid": "ep", "title": "One", "published": "2021-07-16"},
            {"guid": "ep", "title": "Two", "published": None},
        ]
    again = run("ingest", str(feed), "--json")
    [second] = json.loads(again.stdout)
    assert (second["added"], second["updated"], second["unchanged"]) == (0, 0, 2)


def test_the_command_line_collects_garbage_less_often_than_python_does(tmp_path):
    """The console script's process is linkgraph's own: it sets the collector's thresholds
    (reading spends much less CPU on collections); importing linkgraph leaves them alone."""
    script = (
        "import gc, sys\n"
        "from linkgraph.cli import main\n"
        "imported = gc.get_threshold()\n"
        "sys.argv = ['linkgraph', '--db', sys.argv[1], 'stats', '--json']\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(imported, gc.get_threshold(), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "s.db")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "(700, 10, 10) (10000, 10, 10)"
