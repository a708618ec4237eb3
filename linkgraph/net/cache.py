"""The HTTP cache: answers kept in a SQLite file, reused for ``cache_days``, then revalidated.

One row per URL. The ``mailto`` parameter is left out of the key and of the URL kept, and no
request header (``Authorization`` included) is kept. Only the statuses in ``CACHED_STATUSES``
are kept. A fresh answer is served without a request; a stale one, or any one on refresh, is
asked again with ``If-None-Match`` / ``If-Modified-Since`` when it has an ETag or a
Last-Modified date, and a 304 serves (and renews) the kept answer.

Each thread reads through its own connection (WAL lets readers and a writer work side by
side); writes take a lock of this process, so threads queue without sleeping, and wait for
other processes through SQLite's busy timeout. Every write is committed at once. A read or
a write that fails (a full disk, a file locked past the busy timeout) never fails a fetch:
the answer is fetched, or used, without the cache.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.structures import CaseInsensitiveDict

CACHED_STATUSES = frozenset({200, 203, 300, 301, 302, 303, 307, 308})
IGNORED_PARAMETERS = frozenset({"mailto"})
BUSY_TIMEOUT_MS = 60_000
_TABLE = "linkgraph_responses"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {_TABLE} (key TEXT PRIMARY KEY, url TEXT NOT NULL, "
    "status INTEGER NOT NULL, reason TEXT, headers TEXT NOT NULL, body BLOB NOT NULL, "
    "expires REAL NOT NULL)"
)
_VALIDATORS = (("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since"))


def kept_url(url: str) -> str:
    """The URL without the ignored parameters: what is keyed and kept."""
    parts = urlsplit(url)
    if not any(f"{name}=" in parts.query for name in IGNORED_PARAMETERS):
        return url
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in IGNORED_PARAMETERS
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def cache_file(path: str | Path) -> Path:
    """The cache file: ``~`` expanded, ``.sqlite`` added to a bare name, its folder made."""
    found = Path(path).expanduser().absolute()
    if not found.suffix:
        found = found.with_name(found.name + ".sqlite")
    found.parent.mkdir(parents=True, exist_ok=True)
    return found


def cache_key(url: str) -> str:
    """The key of a GET of ``url``."""
    return hashlib.blake2b(f"GET {kept_url(url)}".encode(), digest_size=16).hexdigest()


class CachedResponse(requests.Response):
    """A response the cache answered: ``from_cache``, and ``revalidated`` when the server was
    asked again and said it had not changed."""

    from_cache = True
    revalidated = False
    _content_consumed: bool  # requests' own flag: the body is read (no annotation of its own)


@dataclass
class Entry:
    """One kept answer."""

    url: str
    status: int
    reason: str | None
    headers: list[tuple[str, str]]
    body: bytes
    expires: float

    def fresh(self) -> bool:
        """True while the answer may be served without asking."""
        return time.time() < self.expires

    def validators(self) -> dict[str, str]:
        """The conditional request headers this answer allows."""
        found = CaseInsensitiveDict(self.headers)
        return {ask: found[name] for name, ask in _VALIDATORS if found.get(name)}

    def response(self, revalidated: bool = False) -> CachedResponse:
        """The answer as a ``requests.Response``, marked ``from_cache``."""
        response = CachedResponse()
        response.status_code, response.url = self.status, self.url
        response.reason = self.reason or ""
        response.headers = CaseInsensitiveDict(self.headers)
        response._content, response._content_consumed = self.body, True
        response.revalidated = revalidated
        return response


class ResponseCache:
    """The cache file, shared by the threads of one ``Http``."""

    def __init__(self, path: str | Path, days: float):
        self.path, self.lifetime = str(cache_file(path)), days * 86400
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._open_lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []
        self._closed = False
        self._mine().execute(_SCHEMA)

    def send(
        self, session: requests.Session, url: str, kwargs: dict[str, Any], refresh: bool = False
    ) -> requests.Response:
        """GET through the cache: serve a fresh answer, revalidate a stale one, keep new ones."""
        key = cache_key(url)
        entry = self.get(key)
        if entry is not None and entry.fresh() and not refresh:
            return entry.response()
        if entry is not None:
            kwargs = {**kwargs, "headers": {**kwargs.get("headers", {}), **entry.validators()}}
        response = session.get(url, **kwargs)
        if response.status_code == 304 and entry is not None:
            self.renew(key, entry, response)
            return entry.response(revalidated=True)
        if response.status_code in CACHED_STATUSES:
            self.put(key, response)
        return response

    def get(self, key: str) -> Entry | None:
        """The answer kept under ``key``, fresh or not (None when there is none to read)."""
        try:
            row = (
                self._mine()
                .execute(
                    f"SELECT url, status, reason, headers, body, expires FROM {_TABLE} "
                    "WHERE key = ?",
                    (key,),
                )
                .fetchone()
            )
            if row is None:
                return None
            url, status, reason, headers, body, expires = row
            pairs = [(str(name), str(value)) for name, value in json.loads(headers)]
            return Entry(url, status, reason, pairs, bytes(body), float(expires))
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def put(self, key: str, response: requests.Response) -> None:
        """Keep an answer for ``cache_days``."""
        self._write(
            Entry(
                kept_url(response.url),
                response.status_code,
                response.reason,
                list(response.headers.items()),
                response.content,
                time.time() + self.lifetime,
            ),
            key,
        )

    def renew(self, key: str, entry: Entry, answer: requests.Response) -> None:
        """After a 304: the kept answer with the new headers, good for ``cache_days`` more."""
        headers = CaseInsensitiveDict(entry.headers)
        headers.update(answer.headers)
        entry.headers, entry.expires = list(headers.items()), time.time() + self.lifetime
        self._write(entry, key)

    def _write(self, entry: Entry, key: str) -> None:
        values = (
            key,
            entry.url,
            entry.status,
            entry.reason,
            json.dumps(entry.headers),
            entry.body,
            entry.expires,
        )
        try:
            with self._write_lock:
                self._mine().execute(
                    f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)", values
                )
        except sqlite3.Error:
            pass  # the answer is good without its copy in the cache

    def _mine(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = _connect(self.path)
            with self._open_lock:
                if self._closed:
                    connection.close()
                    raise sqlite3.ProgrammingError("the HTTP cache is closed")
                self._open.append(connection)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close every thread's connection."""
        with self._open_lock:
            self._closed = True
            for connection in self._open:
                connection.close()
            self._open.clear()


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection
