"""linkgraph top, related, cocited, author, search, path, episodes, works, topics.

Each command prints a table for people and, with ``--json``, the data ``linkgraph.query``
returns. A bad or ambiguous reference prints the candidates on stderr and exits 2.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import typer

from .. import query
from . import app
from .output import print_json, run_query, say, table

JSON = typer.Option(False, "--json", help="Print JSON (shapes in the README).")
LIMIT = typer.Option(
    20, "--limit", "-n", min=1, max=query.MAX_LIMIT, help="At most this many rows."
)
KIND = typer.Option(None, "--kind", help="Only works of this kind (paper, post, video ...).")
PODCAST = typer.Option(None, "--podcast", help="Only episodes of this podcast (title or words).")
SINCE = typer.Option(None, "--since", help="Only episodes published on or after this date.")
UNTIL = typer.Option(None, "--until", help="Only episodes published on or before this date.")
REF = typer.Argument(..., help="A standard id, any URL form of a work, or title words.")
EPISODE = typer.Argument(..., help="An episode URL, guid, episode:<id>, or title words.")
BOILERPLATE = typer.Option(
    False,
    "--include-boilerplate",
    help="Count the show's own furniture too (sponsors, support and social links, its site).",
)


def _ask(ctx: typer.Context, function: Callable, *args: Any, **options: Any) -> Any:
    """Run a question; bad references and bad options exit 2 with one line on stderr."""
    return run_query(ctx, partial(function, **options), *args)


def _show(data: Any, as_json: bool, render: Callable[[Any], None], empty: str) -> None:
    """Print JSON, or the text rendering (``empty`` when there is nothing)."""
    if as_json:
        print_json(data)
    elif not data:
        say(empty)
    else:
        render(data)


def _title(item: dict) -> str:
    return item.get("title") or item.get("url") or ""


def _some(works: list[dict], most: int = 5) -> str:
    shown = "; ".join(_title(w) for w in works[:most])
    return shown + (f" (+{len(works) - most} more)" if len(works) > most else "")


def _authors(names: list[str], most: int = 3) -> str:
    return ", ".join(names[:most]) + (" et al." if len(names) > most else "")


@app.command()
def top(
    ctx: typer.Context,
    kind: str = KIND,
    podcast: str = PODCAST,
    since: str = SINCE,
    until: str = UNTIL,
    limit: int = LIMIT,
    include_boilerplate: bool = BOILERPLATE,
    as_json: bool = JSON,
) -> None:
    """The most-cited works: by number of citing episodes, then mentions."""
    works = _ask(
        ctx,
        query.top,
        kind=kind,
        podcast=podcast,
        since=since,
        until=until,
        limit=limit,
        include_boilerplate=include_boilerplate,
    )
    _show(
        works,
        as_json,
        lambda rows: table(
            ["#", "episodes", "mentions", "kind", "id", "title", "authors"],
            [
                [
                    n,
                    w["episodes"],
                    w["mentions"],
                    w["kind"],
                    w["id"],
                    _title(w),
                    _authors(w["authors"]),
                ]
                for n, w in enumerate(rows, 1)
            ],
        ),
        "No cited works.",
    )


@app.command()
def related(
    ctx: typer.Context,
    episode: str = EPISODE,
    kind: str = KIND,
    limit: int = LIMIT,
    include_boilerplate: bool = BOILERPLATE,
    as_json: bool = JSON,
) -> None:
    """Episodes that cite the same works as EPISODE (bibliographic coupling).

    A shared work scores more the fewer episodes cite it; boilerplate does not count.
    """
    episodes = _ask(
        ctx,
        query.related,
        episode,
        kind=kind,
        limit=limit,
        include_boilerplate=include_boilerplate,
    )
    _show(
        episodes,
        as_json,
        lambda rows: table(
            ["score", "published", "episode", "shared works"],
            [
                [e["score"], (e["published"] or "")[:10], e["episode_title"], _some(e["shared"])]
                for e in rows
            ],
        ),
        "No episode shares a work with it.",
    )


@app.command()
def cocited(
    ctx: typer.Context,
    ref: str = REF,
    kind: str = KIND,
    limit: int = LIMIT,
    include_boilerplate: bool = BOILERPLATE,
    as_json: bool = JSON,
) -> None:
    """Works cited in the same episodes as REF, by number of those episodes."""
    works = _ask(
        ctx, query.cocited, ref, kind=kind, limit=limit, include_boilerplate=include_boilerplate
    )
    _show(
        works,
        as_json,
        lambda rows: table(
            ["episodes", "kind", "id", "title"],
            [[w["episodes"], w["kind"], w["id"], _title(w)] for w in rows],
        ),
        "No work is cited together with it.",
    )


@app.command()
def author(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="A person's name, or words of it; without it, everyone."),
    as_json: bool = JSON,
) -> None:
    """A person's works and the episodes citing them, and the episodes they appear in."""
    if name is None:
        _show(
            _ask(ctx, query.people),
            as_json,
            lambda rows: table(
                ["id", "name", "works", "appearances", "roles"],
                [
                    [p["id"], p["name"], p["works"], p["appearances"], ", ".join(p["roles"])]
                    for p in rows
                ],
            ),
            "No people.",
        )
        return
    _show(_ask(ctx, query.author, name), as_json, _print_person, "")


