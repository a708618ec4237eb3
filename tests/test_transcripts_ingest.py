"""Transcripts in the store: a file attached to an episode or an episode of its own, the
times show-note links gain, spoken mentions in the questions and exports, and transcripts
that feeds list, fetched from a loopback server (a failed fetch tried again on update)."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from support.web import Web, list_transcripts, rss
from typer.testing import CliRunner
from werkzeug.wrappers import Request, Response

import linkgraph.store
from linkgraph.cli import app
from linkgraph.ingest import find_spoken_since, ingest
from linkgraph.store import Store, now_exact

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
EPISODE = "Transformers from Scratch"
ATTENTION = "arxiv:1706.03762"  # linked in the episode's notes
PREFERENCES = "arxiv:1706.03741"  # linked only in another episode's notes
UNKNOWN = "arxiv:2310.01405"  # said, and linked nowhere


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run linkgraph in a folder holding the bundled example's store."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        result = runner.invoke(app, list(args), env={"COLUMNS": "250", **(env or {})})
        return result

    assert run("ingest", "--example", "-q").exit_code == 0
    return run


def as_json(result) -> object:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def attach(cli) -> None:
    result = cli("ingest", str(FIXTURES / "research-radio-1.vtt"), "--episode", EPISODE, "--json")
    (report,) = as_json(result)
    assert (report["format"], report["updated"], report["transcripts"]) == ("vtt", 1, 1)


def test_a_transcript_attached_to_an_episode_gives_its_links_the_time_they_are_discussed(cli):
    attach(cli)
    (notes, spoken) = [
        e for e in as_json(cli("cites", ATTENTION, "--json")) if EPISODE in e["episode_title"]
    ][0]["mentions"]
    assert (notes["via"], notes["said_at"], notes["speaker"]) == ("link", 754.0, "Ada Park")
    assert (
        notes["said_at_url"] == "https://research-radio.example.org/episodes/1-transformers#t=754"
    )
    assert (spoken["via"], spoken["said_at"], spoken["anchor_text"]) == (
        "spoken",
        754.0,
        "Attention Is All You Need",
    )
    assert (
        spoken["context"]
        == "Our starting point is Attention Is All You Need, the transformer paper."
    )


def test_works_known_from_elsewhere_and_identifiers_said_are_spoken_mentions(cli):
    attach(cli)
    works = {w["id"]: w for w in as_json(cli("cited-by", EPISODE, "--json"))}
    (said,) = works[PREFERENCES]["mentions"]
    assert (said["via"], said["speaker"], said["said_at"]) == ("spoken", "Lee Okafor", 1200.0)
    assert said["confidence"] >= 0.8
    assert said["topic"] == "Attention is all you need"  # the chapter 0:20:00 falls in
    (unknown,) = works[UNKNOWN]["mentions"]  # a work the store did not know: made for it
    assert (unknown["via"], unknown["anchor_text"]) == ("spoken", "arXiv 2310.01405")
    # "pay attention to the details" names no work
    assert not any("details" in m["context"] and m["via"] == "spoken" and w != UNKNOWN
                   for w, work in works.items() for m in work["mentions"])  # fmt: skip
    text = cli("cited-by", EPISODE).stdout
    assert "[spoken at 0:20:00 by Lee Okafor, confidence 0.99]" in text
    assert "[discussed at 0:12:34 by Ada Park]" in text


def test_show_lists_spoken_mentions_with_speaker_and_time(cli):
    attach(cli)
    work = as_json(cli("show", PREFERENCES, "--json"))
    assert [(m["episode_title"][:3], m["via"], m["speaker"]) for m in work["mentions"]] == [
        ("1 -", "spoken", "Lee Okafor"),
        ("2 -", "link", None),
    ]
    assert "spoken at 0:20:00 by Lee Okafor" in cli("show", PREFERENCES).stdout


def test_search_finds_words_spoken_with_speaker_time_and_a_link_there(cli):
    attach(cli)
    hits = [h for h in as_json(cli("search", "details", "--json")) if h["type"] == "spoken"]
    assert [(h["id"], h["speaker"], h["start_seconds"], h["url"]) for h in hits] == [
        (
            "episode:2",
            "Ada Park",
            3910.0,
            "https://research-radio.example.org/episodes/1-transformers#t=3910",
        )
    ]
    assert "1:05:10" in cli("search", "details").stdout  # who said it and when, as text too


def test_links_only_leaves_spoken_mentions_out_of_questions_and_exports(cli, tmp_path):
    attach(cli)
    linked = {w["id"] for w in as_json(cli("cited-by", EPISODE, "--json", "--links-only"))}
    assert PREFERENCES not in linked and UNKNOWN not in linked and ATTENTION in linked
    assert (
        as_json(cli("cites", PREFERENCES, "--links-only", "--json"))[0]["episode_title"][:3]
        == "2 -"
    )
    assert all(h["type"] != "mention" or h["id"] != UNKNOWN
               for h in as_json(cli("search", "details", "--links-only", "--json")))  # fmt: skip
    for args, has_spoken in ((["--links-only"], False), ([], True)):
        out = tmp_path / "graph.json"
        assert cli("export", "json", "-o", str(out), "-q", *args).exit_code == 0
        graph = json.loads(out.read_text())
        vias = {e.get("via") for e in graph["edges"] if e.get("relation") == "cites"}
        assert ("spoken" in vias) == has_spoken


def test_the_threshold_setting_chooses_which_spoken_mentions_count(cli):
    attach(cli)
    strict = {"LINKGRAPH_SPOKEN_THRESHOLD": "1"}
    assert PREFERENCES not in {
        w["id"] for w in as_json(cli("cited-by", EPISODE, "--json", env=strict))
    }
    assert PREFERENCES in {w["id"] for w in as_json(cli("cited-by", EPISODE, "--json"))}


def test_finding_spoken_citations_again_changes_nothing(cli):
    attach(cli)
    before = as_json(cli("cited-by", EPISODE, "--json"))
    (report,) = as_json(cli("spoken", "--json"))
    assert (report["segments"], report["mentions"], report["timed"]) == (4, 3, 1)
    assert as_json(cli("spoken", "--json")) == [report]
    assert as_json(cli("cited-by", EPISODE, "--json")) == before
    with Store("linkgraph.db") as store:
        assert store.scalar("SELECT count(*) FROM mentions WHERE via = 'spoken'") == 3
        indexed = store.scalar("SELECT count(*) FROM mentions_fts_docsize")
        assert indexed == store.scalar("SELECT count(*) FROM mentions")  # each once, for search


def test_attaching_the_same_transcript_again_changes_nothing(cli):
    attach(cli)
    result = cli("ingest", str(FIXTURES / "research-radio-1.vtt"), "--episode", EPISODE, "--json")
    (report,) = as_json(result)
    assert (report["updated"], report["unchanged"], report["transcripts"]) == (0, 1, 0)


def test_a_transcript_without_episode_is_an_episode_of_its_own(cli):
    result = cli("ingest", str(FIXTURES / "episode.srt"), "--title", "Captions", "--json")
    (report,) = as_json(result)
    assert (report["added"], report["titles"], report["transcripts"]) == (1, ["Captions"], 1)
    (hit,) = [h for h in as_json(cli("search", "tips", "--json")) if h["type"] == "spoken"]
    assert (hit["title"], hit["speaker"], hit["start_seconds"]) == ("Captions", "Sarah", 6.09)


def test_plain_text_transcripts_need_their_format_named(cli):
    path = FIXTURES / "episode.txt"
    (report,) = as_json(cli("ingest", str(path), "--format", "transcript", "--json"))
    assert report["format"] == "transcript" and report["transcripts"] == 1
    (hit,) = [h for h in as_json(cli("search", "Hoffmann", "--json")) if h["type"] == "spoken"]
    assert (hit["speaker"], hit["start_seconds"]) == ("Bo Chen", 3780.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--episode", "no such episode"], "no episode matches"),
        (["--episode", EPISODE, "--format", "vtt"], "is not valid WebVTT"),
    ],
)
def test_bad_transcripts_are_named_and_change_nothing(cli, args, message, tmp_path):
    bad = tmp_path / "bad.vtt"
    bad.write_text("this is no caption file\n")
    source = str(FIXTURES / "research-radio-1.vtt") if "no such" in args[1] else str(bad)
    result = cli("ingest", source, *args)
    assert result.exit_code == 1 and message in result.stderr
    with Store("linkgraph.db") as store:
        assert store.scalar("SELECT count(*) FROM segments") == 0


def test_episode_takes_transcripts_only(cli):
    result = cli("ingest", str(FIXTURES / "page.md"), "--episode", EPISODE)
    assert result.exit_code == 1 and "--episode attaches transcripts only" in result.stderr


def test_a_transcript_page_ingested_as_markdown_is_a_transcript(cli):
    (report,) = as_json(cli("ingest", str(FIXTURES / "page.md"), "--json"))
    assert report["transcripts"] == 1
    (hit,) = [h for h in as_json(cli("search", "undertrained", "--json")) if h["type"] == "spoken"]
    assert (hit["speaker"], hit["start_seconds"]) == ("Ann Lee", None)
    works = as_json(cli("cited-by", "Compute with Ann Lee", "--json"))
    (link,) = [m for w in works for m in w["mentions"] if m["via"] == "link"]
    assert (link["speaker"], link["topic"]) == ("Daniel Filan", "Scaling laws")


# ---- transcripts listed in feeds ----------------------------------------------------------

VTT = (FIXTURES / "episode.vtt").read_bytes()
SRT = (FIXTURES / "episode.srt").read_bytes()


def feed_with_transcripts(web: Web) -> bytes:
    """A feed whose two items list transcripts, in the Podcasting 2.0 tag's syntax."""
    feed = rss("Transcribed Show", [("ep-1", "One", []), ("ep-2", "Two", [])])
    return list_transcripts(
        feed,
        {
            "ep-1": [
                f'url="{web.base}/transcripts/one.vtt" type="text/vtt" language="en" '
                'rel="captions"',
                f'url="{web.base}/transcripts/one.html" type="text/html"',
            ],
            "ep-2": [f'url="{web.base}/transcripts/two.srt" type="application/x-subrip"'],
        },
    )


