"""What a link or identifier points to: a standard id, a link kind and a canonical URL.

Standard ids are ``scheme:value`` strings as in Manubot: ``arxiv:2303.12642``,
``doi:10.1145/3442188.3445922``, ``ssrn:4596436``, ``openreview:<id>``, ``pmid:123``,
``pmcid:PMC123``, ``acl:2020.acl-main.463``. A version is kept apart from the id, as digits
(``"2"`` for ``2303.12642v2`` or a bioRxiv ``v2``). The rules that find ids and kinds are
rows in the tables below (host -> patterns -> parser or kind), not code.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote

from .model import LINK_KINDS, Identified

__all__ = ["KINDS", "canonical_url", "identify"]

KINDS = LINK_KINDS

_Found = tuple[str, str | None]  # (standard id, version)
_Parser = Callable[[str], _Found | None]

# ---- identifier values --------------------------------------------------------------------

_ARXIV_ARCHIVES = (
    "acc-phys|adap-org|alg-geom|ao-sci|astro-ph|atom-ph|bayes-an|chao-dyn|chem-ph|cmp-lg|"
    "comp-gas|cond-mat|cs|dg-ga|funct-an|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|math|"
    "mtrl-th|nlin|nucl-ex|nucl-th|patt-sol|physics|plasm-ph|q-alg|q-bio|quant-ph|solv-int|supr-con"
)
_ARXIV_ID = re.compile(
    r"(?:(?P<yymm>\d{4})\.(?P<serial>\d{4,5})(?!\d)"
    r"|(?P<archive>" + _ARXIV_ARCHIVES + r")(?:\.[a-z-]+)?/(?P<number>\d{7})(?!\d))"
    r"(?:v(?P<version>\d+))?",
    re.IGNORECASE | re.ASCII,
)
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_ACL_ID = re.compile(
    r"(?P<new>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+)|(?P<old>[a-z]\d{2}-\d{4})",
    re.IGNORECASE | re.ASCII,
)
_DIGITS = re.compile(r"[0-9]+")
_PMCID = re.compile(r"(?:pmc)?([0-9]+)", re.IGNORECASE)
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_-]+")
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


def _is_new_style(yymm: str, serial: str) -> bool:
    """From April 2007 on; serials have four digits until 2014 and five from 2015."""
    return (
        yymm >= "0704" and "01" <= yymm[2:] <= "12" and len(serial) == (5 if yymm >= "1501" else 4)
    )


def _arxiv(text: str, whole: bool = True) -> _Found | None:
    """An arXiv id at the start of ``text`` (the whole of it when ``whole``)."""
    match = _ARXIV_ID.match(text)
    if not match or (whole and match.end() != len(text)):
        return None
    if match["yymm"]:
        yymm, serial = match["yymm"], match["serial"]
        if not _is_new_style(yymm, serial):
            return None
        value = f"{yymm}.{serial}"
    else:
        value = f"{match['archive'].lower()}/{match['number']}"
    return f"arxiv:{value}", match["version"]


def _arxiv_prefix(text: str) -> _Found | None:
    """An arXiv id at the start of a URL path remainder, ignoring what is glued after it."""
    return _arxiv(text, whole=False)


def _acl(text: str) -> _Found | None:
    """An ACL Anthology id: ``2020.acl-main.463`` or ``P19-1001``."""
    match = _ACL_ID.fullmatch(text)
    if not match:
        return None
    return ("acl:" + (match["new"].lower() if match["new"] else match["old"].upper())), None


def _number(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _numeric(scheme: str) -> _Parser:
    """A parser for ids made of digits only (SSRN, PubMed)."""
    return lambda text: (f"{scheme}:{_number(text)}", None) if _DIGITS.fullmatch(text) else None


def _pmcid(text: str) -> _Found | None:
    """A PubMed Central id such as ``PMC9544280``."""
    match = _PMCID.fullmatch(text)
    return (f"pmcid:PMC{_number(match[1])}", None) if match else None


def _openreview(text: str) -> _Found | None:
    """An OpenReview forum id (case matters)."""
    return (f"openreview:{text}", None) if _OPENREVIEW_ID.fullmatch(text) else None


# DOIs that name a work better known by another scheme.
_DOI_ALIASES: tuple[tuple[re.Pattern[str], _Parser], ...] = (
    (re.compile(r"10\.48550/arxiv\.(.+)"), _arxiv),
    (re.compile(r"10\.2139/ssrn\.(.+)"), _numeric("ssrn")),
    (re.compile(r"10\.18653/v1/(.+)"), _acl),
)


def _doi(text: str) -> _Found | None:
    """A DOI, URL-decoded and lower-cased, or the arXiv/SSRN/ACL id it stands for."""
    doi = unquote(text).strip().rstrip(".,;").lower()
    if not _DOI.fullmatch(doi):
        return None
    for pattern, parse in _DOI_ALIASES:
        match = pattern.fullmatch(doi)
        if match:
            return parse(match[1]) or (f"doi:{doi}", None)
    return f"doi:{doi}", None


def _doi_in_path(text: str) -> _Found | None:
    """A DOI taken from a publisher URL, without the page parts appended to it."""
    doi = unquote(text).lower()
    end = len(doi)
    while tail := next((t for t in _DOI_TAILS if doi.endswith(t, 0, end)), None):
        end -= len(tail)
    return _doi(doi[:end])


def _nature(text: str) -> _Found | None:
    """The DOI of a nature.com article slug."""
    return _doi("10.1038/" + text)


def _biorxiv(text: str) -> _Found | None:
    """A bioRxiv/medRxiv DOI with its ``vN`` version suffix split off."""
    doi, _, version = text.partition("v")
    found = _doi(doi)
    return (found[0], version or None) if found else None


_PREFIXED = re.compile(r"(arxiv|doi|ssrn|openreview|pmid|pmcid|acl)\s*:\s*(\S.*)", re.IGNORECASE)
_PREFIX_PARSERS: dict[str, _Parser] = {
    "arxiv": _arxiv,
    "doi": _doi,
    "ssrn": _numeric("ssrn"),
    "openreview": _openreview,
    "pmid": _numeric("pmid"),
    "pmcid": _pmcid,
    "acl": _acl,
}
_BARE_PARSERS: tuple[_Parser, ...] = (
    _arxiv,
    lambda text: _doi(text) if text.startswith("10.") else None,
    lambda text: _pmcid(text) if text[:3].upper() == "PMC" else None,
)


def _from_identifier(text: str) -> _Found | None:
    """A standard id from an identifier string: ``arXiv:2303.12642``, ``10.1145/...``."""
    match = _PREFIXED.fullmatch(text)
    if match:
        return _PREFIX_PARSERS[match[1].lower()](match[2].strip())
    for parse in _BARE_PARSERS:
        found = parse(text)
        if found:
            return found
    return None


# ---- ids inside URLs ----------------------------------------------------------------------
# Each rule is matched against "path?query" of the canonical URL; group 1 goes to the parser.

_Rule = tuple[str, _Parser]
_ARXIV_PAGES: tuple[_Rule, ...] = (
    (r"^/(?:abs|pdf|html|format|ps|src|e-print)/(.+)", _arxiv_prefix),
)
_DOI_ANYWHERE: tuple[_Rule, ...] = ((r"(?:^|/)(10\.\d{4,9}/[^?]+)", _doi_in_path),)
_BIORXIV: tuple[_Rule, ...] = (
    (r"^/content/(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,}(?:v\d+)?)", _biorxiv),
)
_URL_ID_RULES: dict[str, tuple[_Rule, ...]] = {
    "arxiv.org": _ARXIV_PAGES,
    "ar5iv.org": _ARXIV_PAGES,
    "alphaxiv.org": _ARXIV_PAGES,
    "xxx.lanl.gov": _ARXIV_PAGES,
    "huggingface.co": ((r"^/papers/(.+)", _arxiv_prefix),),
    "doi.org": ((r"^/([^?]+)", _doi),),
    "ssrn.com": ((r"(?:^|[/?&])abstract(?:_?id)?=(\d+)", _numeric("ssrn")),),
    "openreview.net": ((r"^/(?:forum|pdf|attachment)\?(?:.*&)?id=([^&]+)", _openreview),),
    "ncbi.nlm.nih.gov": (
        (r"^/(?:pubmed/)?(\d+)(?:\?|$)", _numeric("pmid")),
        (r"^/(?:pmc/)?articles/(pmc\d+)", _pmcid),
    ),
    "europepmc.org": (
        (r"^/(?:abstract|article)/med/(\d+)", _numeric("pmid")),
        (r"^/(?:abstract|article)/pmc/(pmc\d+)", _pmcid),
    ),
    "aclanthology.org": ((r"^/([^/?]+?)(?:\.pdf|\.bib)?(?:\?|$)", _acl),),
    "aclweb.org": ((r"^/anthology/(?:[a-z]/[a-z]\d{2}/)?([^/?]+?)(?:\.pdf|\.bib)?(?:\?|$)", _acl),),
    "biorxiv.org": _BIORXIV,
    "medrxiv.org": _BIORXIV,
    "nature.com": ((r"^/articles/([a-z0-9][a-z0-9-]*[a-z0-9])", _nature),),
    "journals.plos.org": ((r"\?(?:.*&)?id=(10\.[^&]+)", _doi),),
    # Publishers that put the DOI in the path without a /doi/ segment.
    "springer.com": _DOI_ANYWHERE,
    "frontiersin.org": _DOI_ANYWHERE,
    "journals.aps.org": _DOI_ANYWHERE,
    "iopscience.iop.org": _DOI_ANYWHERE,
}
# Tried on every host when its own rules found nothing.
_ANY_HOST_ID_RULES: tuple[_Rule, ...] = (
    (r"/doi/(?:[^?]*?/)?(10\.\d{4,9}/[^?]+)", _doi_in_path),
    (r"[?&]doi=(10\.[^&]+)", _doi),
)


_Compiled = tuple[tuple[re.Pattern[str], _Parser], ...]


def _compile_rules(rules: tuple[_Rule, ...]) -> _Compiled:
    return tuple((re.compile(pattern, re.IGNORECASE | re.ASCII), parse) for pattern, parse in rules)


_URL_IDS = {host: _compile_rules(rules) for host, rules in _URL_ID_RULES.items()}
_ANY_HOST_IDS = _compile_rules(_ANY_HOST_ID_RULES)

# Where each scheme's works live: the canonical URL of an identified work.
_WORK_URLS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "doi": "https://doi.org/{}",
    "ssrn": "https://papers.ssrn.com/sol3/papers.cfm?abstract_id={}",
    "openreview": "https://openreview.net/forum?id={}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}",
    "acl": "https://aclanthology.org/{}",
}

# ---- link kinds ---------------------------------------------------------------------------
# A host matches itself and its subdomains; the longest matching host wins.

_HOST_KINDS = {
    "post": (
        "lesswrong.com alignmentforum.org greaterwrong.com forum.effectivealtruism.org "
        "medium.com substack.com wordpress.com blogspot.com ghost.io tumblr.com dev.to "
        "hashnode.dev mirror.xyz news.ycombinator.com nytimes.com theguardian.com "
        "washingtonpost.com bbc.co.uk bbc.com reuters.com apnews.com theverge.com wired.com "
        "arstechnica.com vox.com theatlantic.com economist.com ft.com wsj.com bloomberg.com "
        "vice.com gizmodo.com techcrunch.com cnn.com cnbc.com npr.org newyorker.com "
        "quantamagazine.org technologyreview.com axios.com politico.com time.com forbes.com "
        "fortune.com businessinsider.com spectrum.ieee.org scientificamerican.com "
        "newscientist.com nautil.us aeon.co slate.com lwn.net semafor.com latimes.com "
        "telegraph.co.uk independent.co.uk nbcnews.com"
    ),
    "video": (
        "youtube.com youtu.be youtube-nocookie.com vimeo.com twitch.tv dailymotion.com "
        "tiktok.com ted.com rumble.com"
    ),
    "code": (
        "github.com gitlab.com bitbucket.org codeberg.org sourceforge.net sr.ht pypi.org "
        "npmjs.com crates.io colab.research.google.com huggingface.co"
    ),
    "dataset": (
        "data.world datadryad.org figshare.com dataverse.harvard.edu openml.org "
        "archive.ics.uci.edu data.gov"
    ),
    "encyclopedia": (
        "wikipedia.org wiktionary.org wikiquote.org wikidata.org plato.stanford.edu "
        "britannica.com scholarpedia.org iep.utm.edu encyclopediaofmath.org "
        "mathworld.wolfram.com ncatlab.org arbital.com oeis.org tvtropes.org"
    ),
    "social": (
        "twitter.com x.com bsky.app linkedin.com facebook.com instagram.com reddit.com "
        "threads.net mastodon.social mastodon.online discord.gg t.me quora.com"
    ),
    "support": (
        "patreon.com ko-fi.com buymeacoffee.com paypal.me liberapay.com opencollective.com "
        "donorbox.org givebutter.com every.org"
    ),
    "podcast": (
        "podcasts.apple.com podcasts.google.com overcast.fm pocketcasts.com pca.st "
        "podbean.com anchor.fm buzzsprout.com castbox.fm podcastaddict.com player.fm "
        "listennotes.com podchaser.com simplecast.com libsyn.com transistor.fm captivate.fm "
        "spreaker.com audioboom.com podcasters.spotify.com castro.fm fountain.fm pod.link"
    ),
    "site": "ai.facebook.com",
}
_FORUMS = ("lesswrong.com", "alignmentforum.org", "greaterwrong.com", "forum.effectivealtruism.org")
# (host, path pattern, kind): tried in order before the host's own kind.
_PATH_KIND_RULES: tuple[tuple[str, str, str], ...] = (
    ("github.com", r"^/sponsors(?:/|$)", "support"),
    ("github.com", r"^/(?:features|about|pricing|enterprise|marketplace|topics)(?:/|$)", "site"),
    ("huggingface.co", r"^/datasets/", "dataset"),
    ("kaggle.com", r"^/datasets/", "dataset"),
    ("zenodo.org", r"^/records?/", "dataset"),
    ("paypal.com", r"^/donate", "support"),
    ("discord.com", r"^/invite/", "social"),
    ("anthropic.com", r"^/(?:index|news)/", "post"),
    ("open.spotify.com", r"^/(?:episode|show)/", "podcast"),
    ("music.amazon.com", r"^/podcasts/", "podcast"),
    ("itunes.apple.com", r"/podcast/", "podcast"),
    *((forum, r"^/(?:tag|tags|topics|w|wiki)/", "encyclopedia") for forum in _FORUMS),
    *((forum, r"^/(?:users|search)(?:/|$)", "site") for forum in _FORUMS),
    ("proceedings.mlr.press", r"^/v\d+/", "paper"),
    ("papers.nips.cc", r"^/paper", "paper"),
    ("proceedings.neurips.cc", r"^/paper", "paper"),
    ("openaccess.thecvf.com", r"^/content", "paper"),
    ("semanticscholar.org", r"^/paper/", "paper"),
    ("jstor.org", r"^/stable/", "paper"),
    ("sciencedirect.com", r"^/science/article/", "paper"),
    ("citeseerx.ist.psu.edu", r"^/(?:document|viewdoc)", "paper"),
    ("eprint.iacr.org", r"^/\d{4}/\d+", "paper"),
    ("ieeexplore.ieee.org", r"/document/\d+", "paper"),
    ("jmlr.org", r"^/papers/", "paper"),
    ("jair.org", r"/article/", "paper"),
    ("ojs.aaai.org", r"/article/", "paper"),
    ("researchgate.net", r"^/publication/", "paper"),
    ("philpapers.org", r"^/(?:rec|archive)/", "paper"),
    ("academic.oup.com", r"/article", "paper"),
    ("cambridge.org", r"/article/", "paper"),
    ("asmedigitalcollection.asme.org", r"/article", "paper"),
    ("paperswithcode.com", r"^/paper/", "paper"),
    ("distill.pub", r"^/\d{4}/", "paper"),
    ("transformer-circuits.pub", r"^/\d{4}/", "paper"),
    ("hal.science", r"^/hal-\d+", "paper"),
    ("dl.acm.org", r"^/doi/", "paper"),
    ("link.springer.com", r"^/(?:article|chapter)/", "paper"),
    ("biorxiv.org", r"^/content/", "paper"),
    ("medrxiv.org", r"^/content/", "paper"),
)
# The first label of a host that names its kind: blog.example.org.
_FIRST_LABEL_KINDS = {"blog": "post", "blogs": "post", "podcast": "podcast", "podcasts": "podcast"}
# Path patterns for any host, tried in order after the host tables.
_ANY_HOST_KIND_RULES: tuple[tuple[str, str], ...] = (
    (r"(?:^|/)(?:donate|donations?|support-us|supporting-[\w-]+)(?:/|$)", "support"),
    (r"(?:^|/)(?:episodes?|podcasts?)(?:/|$)", "podcast"),
    (r"^/@[\w.-]+(?:/\d+)?$", "social"),
    (r"(?:^|/)(?:blogs?|posts?|news)(?:/|$)|^/p/", "post"),
    (r"^/\d{4}/\d{2}/(?:\d{2}/)?[^/]+", "post"),
    # Medium on its own domain: /slug-89e247df7f1b
    (r"^/(?:@[\w.-]+/)?[\w-]+-(?=[0-9a-f]*[a-f])[0-9a-f]{10,12}$", "post"),
)
# PDFs that are plainly not papers.
_NOT_PAPER_PDF = re.compile(
    r"brochure|flyer|leaflet|invoice|receipt|menu|catalog|poster|ticket|resume|cv\b", re.IGNORECASE
)


def _kind_table() -> dict[str, tuple[tuple[re.Pattern[str] | None, str], ...]]:
    """host -> ((path pattern or None for any path, kind), ...), path rules first."""
    table: dict[str, list[tuple[re.Pattern[str] | None, str]]] = {}
    for host, pattern, kind in _PATH_KIND_RULES:
        table.setdefault(host, []).append((re.compile(pattern, re.IGNORECASE), kind))
    for kind, hosts in _HOST_KINDS.items():
        for host in hosts.split():
            table.setdefault(host, []).append((None, kind))
    return {host: tuple(rules) for host, rules in table.items()}


_KIND_RULES = _kind_table()
_ANY_HOST_KINDS = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in _ANY_HOST_KIND_RULES)

# ---- canonical URLs -----------------------------------------------------------------------

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "ref_src",
        "ref_url",
        "igshid",
        "igsh",
        "_hsenc",
        "_hsmi",
        "__hssc",
        "__hstc",
        "__hsfp",
        "hsctatrk",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_kwcid",
        "vero_id",
        "wickedid",
        "_ga",
        "_gl",
    }
)
# Share and referral parameters that only mean tracking on these hosts.
_HOST_TRACKING_PARAMS = {
    "youtube.com": frozenset({"si", "feature", "pp", "ab_channel"}),
    "youtu.be": frozenset({"si", "feature"}),
    "open.spotify.com": frozenset({"si", "nd"}),
    "twitter.com": frozenset({"s", "t"}),
    "x.com": frozenset({"s", "t"}),
    "medium.com": frozenset({"source"}),
    "substack.com": frozenset({"r", "s", "triedredirect"}),
    "linkedin.com": frozenset({"trk", "trackingid", "lipi"}),
    "facebook.com": frozenset({"mibextid", "rdid"}),
}
_MOBILE_HOST = re.compile(
    r"^(?:(.+)\.)?(?:m|mobile)\.(wikipedia\.org|wiktionary\.org|wikiquote\.org|wikidata\.org|"
    r"youtube\.com|twitter\.com|x\.com|facebook\.com)$"
)
_URL = re.compile(
    r"(?P<scheme>https?)://(?P<netloc>[^/?#\\]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
    re.IGNORECASE | re.DOTALL,
)
_SCHEMELESS = re.compile(
    r"(?://)?(?:[\w-]+\.)+[^\W\d_]{2,63}\.?(?::\d{1,5})?(?:[/?#].*)?", re.IGNORECASE | re.DOTALL
)
_HOST_PORT = re.compile(
    r"(?P<host>\[[0-9a-f:.]+\]|(?:[\w-]+\.)*[\w-]+)\.?(?::(?P<port>\d*))?", re.IGNORECASE
)
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/:@!$&'()*+,;=%"
_QUERY_SAFE = _PATH_SAFE + "?"
_YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com")
_YOUTUBE_VIDEO = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|live|v|e)/([^/]+)")
_WAYBACK = re.compile(
    r"(?:https?://)?(?:www\.)?web\.archive\.org/web/(?:(?P<stamp>[0-9*]*(?:[a-z]{2}_)?)/)?"
    r"(?P<inner>[^#]+)(?:#(?P<fragment>.*))?",
    re.IGNORECASE | re.DOTALL,
)
_SCHEME_SLASHES = re.compile(r"^(https?:)/+", re.IGNORECASE)  # the archive writes http:/x


class _Parts(NamedTuple):
    host: str
    port: str
    path: str
    query: str

    def url(self) -> str:
        port = f":{self.port}" if self.port else ""
        query = f"?{self.query}" if self.query else ""
        return f"https://{self.host}{port}{self.path}{query}"


def _suffixes(host: str) -> list[str]:
    """The host and its parent domains, longest first."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _absolute(text: str) -> str | None:
    """An http(s) URL for ``text``, adding ``https://`` to scheme-less ones; else None."""
    if _URL.match(text):
        return text
    if _SCHEMELESS.fullmatch(text):
        return "https://" + text.removeprefix("//")
    return None


