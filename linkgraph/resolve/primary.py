"""A work's primary id: the id it is shown by, stable from its first citation on.

A work created from a link takes that link's id (``works.primary_id``: its standard id,
else ``url:`` and the canonical URL). Identifiers that resolution adds (a preprint's DOI,
the published version's) never change it, with two exceptions, both ranked choices:

- a work known only by its URL takes its best standard id once one is found;
- two works merged into one keep the better of their two primary ids.

Better means a standard id over a URL, then a published version over a preprint (arXiv ids,
and ids that a record names as a preprint: Crossref's ``has-preprint`` targets, a
``posted-content`` record's own DOI), then the kept (older) work's own. Never alphabetical.
"""

from __future__ import annotations

from ..store import Store


def rank(standard: str, preprints: set[str]) -> tuple[bool, bool]:
    """How a candidate id ranks (lower is better)."""
    scheme = standard.split(":", 1)[0]
    return (scheme == "url", scheme == "arxiv" or standard in preprints)


def _primary(store: Store, work_id: int) -> str | None:
    return store.scalar("SELECT primary_id FROM works WHERE id = ?", (work_id,))


def _ids(store: Store, work_id: int) -> list[str]:
    return [
        f"{scheme}:{value}"
        for scheme, value in store.conn.execute(
            "SELECT scheme, value FROM identifiers WHERE work_id = ? ORDER BY id", (work_id,)
        )
    ]


def better_primary(store: Store, keep: int, drop: int, preprints: set[str]) -> str | None:
    """The primary id of the work that merging ``drop`` into ``keep`` makes."""
    candidates = [p for p in (_primary(store, keep), _primary(store, drop)) if p]
    return min(candidates, key=lambda p: rank(p, preprints)) if candidates else None


def first_primary(store: Store, work_id: int, preprints: set[str]) -> None:
    """Give a work known only by its URL (or by no recorded id) its best standard id."""
    current = _primary(store, work_id)
    if current and not current.startswith("url:"):
        return
    ids = _ids(store, work_id)  # in the order they were found: the first wins a tie
    best = min(ids, key=lambda i: rank(i, preprints), default=None)
    if best and best != current and (current is None or not best.startswith("url:")):
        store.conn.execute("UPDATE works SET primary_id = ? WHERE id = ?", (best, work_id))
