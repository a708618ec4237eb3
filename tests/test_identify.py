"""identify(): standard ids, versions, link kinds and canonical URLs of links and id strings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from linkgraph.cli import app
from linkgraph.identify import KINDS, canonical_url, identify
from linkgraph.model import LINK_KINDS

ARXIV_ABS = "https://arxiv.org/abs/{}"

# input -> (id, version)
ARXIV = [
    ("https://arxiv.org/abs/2303.12642", "arxiv:2303.12642", None),
    ("http://arxiv.org/abs/2303.12642", "arxiv:2303.12642", None),
    ("arxiv.org/abs/2303.12642", "arxiv:2303.12642", None),
    ("https://arxiv.org/abs/2303.12642v2", "arxiv:2303.12642", "2"),
    ("https://arxiv.org/abs/2303.12642/", "arxiv:2303.12642", None),
    ("https://arxiv.org/pdf/2303.12642", "arxiv:2303.12642", None),
    ("https://arxiv.org/pdf/2303.12642v2.pdf", "arxiv:2303.12642", "2"),
    ("https://arxiv.org/pdf/2211.03540.pdf", "arxiv:2211.03540", None),
    ("https://arxiv.org/html/2303.12642v1", "arxiv:2303.12642", "1"),
    ("https://arxiv.org/format/2303.12642", "arxiv:2303.12642", None),
    ("https://export.arxiv.org/abs/2303.12642v3", "arxiv:2303.12642", "3"),
    ("https://www.arxiv.org/abs/2303.12642", "arxiv:2303.12642", None),
    ("https://arxiv.org/abs/2303.12642?context=cs", "arxiv:2303.12642", None),
    ("https://arxiv.org/abs/1906.01820the", "arxiv:1906.01820", None),
    ("https://arxiv.org/abs/0704.0001", "arxiv:0704.0001", None),
    ("https://arxiv.org/abs/1412.6980", "arxiv:1412.6980", None),
    ("https://arxiv.org/abs/math.GT/0309136", "arxiv:math/0309136", None),
    ("https://arxiv.org/abs/hep-th/9901001v2", "arxiv:hep-th/9901001", "2"),
    ("https://arxiv.org/pdf/cond-mat/0501001v1.pdf", "arxiv:cond-mat/0501001", "1"),
    ("https://arxiv.org/abs/arXiv:1310.2590", "arxiv:1310.2590", None),
    ("https://arxiv.org/pdf/arXiv:1310.2590v3", "arxiv:1310.2590", "3"),
    ("https://scirate.com/arxiv/1310.2590", "arxiv:1310.2590", None),
    ("https://www.arxiv-vanity.com/papers/1310.2590/", "arxiv:1310.2590", None),
    ("https://ar5iv.labs.arxiv.org/html/1310.2590", "arxiv:1310.2590", None),
    ("https://huggingface.co/papers/2303.12642", "arxiv:2303.12642", None),
    ("arXiv:2303.12642", "arxiv:2303.12642", None),
    ("arxiv: 2303.12642", "arxiv:2303.12642", None),
    ("ARXIV:2303.12642v2", "arxiv:2303.12642", "2"),
    ("arXiv:math.GT/0309136", "arxiv:math/0309136", None),
    ("2303.12642", "arxiv:2303.12642", None),
    ("2303.12642v4", "arxiv:2303.12642", "4"),
    ("0704.0001", "arxiv:0704.0001", None),
    ("math.GT/0309136", "arxiv:math/0309136", None),
    ("hep-th/9901001", "arxiv:hep-th/9901001", None),
    ("  arXiv:2303.12642\n", "arxiv:2303.12642", None),
    ("10.48550/arXiv.2303.12642", "arxiv:2303.12642", None),
    ("https://doi.org/10.48550/arXiv.2303.12642", "arxiv:2303.12642", None),
    ("doi:10.48550/arxiv.hep-th/9901001", "arxiv:hep-th/9901001", None),
]


@pytest.mark.parametrize(("text", "expected_id", "version"), ARXIV)
def test_arxiv_forms(text, expected_id, version):
    found = identify(text)
    assert (found.id, found.version, found.scheme) == (expected_id, version, "arxiv")
    assert found.kind == "paper"
    assert found.canonical_url == ARXIV_ABS.format(found.value)


@pytest.mark.parametrize(
    "text",
    [
        "2303.1264",  # too few digits after 2015
        "1412.69801",  # five digits before 2015
        "0703.0001",  # before the new scheme began
        "2313.12642",  # month 13
        "2303.126423",  # a longer number is not a glued id
        "foo/0309136",  # not an arXiv archive
        "https://arxiv.org/abs/2303.126423",
        "https://arxiv.org/list/cs.AI/recent",
        "2303.00000",  # paper number 0
        "1412.0000",
        "arXiv:hep-th/9901000",
        "https://arxiv.org/abs/math/0309000",
        "hep-th/9913001",  # month 13
        "hep-th/0801001",  # old-style ids ended in March 2007
    ],
)
def test_arxiv_lookalikes_are_not_ids(text):
    assert identify(text).scheme != "arxiv"


DOIS = [
    ("https://doi.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("http://dx.doi.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("doi.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("doi:10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("DOI: 10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("https://doi.org/10.1000%2F182", "doi:10.1000/182"),
    ("https://doi.org/10.1037/RMH0000008", "doi:10.1037/rmh0000008"),
    ("https://dl.acm.org/doi/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("https://dl.acm.org/doi/abs/10.1145/1276958.1277158", "doi:10.1145/1276958.1277158"),
    ("https://dl.acm.org/doi/pdf/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    ("https://dl.acm.org/doi/fullHtml/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
    (
        "https://link.springer.com/article/10.1007/s10458-022-09574-6",
        "doi:10.1007/s10458-022-09574-6",
    ),
    (
        "https://link.springer.com/chapter/10.1007/978-3-030-58539-6_5",
        "doi:10.1007/978-3-030-58539-6_5",
    ),
    (
        "https://link.springer.com/content/pdf/10.1007/s10458-022-09574-6.pdf",
        "doi:10.1007/s10458-022-09574-6",
    ),
    (
        "https://onlinelibrary.wiley.com/doi/10.1111/j.1468-0262.2006.00001.x",
        "doi:10.1111/j.1468-0262.2006.00001.x",
    ),
    ("https://onlinelibrary.wiley.com/doi/epdf/10.1002/asi.24750", "doi:10.1002/asi.24750"),
    ("https://onlinelibrary.wiley.com/doi/full/10.1002/asi.24750", "doi:10.1002/asi.24750"),
    (
        "https://www.tandfonline.com/doi/abs/10.1080/01621459.2017.1285773?journalCode=uasa20",
        "doi:10.1080/01621459.2017.1285773",
    ),
    (
        "https://www.tandfonline.com/doi/pdf/10.1080/01621459.2017.1285773",
        "doi:10.1080/01621459.2017.1285773",
    ),
    ("https://journals.sagepub.com/doi/10.1177/0956797611417632", "doi:10.1177/0956797611417632"),
    ("https://www.science.org/doi/10.1126/science.ade9097", "doi:10.1126/science.ade9097"),
    ("https://www.pnas.org/doi/10.1073/pnas.2105646118", "doi:10.1073/pnas.2105646118"),
    ("https://www.nature.com/articles/s41586-020-2649-2", "doi:10.1038/s41586-020-2649-2"),
    ("https://www.nature.com/articles/s41586-020-2649-2.pdf", "doi:10.1038/s41586-020-2649-2"),
    ("https://www.nature.com/articles/nature14539", "doi:10.1038/nature14539"),
    (
        "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0123456",
        "doi:10.1371/journal.pone.0123456",
    ),
    (
        "https://www.frontiersin.org/articles/10.3389/fpsyg.2020.01234/full",
        "doi:10.3389/fpsyg.2020.01234",
    ),
    (
        "https://www.degruyter.com/document/doi/10.7208/9780226613475-011/html",
        "doi:10.7208/9780226613475-011",
    ),
    ("https://example.org/viewer?doi=10.1000/xyz123", "doi:10.1000/xyz123"),
    ("https://doi.org/10.18653/v1/2020.acl-main.463", "acl:2020.acl-main.463"),
    ("https://doi.org/10.2139/ssrn.4596436", "ssrn:4596436"),
]


@pytest.mark.parametrize(("text", "expected_id"), DOIS)
def test_doi_forms(text, expected_id):
    found = identify(text)
    assert found.id == expected_id
    assert found.kind == "paper"
    if found.scheme == "doi":
        assert found.canonical_url == "https://doi.org/" + found.value


@pytest.mark.parametrize(
    ("text", "expected_id", "version"),
    [
        (
            "https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2",
            "doi:10.1101/2020.01.01.123456",
            "2",
        ),
        (
            "https://www.biorxiv.org/content/10.1101/2020.01.01.123456v2.full.pdf",
            "doi:10.1101/2020.01.01.123456",
            "2",
        ),
        (
            "https://www.medrxiv.org/content/10.1101/2021.03.04.21252900v1.full",
            "doi:10.1101/2021.03.04.21252900",
            "1",
        ),
        ("https://www.biorxiv.org/content/10.1101/123456v1", "doi:10.1101/123456", "1"),
        ("https://doi.org/10.1101/2020.01.01.123456", "doi:10.1101/2020.01.01.123456", None),
    ],
)
def test_preprint_servers_keep_the_version_apart(text, expected_id, version):
    found = identify(text)
    assert (found.id, found.version) == (expected_id, version)


OTHER_IDS = [
    ("https://papers.ssrn.com/sol3/papers.cfm?abstract_id=4596436", "ssrn:4596436"),
    ("papers.ssrn.com/sol3/papers.cfm?abstract_id=4596436", "ssrn:4596436"),
    ("https://ssrn.com/abstract=4596436", "ssrn:4596436"),
    ("https://papers.ssrn.com/sol3/Delivery.cfm?abstractid=4596436", "ssrn:4596436"),
    (
        "https://papers.ssrn.com/sol3/Delivery.cfm/SSRN_ID4596436_code5.pdf?abstractid=4596436&mirid=1",
        "ssrn:4596436",
    ),
    ("10.2139/ssrn.4596436", "ssrn:4596436"),
    ("ssrn:4596436", "ssrn:4596436"),
    ("https://openreview.net/forum?id=H1bIT1buWH", "openreview:H1bIT1buWH"),
    ("https://openreview.net/pdf?id=H1bIT1buWH", "openreview:H1bIT1buWH"),
    ("https://openreview.net/forum?id=H1bIT1buWH&noteId=abc", "openreview:H1bIT1buWH"),
    ("openreview:H1bIT1buWH", "openreview:H1bIT1buWH"),
    ("https://pubmed.ncbi.nlm.nih.gov/12345/", "pmid:12345"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/12345", "pmid:12345"),
    ("pmid:12345", "pmid:12345"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC9544280/", "pmcid:PMC9544280"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC9544280/", "pmcid:PMC9544280"),
    ("pmcid:PMC9544280", "pmcid:PMC9544280"),
    ("PMC9544280", "pmcid:PMC9544280"),
    ("https://aclanthology.org/2020.acl-main.463", "acl:2020.acl-main.463"),
    ("https://aclanthology.org/2020.acl-main.463.pdf", "acl:2020.acl-main.463"),
    ("https://aclanthology.org/P19-1001", "acl:P19-1001"),
    ("https://aclanthology.org/P19-1001.pdf", "acl:P19-1001"),
    ("https://www.aclweb.org/anthology/P19-1001.pdf", "acl:P19-1001"),
    ("acl:2020.acl-main.463", "acl:2020.acl-main.463"),
]
CANONICAL_BY_SCHEME = {
    "ssrn": "https://papers.ssrn.com/sol3/papers.cfm?abstract_id={}",
    "openreview": "https://openreview.net/forum?id={}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}",
    "acl": "https://aclanthology.org/{}",
}


@pytest.mark.parametrize(("text", "expected_id"), OTHER_IDS)
def test_other_id_forms(text, expected_id):
    found = identify(text)
    assert found.id == expected_id
    assert found.kind == "paper"
    assert found.canonical_url == CANONICAL_BY_SCHEME[found.scheme].format(found.value)


# Forms other tools recognise (Manubot, Zotero's translators, idutils): input -> (id, version)
MORE_FORMS = [
    # old DOI proxies and handle servers
    ("http://dx.doi.org/10.1038/nature14539", "doi:10.1038/nature14539", None),
    ("http://doi.acm.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922", None),
    ("http://doi.ieeecomputersociety.org/10.1109/MC.2006.58", "doi:10.1109/mc.2006.58", None),
    ("http://doi.wiley.com/10.1002/asi.24750", "doi:10.1002/asi.24750", None),
    ("https://hdl.handle.net/10.1000/182", "doi:10.1000/182", None),
    # shortDOIs: kept as they are until resolution finds the DOI they stand for
    ("https://doi.org/10/b6vnmd", "doi:10/b6vnmd", None),
    ("http://dx.doi.org/10/B6VNMD", "doi:10/b6vnmd", None),
    ("doi:10/b6vnmd", "doi:10/b6vnmd", None),
    ("shortdoi:10/b6vnmd", "doi:10/b6vnmd", None),
    # bioRxiv and medRxiv before 2019, and medRxiv's dated ids in the same layout
    ("http://biorxiv.org/content/early/2017/08/31/087619", "doi:10.1101/087619", None),
    (
        "https://www.biorxiv.org/content/biorxiv/early/2017/08/31/087619.full.pdf",
        "doi:10.1101/087619",
        None,
    ),
    ("https://www.biorxiv.org/content/early/2016/10/26/083246v2", "doi:10.1101/083246", "2"),
    (
        "https://www.medrxiv.org/content/early/2020/04/17/2020.04.14.20062463v1.full.pdf",
        "doi:10.1101/2020.04.14.20062463",
        "1",
    ),
    # PubMed Central before pmc.ncbi.nlm.nih.gov, and PubMed searches for one PMID
    ("http://www.ncbi.nlm.nih.gov/pmc/PMC2631623", "pmcid:PMC2631623", None),
    ("https://www.ncbi.nlm.nih.gov/pmc/PMC2631623/", "pmcid:PMC2631623", None),
    ("http://www.pubmedcentral.nih.gov/articlerender.fcgi?artid=2631623", "pmcid:PMC2631623", None),
    ("https://europepmc.org/articles/PMC2631623", "pmcid:PMC2631623", None),
    ("pmc:PMC2631623", "pmcid:PMC2631623", None),
    ("https://www.ncbi.nlm.nih.gov/pubmed?term=21249754", "pmid:21249754", None),
    ("https://www.ncbi.nlm.nih.gov/pubmed/?term=21249754", "pmid:21249754", None),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=21249754", "pmid:21249754", None),
    ("https://pubmed.ncbi.nlm.nih.gov/?term=21249754%5Buid%5D", "pmid:21249754", None),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/pmid/21249754/", "pmid:21249754", None),
    ("pubmed:21249754", "pmid:21249754", None),
    # DOIs of repository records
    (
        "https://dataverse.harvard.edu/dataset.xhtml?persistentId=doi:10.7910/DVN/TJCLKP",
        "doi:10.7910/dvn/tjclkp",
        None,
    ),
    (
        "https://borealisdata.ca/citation?persistentId=doi:10.5683/SP2/KCDMRA&version=1.0",
        "doi:10.5683/sp2/kcdmra",
        None,
    ),
    (
        "https://datadryad.org/stash/dataset/doi:10.5061/dryad.2bvq83bpp",
        "doi:10.5061/dryad.2bvq83bpp",
        None,
    ),
    ("https://zenodo.org/records/7651563", "doi:10.5281/zenodo.7651563", None),
    ("https://zenodo.org/record/7651563", "doi:10.5281/zenodo.7651563", None),
    (
        "https://zenodo.org/records/7651563/files/paper.pdf?download=1",
        "doi:10.5281/zenodo.7651563",
        None,
    ),
    ("https://zenodo.org/doi/10.5281/zenodo.7651562", "doi:10.5281/zenodo.7651562", None),
    (
        "https://figshare.com/articles/dataset/Some_title/12345678/2",
        "doi:10.6084/m9.figshare.12345678",
        "2",
    ),
    ("https://figshare.com/articles/12345678", "doi:10.6084/m9.figshare.12345678", None),
    (
        "https://figshare.com/articles/journal_contribution/2020/12345678",
        "doi:10.6084/m9.figshare.12345678",
        None,
    ),
    # percent-encoded URLs inside Wayback Machine links
    (
        "https://web.archive.org/web/2015/http%3A%2F%2Farxiv.org%2Fabs%2F1310.2590",
        "arxiv:1310.2590",
        None,
    ),
    (
        "https://web.archive.org/web/20150101000000/http%3A%2F%2Fdx.doi.org%2F10.1038%2Fnature14539",
        "doi:10.1038/nature14539",
        None,
    ),
    (
        "http://web.archive.org/web/2016/http:%2F%2Fwww.ncbi.nlm.nih.gov%2Fpubmed%2F21249754",
        "pmid:21249754",
        None,
    ),
]
WORK_URLS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "doi": "https://doi.org/{}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}",
}


@pytest.mark.parametrize(("text", "expected_id", "version"), MORE_FORMS)
def test_forms_other_tools_recognise(text, expected_id, version):
    found = identify(text)
    assert (found.id, found.version) == (expected_id, version)
    assert found.canonical_url == WORK_URLS[found.scheme].format(found.value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("https://zenodo.org/records/7651563", "dataset"),
        ("https://doi.org/10.5281/zenodo.7651563", "dataset"),
        ("https://figshare.com/articles/12345678", "dataset"),
        ("https://datadryad.org/stash/dataset/doi:10.5061/dryad.abc123", "dataset"),
        ("https://doi.org/10.1145/3442188.3445922", "paper"),
        ("doi:10/b6vnmd", "paper"),
    ],
)
def test_repository_dois_start_as_datasets(text, kind):
    assert identify(text).kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "https://sandbox.zenodo.org/records/7651563",  # the sandbox mints no real DOIs
        "https://melbourne.figshare.com/articles/dataset/x/12345678",  # portals mint their own
        "https://pubmed.ncbi.nlm.nih.gov/?term=21249754+21249755",  # a search for two
        "https://pubmed.ncbi.nlm.nih.gov/?term=cancer",
        "10/b6vnmd",  # a bare shortDOI is a fraction or a date as often as an id
        "doi:10/",
        "pmid:0",
        "ssrn:000",
    ],
)
def test_lookalikes_of_the_new_forms_are_not_ids(text):
    assert identify(text).id is None


# input -> id: what follows an id by mistake (a closing bracket, quote, full stop ...) is cut
TRAILING_JUNK = [
    ("https://www.youtube.com/watch?v=ngTCf2cnGkY>", None),
    ("https://doi.org/10.1016/S0933-3657(96)00367-3)", "doi:10.1016/s0933-3657(96)00367-3"),
    ("https://doi.org/10.1016/S0933-3657(96)00367-3", "doi:10.1016/s0933-3657(96)00367-3"),
    ("https://doi.org/10.1038/nature14539.", "doi:10.1038/nature14539"),
    ("https://doi.org/10.1038/nature14539%22", "doi:10.1038/nature14539"),
    ("https://www.pnas.org/doi/10.1073/pnas.2105646118),", "doi:10.1073/pnas.2105646118"),
    ("doi:10.1038/nature14539>", "doi:10.1038/nature14539"),
    ("https://doi.org/10/b6vnmd>", "doi:10/b6vnmd"),
    ("https://openreview.net/forum?id=H1bIT1buWH).", "openreview:H1bIT1buWH"),
    ("https://pubmed.ncbi.nlm.nih.gov/21249754>", "pmid:21249754"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2631623'", "pmcid:PMC2631623"),
    ("https://arxiv.org/abs/1310.2590]", "arxiv:1310.2590"),
    ('https://aclanthology.org/2020.acl-main.463"', "acl:2020.acl-main.463"),
]


@pytest.mark.parametrize(("text", "expected_id"), TRAILING_JUNK)
def test_ids_lose_trailing_junk(text, expected_id):
    assert identify(text).id == expected_id


@pytest.mark.parametrize(
    "text", [t for t, *_ in ARXIV + DOIS + OTHER_IDS + MORE_FORMS + TRAILING_JUNK]
)
def test_the_canonical_url_of_a_work_names_the_same_work(text):
    found = identify(text)
    again = identify(found.canonical_url)
    assert (again.id, again.canonical_url) == (found.id, found.canonical_url)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.youtube.com/watch?v=ngTCf2cnGkY>",
        "https://www.youtube.com/watch?v=ngTCf2cnGkY)",
        "https://youtu.be/ngTCf2cnGkY%3E",
        "https://www.youtube.com/embed/ngTCf2cnGkY%22",
    ],
)
def test_a_youtube_id_is_eleven_characters(text):
    assert identify(text).canonical_url == "https://youtube.com/watch?v=ngTCf2cnGkY"


def test_a_longer_youtube_id_is_no_video_id():
    assert identify("https://youtube.com/watch?v=ngTCf2cnGkYxyz").canonical_url == (
        "https://youtube.com/watch?v=ngTCf2cnGkYxyz"
    )


def test_value_is_the_id_without_its_scheme():
    found = identify("https://openreview.net/forum?id=H1bIT1buWH")
    assert (found.scheme, found.value) == ("openreview", "H1bIT1buWH")


# input -> (canonical URL, fragment)
CANONICAL = [
    ("https://example.com", "https://example.com/", None),
    ("https://example.com/", "https://example.com/", None),
    ("http://example.com/a/b/", "https://example.com/a/b", None),
    ("HTTPS://WWW.Example.COM/CaseKept", "https://example.com/CaseKept", None),
    ("https://example.com:443/a", "https://example.com/a", None),
    ("http://example.com:80/a", "https://example.com/a", None),
    ("https://example.com:8080/a", "https://example.com:8080/a", None),
    ("https://user:secret@example.com/a", "https://example.com/a", None),
    ("https://example.com./a", "https://example.com/a", None),
    (
        "https://example.com/a?utm_source=x&utm_medium=y&b=2&fbclid=z&a=1",
        "https://example.com/a?b=2&a=1",
        None,
    ),
    (
        "https://example.com/a?gclid=1&mc_cid=2&mc_eid=3&ref_src=4&igshid=5",
        "https://example.com/a",
        None,
    ),
    ("https://example.com/a?&&x=1&", "https://example.com/a?x=1", None),
    ("https://example.com/a?", "https://example.com/a", None),
    ("https://example.com/a#Section-2", "https://example.com/a", "Section-2"),
    ("https://example.com/a?b=1#", "https://example.com/a?b=1", None),
    ("https://example.com/%7Euser/%41b%2fc", "https://example.com/~user/Ab%2Fc", None),
    ("https://example.com/a b/ü", "https://example.com/a%20b/%C3%BC", None),
    ("https://example.com/100%", "https://example.com/100%25", None),
    (
        "https://en.m.wikipedia.org/wiki/Bayes%27_theorem",
        "https://en.wikipedia.org/wiki/Bayes'_theorem",
        None,
    ),
    (
        "https://mobile.twitter.com/ESYudkowsky/status/1070095112791715846?s=20&t=abc",
        "https://twitter.com/ESYudkowsky/status/1070095112791715846",
        None,
    ),
    (
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?si=abc123",
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        None,
    ),
    ("https://youtu.be/0JkaOAzDfgE", "https://youtube.com/watch?v=0JkaOAzDfgE", None),
    ("https://youtu.be/0JkaOAzDfgE?si=Xy", "https://youtube.com/watch?v=0JkaOAzDfgE", None),
    (
        "https://www.youtube.com/watch?v=3L4czdIa8Tg&list=PLmjaTS1-AiDeqUu&index=12",
        "https://youtube.com/watch?v=3L4czdIa8Tg",
        None,
    ),
    (
        "https://m.youtube.com/watch?feature=share&v=3L4czdIa8Tg",
        "https://youtube.com/watch?v=3L4czdIa8Tg",
        None,
    ),
    (
        "https://www.youtube.com/embed/3L4czdIa8Tg?start=30",
        "https://youtube.com/watch?v=3L4czdIa8Tg",
        None,
    ),
    ("https://youtube.com/shorts/3L4czdIa8Tg", "https://youtube.com/watch?v=3L4czdIa8Tg", None),
    (
        "https://www.youtube-nocookie.com/embed/3L4czdIa8Tg",
        "https://youtube.com/watch?v=3L4czdIa8Tg",
        None,
    ),
    ("https://www.youtube.com/@hamishdoodles", "https://youtube.com/@hamishdoodles", None),
    (
        "https://www.youtube.com/results?search_query=Scott+Aaronson",
        "https://youtube.com/results?search_query=Scott+Aaronson",
        None,
    ),
    ("example.com/a?b=1", "https://example.com/a?b=1", None),
    ("//example.com/a", "https://example.com/a", None),
]


@pytest.mark.parametrize(("url", "expected", "fragment"), CANONICAL)
def test_canonical_url(url, expected, fragment):
    assert canonical_url(url) == (expected, fragment)


@pytest.mark.parametrize(("url", "expected", "fragment"), CANONICAL)
def test_identify_gives_the_canonical_url_and_keeps_the_fragment(url, expected, fragment):
    found = identify(url)
    assert (found.canonical_url, found.fragment, found.id) == (expected, fragment, None)


@pytest.mark.parametrize("expected", [expected for _, expected, _ in CANONICAL])
def test_canonical_urls_are_fixed_points(expected):
    assert canonical_url(expected) == (expected, None)


# Every URL of one forum post, on every host of its post database, and its canonical URL.
LW_POST = "https://lesswrong.com/posts/iCfdcxiyr2Kj8m8mT"
EA_POST = "https://forum.effectivealtruism.org/posts/Dtr8aHqCQSDhyueFZ"
SLUG = "the-shard-theory-of-human-values"
FORUM_POSTS = [
    (f"https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT/{SLUG}", LW_POST),
    ("https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT", LW_POST),
    ("https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT/", LW_POST),
    ("https://www.lesswrong.com/s/nyEFg3AuJpdAozmoX/p/iCfdcxiyr2Kj8m8mT", LW_POST),
    ("https://www.lesswrong.com/highlights/p/iCfdcxiyr2Kj8m8mT", LW_POST),
    ("https://www.lesswrong.com/g/8W6kRDjSrXAWcGpeA/p/iCfdcxiyr2Kj8m8mT", LW_POST),
    ("https://www.lesswrong.com/events/iCfdcxiyr2Kj8m8mT/a-meetup", LW_POST),
    (f"https://www.alignmentforum.org/posts/iCfdcxiyr2Kj8m8mT/{SLUG}", LW_POST),
    ("https://alignmentforum.org/s/nyEFg3AuJpdAozmoX/p/iCfdcxiyr2Kj8m8mT", LW_POST),
    (f"http://www.greaterwrong.com/posts/iCfdcxiyr2Kj8m8mT/{SLUG}", LW_POST),
    (f"https://www.lesserwrong.com/posts/iCfdcxiyr2Kj8m8mT/{SLUG}", LW_POST),
    (f"lesswrong.com/posts/iCfdcxiyr2Kj8m8mT/{SLUG}", LW_POST),
    (
        "https://forum.effectivealtruism.org/posts/Dtr8aHqCQSDhyueFZ/the-case-for-strong-longtermism",
        EA_POST,
    ),
    ("https://forum.effectivealtruism.org/s/B79ro5zkhndbBKRRX/p/Dtr8aHqCQSDhyueFZ", EA_POST),
    ("https://ea.greaterwrong.com/posts/Dtr8aHqCQSDhyueFZ/the-case-for-longtermism", EA_POST),
]


@pytest.mark.parametrize(("url", "canonical"), FORUM_POSTS)
def test_every_url_of_a_forum_post_is_the_post(url, canonical):
    found = identify(url)
    assert (found.canonical_url, found.kind, found.id) == (canonical, "post", None)


def test_a_forum_post_keeps_its_section_fragment():
    found = identify("https://www.alignmentforum.org/posts/iCfdcxiyr2Kj8m8mT/slug#II__Shards")
    assert (found.canonical_url, found.fragment) == (LW_POST, "II__Shards")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        # another database: the EA Forum's posts are not LessWrong's
        (
            "https://forum.effectivealtruism.org/posts/iCfdcxiyr2Kj8m8mT/slug",
            "https://forum.effectivealtruism.org/posts/iCfdcxiyr2Kj8m8mT",
        ),
        # pages of a forum that are no post stay what they are
        (
            "https://www.alignmentforum.org/s/nyEFg3AuJpdAozmoX",
            "https://alignmentforum.org/s/nyEFg3AuJpdAozmoX",
        ),
        ("https://www.lesswrong.com/users/turntrout", "https://lesswrong.com/users/turntrout"),
        (
            "https://www.lesswrong.com/tag/mesa-optimization",
            "https://lesswrong.com/tag/mesa-optimization",
        ),
        # a comment is not its post
        (
            "https://www.greaterwrong.com/posts/iCfdcxiyr2Kj8m8mT/slug/comment/qAy66Wza8csAqWxiB",
            "https://greaterwrong.com/posts/iCfdcxiyr2Kj8m8mT/slug/comment/qAy66Wza8csAqWxiB",
        ),
        (
            "https://www.lesswrong.com/posts/iCfdcxiyr2Kj8m8mT/slug?commentId=qAy66Wza8csAqWxiB",
            "https://lesswrong.com/posts/iCfdcxiyr2Kj8m8mT?commentId=qAy66Wza8csAqWxiB",
        ),
        # a path that is no post id, and the same paths on other hosts
        ("https://www.lesswrong.com/posts/abc/title", "https://lesswrong.com/posts/abc/title"),
        (
            "https://example.org/posts/iCfdcxiyr2Kj8m8mT/slug",
            "https://example.org/posts/iCfdcxiyr2Kj8m8mT/slug",
        ),
    ],
)
def test_forum_urls_that_name_no_post_or_another_stay_apart(url, canonical):
    assert identify(url).canonical_url == canonical


@pytest.mark.parametrize(
    "pair",
    [
        ("http://example.com/page", "https://www.example.com/page/"),
        (
            "https://lesswrong.com/posts/abc/title",
            "https://www.lesswrong.com/posts/abc/title#comments",
        ),
        ("https://example.com/%7Ea", "https://example.com/~a"),
        ("https://example.com/a?utm_campaign=x", "https://example.com/a"),
        ("https://youtu.be/0JkaOAzDfgE", "https://www.youtube.com/watch?v=0JkaOAzDfgE&t=42"),
        # escapes of characters that need none are decoded (RFC 3986 6.2.2), marks included
        (
            "https://en.wikipedia.org/wiki/Bayes'_theorem",
            "https://en.wikipedia.org/wiki/Bayes%27_theorem",
        ),
        (
            "https://en.wikipedia.org/wiki/Wafer_(electronics)",
            "https://en.wikipedia.org/wiki/Wafer_%28electronics%29",
        ),
        ("https://example.com/a!b*c", "https://example.com/a%21b%2Ac"),
        ("https://example.com/search?q=it's", "https://example.com/search?q=it%27s"),
        ("https://example.com/%c3%bc", "https://example.com/%C3%BC"),
        ("https://example.com/ü", "https://example.com/%C3%BC"),
        ("https://example.com/a%2db", "https://example.com/a-b"),
        # platform players are their page
        (
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk?utm_source=generator",
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
        (
            "https://embed.podcasts.apple.com/us/podcast/axrp/id1531236547",
            "https://podcasts.apple.com/us/podcast/axrp/id1531236547",
        ),
    ],
)
def test_variants_of_one_link_share_a_canonical_url(pair):
    first, second = (identify(url).canonical_url for url in pair)
    assert first == second


@pytest.mark.parametrize(
    "pair",
    [
        ("https://example.com/a/b", "https://example.com/a%2Fb"),  # a slash is a separator
        ("https://example.com/?q=a%26b", "https://example.com/?q=a&b"),  # & splits the query
        ("https://example.com/?q=a%3Db", "https://example.com/?q=a=b"),
        ("https://example.com/?q=a%2Bb", "https://example.com/?q=a+b"),  # + is a space in forms
        ("https://example.com/a%3Bb", "https://example.com/a;b"),  # ; starts path parameters
    ],
)
def test_escapes_that_change_meaning_are_kept(pair):
    first, second = (canonical_url(url)[0] for url in pair)
    assert first != second


def test_identified_work_keeps_the_fragment_of_its_link():
    found = identify("https://arxiv.org/abs/2303.12642#S3")
    assert (found.id, found.fragment) == ("arxiv:2303.12642", "S3")


RSA_ARCHIVE = (
    "https://web.archive.org/web/20061209135708/http://www.rsasecurity.com/rsalabs/node.asp?id=2093"
)


@pytest.mark.parametrize(
    ("url", "expected_id", "canonical", "fragment", "archive"),
    [
        (
            "https://web.archive.org/web/20230201063146/https://www.redwoodresearch.org/remix",
            None,
            "https://redwoodresearch.org/remix",
            None,
            "https://web.archive.org/web/20230201063146/https://www.redwoodresearch.org/remix",
        ),
        (
            RSA_ARCHIVE + "#RSA2048",
            None,
            "https://rsasecurity.com/rsalabs/node.asp?id=2093",
            "RSA2048",
            RSA_ARCHIVE,
        ),
        (
            "https://web.archive.org/web/2023*/arxiv.org/abs/2303.12642v2",
            "arxiv:2303.12642",
            "https://arxiv.org/abs/2303.12642",
            None,
            "https://web.archive.org/web/2023*/arxiv.org/abs/2303.12642v2",
        ),
        (
            "http://web.archive.org/web/20200101000000id_/http:/example.com/paper",
            None,
            "https://example.com/paper",
            None,
            "https://web.archive.org/web/20200101000000id_/http:/example.com/paper",
        ),
        (
            "web.archive.org/web/https://example.com/a?b=1",
            None,
            "https://example.com/a?b=1",
            None,
            "https://web.archive.org/web/https://example.com/a?b=1",
        ),
    ],
)
def test_wayback_links_identify_the_archived_url(url, expected_id, canonical, fragment, archive):
    found = identify(url)
    assert (found.id, found.canonical_url, found.fragment, found.archived_from) == (
        expected_id,
        canonical,
        fragment,
        archive,
    )
    assert found.input == url


def test_wayback_link_takes_the_kind_and_version_of_the_archived_url():
    found = identify("https://web.archive.org/web/2020/https://arxiv.org/pdf/2303.12642v3.pdf")
    assert (found.kind, found.version) == ("paper", "3")
    assert identify("https://web.archive.org/web/2020/https://youtu.be/0JkaOAzDfgE").kind == "video"


def test_archive_of_an_archive_names_the_innermost_url():
    found = identify(
        "https://web.archive.org/web/2020/https://web.archive.org/web/2019/https://example.com/a"
    )
    assert found.canonical_url == "https://example.com/a"
    assert found.archived_from.startswith("https://web.archive.org/web/2020/")


def test_wayback_link_without_an_archived_url_is_an_ordinary_link():
    found = identify("https://web.archive.org/web/2020/javascript:alert(1)")
    assert found.archived_from is None
    assert found.canonical_url.startswith("https://web.archive.org/web/2020/")


KINDS_BY_URL = [
    ("https://arxiv.org/abs/2303.12642", "paper"),
    ("https://johanneshimmelreich.net/papers/against-democratizing-AI.pdf", "paper"),
    ("https://mason.gmu.edu/~rhanson/aigrow.pdf", "paper"),
    ("https://www.fhi.ox.ac.uk/wp-content/uploads/2015/03/report.pdf", "paper"),
    ("https://example.com/pubs/2021/paper.pdf", "paper"),
    ("https://example.com/publications/paper.pdf", "paper"),
    ("https://proceedings.mlr.press/v119/frankle20a", "paper"),
    (
        "https://papers.nips.cc/paper/2018/hash/5b8e4fd39d9786228649a8a8bec4e008-Abstract.html",
        "paper",
    ),
    ("https://www.semanticscholar.org/paper/abc123", "paper"),
    ("https://www.jstor.org/stable/2999445", "paper"),
    ("https://openaccess.thecvf.com/content_cvpr_2018/html/Kim_CVPR_2018_paper.html", "paper"),
    ("https://example.com/downloads/brochure.pdf", "site"),
    ("https://www.lesswrong.com/posts/DkcdXsP56g9kXyBdq/coherence-arguments", "post"),
    ("https://www.alignmentforum.org/posts/abc/title", "post"),
    ("https://medium.com/@someone/a-story-1234abcd5678", "post"),
    ("https://aligned.substack.com/p/alignment-optimism", "post"),
    ("https://astralcodexten.substack.com/", "post"),
    ("https://www.nytimes.com/2023/05/01/technology/ai.html", "post"),
    ("https://www.theguardian.com/technology/2023/may/02/ai", "post"),
    ("https://openai.com/blog/introducing-superalignment", "post"),
    ("https://www.governance.ai/post/what-do-we-mean", "post"),
    ("https://intelligence.org/2017/10/13/fire-alarm/", "post"),
    ("https://ai-alignment.com/corrigibility-3039e668638", "post"),
    ("https://blog.google/technology/ai/lamda/", "post"),
    ("https://www.youtube.com/watch?v=KV5gbOmHbjU", "video"),
    ("https://youtu.be/0JkaOAzDfgE", "video"),
    ("https://vimeo.com/123456", "video"),
    ("https://www.twitch.tv/somechannel", "video"),
    ("https://github.com/neelnanda-io/TransformerLens", "code"),
    ("https://gitlab.com/group/project", "code"),
    ("https://huggingface.co/EleutherAI/gpt-j-6B", "code"),
    ("https://huggingface.co/datasets/squad", "dataset"),
    ("https://www.kaggle.com/datasets/owner/name", "dataset"),
    ("https://zenodo.org/records/1234567", "dataset"),
    ("https://en.wikipedia.org/wiki/Directed_acyclic_graph", "encyclopedia"),
    ("https://de.m.wikipedia.org/wiki/Graph", "encyclopedia"),
    ("https://plato.stanford.edu/entries/hume/", "encyclopedia"),
    ("https://www.britannica.com/topic/game-theory", "encyclopedia"),
    ("http://www.scholarpedia.org/article/Reinforcement_learning", "encyclopedia"),
    ("https://www.lesswrong.com/tag/mesa-optimization", "encyclopedia"),
    ("https://twitter.com/janleike", "social"),
    ("https://x.com/janleike/status/123", "social"),
    ("https://bsky.app/profile/someone.bsky.social", "social"),
    ("https://uk.linkedin.com/in/someone", "social"),
    ("https://www.reddit.com/r/MachineLearning/", "social"),
    ("https://sigmoid.social/@someone", "social"),
    ("https://www.patreon.com/axrpodcast", "support"),
    ("https://ko-fi.com/axrpodcast", "support"),
    ("https://www.buymeacoffee.com/someone", "support"),
    ("https://paypal.me/someone", "support"),
    ("https://github.com/sponsors/someone", "support"),
    ("https://example.org/donate", "support"),
    ("https://axrp.net/supporting-the-podcast/", "support"),
    (
        "https://axrp.net/episode/2023/11/26/episode-26-ai-governance-elizabeth-seger.html",
        "podcast",
    ),
    ("https://podcasts.apple.com/us/podcast/axrp/id1531236547", "podcast"),
    ("https://open.spotify.com/show/4rOoJ6Egrf8K2IrywzwOMk", "podcast"),
    ("https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", "podcast"),
    ("https://overcast.fm/itunes1531236547", "podcast"),
    ("https://anchor.fm/someshow", "podcast"),
    ("https://80000hours.org/podcast/", "podcast"),
    ("https://axrp.net/", "site"),
    ("https://elizabethseger.com/", "site"),
    ("https://arxiv.org/", "site"),
    ("https://openreview.net/group?id=ICLR.cc/2023/Conference", "site"),
    ("https://ieeexplore.ieee.org/document/1234567", "paper"),
    # support: the services listeners pay through
    ("https://account.venmo.com/u/someone", "support"),
    ("https://venmo.com/someone", "support"),
    ("https://cash.app/$someone", "support"),
    ("https://flattr.com/@someone", "support"),
    ("https://liberapay.com/someone/donate", "support"),
    ("https://opencollective.com/someone", "support"),
    ("https://buymeacoff.ee/someone", "support"),
    ("https://www.paypal.com/paypalme/someone", "support"),
    ("https://www.paypal.com/donate/?hosted_button_id=ABC", "support"),
    ("https://www.paypal.com/cgi-bin/webscr?cmd=_s-xclick&hosted_button_id=ABC", "support"),
    ("https://steadyhq.com/en/someone", "support"),
    # social: profiles, posts and community invites
    ("https://www.threads.net/@someone", "social"),
    ("https://www.threads.com/@someone", "social"),
    ("https://www.instagram.com/someone/", "social"),
    ("https://www.facebook.com/someone", "social"),
    ("https://www.linkedin.com/company/someone", "social"),
    ("https://www.tiktok.com/@someone", "social"),
    ("https://www.youtube.com/@hamishdoodles", "social"),
    ("https://www.youtube.com/c/SomeChannel", "social"),
    ("https://www.youtube.com/channel/UC2qoLqo8RuV4P_88yhHCZIg", "social"),
    ("https://www.youtube.com/user/someone/videos", "social"),
    ("https://hachyderm.io/@someone", "social"),
    ("https://fosstodon.org/@someone/111222333444", "social"),
    ("https://mastodon.example/@someone@other.example", "social"),
    ("https://discord.com/invite/abcdef", "social"),
    ("https://discord.gg/abcdef", "social"),
    ("https://t.me/somechannel", "social"),
    ("https://join.slack.com/t/workspace/shared_invite/zt-abc", "social"),
    ("https://linktr.ee/someone", "social"),
    # videos stay videos
    ("https://www.tiktok.com/@someone/video/7234567890123456789", "video"),
    ("https://www.youtube.com/playlist?list=PLabc", "video"),
    # players and hosts of podcasts
    ("https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/123", "podcast"),
    ("https://soundcloud.com/someshow/episode-1", "podcast"),
    ("https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk", "podcast"),
    ("https://open.spotify.com/embed-podcast/show/4rOoJ6Egrf8K2IrywzwOMk", "podcast"),
    ("https://embed.podcasts.apple.com/us/podcast/axrp/id1531236547", "podcast"),
    ("https://html5-player.libsyn.com/embed/episode/id/123/", "podcast"),
    ("https://player.megaphone.fm/ABC1234567", "podcast"),
    ("https://embed.acast.com/someshow/episode", "podcast"),
    ("https://omny.fm/shows/someshow/episode", "podcast"),
]


@pytest.mark.parametrize(("url", "kind"), KINDS_BY_URL)
def test_kinds(url, kind):
    assert identify(url).kind == kind


def test_every_kind_is_covered_by_the_kind_table():
    assert {kind for _, kind in KINDS_BY_URL} == set(LINK_KINDS)
    assert KINDS == LINK_KINDS


NOT_LINKS = [
    "",
    "   ",
    "javascript:alert(1)",
    "JavaScript:void(0)",
    "data:text/html,<b>hi</b>",
    "mailto:someone@example.com",
    "someone@example.com",
    "ftp://example.com/file",
    "tel:+15551234567",
    "#topic-anchor",
    "/relative/path",
    "just some words",
    "e.g.",
    "http://",
    "https://",
    "http://[::1",
    "http://exa mple.com/",
    "http://example.com:port/",
    "doi:not-a-doi",
    "arxiv:nonsense",
    "pmid:12a",
    "ssrn:",
    "\x00\x01\x02",
    "\ud800",
]


@pytest.mark.parametrize("text", NOT_LINKS)
def test_non_links_are_unidentified_sites(text):
    found = identify(text)
    assert (found.id, found.scheme, found.version, found.kind, found.canonical_url) == (
        None,
        None,
        None,
        "site",
        None,
    )
    assert found.input == text


@pytest.mark.parametrize("text", NOT_LINKS)
def test_canonical_url_rejects_non_links(text):
    with pytest.raises(ValueError, match="not an http"):
        canonical_url(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/\ud800",
        "https://bücher.example/straße",
        "https://a.b/" + "%" * 50,
        "https://example.com/?" + "&" * 1000,
        "ssrn:" + "9" * 5000,
        "https://web.archive.org/web/1/" * 500 + "https://example.com/",
        "https://doi.org/10.1234/" + "/full" * 2000,
    ],
)
def test_odd_inputs_do_not_raise(text):
    found = identify(text)
    assert found.kind in LINK_KINDS
    if found.canonical_url:
        assert found.canonical_url.startswith("https://")


@given(st.text())
def test_identify_never_raises_on_any_string(text):
    found = identify(text)
    assert found.kind in LINK_KINDS
    assert found.input == text


_URL_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ09-._~%2fFcC3bB'()!*:@;=&+,/?# ü\"<>[]")), max_size=30
)
_HOSTS = st.sampled_from(
    [
        "example.com",
        "WWW.Example.COM",
        "www.www.example.org",
        "en.m.wikipedia.org",
        "m.m.youtube.com",
        "bücher.example",
        "youtu.be",
        "open.spotify.com",
        "x.com:443",
    ]
)


@given(st.sampled_from(["https://", "http://", "HTTP://", "//", ""]), _HOSTS, _URL_TEXT)
def test_canonical_urls_are_idempotent(scheme, host, rest):
    try:
        canonical, _ = canonical_url(f"{scheme}{host}/{rest}")
    except ValueError:
        return  # not a URL at all: nothing to be idempotent about
    assert canonical_url(canonical) == (canonical, None)
    assert identify(canonical).canonical_url == canonical


@given(st.text(max_size=60))
def test_identify_names_the_same_thing_by_its_canonical_url(text):
    found = identify(text)
    if found.canonical_url:
        again = identify(found.canonical_url)
        assert (again.id, again.canonical_url) == (found.id, found.canonical_url)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_urls_with_any_path_get_a_stable_canonical_form(tail):
    canonical, _ = canonical_url("https://Example.com/" + tail)
    assert canonical.startswith("https://example.com/")
    assert canonical_url(canonical)[0] == canonical


def test_identify_is_cached():
    assert identify("https://arxiv.org/abs/2303.12642") is identify(
        "https://arxiv.org/abs/2303.12642"
    )


def test_identify_reads_standard_input_one_input_a_line():
    stdin = "arxiv.org/abs/arXiv:1310.2590\n\n  doi:10/b6vnmd  \r\nnot a link\n"
    result = CliRunner().invoke(
        app, ["identify", "https://zenodo.org/records/7651563", "-", "--json"], input=stdin
    )
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["input"], line["id"]) for line in lines] == [
        ("https://zenodo.org/records/7651563", "doi:10.5281/zenodo.7651563"),
        ("arxiv.org/abs/arXiv:1310.2590", "arxiv:1310.2590"),
        ("doi:10/b6vnmd", "doi:10/b6vnmd"),
        ("not a link", None),
    ]


def test_identify_reads_undecodable_standard_input_without_failing():
    result = CliRunner().invoke(app, ["identify", "-"], input=b"\xff\xfedoi:10/b6vnmd\n")
    assert result.exit_code == 0
    assert "kind: site" in result.stdout and "\ufffd" in result.stdout
