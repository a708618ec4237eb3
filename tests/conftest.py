"""Shared fixtures: a small store of two podcasts built from Episode objects, with some works
resolved (titles, authors, dates, subjects written directly with SQL), and an empty store.

The sample store, in short (work ids are the standard ids; counts are citing episodes):

    Paper Trails  E1 "Reward hacking with Ada Park"   2023-01-10  topics with anchors
                      arxiv:2401.01234 (Goodhart), blog post, patreon
                  E2 "Debate and oversight with Ben Ode" 2023-03-05  timestamped topics
                      arxiv:1805.00899 (twice), arxiv:2401.01234, doi:10.1000/xyz123, patreon
                  E3 "Mailbag"  2023-06-01  no topics
                      arxiv:1805.00899, a YouTube talk, a post titled with an XSS attempt
    Other Show    E4 "Optimization and its discontents"  2024-02-02
                      arxiv:2401.01234, arxiv:1805.00899, a GitHub repository
                  E5 "Listener questions"  2024-05-01  no links

    arxiv:1805.00899  3 episodes, 4 mentions  resolved  by Ben Ode, Geo Irwin   cs.AI
    arxiv:2401.01234  3 episodes, 3 mentions  resolved  by Ada Park, Cy Dee     cs.LG, cs.AI
    patreon           2 episodes; every other work 1 episode, unresolved (title = anchor text)
"""

from __future__ import annotations

import pytest
from support.sample import (  # noqa: F401 (tests import them from here too)
    RESOLVED,
    XSS_TITLE,
    build_sample_store,
    resolve_sample,
    sample_episodes,
)
from typer.testing import CliRunner

from linkgraph.store import Store


@pytest.fixture
def sample_store(tmp_path):
    """The sample store (see the module docstring), open; closed after the test."""
    with build_sample_store(tmp_path / "sample.db") as store:
        yield store


@pytest.fixture
def empty_store(tmp_path):
    """A store with the schema and nothing in it."""
    with Store(tmp_path / "empty.db") as store:
        yield store


@pytest.fixture
def run_cli():
    """Run the CLI: ``run_cli(store, "top", "--json")`` -> click Result (stdout, stderr)."""
    from linkgraph.cli import app

    runner = CliRunner()

    def run(store: Store, *args: str):
        return runner.invoke(app, ["--db", store.path, *args], env={"COLUMNS": "250"})

    return run


@pytest.fixture
def base(httpserver):
    """The loopback server's base URL, without a trailing slash."""
    return httpserver.url_for("").rstrip("/")
