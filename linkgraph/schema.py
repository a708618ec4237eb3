"""The SQLite schema: tables with foreign keys, indexes, full-text search and views."""

from __future__ import annotations

import sqlite3

import sqlite_utils

SCHEMA_VERSION = 4

# (table, columns, primary key, foreign keys, not-null, defaults)
_TABLES: list[tuple[str, dict, dict]] = [
    ("podcasts", {"id": int, "key": str, "title": str, "feed_url": str, "site_url": str}, {}),
    (
        "episodes",
        {
            "id": int,
            "podcast_id": int,
            "key": str,
            "guid": str,
            "title": str,
            "url": str,
            "published": str,
            "description": str,
            "categories": str,
            "image": str,
            "chapters_url": str,
            "audio_url": str,  # a feed item's enclosure
            "source": str,
            "source_hash": str,
            "ingested_at": str,
        },
        {"foreign_keys": [("podcast_id", "podcasts", "id")]},
    ),
    (
        "topics",
        {
            "id": int,
            "episode_id": int,
            "title": str,
            "anchor": str,
            "start_seconds": float,
            "position": int,
            "level": int,
            "parent_id": int,
        },
        {"foreign_keys": [("episode_id", "episodes", "id"), ("parent_id", "topics", "id")]},
    ),
    ("subjects", {"id": int, "name": str, "scheme": str, "label": str}, {}),
    (
        "works",
        {
            "id": int,
            "kind": str,
            "title": str,
            "abstract": str,
            "published": str,
            "venue": str,
            "url": str,
            "status": str,
            "error": str,
            "attempts": int,
            "resolved_at": str,
            "next_attempt_at": str,
            "sources": str,
            "primary_id": str,  # the id the work is shown by: the one it was cited by
            "crossref_type": str,  # Crossref's type of work (journal-article, dataset ...)
        },
        {"defaults": {"status": "pending", "attempts": 0, "sources": "{}"}},
    ),
    (
        "identifiers",
        {"id": int, "work_id": int, "scheme": str, "value": str},
        {"foreign_keys": [("work_id", "works", "id")]},
    ),
    (
        "links",
        {"id": int, "url_canonical": str, "domain": str, "kind": str, "work_id": int},
        {"foreign_keys": [("work_id", "works", "id")]},
    ),
    (
        "transcripts",  # an episode's transcripts: files attached, documents its feed lists
        {
            "id": int,
            "episode_id": int,
            "url": str,  # where it is fetched from (a feed's podcast:transcript)
            "source": str,  # the file or URL it was read from
            "media_type": str,
            "language": str,
            "rel": str,
            "format": str,  # vtt, srt, json, html, markdown, transcript
            "status": str,  # listed, read, failed
            "error": str,
            "attempts": int,
            "read_at": str,
            "next_attempt_at": str,
            "content_hash": str,
        },
        {
            "foreign_keys": [("episode_id", "episodes", "id")],
            "defaults": {"status": "listed", "attempts": 0},
        },
    ),
    (
        "segments",  # what a transcript says, stretch by stretch
        {
            "id": int,
            "transcript_id": int,
            "episode_id": int,
            "position": int,
            "start_seconds": float,
            "end_seconds": float,
            "speaker": str,
            "topic": str,  # the heading a transcript page gives the words
            "text": str,
        },
        {
            "foreign_keys": [
                ("transcript_id", "transcripts", "id"),
                ("episode_id", "episodes", "id"),
            ]
        },
    ),
    (
        "mentions",
        {
            "id": int,
            "episode_id": int,
            "topic_id": int,
            "link_id": int,
            "url": str,
            "fragment": str,
            "anchor_text": str,
            "context": str,
            "section": str,
            "position": int,
            "boilerplate": int,  # 1: the show's furniture, 0: content, NULL: not classified yet
            "boilerplate_reason": str,
            "via": str,  # "link": a link in the notes or page; "spoken": named in the transcript
            "confidence": float,  # a spoken mention's, 0 to 1 (a link's is 1)
            "matched": str,  # the words of the transcript that name the work
            "speaker": str,  # who said them (for a link: who first discusses its work)
            "said_at": float,  # seconds into the episode (for a link: when first discussed)
            "segment_id": int,  # the transcript segment they were said in
        },
        {
            "foreign_keys": [
                ("episode_id", "episodes", "id"),
                ("topic_id", "topics", "id"),
                ("link_id", "links", "id"),
                ("segment_id", "segments", "id"),
            ],
            "defaults": {"via": "link", "confidence": 1.0},
        },
    ),
    ("people", {"id": int, "name": str, "normalized": str, "url": str}, {}),
    (
        "authorships",
        {"work_id": int, "person_id": int, "position": int},
        {
            "pk": ("work_id", "person_id"),
            "foreign_keys": [("work_id", "works", "id"), ("person_id", "people", "id")],
        },
    ),
    (
        "appearances",
        {"episode_id": int, "person_id": int, "role": str},
        {
            "pk": ("episode_id", "person_id", "role"),
            "foreign_keys": [("episode_id", "episodes", "id"), ("person_id", "people", "id")],
        },
    ),
    (
        "work_subjects",
        {"work_id": int, "subject_id": int},
        {
            "pk": ("work_id", "subject_id"),
            "foreign_keys": [("work_id", "works", "id"), ("subject_id", "subjects", "id")],
        },
    ),
    (
        "feeds",  # feeds ingested by URL, polled again by `linkgraph update`
        {
            "id": int,
            "url": str,
            "podcast_id": int,
            "podcast": str,
            "etag": str,
            "last_modified": str,
            "content_hash": str,
            "added_at": str,
            "last_polled_at": str,
            "last_status": str,
            "last_error": str,
            "episodes": int,
        },
        {"foreign_keys": [("podcast_id", "podcasts", "id")]},
    ),
    # the store's own facts, such as the identify rules it follows (linkgraph.identities)
    ("meta", {"key": str, "value": str}, {"pk": "key"}),
]

