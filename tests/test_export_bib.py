"""BibTeX read back with bibtexparser, CSL-JSON validated against the official schema.

tests/fixtures/csl-data.json is the CSL-JSON schema from citation-style-language/schema
(schemas/input/csl-data.json, version 1.0.2 of the data model).
"""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from linkgraph.export import render
from linkgraph.export.bib import (
    Reference,
    arxiv_date,
    citation_keys,
    parse_date,
    references,
    split_name,
    tex,
)
from linkgraph.graph import build_graph, node_for_ref, select

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "csl-data.json").read_text())
HARD_TITLE = r"Braces {unbalanced and 100% \ of $x_1$ & #1 ~ ^ \emph{x}"


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    return {entry.key: entry for entry in library.entries}


@pytest.fixture
def graph(sample_store):
    return build_graph(sample_store)


def test_bibtex_reads_back(graph, sample_store):
    entries = parse_bibtex(render("bibtex", graph, sample_store))
    debate = entries["ode2018safety"]
    assert debate.entry_type == "misc"
    assert debate["title"] == "AI safety via debate"
    assert debate["author"] == "Ode, Ben and Irwin, Geo"
    assert debate["year"] == "2018" and debate["date"] == "2018-05-02"
    assert debate["month"] == "may"
    assert debate["eprint"] == "1805.00899" and debate["archiveprefix"] == "arXiv"
    assert debate["url"] == "https://arxiv.org/abs/1805.00899"
    survey = next(e for e in entries.values() if e.fields_dict.get("doi"))
    assert survey["doi"] == "10.1000/xyz123"


def test_bibtex_has_every_cited_work_but_support_links(graph, sample_store):
    entries = parse_bibtex(render("bibtex", graph, sample_store))
    works = [d for _, d in graph.nodes(data=True) if d["kind"] == "work"]
    assert len(entries) == len([w for w in works if w["work_kind"] != "support"]) == 7
    assert not any("patreon" in e.fields_dict["url"].value for e in entries.values())


def test_bibtex_escapes_special_characters(graph, sample_store):
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    graph.nodes[work]["title"] = HARD_TITLE
    graph.nodes[work]["authors"] = [
        "\u00c5sa \u00d6berg",
        "Research and Development",
        "Plato",
        "de la Cruz, Juana",
    ]
    graph.nodes[work]["url"] = "https://example.org/a b/{x}\\y?q=1%2"
    entries = parse_bibtex(render("bibtex", graph, sample_store))
    entry = next(
        e for e in entries.values() if "eprint" in e.fields_dict and e["eprint"] == "1805.00899"
    )
    # pylatexenc decodes \textasciicircum as U+02C6; LaTeX prints a plain ^
    assert entry["title"].replace("\u02c6", "^") == HARD_TITLE
    raw = render("bibtex", graph, sample_store)
    verbatim = bibtexparser.parse_string(raw).entries_dict[entry.key]  # no LaTeX decoding
    assert verbatim["url"] == "https://example.org/a%20b/%7Bx%7D%5Cy?q=1%2"
    assert r"{\AA}sa" not in raw and "\u00c5sa" in raw  # UTF-8 kept as is
    assert "{Research and Development}" in raw and "{Plato}" in raw
    assert "de la Cruz, Juana" in raw


def test_tex_escapes_and_folds_whitespace():
    assert tex("a{b}\\c  d\n#$%&_~^") == (
        r"a\{b\}\textbackslash{}c d \#\$\%\&\_\textasciitilde{}\textasciicircum{}"
    )


def test_citation_keys_are_unique_ascii():
    refs = [
        Reference(
            node=f"work:{n}",
            kind="paper",
            title="\u00dcber Alles",
            authors=["J\u00fcrgen M\u00fcller"],
            date=(2020,),
        )
        for n in range(3)
    ]
    refs.append(Reference(node="work:8", kind="paper", title="Attention!", date=(2017, 6)))
    refs.append(Reference(node="work:9", kind="site", title=None))
    assert citation_keys(refs) == [
        "muller2020uber",
        "muller2020ubera",
        "muller2020uberb",
        "attention2017",
        "work9",
    ]


