"""linkgraph identify, stats, cites, cited-by: the first questions."""

from __future__ import annotations

import typer
from rich.markup import escape

from .. import query
from ..identify import identify as identify_text
from . import app
from .output import console, print_json, print_json_lines, run_query, table


@app.command()
def identify(
    inputs: list[str] = typer.Argument(..., help="URLs or identifiers (arXiv ids, DOIs ...)."),
    json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Tell what each URL or identifier points to: standard id, kind, canonical URL."""
    found = [identify_text(text) for text in inputs]
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
        console.print(
            f"{f.input}\n  id: {f.id or '-'}{version}\n  kind: {f.kind}\n"
            f"  canonical: {f.canonical_url or '- (not an http(s) link)'}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


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
    authors = ", ".join(work["authors"])
    console.print(
        f"[bold]{_escape(work['title'] or work['id'])}[/bold]  [dim]{work['kind']} "
        f"{_escape(work['id'])}[/dim]" + (f"\n{_escape(authors)}" if authors else ""),
        highlight=False,
        soft_wrap=True,
    )
    console.print(f"cited by {_count(len(episodes), 'episode')}:\n", highlight=False)
    for episode in episodes:
        date = (episode["published"] or "")[:10]
        console.print(
            f"[bold]{_escape(episode['episode_title'])}[/bold]" + (f"  ({date})" if date else ""),
            highlight=False,
        )
        if episode["episode_url"]:
            console.print(f"  {episode['episode_url']}", highlight=False, soft_wrap=True)
        for mention in episode["mentions"]:
            console.print(
                f"  - {_escape(_when(mention) or '(no topic)')}: "
                f'"{_escape(mention["anchor_text"])}"{_boilerplate(mention)}',
                highlight=False,
            )


def _work_and_citing_episodes(store, ref: str) -> tuple[dict, list[dict]]:
    """The work REF names (found once) and the episodes citing it."""
    work_id = query.find_work(store, ref)
    return query.work_summary(store, work_id), query.citing_episodes(store, work_id)


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
        console.print(f"[bold]{_escape(topic)}[/bold]")
        seen = set()
        for work, mention in items:
            if work["id"] in seen:
                continue
            seen.add(work["id"])
            console.print(
                f"  {_escape(work['title'] or '(untitled)')}  [dim]{work['kind']} "
                f"{_escape(work['id'])}[/dim]{_boilerplate(mention)}",
                highlight=False,
                soft_wrap=True,
            )
    console.print(f"{_count(len(works), 'work')} cited", highlight=False)


def _boilerplate(mention: dict) -> str:
    """The mark of a boilerplate mention, with its reason; nothing for content."""
    if not mention["boilerplate"]:
        return ""
    return f"  [dim]\\[boilerplate: {_escape(mention['boilerplate_reason'])}][/dim]"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _escape(text: str | None) -> str:
    return escape(text or "")
