"""All HTTP goes through here: one session, a persistent cache, retries, politeness and limits.

``Http.fetch`` follows redirects itself so that every hop is checked against the private-
network guard, retries connection errors, 429 and 5xx with exponential back-off and jitter
(honouring ``Retry-After``), keeps a minimum interval and a concurrency limit per host, reads
bodies streaming up to a size cap and checks the content type before anything is parsed.
Responses come from the cache file (``cache.py``) when one is configured; only requests
that really go to the network pass the per-host limiter and are counted.
"""

from __future__ import annotations

import email.utils
import errno
import fnmatch
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from ..config import Config, load_config
from ..version import __version__
from .cache import ResponseCache
from .guard import GUARDED_POOLS, BlockedURL, check_url, target
from .session import Session

API_MAX_BYTES = 10 * 2**20
HTML_MAX_BYTES = 5 * 2**20
PDF_MAX_BYTES = 30 * 2**20
JSON_TYPES = ("application/json", "+json")
XML_TYPES = ("application/atom+xml", "application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL that gave no usable response; the message is the reason, in a few words."""


class NetworkError(FetchError):
    """The connection failed: name resolution, refused, reset, time-out, truncated body."""


class NetworkDown(NetworkError):
    """Names do not resolve and networks are unreachable: there is no network to use."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class TooLarge(FetchError):
    """The body is larger than the cap for its kind."""


class WrongContentType(FetchError):
    """The server sent a media type the caller cannot parse."""


class RedirectError(FetchError):
    """A redirect loop, or too many redirects."""


class Blocked(FetchError):
    """A URL the guard refuses: not http(s), or into the private network."""


class Cancelled(FetchError):
    """The run was interrupted."""


@dataclass
class Rules:
    """What one fetch accepts: media types with their size caps, and a default cap."""

    limits: dict[str, int]
    default_max: int

    def cap_for(self, content_type: str | None) -> int:
        """The size cap for a response's media type."""
        media = _media_type(content_type)
        for accepted, cap in self.limits.items():
            if _matches(media, accepted):
                return cap
        return self.default_max

    def accepts(self, content_type: str | None) -> bool:
        """True when the media type is one of the accepted ones (or nothing was asked)."""
        if not self.limits or not content_type:
            return True
        media = _media_type(content_type)
        return any(_matches(media, accepted) for accepted in self.limits)


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _matches(media: str, accepted: str) -> bool:
    return media.endswith(accepted) if accepted.startswith("+") else media == accepted


@dataclass
class Stats:
    """Counts of what went to the network and what came from the cache, by tag."""

    sent: Counter = field(default_factory=Counter)
    cached: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, counter: Counter, tag: str) -> None:
        """Count one request under a tag."""
        with self.lock:
            counter[tag] += 1


_local = threading.local()


@contextmanager
def tagged(tag: str) -> Iterator[None]:
    """Count the requests made inside this block (in this thread) under ``tag``."""
    previous = getattr(_local, "tag", None)
    _local.tag = tag
    try:
        yield
    finally:
        _local.tag = previous


def _tag() -> str:
    return getattr(_local, "tag", None) or "other"