def test_names_and_dates():
    assert split_name("Ada Park") == ("Ada", "Park")
    assert split_name("de la Cruz, Juana") == ("Juana", "de la Cruz")
    assert split_name("Plato") == (None, "Plato")
    assert split_name("Research and Development") == (None, "Research and Development")
    assert parse_date("2018-05-02T10:00:00Z") == (2018, 5, 2)
    assert parse_date("2018-05") == (2018, 5)
    assert parse_date("2018") == (2018,)
    assert parse_date(None) == () and parse_date("May 2018") == ()
    assert arxiv_date(["url:https://x.example", "arxiv:1706.03762"]) == (2017, 6)
    assert arxiv_date(["arxiv:hep-th/9901001"]) == (1999, 1)
    assert arxiv_date(["arxiv:math.GT/0309136"]) == (2003, 9)
    assert arxiv_date(["doi:10.1000/1706.03762", "arxiv:1713.00001"]) == ()


def test_csl_json_validates_against_the_schema(graph, sample_store):
    items = json.loads(render("csl-json", graph, sample_store))
    jsonschema.validate(items, SCHEMA)
    by_id = {item["id"]: item for item in items}
    debate = by_id["arxiv:1805.00899"]
    assert debate["type"] == "article"
    assert debate["title"] == "AI safety via debate"
    assert debate["author"] == [
        {"family": "Ode", "given": "Ben"},
        {"family": "Irwin", "given": "Geo"},
    ]
    assert debate["issued"] == {"date-parts": [[2018, 5, 2]]}
    assert debate["number"] == "arXiv:1805.00899" and debate["publisher"] == "arXiv"
    assert debate["custom"]["linkgraph"]["citing_episodes"] == 3
    survey = by_id["doi:10.1000/xyz123"]
    assert survey["type"] == "article-journal" and survey["DOI"] == "10.1000/xyz123"
    types = {item["type"] for item in items}
    assert {"post-weblog", "motion_picture", "software"} <= types
    assert len(by_id) == len(items)


def test_csl_json_of_a_hard_work_still_validates(graph, sample_store):
    work = node_for_ref(sample_store, graph, "arxiv:1805.00899")
    graph.nodes[work].update(title=HARD_TITLE, authors=["Plato"], identifiers=[])
    items = json.loads(render("csl-json", graph, sample_store))
    jsonschema.validate(items, SCHEMA)
    item = next(i for i in items if i["custom"]["linkgraph"]["node"] == work)
    assert item["title"] == HARD_TITLE
    assert item["author"] == [{"literal": "Plato"}]
    assert item["id"] == work


def test_references_use_the_store_for_dates_and_venues(graph, sample_store):
    with sample_store.transaction() as conn:
        conn.execute(
            "UPDATE works SET venue = 'Journal of Oversight', published = '2022-07' "
            "WHERE id = (SELECT work_id FROM identifiers WHERE scheme = 'doi')"
        )
    refs = {r.id: r for r in references(graph, sample_store)}
    survey = refs["doi:10.1000/xyz123"]
    assert survey.venue == "Journal of Oversight" and survey.date == (2022, 7)
    entries = parse_bibtex(render("bibtex", graph, sample_store))
    article = next(e for e in entries.values() if e.entry_type == "article")
    assert article["journal"] == "Journal of Oversight"
    without_store = {r.id: r for r in references(graph)}
    assert without_store["doi:10.1000/xyz123"].venue is None
    assert without_store["arxiv:1805.00899"].date == (2018,)  # the graph's year


def test_unresolved_arxiv_papers_are_dated_by_their_id(graph, sample_store):
    with sample_store.transaction() as conn:
        conn.execute("UPDATE works SET published = NULL")
    refs = {r.id: r for r in references(build_graph(sample_store), sample_store)}
    assert refs["arxiv:1805.00899"].date == (2018, 5)
    assert refs["doi:10.1000/xyz123"].date == ()


def test_references_follow_the_selection(graph, sample_store):
    recent, _ = select(graph, since="2024-01-01")
    ids = {r.id for r in references(recent, sample_store)}
    code = node_for_ref(sample_store, graph, "https://github.com/example/rewardlab")
    assert ids == {"arxiv:2401.01234", "arxiv:1805.00899", code}
    episodes_only, _ = select(graph, kinds={"episode"})
    assert references(episodes_only, sample_store) == []
