"""linkgraph export FORMAT -o FILE [selection]: the graph, or a part of it, as a file."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from ..export import FORMATS, render, write_atomic
from ..graph import KINDS, MAX_DEPTH, build_graph, node_for_ref, select
from ..lookup import MAX_LIMIT
from . import app
from .graph_cmd import BOILERPLATE
from .output import fail, run_query, say

FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


@app.command("export")
def export(
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
    podcast: str = typer.Option(None, "--podcast", help="Only episodes of this podcast."),
    since: str = typer.Option(
        None,
        "--since",
        help="Only episodes published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    ),
    until: str = typer.Option(
        None, "--until", help="Only episodes published on or before this date."
    ),
    min_citations: int = typer.Option(
        0, "--min-citations", min=0, max=MAX_LIMIT, help="Only works cited by at least N episodes."
    ),
    max_nodes: int = typer.Option(
        None, "--max-nodes", min=1, max=MAX_LIMIT, help="At most N nodes, the most cited."
    ),
    include_boilerplate: bool = BOILERPLATE,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Say nothing on success."),
) -> None:
    """Export the graph or a selection of it: html, graphml, gexf, json, csv, bibtex, csl-json."""
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    unknown = sorted(set(kind or ()) - set(KINDS))
    if unknown:
        fail(f"--kind {unknown[0]!r}: choose from {', '.join(KINDS)}")
    if depth is not None and around is None:
        fail("--depth needs --around")
    if output != "-":
        _check_target(Path(output))

    def run(store):
        graph = build_graph(store, include_boilerplate=include_boilerplate)
        centre = node_for_ref(store, graph, around) if around is not None else None
        selected, dropped = select(
            graph,
            around=centre,
            depth=1 if depth is None else depth,
            kinds=set(kind) if kind else None,
            podcast=podcast,
            since=since,
            until=until,
            min_citations=min_citations,
            max_nodes=max_nodes,
        )
        return selected, dropped, render(fmt, selected, store)

    selected, dropped, text = run_query(ctx, run)
    if output == "-":
        sys.stdout.write(text)
        size = len(text.encode("utf-8"))
    else:
        try:
            size = write_atomic(output, text)
        except OSError as error:
            fail(f"{output}: cannot write: {error.strerror or error}")
    if not quiet:
        where = "stdout" if output == "-" else output
        say(
            f"wrote {where}: {fmt}, {selected.number_of_nodes()} nodes, "
            f"{selected.number_of_edges()} edges, {_size(size)}",
            err=True,
        )
        if dropped:
            say(f"--max-nodes {max_nodes} dropped {dropped} nodes (the least cited ones)", err=True)


def _check_target(path: Path) -> None:
    """Fail early, before any work, when the output path cannot be written."""
    if path.is_dir():
        fail(f"{path}: is a directory; give a file name")
    if not path.parent.is_dir():
        fail(f"{path}: folder {path.parent} does not exist")


def _size(size: int) -> str:
    return f"{size} bytes" if size < 10_000 else f"{size / 1024:,.0f} KiB"