def _quote(text: str, safe: str) -> str:
    """Percent-encode ``text`` as UTF-8, lone surrogates included, keeping ``safe``."""
    return quote(text, safe=safe, errors="surrogatepass")


def _unescape_unreserved(match: re.Match[str]) -> str:
    char = chr(int(match[1], 16))
    return char if char in _UNRESERVED else "%" + match[1].upper()


def _normalise_escapes(part: str, safe: str) -> str:
    """Decode escaped unreserved characters, upper-case other escapes, escape the rest."""
    part = _ESCAPE.sub(_unescape_unreserved, _STRAY_PERCENT.sub("%25", part))
    return _quote(part, safe)


def _canonical_host(host: str) -> str:
    host = host.lower()
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    host = host.removeprefix("www.")
    return _MOBILE_HOST.sub(lambda m: f"{m[1]}.{m[2]}" if m[1] else m[2], host)


def _canonical_query(query: str, host: str) -> str:
    """Drop tracking parameters and empty pieces; keep the rest in order."""
    host_params = next(
        (_HOST_TRACKING_PARAMS[s] for s in _suffixes(host) if s in _HOST_TRACKING_PARAMS),
        frozenset(),
    )

    def tracking(key: str) -> bool:
        return key in _TRACKING_PARAMS or key in host_params or key.startswith("utm_")

    return "&".join(
        _normalise_escapes(piece, _QUERY_SAFE)
        for piece in query.split("&")
        if piece and not tracking(unquote(piece.split("=", 1)[0]).lower())
    )


