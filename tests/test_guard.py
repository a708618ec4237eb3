"""The private-network guard: the host that is checked is the host that is connected to.

Every server here is on loopback. To play "the public internet" without reaching it,
``public_loopback`` makes the guard take 127.0.0.1 for a public address (127.0.0.2 and the
real private ranges stay private) and answers name lookups for ``*.test`` names itself,
counting them, so each test can prove where the connection went and how often a name
was resolved.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import ssl
import threading

import pytest
import requests
import trustme
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from support.resolve import config_for, env_for, make_store
from test_hostile import PROPERTY
from typer.testing import CliRunner

from linkgraph.cli import app
from linkgraph.config import load_config
from linkgraph.net import Blocked, Http, guard
from linkgraph.net.guard import BlockedURL, check_url, target
from linkgraph.net.http import FetchError, without_credentials
from linkgraph.resolve import resolve
from linkgraph.store import Store

PUBLIC, PRIVATE = "127.0.0.1", "127.0.0.2"
GUARDED = {"LINKGRAPH_ALLOW_PRIVATE_NETWORK": "false", "LINKGRAPH_CACHE": "false"}


class Names:
    """Name lookups for ``*.test`` hosts, answered from a table and counted."""

    def __init__(self, real):
        self.real = real
        self.table: dict[str, list[str]] = {}
        self.asked: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        if not str(host).endswith(".test"):
            return self.real(host, port, *args, **kwargs)
        self.asked.append(host)
        answers = self.table[host]
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]


@pytest.fixture
def names(monkeypatch):
    """127.0.0.1 counts as public; ``names.table`` says what each ``*.test`` name resolves to."""
    real = guard.blocked_address
    monkeypatch.setattr(guard, "blocked_address", lambda a: a != PUBLIC and real(a))
    lookups = Names(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", lookups)
    return lookups


@pytest.fixture
def outside():
    """The "public" server, on 127.0.0.1."""
    server = HTTPServer(host=PUBLIC, port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def inside(outside):
    """A private server on 127.0.0.2, on the same port as ``outside``: never to be reached."""
    server = HTTPServer(host=PRIVATE, port=outside.port)
    server.expect_request("/secret").respond_with_data("INSIDE-SECRET", content_type="text/html")
    server.start()
    yield server
    server.stop()


def guarded_http(**overrides) -> Http:
    return Http(config_for("http://unused.test", allow_private_network=False, **overrides))


def run(db, *args: str, env: dict | None = None):
    return CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200", **(env or {})})


# ---- the reported bypasses ---------------------------------------------------------------

# The other host of each URL is a *.test name answered by ``names``, or a documentation
# address: whatever a parser reads, no request can leave the machine.
AMBIGUOUS = [
    "http://127.0.0.1:{port}\\@gateway.test/feed.xml",
    "http://127.0.0.1\\:{port}@gateway.test/feed.xml",
    "http://192.0.2.1\\@127.0.0.1:{port}/feed.xml",
    "http://gateway.test\\@127.0.0.1:{port}/feed.xml",
    "http://127.1:{port}/feed.xml",
    "http://2130706433:{port}/feed.xml",
    "http://0x7f.0.0.1:{port}/feed.xml",
]


@pytest.mark.slow
@pytest.mark.parametrize("pattern", AMBIGUOUS)
def test_ingest_refuses_urls_whose_host_parsers_read_differently(tmp_path, names, pattern):
    names.table["gateway.test"] = [PUBLIC]
    server = HTTPServer(host=PUBLIC, port=0)
    server.expect_request("/feed.xml").respond_with_data("<rss/>", content_type="text/xml")
    server.start()
    try:
        url = pattern.format(port=server.port)
        result = run(tmp_path / "lg.db", "ingest", url, "-q", env=GUARDED)
        assert not server.log and names.asked == []  # nothing was asked of anyone
    finally:
        server.stop()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"linkgraph: {url}: cannot be fetched: ")
    assert "ambiguous host" in result.stderr or "loopback" in result.stderr
    with Store(tmp_path / "lg.db") as store:
        assert store.query("SELECT url FROM feeds") == []  # not remembered, never polled


@pytest.mark.slow
def test_show_notes_linking_an_ambiguous_url_resolve_nothing_inside(
    tmp_path, names, outside, inside
):
    names.table["gateway.test"] = [PUBLIC]
    inside.expect_request("/page").respond_with_data(
        "<html><head><title>INTERNAL TITLE</title></head></html>", content_type="text/html"
    )
    notes = tmp_path / "notes.html"
    notes.write_text(
        f'<html><body><a href="http://{PRIVATE}:{inside.port}\\@gateway.test/page">a page</a>'
        "</body></html>"
    )
    db = tmp_path / "lg.db"
    assert run(db, "ingest", str(notes), "-q").exit_code == 0
    result = run(db, "resolve", "--json", env={**env_for("http://unused.test"), **GUARDED})
    assert json.loads(result.stdout)["failed"] == 1, result.output
    assert not inside.log
    assert "INTERNAL TITLE" not in "\n".join(sqlite3.connect(db).iterdump())


class RawRedirect:
    """A server that answers every request with a 302 to a Location sent byte for byte
    (web frameworks percent-encode a backslash in it)."""

    def __init__(self, location: str):
        self.location = location.encode()
        self.asked = 0
        self.sock = socket.create_server((PUBLIC, 0))
        self.url = f"http://{PUBLIC}:{self.sock.getsockname()[1]}/start"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                self.asked += 1
                conn.sendall(
                    b"HTTP/1.1 302 Found\r\nLocation: " + self.location + b"\r\n"
                    b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                )

    def close(self) -> None:
        self.sock.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "location",
    ["http://{private}:{port}\\@gateway.test/secret", "http://rebound.test:{port}/secret"],
)
def test_a_redirect_to_an_ambiguous_or_private_host_is_refused(names, inside, location):
    names.table["rebound.test"] = [PRIVATE]
    names.table["gateway.test"] = [PUBLIC]
    start = RawRedirect(location.format(private=PRIVATE, port=inside.port))
    try:
        with guarded_http() as http, pytest.raises(Blocked, match="ambiguous host|resolves to"):
            http.fetch(start.url)
    finally:
        start.close()
    assert start.asked == 1
    assert not inside.log and "gateway.test" not in names.asked


# ---- one resolution, and the connection goes to the address checked ----------------------


def test_a_name_is_resolved_once_and_connected_to_as_checked(names, outside, inside):
    """DNS rebinding: the first answer is public, every later one private."""
    names.table["rebind.test"] = [PUBLIC, PRIVATE]
    outside.expect_request("/page").respond_with_data("outside", content_type="text/html")
    with guarded_http() as http:
        body = http.fetch(f"http://rebind.test:{outside.port}/page", accept=["text/html"]).text
    assert body == "outside"
    assert names.asked == ["rebind.test"]  # resolved once, for the connection itself
    assert not inside.log
    (request, _), *_ = outside.log
    assert request.headers["Host"] == f"rebind.test:{outside.port}"  # the name, not the address


@pytest.mark.slow
def test_a_name_resolving_into_the_private_network_is_refused_at_connection(names, inside):
    names.table["intranet.test"] = [PUBLIC, PRIVATE]
    names.table["intranet.test"].pop(0)  # private from the first answer on
    with (
        guarded_http() as http,
        pytest.raises(Blocked, match="intranet.test resolves to 127.0.0.2"),
    ):
        http.fetch(f"http://intranet.test:{inside.port}/secret")
    assert not inside.log


def test_tls_names_the_host_while_connecting_to_the_checked_address(names, tmp_path, monkeypatch):
    authority = trustme.CA()
    certificate = authority.issue_cert("secure.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = HTTPServer(host=PUBLIC, port=0, ssl_context=context)
    server.expect_request("/paper").respond_with_data("over tls", content_type="text/html")
    server.start()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    names.table["secure.test"] = [PUBLIC]
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    try:
        with guarded_http() as http:
            answer = http.fetch(f"https://secure.test:{server.port}/paper", accept=["text/html"])
    finally:
        server.stop()
    assert answer.text == "over tls"  # the certificate for secure.test was verified
    assert server_names == ["secure.test"] and names.asked == ["secure.test"]


def test_with_a_proxy_names_are_the_proxys_and_literals_and_ambiguity_are_refused(
    names, outside, monkeypatch
):
    """The proxy resolves and connects; the guard still refuses what it can judge."""
    outside.expect_request("/far").respond_with_data("via proxy", content_type="text/html")
    proxy = f"http://{PUBLIC}:{outside.port}"
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "")
    with guarded_http() as http:
        assert http.fetch("http://far-away.test/far", accept=["text/html"]).text == "via proxy"
        assert names.asked == []  # the proxy, not linkgraph, resolved the name
        for refused in ("http://10.0.0.1/", "http://localhost/", "http://a.test\\@10.0.0.1/"):
            with pytest.raises(Blocked):
                http.fetch(refused)
    assert [r.path for r, _ in outside.log] == ["/far"]


# ---- credentials on redirects --------------------------------------------------------------


def test_the_github_token_does_not_follow_a_redirect_to_another_host(tmp_path):
    api = HTTPServer(host="127.0.0.1", port=0)
    api.start()
    elsewhere = f"http://localhost:{api.port}"  # another host name for the same server
    api.expect_request("/github/repos/example/tool").respond_with_data(
        "", status=301, headers={"Location": f"{elsewhere}/moved/repos/example/tool"}
    )
    api.expect_request("/moved/repos/example/tool").respond_with_json(
        {"full_name": "example/tool", "description": "A tool", "created_at": "2020-01-02T00:00:00Z"}
    )
    store = make_store(tmp_path / "t.db", [("https://github.com/example/tool", "tool")])
    base = f"http://127.0.0.1:{api.port}"
    try:
        resolve(store, config_for(base, github_token="SECRET-TOKEN"))
    finally:
        api.stop()
    asked = {r.path: r.headers.get("Authorization") for r, _ in api.log}
    assert asked == {
        "/github/repos/example/tool": "Bearer SECRET-TOKEN",
        "/moved/repos/example/tool": None,
    }


@pytest.mark.parametrize(
    "current, following, kept",
    [
        ("https://api.example.org/a", "https://api.example.org/b", True),
        ("http://api.example.org/a", "https://api.example.org/b", True),
        ("https://api.example.org/a", "http://api.example.org/b", False),
        ("https://api.example.org/a", "https://api.example.org:8443/b", False),
        ("https://api.example.org/a", "https://evil.example/b", False),
        ("https://api.example.org/a", "https://evil.example\\@api.example.org/b", False),
        ("https://api.example.org/a", "https://API.example.org/b", True),
    ],
)
def test_credentials_stay_only_with_their_host(current, following, kept):
    headers = {"Authorization": "Bearer x", "Cookie": "c=1", "Accept": "application/json"}
    after = without_credentials(headers, current, following)
    assert after == (headers if kept else {"Accept": "application/json"})


# ---- the parsers agree on every URL the guard lets through -------------------------------

_PIECES = st.sampled_from(
    [
        "\\",
        "@",
        ":",
        "/",
        "%2e",
        "%31",
        "[",
        "]",
        "::1",
        "127.0.0.1",
        "0x7f",
        "1",
        ".",
        "#",
        "?",
        "\t",
        " ",
        "\u3002",
        "\uff11",
        "example.org",
        "a",
        "80",
        "%",
        "\x00",
        "xn--",
    ]
)
URLISH = st.builds(
    lambda scheme, parts: f"{scheme}://{''.join(parts)}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.lists(_PIECES, min_size=1, max_size=10),
)


@PROPERTY
@given(url=URLISH)
def test_every_url_let_through_is_the_one_requests_connects_to(url):
    """What requests prepares and urllib3 connects to is the host and port checked."""
    try:
        scheme, host, port = target(url)
    except BlockedURL:
        return
    try:
        prepared = requests.Request("GET", url).prepare()
    except (requests.exceptions.InvalidURL, UnicodeError):
        return  # requests refuses it too (Http.fetch says so): nothing is connected to
    sent = guard.parse_url(prepared.url)
    assert (sent.scheme, sent.host, sent.port or guard.DEFAULT_PORTS[scheme]) == (
        scheme,
        host,
        port,
    )


def test_a_url_requests_cannot_send_fails_as_a_fetch_error():
    config = load_config(None, environ={}, allow_private_network=True, retries=0)
    with Http(config) as http, pytest.raises(FetchError, match="cannot be requested"):
        http.fetch("http://::1\u3002@127.0.0.1:9/x")  # a user name outside Latin-1


def test_the_settings_turn_the_guard_off_for_private_networks_only_when_asked():
    assert load_config(None, environ={}).allow_private_network is False
    check_url("http://10.0.0.1/", allow_private=True)
    with pytest.raises(BlockedURL, match="ambiguous host"):
        check_url("http://127.0.0.1:1\\@1.1.1.1/", allow_private=True)  # never allowed
