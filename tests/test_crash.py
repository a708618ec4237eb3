"""Crash safety: ingest, resolve and update killed with SIGKILL at random points of their work.

Each trial starts from the same database, runs the command and kills it (once or twice) at
a random point of its work, checks ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``
after every kill, then runs the command again to the end and compares the database, by
content and not by ids, with the one an uninterrupted run made. The command runs in a
forked child of this process, through the same entry point as the ``linkgraph`` script, so
a trial does not pay the interpreter's start-up time.

A point of work is counted, not timed, so every kill lands while the command runs: resolve
and update are killed by the loopback web while it answers their k-th request (the command
waits for that answer), ingest once k of its episodes are stored.

``LINKGRAPH_CRASH_TRIALS`` sets the trials per command (default 4; the full run uses 25);
``LINKGRAPH_CRASH_SEED`` fixes the first seed to replay a trial. Seeds are printed.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.db import check_integrity, copy_db, differences, snapshot
from support.web import Web, rss, write_corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork() and SIGKILL"
    ),
]
TRIALS = int(os.environ.get("LINKGRAPH_CRASH_TRIALS", "4"))
FIRST_SEED = int(os.environ.get("LINKGRAPH_CRASH_SEED", random.randrange(10**6)))
RUN_TIMEOUT = 120.0


# ---- running a command in a forked child ---------------------------------------------------


def _cli_child(argv: list[str], env: dict[str, str], log: str) -> None:
    from linkgraph.cli import app

    os.environ.update(env)
    out = open(log, "w")  # noqa: SIM115 (lives as long as the child)
    os.dup2(out.fileno(), 1)
    os.dup2(out.fileno(), 2)
    sys.stdout = sys.stderr = out
    app(args=argv, prog_name="linkgraph")


def start(argv: list[str], env: dict[str, str], log: Path) -> multiprocessing.Process:
    """Start ``linkgraph ARGV`` in a forked child."""
    child = multiprocessing.get_context("fork").Process(
        target=_cli_child, args=(argv, env, str(log)), daemon=True
    )
    child.start()
    return child


def run_to_end(argv: list[str], env: dict[str, str], log: Path) -> tuple[int, float]:
    """Run ``linkgraph ARGV`` to its end; its exit status and wall time."""
    started = time.monotonic()
    child = start(argv, env, log)
    child.join(RUN_TIMEOUT)
    if child.exitcode is None:
        child.kill()
        child.join()
        pytest.fail(f"linkgraph {' '.join(argv)} took over {RUN_TIMEOUT} s:\n{log.read_text()}")
    return child.exitcode, time.monotonic() - started


class KillAtRequest:
    """Kills the command while the loopback web answers its k-th request (it is waiting)."""

    def __init__(self, web: Web):
        self.pid: int | None = None
        self.countdown = 0
        self.killed = False
        self._armed = threading.Event()
        web.on_request = self._on_request

    def arm(self, pid: int, k: int) -> None:
        self.pid, self.countdown, self.killed = pid, k, False
        self._armed.set()

    def disarm(self) -> None:
        self._armed.clear()
        self.pid = None

    def _on_request(self) -> None:
        if not self._armed.is_set() or self.pid is None:
            return
        self.countdown -= 1
        if self.countdown == 0:
            os.kill(self.pid, signal.SIGKILL)
            self.killed = True


def run_and_kill(argv: list[str], env: dict[str, str], log: Path, kill: Callable) -> bool:
    """Start ``linkgraph ARGV`` and have ``kill(child)`` kill it; True when it was running."""
    child = start(argv, env, log)
    landed = kill(child)
    child.join(RUN_TIMEOUT)
    assert child.exitcode is not None, f"linkgraph {' '.join(argv)} was neither killed nor done"
    return landed


def episodes_in(db: Path) -> int:
    """How many episodes a store holds now (0 before it has its tables)."""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM episodes").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def kill_once_stored(db: Path, episodes: int) -> Callable:
    """A killer that SIGKILLs the command once ``episodes`` episodes are stored."""

    def kill(child: multiprocessing.process.BaseProcess) -> bool:
        while child.is_alive() and episodes_in(db) < episodes:
            child.join(0.002)
        if not child.is_alive():
            return False
        os.kill(child.pid, signal.SIGKILL)
        return True

    return kill


def kill_at_request(killer: KillAtRequest, k: int) -> Callable:
    """A killer that has the loopback web SIGKILL the command at its k-th request."""

    def kill(child: multiprocessing.process.BaseProcess) -> bool:
        killer.arm(child.pid, k)
        child.join(RUN_TIMEOUT)
        killer.disarm()
        return killer.killed

    return kill


# ---- the scenarios -----------------------------------------------------------------------


@dataclass
class Scenario:
    """A command, the database it starts from, and what an uninterrupted run leaves."""

    name: str
    argv: list[str]  # after --db
    start: Path
    expected: dict
    seconds: float
    statuses: tuple[int, ...]  # acceptable exit statuses of a run to the end
    requests: int  # requests an uninterrupted run makes (0: it works offline)
    episodes: int  # episodes the store holds at the end


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The loopback web, a corpus, and one scenario per command."""
    root = tmp_path_factory.mktemp("crash")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    web = Web(server, latency=0.003)
    env = web.env(cache=True)
    write_corpus(root / "corpus", web, "c", files=24, links=16, seed=7)
    for n in range(4):
        web.feeds[f"f{n}.xml"] = rss(f"Show {n}", _feed_items(n, web, version=1))
    scenarios = {}

    def prepare(name: str, argv: list[str], start: Path, statuses: tuple[int, ...]) -> None:
        db = root / f"reference-{name}.db"
        copy_db(start, db)
        asked = len(web.paths())
        status, seconds = run_to_end(["--db", str(db), *argv], env, root / f"{name}.log")
        assert status in statuses, (root / f"{name}.log").read_text()
        check_integrity(db)
        scenarios[name] = Scenario(
            name,
            argv,
            start,
            snapshot(db),
            seconds,
            statuses,
            len(web.paths()) - asked,
            episodes_in(db),
        )

    empty = root / "empty.db"
    sqlite3.connect(empty).close()
    prepare("ingest", ["ingest", str(root / "corpus")], empty, (0,))
    prepare("resolve", ["resolve", "--quiet"], root / "reference-ingest.db", (0, 1))
    polled = root / "polled.db"
    feeds = [web.feed_url(f"f{n}.xml") for n in range(4)]
    run_to_end(["--db", str(polled), "ingest", *feeds], env, root / "feeds.log")
    for n in range(4):  # the feeds change after they were first ingested
        web.feeds[f"f{n}.xml"] = rss(f"Show {n}", _feed_items(n, web, version=2))
    prepare("update", ["update", "--quiet"], polled, (0,))
    yield {"root": root, "env": env, "scenarios": scenarios, "killer": KillAtRequest(web)}
    server.stop()


