"""Writing what a source said into the store: one transaction per work, nothing blanked.

Each field of a work remembers which source gave it and when (``works.sources``, JSON).
A field is replaced only by a non-empty value from a source trusted at least as much as
the one that gave it; values without a column (GitHub stars, a video's channel ...) live in
the same map under their own names with a ``value``. The entry ``not_found`` lists the
scholarly APIs that answered they do not know one of the work's ids (``crossref:doi:...``):
such an answer is final, and that API is not asked again for that id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..config import Config
from ..identify import SCHEMES, identify
from ..lookup import work_authors
from ..safetext import finite
from ..store import Store, now_iso
from .base import Metadata, Target
from .merge import TitleIndex, keeper
from .primary import better_primary, first_primary

# How much each source is believed; a field moves only to an equal or more trusted source.
TRUST = {
    "crossref": 90,
    "datacite": 90,  # a DOI is registered with Crossref or with DataCite, never both
    "arxiv": 85,
    "openreview": 85,  # a published version's record wins
    "github": 80,
    "oembed": 80,
    "wikipedia": 80,
    "webpage:citation": 70,
    "webpage:json-ld": 60,
    "webpage:microdata": 60,
    "webpage:dublin-core": 50,
    "pdf": 45,
    "webpage:open-graph": 40,
    "arxiv:preprint": 30,
    "webpage:html": 20,
}
_COLUMNS = ("title", "published", "abstract", "venue", "url", "crossref_type")
# The API that knows the works of each scheme best; a page that reveals such an id is only
# partly resolved until that API has answered.
API_FOR_SCHEME = {s.prefix: s.api for s in SCHEMES if s.api}
# Every scholarly API: DataCite answers for the DOIs Crossref does not know.
SCHOLARLY_APIS = frozenset({*API_FOR_SCHEME.values(), "datacite"})
NOT_FOUND = "not_found"  # the entry of works.sources listing "api:id" answers of "unknown"
_RESOLVED = "resolved"


@dataclass
class Applied:
    """What one apply did to the store."""

    work_id: int | None
    status: str  # resolved, partial, failed, or gone (the work no longer exists)
    merged: int = 0
    new_ids: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)  # ids whose API should be asked next


def trust(source: str | None) -> int:
    """How much a source is believed (unknown sources and link text: 0)."""
    return TRUST.get(source or "", 0)


def work_of(store: Store, target: Target) -> int | None:
    """The work that holds a target's identifier now (merges move identifiers)."""
    return store.scalar(
        "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?",
        (target.scheme, target.value),
    )


def standard_ids(raw: list[str]) -> list[str]:
    """Identifier strings (``doi:...``, ``arXiv:...``, DOI URLs) as standard ids, deduplicated."""
    found: dict[str, None] = {}
    for text in raw:
        standard = identify(text).id if text else None
        if standard:
            found[standard] = None
    return list(found)


def api_resolved(store: Store, work_id: int) -> bool:
    """True when one of the scholarly APIs has already given fields of this work."""
    return _from_api(
        json.loads(store.scalar("SELECT sources FROM works WHERE id = ?", (work_id,)) or "{}")
    )


def _from_api(sources: dict) -> bool:
    """True when a work's field sources name one of the scholarly APIs."""
    return any(
        entry.get("source") in SCHOLARLY_APIS
        for name, entry in sources.items()
        if name != NOT_FOUND
    )


def _not_found(sources: dict) -> list[str]:
    """The ``api:id`` pairs for which an API answered that it does not know the id."""
    return list((sources.get(NOT_FOUND) or {}).get("value") or [])


def _from_page(sources: dict) -> bool:
    """True when the work's own page (or PDF) has given fields."""
    return any(
        str(entry.get("source", "")).startswith(("webpage", "pdf")) for entry in sources.values()
    )


def refined_kind(current: str, new: str | None, source: str, kind_source: str | None) -> str:
    """A work's kind after a source named one (``kind_source`` gave the current one).

    A scholarly API's type settles a kind that was guessed from the link or a page (a DOI
    may name a dataset); otherwise papers win and generic kinds give way.
    """
    if not new or new == current:
        return current
    if source in SCHOLARLY_APIS and kind_source not in SCHOLARLY_APIS:
        return new
    if current == "paper":
        return current
    if new == "paper" or current in ("site", "post"):
        return new
    return current


