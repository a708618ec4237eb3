"""Two processes ingesting and resolving into one database at the same time.

Each process runs a list of commands through the real command-line entry point; both start
together (after their imports) on a database that does not exist yet, and share its HTTP
cache. Neither may meet "database is locked", and the database they leave must hold what
running the same commands one after the other leaves (except how many times each work
was tried: both processes may try the same one).

``LINKGRAPH_CONCURRENCY_ROUNDS`` sets how many times the race is run (default 1).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.db import check_integrity, differences, snapshot
from support.web import Web, write_corpus

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("LINKGRAPH_CONCURRENCY_ROUNDS", "1"))

# Runs commands in order once the go-file appears; prints each one's exit status and times.
_WORKER = """
import os, sys, time
from linkgraph.cli import app
db, go, commands = sys.argv[1], sys.argv[2], sys.argv[3:]
while not os.path.exists(go):
    time.sleep(0.005)
for command in " ".join(commands).split(" ;; "):
    started = time.time()
    status = app(args=["--db", db, *command.split()], prog_name="linkgraph",
                 standalone_mode=False)
    print(f"EXIT {status or 0} {started:.3f} {time.time():.3f} {command}", flush=True)
"""


@pytest.fixture(scope="module")
def web():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield Web(server, latency=0.002)
    server.stop()


@pytest.fixture(scope="module")
def corpora(web, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpora")
    for name, seed in (("a", 1), ("b", 2), ("shared", 3)):
        write_corpus(root / name, web, name, files=16, links=12, seed=seed)
    return {name: root / name for name in ("a", "b", "shared")}


def plans(corpora: dict[str, Path]) -> list[list[str]]:
    """What each of the two processes does, in order."""
    a, b, shared = (str(corpora[n]) for n in ("a", "b", "shared"))
    return [
        [f"ingest --quiet {a}", "resolve --quiet", f"ingest --quiet {shared}", "resolve --quiet"],
        [f"ingest --quiet {b}", f"ingest --quiet {shared}", "resolve --quiet", "resolve --quiet"],
    ]


def start_worker(db: Path, go: Path, commands: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _WORKER, str(db), str(go), " ;; ".join(commands)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def run_sequentially(db: Path, commands: list[str], env: dict) -> None:
    go = db.with_suffix(".go")
    go.touch()
    worker = start_worker(db, go, commands, env)
    out, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err


@pytest.fixture(scope="module")
def expected(web, corpora, tmp_path_factory) -> dict:
    """The database the same commands leave when they run one after the other."""
    db = tmp_path_factory.mktemp("sequential") / "lg.db"
    first, second = plans(corpora)
    run_sequentially(db, first + second, web.env(cache=True))
    return snapshot(db, attempts=False)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_processes_ingest_and_resolve_at_once(web, corpora, expected, tmp_path, round_number):
    db, go = tmp_path / "lg.db", tmp_path / "go"
    env = web.env(cache=True)
    workers = [start_worker(db, go, commands, env) for commands in plans(corpora)]
    time.sleep(0.2)
    go.touch()
    outputs = [worker.communicate(timeout=600) for worker in workers]
    spans = []
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert "database is locked" not in err + out
        assert worker.returncode == 0, err
        runs = [line.split(maxsplit=4)[1:] for line in out.splitlines() if line.startswith("EXIT")]
        assert len(runs) == 4 and {r[0] for r in runs} <= {"0", "1"}, out + err  # 1: 404 pages
        spans.append([(float(r[1]), float(r[2])) for r in runs])
    overlap = sum(max(0.0, min(b1, b2) - max(a1, a2)) for a1, b1 in spans[0] for a2, b2 in spans[1])
    print(f"the two processes overlapped for {overlap:.2f} s")
    assert overlap > 0.5  # they really ran at the same time
    check_integrity(db)
    diff = differences(snapshot(db, attempts=False), expected)
    assert not diff, diff
