"""Reads are one snapshot: a writer committing midway changes nothing a read command sees."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from linkgraph import graph as graph_module
from linkgraph import query
from linkgraph.cli import app
from linkgraph.graph import build_graph
from linkgraph.model import Episode, Mention
from linkgraph.store import Store


def episode(url: str) -> Episode:
    return Episode(title="Edited", source="notes.md", guid="g", mentions=[Mention(url, "Link")])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "lg.db"
    with Store(path) as store:
        store.save_episodes([episode("https://old.example/post")])
    return path


@pytest.fixture
def edit_midway(db, monkeypatch):
    """Once the mentions are read, another connection edits the episode (its old work goes)."""
    real = graph_module._add_podcasts

    def add_podcasts_after_an_edit(store, graph, scope):
        with Store(db) as other:
            other.save_episodes([episode("https://new.example/post")])
        return real(store, graph, scope)

    monkeypatch.setattr(graph_module, "_add_podcasts", add_podcasts_after_an_edit)


def test_build_graph_reads_one_snapshot(db, edit_midway):
    with Store(db) as store:
        graph = build_graph(store)
        works = [d["url"] for _, d in graph.nodes(data=True) if d["kind"] == "work"]
        assert works == ["https://old.example/post"]  # the store as the read began
        assert not store.conn.in_transaction
        after = build_graph(store)
    assert [d["url"] for _, d in after.nodes(data=True) if d["kind"] == "work"] == [
        "https://new.example/post"
    ]


def test_an_export_during_a_write_is_one_snapshot(db, edit_midway):
    result = CliRunner().invoke(app, ["--db", str(db), "export", "json", "-o", "-", "-q"])
    assert result.exit_code == 0, result.output
    nodes = json.loads(result.stdout)["nodes"]
    assert [n["url"] for n in nodes if n["kind"] == "work"] == ["https://old.example/post"]


@pytest.mark.parametrize(
    "command, function",
    [(["top"], "top"), (["works"], "works"), (["stats"], "stats"), (["cites", "x"], "find_work")],
)
def test_read_commands_run_inside_a_read_transaction(db, monkeypatch, command, function):
    seen = []
    real = getattr(query, function)

    def recording(store, *args, **kwargs):
        seen.append(store.conn.in_transaction)
        return real(store, *args, **kwargs)

    monkeypatch.setattr(query, function, recording)
    CliRunner().invoke(app, ["--db", str(db), *command])
    assert seen == [True]
