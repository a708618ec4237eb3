"""Printing for the CLI: rich tables and progress for people, JSON for scripts, errors.

Every command prints through this module, and text from sources is printed as text:
the consoles interpret no markup, emoji codes or highlighting, and ``say``, ``table``,
``warn`` and ``fail`` show control characters as escapes (``safetext.printable``), so a
title, URL or file name can neither move the cursor, retitle the window, make a link nor
break a line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..config import Config, ConfigError, load_config
from ..lookup import RefError
from ..parallel import Executor, executor_for
from ..parallel.cluster import DaskUnavailable
from ..safetext import printable, valid_unicode
from ..store import Store, StoreError

EXIT_OK = 0
EXIT_PARTIAL = 1  # some inputs failed, the others were done
EXIT_USAGE = 2  # bad arguments, unknown or ambiguous reference

# Piped output is not cut to 80 columns: it goes to files, pagers and wider windows.
_PIPED_WIDTH = 160


def _plain_console(stderr: bool) -> Console:
    """A console that interprets no markup, emoji codes or highlighting."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        stderr=stderr,
        width=None if stream.isatty() else _PIPED_WIDTH,
        markup=False,
        highlight=False,
        emoji=False,
    )


console = _plain_console(stderr=False)
errors = _plain_console(stderr=True)

Part = str | tuple[str, str]  # text, or (text, rich style)


def line(*parts: Part) -> Text:
    """One line of output from parts: each text printable, each style applied by rich."""
    built = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        built.append(printable(str(text), lines=True), style=style)
    return built


def say(*parts: Part, err: bool = False) -> None:
    """Print a line made of parts on stdout (stderr with ``err``), never wrapped or cut."""
    (errors if err else console).print(line(*parts), soft_wrap=True)


def fail(message: str, status: int = EXIT_USAGE) -> NoReturn:
    """Print one line on stderr and exit with ``status``."""
    warn(message)
    raise typer.Exit(status)


def warn(message: str) -> None:
    """Print one line on stderr and go on."""
    errors.print(Text(f"linkgraph: {printable(message)}"), soft_wrap=True)


def open_store(ctx: typer.Context, write: bool = False) -> Store:
    """The store named by --db / LINKGRAPH_DB; for a command that ``write``s, a writable one.

    A store that cannot be opened, or a read-only one for a command that writes, is one
    line on stderr naming it, and exit status 2. Questions and exports on it include the
    spoken mentions of at least the ``spoken_threshold`` setting, or none with
    ``--links-only``.
    """
    path: Path = ctx.obj["db"]
    if path.is_dir():
        fail(f"{path}: is a directory, not a database file")
    try:
        store = Store(path)
    except StoreError as error:
        fail(f"{path}: {error}")
    except Exception as error:  # sqlite3.DatabaseError and OS errors alike
        fail(f"{path}: cannot open the database: {error}")
    if write and store.read_only:
        store.close()
        fail(f"{path}: is read-only: {ctx.command_path.split(' ', 1)[-1]} cannot write to it")
    store.show_spoken(None if ctx.obj.get("links_only") else settings(ctx).spoken_threshold)
    return store


def settings(ctx: typer.Context) -> Config:
    """The settings for the --db store, loaded once per run the same way for every command.

    Defaults, then the ``linkgraph.toml`` beside the database, then ``LINKGRAPH_*``
    variables; a bad file or value exits 2 naming it.
    """
    if "config" not in ctx.obj:
        try:
            ctx.obj["config"] = load_config(ctx.obj["db"])
        except ConfigError as error:
            fail(str(error))
    return ctx.obj["config"]


def run_query(ctx: typer.Context, function, *args):
    """Call a query function on one snapshot of the store (a read transaction).

    A bad reference prints its candidates and exits 2, and so does a bad option or query
    (a ValueError): one line each on stderr.
    """
    with open_store(ctx) as store, store.snapshot():
        try:
            return function(store, *args)
        except RefError as error:
            warn(str(error))
            for candidate in error.candidates[:20]:
                warn(f"  candidate: {candidate.get('id')}  {candidate.get('title')}")
            raise typer.Exit(EXIT_USAGE) from None
        except ValueError as error:
            fail(str(error))


def print_json(data: Any) -> None:
    """Print data as indented JSON on stdout."""
    sys.stdout.write(json_text(data, indent=2) + "\n")


def print_json_lines(items: Iterable[Any]) -> None:
    """Print one compact JSON object per line."""
    for item in items:
        sys.stdout.write(json_text(item) + "\n")


_UNESCAPED_BY_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any, indent: int | None = None) -> str:
    """JSON that is valid UTF-8 and inert on a terminal: every control character escaped.

    ``json`` escapes C0 controls itself; DEL, C1 controls and bidi overrides, which it
    leaves as they are, become ``\\uXXXX`` escapes too (the same strings to a JSON reader).
    """
    text = valid_unicode(json.dumps(data, indent=indent, ensure_ascii=False, default=str))
    return _UNESCAPED_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def table(columns: list[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> None:
    """Print a table of rows; every cell is printable text on one line."""
    grid = Table(title=title, title_justify="left", highlight=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        grid.add_row(*(Text("" if cell is None else printable(str(cell))) for cell in row))
    console.print(grid)


@contextmanager
def progress(quiet: bool):
    """A rich progress display on stderr, silent with --quiet or when not a terminal."""
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        disable=quiet,
        transient=False,
    )
    with bar:
        yield bar


@contextmanager
def workers_for(
    command: str, workers: int, dask: str | None, config: Config
) -> Iterator[Executor | None]:
    """The workers ``--workers`` and ``--dask`` ask for (None: this process reads); a Dask
    that is not installed or not reached is one line on stderr and exit status 2."""
    with ExitStack() as stack:
        try:
            executor = stack.enter_context(executor_for(workers, dask, config.source_timeout))
        except DaskUnavailable as error:
            fail(f"{command}: {error}")
        yield executor
