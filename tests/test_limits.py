"""Limits hold however input arrives: trickling bodies, endless devices and pipes, huge
episodes, and numbers or queries of any size on the command line."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import threading

import pytest
from support.resolve import config_for
from typer.testing import CliRunner

from linkgraph import query
from linkgraph.cli import app
from linkgraph.graph import build_graph, select
from linkgraph.ingest import IngestOptions, ingest_source
from linkgraph.net import Http, NetworkError
from linkgraph.readers.base import MAX_SOURCE_BYTES
from linkgraph.store import Store


class TrickleServer:
    """Answers every request with a long body sent one byte at a time, until told to stop."""

    def __init__(self, chunked: bool):
        self.chunked = chunked
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/slow"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        framing = b"Transfer-Encoding: chunked" if self.chunked else b"Content-Length: 100000"
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + framing + b"\r\n\r\n")
            for _ in range(100_000):
                conn.sendall(b"1\r\nx\r\n" if self.chunked else b"x")
                if self.stop.wait(0.02):
                    break
        except OSError:
            pass  # the client gave up: what the test wants
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.mark.slow
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_trickling_in_is_cut_off_at_the_body_deadline(chunked):
    server = TrickleServer(chunked)
    try:
        config = config_for("http://127.0.0.1", body_timeout=0.5, retries=0)
        with Http(config) as http, pytest.raises(NetworkError, match=r"took over 0.5 s"):
            http.fetch(server.url, accept=["text/html"])
    finally:
        server.close()


def test_a_device_without_end_is_read_only_up_to_the_size_limit(tmp_path):
    db = tmp_path / "lg.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "/dev/zero", "-q"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"linkgraph: /dev/zero: is over the {MAX_SOURCE_BYTES // 2**20} MB limit for one source\n"
    )


def test_a_named_pipe_is_read_only_up_to_the_size_limit(tmp_path):
    pipe = tmp_path / "notes.pipe"
    os.mkfifo(pipe)

    def write_forever() -> None:
        block = b"[x](https://a.example/) " * 4096
        try:
            with open(pipe, "wb") as writer:
                for _ in range(MAX_SOURCE_BYTES // len(block) + 10):
                    writer.write(block)
        except BrokenPipeError:
            pass  # the reader stopped at the limit

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    with Store(tmp_path / "lg.db") as store:
        report = ingest_source(store, str(pipe), IngestOptions())
    writer.join(10)
    assert report.error == f"is over the {MAX_SOURCE_BYTES // 2**20} MB limit for one source"


def _limited_memory() -> None:
    limit = 1536 * 2**20  # the unbounded reading of a million links needed 3.7 GB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_a_million_links_in_one_episode_are_refused_in_bounded_memory(tmp_path):
    notes = tmp_path / "million.md"
    with notes.open("w") as out:
        out.write("# A million links\n\n")
        for n in range(1_000_000):
            out.write(f"- [p{n}](https://blog{n % 97}.example.org/{n})\n")
    fine = tmp_path / "fine.md"
    fine.write_text("[ok](https://ok.example/)\n")
    result = subprocess.run(
        [sys.executable, "-m", "linkgraph", "--db", str(tmp_path / "lg.db"), "ingest", "-q"]
        + [str(notes), str(fine)],
        capture_output=True,
        text=True,
        preexec_fn=_limited_memory,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"linkgraph: {notes}: holds 1,000,000 URLs, over the limit of 100,000 links in one "
        "episode (setting max_links_per_episode)\n"
    )
    with Store(tmp_path / "lg.db") as store:
        assert store.scalar("SELECT count(*) FROM mentions") == 1  # the other source is stored


def test_the_links_counted_after_reading_are_held_to_the_limit_too(tmp_path):
    notes = "".join(f"see arxiv.org/abs/2301.{n:05d}\n" for n in range(30))  # no "://" at all
    with Store(tmp_path / "lg.db") as store:
        report = ingest_source(store, "-", IngestOptions(max_links=20), data=notes.encode())
        assert report.error == (
            "episode '-' has 30 links, over the limit of 20 (setting max_links_per_episode)"
        )
        assert store.scalar("SELECT count(*) FROM episodes") == 0


def run(store, *args):
    return CliRunner().invoke(app, ["--db", store.path, *args])


WORDS = " ".join(f"word{n}" for n in range(1000))


@pytest.mark.parametrize(
    "command",
    [
        ["search", WORDS],
        ["author", WORDS],
        ["cites", WORDS],
        ["cited-by", WORDS],
        ["related", WORDS],
        ["show", WORDS],
    ],
    ids=lambda c: c[0],
)
def test_a_query_of_a_thousand_words_is_refused_with_one_line(sample_store, command):
    result = run(sample_store, *command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("linkgraph: 'word0 word1") and result.stderr.endswith(
        "has 1,000 words; at most 64 are looked for\n"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["top", "--limit", "99999999999999999999"],
        ["search", "debate", "--limit", "0"],
        ["cocited", "arxiv:1805.00899", "-n", "10000001"],
        ["related", "Mailbag", "--limit", "-5"],
        ["export", "json", "-o", "-", "--around", "arxiv:1805.00899", "--depth", "1000000000"],
        ["export", "json", "-o", "-", "--max-nodes", "99999999999999999999"],
        ["export", "json", "-o", "-", "--min-citations", "-1"],
        ["resolve", "--offline", "--limit", "99999999999999999999"],
    ],
    ids=lambda c: " ".join(c[:3]),
)
def test_numeric_options_out_of_range_exit_2_with_a_message(sample_store, command):
    result = run(sample_store, *command)
    assert result.exit_code == 2, result.output
    assert "Error: Invalid value for '-" in result.stderr
    assert "Input should be" in result.stderr or "is not a valid integer" in result.stderr
    assert "Traceback" not in result.output


def test_the_python_api_bounds_limits_and_depths(sample_store):
    with pytest.raises(ValueError, match="expected a number from 1 to 1,000,000"):
        query.top(sample_store, limit=10**20)
    with pytest.raises(ValueError, match="at most 64"):
        query.search(sample_store, WORDS)
    graph = build_graph(sample_store)
    with pytest.raises(ValueError, match="depth 1000000000"):
        select(graph, around="episode:1", depth=10**9)
    everything, _ = select(graph, around="episode:1", depth=1000)  # stops when nothing is new
    assert set(everything) == set(graph)  # the sample graph is one connected piece


def test_a_date_option_must_be_a_real_date(tmp_path):
    notes = tmp_path / "n.md"
    notes.write_text("[a](https://a.example/)\n")
    result = CliRunner().invoke(
        app, ["--db", str(tmp_path / "lg.db"), "ingest", str(notes), "--date", "2023-13-45"]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "linkgraph: ingest: --date '2023-13-45': expected a date as YYYY, YYYY-MM or YYYY-MM-DD\n"
    )
    assert (
        json.loads(
            CliRunner().invoke(app, ["--db", str(tmp_path / "lg.db"), "episodes", "--json"]).stdout
        )
        == []
    )
