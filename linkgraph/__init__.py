"""linkgraph: podcast show notes, transcripts and feeds -> a research-link knowledge graph.

The Python API mirrors the command line, one function a command::

    from linkgraph import IngestOptions, Store, export, ingest, query, resolve
    with Store("linkgraph.db") as store:
        ingest(store, ["notes/"], IngestOptions(podcast="AXRP"))   # linkgraph ingest
        resolve(store)                                             # linkgraph resolve
        print(query.cites(store, "arxiv:2303.12642"))              # linkgraph cites
        export(store, "html", "map.html", around="arxiv:2303.12642")  # linkgraph export

``identify`` answers ``linkgraph identify``, ``update`` ``linkgraph update``,
``find_spoken`` ``linkgraph spoken`` (``Store.show_spoken`` is ``--links-only``); the questions
(``stats``, ``cites``, ``top``, ``show``, ``path`` ...) are the functions of ``query`` of the
same names; ``build_graph`` and ``select`` give the graph and a selection of it as networkx.
"""

from . import query
from .export import export
from .graph import build_graph, select
from .identify import identify
from .ingest import IngestOptions, ingest
from .lookup import RefError
from .model import Episode, Identified, Mention, Person, Segment, Topic
from .resolve import resolve
from .spoken.detect import find_spoken
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
    "Segment",
    "Store",
    "Topic",
    "build_graph",
    "export",
    "find_spoken",
    "identify",
    "ingest",
    "query",
    "resolve",
    "select",
    "update",
    "__version__",
]
