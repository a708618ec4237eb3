"""The network layer: one HTTP client (session, cache, guard, limits) that callers pass around.

Readers that fetch (feeds, chapters) and resolvers take an ``Http`` as an argument; nothing
here keeps a client of its own at module level.
"""

from .http import (
    Blocked,
    Cancelled,
    FetchError,
    Http,
    HTTPStatusError,
    NetworkDown,
    NetworkError,
    TooLarge,
    WrongContentType,
)

__all__ = [
    "Blocked",
    "Cancelled",
    "FetchError",
    "HTTPStatusError",
    "Http",
    "NetworkDown",
    "NetworkError",
    "TooLarge",
    "WrongContentType",
]
