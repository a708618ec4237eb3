"""Hostile input against its limits: time and peak memory of each refusal, against a bound.

    python benchmarks/limits.py

Each case runs ``linkgraph`` in a child process and reads the child's own peak RSS
(``wait4``); the trickle case times one fetch in this process. Every line prints the
measure, its bound and their ratio (under 1.0 is within the bound).

- a million links in one markdown file (48 MB): refused before parsing;
- 100,000 links in one episode (the default cap): ingested;
- ``/dev/zero`` named as a source: refused at the 64 MB limit;
- a body trickling one byte every 20 ms with ``body_timeout`` = 2 s: cut off.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from measure import run_linkgraph  # noqa: E402

from linkgraph.config import load_config  # noqa: E402
from linkgraph.net import Http, NetworkError  # noqa: E402

MIB = 2**20


def child(args: list[str]) -> tuple[int, float, float]:
    """Run ``linkgraph ARGS``; its exit status, wall seconds and peak RSS in MiB."""
    run = run_linkgraph(args)
    return run.status, run.seconds, run.peak_mib


def links_file(path: Path, count: int) -> Path:
    with path.open("w") as out:
        out.write("# Many links\n\n")
        for n in range(count):
            out.write(f"- [p{n}](https://blog{n % 97}.example.org/{n})\n")
    return path


def report(case: str, status: int, seconds: float, mib: float, bounds: tuple[float, float]):
    print(
        f"{case:<34} exit {status}  {seconds:7.2f} s (bound {bounds[0]:g} s, "
        f"x{seconds / bounds[0]:.2f})  peak {mib:6.0f} MiB (bound {bounds[1]:g}, "
        f"x{mib / bounds[1]:.2f})"
    )


def trickle_seconds(body_timeout: float) -> float:
    """Seconds until a fetch of a body sent one byte every 20 ms is cut off."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 99999\r\n\r\n"
            )
            try:
                while not stop.wait(0.02):
                    conn.sendall(b"x")
            except OSError:
                pass

    threading.Thread(target=serve, daemon=True).start()
    config = load_config(
        None,
        environ={},
        allow_private_network=True,
        cache=False,
        retries=0,
        body_timeout=body_timeout,
    )
    start = time.perf_counter()
    try:
        with Http(config) as http:
            http.fetch(f"http://127.0.0.1:{server.getsockname()[1]}/", accept=["text/html"])
    except NetworkError:
        pass
    finally:
        stop.set()
        server.close()
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        million = links_file(folder / "million.md", 1_000_000)
        status, seconds, mib = child(["--db", str(folder / "a.db"), "ingest", "-q", str(million)])
        report("1,000,000 links: refused", status, seconds, mib, (10, 400))
        cap = links_file(folder / "cap.md", 100_000)
        status, seconds, mib = child(["--db", str(folder / "b.db"), "ingest", "-q", str(cap)])
        report("100,000 links: ingested", status, seconds, mib, (120, 1024))
        status, seconds, mib = child(["--db", str(folder / "c.db"), "ingest", "-q", "/dev/zero"])
        report("/dev/zero: refused at 64 MB", status, seconds, mib, (10, 400))
    seconds = trickle_seconds(2.0)
    ratio = seconds / 2.0
    print(f"{'trickling body: cut off':<34} after {seconds:.2f} s (body_timeout 2 s, x{ratio:.2f})")


if __name__ == "__main__":
    main()
