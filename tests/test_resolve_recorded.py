"""Resolution against answers the live services gave (tests/fixtures/resolve/SOURCES.md).

Crossref and DataCite are served from loopback by handlers that answer a batched list
query with the recorded records it asks for, in each API's documented list envelope.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from support.resolve import (
    FIXTURES,
    config_for,
    crossref_work_list,
    fixture,
    ids_of,
    make_store,
    work_row,
)
from werkzeug.wrappers import Response

from linkgraph.export.bib import references
from linkgraph.graph import build_graph
from linkgraph.lookup import work_authors, work_summary
from linkgraph.query import show
from linkgraph.resolve import resolve, schema_types
from linkgraph.resolve.base import Metadata
from linkgraph.resolve.markup import plain_text
from linkgraph.resolve.webpage import page_date, page_metadata

JSON = "application/json"
ATOM = "application/atom+xml"
RECORDED = FIXTURES / "recorded"


def _recorded(name: str) -> list[dict]:
    """The Crossref work records (or DataCite DOI records) a recorded answer holds."""
    data = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return data
    return [data["message"] if "message" in data else data["data"]]


def _crossref_records() -> list[dict]:
    return [
        *_recorded("crossref_work_ssrn_encoded_html.json"),
        *_recorded("crossref_work_preprintsorg_encoded_html.json"),
        *_recorded("crossref_work_jmir_journal.json"),
        *_recorded("crossref_items_acta_physica_polonica.json"),
        *json.loads(fixture("crossref_items_documented_shapes.json")),
    ]


def serve_crossref(httpserver, records: list[dict]) -> None:
    """Answer ``/crossref/works?filter=doi:A,doi:B`` with the records of those DOIs."""
    by_doi = {r["DOI"].lower(): r for r in records}

    def answer(request) -> Response:
        wanted = [f.removeprefix("doi:") for f in request.args["filter"].split(",")]
        items = [by_doi[d.lower()] for d in wanted if d.lower() in by_doi]
        body = crossref_work_list(items, int(request.args["rows"]))
        return Response(json.dumps(body), content_type=JSON)

    httpserver.expect_request("/crossref/works").respond_with_handler(answer)


def serve_datacite(httpserver, records: list[dict]) -> None:
    """Answer ``/datacite/dois?ids=A,B`` with the DOI records of those DOIs (JSON:API)."""
    by_doi = {r["attributes"]["doi"].lower(): r for r in records}

    def answer(request) -> Response:
        wanted = request.args["ids"].lower().split(",")
        data = [by_doi[d] for d in wanted if d in by_doi]
        body = {
            "data": data,
            "meta": {"total": len(data), "totalPages": 1 if data else 0, "page": 1},
            "links": {"self": request.url},
        }
        return Response(json.dumps(body), content_type="application/vnd.api+json")

    httpserver.expect_request("/datacite/dois").respond_with_handler(answer)


@pytest.fixture
def base(httpserver):
    return httpserver.url_for("").rstrip("/")


def _resolved(tmp_path, httpserver, base, links):
    serve_crossref(httpserver, _crossref_records())
    serve_datacite(httpserver, [])
    store = make_store(tmp_path / "t.db", [(link, "Cited work") for link in links])
    resolve(store, config_for(base))
    return store


# ---- Crossref: text, dates, venues, types ----------------------------------------------


def test_crossref_titles_abstracts_and_venues_are_plain_text(tmp_path, httpserver, base):
    store = _resolved(
        tmp_path,
        httpserver,
        base,
        [
            "https://doi.org/10.20944/preprints202601.1248.v1",
            "https://papers.ssrn.com/sol3/papers.cfm?abstract_id=6518178",
            "https://doi.org/10.5506/aphyspolb.56.3-a17",
            "https://doi.org/10.5555/chem.2019.8841",
            "https://doi.org/10.5555/review.2020.3",
        ],
    )
    lavender = work_row(store, "doi:10.20944/preprints202601.1248.v1")
    assert lavender["title"] == (
        "Capability of ISSR, SCoT and CEAP Markers for Genetic Diversity Assessment of "
        "Lavender (Lavandula angustifolia Mill.) Genotypes"
    )
    assert lavender["abstract"].startswith("Lavender has been cultivated in Bulgaria")
    ssrn = work_row(store, "ssrn:6518178")
    assert ssrn["title"] == (
        "Precision Oncology: Targeting Genomic Alterations and Cancer Signaling with "
        "Integrative Multi-Omics, Deep Learning and Network Biology in Medical Oncology"
    )
    assert ssrn["abstract"].startswith("Cancer is a complex genetic disease involving")
    assert ssrn["abstract"].endswith("achieving the intended goals over time.")
    hadrons = work_row(store, "doi:10.5506/aphyspolb.56.3-a17")
    assert hadrons["abstract"] == (
        "The interpretation of the energy-momentum tensor form factor \\(D(t)\\) of hadrons in "
        "terms of pressure and shear force distributions is discussed, concerns raised in the "
        "literature are reviewed, and ways to reconcile the concerns with the interpretation "
        "are indicated."
    )
    chem = work_row(store, "doi:10.5555/chem.2019.8841")
    assert chem["title"] == "Excited-State Dynamics of [Ru(bpy)3]2+ and the C IV λ1206 Line"
    assert chem["abstract"] == "Background Complexes of [Ru(bpy)3]2+ absorb at 452 nm."
    assert chem["venue"] == (
        "Proceedings of the 9th International Conference on Learning Analytics & Knowledge"
    )
    assert work_row(store, "doi:10.5555/review.2020.3")["title"] == "Women in Ming China."
    for work in (lavender, ssrn, hadrons, chem):
        assert not {"<", ">", "&"} & set(work["title"] + (work["abstract"] or ""))


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("[Ru(bpy)<sub>3</sub>]<sup>2+</sup>", "[Ru(bpy)3]2+"),
        ("The H <scp>i</scp> Disk", "The H I Disk"),
        ("λ<jats:sub>1206</jats:sub> emission", "λ1206 emission"),
        ("<i>Women in Ming China</i> .", "Women in Ming China."),
        ("Analytics &amp; Knowledge", "Analytics & Knowledge"),
        ("&lt;p&gt;Escaped&amp;nbsp;&lt;span&gt;twice&lt;/span&gt;&lt;/p&gt;", "Escaped twice"),
        ("p &lt; 0.05 for n<k", "p < 0.05 for n<k"),
        ("<jats:p>One.</jats:p><jats:p>Two.</jats:p>", "One. Two."),
        ("&#8220;Quoted&#8221;", "“Quoted”"),
        ("", None),
        (None, None),
    ],
)
def test_plain_text_of_markup_fragments(fragment, text):
    assert plain_text(fragment) == text


def test_crossref_dates_never_fall_back_to_registry_dates(tmp_path, httpserver, base):
    store = _resolved(
        tmp_path,
        httpserver,
        base,
        [
            "https://doi.org/10.5555/thesis.2025.17",
            "https://doi.org/10.5555/proc.2003.101",
            "https://papers.ssrn.com/sol3/papers.cfm?abstract_id=6518178",
            "https://doi.org/10.2196/mhealth.8873",
            "https://doi.org/10.5506/aphyspolb.42.2407",
            "https://doi.org/10.5555/chem.2019.8841",
        ],
    )
    published = {
        ref: work_row(store, ref)["published"]
        for ref in (
            "doi:10.5555/thesis.2025.17",  # approved 2025-04-01; registered 2025-10-24
            "doi:10.5555/proc.2003.101",  # conference 2003-05-27; registered 2004-06-22
            "ssrn:6518178",  # posted 2026; registered 2026-04-06
            "doi:10.2196/mhealth.8873",  # online 2018-01-17
            "doi:10.5506/aphyspolb.42.2407",  # print 2011; registered 2011-11-18
            "doi:10.5555/chem.2019.8841",  # print 2019-05 before online 2019-03-04
        )
    }
    assert published == {
        "doi:10.5555/thesis.2025.17": "2025-04-01",
        "doi:10.5555/proc.2003.101": "2003-05-27",
        "ssrn:6518178": "2026",
        "doi:10.2196/mhealth.8873": "2018-01-17",
        "doi:10.5506/aphyspolb.42.2407": "2011",
        "doi:10.5555/chem.2019.8841": "2019-05",
    }


def test_crossref_venues_types_and_kinds(tmp_path, httpserver, base):
    store = _resolved(
        tmp_path,
        httpserver,
        base,
        [
            "https://doi.org/10.5555/978-3-555-00001-0_12",
            "https://papers.ssrn.com/sol3/papers.cfm?abstract_id=6518178",
            "https://doi.org/10.5555/thesis.2025.17",
            "https://doi.org/10.2196/mhealth.8873",
            "https://doi.org/10.5555/data.2024.5",
        ],
    )
    chapter = work_row(store, "doi:10.5555/978-3-555-00001-0_12")
    assert chapter["venue"] == "Computer Vision – ECCV 2012. Workshops and Demonstrations"
    assert chapter["crossref_type"] == "book-chapter"
    ssrn = work_row(store, "ssrn:6518178")
    assert (ssrn["venue"], ssrn["crossref_type"]) == ("SSRN", "posted-content")
    thesis = work_row(store, "doi:10.5555/thesis.2025.17")
    assert (thesis["venue"], thesis["crossref_type"]) == ("Example University", "dissertation")
    jmir = work_row(store, "doi:10.2196/mhealth.8873")
    assert (jmir["venue"], jmir["kind"]) == ("JMIR mHealth and uHealth", "paper")
    assert work_authors(store, jmir["id"])[1:3] == [
        "João Antonio Queiroz Oliveira",
        "Marcelo D'Agostino",
    ]
    assert jmir["title"] == (
        "The Impact of mHealth Interventions: Systematic Review of Systematic Reviews"
    )
    data = work_row(store, "doi:10.5555/data.2024.5")  # a DOI link is guessed to be a paper
    assert (data["kind"], data["crossref_type"]) == ("dataset", "dataset")
    assert json.loads(data["sources"])["kind"]["source"] == "crossref"


def test_crossref_record_without_title_stays_partial(tmp_path, httpserver, base):
    store = _resolved(tmp_path, httpserver, base, ["https://doi.org/10.5506/aphyspolb.42.2407"])
    work = work_row(store, "doi:10.5506/aphyspolb.42.2407")
    assert work["status"] == "partial" and work["error"] == "Crossref's record has no title"
    assert work["title"] == "Cited work"  # the link text stays
    assert work_authors(store, work["id"]) == [
        "T. Gajdosik",
        "A. Juodagalvis",
        "D. Jurčiukonis",
        "T. Sabonis",
    ]


# ---- the primary id ------------------------------------------------------------------------


def test_a_works_shown_id_is_the_one_it_was_cited_by(tmp_path, httpserver, base):
    store = _resolved(tmp_path, httpserver, base, ["https://doi.org/10.5506/aphyspolb.56.3-a17"])
    work = work_row(store, "doi:10.5506/aphyspolb.56.3-a17")
    # has-preprint added the arXiv id, which sorts first: the shown id does not move to it
    assert ids_of(store, work["id"]) == {"doi:10.5506/aphyspolb.56.3-a17", "arxiv:2501.04622"}
    assert work["primary_id"] == "doi:10.5506/aphyspolb.56.3-a17"
    assert work_summary(store, work["id"])["id"] == "doi:10.5506/aphyspolb.56.3-a17"
    assert show(store, "arxiv:2501.04622")["id"] == "doi:10.5506/aphyspolb.56.3-a17"
    graph = build_graph(store)
    assert graph.nodes[f"work:{work['id']}"]["identifiers"][0] == work["primary_id"]
    assert [r.id for r in references(graph, store)] == ["doi:10.5506/aphyspolb.56.3-a17"]


def test_merged_preprint_and_published_version_keep_the_published_id(tmp_path, httpserver, base):
    serve_crossref(httpserver, _crossref_records())
    httpserver.expect_request("/api/query").respond_with_data(
        fixture("arxiv_empty_new.xml"), content_type=ATOM
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://arxiv.org/abs/2501.04622", "the preprint"),  # cited first: the older work
            ("https://doi.org/10.5506/aphyspolb.56.3-a17", "the paper"),
        ],
    )
    resolve(store, config_for(base))
    work = work_row(store, "arxiv:2501.04622")
    assert work["id"] == work_row(store, "doi:10.5506/aphyspolb.56.3-a17")["id"]
    assert store.scalar("SELECT count(*) FROM works") == 1
    assert work["primary_id"] == "doi:10.5506/aphyspolb.56.3-a17"  # published over preprint


def test_an_older_store_shows_the_id_first_recorded(tmp_path):
    store = make_store(tmp_path / "t.db", [("https://doi.org/10.5555/zeta.1", "paper")])
    work_id = work_row(store, "doi:10.5555/zeta.1")["id"]
    store.conn.execute("UPDATE works SET primary_id = NULL WHERE id = ?", (work_id,))
    store.conn.execute(
        "INSERT INTO identifiers (work_id, scheme, value) VALUES (?, 'arxiv', '1111.00001')",
        (work_id,),
    )
    assert work_summary(store, work_id)["id"] == "doi:10.5555/zeta.1"


# ---- DOIs Crossref does not know -----------------------------------------------------------


def test_dois_crossref_does_not_know_settle_and_are_not_asked_again(tmp_path, httpserver, base):
    serve_crossref(httpserver, [])
    serve_datacite(httpserver, _recorded("datacite_doi_zenodo.json"))
    httpserver.expect_request("/site/report").respond_with_data(
        fixture("page_scholarly_jsonld.html"), content_type="text/html"
    )
    httpserver.expect_request("/doi/10.7554/elife.00013").respond_with_data(  # any case
        fixture("page_elife_dublin_core.html"), content_type="text/html"
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://doi.org/10.5281/zenodo.7955181", "prime pairs"),
            ("https://doi.org/10.7554/eLife.00013", "sulfonolipid"),
            (f"{base}/site/report", "report"),
        ],
    )
    first = resolve(store, config_for(base))
    zenodo = work_row(store, "doi:10.5281/zenodo.7955181")
    assert (zenodo["title"], zenodo["published"], zenodo["venue"], zenodo["kind"]) == (
        "The Counting Functions of Prime Pairs",
        "2023-05-21",
        "Zenodo",
        "paper",
    )
    assert work_authors(store, zenodo["id"]) == ["Keyang Ding"]
    assert zenodo["abstract"].startswith("The counting functions of prime pairs are derived.")
    sources = json.loads(zenodo["sources"])
    assert sources["title"]["source"] == "datacite"
    assert sources["not_found"]["value"] == ["crossref:doi:10.5281/zenodo.7955181"]
    elife = work_row(store, "doi:10.7554/elife.00013")  # neither API: its landing page
    assert elife["status"] == "resolved" and elife["error"] is None and elife["kind"] == "paper"
    assert work_authors(store, elife["id"])[:2] == ["Rosanna A Alegado", "Laura W Brown"]
    report = work_row(store, "doi:10.5555/report.42")  # a page's DOI unknown to both APIs
    assert report["status"] == "resolved" and report["error"] is None
    assert report["title"] == "A Technical Report on Test Fixtures"
    assert json.loads(report["sources"])["not_found"]["value"] == [
        "crossref:doi:10.5555/report.42",
        "datacite:doi:10.5555/report.42",
    ]
    paths = [request.path for request, _ in httpserver.log]
    assert "/doi/10.5555/report.42" not in paths  # its page was read once, as the link
    (cited,) = [
        parse_qs(r.query_string.decode())
        for r, _ in httpserver.log
        if r.path == "/datacite/dois" and b"zenodo" in r.query_string
    ]
    assert sorted(cited["ids"][0].split(",")) == ["10.5281/zenodo.7955181", "10.7554/elife.00013"]
    assert cited["page[size]"] == ["2"]
    assert first.resolvers["crossref"].passed_on == 3
    assert first.resolved == 3 and first.partial == 0

    sent = len(httpserver.log)
    second = resolve(store, config_for(base))
    assert len(httpserver.log) == sent and second.requests == 0 and second.works == 0


# ---- web pages -----------------------------------------------------------------------------


def _page(path) -> Metadata:
    return page_metadata(path.read_bytes(), "text/html", "https://example.org/page")


def test_yoast_graph_authors_are_followed_by_reference():
    travel = _page(RECORDED / "page_yoast_graph_traveltomorrow.html")
    assert travel.title == "Traditional and classical music from Kazakhstan to hit Brussels"
    assert travel.authors == ["Deborah O'Donoghue"]  # {"@id": ...#/schema/person/...}
    assert (travel.published, travel.kind) == ("2023-03-22", "post")
    assert travel.venue == "Travel tomorrow"  # the publisher, by reference; not the WebPage
    voltaire = _page(RECORDED / "page_yoast_graph_bvoltaire.html")
    assert voltaire.title == (
        "Jean Sévillia : “L’État français et l’État algérien doivent reconnaître les crimes "
        "commis des deux côtés”"
    )
    assert voltaire.authors == ["Jean Sévillia"] and voltaire.subjects == [
        ("keyword", "Guerre d'Algérie")
    ]


def test_schema_org_subtypes_are_read_through_the_type_hierarchy():
    report = _page(FIXTURES / "page_reportage_news_article.html")
    assert report.title == (
        "Canadian citizen detained at U.S. border crossing, questioned for hours about voting"
    )
    assert (report.authors, report.published, report.kind) == (
        ["Arden McLeod"],
        "2026-09-26",
        "post",
    )
    assert report.field_origins["title"] == "webpage:json-ld"


@pytest.mark.parametrize(
    ("types", "kind"),
    [
        (["ReportageNewsArticle"], "post"),
        (["MedicalScholarlyArticle"], "paper"),
        (["https://schema.org/Thesis"], "paper"),
        (["OpinionNewsArticle", "WebPage"], "post"),
        (["Dataset"], "dataset"),
        (["ImageObject"], None),
        (["Person"], None),
    ],
)
def test_kind_of_schema_org_types(types, kind):
    assert schema_types.kind([t.rsplit("/", 1)[-1] for t in types]) == kind


def test_elife_authors_from_dublin_core_contributors_and_a_doi_make_a_paper():
    elife = _page(FIXTURES / "page_elife_dublin_core.html")
    assert len(elife.authors) == 8 and elife.authors[-1] == "Nicole King"
    assert elife.identifiers == ["doi:10.7554/elife.00013"]
    assert (elife.kind, elife.published) == ("paper", "2012-10-15")  # not og:type's "post"


def test_month_name_dates_are_read_to_the_day():
    page = _page(FIXTURES / "page_citation_month_name_date.html")
    assert page.published == "2019-04-22" and page.authors == ["Tom Everitt", "Marcus Hutter"]


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("Apr 22, 2019", "2019-04-22"),
        ("22 April 2019", "2019-04-22"),
        ("April 2019", "2019-04"),
        ("Monday, April 22, 2019 - 10:30", "2019-04-22"),
        ("2019-04-22T10:30:00Z", "2019-04-22"),
        ("2019/04/22", "2019-04-22"),
        ("2019", "2019"),
        ("Spring", None),
        ("", None),
    ],
)
def test_page_dates(written, iso):
    assert page_date(written) == iso