_UNIQUE_INDEXES = [
    ("podcasts", ["key"]),
    ("episodes", ["podcast_id", "key"]),
    ("subjects", ["scheme", "name"]),
    ("identifiers", ["scheme", "value"]),
    ("links", ["url_canonical"]),
    ("people", ["normalized"]),
    ("feeds", ["url"]),
    ("transcripts", ["episode_id", "source"]),
]
_INDEXES = [
    ("episodes", ["key"]),
    ("episodes", ["url"]),
    ("topics", ["episode_id"]),
    ("topics", ["parent_id"]),
    ("identifiers", ["work_id"]),
    ("links", ["work_id"]),
    ("mentions", ["episode_id"]),
    ("mentions", ["link_id", "episode_id"]),
    ("mentions", ["topic_id"]),
    ("mentions", ["boilerplate"]),
    ("mentions", ["via"]),
    ("segments", ["episode_id", "position"]),
    ("segments", ["transcript_id"]),
    ("transcripts", ["status"]),
    ("works", ["status"]),
    ("authorships", ["person_id"]),
    ("appearances", ["person_id"]),
    ("work_subjects", ["subject_id"]),
]
_FTS = [
    ("works", ["title", "abstract"]),
    ("episodes", ["title", "description"]),
    ("topics", ["title"]),
    ("mentions", ["anchor_text", "context"]),
    ("segments", ["text", "speaker"]),
]
# Tables whose new rows are indexed in one statement by the code that writes them
# (``Store.save_transcript``, ``Store.save_episodes``, spoken citations: see
# ``index_new_rows``), not by a trigger per row: a transcript's thousands of rows index five
# times faster that way, and an episode's mentions and topics were half the cost of storing
# it with one.
# Deletes and updates still follow by trigger.
BULK_INDEXED = {"segments": "text, speaker", "mentions": "anchor_text, context", "topics": "title"}
_VIEWS = {
    # One row per mention with everything a reader of the mention wants beside it.
    "mention_details": """
        SELECT m.id AS mention_id, e.id AS episode_id, e.title AS episode_title,
               e.url AS episode_url, e.published, p.title AS podcast, t.title AS topic,
               t.anchor AS topic_anchor, t.start_seconds, m.section, m.position, m.url,
               m.fragment, m.anchor_text, m.context, m.boilerplate, m.boilerplate_reason,
               m.via, m.confidence, m.matched, m.speaker, m.said_at,
               l.url_canonical, l.kind AS link_kind, w.id AS work_id, w.kind AS work_kind,
               w.title AS work_title, w.status
        FROM mentions m
        JOIN episodes e ON e.id = m.episode_id
        LEFT JOIN podcasts p ON p.id = e.podcast_id
        LEFT JOIN topics t ON t.id = m.topic_id
        JOIN links l ON l.id = m.link_id
        LEFT JOIN works w ON w.id = l.work_id""",
    # Citation counts per work: citing episodes and mentions.
    "work_citations": """
        SELECT w.id AS work_id, w.kind, w.title, COUNT(DISTINCT m.episode_id) AS episodes,
               COUNT(m.id) AS mentions
        FROM works w
        JOIN links l ON l.work_id = w.id
        JOIN mentions m ON m.link_id = l.id
        GROUP BY w.id""",
}


