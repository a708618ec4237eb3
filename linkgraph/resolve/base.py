"""What every metadata source shares: the target it is given, the metadata it returns."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..identify import resolver_for
from ..net.http import API_MAX_BYTES, JSON_TYPES, Http
from ..safetext import real_date


class ResolveError(Exception):
    """A response that answers nothing usable (malformed, empty, unknown id); says why."""


class NotFound(ResolveError):
    """The source does not know the target; another source may."""


@dataclass(frozen=True)
class Target:
    """One work to look up: the identifier to ask about, its URL and its kind."""

    scheme: str
    value: str
    url: str | None = None
    kind: str = "site"

    @property
    def key(self) -> str:
        """The standard id of the target, ``scheme:value``."""
        return f"{self.scheme}:{self.value}"

    @cached_property
    def host(self) -> str:
        """The host of the target's URL, lower case, without ``www.``."""
        host = urlsplit(self.url or "").hostname or ""
        return host.lower().removeprefix("www.")

    @cached_property
    def path(self) -> str:
        """The path of the target's URL."""
        return urlsplit(self.url or "").path


@dataclass
class Metadata:
    """What a resolver says about one work. Empty fields say nothing; they never blank a field."""

    origin: str  # the resolver (and for pages, the layer: webpage:json-ld ...) that answered
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD
    abstract: str | None = None
    venue: str | None = None
    url: str | None = None
    kind: str | None = None
    subjects: list[tuple[str, str]] = field(default_factory=list)  # (scheme, name)
    identifiers: list[str] = field(default_factory=list)  # standard ids: doi:..., arxiv:...
    preprints: list[str] = field(default_factory=list)  # those identifiers that are preprints
    crossref_type: str | None = None  # Crossref's type of the work (journal-article ...)
    extra: dict[str, Any] = field(default_factory=dict)  # fields without a column (stars ...)
    field_origins: dict[str, str] = field(
        default_factory=dict
    )  # per-field origins, where they differ
    partial: str | None = None  # why the answer is incomplete, when it is

    def origin_of(self, name: str) -> str:
        """The origin of one field."""
        return self.field_origins.get(name, self.origin)


Results = dict[str, Any]  # target key -> Metadata or the Exception that explains the failure


@dataclass
class Resolver:
    """A metadata source: which targets it takes, how many per request, how it fetches."""

    name: str
    accepts: Callable[[Target], bool]
    fetch: Callable[[Http, Config, list[Target]], Results]
    batch_setting: str | None = None  # the Config key holding the batch size, if batched

    @property
    def batched(self) -> bool:
        """True for sources that answer many targets in one request."""
        return self.batch_setting is not None

    def batch_size(self, config: Config) -> int:
        """How many targets go in one request."""
        return max(1, int(getattr(config, self.batch_setting))) if self.batch_setting else 1


def serves(name: str) -> Callable[[Target], bool]:
    """``accepts`` for a source: the targets whose scheme the identifier registry gives it."""
    return lambda target: resolver_for(target.key) == name


def single(
    fetch_one: Callable[[Http, Config, Target], Metadata],
) -> Callable[[Http, Config, list[Target]], Results]:
    """Turn a one-target fetch into a fetch over a list, each failure kept with its target."""

    def fetch(http: Http, config: Config, targets: list[Target]) -> Results:
        results: Results = {}
        for target in targets:
            try:
                results[target.key] = fetch_one(http, config, target)
            except Exception as error:  # one target's failure is its own
                results[target.key] = error
        return results

    return fetch


def fetch_json(http: Http, url: str, what: str, headers: dict | None = None) -> dict:
    """A JSON object from an API; ResolveError when the body is not one."""
    response = http.fetch(url, max_bytes=API_MAX_BYTES, accept=JSON_TYPES, headers=headers)
    try:
        data = json.loads(response.content)
    except ValueError as error:
        raise ResolveError(f"malformed JSON from {what}: {error}") from None
    if not isinstance(data, dict):
        raise ResolveError(f"{what} answered JSON that is not an object")
    return data


# ---- small text helpers the sources share -------------------------------------------------

_SPACE = re.compile(r"\s+")


def mapping(value: Any) -> dict:
    """``value`` when it is a JSON object, else an empty one: an answer's field read safely."""
    return value if isinstance(value, dict) else {}


def array(value: Any) -> list:
    """``value`` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def clean(text: Any) -> str | None:
    """Text with runs of white space folded, or None when empty or not text."""
    if not isinstance(text, str):
        return None
    folded = _SPACE.sub(" ", text).strip()
    return folded or None


_DATE = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")


def iso_date(value: Any) -> str | None:
    """A real date as YYYY, YYYY-MM or YYYY-MM-DD from the many ways sources write one.

    None when there is none, or when the date is impossible (``2023/13/45``, month ``00``).
    """
    if isinstance(value, (list, tuple)):
        parts = real_date(
            [int(p) for p in value if isinstance(p, int) or (isinstance(p, str) and p.isdigit())]
        )
        return "-".join([f"{parts[0]:04d}", *[f"{p:02d}" for p in parts[1:]]]) if parts else None
    text = clean(value)
    if not text:
        return None
    match = _DATE.search(text)
    return iso_date([p for p in match.groups() if p]) if match else None


def names(values: Iterable[Any]) -> list[str]:
    """Author names, cleaned, empty ones dropped, duplicates removed in order."""
    seen: dict[str, None] = {}
    for value in values:
        name = clean(value)
        if name and name.lower() not in {n.lower() for n in seen}:
            seen[name] = None
    return list(seen)


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}


def person(name: Any) -> str | None:
    """A name written "Family, Given" turned to "Given Family"; others as they are."""
    text = clean(name)
    if text and text.count(",") == 1:
        family, given = (part.strip() for part in text.split(","))
        if family and given and given.rstrip(".").lower() not in _SUFFIXES:
            return f"{given} {family}"
    return text


def by_doi(
    wanted: dict[str, Target], records: dict[str, Any], read: Callable[[Any], Metadata], who: str
) -> Results:
    """Each wanted DOI's metadata from a registry's records (both keyed by lower-case DOI);
    NotFound, naming the registry, for the DOIs it has no record of."""
    return {
        target.key: read(records[doi])
        if doi in records
        else NotFound(f"{who} has no record of doi:{doi}")
        for doi, target in wanted.items()
    }
