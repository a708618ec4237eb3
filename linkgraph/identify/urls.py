"""Canonical URLs: one spelling per page, whatever way a link writes it.

The host is lower case, IDNA-encoded and without ``www.`` or a mobile prefix; the scheme is
https, the default port, user info, fragment, trailing slash and tracking parameters go.
Percent-encoding follows RFC 3986 section 6.2.2: escapes of characters that need none
(letters, digits, ``-._~``, and the marks ``!*'()``, which RFC 2396 counted as unreserved
and servers read the same either way) are decoded, every other escape is upper-cased, and
characters that may not stand raw in a URL are escaped as UTF-8. So ``Bayes'_theorem`` and
``Bayes%27_theorem`` are one page. Platform links with many forms (YouTube, Spotify and
Apple Podcasts players) become their page's URL, and so do the many URLs of one forum post.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote

__all__ = ["Parts", "absolute", "canonical_url", "parse", "quote_value", "suffixes"]

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
    "open.spotify.com": frozenset({"si", "nd", "utm_source"}),
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
# Characters whose escapes are decoded: RFC 3986 unreserved, and RFC 2396's marks.
_DECODED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~" + "!*'()")
_PATH_SAFE = "/:@!$&'()*+,;=%"
_QUERY_SAFE = _PATH_SAFE + "?"
_YOUTUBE_HOSTS = ("youtube.com", "youtube-nocookie.com")
# A video id is 11 characters; what follows it (``>``, ``)`` ...) is not part of it.
_YOUTUBE_VIDEO = re.compile(r"[A-Za-z0-9_-]{11}(?![A-Za-z0-9_-])")
_YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|live|v|e)/([^/]+)")
_SPOTIFY_EMBED = re.compile(r"^/embed(?:-podcast)?/(episode|show|track|album|playlist)/")
# Forums that serve one post database under several hosts: LessWrong, the Alignment Forum
# and the GreaterWrong reader share one; the EA Forum (the same software) has its own. A
# post is /posts/<id>/<slug> (the slug optional, changed with the title), /s/<sequence>/p/<id>
# in a sequence, /<collection>/p/<id>, /g/<group>/p/<id> in a group, /events/<id>/<slug> for
# an event; its canonical URL is /posts/<id> on the database's main host.
_FORUM_HOSTS = {
    "lesswrong.com": "lesswrong.com",
    "lesserwrong.com": "lesswrong.com",
    "alignmentforum.org": "lesswrong.com",
    "greaterwrong.com": "lesswrong.com",
    "forum.effectivealtruism.org": "forum.effectivealtruism.org",
    "ea.greaterwrong.com": "forum.effectivealtruism.org",
}
_FORUM_POST = re.compile(
    r"^/(?:(?:posts|events)/(?P<id>[A-Za-z0-9]{17})(?:/[^/]+)?"
    r"|(?:[sg]/[^/]+/|[^/]+/)p/(?P<in_list>[A-Za-z0-9]{17}))$"
)


class Parts(NamedTuple):
    """The parts of a canonical URL that identify and kinds look at."""

    host: str
    port: str
    path: str
    query: str

    def url(self) -> str:
        """The canonical URL these parts spell."""
        port = f":{self.port}" if self.port else ""
        query = f"?{self.query}" if self.query else ""
        return f"https://{self.host}{port}{self.path}{query}"


def suffixes(host: str) -> list[str]:
    """The host and its parent domains, longest first."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def absolute(text: str) -> str | None:
    """An http(s) URL for ``text``, adding ``https://`` to scheme-less ones; else None."""
    if _URL.match(text):
        return text
    if _SCHEMELESS.fullmatch(text):
        return "https://" + text.removeprefix("//")
    return None


def _quote(text: str, safe: str) -> str:
    """Percent-encode ``text`` as UTF-8, lone surrogates included, keeping ``safe``."""
    return quote(text, safe=safe, errors="surrogatepass")