def _print_person(person: dict) -> None:
    say((f"{person['name']}  ({person['id']})", "bold"))
    if person["works"]:
        table(
            ["id", "title", "episodes citing it"],
            [
                [w["id"], _title(w), "; ".join(e["episode_title"] for e in w["citing"])]
                for w in person["works"]
            ],
            title="Works",
        )
    if person["appearances"]:
        table(
            ["published", "role", "podcast", "episode"],
            [
                [(a["published"] or "")[:10], a["role"], a["podcast"], a["episode_title"]]
                for a in person["appearances"]
            ],
            title="Appears in",
        )


@app.command()
def search(
    ctx: typer.Context,
    text: str = typer.Argument(..., metavar="QUERY", help="Words to look for."),
    limit: int = LIMIT,
    include_boilerplate: bool = BOILERPLATE,
    as_json: bool = JSON,
) -> None:
    """Full-text search over works (title, abstract, authors), episodes, topics, link texts."""
    hits = _ask(ctx, query.search, text, limit=limit, include_boilerplate=include_boilerplate)
    _show(
        hits,
        as_json,
        lambda rows: table(
            ["score", "type", "id", "title", "snippet"],
            [[h["score"], h["type"], h["id"], _title(h), h["snippet"]] for h in rows],
        ),
        "Nothing found.",
    )


@app.command()
def path(
    ctx: typer.Context,
    a: str = typer.Argument(..., help="A work or episode reference."),
    b: str = typer.Argument(..., help="Another work or episode reference."),
    include_boilerplate: bool = BOILERPLATE,
    as_json: bool = JSON,
) -> None:
    """The shortest chain between two works or episodes, through episodes, works and people."""
    steps = _ask(ctx, query.path, a, b, include_boilerplate=include_boilerplate)
    _show(steps, as_json, _print_path, "No chain connects them.")


def _print_path(steps: list[dict]) -> None:
    for step in steps:
        if step["relation"]:
            arrow = {"->": f"  --{step['relation']}-->", "<-": f"  <--{step['relation']}--"}
            say((arrow[step["direction"]], "dim"))
        say(f"{step['ref']}  [{step['kind']}]  {_title(step)}")


@app.command()
def episodes(
    ctx: typer.Context,
    podcast: str = PODCAST,
    since: str = SINCE,
    until: str = UNTIL,
    as_json: bool = JSON,
) -> None:
    """Every episode, oldest first, with counts of topics, mentions and works cited."""
    rows = _ask(ctx, query.episodes, podcast=podcast, since=since, until=until)
    _show(
        rows,
        as_json,
        lambda rows: table(
            ["id", "published", "podcast", "topics", "works", "title"],
            [
                [
                    f"episode:{e['id']}",
                    (e["published"] or "")[:10],
                    e["podcast"],
                    e["topics"],
                    e["works"],
                    e["title"],
                ]
                for e in rows
            ],
        ),
        "No episodes.",
    )


@app.command()
def works(
    ctx: typer.Context,
    kind: str = KIND,
    status: str = typer.Option(
        None, "--status", help="Only works with this status (pending, resolved, failed ...)."
    ),
    as_json: bool = JSON,
) -> None:
    """Every work, by title, with its status and citation counts."""
    rows = _ask(ctx, query.works, kind=kind, status=status)
    _show(
        rows,
        as_json,
        lambda rows: table(
            ["id", "kind", "status", "episodes", "mentions", "title"],
            [
                [w["id"], w["kind"], w["status"], w["episodes"], w["mentions"], _title(w)]
                for w in rows
            ],
        ),
        "No works.",
    )


@app.command()
def topics(ctx: typer.Context, episode: str = EPISODE, as_json: bool = JSON) -> None:
    """An episode's topics in order, with where each starts and the works it cites."""
    rows = _ask(ctx, query.topics, episode)
    _show(
        rows,
        as_json,
        lambda rows: table(
            ["at", "topic", "works"],
            [[_at(t), t["title"], "; ".join(_title(w) for w in t["works"])] for t in rows],
        ),
        "The episode has no topics.",
    )


def _at(topic: dict) -> str:
    seconds = topic["start_seconds"]
    if seconds is None:
        return f"#{topic['anchor']}" if topic["anchor"] else ""
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
