"""Run the console examples of the manual and compare what they print with what it shows.

A fenced block whose info string is ``console`` is a transcript: a line starting with ``$ ``
is a command (a line ending in ``\\`` goes on with the next one), the lines after it are
what it prints, standard output and standard error as they arrive. Blocks of any other
kind (``sh``, ``text``, ``json`` ...) are shown, never run, except ``pycon``: a Python
session (``>>>`` lines and what they print), run as a doctest in the same folder.

The blocks of one page run in order, in one working folder, so a command sees what the
ones before it wrote. A page starts in a fresh folder whose ``linkgraph.db`` holds the
bundled example (``linkgraph ingest --example``). HTML comments, invisible on the site,
change that for the blocks after them:

    <!-- docs-test: new session -->    a fresh folder with the example store
    <!-- docs-test: empty session -->  a fresh folder with no store
    <!-- docs-test: file NAME
    content
    -->                                a file in the working folder
    <!-- docs-test: setup
    $ command
    -->                                commands run before the next block, not shown
    <!-- docs-test: needs corpus -->   this session reads ../shared/corpus; it is
                                       skipped where that folder is absent

Output is compared after normalising what must vary from run to run and machine to
machine: runs of spaces and of rule characters (a table's padding follows its widest
cell), the elapsed time of a progress bar, seconds in summaries, and the folder the
bundled example is installed in (``linkgraph/examples``, or an absolute path ending so).
A line holding only ``...`` or ``…`` stands for any number of lines.

``python tests/support/docs_console.py [--update] FILE...`` runs the examples of FILEs and
reports the differences; ``--update`` writes what the commands printed into the blocks
that differ.
"""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import linkgraph

ROOT = Path(__file__).resolve().parents[2]
CORPUS_PARENT = ROOT.parent / "shared"
EXAMPLES = Path(linkgraph.__file__).resolve().parent / "examples"
BIN = Path(sys.executable).parent

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$")
_DIRECTIVE = re.compile(r"<!--\s*docs-test:\s*(?P<body>.*?)-->", re.S)
_ELLIPSIS = {"...", "…"}


@dataclass
class Command:
    """One ``$`` line (with its continuations) and the output the manual shows for it."""

    text: str
    expected: list[str]


@dataclass
class Block:
    """A console block: where it stands in its file, and its commands."""

    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence
    indent: str
    commands: list[Command]
    python: str | None = None  # a pycon block's doctest source
    directives: list[tuple[str, str]] = field(default_factory=list)  # (kind, argument)


def parse_blocks(text: str) -> list[Block]:
    """The console blocks of a markdown page, each with the directives standing before it."""
    lines = text.split("\n")
    blocks: list[Block] = []
    pending: list[tuple[str, str]] = []
    offset_of_line = []
    position = 0
    for line in lines:
        offset_of_line.append(position)
        position += len(line) + 1
    directives = [(m.start(), m.group("body")) for m in _DIRECTIVE.finditer(text)]
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        closing = index + 1
        fence = match.group("fence")
        while closing < len(lines) and not lines[closing].strip().startswith(fence):
            closing += 1
        info = match.group("info").strip()
        if info in ("console", "pycon"):
            start_offset = offset_of_line[index]
            since = blocks[-1].end if blocks else -1
            since_offset = offset_of_line[since] if since >= 0 else -1
            pending = [
                _directive(body) for at, body in directives if since_offset < at < start_offset
            ]
            indent = match.group("indent")
            body = [line[len(indent) :] for line in lines[index + 1 : closing]]
            if info == "pycon":
                doctest = "\n".join(body)
                commands = [Command("python: the doctest of this block", [])]
                blocks.append(
                    Block(index + 1, closing, indent, commands, doctest, directives=pending)
                )
            else:
                blocks.append(
                    Block(index + 1, closing, indent, _commands(body), directives=pending)
                )
        index = closing + 1
    return blocks


def _directive(body: str) -> tuple[str, str]:
    head, _, rest = body.partition("\n")
    head = head.strip()
    for kind in ("file", "setup"):
        if head == kind or head.startswith(kind + " "):
            return kind, (head[len(kind) :].strip() + "\n" + rest) if kind == "file" else rest
    return head, ""


def _commands(body: list[str]) -> list[Command]:
    commands: list[Command] = []
    lines = iter(body)
    for line in lines:
        if line.startswith("$ "):
            text = line[2:]
            while text.endswith("\\"):
                text = text + "\n" + next(lines, "")
            commands.append(Command(text, []))
        elif commands:
            commands[-1].expected.append(line)
        elif line.strip():
            raise ValueError(f"console block starts with output, not a command: {line!r}")
    return commands


