"""ShortDOIs (``doi:10/b6vnmd``): the DOI each stands for, from the DOI proxy's handle API.

``GET {doi_url}/api/handles/10/b6vnmd?type=HS_ALIAS`` answers the shortDOI's handle record
(``{"responseCode": 1, "handle": ..., "values": [{"type": "HS_ALIAS", "data": {"format":
"string", "value": "10.1016/..."}}]}``; response code 100 with HTTP 404 for an unknown
handle, 200 for a record without an alias). The work gains the full DOI, which merges it
with the work already known by that DOI, and the DOI's own source is asked in the next round.
"""

from __future__ import annotations

from urllib.parse import quote

from ..config import Config
from ..identify import identify
from ..net.http import Http
from .base import (
    Metadata,
    NotFound,
    ResolveError,
    Resolver,
    Target,
    fetch_json,
    serves,
    single,
)

_FOUND, _NO_HANDLE, _NO_VALUES = 1, 100, 200


def _alias(record: dict) -> str | None:
    """The HS_ALIAS value of a handle record, if it has one."""
    for value in record.get("values") or []:
        data = value.get("data") if isinstance(value, dict) else None
        if value.get("type") == "HS_ALIAS" and isinstance(data, dict):
            alias = data.get("value")
            return alias if isinstance(alias, str) else None
    return None


def fetch_one(http: Http, config: Config, target: Target) -> Metadata:
    """The full DOI of one shortDOI."""
    url = f"{config.doi_url}/api/handles/{quote(target.value)}?type=HS_ALIAS"
    record = fetch_json(http, url, "the DOI handle API")
    code = record.get("responseCode")
    if code in (_NO_HANDLE, _NO_VALUES):
        raise NotFound(f"the DOI proxy has no DOI for the shortDOI {target.value}")
    if code != _FOUND:
        raise ResolveError(f"the DOI handle API answered response code {code!r}")
    alias = _alias(record)
    found = identify(f"doi:{alias}") if alias else None
    if found is None or found.id is None:
        raise ResolveError(f"the handle record of {target.value} names no DOI: {alias!r}")
    return Metadata(origin="shortdoi", identifiers=[found.id])


RESOLVER = Resolver(name="shortdoi", accepts=serves("shortdoi"), fetch=single(fetch_one))
