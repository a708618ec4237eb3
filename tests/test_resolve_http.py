"""Faults, limits and the private-network guard: each fails one work with its reason only."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from support.resolve import FaultServer, config_for, fixture, make_store, work_row
from werkzeug.wrappers import Response

from linkgraph.net import guard
from linkgraph.net.guard import BlockedURL, check_url
from linkgraph.net.http import HostLimiter, Http, TooLarge, retry_after_seconds
from linkgraph.resolve import resolve, webpage
from linkgraph.store import Store

PAGE = b"<html><head><title>A Fine Page</title></head><body></body></html>"


@pytest.fixture
def server():
    served = HTTPServer(threaded=True)
    served.start()
    yield served
    served.clear()
    if served.is_running():
        served.stop()


@pytest.fixture
def base(server):
    return server.url_for("").rstrip("/")


def _https(url: str) -> str:
    return "url:" + url.replace("http://", "https://")


def _with_good_page(server, base, tmp_path, bad_url):
    """A store with one bad link and one good page; resolve it; return the store."""
    server.expect_request("/good").respond_with_data(PAGE, content_type="text/html")
    return make_store(tmp_path / "t.db", [(bad_url, "Bad link"), (f"{base}/good", "good")])


def _assert_only_bad_failed(store, base, bad_url, reason):
    bad = work_row(store, _https(bad_url))
    assert bad["status"] == "failed", bad
    assert reason in bad["error"].lower(), bad["error"]
    assert bad["title"] == "Bad link"  # nothing already stored is blanked
    assert work_row(store, _https(f"{base}/good"))["status"] == "resolved"


def test_time_out(tmp_path, server, base):
    server.expect_request("/slow").respond_with_handler(
        lambda request: time.sleep(1.5) or Response(PAGE, content_type="text/html")
    )
    store = _with_good_page(server, base, tmp_path, f"{base}/slow")
    resolve(store, config_for(base, read_timeout=0.3, retries=1))
    _assert_only_bad_failed(store, base, f"{base}/slow", "timed out")


@pytest.mark.slow
@pytest.mark.parametrize(
    "mode, reason", [("reset", "reset"), ("truncate", "truncated"), ("silent", "timed out")]
)
def test_connection_faults(tmp_path, server, base, mode, reason):
    faulty = FaultServer(mode)
    try:
        store = _with_good_page(server, base, tmp_path, f"{faulty.url}/page")
        resolve(store, config_for(base, read_timeout=0.5, retries=1))
        _assert_only_bad_failed(store, base, f"{faulty.url}/page", reason)
        assert faulty.hits == 2  # tried, then retried once
    finally:
        faulty.close()


@pytest.mark.slow
def test_429_with_retry_after_is_honoured(tmp_path, server, base):
    calls = []

    def handler(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(PAGE, content_type="text/html")

    server.expect_request("/busy").respond_with_handler(handler)
    store = make_store(tmp_path / "t.db", [(f"{base}/busy", "busy page")])
    resolve(store, config_for(base))
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.95
    assert work_row(store, _https(f"{base}/busy"))["title"] == "A Fine Page"


def test_retry_after_longer_than_allowed_fails_at_once(tmp_path, server, base):
    server.expect_request("/later").respond_with_data(
        "come back tomorrow", status=503, headers={"Retry-After": "86400"}
    )
    store = _with_good_page(server, base, tmp_path, f"{base}/later")
    resolve(store, config_for(base))
    _assert_only_bad_failed(store, base, f"{base}/later", "asked to wait 86400 s")
    assert sum(1 for r, _ in server.log if r.path == "/later") == 1


def test_500_is_retried_with_back_off_then_fails(tmp_path, server, base):
    server.expect_request("/broken").respond_with_data("oops", status=500)
    store = _with_good_page(server, base, tmp_path, f"{base}/broken")
    resolve(store, config_for(base, retries=2))
    _assert_only_bad_failed(store, base, f"{base}/broken", "http 500")
    assert sum(1 for r, _ in server.log if r.path == "/broken") == 3


def test_truncated_xml_from_arxiv_fails_the_batch_with_the_reason(tmp_path, server, base):
    body = fixture("arxiv_two.xml")
    server.expect_request("/api/query").respond_with_data(
        body[: len(body) // 2], content_type="application/atom+xml"
    )
    store = make_store(tmp_path / "t.db", [("https://arxiv.org/abs/1706.03762", "Attention")])
    resolve(store, config_for(base))
    work = work_row(store, "arxiv:1706.03762")
    assert work["status"] == "failed" and "malformed or truncated xml" in work["error"].lower()
    assert work["title"] == "Attention"


def test_oversize_body_declared_and_streamed(tmp_path, server, base, monkeypatch):
    server.expect_request("/huge").respond_with_data(
        b"<html><title>x</title>" + b" " * (5 * 2**20 + 10), content_type="text/html"
    )
    store = _with_good_page(server, base, tmp_path, f"{base}/huge")
    resolve(store, config_for(base))
    _assert_only_bad_failed(store, base, f"{base}/huge", "over the 5,242,880 byte limit")

    monkeypatch.setitem(webpage.LIMITS, "text/html", 1000)
    server.expect_request("/chunked").respond_with_response(
        Response((b"<p>" + b"x" * 400 for _ in range(10)), content_type="text/html")
    )
    store = _with_good_page(server, base, tmp_path / "..", f"{base}/chunked")
    resolve(store, config_for(base))
    bad = work_row(store, _https(f"{base}/chunked"))
    assert bad["status"] == "failed" and "over the 1,000 byte limit" in bad["error"]


def test_wrong_content_type_and_malformed_json(tmp_path, server, base):
    server.expect_request("/crossref/works").respond_with_data(
        "<html><body>Service temporarily unavailable</body></html>", content_type="text/html"
    )
    server.expect_request("/github/repos/example-org/repo").respond_with_data(
        '{"name": "repo", "full_name": ', content_type="application/json"
    )
    store = make_store(
        tmp_path / "t.db",
        [
            ("https://doi.org/10.5555/test.2023.001", "doi"),
            ("https://github.com/example-org/repo", "code"),
        ],
    )
    resolve(store, config_for(base))
    doi = work_row(store, "doi:10.5555/test.2023.001")
    assert doi["status"] == "failed" and "unexpected content type text/html" in doi["error"]
    repo = work_row(store, "url:https://github.com/example-org/repo")
    assert repo["status"] == "failed" and "malformed json from github" in repo["error"].lower()


def test_redirect_loop(tmp_path, server, base):
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=301, headers={"Location": f"{base}/a"})
    server.expect_request("/c").respond_with_data("", status=302, headers={"Location": "/good"})
    store = _with_good_page(server, base, tmp_path, f"{base}/a")
    make_store(tmp_path / "t.db", [(f"{base}/c", "redirected")], url="https://pod.example.org/2")
    resolve(store, config_for(base))
    _assert_only_bad_failed(store, base, f"{base}/a", "redirect loop")
    assert work_row(store, _https(f"{base}/c"))["title"] == "A Fine Page"


def test_private_addresses_are_refused_unless_allowed(tmp_path, server, base):
    server.expect_request("/inside").respond_with_data(PAGE, content_type="text/html")
    url = f"http://127.0.0.1:{server.port}/inside"
    store = make_store(tmp_path / "t.db", [(url, "inside")])
    resolve(store, config_for(base, allow_private_network=False))
    work = work_row(store, _https(url))
    assert work["status"] == "failed" and "loopback" in work["error"]
    assert not server.log  # refused before connecting
    resolve(store, config_for(base, allow_private_network=True), _retry())
    assert work_row(store, _https(url))["title"] == "A Fine Page"


def _retry():
    from linkgraph.resolve import Options

    return Options(retry_failed=True)


def test_every_redirect_hop_is_checked(tmp_path, server, base, monkeypatch):
    real = guard.blocked_address
    monkeypatch.setattr(guard, "blocked_address", lambda a: a != "127.0.0.1" and real(a))
    server.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    first = f"http://127.0.0.1:{server.port}/hop"  # the loopback server stands for the web
    store = make_store(tmp_path / "t.db", [(first, "hop")])
    resolve(store, config_for(base, allow_private_network=False))
    work = work_row(store, _https(first))
    assert work["status"] == "failed" and "169.254.169.254" in work["error"]
    assert [r.path for r, _ in server.log] == ["/hop"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.1.2.3/x",
        "http://192.168.1.1/",
        "http://172.16.0.9/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost:8080/",
        "http://api.localhost/",
        "file:///etc/passwd",
        "ftp://example.org/",
    ],
)
def test_guard_refuses(url):
    with pytest.raises(BlockedURL):
        check_url(url, allow_private=False)


def test_guard_judges_names_by_the_addresses_connected_to(monkeypatch):
    check_url("http://93.184.216.34/", allow_private=False)  # a public literal
    lookups = []

    def resolver(host, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    check_url("http://intranet.example.org/", allow_private=False)  # names: no lookup here
    assert lookups == []
    with pytest.raises(BlockedURL, match="resolves to 10.0.0.5"):
        guard.connect_public("intranet.example.org", 80, 1.0)  # ... but when connecting
    assert lookups == ["intranet.example.org"]
    with pytest.raises(BlockedURL):
        check_url("https://10.0.0.5/", allow_private=False)


def test_requests_to_one_host_never_overlap_past_its_concurrency(tmp_path, server, base):
    in_flight, peak, served = [0], [0], [0]
    lock = threading.Lock()
    overlapped = threading.Event()

    def handler(request):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
            served[0] += 1
        overlapped.wait(0.05)  # room for another request to arrive, if the limiter let it
        with lock:
            in_flight[0] -= 1
        return Response(PAGE, content_type="text/html")

    for name in ("p1", "p2", "p3", "p4"):
        server.expect_request(f"/{name}").respond_with_handler(handler)
    pages = f"http://127.0.0.1:{server.port}"  # another host than the APIs' "localhost"
    store = make_store(tmp_path / "t.db", [(f"{pages}/p{i}", f"page {i}") for i in range(1, 5)])
    config = config_for(base, host_interval=0.0, host_concurrency=1, workers=4)
    resolve(store, config)
    assert served[0] == 4 and peak[0] == 1
    with Http(config_for(base, host_interval=0.2, host_concurrency=1)) as http:
        assert http.limiter.settings("127.0.0.1") == (0.2, 1)


class StoppedClock:
    """A clock that moves only when waited on, standing in for the cancel event's waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.now += seconds
        return False  # not cancelled

    def is_set(self) -> bool:
        return False