def quote_value(value: str) -> str:
    """An identifier value as it stands in the path of a canonical URL."""
    return _quote(value, _PATH_SAFE.replace("%", ""))


def _unescape(match: re.Match[str]) -> str:
    char = chr(int(match[1], 16))
    return char if char in _DECODED else "%" + match[1].upper()


def _normalise_escapes(part: str, safe: str) -> str:
    """Decode escapes of characters that need none, upper-case the others, escape the rest."""
    part = _ESCAPE.sub(_unescape, _STRAY_PERCENT.sub("%25", part))
    return _quote(part, safe)


def _host_once(host: str) -> str:
    host = host.removeprefix("www.")
    return _MOBILE_HOST.sub(lambda m: f"{m[1]}.{m[2]}" if m[1] else m[2], host)


def _canonical_host(host: str) -> str:
    host = host.lower()
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    while (shorter := _host_once(host)) != host:
        host = shorter
    return host


def _canonical_query(query: str, host: str) -> str:
    """Drop tracking parameters and empty pieces; keep the rest in order."""
    host_params = next(
        (_HOST_TRACKING_PARAMS[s] for s in suffixes(host) if s in _HOST_TRACKING_PARAMS),
        frozenset(),
    )

    def tracking(key: str) -> bool:
        return key in _TRACKING_PARAMS or key in host_params or key.startswith("utm_")

    return "&".join(
        _normalise_escapes(piece, _QUERY_SAFE)
        for piece in query.split("&")
        if piece and not tracking(unquote(piece.split("=", 1)[0]).lower())
    )


def _youtube(parts: Parts) -> Parts:
    """The watch URL of a YouTube video link; other links unchanged."""
    if parts.host == "youtu.be":
        candidates = [parts.path[1:]]
    elif parts.host.endswith(_YOUTUBE_HOSTS) and parts.path == "/watch":
        candidates = [piece[2:] for piece in parts.query.split("&") if piece.startswith("v=")]
    elif parts.host.endswith(_YOUTUBE_HOSTS):
        candidates = _YOUTUBE_PATH.findall(parts.path)
    else:
        return parts
    video = next((m[0] for c in candidates if (m := _YOUTUBE_VIDEO.match(c))), None)
    return Parts("youtube.com", "", "/watch", f"v={video}") if video else parts


def _player(parts: Parts) -> Parts:
    """The page of a Spotify or Apple Podcasts player embed; other links unchanged."""
    if parts.host == "open.spotify.com" and _SPOTIFY_EMBED.match(parts.path):
        return parts._replace(path=_SPOTIFY_EMBED.sub(r"/\1/", parts.path), query="")
    if parts.host == "embed.podcasts.apple.com":
        return parts._replace(host="podcasts.apple.com")
    return parts


def _forum_post(parts: Parts) -> Parts:
    """The canonical URL of a forum post (see ``_FORUM_HOSTS``); other links unchanged."""
    host = _FORUM_HOSTS.get(parts.host)
    post = _FORUM_POST.match(parts.path) if host else None
    if host is None or post is None:
        return parts
    return Parts(host, "", f"/posts/{post['id'] or post['in_list']}", parts.query)


def parse(url: str) -> tuple[Parts, str | None] | None:
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
    parts = Parts(host, port, path, _canonical_query(match["query"] or "", host))
    return _forum_post(_player(_youtube(parts))), match["fragment"] or None


@lru_cache(maxsize=1 << 16)
def canonical_url(url: str) -> tuple[str, str | None]:
    """The canonical form of an http(s) URL (scheme optional) and its fragment or None.

    Raises ValueError when ``url`` is not an http(s) URL.
    """
    full = absolute(url.strip())
    parsed = parse(full) if full else None
    if parsed is None:
        raise ValueError(f"not an http(s) URL: {url!r}")
    parts, fragment = parsed
    return parts.url(), fragment
