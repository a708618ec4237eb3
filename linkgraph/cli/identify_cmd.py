"""linkgraph identify: what a URL or identifier points to."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import typer

from ..identify import identify as identify_text
from .app import app
from .options import json_flag
from .output import print_json_lines, say


def _inputs(arguments: list[str]) -> Iterator[str]:
    """The arguments, each ``-`` standing for the lines of standard input (blank ones skipped)."""
    for argument in arguments:
        if argument == "-":
            lines = (raw.decode("utf-8", "replace").strip() for raw in sys.stdin.buffer)
            yield from (line for line in lines if line)
        else:
            yield argument


@app.command()
def identify(
    inputs: list[str] = typer.Argument(
        ..., help="URLs or identifiers (arXiv ids, DOIs ...); - reads them from stdin, one a line."
    ),
    json: bool = json_flag("One JSON object per line."),
) -> None:
    """Tell what each URL or identifier points to: standard id, kind, canonical URL."""
    found = (identify_text(text) for text in _inputs(inputs))
    if json:
        print_json_lines(
            {
                k: getattr(f, k)
                for k in ("input", "id", "scheme", "version", "kind", "canonical_url")
            }
            for f in found
        )
        return
    for f in found:
        version = f" (version {f.version})" if f.version else ""
        say(f.input)
        say(f"  id: {f.id or '-'}{version}")
        say(f"  kind: {f.kind}")
        say(f"  canonical: {f.canonical_url or '- (not an http(s) link)'}")