def test_the_limiter_starts_requests_to_a_host_one_interval_apart():
    clock = StoppedClock()
    limiter = HostLimiter(0.25, 1, clock, {"slow.example": (2.0, 1)}, clock=clock)
    starts = []
    for _ in range(4):
        with limiter.slot("a.example"):
            starts.append(clock())
    assert [b - a for a, b in zip(starts[:-1], starts[1:], strict=True)] == [0.25, 0.25, 0.25]
    with limiter.slot("b.example"):  # another host waits for nobody
        assert clock() == starts[-1]
    with limiter.slot("slow.example"):
        first = clock()
    with limiter.slot("slow.example"):
        assert clock() - first == 2.0
    limiter.defer("a.example", 30.0)  # a 429 asked to wait
    with limiter.slot("a.example"):
        assert clock() == first + 2.0 + 30.0


def test_retry_after_header_forms():
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_ingest_fetches_through_the_client_it_is_given(server, base, tmp_path):
    from linkgraph.ingest import IngestOptions, ingest_source

    server.expect_request("/notes.txt").respond_with_data(
        b"Notes https://arxiv.org/abs/2303.12642", content_type="text/plain"
    )
    with Store(tmp_path / "t.db") as store:
        with Http(config_for(base)) as http:
            report = ingest_source(store, f"{base}/notes.txt", IngestOptions(), http=http)
        assert report.error is None and report.mentions == 1
        with Http(config_for(base, allow_private_network=False)) as guarded:
            blocked = ingest_source(store, f"{base}/notes.txt", IngestOptions(), http=guarded)
        assert "private" in blocked.error or "loopback" in blocked.error
        with Http(config_for(base)) as http, pytest.raises(TooLarge):
            http.fetch(f"{base}/notes.txt", max_bytes=3)
