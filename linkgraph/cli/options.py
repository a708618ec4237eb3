"""The options and arguments several commands share, each declared once.

A command takes one as a default value (``as_json: bool = JSON``); ``json_flag`` and
``quiet_flag`` make the two every command has, with the command's own words for them.
"""

from __future__ import annotations

from typing import Any

import typer

from ..lookup import MAX_LIMIT


def json_flag(help: str = "Print JSON (its shape is documented in the manual).") -> Any:
    """``--json``: print data for scripts instead of text for people."""
    return typer.Option(False, "--json", help=help)


def quiet_flag(help: str = "Say nothing on success.") -> Any:
    """``--quiet`` / ``-q``: no progress and no summary."""
    return typer.Option(False, "--quiet", "-q", help=help)


JSON = json_flag()
LIMIT = typer.Option(20, "--limit", "-n", min=1, max=MAX_LIMIT, help="At most this many rows.")
KIND = typer.Option(None, "--kind", help="Only works of this kind (paper, post, video ...).")
PODCAST = typer.Option(None, "--podcast", help="Only episodes of this podcast (title or words).")
SINCE = typer.Option(
    None,
    "--since",
    help="Only episodes published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
)
UNTIL = typer.Option(None, "--until", help="Only episodes published on or before this date.")
REF = typer.Argument(..., help="A standard id, any URL form of a work, or title words.")
EPISODE = typer.Argument(..., help="An episode URL, guid, episode:<id>, or title words.")
BOILERPLATE = typer.Option(
    False,
    "--include-boilerplate",
    help="Count the show's own furniture too (sponsors, support and social links, its site).",
)
WORKERS = typer.Option(
    None,
    "--workers",
    "-w",
    min=1,
    max=1024,
    help="Worker processes that read sources (default: every core when there are more "
    "than a few sources; 1 reads them in this process).",
)
DASK = typer.Option(
    None,
    "--dask",
    envvar="LINKGRAPH_DASK",
    help="Read sources on the workers of this Dask scheduler (tcp://HOST:8786) instead; "
    "they must reach the sources (URLs, or paths on a shared file system).",
)


def _remember_links_only(ctx: typer.Context, value: bool) -> bool:
    """Tell ``open_store`` to show links only (no spoken mentions) in this command."""
    ctx.ensure_object(dict)["links_only"] = value
    return value


LINKS_ONLY = typer.Option(
    False,
    "--links-only",
    callback=_remember_links_only,
    help="Leave out the works transcripts were found to speak of (spoken mentions).",
)
