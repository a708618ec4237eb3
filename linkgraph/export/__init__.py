"""Exports of a graph selection: ``export`` (what ``linkgraph export`` does), the registry
of formats, and a writer that never leaves a half-written file::

    from linkgraph import Store, export
    with Store("linkgraph.db") as store:
        export(store, "graphml", "map.graphml", around="arxiv:1706.03762", depth=2)

Each format renders a graph (and, for formats that need more than the graph, the store)
to text: ``render("graphml", graph, store)``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..graph import KINDS, build_graph, graph_around, node_for_ref, select
from ..store import Store


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


@dataclass(frozen=True)
class Exported:
    """What ``export`` wrote: the format, the selection's size, and how many bytes."""

    format: str
    nodes: int
    edges: int
    size: int  # bytes written
    dropped: int  # nodes ``max_nodes`` left out


def check_export(
    format: str,
    path: str | Path | IO[str] | None = None,
    *,
    kinds: set[str] | list[str] | None = None,
    around: str | None = None,
    depth: int | None = None,
) -> None:
    """Refuse, with a ValueError naming the problem, what ``export`` cannot do, before any
    work: an unknown format or kind, a depth without a centre, a path that cannot be written."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of: {', '.join(FORMATS)}")
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise ValueError(f"--kind {unknown[0]!r}: choose from {', '.join(KINDS)}")
    if depth is not None and around is None:
        raise ValueError("--depth needs --around")
    if isinstance(path, (str, Path)):
        target = Path(path)
        if target.is_dir():
            raise ValueError(f"{target}: is a directory; give a file name")
        if not target.parent.is_dir():
            raise ValueError(f"{target}: folder {target.parent} does not exist")


def export(
    store: Store,
    format: str,
    path: str | Path | IO[str],
    *,
    around: str | None = None,
    depth: int | None = None,
    kinds: set[str] | list[str] | None = None,
    podcast: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_citations: int = 0,
    max_nodes: int | None = None,
    include_boilerplate: bool = False,
) -> Exported:
    """Write the graph of ``store``, or a selection of it, to ``path`` (a file name, written
    atomically, or an open text stream) in ``format`` (see ``FORMATS``).

    The selection is ``graph.select``'s: ``around`` names a work, an episode or a node id
    (``depth`` steps around it, 1 by default; read from the store around it unless the
    other filters need the whole graph), ``kinds`` keeps node kinds, ``podcast``,
    ``since`` and ``until`` choose episodes, ``min_citations`` and ``max_nodes`` thin the
    works. Boilerplate citations count only with ``include_boilerplate``. Raises ValueError
    (bad options), ``lookup.RefError`` (a reference naming nothing or several things) and
    OSError (the file cannot be written).
    """
    check_export(format, path, kinds=kinds, around=around, depth=depth)
    depth = 1 if depth is None else depth
    near = None
    if around is not None and not (podcast or since or until or min_citations):
        # a selection of what lies near one node: read just that
        near = graph_around(store, around, depth, include_boilerplate=include_boilerplate)
    centre: str | None
    if near is not None:
        graph, centre = near
    else:
        graph = build_graph(store, include_boilerplate=include_boilerplate)
        centre = node_for_ref(store, graph, around) if around is not None else None
    selected, dropped = select(
        graph,
        around=centre,
        depth=depth,
        kinds=set(kinds) if kinds else None,
        podcast=podcast,
        since=since,
        until=until,
        min_citations=min_citations,
        max_nodes=max_nodes,
    )
    text = render(format, selected, store)
    if isinstance(path, (str, Path)):
        size = write_atomic(path, text)
    else:
        path.write(text)
        size = len(text.encode("utf-8"))
    return Exported(format, selected.number_of_nodes(), selected.number_of_edges(), size, dropped)


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


__all__ = ["FORMATS", "Exported", "Format", "check_export", "export", "render", "write_atomic"]
