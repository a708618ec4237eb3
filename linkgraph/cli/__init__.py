"""The command line: a thin layer that parses arguments, calls the API and prints.

``app.py`` holds the typer application; each ``*_cmd`` module, one a step of the flow,
registers its commands on it when imported here.
"""

from __future__ import annotations

from ..runtime import collect_less_often

# Importing a command module registers its commands.
from . import (  # noqa: F401
    export_cmd,
    identify_cmd,
    ingest_cmd,
    query_cmd,
    resolve_cmd,
    spoken_cmd,
    update_cmd,
)
from .app import COMMANDS, app
from .output import EXIT_USAGE, fail


def main() -> None:
    """Entry point of the ``linkgraph`` console script."""
    collect_less_often()
    try:
        app()
    except KeyboardInterrupt:
        fail("interrupted", status=130)


__all__ = ["COMMANDS", "app", "main", "EXIT_USAGE"]
