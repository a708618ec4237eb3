"""linkgraph: podcast show notes, transcripts and feeds -> a research-link knowledge graph.

The Python API mirrors the command line, one function a command::

    from linkgraph import IngestOptions, Store, export, ingest, query, resolve
    with Store("linkgraph.db") as store:
        ingest(store, ["notes/"], IngestOptions(podcast="AXRP"))   # linkgraph ingest
        resolve(store)                                             # linkgraph resolve
        print(query.cites(store, "arxiv:2303.12642"))              # linkgraph cites
        export(store, "html", "map.html", around="arxiv:2303.12642")  # linkgraph export

``identify`` answers ``linkgraph identify``, ``update`` ``linkgraph update``; the questions
(``stats``, ``cites``, ``top``, ``show``, ``path`` ...) are the functions of ``query`` of the
same names; ``build_graph`` and ``select`` give the graph and a selection of it as networkx.
"""

from . import query
from .export import export
from .graph import build_graph, select
from .identify import identify
from .ingest import IngestOptions, ingest
from .lookup import RefError
from .model import Episode, Identified, Mention, Person, Topic
from .resolve import resolve
from .store import Store
from .update import update
from .version import __version__

__all__ = [
    "Episode",
    "Identified",
    "IngestOptions",
    "Mention",
    "Person",
    "RefError",
    "Store",
    "Topic",
    "build_graph",
    "export",
    "identify",
    "ingest",
    "query",
    "resolve",
    "select",
    "update",
    "__version__",
]
