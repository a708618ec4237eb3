"""Wayback Machine links: the URL an archive link holds, however it is written.

``web.archive.org/web/TIMESTAMP/URL`` names its page by the archived URL, which the archive
also writes with one slash (``http:/example.com``), percent-encoded whole
(``http%3A%2F%2Fexample.com%2Fpage``), or wrapped in another archive link.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = ["WAYBACK", "archive_link", "archived_url"]

WAYBACK = re.compile(
    r"(?:https?://)?(?:www\.)?web\.archive\.org/web/(?:(?P<stamp>[0-9*]*(?:[a-z]{2}_)?)/)?"
    r"(?P<inner>[^#]+)(?:#(?P<fragment>.*))?",
    re.IGNORECASE | re.DOTALL,
)
_SCHEME_SLASHES = re.compile(r"^(https?:)/+", re.IGNORECASE)
_ENCODED = re.compile(r"https?(?:%3A|:/*%2F)", re.IGNORECASE)


def _plain(inner: str) -> str:
    """The archived URL with its escapes undone when the archive encoded it whole."""
    if _ENCODED.match(inner):
        inner = unquote(inner)
    return _SCHEME_SLASHES.sub(r"\1//", inner)


def archived_url(match: re.Match[str]) -> str:
    """The URL inside a Wayback Machine link, archives of archives unwrapped."""
    while True:
        inner = _plain(match["inner"])
        nested = WAYBACK.fullmatch(inner)
        if not nested:
            return inner
        match = nested


def archive_link(match: re.Match[str]) -> str:
    """The archive link itself, without its fragment."""
    stamp = f"{match['stamp']}/" if match["stamp"] else ""
    return f"https://web.archive.org/web/{stamp}{match['inner']}"