def normalise(lines: list[str]) -> list[str]:
    """Lines with what varies between runs and machines made the same."""
    result = []
    for line in lines:
        line = line.replace(str(EXAMPLES), "linkgraph/examples")
        line = re.sub(r'(?<![\w/])/[^\s"]*/linkgraph/examples\b', "linkgraph/examples", line)
        if "━" in line:
            line = re.sub(r"\d+:\d\d:\d\d\s*$", "H:MM:SS", line)
        line = re.sub(r"\b\d+\.\d+ s\b", "N s", line)
        line = re.sub(r'"seconds": \d+(\.\d+)?', '"seconds": N', line)
        line = re.sub(r"([━─═])\1+", r"\1", line)
        line = re.sub(r"  +", " ", line).rstrip()
        result.append(line)
    while result and not result[-1]:
        result.pop()
    return result


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is what ``expected`` shows, ``...`` lines standing for any lines."""
    expected, actual = normalise(expected), normalise(actual)
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() in _ELLIPSIS else re.escape(line) + "\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


class Session:
    """A working folder in which the commands of one page (or part of one) run in turn."""

    def __init__(self, base: Path, store: bool = True):
        self.root = Path(tempfile.mkdtemp(dir=base))
        self.cwd = self.root / "work"
        self.cwd.mkdir()
        if CORPUS_PARENT.is_dir():
            (self.root / "shared").symlink_to(CORPUS_PARENT)
        self.status = 0
        self.needs_corpus = False
        if store:
            self.run("linkgraph ingest --example --quiet")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINKGRAPH_")}
        env.update(
            PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            PYTHONUNBUFFERED="1",
            # Nothing in the manual's examples may leave the machine.
            HTTP_PROXY="http://127.0.0.1:9",
            HTTPS_PROXY="http://127.0.0.1:9",
            NO_PROXY="",
        )
        return env

    def run(self, command: str) -> list[str]:
        """Run one command, ``$?`` being the last one's status; its output lines.

        A plain ``linkgraph ARGS`` runs in a fork of this process, which has imported the
        command line once (the same entry point, without a second of interpreter start-up
        per command); anything else (pipes, redirections, other programs) runs with bash.
        """
        words = _plain_linkgraph(command)
        if words is not None and hasattr(os, "fork"):
            self.status, output = _forked_linkgraph(words, self.cwd, self.env())
            return output.decode("utf-8", "replace").split("\n")
        script = f"(exit {self.status})\n{command}"
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=self.cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
        self.status = done.returncode
        return done.stdout.decode("utf-8", "replace").split("\n")

    def doctest(self, source: str) -> list[str]:
        """Run a Python session as a doctest; what it reports (nothing when it passes)."""
        script = self.root / "block.txt"
        script.write_text(source + "\n", encoding="utf-8")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "doctest",
                "-o",
                "ELLIPSIS",
                "-o",
                "NORMALIZE_WHITESPACE",
                script,
            ],
            cwd=self.cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=300,
        )
        return done.stdout.decode("utf-8", "replace").split("\n")

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _plain_linkgraph(command: str) -> list[str] | None:
    """The arguments of a command that is only ``linkgraph ARGS``, else None."""
    if any(mark in command for mark in "|&;<>$`\\\n"):
        return None
    words = shlex.split(command, comments=True)
    return words[1:] if words and words[0] == "linkgraph" else None


def _forked_linkgraph(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``linkgraph ARGS`` in a child process forked from this one: status and output."""
    from linkgraph.cli import main as linkgraph_main

    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # the child: stdout and stderr into the pipe, then the command line
        status = 1
        try:
            os.close(read_end)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(write_end, 1)
            os.dup2(write_end, 2)
            sys.stdin = open(0, closefd=False)  # noqa: SIM115
            sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            # The consoles chose their width for the streams of the process that imported
            # them: choose again for the pipe, as a command started anew would.
            importlib.reload(sys.modules["linkgraph.cli.output"])
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            sys.argv = ["linkgraph", *args]
            try:
                linkgraph_main()
                status = 0
            except SystemExit as done:
                code = done.code
                status = code if isinstance(code, int) else (0 if code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as pipe:
        while chunk := pipe.read(65536):
            chunks.append(chunk)
    _, wait_status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(wait_status), b"".join(chunks)


@dataclass
class Outcome:
    """What one command printed, against what the manual shows."""

    block: Block
    command: Command
    actual: list[str]
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.skipped is not None or matches(self.command.expected, self.actual)


def run_page(path: Path, base: Path) -> Iterator[Outcome]:
    """Run every console block of a page in order, yielding each command's outcome."""
    session: Session | None = None
    try:
        for block in parse_blocks(path.read_text(encoding="utf-8")):
            kinds = {kind for kind, _ in block.directives}
            if kinds & {"new session", "empty session"} or session is None:
                if session:
                    session.close()
                session = Session(base, store="empty session" not in kinds)
            session.needs_corpus = session.needs_corpus or "needs corpus" in kinds
            if session.needs_corpus and not CORPUS_PARENT.is_dir():
                for command in block.commands:
                    yield Outcome(block, command, [], skipped=f"no corpus at {CORPUS_PARENT}")
                continue
            for kind, argument in block.directives:
                if kind == "file":
                    name, _, content = argument.partition("\n")
                    (session.cwd / name).write_text(content, encoding="utf-8")
                elif kind == "setup":
                    for command in _commands(argument.strip().split("\n")):
                        session.run(command.text)
                elif kind not in ("new session", "empty session", "needs corpus"):
                    raise ValueError(f"{path}: unknown docs-test directive {kind!r}")
            if block.python is not None:
                yield Outcome(block, block.commands[0], session.doctest(block.python))
                continue
            for command in block.commands:
                yield Outcome(block, command, session.run(command.text))
    finally:
        if session:
            session.close()


def report(outcome: Outcome) -> str:
    """A readable difference between the output shown and the output printed."""
    import difflib

    diff = difflib.unified_diff(
        normalise(outcome.command.expected),
        normalise(outcome.actual),
        "the manual",
        "printed",
        lineterm="",
    )
    return f"$ {outcome.command.text}\n" + "\n".join(diff)


def update(path: Path, outcomes: list[Outcome]) -> int:
    """Write the printed output into the blocks that differ; the number of blocks changed."""
    lines = path.read_text(encoding="utf-8").split("\n")
    changed: dict[int, Block] = {}
    by_block: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_block.setdefault(outcome.block.start, []).append(outcome)
        if not outcome.ok and outcome.block.python is None:
            changed[outcome.block.start] = outcome.block
    for start in sorted(changed, reverse=True):
        block = changed[start]
        body: list[str] = []
        for outcome in by_block[start]:
            first, *rest = outcome.command.text.split("\n")
            body.append(f"$ {first}")
            body.extend(rest)
            shown = outcome.command.expected if outcome.ok else outcome.actual
            shown = _shown_paths(shown)
            while shown and not shown[-1].strip():
                shown = shown[:-1]
            body.extend(shown)
        lines[block.start : block.end] = [block.indent + line if line else line for line in body]
    path.write_text("\n".join(lines), encoding="utf-8")
    return len(changed)


def _shown_paths(lines: list[str]) -> list[str]:
    """Lines with the example folder shown as ``linkgraph/examples``, as from a clone's root.

    In a table, the column that held the folder's path is narrowed to match.
    """
    cut = len(str(EXAMPLES)) - len("linkgraph/examples")
    columns = {
        len(re.findall("[│┃]", line[: line.index(str(EXAMPLES))]))
        for line in lines
        if str(EXAMPLES) in line and line[:1] in ("│", "┃")
    }
    result = []
    for line in lines:
        if str(EXAMPLES) in line:
            line = line.replace(str(EXAMPLES), "linkgraph/examples")
        elif line[:1] in ("┏", "┃", "┡", "│", "└") and cut > 0:
            for column in columns:
                at = [m.start() for m in re.finditer("[┏┓┃┡┩│└┘┳╇┴┼]", line)][column]
                line = line[: at - cut] + line[at:]
        result.append(line)
    return result


def main(argv: list[str]) -> int:
    write = "--update" in argv
    failures = 0
    with tempfile.TemporaryDirectory() as base:
        for name in [a for a in argv if a != "--update"]:
            path = Path(name)
            outcomes = list(run_page(path, Path(base)))
            bad = [o for o in outcomes if not o.ok]
            failures += len(bad)
            for outcome in bad:
                print(f"{path}:{outcome.block.start}: {report(outcome)}\n")
            skipped = sum(1 for o in outcomes if o.skipped)
            print(f"{path}: {len(outcomes)} commands, {len(bad)} differ, {skipped} skipped")
            if write and bad:
                print(f"{path}: {update(path, outcomes)} blocks rewritten")
    return 1 if failures and not write else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
