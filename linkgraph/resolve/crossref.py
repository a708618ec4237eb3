"""DOIs and SSRN ids: the Crossref REST API, many DOIs per request (``filter=doi:...``).

An SSRN id ``ssrn:N`` is the DOI ``10.2139/ssrn.N``. Requests carry ``mailto`` from the
config, which puts them in Crossref's polite pool. Relations ``has-preprint`` and
``is-preprint-of`` add the other version's identifier to the same work.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from ..config import Config
from ..identify import scheme_of
from ..net.http import Http
from .base import (
    Metadata,
    NotFound,
    ResolveError,
    Resolver,
    Results,
    Target,
    clean,
    fetch_json,
    iso_date,
    names,
    serves,
    strip_tags,
)

_JATS_TITLE = re.compile(r"<jats:title>.*?</jats:title>", re.DOTALL)
_RELATIONS = ("has-preprint", "is-preprint-of")
_PAPER_TYPES = {
    "journal-article",
    "proceedings-article",
    "posted-content",
    "book-chapter",
    "report",
    "dissertation",
    "monograph",
    "book",
    "edited-book",
    "reference-entry",
    "peer-review",
}
_KINDS = {"dataset": "dataset", "component": "dataset", "database": "dataset"}


def doi_of(target: Target) -> str:
    """The DOI to ask Crossref about for a target."""
    return scheme_of(target.key).as_doi(target.value)


def _author(person: dict) -> str | None:
    if not isinstance(person, dict):
        return None
    if person.get("name"):
        return clean(person["name"])
    return clean(
        " ".join(p for p in (person.get("given"), person.get("family")) if isinstance(p, str))
    )


def _date(item: dict) -> str | None:
    for key in ("published", "published-print", "published-online", "issued", "posted", "created"):
        parts = (item.get(key) or {}).get("date-parts") or [[]]
        found = iso_date(parts[0] if parts and isinstance(parts[0], list) else [])
        if found:
            return found
    return None


def _first(value: object) -> str | None:
    if isinstance(value, list):
        return next((clean(v) for v in value if clean(v)), None)
    return clean(value)


def _institution(item: dict) -> str | None:
    institutions = item.get("institution")
    if isinstance(institutions, list) and institutions and isinstance(institutions[0], dict):
        return clean(institutions[0].get("name"))
    return None


def _related_ids(item: dict) -> list[str]:
    ids = []
    relation = item.get("relation") or {}
    for name in _RELATIONS:
        for related in relation.get(name) or []:
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
    kind = "paper" if item.get("type") in _PAPER_TYPES else _KINDS.get(item.get("type"))
    meta = Metadata(
        source="crossref",
        title=_first(item.get("title")),
        authors=names(_author(a) for a in item.get("author") or []),
        published=_date(item),
        abstract=strip_tags(_JATS_TITLE.sub(" ", item.get("abstract") or "")),
        venue=_first(item.get("container-title"))
        or _institution(item)
        or clean(item.get("publisher")),
        url=clean(item.get("URL")),
        kind=kind,
        subjects=[("crossref", s) for s in item.get("subject") or [] if clean(s)],
        identifiers=[f"doi:{item['DOI']}", *_related_ids(item)],
        extra={"crossref_type": item.get("type")},
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
        for item in items:
            target = wanted.get(item["DOI"].lower())
            if target:
                results[target.key] = metadata(item)
        for doi, target in wanted.items():
            results.setdefault(target.key, NotFound(f"Crossref has no record of doi:{doi}"))
    return results


RESOLVER = Resolver(
    name="crossref",
    accepts=serves("crossref"),
    fetch=fetch,
    batch_setting="crossref_batch",
)
