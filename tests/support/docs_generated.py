"""The manual's generated pages: the command-line reference and the site's home page.

docs/cli.md holds a cog block that calls ``cli_reference()`` (every command's ``--help``),
docs/index.md one that calls ``home_page()`` (the README, its links made relative to docs/).
``cog -r -I tests/support docs/cli.md docs/index.md`` writes them; ``cog --check`` (CI) and
tests/test_docs.py fail when a page no longer matches what it is made from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from linkgraph.cli import app

ROOT = Path(__file__).resolve().parents[2]
WIDTH = 88  # columns the help is wrapped at, whatever the terminal


def commands() -> list[tuple[str, ...]]:
    """Every command path, in the order ``linkgraph --help`` lists them (groups, then theirs)."""
    found: list[tuple[str, ...]] = [()]

    def walk(command: Any, path: tuple[str, ...]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def help_text(path: tuple[str, ...]) -> str:
    """``linkgraph PATH --help``, as printed on a terminal WIDTH columns wide."""
    result = CliRunner().invoke(
        app, [*path, "--help"], prog_name="linkgraph", terminal_width=WIDTH, color=False
    )
    if result.exit_code != 0:
        raise RuntimeError(f"linkgraph {' '.join(path)} --help failed: {result.output}")
    return result.output


def cli_reference() -> str:
    """The markdown of the reference: a section per command, its help in a text block."""
    parts = []
    for path in commands():
        name = " ".join(("linkgraph", *path))
        parts.append(f"## {name}\n\n```text\n$ {name} --help\n{help_text(path).rstrip()}\n```\n")
    return "\n".join(parts)


def home_page() -> str:
    """The README as the site's home page: links into docs/ made relative to it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.sub(r"\]\(docs/", "](", readme)
