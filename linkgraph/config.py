"""Settings: defaults, then ``linkgraph.toml`` next to the database, then ``LINKGRAPH_*`` variables.

Every key below can be set in the TOML file (top level or under a ``[resolve]`` table) and
as an environment variable named ``LINKGRAPH_`` plus the key in upper case, for example
``LINKGRAPH_MAILTO`` or ``LINKGRAPH_ARXIV_URL``. The environment wins over the file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

CONFIG_FILE = "linkgraph.toml"
ENV_PREFIX = "LINKGRAPH_"


@dataclass(frozen=True)
class Config:
    """Everything resolve and the HTTP layer can be told; see the README for each key."""

    # Who we are: sent in the User-Agent and to Crossref's polite pool.
    mailto: str | None = None
    user_agent: str | None = None  # default: "linkgraph/<version>" plus the mailto address
    # Where the APIs live (tests and mirrors point these elsewhere).
    arxiv_url: str = "https://export.arxiv.org/api/query"
    crossref_url: str = "https://api.crossref.org"
    datacite_url: str = "https://api.datacite.org"
    openreview_url: str = "https://api2.openreview.net"
    openreview_v1_url: str = "https://api.openreview.net"
    wikipedia_url: str = "https://{lang}.wikipedia.org/api/rest_v1"
    youtube_oembed_url: str = "https://www.youtube.com/oembed"
    vimeo_oembed_url: str = "https://vimeo.com/api/oembed.json"
    github_url: str = "https://api.github.com"
    doi_url: str = "https://doi.org"  # landing pages of DOIs Crossref does not know
    github_token: str | None = None  # also read from GITHUB_TOKEN
    # Concurrency and politeness.
    workers: int = 8
    host_interval: float = 1.0  # seconds between two requests to one host
    host_concurrency: int = 2  # requests in flight to one host
    arxiv_interval: float = 3.0  # arXiv's terms: one request every three seconds
    crossref_interval: float = 0.34  # Crossref's polite pool: three list queries a second
    api_interval: float = 0.2  # the other APIs (OpenReview, Wikipedia, oEmbed, GitHub)
    arxiv_batch: int = 100
    crossref_batch: int = 20
    datacite_batch: int = 20
    # Time-outs and retries.
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    body_timeout: float = 120.0  # seconds a whole body may take to arrive, however it trickles
    source_timeout: float = 600.0  # seconds a worker of a parallel ingest may take on one source
    retries: int = 3
    backoff: float = 1.0  # first retry waits about this long, then twice as long each time
    max_retry_after: float = 120.0  # longest Retry-After we wait for; longer ones fail the work
    failure_backoff: float = 3600.0  # a failed work waits this long before its next try, doubling
    max_failure_backoff: float = 7 * 86400.0
    # Safety.
    allow_private_network: bool = False
    max_redirects: int = 10
    max_links_per_episode: int = 100_000  # an episode citing more is refused, with a message
    # Spoken citations: the confidence a work named in a transcript needs to be shown.
    spoken_threshold: float = 0.8
    # Cache.
    cache: bool = True
    cache_path: str | None = None  # default: <database>.http-cache.sqlite
    cache_days: float = 30.0  # after this a cached response is revalidated (ETag / Last-Modified)

    def failure_delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failure of a fetch before the next try."""
        return min(self.failure_backoff * 2 ** max(0, attempts - 1), self.max_failure_backoff)

    def with_options(self, **changes: Any) -> Config:
        """A copy with the given keys changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


class ConfigError(ValueError):
    """A setting with a value of the wrong type or out of range, or an unknown key."""


# The range of each number (inclusive); any other number is finite, from 0 to NUMBER_MAX.
NUMBER_MAX = 10**9
_RANGES: dict[str, tuple[float, float]] = {
    "workers": (1, 256),
    "host_concurrency": (1, 256),
    "arxiv_batch": (1, 2000),
    "crossref_batch": (1, 1000),
    "max_links_per_episode": (1, 10_000_000),
    "max_redirects": (0, 100),
    "retries": (0, 100),
    "connect_timeout": (0.001, 86400),
    "read_timeout": (0.001, 86400),
    "body_timeout": (0.001, 86400),
    "source_timeout": (0.001, 86400),
    "spoken_threshold": (0, 1),
}


def _keys() -> dict[str, str]:
    """Each setting's name and its type as written (``"int"``, ``"str | None"`` ...)."""
    return {f.name: str(f.type) for f in fields(Config)}


def _coerce(key: str, value: Any, where: str) -> Any:
    kind = _keys()[key]
    try:
        if "bool" in kind:
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise ValueError(value)
                return lowered in {"1", "true", "yes", "on"}
            return bool(value)
        if kind.startswith(("int", "float")):
            if isinstance(value, bool):
                raise ValueError(value)
            return _in_range(key, int(value) if kind.startswith("int") else float(value), where)
        return None if value in ("", None) else str(value)
    except ConfigError:
        raise
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{where}: {key} = {value!r} is not a valid {kind}") from None


def _in_range(key: str, number: float, where: str) -> float:
    """A number within its key's range; ConfigError otherwise (NaN and infinity included)."""
    low, high = _RANGES.get(key, (0, NUMBER_MAX))
    if not low <= number <= high:  # False for NaN too
        raise ConfigError(f"{where}: {key} = {number!r} is out of range ({low:g} to {high:g})")
    return number


def load_config(
    db_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Config:
    """The settings for a database: defaults, its ``linkgraph.toml``, the environment, overrides."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    keys = _keys()
    if db_path is not None and str(db_path) != ":memory:":
        path = Path(db_path).resolve().parent / CONFIG_FILE
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{path}: {error}") from None
            table = {
                **{k: v for k, v in data.items() if not isinstance(v, dict)},
                **data.get("resolve", {}),
            }
            for key, value in table.items():
                if key not in keys:
                    raise ConfigError(f"{path}: unknown setting {key!r}")
                values[key] = _coerce(key, value, str(path))
    if environ.get("GITHUB_TOKEN"):
        values["github_token"] = environ["GITHUB_TOKEN"]
    for key in keys:
        name = ENV_PREFIX + key.upper()
        if name in environ:
            values[key] = _coerce(key, environ[name], name)
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(key, value, "option") if key in keys else value
    return Config(**values)


def cache_path_for(config: Config, db_path: str | Path | None) -> Path | None:
    """Where the HTTP cache lives: the configured path, else beside the database."""
    if not config.cache:
        return None
    if config.cache_path:
        return Path(config.cache_path)
    if db_path is None or str(db_path) == ":memory:":
        return None
    return Path(f"{db_path}.http-cache.sqlite")
