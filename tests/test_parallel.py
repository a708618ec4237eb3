"""Parallel ingest: workers read, one writer stores, and the store is a one-worker store.

The same sources go through ``ingest`` (one process) and through ``ingest_parallel`` with
a local process pool and with a real Dask cluster; the stores must match row for row, ids
included: transcripts, their segments and the spoken citations found in them too. Workers
that die and sources that hang are retried once, then reported failed, and nothing else is
lost.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import asdict
from pathlib import Path

import pytest
from support.db import rows_with_ids
from support.parallel import read_or_die, set_up
from support.web import Web, list_transcripts, rss
from werkzeug.wrappers import Request, Response

from linkgraph.ingest import IngestOptions, ingest
from linkgraph.parallel import (
    COMMIT_WITHIN,
    BatchWriter,
    Executor,
    LocalPool,
    SourceJob,
    in_order,
    ingest_parallel,
    read_jobs,
)
from linkgraph.parallel import writer as writer_module
from linkgraph.parallel.work import WORKER_NICENESS
from linkgraph.parallel.writer import BATCH_SOURCES, batched
from linkgraph.runtime import GC_THRESHOLDS
from linkgraph.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def one_process(tmp_path: Path, sources: list[str], name: str = "one.db") -> tuple[Path, list]:
    db = tmp_path / name
    with Store(db) as store:
        reports = ingest(store, sources, IngestOptions())
    return db, [asdict(r) for r in reports]


def in_parallel(tmp_path: Path, sources: list[str], executor: Executor, **kwargs) -> tuple:
    db = tmp_path / "parallel.db"
    with Store(db) as store:
        reports = ingest_parallel(store, sources, IngestOptions(), executor, **kwargs)
    return db, [asdict(r) for r in reports]


def notes(folder: Path, count: int) -> list[str]:
    """``count`` markdown notes citing overlapping works (so later ones reuse earlier rows)."""
    folder.mkdir(exist_ok=True)
    for n in range(count):
        links = "".join(
            f"- [Paper {k}](https://arxiv.org/abs/2301.{k:05d}) and [post](https://b.example/{k})\n"
            for k in range(n % 7, n % 7 + 5)
        )
        (folder / f"{n:03d}.md").write_text(f"# Episode {n}\n\n{links}")
    return sorted(str(p) for p in folder.iterdir())


HANG = 3  # seconds a source may take in the tests of hanging sources
PATIENT = 600  # ... in the others, where a large real feed on a busy machine is no hang


@pytest.fixture(scope="module")
def pool():
    with LocalPool(2, timeout=PATIENT) as executor:
        yield executor


def set_up_worker() -> tuple[int, tuple[int, int, int]]:
    """What a worker of this process runs with: a niceness below the writer's, and the
    garbage collector's thresholds linkgraph sets."""
    return min(19, os.nice(0) + WORKER_NICENESS), GC_THRESHOLDS


def test_local_workers_run_below_the_writers_priority_collecting_less_often(pool):
    ((_, results),) = [item for item in in_order(pool, set_up, [[1, 2]]) if item]
    assert results == [set_up_worker()] * 2


