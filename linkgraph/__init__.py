"""linkgraph: podcast show notes, transcripts and feeds -> a research-link knowledge graph.

The Python API mirrors the command line::

    from linkgraph import Store, ingest, IngestOptions, identify, query
    with Store("linkgraph.db") as store:
        ingest(store, ["notes/"], IngestOptions(podcast="AXRP"))
        print(query.cites(store, "arxiv:2303.12642"))
"""

from . import query
from .identify import identify
from .ingest import IngestOptions, ingest
from .model import Episode, Identified, Mention, Person, Topic
from .store import Store
from .version import __version__

__all__ = [
    "Episode",
    "Identified",
    "IngestOptions",
    "Mention",
    "Person",
    "Store",
    "Topic",
    "identify",
    "ingest",
    "query",
    "__version__",
]
