"""linkgraph ingest: read sources into the store."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from ..ingest import (
    EXAMPLE_DIR,
    TRANSCRIPT_FORMATS,
    IngestOptions,
    SourceReport,
    client_for,
    expand_sources,
    find_spoken_since,
    ingest_source,
    is_url,
)
from ..lookup import check_date
from ..parallel import default_workers, ingest_parallel
from ..readers import FORMATS as READER_FORMATS
from ..store import now_exact
from .app import app
from .options import DASK, WORKERS, json_flag, quiet_flag
from .output import (
    EXIT_PARTIAL,
    fail,
    open_store,
    print_json,
    progress,
    say,
    settings,
    table,
    warn,
    workers_for,
)

FORMATS = (*READER_FORMATS, *TRANSCRIPT_FORMATS)


def _display(source: str) -> str:
    """A source as the user would name it: relative to the working folder when inside it."""
    if source == "-" or is_url(source):
        return source
    try:
        return str(Path(source).resolve().relative_to(Path.cwd()))
    except ValueError:
        return source


def _summary_rows(reports: list[SourceReport]) -> list[list]:
    return [
        [
            _display(r.source),
            r.format,
            r.episodes,
            r.added,
            r.updated,
            r.unchanged,
            r.topics,
            r.mentions,
        ]
        for r in reports
        if not r.error
    ]


@app.command()
def ingest(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        None, help="Files, folders (read recursively), - for standard input, or http(s) URLs."
    ),
    format: str = typer.Option(
        None,
        "--format",
        "-f",
        help=f"One of {', '.join(FORMATS)}; detected from content and extension when not given.",
    ),
    podcast: str = typer.Option(None, help="The podcast these episodes belong to."),
    title: str = typer.Option(None, help="Episode title, for a source with one episode."),
    url: str = typer.Option(None, help="Episode URL, for a source with one episode."),
    date: str = typer.Option(None, help="Publication date (YYYY-MM-DD), for one episode."),
    episode: str = typer.Option(
        None,
        "--episode",
        help="Attach the transcript given (a .vtt, .srt, .json or --format transcript file) "
        "to this stored episode (URL, guid, episode:<id> or title words).",
    ),
    site_url: str = typer.Option(
        None,
        "--site-url",
        help="Base URL of a Jekyll site: markdown "
        "posts get the page URL its default permalinks give them.",
    ),
    example: bool = typer.Option(False, "--example", help="Ingest the bundled example podcast."),
    workers: int = WORKERS,
    dask: str = DASK,
    quiet: bool = quiet_flag("No progress and no summary."),
    json: bool = json_flag("Print one JSON report per source."),
) -> None:
    """Read show notes, transcripts and feeds into the store.

    Exit status: 0 when every source was read, 1 when some failed (each named on
    stderr; the others were still stored), 2 for bad arguments. What was read but not
    cleanly (an unreadable date, front matter that is not YAML, items sharing a guid) is
    stored and warned about on stderr.
    """
    sources = list(sources or [])
    if example:
        sources.append(str(EXAMPLE_DIR))
    if not sources:
        fail("ingest: give at least one SOURCE (or --example)")
    try:
        check_date(date, "--date")
    except ValueError as error:
        fail(f"ingest: {error}")
    if format and format not in FORMATS:
        fail(f"ingest: unknown --format {format!r}; choose one of {', '.join(FORMATS)}")
    expanded = expand_sources(sources)
    if (title or url or episode) and len(expanded) > 1:
        fail(
            "ingest: --title, --url and --episode name one episode, but several sources were given"
        )
    if not expanded:
        fail(f"ingest: no readable files under {', '.join(sources)}")
    config = settings(ctx)
    options = IngestOptions(
        format=format,
        podcast=podcast,
        title=title,
        url=url,
        date=date,
        site_url=site_url,
        max_links=config.max_links_per_episode,
        episode=episode,
    )
    reports: list[SourceReport] = []
    started = now_exact()
    with (
        open_store(ctx, write=True) as store,
        workers_for("ingest", workers or default_workers(len(expanded)), dask, config) as executor,
        client_for(store, expanded, config=config) as http,
        progress(quiet or json) as bar,
    ):
        task = bar.add_task("ingesting", total=len(expanded))

        def done(report: SourceReport) -> None:
            reports.append(report)
            if report.error:
                warn(f"{report.source}: {report.error}")
            for warning in report.warnings:
                warn(f"{report.source}: warning: {warning}")
            bar.advance(task)

        if executor is None:
            for source in expanded:
                done(ingest_source(store, source, options, http=http))
        else:
            ingest_parallel(
                store, expanded, options, executor, done, config, http=http, spoken=False
            )
        spoken = find_spoken_since(store, started)
    if json:
        print_json([asdict(r) for r in reports])
    elif not quiet:
        _print_summary(reports)
        if spoken:
            found = sum(r.mentions for r in spoken)
            mentions = "mention" if found == 1 else "mentions"
            transcripts = "transcript" if len(spoken) == 1 else "transcripts"
            say(f"{found} spoken {mentions} found in {len(spoken)} {transcripts}")
    if any(r.error for r in reports):
        raise typer.Exit(EXIT_PARTIAL)


def _print_summary(reports: list[SourceReport]) -> None:
    rows = _summary_rows(reports)
    if len(rows) > 12:
        totals = [sum(r[i] for r in rows) for i in range(2, 8)]
        table(
            ["sources", "episodes", "added", "updated", "unchanged", "topics", "mentions"],
            [[len(rows), *totals]],
        )
    elif rows:
        table(
            ["source", "format", "episodes", "added", "updated", "unchanged", "topics", "mentions"],
            rows,
        )
    failed = sum(1 for r in reports if r.error)
    if failed:
        say(f"{failed} of {len(reports)} sources failed")
