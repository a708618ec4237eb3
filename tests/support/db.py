"""The database by content: snapshots without row ids, integrity checks, consistent copies."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

_SNAPSHOT = {
    "podcasts": "SELECT key, title, feed_url, site_url FROM podcasts",
    "episodes": "SELECT p.key AS podcast, e.key, e.guid, e.title, e.url, e.published, "
    "e.description, e.categories, e.source, e.source_hash FROM episodes e "
    "LEFT JOIN podcasts p ON p.id = e.podcast_id",
    "topics": "SELECT {episode}, t.position, t.title, t.anchor, t.start_seconds, t.level, "
    "(SELECT position FROM topics WHERE id = t.parent_id) AS parent FROM topics t "
    "JOIN episodes e ON e.id = t.episode_id",
    "mentions": "SELECT {episode}, m.position, m.url, m.fragment, m.anchor_text, m.context, "
    "m.section, m.boilerplate, m.boilerplate_reason, "
    "(SELECT position FROM topics WHERE id = m.topic_id) AS topic, "
    "l.url_canonical FROM mentions m JOIN episodes e ON e.id = m.episode_id "
    "JOIN links l ON l.id = m.link_id",
    "links": "SELECT url_canonical, domain, kind, {work} FROM links l",
    "works": "SELECT {work}, kind, title, abstract, published, venue, url, status, error, "
    "{attempts}, untimed(sources) FROM works w",
    "identifiers": "SELECT scheme, value, {work} FROM identifiers i",
    "authorships": "SELECT {work}, a.position, p.normalized FROM authorships a "
    "JOIN people p ON p.id = a.person_id",
    "people": "SELECT name, normalized, url FROM people",
    "appearances": "SELECT {episode}, p.normalized, a.role FROM appearances a "
    "JOIN people p ON p.id = a.person_id JOIN episodes e ON e.id = a.episode_id",
    "subjects": "SELECT scheme, name, label FROM subjects",
    "work_subjects": "SELECT {work}, s.scheme, s.name FROM work_subjects x "
    "JOIN subjects s ON s.id = x.subject_id",
    "feeds": "SELECT f.url, f.podcast, p.key AS podcast_key, f.content_hash, f.etag, "
    "f.last_modified, f.episodes FROM feeds f LEFT JOIN podcasts p ON p.id = f.podcast_id",
}
_EPISODE = "(SELECT key FROM podcasts WHERE id = e.podcast_id) || ' / ' || e.key AS episode"
_WORK_ID = {
    "links": "l.work_id",
    "works": "w.id",
    "identifiers": "i.work_id",
    "authorships": "a.work_id",
    "work_subjects": "x.work_id",
}


def _without_times(sources: str | None) -> str | None:
    """A work's field provenance without the times it was fetched at."""
    if not sources:
        return sources
    entries = json.loads(sources)
    return json.dumps(
        {
            k: {f: v for f, v in e.items() if f != "at"} if isinstance(e, dict) else e
            for k, e in entries.items()
        },
        sort_keys=True,
    )


def snapshot(db: Path, attempts: bool = True) -> dict[str, list[tuple]]:
    """Everything a user sees in the database, as sorted rows with no row ids in them.

    ``attempts=False`` leaves out how many times each work was tried: two processes that
    resolve at once may both try a work.
    """
    conn = sqlite3.connect(db)
    conn.create_function(
        "work_key",
        1,
        lambda work_id: "|".join(
            sorted(
                f"{s}:{v}"
                for s, v in conn.execute(
                    "SELECT scheme, value FROM identifiers WHERE work_id = ?", (work_id,)
                )
            )
        ),
    )
    conn.create_function("untimed", 1, _without_times)
    tables = {}
    for table, sql in _SNAPSHOT.items():
        work = f"work_key({_WORK_ID[table]}) AS work" if table in _WORK_ID else ""
        sql = sql.format(episode=_EPISODE, work=work, attempts="attempts" if attempts else "0")
        tables[table] = sorted(conn.execute(sql).fetchall(), key=repr)
    conn.close()
    return tables


def check_integrity(db: Path) -> None:
    """The file is a sound database whose foreign keys all hold."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def copy_db(source: Path, target: Path) -> None:
    """A consistent copy of a database (through SQLite's backup API)."""
    for suffix in ("", "-wal", "-shm", ".http-cache.sqlite"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()


def differences(got: dict, want: dict) -> str:
    """The tables that differ, with a few rows from each side."""
    lines = []
    for table in want:
        missing = [r for r in want[table] if r not in got[table]][:3]
        extra = [r for r in got[table] if r not in want[table]][:3]
        if missing or extra or len(got[table]) != len(want[table]):
            lines.append(
                f"{table}: {len(got[table])} rows, want {len(want[table])}; "
                f"missing {missing}; unexpected {extra}"
            )
    return "\n".join(lines)


# Columns that hold the time a row was written, which two runs never share.
_WRITE_TIMES = {
    "episodes": {"ingested_at"},
    "feeds": {"added_at", "last_polled_at"},
    "transcripts": {"read_at", "next_attempt_at"},
}


def rows_with_ids(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, ids included, in id order (times of writing left out).

    Full-text indexes are left out: they index these rows, but how their segments are laid
    out depends on how the writes were grouped into transactions.
    """
    conn = sqlite3.connect(db)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts' AND name NOT LIKE '%_fts_%'"
        )
    ]
    rows = {}
    for table in tables:
        columns = [
            f'"{c[1]}"'
            for c in conn.execute(f'PRAGMA table_info("{table}")')
            if c[1] not in _WRITE_TIMES.get(table, ())
        ]
        rows[table] = conn.execute(
            f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid'
        ).fetchall()
    conn.close()
    return rows
