"""linkgraph export FORMAT -o FILE [selection]: the graph, or a part of it, as a file."""

from __future__ import annotations

import sys
from functools import partial

import typer

from ..export import FORMATS, check_export, export
from ..graph import KINDS, MAX_DEPTH
from ..lookup import MAX_LIMIT
from .app import app
from .options import BOILERPLATE, LINKS_ONLY, PODCAST, SINCE, UNTIL, quiet_flag
from .output import fail, run_query, say

FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: str = typer.Argument(..., metavar="FORMAT", help=FORMAT_HELP),
    output: str = typer.Option(..., "-o", "--output", help="The file to write, or - for stdout."),
    around: str = typer.Option(
        None,
        "--around",
        help="Only the neighbourhood of this work, episode or node id (ego graph).",
    ),
    depth: int = typer.Option(
        None, "--depth", min=0, max=MAX_DEPTH, help="Steps from --around [default: 1]."
    ),
    kind: list[str] = typer.Option(
        None, "--kind", help=f"Only nodes of these kinds ({', '.join(KINDS)}); repeat for several."
    ),
    podcast: str = PODCAST,
    since: str = SINCE,
    until: str = UNTIL,
    min_citations: int = typer.Option(
        0, "--min-citations", min=0, max=MAX_LIMIT, help="Only works cited by at least N episodes."
    ),
    max_nodes: int = typer.Option(
        None, "--max-nodes", min=1, max=MAX_LIMIT, help="At most N nodes, the most cited."
    ),
    include_boilerplate: bool = BOILERPLATE,
    links_only: bool = LINKS_ONLY,
    quiet: bool = quiet_flag(),
) -> None:
    """Export the graph or a selection of it: html, graphml, gexf, json, csv, bibtex, csl-json."""
    target = sys.stdout if output == "-" else output
    kinds = kind or None
    try:
        check_export(fmt, target, kinds=kinds, around=around, depth=depth)
        done = run_query(
            ctx,
            partial(
                export,
                kinds=kinds,
                around=around,
                depth=depth,
                podcast=podcast,
                since=since,
                until=until,
                min_citations=min_citations,
                max_nodes=max_nodes,
                include_boilerplate=include_boilerplate,
            ),
            fmt,
            target,
        )
    except ValueError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{output}: cannot write: {error.strerror or error}")
    if not quiet:
        where = "stdout" if output == "-" else output
        say(
            f"wrote {where}: {fmt}, {done.nodes} nodes, {done.edges} edges, {_size(done.size)}",
            err=True,
        )
        if done.dropped:
            say(
                f"--max-nodes {max_nodes} dropped {done.dropped} nodes (the least cited ones)",
                err=True,
            )


def _size(size: int) -> str:
    return f"{size} bytes" if size < 10_000 else f"{size / 1024:,.0f} KiB"
