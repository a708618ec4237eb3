"""DOIs and SSRN ids: the Crossref REST API, many DOIs per request (``filter=doi:...``).

An SSRN id ``ssrn:N`` is the DOI ``10.2139/ssrn.N``. Requests carry ``mailto`` from the
config, which puts them in Crossref's polite pool. Relations ``has-preprint`` and
``is-preprint-of`` add the other version's identifier to the same work. Titles, container
titles and abstracts are JATS or HTML fragments, read as plain text (``markup.py``).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ..config import Config
from ..identify import scheme_of
from ..net.http import Http
from .base import (
    Metadata,
    ResolveError,
    Resolver,
    Results,
    Target,
    by_doi,
    clean,
    fetch_json,
    iso_date,
    names,
    serves,
)
from .markup import plain_text

_PAPER_TYPES = {
    "journal-article",
    "proceedings-article",
    "posted-content",
    "book-chapter",
    "book-part",
    "book-section",
    "report",
    "dissertation",
    "monograph",
    "book",
    "edited-book",
    "reference-entry",
    "peer-review",
}
_KINDS = {"dataset": "dataset", "component": "dataset", "database": "dataset"}
# Parts of a book: their container titles name the book and, first, its series.
_BOOK_PARTS = {
    "book-chapter",
    "book-part",
    "book-section",
    "proceedings-article",
    "reference-entry",
}
# Dates in order of preference; "created", "deposited" and "indexed" are registry dates.
_DATES = ("published-print", "published-online", "published", "issued", "posted")
# Preprint servers that Crossref names only as their owner's "publisher", by DOI prefix.
_PREPRINT_SERVERS = {"10.2139": "SSRN"}


def doi_of(target: Target) -> str:
    """The DOI to ask Crossref about for a target."""
    scheme = scheme_of(target.key)
    doi = scheme.as_doi(target.value) if scheme else None
    if doi is None:
        raise ResolveError(f"{target.key} stands for no DOI")
    return doi


def _author(person: dict) -> str | None:
    if not isinstance(person, dict):
        return None
    if person.get("name"):
        return clean(person["name"])
    return clean(
        " ".join(p for p in (person.get("given"), person.get("family")) if isinstance(p, str))
    )


def _parts(value: object) -> str | None:
    """A Crossref date object (``{"date-parts": [[2003, 5, 12]]}``) as an ISO date."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    first = parts[0] if isinstance(parts, list) and parts else None
    return iso_date(first) if isinstance(first, list) else None


def publication_date(item: dict) -> str | None:
    """The work's date: printed, online, published, issued, posted; then a thesis's approval,
    a proceedings paper's conference start; never the record's own registry dates."""
    found = [_parts(item.get(key)) for key in _DATES]
    if item.get("type") == "dissertation":
        found.append(_parts(item.get("approved")))
    event = item.get("event")
    if isinstance(event, dict):
        found.append(_parts(event.get("start")))
    return next((date for date in found if date), None)


def _titles(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [text for text in map(plain_text, values) if text]


def venue(item: dict) -> str | None:
    """Where the work appeared: its container (the book, not the series, for a chapter), its
    institution, a preprint server known by its DOI prefix, else its publisher."""
    containers = _titles(item.get("container-title"))
    if containers:
        in_series = item.get("type") in _BOOK_PARTS and item.get("ISSN") and len(containers) > 1
        return containers[-1] if in_series else containers[0]
    institutions = item.get("institution")
    if isinstance(institutions, list) and institutions and isinstance(institutions[0], dict):
        name = plain_text(institutions[0].get("name"))
        if name:
            return name
    prefix = str(item.get("DOI", "")).split("/", 1)[0]
    return _PREPRINT_SERVERS.get(prefix) or plain_text(item.get("publisher"))


def _related(item: dict, name: str) -> list[str]:
    ids = []
    relation = item.get("relation")
    for related in (relation.get(name) if isinstance(relation, dict) else None) or []:
        if not isinstance(related, dict) or not related.get("id"):
            continue
        id_type = str(related.get("id-type", "")).lower()
        if id_type in ("doi", "arxiv"):
            ids.append(f"{id_type}:{related['id']}")
        elif id_type == "uri":
            ids.append(str(related["id"]))
    return ids


def metadata(item: dict) -> Metadata:
    """Our metadata from one Crossref work record."""
    work_type = str(item.get("type"))
    kind = "paper" if work_type in _PAPER_TYPES else _KINDS.get(work_type)
    own = f"doi:{item['DOI']}"
    preprints = _related(item, "has-preprint")
    is_preprint = item.get("type") == "posted-content" or _related(item, "is-preprint-of")
    meta = Metadata(
        origin="crossref",
        title=next(iter(_titles(item.get("title"))), None),
        authors=names(_author(a) for a in item.get("author") or []),
        published=publication_date(item),
        abstract=plain_text(item.get("abstract")),
        venue=venue(item),
        url=clean(item.get("URL")),
        kind=kind,
        subjects=[("crossref", s) for s in item.get("subject") or [] if clean(s)],
        identifiers=[own, *preprints, *_related(item, "is-preprint-of")],
        preprints=[*preprints, own] if is_preprint else preprints,
        crossref_type=clean(item.get("type")),
    )
    if not meta.title:
        meta.partial = "Crossref's record has no title"
    return meta


def _items(data: dict) -> list[dict]:
    if data.get("status") != "ok" or not isinstance(data.get("message"), dict):
        raise ResolveError(f"Crossref answered status {data.get('status')!r}")
    message = data["message"]
    if data.get("message-type") == "work":
        return [message]
    items = message.get("items")
    if data.get("message-type") != "work-list" or not isinstance(items, list):
        raise ResolveError("Crossref's answer is not a list of works")
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("DOI"), str)]


def _url(config: Config, dois: list[str]) -> str:
    params = {"mailto": config.mailto} if config.mailto else {}
    if len(dois) == 1 and "," in dois[0]:  # a comma would split the filter
        return f"{config.crossref_url}/works/{quote(dois[0], safe='')}?{urlencode(params)}"
    query = {"filter": ",".join(f"doi:{d}" for d in dois), "rows": len(dois), **params}
    return f"{config.crossref_url}/works?{urlencode(query)}"


def fetch(http: Http, config: Config, targets: list[Target]) -> Results:
    """Look up a batch of DOIs in one request (a DOI with a comma in its own request)."""
    results: Results = {}
    plain = [t for t in targets if "," not in doi_of(t)]
    groups = [plain] if plain else []
    groups += [[t] for t in targets if "," in doi_of(t)]
    for group in groups:
        wanted = {doi_of(t): t for t in group}
        try:
            items = _items(fetch_json(http, _url(config, list(wanted)), "Crossref"))
        except Exception as error:  # the whole request failed: every DOI in it fails
            results.update({t.key: error for t in group})
            continue
        results.update(by_doi(wanted, {i["DOI"].lower(): i for i in items}, metadata, "Crossref"))
    return results


RESOLVER = Resolver(
    name="crossref",
    accepts=serves("crossref"),
    fetch=fetch,
    batch_setting="crossref_batch",
)
