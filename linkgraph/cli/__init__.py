"""The command line: a thin layer that parses arguments, calls the API and prints.

Each ``*_cmd`` module in this package registers its commands on ``app``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import click
import typer
from typer.core import TyperGroup

from .output import EXIT_USAGE, fail

# The commands in the order `linkgraph --help` lists them: the flow from sources to exports.
COMMANDS = (
    "ingest",
    "identify",
    "stats",
    "cites",
    "cited-by",
    "resolve",
    "show",
    "top",
    "related",
    "cocited",
    "author",
    "search",
    "path",
    "episodes",
    "works",
    "topics",
    "export",
    "update",
    "feeds",
)


class _InFlowOrder(TyperGroup):
    """A command group that lists its commands in the order of ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(super().list_commands(ctx), key=COMMANDS.index)


app = typer.Typer(
    cls=_InFlowOrder,
    help="Turn podcast show notes, transcripts and feeds into a research-link knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Path = typer.Option(
        None, "--db", envvar="LINKGRAPH_DB", help="The SQLite file  [default: linkgraph.db]"
    ),
) -> None:
    """Global options, given before the command."""
    ctx.obj = {"db": db or Path(os.environ.get("LINKGRAPH_DB") or "linkgraph.db")}


# One module a step of the flow; each registers its commands on ``app``.
_COMMAND_MODULES = (
    "ingest_cmd",
    "identify_cmd",
    "query_cmd",
    "resolve_cmd",
    "export_cmd",
    "update_cmd",
)


def _register() -> None:
    """Import the command modules: each adds its commands to ``app``."""
    for module in _COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{module}")


_register()


def main() -> None:
    """Entry point of the ``linkgraph`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted", status=130)


__all__ = ["app", "main", "EXIT_USAGE"]
