"""How the processes linkgraph runs in are set up: its command line and its workers.

A library leaves these to the program that imports it; they are applied only where
linkgraph owns the process (``linkgraph.cli.main``, and worker processes at their start).
"""

from __future__ import annotations

import gc

# New objects between collections of the youngest generation (Python's default is 700);
# then, as Python's, collections of one generation per collection of the next.
GC_THRESHOLDS = (10_000, 10, 10)


def collect_less_often() -> None:
    """Look for reference cycles after every 10,000 new objects instead of Python's 700.

    Reading allocates millions of short-lived objects that form no cycles (parser tokens,
    tree nodes, mentions); at Python's default the collector runs thousands of times per
    10,000 episodes and its full passes walk every cached link, which cost reading a tenth
    to a fifth of its CPU. Cycles are still collected, a little later.
    """
    gc.set_threshold(*GC_THRESHOLDS)
