"""linkgraph update and feeds: poll the remembered feeds, list them, forget one."""

from __future__ import annotations

import sys

import typer

from ..feeds import forget, remembered
from ..parallel import default_workers
from ..resolve import ResolverCounts
from ..update import PollReport, UpdateSummary
from ..update import update as update_feeds
from .app import app
from .options import DASK, WORKERS, json_flag, quiet_flag
from .output import (
    EXIT_OK,
    EXIT_PARTIAL,
    fail,
    open_store,
    print_json,
    progress,
    run_query,
    say,
    settings,
    table,
    warn,
    workers_for,
)

feeds_app = typer.Typer(
    help="List the remembered feeds, or forget one.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(feeds_app, name="feeds")


@app.command()
def update(
    ctx: typer.Context,
    no_resolve: bool = typer.Option(False, "--no-resolve", help="Only poll and ingest."),
    workers: int = WORKERS,
    dask: str = DASK,
    quiet: bool = quiet_flag("No progress and no summary."),
    json: bool = json_flag("Print the summary as JSON."),
) -> None:
    """Poll every remembered feed, ingest new or changed episodes, then resolve new works.

    Exit status: 0 when every feed was polled, 1 when some failed (each named on stderr;
    the others were still ingested), 2 for bad arguments or settings.
    """
    config = settings(ctx)
    with (
        open_store(ctx, write=True) as store,
        workers_for(
            "update", workers or default_workers(len(remembered(store))), dask, config
        ) as executor,
        progress(quiet or json or not sys.stderr.isatty()) as bar,
    ):
        polling = bar.add_task("polling feeds", total=len(remembered(store)))
        resolving: list[int] = []
        counts: dict[str, ResolverCounts] = {}

        def polled(report: PollReport) -> None:
            if report.error:
                warn(f"{report.url}: {report.error}")
            for warning in report.warnings:
                warn(f"{report.url}: warning: {warning}")
            bar.advance(polling)

        def resolved(name: str, source_counts: ResolverCounts) -> None:
            counts[name] = source_counts
            if not resolving:
                resolving.append(bar.add_task("resolving works", total=0))
            works = sum(c.works for c in counts.values())
            bar.update(
                resolving[0],
                total=works,
                completed=works - sum(c.pending for c in counts.values()),
            )

        summary = update_feeds(
            store,
            config,
            resolve_works=not no_resolve,
            on_polled=polled,
            progress=resolved,
            executor=executor,
        )
    if json:
        print_json(summary.to_json())
    elif not quiet:
        _print_summary(summary)
    raise typer.Exit(EXIT_PARTIAL if any(r.status == "failed" for r in summary.feeds) else EXIT_OK)


NO_FEEDS = "no feeds remembered: `linkgraph ingest URL` remembers a feed read from its URL"


def _print_summary(summary: UpdateSummary) -> None:
    if summary.feeds:
        table(
            ["feed", "podcast", "status", "episodes", "added", "updated"],
            [[r.url, r.podcast, r.status, r.episodes, r.added, r.updated] for r in summary.feeds],
        )
    for line in (_feeds_line(summary.feeds), _resolve_line(summary)):
        if line:
            say(line)


def _feeds_line(reports: list[PollReport]) -> str:
    if not reports:
        return NO_FEEDS
    statuses = [r.status for r in reports]
    counts = ", ".join(
        f"{statuses.count(s)} {s.replace('-', ' ')}"
        for s in ("changed", "unchanged", "not-modified", "failed")
    )
    return (
        f"{len(reports)} feeds: {counts}; episodes: {sum(r.added for r in reports)} "
        f"added, {sum(r.updated for r in reports)} updated"
    )


def _resolve_line(summary: UpdateSummary) -> str | None:
    result = summary.resolve
    if not summary.network:
        return "no network: nothing resolved"
    if result is None:
        return None
    if not result.network:
        return f"no network: {result.works} works left to resolve"
    return (
        f"resolve: {result.works} works: {result.resolved} resolved, {result.partial} "
        f"partial, {result.failed} failed, {result.pending} pending; {result.requests} "
        f"requests, {result.cached} from the cache"
    )


@feeds_app.callback()
def feeds(
    ctx: typer.Context,
    json: bool = json_flag("Print the feeds as JSON."),
) -> None:
    """The remembered feeds: when each was last polled and how it went."""
    if ctx.invoked_subcommand is not None:
        return
    rows = run_query(ctx, remembered)
    if json:
        print_json(rows)
        return
    if not rows:
        say(NO_FEEDS)
        return
    table(
        ["feed", "podcast", "episodes", "last polled", "status", "error"],
        [
            [
                r["url"],
                r["podcast"],
                r["episodes"],
                r["last_polled_at"],
                r["last_status"],
                r["last_error"],
            ]
            for r in rows
        ],
    )


@feeds_app.command("remove")
def remove(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="The feed's URL, as `linkgraph feeds` lists it."),
) -> None:
    """Stop polling a feed; the episodes already ingested from it stay."""
    with open_store(ctx, write=True) as store:
        if not forget(store, url):
            fail(f"feeds remove: {url} is not a remembered feed (see `linkgraph feeds`)")
    say(f"removed {url.strip()}; its episodes stay in the database")
