"""requests' session with less work per request: what it would redo for every GET is kept.

``requests.Session`` merges its settings with each request's and reads the environment
(proxies, ``NO_PROXY``, the CA bundle, ``~/.netrc``) on every request, a good share of the
CPU each small exchange costs. Here the environment is read once per scheme and host, and a
plain GET (no body, parameters, cookies or auth of its own) is prepared directly; anything
else goes through requests' own code. Either way the request sent is the one requests
would send.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from requests.cookies import RequestsCookieJar, merge_cookies
from requests.sessions import merge_hooks
from requests.structures import CaseInsensitiveDict
from requests.utils import get_netrc_auth


class Session(requests.Session):
    """A ``requests.Session`` that remembers what the environment says about each host."""

    def merge_environment_settings(
        self, url: str | bytes | None, proxies: Any, stream: Any, verify: Any, cert: Any
    ) -> Any:  # requests' settings dict (a TypedDict its stubs keep private)
        """``requests.Session``'s answer, remembered per scheme and host."""
        if proxies or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        key = (
            *urlsplit(url)[:2],
            stream,
            verify,
            cert,
            self.stream,
            self.verify,
            self.cert,
            tuple(sorted(self.proxies.items())),
        )
        memo = self._memo("environment")
        if key not in memo:
            memo[key] = super().merge_environment_settings(url, {}, stream, verify, cert)
        return {**memo[key], "proxies": dict(memo[key]["proxies"])}

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        """A plain GET prepared as requests would, without its generic merging."""
        if not self._plain(request):
            return super().prepare_request(request)
        headers = CaseInsensitiveDict(self.headers)
        headers.update(request.headers or {})
        for name in [k for k, v in headers.items() if v is None]:
            del headers[name]
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method="GET",
            url=request.url,
            headers=headers,
            auth=self._netrc(request.url) if self.trust_env else None,
            cookies=merge_cookies(RequestsCookieJar(), self.cookies),
            hooks=merge_hooks(request.hooks, self.hooks),
        )
        return prepared

    def _plain(self, request: requests.Request) -> bool:
        """True for a GET with only headers of its own, on a session without params or auth."""
        return (
            request.method == "GET"
            and isinstance(request.url, str)
            and not (
                request.files
                or request.data
                or request.params
                or request.auth
                or request.cookies
                or self.params
                or self.auth
            )
            and request.json is None
            and isinstance(self.headers, CaseInsensitiveDict)
        )

    def _netrc(self, url: str) -> Any:
        """``~/.netrc``'s credentials for the URL's host, read once per scheme and host."""
        memo = self._memo("netrc")
        key = tuple(urlsplit(url)[:2])
        if key not in memo:
            memo[key] = get_netrc_auth(url)
        return memo[key]

    def _memo(self, name: str) -> dict:
        return self.__dict__.setdefault(f"_memo_{name}", {})
