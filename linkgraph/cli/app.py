"""The typer application every command module registers its commands on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

# The commands in the order `linkgraph --help` lists them: the flow from sources to exports.
COMMANDS = (
    "ingest",
    "identify",
    "stats",
    "cites",
    "cited-by",
    "resolve",
    "spoken",
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

    def list_commands(self, ctx: Any) -> list[str]:  # typer's own click Context, or click's
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
