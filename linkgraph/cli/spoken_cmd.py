"""linkgraph spoken: find again the works the stored transcripts speak of."""

from __future__ import annotations

from dataclasses import asdict

import typer

from ..lookup import RefError, find_episode
from ..spoken.detect import find_spoken
from .app import app
from .options import json_flag, quiet_flag
from .output import fail, open_store, print_json, progress, say, table


@app.command()
def spoken(
    ctx: typer.Context,
    episodes: list[str] = typer.Argument(
        None, help="Episodes (URL, guid, episode:<id> or title words); every one when none."
    ),
    quiet: bool = quiet_flag("No progress and no summary."),
    json: bool = json_flag("Print one JSON report per episode with a transcript."),
) -> None:
    """Find the works each transcript speaks of, with what the store knows now.

    Every episode's spoken mentions are replaced, so running it twice changes nothing; run
    it after ingesting or resolving more, to find more. Exit status: 0, or 2 for a bad
    episode reference.
    """
    with open_store(ctx, write=True) as store:
        ids = None
        if episodes:
            try:
                ids = [find_episode(store, ref) for ref in episodes]
            except RefError as error:
                fail(str(error))
        total = (
            len(ids)
            if ids is not None
            else store.scalar("SELECT count(DISTINCT episode_id) FROM segments")
        )
        with progress(quiet or json) as bar:
            task = bar.add_task("finding spoken citations", total=total)
            reports = find_spoken(store, ids, on_done=lambda _: bar.advance(task))
    if json:
        print_json([asdict(report) for report in reports])
    elif not quiet:
        if not reports:
            say("No transcripts.")
            return
        table(
            ["episode", "segments", "spoken mentions", "links timed"],
            [[r.episode, r.segments, r.mentions, r.timed] for r in reports],
        )
