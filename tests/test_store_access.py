"""Which stores are used and how: read-only files, newer schemas, one configuration, no orphans."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess

import pytest
from support.resolve import config_for, make_store
from typer.testing import CliRunner

from linkgraph import schema
from linkgraph.cli import app
from linkgraph.model import Episode, Mention, Person
from linkgraph.resolve import resolve
from linkgraph.store import ReadOnlyStore, Store, StoreError


def run(db, *args: str, env: dict | None = None):
    return CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200", **(env or {})})


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def stored(tmp_path):
    """A folder holding a store with one episode and a remembered feed."""
    db = tmp_path / "store" / "lg.db"
    db.parent.mkdir()
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n[A paper](https://arxiv.org/abs/1706.03762) and more words\n")
    assert run(db, "ingest", str(notes), "-q").exit_code == 0
    with Store(db) as store, store.transaction() as conn:
        conn.execute("INSERT INTO feeds (url, episodes) VALUES ('https://feed.example/', 0)")
    return db


@pytest.fixture
def read_only(stored):
    """The store with its file and folder made unwritable for this process."""
    paths = [stored, stored.parent]
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        yield stored
        for path in paths:
            path.chmod(0o755 if path.is_dir() else 0o644)
        return
    # root writes whatever the permissions say: only an immutable file and folder stop it
    made = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    if made.returncode != 0 or os.access(stored, os.W_OK):
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
        pytest.skip("cannot make a file read-only for root here (chattr +i)")
    yield stored
    subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


@pytest.mark.parametrize(
    "command",
    [["works", "--json"], ["search", "paper", "--json"], ["feeds", "--json"], ["stats", "--json"]],
)
def test_a_read_only_store_still_answers_read_commands(read_only, command):
    before = digest(read_only)
    result = run(read_only, *command)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert digest(read_only) == before


def test_a_read_only_store_exports(read_only, tmp_path):
    result = run(read_only, "export", "json", "-o", str(tmp_path / "graph.json"), "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "graph.json").read_text())["nodes"]


@pytest.mark.parametrize(
    "command, name",
    [
        (["ingest", "-"], "ingest"),
        (["feeds", "remove", "https://unknown.example/"], "feeds remove"),
        (["feeds", "remove", "https://feed.example/"], "feeds remove"),
        (["resolve", "--offline"], "resolve"),
        (["update", "--no-resolve"], "update"),
    ],
)
def test_writes_to_a_read_only_store_fail_with_one_line(read_only, command, name):
    result = run(read_only, *command)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"linkgraph: {read_only}: is read-only: {name} cannot write to it\n"
    assert result.stdout == ""


def test_writing_through_the_api_to_a_read_only_store_raises(read_only):
    with Store(read_only) as store:
        assert store.read_only and store.scalar("SELECT count(*) FROM episodes") == 1
        with pytest.raises(ReadOnlyStore, match="read-only"):
            store.save_episodes([Episode(title="x", source="x")])


def test_a_store_from_a_newer_linkgraph_is_refused_untouched(stored):
    with sqlite3.connect(stored) as conn:
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.execute("ALTER TABLE works ADD COLUMN future TEXT")
    before = digest(stored)
    expected = (
        f"linkgraph: {stored}: was written by a newer linkgraph (schema version "
        f"{schema.SCHEMA_VERSION + 1}); this linkgraph reads schema versions up to "
        f"{schema.SCHEMA_VERSION}\n"
    )
    for command in (["works"], ["ingest", "-"], ["resolve", "--offline"], ["feeds"]):
        result = run(stored, *command)
        assert (result.exit_code, result.stderr) == (2, expected), command
    assert digest(stored) == before
    with pytest.raises(StoreError, match="newer linkgraph"):
        Store(stored)


def test_the_toml_beside_the_database_is_the_configuration_of_every_command(tmp_path, httpserver):
    httpserver.expect_request("/notes.md").respond_with_data(
        "[a](https://a.example/1) [b](https://a.example/2) [c](https://a.example/3)",
        content_type="text/markdown",
    )
    db = tmp_path / "elsewhere" / "lg.db"
    db.parent.mkdir()
    (db.parent / "linkgraph.toml").write_text(
        "allow_private_network = true\ncache = false\nmax_links_per_episode = 2\n"
    )
    url = httpserver.url_for("/notes.md")
    env = {"LINKGRAPH_DB": str(tmp_path / "other.db")}  # --db wins; its toml is the one used
    result = run(db, "ingest", url, "-q", env=env)
    assert result.exit_code == 1
    assert result.stderr == (
        f"linkgraph: {url}: holds 3 URLs, over the limit of 2 links in one episode "
        "(setting max_links_per_episode)\n"
    )
    (db.parent / "linkgraph.toml").write_text("allow_private_network = true\ncache = false\n")
    assert run(db, "ingest", url, "-q", env=env).exit_code == 0  # loopback allowed by the file


@pytest.mark.parametrize(
    "command",
    [["ingest", "https://pod.example/feed.xml"], ["ingest", "-"], ["resolve"], ["update"]],
)
def test_a_bad_setting_is_one_line_for_every_command_that_uses_settings(tmp_path, command):
    db = tmp_path / "lg.db"
    (tmp_path / "linkgraph.toml").write_text("workers = 0\n")
    result = run(db, *command)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"linkgraph: {tmp_path / 'linkgraph.toml'}: workers = 0 is out of range (1 to 256)\n"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e400", "99999999999999999999"])
def test_numbers_in_settings_are_finite_and_in_range(tmp_path, value):
    result = run(tmp_path / "lg.db", "resolve", env={"LINKGRAPH_READ_TIMEOUT": value})
    assert result.exit_code == 2
    assert result.stderr.startswith("linkgraph: LINKGRAPH_READ_TIMEOUT: read_timeout = ")


def _orphans(store: Store) -> int:
    return store.scalar(
        "SELECT count(*) FROM people WHERE id NOT IN (SELECT person_id FROM authorships) "
        "AND id NOT IN (SELECT person_id FROM appearances)"
    )


def _paper_page(authors: list[str]) -> bytes:
    tags = "".join(f'<meta name="citation_author" content="{a}">' for a in authors)
    return (
        '<html><head><meta name="citation_title" content="One Paper Two Places">'
        f'<meta name="citation_doi" content="10.5555/one.two">{tags}</head></html>'
    ).encode()


def test_merges_and_new_authors_leave_no_orphan_people(tmp_path, httpserver):
    base = httpserver.url_for("").rstrip("/")
    httpserver.expect_request("/a").respond_with_data(
        _paper_page(["Ann One", "Bo Two"]), content_type="text/html"
    )
    httpserver.expect_request("/b").respond_with_data(
        _paper_page(["Cy Three"]), content_type="text/html"
    )
    store = make_store(tmp_path / "lg.db", [(f"{base}/a", "a"), (f"{base}/b", "b")])
    summary = resolve(store, config_for(base))
    assert summary.merged == 1
    assert store.scalar("SELECT count(*) FROM works") == 1
    assert _orphans(store) == 0
    listed = run(tmp_path / "lg.db", "author", "--json")
    assert all(p["works"] or p["appearances"] for p in json.loads(listed.stdout))


def test_an_edited_episode_leaves_no_orphan_guests(tmp_path):
    def episode(guest: str) -> Episode:
        return Episode(
            title="E",
            source="e.md",
            guid="e",
            mentions=[Mention("https://a.example/", "a")],
            people=[Person(guest, "guest")],
        )

    with Store(tmp_path / "lg.db") as store:
        store.save_episodes([episode("Old Guest")])
        store.save_episodes([episode("New Guest")])
        assert [r["name"] for r in store.query("SELECT name FROM people")] == ["New Guest"]
