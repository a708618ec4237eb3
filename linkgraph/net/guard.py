"""Refusing URLs that lead into the local network: loopback, private and link-local addresses."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests.utils


class BlockedURL(Exception):
    """A URL that must not be fetched; the message says why."""


def _blocked_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def uses_proxy(url: str, proxies: dict[str, str] | None = None) -> bool:
    """True when requests would send this URL through a proxy (from the environment or given)."""
    if requests.utils.should_bypass_proxies(url, no_proxy=None):
        return False
    found = {**requests.utils.get_environ_proxies(url), **(proxies or {})}
    return bool(requests.utils.select_proxy(url, found))


def check_url(url: str, *, allow_private: bool, proxies: dict[str, str] | None = None) -> None:
    """Raise BlockedURL unless ``url`` is http(s) to a public host.

    A host name is resolved and every address it has is checked; when a proxy will carry
    the request the proxy resolves names itself, so only literal addresses are checked.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedURL(f"only http and https URLs are fetched, not {parts.scheme or 'none'}:")
    host = parts.hostname
    if not host:
        raise BlockedURL("the URL has no host")
    if allow_private:
        return
    literal = _literal(host)
    if literal is not None:
        if _blocked_address(literal):
            raise BlockedURL(f"{host} is a private, loopback or link-local address")
        return
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        raise BlockedURL(f"{host} is a loopback host")
    if uses_proxy(url, proxies):
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise socket.gaierror(f"cannot resolve {host}: {error}") from None
    for info in infos:
        if _blocked_address(str(info[4][0])):
            raise BlockedURL(
                f"{host} resolves to {info[4][0]}, a private, loopback or link-local address"
            )
