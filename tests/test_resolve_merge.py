"""Merging: one work however many ways it is cited, and nothing lost on the way."""

from __future__ import annotations

import pytest
from support.resolve import config_for, fixture, ids_of, make_store, work_row

from linkgraph.lookup import work_authors
from linkgraph.query import cites
from linkgraph.resolve import resolve
from linkgraph.resolve.merge import normalize_title, surnames

ATOM = "application/atom+xml"
JSON = "application/json"


@pytest.fixture
def base(httpserver):
    return httpserver.url_for("").rstrip("/")


def _totals(store):
    return {t: store.scalar(f"SELECT count(*) FROM {t}") for t in ("mentions", "links")}


def test_preprint_and_published_version_become_one_work(tmp_path, httpserver, base):
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_two.xml"), content_type=ATOM
    )
    httpserver.expect_request("/crossref/works").respond_with_data(
        fixture("crossref_works.json"), content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/2303.12642", "the preprint"),
            ("https://doi.org/10.5555/test.2023.001", "the published paper"),
        ],
    )
    before = _totals(store)
    summary = resolve(store, config_for(base))
    work = work_row(store, "arxiv:2303.12642")
    assert work_row(store, "doi:10.5555/test.2023.001")["id"] == work["id"]
    assert ids_of(store, work["id"]) == {"arxiv:2303.12642", "doi:10.5555/test.2023.001"}
    assert store.scalar("SELECT count(*) FROM works") == 1 and summary.merged == 1
    assert work_authors(store, work["id"]) == ["Ada Park", "Bo Chen"]
    assert _totals(store) == before
    mentions = cites(store, "doi:10.5555/test.2023.001")[0]["mentions"]
    assert {m["anchor_text"] for m in mentions} == {"the preprint", "the published paper"}


def test_page_with_citation_doi_merges_with_the_doi_work(tmp_path, httpserver, base):
    httpserver.expect_request("/site/paper").respond_with_data(
        fixture("page_citation.html"), content_type="text/html"
    )
    httpserver.expect_request("/crossref/works").respond_with_data(
        fixture("crossref_works.json"), content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [
            (f"{base}/site/paper", "landing page"),
            ("https://doi.org/10.5555/test.2023.001", "doi link"),
        ],
    )
    resolve(store, config_for(base))
    assert store.scalar("SELECT count(*) FROM works") == 1
    work = work_row(store, "doi:10.5555/test.2023.001")
    assert work["status"] == "resolved" and work["kind"] == "paper"
    assert store.scalar("SELECT count(DISTINCT work_id) FROM links") == 1
    assert len([r for r, _ in httpserver.log if r.path == "/crossref/works"]) == 1


def _page(title: str, author: str) -> bytes:
    return (
        f'<html><head><title>{title}</title><meta name="citation_title" content="{title}">'
        f'<meta name="citation_author" content="{author}"></head></html>'
    ).encode()


def test_same_title_and_a_shared_surname_merge(tmp_path, httpserver, base):
    httpserver.expect_request("/a").respond_with_data(
        _page("Open Models and the Commons", "Park, Ada"), content_type="text/html"
    )
    httpserver.expect_request("/b").respond_with_data(
        _page("OPEN MODELS AND THE COMMONS!", "A. Park"), content_type="text/html"
    )
    httpserver.expect_request("/c").respond_with_data(
        _page("Open models and the commons", "Zed Young"), content_type="text/html"
    )
    store = make_store(
        tmp_path / "t.db", [(f"{base}/a", "a"), (f"{base}/b", "b"), (f"{base}/c", "c")]
    )
    summary = resolve(store, config_for(base))
    assert summary.merged == 1
    assert store.scalar("SELECT count(*) FROM works") == 2
    assert store.scalar("SELECT count(DISTINCT work_id) FROM links") == 2
    assert store.scalar("SELECT count(*) FROM mentions") == 3


def test_title_and_surname_helpers():
    assert normalize_title("Émile's  Model: A Study!") == normalize_title("emile s model a study")
    assert surnames(["Park, Ada", "Bo Chen", "Lia  López"]) == {"park", "chen", "lopez"}


def test_link_rel_to_arxiv_joins_the_arxiv_work(tmp_path, httpserver, base):
    httpserver.expect_request("/mirror").respond_with_data(
        fixture("page_linkrel.html"), content_type="text/html"
    )
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_two.xml"), content_type=ATOM
    )
    store = make_store(
        tmp_path / "t.db",
        [(f"{base}/mirror", "a mirror"), ("https://arxiv.org/abs/1706.03762", "arXiv")],
    )
    resolve(store, config_for(base))
    assert store.scalar("SELECT count(*) FROM works") == 1
    work = work_row(store, "arxiv:1706.03762")
    assert work["title"] == "Attention Is All You Need" and work["status"] == "resolved"
    assert len(cites(store, "arxiv:1706.03762")[0]["mentions"]) == 2