def create(db: sqlite_utils.Database) -> None:
    """Create every table, column, index, full-text index and view that is missing.

    A store written by an older linkgraph is brought up to date this way: new tables and
    new columns (NULL in existing rows) are added, nothing is dropped.
    """
    existing = set(db.table_names())
    for name, columns, options in _TABLES:
        if name in existing:
            _add_missing_columns(db, name, columns)
            continue
        db.table(name).create(
            columns,
            pk=options.get("pk", "id"),
            foreign_keys=options.get("foreign_keys"),
            defaults=options.get("defaults"),
        )
    for table, indexed in _UNIQUE_INDEXES:
        db.table(table).create_index(indexed, unique=True, if_not_exists=True)
    for table, indexed in _INDEXES:
        db.table(table).create_index(indexed, if_not_exists=True)
    for table, searched in _FTS:
        if not db.table(table).detect_fts():
            db.table(table).enable_fts(searched, create_triggers=True, tokenize="porter")
        _update_trigger_on(db, table, searched)
        if table in BULK_INDEXED:
            db.execute(f"DROP TRIGGER IF EXISTS [{table}_ai]")
    for name, sql in _VIEWS.items():
        db.create_view(name, sql, replace=True)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def index_new_rows(conn: sqlite3.Connection, table: str, where: str, values: tuple) -> None:
    """Add the rows of a BULK_INDEXED ``table`` that match ``where`` (rows just inserted,
    none of them indexed yet) to its full-text index, in one statement."""
    columns = BULK_INDEXED[table]
    conn.execute(
        f"INSERT INTO {table}_fts (rowid, {columns}) SELECT id, {columns} FROM {table} "
        f"WHERE {where}",
        values,
    )


def incomplete(db: sqlite_utils.Database) -> bool:
    """Whether a store lacks a table or column of this schema (written before it had them)."""
    existing = set(db.table_names())
    return any(
        name not in existing or not set(columns) <= set(db.table(name).columns_dict)
        for name, columns, _ in _TABLES
    )


def _update_trigger_on(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """Make the full-text index follow updates of its own columns only (sqlite-utils' trigger
    fires on any column: setting a work's status or a mention's flag re-indexed its text)."""
    trigger = f"{table}_au"
    fts = f"{table}_fts"
    names = ", ".join(f"[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    db.execute(f"DROP TRIGGER IF EXISTS [{trigger}]")
    db.execute(
        f"CREATE TRIGGER [{trigger}] AFTER UPDATE OF {names} ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES('delete', old.rowid, {old}); "
        f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new}); END"
    )


def _add_missing_columns(db: sqlite_utils.Database, name: str, columns: dict) -> None:
    """Add the columns a table of an older store lacks."""
    present = set(db.table(name).columns_dict)
    for column, kind in columns.items():
        if column not in present:
            db.table(name).add_column(column, kind)
