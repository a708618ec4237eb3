"""DOIs Crossref does not know (Zenodo, figshare, Dryad, most datasets): DataCite's REST API.

Many DOIs per request: ``GET /dois?ids=A,B&page[size]=N`` answers a JSON:API list
(``{"data": [{"id": ..., "type": "dois", "attributes": {...}}], "meta": ..., "links": ...}``).
A DOI the answer does not hold is not DataCite's either, and goes to its landing page.

The date is the ``Issued`` date, then ``Available``, then ``publicationYear``; never the
registry's own ``created``, ``registered`` or ``updated``. The kind comes from
``types.resourceTypeGeneral``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..config import Config
from ..identify.schemes import scheme_of
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
    mapping,
    names,
    person,
)
from .markup import plain_text

_DATE_TYPES = ("Issued", "Available")
_KINDS = {
    "Dataset": "dataset",
    "Software": "code",
    "ComputationalNotebook": "code",
    "Audiovisual": "video",
    "Text": "paper",
    "JournalArticle": "paper",
    "Preprint": "paper",
    "ConferencePaper": "paper",
    "ConferenceProceeding": "paper",
    "Report": "paper",
    "Dissertation": "paper",
    "Book": "paper",
    "BookChapter": "paper",
    "Standard": "paper",
    "PeerReview": "paper",
}


def _creator(creator: object) -> str | None:
    if not isinstance(creator, dict):
        return None
    given, family = clean(creator.get("givenName")), clean(creator.get("familyName"))
    if given and family and creator.get("nameType") != "Organizational":
        return f"{given} {family}"
    name = creator.get("name")
    return clean(name) if creator.get("nameType") == "Organizational" else person(name)


def _date(attributes: dict) -> str | None:
    dates = [d for d in attributes.get("dates") or [] if isinstance(d, dict)]
    for date_type in _DATE_TYPES:
        for entry in dates:
            if entry.get("dateType") == date_type and iso_date(entry.get("date")):
                return iso_date(entry.get("date"))
    return iso_date(str(attributes.get("publicationYear") or ""))


def _abstract(attributes: dict) -> str | None:
    descriptions = [d for d in attributes.get("descriptions") or [] if isinstance(d, dict)]
    chosen = next(
        (d for d in descriptions if d.get("descriptionType") == "Abstract"),
        descriptions[0] if descriptions else {},
    )
    return plain_text(chosen.get("description"))


def _venue(attributes: dict) -> str | None:
    container = attributes.get("container")
    if isinstance(container, dict) and plain_text(container.get("title")):
        return plain_text(container.get("title"))
    publisher = attributes.get("publisher")
    if isinstance(publisher, dict):  # the API's newer form: {"name": ...}
        publisher = publisher.get("name")
    return plain_text(publisher)


def metadata(attributes: dict) -> Metadata:
    """Our metadata from one DataCite record's ``attributes``."""
    titles = [t for t in attributes.get("titles") or [] if isinstance(t, dict)]
    main = next((t for t in titles if not t.get("titleType")), titles[0] if titles else {})
    types = mapping(attributes.get("types"))
    general = types.get("resourceTypeGeneral")
    meta = Metadata(
        origin="datacite",
        title=plain_text(main.get("title")),
        authors=names(_creator(c) for c in attributes.get("creators") or []),
        published=_date(attributes),
        abstract=_abstract(attributes),
        venue=_venue(attributes),
        url=clean(attributes.get("url")),
        kind=_KINDS.get(general) if isinstance(general, str) else None,
        subjects=[
            ("keyword", s["subject"])
            for s in attributes.get("subjects") or []
            if isinstance(s, dict) and clean(s.get("subject"))
        ][:20],
        identifiers=[f"doi:{attributes['doi']}"],
        extra={"datacite_type": clean(general)},
    )
    if types.get("resourceTypeGeneral") == "Preprint":
        meta.preprints = list(meta.identifiers)
    if not meta.title:
        meta.partial = "DataCite's record has no title"
    return meta


def _records(data: dict) -> list[dict]:
    items = data.get("data")
    if not isinstance(items, list):
        raise ResolveError("DataCite's answer is not a list of DOIs")
    return [
        item["attributes"]
        for item in items
        if isinstance(item, dict)
        and isinstance(item.get("attributes"), dict)
        and isinstance(item["attributes"].get("doi"), str)
    ]


def fetch(http: Http, config: Config, targets: list[Target]) -> Results:
    """Look up a batch of DOIs in one request."""
    wanted = {t.value.lower(): t for t in targets}
    query = urlencode({"ids": ",".join(wanted), "page[size]": len(wanted)})
    try:
        records = _records(fetch_json(http, f"{config.datacite_url}/dois?{query}", "DataCite"))
    except Exception as error:  # the whole request failed: every DOI in it fails
        return {t.key: error for t in targets}
    return by_doi(wanted, {r["doi"].lower(): r for r in records}, metadata, "DataCite")


RESOLVER = Resolver(
    name="datacite",
    accepts=lambda t: (found := scheme_of(t.key)) is not None and found.name == "doi",
    fetch=fetch,
    batch_setting="datacite_batch",
)
