"""Everything known about one work, as ``linkgraph show`` prints it."""

from __future__ import annotations

import json

from ..lookup import find_work, standard_id, work_authors, work_identifiers
from ..store import Store

_MENTION_SQL = (
    "SELECT episode_title, episode_url, published, podcast, url, anchor_text, topic, "
    "topic_anchor, start_seconds, section, context FROM mention_details WHERE work_id = ? "
    "ORDER BY published, episode_id, position"
)


def work_details(store: Store, ref: str) -> dict:
    """One work with its authors, identifiers, subjects, provenance and mentions.

    Raises lookup.RefError when REF names no work or several.
    """
    work_id = find_work(store, ref)
    work = store.query("SELECT * FROM works WHERE id = ?", (work_id,))[0]
    identifiers = work_identifiers(store, work_id)
    subjects = store.query(
        "SELECT s.name FROM work_subjects ws JOIN subjects s ON s.id = ws.subject_id "
        "WHERE ws.work_id = ? ORDER BY s.scheme = 'keyword', s.scheme, s.name",
        (work_id,),
    )
    return {
        "id": standard_id(identifiers, work_id),
        "kind": work["kind"],
        "title": work["title"],
        "authors": work_authors(store, work_id),
        "published": work["published"],
        "abstract": work["abstract"],
        "venue": work["venue"],
        "identifiers": identifiers,
        "subjects": [s["name"] for s in subjects],
        "url": work["url"],
        "status": work["status"],
        "error": work["error"],
        "sources": json.loads(work["sources"] or "{}"),
        "mentions": store.query(_MENTION_SQL, (work_id,)),
    }