def test_relative_paths_are_read_where_they_were_named(tmp_path, pool, monkeypatch):
    """Workers start in the directory of the first pool of the process, not the caller's."""
    warm = tmp_path / "warm"
    in_parallel(warm, notes(warm, 2), pool)  # the workers have started, here
    elsewhere = tmp_path / "elsewhere"
    notes(elsewhere, 3)
    monkeypatch.chdir(elsewhere)
    want_db, want_reports = one_process(tmp_path, ["000.md", "001.md", "."])
    got_db, got_reports = in_parallel(tmp_path, ["000.md", "001.md", "."], pool)
    assert got_reports == want_reports
    assert [r["source"] for r in got_reports[:2]] == ["000.md", "001.md"]  # as named
    assert not any(r["error"] for r in got_reports) and got_reports[0]["episodes"] == 1
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_pool_makes_the_store_one_process_makes_row_for_row(tmp_path, pool):
    sources = [str(FIXTURES)]
    want_db, want_reports = one_process(tmp_path, sources)
    got_db, got_reports = in_parallel(tmp_path, sources, pool)
    assert got_reports == want_reports  # errors and warnings included
    assert any(r["error"] for r in want_reports)  # the fixtures hold sources that fail
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_store_that_already_holds_episodes_is_updated_the_same_way(tmp_path, pool):
    first = notes(tmp_path / "first", 12)
    sources = [*first, str(FIXTURES / "markdown")]
    for db in (tmp_path / "one.db", tmp_path / "parallel.db"):
        with Store(db) as store:
            ingest(store, first[:6], IngestOptions())
    want_db, want_reports = one_process(tmp_path, sources)
    got_db, got_reports = in_parallel(tmp_path, sources, pool)
    assert [r["unchanged"] for r in got_reports[:6]] == [1] * 6
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_worker_that_dies_once_costs_nothing(tmp_path, pool):
    sources = notes(tmp_path / "n", 8)
    dying = Path(sources[3]).with_name("003-dies-once.md")
    Path(sources[3]).rename(dying)
    sources[3] = str(dying)
    want_db, want_reports = one_process(tmp_path, sources)
    got_db, got_reports = in_parallel(tmp_path, sources, pool, work=read_or_die)
    assert dying.with_suffix(".died").exists()  # it did die
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_source_that_kills_its_worker_twice_fails_alone(tmp_path, pool):
    sources = notes(tmp_path / "n", 8)
    dying = Path(sources[5]).with_name("005-dies.md")
    Path(sources[5]).rename(dying)
    sources[5] = str(dying)
    want_db, _ = one_process(tmp_path, [s for s in sources if s != str(dying)])
    got_db, got_reports = in_parallel(tmp_path, sources, pool, work=read_or_die)
    errors = {r["source"]: r["error"] for r in got_reports if r["error"]}
    assert errors == {
        str(dying): "was not read: its worker process died (exit status -9), also when tried again"
    }
    assert [r["source"] for r in got_reports] == sources
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_source_that_hangs_times_out_twice_and_fails_alone(tmp_path):
    sources = notes(tmp_path / "n", 6)
    pipe = tmp_path / "n" / "002-nobody-writes.md"
    os.mkfifo(pipe)  # opening it for reading waits for a writer that never comes
    sources.insert(2, str(pipe))
    want_db, _ = one_process(tmp_path, [s for s in sources if s != str(pipe)])
    with LocalPool(2, timeout=HANG) as pool:
        got_db, got_reports = in_parallel(tmp_path, sources, pool)
    errors = {r["source"]: r["error"] for r in got_reports if r["error"]}
    assert errors == {str(pipe): "was not read: took longer than 3 s, also when tried again"}
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no corpus at {SHARED}")
def test_the_shared_corpora_make_the_same_store_in_parallel(tmp_path, pool):
    sources = [str(SHARED / "axrp"), str(SHARED / "feeds")]
    want_db, want_reports = one_process(tmp_path, sources)
    got_db, got_reports = in_parallel(tmp_path, sources, pool)
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


class Scrambled(Executor):
    """Runs batches in this process and finishes them in a scrambled order."""

    def __init__(self):
        super().__init__()
        self.started: list = []
        self.most_out = 0

    @property
    def workers(self) -> int:
        return 2

    def _start(self, run, function, jobs):
        self.started.append((run, function, jobs))
        self.most_out = max(self.most_out, len(self.started))

    def _wait(self, timeout):
        run, function, jobs = self.started.pop(-1 if len(self.started) % 2 else 0)
        return run, lambda: function(jobs)

    def _death(self, error):
        return None

    def close(self):
        pass


def test_an_engine_whose_runs_cost_more_gets_larger_batches(tmp_path):
    sources = notes(tmp_path / "n", BATCH_SOURCES + 6)
    want_db, want_reports = one_process(tmp_path, sources)
    sizes = {}
    for scale in (1, 4):
        executor = Scrambled()
        executor.batch_scale = scale
        sent: list[int] = []

        def work(jobs, sent=sent):
            sent.append(len(jobs))
            return read_jobs(jobs)

        (tmp_path / f"s{scale}").mkdir()
        got_db, got_reports = in_parallel(tmp_path / f"s{scale}", sources, executor, work=work)
        assert got_reports == want_reports
        assert rows_with_ids(got_db) == rows_with_ids(want_db)
        sizes[scale] = sent
    assert sizes == {1: [BATCH_SOURCES, 6], 4: [BATCH_SOURCES + 6]}


def test_a_url_is_a_batch_of_its_own_at_any_scale():
    jobs = [SourceJob(s, IngestOptions()) for s in ("https://a.example/f", "https://b.example/g")]
    assert [len(batch) for batch in batched(jobs, 4)] == [1, 1]


class Threads(Executor):
    """Runs batches on two threads of this process; ended runs come back through the queue
    the real engines' done callbacks fill."""

    def __init__(self):
        super().__init__()
        self.threads = ThreadPoolExecutor(2)

    @property
    def workers(self) -> int:
        return 2

    def _start(self, run, function, jobs):
        self.threads.submit(function, jobs).add_done_callback(self._ended_run(run))

    def _death(self, error):
        return None

    def close(self):
        self.threads.shutdown()


def test_the_writer_is_told_of_a_wait_only_when_the_next_batch_is_late():
    with Threads() as executor:
        on_time = list(in_order(executor, list, ([n] for n in range(20)), patience=60))
    assert on_time == [([n], [n]) for n in range(20)]  # no None: nothing to commit early

    held = threading.Event()

    def late(jobs):
        held.wait(60)  # until the writer has been told the batch is late
        return jobs

    seen = []
    with Threads() as executor:
        for item in in_order(executor, late, [[1]], patience=0.01):
            seen.append(item)
            if item is None:
                held.set()
    assert seen == [None, ([1], [1])]  # told once, then the wait goes on


class Clock:
    def __init__(self):
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


def test_a_batch_open_for_commit_within_seconds_is_committed_at_the_next_write(
    tmp_path, monkeypatch
):
    clock = Clock()
    monkeypatch.setattr(writer_module, "time", clock)
    sources = notes(tmp_path / "n", 3)
    results = read_jobs([SourceJob(source, IngestOptions()) for source in sources])
    reported = []
    with Store(tmp_path / "w.db") as store, BatchWriter(store, reported.append) as writer:
        writer.write(results[0], IngestOptions())
        clock.now += COMMIT_WITHIN / 2
        writer.write(results[1], IngestOptions())
        assert reported == []  # the batch is open, and young
        clock.now += COMMIT_WITHIN / 2
        writer.write(results[2], IngestOptions())
        assert [r.source for r in reported] == sources  # committed: open a second
        with closing(sqlite3.connect(tmp_path / "w.db")) as other:  # committed for others
            assert other.execute("SELECT count(*) FROM episodes").fetchone() == (3,)


def test_outcomes_come_back_in_order_with_a_bounded_number_out():
    executor = Scrambled()
    batches = ([n, n + 1] for n in range(0, 200, 2))
    seen = [item for item in in_order(executor, lambda jobs: [j * 10 for j in jobs], batches, 5)]
    finished = [item for item in seen if item is not None]
    assert [jobs for jobs, _ in finished] == [[n, n + 1] for n in range(0, 200, 2)]
    assert all(results == [j * 10 for j in jobs] for jobs, results in finished)
    assert executor.most_out <= 5  # in flight, or back and waiting for an earlier one


def test_a_batch_that_fails_is_retried_job_by_job():
    executor = Scrambled()
    tries: list[list[int]] = []

    def fails_on_three(jobs):
        tries.append(jobs)
        if 3 in jobs:
            raise RuntimeError("boom")
        return jobs

    finished = [item for item in in_order(executor, fails_on_three, [[1, 2, 3, 4]]) if item]
    ((jobs, results),) = finished
    assert tries == [[1, 2, 3, 4], [4], [3], [2], [1]] or sorted(tries[1:]) == [[1], [2], [3], [4]]
    assert results[:2] == [1, 2] and results[3] == 4
    assert results[2].reason == "its worker failed: RuntimeError: boom, also when tried again"


@pytest.fixture(scope="module")
def dask_client():
    """A real Dask cluster on this machine: a scheduler and two single-threaded worker
    processes under nannies (which start a new worker when one dies), started with
    linkgraph preloaded as the docs say."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        preload=["linkgraph.parallel.work"],
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def dask_executor(client, timeout: float = PATIENT):
    from linkgraph.parallel.cluster import DaskCluster

    return DaskCluster(client=client, timeout=timeout)


def test_preloaded_dask_workers_are_set_up_as_local_ones(dask_client):
    assert list(dask_client.run(set_up, [1]).values()) == [[set_up_worker()]] * 2


def test_a_dask_cluster_makes_the_store_one_process_makes_row_for_row(tmp_path, dask_client):
    sources = [str(FIXTURES), *notes(tmp_path / "n", 10)]
    want_db, want_reports = one_process(tmp_path, sources)
    with dask_executor(dask_client) as executor:
        got_db, got_reports = in_parallel(tmp_path, sources, executor)
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_dask_worker_that_dies_once_costs_nothing(tmp_path, dask_client):
    sources = notes(tmp_path / "n", 6)
    dying = Path(sources[1]).with_name("001-dies-once.md")
    Path(sources[1]).rename(dying)
    sources[1] = str(dying)
    want_db, want_reports = one_process(tmp_path, sources)
    with dask_executor(dask_client) as executor:
        got_db, got_reports = in_parallel(tmp_path, sources, executor, work=read_or_die)
    assert dying.with_suffix(".died").exists()
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)


def test_a_source_that_hangs_on_dask_fails_alone_and_its_worker_is_restarted(tmp_path, dask_client):
    sources = notes(tmp_path / "n", 4)
    pipe = tmp_path / "n" / "001-nobody-writes.md"
    os.mkfifo(pipe)
    sources.insert(1, str(pipe))
    want_db, _ = one_process(tmp_path, [s for s in sources if s != str(pipe)])
    with dask_executor(dask_client, HANG) as executor:
        got_db, got_reports = in_parallel(tmp_path, sources, executor)
    errors = {r["source"]: r["error"] for r in got_reports if r["error"]}
    assert errors == {str(pipe): "was not read: took longer than 3 s, also when tried again"}
    assert rows_with_ids(got_db) == rows_with_ids(want_db)
    assert workers_back(dask_client, 2)  # the nannies started new worker processes


def test_a_cancelled_run_still_executing_at_the_end_has_its_worker_ended(tmp_path, dask_client):
    """The scheduler forgets a cancelled task, not the thread running it: a run that timed
    out and still runs somewhere (cancelled late, or run again by the cluster) must not
    leave its worker busy for whatever comes next."""
    pipe = tmp_path / "nobody-writes"
    os.mkfifo(pipe)
    executor = dask_executor(dask_client, HANG)
    key = f"linkgraph-{executor._run}-0-stuck"
    stuck = dask_client.submit(Path.read_bytes, pipe, key=key, pure=False)
    while not any(key in tasks for tasks in dask_client.call_stack().values()):
        time.sleep(0.05)
    dask_client.cancel([stuck])
    executor._abandoned.add(key)  # as the watchdog leaves a run it timed out
    executor.close()
    assert workers_back(dask_client, 2)


def workers_back(client, count: int) -> bool:
    """Whether ``count`` workers each run a new task (one still busy with a cancelled run
    would not), waiting for restarts (a minute at most)."""
    from distributed import KilledWorker

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = list(client.scheduler_info()["workers"])
        if len(workers) == count:
            runs = [
                client.submit(os.getpid, workers=[w], allow_other_workers=False, pure=False)
                for w in workers
            ]
            try:
                if len({run.result(timeout=5) for run in runs}) == count:
                    return True
            except (TimeoutError, KilledWorker):  # a worker busy or being restarted
                pass
        time.sleep(0.1)
    return False


def test_a_transaction_inside_another_is_undone_alone(tmp_path):
    from linkgraph.model import Episode, Mention

    def episode(title: str) -> Episode:
        return Episode(title, f"{title}.md", mentions=[Mention(f"https://{title}.example/")])

    with Store(tmp_path / "lg.db") as store:
        with store.transaction():
            store.save_episodes([episode("kept")])
            with pytest.raises(RuntimeError), store.transaction():
                store.save_episodes([episode("undone")])
                raise RuntimeError("this source fails")
            store.save_episodes([episode("after")])
        assert [r["title"] for r in store.query("SELECT title FROM episodes ORDER BY id")] == [
            "kept",
            "after",
        ]
        assert store.scalar("SELECT count(*) FROM links") == 2


# ---- the command line ---------------------------------------------------------------------


def cli(db: Path, *args: str, env: dict | None = None):
    from typer.testing import CliRunner

    from linkgraph.cli import app

    return CliRunner().invoke(app, ["--db", str(db), *args], env=env, catch_exceptions=False)


def same_runs(tmp_path: Path, sources: list[str], *parallel: str, env: dict | None = None):
    """``ingest --json`` with one worker and with ``parallel``: same output, same store."""
    one = cli(tmp_path / "one.db", "ingest", *sources, "--json", "--workers", "1", env=env)
    other = cli(tmp_path / "other.db", "ingest", *sources, "--json", *parallel, env=env)
    assert (other.exit_code, other.stdout, other.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert rows_with_ids(tmp_path / "other.db") == rows_with_ids(tmp_path / "one.db")
    return one


def test_ingest_with_workers_prints_and_stores_what_one_worker_does(tmp_path):
    one = same_runs(tmp_path, [str(FIXTURES)], "--workers", "2")
    assert one.exit_code == 1 and "warning:" in one.stderr  # failures and warnings compared


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no corpus at {SHARED}")
def test_ingest_of_the_shared_corpora_with_workers_matches_one_worker(tmp_path):
    same_runs(tmp_path, [str(SHARED / "axrp"), str(SHARED / "feeds")], "--workers", "2")


def test_ingest_on_a_dask_cluster_matches_one_worker(tmp_path, dask_client):
    address = dask_client.scheduler.address
    same_runs(tmp_path, [str(FIXTURES / "markdown"), str(FIXTURES / "feeds")], "--dask", address)


def test_dask_from_the_environment_when_it_is_not_installed_is_one_clear_error(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("linkgraph.parallel.cluster.distributed", None)
    result = cli(
        tmp_path / "lg.db",
        "ingest",
        str(FIXTURES / "markdown"),
        env={"LINKGRAPH_DASK": "tcp://127.0.0.1:8786"},
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "linkgraph: ingest: --dask needs Dask's distributed scheduler, which is not "
        "installed: pip install 'linkgraph[dask]'\n"
    )
    assert not (tmp_path / "lg.db").exists() or rows_with_ids(tmp_path / "lg.db")["episodes"] == []


def test_many_sources_get_every_core_by_default(monkeypatch):
    from linkgraph.parallel import FEW_SOURCES, default_workers

    monkeypatch.setattr("linkgraph.parallel.cores", lambda: 6)
    assert default_workers(FEW_SOURCES) == 1
    assert default_workers(FEW_SOURCES + 1) == 6


def test_workers_share_each_hosts_rate_and_get_no_token():
    from linkgraph.config import Config
    from linkgraph.parallel.work import worker_config

    config = Config(host_interval=0.5, github_token="secret", mailto="me@example.org")
    shared = worker_config(config, 4)
    assert (shared.host_interval, shared.github_token, shared.mailto) == (
        2.0,
        None,
        "me@example.org",
    )


# ---- transcripts and spoken citations -----------------------------------------------------

AXRP = FIXTURES / "axrp"  # transcript pages as AXRP writes them: speakers' turns under topics
TRANSCRIPTS = FIXTURES / "transcripts"
LISTED = {
    "one.vtt": ("episode.vtt", "text/vtt"),
    "two.srt": ("episode.srt", "application/x-subrip"),
}


@pytest.fixture
def web(httpserver):
    """A feed whose items list transcripts: one in two formats, one in one, one gone."""
    web = Web(httpserver)

    def transcript(request: Request) -> Response:
        web.log(request)
        name = request.path.rsplit("/", 1)[1]
        if name not in LISTED:
            return Response("gone", status=404, content_type="text/plain")
        file, kind = LISTED[name]
        return Response((TRANSCRIPTS / file).read_bytes(), content_type=kind)

    def tag(name: str, kind: str) -> str:
        return f'url="{web.base}/transcripts/{name}" type="{kind}"'

    httpserver.expect_request(re.compile(r"/transcripts/.*")).respond_with_handler(transcript)
    chinchilla = (
        "https://arxiv.org/abs/2203.15556",
        "Training Compute-Optimal Large Language Models",
    )
    feed = rss(
        "Transcribed", [("ep-1", "One", [chinchilla]), ("ep-2", "Two", []), ("ep-3", "Three", [])]
    )
    web.feeds["show.xml"] = list_transcripts(
        feed,
        {
            "ep-1": [tag("one.html", "text/html"), tag("one.vtt", "text/vtt")],
            "ep-2": [tag("two.srt", "application/x-subrip")],
            "ep-3": [tag("gone.vtt", "text/vtt")],
        },
    )
    return web


def transcribed(web: Web) -> list[str]:
    """Transcript pages, transcript files, and a feed listing transcripts on ``web``."""
    return [str(AXRP), str(TRANSCRIPTS), web.feed_url("show.xml")]


def transcript_rows(db: Path) -> dict:
    """How many transcripts of each status, segments and spoken mentions a store holds."""
    conn = sqlite3.connect(db)
    try:
        return {
            "transcripts": conn.execute(
                "SELECT status, count(*) FROM transcripts GROUP BY status ORDER BY status"
            ).fetchall(),
            "segments": conn.execute("SELECT count(*) FROM segments").fetchone()[0],
            "spoken": conn.execute("SELECT count(*) FROM mentions WHERE via = 'spoken'").fetchone()[
                0
            ],
        }
    finally:
        conn.close()


def test_transcripts_and_spoken_citations_in_a_pool_make_the_one_process_store(tmp_path, web):
    env = {**web.env(retries="0"), "LINKGRAPH_FAILURE_BACKOFF": "0"}
    one = same_runs(tmp_path, transcribed(web), "--workers", "2", env=env)
    assert one.exit_code == 0
    # each listed transcript was fetched once in each run: the best format, and the gone one
    assert (
        sorted(web.paths("/transcripts/"))
        == ["/transcripts/gone.vtt"] * 2
        + ["/transcripts/one.vtt"] * 2
        + ["/transcripts/two.srt"] * 2
    )
    found = transcript_rows(tmp_path / "other.db")
    assert found["transcripts"] == [
        ("failed", 1),
        ("listed", 1),
        ("read", 8),
    ]
    assert found["segments"] > 0 and found["spoken"] > 0


def test_on_dask_the_workers_fetch_the_transcripts_feeds_list(
    tmp_path, web, dask_client, monkeypatch
):
    for key, value in {**web.env(retries="0"), "LINKGRAPH_FAILURE_BACKOFF": "0"}.items():
        monkeypatch.setenv(key, value)
    want_db, want_reports = one_process(tmp_path, transcribed(web))

    class Refusing:
        """The writer's client: it must fetch nothing, the workers do."""

        def fetch(self, url: str, **_):
            raise AssertionError(f"the writer fetched {url}")

    with dask_executor(dask_client) as executor:
        got_db, got_reports = in_parallel(tmp_path, transcribed(web), executor, http=Refusing())
    assert got_reports == want_reports
    assert rows_with_ids(got_db) == rows_with_ids(want_db)
    assert transcript_rows(got_db)["spoken"] > 0
