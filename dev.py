#!/usr/bin/env python3
"""Developer entry point that needs only python3: creates .venv, installs, runs.

python3 dev.py example            ingest the bundled example, show what it found, draw its map
python3 dev.py test               run the test suite (extra arguments go to pytest)
python3 dev.py install EXTRA...   install the project with these extras (test, lint, docs)
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_venv(extras: tuple[str, ...] = ("test",)) -> None:
    """Create the virtual environment and install the project with ``extras`` when
    pyproject.toml changed or an extra is not installed yet."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = STAMP.read_text().split() if STAMP.exists() else []
    installed = set(stamp[1:]) if stamp[:1] == [digest] else set()
    if set(extras) <= installed:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    wanted = sorted(installed | set(extras))
    print(f"installing linkgraph with {', '.join(wanted)} extras into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-e", f"{ROOT}[{','.join(wanted)}]"], check=True)
    STAMP.write_text(" ".join([digest, *wanted]))


def run(args: list[str]) -> int:
    """Run a program from the virtual environment and return its exit status."""
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"example", "test", "install"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[0] == "install":
        ensure_venv(tuple(argv[1:]) or ("test",))
        return 0
    ensure_venv()
    if argv[0] == "test":
        return run(["python", "-m", "pytest", *argv[1:]])
    db = ["linkgraph", "--db", str(ROOT / "example.db")]
    for command in (
        ["ingest", "--example"],
        ["stats"],
        ["top", "--kind", "paper", "--limit", "5"],
        ["export", "html", "-o", str(ROOT / "example-map.html")],
    ):
        status = run(db + command)
        if status:
            return status
    print(f"open {ROOT / 'example-map.html'} in a browser to explore the map")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
