#!/usr/bin/env python3
"""Developer entry point that needs only python3: creates .venv, installs, runs.

python3 dev.py example   ingest the bundled example, show what it found, draw its map
python3 dev.py test      run the test suite (extra arguments go to pytest)
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


def ensure_venv() -> None:
    """Create the virtual environment and install the project when pyproject.toml changed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing linkgraph and its test dependencies into .venv ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def run(args: list[str]) -> int:
    """Run a program from the virtual environment and return its exit status."""
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"example", "test"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
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
