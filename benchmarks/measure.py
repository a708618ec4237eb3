"""Running ``linkgraph`` in a child process, measured: exit status, wall seconds, peak RSS.

The child's own peak resident set size comes from ``wait4``'s resource usage, so what the
benchmark process itself holds never counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


@dataclass
class Measured:
    """One run of the command line."""

    status: int
    seconds: float
    peak_mib: float
    stderr: str


def run_linkgraph(args: list[str]) -> Measured:
    """Run ``linkgraph ARGS`` (stdout discarded) and measure it."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "linkgraph", *args], stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    return Measured(process.returncode, seconds, usage.ru_maxrss / 1024, stderr)