def _youtube(parts: _Parts) -> _Parts:
    """The watch URL of a YouTube video link; other links unchanged."""
    if parts.host == "youtu.be":
        candidates = [parts.path[1:]]
    elif parts.host.endswith(_YOUTUBE_HOSTS) and parts.path == "/watch":
        candidates = [piece[2:] for piece in parts.query.split("&") if piece.startswith("v=")]
    elif parts.host.endswith(_YOUTUBE_HOSTS):
        candidates = _YOUTUBE_PATH.findall(parts.path)
    else:
        return parts
    video = next((c for c in candidates if _YOUTUBE_VIDEO.fullmatch(c)), None)
    return _Parts("youtube.com", "", "/watch", f"v={video}") if video else parts


def _parse(url: str) -> tuple[_Parts, str | None] | None:
    """The canonical parts and the fragment of an absolute http(s) URL; None when invalid."""
    match = _URL.fullmatch(url)
    if not match:
        return None
    host_port = _HOST_PORT.fullmatch(match["netloc"].rpartition("@")[2])
    if not host_port:
        return None
    host = _canonical_host(host_port["host"])
    port = host_port["port"] or ""
    port = "" if port.lstrip("0") in {"", "80", "443"} else port.lstrip("0")
    path = _normalise_escapes(match["path"], _PATH_SAFE).rstrip("/") or "/"
    parts = _youtube(_Parts(host, port, path, _canonical_query(match["query"] or "", host)))
    return parts, match["fragment"] or None


