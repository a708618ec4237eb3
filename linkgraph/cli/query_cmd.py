"""linkgraph stats, cites, cited-by, show, top, related, cocited, author, search, path,
episodes, works, topics: the questions.

Each command prints a table or text for people and, with ``--json``, the data the function
of ``linkgraph.query`` of the same name returns. A bad or ambiguous reference prints the
candidates on stderr and exits 2.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import typer

from .. import lookup, query
from .app import app
from .options import (
    BOILERPLATE,
    EPISODE,
    JSON,
    KIND,
    LIMIT,
    LINKS_ONLY,
    PODCAST,
    REF,
    SINCE,
    UNTIL,
)
from .output import print_json, run_query, say, table


@app.command()
def stats(ctx: typer.Context, json: bool = JSON) -> None:
    """Count podcasts, episodes, topics, mentions, links and works (by kind)."""
    counts = run_query(ctx, query.stats)
    if json:
        print_json(counts)
        return
    table(["what", "count"], [[k, v] for k, v in counts.items() if isinstance(v, int)])
    table(["work kind", "count"], counts["works_by_kind"].items())
    table(["work status", "count"], counts["works_by_status"].items())


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 3600}:{int(seconds) % 3600 // 60:02d}:{int(seconds) % 60:02d}"


def _when(mention: dict) -> str:
    seconds = mention["start_seconds"]
    if seconds is None:
        return mention["topic"] or ""
    return f"{_clock(seconds)} {mention['topic'] or ''}".strip()


def _said(mention: dict) -> tuple[str, str] | str:
    """A spoken mention's mark (its confidence, who said it and when); for a link, when the
    transcript first discusses its work; nothing else."""
    who = f" by {mention['speaker']}" if mention["speaker"] else ""
    at = f" at {_clock(mention['said_at'])}" if mention["said_at"] is not None else ""
    if mention["via"] == "spoken":
        return (f"  [spoken{at}{who}, confidence {mention['confidence']:.2f}]", "dim")
    if at or who:
        return (f"  [discussed{at}{who}]", "dim")
    return ""


@app.command()
def cites(
    ctx: typer.Context,
    ref: str = REF,
    json: bool = JSON,
    links_only: bool = LINKS_ONLY,
) -> None:
    """The episodes that cite a work, with where and how each mentions it."""
    work, episodes = run_query(ctx, _work_and_citing_episodes, ref)
    if json:
        print_json(episodes)
        return
    say((work["title"] or work["id"], "bold"), "  ", (f"{work['kind']} {work['id']}", "dim"))
    if work["authors"]:
        say(", ".join(work["authors"]))
    say(f"cited by {_count(len(episodes), 'episode')}:")
    say()
    for episode in episodes:
        date = (episode["published"] or "")[:10]
        say((episode["episode_title"] or "", "bold"), f"  ({date})" if date else "")
        if episode["episode_url"]:
            say(f"  {episode['episode_url']}")
        for mention in episode["mentions"]:
            say(
                f'  - {_when(mention) or "(no topic)"}: "{mention["anchor_text"]}"',
                _boilerplate(mention),
                _said(mention),
            )


def _work_and_citing_episodes(store, ref: str) -> tuple[dict, list[dict]]:
    """The work REF names (found once) and the episodes citing it."""
    work_id = query.find_work(store, ref)
    return lookup.work_summary(store, work_id), query.citing_episodes(store, work_id)


@app.command("cited-by")
def cited_by(
    ctx: typer.Context,
    episode: str = EPISODE,
    json: bool = JSON,
    links_only: bool = LINKS_ONLY,
) -> None:
    """The works an episode cites, grouped by the topic where they come up."""
    works = run_query(ctx, query.cited_by, episode)
    if json:
        print_json(works)
        return
    by_topic: dict[str, list[tuple[dict, dict]]] = {}
    for work in works:
        for mention in work["mentions"]:
            by_topic.setdefault(_when(mention) or "(no topic)", []).append((work, mention))
    for topic, items in by_topic.items():
        say((topic, "bold"))
        seen = set()
        for work, mention in items:
            if work["id"] in seen:
                continue
            seen.add(work["id"])
            say(
                f"  {work['title'] or '(untitled)'}  ",
                (f"{work['kind']} {work['id']}", "dim"),
                _boilerplate(mention),
                _said(mention),
            )
    say(f"{_count(len(works), 'work')} cited")


def _boilerplate(mention: dict) -> tuple[str, str] | str:
    """The mark of a boilerplate mention, with its reason; nothing for content."""
    if not mention["boilerplate"]:
        return ""
    return (f"  [boilerplate: {mention['boilerplate_reason']}]", "dim")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@app.command()
def show(
    ctx: typer.Context,
    ref: str = REF,
    json: bool = JSON,
    links_only: bool = LINKS_ONLY,
) -> None:
    """Everything known about one work: metadata, where it came from, who mentions it."""
    work = run_query(ctx, query.show, ref)
    if json:
        print_json(work)
        return
    _print_work(work)


def _print_work(work: dict) -> None:
    say((work["title"] or "(no title)", "bold"))
    lines = [
        ("id", work["id"]),
        ("kind", work["kind"]),
        ("status", work["status"]),
        ("authors", ", ".join(work["authors"])),
        ("published", work["published"]),
        ("venue", work["venue"]),
        ("identifiers", " ".join(work["identifiers"])),
        ("subjects", ", ".join(work["subjects"])),
        ("url", work["url"]),
        ("error", work["error"]),
    ]
    for name, value in lines:
        if value:
            say(f"  {name:<12}{value}")
    if work["abstract"]:
        say()
        say(work["abstract"])
        say()
    if work["sources"]:
        table(
            ["field", "source", "at", "value"],
            [
                [name, entry.get("source"), entry.get("at"), entry.get("value")]
                for name, entry in sorted(work["sources"].items())
            ],
        )
    for mention in work["mentions"]:
        where = mention["topic"] or mention["section"] or ""
        say(
            f"  - {mention['episode_title'] or ''}{f'  [{where}]' if where else ''}: "
            f"{mention['anchor_text'] or mention['url']}",
            _said(mention),
        )
    say(f"{len(work['mentions'])} mentions")


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


def _hit_title(hit: dict) -> str:
    """A search hit's title; for words spoken, who said them and when."""
    if hit["type"] != "spoken":
        return _title(hit)
    said = [hit["speaker"] or "", _clock(hit["start_seconds"]) if hit["start_seconds"] else ""]
    where = ", ".join(part for part in said if part)
    return f"{_title(hit)} ({where})" if where else _title(hit)


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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
) -> None:
    """Full-text search over works (title, abstract, authors), episodes, topics, link texts."""
    hits = _ask(ctx, query.search, text, limit=limit, include_boilerplate=include_boilerplate)
    _show(
        hits,
        as_json,
        lambda rows: table(
            ["score", "type", "id", "title", "snippet"],
            [[h["score"], h["type"], h["id"], _hit_title(h), h["snippet"]] for h in rows],
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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
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
    links_only: bool = LINKS_ONLY,
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