def _later(config: Config, attempts: int) -> str:
    delay = config.failure_delay(attempts)
    return (datetime.fromisoformat(now_iso()) + timedelta(seconds=delay)).isoformat()


def record_failure(store: Store, target: Target, reason: str, config: Config) -> Applied:
    """Count a failed attempt: the reason, the time, the next try; no field is touched."""
    with store.transaction() as conn:
        work_id = work_of(store, target)
        if work_id is None:
            return Applied(None, "gone")
        status, attempts = conn.execute(
            "SELECT status, attempts FROM works WHERE id = ?", (work_id,)
        ).fetchone()
        attempts = (attempts or 0) + 1
        status = status if status in (_RESOLVED, "partial") else "failed"
        conn.execute(
            "UPDATE works SET status = ?, error = ?, attempts = ?, resolved_at = ?, "
            "next_attempt_at = ? WHERE id = ?",
            (status, reason, attempts, now_iso(), _later(config, attempts), work_id),
        )
    return Applied(work_id, "failed")


@dataclass
class Unknown:
    """A work whose id an API does not know: what it has from elsewhere."""

    work_id: int | None
    page_read: bool = False  # its own page has given fields
    has_fields: bool = False  # some source has given it a title, authors or a date


def record_not_found(store: Store, target: Target, api: str) -> Unknown:
    """Keep an API's answer that it does not know a target's id; it is not asked again."""
    with store.transaction() as conn:
        work_id = work_of(store, target)
        if work_id is None:
            return Unknown(None)
        sources = json.loads(
            conn.execute("SELECT sources FROM works WHERE id = ?", (work_id,)).fetchone()[0] or "{}"
        )
        answers = list(dict.fromkeys([*_not_found(sources), f"{api}:{target.key}"]))
        sources[NOT_FOUND] = {"source": api, "at": now_iso(), "value": answers}
        conn.execute(
            "UPDATE works SET sources = ? WHERE id = ?",
            (json.dumps(sources, sort_keys=True, ensure_ascii=False), work_id),
        )
    has_fields = any(name in sources for name in ("title", "authors", "published"))
    return Unknown(work_id, _from_page(sources), has_fields)


def settle(store: Store, target: Target) -> None:
    """Resolve a work from the fields it has: no source is left to ask about it."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE works SET status = 'resolved', error = NULL, resolved_at = ?, "
            "next_attempt_at = NULL WHERE id = ?",
            (now_iso(), work_of(store, target)),
        )


def apply_metadata(
    store: Store, target: Target, meta: Metadata, config: Config, titles: TitleIndex
) -> Applied:
    """Store one source's answer for a work, merging it with works it turns out to be."""
    with store.transaction():
        work_id = work_of(store, target)
        if work_id is None:
            return Applied(None, "gone")
        applied = Applied(work_id, _RESOLVED)
        ids = standard_ids(meta.identifiers)
        preprints = set(standard_ids(meta.preprints))
        work_id = _attach_ids(store, applied, work_id, ids, preprints)
        for other in titles.same_work(work_id, meta.title, meta.authors):
            work_id = _merge(store, applied, work_id, other, preprints)
        applied.work_id = work_id
        first_primary(store, work_id, preprints)
        row = store.query("SELECT * FROM works WHERE id = ?", (work_id,))[0]
        sources: dict = json.loads(row["sources"] or "{}")
        if meta.origin not in SCHOLARLY_APIS and not _from_api(sources):
            unknown = _not_found(sources)
            applied.followups = [
                i
                for i in ids
                if i.split(":", 1)[0] in API_FOR_SCHEME
                and f"{API_FOR_SCHEME[i.split(':', 1)[0]]}:{i}" not in unknown
            ]
            if applied.followups and not meta.partial:
                api = API_FOR_SCHEME[applied.followups[0].split(":", 1)[0]]
                meta.partial = f"{api} has not yet given the metadata of {applied.followups[0]}"
        applied.status, title = _write_fields(store, row, sources, meta, config)
        if applied.followups:  # the API lookup is due now: a cut-short run makes it next time
            store.conn.execute("UPDATE works SET next_attempt_at = NULL WHERE id = ?", (work_id,))
        titles.add(work_id, title)
    return applied


