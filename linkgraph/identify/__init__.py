"""What a link or identifier points to: a standard id, a link kind and a canonical URL.

The schemes of standard ids (``arxiv:``, ``doi:`` ...) and where their ids stand in URLs
live in ``schemes`` (one object per scheme, the registry everything else reads); canonical
URLs in ``urls``; link kinds of other URLs in ``kinds``; Wayback Machine links in
``wayback``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Identified
from .kinds import KINDS, kind
from .schemes import (
    PREFIXES,
    SCHEMES,
    Found,
    Scheme,
    encoded_date,
    from_identifier,
    resolver_for,
    scheme_of,
    url_id,
)
from .urls import absolute, canonical_url, parse, quote_value, suffixes
from .wayback import WAYBACK, archive_link, archived_url

# The version of the rules below: raise it whenever a URL or id they already knew would be
# identified otherwise, and stores written before are identified again when opened
# (``linkgraph.identities``). 1: stores that recorded none; 2: canonical URLs normalise
# percent-encoding, and junk (trailing punctuation, unbalanced brackets) is trimmed from ids;
# 3: every URL of a forum post (LessWrong, the Alignment Forum, GreaterWrong; the EA Forum)
# is the one canonical URL of the post.
RULES_VERSION = 3

__all__ = [
    "KINDS",
    "PREFIXES",
    "RULES_VERSION",
    "SCHEMES",
    "Scheme",
    "canonical_url",
    "encoded_date",
    "identify",
    "resolver_for",
    "scheme_of",
]


def _work(text: str, found: Found, fragment: str | None = None) -> Identified:
    """The result for an identified work."""
    standard_id, version = found
    scheme = scheme_of(standard_id)
    assert scheme is not None, standard_id  # parsers only give ids of registered schemes
    value = standard_id.split(":", 1)[1]
    url = scheme.work_url.format(quote_value(value))
    return Identified(text, standard_id, scheme.prefix, version, scheme.kind(value), url, fragment)


def _unknown(text: str) -> Identified:
    return Identified(text, None, None, None, "site", None)


def _from_wayback(text: str, match: re.Match[str]) -> Identified | None:
    """The archived URL's identity for a Wayback Machine link; None if it holds no URL."""
    found = identify(archived_url(match))
    if found.canonical_url is None:
        return None
    archive, _ = canonical_url(archive_link(match))
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
    host = _HOST_PART.match(text)
    if host and _INVISIBLE.search(host.group()):
        return _unknown(text)
    stripped = _INVISIBLE.sub("", text).strip()
    found = from_identifier(stripped)
    if found:
        return _work(text, found)
    wayback = WAYBACK.fullmatch(stripped)
    archived = _from_wayback(text, wayback) if wayback else None
    if archived:
        return archived
    full = absolute(stripped)
    parsed = parse(full) if full else None
    if parsed is None:
        return _unknown(text)
    parts, fragment = parsed
    found = url_id(suffixes(parts.host), parts.path, parts.query)
    if found:
        return _work(text, found, fragment)
    return Identified(text, None, None, None, kind(parts.host, parts.path), parts.url(), fragment)
