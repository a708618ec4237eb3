"""Refusing URLs that lead into the local network: loopback, private and link-local addresses.

The host that is checked is the host that is connected to:

- ``check_url`` reads a URL with urllib3's parser, the one requests connects with, and
  refuses it when the WHATWG URL parser (browsers, ``ada_url``) or Python's ``urlsplit``
  (used for proxies and ``.netrc``) read another host or port: backslashes, userinfo
  tricks, numeric or percent-encoded hosts. A literal address and a localhost name are
  judged at once.
- A host name is resolved once, when the connection is made, by ``GuardedHTTPConnection``:
  every address it has is checked, and the socket connects to those checked addresses
  (TLS still names the host, for SNI and the certificate). A name that resolves to a
  public address for the check and to a private one for the connection cannot exist.
- Through a proxy the proxy resolves names and connects; only ``check_url`` applies.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from urllib.parse import urlsplit

import ada_url
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
)
from urllib3.util import connection, parse_url

DEFAULT_PORTS = {"http": 80, "https": 443}
# Ranges ipaddress does not call private but that lead inside a network all the same.
_INTERNAL = [
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "64:ff9b:1::/48", "fc00::/7")
]


class BlockedURL(Exception):
    """A URL that must not be fetched; the message says why."""


def blocked_address(address: str) -> bool:
    """True for an address inside a network: loopback, private, link-local, reserved ...

    IPv4 addresses inside IPv6 ones (mapped, NAT64, 6to4) are judged as IPv4.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return blocked_address(str(embedded))
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or any(ip in network for network in _INTERNAL if network.version == ip.version)
    )


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _normalized(host: str) -> str | None:
    """A host as urllib3 writes it (IDNA, lower case, IPv6 in brackets)."""
    return parse_url(f"http://[{host}]" if ":" in host else f"http://{host}").host


def _same_host(one: str, other: str) -> bool:
    """Equal hosts, IPv6 literals compared as addresses."""
    one, other = one.strip("[]").lower(), other.strip("[]").lower()
    first, second = _literal(one), _literal(other)
    return first == second if first and second else one == other


def target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL as requests connects to it; BlockedURL when the URL is
    not one, or when browsers or ``urlsplit`` read its host or port otherwise."""
    try:
        parsed = parse_url(url)
        split = urlsplit(url)
        split_port = split.port
        split_host = _normalized(split.hostname) if split.hostname else None
    except (LocationParseError, ValueError) as error:
        raise BlockedURL(f"is not a valid URL ({error})") from None
    scheme = (parsed.scheme or "").lower()
    if scheme not in DEFAULT_PORTS:
        raise BlockedURL(f"only http and https URLs are fetched, not {scheme or 'none'}:")
    if not parsed.host:
        raise BlockedURL("the URL has no host")
    port = parsed.port or DEFAULT_PORTS[scheme]
    try:
        whatwg = ada_url.URL(url)
    except ValueError:
        raise BlockedURL("is not a valid URL (a browser would refuse it)") from None
    readings = [
        (whatwg.hostname, int(whatwg.port or DEFAULT_PORTS[scheme])),
        (split_host or "", split_port or DEFAULT_PORTS[scheme]),
    ]
    for host, other_port in readings:
        if not _same_host(host, parsed.host) or other_port != port:
            raise BlockedURL(
                f"has an ambiguous host: {parsed.host} port {port} to the HTTP client, "
                f"{host or 'none'} port {other_port} to another URL parser"
            )
    return scheme, parsed.host, port


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise BlockedURL unless ``url`` is an unambiguous http(s) URL to a public host.

    Literal addresses and localhost names are judged here; other names are judged by the
    addresses they resolve to, when the connection is made (``GuardedHTTPConnection``).
    """
    _, host, _ = target(url)
    if allow_private:
        return
    literal = _literal(host)
    if literal is not None:
        if blocked_address(literal):
            raise BlockedURL(f"{host} is a private, loopback or link-local address")
        return
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        raise BlockedURL(f"{host} is a loopback host")


def connect_public(
    host: str,
    port: int,
    timeout: float | None,
    source_address: tuple[str, int] | None = None,
    socket_options: connection._TYPE_SOCKET_OPTIONS | None = None,
) -> socket.socket:
    """A socket connected to ``host``, resolved once, whose every address is public.

    Raises BlockedURL naming the first address inside a network; the addresses are tried
    in the resolver's order, as urllib3 does.
    """
    infos = socket.getaddrinfo(host, port, connection.allowed_gai_family(), socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if blocked_address(address):
            raise BlockedURL(
                f"{host} resolves to {address}, a private, loopback or link-local address"
            )
    failure: OSError = OSError(f"{host} resolves to no address")
    for address in addresses:
        try:
            return connection.create_connection(
                (address, port), timeout, source_address, socket_options
            )
        except OSError as error:
            failure = error
    raise failure


class _Guarded(HTTPConnection):
    """urllib3's ``_new_conn``, connecting only to the public addresses of the host."""

    def _new_conn(self) -> socket.socket:
        try:
            sock = connect_public(
                self._dns_host, self.port, self.timeout, self.source_address, self.socket_options
            )
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        except TimeoutError as error:
            raise ConnectTimeoutError(
                self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
            ) from error
        except OSError as error:
            raise NewConnectionError(
                self, f"Failed to establish a new connection: {error}"
            ) from error
        sys.audit("http.client.connect", self, self.host, self.port)
        return sock


class GuardedHTTPConnection(_Guarded):
    """An HTTP connection to public addresses only."""


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    """An HTTPS connection to public addresses only (SNI and certificate name the host)."""


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    """Connections to one host over HTTP, public addresses only."""

    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    """Connections to one host over HTTPS, public addresses only."""

    ConnectionCls = GuardedHTTPSConnection


GUARDED_POOLS = {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
