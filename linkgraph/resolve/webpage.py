"""Any other web page: its metadata, read in order of trust.

Highwire ``citation_*`` meta tags first, then JSON-LD and microdata (schema.org), Dublin
Core, Open Graph and ``article:*``, and last the ``<title>`` and description. extruct reads
the structured kinds; selectolax reads the meta tags and links. A ``citation_doi``,
``citation_arxiv_id``, a DOI in Dublin Core or JSON-LD, or a DOI / arXiv link-rel
(``canonical``, ``cite-as``, ``alternate``) adds that identifier to the work. A PDF answer
goes to ``pdf.py``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import extruct
from dateutil import parser as dateparser
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from w3lib.encoding import html_to_unicode

from ..config import Config
from ..identify import PREFIXES, identify
from ..net.http import HTML_MAX_BYTES, HTML_TYPES, PDF_MAX_BYTES, PDF_TYPES, Http
from . import pdf, schema_types
from .base import (
    Metadata,
    ResolveError,
    Resolver,
    Target,
    clean,
    iso_date,
    names,
    person,
    single,
)
from .markup import plain_text

LIMITS = {**{t: HTML_MAX_BYTES for t in HTML_TYPES}, **{t: PDF_MAX_BYTES for t in PDF_TYPES}}
_FIELDS = ("title", "authors", "published", "abstract", "venue", "kind", "subjects")
_ID_SCHEMES = PREFIXES
_ID_RELS = {"canonical", "cite-as", "alternate", "describedby"}
_CITATION_VENUES = (
    "citation_journal_title",
    "citation_conference_title",
    "citation_book_title",
    "citation_inbook_title",
    "citation_publisher",
    "citation_dissertation_institution",
    "citation_technical_report_institution",
)
_CITATION_DATES = (
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "citation_cover_date",
    "citation_year",
)
# A syntax is read only when its marker is on the page: extruct parses are not free.
_MARKERS = (
    ("json-ld", "application/ld+json"),
    ("microdata", "itemscope"),
    ("opengraph", "og:"),
    ("opengraph", "article:"),
    ("dublincore", "dc."),
    ("dublincore", "dcterms."),
)
_PAPER_HINTS = ("citation_doi", "citation_arxiv_id", "citation_pdf_url", *_CITATION_VENUES)
_DC_KINDS = {"dataset": "dataset", "software": "code", "movingimage": "video"}
_YEAR_FIRST = re.compile(r"\s*\d{4}(?:[-/]\d|\s*$|T)")
_LETTERS = re.compile(r"[^\W\d_]{3}")
# Two defaults that differ in every part: a part both readings share was written.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def page_date(value: Any) -> str | None:
    """A date as pages write it, to the day it gives: ISO forms (``2019-04-22T10:00Z``) and
    month names in any order (``Apr 22, 2019``, ``22 April 2019``, ``April 2019``)."""
    text = clean(value)
    if not text or _YEAR_FIRST.match(text) or not _LETTERS.search(text):
        return iso_date(text)
    try:
        first, second = (
            dateparser.parse(text, default=d, fuzzy=True, ignoretz=True) for d in _DEFAULTS
        )
    except (ValueError, OverflowError):
        return iso_date(text)
    if first.year != second.year:  # no year written
        return iso_date(text)
    parts = [first.year]
    if first.month == second.month:
        parts.append(first.month)
        if first.day == second.day:
            parts.append(first.day)
    return iso_date(parts)


def _meta_tags(tree: HTMLParser) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attributes = node.attributes  # a new dict on every access
        key = (attributes.get("name") or attributes.get("property") or "").lower()
        content = clean(attributes.get("content"))
        if key and content:
            tags.setdefault(key.strip(), []).append(content)
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> str | None:
    return next((tags[k][0] for k in keys if tags.get(k)), None)


def citation_layer(tags: dict[str, list[str]]) -> Metadata:
    """Highwire Press ``citation_*`` tags (Google Scholar's)."""
    ids = [f"doi:{d}" for d in tags.get("citation_doi", [])]
    ids += [f"arxiv:{a}" for a in tags.get("citation_arxiv_id", [])]
    keywords = [
        k.strip()
        for value in tags.get("citation_keywords", [])
        for k in value.replace(";", ",").split(",")
        if k.strip()
    ]
    return Metadata(
        origin="webpage:citation",
        title=_first(tags, "citation_title"),
        authors=names(person(a) for a in tags.get("citation_author", [])),
        published=page_date(_first(tags, *_CITATION_DATES)),
        abstract=_first(tags, "citation_abstract"),
        venue=_first(tags, *_CITATION_VENUES),
        kind="paper"
        if tags.get("citation_title") and any(tags.get(k) for k in _PAPER_HINTS)
        else None,
        subjects=[("keyword", k) for k in keywords[:20]],
        identifiers=ids,
    )


def _types(item: dict) -> list[str]:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return [str(k).rsplit("/", 1)[-1] for k in kinds if k]


def _flatten(items: list[Any]) -> list[dict]:
    flat: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            flat.append(item)
            flat.extend(_flatten(item.get("@graph") or []))
        elif isinstance(item, list):
            flat.extend(_flatten(item))
    return flat


class _Graph:
    """The items of a page's JSON-LD or microdata, with ``{"@id": ...}`` references followed
    to the item of that ``@id`` elsewhere in the document (WordPress/Yoast ``@graph``)."""

    def __init__(self, items: list[Any]):
        self.items = _flatten(items)
        self.by_id: dict[str, dict] = {}
        for item in self.items:
            if isinstance(item.get("@id"), str) and len(item) > len(
                self.by_id.get(item["@id"], {})
            ):
                self.by_id[item["@id"]] = item

    def follow(self, value: Any) -> Any:
        """The item a reference names (itself when it names nothing known)."""
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            return {**self.by_id.get(value["@id"], {}), **value}
        return value

    def name(self, value: Any) -> str | None:
        """The name (or headline) of a value: text, an item, a reference, or a list of them."""
        if isinstance(value, list):
            value = value[0] if value else None
        value = self.follow(value)
        if isinstance(value, dict):
            value = value.get("name") or value.get("headline")
        return plain_text(value) if isinstance(value, str) else None

    def people(self, value: Any) -> list[str]:
        """The names of the people (or organisations) a value lists."""
        values = value if isinstance(value, list) else [value]
        return names(self.name(v) for v in values)

    def venue(self, item: dict) -> str | None:
        """What the item is part of (not the web page it sits on), else its publisher."""
        part_of = self.follow(item.get("isPartOf"))
        on_page = isinstance(part_of, dict) and any(
            schema_types.nearest(t) == "WebPage" for t in _types(part_of)
        )
        return (None if on_page else self.name(part_of)) or self.name(item.get("publisher"))


def _standard_id(text: str) -> str | None:
    """The standard id a string names, when it is of a scheme a page may reveal."""
    found = identify(text)
    return found.id if found.scheme in _ID_SCHEMES else None


def _schema_ids(item: dict) -> list[str]:
    found = []
    for key in ("identifier", "sameAs", "@id", "url"):
        values = item.get(key)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                value = value.get("value") or value.get("@id")
            standard = _standard_id(value) if isinstance(value, str) else None
            if standard:
                found.append(standard)
    return found


def _keywords(item: dict) -> list[tuple[str, str]]:
    keywords = item.get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    found = (plain_text(k) for k in keywords or [] if isinstance(k, str))
    return [("keyword", k) for k in found if k][:20]


def schema_layer(items: list[Any], origin: str) -> Metadata:
    """The most telling schema.org work on a page (JSON-LD or microdata): items of any type
    under CreativeWork, ranked by the kind their nearest known ancestor type means."""
    graph = _Graph(items)
    ranked = [(schema_types.rank(_types(i)), n, i) for n, i in enumerate(graph.items)]
    candidates = sorted((r, n, i) for r, n, i in ranked if r is not None)
    if not candidates:
        return Metadata(origin=origin)
    item = candidates[0][2]
    return Metadata(
        origin=origin,
        title=graph.name(item.get("headline")) or graph.name(item.get("name")),
        authors=graph.people(item.get("author") or item.get("creator")),
        published=page_date(
            item.get("datePublished") or item.get("dateCreated") or item.get("uploadDate")
        ),
        abstract=plain_text(item.get("abstract")) or graph.name(item.get("description")),
        venue=graph.venue(item),
        kind=schema_types.kind(_types(item)),
        subjects=_keywords(item),
        identifiers=_schema_ids(item),
    )


def _dc_id(value: str) -> str:
    """A Dublin Core identifier as identify() reads it (``info:doi/10...`` -> ``doi:10...``)."""
    value = value.removeprefix("info:")
    return "doi:" + value[4:] if value.lower().startswith("doi/") else value


def dublin_core_layer(found: list[dict]) -> Metadata:
    """Dublin Core elements and terms (``DC.title``, ``DCTERMS.issued`` ...).

    Authors are the creators, else the contributors (eLife names its authors so); a page
    whose identifier is a DOI or another scholarly id is a paper unless its type says
    otherwise.
    """
    values: dict[str, list[str]] = {}
    for block in found:
        for element in [*block.get("elements", []), *block.get("terms", [])]:
            field = str(element.get("URI", "")).rsplit("/", 1)[-1].lower()
            content = clean(element.get("content"))
            if field and content:
                values.setdefault(field, []).append(content)
    ids = [_dc_id(v) for v in values.get("identifier", [])]
    ids = [standard for standard in map(_standard_id, ids) if standard]
    dc_type = (_first(values, "type") or "").lower().replace(" ", "")
    return Metadata(
        origin="webpage:dublin-core",
        title=_first(values, "title"),
        authors=names(person(c) for c in values.get("creator") or values.get("contributor", [])),
        published=page_date(_first(values, "issued", "date", "created", "available")),
        abstract=_first(values, "abstract", "description"),
        venue=_first(values, "ispartof", "publisher"),
        kind=_DC_KINDS.get(dc_type) or ("paper" if ids and _first(values, "title") else None),
        subjects=[("keyword", s) for s in values.get("subject", [])[:20]],
        identifiers=ids,
    )


def _og(found: list[dict], key: str) -> list[str]:
    values = []
    for block in found:
        value = block.get(key)
        for item in value if isinstance(value, list) else [value]:
            text = clean(item)
            if text:
                values.append(text)
    return values


def open_graph_layer(found: list[dict]) -> Metadata:
    """Open Graph and ``article:*`` properties."""
    og_type = next(iter(_og(found, "@type")), "") or ""
    kind = "post" if og_type == "article" else "video" if og_type.startswith("video") else None
    authors = [a for a in _og(found, "article:author") if "://" not in a]
    return Metadata(
        origin="webpage:open-graph",
        title=next(iter(_og(found, "og:title")), None),
        authors=names(authors),
        published=page_date(next(iter(_og(found, "article:published_time")), None)),
        abstract=next(iter(_og(found, "og:description")), None),
        venue=next(iter(_og(found, "og:site_name")), None),
        kind=kind,
        subjects=[("keyword", t) for t in _og(found, "article:tag")[:20]],
    )


def html_layer(tree: HTMLParser, tags: dict[str, list[str]]) -> Metadata:
    """The plain HTML: ``<title>``, ``<meta name=description>``, ``<meta name=author>``."""
    node = tree.css_first("title")
    return Metadata(
        origin="webpage:html",
        title=clean(node.text()) if node else None,
        authors=names(tags.get("author", [])[:1]),
        abstract=_first(tags, "description"),
    )


def link_ids(tree: HTMLParser) -> list[str]:
    """Standard ids named by ``<link rel=canonical|cite-as|alternate>`` on the page."""
    found = []
    for node in tree.css("link[rel][href]"):
        attributes = node.attributes
        rels = set((attributes.get("rel") or "").lower().split())
        if rels & _ID_RELS:
            standard = _standard_id(attributes.get("href") or "")
            if standard:
                found.append(standard)
    return found


def combine(layers: list[Metadata], extra_ids: list[str]) -> Metadata:
    """One answer from layers in order of trust: each field from the first layer that has it."""
    result = Metadata(
        origin=next((layer.origin for layer in layers if layer.title), "webpage:html")
    )
    for name in _FIELDS:
        for layer in layers:
            value = getattr(layer, name)
            if value:
                setattr(result, name, value)
                result.field_origins[name] = layer.origin
                break
    result.identifiers = list(
        dict.fromkeys([i for layer in layers for i in layer.identifiers] + extra_ids)
    )
    return result


def structured_data(text: str, url: str) -> dict[str, list]:
    """JSON-LD, microdata, Open Graph and Dublin Core, read by extruct when the page has any."""
    lowered = text.lower()
    syntaxes = list(dict.fromkeys(name for name, marker in _MARKERS if marker in lowered))
    if not syntaxes:
        return {}
    try:
        return extruct.extract(
            text, base_url=url, uniform=True, with_og_array=True, syntaxes=syntaxes, errors="ignore"
        )
    except Exception:  # a page extruct cannot read still has its meta tags and title
        return {}


def page_metadata(body: bytes, content_type: str | None, url: str) -> Metadata:
    """Everything a page says about itself."""
    _, text = html_to_unicode(content_type, body)
    tree = HTMLParser(text)
    tags = _meta_tags(tree)
    found = structured_data(text, url)
    layers = [
        citation_layer(tags),
        schema_layer(found.get("json-ld", []), "webpage:json-ld"),
        schema_layer(found.get("microdata", []), "webpage:microdata"),
        dublin_core_layer(found.get("dublincore", [])),
        open_graph_layer(found.get("opengraph", [])),
        html_layer(tree, tags),
    ]
    meta = combine(layers, link_ids(tree))
    if not meta.title:
        raise ResolveError("the page has neither a title nor metadata")
    return meta


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """Fetch a page (or a PDF) and read its metadata."""
    url = target.url
    if target.scheme == "doi":
        url = f"{config.doi_url}/{target.value}"
    if not url:
        raise ResolveError("no URL to fetch")
    response = http.fetch(url, limits=LIMITS)
    content_type = response.headers.get("Content-Type")
    if (content_type or "").split(";")[0].strip().lower() in PDF_TYPES or response.content[
        :5
    ] == b"%PDF-":
        return pdf.metadata(response.content)
    return page_metadata(response.content, content_type, response.url)


RESOLVER = Resolver(
    name="webpage", accepts=lambda t: t.scheme != "arxiv" and bool(t.url), fetch=single(fetch_one)
)
