"""ShortDOIs: the DOI proxy's handle API names the full DOI, and the two become one work.

The loopback server answers in the format of the handle proxy's REST API
(``/api/handles/<handle>``, documented at handle.net and doi.org; the alias record of
``10/b6vnmd`` is the one Manubot's tests look up) and of Crossref's ``/works`` list.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from support.resolve import config_for, fixture, ids_of, make_store, work_row

from linkgraph.identify import SCHEMES, identify
from linkgraph.lookup import work_authors
from linkgraph.resolve import resolve, resolvers_for
from linkgraph.resolve.base import Target

JSON = "application/json; charset=utf-8"
FULL_DOI = "doi:10.1016/s0933-3657(96)00367-3"


def _serve_handle_and_crossref(httpserver):
    httpserver.expect_request("/doi/api/handles/10/b6vnmd").respond_with_data(
        fixture("doi_handle_shortdoi.json"), content_type=JSON
    )
    httpserver.expect_request("/crossref/works").respond_with_data(
        fixture("crossref_shortdoi_target.json"), content_type=JSON
    )


def test_a_shortdoi_gains_its_doi_and_crossref_resolves_it(tmp_path, httpserver, base):
    _serve_handle_and_crossref(httpserver)
    store = make_store(tmp_path / "t.db", [("https://doi.org/10/b6vnmd", "pneumonia paper")])
    summary = resolve(store, config_for(base))
    handle_requests = [r for r, _ in httpserver.log if r.path.startswith("/doi/api/handles/")]
    assert len(handle_requests) == 1
    assert parse_qs(handle_requests[0].query_string.decode()) == {"type": ["HS_ALIAS"]}
    crossref = [r for r, _ in httpserver.log if r.path == "/crossref/works"]
    assert parse_qs(crossref[0].query_string.decode())["filter"] == [f"{FULL_DOI}"]
    work = work_row(store, "doi:10/b6vnmd")
    assert ids_of(store, work["id"]) == {"doi:10/b6vnmd", FULL_DOI}
    assert work["title"] == (
        "An evaluation of machine-learning methods for predicting pneumonia mortality"
    )
    assert work_authors(store, work["id"]) == ["Gregory F. Cooper", "Constantin F. Aliferis"]
    assert (work["status"], work["error"]) == ("resolved", None)
    assert summary.resolvers["shortdoi"].works == 1 and summary.resolvers["crossref"].resolved == 1


def test_a_shortdoi_and_its_doi_cited_apart_become_one_work(tmp_path, httpserver, base):
    _serve_handle_and_crossref(httpserver)
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://doi.org/10/b6vnmd", "short link"),
            ("https://doi.org/10.1016/S0933-3657(96)00367-3", "full link"),
        ],
    )
    assert store.scalar("SELECT count(*) FROM works") == 2
    summary = resolve(store, config_for(base))
    assert store.scalar("SELECT count(*) FROM works") == 1
    assert work_row(store, "doi:10/b6vnmd")["id"] == work_row(store, FULL_DOI)["id"]
    assert store.scalar("SELECT count(*) FROM links WHERE work_id IS NOT NULL") == 2
    assert summary.merged == 1


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (404, fixture("doi_handle_not_found.json")),  # response code 100: no such handle
        (200, b'{"responseCode":200,"handle":"10/zzzzzz","values":[]}'),  # no alias
    ],
)
def test_an_unknown_shortdoi_is_passed_to_its_landing_page(
    tmp_path, httpserver, base, status, answer
):
    httpserver.expect_request("/doi/api/handles/10/zzzzzz").respond_with_data(
        answer, status=status, content_type=JSON
    )
    httpserver.expect_request("/doi/10/zzzzzz").respond_with_data("gone", status=404)
    store = make_store(tmp_path / "t.db", [("doi.org/10/zzzzzz", "lost paper")])
    summary = resolve(store, config_for(base))
    work = work_row(store, "doi:10/zzzzzz")
    assert work["status"] == "failed" and work["error"].startswith("webpage: ")
    assert summary.resolvers["shortdoi"].passed_on == 1
    assert [r.path for r, _ in httpserver.log] == ["/doi/api/handles/10/zzzzzz", "/doi/10/zzzzzz"]


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_each_scheme_goes_first_to_the_source_the_registry_names(scheme):
    examples = {
        "arxiv": "arxiv:2303.12642",
        "doi": "doi:10.1145/3442188.3445922",
        "shortdoi": "doi:10/b6vnmd",
        "ssrn": "ssrn:4596436",
        "openreview": "openreview:H1bIT1buWH",
        "acl": "acl:2020.acl-main.463",
        "pmid": "pmid:21249754",
        "pmcid": "pmcid:PMC2631623",
    }
    found = identify(examples[scheme.name])
    target = Target(found.scheme, found.value, found.canonical_url, found.kind)
    assert resolvers_for(target)[0] == (scheme.resolver or "webpage")
