"""Exports of a graph selection: the registry of formats, and a writer that never leaves
a half-written file.

Each format renders a graph (and, for formats that need more than the graph, the store)
to text::

    from linkgraph.export import render, write_atomic
    text = render("graphml", graph, store)
    write_atomic("map.graphml", text)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx


@dataclass(frozen=True)
class Format:
    """An export format: its name, file suffix, and the function that renders it."""

    name: str
    suffix: str
    description: str
    module: str  # in linkgraph.export, imported on first use
    function: str

    def render(self, graph: nx.DiGraph, store: Any = None) -> str:
        """The graph in this format, as text."""
        module = importlib.import_module(f"{__name__}.{self.module}")
        return getattr(module, self.function)(graph, store)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", ".html", "interactive map, one self-contained page", "html", "render_html"),
        Format(
            "graphml", ".graphml", "GraphML for Gephi, Cytoscape, yEd", "formats", "render_graphml"
        ),
        Format("gexf", ".gexf", "GEXF 1.2 for Gephi", "formats", "render_gexf"),
        Format("json", ".json", "networkx node-link JSON", "formats", "render_json"),
        Format("csv", ".csv", "one row per mention", "formats", "render_csv"),
        Format("bibtex", ".bib", "BibTeX entries of the works", "bib", "render_bibtex"),
        Format(
            "csl-json", ".json", "CSL-JSON items of the works (Zotero)", "bib", "render_csl_json"
        ),
    )
}


def render(name: str, graph: nx.DiGraph, store: Any = None) -> str:
    """The graph in the named format; KeyError names the known formats."""
    try:
        fmt = FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(FORMATS)}") from None
    return fmt.render(graph, store)


def write_atomic(path: str | Path, text: str) -> int:
    """Write text (UTF-8) to path through a temporary file beside it; returns bytes written.

    The file appears complete or not at all. Only ``path`` is written: a symlink there is
    replaced, not followed, and missing folders are not created.
    """
    path = Path(path)
    data = text.encode("utf-8")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory")
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return len(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["FORMATS", "Format", "render", "write_atomic"]