class HostLimiter:
    """A minimum interval between request starts and a cap on requests in flight, per host."""

    def __init__(
        self,
        interval: float,
        concurrency: int,
        cancel: threading.Event,
        overrides: Mapping[str, tuple[float, int]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        """``clock`` tells the time, and ``cancel.wait(seconds)`` waits: both of one kind, real
        by default (a test gives a clock whose waits move it on)."""
        self.interval = interval
        self.concurrency = max(1, concurrency)
        self.overrides = dict(overrides or {})
        self.cancel = cancel
        self.clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._semaphores: dict[str, threading.Semaphore] = {}

    def settings(self, host: str) -> tuple[float, int]:
        """The interval and concurrency for one host (patterns such as ``*.wikipedia.org``)."""
        if host in self.overrides:
            return self.overrides[host]
        for pattern, value in self.overrides.items():
            if "*" in pattern and fnmatch.fnmatch(host, pattern):
                return value
        return self.interval, self.concurrency

    def _semaphore(self, host: str) -> threading.Semaphore:
        with self._lock:
            if host not in self._semaphores:
                self._semaphores[host] = threading.Semaphore(max(1, self.settings(host)[1]))
            return self._semaphores[host]

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Wait for a free place and the host's next start time, then hold the place."""
        semaphore = self._semaphore(host)
        while not semaphore.acquire(timeout=0.2):
            if self.cancel.is_set():
                raise Cancelled("interrupted")
        try:
            interval = self.settings(host)[0]
            with self._lock:
                now = self.clock()
                start = max(now, self._next.get(host, 0.0))
                self._next[host] = start + interval
            if start > now and self.cancel.wait(start - now):
                raise Cancelled("interrupted")
            yield
        finally:
            semaphore.release()

    def defer(self, host: str, seconds: float) -> None:
        """Hold every request to a host for ``seconds`` (after a 429 or 503)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self.clock() + seconds)


class _Transport(HTTPAdapter):
    """The adapter under the session: per-host limits, counting, type check, capped reads."""

    def __init__(self, http: Http, pool_maxsize: int):
        self.http = http
        super().__init__(pool_connections=128, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """requests' pool manager; its direct connections go to public addresses only."""
        super().init_poolmanager(*args, **kwargs)
        if not self.http.config.allow_private_network:
            self.poolmanager.pool_classes_by_scheme = GUARDED_POOLS

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        rules: Rules = getattr(_local, "rules", None) or Rules({}, API_MAX_BYTES)
        host = urlsplit(request.url).netloc.lower()
        with self.http.limiter.slot(host):
            self.http.stats.add(self.http.stats.sent, _tag())
            response = super().send(
                request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
            try:
                if 200 <= response.status_code < 300 and not rules.accepts(
                    response.headers.get("Content-Type")
                ):
                    raise WrongContentType(
                        f"unexpected content type {_media_type(response.headers['Content-Type'])}"
                    )
                _read_capped(
                    response,
                    rules.cap_for(response.headers.get("Content-Type")),
                    self.http.config.body_timeout,
                )
            except BaseException:
                response.close()
                raise
        return response


def _read_capped(response: requests.Response, cap: int, seconds: float) -> None:
    """Read the body, refusing it as soon as it passes ``cap`` bytes or ``seconds`` seconds.

    Each read returns what has arrived (``read1``), so a body trickling in a byte at a time
    is cut off at the deadline too, not only one sent in large pieces.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"body of {int(declared):,} bytes is over the {cap:,} byte limit")
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + seconds
    for chunk in _arriving(response):
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"body is over the {cap:,} byte limit")
        if time.monotonic() > deadline:
            raise NetworkError(f"body took over {seconds:g} s to arrive")
        chunks.append(chunk)
    response._content = b"".join(chunks)
    vars(response)["_content_consumed"] = True  # requests' own flag; its stubs leave it out


def _arriving(response: requests.Response) -> Iterator[bytes]:
    """The decoded body as it arrives, with urllib3's errors as requests raises them."""
    try:
        while chunk := response.raw.read1(_CHUNK, decode_content=True):
            yield chunk
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(error) from error


def _causes(error: BaseException) -> Iterator[BaseException]:
    """An exception with its causes, contexts, reasons and wrapped exceptions."""
    stack: list[Any] = [error]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(
            [
                current.__cause__,
                current.__context__,
                getattr(current, "reason", None),
                *current.args,
            ]
        )


def _down(error: BaseException) -> bool:
    """True for failures that mean there is no network: unresolvable names, no route."""
    for current in _causes(error):
        if isinstance(current, socket.gaierror) or type(current).__name__ == "NameResolutionError":
            return True
        if isinstance(current, OSError) and current.errno in (
            errno.ENETUNREACH,
            errno.EHOSTUNREACH,
            errno.ENETDOWN,
        ):
            return True
    return False


def _describe(error: BaseException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "connection broken mid-body (truncated response)"
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return "body cannot be decoded"
    text = str(error)
    for marker in (
        "Connection refused",
        "Connection reset",
        "Name or service not known",
        "Temporary failure in name resolution",
        "Remote end closed connection",
        "IncompleteRead",
        "Network is unreachable",
        "No route to host",
    ):
        if marker in text:
            return marker[0].lower() + marker[1:]
    return f"connection failed: {text[:160]}"


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Http:
    """One session for everything, with its cache, limits and counters."""

    def __init__(
        self,
        config: Config | None = None,
        cache_path: str | Path | None = None,
        refresh: bool = False,
    ):
        self.config = config or load_config()
        self.refresh = refresh
        self.cancel = threading.Event()
        self.stats = Stats()
        self.responses = 0  # answers from any server in this run (not from the cache)
        self.network_down = False
        self._down_failures = 0
        self._lock = threading.Lock()
        self.limiter = HostLimiter(
            self.config.host_interval,
            self.config.host_concurrency,
            self.cancel,
            host_limits(self.config),
        )
        self.session = Session()
        self.cache = ResponseCache(cache_path, self.config.cache_days) if cache_path else None
        self.session.headers["User-Agent"] = user_agent(self.config)
        transport = _Transport(self, pool_maxsize=max(10, self.config.workers * 2))
        self.session.mount("http://", transport)
        self.session.mount("https://", transport)

    def close(self) -> None:
        """Close the session and its cache."""
        self.session.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        max_bytes: int = API_MAX_BYTES,
        accept: Sequence[str] | None = None,
        limits: Mapping[str, int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """GET a URL and return its final response, body read; raise FetchError otherwise.

        ``accept`` lists the media types the caller parses (suffixes such as ``+json``
        allowed), each capped at ``max_bytes``; ``limits`` gives a cap per media type instead.
        """
        rules = Rules(dict(limits) if limits else {t: max_bytes for t in accept or ()}, max_bytes)
        visited: list[str] = []
        current = url
        for _ in range(self.config.max_redirects + 1):
            if current in visited:
                raise RedirectError(f"redirect loop at {current}")
            visited.append(current)
            self._check(current)
            response = self._get(current, rules, headers)
            if response.status_code in _REDIRECTS and response.headers.get("Location"):
                following = urljoin(current, response.headers["Location"])
                headers = without_credentials(headers, current, following)
                current = following
                continue
            if response.status_code >= 400:
                raise HTTPStatusError(f"HTTP {response.status_code}", response.status_code)
            if response.status_code != 200:
                raise HTTPStatusError(
                    f"unexpected HTTP {response.status_code}", response.status_code
                )
            if not rules.accepts(response.headers.get("Content-Type")):
                raise WrongContentType(
                    f"unexpected content type {_media_type(response.headers['Content-Type'])}"
                )
            if len(response.content) > rules.cap_for(response.headers.get("Content-Type")):
                raise TooLarge("body is over the size limit")
            return response
        raise RedirectError(f"more than {self.config.max_redirects} redirects")

    def _check(self, url: str) -> None:
        try:
            check_url(url, allow_private=self.config.allow_private_network)
        except BlockedURL as error:
            raise Blocked(str(error)) from None

    def _get(self, url: str, rules: Rules, headers: Mapping[str, str] | None) -> requests.Response:
        host = urlsplit(url).netloc.lower()
        failure: FetchError
        for attempt in range(self.config.retries + 1):
            if self.cancel.is_set():
                raise Cancelled("interrupted")
            if self.network_down:
                raise NetworkDown("no network")
            _local.rules = rules
            try:
                response = self._send(url, headers)
            except BlockedURL as error:  # the host resolved into the private network
                raise Blocked(str(error)) from None
            except (requests.exceptions.InvalidURL, UnicodeError) as error:
                # requests cannot send it (a user name outside Latin-1, say): no request left
                raise FetchError(f"cannot be requested: {error}") from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
                NetworkError,
            ) as error:
                self._failed_connection(error)
                failure = self._network_error(_describe(error), error)
                delay = self._backoff(attempt)
            else:
                if getattr(response, "from_cache", False):
                    self.stats.add(self.stats.cached, _tag())
                else:
                    self._answered()
                if response.status_code not in _RETRY_STATUSES:
                    return response
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                failure = HTTPStatusError(f"HTTP {response.status_code}", response.status_code)
                if wait is not None and wait > self.config.max_retry_after:
                    raise HTTPStatusError(
                        f"HTTP {response.status_code}, asked to wait {wait:.0f} s",
                        response.status_code,
                    )
                delay = max(wait or 0.0, self._backoff(attempt))
                self.limiter.defer(host, delay)
            finally:
                _local.rules = None
            if attempt < self.config.retries and self.cancel.wait(delay):
                raise Cancelled("interrupted")
        raise failure

    def _send(self, url: str, headers: Mapping[str, str] | None) -> requests.Response:
        """One GET, through the cache when there is one (revalidating all on refresh)."""
        kwargs: dict[str, Any] = {
            "headers": dict(headers or {}),
            "allow_redirects": False,
            "timeout": (self.config.connect_timeout, self.config.read_timeout),
        }
        if self.cache is None:
            return self.session.get(url, **kwargs)
        return self.cache.send(self.session, url, kwargs, refresh=self.refresh)

    def _backoff(self, attempt: int) -> float:
        return self.config.backoff * (2**attempt) * (0.5 + random.random())

    def _answered(self) -> None:
        with self._lock:
            self.responses += 1
            self._down_failures = 0

    def _failed_connection(self, error: BaseException) -> None:
        if not _down(error):
            return
        with self._lock:
            self._down_failures += 1
            if self.responses == 0 and self._down_failures >= 3:
                self.network_down = True

    def _network_error(self, message: str, error: BaseException) -> NetworkError:
        return NetworkDown(message) if _down(error) else NetworkError(message)


CREDENTIAL_HEADERS = ("Authorization", "Proxy-Authorization", "Cookie")


def without_credentials(
    headers: Mapping[str, str] | None, current: str, following: str
) -> Mapping[str, str] | None:
    """The headers for a redirect's next hop: credentials dropped when it leaves the host.

    As requests does: they stay for the same scheme, host and port, and for the move from
    http to https on the same host with the default ports. Hosts are read by the parser
    the connection uses (an unreadable URL is another host).
    """
    if not headers:
        return headers
    try:
        (scheme, host, port), (new_scheme, new_host, new_port) = target(current), target(following)
    except BlockedURL:
        same = False
    else:
        upgrade = (scheme, port, new_scheme, new_port) == ("http", 80, "https", 443)
        same = host == new_host and ((scheme, port) == (new_scheme, new_port) or upgrade)
    if same:
        return headers
    secret = {name.lower() for name in CREDENTIAL_HEADERS}
    return {name: value for name, value in headers.items() if name.lower() not in secret}


def host_limits(config: Config) -> dict[str, tuple[float, int]]:
    """The politeness settings of each API's host, from its configured base URL."""
    apis = [
        (config.openreview_url, config.api_interval, config.host_concurrency),
        (config.openreview_v1_url, config.api_interval, config.host_concurrency),
        (config.wikipedia_url.replace("{lang}", "*"), config.api_interval, config.host_concurrency),
        (config.youtube_oembed_url, config.api_interval, config.host_concurrency),
        (config.vimeo_oembed_url, config.api_interval, config.host_concurrency),
        (config.github_url, config.api_interval, config.host_concurrency),
        (config.crossref_url, config.crossref_interval, 3),
        (config.arxiv_url, config.arxiv_interval, 1),  # last: it wins a shared host
    ]
    overrides: dict[str, tuple[float, int]] = {}
    for url, interval, concurrency in apis:
        host = urlsplit(url).netloc.lower()
        if host:
            overrides[host] = (interval, concurrency)
    return overrides


def user_agent(config: Config) -> str:
    """The User-Agent header: the configured one, else linkgraph's name with the contact."""
    base = config.user_agent or f"linkgraph/{__version__} (podcast research-link resolver)"
    if config.mailto and "mailto" not in base:
        base = f"{base} mailto:{config.mailto}"
    return base
