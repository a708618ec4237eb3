"""Each metadata source against a loopback server speaking the real API's format."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from support.resolve import config_for, fixture, make_store, pdf_bytes, work_row

from linkgraph.lookup import work_authors
from linkgraph.resolve import resolve

ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json; charset=utf-8"


@pytest.fixture
def base(httpserver):
    return httpserver.url_for("").rstrip("/")


def _queries(httpserver, path):
    return [
        parse_qs(request.query_string.decode())
        for request, _ in httpserver.log
        if request.path == path
    ]


def _subjects(store, work_id):
    return [
        r["name"]
        for r in store.query(
            "SELECT s.name FROM work_subjects ws JOIN subjects s ON s.id = ws.subject_id "
            "WHERE ws.work_id = ? ORDER BY s.name",
            (work_id,),
        )
    ]


def test_arxiv_batch_in_one_request_with_every_field(tmp_path, httpserver, base):
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_two.xml"), content_type=ATOM
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/1706.03762", "attention"),
            ("https://arxiv.org/pdf/2303.12642v1", "Open models"),
        ],
    )
    summary = resolve(store, config_for(base))
    queries = _queries(httpserver, "/api/query")
    assert len(queries) == 1
    assert sorted(queries[0]["id_list"][0].split(",")) == ["1706.03762", "2303.12642"]
    assert queries[0]["max_results"] == ["2"]
    attention = work_row(store, "arxiv:1706.03762")
    assert attention["title"] == "Attention Is All You Need"
    assert attention["published"] == "2017-06-12"
    assert attention["abstract"].startswith("The dominant sequence transduction models")
    assert attention["venue"] == "arXiv" and attention["status"] == "resolved"
    assert work_authors(store, attention["id"])[:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert len(work_authors(store, attention["id"])) == 8
    assert _subjects(store, attention["id"]) == ["cs.CL", "cs.LG"]
    sources = json.loads(attention["sources"])
    assert sources["title"]["source"] == "arxiv" and sources["venue"]["source"] == "arxiv:preprint"
    assert sources["comment"]["value"] == "15 pages, 5 figures"
    other = work_row(store, "arxiv:2303.12642")
    assert other["title"] == "Open Models and the Commons: A Test Paper for Linkgraph"
    assert other["venue"] == "Proceedings of the Example Conference 2023"
    assert work_row(store, "doi:10.5555/test.2023.001")["id"] == other["id"]
    assert summary.resolved == 2 and summary.requests == 1


@pytest.mark.parametrize(
    "feed", ["arxiv_unknown_empty_entry.xml", "arxiv_empty_new.xml", "arxiv_error.xml"]
)
def test_arxiv_unknown_id_fails_that_work_only(tmp_path, httpserver, base, feed):
    httpserver.expect_request("/api/query").respond_with_data(fixture(feed), content_type=ATOM)
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/1706.03762", "attention"),
            ("https://arxiv.org/abs/2208.05394", "Missing paper"),
        ],
    )
    summary = resolve(store, config_for(base))
    assert len(httpserver.log) == 1  # no second page is asked for
    missing = work_row(store, "arxiv:2208.05394")
    assert missing["status"] == "failed"
    assert missing["error"] == "arxiv: arXiv has no entry for arxiv:2208.05394"
    assert missing["attempts"] == 1 and missing["next_attempt_at"] > missing["resolved_at"]
    assert missing["title"] == "Missing paper"  # the anchor text stays
    found = work_row(store, "arxiv:1706.03762")["status"]
    assert found == ("failed" if feed != "arxiv_unknown_empty_entry.xml" else "resolved")
    assert summary.failed >= 1


def test_arxiv_malformed_entry_fails_only_its_own_work(tmp_path, httpserver, base):
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_malformed_entries.xml"), content_type=ATOM
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/1706.03762", "attention"),
            ("https://arxiv.org/abs/2303.12642", "open models"),
            ("https://arxiv.org/abs/1606.06565", "concrete problems"),
        ],
    )
    summary = resolve(store, config_for(base))
    assert len(httpserver.log) == 1 and summary.requests == 1
    good = work_row(store, "arxiv:1706.03762")
    assert good["status"] == "resolved" and good["title"] == "Attention Is All You Need"
    bad_date = work_row(store, "arxiv:2303.12642")
    assert bad_date["status"] == "failed"
    assert bad_date["error"] == "arxiv: arXiv's entry has a malformed date: '2023-03-32T15:31:02Z'"
    no_id = work_row(store, "arxiv:1606.06565")  # its entry has no <id>: no entry is its own
    assert no_id["status"] == "failed"
    assert no_id["error"] == "arxiv: arXiv has no entry for arxiv:1606.06565"
    assert summary.resolved == 1 and summary.failed == 2


def test_crossref_batches_dois_and_ssrn_with_mailto(tmp_path, httpserver, base):
    httpserver.expect_request("/crossref/works").respond_with_data(
        fixture("crossref_works.json"), content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://doi.org/10.5555/test.2023.001", "the paper"),
            ("https://papers.ssrn.com/sol3/papers.cfm?abstract_id=4596436", "the SSRN paper"),
        ],
    )
    resolve(store, config_for(base))
    (query,) = _queries(httpserver, "/crossref/works")
    assert sorted(query["filter"][0].split(",")) == [
        "doi:10.2139/ssrn.4596436",
        "doi:10.5555/test.2023.001",
    ]
    assert query["rows"] == ["2"] and query["mailto"] == ["tests@example.org"]
    paper = work_row(store, "doi:10.5555/test.2023.001")
    assert paper["title"] == "Open Models and the Commons: A Test Paper for Linkgraph"
    assert paper["abstract"] == (
        "We study how openly released models change who can build with them."
    )
    assert paper["published"] == "2023-06" and paper["kind"] == "paper"  # published-print first
    assert paper["venue"] == "Proceedings of the Example Conference 2023"
    assert work_authors(store, paper["id"]) == ["Ada Park", "Bo Chen"]
    assert work_row(store, "arxiv:2303.12642")["id"] == paper["id"]  # has-preprint relation
    ssrn = work_row(store, "ssrn:4596436")
    assert ssrn["title"] == "Model Evaluations for Extreme Risks: A Test Record"
    assert ssrn["published"] == "2023" and ssrn["venue"] == "SSRN Electronic Journal"
    assert work_authors(store, ssrn["id"]) == ["Carla Diaz", "The Example Collaboration"]


def test_openreview_api2_then_api1(tmp_path, httpserver, base):
    httpserver.expect_request("/or2/notes", query_string="id=AbCdEf123").respond_with_data(
        fixture("openreview_v2.json"), content_type=JSON
    )
    httpserver.expect_request("/or2/notes", query_string="id=rJl0r3R9KX").respond_with_data(
        fixture("openreview_v2_empty.json"), content_type=JSON
    )
    httpserver.expect_request("/or1/notes", query_string="id=rJl0r3R9KX").respond_with_data(
        fixture("openreview_v1.json"), content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://openreview.net/forum?id=AbCdEf123", "reward models"),
            ("https://openreview.net/pdf?id=rJl0r3R9KX", "older paper"),
        ],
    )
    resolve(store, config_for(base))
    new = work_row(store, "openreview:AbCdEf123")
    assert new["title"] == "Reward Models Under Test: A Linkgraph Fixture"
    assert new["venue"] == "ICLR 2024 poster" and new["published"] == "2024-01-16"
    assert work_authors(store, new["id"]) == ["Dana Ito", "Eli Moss"]
    old = work_row(store, "openreview:rJl0r3R9KX")
    assert old["title"] == "An Older Paper from the First API"
    assert work_authors(store, old["id"]) == ["Fay Gold", "Gus Hart"]
    assert old["venue"] == "ICLR 2019 Conference Blind Submission"


def test_wikipedia_summary_and_missing_article(tmp_path, httpserver, base):
    httpserver.expect_request("/wiki/en/page/summary/Reinforcement_learning").respond_with_data(
        fixture("wikipedia_summary.json"), content_type=JSON
    )
    httpserver.expect_request("/wiki/de/page/summary/No_such_article_here").respond_with_data(
        fixture("wikipedia_not_found.json"), status=404, content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://en.wikipedia.org/wiki/Reinforcement_learning", "RL"),
            ("https://de.wikipedia.org/wiki/No_such_article_here", "nothing"),
        ],
    )
    resolve(store, config_for(base))
    article = work_row(store, "url:https://en.wikipedia.org/wiki/Reinforcement_learning")
    assert article["title"] == "Reinforcement learning" and article["kind"] == "encyclopedia"
    assert article["abstract"].startswith("Reinforcement learning (RL) is")
    assert json.loads(article["sources"])["description"]["value"] == "Field of machine learning"
    missing = work_row(store, "url:https://de.wikipedia.org/wiki/No_such_article_here")
    assert missing["status"] == "failed" and "404" in missing["error"]


def test_youtube_and_vimeo_oembed(tmp_path, httpserver, base):
    httpserver.expect_request("/youtube/oembed").respond_with_data(
        fixture("youtube_oembed.json"), content_type=JSON
    )
    httpserver.expect_request("/vimeo/oembed.json").respond_with_data(
        fixture("vimeo_oembed.json"), content_type=JSON
    )
    store = make_store(
        tmp_path / "t.db",
        [("https://youtu.be/abcdefghijk", "the talk"), ("https://vimeo.com/76979871", "keynote")],
    )
    resolve(store, config_for(base))
    (youtube,) = _queries(httpserver, "/youtube/oembed")
    assert youtube["url"] == ["https://youtube.com/watch?v=abcdefghijk"]
    assert youtube["format"] == ["json"]
    talk = work_row(store, "url:https://youtube.com/watch?v=abcdefghijk")
    assert talk["title"] == "Interpretability in Practice: A Test Talk"
    assert talk["venue"] == "Example Lab" and talk["kind"] == "video"
    keynote = work_row(store, "url:https://vimeo.com/76979871")
    assert keynote["title"] == "Workshop Keynote: Scaling and Safety"
    assert keynote["published"] == "2013-10-15"
    assert json.loads(keynote["sources"])["duration_seconds"]["value"] == 2712


def test_github_repository_with_token(tmp_path, httpserver, base):
    httpserver.expect_request(
        "/github/repos/example-org/linkgraph-fixture",
        headers={"Authorization": "Bearer t0ken", "Accept": "application/vnd.github+json"},
    ).respond_with_data(fixture("github_repo.json"), content_type=JSON)
    store = make_store(
        tmp_path / "t.db",
        [("https://github.com/example-org/linkgraph-fixture/tree/main/src", "the code")],
    )
    resolve(store, config_for(base, github_token="t0ken"))
    repo = work_row(store, "url:https://github.com/example-org/linkgraph-fixture/tree/main/src")
    assert repo["title"] == "example-org/linkgraph-fixture" and repo["kind"] == "code"
    assert repo["abstract"] == "A toolkit for probing language models, used as a test fixture."
    assert repo["published"] == "2022-06-01"
    sources = json.loads(repo["sources"])
    assert sources["stars"]["value"] == 1234 and sources["license"]["value"] == "MIT"
    assert _subjects(store, repo["id"]) == ["interpretability", "language-models"]


PAGES = {
    "page_jsonld.html": ("Why Evals Matter", ["Hana Ito"], "2024-02-03", "post", "webpage:json-ld"),
    "page_dublincore.html": (
        "Learning Curves of Small Models",
        ["Ken Kato", "Lia Lopez"],
        "2021-09-14",
        "site",
        "webpage:dublin-core",
    ),
    "page_opengraph.html": (
        "Labs Agree on Shared Safety Tests",
        [],
        "2024-03-01",
        "post",
        "webpage:open-graph",
    ),
    "page_title.html": ("Nora Quinn — Home page", [], None, "site", "webpage:html"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_web_page_metadata_of_each_kind(tmp_path, httpserver, base, name):
    httpserver.expect_request(f"/site/{name}").respond_with_data(
        fixture(name), content_type="text/html; charset=utf-8"
    )
    url = f"{base}/site/{name}"
    store = make_store(tmp_path / "t.db", [(url, "a page")])
    resolve(store, config_for(base))
    title, authors, published, kind, source = PAGES[name]
    work = work_row(store, f"url:{url.replace('http://', 'https://')}")
    assert (work["title"], work["published"], work["kind"]) == (title, published, kind)
    assert work_authors(store, work["id"]) == authors
    assert json.loads(work["sources"])["title"]["source"] == source
    assert work["status"] == "resolved"


def test_citation_meta_tags_upgrade_the_page_to_its_doi(tmp_path, httpserver, base):
    httpserver.expect_request("/site/paper").respond_with_data(
        fixture("page_citation.html"), content_type="text/html"
    )
    httpserver.expect_request("/crossref/works").respond_with_data(
        fixture("crossref_works.json"), content_type=JSON
    )
    store = make_store(tmp_path / "t.db", [(f"{base}/site/paper", "the paper page")])
    resolve(store, config_for(base))
    work = work_row(store, "doi:10.5555/test.2023.001")
    assert work["kind"] == "paper" and work["status"] == "resolved"
    assert work_authors(store, work["id"]) == ["Ada Park", "Bo Chen"]
    sources = json.loads(work["sources"])
    assert sources["title"]["source"] == "crossref"  # the API answered the follow-up
    assert len(_queries(httpserver, "/crossref/works")) == 1


def test_scholarly_json_ld_names_a_doi_and_makes_a_paper(tmp_path, httpserver, base):
    httpserver.expect_request("/site/report").respond_with_data(
        fixture("page_scholarly_jsonld.html"), content_type="text/html"
    )
    httpserver.expect_request("/crossref/works").respond_with_data(
        json.dumps(
            {
                "status": "ok",
                "message-type": "work-list",
                "message-version": "1.0.0",
                "message": {
                    "facets": {},
                    "total-results": 0,
                    "items": [],
                    "items-per-page": 1,
                    "query": {"start-index": 0, "search-terms": None},
                },
            }
        ),
        content_type=JSON,
    )
    httpserver.expect_request("/datacite/dois").respond_with_json(
        {"data": [], "meta": {"total": 0, "totalPages": 0, "page": 1}, "links": {}}
    )
    store = make_store(tmp_path / "t.db", [(f"{base}/site/report", "report")])
    resolve(store, config_for(base))
    work = work_row(store, "doi:10.5555/report.42")
    assert work["title"] == "A Technical Report on Test Fixtures" and work["kind"] == "paper"
    assert work["venue"] == "Example Technical Reports"
    # neither Crossref nor DataCite knows the DOI: the page's fields stand, nothing is owed
    assert work["status"] == "resolved" and work["error"] is None
    assert [r.path for r, _ in httpserver.log] == [
        "/site/report",
        "/crossref/works",
        "/datacite/dois",
    ]


def test_pdf_title_authors_and_printed_arxiv_id(tmp_path, httpserver, base):
    body = pdf_bytes(
        "Scaling Laws for Test Fixtures",
        "Omar Pike; Pia Reyes",
        [
            "Scaling Laws for Test Fixtures",
            "Omar Pike and Pia Reyes",
            "arXiv:1706.03762v7 [cs.CL] 2 Aug 2023",
        ],
    )
    httpserver.expect_request("/files/paper.pdf").respond_with_data(
        body, content_type="application/pdf"
    )
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_two.xml"), content_type=ATOM
    )
    plain = pdf_bytes(None, None, ["Notes on a Workshop Discussion", "Some text."])
    httpserver.expect_request("/files/notes.pdf").respond_with_data(
        plain, content_type="application/pdf"
    )
    store = make_store(
        tmp_path / "t.db",
        [(f"{base}/files/paper.pdf", "pdf"), (f"{base}/files/notes.pdf", "notes")],
    )
    resolve(store, config_for(base))
    paper = work_row(store, "arxiv:1706.03762")  # the printed id joined the PDF's work
    assert paper["title"] == "Attention Is All You Need"
    assert paper["url"].endswith("/files/paper.pdf")
    notes = work_row(store, f"url:{base.replace('http://', 'https://')}/files/notes.pdf")
    assert notes["title"] == "Notes on a Workshop Discussion"
    assert json.loads(notes["sources"])["title"]["source"] == "pdf"


def test_dublin_core_identifiers_and_citation_names():
    from linkgraph.resolve.base import person
    from linkgraph.resolve.webpage import dublin_core_layer

    layer = dublin_core_layer(
        [
            {
                "elements": [
                    {
                        "name": "DC.identifier",
                        "content": "info:doi/10.5555/thesis.7",
                        "URI": "http://purl.org/dc/elements/1.1/identifier",
                    },
                    {
                        "name": "DC.identifier",
                        "content": "urn:isbn:0451450523",
                        "URI": "http://purl.org/dc/elements/1.1/identifier",
                    },
                ],
                "terms": [],
            }
        ]
    )
    assert layer.identifiers == ["doi:10.5555/thesis.7"]
    assert person("Park, Ada") == "Ada Park" and person("King, Jr.") == "King, Jr."