@pytest.fixture
def web(httpserver):
    web = Web(httpserver)
    web.failing = {"two.srt": 1}  # answers 503 this many times, then the file

    def transcript(request: Request) -> Response:
        web.log(request)
        name = request.path.rsplit("/", 1)[1]
        if web.failing.get(name, 0) > 0:
            web.failing[name] -= 1
            return Response("busy", status=503, content_type="text/plain")
        body, kind = {"one.vtt": (VTT, "text/vtt"), "two.srt": (SRT, "application/x-subrip")}[name]
        return Response(body, content_type=kind)

    httpserver.expect_request("/transcripts/one.vtt").respond_with_handler(transcript)
    httpserver.expect_request("/transcripts/two.srt").respond_with_handler(transcript)
    web.feeds["show.xml"] = feed_with_transcripts(web)
    return web


def run_web(db, web: Web, *args: str):
    env = {**web.env(retries="0"), "LINKGRAPH_FAILURE_BACKOFF": "0", "COLUMNS": "200"}
    return CliRunner().invoke(app, ["--db", str(db), *args], env=env, catch_exceptions=False)


def test_transcripts_a_feed_lists_are_fetched_and_a_failed_one_is_tried_again(tmp_path, web):
    db = tmp_path / "lg.db"
    result = run_web(db, web, "ingest", web.feed_url("show.xml"), "--json")
    (report,) = json.loads(result.stdout)
    assert report["episodes"] == 2 and report["transcripts"] == 1
    assert any("two.srt" in warning and "503" in warning for warning in report["warnings"])
    assert web.paths("/transcripts/") == ["/transcripts/one.vtt", "/transcripts/two.srt"]
    with Store(db) as store:
        rows = store.query(
            "SELECT e.guid, t.url, t.status, t.media_type, t.language, t.rel, t.attempts "
            "FROM transcripts t JOIN episodes e ON e.id = t.episode_id ORDER BY e.guid, t.id"
        )
        assert [(r["guid"], r["url"].rsplit("/", 1)[1], r["status"]) for r in rows] == [
            ("ep-1", "one.vtt", "read"),
            ("ep-1", "one.html", "listed"),  # not needed: a better one was read
            ("ep-2", "two.srt", "failed"),  # the episode stays, its transcript is tried again
        ]
        assert (rows[0]["media_type"], rows[0]["language"], rows[0]["rel"]) == (
            "text/vtt",
            "en",
            "captions",
        )
        assert store.scalar("SELECT count(*) FROM episodes") == 2
    update = json.loads(run_web(db, web, "update", "--json", "--no-resolve").stdout)
    assert [
        (t["url"].rsplit("/", 1)[1], t["segments"], t["error"]) for t in update["transcripts"]
    ] == [("two.srt", 4, None)]
    hits = json.loads(run_web(db, web, "search", "Gillian", "--json").stdout)
    assert [(h["type"], h["speaker"], h["start_seconds"]) for h in hits] == [
        ("spoken", "Gillian", 19.08)
    ]
    again = json.loads(run_web(db, web, "update", "--json", "--no-resolve").stdout)
    assert again["transcripts"] == []  # nothing left to fetch