@lru_cache(maxsize=1 << 16)
def canonical_url(url: str) -> tuple[str, str | None]:
    """The canonical form of an http(s) URL (scheme optional) and its fragment or None.

    Raises ValueError when ``url`` is not an http(s) URL.
    """
    absolute = _absolute(url.strip())
    parsed = _parse(absolute) if absolute else None
    if parsed is None:
        raise ValueError(f"not an http(s) URL: {url!r}")
    parts, fragment = parsed
    return parts.url(), fragment


# ---- identify -----------------------------------------------------------------------------


def _find(rules: _Compiled, target: str) -> _Found | None:
    for pattern, parse in rules:
        match = pattern.search(target)
        found = parse(match[1]) if match else None
        if found:
            return found
    return None


def _url_id(parts: _Parts) -> _Found | None:
    """The standard id a canonical URL names, if any."""
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    for suffix in _suffixes(parts.host):
        if suffix in _URL_IDS:
            found = _find(_URL_IDS[suffix], target)
            if found:
                return found
    return _find(_ANY_HOST_IDS, target)


def _kind(host: str, path: str) -> str:
    """The link kind of a canonical URL without a standard id."""
    for suffix in _suffixes(host):
        for pattern, kind in _KIND_RULES.get(suffix, ()):
            if pattern is None or pattern.search(path):
                return kind
    first_label = host.split(".", 1)[0]
    if first_label in _FIRST_LABEL_KINDS:
        return _FIRST_LABEL_KINDS[first_label]
    if path.lower().endswith(".pdf") and not _NOT_PAPER_PDF.search(path):
        return "paper"  # in research notes a PDF is nearly always a paper
    return next((kind for pattern, kind in _ANY_HOST_KINDS if pattern.search(path)), "site")


def _work(text: str, found: _Found, fragment: str | None = None) -> Identified:
    """The result for an identified work."""
    standard_id, version = found
    scheme, value = standard_id.split(":", 1)
    url = _WORK_URLS[scheme].format(_quote(value, _PATH_SAFE.replace("%", "")))
    return Identified(text, standard_id, scheme, version, "paper", url, fragment)


def _unknown(text: str) -> Identified:
    return Identified(text, None, None, None, "site", None)


def _archived_url(match: re.Match[str]) -> str:
    """The URL inside a Wayback Machine link, archives of archives unwrapped."""
    while True:
        inner = _SCHEME_SLASHES.sub(r"\1//", match["inner"])
        nested = _WAYBACK.fullmatch(inner)
        if not nested:
            return inner
        match = nested


def _from_wayback(text: str, match: re.Match[str]) -> Identified | None:
    """The archived URL's identity for a Wayback Machine link; None if it holds no URL."""
    found = identify(_archived_url(match))
    if found.canonical_url is None:
        return None
    stamp = f"{match['stamp']}/" if match["stamp"] else ""
    archive, _ = canonical_url(f"https://web.archive.org/web/{stamp}{match['inner']}")
    return Identified(
        text,
        found.id,
        found.scheme,
        found.version,
        found.kind,
        found.canonical_url,
        match["fragment"] or found.fragment,
        archive,
    )


# Zero-width, bidi-control and soft-hyphen characters: invisible, so never part of an id.
_HOST_PART = re.compile(r"\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*://)?[^/?#]*")
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@lru_cache(maxsize=1 << 17)
def identify(text: str) -> Identified:
    """What a URL (with or without scheme) or an identifier string points to; never raises.

    Invisible characters are dropped from paths and ids; in a host name they make the
    link no link at all, since the host shown is not the host reached.
    """
    if _INVISIBLE.search(_HOST_PART.match(text).group()):
        return _unknown(text)
    stripped = _INVISIBLE.sub("", text).strip()
    found = _from_identifier(stripped)
    if found:
        return _work(text, found)
    wayback = _WAYBACK.fullmatch(stripped)
    archived = _from_wayback(text, wayback) if wayback else None
    if archived:
        return archived
    absolute = _absolute(stripped)
    parsed = _parse(absolute) if absolute else None
    if parsed is None:
        return _unknown(text)
    parts, fragment = parsed
    found = _url_id(parts)
    if found:
        return _work(text, found, fragment)
    return Identified(text, None, None, None, _kind(parts.host, parts.path), parts.url(), fragment)
