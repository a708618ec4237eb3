"""Bringing a store's identities up to the current identify rules.

A store records the version of the rules (``identify.RULES_VERSION``) its links and works
were identified by. When the rules change (canonical URLs normalise percent-encoding, junk
is trimmed from ids ...), links written before keep stale canonical URLs and works stale
ids, so a new citation of the same page would make a second work. ``upgrade`` identifies
every identifier and link again, in the caller's transaction: rows that now coincide become
one (mentions and works move to the one kept, a resolved work's metadata kept first), and
the version is recorded.
"""

from __future__ import annotations

import sqlite3
from typing import Protocol
from urllib.parse import urlsplit

from .identify import RULES_VERSION, identify

_RULES_KEY = "identify_rules"
_STATUS_RANK = {"resolved": 0, "partial": 1}  # the work whose metadata is kept in a merge


class Merging(Protocol):
    """What ``upgrade`` needs of a store: its connection and a way to fold two works."""

    conn: sqlite3.Connection

    def merge_works(self, keep: int, drop: int) -> None: ...


def recorded_rules(conn: sqlite3.Connection) -> int:
    """The identify rules a store was written by (0: before stores recorded them)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_RULES_KEY,)).fetchone()
    except sqlite3.OperationalError:  # no meta table yet
        return 0
    return int(row[0]) if row else 0


def record_rules(conn: sqlite3.Connection) -> None:
    """Note that the store's identities follow the current rules."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (_RULES_KEY, str(RULES_VERSION)),
    )


def upgrade(store: Merging) -> list[int]:
    """Identify every identifier and link again by the current rules; call in a transaction.

    Returns the ids of the links whose mentions must be classified again (their link
    changed); records the rules version.
    """
    _reidentify_identifiers(store)
    changed = _reidentify_links(store)
    record_rules(store.conn)
    return changed


def _keeper(conn: sqlite3.Connection, first: int, second: int) -> tuple[int, int]:
    """Of two works that are one, (keep, drop): the resolved one, else the older."""

    def rank(work_id: int) -> tuple[int, int]:
        status = conn.execute("SELECT status FROM works WHERE id = ?", (work_id,)).fetchone()
        return (_STATUS_RANK.get(status[0] if status else "", 2), work_id)

    keep, drop = sorted((first, second), key=rank)
    return keep, drop


def _merge(store: Merging, first: int, second: int) -> int:
    """Fold two works into one; returns the one kept."""
    if first == second:
        return first
    keep, drop = _keeper(store.conn, first, second)
    store.merge_works(keep, drop)
    return keep


def _current(scheme: str, value: str) -> tuple[str, str]:
    """An identifier as the current rules write it."""
    if scheme == "url":
        return "url", identify(value).canonical_url or value
    found = identify(f"{scheme}:{value}")
    if found.id and found.scheme and found.value:
        return found.scheme, found.value
    return scheme, value


def _reidentify_identifiers(store: Merging) -> None:
    conn = store.conn
    rows = conn.execute("SELECT id, work_id, scheme, value FROM identifiers ORDER BY id")
    for row_id, work_id, scheme, value in rows.fetchall():
        new = _current(scheme, value)
        if new == (scheme, value):
            continue
        holder = conn.execute(
            "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?", new
        ).fetchone()
        owner = conn.execute("SELECT work_id FROM identifiers WHERE id = ?", (row_id,)).fetchone()
        if owner is None:  # its work was merged away, taking this row with it
            continue
        work_id = owner[0]
        if holder is None:
            conn.execute(
                "UPDATE identifiers SET scheme = ?, value = ? WHERE id = ?", (*new, row_id)
            )
        else:
            conn.execute("DELETE FROM identifiers WHERE id = ?", (row_id,))
            work_id = _merge(store, work_id, holder[0])
        conn.execute(
            "UPDATE works SET primary_id = ? WHERE primary_id = ?",
            (f"{new[0]}:{new[1]}", f"{scheme}:{value}"),
        )


def _reidentify_links(store: Merging) -> list[int]:
    conn = store.conn
    links = conn.execute(
        "SELECT l.id, l.url_canonical, l.kind, l.work_id, "
        "(SELECT m.url FROM mentions m WHERE m.link_id = l.id ORDER BY m.id LIMIT 1) "
        "FROM links l ORDER BY l.id"
    ).fetchall()
    kept: dict[str, int] = {}  # new canonical URL -> the link kept for it
    changed: list[int] = []
    for link_id, canonical, kind, work_id, written in links:
        found = identify(written or canonical)
        url = found.canonical_url or canonical
        if url in kept:  # another link is this one now: its mentions and work join it
            into = kept[url]
            conn.execute("UPDATE mentions SET link_id = ? WHERE link_id = ?", (into, link_id))
            other = conn.execute("SELECT work_id FROM links WHERE id = ?", (into,)).fetchone()[0]
            conn.execute("DELETE FROM links WHERE id = ?", (link_id,))
            if work_id is not None and other is not None:
                _merge(store, other, work_id)
            changed.append(into)
            continue
        kept[url] = link_id
        if (url, found.kind) != (canonical, kind):
            # a placeholder first: the URL may still be another link's, changed further on
            conn.execute(
                "UPDATE links SET url_canonical = ?, kind = ?, domain = ? WHERE id = ?",
                (f"\x00{link_id}", found.kind, urlsplit(url).hostname, link_id),
            )
            changed.append(link_id)
        _attach(store, link_id, found.scheme, found.value if found.id else None, url)
    url_of = {link_id: url for url, link_id in kept.items()}
    for link_id in changed:
        conn.execute("UPDATE links SET url_canonical = ? WHERE id = ?", (url_of[link_id], link_id))
    return sorted(set(changed))


def _attach(store: Merging, link_id: int, scheme: str | None, value: str | None, url: str) -> None:
    """Make the link's work the one its identifier names (merging two that now coincide)."""
    conn = store.conn
    work_id = conn.execute("SELECT work_id FROM links WHERE id = ?", (link_id,)).fetchone()[0]
    if work_id is None:
        return
    wanted = (scheme, value) if scheme and value else ("url", url)
    holder = conn.execute(
        "SELECT work_id FROM identifiers WHERE scheme = ? AND value = ?", wanted
    ).fetchone()
    if holder is None:
        conn.execute(
            "INSERT INTO identifiers (work_id, scheme, value) VALUES (?, ?, ?)",
            (work_id, *wanted),
        )
    elif holder[0] != work_id:
        _merge(store, work_id, holder[0])