def _merge(store: Store, applied: Applied, work_id: int, other: int, preprints: set[str]) -> int:
    """Merge ``other`` and the work being applied; returns the id of the one kept."""
    if other == work_id:
        return work_id
    keep, drop = keeper(store, work_id, other)
    primary = better_primary(store, keep, drop, preprints)
    store.merge_works(keep, drop)
    store.conn.execute("UPDATE works SET primary_id = ? WHERE id = ?", (primary, keep))
    applied.merged += 1
    return keep


def _attach_ids(
    store: Store, applied: Applied, work_id: int, ids: list[str], preprints: set[str]
) -> int:
    """Give the work these ids, merging it with works that hold one; returns its id."""
    for standard in ids:
        scheme, value = standard.split(":", 1)
        holder = store.scalar(
            "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?", (scheme, value)
        )
        if holder is None:
            store.conn.execute(
                "INSERT INTO identifiers (work_id, scheme, value) VALUES (?, ?, ?)",
                (work_id, scheme, value),
            )
            applied.new_ids.append(standard)
        elif holder != work_id:
            work_id = _merge(store, applied, work_id, holder, preprints)
    return work_id


def _wins(source: str, entry: dict | None) -> bool:
    return entry is None or trust(source) >= trust(entry.get("source"))


def _write_fields(
    store: Store, row: dict, sources: dict, meta: Metadata, config: Config
) -> tuple[str, str | None]:
    """Write the fields a source wins, its subjects and the work's status.

    ``row`` is the work as it stands and ``sources`` its parsed field sources; returns the
    new status and title.
    """
    conn, work_id = store.conn, row["id"]
    now = now_iso()
    updates: dict = {}
    for name in _COLUMNS:
        value = getattr(meta, name)
        if not value or (name == "url" and row["url"]):
            continue
        if _wins(meta.origin_of(name), sources.get(name)):
            updates[name] = value
            sources[name] = {"source": meta.origin_of(name), "at": now}
    if (
        meta.authors
        and _wins(meta.origin_of("authors"), sources.get("authors"))
        and meta.authors != work_authors(store, work_id)
    ):
        store.forget_authors(work_id)
        for position, name in enumerate(meta.authors):
            conn.execute(
                "INSERT OR IGNORE INTO authorships (work_id, person_id, position) VALUES (?, ?, ?)",
                (work_id, store.person_id(name), position),
            )
        store.drop_orphan_people()
    if meta.authors and _wins(meta.origin_of("authors"), sources.get("authors")):
        sources["authors"] = {"source": meta.origin_of("authors"), "at": now}
    for name, value in meta.extra.items():
        value = finite(value)  # kept as JSON: Infinity and NaN are not JSON
        if value not in (None, "", [], {}) and _wins(meta.origin_of(name), sources.get(name)):
            sources[name] = {"source": meta.origin_of(name), "at": now, "value": value}
    for scheme, name in meta.subjects:
        conn.execute("INSERT OR IGNORE INTO subjects (scheme, name) VALUES (?, ?)", (scheme, name))
        conn.execute(
            "INSERT OR IGNORE INTO work_subjects (work_id, subject_id) "
            "SELECT ?, id FROM subjects WHERE scheme = ? AND name = ?",
            (work_id, scheme, name),
        )
    kind_source = (sources.get("kind") or {}).get("source")
    kind = refined_kind(row["kind"], meta.kind, meta.origin_of("kind"), kind_source)
    if meta.kind and kind == meta.kind and _wins(meta.origin_of("kind"), sources.get("kind")):
        sources["kind"] = {"source": meta.origin_of("kind"), "at": now}
    partial = meta.partial and row["status"] != _RESOLVED
    attempts = (row["attempts"] or 0) + 1
    updates.update(
        {
            "kind": kind,
            "sources": json.dumps(sources, sort_keys=True, ensure_ascii=False),
            "status": "partial" if partial else _RESOLVED,
            "error": meta.partial if partial else None,
            "attempts": attempts,
            "resolved_at": now,
            "next_attempt_at": _later(config, attempts) if partial else None,
        }
    )
    conn.execute(
        f"UPDATE works SET {', '.join(f'{k} = ?' for k in updates)} WHERE id = ?",
        (*updates.values(), work_id),
    )
    return updates["status"], updates.get("title", row["title"])
