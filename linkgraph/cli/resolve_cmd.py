"""linkgraph resolve: fetch metadata for the works."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from ..lookup import MAX_LIMIT
from ..resolve import RESOLVERS, Options, ResolverCounts, Summary, resolve
from .app import app
from .options import json_flag, quiet_flag
from .output import (
    EXIT_OK,
    EXIT_PARTIAL,
    fail,
    open_store,
    print_json,
    progress,
    say,
    settings,
    table,
    warn,
)


def _describe(resolver: str, counts: ResolverCounts) -> str:
    return (
        f"{resolver:<10} resolved {counts.resolved}  partial {counts.partial}  "
        f"failed {counts.failed}  pending {counts.pending}"
    )


def _print_summary(summary: Summary) -> None:
    rows = [
        [
            name,
            c.works,
            c.resolved,
            c.partial,
            c.failed,
            c.passed_on,
            c.not_found,
            c.pending,
            c.requests,
            c.cached,
        ]
        for name, c in summary.resolvers.items()
    ]
    table(
        [
            "source",
            "works",
            "resolved",
            "partial",
            "failed",
            "passed on",
            "not found",
            "pending",
            "requests",
            "from cache",
        ],
        rows,
    )
    say(
        f"{summary.works} works: {summary.resolved} resolved, {summary.partial} partial, "
        f"{summary.failed} failed, {summary.pending} pending; {summary.merged} merged; "
        f"{summary.requests} requests, {summary.cached} answered from the cache; "
        f"{summary.seconds:.1f} s"
    )
    for failure in summary.failures[:20]:
        warn(f"{failure['id']}: {failure['error']}")
    if len(summary.failures) > 20:
        warn(f"... and {len(summary.failures) - 20} more failures (see --json)")


@app.command("resolve")
def resolve_command(
    ctx: typer.Context,
    offline: bool = typer.Option(False, "--offline", help="Fetch nothing; say so and exit 0."),
    refresh: bool = typer.Option(
        False, "--refresh", help="Resolve resolved works again and revalidate the HTTP cache."
    ),
    retry_failed: bool = typer.Option(
        False, "--retry-failed", help="Retry failed works now, before their back-off ends."
    ),
    allow_private_network: bool = typer.Option(
        False,
        "--allow-private-network",
        help="Fetch URLs on loopback, private and link-local addresses too.",
    ),
    resolver: Optional[str] = typer.Option(  # noqa: UP045 (typer reads the annotation)
        None, "--resolver", "--source", help=f"Only this resolver: {', '.join(RESOLVERS)}."
    ),
    limit: Optional[int] = typer.Option(  # noqa: UP045
        None, "--limit", min=1, max=MAX_LIMIT, help="Resolve at most this many works."
    ),
    quiet: bool = quiet_flag("No progress bars."),
    json: bool = json_flag("Print the summary as JSON."),
) -> None:
    """Fetch titles, authors, dates, abstracts and identifiers for the works in the store."""
    if resolver is not None and resolver not in RESOLVERS:
        fail(f"--resolver {resolver}: unknown resolver; choose one of {', '.join(RESOLVERS)}")
    config = settings(ctx)
    with open_store(ctx, write=True) as store:
        if allow_private_network:
            config = config.with_options(allow_private_network=True)
        options = Options(
            refresh=refresh,
            retry_failed=retry_failed,
            offline=offline,
            resolver=resolver,
            limit=limit,
        )
        with progress(quiet or json or not sys.stderr.isatty()) as bar:
            tasks: dict[str, int] = {}

            def report(name: str, counts: ResolverCounts) -> None:
                if name not in tasks:
                    tasks[name] = bar.add_task(name, total=0)
                bar.update(
                    tasks[name],
                    total=counts.works,
                    description=_describe(name, counts),
                    completed=counts.works - counts.pending,
                )

            summary = resolve(store, config, options, progress=report)
            if not summary.network:  # the one line below says it all
                for task in tasks.values():
                    bar.remove_task(task)
    if json:
        print_json(summary.to_json())
    elif summary.offline:
        say(
            f"offline: nothing fetched; {summary.works} works wait to be resolved "
            "and keep their titles from link text"
        )
    elif not summary.network:
        say(
            f"no network: nothing fetched; {summary.works} works left as they were "
            "(titles from link text kept)"
        )
    elif not quiet or summary.failures:
        _print_summary(summary)
    raise typer.Exit(EXIT_PARTIAL if summary.failures else EXIT_OK)
