"""Text from sources reaches the terminal as text: no escape sequence, no markup, no link.

A store is filled with titles, URLs, anchor texts, topics, names and a file name holding
ESC/OSC/CSI sequences, C1 controls, bidi overrides and rich markup; every command that
prints them must show them inert (escaped) and literal (markup as written).
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from linkgraph.cli import app
from linkgraph.store import Store

OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
C1_CSI = "\x9b31m"
MARKUP = "[link=https://evil.example/]click[/link] [/] [bold red]"
EPISODE_URL = "https://pod.example/[link=https://evil.example/]x[/link][/]"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


@pytest.fixture
def poisoned(tmp_path):
    """A store whose every text field carries terminal sequences and markup."""
    notes = tmp_path / f"notes{CLEAR}.md"
    notes.write_text(
        '---\ntitle: "Evil \\e]0;pwned\\a episode \\e[2J \\x9b31m"\n---\n'  # YAML escapes
        f"## Topic {CLEAR} \u202eright-to-left\n\n"
        f"- [A paper {MARKUP}](https://arxiv.org/abs/2303.12642)\n"
        f"- [Second {CLEAR}](https://arxiv.org/abs/1706.03762)\n",
        encoding="utf-8",
    )
    db = tmp_path / "lg.db"
    result = CliRunner().invoke(
        app, ["--db", str(db), "ingest", str(notes), "--url", EPISODE_URL, "--podcast", MARKUP]
    )
    assert result.exit_code == 0, result.output
    with Store(db) as store, store.transaction() as conn:
        conn.execute(
            "UPDATE works SET title = ?, abstract = ?, status = 'resolved'",
            (f"Work {OSC_TITLE} {MARKUP}", f"Abstract {CLEAR}"),
        )
        person = store.person_id(f"Ann {CLEAR} [link=https://evil.example/]Author[/link]")
        conn.execute("INSERT INTO authorships SELECT id, ?, 0 FROM works", (person,))
        conn.execute(
            "INSERT INTO feeds (url, podcast, last_status, last_error) VALUES (?, ?, 'failed', ?)",
            (f"https://feed.example/{CLEAR}", MARKUP, f"boom {OSC_TITLE}"),
        )
    return db


COMMANDS = [
    ["works"],
    ["episodes"],
    ["stats"],
    ["top"],
    ["cites", "arxiv:2303.12642"],
    ["cited-by", "Evil"],
    ["show", "arxiv:2303.12642"],
    ["topics", "Evil"],
    ["author"],
    ["author", "Ann"],
    ["search", "paper"],
    ["cocited", "arxiv:2303.12642"],
    ["related", "Evil"],
    ["path", "arxiv:2303.12642", "arxiv:1706.03762"],
    ["feeds"],
    ["identify", f"https://example.org/{CLEAR}{MARKUP}"],
]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2])[:30])
def test_every_command_prints_source_text_inert_and_literal(poisoned, command):
    result = CliRunner().invoke(app, ["--db", str(poisoned), *command])
    assert result.exit_code == 0, result.output
    assert RAW.search(result.stdout) is None, repr(result.stdout)
    assert RAW.search(result.stderr) is None, repr(result.stderr)
    assert result.stdout.strip()


def test_markup_in_data_is_printed_as_written(poisoned):
    cites = CliRunner().invoke(app, ["--db", str(poisoned), "cites", "arxiv:2303.12642"])
    assert cites.exit_code == 0, cites.output
    assert EPISODE_URL in cites.stdout  # not a hyperlink: the markup is there, literally
    assert "Evil \\x1b]0;pwned\\x07 episode \\x1b[2J \\x9b31m" in cites.stdout
    assert "[link=https://evil.example/]click[/link] [/] [bold red]" in cites.stdout
    shown = CliRunner().invoke(app, ["--db", str(poisoned), "show", "arxiv:2303.12642"])
    assert "Ann \\x1b[2J [link=https://evil.example/]Author[/link]" in shown.stdout


def test_the_ingest_summary_shows_file_names_inert(tmp_path):
    notes = tmp_path / f"notes{CLEAR}.md"
    notes.write_text("[a](https://a.example/)\n")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "lg.db"), "ingest", str(notes)])
    assert result.exit_code == 0
    assert RAW.search(result.stdout) is None and "notes\\x1b[2J.md" in result.stdout


def test_errors_naming_source_text_are_inert(poisoned, tmp_path):
    missing = CliRunner().invoke(app, ["--db", str(poisoned), "cites", f"nothing {CLEAR}"])
    assert missing.exit_code == 2
    assert RAW.search(missing.stderr) is None and "\\x1b[2J" in missing.stderr
    ingest = CliRunner().invoke(
        app, ["--db", str(poisoned), "ingest", str(tmp_path / f"gone{OSC_TITLE}.md")]
    )
    assert ingest.exit_code == 1
    assert RAW.search(ingest.stderr) is None and "gone\\x1b]0;pwned\\x07.md" in ingest.stderr


def test_json_output_escapes_every_control_character(poisoned):
    result = CliRunner().invoke(app, ["--db", str(poisoned), "works", "--json"])
    assert result.exit_code == 0
    assert RAW.search(result.stdout) is None
    (work,) = [w for w in json.loads(result.stdout) if w["id"] == "arxiv:2303.12642"]
    assert work["title"] == f"Work {OSC_TITLE} {MARKUP}"  # the same text to a JSON reader
    episodes = CliRunner().invoke(app, ["--db", str(poisoned), "episodes", "--json"])
    assert RAW.search(episodes.stdout) is None and "\\u009b31m" in episodes.stdout
    assert json.loads(episodes.stdout)[0]["title"] == f"Evil {OSC_TITLE} episode {CLEAR} {C1_CSI}"


def test_a_csv_export_on_standard_output_is_inert_too(poisoned):
    result = CliRunner().invoke(app, ["--db", str(poisoned), "export", "csv", "-o", "-", "-q"])
    assert result.exit_code == 0, result.output
    assert RAW.search(result.stdout.replace("\r\n", "\n")) is None
    assert "Topic \\x1b[2J" in result.stdout
