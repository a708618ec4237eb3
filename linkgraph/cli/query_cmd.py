"""linkgraph identify, stats, cites, cited-by: the first questions."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import typer

from .. import lookup, query
from ..identify import identify as identify_text
from . import app
from .output import print_json, print_json_lines, run_query, say, table


def _inputs(arguments: list[str]) -> Iterator[str]:
    """The arguments, each ``-`` standing for the lines of standard input (blank ones skipped)."""
    for argument in arguments:
        if argument == "-":
            lines = (raw.decode("utf-8", "replace").strip() for raw in sys.stdin.buffer)
            yield from (line for line in lines if line)
        else:
            yield argument


@app.command()
def identify(
    inputs: list[str] = typer.Argument(
        ..., help="URLs or identifiers (arXiv ids, DOIs ...); - reads them from stdin, one a line."
    ),
    json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Tell what each URL or identifier points to: standard id, kind, canonical URL."""
    found = (identify_text(text) for text in _inputs(inputs))
    if json:
        print_json_lines(
            {
                k: getattr(f, k)
                for k in ("input", "id", "scheme", "version", "kind", "canonical_url")
            }
            for f in found
        )
        return
    for f in found:
        version = f" (version {f.version})" if f.version else ""
        say(f.input)
        say(f"  id: {f.id or '-'}{version}")
        say(f"  kind: {f.kind}")
        say(f"  canonical: {f.canonical_url or '- (not an http(s) link)'}")


@app.command()
def stats(ctx: typer.Context, json: bool = typer.Option(False, "--json")) -> None:
    """Count podcasts, episodes, topics, mentions, links and works (by kind)."""
    counts = run_query(ctx, query.stats)
    if json:
        print_json(counts)
        return
    table(["what", "count"], [[k, v] for k, v in counts.items() if isinstance(v, int)])
    table(["work kind", "count"], counts["works_by_kind"].items())
    table(["work status", "count"], counts["works_by_status"].items())


def _when(mention: dict) -> str:
    seconds = mention["start_seconds"]
    if seconds is None:
        return mention["topic"] or ""
    stamp = f"{int(seconds) // 3600}:{int(seconds) % 3600 // 60:02d}:{int(seconds) % 60:02d}"
    return f"{stamp} {mention['topic'] or ''}".strip()


@app.command()
def cites(
    ctx: typer.Context,
    ref: str = typer.Argument(..., help="A standard id, any URL form of a work, or title words."),
    json: bool = typer.Option(False, "--json"),
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
            )


def _work_and_citing_episodes(store, ref: str) -> tuple[dict, list[dict]]:
    """The work REF names (found once) and the episodes citing it."""
    work_id = query.find_work(store, ref)
    return lookup.work_summary(store, work_id), query.citing_episodes(store, work_id)


@app.command("cited-by")
def cited_by(
    ctx: typer.Context,
    episode: str = typer.Argument(..., help="An episode URL, id, or words of its title."),
    json: bool = typer.Option(False, "--json"),
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
            )
    say(f"{_count(len(works), 'work')} cited")


def _boilerplate(mention: dict) -> tuple[str, str] | str:
    """The mark of a boilerplate mention, with its reason; nothing for content."""
    if not mention["boilerplate"]:
        return ""
    return (f"  [boilerplate: {mention['boilerplate_reason']}]", "dim")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