def _feed_items(number: int, web: Web, version: int) -> list:
    """A feed's items; the second version edits one item, drops one link and adds an item."""
    items = [
        (
            f"f{number}-{k}",
            f"Show {number} episode {k}",
            [
                (f"https://arxiv.org/abs/2302.{number * 10 + k:05d}", f"Paper {k}"),
                (web.page_url(f"c-p{number * 7 + k}"), f"Post {k}"),
                (f"https://arxiv.org/abs/2301.{k:05d}", "A shared paper"),
            ],
        )
        for k in range(6)
    ]
    if version == 2:
        guid, title, links = items[0]
        items[0] = (guid, title + " (edited)", links[1:] + [(web.page_url("c-p40"), "New")])
        items.append((f"f{number}-6", "A new episode", [(web.page_url("c-p41"), "Newest")]))
    return items


@pytest.mark.parametrize("name", ["ingest", "resolve", "update"])
def test_a_killed_command_finishes_on_the_next_run_with_nothing_lost(world, name):
    scenario: Scenario = world["scenarios"][name]
    root: Path = world["root"]
    print(
        f"\n{name}: uninterrupted run {scenario.seconds:.2f} s; {TRIALS} trials from seed "
        f"{FIRST_SEED} (LINKGRAPH_CRASH_SEED={FIRST_SEED} replays them)"
    )
    landed = 0
    for trial in range(TRIALS):
        seed = FIRST_SEED + trial
        rng = random.Random(seed)
        db = root / f"trial-{name}.db"
        copy_db(scenario.start, db)
        for stale in root.glob(f"{db.name}.http-cache.sqlite*"):  # each trial asks the web anew
            stale.unlink()
        argv = ["--db", str(db), *scenario.argv]
        kills = rng.choice((1, 1, 2))
        if scenario.requests:
            # the first kill at a request an uninterrupted run makes; a run after a kill makes
            # at least one: it asks again what the killed run never heard the answer to
            first = rng.randint(1, max(1, scenario.requests // 2))
            moments = [first, 1][:kills]
            killers = [kill_at_request(world["killer"], k) for k in moments]
        else:
            before = episodes_in(db)
            moments = sorted(
                rng.randint(before + 1, before + max(1, (scenario.episodes - before) // 2))
                for _ in range(kills)
            )
            killers = [kill_once_stored(db, count) for count in moments]
        for kill in killers:
            landed += run_and_kill(argv, world["env"], root / f"{name}-killed.log", kill)
            check_integrity(db)
        status, _ = run_to_end(argv, world["env"], root / f"{name}-rerun.log")
        at = "request" if scenario.requests else "stored episode"
        print(f"  seed {seed}: killed at {at} {', '.join(map(str, moments))}, rerun exit {status}")
        assert status in scenario.statuses, (root / f"{name}-rerun.log").read_text()
        check_integrity(db)
        diff = differences(snapshot(db), scenario.expected)
        assert not diff, f"seed {seed}, killed at {moments}:\n{diff}"
    print(f"  {landed} kills landed while the command was running")
    assert landed >= TRIALS  # every trial killed a running command at least once


def test_a_follow_up_lookup_cut_short_is_made_by_the_next_run(tmp_path, httpserver):
    """Kill resolve exactly when it asks arXiv about the id a page revealed."""
    from support.web import arxiv_atom, page_html
    from werkzeug.wrappers import Response

    running: list[int] = []

    def arxiv(request):
        if running:  # the first time: the process dies before it hears the answer
            os.kill(running.pop(), signal.SIGKILL)
        ids = request.args.get("id_list", "").split(",")
        return Response(arxiv_atom(ids), content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(arxiv)
    httpserver.expect_request("/pages/p").respond_with_data(
        page_html("A page", arxiv_id="2301.00042"), content_type="text/html"
    )
    from linkgraph.model import Episode, Mention
    from linkgraph.store import Store

    db = tmp_path / "lg.db"
    with Store(db) as store:
        store.save_episodes(
            [Episode("One", "one.md", mentions=[Mention(httpserver.url_for("/pages/p"), "A page")])]
        )
    env = Web(httpserver).env()
    child = start(["--db", str(db), "resolve", "--quiet"], env, tmp_path / "killed.log")
    running.append(child.pid)
    child.join(RUN_TIMEOUT)
    assert child.exitcode == -signal.SIGKILL
    run_to_end(["--db", str(db), "resolve", "--quiet"], env, tmp_path / "rerun.log")
    with Store(db) as store:
        assert store.query("SELECT title, status FROM works") == [
            {"title": "Paper number 2301.00042", "status": "resolved"}
        ]
