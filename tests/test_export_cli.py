"""linkgraph export: every format, every selection option, and every way to get it wrong."""

from __future__ import annotations

import csv
import io
import json

import pytest

from linkgraph.export import FORMATS


def export_json(run_cli, store, *selection: str) -> tuple[dict, str]:
    """Node-link data of a selection, exported to stdout; and what was said on stderr."""
    result = run_cli(store, "export", "json", "-o", "-", *selection)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


@pytest.fixture
def outdir(tmp_path):
    """An empty folder for output (the store lives in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def titles(data: dict, kind: str) -> set[str]:
    return {n["title"] for n in data["nodes"] if n["kind"] == kind}


def kinds(data: dict) -> set[str]:
    return {n["kind"] for n in data["nodes"]}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_writes_its_file(run_cli, sample_store, outdir, name):
    target = outdir / f"out{FORMATS[name].suffix}"
    result = run_cli(sample_store, "export", name, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 0
    assert result.stdout == ""
    assert result.stderr.startswith(f"wrote {target}: {name}, 26 nodes, 41 edges")
    assert [p.name for p in outdir.iterdir()] == [target.name]  # no temporary left


def test_quiet_says_nothing(run_cli, sample_store, outdir):
    result = run_cli(
        sample_store,
        "export",
        "graphml",
        "-o",
        str(outdir / "g.graphml"),
        "--max-nodes",
        "3",
        "--quiet",
    )
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_stdout(run_cli, sample_store):
    result = run_cli(sample_store, "export", "csv", "-o", "-", "-q")
    assert result.exit_code == 0
    assert result.stdout.startswith("mention_id,podcast,episode,")
    assert len(result.stdout.splitlines()) == 1 + 12  # 14 mentions, 2 of them boilerplate


def test_whole_graph(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store)
    assert len(data["nodes"]) == 26 and len(data["edges"]) == 41
    assert kinds(data) == {"podcast", "episode", "topic", "work", "person", "subject"}
    assert "patreon.com: papertrails" not in titles(data, "work")


def test_include_boilerplate(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store, "--include-boilerplate")
    assert len(data["nodes"]) == 27 and len(data["edges"]) == 43
    assert "patreon.com: papertrails" in titles(data, "work")  # its anchor only names the site
    result = run_cli(sample_store, "export", "csv", "-o", "-", "-q", "--include-boilerplate")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 14
    assert {
        (r["url_canonical"], r["boilerplate_reason"]) for r in rows if r["boilerplate"] == "1"
    } == {("https://patreon.com/papertrails", "support link")}


def test_around_a_work(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store, "--around", "arxiv:1805.00899")
    assert titles(data, "work") == {"AI safety via debate"}
    assert titles(data, "episode") == {
        "Debate and oversight with Ben Ode",
        "Mailbag",
        "Optimization and its discontents",
    }
    assert titles(data, "person") == {"Ben Ode", "Geo Irwin"}
    assert titles(data, "subject") == {"Artificial Intelligence"}
    assert titles(data, "topic") == {"Debate", "Mesa-optimizers"}


def test_around_with_depth(run_cli, sample_store):
    one, _ = export_json(run_cli, sample_store, "--around", "Mailbag", "--depth", "1")
    two, _ = export_json(run_cli, sample_store, "--around", "Mailbag", "--depth", "2")
    zero, _ = export_json(run_cli, sample_store, "--around", "Mailbag", "--depth", "0")
    assert titles(zero, "episode") == {"Mailbag"} and len(zero["nodes"]) == 1
    assert titles(one, "episode") == {"Mailbag"}
    assert "AI safety via debate" in titles(one, "work")
    assert titles(two, "episode") >= {
        "Debate and oversight with Ben Ode",
        "Optimization and its discontents",
    }
    assert len(two["nodes"]) > len(one["nodes"]) > 1


def test_around_an_episode_url(run_cli, sample_store):
    data, _ = export_json(
        run_cli,
        sample_store,
        "--around",
        "https://other.example/episodes/optimization",
        "--kind",
        "work",
    )
    assert titles(data, "episode") == {"Optimization and its discontents"}  # the centre stays
    assert len(titles(data, "work")) == 3


def test_kinds(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store, "--kind", "work", "--kind", "episode")
    assert kinds(data) == {"work", "episode"}
    assert {e["relation"] for e in data["edges"]} == {"cites"}


def test_podcast(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store, "--podcast", "Other Show")
    assert titles(data, "podcast") == {"Other Show"}
    assert titles(data, "episode") == {"Optimization and its discontents", "Listener questions"}
    assert "patreon.com: papertrails" not in titles(data, "work")


def test_since_and_until(run_cli, sample_store):
    since, _ = export_json(run_cli, sample_store, "--since", "2024-01-01")
    assert titles(since, "episode") == {"Optimization and its discontents", "Listener questions"}
    until, _ = export_json(run_cli, sample_store, "--until", "2023-03")
    assert titles(until, "episode") == {
        "Reward hacking with Ada Park",
        "Debate and oversight with Ben Ode",
    }
    both, _ = export_json(run_cli, sample_store, "--since", "2023-02", "--until", "2023")
    assert titles(both, "episode") == {"Debate and oversight with Ben Ode", "Mailbag"}


def test_min_citations(run_cli, sample_store):
    data, _ = export_json(run_cli, sample_store, "--min-citations", "3")
    assert titles(data, "work") == {
        "AI safety via debate",
        "Goodhart in Practice: Measuring Reward Hacking in Language Models",
    }


def test_max_nodes_says_what_it_dropped(run_cli, sample_store):
    data, said = export_json(run_cli, sample_store, "--max-nodes", "10")
    assert len(data["nodes"]) == 10
    assert "--max-nodes 10 dropped 16 nodes" in said


def test_options_combine(run_cli, sample_store):
    data, said = export_json(
        run_cli,
        sample_store,
        "--podcast",
        "Paper Trails",
        "--kind",
        "work",
        "--min-citations",
        "2",
        "--max-nodes",
        "1",
    )
    assert len(data["nodes"]) == 1 and kinds(data) == {"work"}
    assert "dropped 1 nodes" in said


def test_selection_applies_to_bibliographies(run_cli, sample_store):
    result = run_cli(sample_store, "export", "csl-json", "-o", "-", "--since", "2024")
    ids = {item["id"] for item in json.loads(result.stdout)}
    assert {"arxiv:1805.00899", "arxiv:2401.01234"} <= ids and "doi:10.1000/xyz123" not in ids


def test_empty_database(run_cli, empty_store, outdir):
    for name in FORMATS:
        target = outdir / f"empty-{name}"
        result = run_cli(empty_store, "export", name, "-o", str(target))
        assert result.exit_code == 0, result.stderr
        assert "0 nodes, 0 edges" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["pdf"], "unknown format 'pdf'"),
        (["json", "--kind", "paper"], "--kind 'paper'"),
        (["json", "--since", "last week"], "since 'last week'"),
        (["json", "--until", "2024-13-45x"], "until"),
        (["json", "--depth", "2"], "--depth needs --around"),
        (["json", "--around", "no such thing at all"], "no work or episode matches"),
        (["json", "--podcast", "Nope"], "no podcast matches 'Nope'"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(run_cli, sample_store, outdir, args, message):
    target = outdir / "out.txt"
    result = run_cli(sample_store, "export", args[0], "-o", str(target), *args[1:])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not target.exists() and list(outdir.iterdir()) == []


def test_ambiguous_ref_lists_candidates(run_cli, sample_store, outdir):
    result = run_cli(
        sample_store, "export", "json", "-o", str(outdir / "x.json"), "--around", "debate"
    )
    assert result.exit_code == 2
    assert "candidate" in result.stderr
    assert not (outdir / "x.json").exists()


def test_output_must_be_a_file_in_an_existing_folder(run_cli, sample_store, outdir):
    result = run_cli(sample_store, "export", "json", "-o", str(outdir))
    assert result.exit_code == 2 and "is a directory" in result.stderr
    result = run_cli(sample_store, "export", "json", "-o", str(outdir / "no" / "x.json"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert list(outdir.iterdir()) == []


def test_output_replaces_a_symlink_not_its_target(run_cli, sample_store, outdir):
    precious = outdir / "precious.txt"
    precious.write_text("keep")
    link = outdir / "map.html"
    link.symlink_to(precious)
    result = run_cli(sample_store, "export", "html", "-o", str(link), "-q")
    assert result.exit_code == 0
    assert precious.read_text() == "keep"
    assert not link.is_symlink() and link.read_text().startswith("<!DOCTYPE html>")