def test_the_map_shows_spoken_citations_dashed_with_their_times_and_speakers(cli, tmp_path):
    attach(cli)
    out = tmp_path / "map.html"
    assert cli("export", "html", "-o", str(out), "-q").exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert '"said": "spoken at 20:00 by Lee Okafor"' in page  # said only: a spoken citation
    assert '"said": "at 12:34 by Ada Park"' in page  # a link, and when it is discussed
    assert '"dashes": true' in page
    assert cli("export", "html", "-o", str(out), "-q", "--links-only").exit_code == 0
    assert '"dashes": true' not in out.read_text(encoding="utf-8")


def test_a_run_searches_what_it_stored_not_what_a_run_stored_the_same_second(tmp_path, monkeypatch):
    """Spoken citations are looked for in the transcripts a run stored, and not again in
    those a run just before it stored within the same second, however the two are timed."""
    ticks = itertools.count()

    class OneSecond(datetime):  # each reading of the clock a microsecond on, in one second
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=next(ticks))

    monkeypatch.setattr(linkgraph.store, "datetime", OneSecond)
    with Store(tmp_path / "s.db") as store:
        ingest(store, [str(FIXTURES / "episode.vtt")])
        started = now_exact()
        assert find_spoken_since(store, started) == []  # the run before stored it
        ingest(store, [str(FIXTURES / "episode.srt")])
        found = find_spoken_since(store, started)
        assert [report.episode_id for report in found] == [
            store.scalar("SELECT max(id) FROM episodes")
        ]
