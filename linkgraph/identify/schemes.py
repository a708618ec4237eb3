"""The identifier schemes linkgraph knows: one object per scheme, in one registry.

Each ``Scheme`` says how its ids are written (``parse``, ``prefixes``, ``bare``), where they
appear in URLs (``hosts``, ``any_host``), where its works live (``work_url``), which DOIs
stand for its ids (``doi_prefix``: ``10.48550/arxiv.<id>`` is an arXiv id), which id names a
work that has several (``rank``, lowest first), and which metadata source serves its works
(``resolver``; ``api`` is the scholarly API whose answer settles them). Everything else that
needs a fact about schemes (resolve, merge, the web-page reader) reads it from ``SCHEMES``.

Standard ids are ``prefix:value`` strings as in Manubot: ``arxiv:2303.12642``,
``doi:10.1145/3442188.3445922``, ``doi:10/b6vnmd`` (a shortDOI), ``ssrn:4596436``,
``openreview:<id>``, ``acl:2020.acl-main.463``, ``pmid:123``, ``pmcid:PMC123``. A version is
kept apart from the id, as digits (``"2"`` for ``2303.12642v2`` or a bioRxiv ``v2``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

__all__ = [
    "PREFIXES",
    "SCHEMES",
    "Found",
    "Scheme",
    "UrlRule",
    "encoded_date",
    "from_identifier",
    "resolver_for",
    "scheme_of",
    "url_id",
]

Found = tuple[str, str | None]  # (standard id, version)
Parser = Callable[[str], Found | None]

# ---- ids and their junk -------------------------------------------------------------------

_TRAILING_PUNCTUATION = ".,;:!?'\"*/"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}
# Escaped characters that end a URL by mistake: > " < ` (a pasted href's closing quote ...).
_TRAILING_ESCAPES = ("%3E", "%22", "%3C", "%60")


def trim_junk(text: str) -> str:
    """``text`` without trailing punctuation, stray quotes or unbalanced closing brackets."""
    while text:
        last = text[-1]
        escape = next((e for e in _TRAILING_ESCAPES if text.upper().endswith(e)), None)
        if escape:
            text = text[: -len(escape)]
        elif last in _TRAILING_PUNCTUATION or (
            last in _CLOSERS and text.count(last) > text.count(_CLOSERS[last])
        ):
            text = text[:-1]
        else:
            return text
    return text


# ---- value parsers ------------------------------------------------------------------------

_ARXIV_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|supr-con"
)
_ARXIV_ID = re.compile(
    r"(?:(?P<yymm>\d{4})\.(?P<serial>\d{4,5})(?!\d)"
    r"|(?P<archive>" + _ARXIV_ARCHIVES + r")(?:\.[a-z-]+)?/(?P<old>(?P<old_yymm>\d{4})"
    r"(?P<old_serial>\d{3}))(?!\d))"
    r"(?:v(?P<version>\d+))?",
    re.IGNORECASE | re.ASCII,
)
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_SHORT_DOI = re.compile(r"10/[a-z0-9]+", re.IGNORECASE | re.ASCII)
_ACL_ID = re.compile(
    r"(?P<new>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+)|(?P<old>[a-z]\d{2}-\d{4})",
    re.IGNORECASE | re.ASCII,
)
_DIGITS = re.compile(r"[0-9]+")
_PMCID = re.compile(r"(?:pmc)?([0-9]+)", re.IGNORECASE)
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]+")


def _month(yymm: str) -> bool:
    return "01" <= yymm[2:] <= "12"


def _arxiv(text: str, whole: bool = True) -> Found | None:
    """An arXiv id at the start of ``text`` (the whole of it when ``whole``).

    New ids (``2303.12642``) date from April 2007, with four-digit serials until 2014 and
    five from 2015; old ids are ``archive/YYMMNNN`` from 1991 to 2007. Serial 0 is no paper.
    """
    match = _ARXIV_ID.match(text)
    if not match or (whole and match.end() != len(text)):
        return None
    if match["yymm"]:
        yymm, serial = match["yymm"], match["serial"]
        if not (
            yymm >= "0704"
            and _month(yymm)
            and len(serial) == (5 if yymm >= "1501" else 4)
            and int(serial)
        ):
            return None
        value = f"{yymm}.{serial}"
    else:
        yymm = match["old_yymm"]
        if not (_month(yymm) and (yymm >= "9107" or yymm <= "0703") and int(match["old_serial"])):
            return None
        value = f"{match['archive'].lower()}/{match['old']}"
    return f"arxiv:{value}", match["version"]


def _arxiv_month(value: str) -> tuple[int, ...]:
    """(year, month) of submission that an arXiv id encodes; () for no arXiv id."""
    found = _arxiv(value)
    if not found:
        return ()
    yymm = found[0].removeprefix("arxiv:").rpartition("/")[2][:4]
    year = int(yymm[:2])
    return (year + (1900 if year >= 91 else 2000), int(yymm[2:]))


def _arxiv_prefix(text: str) -> Found | None:
    """An arXiv id at the start of a URL path remainder, ignoring what is glued after it."""
    return _arxiv(text, whole=False)


def _acl(text: str) -> Found | None:
    """An ACL Anthology id: ``2020.acl-main.463`` or ``P19-1001``."""
    match = _ACL_ID.fullmatch(text)
    if not match:
        return None
    return ("acl:" + (match["new"].lower() if match["new"] else match["old"].upper())), None


def _number(prefix: str, digits: str) -> Found | None:
    value = digits.lstrip("0")
    return (f"{prefix}:{value}", None) if value else None


def _numeric(prefix: str) -> Parser:
    """A parser for ids made of digits only (SSRN, PubMed); 0 is no id."""
    return lambda text: _number(prefix, text) if _DIGITS.fullmatch(text) else None


def _pmcid(text: str) -> Found | None:
    """A PubMed Central id such as ``PMC9544280``."""
    match = _PMCID.fullmatch(text)
    found = _number("pmcid", match[1]) if match else None
    return (f"pmcid:PMC{found[0][6:]}", None) if found else None


def _openreview(text: str) -> Found | None:
    """An OpenReview forum id (case matters)."""
    return (f"openreview:{text}", None) if _OPENREVIEW_ID.fullmatch(text) else None


def _doi(text: str) -> Found | None:
    """A DOI, URL-decoded and lower-cased, or the id of the scheme it stands for."""
    doi = trim_junk(unquote(text).strip()).lower()
    if not _DOI.fullmatch(doi):
        return None
    for scheme in _DOI_ALIASES:
        prefix = scheme.doi_prefix or ""
        if prefix and doi.startswith(prefix):
            return scheme.parse(doi[len(prefix) :]) or (f"doi:{doi}", None)
    return f"doi:{doi}", None


def _short_doi(text: str) -> Found | None:
    """A shortDOI (``10/b6vnmd``), lower-cased; resolution finds the DOI it stands for."""
    value = trim_junk(unquote(text).strip()).lower()
    return (f"doi:{value}", None) if _SHORT_DOI.fullmatch(value) else None


# Page parts that publisher URLs append to a DOI: /full, /abstract, .pdf, .full.pdf ...
_DOI_TAILS = (
    "/full",
    "/abstract",
    "/abs",
    "/pdf",
    "/epdf",
    "/html",
    "/fulltext",
    "/full-text",
    "/summary",
    "/meta",
    "/references",
    "/figures",
    "/tables",
    "/metrics",
    "/citedby",
    "/suppl",
    "/supplementary",
    "/media",
    "/info",
    "/reader",
    "/epub",
    "/pdfdirect",
    "/print",
    ".full",
    ".abstract",
    ".pdf",
    ".html",
    ".short",
    ".long",
    ".full-text",
    ".supplementary-material",
    ".figures-only",
    ".article-info",
    ".article-metrics",
)


def _doi_in_path(text: str) -> Found | None:
    """A DOI taken from a publisher URL, without the page parts appended to it."""
    doi = trim_junk(unquote(text)).lower()
    end = len(doi)
    while tail := next((t for t in _DOI_TAILS if doi.endswith(t, 0, end)), None):
        end -= len(tail)
    return _doi(doi[:end])


def _with_version(doi: str, version: str | None) -> Found | None:
    found = _doi(doi)
    return (found[0], version or None) if found else None


def _prefixed_doi(prefix: str) -> Parser:
    """A parser for repository record numbers whose DOI is ``prefix`` + number (+ ``.vN``)."""

    def parse(text: str) -> Found | None:
        number, _, version = text.partition("/")
        if not number.isdigit() or (version and not version.isdigit()):
            return None
        return _with_version(prefix + number, version)

    return parse


def _biorxiv(text: str) -> Found | None:
    """A bioRxiv/medRxiv DOI with its ``vN`` version suffix split off."""
    doi, _, version = text.lower().partition("v")
    return _with_version(doi, version)


def _nature(text: str) -> Found | None:
    """The DOI of a nature.com article slug."""
    return _doi("10.1038/" + text)


# ---- schemes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UrlRule:
    """Where an id stands in a URL: a pattern searched in the canonical ``path?query``.

    Group 1 goes to ``parse`` (the scheme's own parser when None). A rule applies to its
    host's subdomains too, unless ``subdomains`` is False.
    """

    pattern: str
    parse: Parser | None = None
    subdomains: bool = True

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return re.compile(self.pattern, re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme: how its ids are written, found, ranked, linked and resolved."""

    name: str  # the registry's name for the scheme
    parse: Parser  # a value (without prefix) -> (standard id, version), None if no id
    work_url: str  # where a work lives, ``{}`` standing for the value
    rank: int  # which id names a work that has several: lowest first
    prefix: str = ""  # of its standard ids; the name unless given
    resolver: str | None = None  # the metadata source asked first; None: the work's page
    api: str | None = None  # the scholarly API whose answer settles a work; None: none
    doi_prefix: str | None = None  # DOIs that stand for its ids: prefix + value
    prefixes: tuple[str, ...] = ()  # other prefixes accepted in input (``pubmed:``)
    bare: str | None = None  # regex a bare value starts with to be read without prefix
    hosts: Mapping[str, tuple[UrlRule, ...]] = field(default_factory=dict)
    any_host: tuple[UrlRule, ...] = ()  # tried on every host after the host rules
    kinds: Mapping[str, str] = field(default_factory=dict)  # value prefix -> link kind
    dated: Callable[[str], tuple[int, ...]] | None = None  # the (year, month) an id encodes

    def __post_init__(self) -> None:
        if not self.prefix:
            object.__setattr__(self, "prefix", self.name)

    def kind(self, value: str) -> str:
        """The link kind of a work known by this id: ``paper`` unless a value prefix says."""
        return next((k for start, k in self.kinds.items() if value.startswith(start)), "paper")

    def as_doi(self, value: str) -> str | None:
        """The DOI an id stands for (``ssrn:4596436`` is ``10.2139/ssrn.4596436``)."""
        if self.name == "doi":
            return value.lower()
        return self.doi_prefix + value if self.doi_prefix else None

    def owns(self, value: str) -> bool:
        """True when an id value with this scheme's prefix is of this scheme."""
        return self.parse(value) is not None


_ARXIV_PAGES = (
    UrlRule(r"^/(?:abs|pdf|html|format|ps|src|e-print)/(?:arxiv:)?(.+)", _arxiv_prefix),
)
_BIORXIV = (
    UrlRule(r"^/content/(10\.(?:1101|64898)/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}(?:v\d+)?)", _biorxiv),
    # Before 2019: /content/early/2017/08/31/087619 and /content/biorxiv/early/...
    UrlRule(
        r"^/(?:content/(?:biorxiv/|medrxiv/)?early/\d{4}/\d{2}/\d{2}|cgi/content/\w+)"
        r"/((?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}(?:v\d+)?)",
        lambda text: _biorxiv("10.1101/" + text),
    ),
)
_DOI_ANYWHERE = (UrlRule(r"(?:^|/)(10\.\d{4,9}/[^?]+)", _doi_in_path),)

ARXIV = Scheme(
    name="arxiv",
    parse=_arxiv,
    work_url="https://arxiv.org/abs/{}",
    rank=10,
    resolver="arxiv",
    api="arxiv",
    doi_prefix="10.48550/arxiv.",
    bare=r"",
    dated=_arxiv_month,
    hosts={
        "arxiv.org": _ARXIV_PAGES,
        "ar5iv.org": _ARXIV_PAGES,
        "alphaxiv.org": _ARXIV_PAGES,
        "xxx.lanl.gov": _ARXIV_PAGES,
        "huggingface.co": (UrlRule(r"^/papers/(.+)", _arxiv_prefix),),
        "scirate.com": (UrlRule(r"^/arxiv/(.+)", _arxiv_prefix),),
        "arxiv-vanity.com": (UrlRule(r"^/papers/(.+)", _arxiv_prefix),),
    },
)
DOI = Scheme(
    name="doi",
    parse=_doi,
    work_url="https://doi.org/{}",
    rank=20,
    resolver="crossref",
    api="crossref",
    bare=r"10\.",
    hosts={
        # doi.org and dx.doi.org, also with the DOI's slash escaped
        "doi.org": (UrlRule(r"^/([^?]+)"),),
        "biorxiv.org": _BIORXIV,
        "medrxiv.org": _BIORXIV,
        "nature.com": (UrlRule(r"^/articles/([a-z0-9][a-z0-9-]*[a-z0-9])", _nature),),
        "journals.plos.org": (UrlRule(r"\?(?:.*&)?id=(10\.[^&]+)"),),
        # Zenodo mints 10.5281/zenodo.N for record N (not on its sandbox, which is no DOI)
        "zenodo.org": (
            UrlRule(
                r"^/records?/(\d+)(?:/files/[^?]*)?(?:\?|$)",
                _prefixed_doi("10.5281/zenodo."),
                False,
            ),
        ),
        # figshare.com's own items; institutional portals on subdomains mint their own DOIs
        "figshare.com": (
            UrlRule(
                r"^/articles/(?:[^/]+/){0,2}?(\d{5,}(?:/\d{1,3})?)$",
                _prefixed_doi("10.6084/m9.figshare."),
                False,
            ),
        ),
        # Publishers that put the DOI in the path without a /doi/ segment.
        "springer.com": _DOI_ANYWHERE,
        "frontiersin.org": _DOI_ANYWHERE,
        "journals.aps.org": _DOI_ANYWHERE,
        "iopscience.iop.org": _DOI_ANYWHERE,
    },
    any_host=(
        UrlRule(r"/doi/(?:[^?]*?/)?(10\.\d{4,9}/[^?]+)", _doi_in_path),
        UrlRule(r"[?&]doi=(10\.[^&]+)"),
        # Dataverse (any installation): dataset.xhtml?persistentId=doi:10.7910/DVN/...
        UrlRule(r"[?&]persistentId=doi:(10\.[^&]+)"),
        # a DOI written as a path segment: Dryad's /stash/dataset/doi:10.5061/dryad...
        UrlRule(r"/doi:(10\.\d{4,9}/[^?]+)", _doi_in_path),
        # DOI proxies old and new: doi.acm.org, doi.ieeecomputersociety.org, hdl.handle.net
        UrlRule(r"^/(10\.\d{4,9}/[^?]+)", _doi_in_path),
    ),
    # Data repositories' DOIs name datasets until their metadata says otherwise.
    kinds={
        prefix: "dataset"
        for prefix in ("10.5281/", "10.6084/", "10.7910/", "10.5061/", "10.17632/", "10.1594/")
    },
)
SHORT_DOI = Scheme(
    name="shortdoi",
    prefix="doi",
    parse=_short_doi,
    work_url="https://doi.org/{}",
    rank=25,
    resolver="shortdoi",
    prefixes=("shortdoi",),
    hosts={"doi.org": (UrlRule(r"^/(10/[a-z0-9]+)$"),)},
)
SSRN = Scheme(
    name="ssrn",
    parse=_numeric("ssrn"),
    work_url="https://papers.ssrn.com/sol3/papers.cfm?abstract_id={}",
    rank=30,
    resolver="crossref",
    api="crossref",
    doi_prefix="10.2139/ssrn.",
    hosts={"ssrn.com": (UrlRule(r"(?:^|[/?&])abstract(?:_?id)?=(\d+)"),)},
)
OPENREVIEW = Scheme(
    name="openreview",
    parse=_openreview,
    work_url="https://openreview.net/forum?id={}",
    rank=40,
    resolver="openreview",
    api="openreview",
    hosts={"openreview.net": (UrlRule(r"^/(?:forum|pdf|attachment)\?(?:.*&)?id=([^&]+)"),)},
)
ACL = Scheme(
    name="acl",
    parse=_acl,
    work_url="https://aclanthology.org/{}",
    rank=50,
    doi_prefix="10.18653/v1/",
    hosts={
        "aclanthology.org": (UrlRule(r"^/([^/?]+?)(?:\.pdf|\.bib)?(?:\?|$)"),),
        "aclweb.org": (
            UrlRule(r"^/anthology/(?:[a-z]/[a-z]\d{2}/)?([^/?]+?)(?:\.pdf|\.bib)?(?:\?|$)"),
        ),
    },
)
_PUBMED_SEARCH = r"\?(?:.*&)?term=(\d+)(?:%5B(?:uid|pmid)%5D)?(?:&|$)"
PMID = Scheme(
    name="pmid",
    parse=_numeric("pmid"),
    work_url="https://pubmed.ncbi.nlm.nih.gov/{}",
    rank=60,
    prefixes=("pubmed",),
    hosts={
        "ncbi.nlm.nih.gov": (
            UrlRule(r"^/(?:pubmed/)?(\d+)(?:\?|$)"),
            # a search for one PMID: /pubmed?term=21249754, pubmed.ncbi.nlm.nih.gov/?term=...
            UrlRule(r"^/(?:pubmed)?" + _PUBMED_SEARCH),
            UrlRule(r"^/(?:pmc/)?articles/pmid/(\d+)(?:\?|$)"),
        ),
        "europepmc.org": (UrlRule(r"^/(?:abstract|article)/med/(\d+)"),),
    },
)
PMCID = Scheme(
    name="pmcid",
    parse=_pmcid,
    work_url="https://pmc.ncbi.nlm.nih.gov/articles/{}",
    rank=70,
    prefixes=("pmc",),
    bare=r"pmc",
    hosts={
        # /pmc/articles/PMC2631623 and the older /pmc/PMC2631623
        "ncbi.nlm.nih.gov": (UrlRule(r"^/(?:pmc/)?(?:articles/)?(pmc\d+)(?:/|\?|$)"),),
        "pubmedcentral.nih.gov": (UrlRule(r"^/articlerender\.fcgi\?(?:.*&)?artid=(\d+)"),),
        "europepmc.org": (
            UrlRule(r"^/(?:abstract|article)/pmc/(pmc\d+)"),
            UrlRule(r"^/articles/(pmc\d+)"),
        ),
    },
)

SCHEMES: tuple[Scheme, ...] = tuple(
    sorted((ARXIV, DOI, SHORT_DOI, SSRN, OPENREVIEW, ACL, PMID, PMCID), key=lambda s: s.rank)
)
# The prefixes of standard ids, best ranked first.
PREFIXES: tuple[str, ...] = tuple(dict.fromkeys(s.prefix for s in SCHEMES))
_DOI_ALIASES = tuple(s for s in SCHEMES if s.doi_prefix)

# ---- reading ids --------------------------------------------------------------------------

_BY_INPUT_PREFIX: dict[str, list[Scheme]] = {}
for _scheme in SCHEMES:
    for _name in dict.fromkeys((_scheme.prefix, _scheme.name, *_scheme.prefixes)):
        _BY_INPUT_PREFIX.setdefault(_name, []).append(_scheme)
_PREFIXED = re.compile(
    rf"({'|'.join(sorted(_BY_INPUT_PREFIX, key=len, reverse=True))})\s*:\s*(\S.*)", re.IGNORECASE
)
_BARE = tuple((re.compile(s.bare, re.IGNORECASE), s) for s in SCHEMES if s.bare is not None)


def scheme_of(standard_id: str) -> Scheme | None:
    """The scheme a standard id belongs to (``doi:10/b6vnmd`` is a shortDOI); None if none."""
    prefix, _, value = standard_id.partition(":")
    return next((s for s in SCHEMES if s.prefix == prefix and s.owns(value)), None)


def encoded_date(identifiers: list[str]) -> tuple[int, ...]:
    """The (year, month) the first of these ids to encode one gives (arXiv's do); else ()."""
    for standard_id in identifiers:
        scheme = scheme_of(standard_id)
        date = scheme.dated(standard_id.partition(":")[2]) if scheme and scheme.dated else ()
        if date:
            return date
    return ()


def resolver_for(standard_id: str) -> str | None:
    """The metadata source asked first about a work known by this id (None: its page)."""
    scheme = scheme_of(standard_id)
    return scheme.resolver if scheme else None


def from_identifier(text: str) -> Found | None:
    """A standard id from an identifier string: ``arXiv:2303.12642``, ``10.1145/...``."""
    match = _PREFIXED.fullmatch(text)
    if match:
        value = match[2].strip()
        return next((f for s in _BY_INPUT_PREFIX[match[1].lower()] if (f := s.parse(value))), None)
    return next((f for start, s in _BARE if start.match(text) and (f := s.parse(text))), None)


# ---- ids in URLs --------------------------------------------------------------------------

_Rules = tuple[tuple[UrlRule, Parser], ...]


def _host_rules() -> dict[str, _Rules]:
    table: dict[str, list[tuple[UrlRule, Parser]]] = {}
    for scheme in SCHEMES:
        for host, rules in scheme.hosts.items():
            table.setdefault(host, []).extend((rule, rule.parse or scheme.parse) for rule in rules)
    return {host: tuple(rules) for host, rules in table.items()}


_HOST_RULES = _host_rules()
_ANY_HOST_RULES: _Rules = tuple(
    (rule, rule.parse or scheme.parse) for scheme in SCHEMES for rule in scheme.any_host
)


def _find(rules: _Rules, target: str) -> Found | None:
    for rule, parse in rules:
        match = rule.regex.search(target)
        found = parse(match[1]) if match else None
        if found:
            return found
    return None


def url_id(host_suffixes: list[str], path: str, query: str) -> Found | None:
    """The standard id a canonical URL names, if any.

    The most specific host with rules that apply is asked, then the rules for any host.
    """
    target = trim_junk(f"{path}?{query}" if query else path)
    for depth, suffix in enumerate(host_suffixes):
        rules = tuple(r for r in _HOST_RULES.get(suffix, ()) if depth == 0 or r[0].subdomains)
        if rules:
            found = _find(rules, target)
            if found:
                return found
            break
    return _find(_ANY_HOST_RULES, target)
